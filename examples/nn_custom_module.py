"""The tutorial's two-layer network as a custom `nn.Module` ("PyTorch: Custom nn Modules"):
`forward` composes two `nn.Linear` layers and a ReLU; `nn.MSELoss(reduction="sum")` and
`optim.SGD` train it. Only the import differs from the tutorial's code.

(The tutorial's earlier versions had no biases; nn.Linear has them by default, and so does
this model.)

    python examples/nn_custom_module.py
    python examples/nn_custom_module.py --steps 100
"""

import argparse

import agrad as torch

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--steps", type=int, default=500)
args = parser.parse_args()


class TwoLayerNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        """Instantiate two nn.Linear modules and assign them as member variables."""
        super().__init__()
        self.linear1 = torch.nn.Linear(D_in, H)
        self.linear2 = torch.nn.Linear(H, D_out)

    def forward(self, x):
        """Accept a Tensor of input data and return a Tensor of output data, using the
        modules defined in the constructor and arbitrary operators on Tensors."""
        h_relu = self.linear1(x).clamp(min=0)
        y_pred = self.linear2(h_relu)
        return y_pred


# N is the batch size; D_in is the input dimension; H is the hidden dimension;
# D_out is the output dimension.
N, D_in, H, D_out = 64, 1000, 100, 10

# Create random Tensors to hold inputs and outputs
x = torch.randn(N, D_in)
y = torch.randn(N, D_out)

# Construct our model by instantiating the class defined above
model = TwoLayerNet(D_in, H, D_out)
print(model)

# Construct our loss function and an Optimizer. The call to model.parameters() in the SGD
# constructor will contain the learnable parameters of the two nn.Linear modules.
criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-4)
for t in range(args.steps):
    # Forward pass: Compute predicted y by passing x to the model
    y_pred = model(x)

    # Compute and print loss
    loss = criterion(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())

    # Zero gradients, perform a backward pass, and update the weights.
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
