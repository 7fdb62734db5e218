"""A small classifier: three Gaussian blobs in the plane, an MLP (`nn.Sequential` of Linear,
ReLU, Linear), `nn.CrossEntropyLoss` and `optim.Adam`, fed by a `DataLoader` over a
`TensorDataset`. It prints the epoch losses, the final accuracy and the model's state_dict
layout. Only the imports differ from the same program written for PyTorch.

    python examples/nn_classifier.py
    AGRAD_BACKEND=dask python examples/nn_classifier.py --epochs 5
"""

import argparse

import agrad as torch
from agrad.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()

# Three blobs of 100 points each, centred at (-2, 0), (2, 0) and (0, 3), labelled 0, 1, 2.
centres = torch.tensor([[-2.0, 0.0], [2.0, 0.0], [0.0, 3.0]])
labels = torch.arange(3).repeat_interleave(100)
points = centres[labels] + torch.randn(300, 2)

loader = DataLoader(TensorDataset(points, labels), batch_size=50)

model = torch.nn.Sequential(
    torch.nn.Linear(2, 16),
    torch.nn.ReLU(),
    torch.nn.Linear(16, 3),
)
loss_fn = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

for epoch in range(args.epochs):
    total = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    if epoch % 5 == 4 or epoch == 0:
        print(f"epoch {epoch + 1:3d}  loss {total / len(points):.4f}")

with torch.no_grad():
    predicted = model(points).argmax(dim=1)
accuracy = (predicted == labels).float().mean().item()
print(f"accuracy {accuracy:.3f}")
print({name: tuple(t.shape) for name, t in model.state_dict().items()})
