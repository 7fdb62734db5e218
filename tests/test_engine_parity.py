"""The autograd engine and hooks against PyTorch: the differential fuzzer's findings of issue 8
(/work/fuzz-report.md, section A), each reproducer run verbatim under agrad and under torch.

Each case is PyTorch source run in two namespaces (`torch` bound to agrad, then to torch) and
an expression whose value (tensors as values, dtype, requires_grad; errors as type and
message) must be the same in both."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from _oracle import gc, ggc, torch

import agrad


def _functions(lib):
    """The custom Functions the reproducers use, written against `lib` (agrad or torch)."""

    class ExpPair(lib.autograd.Function):
        """Two outputs, both saved: exp(x) and exp(2x)."""

        @staticmethod
        def forward(ctx, x):
            a, b = x.exp(), (2 * x).exp()
            ctx.save_for_backward(a, b)
            return a, b

        @staticmethod
        def backward(ctx, ga, gb):
            a, b = ctx.saved_tensors
            return ga * a + gb * 2 * b

    class Triple_(lib.autograd.Function):
        """x *= 3 in place (mark_dirty)."""

        @staticmethod
        def forward(ctx, x):
            x.mul_(3)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    return {"ExpPair": ExpPair, "Triple_": Triple_}


def _norm(v):
    """A value both libraries can be compared by."""
    if isinstance(v, (torch.Tensor, agrad.Tensor)):
        flat = np.round(np.asarray(v.detach().tolist(), dtype=float), 6).ravel().tolist()
        return ("tensor", ["nan" if x != x else x for x in flat], str(v.dtype),
                tuple(v.shape), v.requires_grad)
    if isinstance(v, (tuple, list)):
        return type(v).__name__, [_norm(x) for x in v]
    return v


def _run(lib, src, shown):
    ns = {"torch": lib, "log": [], "__builtins__": __builtins__}
    ns.update(_functions(lib))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's about create_graph and reference cycles
            exec(src, ns)  # noqa: S102 - the reproducer, the same text for both libraries
        return _norm(eval(shown, ns))  # noqa: S307
    except Exception as e:  # noqa: BLE001 - what is raised is what is compared
        # a backend's tensor type in a message (torch.cpu_wb.DoubleTensor) is PyTorch's
        return type(e).__name__, re.sub(r"torch\.\w+\.(\w+Tensor)", r"torch.\1", str(e))


CASES = {
    "8.2 two-output Function saving outputs, double backward": ("""
x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
a, b = ExpPair.apply(x)
(g,) = torch.autograd.grad((a + b).sum(), [x], create_graph=True)
g.sum().backward()
""", "(g, x.grad)"),
    "8.2 second output alone": ("""
x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
a, b = ExpPair.apply(x)
(g,) = torch.autograd.grad((b * 3).sum(), [x], create_graph=True)
g.sum().backward()
""", "(g, x.grad)"),
    "8.3 write after an output-saving in-place op": ("""
x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
y = x * 1
y.tanh_()
y.add_(1)
y.sum().backward()
""", "x.grad"),
    "8.3 write through a view after exp_": ("""
x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
y = x * 1
y.exp_()
y[:1].mul_(2)
y.sum().backward()
""", "x.grad"),
    "8.3 output-saving in-place op, no later write": ("""
x = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
y = x * 1
y.sigmoid_()
y.sum().backward()
""", "x.grad"),
    "8.1 hook on a dropped non-leaf": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.register_hook(lambda g: g * 10)
z = y * 3
del y
z.sum().backward()
""", "x.grad"),
    "8.1 hook on a rebound name": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.register_hook(lambda g: g * 10)
y = y * 3
y.sum().backward()
""", "x.grad"),
    "F1 hooks before and after an in-place op": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 1
y.register_hook(lambda g: g * 2)
y.mul_(3)
y.register_hook(lambda g: g * 5)
y.backward(torch.ones(2))
""", "x.grad"),
    "F1 hooks across an in-place op, logged": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 1
