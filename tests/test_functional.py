"""agrad.nn.functional against PyTorch: values, dtypes, shapes, grad_fn names and gradients
(backward of a random weighted sum), finite-difference gradcheck (and gradgradcheck) in
float64, warnings, and errors (type, PyTorch's exact message, inputs unchanged).

Every test runs on every backend (see conftest.py); value checks that would force a lazy
computation (class indices in range, probabilities in [0, 1]) are eager-only."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for differential tests; "
                                            "install torch==2.13.0")

import torch.nn.functional as TF  # noqa: E402

import agrad  # noqa: E402
import agrad.nn.functional as F  # noqa: E402

pytestmark = pytest.mark.torch

from _oracle import (  # noqa: E402 - the shared differential-test helpers
    EAGER,
    _rng,
    assert_same,
    both,
    data,
    differential,
    f64,
    gc,
    ggc,
    raises_exact,
    same_error,
    vals,
)


def targets(shape, classes, ignore=None, ignore_frac=0.0):
    t = _rng.integers(0, classes, size=shape).astype("int64")
    if ignore is not None and ignore_frac:
        t = np.where(_rng.random(shape) < ignore_frac, ignore, t)
        if t.size and (t == ignore).all():
            t.reshape(-1)[0] = 0  # keep one target: an all-ignored mean is nan
    return t


def quiet(fn):
    def run(*a):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*a)
    return run


# -- softmax / log_softmax -------------------------------------------------------------------------

@pytest.mark.parametrize("fname", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape,dim", [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1),
                                       ((2, 3, 4), 1), ((), 0), ((2, 0), 1)])
def test_softmax_family(fname, shape, dim):
    fa, ft = getattr(F, fname), getattr(TF, fname)
    differential(lambda x: fa(x, dim), lambda x: ft(x, dim), data(*shape))
    differential(lambda x: fa(x, dim=dim), lambda x: ft(x, dim=dim), data(*shape, dtype="float32"),
                 atol=1e-5)
    differential(lambda x: getattr(x, fname)(dim), lambda x: getattr(x, fname)(dim),
                 data(*shape)) if hasattr(agrad.Tensor, fname) else None
    assert gc(lambda x: fa(x, dim), (f64(*shape),))
    assert ggc(lambda x: fa(x, dim), (f64(*shape),))


@pytest.mark.parametrize("fname", ["softmax", "log_softmax"])
def test_softmax_is_numerically_stable(fname):
    fa, ft = getattr(F, fname), getattr(TF, fname)
    arr = np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -1001.0], [88.0, 89.0, 0.0]],
                   dtype="float32")
    out, _ = differential(lambda x: fa(x, 1), lambda x: ft(x, 1), arr, atol=1e-4)
    assert np.isfinite(vals(out)).all()
    arr64 = np.array([[710.0, 700.0], [-745.0, -750.0]])
    out, _ = differential(lambda x: fa(x, -1), lambda x: ft(x, -1), arr64)
    assert np.isfinite(vals(out)).all()


@pytest.mark.parametrize("fname", ["softmax", "log_softmax"])
def test_softmax_dtype_argument_and_integers(fname):
    fa, ft = getattr(F, fname), getattr(TF, fname)
    differential(lambda x: fa(x, 1, dtype=agrad.float64), lambda x: ft(x, 1, dtype=torch.float64),
                 data(2, 3, dtype="float32"))
    differential(lambda x: fa(x, 0, dtype=agrad.float32), lambda x: ft(x, 0, dtype=torch.float32),
                 data(2, 3, dtype="int64"))
    same_error(lambda x: fa(x, 1), lambda x: ft(x, 1), data(2, 3, dtype="int64"))
    same_error(lambda x: fa(x, 0), lambda x: ft(x, 0), data(2, 3, dtype="int64"))
    same_error(lambda x: fa(x, 2), lambda x: ft(x, 2), data(2, 3))


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 3, 4), (2, 3, 4, 5)])
def test_softmax_implicit_dim_warns_and_matches(shape):
    x, t = both(data(*shape))
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax has been "
                                         "deprecated"):
        out = F.softmax(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tout = TF.softmax(t)
    assert_same(out, tout)
    with pytest.warns(UserWarning, match="log_softmax"):
        F.log_softmax(x)


def test_softmin():
    differential(lambda x: F.softmin(x, 1), lambda x: TF.softmin(x, 1), data(2, 3),
                 grad_fn=False)


# -- activations -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fname,kwargs", [("relu", {}), ("sigmoid", {}), ("tanh", {}),
                                          ("leaky_relu", {}), ("leaky_relu", {"negative_slope":
                                                                              0.2}),
                                          ("gelu", {}), ("gelu", {"approximate": "tanh"}),
                                          ("silu", {}), ("softplus", {})])
def test_activations(fname, kwargs):
    fa, ft = getattr(F, fname), getattr(TF, fname)
    arr = data(4, 5, low=-4, high=4)
    arr[0, :3] = [0.0, 30.0, -30.0]
    differential(lambda x: fa(x, **kwargs), lambda x: ft(x, **kwargs), arr)
    differential(lambda x: fa(x, **kwargs), lambda x: ft(x, **kwargs),
                 arr.astype("float32"), atol=2e-6)
    smooth = data(3, 4) + 0.05  # away from relu's kink
    assert gc(lambda x: fa(x, **kwargs), (agrad.tensor(smooth, requires_grad=True),))
    if fname not in ("relu", "leaky_relu"):
        assert ggc(lambda x: fa(x, **kwargs), (agrad.tensor(smooth, requires_grad=True),))


def test_gelu_erf_is_double_precision():
    import math

    xs = np.linspace(-8, 8, 321)
    out = agrad.erf(agrad.tensor(xs))
    np.testing.assert_allclose(vals(out), [math.erf(v) for v in xs], rtol=5e-15, atol=2e-16)
    differential(F.gelu, TF.gelu, xs, atol=1e-14, rtol=1e-13)


def test_inplace_activations():
    for fa, ft in [(lambda x: F.relu(x, inplace=True), lambda x: TF.relu(x, inplace=True)),
                   (lambda x: F.leaky_relu(x, 0.1, inplace=True),
                    lambda x: TF.leaky_relu(x, 0.1, inplace=True)),
                   (F.relu_, TF.relu_), (F.leaky_relu_, TF.leaky_relu_)]:
        x, tx = both(data(3, 4), requires_grad=True)
        y, ty = x * 2, tx * 2
        ra = fa(y)
        ft(ty)
        assert ra is y
        assert_same(y, ty)
        (y * y).sum().backward()
        (ty * ty).sum().backward()
        np.testing.assert_allclose(vals(x.grad), vals(tx.grad))
        leaf = f64(2)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            fa(leaf)


def test_gelu_errors():
    x, t = both(data(3))
    with pytest.raises(RuntimeError):
        TF.gelu(t, approximate="foo")
    with pytest.raises(RuntimeError):
        F.gelu(x, approximate="foo")


# -- one_hot ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("arr,nc", [([0, 2, 1, 2], -1), ([0, 2, 1, 2], 5), ([[0, 1], [2, 0]], -1),
                                    (3, 4), ([], 3), ([[1]], 2)])
def test_one_hot(arr, nc):
    a, t = both(np.asarray(arr, dtype="int64"))
    out, tout = F.one_hot(a, nc), TF.one_hot(t, nc)
    assert_same(out, tout, grad_fn=False)
    assert out.dtype == agrad.int64


@pytest.mark.parametrize("arr,nc", [([-1, 0], -1), ([-1, 0], 5), ([0, 2, 1], 2), ([0, 1], 0),
                                    ([0, 1], -2), ([], -1)])
def test_one_hot_errors(arr, nc, backend):
    if backend.lazy and nc > 0:
        pytest.skip("values are not checked against num_classes on lazy backends")
    same_error(lambda x: F.one_hot(x, nc), lambda x: TF.one_hot(x, nc),
               np.asarray(arr, dtype="int64"))


def test_one_hot_dtype_errors():
    for dt in ("float32", "int32"):
        same_error(F.one_hot, TF.one_hot, np.asarray([0, 1], dtype=dt))
    with raises_exact(RuntimeError, "Class values must be non-negative."):
        F.one_hot(agrad.tensor([-1, 0]))
    with raises_exact(RuntimeError, "one_hot is only applicable to index tensor of type "
                                    "LongTensor."):
        F.one_hot(agrad.tensor([0.0]))


# -- regression losses -----------------------------------------------------------------------------

@pytest.mark.parametrize("fname", ["mse_loss", "l1_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(4, 3), (5,), ()])
def test_regression_losses(fname, reduction, shape):
    fa, ft = getattr(F, fname), getattr(TF, fname)
    differential(lambda x, y: fa(x, y, reduction=reduction),
                 lambda x, y: ft(x, y, reduction=reduction), data(*shape), data(*shape))
    differential(lambda x, y: fa(x, y, reduction=reduction),
                 lambda x, y: ft(x, y, reduction=reduction), data(*shape, dtype="float32"),
                 data(*shape, dtype="float32"), atol=1e-5, grad=(0,))
    safe = data(*shape)
    other = safe + np.where(_rng.random(shape) < 0.5, 0.5, -0.5)  # |x - y| away from 0
    assert gc(lambda x, y: fa(x, y, reduction=reduction),
              (agrad.tensor(safe, requires_grad=True), agrad.tensor(other, requires_grad=True)))
    if fname == "mse_loss":
        assert ggc(lambda x, y: fa(x, y, reduction=reduction), (f64(*shape), f64(*shape)))


@pytest.mark.parametrize("fname", ["mse_loss", "l1_loss"])
def test_regression_broadcast_warning_weights_and_legacy(fname):
    fa, ft = getattr(F, fname), getattr(TF, fname)
    x, tx = both(data(4, 3), requires_grad=True)
    y, ty = both(data(3))
    with pytest.warns(UserWarning, match=re.escape("Using a target size (torch.Size([3])) that "
                                                   "is different to the input size "
                                                   "(torch.Size([4, 3]))")):
        out = fa(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tout = ft(tx, ty)
    assert_same(out, tout)
    out.backward()
    tout.backward()
    np.testing.assert_allclose(vals(x.grad), vals(tx.grad))
    for red in ("mean", "sum", "none"):
        differential(lambda a, b, w, red=red: fa(a, b, reduction=red, weight=w),
                     lambda a, b, w, red=red: ft(a, b, reduction=red, weight=w), data(4, 3),
                     data(4, 3),
                     data(4, 3, low=0.1))
    differential(quiet(lambda a, b: fa(a, b, size_average=False)),
                 quiet(lambda a, b: ft(a, b, size_average=False)), data(3, 2), data(3, 2))
    differential(quiet(lambda a, b: fa(a, b, reduce=False)),
                 quiet(lambda a, b: ft(a, b, reduce=False)), data(3, 2), data(3, 2))
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        fa(x, x.detach(), size_average=False)


def test_regression_errors():
    same_error(lambda x, y: F.mse_loss(x, y, reduction="foo"),
               lambda x, y: TF.mse_loss(x, y, reduction="foo"), data(3), data(3))
    same_error(lambda x, y: F.l1_loss(x, y, reduction="foo"),
               lambda x, y: TF.l1_loss(x, y, reduction="foo"), data(3), data(3))
    same_error(F.mse_loss, TF.mse_loss, data(3, dtype="int64"), data(3, dtype="int64"))
    same_error(quiet(F.mse_loss), quiet(TF.mse_loss), data(3, 2), data(3))
    differential(F.mse_loss, TF.mse_loss, data(3), data(3, dtype="int64"))
    same_error(lambda x, y, w: F.mse_loss(x, y, weight=w),
               lambda x, y, w: TF.mse_loss(x, y, weight=w), data(3), data(3), data(2))


# -- nll_loss / cross_entropy ----------------------------------------------------------------------

NLL_SHAPES = [((4, 3), (4,)), ((3,), ()), ((2, 3, 4), (2, 4)), ((2, 3, 2, 2), (2, 2, 2)),
              ((2, 3, 2, 1, 2), (2, 2, 1, 2)), ((0, 3), (0,))]


@pytest.mark.parametrize("shape,tshape", NLL_SHAPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss(shape, tshape, reduction, weighted):
    c = shape[1] if len(shape) > 1 else shape[0]
    # a lone target is never ignored (an all-ignored mean is nan, which gradcheck cannot use)
    t = targets(tshape, c, ignore=-100, ignore_frac=0.25 if np.prod(tshape) > 1 else 0.0)
    w = data(c, low=0.1, high=2.0) if weighted else None
    extra = () if w is None else (w,)
    fa = lambda x, t, *w: F.nll_loss(x, t, *w, reduction=reduction)  # noqa: E731
    ft = lambda x, t, *w: TF.nll_loss(x, t, *w, reduction=reduction)  # noqa: E731
    differential(fa, ft, data(*shape), t, *extra, grad=(0,))
    ta = agrad.tensor(t)
    wa = None if w is None else agrad.tensor(w)
    if int(np.prod(shape)):
        assert gc(lambda x: F.nll_loss(x, ta, wa, reduction=reduction), (f64(*shape),))
        assert ggc(lambda x: F.nll_loss(x, ta, wa, reduction=reduction), (f64(*shape),))


def test_nll_loss_ignore_index_and_all_ignored():
    x = data(4, 3)
    t = np.array([0, 5, 1, 5])
    differential(lambda x, t: F.nll_loss(x, t, ignore_index=5),
                 lambda x, t: TF.nll_loss(x, t, ignore_index=5), x, t, grad=(0,))
    differential(F.nll_loss, TF.nll_loss, x, np.full(4, -100), grad=(0,))  # nan, as PyTorch
    differential(F.nll_loss, TF.nll_loss, x, np.array([0, 1, 2, 0], dtype="uint8"), grad=(0,))


@pytest.mark.parametrize("shape,t,kw", [
    ((4, 3), np.array([0, 1, 2]), {}), ((4, 3), np.array([0.0, 1, 2, 0]), {}),
    ((4, 3), np.array([0, 1, 2, 0], dtype="int32"), {}), ((4, 3), np.zeros((4, 1), "int64"), {}),
    ((), np.array(0), {}), ((2, 3, 4), np.zeros((2, 5), "int64"), {}),
    ((2, 3, 4, 4), np.zeros((2, 4, 5), "int64"), {}),
    ((4, 3), np.array([0, 1, 2, 0]), {"weight": np.ones(2)}),
    ((4, 3), np.array([0, 1, 2, 0]), {"reduction": "avg"}),
])
def test_nll_loss_errors(shape, t, kw):
    arrays = [data(*shape), t] + ([kw["weight"]] if "weight" in kw else [])
    red = kw.get("reduction", "mean")
    same_error(lambda x, t, *w: F.nll_loss(x, t, *w, reduction=red),
               lambda x, t, *w: TF.nll_loss(x, t, *w, reduction=red), *arrays)
    same_error(lambda x, t: F.nll_loss(x.long(), t), lambda x, t: TF.nll_loss(x.long(), t),
               data(4, 3), np.array([0, 1, 2, 0]))


@EAGER
@pytest.mark.parametrize("t", [[0, 1, 2, 3], [0, 1, 2, -1], [7, 0, 9, 1]])
def test_nll_loss_target_out_of_bounds(t):
    same_error(F.nll_loss, TF.nll_loss, data(4, 3), np.array(t))
    same_error(F.cross_entropy, TF.cross_entropy, data(4, 3), np.array(t))


@pytest.mark.parametrize("shape,tshape", NLL_SHAPES[:5])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_class_indices(shape, tshape, reduction, smoothing, weighted):
    c = shape[1] if len(shape) > 1 else shape[0]
    t = targets(tshape, c, ignore=-100, ignore_frac=0.2 if np.prod(tshape) > 1 else 0.0)
    extra = (data(c, low=0.1, high=2.0),) if weighted else ()
    fa = lambda x, t, *w: F.cross_entropy(x, t, *w, reduction=reduction,  # noqa: E731
                                          label_smoothing=smoothing)
    ft = lambda x, t, *w: TF.cross_entropy(x, t, *w, reduction=reduction,  # noqa: E731
                                           label_smoothing=smoothing)
    differential(fa, ft, data(*shape), t, *extra, grad=(0,))
    ta = agrad.tensor(t)
    wa = agrad.tensor(extra[0]) if extra else None
    assert gc(lambda x: F.cross_entropy(x, ta, wa, reduction=reduction,
                                        label_smoothing=smoothing), (f64(*shape),))


@pytest.mark.parametrize("shape", [(4, 3), (3,), (2, 3, 4)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_cross_entropy_probabilities(shape, reduction, smoothing):
    cd = 0 if len(shape) == 1 else 1
    p = _rng.random(shape)
    p = p / p.sum(axis=cd, keepdims=True)
    c = shape[cd]
    for extra in [(), (data(c, low=0.1, high=2.0),)]:
        fa = lambda x, t, *w: F.cross_entropy(x, t, *w, reduction=reduction,  # noqa: E731
                                              label_smoothing=smoothing)
        ft = lambda x, t, *w: TF.cross_entropy(x, t, *w, reduction=reduction,  # noqa: E731
                                               label_smoothing=smoothing)
        differential(fa, ft, data(*shape), p, *extra, grad=(0, 1))
    assert gc(lambda x, t: F.cross_entropy(x, t, reduction=reduction, label_smoothing=smoothing),
              (f64(*shape), agrad.tensor(p, requires_grad=True)))


def test_cross_entropy_is_stable_and_errors():
    big = np.array([[1000.0, -1000.0, 0.0], [50.0, 51.0, 52.0]], dtype="float32")
    out, _ = differential(F.cross_entropy, TF.cross_entropy, big, np.array([1, 2]), grad=(0,),
                          atol=1e-4)
    assert np.isfinite(vals(out)).all()
    same_error(lambda x, t: F.cross_entropy(x, t, label_smoothing=1.5),
               lambda x, t: TF.cross_entropy(x, t, label_smoothing=1.5), data(4, 3),
               np.array([0, 1, 2, 0]))
    same_error(F.cross_entropy, TF.cross_entropy, data(4, 3), np.array([0, 1, 2]))
    differential(lambda x, t: F.cross_entropy(x, t, label_smoothing=-0.1),
                 lambda x, t: TF.cross_entropy(x, t, label_smoothing=-0.1), data(4, 3),
                 np.array([0, 1, 2, 0]), grad=(0,))


# -- binary_cross_entropy --------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(4, 3), (5,), ()])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy(shape, reduction, weighted):
    p = _rng.uniform(0.05, 0.95, size=shape)
    y = _rng.random(shape)
    extra = (data(*shape[1:], low=0.1, high=2.0),) if weighted else ()
    fa = lambda x, t, *w: F.binary_cross_entropy(x, t, *w, reduction=reduction)  # noqa: E731
    ft = lambda x, t, *w: TF.binary_cross_entropy(x, t, *w, reduction=reduction)  # noqa: E731
    differential(fa, ft, p, y, *extra, grad=(0, 1))
    differential(fa, ft, p.astype("float32"), y.astype("float32"),
                 *[e.astype("float32") for e in extra], grad=(0,), atol=1e-5)
    wa = agrad.tensor(extra[0]) if extra else None
    assert gc(lambda x, t: F.binary_cross_entropy(x, t, wa, reduction=reduction),
              (agrad.tensor(p, requires_grad=True), agrad.tensor(y, requires_grad=True)))


def test_binary_cross_entropy_clamps_logs_at_0_and_1():
    differential(lambda x, t: F.binary_cross_entropy(x, t, reduction="none"),
                 lambda x, t: TF.binary_cross_entropy(x, t, reduction="none"),
                 np.array([0.0, 1.0, 0.0, 1.0, 0.5]), np.array([0.0, 0.0, 1.0, 1.0, 0.5]),
                 grad=(0,))


def test_binary_cross_entropy_errors(backend):
    same_error(F.binary_cross_entropy, TF.binary_cross_entropy, _rng.random((4, 3)),
               _rng.random(3))
    if not backend.lazy:
        same_error(F.binary_cross_entropy, TF.binary_cross_entropy, np.array([0.5, 1.5]),
                   np.array([0.0, 1.0]))
        same_error(F.binary_cross_entropy, TF.binary_cross_entropy, np.array([0.5, 0.5]),
                   np.array([0.0, 2.0]))


def test_binary_cross_entropy_with_logits():
    for red in ("mean", "sum", "none"):
        differential(lambda x, t, red=red: F.binary_cross_entropy_with_logits(x, t,
                                                                              reduction=red),
                     lambda x, t, red=red: TF.binary_cross_entropy_with_logits(x, t,
                                                                               reduction=red),
                     data(4, 3, low=-30, high=30), _rng.random((4, 3)))


# -- linear / dropout ------------------------------------------------------------------------------

@pytest.mark.parametrize("ishape", [(4, 3), (3,), (2, 4, 3), (2, 1, 2, 3), (0, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(ishape, bias):
    extra = (data(5),) if bias else ()
    differential(F.linear, TF.linear, data(*ishape), data(5, 3), *extra)
    differential(F.linear, TF.linear, data(*ishape), data(5, 3), *extra, grad=(1,))
    b = (f64(5),) if bias else ()
    if int(np.prod(ishape)):
        assert gc(F.linear, (f64(*ishape), f64(5, 3)) + b)


def test_linear_errors():
    same_error(F.linear, TF.linear, data(4, 4), data(5, 3), data(5))
    same_error(F.linear, TF.linear, data(4, 4), data(5, 3))


def test_dropout_statistics_scaling_and_gradient():
    x = agrad.ones(200, 100, dtype=agrad.float64, requires_grad=True)
    y = F.dropout(x, 0.3)
    assert type(y.grad_fn).__name__ == "MulBackward0"
    v = vals(y)
    kept = v != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(v[kept], 1 / 0.7)
    y.sum().backward()
    np.testing.assert_allclose(vals(x.grad), v)  # d/dx of x * mask/(1-p) is mask/(1-p)


def test_dropout_seeded_and_modes():
    x = agrad.randn(50, 20)
    agrad.manual_seed(7)
    a = F.dropout(x, 0.5)
    agrad.manual_seed(7)
    b = F.dropout(x, 0.5)
    np.testing.assert_array_equal(vals(a), vals(b))
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    z = F.dropout(x, 1.0)
    assert not vals(z).any()
    w = x.clone()
    r = F.dropout(w, 0.5, inplace=True)
    assert r is w
    np.testing.assert_array_equal(vals(w) == 0, vals(r) == 0)
    nz = vals(x) != 0
    np.testing.assert_allclose(vals(w)[vals(w) != 0], (vals(x) * 2)[(vals(w) != 0) & nz])


def test_dropout_errors():
    same_error(lambda x: F.dropout(x, 1.5), lambda x: TF.dropout(x, 1.5), data(3))
    same_error(lambda x: F.dropout(x, -0.1), lambda x: TF.dropout(x, -0.1), data(3))
