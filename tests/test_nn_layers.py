"""agrad.nn layers against torch.nn with the same weights (copied across) and the same inputs:
forward values, gradients w.r.t. inputs and parameters, running statistics, and the layers'
modes. Float64 so any difference is a bug, not rounding; one float32 pass checks dtypes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _nn_oracle import close, copy_state, forward_backward, same_outcome, to_np, torch
from hypothesis import given, settings
from hypothesis import strategies as st

import agrad
import agrad.nn as nn

pytestmark = pytest.mark.torch
tnn = torch.nn
EAGER = pytest.mark.backends("numpy", "numpy_writeback", "array_api_strict")
rng = np.random.default_rng(7)


def pair(name, *args, **kwargs):
    """The same layer in both libraries, float64, agrad's weights copied from torch's."""
    t = getattr(tnn, name)(*args, **kwargs).double()
    a = getattr(nn, name)(*args, **kwargs).double()
    copy_state(a, t)
    return a, t


def randn(*shape):
    return rng.standard_normal(shape)


# -- every layer, forward and backward ---------------------------------------------------------

CASES = [
    ("Linear", (5, 3), {}, [(4, 5)]),
    ("Linear", (5, 3), {"bias": False}, [(2, 3, 5)]),
    ("Linear", (5, 3), {}, [(5,)]),
    ("Bilinear", (3, 4, 2), {}, [(5, 3), (5, 4)]),
    ("Bilinear", (3, 4, 2), {"bias": False}, [(2, 5, 3), (2, 5, 4)]),
    ("Conv1d", (2, 3, 3), {"stride": 2, "padding": 1}, [(2, 2, 9)]),
    ("Conv1d", (2, 4, 3), {"padding": "same", "padding_mode": "circular", "groups": 2},
     [(2, 2, 7)]),
    ("Conv2d", (3, 4, 3), {}, [(2, 3, 7, 6)]),
    ("Conv2d", (4, 6, (3, 2)), {"stride": (2, 1), "padding": 1, "dilation": (1, 2), "groups": 2},
     [(2, 4, 8, 7)]),
    ("Conv2d", (2, 3, 3), {"padding": "same", "padding_mode": "reflect", "bias": False},
     [(1, 2, 5, 6)]),
    ("Conv2d", (2, 3, 2), {"padding": 1, "padding_mode": "replicate"}, [(2, 5, 4)]),
    ("MaxPool2d", (2,), {}, [(2, 3, 6, 5)]),
    ("MaxPool2d", (3, 2, 1), {"ceil_mode": True}, [(2, 2, 7, 6)]),
    ("AvgPool2d", (3, 2, 1), {"count_include_pad": False}, [(2, 2, 7, 6)]),
    ("AvgPool2d", (2,), {"ceil_mode": True}, [(3, 5, 5)]),
    ("LayerNorm", (6,), {}, [(3, 6)]),
    ("LayerNorm", ([2, 3],), {"elementwise_affine": False}, [(4, 2, 3)]),
    ("BatchNorm1d", (4,), {}, [(6, 4)]),
    ("BatchNorm1d", (3,), {"affine": False}, [(4, 3, 5)]),
    ("BatchNorm2d", (2,), {}, [(3, 2, 4, 4)]),
    ("Flatten", (), {}, [(2, 3, 4)]),
    ("Unflatten", (1, (2, 3)), {}, [(4, 6)]),
    ("Identity", (), {}, [(3,)]),
]


@pytest.mark.parametrize("name,args,kwargs,shapes", CASES,
                         ids=[f"{c[0]}{i}" for i, c in enumerate(CASES)])
def test_layer_matches_pytorch(name, args, kwargs, shapes):
    a, t = pair(name, *args, **kwargs)
    forward_backward(a, t, *(randn(*s) for s in shapes), atol=1e-10, rtol=1e-10)
    for (k, va), vt in zip(a.state_dict().items(), t.state_dict().values()):
        close(va, vt, 1e-12, 1e-12, k)  # running statistics updated alike


ACTIVATIONS = [("ReLU", ()), ("LeakyReLU", (0.1,)), ("GELU", ()), ("Tanh", ()), ("Sigmoid", ()),
               ("Softmax", (1,)), ("LogSoftmax", (1,))]


@EAGER
@pytest.mark.parametrize("name,args", ACTIVATIONS, ids=[a[0] for a in ACTIVATIONS])
def test_activation_matches_pytorch(name, args):
    a, t = pair(name, *args)
    forward_backward(a, t, randn(3, 4), atol=1e-10, rtol=1e-10)


@EAGER
def test_gelu_tanh_and_inplace_activations():
    forward_backward(*pair("GELU", approximate="tanh"), randn(5), atol=1e-10, rtol=1e-10)
    x = agrad.tensor([-1.0, 2.0])
    out = nn.ReLU(inplace=True)(x)
    assert out is x and x.tolist() == [0.0, 2.0]
    x = agrad.tensor([-1.0, 2.0])
    nn.LeakyReLU(0.5, inplace=True)(x)
    assert x.tolist() == [-0.5, 2.0]


def test_float32_layers_keep_float32():
    for name, args, shape in (("Linear", (4, 2), (3, 4)), ("Conv2d", (1, 2, 3), (1, 1, 5, 5)),
                              ("LayerNorm", (4,), (2, 4))):
        t = getattr(tnn, name)(*args)
        a = getattr(nn, name)(*args)
        copy_state(a, t)
        x = randn(*shape).astype("float32")
        oa, ot = a(agrad.tensor(x)), t(torch.tensor(x))
        assert str(oa.dtype) == "torch.float32"
        close(oa, ot, 1e-5, 1e-5)


# -- batch norm: running statistics, momentum, evaluation ----------------------------------------

@pytest.mark.parametrize("momentum", [0.1, None])
def test_batchnorm_running_stats_and_eval(momentum):
    a, t = pair("BatchNorm1d", 3, momentum=momentum)
    for _ in range(3):
        x = randn(5, 3)
        a(agrad.tensor(x))
        t(torch.tensor(x))
    for (k, va), vt in zip(a.state_dict().items(), t.state_dict().values()):
        close(va, vt, 1e-12, 1e-12, k)
    assert int(a.num_batches_tracked.item()) == 3
    a.eval()
    t.eval()
    x = randn(4, 3)
    close(a(agrad.tensor(x)), t(torch.tensor(x)), 1e-12, 1e-12)
    close(a.running_mean, t.running_mean, 1e-12, 1e-12)  # evaluation leaves them alone


@EAGER
def test_batchnorm_without_running_stats_uses_batch_stats_in_eval():
    a, t = pair("BatchNorm1d", 2, track_running_stats=False)
    a.eval()
    t.eval()
    forward_backward(a, t, randn(4, 2), atol=1e-10, rtol=1e-10)


@EAGER
def test_batchnorm_errors_are_pytorchs():
    a, t = pair("BatchNorm1d", 3)
    same_outcome(lambda: a(agrad.ones(1, 3, dtype=agrad.float64)),
                 lambda: t(torch.ones(1, 3, dtype=torch.float64)))
    same_outcome(lambda: a(agrad.ones(2, 3, 4, 5)), lambda: t(torch.ones(2, 3, 4, 5)))
    same_outcome(lambda: nn.BatchNorm2d(3)(agrad.ones(2, 3)),
                 lambda: tnn.BatchNorm2d(3)(torch.ones(2, 3)))


# -- embedding -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 2}, {"scale_grad_by_freq": True},
                                    {"padding_idx": -1, "scale_grad_by_freq": True}])
def test_embedding_matches_pytorch(kwargs):
    a, t = pair("Embedding", 6, 3, **kwargs)
    idx = np.array([[1, 2, 2], [5, 0, 2]])
    forward_backward(a, t, idx, atol=1e-12, rtol=1e-12)
    if "padding_idx" in kwargs:
        assert not to_np(a.weight.grad)[a.padding_idx].any()


@EAGER
def test_embedding_max_norm_renormalises_rows_in_place():
    a, t = pair("Embedding", 5, 4, max_norm=1.0)
    forward_backward(a, t, np.array([0, 3, 3]), atol=1e-10, rtol=1e-10)
    close(a.weight, t.weight, 1e-7, 1e-7)


@EAGER
def test_embedding_default_init_and_padding_row():
    agrad.manual_seed(0)
    e = nn.Embedding(2000, 5, padding_idx=0)
    w = to_np(e.weight)
    assert not w[0].any()
    assert abs(w[1:].mean()) < 0.05 and abs(w[1:].std() - 1.0) < 0.05
    e2 = nn.Embedding.from_pretrained(agrad.ones(3, 2))
    assert not e2.weight.requires_grad and repr(e2) == "Embedding(3, 2)"


@pytest.mark.backends("numpy")  # the message names the tensor type, which names the device
def test_embedding_errors_are_pytorchs():
    a, t = pair("Embedding", 3, 2)
    same_outcome(lambda: a(agrad.tensor([1.0])), lambda: t(torch.tensor([1.0])))
    same_outcome(lambda: a(agrad.tensor([5])), lambda: t(torch.tensor([5])))


# -- dropout -------------------------------------------------------------------------------------

def test_dropout_train_and_eval():
    agrad.manual_seed(0)
    d = nn.Dropout(0.25)
    x = agrad.ones(4000, dtype=agrad.float64)
    y = to_np(d(x))
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.03
    np.testing.assert_allclose(y[kept], 1 / 0.75)
    d.eval()
    assert d(x) is x
    assert to_np(nn.Dropout(0.0)(x)).min() == 1.0
    assert to_np(nn.Dropout(1.0)(x)).max() == 0.0


# -- conv and pooling over random configurations -------------------------------------------------

@pytest.mark.backends("numpy")
@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 2), groups=st.sampled_from([1, 2]), cin=st.integers(1, 2),
       cout=st.integers(1, 2), kh=st.integers(1, 3), kw=st.integers(1, 3),
       stride=st.integers(1, 3), pad=st.integers(0, 2), dil=st.integers(1, 2),
       h=st.integers(4, 7), w=st.integers(4, 7), bias=st.booleans())
def test_conv2d_hypothesis(n, groups, cin, cout, kh, kw, stride, pad, dil, h, w, bias):
    a, t = pair("Conv2d", cin * groups, cout * groups, (kh, kw), stride=stride, padding=pad,
                dilation=dil, groups=groups, bias=bias)
    if (h + 2 * pad < dil * (kh - 1) + 1) or (w + 2 * pad < dil * (kw - 1) + 1):
        same_outcome(lambda: a(agrad.ones(n, cin * groups, h, w, dtype=agrad.float64)),
                     lambda: t(torch.ones(n, cin * groups, h, w, dtype=torch.float64)))
        return
    forward_backward(a, t, randn(n, cin * groups, h, w), atol=1e-10, rtol=1e-10)


@pytest.mark.backends("numpy")
@settings(max_examples=25, deadline=None)
@given(k=st.integers(1, 3), stride=st.integers(1, 3), pad=st.integers(0, 1),
       dil=st.integers(1, 2), ceil=st.booleans(), h=st.integers(3, 7), w=st.integers(3, 7),
       avg=st.booleans(), include_pad=st.booleans())
def test_pool2d_hypothesis(k, stride, pad, dil, ceil, h, w, avg, include_pad):
    if avg:
        args = dict(kernel_size=k, stride=stride, padding=pad, ceil_mode=ceil,
                    count_include_pad=include_pad)
        a, t = nn.AvgPool2d(**args), tnn.AvgPool2d(**args)
    else:
        args = dict(kernel_size=k, stride=stride, padding=pad, dilation=dil, ceil_mode=ceil)
        a, t = nn.MaxPool2d(**args), tnn.MaxPool2d(**args)
    x = np.maximum(randn(2, 2, h, w), 0)  # ties (zeros) test which element gets the gradient
    outcome_t = None
    try:
        t(torch.tensor(x))
    except RuntimeError:
        outcome_t = "error"
    if outcome_t:
        same_outcome(lambda: a(agrad.tensor(x)), lambda: t(torch.tensor(x)))
        return
    forward_backward(a, t, x, atol=1e-12, rtol=1e-12)


@EAGER
def test_maxpool_propagates_nan_as_pytorch():
    x = randn(1, 2, 4, 4)
    x[0, 0, 1, 0] = x[0, 1, 2, 3] = x[0, 1, 3, 3] = np.nan
    a = nn.MaxPool2d(2, return_indices=True)
    t = tnn.MaxPool2d(2, return_indices=True)
    (va, ia), (vt, it) = a(agrad.tensor(x)), t(torch.tensor(x))
    close(va, vt, 0, 0)  # NaN where the window has one (assert_allclose: NaN == NaN)
    assert ia.tolist() == it.tolist()
    forward_backward(nn.MaxPool2d(2), tnn.MaxPool2d(2), x, atol=0, rtol=0)


@EAGER
def test_maxpool_return_indices_match_pytorch():
    x = randn(2, 3, 7, 6)
    a = nn.MaxPool2d(3, 2, 1, return_indices=True, ceil_mode=True)
    t = tnn.MaxPool2d(3, 2, 1, return_indices=True, ceil_mode=True)
    (va, ia), (vt, it) = a(agrad.tensor(x)), t(torch.tensor(x))
    close(va, vt, 0, 0)
    assert ia.tolist() == it.tolist() and str(ia.dtype) == "torch.int64"


@EAGER
def test_conv_and_pool_errors_are_pytorchs():
    conv, tconv = pair("Conv2d", 3, 4, 3)
    for shape in ((2, 3), (2, 5, 8, 8), (2, 3, 2, 2)):
        same_outcome(lambda s=shape: conv(agrad.ones(*s, dtype=agrad.float64)),
                     lambda s=shape: tconv(torch.ones(*s, dtype=torch.float64)))
    from agrad.nn.functional import avg_pool2d, conv2d, max_pool2d

    tf = torch.nn.functional
    x, tx = agrad.ones(2, 3, 8, 8), torch.ones(2, 3, 8, 8)
    w, tw = agrad.ones(4, 3, 3, 3), torch.ones(4, 3, 3, 3)
    for fa, ft in ((lambda: conv2d(x, w, groups=2), lambda: tf.conv2d(tx, tw, groups=2)),
                   (lambda: conv2d(x, w, stride=0), lambda: tf.conv2d(tx, tw, stride=0)),
                   (lambda: conv2d(x, w, padding=-1), lambda: tf.conv2d(tx, tw, padding=-1)),
                   (lambda: conv2d(x, w, bias=agrad.ones(3)),
                    lambda: tf.conv2d(tx, tw, bias=torch.ones(3))),
                   (lambda: conv2d(x, agrad.ones(4, 3, 3)),
                    lambda: tf.conv2d(tx, torch.ones(4, 3, 3))),
                   (lambda: max_pool2d(x, 3, padding=2), lambda: tf.max_pool2d(tx, 3, padding=2)),
                   (lambda: avg_pool2d(x, 3, padding=2), lambda: tf.avg_pool2d(tx, 3, padding=2)),
                   (lambda: max_pool2d(x, 10), lambda: tf.max_pool2d(tx, 10)),
                   (lambda: max_pool2d(agrad.ones(3, 8), 2),
                    lambda: tf.max_pool2d(torch.ones(3, 8), 2))):
        same_outcome(fa, ft)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_outcome(lambda: conv2d(x, w, padding="same", stride=2),
                     lambda: tf.conv2d(tx, tw, padding="same", stride=2))
