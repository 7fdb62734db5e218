"""agrad.nn.init against torch.nn.init: the gains and fans are PyTorch's exactly, and the
distributions match PyTorch's (bounds, means and standard deviations of large draws), drawn
from agrad's generator (reproducible with agrad.manual_seed) on the tensor's own backend."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _nn_oracle import same_outcome, to_np, torch

import agrad
import agrad.nn as nn
from agrad.nn import init

pytestmark = pytest.mark.torch
tinit = torch.nn.init
EAGER = pytest.mark.backends("numpy", "numpy_writeback", "array_api_strict")


@pytest.mark.backends("numpy")
def test_calculate_gain_is_pytorchs():
    for args in (("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",), ("leaky_relu",),
                 ("leaky_relu", 0.2), ("leaky_relu", 3), ("selu",)):
        assert init.calculate_gain(*args) == tinit.calculate_gain(*args)
    for args in (("leaky_relu", True), ("leaky_relu", "x"), ("softsign",)):
        same_outcome(lambda a=args: init.calculate_gain(*a),
                     lambda a=args: tinit.calculate_gain(*a))


@pytest.mark.backends("numpy")
def test_fans_and_their_errors_are_pytorchs():
    for shape in ((3, 4), (5, 2, 3, 3), (2, 6, 4)):
        assert init._calculate_fan_in_and_fan_out(agrad.empty(*shape)) == \
            tinit._calculate_fan_in_and_fan_out(torch.empty(*shape))
    same_outcome(lambda: init.xavier_uniform_(agrad.empty(3)),
                 lambda: tinit.xavier_uniform_(torch.empty(3)))
    same_outcome(lambda: init.kaiming_uniform_(agrad.empty(3, 3), mode="fan_avg"),
                 lambda: tinit.kaiming_uniform_(torch.empty(3, 3), mode="fan_avg"))


def _stats(t):
    v = to_np(t).ravel()
    return v.min(), v.max(), v.mean(), v.std()


def test_linear_and_conv_default_init_statistics():
    agrad.manual_seed(0)
    lin = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)  # kaiming_uniform_(a=sqrt(5)) on fan_in 400 gives this bound
    lo, hi, mean, std = _stats(lin.weight)
    assert -bound <= lo and hi <= bound
    assert abs(mean) < 0.003 * bound * 10 and abs(std - bound / math.sqrt(3)) < 0.02 * bound
    lo, hi, _, _ = _stats(lin.bias)
    assert -bound <= lo and hi <= bound
    conv = nn.Conv2d(8, 16, 3)
    cb = 1 / math.sqrt(8 * 9)
    lo, hi, _, std = _stats(conv.weight)
    assert -cb <= lo and hi <= cb and abs(std - cb / math.sqrt(3)) < 0.05 * cb
    assert lin.weight.device == agrad.empty(0).device  # drawn on the current backend


@EAGER
def test_distributions_match_pytorchs():
    agrad.manual_seed(1)
    torch.manual_seed(1)
    shape = (300, 200)
    cases = [
        (lambda t: init.uniform_(t, -2.0, 3.0), lambda t: tinit.uniform_(t, -2.0, 3.0)),
        (lambda t: init.normal_(t, 1.5, 0.5), lambda t: tinit.normal_(t, 1.5, 0.5)),
        (lambda t: init.xavier_uniform_(t, gain=2.0), lambda t: tinit.xavier_uniform_(t, gain=2.0)),
        (lambda t: init.xavier_normal_(t), lambda t: tinit.xavier_normal_(t)),
        (lambda t: init.kaiming_uniform_(t, nonlinearity="relu"),
         lambda t: tinit.kaiming_uniform_(t, nonlinearity="relu")),
        (lambda t: init.kaiming_normal_(t, mode="fan_out"),
         lambda t: tinit.kaiming_normal_(t, mode="fan_out")),
    ]
    for fa, ft in cases:
        a = _stats(fa(agrad.empty(*shape)))
        t = _stats(ft(torch.empty(*shape)))
        scale = t[3]
        assert abs(a[2] - t[2]) < 0.05 * scale  # means
        assert abs(a[3] - t[3]) < 0.03 * scale  # standard deviations
        if any("uniform" in n for n in fa.__code__.co_names):
            assert abs(a[0] - t[0]) < 0.01 * scale and abs(a[1] - t[1]) < 0.01 * scale


def test_fills_and_seeding():
    t = agrad.empty(2, 3)
    assert init.ones_(t).tolist() == [[1.0] * 3] * 2
    assert init.zeros_(t).tolist() == [[0.0] * 3] * 2
    assert init.constant_(t, 0.5).tolist() == [[0.5] * 3] * 2
    assert init.eye_(agrad.empty(2, 3)).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    agrad.manual_seed(3)
    w1 = to_np(nn.Linear(4, 4).weight)
    agrad.manual_seed(3)
    w2 = to_np(nn.Linear(4, 4).weight)
    np.testing.assert_array_equal(w1, w2)


def test_init_works_on_parameters_without_recording_a_graph():
    p = nn.Parameter(agrad.empty(3, 3))
    out = init.kaiming_uniform_(p, a=math.sqrt(5))
    assert out is p and p.is_leaf and p.grad_fn is None and p.requires_grad


@pytest.mark.backends("numpy")
def test_zero_element_tensor_warns_as_pytorch():
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        init.kaiming_uniform_(agrad.empty(0, 3))
