"""The seeds' autograd tour (requires_grad, grad_fn, backward with a gradient, Variable, .data,
vector-Jacobian products, dynamic control flow, no_grad), with `import agrad as torch`.

    python examples/seed_autograd.py
    AGRAD_BACKEND=dask python examples/seed_autograd.py
"""

import agrad as torch
from agrad.autograd import Variable

torch.manual_seed(0)


def section(title):
    print(f"\n=== {title}")


section("Variable: data, grad, grad_fn")
a = torch.ones(2, 2)
a = Variable(a, requires_grad=True)
print(a)
print("----a.data-----")
print(a.data)
print("----a.grad-----")
print(a.grad)
print("----a.grad_fn----")
print(a.grad_fn)

b = a + 2
c = b**2
out = c.sum()
print(out)
out.backward()  # d(out)/da
print("---after a.grad----")
print(a.grad)
print(a.grad_fn)  # None: a was created by the user
print(b.grad_fn)
print(c.grad_fn)
print(out.grad_fn)

section("backward(gradient)")
x = torch.ones(3)
x = Variable(x, requires_grad=True)
y = x**2
z = y * 3
print(z)
grad = torch.Tensor([0.1, 1, 10])
z.backward(grad)
print("---x.data----")
print(x.data)
print("---x.grad----")
print(x.grad)  # 6 * grad
print("---x.grad_fn----")
print(x.grad_fn)

section("requires_grad=True at creation")
x = torch.ones(2, 2, requires_grad=True)
print(x)
y = x + 2
print(y)
print(y.grad_fn)
z = y * y * 3
out = z.mean()
print(z)
print(out)
out.backward()
print(x.grad)

section("requires_grad_() later")
a = torch.randn(2, 2)
a = (a * 3) / (a - 1)
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)

section("vector-Jacobian product, dynamic control flow")
x = torch.randn(3, requires_grad=True)
y = x * 2
n = 1
while y.data.norm() < 1000:  # the graph depends on the data
    y = y * 2
    n += 1
print(y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
print(torch.allclose(x.grad, v * 2.0**n))

section("no_grad")
print(x.requires_grad)
print((x**2).requires_grad)
with torch.no_grad():
    print((x**2).requires_grad)
print(x.detach().requires_grad)

section("scalar and vector losses")
w = torch.tensor(2.0, requires_grad=True)
y = w**2
z = 10 * y + 50
z.backward()  # dz/dw = 20 w
print(w.grad)

a = torch.tensor([2.0, 3.0], requires_grad=True)
b = torch.tensor([6.0, 4.0], requires_grad=True)
Q = 3 * a**3 - b**2
external_grad = torch.tensor([1.0, 1.0])
Q.backward(gradient=external_grad)
print(a.grad)
print(b.grad)
print(9 * a**2 == a.grad)
print(-2 * b == b.grad)
