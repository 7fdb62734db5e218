"""Fit y = sin(x) on [-pi, pi] with a third-order polynomial, as the tutorial's "PyTorch: nn"
and "PyTorch: optim" chapters do: the polynomial is `nn.Sequential(nn.Linear(3, 1),
nn.Flatten(0, 1))` over the features (x, x^2, x^3), the loss `nn.MSELoss(reduction="sum")`,
and the update `optim.RMSprop`. Only the import differs from the tutorial's code.

    python examples/nn_polynomial.py
    AGRAD_BACKEND=dask python examples/nn_polynomial.py --steps 300
"""

import argparse
import math

import agrad as torch

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--steps", type=int, default=2000)
args = parser.parse_args()

# Create Tensors to hold input and outputs.
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

# The output y is a linear function of (x, x^2, x^3): prepare the tensor (x, x^2, x^3).
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)

# The Linear module computes the output from the input with its weight and bias; Flatten turns
# the (2000, 1) output into a 1-D tensor to match the shape of y.
model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1)
)
print(model)
loss_fn = torch.nn.MSELoss(reduction="sum")

learning_rate = 1e-3
optimizer = torch.optim.RMSprop(model.parameters(), lr=learning_rate)
for t in range(args.steps):
    # Forward pass: compute predicted y by passing x to the model.
    y_pred = model(xx)

    # Compute and print loss.
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())

    # Zero the gradients, backpropagate, and let the optimizer update the weights.
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

linear_layer = model[0]
print(f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + "
      f"{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3")
