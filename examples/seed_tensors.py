"""The seeds' tensor tour (creation, operations, views, linear algebra, NumPy bridge, devices),
as written for PyTorch, with `import agrad as torch`.

    python examples/seed_tensors.py
    AGRAD_BACKEND=dask python examples/seed_tensors.py

The NumPy-bridge section shows `.numpy()` sharing memory on the CPU backend; on Dask it is a
computed copy (as PyTorch's `.cpu().numpy()` of a CUDA tensor would be), and the output says so.
"""

import numpy as np

import agrad as torch
import agrad.nn.functional as F

torch.manual_seed(0)


def section(title):
    print(f"\n=== {title}")


section("creation")
x = torch.empty(5, 3)  # uninitialized: whatever the allocator gives
print(x.shape)
x = torch.rand(5, 3)
print(x)
x = torch.zeros(5, 3, dtype=torch.long)
print(x)
x = torch.tensor([5.5, 3])
print(x)
x = x.new_ones(5, 3, dtype=torch.double)  # new_* methods take in sizes
print(x)
x = torch.randn_like(x, dtype=torch.float)  # override dtype!
print(x)
print(x.size())  # torch.Size is a tuple
rows, cols = x.size()
print(rows, cols)

section("operations")
y = torch.rand(5, 3)
print(x + y)
print(torch.add(x, y))
result = torch.empty(5, 3)
torch.add(x, y, out=result)
print(result)
y.add_(x)  # in-place: the trailing underscore
print(y)
print(x[:, 1])  # NumPy-like indexing

section("resizing: view and reshape")
x = torch.randn(4, 4)
y = x.view(16)
z = x.view(-1, 8)  # -1: inferred from the other dimensions
print(x.size(), y.size(), z.size())
x = torch.randn(1)
print(x)
print(x.item())

a = torch.zeros(3, 2)
b = a.view(2, 3)  # a view shares a's memory
a.fill_(1)
print(a)
print(b)
a = torch.zeros(3, 2)
b = a.t().reshape(6)  # not contiguous: reshape copies
a.fill_(1)
print(a)
print(b)

section("squeeze, unsqueeze, flatten")
t = torch.zeros(2, 1, 3)
print(t.squeeze().shape, t.unsqueeze(0).shape, t.flatten().shape)

section("dot, mm, matmul")
n1 = np.arange(10).reshape(2, 5)
t1 = torch.FloatTensor(n1)
print(t1)
n2 = np.arange(10).reshape(5, 2)
t2 = torch.FloatTensor(n2)
print(t2)
print(t1.mm(t2))
try:
    t1.dot(t2)
except RuntimeError as e:
    print("t1.dot(t2): RuntimeError:", e)
a = torch.rand(10)
b = torch.rand(10)
print(a.dot(b))
try:
    a.mm(b)
except RuntimeError as e:
    print("a.mm(b): RuntimeError:", e)
a = torch.rand(5, 2, 3)  # 5 is the batch
b = torch.rand(3)
try:
    a.mm(b)
except RuntimeError as e:
    print("a.mm(b): RuntimeError:", e)
print(a.matmul(b))  # broadcasts over the batch
print(torch.eye(3))
print(torch.diag(torch.tensor([1.0, 2.0, 3.0])))

section("reductions")
x = torch.randn(3, 4)
values, indices = x.max(dim=1)
print(values, indices)
print(x.min(), x.mean(), x.sum(), x.norm())
print(torch.isnan(torch.tensor([1.0, float("nan")])))

section("NumPy bridge")
n_arr = np.arange(10).reshape(2, 5)
print(n_arr)
print("n_dim", n_arr.ndim, "shape", n_arr.shape)
t_arr = torch.FloatTensor(n_arr)
print(t_arr)
print("n_dim", t_arr.ndim, "shape", t_arr.shape)
data = [[1, 2], [3, 4]]
print(torch.tensor(data))
print(torch.from_numpy(np.array(data)))

a = torch.ones(5)
b = a.numpy()
a.add_(1)
print(a)
# On the CPU (NumPy) backend b shares a's memory and shows the add; on a lazy backend (Dask)
# .numpy() computes a copy, like PyTorch's .cpu().numpy() of a CUDA tensor.
print(b, "(b saw a.add_(1): shared memory)" if b[0] == 2 else "(b is a copy)")

a = np.ones(5)
b = torch.from_numpy(a)
np.add(a, 1, out=a)
print(a)
print(b)

section("nn.functional")
tensor = torch.FloatTensor([0.5, 0.7, 0.1])
print(F.softmax(tensor, dim=0))
y = torch.randint(5, (10, 5))
print(y)
print(y.argmax(dim=0))
y_label = y.argmax(dim=1)
print(y_label)
print(F.one_hot(y_label))

section("devices")
x_data = torch.tensor(data)
print(x_data.device)
print(torch.cuda.is_available())
if torch.cuda.is_available():
    device = torch.device("cuda")
    x = torch.randn(5, 3)
    x = x.to(device)
    y = torch.ones_like(x, device=device)
    z = x + y
    print(z)
    print(z.to("cpu", torch.double))
