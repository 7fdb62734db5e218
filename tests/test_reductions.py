"""Every reduction against PyTorch, on every backend: values, result dtype and shape over dtypes,
`dim` forms (None, int, negative, tuples) and `keepdim` (hypothesis); max/min with a dim
(values and indices, named), argmax/argmin, std/var corrections, norm orders, logsumexp,
all/any, scans, and the errors PyTorch raises."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the differential oracle; "
                                            "pip install torch==2.13.0")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import agrad  # noqa: E402

pytestmark = pytest.mark.torch

SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

DTYPES = ["bool", "uint8", "int32", "int64", "float16", "float32", "float64"]
RTOL = {"float16": 5e-3, "float32": 1e-5, "float64": 1e-10}


def backend_has(name):
    return getattr(agrad, name) in agrad.current_backend().dtypes


def close(a, t):
    if isinstance(t, tuple):
        assert isinstance(a, tuple) and len(a) == len(t)
        for x, y in zip(a, t):
            close(x, y)
        return
    assert isinstance(a, agrad.Tensor), type(a)
    assert tuple(a.shape) == tuple(t.shape), (a.shape, t.shape)
    assert repr(a.dtype) == repr(t.dtype), (a.dtype, t.dtype)
    vt = t.detach().numpy()
    if not vt.size:
        return
    va = np.asarray(a.tolist())
    name = str(t.dtype).removeprefix("torch.")
    if name in RTOL:
        np.testing.assert_allclose(va, vt, rtol=RTOL[name], atol=RTOL[name], equal_nan=True)
    else:
        assert va.tolist() == vt.tolist()


def same_outcome(fa, ft, message=False):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rt = ft()
    except Exception as e:  # noqa: BLE001 - a refusal of torch's must be agrad's too
        with pytest.raises(type(e)) as ea:
            fa()
        if message:
            assert str(ea.value) == str(e)
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ra = fa()
    close(ra, rt)
    return ra


def distinct(dtype, shape, data):
    """Values without ties (so argmax/max indices are well defined), fitting `dtype`."""
    n = math.prod(shape)
    perm = data.draw(st.permutations(range(n)))
    vals = np.asarray(perm, dtype=np.float64).reshape(shape)
    if dtype == "bool":
        return vals.astype(np.int64) % 2 == 0
    if dtype == "uint8":
        return vals.astype(np.uint8)
    if dtype.startswith("int"):
        return (vals - n // 2).astype(dtype)
    return ((vals - n / 2) / 2).astype(dtype)


@st.composite
def dims(draw, ndim, allow_tuple=True, allow_none=True):
    opts = []
    if allow_none:
        opts.append(st.none())
    if ndim:
        opts.append(st.integers(-ndim, ndim - 1))
        if allow_tuple:
            opts.append(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                                 unique=True).map(tuple))
    else:
        opts.append(st.sampled_from([0, -1]))
    return draw(st.one_of(*opts))


SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)

# name -> (call(lib, x, dim, keepdim), dtypes it takes, supports tuple dims)
REDUCTIONS = {
    "sum": (lambda l, x, d, k: l.sum(x, d, keepdim=k) if d is not None else l.sum(x), DTYPES,
            True),
    "sum_method": (lambda l, x, d, k: x.sum(d, k) if d is not None else x.sum(), DTYPES, True),
    "sum_dtype": (lambda l, x, d, k: x.sum(d, k, dtype=l.float64) if d is not None
                  else x.sum(dtype=l.float64), DTYPES, True),
    "nansum": (lambda l, x, d, k: l.nansum(x, d, keepdim=k) if d is not None else l.nansum(x),
               ["float32", "float64"], True),
    "mean": (lambda l, x, d, k: x.mean(d, k) if d is not None else x.mean(), DTYPES, True),
    "mean_dtype": (lambda l, x, d, k: x.mean(d, k, dtype=l.float64) if d is not None
                   else x.mean(dtype=l.float64), ["int64", "float32"], True),
    "prod": (lambda l, x, d, k: x.prod(d, k) if d is not None else x.prod(), DTYPES, False),
    "amax": (lambda l, x, d, k: l.amax(x, d if d is not None else (), k), DTYPES, True),
    "amin": (lambda l, x, d, k: x.amin(d if d is not None else (), k), DTYPES, True),
    "max": (lambda l, x, d, k: tuple(l.max(x, d, keepdim=k)) if d is not None else l.max(x),
            DTYPES, False),
    "min": (lambda l, x, d, k: tuple(x.min(d, k)) if d is not None else x.min(), DTYPES, False),
    "max_values": (lambda l, x, d, k: x.max(dim=d if d is not None else 0, keepdim=k).values,
                   DTYPES, False),
    "min_indices": (lambda l, x, d, k: x.min(dim=d if d is not None else 0, keepdim=k).indices,
                    DTYPES, False),
    "argmax": (lambda l, x, d, k: l.argmax(x, d, keepdim=k), DTYPES, False),
    "argmin": (lambda l, x, d, k: x.argmin(d, k), DTYPES, False),
    "std": (lambda l, x, d, k: x.std(d, keepdim=k) if d is not None else x.std(), DTYPES, True),
    "var": (lambda l, x, d, k: l.var(x, d, keepdim=k) if d is not None else l.var(x), DTYPES,
            True),
    "var_unbiased_false": (lambda l, x, d, k: x.var(d, False, k) if d is not None
                           else x.var(unbiased=False), ["float32", "float64"], True),
    "std_correction0": (lambda l, x, d, k: x.std(d, keepdim=k, correction=0),
                        ["float32", "float64"], True),
    "std_mean": (lambda l, x, d, k: tuple(l.std_mean(x, d, keepdim=k)), ["float32", "float64"],
                 True),
    "var_mean": (lambda l, x, d, k: tuple(l.var_mean(x, d, keepdim=k)), ["float32", "float64"],
                 True),
    "norm": (lambda l, x, d, k: x.norm(dim=d, keepdim=k), DTYPES, True),
    "norm_p1": (lambda l, x, d, k: x.norm(p=1, dim=d, keepdim=k), ["float32", "float64"], True),
    "norm_p3": (lambda l, x, d, k: l.norm(x, p=3, dim=d, keepdim=k), ["float32", "float64"],
                True),
    "norm_inf": (lambda l, x, d, k: x.norm(p=float("inf"), dim=d, keepdim=k),
                 ["float32", "float64"], True),
    "norm_ninf": (lambda l, x, d, k: x.norm(p=-math.inf, dim=d, keepdim=k),
                  ["float32", "float64"], True),
    "norm_0": (lambda l, x, d, k: x.norm(p=0, dim=d, keepdim=k), ["float32", "float64"], True),
    "logsumexp": (lambda l, x, d, k: l.logsumexp(x, d if d is not None else 0, keepdim=k),
                  DTYPES, True),
    "all": (lambda l, x, d, k: x.all(d, k) if d is not None else x.all(), DTYPES, True),
    "any": (lambda l, x, d, k: l.any(x, d, keepdim=k) if d is not None else l.any(x), DTYPES,
            True),
    "count_nonzero": (lambda l, x, d, k: l.count_nonzero(x, d), DTYPES, True),
    "cumsum": (lambda l, x, d, k: x.cumsum(d if d is not None else 0), DTYPES, False),
    "cumsum_dtype": (lambda l, x, d, k: l.cumsum(x, d if d is not None else 0, dtype=l.float64),
                     DTYPES, False),
    "cumprod": (lambda l, x, d, k: x.cumprod(d if d is not None else 0), DTYPES, False),
    "median": (lambda l, x, d, k: tuple(x.median(d, k)) if d is not None else x.median(),
               ["float32", "float64", "int64"], False),
    "aminmax": (lambda l, x, d, k: tuple(l.aminmax(x, dim=d, keepdim=k)), DTYPES, False),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reductions(backend, name):
    fn, dtypes, tuples = REDUCTIONS[name]
    dtypes = [d for d in dtypes if backend_has(d)]

    @SETTINGS
    @given(dtype=st.sampled_from(dtypes), shape=SHAPES, keepdim=st.booleans(), data=st.data())
    def run(dtype, shape, keepdim, data):
        x = distinct(dtype, shape, data)
        if name in ("cumprod", "prod") and dtype != "bool":
            x = (np.abs(x.astype(np.float64)) % 3 + 1).astype(dtype)  # no overflow
        d = data.draw(dims(len(shape), allow_tuple=tuples))
        xa, xt = agrad.tensor(x), torch.tensor(x)
        same_outcome(lambda: fn(agrad, xa, d, keepdim), lambda: fn(torch, xt, d, keepdim))
    run()


# ---------------------------------------------------------------------------------------------
# max / min with a dim: named results

def test_max_min_dim_named_results():
    data = [[1.0, 5.0, 3.0], [7.0, 2.0, 9.0]]
    xa, xt = agrad.tensor(data), torch.tensor(data)
    for name in ("max", "min"):
        ra, rt = getattr(xa, name)(1), getattr(xt, name)(1)
        close(ra.values, rt.values)
        close(ra.indices, rt.indices)
        va, ia = ra
        close(va, rt[0])
        close(ia, rt[1])
        assert ra[0] is ra.values and ra[1] is ra.indices
        ra = getattr(agrad, name)(xa, dim=0, keepdim=True)
        rt = getattr(torch, name)(xt, dim=0, keepdim=True)
        close(tuple(ra), tuple(rt))
    # seed: argmax(dim) of an integer matrix
    y = [[4, 3, 4, 4, 1], [2, 2, 3, 4, 0], [0, 1, 0, 1, 2], [4, 4, 4, 4, 4]]
    close(agrad.tensor(y).argmax(dim=1), torch.tensor(y).argmax(dim=1))
    close(agrad.tensor(y).argmax(dim=0), torch.tensor(y).argmax(dim=0))
    close(agrad.tensor(y).argmax(), torch.tensor(y).argmax())
    close(agrad.tensor(y).argmax(1, keepdim=True), torch.tensor(y).argmax(1, keepdim=True))


@pytest.mark.backends("numpy")
def test_return_type_reprs():
    data = [[1.0, 5.0, 3.0], [7.0, 2.0, 9.0]]
    xa, xt = agrad.tensor(data), torch.tensor(data)
    for fn in (lambda x: x.max(1), lambda x: x.min(0), lambda x: x.median(1)):
        assert repr(fn(xa)) == repr(fn(xt))


def test_max_ties_take_first_index():
    data = [[3.0, 1.0, 3.0], [2.0, 2.0, 0.0]]
    xa, xt = agrad.tensor(data), torch.tensor(data)
    close(tuple(xa.max(1)), tuple(xt.max(1)))
    close(tuple(xa.min(1)), tuple(xt.min(1)))
    close(xa.argmax(1), xt.argmax(1))


def test_max_min_binary_forms():
    a, b = [[1.0, 5.0], [3.0, -1.0]], [[2.0, 0.0], [3.0, 4.0]]
    close(agrad.max(agrad.tensor(a), agrad.tensor(b)), torch.max(torch.tensor(a), torch.tensor(b)))
    close(agrad.tensor(a).min(agrad.tensor(b)), torch.tensor(a).min(torch.tensor(b)))


def test_nan_propagation():
    data = [[1.0, math.nan, 3.0], [4.0, 5.0, 6.0]]
    xa, xt = agrad.tensor(data), torch.tensor(data)
    for fn in (lambda x: x.sum(), lambda x: x.mean(1), lambda x: x.max(), lambda x: x.amax(1),
               lambda x: x.nansum(), lambda x: x.nansum(1), lambda x: x.std(1),
               lambda x: x.logsumexp(1), lambda x: x.norm(), lambda x: x.cumsum(1),
               lambda x: x.all(), lambda x: x.any(1), lambda x: x.prod(1)):
        close(fn(xa), fn(xt))


def test_inf_values():
    data = [[math.inf, 1.0], [-math.inf, -math.inf], [math.inf, math.inf]]
    xa, xt = agrad.tensor(data), torch.tensor(data)
    for fn in (lambda x: x.logsumexp(1), lambda x: x.sum(1), lambda x: x.max(1).values,
               lambda x: x.norm(dim=1), lambda x: x.amin(0)):
        close(fn(xa), fn(xt))


# ---------------------------------------------------------------------------------------------
# errors

@pytest.mark.parametrize("fn", [
    lambda l: l.tensor([1, 2]).mean(),
    lambda l: l.tensor([1, 2]).std(),
    lambda l: l.tensor([1, 2]).var(0),
    lambda l: l.tensor([1, 2]).norm(),
    lambda l: l.tensor([[1.0, 2.0]]).sum(2),
    lambda l: l.tensor([[1.0, 2.0]]).max(dim=3),
    lambda l: l.tensor([[1.0, 2.0]]).argmax(-3),
    lambda l: l.zeros(0).max(),
    lambda l: l.zeros(0).amax(),
    lambda l: l.zeros(2, 0).max(1),
    lambda l: l.zeros(3).sum(dim=(0, 0)),
    lambda l: l.zeros(3).sum_to_size(2),
    lambda l: l.tensor([1j]).max(),
    lambda l: l.tensor([1j]).argmax(),
    lambda l: l.zeros(0).argmax(),
], ids=range(15))
def test_reduction_errors(fn):
    same_outcome(lambda: fn(agrad), lambda: fn(torch), message=True)


# ---------------------------------------------------------------------------------------------
# sum_to_size, and the seeds' reductions

@pytest.mark.parametrize("src,size", [((2, 3), (1, 3)), ((2, 3), (2, 1)), ((4, 2, 3), (2, 1)),
                                      ((2, 3), (3,)), ((2, 3), (2, 3)), ((3,), (1,))])
def test_sum_to_size(src, size):
    x = np.arange(math.prod(src), dtype=np.float32).reshape(src)
    close(agrad.tensor(x).sum_to_size(*size), torch.tensor(x).sum_to_size(*size))
    close(agrad.tensor(x).sum_to_size(size), torch.tensor(x).sum_to_size(size))


def test_seed_reductions():
    a = agrad.ones(2, 2)
    b = a + 2
    c = b ** 2
    out = c.sum()
    assert out.item() == 36.0 and out.dtype == agrad.float32 and out.shape == ()
    z = (a + 2) * (a + 2) * 3
    assert z.mean().item() == 27.0
    y = agrad.tensor([90.6625, -1230.3733, -18.2669])
    close(y.norm(), torch.tensor([90.6625, -1230.3733, -18.2669]).norm())
    assert bool(y.norm() < 1000) is False
    x = agrad.tensor([0.5, 0.7, 0.1])
    assert isinstance(x.sum().item(), float)
    assert agrad.tensor([1, 2, 3]).sum().item() == 6


@pytest.mark.backends("numpy")
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=9),
                  elements=st.integers(-3, 3)), st.data())
def test_cumprod_without_cumulative_prod_is_exact(a, data):
    # a namespace of the standard before 2024.12 has no cumulative_prod: the fallback scan (it
    # once went through exp(cumsum(log)), NaN for negatives and inexact for integers)
    import array_api_compat.numpy as xp

    from agrad.ops.reduction import _cumprod

    class Older:
        def __getattr__(self, name):
            if name == "cumulative_prod":
                raise AttributeError(name)
            return getattr(xp, name)

    dim = data.draw(st.integers(0, a.ndim - 1))
    np.testing.assert_array_equal(_cumprod(Older(), xp.asarray(a), (dim, None)),
                                  np.cumprod(a, axis=dim))
