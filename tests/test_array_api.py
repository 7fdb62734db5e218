"""agrad tensors as an Array API namespace (`agrad.array_api`): discovery, the two faces of
one tensor (`x.size`, slicing, promotion), every differentiable namespace function through
gradcheck, and the namespace's results against NumPy's."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _oracle import EAGER, gc, ggc

import agrad
from agrad import array_api as xp

_rng = np.random.default_rng(7)


def f64(*shape, low=-1.0, high=1.0, grad=True):
    return agrad.tensor(_rng.uniform(low, high, size=shape), dtype=agrad.float64,
                        requires_grad=grad)


def host(t):
    return np.asarray(t.detach().tolist())


# -- discovery and the two faces ------------------------------------------------------------------

def test_tensor_names_the_namespace():
    import array_api_compat

    x = agrad.ones(3)
    assert x.__array_namespace__() is xp
    assert x.__array_namespace__(api_version="2023.12") is xp
    assert array_api_compat.array_namespace(x) is xp
    assert xp.__array_api_version__ == "2024.12"
    with pytest.raises(ValueError):
        x.__array_namespace__(api_version="1999.01")


def test_size_is_an_int_and_pytorchs_method():
    x = agrad.zeros(2, 3)
    assert x.size == 6 and isinstance(x.size, int) and list(range(x.size)) == list(range(6))
    assert x.size() == agrad.Size([2, 3]) and repr(x.size()) == "torch.Size([2, 3])"
    assert x.size(1) == 3 and x.size(-2) == 2 and x.size(dim=0) == 2
    with pytest.raises(IndexError):
        x.size(2)
    assert agrad.zeros(()).size == 1 and agrad.zeros(0, 4).size == 0


def test_promotion_namespace_standard_operators_pytorch():
    a = agrad.ones(3, dtype=agrad.int8)
    b = agrad.tensor(5, dtype=agrad.int64)  # 0-d
    assert xp.add(a, b).dtype is agrad.int64  # the standard: a 0-d array promotes like any
    assert (a + b).dtype is agrad.int8  # PyTorch: a 0-d tensor does not, within a kind
    assert xp.multiply(a, 2).dtype is agrad.int8
    assert xp.result_type(agrad.uint8, agrad.int8) is agrad.int16
    assert xp.result_type(agrad.uint16, agrad.int16) is agrad.int32
    assert xp.result_type(agrad.uint32, agrad.int8) is agrad.int64
    assert xp.result_type(a, 1.0) is agrad.float32
    with pytest.raises(TypeError):
        xp.result_type(agrad.uint64, agrad.int64)


def test_negative_steps_read_write_and_differentiate():
    a = np.arange(24.0).reshape(4, 6)
    x = agrad.tensor(a, requires_grad=True)
    for key in [(slice(None, None, -1),), (slice(None), slice(4, 0, -2)),
                (Ellipsis, slice(None, None, -3)), (1, slice(None, None, -1)),
                (slice(3, None, -2), None, slice(1, 5))]:
        np.testing.assert_array_equal(host(x[key]), a[key])
    y = x[::-1, ::2]
    (y * agrad.arange(12.0, dtype=agrad.float64).reshape(4, 3)).sum().backward()
    expect = np.zeros_like(a)
    expect[::-1, ::2] = np.arange(12.0).reshape(4, 3)
    np.testing.assert_array_equal(host(x.grad), expect)
    z = agrad.zeros(5)
    z[::-2] = agrad.tensor([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(host(z), [3, 0, 2, 0, 1])


def test_info_reports_the_backend(backend):
    info = xp.__array_namespace_info__()
    caps = info.capabilities()
    assert caps["data-dependent shapes"] is bool(backend.data_dependent_shapes)
    assert info.default_device() == agrad.ones(1).device and info.devices()
    assert info.default_dtypes()["real floating"] is agrad.get_default_dtype()
    assert set(info.dtypes(kind="unsigned integer")) <= {"uint8", "uint16", "uint32", "uint64"}
    assert "float64" in info.dtypes(kind="real floating")


def test_dtype_functions():
    assert xp.isdtype(xp.uint32, "unsigned integer") and not xp.isdtype(xp.int8, "unsigned integer")
    assert xp.isdtype(xp.float32, ("integral", "real floating"))
    assert xp.finfo(xp.float32).eps == 2.0 ** -23 and xp.finfo(xp.complex128).dtype is xp.float64
    assert xp.iinfo(xp.uint64).max == 2 ** 64 - 1 and xp.iinfo(xp.int8).min == -128
    assert xp.can_cast(xp.int8, xp.int32) and not xp.can_cast(xp.int64, xp.int8)
    assert xp.can_cast(xp.bool, xp.float32) and not xp.can_cast(xp.float32, xp.int64)
    # real and complex floating types are one kind of the standard's lattice
    assert xp.can_cast(xp.float32, xp.complex64) and xp.can_cast(xp.float32, xp.complex128)
    assert not xp.can_cast(xp.float64, xp.complex64) and not xp.can_cast(xp.complex64,
                                                                          xp.float64)
    x = xp.asarray([1, 2], dtype=xp.uint16)
    assert xp.astype(x, xp.float64).dtype is xp.float64 and (x + x).tolist() == [2, 4]


def test_asarray_keeps_the_graph_and_honours_copy():
    x = f64(3)
    assert xp.asarray(x) is x
    assert xp.asarray(x, copy=True) is not x and xp.asarray(x, copy=True).grad_fn is not None
    assert xp.asarray(x, dtype=xp.float32).grad_fn is not None
    with pytest.raises(ValueError):
        xp.asarray(x, dtype=xp.float32, copy=False)
    assert xp.asarray([1, 2]).dtype is xp.int64 and xp.asarray(1.5).dtype is xp.float32
    assert xp.asarray([True]).dtype is xp.bool


def test_results_against_numpy(backend):
    a = np.array([[3.0, -1.0, 2.0], [0.5, 4.0, -2.0]])
    x = xp.asarray(a)
    cases = [
        (xp.sum(x, axis=()), a), (xp.sum(x, axis=1, keepdims=True), a.sum(1, keepdims=True)),
        (xp.prod(x, axis=(0, 1)), a.prod()), (xp.max(x, axis=0), a.max(0)),
        (xp.std(x, correction=1), a.std(ddof=1)), (xp.var(x, axis=1), a.var(1)),
        (xp.cumulative_sum(x, axis=1, include_initial=True),
         np.concatenate([np.zeros((2, 1)), a.cumsum(1)], 1)),
        (xp.diff(x, axis=1, n=2), np.diff(a, axis=1, n=2)),
        (xp.clip(x, -1.5, 2.5), np.clip(a, -1.5, 2.5)),
        (xp.where(x > 0, x, 0.0), np.where(a > 0, a, 0.0)),
        (xp.concat([x, x], axis=None), np.concatenate([a, a], axis=None)),
        (xp.flip(x), a[::-1, ::-1]), (xp.roll(x, 2), np.roll(a, 2)),
        (xp.expand_dims(x, axis=-1), a[..., None]), (xp.tile(x, (2, 1)), np.tile(a, (2, 1))),
        (xp.repeat(x, 2, axis=1), np.repeat(a, 2, axis=1)),
        (xp.take(x, xp.asarray([2, 0]), axis=1), a[:, [2, 0]]),
        (xp.sort(x, axis=1, descending=True), -np.sort(-a, axis=1)),
        (xp.argsort(x, axis=0), np.argsort(a, axis=0, kind="stable")),
        (xp.searchsorted(xp.asarray([1.0, 2.0, 3.0]), xp.asarray([2.5, 0.0]), side="right"),
         [2, 0]),
        (xp.vecdot(x, x), (a * a).sum(-1)), (xp.tensordot(x, x, axes=([1], [1])), a @ a.T),
        (xp.linspace(0, 1, 5), np.linspace(0, 1, 5)), (xp.eye(2, 3, k=1), np.eye(2, 3, k=1)),
        (xp.arange(5, 1, -2), np.arange(5, 1, -2)), (xp.arange(1, 0), np.arange(1, 0)),
        (xp.count_nonzero(x > 1, axis=0), np.count_nonzero(a > 1, axis=0)),
        (xp.unique_values(xp.asarray([3, 1, 3])), [1, 3]),
        (xp.nonzero(x > 1)[1], np.nonzero(a > 1)[1]),
        (xp.linalg.matrix_norm(x, ord="nuc"), np.linalg.norm(a, "nuc")),
        (xp.linalg.vector_norm(x, axis=1, ord=1), np.abs(a).sum(1)),
        (xp.linalg.trace(xp.asarray(a[:, :2])), np.trace(a[:, :2])),
    ]
    for got, want in cases:
        np.testing.assert_allclose(host(got), np.asarray(want), rtol=1e-6, atol=1e-6)
    u = xp.unique_all(xp.asarray([3, 1, 3, 2]))
    assert u.values.tolist() == [1, 2, 3] and u.counts.tolist() == [1, 1, 2]
    assert u.inverse_indices.tolist() == [2, 0, 2, 1]
    with pytest.raises(ValueError):
        xp.squeeze(x, axis=0)
    assert xp.equal(x, x).dtype is xp.bool and xp.matrix_transpose(x).shape == (3, 2)


# -- every differentiable namespace function through gradcheck ------------------------------------

def _sym(x):
    return x + x.mT


def _spd(x):
    return x @ x.mT + 3 * xp.eye(x.shape[-1], dtype=xp.float64)


# (name, function of the inputs, input shapes, keyword arguments of f64)
GRADCHECKED = [
    ("add", lambda a, b: xp.add(a, b), [(2, 3), (3,)]),
    ("subtract", lambda a, b: xp.subtract(a, b), [(3,), (3,)]),
    ("multiply", lambda a, b: xp.multiply(a, b), [(3,), ()]),
    ("divide", lambda a, b: xp.divide(a, b + 3), [(3,), (3,)]),
    ("pow", lambda a, b: xp.pow(a + 2, b), [(3,), (3,)]),
    ("atan2", lambda a, b: xp.atan2(a, b), [(3,), (3,)]),
    ("hypot", lambda a, b: xp.hypot(a, b), [(3,), (3,)]),
    ("logaddexp", lambda a, b: xp.logaddexp(a, b), [(3,), (3,)]),
    ("maximum", lambda a, b: xp.maximum(a, b), [(3,), (3,)]),
    ("copysign", lambda a, b: xp.copysign(a, b), [(3,), (3,)]),
    ("unary", lambda a: xp.exp(a) + xp.log(a + 2) + xp.sqrt(a + 2) + xp.tanh(a) + xp.sin(a)
     + xp.square(a) + xp.expm1(a) + xp.log1p(a + 1.5) + xp.abs(a) + xp.negative(a)
     + xp.atan(a) + xp.asinh(a) + xp.cosh(a) + xp.reciprocal(a + 2), [(4,)]),
    ("clip", lambda a: xp.clip(a, -0.5, 0.5), [(4,)]),
    ("where", lambda a, b: xp.where(a > 0, a, b), [(4,), (4,)]),
    ("sum/prod/mean", lambda a: xp.sum(a, axis=0) + xp.prod(a, axis=(0, 1))
     + xp.mean(a, axis=1, keepdims=True).sum(), [(2, 3)]),
    ("max/min", lambda a: xp.max(a, axis=1) + xp.min(a, axis=1), [(2, 3)]),
    ("std/var", lambda a: xp.std(a, axis=0, correction=1) + xp.var(a, axis=0), [(3, 2)]),
    ("cumulative", lambda a: xp.cumulative_sum(a, axis=1, include_initial=True).sum(1)
     + xp.cumulative_prod(a, axis=1).sum(1), [(2, 3)]),
    ("diff", lambda a, b: xp.diff(a, axis=0, prepend=b), [(3, 2), (1, 2)]),
    ("manipulation", lambda a: xp.concat([xp.flip(a, axis=0), xp.roll(a, 1, axis=1)])
     + xp.stack([a, a])[1].sum() + xp.permute_dims(xp.reshape(a, (3, 2)), (1, 0)).sum(),
     [(2, 3)]),
    ("broadcast", lambda a, b: sum(xp.broadcast_arrays(a, b)) + xp.broadcast_to(b, (2, 3)),
     [(2, 1), (3,)]),
    ("squeeze/expand/tile/repeat", lambda a: xp.squeeze(xp.expand_dims(a, axis=0), axis=0)
     + xp.tile(a, (1, 2))[:, :3] + xp.repeat(a, 2, axis=1)[:, ::2], [(2, 3)]),
    ("moveaxis/unstack", lambda a: xp.moveaxis(a, 0, -1)[0] * xp.unstack(a, axis=1)[0][0],
     [(2, 3)]),
    ("take/take_along_axis/sort", lambda a: xp.take(a, xp.asarray([2, 0, 2]), axis=1)
     + xp.take_along_axis(a, xp.asarray([[1, 1, 0], [2, 0, 1]]), axis=1)
     + xp.sort(a, axis=1), [(2, 3)]),
    ("matmul/tensordot/vecdot", lambda a, b: xp.matmul(a, b).sum() + xp.tensordot(a, b, axes=1)
     + xp.vecdot(a, xp.matrix_transpose(b)), [(2, 3), (3, 2)]),
    ("astype/asarray", lambda a: xp.astype(a, xp.float64) + xp.asarray(a, copy=True), [(3,)]),
    ("linalg.inv/det/slogdet", lambda a: xp.linalg.inv(a).sum() + xp.linalg.det(a)
     + xp.linalg.slogdet(a)[1], [(3, 3)]),
    ("linalg.solve", lambda a, b: xp.linalg.solve(a + 3 * xp.eye(3, dtype=xp.float64), b),
     [(3, 3), (3, 2)]),
    ("linalg.cholesky", lambda a: xp.linalg.cholesky(_spd(a)), [(3, 3)]),
    ("linalg.qr", lambda a: xp.linalg.qr(a)[0].sum(0) + xp.linalg.qr(a)[1].sum(0), [(4, 3)]),
    ("linalg.qr wide", lambda a: xp.linalg.qr(a)[1].sum() + xp.linalg.qr(a)[0].sum(), [(2, 3)]),
    ("linalg.svd", lambda a: xp.linalg.svd(a, full_matrices=False)[1]
     + xp.abs(xp.linalg.svd(a, full_matrices=False)[0]).sum(0), [(4, 3)]),
    ("linalg.svdvals", lambda a: xp.linalg.svdvals(a), [(2, 4)]),
    ("linalg.eigh", lambda a: xp.linalg.eigh(_sym(a))[0]
     + xp.abs(xp.linalg.eigh(_sym(a))[1]).sum(0), [(3, 3)]),
    ("linalg.eigvalsh", lambda a: xp.linalg.eigvalsh(_sym(a)), [(3, 3)]),
    ("linalg.pinv", lambda a: xp.linalg.pinv(a), [(3, 2)]),
    ("linalg.matrix_power", lambda a: xp.linalg.matrix_power(a, 3)
     + xp.linalg.matrix_power(a + 3 * xp.eye(2, dtype=xp.float64), -1), [(2, 2)]),
    ("linalg.norms", lambda a: xp.linalg.matrix_norm(a) + xp.linalg.matrix_norm(a, ord="nuc")
     + xp.linalg.matrix_norm(a, ord=2) + xp.linalg.matrix_norm(a, ord=math.inf)
     + xp.linalg.vector_norm(a, ord=3), [(3, 2)]),
    ("linalg.misc", lambda a, b: xp.linalg.trace(a[:, :3, :3]) + xp.linalg.outer(a[0, 0], b)
     .sum() + xp.linalg.cross(a[..., :3], b).sum() + xp.linalg.diagonal(a, offset=1).sum(),
     [(2, 3, 3), (3,)]),
    ("fft.fft/ifft", lambda a: xp.real(xp.fft.fft(a, n=5)) + xp.imag(xp.fft.ifft(a, n=5,
                                                                                 norm="ortho")),
     [(4,)]),
    ("fft.rfft/irfft", lambda a: xp.fft.irfft(xp.fft.rfft(a) * xp.fft.rfft(a), n=6), [(6,)]),
    ("fft.hfft/ihfft", lambda a: xp.fft.hfft(xp.fft.ihfft(a) * 2, n=5, norm="forward"), [(5,)]),
    ("fft.fftn/rfftn", lambda a: xp.real(xp.fft.fftn(a)).sum() + xp.imag(xp.fft.rfftn(a))
     .sum() + xp.fft.irfftn(xp.fft.rfftn(a), s=(2, 4)).sum() + xp.fft.fftshift(a).sum(0),
     [(2, 4)]),
]


@EAGER
@pytest.mark.parametrize("name,fn,shapes", GRADCHECKED, ids=[c[0] for c in GRADCHECKED])
def test_gradcheck(name, fn, shapes):
    assert gc(fn, tuple(f64(*s) for s in shapes))


@EAGER
@pytest.mark.parametrize("name", ["linalg.inv/det/slogdet", "linalg.cholesky", "linalg.qr",
                                  "linalg.eigh", "fft.rfft/irfft", "std/var"])
def test_gradgradcheck(name):
    _, fn, shapes = next(c for c in GRADCHECKED if c[0] == name)
    assert ggc(fn, tuple(f64(*s) for s in shapes))


def test_graph_through_the_namespace_on_every_backend(backend):
    """The same namespace code backpropagates on each backend (linalg where it has it)."""
    x = agrad.tensor([[2.0, 0.5], [0.5, 3.0]], dtype=agrad.float64, requires_grad=True)
    y = xp.sum(xp.exp(x) * xp.asarray(2.0, dtype=xp.float64), axis=0)
    z = xp.linalg.vector_norm(y) + xp.mean(xp.fft.irfft(xp.fft.rfft(x, axis=0), n=2, axis=0))
    if backend.supports("linalg", "inv"):
        z = z + xp.sum(xp.linalg.inv(x))
    z.backward()
    want = agrad.tensor(host(x), dtype=agrad.float64, device="cpu", requires_grad=True)
    import agrad.array_api as np_xp

    with agrad.backend("numpy"):
        wy = np_xp.sum(np_xp.exp(want) * 2.0, axis=0)
        wz = np_xp.linalg.vector_norm(wy) + np_xp.mean(
            np_xp.fft.irfft(np_xp.fft.rfft(want, axis=0), n=2, axis=0))
        if backend.supports("linalg", "inv"):
            wz = wz + np_xp.sum(np_xp.linalg.inv(want))
        wz.backward()
    np.testing.assert_allclose(host(x.grad), host(want.grad), rtol=1e-10)


def test_missing_linalg_is_declared(backend):
    x = xp.asarray([[2.0, 0.0], [0.0, 3.0]])
    if backend.supports("linalg", "eigh"):
        np.testing.assert_allclose(host(xp.linalg.eigvalsh(x)), [2.0, 3.0])
    else:
        with pytest.raises(RuntimeError, match=f"the {backend.name} backend has no linalg.eigh"):
            xp.linalg.eigh(x)


def test_std_and_clip_gradients_are_pytorchs_where_they_have_a_kink():
    """std where every element is the same: a zero gradient (PyTorch's std), not var's square
    root's nan; clip at an array bound x equals: all of the gradient to x (PyTorch's clamp of
    tensors), not maximum's half."""
    import torch

    x = agrad.tensor([1.0, 1.0, 1.0], dtype=agrad.float64, requires_grad=True)
    xp.std(x).backward()
    assert host(x.grad).tolist() == [0.0, 0.0, 0.0]
    y = agrad.tensor([0.5], dtype=agrad.float64, requires_grad=True)
    xp.std(y, axis=()).backward()
    assert host(y.grad).tolist() == [0.0]
    data = [-1.0, 0.0, 2.0]
    x, lo = (agrad.tensor(v, dtype=agrad.float64, requires_grad=True) for v in (data, [-1.0]))
    tx, tlo = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (data, [-1.0]))
    xp.clip(x, lo, 1.5).sum().backward()
    torch.clamp(tx, tlo, torch.tensor(1.5, dtype=torch.float64)).sum().backward()
    assert host(x.grad).tolist() == tx.grad.tolist() and host(lo.grad).tolist() == \
        tlo.grad.tolist()
    assert xp.clip(x, lo, 1.5).dtype is agrad.float64


def test_searchsorted_of_a_0d_value_and_with_a_sorter():
    """Every backend (Dask's own searchsorted takes neither: agrad's Dask namespace adds them),
    against NumPy's."""
    a = np.array([3.0, 1.0, 2.0, 2.0])
    order = np.argsort(a, kind="stable")
    got = xp.searchsorted(xp.asarray(np.sort(a)), xp.asarray(2.0), side="right")
    assert got.shape == () and int(got) == np.searchsorted(np.sort(a), 2.0, side="right")
    v = np.array([[1.5, 2.0], [0.0, 9.0]])
    for side in ("left", "right"):
        got = xp.searchsorted(xp.asarray(a), xp.asarray(v), side=side,
                              sorter=xp.asarray(order))
        assert host(got).tolist() == np.searchsorted(a, v, side=side, sorter=order).tolist()
