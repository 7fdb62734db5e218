"""binary_cross_entropy_with_logits, huber_loss and smooth_l1_loss as rows with PyTorch's nodes
(BinaryCrossEntropyWithLogitsBackward0, HuberLossBackward0, SmoothL1LossBackward0): values,
gradients for input and target, weight / pos_weight, dtypes, errors, saved values, finite
differences; and every nn.functional loss's grad_fn name against PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest
from _oracle import both, data, differential, f64, gc, ggc, same_outcome, torch, vals

import agrad
import agrad.nn.functional as F

TF = torch.nn.functional
_rng = np.random.default_rng(11)
X = _rng.uniform(-30, 30, (4, 3))  # large logits: the stable form must not overflow
T = _rng.random((4, 3))
W = _rng.uniform(0.5, 2, (4, 3))
PW = _rng.uniform(0.5, 3, (3,))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("opts", [(), ("weight",), ("pos_weight",), ("weight", "pos_weight"),
                                  ("row_weight",)])
def test_bce_with_logits(reduction, opts):
    kw_arrays = {"weight": W, "pos_weight": PW, "row_weight": W[:, :1]}

    def call(lib_f, tensor):
        def f(x, t):
            kw = {("weight" if k == "row_weight" else k): tensor(kw_arrays[k]) for k in opts}
            return lib_f(x, t, reduction=reduction, **kw)
        return f
    # gradients for both the logits and the target (PyTorch differentiates both)
    differential(call(F.binary_cross_entropy_with_logits, agrad.tensor),
                 call(TF.binary_cross_entropy_with_logits, torch.tensor), X, T, grad=(0, 1),
                 atol=1e-10, rtol=1e-10)
    kw = {("weight" if k == "row_weight" else k): agrad.tensor(kw_arrays[k]) for k in opts}
    fn = lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction=reduction, **kw)  # noqa: E731
    args = (f64(4, 3), agrad.tensor(_rng.random((4, 3)), requires_grad=True))
    assert gc(fn, args)
    assert ggc(fn, args)


def test_bce_with_logits_stable_for_large_logits():
    x = agrad.tensor([-1000.0, 0.0, 1000.0], dtype=agrad.float64, requires_grad=True)
    t = agrad.tensor([1.0, 0.5, 0.0], dtype=agrad.float64)
    loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    np.testing.assert_allclose(vals(loss), [1000.0, np.log(2.0), 1000.0])
    loss.sum().backward()
    np.testing.assert_allclose(vals(x.grad), [-1.0, 0.0, 1.0])


@pytest.mark.parametrize("xd,td", [("float32", "float64"), ("float64", "float32"),
                                   ("float32", "float32")])
def test_bce_with_logits_dtype(xd, td):
    """The result takes the target's dtype, as PyTorch's in-place kernel gives it."""
    def run(lib):
        x = lib.tensor(X, dtype=getattr(lib, xd), requires_grad=True)
        r = lib.nn.functional.binary_cross_entropy_with_logits(x, lib.tensor(T, dtype=getattr(
            lib, td)))
        r.backward()
        return str(r.dtype), str(x.grad.dtype), round(r.item(), 4)
    assert run(agrad) == run(torch)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(lib.zeros(3, 4),
                                                                    lib.zeros(4)),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.zeros(3, 4), lib.zeros(3, 4), weight=lib.ones(5)),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.zeros(3, 4), lib.zeros(3, 4), pos_weight=lib.ones(5)),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.zeros(3, 4), lib.zeros(3, 4), weight=lib.ones(2, 3, 4), reduction="none"),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.zeros(3, 4), lib.zeros(3, 4), reduction="bad"),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.zeros(3, 4), lib.zeros(3, 4, dtype=lib.int64)),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.zeros(3, 4, dtype=lib.int64), lib.zeros(3, 4)),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.zeros(3, 4, requires_grad=True), lib.zeros(3, 4),
        weight=lib.ones(4, requires_grad=True)),
    lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.zeros(3, 4, requires_grad=True), lib.zeros(3, 4),
        pos_weight=lib.ones(4, requires_grad=True)),
])
def test_bce_with_logits_errors(call):
    same_outcome(lambda: call(agrad).tolist(), lambda: call(torch).tolist())


def test_bce_with_logits_saved_values():
    def run(lib):
        x = lib.tensor(X, requires_grad=True)
        t = lib.tensor(T)
        g = lib.nn.functional.binary_cross_entropy_with_logits(
            x, t, pos_weight=lib.tensor(PW), reduction="sum").grad_fn
        return (type(g).__name__, g._saved_reduction, g._saved_self is x, g._saved_target is t,
                g._saved_weight, g._saved_pos_weight.tolist())
    assert run(agrad) == run(torch)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_huber_and_smooth_l1_rows(reduction):
    x, y = data(4, 5, low=-3, high=3), data(4, 5, low=-3, high=3)
    for fa, ft in [(lambda a, b: F.huber_loss(a, b, reduction=reduction, delta=0.7),
                    lambda a, b: TF.huber_loss(a, b, reduction=reduction, delta=0.7)),
                   (lambda a, b: F.smooth_l1_loss(a, b, reduction=reduction, beta=0.6),
                    lambda a, b: TF.smooth_l1_loss(a, b, reduction=reduction, beta=0.6))]:
        differential(fa, ft, x, y, grad=(0, 1), atol=1e-10, rtol=1e-10)
        assert gc(fa, (f64(4, 5), f64(4, 5)))
        assert ggc(fa, (f64(4, 5), f64(4, 5)))


def test_huber_and_smooth_l1_saved_values_and_dtypes():
    def run(lib):
        a = lib.tensor(data(3), requires_grad=True)
        b = lib.tensor(data(3), dtype=lib.float32)
        h = lib.nn.functional.huber_loss(a, b, delta=0.5)
        s = lib.nn.functional.smooth_l1_loss(a, b, beta=0.25, reduction="none")
        return (str(h.dtype), h.grad_fn._saved_delta, h.grad_fn._saved_reduction,
                s.grad_fn._saved_beta, s.grad_fn._saved_reduction, h.grad_fn._saved_self is a)
    assert run(agrad) == run(torch)
    same_outcome(lambda: F.smooth_l1_loss(agrad.ones(2, dtype=agrad.int64),
                                          agrad.ones(2, dtype=agrad.int64)),
                 lambda: TF.smooth_l1_loss(torch.ones(2, dtype=torch.int64),
                                           torch.ones(2, dtype=torch.int64)))
    same_outcome(lambda: F.huber_loss(agrad.ones(2, dtype=agrad.int64),
                                      agrad.ones(2, dtype=agrad.int64)),
                 lambda: TF.huber_loss(torch.ones(2, dtype=torch.int64),
                                       torch.ones(2, dtype=torch.int64)))


# -- every loss's grad_fn name ---------------------------------------------------------------------

LOSSES = {
    "mse_loss": lambda F, x, p, t, c: F.mse_loss(x, t),
    "mse_loss_none": lambda F, x, p, t, c: F.mse_loss(x, t, reduction="none"),
    "l1_loss": lambda F, x, p, t, c: F.l1_loss(x, t),
    "l1_loss_none": lambda F, x, p, t, c: F.l1_loss(x, t, reduction="none"),
    "smooth_l1_loss": lambda F, x, p, t, c: F.smooth_l1_loss(x, t),
    "smooth_l1_loss_none": lambda F, x, p, t, c: F.smooth_l1_loss(x, t, reduction="none"),
    "smooth_l1_loss_beta0": lambda F, x, p, t, c: F.smooth_l1_loss(x, t, beta=0.0),
    "huber_loss": lambda F, x, p, t, c: F.huber_loss(x, t),
    "huber_loss_sum": lambda F, x, p, t, c: F.huber_loss(x, t, reduction="sum"),
    "huber_loss_weight": lambda F, x, p, t, c: F.huber_loss(x, t, weight=t + 1),
    "nll_loss": lambda F, x, p, t, c: F.nll_loss(x, c),
    "nll_loss_none": lambda F, x, p, t, c: F.nll_loss(x, c, reduction="none"),
    "cross_entropy": lambda F, x, p, t, c: F.cross_entropy(x, c),
    "cross_entropy_probs": lambda F, x, p, t, c: F.cross_entropy(x, t),
    "cross_entropy_smoothing": lambda F, x, p, t, c: F.cross_entropy(x, c, label_smoothing=0.1),
    "binary_cross_entropy": lambda F, x, p, t, c: F.binary_cross_entropy(p, t),
    "binary_cross_entropy_none": lambda F, x, p, t, c: F.binary_cross_entropy(p, t,
                                                                              reduction="none"),
    "binary_cross_entropy_with_logits": lambda F, x, p, t, c:
        F.binary_cross_entropy_with_logits(x, t),
    "binary_cross_entropy_with_logits_none": lambda F, x, p, t, c:
        F.binary_cross_entropy_with_logits(x, t, reduction="none"),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_grad_fn_names(name):
    def run(lib):
        x = lib.tensor(X[:2] / 10, requires_grad=True)
        p = lib.tensor(np.clip(T[:2], 0.1, 0.9), requires_grad=True)
        t = lib.tensor(T[:2])
        c = lib.tensor([1, 2])
        return type(LOSSES[name](lib.nn.functional, x, p, t, c).grad_fn).__name__
    assert run(agrad) == run(torch)


def test_target_gradient_of_bce_with_logits_through_both():
    """A target that requires grad gets PyTorch's gradient (with pos_weight: log-sigmoids)."""
    x, tx = both(X / 10, requires_grad=True)
    t, tt = both(T, requires_grad=True)
    pw, tpw = both(PW)
    F.binary_cross_entropy_with_logits(x, t, pos_weight=pw).backward()
    TF.binary_cross_entropy_with_logits(tx, tt, pos_weight=tpw).backward()
    np.testing.assert_allclose(vals(t.grad), vals(tt.grad), rtol=1e-10)
