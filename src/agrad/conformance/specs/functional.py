"""Specs of agrad.nn.functional (nn/functional.py and the _functional_* modules): activations,
softmax, losses, linear/bilinear/embedding, convolution, pooling, padding, normalization."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..spec import Bad, array, dims_for, op, sample, shapes, via

F = "agrad.nn.functional."


def f(name: str):
    """The call `lib.nn.functional.name(...)`."""
    return lambda lib, *a, **k: getattr(lib.nn.functional, name)(*a, **k)


def _dim_sample(v: str, gc: bool, **kw):
    return shapes(min_dims=1, gc=gc).flatmap(lambda sh: sample(
        array(v, sh, gc=gc), dim=dims_for(sh, multi=False, none=False), **kw))


for name in ("softmax", "log_softmax", "softmin"):
    op(F + name, _dim_sample, call=f(name))
via(F + "softmax.kernel", F + "softmax")
via(F + "log_softmax.kernel", F + "log_softmax")
op("Tensor.softmax", _dim_sample, call=lambda lib, x, dim: x.softmax(dim))
op("Tensor.log_softmax", _dim_sample, call=lambda lib, x, dim: x.log_softmax(dim))


def _x(v: str, gc: bool, **kw):
    return sample(array(v, gc=gc), **kw)


op(F + "relu", _x, call=f("relu"))
op(F + "relu_", _x, call=lambda lib, x: lib.nn.functional.relu_(x.clone()), grad=False)
op(F + "sigmoid", _x, call=f("sigmoid"))
op(F + "tanh", _x, call=f("tanh"))
op(F + "leaky_relu.functional", lambda v, gc: _x(v, gc, negative_slope=st.sampled_from(
    [0.01, 0.2])), call=f("leaky_relu"))
via(F + "leaky_relu", F + "leaky_relu.functional")
op(F + "leaky_relu_", _x, call=lambda lib, x: lib.nn.functional.leaky_relu_(x.clone(), 0.1),
   grad=False)
op(F + "silu.functional", _x, call=f("silu"))
via(F + "silu", F + "silu.functional")
op(F + "gelu", lambda v, gc: _x(v, gc, approximate=st.sampled_from(["none", "tanh"])),
   call=f("gelu"))
op(F + "softplus", lambda v, gc: _x(v, gc, beta=st.sampled_from([1.0, 2.0]),
                                    threshold=st.sampled_from([20.0, 1.0])), call=f("softplus"))
op(F + "one_hot", lambda v, gc: sample(hnp.arrays(np.int64, shapes(max_dims=2),
                                                  elements=st.integers(0, 3)),
                                       st.sampled_from([-1, 4, 5])),
   call=f("one_hot"), variants=("int64",), grad=False,
   errors=(Bad("a class past num_classes", lambda lib: (lib.tensor([3]), 2), RuntimeError,
               values=True),))

REDUCTION = st.sampled_from(["mean", "sum", "none"])


def _pair(v: str, gc: bool, target=(-3, 3), **kw):
    return shapes(gc=gc).flatmap(lambda sh: sample(
        array(v, sh, gc=gc), array(v, sh, target, gc=gc, offset=1), reduction=REDUCTION, **kw))


MISMATCH = Bad("shapes that do not broadcast", lambda lib: (lib.ones(2, 3), lib.ones(4)),
               RuntimeError)
for name in ("mse_loss", "l1_loss"):
    op(F + name, _pair, call=f(name), errors=(MISMATCH,))
via(F + "mse_loss.kernel", F + "mse_loss")
op(F + "huber_loss", lambda v, gc: _pair(v, gc, delta=st.sampled_from([1.0, 0.5])),
   call=f("huber_loss"))
op(F + "smooth_l1_loss", lambda v, gc: _pair(v, gc, beta=st.sampled_from([1.0, 0.5])),
   call=f("smooth_l1_loss"))
via(F + "piecewise_loss.kernel", F + "huber_loss")
op(F + "binary_cross_entropy", lambda v, gc: _pair(v, gc, (0, 1)).map(
    lambda s: type(s)((1 / (1 + np.exp(-s.args[0])), s.args[1]), s.kwargs, (0,))),
   call=f("binary_cross_entropy"))
via(F + "binary_cross_entropy.kernel", F + "binary_cross_entropy")
op(F + "binary_cross_entropy_with_logits", lambda v, gc: _pair(v, gc, (0, 1)),
   call=f("binary_cross_entropy_with_logits"))
via(F + "binary_cross_entropy_with_logits.kernel", F + "binary_cross_entropy_with_logits")


def _classes(v: str, gc: bool, log: bool):
    """(N, C) scores and int64 class targets (cross_entropy: or class probabilities), with or
    without class weights."""
    def build(nc):
        n, c = nc
        x = array(v, (n, c), gc=gc)
        if log:
            x = x.map(lambda a: a - np.log(np.exp(a).sum(1, keepdims=True)))
        t = hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1))
        if not log:
            t = t | array(v, (n, c), (0, 1), offset=3).map(lambda p: p / p.sum(1, keepdims=True))
        w = st.none() | array(v, (c,), (0.5, 2), gc=gc, offset=1)
        return sample(x, t, weight=w, reduction=REDUCTION, grad=(0,))
    return st.tuples(st.integers(1, 4), st.integers(2, 4)).flatmap(build)


op(F + "nll_loss", lambda v, gc: _classes(v, gc, True), call=f("nll_loss"))
via(F + "nll_loss.kernel", F + "nll_loss")
op(F + "cross_entropy", lambda v, gc: _classes(v, gc, False), call=f("cross_entropy"))
via(F + "div.scalar", F + "cross_entropy")


def _linear(v: str, gc: bool):
    def build(s):
        lead, i, o = s
        return sample(array(v, lead + (i,), gc=gc), array(v, (o, i), gc=gc, offset=1),
                      st.none() | array(v, (o,), gc=gc, offset=2))
    return st.tuples(st.sampled_from([(), (2,), (2, 3)]), st.integers(1, 3),
                     st.integers(1, 3)).flatmap(build)


op(F + "linear", _linear, call=f("linear"),
   errors=(Bad("a weight of another width", lambda lib: (lib.ones(2, 3), lib.ones(4, 2)),
               RuntimeError),))


def _bilinear(v: str, gc: bool):
    def build(s):
        n, i, j, o = s
        return sample(array(v, (n, i), gc=gc), array(v, (n, j), gc=gc, offset=1),
                      array(v, (o, i, j), gc=gc, offset=2),
                      st.none() | array(v, (o,), gc=gc, offset=3))
    return st.tuples(*[st.integers(1, 3)] * 4).flatmap(build)


op(F + "bilinear", _bilinear, call=f("bilinear"))
op(F + "embedding", lambda v, gc: st.tuples(st.integers(1, 4), st.integers(1, 3)).flatmap(
    lambda nd: sample(hnp.arrays(np.int64, shapes(max_dims=2), elements=st.integers(
        0, nd[0] - 1)), array(v, nd, gc=gc), grad=(1,))), call=f("embedding"))
op(F + "dropout", lambda v, gc: _x(v, gc, p=st.sampled_from([0.0, 0.5]),
                                   training=st.just(False)), call=f("dropout"))


def _top_dropout(v: str, gc: bool):
    """torch.dropout(input, p, train): random draws only where they cannot show (p of 0 or 1,
    or not training)."""
    pt = st.sampled_from([(0.0, True), (1.0, True), (0.5, False), (1.0, False)])
    return pt.flatmap(lambda p: sample(array(v, gc=gc), *p))


BAD_P = Bad("a probability past 1", lambda lib: (lib.ones(2), 1.5, True), RuntimeError)
op("dropout", _top_dropout, errors=(BAD_P,))
op("dropout_", _top_dropout, call=lambda lib, x, p, t: lib.dropout_(x.clone(), p, t),
   errors=(BAD_P,))


def _conv(v: str, gc: bool, dims: int):
    def build(s):
        n, cin, cout, k, stride, pad = s
        spatial = (k + 2,) * dims
        return sample(array(v, (n, cin) + spatial, gc=gc),
                      array(v, (cout, cin) + (k,) * dims, gc=gc, offset=1),
                      st.none() | array(v, (cout,), gc=gc, offset=2), stride=stride,
                      padding=pad)
    return st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(1, 2),
                     st.integers(1, 2), st.integers(1, 2), st.integers(0, 1)).flatmap(build)


op(F + "conv1d", lambda v, gc: _conv(v, gc, 1), call=f("conv1d"))
op(F + "conv2d", lambda v, gc: _conv(v, gc, 2), call=f("conv2d"))


def _pool(v: str, gc: bool, **kw):
    return st.tuples(st.integers(1, 2), st.integers(3, 5), st.integers(1, 2)).flatmap(
        lambda s: sample(array(v, (1, s[2], s[1], s[1]), gc=gc, unique=True), 2,
                         stride=st.sampled_from([None, 1]), padding=st.sampled_from([0, 1]),
                         **kw))


op(F + "avg_pool2d", _pool, call=f("avg_pool2d"))
op(F + "max_pool2d", _pool, call=f("max_pool2d"))
op(F + "unfold", lambda v, gc: sample(array(v, (1, 2, 4, 4), gc=gc), st.sampled_from([1, 2]),
                                      padding=st.sampled_from([0, 1]),
                                      stride=st.sampled_from([1, 2])), call=f("unfold"))


def _pad(v: str, gc: bool):
    modes = st.sampled_from([("constant", (1, 2)), ("reflect", (1, 1)),
                             ("replicate", (2, 0)), ("constant", (0, 1, 1, 0))])
    return modes.flatmap(lambda m: sample(array(v, (1, 2, 3, 3), gc=gc), m[1], mode=m[0]))


op(F + "pad", _pad, call=f("pad"))


def _batch_norm(v: str, gc: bool):
    def build(nc):
        n, c = nc
        stats = array(v, (c,), (0.5, 2), offset=1)
        return sample(array(v, (n, c, 2), gc=gc), stats, stats, array(v, (c,), gc=gc,
                                                                        offset=2),
                      array(v, (c,), gc=gc, offset=3), training=st.booleans(), grad=(0, 3, 4))
    return st.tuples(st.integers(2, 3), st.integers(1, 3)).flatmap(build)


op(F + "batch_norm", _batch_norm, call=f("batch_norm"), tol=10)


def _layer_norm(v: str, gc: bool):
    return shapes(min_dims=1, min_side=2, gc=gc).flatmap(lambda sh: sample(
        array(v, sh, gc=gc), sh[-1:], array(v, sh[-1:], gc=gc, offset=1),
        array(v, sh[-1:], gc=gc, offset=2)))


op(F + "layer_norm", _layer_norm, call=f("layer_norm"), tol=10)