y.register_hook(lambda g: log.append(('a', g)))
y.add_(1)
y.register_hook(lambda g: log.append(('b', g)))
(y * 4).sum().backward()
""", "log"),
    "F2 retain_grad then in-place": ("""
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 1
y.retain_grad()
y.mul_(3)
y.backward(torch.ones(3))
""", "(y.grad, x.grad)"),
    "F2 retain_grad then in-place through a view": ("""
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 1
y.retain_grad()
y[:2].mul_(3)
(y * 2).sum().backward()
""", "(y.grad, x.grad)"),
    "F3a backward(inputs=[non-leaf]) with retain_grad": ("""
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 1
y.retain_grad()
(y * 2).backward(torch.ones(3), inputs=[y])
""", "(y.grad, x.grad)"),
    "F3b backward(inputs=[non-leaf]) retains its grad later": ("""
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 1
z = y * 2
z.backward(torch.ones(3), inputs=[y], retain_graph=True)
z.backward(torch.ones(3))
""", "(y.grad, y.retains_grad, x.grad)"),
    "F4 a retained .grad is replaced": ("""
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 1
y.retain_grad()
y.backward(torch.ones(3), retain_graph=True)
g = y.grad
y.backward(torch.ones(3))
""", "(g, g is y.grad, y.grad)"),
    "F7 autograd.grad of a hooked non-leaf whose node runs": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.register_hook(lambda g: g * 10)
gx, gy = torch.autograd.grad((y * 3).sum(), [x, y])
""", "(gx, gy)"),
    "F7 autograd.grad of a hooked non-leaf alone": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
y.register_hook(lambda g: g * 10)
(gy,) = torch.autograd.grad((y * 3).sum(), [y])
""", "gy"),
    "F7 autograd.grad of a hooked leaf": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
x.register_hook(lambda g: g * 10)
(gx,) = torch.autograd.grad((x * 3).sum(), [x])
""", "(gx, x.grad)"),
    "F8a autograd.grad and a retaining tensor off the path": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor(3.0, requires_grad=True)
y = x * 2
y.retain_grad()
z = y * w
torch.autograd.grad(z.sum(), [w])
""", "(y.grad, x.grad, w.grad)"),
    "F8b autograd.grad and a hook off the path": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor(3.0, requires_grad=True)
y = x * 2
y.register_hook(lambda g: log.append(g))
z = y * w
torch.autograd.grad(z.sum(), [w])
""", "log"),
    "F8 backward(inputs=) and a hook off the path": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor(3.0, requires_grad=True)
y = x * 2
y.register_hook(lambda g: log.append(g))
y.retain_grad()
z = y * w
z.sum().backward(inputs=[w])
""", "(log, y.grad, x.grad, w.grad)"),
    "F9 autograd.grad calls the hooks of a leaf output": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
w = torch.tensor([1.0], requires_grad=True)
x.register_hook(lambda g: log.append(g))
r = torch.autograd.grad(x, [w], torch.ones(2), allow_unused=True)
""", "(log, r)"),
    "F10 hook of an unused multi-output sibling": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
a, b = ExpPair.apply(x)
b.register_hook(lambda g: log.append(g))
a.sum().backward()
""", "(log, x.grad)"),
    "F10 a hook returning a value for None": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
a, b = ExpPair.apply(x)
b.register_hook(lambda g: torch.ones(2))
a.sum().backward()
""", "x.grad"),
    "F11 requires_grad_(False) after the graph was built": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 2).sum()
x.requires_grad_(False)
y.backward()
""", "x.grad"),
    "F15a .grad after create_graph": ("""
x = torch.tensor([[0.5, 2.0]], requires_grad=True)
x.sum().backward(create_graph=True)
""", "(x.grad, x.grad.stride(), x.grad.grad_fn is None)"),
    "F15b then a plain backward accumulates": ("""
x = torch.tensor([[0.5, 2.0]], requires_grad=True)
x.sum().backward(create_graph=True)
x.sum().backward()
""", "x.grad"),
    "F15 create_graph .grad of a non-leaf gradient": ("""
