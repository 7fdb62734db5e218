"""The in-place surface is PyTorch's, both ways: every top-level in-place function
(`torch.sin_`) and in-place method (`x.eq_`) PyTorch has whose base agrad has exists in agrad,
and agrad has none PyTorch lacks; the ones added here behave as PyTorch's (values, grad_fn names,
gradients, errors)."""

from __future__ import annotations

import numpy as np
import pytest
from _oracle import same_outcome, torch

import agrad
import agrad.nn.functional as F


def _inplace_names(obj):
    return {n for n in dir(obj) if n.endswith("_") and not n.startswith("_")}


@pytest.mark.backends("numpy")
@pytest.mark.parametrize("ours,theirs", [(agrad, torch), (agrad.Tensor, torch.Tensor),
                                         (F, torch.nn.functional)])
def test_same_in_place_names_as_pytorch(ours, theirs):
    mine, pytorchs = _inplace_names(ours), _inplace_names(theirs)
    assert not mine - pytorchs, f"in-place names PyTorch lacks: {sorted(mine - pytorchs)}"
    missing = {n for n in pytorchs - mine if hasattr(ours, n[:-1])}
    assert not missing, f"PyTorch's in-place forms of functions agrad has: {sorted(missing)}"


COMPARISONS = ["eq_", "ne_", "lt_", "le_", "gt_", "ge_", "greater_", "greater_equal_", "less_",
               "less_equal_", "not_equal_"]


@pytest.mark.parametrize("name", COMPARISONS)
def test_inplace_comparisons(name):
    """x takes 1 where the comparison holds, 0 elsewhere, in its own dtype; in a graph the node
    is PyTorch's (EqBackward0 for a number, EqBackward1 for a tensor) and passes zeros."""
    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        y = x * 1
        getattr(y, name)(2.0)
        n0 = type(y.grad_fn).__name__
        z = x * 1
        r = getattr(z, name)(lib.tensor([[3.0, 2.0, 1.0]], dtype=lib.float64)[0])
        (y + z).sum().backward()
        i = lib.tensor([1, 2, 3])
        getattr(i, name)(2)
        return (r is z, n0, type(z.grad_fn).__name__, y.tolist(), z.tolist(), x.grad.tolist(),
                i.tolist(), str(i.dtype))
    assert run(agrad) == run(torch)


@pytest.mark.parametrize("name", ["lt_", "eq_", "logical_and_"])
def test_inplace_comparison_errors(name):
    same_outcome(lambda: getattr(agrad.ones(3), name)(agrad.ones(2, 3)),
                 lambda: getattr(torch.ones(3), name)(torch.ones(2, 3)))
    same_outcome(lambda: getattr(agrad.ones(3, requires_grad=True), name)(agrad.ones(3)).tolist(),
                 lambda: getattr(torch.ones(3, requires_grad=True), name)(torch.ones(3)).tolist())


@pytest.mark.parametrize("name", ["logical_and_", "logical_or_", "logical_xor_"])
def test_inplace_logical_keeps_the_history(name):
    """PyTorch records nothing for them: x keeps its grad_fn (and its gradient flows)."""
    def run(lib):
        x = lib.tensor([1.0, 2.0, 0.0], dtype=lib.float64, requires_grad=True)
        y = x * 3
        getattr(y, name)(lib.tensor([1.0, 0.0, 0.0], dtype=lib.float64))
        y.sum().backward()
        return y.tolist(), type(y.grad_fn).__name__, x.grad.tolist()
    assert run(agrad) == run(torch)


def test_float_power_():
    def run(lib, dtype, exp):
        x = lib.tensor([1.5, 2.0], dtype=getattr(lib, dtype), requires_grad=True)
        y = x * 1
        e = lib.tensor(exp) if isinstance(exp, list) else exp
        r = y.float_power_(e)
        r.abs().sum().backward()
        return r is y, type(y.grad_fn).__name__, y.tolist(), x.grad.tolist()
    for dtype, exp in [("float64", 2), ("float64", [0.5, 3.0]), ("complex128", 2),
                       ("float32", 2), ("float64", 2j), ("complex64", 2)]:
        same_outcome(lambda dtype=dtype, exp=exp: run(agrad, dtype, exp),
                     lambda dtype=dtype, exp=exp: run(torch, dtype, exp))


def test_addmm_():
    def run(lib):
        a = lib.tensor(np.arange(4.0).reshape(2, 2), requires_grad=True)
        m1 = lib.tensor(np.ones((2, 3)), requires_grad=True)
        m2 = lib.tensor(np.arange(6.0).reshape(3, 2), requires_grad=True)
        y = a * 1
        r = y.addmm_(m1, m2, beta=2, alpha=3)
        y.sum().backward()
        return (r is y, type(y.grad_fn).__name__, y.tolist(), a.grad.tolist(), m1.grad.tolist(),
                m2.grad.tolist())
    assert run(agrad) == run(torch)
    same_outcome(lambda: agrad.ones(2).addmm_(agrad.ones(2, 3), agrad.ones(3, 2)),
                 lambda: torch.ones(2).addmm_(torch.ones(2, 3), torch.ones(3, 2)))


@pytest.mark.parametrize("call", [
    lambda lib: lib.clip_(lib.tensor([-1.0, 0.5, 3.0]), 0, 1),
    lambda lib: lib.negative_(lib.tensor([-1.0, 0.5])),
    lambda lib: lib.xlogy_(lib.tensor([0.0, 2.0]), 3.0),
    lambda lib: lib.xlogy_(lib.tensor([0.0, 2.0]), lib.tensor([1.0, 4.0])),
    lambda lib: lib.dropout_(lib.ones(3), 0.0, True),
    lambda lib: lib.dropout(lib.ones(3), 1.0, True),
    lambda lib: lib.dropout(lib.ones(3), 0.5, False),
    lambda lib: lib.dropout(lib.ones(3), 1.5, True),
])
def test_top_level(call):
    same_outcome(lambda: call(agrad).tolist(), lambda: call(torch).tolist())


def test_top_level_writes_its_argument():
    for lib in (agrad, torch):
        x = lib.tensor([-1.0, 0.5, 3.0])
        assert lib.clip_(x, 0, 1) is x and x.tolist() == [0.0, 0.5, 1.0]
        assert lib.negative_(x) is x and x.tolist() == [-0.0, -0.5, -1.0]


def test_dropout_in_a_graph():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 1
        lib.dropout_(y, 0.0, True)
        kept = lib.dropout(y, 0.3, False)
        return type(y.grad_fn).__name__, kept is y
    assert run(agrad) == run(torch)


def test_xlogy_grad_fn_names():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        return [type(f().grad_fn).__name__ for f in (
            lambda: lib.xlogy(x, x), lambda: lib.xlogy(2.0, x), lambda: lib.xlogy(x, 2.0))]
    assert run(agrad) == run(torch)
