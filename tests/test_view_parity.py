"""Views, in-place writes and their autograd state as PyTorch's (issue 8, the differential
fuzzer's findings 8.4-8.7, F5, F6, F18, F19, F24-F33 in /work/fuzz-report.md): each program runs
under agrad and under PyTorch and everything it shows is compared (values, dtype, autograd
flags, grad_fn names, gradients), and when a line raises, PyTorch's exception type and words,
with every tensor left as it was."""

from __future__ import annotations

import re

import numpy as np
import pytest
from _oracle import gc, ggc, torch, vals

import agrad


def _plain(x):
    """A comparable form of what a program shows: tensors by dtype, shape, values and autograd
    flags; tuples and lists element by element."""
    if isinstance(x, (agrad.Tensor, torch.Tensor)):
        return ("tensor", str(x.dtype), tuple(x.shape), vals(x).round(9).tolist(),
                x.requires_grad)
    if isinstance(x, (tuple, list)):
        return tuple(_plain(e) for e in x)
    return x


def _run(mod, code: str, show: str):
    """Run `code` with `torch` bound to mod; (what `show` evaluates to, or the error, and the
    values of every tensor the program left)."""
    ns = {"torch": mod}
    try:
        exec(code, ns)
        shown = _plain(eval(show, ns))
    except Exception as e:  # noqa: BLE001 - what is raised is what is compared
        # (a tensor type names the test backends' devices: torch.dask.FloatTensor)
        shown = (type(e).__name__, re.sub(r"torch\.(cpu_wb|strict|dask)\.", "torch.", str(e)))
    left = {k: vals(v).tolist() for k, v in ns.items()
            if isinstance(v, (agrad.Tensor, torch.Tensor))}
    return shown, left


def same_program(code: str, show: str) -> None:
    want = _run(torch, code, show)
    got = _run(agrad, code, show)
    assert got == want, f"agrad: {got}\ntorch: {want}"


GRAD_FN = "type({0}.grad_fn).__name__ if {0}.grad_fn is not None else None"

# -- F5: a view requires grad through its base -------------------------------------------------

VIEWS_FOLLOW_BASE = {
    "requires_grad_ on the base": (
        "x = torch.zeros(3, dtype=torch.float64)\nv = x[:2]\nx.requires_grad_()",
        f"v.requires_grad, v.is_leaf, {GRAD_FN.format('v')}"),
    "and off again": (
        "x = torch.zeros(3, dtype=torch.float64)\nv = x[:2]\nx.requires_grad_()\n"
        "x.requires_grad_(False)", "v.requires_grad, v.is_leaf"),
    "no gradient through a view made before": (
        "x = torch.zeros(3, dtype=torch.float64)\nv = x[:2]\nx.requires_grad_()\n"
        "(v * 3).sum().backward()", "x.grad"),
    "the base written with a value requiring grad": (
        "x = torch.zeros(3, dtype=torch.float64)\nv = x[:2]\n"
        "w = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)\nx.add_(w)\n"
        "(v * 3).sum().backward()", f"w.grad, v.is_leaf, {GRAD_FN.format('v')}"),
    "another view written": (
        "x = torch.zeros(2, 3, dtype=torch.float64)\na = x[0]\nb = x[:, 1]\n"
        "w = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)\nb.mul_(w)\n"
        "b.copy_(w)\n(a * a).sum().backward()", "w.grad, a.requires_grad, x.requires_grad"),
    "a view of a view made under no_grad": (
        "x = torch.zeros(3, dtype=torch.float64)\nx.requires_grad_()\n"
        "with torch.no_grad():\n    v = x[1:]\n", "v.requires_grad, v.is_leaf"),
}


@pytest.mark.parametrize("case", VIEWS_FOLLOW_BASE)
def test_views_follow_their_base(case):
    same_program(*VIEWS_FOLLOW_BASE[case])


def test_view_of_base_written_with_grad_gradcheck():
    """The gradient reaching w through a view made before the base took w's history."""
    def f(w):
        x = agrad.zeros(3, 2, dtype=agrad.float64)
        v = x[1:]
        x.add_(w)
        return (v * v).sum(0)
    w = agrad.tensor([0.5, -1.25], dtype=agrad.float64, requires_grad=True)
    assert gc(f, (w,))


# -- F6: detach() of a view is no view for autograd ---------------------------------------------

DETACHED_VIEW = {
    "made a leaf after the base was written": (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = x * 1\nv = y[:2]\n"
        "y.mul_(2)\nd = v.detach().requires_grad_()", f"d.is_leaf, {GRAD_FN.format('d')}, d"),
    "written with a value requiring grad": (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "w = torch.tensor(5.0, requires_grad=True)\ny = x * 1\nd = y[:1].detach()\nd.copy_(w)\n"
        "y.sum().backward()", f"x.grad, w.grad, y, {GRAD_FN.format('d')}, d._base is None"),
    "views of it": (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = x * 1\n"
        "d = y[1:].detach()\ne = d[:1]\nw = torch.tensor([4.0], requires_grad=True)\n"
        "e.mul_(w)\nd.sum().backward()", f"w.grad, y, e._base is d, {GRAD_FN.format('d')}"),
    "data of a view": (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x * 1\nd = y[:1].data\n"
        "d.add_(1)\ny.sum().backward()", "x.grad, y, d._base is None, d.stride()"),
}


@pytest.mark.parametrize("case", DETACHED_VIEW)
def test_detach_of_a_view(case):
    same_program(*DETACHED_VIEW[case])


# -- 8.7c, F32: in-place on leaves and views of leaves -----------------------------------------