x = torch.tensor([0.5, 2.0], requires_grad=True)
(x * x).sum().backward(create_graph=True)
g = x.grad
g.sum().backward()
""", "(g, x.grad, type(g.grad_fn).__name__)"),
    "F16 failed backward: partial accumulation": ("""
a = torch.tensor([1.0], requires_grad=True)
b = torch.tensor([1.0, 2.0], requires_grad=True)
p = b.prod(0, keepdim=True)
p.mul_(2)
try:
    (a * 2 + p).sum().backward()
except RuntimeError:
    pass
""", "(a.grad, b.grad)"),
    "F17 backward accumulating into a .grad its graph saved": ("""
x = torch.tensor([-0.75], dtype=torch.float64, requires_grad=True)
w = torch.tensor([0.75, 1.0, 0.0, 1.75], dtype=torch.float64, requires_grad=True)
v = x[...]
v.backward(torch.tensor([0.75], dtype=torch.float64))
g = x.grad
m = torch.minimum(w, g)
m.copy_(v)
m.backward(torch.tensor([1.5, -2.0, 1.25, 1.0], dtype=torch.float64), retain_graph=True)
""", "(x.grad, w.grad)"),
    "F13 std gradient where std is 0": ("""
x = torch.tensor([1.0, 1.0, 1.0], dtype=torch.float64, requires_grad=True)
x.std().backward()
""", "x.grad"),
    "F14b max over a nan": ("""
x = torch.tensor([[1.75]], dtype=torch.float64, requires_grad=True)
v = x.var(-1)
v.retain_grad()
v.max().backward()
""", "(v.grad, x.grad)"),
    "F14b max, min, amax, relu at nans": ("""
nan = float("nan")
for f in [lambda x: x.relu(), lambda x: x.max(), lambda x: x.min(), lambda x: x.amax(0),
          lambda x: x.max(0).values]:
    x = torch.tensor([nan, 1.0, -1.0, 0.0, nan], requires_grad=True)
    y = f(x)
    y.backward(torch.full(y.shape, 2.0) if y.ndim else None)
    log.append(x.grad)
x = torch.tensor([-1.0, 2.0], requires_grad=True)
x.relu().backward(torch.tensor([float("inf"), 1.0]))
log.append(x.grad)
""", "log"),
    "F20 max(dim) indices modified in place": ("""
x = torch.tensor([[1.0, 3.0], [4.0, 2.0]], requires_grad=True)
v, i = x.max(1)
i.sub_(1)
v.sum().backward()
""", "x.grad"),
    "F21 s / x and a later write into x": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = 2.0 / x
with torch.no_grad():
    x.mul_(2)
y.sum().backward()
""", "(x.grad, type(y.grad_fn).__name__)"),
    "F22a second backward through a freed max(dim)": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.max(0).values
y.backward()
y.backward()
""", "x.grad"),
    "F22b second backward through sub_(alpha=)": ("""
w = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.zeros(2)
x.sub_(w, alpha=-0.5)
x.sum().backward()
x.sum().backward()
""", "w.grad"),
    "F22 second backward through CopySlices of a fill": ("""
t1 = torch.tensor([[-1.0, -1.0, -1.0]], dtype=torch.float64, requires_grad=True)
t7 = t1.clone()
t7[1:, :] = 1.5
t7.backward(torch.tensor([[0.75, 1.0, 1.0]], dtype=torch.float64))
t7.backward(torch.tensor([[-1.0, 0.25, -1.75]], dtype=torch.float64))
""", "t1.grad"),
    "F22 CopySlices retained for a second pass": ("""
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y[1:] = 0.5
y.sum().backward(retain_graph=True)
y.sum().backward()
""", "x.grad"),
    "prod of an empty tensor": ("""
