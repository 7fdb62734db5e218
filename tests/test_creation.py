"""Every factory against PyTorch: dtype, shape and (where deterministic) values; the random
ones by shape, dtype, range and reproducibility under `agrad.manual_seed`; the legacy typed
constructors, `*_like`, `new_*` and `.type(...)`."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the differential oracle; "
                                            "pip install torch==2.13.0")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import agrad  # noqa: E402

pytestmark = pytest.mark.torch

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def lib_call(fn):
    """fn(lib) evaluated with agrad and with torch."""
    return fn(agrad), fn(torch)


def same(a, t, exact=True):
    assert isinstance(a, agrad.Tensor)
    assert tuple(a.shape) == tuple(t.shape)
    assert repr(a.dtype) == repr(t.dtype)
    if exact is None:  # uninitialized memory: only the metadata is defined
        return
    if exact:
        assert a.tolist() == t.tolist()
    else:
        np.testing.assert_allclose(np.asarray(a.tolist(), dtype=np.complex128),
                                   np.asarray(t.tolist(), dtype=np.complex128), rtol=1e-6,
                                   atol=1e-7)


def raises_like(fn):
    with pytest.raises(Exception) as et:
        fn(torch)
    with pytest.raises(type(et.value)) as ea:
        fn(agrad)
    return ea, et


def on_current_backend(x):
    assert x.device == agrad.current_backend_device() if hasattr(agrad, "current_backend_device") \
        else x.device.type == agrad.current_backend().device_type


# ---------------------------------------------------------------------------------------------
# zeros / ones / empty / full

SIZES = [(5, 3), ((5, 3),), ([2, 4],), (0,), ((),), (1, 0, 2), (4,)]


@pytest.mark.parametrize("size", SIZES, ids=str)
@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("dtype", [None, "long", "float64", "bool", "int32"])
def test_fill_factories(name, size, dtype):
    kw = {} if dtype is None else {"dtype": dtype}
    a = getattr(agrad, name)(*size, **{k: getattr(agrad, v) for k, v in kw.items()})
    t = getattr(torch, name)(*size, **{k: getattr(torch, v) for k, v in kw.items()})
    same(a, t, exact=None if name == "empty" else True)
    on_current_backend(a)
    assert a.requires_grad is False


def test_factory_size_from_torch_size_and_requires_grad():
    a = agrad.zeros(agrad.zeros(2, 3).size(), requires_grad=True)
    assert a.shape == (2, 3) and a.requires_grad and a.is_leaf
    assert a.shape == agrad.Size([2, 3])
    with pytest.raises(RuntimeError):
        agrad.zeros(2, dtype=agrad.long, requires_grad=True)


@pytest.mark.parametrize("fn", [
    lambda l: l.zeros(-1),
    lambda l: l.ones(2, -3),
    lambda l: l.full((2,), 1.0).new_zeros(-1),
    lambda l: l.eye(-1),
    lambda l: l.arange(0, 5, -1),
    lambda l: l.arange(0, 5, 0),
    lambda l: l.randint(5, 3, (2,)),
    lambda l: l.rand(2, dtype=l.long),
    lambda l: l.randn(2, dtype=l.int32),
    lambda l: l.full(2, 1.0),
], ids=range(10))
def test_factory_errors(fn):
    ea, et = raises_like(fn)


@pytest.mark.parametrize("fn", [
    lambda l: l.full((2, 3), 1.5),
    lambda l: l.full((2,), 7),
    lambda l: l.full((2,), True),
    lambda l: l.full([3], -2, dtype=l.float64),
    lambda l: l.full((), 4.0),
    lambda l: l.full((2, 2), 1j),
    lambda l: l.full((2,), 2.7, dtype=l.int32),
    lambda l: l.full_like(l.zeros(2, dtype=l.long), 2.7),
    lambda l: l.full_like(l.zeros(2, 2), 3),
    lambda l: l.full_like(l.zeros(2), 3, dtype=l.int16),
    lambda l: l.scalar_tensor(3),
    lambda l: l.scalar_tensor(3, dtype=l.long),
], ids=range(12))
def test_full(fn):
    a, t = lib_call(fn)
    same(a, t)


# ---------------------------------------------------------------------------------------------
# arange / linspace / eye

@pytest.mark.parametrize("args,kw", [
    ((5,), {}), ((1, 4), {}), ((0, 1, 0.25), {}), ((5.0,), {}), ((10, 0, -3), {}),
    ((0, 1, 0.1), {}), ((0.5, 3), {}), ((-3, 3, 2), {"dtype": "float64"}),
    ((4,), {"dtype": "int32"}), ((0, 2, 0.3), {"dtype": "float64"}), ((3,), {"dtype": "float32"}),
    ((0,), {}), ((2, 2), {}), ((1, -1, -0.5), {}),
], ids=str)
def test_arange(args, kw):
    a = agrad.arange(*args, **{k: getattr(agrad, v) for k, v in kw.items()})
    t = torch.arange(*args, **{k: getattr(torch, v) for k, v in kw.items()})
    same(a, t, exact=not t.is_floating_point())


@SETTINGS
@given(start=st.integers(-20, 20), length=st.integers(0, 30), step=st.sampled_from(
    [1, 2, 3, -1, -2, 0.5, 0.1, 0.3, -0.25, 1.5]))
def test_arange_hypothesis(start, length, step):
    end = start + length * step * 0.97
    a, t = agrad.arange(start, end, step), torch.arange(start, end, step)
    same(a, t, exact=not t.is_floating_point())


@pytest.mark.parametrize("args,kw", [
    ((0, 1, 5), {}), ((-1, 1, 1), {}), ((0, 1, 0), {}), ((3, -3, 7), {}),
    ((0, 10, 4), {"dtype": "int64"}), ((0, 1, 11), {"dtype": "float64"}), ((2, 2, 3), {}),
    ((-5, 5, 6), {"dtype": "int32"}),
], ids=str)
def test_linspace(args, kw):
    a = agrad.linspace(*args, **{k: getattr(agrad, v) for k, v in kw.items()})
    t = torch.linspace(*args, **{k: getattr(torch, v) for k, v in kw.items()})
    same(a, t, exact=not t.is_floating_point())


@pytest.mark.parametrize("args,kw", [
    ((3,), {}), ((2, 4), {}), ((4, 2), {}), ((0,), {}), ((3,), {"dtype": "long"}),
    ((2, 3), {"dtype": "bool"}), ((1,), {"dtype": "float64"}),
], ids=str)
def test_eye(args, kw):
    a = agrad.eye(*args, **{k: getattr(agrad, v) for k, v in kw.items()})
    t = torch.eye(*args, **{k: getattr(torch, v) for k, v in kw.items()})
    same(a, t)


# ---------------------------------------------------------------------------------------------
# tensor / as_tensor

TENSOR_DATA = [
    [5.5, 3], [[1, 2], [3, 4]], 3, 3.5, True, [True, False], [], [[]], [[1.5], [2]], 1 + 2j,
    [1, 2.5, True], [[[1]]], (1, 2, 3), [(1, 2), (3, 4)], -7, [0.1, 1, 10],
]


@pytest.mark.parametrize("data", TENSOR_DATA, ids=str)
@pytest.mark.parametrize("dtype", [None, "float64", "int32", "bool", "complex64"])
def test_tensor_from_python(data, dtype):
    if dtype is not None and isinstance(data, complex) or (dtype not in (None, "complex64")
                                                            and "j" in str(data)):
        return
    kw = {} if dtype is None else {"dtype": getattr(agrad, dtype)}
    a = agrad.tensor(data, **kw)
    t = torch.tensor(data, **({} if dtype is None else {"dtype": getattr(torch, dtype)}))
    same(a, t, exact=dtype != "complex64")
    on_current_backend(a)


@pytest.mark.parametrize("arr", [
    np.arange(6).reshape(2, 3), np.ones(3, dtype=np.float32), np.array([1.5, -2.0]),
    np.array([True, False]), np.array(2.5), np.arange(4, dtype=np.int32), np.zeros((2, 0)),
    np.float64(2.5), np.int32(3), np.arange(6.0).reshape(2, 3).T,
], ids=range(10))
def test_tensor_from_numpy_copies(arr):
    a, t = agrad.tensor(arr), torch.tensor(arr)
    same(a, t)
    if isinstance(arr, np.ndarray) and arr.size:
        before = a.tolist()
        arr[...] = 0  # tensor() copies: the tensor does not see it
        assert a.tolist() == before


def test_tensor_from_tensor_and_scalars():
    src = agrad.tensor([1.0, 2.0], requires_grad=True)
    c = agrad.tensor(src.detach())
    c.add_(1)
    assert src.tolist() == [1.0, 2.0]
    r = agrad.tensor(src.detach(), requires_grad=True)
    assert r.requires_grad and r.is_leaf
    a, t = agrad.tensor([agrad.tensor(1.5), 2]), torch.tensor([torch.tensor(1.5), 2])
    same(a, t)
    same(agrad.tensor([1, 2], dtype=agrad.float64), torch.tensor([1, 2], dtype=torch.float64))


def test_tensor_requires_grad():
    a = agrad.tensor([1.0, 2.0], requires_grad=True)
    assert a.requires_grad and a.is_leaf and a.grad is None and a.grad_fn is None
    with pytest.raises(RuntimeError, match="floating point"):
        agrad.tensor([1, 2], requires_grad=True)


def test_as_tensor():
    for data in ([1, 2], [1.5], 3.0, [[True]]):
        same(agrad.as_tensor(data), torch.as_tensor(data))
    x = agrad.tensor([1.0, 2.0])
    assert agrad.as_tensor(x) is x
    y = agrad.as_tensor(x, dtype=agrad.float64)
    same(y, torch.as_tensor(torch.tensor([1.0, 2.0]), dtype=torch.float64))
    same(agrad.as_tensor(np.arange(3), dtype=agrad.float32),
         torch.as_tensor(np.arange(3), dtype=torch.float32))


@pytest.mark.backends("numpy")
def test_as_tensor_shares_numpy_memory():
    arr = np.arange(3.0)
    a = agrad.as_tensor(arr)
    arr[0] = 10
    assert a.tolist() == [10.0, 1.0, 2.0]
    a.add_(1)
    assert arr.tolist() == [11.0, 2.0, 3.0]


# ---------------------------------------------------------------------------------------------
# random factories

@pytest.mark.parametrize("name", ["rand", "randn"])
@pytest.mark.parametrize("dtype", [None, "float64", "float32"])
def test_rand_randn(name, dtype):
    kw = {} if dtype is None else {"dtype": getattr(agrad, dtype)}
    a = getattr(agrad, name)(5, 3, **kw)
    t = getattr(torch, name)(5, 3, **({} if dtype is None else {"dtype": getattr(torch, dtype)}))
    assert a.shape == t.shape and repr(a.dtype) == repr(t.dtype)
    vals = np.asarray(a.tolist())
    if name == "rand":
        assert ((vals >= 0) & (vals < 1)).all()
    assert len(set(vals.ravel().tolist())) > 10  # not constant
    on_current_backend(a)
    a1 = getattr(agrad, name)((2, 2), **kw)
    assert a1.shape == (2, 2)
    assert getattr(agrad, name)(()).shape == ()


def test_rand_distribution_is_plausible():
    u = np.asarray(agrad.rand(4000).tolist())
    n = np.asarray(agrad.randn(4000).tolist())
    assert 0.45 < u.mean() < 0.55 and u.min() >= 0 and u.max() < 1
    assert abs(n.mean()) < 0.1 and 0.9 < n.std() < 1.1


@pytest.mark.parametrize("args,kw", [
    ((5, (10, 5)), {}), ((3, 10, (4,)), {}), ((2, (3, 3)), {"dtype": "int32"}),
    ((-5, 5, (100,)), {}), ((5, (3,)), {"dtype": "float32"}), ((0, 1, (4,)), {}),
    ((7, ()), {}),
], ids=str)
def test_randint(args, kw):
    a = agrad.randint(*args, **{k: getattr(agrad, v) for k, v in kw.items()})
    t = torch.randint(*args, **{k: getattr(torch, v) for k, v in kw.items()})
    assert a.shape == t.shape and repr(a.dtype) == repr(t.dtype)
    lo, hi = (0, args[0]) if len(args) == 2 else args[:2]
    vals = np.asarray(a.tolist())
    assert ((vals >= lo) & (vals < hi)).all()
    assert (vals == np.round(vals)).all()


def test_randint_size_keyword_and_like():
    a = agrad.randint(0, 4, size=(3, 2))
    assert a.shape == (3, 2) and a.dtype == agrad.int64
    b = agrad.randint_like(agrad.zeros(2, 2), 10)
    t = torch.randint_like(torch.zeros(2, 2), 10)
    assert b.shape == t.shape and repr(b.dtype) == repr(t.dtype)
    assert all(0 <= v < 10 for v in b.reshape(-1).tolist())


def test_randperm():
    a = agrad.randperm(10)
    assert a.dtype == agrad.int64 and sorted(a.tolist()) == list(range(10))


@pytest.mark.parametrize("make", [
    lambda: agrad.rand(3, 2), lambda: agrad.randn(4), lambda: agrad.randint(0, 100, (5,)),
    lambda: agrad.randn_like(agrad.zeros(2, 2)), lambda: agrad.rand(2, dtype=agrad.float64),
    lambda: agrad.randperm(6),
], ids=range(6))
def test_manual_seed_reproducible(make):
    agrad.manual_seed(123)
    first = make().tolist()
    again = make().tolist()
    agrad.manual_seed(123)
    assert make().tolist() == first
    assert make().tolist() == again
    agrad.manual_seed(124)
    assert make().tolist() != first
    g = agrad.manual_seed(5)
    assert g.initial_seed() == 5


# ---------------------------------------------------------------------------------------------
# *_like and new_*

LIKE = [
    ("zeros_like", (), {}), ("ones_like", (), {}), ("empty_like", (), {}),
    ("zeros_like", (), {"dtype": "long"}), ("ones_like", (), {"dtype": "float64"}),
    ("full_like", (7,), {}), ("full_like", (0.5,), {"dtype": "float64"}),
]


@pytest.mark.parametrize("name,args,kw", LIKE, ids=str)
@pytest.mark.parametrize("src_dtype", ["float32", "int64", "float64"])
def test_like(name, args, kw, src_dtype):
    xa = agrad.tensor([[1, 2, 3], [4, 5, 6]], dtype=getattr(agrad, src_dtype))
    xt = torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=getattr(torch, src_dtype))
    a = getattr(agrad, name)(xa, *args, **{k: getattr(agrad, v) for k, v in kw.items()})
    t = getattr(torch, name)(xt, *args, **{k: getattr(torch, v) for k, v in kw.items()})
    same(a, t, exact=None if name == "empty_like" else True)
    assert a.device == xa.device
    a.fill_(9)  # a fresh tensor, not a view of the source
    assert xa.tolist() == xt.tolist()


def test_random_like():
    x = agrad.zeros(5, 3, dtype=agrad.double)
    for fn in (agrad.rand_like, agrad.randn_like):
        r = fn(x)
        assert r.shape == (5, 3) and r.dtype == agrad.float64 and r.device == x.device
        r = fn(x, dtype=agrad.float)  # the seed: randn_like(x, dtype=torch.float)
        assert r.dtype == agrad.float32
    with pytest.raises(RuntimeError):
        agrad.rand_like(agrad.zeros(2, dtype=agrad.long))


def test_like_device_argument():
    x = agrad.ones(2, 3)
    y = agrad.ones_like(x, device=x.device)
    assert y.device == x.device and y.tolist() == [[1.0] * 3] * 2
    z = agrad.zeros_like(x, device="cpu")
    assert z.device == agrad.device("cpu") and z.shape == (2, 3)
    w = agrad.ones_like(x, device=agrad.device("cpu"), dtype=agrad.double)
    assert w.device.type == "cpu" and w.dtype == agrad.float64


NEW = [
    ("new_ones", (5, 3), {"dtype": "double"}), ("new_ones", ((2,),), {}),
    ("new_zeros", (2, 2), {}), ("new_zeros", ([3],), {"dtype": "long"}),
    ("new_full", ((2, 2), 3), {}), ("new_full", ((1,), 2.5), {"dtype": "float64"}),
    ("new_empty", (2,), {}), ("new_tensor", ([1, 2],), {}),
    ("new_tensor", ([1.5, 2],), {}), ("new_tensor", ([[1]],), {"dtype": "int32"}),
]


@pytest.mark.parametrize("name,args,kw", NEW, ids=str)
@pytest.mark.parametrize("src_dtype", ["float32", "int64"])
def test_new_methods(name, args, kw, src_dtype):
    xa = agrad.tensor([5.5, 3], dtype=getattr(agrad, src_dtype))
    xt = torch.tensor([5.5, 3], dtype=getattr(torch, src_dtype))
    a = getattr(xa, name)(*args, **{k: getattr(agrad, v) for k, v in kw.items()})
    t = getattr(xt, name)(*args, **{k: getattr(torch, v) for k, v in kw.items()})
    same(a, t, exact=None if name == "new_empty" else True)
    assert a.device == xa.device


def test_seed_new_ones_randn_like():
    x = agrad.tensor([5.5, 3])
    x = x.new_ones(5, 3, dtype=agrad.double)
    assert x.dtype == agrad.float64 and x.tolist() == [[1.0] * 3] * 5
    x = agrad.randn_like(x, dtype=agrad.float)
    assert x.dtype == agrad.float32 and x.size() == (5, 3)


# ---------------------------------------------------------------------------------------------
# legacy constructors and .type()

LEGACY = ["FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor", "Tensor",
          "ShortTensor", "ByteTensor", "CharTensor", "HalfTensor"]


@pytest.mark.parametrize("name", LEGACY)
@pytest.mark.parametrize("data", [[0.5, 0.7, 0.1], [[1, 2], [3, 4]], [0.1, 1, 10], [True, False],
                                  "np_int", "np_float", "sizes", "empty"], ids=str)
def test_legacy_constructors(backend, name, data):
    if name == "HalfTensor" and agrad.float16 not in backend.dtypes:
        pytest.skip("no float16 on this backend")
    if data == "np_int":
        args = (np.arange(10).reshape(2, 5),)
    elif data == "np_float":
        args = (np.arange(6.0).reshape(3, 2),)
    elif data == "sizes":
        args = (2, 3)
    elif data == "empty":
        args = ()
    else:
        args = (data,)
        if name in ("ByteTensor",) and any(v < 0 for v in np.ravel(data)):
            return
    a = getattr(agrad, name)(*args)
    t = getattr(torch, name)(*args)
    same(a, t, exact=None if data == "sizes" else True)
    if a.device.type != "cpu" or name == "Tensor":
        return
    assert isinstance(a, getattr(agrad, name))


def test_legacy_types_repr_and_isinstance():
    for name in LEGACY[:-1]:
        if name == "Tensor":
            continue
        assert repr(getattr(agrad, name)) == repr(getattr(torch, name))
    x = agrad.zeros(2)
    assert isinstance(x, agrad.Tensor)
    if x.device.type == "cpu":
        assert isinstance(x, agrad.FloatTensor)
        assert not isinstance(x, agrad.LongTensor)
    assert not isinstance(x.long(), agrad.FloatTensor)


@pytest.mark.parametrize("target", [
    "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor",
    "'torch.LongTensor'", "'torch.DoubleTensor'", "int32", "float64",
])
def test_type_conversion(target):
    def conv(lib, x):
        if target.startswith("'"):
            return x.type(target.strip("'"))
        return x.type(getattr(lib, target))
    xa, xt = agrad.tensor([1.7, -2.0, 0.0]), torch.tensor([1.7, -2.0, 0.0])
    same(conv(agrad, xa), conv(torch, xt))


@pytest.mark.backends("numpy")
def test_type_names():
    for dt in ["float32", "float64", "int64", "int32", "bool", "int16", "uint8", "int8"]:
        assert agrad.zeros(1, dtype=getattr(agrad, dt)).type() == \
            torch.zeros(1, dtype=getattr(torch, dt)).type()
    x = agrad.randn(4, 3).type(agrad.FloatTensor)
    assert x.type() == "torch.FloatTensor" and x.shape == (4, 3)


def test_seed_legacy_examples():
    n1 = np.arange(10).reshape(2, 5)
    t1 = agrad.FloatTensor(n1)
    assert t1.tolist() == [[0.0, 1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0, 9.0]]
    assert t1.dtype == agrad.float32 and t1.ndim == 2 and t1.shape == agrad.Size([2, 5])
    g = agrad.Tensor([0.1, 1, 10])
    same(g, torch.Tensor([0.1, 1, 10]))
    dtype = agrad.FloatTensor
    x = agrad.randn(64, 10).type(dtype)
    assert x.shape == (64, 10) and x.dtype == agrad.float32