LEAF_WRITES = {
    "a view made a leaf requiring grad": (
        "base = torch.zeros(3, dtype=torch.float64)\nv = base[:2]\nv.requires_grad_()\n"
        "v.add_(1)", "base, v"),
    "a view of a leaf requiring grad": (
        "x = torch.zeros(3, requires_grad=True)\nx[:2].add_(1)", "x"),
    "setitem on a leaf": ("x = torch.tensor([1.0, 2.0], requires_grad=True)\nx[:] = 3", "x"),
    "setitem with ... on a leaf": (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\nx[...] = 3", "x"),
    "mask assignment into a 0-d leaf": (
        "x = torch.tensor(1.0, requires_grad=True)\nx[x > 0] = 3", "x"),
    "mask assignment into a leaf": (
        "x = torch.tensor([1.0, -1.0], requires_grad=True)\nx[x > 0] = 3", "x"),
    "index assignment into a leaf": (
        "x = torch.tensor([1.0, -1.0], requires_grad=True)\nx[torch.tensor([0])] = 3", "x"),
}


@pytest.mark.parametrize("case", LEAF_WRITES)
def test_writes_into_leaves(case):
    same_program(*LEAF_WRITES[case])


# -- F18: split / chunk / unbind outputs are one node's views --------------------------------------

MULTI_OUTPUT = {
    "in-place on a split output": (
        "x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)\na, b = (x * 1).split(2)\n"
        "a.mul_(2)", "a"),
    "the base written, then grad_fn read": (
        "x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)\ny = x * 1\n"
        "a, b = y.split(2)\ny.mul_(2)", GRAD_FN.format("a")),
    "the base written, then used": (
        "x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)\ny = x * 1\n"
        "a, b = y.split(2)\ny.mul_(2)\nc = a * 2", "c"),
    "unbind output written": (
        "x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n"
        "a, b = (x * 1).unbind(1)\nb.add_(1)", "b"),
    "chunk output written through its view": (
        "x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)\n"
        "a, b = (x * 1).chunk(2)\na[0] = 5", "a"),
    "split_with_sizes": (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\na, b = (x * 1).split([1, 2])\n"
        "b.zero_()", f"b, {GRAD_FN.format('a')}"),
    "under no_grad it may be written": (
        "x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)\ny = x * 1\n"
        "a, b = y.split(2)\nwith torch.no_grad():\n    a.mul_(2)\n", "a, y"),
    "without grad it may be written": (
        "x = torch.tensor([1.0, 2.0, 3.0, 4.0])\na, b = x.split(2)\na.mul_(2)\n"
        "y = x.split(3)", f"a, x, {GRAD_FN.format('b')}"),
    "names and gradients": (
        "x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)\n"
        "a, b = x.split([2, 1], 1)\nc, d = x.unbind()\ne, f = x.chunk(2, 1)\n"
        "(a.sum() * 2 + d.sum() * 3 + f.sum()).backward()",
        f"x.grad, {GRAD_FN.format('a')}, {GRAD_FN.format('c')}, {GRAD_FN.format('e')}, "
        f"b._base is x, a._version"),
    "one piece used": (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\na, b, c = x.unbind()\n"
        "(b * 4).backward()", "x.grad"),
    "chunk of an empty dim": ("x = torch.zeros(0)", "len(x.chunk(3)), x.chunk(3)[2].shape"),
    "chunk with fewer pieces": ("x = torch.arange(5.0)", "x.chunk(4)"),
}


@pytest.mark.parametrize("case", MULTI_OUTPUT)
def test_multi_output_views(case):
    same_program(*MULTI_OUTPUT[case])


def test_multi_output_views_gradcheck():
    def f(x):
        a, b = x.split([1, 2], 1)
        c, d, _ = x.unbind(0)
        e, f_ = x.chunk(2, 1)
        return a.sum(1) * c[0] + b.prod(1) + d * e[:, 0] + f_.sum(1)
    x = agrad.tensor(np.linspace(-1.5, 1.25, 9).reshape(3, 3), dtype=agrad.float64,
                     requires_grad=True)
    assert gc(f, (x,))


# -- F19: operands overlapping the written tensor -------------------------------------------------

ALIASED = {
    "index assignment of itself": (
        "x = torch.tensor([1.0, 2.0, 3.0])\nx[torch.tensor([2, 0, 1])] = x", "x"),
    "a partially overlapping operand": (
        "x = torch.tensor([[1.0, 2.0]])\nx /= x.diagonal()", "x"),
    "a mask aliasing the target": (
        "x = torch.tensor([True, False, True])\nx[x.detach()] = torch.tensor([False, False])",
        "x"),
    "a mask aliasing the target, filled with a number": (
        "x = torch.tensor([True, False, True])\nx[x.detach()] = False", "x"),
    "itself, fully": ("x = torch.tensor([1.0, 2.0])\nx.mul_(x)\nx.copy_(x)\nx += x", "x"),
    "shifted": ("x = torch.arange(4.0)\nx[1:].add_(x[:3])", "x"),
    "disjoint halves": ("x = torch.arange(4.0)\nx[2:].copy_(x[:2])", "x"),
    "a transposed alias": ("x = torch.ones(2, 2)\nx.add_(x.t())", "x"),
    "an empty alias": ("x = torch.ones(3)\nx[:0].add_(x[1:1])", "x"),
    "index values and indices": (
        "x = torch.tensor([0, 1, 2])\nx[x] = torch.tensor([5, 6, 7])", "x"),
    "a one-element value under a mask, of another dtype": (
        "x = torch.tensor([1.0, 2.0])\n"
        "x[torch.tensor([True, False])] = torch.tensor([5.0], dtype=torch.float64)", "x"),
    "a value with a leading unit dim under a mask": (
        "x = torch.zeros(4, 1)\nx[x > -1] = torch.tensor([[1.0, 2.0, 3.0, 4.0]])", "x"),
    "an index with a value of another dtype": (
        "x = torch.tensor([1.0, 2.0])\n"
        "x[torch.tensor([0])] = torch.tensor([5.0], dtype=torch.float64)", "x"),
    "the leaf checked before the value": (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "x[torch.tensor([0, 1])] = torch.tensor([5, 6])", "x"),
    "too many indices before the leaf": (
        "x = torch.tensor(0.5, requires_grad=True)\nx[torch.tensor([0])] = 1.0", "x"),
}


@pytest.mark.parametrize("case", ALIASED)
def test_aliased_operands(case):
    same_program(*ALIASED[case])


# -- 8.5, setitem as PyTorch's set_item: fills, copies and their nodes ------------------------

SETITEM = {
    "fill_ into an expanded tensor": (
        "x = torch.zeros(3, 1)\ne = x.expand(3, 4)\ne.fill_(2)\ne.zero_()\ne.fill_(3)", "x"),
    "fill_ of a tensor value into an expanded tensor": (
        "x = torch.zeros(3, 1)\ne = x.expand(3, 4)\ne.fill_(torch.tensor(2.0))", "x"),
    "a number into an expanded slice": (
        "x = torch.zeros(3, 1)\ne = x.expand(3, 4)\ne[0] = 2", "x"),
    "names of whole-tensor writes": (
        "w = torch.tensor(2.0, requires_grad=True)\nx = torch.ones(2, 3, requires_grad=True)\n"
        "a = x * 1\na[...] = 3\nb = x * 1\nb[:] = torch.ones(2, 3)\nc = x * 1\nc[:, :] = w\n"
        "d = x * 1\nd[1:] = w\ne = (x * 1)[0, 0]\ne[...] = 4.0\nf = x * 1\nf[0:2] = w\n"
        "(a.sum() + b.sum() + c.sum() + d.sum() + e + f.sum()).backward()",
        f"{GRAD_FN.format('a')}, {GRAD_FN.format('b')}, {GRAD_FN.format('c')}, "
        f"{GRAD_FN.format('d')}, {GRAD_FN.format('e')}, {GRAD_FN.format('f')}, x.grad, w.grad"),
    "mask assignment into a 0-d non-leaf": (
        "x = torch.tensor(1.0, requires_grad=True)\ny = x * 2\ny[y > 0] = 3.0\ny.backward()",
        f"{GRAD_FN.format('y')}, x.grad, y"),
    "a 0-d value into a bigger one": (
        "x = torch.zeros(2, 2)\nx[1] = torch.tensor(5.0)\nx[:, 0] = torch.tensor([[7.0, 8.0]])",
        "x"),
    "too many dims in the value": (
        "x = torch.zeros(4, 2, dtype=torch.bool)\nx[3, 0, ...] = x * x", "x"),
    "too many dims in a float value": ("x = torch.zeros(4, 2)\nx[0] = torch.ones(3, 2)", "x"),
}


@pytest.mark.parametrize("case", SETITEM)
def test_setitem_as_set_item(case):
    same_program(*SETITEM[case])


def test_setitem_gradients_gradcheck():
    def f(x, w):
        y = x * 1
        y[...] = w  # a fill with a 0-d value
        z = x * x
        z[:, 1:] = w * 2
        z[z > 1] = w
        return y + z
    x = agrad.tensor([[0.5, 1.5], [-1.25, 2.0]], dtype=agrad.float64, requires_grad=True)
    w = agrad.tensor(0.75, dtype=agrad.float64, requires_grad=True)
    assert gc(f, (x, w))


# -- layouts, names and words: F29, F31, F33, 8.7a ------------------------------------------------

WORDS = {
    "permute() without dims": ("x = torch.tensor(1.0)\ny = x.permute()", "y"),
    "permute([]) of a 0-d tensor": ("x = torch.tensor(1.0)\ny = x.permute([])", "y"),
    "transpose(-2, -1) of a 0-d tensor": ("x = torch.tensor(1.0)\ny = x.transpose(-2, -1)", "y"),
    "transpose(0, -1) of a 0-d tensor": ("x = torch.tensor(1.0)\ny = x.transpose(0, -1)", "y"),
    "movedim of a 0-d tensor": ("x = torch.tensor(1.0)\ny = x.movedim(-1, 0)", "y"),
    "movedim out of range on a 0-d tensor": ("x = torch.tensor(1.0)\ny = x.movedim(1, 0)", "y"),
    "expand's leading dims": (
        "x = torch.ones(3, 1)",
        "x.expand(1, 3, 4).stride(), x.expand(2, 1, 3, 4).stride(), "
        "x.t().expand(1, 1, 3).stride(), torch.ones(()).expand(1, 1).stride()"),
    "expand's error names the last failing dim": (
        "x = torch.zeros(3, 3, 2)\nx[:, None, 1, -1::2] = torch.zeros(3, 3)", "x"),
    "expand errors": ("x = torch.ones(3, 1)", "x.expand(2, 2, 4)"),
    "expand of a bool tensor to fewer dims": (
        "x = torch.zeros(4, 2, dtype=torch.bool)", "x.expand(3)"),
    "amax over an empty dim": ("x = torch.zeros(3, 0)", "x.amax(-1)"),
    "amin over an empty dim among others": ("x = torch.zeros(3, 0)", "x.amin((0, -1))"),
    "max(dim) over an empty dim": ("x = torch.zeros(3, 0)", "x.max(-1)"),
    "aminmax of nothing": ("x = torch.zeros(3, 0)", "x.aminmax()"),
    "view of 0 elements with -1": ("x = torch.zeros(0)", "x.view(-1, 0)"),
    "reshape of some elements with -1 and 0": ("x = torch.zeros(2)", "x.reshape(-1, 0)"),
    "index error after None": ("x = torch.zeros(0)\nx[None, 0] = 1.0", "x"),
    "index error after Nones and ints": ("x = torch.zeros(2, 3)", "x[0, None, 7]"),
    "in-place shape checked before dtype": (
        "x = torch.tensor([[1, 2], [3, 4]])\nx.div_(torch.ones(3))", "x"),
    "in-place leaf checked before bool subtraction": (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "x.sub_(torch.tensor([True, False]), alpha=-1)", "x"),
    "in-place leaf checked before shapes": (
        "x = torch.ones(4, 3, requires_grad=True)\nx.copy_(torch.ones(1, 4))", "x"),
    "names of slices": (
        "x = torch.ones(2, 3, requires_grad=True)",
        ", ".join(GRAD_FN.format(k) for k in (
            "x[:]", "x[0:2]", "x[:, :]", "x[:, 1:]", "x[None, 0:2]", "x.narrow(0, 0, 2)",
            "x.narrow(1, 0, 3)", "x[::1]", "x[..., :]", "x[0, :]"))),
    "names of reductions of a 0-d tensor over a dim": (
        "x = torch.tensor(2.0, requires_grad=True)\ny = x.prod(0)\n"
        "(x.sum(0) + x.mean(0) + y + x.sum(()) + x.prod(0, keepdim=True)).backward()",
        f"{GRAD_FN.format('x.sum(0)')}, {GRAD_FN.format('x.mean(0)')}, "
        f"{GRAD_FN.format('y')}, x.grad"),
    "prod(dim) saves its result": (
        "x = torch.tensor([[1.0, 2.0]], requires_grad=True)\ny = x.prod(1)\ny.add_(1)\n"
        "y.sum().backward()", "x.grad"),
    "prod saves its result": (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x.prod()\ny.mul_(2)\n"
        "y.backward()", "x.grad"),
}


@pytest.mark.parametrize("case", WORDS)
def test_layouts_names_and_words(case):
    same_program(*WORDS[case])


def test_prod_over_a_dim_of_0d_gradcheck():
    x = agrad.tensor(0.75, dtype=agrad.float64, requires_grad=True)
    assert gc(lambda x: x.prod(0) * x.sum(0) + x.mean(0, keepdim=True), (x,))


MORE = {
    "copy_ of itself into an expanded tensor": (
        "x = torch.zeros(1)\ne = x.expand(3)\ne.copy_(x.expand(3))\ne.copy_(e)", "x"),
    "setitem of its own elements into an expanded tensor": (
        "x = torch.tensor(0.5)\ne = x.expand(2, 3)\nd = e.detach()\nd[...] = x.reshape(1)", "x"),
    "an expanded target refused before dtypes": (
        "x = torch.tensor([[2]])\ne = x.expand(1, 3, -1)\nwith torch.no_grad():\n"
        "    e.sigmoid_()", "x"),
    "a partial overlap in a composite in-place op": (
        "x = torch.tensor([-1.5])\nd = x.detach()\nu = x.unsqueeze(-1)\nu.div_(d)", "x"),
    "the output shape before the dtype": (
        "x = torch.tensor(True)\nx.div_(torch.tensor([[2, 1, -2, 1]]))", "x"),
    "a 0-d mask is an integer index": (
        "x = torch.tensor(-0.25, dtype=torch.float64, requires_grad=True)\n"
        "y = x.max(0, keepdim=True)[0]\ny[y > 0.5] = torch.tensor(3)", "y"),
    "index errors name the position in the key": (
        "x = torch.zeros(3, 2, 0)\ny = torch.zeros(3, 2, 4)",
        "x[..., -2]"),
    "index errors name the position in the key (set)": (
        "y = torch.zeros(3, 2, 4)\ny[0, ..., 5] = 1.0", "y"),
    "a slice from -size is a view": (
        "x = torch.zeros(3, requires_grad=True)\nx[-3:] = 1.0", "x"),
    "a slice past the end is the tensor": (
        "x = torch.zeros(3, requires_grad=True)\nx[0:5] = 1.0", "x"),
    "a view requiring grad through its base as backward's root": (
        "x = torch.ones(3)\nv = x[:2]\nx.requires_grad_()\nv.backward(torch.ones(2))", "x.grad"),
    "and as an input of autograd.grad": (
        "x = torch.ones(3)\nv = x[:2]\nx.requires_grad_()\ny = (x * 2).sum()\n"
        "g = torch.autograd.grad(y, [v, x], allow_unused=True)", "g"),
    "and of backward": (
        "x = torch.ones(3)\nv = x[:2]\nx.requires_grad_()\ny = (x * 2).sum()\n"
        "y.backward(inputs=[v])", "x.grad, v.grad"),
    "layout of a unary op on a contiguous tensor with unit dims": (
        "x = torch.ones(2, 4, dtype=torch.float64)\nt = x.T[-2:-1]\n"
        "y = t / torch.tensor(-0.75)\nz = torch.tanh(y)",
        "y.stride(), z.stride(), (y * 2).stride()"),
    "a view of a leaf view, rebased on a base without grad": (
        "x = torch.ones(2, 3, 4)\nv = x.movedim(2, -1)\nv.requires_grad_()\n"
        "u = v.unsqueeze(0)\nwith torch.no_grad():\n    x.mul_(2)\nu.sum().backward()",
        f"{GRAD_FN.format('u')}, u.requires_grad, u.is_leaf, v.grad"),
    "a composite in-place op checks the views its operands require grad for": (
        "x = torch.zeros((2, 0))\na, b, c = x.chunk(3, 1)\nd, e = c.unbind(-2)\n"
        "e.requires_grad_()\nd.div_(e)", "d"),
    "index assignment into an expanded tensor": (
        "x = torch.tensor([[[-1.75]]], dtype=torch.float64)\ny = x * 1\n"
        "e = y.expand(2, 1, -1, 3)\ne[torch.tensor([-1])] = -0.5\n"
        "z = x * 1\nf = z.expand(2, 3, 1, 1)\nf[torch.tensor([1]), 2] = 4.0", "y, z"),
    "mask assignment into an expanded tensor": (
        "x = torch.tensor([1.0, 2.0])\ne = x.expand(3, 2)\n"
        "e[torch.tensor([[False, True], [False, False], [False, False]])] = 7.0", "x"),
    "backward of a non-scalar root requiring grad through its base": (
        "x = torch.ones(2, 3)\nv = x.flatten()\nx.requires_grad_()\nv.backward()", "x.grad"),
    "a one-element value aliasing the target under a mask": (
        "x = torch.tensor(2)\ny = x[None]\ny[y > 0.5] = x", "x"),
    "fill_ reads the item of an aliasing value": (
        "x = torch.tensor(True)\ny = x.unsqueeze(-1)\ny[...] = x\ny.fill_(x)", "x"),
    "autograd.grad reads its outputs' edges first": (
        "x = torch.ones(2, 4, dtype=torch.float64, requires_grad=True)\n"
        "a, b, c, d = x.unbind(1)\ne = d.unbind(-1)[-1]\nf = a.unsqueeze(1)\n"
        "with torch.no_grad():\n    f.clamp_(-0.5, 1.0)\n"
        "g = torch.autograd.grad(d, [e, x], torch.ones(2, dtype=torch.float64), "
        "allow_unused=True)", "g"),
    "copies keep a dense input's strides": (
        "x = torch.ones(2, 8, dtype=torch.float64)\na = x[:1, :1]\nb = x.t()[:, :1]\n"
        "c = x[:, ::2]\nd = x[:, ::4].t()",
        "[(v.clone().stride(), v.float().stride(), v.detach().clone().stride(), "
        "v.contiguous().stride()) for v in (a, b, c, d)]"),
}


@pytest.mark.parametrize("case", MORE)
def test_more_kernel_checks(case):
    same_program(*MORE[case])


CLAMP = {
    "clamp_ of an int tensor names its C++ type": (
        "x = torch.tensor([1, 2])\nx.clamp_(min=0.5)", "x"),
    "clamp_ of a bool tensor": ("x = torch.tensor([True])\nx.clamp_(0.5, 1.5)", "x"),
    "clamp_ with tensor bounds names the legacy type": (
        "x = torch.tensor([1, 2])\nx.clamp_(max=torch.tensor(0.5))", "x"),
    "clamp_ checks the dtype before the overlap": (
        "x = torch.tensor([1])\nx.expand(2, 2).clamp_(0.5)", "x"),
    "clamp_ of an expanded tensor": ("x = torch.tensor([1])\nx.expand(2, 2).clamp_(1)", "x"),
    "an in-place operator of a composite checks overlaps": (
        "x = torch.tensor([[1.0, 2.0]])\nx /= x.diagonal()", "x"),
}


@pytest.mark.parametrize("case", CLAMP)
def test_clamp_checks(case):
    same_program(*CLAMP[case])


# -- 8.5: the backward of a write into an expanded tensor ----------------------------------------

_EXPANDED = ("x = torch.tensor([-0.25], dtype=torch.float64, requires_grad=True)\n"
             "y = x * 2\ne = y.expand(2)\n{write}\n"
             "y.backward(torch.tensor([1.5], dtype=torch.float64))")
EXPANDED_WRITE_BACKWARD = {
    # PyTorch's CopySlices copies the write's gradient into the expanded region of the base's
    # gradient, which overlaps itself: its backward refuses, and so does agrad's
    "zero_": (_EXPANDED.format(write="e.zero_()"), "x.grad"),
    "fill_": (_EXPANDED.format(write="e.fill_(2.0)"), "x.grad"),
    "mask": (_EXPANDED.format(write="e[torch.tensor([True, False])] = 3.0"), "x.grad"),
    "index": (_EXPANDED.format(write="e[torch.tensor([1])] = 3.0"), "x.grad"),
    "index_fill_": (_EXPANDED.format(write="e.index_fill_(0, torch.tensor([1]), 2.0)"), "x.grad"),
    # a basic index selects one element: no overlap in the written region, a gradient
    "basic": (_EXPANDED.format(write="e[0] = 3.0"), "x.grad"),
}


@pytest.mark.filterwarnings("ignore:Use of .* on expanded tensors is deprecated")
@pytest.mark.parametrize("case", EXPANDED_WRITE_BACKWARD)
def test_backward_through_a_write_into_an_expanded_tensor(case):
    same_program(*EXPANDED_WRITE_BACKWARD[case])


# -- a view's history regenerated through an expand: its elements' gradients add up ----------

REGENERATED_EXPAND = {
    "written under no_grad": (
        "x = torch.tensor([1.0, -0.5, 1.5], dtype=torch.float64, requires_grad=True)\n"
        "y = x * 1\ne = y.expand(2, 3)\nwith torch.no_grad():\n    y.exp_()\n"
        "e.backward(torch.arange(6, dtype=torch.float64).reshape(2, 3))", "x.grad"),
    "written with history": (
        "x = torch.tensor([1.0, -0.5, 1.5], dtype=torch.float64, requires_grad=True)\n"
        "y = (x * x).contiguous()\ne = y.expand(2, 3, 3)\ny.relu_()\n"
        "e.backward(torch.arange(18, dtype=torch.float64).reshape(2, 3, 3))",
        f"x.grad, {GRAD_FN.format('e')}"),
    "expand, then permute and slice": (
        "x = torch.tensor([[1.0], [-0.5]], dtype=torch.float64, requires_grad=True)\n"
        "y = x * 1\ne = y.expand(2, 4).t()[1:]\ny.mul_(3)\n"
        "e.backward(torch.arange(6, dtype=torch.float64).reshape(3, 2))", "x.grad"),
}


@pytest.mark.parametrize("case", REGENERATED_EXPAND)
def test_regenerated_expand_views_sum_their_gradients(case):
    same_program(*REGENERATED_EXPAND[case])


def test_regenerated_expand_view_gradcheck():
    """Gradient and second derivative through a view regenerated across an expand (the view's
    grad_fn after its base was written): was one alias's gradient, silently."""
    def f(w):
        y = w * 1
        e = y.expand(3, 2).t()[:, 1:]
        y.mul_(w)
        return e * e
    w = agrad.tensor([0.5, -1.25], dtype=agrad.float64, requires_grad=True)
    assert gc(f, (w,))
    assert ggc(f, (w,))


# -- found by the final hunts: .grad's layout, the order of checks -------------------------------

HUNT = {
    # AccumulateGrad keeps PyTorch's layout contract: a stolen or copied gradient takes the
    # leaf's strides (a transposed gradient is copied row-major for a row-major leaf)
    "grad of a transposed use": (
        "x = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)\n"
        "x.t().backward(torch.ones(2, 3))", "x.grad.stride(), x.grad.is_contiguous(), x.grad"),
    "grad of a transposed leaf": (
        "w = torch.ones(3, 2).t().requires_grad_()\n(w * 1).t().backward(torch.ones(3, 2))",
        "w.grad.stride(), w.grad"),
    "then a view of it": (
        "x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n"
        "x.t().backward(torch.ones(2, 2))\ng = x.grad.view(4)", "g"),
    # alpha is checked after the operands' shapes, as PyTorch's TensorIterator does
    "alpha after shapes": (
        "a = torch.ones(2, dtype=torch.int64)\nb = torch.ones(3, dtype=torch.int64)\n"
        "a.sub_(b, alpha=2.0)", "a"),
    "alpha with equal shapes": (
        "a = torch.ones(2, dtype=torch.int64)\na.add_(a, alpha=2.0)", "a"),
}


@pytest.mark.parametrize("case", HUNT)
def test_hunt_findings(case):
    same_program(*HUNT[case])


def test_mark_dirty_on_a_multi_output_view_is_refused_as_pytorch_refuses_it():
    code = '''
class Twice_(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x)
        return x.mul_(2)

    @staticmethod
    def backward(ctx, g):
        return 2 * g

x = torch.tensor([[0.5, 2.0], [-0.25, 1.5]], dtype=torch.float64, requires_grad=True)
v = x.unbind(1)[0].unsqueeze(0).t()
Twice_.apply(v)
'''
    same_program(code, "x")


EMPTY_REDUCTIONS = {
    # non-empty dims of an empty tensor reduced: an empty result of the reduced shape on every
    # backend (Dask computed a wrong shape, or raised for want of an identity)
    "amax": ("t = torch.zeros((0, 1, 3), dtype=torch.float64)\nr = t.amax(-2)", "r.shape, r"),
    "amin keepdim": ("t = torch.zeros((4, 4, 0))\nr = t.amin(1, keepdim=True)", "r.shape, r"),
    "min(dim)": ("t = torch.zeros((0, 2), dtype=torch.float64)\nr = t.min(1)",
                 "r.values.shape, r.indices.shape, str(r.indices.dtype)"),
    "max(dim) backward": (
        "t = torch.zeros((1, 0, 3), dtype=torch.float64, requires_grad=True)\n"
        "t.max(2).values.sum().backward()", "t.grad.shape, t.grad"),
    "bool amax": ("t = torch.zeros((0, 3), dtype=torch.bool)\nr = t.amax(1)", "r.shape, r"),
    # and an in-place operator on a view of a leaf: autograd's refusal before the bool check
    "isub bool": ("x = torch.ones(2, requires_grad=True)\nv = x[:]\nv -= torch.tensor([True])",
                  "x"),
}


@pytest.mark.parametrize("case", EMPTY_REDUCTIONS)
def test_empty_reductions_and_operator_checks(case):
    same_program(*EMPTY_REDUCTIONS[case])


def test_mark_dirty_on_a_detached_view_made_a_leaf_is_refused_as_on_a_leaf():
    """`detach()` of a view is no view for autograd: made to require grad it is a leaf, and a
    Function marking it dirty gets PyTorch's leaf error (it crashed, reading the missing base)."""
    code = '''
class Twice_(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x)
        return x.mul_(2)

    @staticmethod
    def backward(ctx, g):
        return 2 * g

x = torch.tensor([-1.0, 1.25], requires_grad=True)
d = (x.unsqueeze(1) * 1).t().detach().requires_grad_()
Twice_.apply(d)
'''
    same_program(code, "d")


# -- autograd's checks before the kernel's (fuzz seeds 1100296..1109846) ------------------------

_STALE = ("x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64, "
          "requires_grad=True)\ny = x * 1\na, b = y.split(1, 0)\n"
          "with torch.no_grad():\n    y.mul_(2)\n")
AUTOGRAD_FIRST = {
    # a stale multi-output view refuses before the arguments' and the kernel's checks
    "dim out of range": (_STALE + "a.transpose(2, -1)", "a"),
    "duplicate dims": (_STALE + "a.sum((0, 0))", "a"),
    "sub of a bool": (_STALE + "a - (b > 0)", "a"),
    "diagonal dims": (_STALE + "a.diagonal(0, 1, 1)", "a"),
    "an operator": (_STALE + "a @ torch.ones(3, dtype=torch.float64)", "a"),
    "amin of empty": ("x = torch.zeros((2, 0), dtype=torch.float64, requires_grad=True)\n"
                      "y = x * 1\na, b = y.chunk(2, 0)\nwith torch.no_grad():\n    y.mul_(2)\n"
                      "a.amin()", "a"),
    # a view made under no_grad written with grad: before the shapes are compared
    "copy_ of another shape": (
        "x = torch.ones(3, requires_grad=True)\nwith torch.no_grad():\n"
        "    a, b = torch.zeros(2, 4).unbind(0)\na.copy_(x)", "a"),
    # a meta function's refusal before the overlap check of the in-place kernel
    "neg_ of an expanded bool": (
        "t = torch.tensor([[False], [True]]).expand(2, 3)\nt.neg_()", "t"),
    "relu_ of an expanded bool": (
        "t = torch.tensor([[False], [True]]).expand(2, 3)\nt.relu_()", "t"),
    # backward unpacks mul's saved `other` first, reading its grad_fn before its version
    "backward through a stale split output": (
        "x = torch.tensor([[2.0, 1.0], [1.5, -2.0]], dtype=torch.float64, requires_grad=True)\n"
        "p = x.prod(1)\na, b = p.split(1, 0)\nq = p.squeeze(-1) * a\np /= q\n"
        "p.backward(torch.ones(2, dtype=torch.float64))", "x.grad"),
    # register_hook reads grad_fn at the first hook only
    "a second hook on a stale view": (
        _STALE.replace("with", "h = a.register_hook(lambda g: g * 2)\nwith", 1)
        + "h2 = a.register_hook(lambda g: g * 3)", "a"),
    # retain_grad on a tensor that already retains returns before reading grad_fn
    "a second retain_grad on a stale view": (
        _STALE.replace("with", "a.retain_grad()\nwith", 1) + "a.retain_grad()", "a"),
    # copy_ checks the target's memory before the shapes
    "copy_ of another shape into an expanded tensor": (
        "t = torch.zeros(1, 3).expand(4, 3)\nwith torch.no_grad():\n"
        "    t.copy_(torch.ones(3, 2, 2))", "t"),
    # x[key] = v: the indexing views of x, the value's view without its leading unit dims
    "setitem with an index out of range": (_STALE + "a[0, 5] = 1.0", "a"),
    # (an int out of range is refused before its select: no view was taken)
    "setitem at a first index out of range": (_STALE + "a[5] = 1.0", "a"),
    "setitem after an ellipsis": (_STALE + "a[..., 5] = 1.0", "a"),
    # a slice past the end of the dim is all of it: a write into the view itself
    "setitem of a slice covering the dim": (_STALE + "a[:5] = 1.0", "a"),
    "index_put of a stale view into a leaf": (
        _STALE + "w = torch.ones(2, 2, dtype=torch.float64, requires_grad=True)\n"
        "w[torch.tensor([0])] = a", "w"),
    "index_put of a stale 0-d view": (
        "x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True) * 1\n"
        "a, b = x.unbind(0)\nwith torch.no_grad():\n    x.mul_(2)\n"
        "y = torch.zeros(3)\ny[torch.tensor([0, 2])] = b", "y"),
    # a value of the target's shape is copied as it is: the write's own check comes first
    "a stale value of the target's shape": (
        _STALE + "w = torch.ones(2, 2, dtype=torch.float64, requires_grad=True)\n"
        "w[None, 1] = a", "w"),
    # backward(inputs=) that does not need the base's old history: no overlap refusal
    "inputs= past a write into an expanded tensor": (
        "x = torch.tensor([1.0, 1.0, 0.75], dtype=torch.float64, requires_grad=True)\n"
        "n = x.norm()\ne = n.expand(2)\nv = n[...]\ne[torch.tensor([True, False])] = -1\n"
        "v.backward(torch.tensor(2.0, dtype=torch.float64), inputs=[n])", "n.grad"),
    "unbind over a dim out of range": (_STALE + "a.unbind(-3)", "a"),
    "select out of range": (_STALE + "a.select(0, 5)", "a"),
    "max over a dim of a stale view": (_STALE + "a.max(-3, keepdim=True)", "a"),
    # the saved result of an in-place op on a view is named after the view's history
    "a saved result of sigmoid_ on a view": (
        "x = torch.tensor([[-1.5], [-0.25]], requires_grad=True)\ny = torch.cos(x)\n"
        "v = y[:, :1]\nv.sigmoid_()\nv -= 2.0\ny.sum().backward()", "x.grad"),
    # a write through an expand to an empty size writes nothing (it crashed)
    "writes through an empty expand": (
        "x = torch.tensor([[-1.5], [-0.25]], requires_grad=True)\ny = torch.cos(x)\n"
        "e = y.expand(2, 0)\ne.sigmoid_()\ne -= 2.0\ny.sum().backward()", "x.grad"),
    # reshape's alias of a non-contiguous tensor is its own node
    "reshape of a transposed tensor": (
        "x = torch.ones(3, 4, requires_grad=True)\ny = x.t().reshape(4, 1, 3)",
        GRAD_FN.format("y")),
}


@pytest.mark.parametrize("case", AUTOGRAD_FIRST)
def test_autograd_checks_come_first(case):
    same_program(*AUTOGRAD_FIRST[case])


LAYOUT_OF_GRADS = {
    # an expanded gradient of size-1 dims is no layout a leaf's .grad may take (stride 0)
    "sum of a 1x1 leaf": ("x = torch.ones(1, 1, requires_grad=True)\nx.sum().backward()",
                          "x.grad.stride(), x.grad.float().stride()"),
    "prod over dim 0": ("x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)\n"
                        "g, = torch.autograd.grad(x.prod(0).sum(), x)", "g.stride()"),
    "prod of a transposed input": (
        "x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).t().requires_grad_()\n"
        "g, = torch.autograd.grad(x.prod(1).sum(), x)", "g.stride()"),
}


@pytest.mark.parametrize("case", LAYOUT_OF_GRADS)
def test_gradient_layouts(case):
    same_program(*LAYOUT_OF_GRADS[case])


def test_prod_gradient_layout_with_a_zero(backend):
    """With a zero in the input PyTorch's prod gradient is row-major (its other formula); agrad
    looks at the values to decide, except on a lazy backend, which would compute them for a
    layout: there it keeps the input's (a documented difference)."""
    code = ("x = torch.tensor([[1.0, 0.0], [3.0, 4.0]]).t().requires_grad_()\n"
            "g, = torch.autograd.grad(x.prod(1).sum(), x)")
    if not backend.lazy:
        same_program(code, "g.stride(), g")
    else:
        ns = {"torch": agrad}
        exec(code, ns)
        assert ns["g"].stride() == ns["x"].stride() == (1, 2)
        assert vals(ns["g"]).tolist() == [[3.0, 1.0], [4.0, 0.0]]


def test_prod_of_a_transposed_input_gradcheck():
    x = agrad.tensor([[1.0, 0.0, 2.0], [3.0, 4.0, -1.0]], dtype=agrad.float64).t()
    assert agrad.autograd.gradcheck(lambda t: t.prod(1), (x.requires_grad_(),))
    assert agrad.autograd.gradcheck(lambda t: t.prod(0), (x,))


def test_a_hook_on_an_unused_split_output_sees_none():
    """split's outputs are one node: a hook on the output no gradient reaches is called with
    None, as PyTorch calls it."""
    code = ("log = []\nx = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)\n"
            "a, b = x.split(2)\nb.register_hook(lambda g: log.append(g))\n"
            "(a * 2).sum().backward()")
    same_program(code, "log, x.grad")


@pytest.mark.parametrize("fn", ["atan2", "mul", "minimum", "maximum", "lerp", "pow", "hypot",
                                "fmod", "div", "copysign", "xlogy"])
def test_backward_reports_the_saved_tensor_pytorch_unpacks_first(fn):
    """Every saved input written since the forward: the error names the one PyTorch's node
    unpacks first (its saved variables in the order of their names)."""
    n = 3 if fn == "lerp" else 2
    code = (f"xs = [torch.full((1,) * (i + 1), 0.5 + i, dtype=torch.float64, "
            f"requires_grad=True) * 1 for i in range({n})]\n"
            f"out = torch.{fn}(*xs)\nwith torch.no_grad():\n    for x in xs:\n        x.add_(1)\n"
            "out.sum().backward()")
    same_program(code, "out")


_TRIPLE = '''
class Triple_(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.mark_dirty(x)
        return x.mul_(3)

    @staticmethod
    def backward(ctx, g):
        return 3 * g
'''
MARK_DIRTY_AND_LEAVES = {
    # mark_dirty counts as one more write (the forward's own write is the first), in any mode
    "version of a dirty input": (_TRIPLE + "x = torch.ones(2)\nTriple_.apply(x)", "x._version"),
    "under no_grad": (_TRIPLE + "x = torch.ones(2, requires_grad=True) * 1\n"
                      "with torch.no_grad():\n    Triple_.apply(x)", "x._version"),
    "refused on a leaf": (_TRIPLE + "x = torch.ones(2, requires_grad=True)\nTriple_.apply(x)",
                          "x._version"),
    # a view made while its leaf base required grad is refused after the base stops
    "a view of a leaf that stopped requiring grad": (
        _TRIPLE + "x = torch.ones(2, 3, requires_grad=True)\nv = x.permute(1, 0)\n"
        "x.requires_grad_(False)\nTriple_.apply(v)", "x._version"),
    # a leaf that an in-place write gave a history: its accumulator refuses at backward
    "a leaf moved into the graph interior": (
        "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\nx.requires_grad_(False)\n"
        "x[...] = torch.ones(2, requires_grad=True) * 3\ny.backward()", "x"),
}


@pytest.mark.parametrize("case", MARK_DIRTY_AND_LEAVES)
def test_mark_dirty_versions_and_moved_leaves(case):
    same_program(*MARK_DIRTY_AND_LEAVES[case])


_LAYOUT_EXPRS = (
    "x * 2", "x + 2", "2 / x", "x // 2", "x.fmod(2)", "torch.lerp(x, x, 0.5)",
    "torch.where(x > 0, x, 2.0)", "x.clamp(0, 1)", "F.relu(x)", "F.leaky_relu(x, 0.1)",
    "F.softplus(x)", "F.gelu(x)", "F.silu(x)", "x.masked_fill(x > 0, 2.0)", "x.pow(0.5)",
    "x ** 2", "2 ** x", "x.pow(x)", "x.float_power(2)", "x > 2", "x.addcmul(x, x)",
    "torch.xlogy(2, x)", "torch.copysign(x, 2)", "x.sub(x, alpha=2)", "torch.rsub(x, 2)")
_LAYOUT_INPUTS = {"a column": "torch.ones(1, 3).t().clone()", "transposed": "torch.ones(3, 4).t()",
                  "permuted, strided": "torch.ones(2, 3, 4).permute(2, 0, 1)[::2]"}


@pytest.mark.parametrize("expr", _LAYOUT_EXPRS)
@pytest.mark.parametrize("inp", _LAYOUT_INPUTS)
def test_elementwise_results_take_tensoriterators_layout(expr, inp):
    """A number is a wrapped 0-d operand of PyTorch's TensorIterator, except where the kernel
    takes it as a parameter (`x ** 2`, lerp's weight: the tensors' layout alone; `2 ** x`:
    row-major); nn.functional's activations are elementwise too."""
    same_program(f"F = torch.nn.functional\nx = {_LAYOUT_INPUTS[inp]}\nr = {expr}", "r.stride()")


def test_backward_of_chunk_then_reshape():
    """The gradient of a chunk is joined from pieces (on Dask: chunks that do not line up
    with a later reshape's dims, which Dask refuses unless they are rechunked)."""
    code = ("x = torch.arange(16.0, dtype=torch.float64).reshape(4, 4).requires_grad_()\n"
            "y = x.reshape(2, 4, 2, -1).unsqueeze(-5).chunk(2, 1)[-1]\n"
            "y.backward(torch.arange(8.0, dtype=torch.float64).reshape(y.shape))")
    same_program(code, "x.grad")


_CAST_EXPRS = ("x.sqrt()", "x + torch.ones(x.shape)", "x > 0.5", "x / 2", "x * 2.5",
               "x * torch.tensor(2.5)", "x + torch.ones(1)", "torch.where(x > 0, x, 2.5)",
               "torch.where(x > 0, x, torch.ones(x.shape))", "x.float()")
_CAST_INPUTS = {"int, strided": "torch.arange(12).reshape(4, 3)[1:, ::2]",
                "int, a strided column": "torch.arange(8).reshape(4, 2)[1:-1, 0::3]",
                "int, transposed": "torch.arange(12).reshape(3, 4).t()",
                "float, transposed and strided": "torch.arange(12.0).reshape(3, 4).t()[::2]"}


@pytest.mark.parametrize("expr", _CAST_EXPRS)
@pytest.mark.parametrize("inp", _CAST_INPUTS)
def test_operands_cast_to_the_common_dtype_take_their_copys_layout(expr, inp):
    """An operand of another dtype is converted first (empty_like's layout: dense strides in
    the operand's order), and TensorIterator then lays the result out from the copy."""
    same_program(f"x = {_CAST_INPUTS[inp]}\nr = {expr}", "r.stride()")