t1 = torch.zeros((3, 0, 2), dtype=torch.float64, requires_grad=True)
t1.prod().backward()
t1.prod(1).sum().backward()
""", "t1.grad"),
    "F20-like: an index tensor written after index_put": ("""
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 1
i = torch.tensor([0, 2])
y[i] = torch.tensor([5.0, 6.0])
i[0] = 1
y.sum().backward()
""", "x.grad"),
    "F22 second pass through index_put": ("""
t0 = torch.tensor([0.5, -0.75], dtype=torch.float64, requires_grad=True)
t2 = t0 - -1
t2[torch.tensor([1])] = -1
t3 = torch.sin(t2)
t2.sum().backward()
t3.backward(torch.tensor([1.25, -2.0], dtype=torch.float64), inputs=[t0, t3])
""", "t0.grad"),
    "in place with a wider operand: its gradient in its dtype": ("""
x = torch.tensor([-0.25], dtype=torch.float32, requires_grad=True)
w = torch.tensor([1.75], dtype=torch.float64, requires_grad=True)
y = x * 1
y *= w
y.sum().backward()
d = x.data
d *= w
d.sum().backward()
""", "(w.grad, x.grad, str(w.grad.dtype), str(x.grad.dtype))"),
    "F23 mark_dirty on a view of a leaf requiring grad": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    y = Triple_.apply(x[:1])
except RuntimeError as e:
    log.append(str(e))
""", "(log, x.is_leaf)"),
    "mark_dirty resets a retained .grad": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.tanh()
y.retain_grad()
y.sum().backward(retain_graph=True)
z = Triple_.apply(y)
""", "(z is y, y.grad, y.retains_grad)"),
    "F34 a write between create_graph and the second backward": ("""
x = torch.tensor([1.0, -2.0], dtype=torch.float64)
y = torch.tensor([0.75], dtype=torch.float64, requires_grad=True)
(x / y).backward(torch.ones(2, dtype=torch.float64), create_graph=True)
g = y.grad
with torch.no_grad():
    x.mul_(2)
g.backward()
""", "y.grad"),
    "F34 double backward of x / y": ("""
x = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
y = torch.tensor([0.75, 1.5], dtype=torch.float64, requires_grad=True)
gx, gy = torch.autograd.grad((x / y).sum(), [x, y], create_graph=True)
(gx * gy).sum().backward()
""", "(gx, gy, x.grad, y.grad)"),
    "engine order: the node made last runs first": ("""
x = torch.tensor([1.0, 2.0], requires_grad=True)
a = x * 2
b = x * 3
a.register_hook(lambda g: log.append('a'))
b.register_hook(lambda g: log.append('b'))
x.register_hook(lambda g: log.append('x'))
(a + b).sum().backward()
""", "log"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_engine_matches_pytorch(case):
    src, shown = CASES[case]
    want = _run(torch, src, shown)
    got = _run(agrad, src, shown)
    assert got == want, f"agrad: {got}\ntorch: {want}"


def test_two_output_function_gradcheck():
    """8.2: both outputs saved, the second's double-backward gradient routed to it."""
    ExpPair = _functions(agrad)["ExpPair"]
    x = agrad.tensor([0.5, -1.0, 0.25], dtype=agrad.float64, requires_grad=True)

    def f(x):
        a, b = ExpPair.apply(x)
        return a * 2 + b

    assert gc(f, (x,))
    assert ggc(f, (x,))


def test_div_double_backward_gradcheck():
    """F34: the divisor's gradient written as PyTorch's -g * ((a / b) / b)."""
    a = agrad.tensor([1.0, -2.0, 0.5], dtype=agrad.float64, requires_grad=True)
    b = agrad.tensor([0.75, 1.5, -2.0], dtype=agrad.float64, requires_grad=True)
    assert gc(lambda a, b: a / b, (a, b))
    assert ggc(lambda a, b: a / b, (a, b))


def test_sequence_nr_orders_nodes_as_made():
    x = agrad.tensor([1.0], requires_grad=True)
    a = x * 2
    b = a + 1
    assert b.grad_fn._sequence_nr() > a.grad_fn._sequence_nr()
