"""The loss modules against torch.nn's: values and input gradients for every reduction and
option (class weights and pos_weight are buffers, copied across with the state_dict), plus
nn.utils' gradient clipping against torch.nn.utils."""

from __future__ import annotations

import numpy as np
import pytest
from _nn_oracle import close, copy_state, forward_backward, same_outcome, to_np, torch

import agrad
import agrad.nn as nn

pytestmark = pytest.mark.torch
EAGER = pytest.mark.backends("numpy", "numpy_writeback", "array_api_strict")
rng = np.random.default_rng(21)


def pair(name, **kwargs):
    """The same loss in both libraries; tensor options given as arrays."""
    ta = {k: agrad.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    tt = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    return getattr(nn, name)(**ta), getattr(torch.nn, name)(**tt)


LOGITS = rng.standard_normal((6, 4))
CLASSES = np.array([0, 3, 1, 1, 2, 3])
PROBS = rng.dirichlet(np.ones(4), size=6)
WEIGHT = rng.uniform(0.5, 2.0, 4)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("kwargs,target", [
    ({}, CLASSES), ({"weight": WEIGHT}, CLASSES), ({"ignore_index": 1}, CLASSES),
    ({"label_smoothing": 0.2, "weight": WEIGHT}, CLASSES), ({}, PROBS),
    ({"label_smoothing": 0.1, "weight": WEIGHT}, PROBS)],
    ids=["indices", "weight", "ignore_index", "smoothing", "probs", "probs_smooth_weight"])
def test_cross_entropy_loss(kwargs, target, reduction):
    a, t = pair("CrossEntropyLoss", reduction=reduction, **kwargs)
    forward_backward(a, t, LOGITS, target, atol=1e-10, rtol=1e-10)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss(reduction):
    a, t = pair("NLLLoss", weight=WEIGHT, ignore_index=3, reduction=reduction)
    logp = LOGITS - np.log(np.exp(LOGITS).sum(1, keepdims=True))
    forward_backward(a, t, logp, CLASSES, atol=1e-10, rtol=1e-10)
    images = rng.standard_normal((2, 4, 3, 3))  # (N, C, H, W) with per-pixel targets
    forward_backward(a, t, images, rng.integers(0, 4, (2, 3, 3)), atol=1e-10, rtol=1e-10)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_and_binary_losses(reduction):
    x, y = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    p, q = rng.uniform(0.05, 0.95, (3, 5)), rng.uniform(0, 1, (3, 5))
    w = rng.uniform(0.5, 2, (3, 5))
    for name, kwargs, inputs in (
            ("MSELoss", {}, (x, y)), ("L1Loss", {}, (x, y)),
            ("HuberLoss", {"delta": 0.6}, (x, y)), ("SmoothL1Loss", {"beta": 0.4}, (x, y)),
            ("BCELoss", {"weight": w}, (p, q)),
            ("BCEWithLogitsLoss", {"pos_weight": rng.uniform(0.5, 3, 5)}, (x, q)),
            ("BCEWithLogitsLoss", {"weight": w}, (x, q))):
        a, t = pair(name, reduction=reduction, **kwargs)
        forward_backward(a, t, *inputs, grad_inputs=True, atol=1e-10, rtol=1e-10)


@pytest.mark.backends("numpy")
def test_weight_buffers_follow_the_module():
    a, t = pair("CrossEntropyLoss", weight=WEIGHT)
    assert list(a.state_dict()) == list(t.state_dict()) == ["weight"]
    b, u = pair("BCEWithLogitsLoss", pos_weight=np.ones(3))
    assert list(b.state_dict()) == list(u.state_dict()) == ["pos_weight"]
    a.to(agrad.float32)
    assert a.weight.dtype is agrad.float32
    copy_state(a, t)


@pytest.mark.backends("numpy")
def test_legacy_reduction_flags_warn_and_map_as_pytorch():
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        a = nn.MSELoss(size_average=False)
    with pytest.warns(UserWarning):
        t = torch.nn.MSELoss(size_average=False)
    assert a.reduction == t.reduction == "sum"


# -- nn.utils --------------------------------------------------------------------------------------

def _grads(lib):
    ps = [lib.tensor(rng_vals.copy(), requires_grad=True) for rng_vals in GRAD_VALUES]
    for p, g in zip(ps, GRAD_VALUES):
        p.grad = lib.tensor(g * 3.0)
    return ps


GRAD_VALUES = [rng.standard_normal((3, 4)), rng.standard_normal(5)]


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm_matches_pytorch(norm_type, max_norm):
    pa, pt = _grads(agrad), _grads(torch)
    na = nn.utils.clip_grad_norm_(pa, max_norm, norm_type)
    nt = torch.nn.utils.clip_grad_norm_(pt, max_norm, norm_type)
    close(na, nt, 1e-12, 1e-12)
    for a, t in zip(pa, pt):
        close(a.grad, t.grad, 1e-12, 1e-12)


@EAGER
def test_clip_grad_value_and_vector_helpers():
    pa, pt = _grads(agrad), _grads(torch)
    nn.utils.clip_grad_value_(pa, 1.5)
    torch.nn.utils.clip_grad_value_(pt, 1.5)
    for a, t in zip(pa, pt):
        close(a.grad, t.grad, 0, 0)
    vec = nn.utils.parameters_to_vector(pa)
    close(vec, torch.nn.utils.parameters_to_vector(pt), 0, 0)
    nn.utils.vector_to_parameters(vec * 2, pa)
    np.testing.assert_allclose(to_np(pa[1]), 2 * GRAD_VALUES[1])


@pytest.mark.backends("numpy")
def test_clip_grad_norm_nonfinite_error_is_pytorchs():
    pa, pt = _grads(agrad), _grads(torch)
    pa[0].grad[0, 0] = float("nan")
    pt[0].grad[0, 0] = float("nan")
    same_outcome(lambda: nn.utils.clip_grad_norm_(pa, 1.0, error_if_nonfinite=True),
                 lambda: torch.nn.utils.clip_grad_norm_(pt, 1.0, error_if_nonfinite=True))
    assert nn.utils.clip_grad_norm_([], 1.0).item() == 0.0
