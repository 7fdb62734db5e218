"""The functional entries agrad.nn adds (conv, pooling, pad, unfold, norms, embedding,
bilinear, huber / smooth L1) against torch.nn.functional: values and gradients, finite-
difference gradcheck in float64 (they are compositions of agrad ops, so this checks the
composition), and PyTorch's errors for bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _nn_oracle import same_outcome, torch
from _oracle import data, differential, gc

import agrad
from agrad.nn import functional as F

pytestmark = pytest.mark.torch
TF = torch.nn.functional
EAGER = pytest.mark.backends("numpy", "numpy_writeback", "array_api_strict")


def f64(*shape):
    return agrad.tensor(data(*shape), requires_grad=True)


# -- gradcheck of every entry (numpy and array_api_strict; see _oracle.GRADCHECK_BACKENDS) -----

def test_gradcheck_conv():
    x, w, b = f64(1, 4, 4, 5), f64(4, 2, 3, 2), f64(4)
    assert gc(lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2),
                                       groups=2), (x, w, b))
    x1, w1 = f64(2, 3, 7), f64(2, 3, 3)
    assert gc(lambda x, w: F.conv1d(x, w, stride=2, padding="valid"), (x1, w1))


def test_gradcheck_pooling():
    x = f64(2, 2, 6, 5)
    assert gc(lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True), (x,))
    assert gc(lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False), (x,))


def test_gradcheck_pad_and_unfold():
    x = f64(1, 2, 3, 4)
    for mode in ("constant", "reflect", "replicate", "circular"):
        assert gc(lambda x, m=mode: F.pad(x, [1, 2, 2, 1], mode=m), (x,))
    assert gc(lambda x: F.unfold(x, (2, 3), dilation=1, padding=1, stride=2), (x,))


def test_gradcheck_norms():
    x, w, b = f64(3, 2, 4), f64(2, 4), f64(2, 4)
    assert gc(lambda x, w, b: F.layer_norm(x, [2, 4], w, b), (x, w, b))
    x2, w2, b2 = f64(5, 3, 2), f64(3), f64(3)
    assert gc(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), (x2, w2, b2))


def test_gradcheck_lookup_and_losses():
    w = f64(5, 3)
    idx = agrad.tensor([[0, 4], [4, 2]])
    # (padding_idx and scale_grad_by_freq change the gradient on purpose: tested against torch)
    assert gc(lambda w: F.embedding(idx, w), (w,))
    x1, x2, a, b = f64(4, 2), f64(4, 3), f64(5, 2, 3), f64(5)
    assert gc(F.bilinear, (x1, x2, a, b))
    x, y = f64(3, 4), f64(3, 4)
    assert gc(lambda x, y: F.huber_loss(x, y, delta=0.7), (x, y))
    assert gc(lambda x, y: F.smooth_l1_loss(x, y, beta=0.5, reduction="sum"), (x, y))


# -- values and gradients against torch.nn.functional -------------------------------------------

@pytest.mark.parametrize("mode,pad,shape", [
    ("constant", [1, 2], (2, 3, 4, 5)), ("constant", [-1, 2, 0, -1], (2, 3, 4, 5)),
    ("reflect", [2, 1, 1, 2], (2, 3, 4, 5)), ("replicate", [3, 0], (3, 4, 5)),
    ("circular", [2, 2, 1, 1], (2, 3, 4, 5)), ("replicate", [1, 0, 2, 1, 0, 1], (1, 2, 3, 4, 5))])
def test_pad_matches_pytorch(mode, pad, shape):
    kw = {"value": 1.5} if mode == "constant" else {}
    differential(lambda x: F.pad(x, pad, mode=mode, **kw),
                 lambda x: TF.pad(x, pad, mode=mode, **kw), data(*shape), grad_fn=False)


def test_unfold_matches_pytorch():
    differential(lambda x: F.unfold(x, 2, dilation=2, padding=1, stride=(1, 2)),
                 lambda x: TF.unfold(x, 2, dilation=2, padding=1, stride=(1, 2)),
                 data(2, 3, 5, 6), grad_fn=False)


def test_functional_batch_norm_updates_running_stats():
    x = data(6, 3, 2)
    ra_m, ra_v = agrad.zeros(3, dtype=agrad.float64), agrad.ones(3, dtype=agrad.float64)
    rt_m, rt_v = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    differential(lambda x: F.batch_norm(x, ra_m, ra_v, training=True, momentum=0.3),
                 lambda x: TF.batch_norm(x, rt_m, rt_v, training=True, momentum=0.3),
                 x, grad_fn=False, atol=1e-10, rtol=1e-10)
    np.testing.assert_allclose(ra_m.tolist(), rt_m.tolist(), atol=1e-12)
    np.testing.assert_allclose(ra_v.tolist(), rt_v.tolist(), atol=1e-12)
    differential(lambda x: F.batch_norm(x, ra_m, ra_v), lambda x: TF.batch_norm(x, rt_m, rt_v),
                 x, grad_fn=False, atol=1e-10, rtol=1e-10)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_huber_and_smooth_l1_match_pytorch(reduction):
    x, y = data(4, 5, low=-3, high=3), data(4, 5, low=-3, high=3)
    differential(lambda a, b: F.huber_loss(a, b, reduction=reduction, delta=1.3),
                 lambda a, b: TF.huber_loss(a, b, reduction=reduction, delta=1.3), x, y)
    for beta in (0.0, 0.8):
        differential(lambda a, b, be=beta: F.smooth_l1_loss(a, b, reduction=reduction, beta=be),
                     lambda a, b, be=beta: TF.smooth_l1_loss(a, b, reduction=reduction, beta=be),
                     x, y)
    w = data(4, 5, low=0, high=1)
    differential(lambda a, b, c: F.huber_loss(a, b, reduction=reduction, weight=c),
                 lambda a, b, c: TF.huber_loss(a, b, reduction=reduction, weight=c), x, y, w)


@EAGER
def test_loss_broadcast_warns_as_pytorch():
    x, y = data(3, 1), data(3, 4)
    with pytest.warns(UserWarning, match="Using a target size"):
        differential(lambda a, b: F.huber_loss(a, b), lambda a, b: TF.huber_loss(a, b), x, y,
                     grad_fn=False)


@pytest.mark.backends("numpy")
def test_errors_are_pytorchs():
    x, tx = agrad.ones(2, 3, 8, 8), torch.ones(2, 3, 8, 8)
    cases = [
        (lambda: F.layer_norm(x, [4]), lambda: TF.layer_norm(tx, [4])),
        (lambda: F.batch_norm(agrad.ones(1, 3), None, None, training=True),
         lambda: TF.batch_norm(torch.ones(1, 3), None, None, training=True)),
        (lambda: F.batch_norm(agrad.ones(4, 3), agrad.zeros(4), agrad.ones(4), training=True),
         lambda: TF.batch_norm(torch.ones(4, 3), torch.zeros(4), torch.ones(4), training=True)),
        (lambda: F.batch_norm(agrad.ones(4, 3), None, None),
         lambda: TF.batch_norm(torch.ones(4, 3), None, None)),
        (lambda: F.batch_norm(agrad.ones(3), None, None, training=True),
         lambda: TF.batch_norm(torch.ones(3), None, None, training=True)),
        (lambda: F.embedding(agrad.tensor([1]), agrad.ones(3, 2), padding_idx=3),
         lambda: TF.embedding(torch.tensor([1]), torch.ones(3, 2), padding_idx=3)),
        (lambda: F.bilinear(agrad.ones(3, 2), agrad.ones(4, 5), agrad.ones(6, 2, 5)),
         lambda: TF.bilinear(torch.ones(3, 2), torch.ones(4, 5), torch.ones(6, 2, 5))),
        (lambda: F.bilinear(agrad.ones(3, 2), agrad.ones(3, 5), agrad.ones(6, 3, 5)),
         lambda: TF.bilinear(torch.ones(3, 2), torch.ones(3, 5), torch.ones(6, 3, 5))),
        (lambda: F.pad(x, [1, 2, 3]), lambda: TF.pad(tx, [1, 2, 3])),
        (lambda: F.pad(x, [1] * 10), lambda: TF.pad(tx, [1] * 10)),
        (lambda: F.pad(x, [4, 4], mode="reflect"), lambda: TF.pad(tx, [4, 4], mode="reflect")),
        (lambda: F.huber_loss(agrad.ones(3), agrad.ones(3), delta=-1),
         lambda: TF.huber_loss(torch.ones(3), torch.ones(3), delta=-1)),
        (lambda: F.huber_loss(agrad.ones(3), agrad.ones(3), weight=agrad.ones(2)),
         lambda: TF.huber_loss(torch.ones(3), torch.ones(3), weight=torch.ones(2))),
        (lambda: F.unfold(agrad.ones(3, 4, 5, 6, 7), 2),
         lambda: TF.unfold(torch.ones(3, 4, 5, 6, 7), 2)),
    ]
    for fa, ft in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            same_outcome(fa, ft)


@EAGER
def test_embedding_sparse_is_refused_clearly():
    with pytest.raises(RuntimeError, match="no sparse tensors"):
        F.embedding(agrad.tensor([0]), agrad.ones(2, 2), sparse=True)
