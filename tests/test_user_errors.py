"""The errors a PyTorch user meets are PyTorch's, type and words, and leave everything as it was:
`dtype=` arguments (PyTorch's dtype objects only), foreign tensors and the NumPy bridge, nested
Python data, device strings and CUDA on a machine without it, backend names (`AGRAD_BACKEND`,
`set_backend`), and the dtype names the messages print. Each is compared with PyTorch where it
can run the same call."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import types

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the differential oracle; "
                                            "pip install torch==2.13.0")

import agrad  # noqa: E402
from agrad import config  # noqa: E402
from agrad.adapter import Backend  # noqa: E402

pytestmark = pytest.mark.torch


def result(fn):
    """What fn() does, comparably across the two libraries: the exception's type and message,
    or the tensor's values and dtype."""
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - what is raised is what is compared
        return type(e), str(e)
    if hasattr(r, "tolist") and hasattr(r, "dtype"):
        return r.tolist(), str(r.dtype)
    if isinstance(r, (agrad.dtype, torch.dtype)):
        return str(r)
    return r


def same(call, *args, **kwargs):
    """call(lib, ...) does the same on agrad as on torch."""
    want = result(lambda: call(torch, *args, **kwargs))
    got = result(lambda: call(agrad, *args, **kwargs))
    assert got == want, f"\nagrad: {got}\ntorch: {want}"
    return got


# -- 1. dtype= takes PyTorch's dtype objects (and Python's scalar types) only -------------------

BAD_DTYPES = {"str": "float32", "numpy_type": np.float32, "numpy_dtype": np.dtype("float64"),
              "int": 3, "numpy_int": np.int64(3)}

DTYPE_CALLS = {
    "ones": lambda l, d: l.ones(3, dtype=d),
    "ones_tuple": lambda l, d: l.ones((2, 3), dtype=d),
    "zeros": lambda l, d: l.zeros(3, dtype=d),
    "empty": lambda l, d: l.empty(3, dtype=d),
    "full": lambda l, d: l.full((2,), 1.0, dtype=d),
    "tensor": lambda l, d: l.tensor([1, 2], dtype=d),
    "tensor_numpy": lambda l, d: l.tensor(np.arange(3), dtype=d),
    "as_tensor": lambda l, d: l.as_tensor([1, 2], dtype=d),
    "scalar_tensor": lambda l, d: l.scalar_tensor(1, dtype=d),
    "arange": lambda l, d: l.arange(3, dtype=d),
    "arange_two": lambda l, d: l.arange(1, 3, dtype=d),
    "arange_three": lambda l, d: l.arange(1, 7, 2, dtype=d),
    "rand": lambda l, d: l.rand(3, dtype=d),
    "rand_tuple": lambda l, d: l.rand((2, 3), dtype=d),
    "randn": lambda l, d: l.randn(2, 3, dtype=d),
    "randint": lambda l, d: l.randint(3, (2,), dtype=d),
    "randint_low": lambda l, d: l.randint(1, 3, (2,), dtype=d),
    "randperm": lambda l, d: l.randperm(3, dtype=d),
    "eye": lambda l, d: l.eye(3, dtype=d),
    "eye_two": lambda l, d: l.eye(2, 3, dtype=d),
    "linspace": lambda l, d: l.linspace(0.0, 1.0, 3, dtype=d),
    "logspace": lambda l, d: l.logspace(0.0, 1.0, 3, dtype=d),
    "logspace_base": lambda l, d: l.logspace(0.0, 1.0, 3, 2.0, dtype=d),
    "zeros_like": lambda l, d: l.zeros_like(l.ones(2), dtype=d),
    "ones_like": lambda l, d: l.ones_like(l.ones(2), dtype=d),
    "empty_like": lambda l, d: l.empty_like(l.ones(2), dtype=d),
    "full_like": lambda l, d: l.full_like(l.ones(2), 7, dtype=d),
    "rand_like": lambda l, d: l.rand_like(l.ones(2), dtype=d),
    "randn_like": lambda l, d: l.randn_like(l.ones(2), dtype=d),
    "randint_like": lambda l, d: l.randint_like(l.ones(2), 3, dtype=d),
    "randint_like_low": lambda l, d: l.randint_like(l.ones(2), 1, 3, dtype=d),
    "new_zeros": lambda l, d: l.ones(2).new_zeros(3, dtype=d),
    "new_ones": lambda l, d: l.ones(2).new_ones((3,), dtype=d),
    "new_empty": lambda l, d: l.ones(2).new_empty(3, dtype=d),
    "new_full": lambda l, d: l.ones(2).new_full((3,), 1, dtype=d),
    "new_tensor": lambda l, d: l.ones(2).new_tensor([1, 2], dtype=d),
    "to_keyword": lambda l, d: l.ones(2).to(dtype=d),
    "to_positional": lambda l, d: l.ones(2).to(d),
    "to_device_keyword": lambda l, d: l.ones(2).to("cpu", dtype=d),
    "to_two_keywords": lambda l, d: l.ones(2).to(device="cpu", dtype=d),
    "sum_dim": lambda l, d: l.ones(2, 3).sum(1, dtype=d),
    "mean_dim": lambda l, d: l.ones(2, 3).mean(0, dtype=d),
    "prod_dim": lambda l, d: l.ones(2, 3).prod(1, dtype=d),
    "nansum": lambda l, d: l.ones(2).nansum(dtype=d),
    "cumsum": lambda l, d: l.ones(2).cumsum(0, dtype=d),
    "cumprod": lambda l, d: l.cumprod(l.ones(2), 0, dtype=d),
    "norm": lambda l, d: l.ones(2).norm(dtype=d),
    "vector_norm": lambda l, d: l.linalg.vector_norm(l.ones(2), dtype=d),
    "softmax": lambda l, d: l.nn.functional.softmax(l.ones(2), 0, dtype=d),
    "log_softmax": lambda l, d: l.nn.functional.log_softmax(l.ones(2), 0, dtype=d),
    "softmin": lambda l, d: l.nn.functional.softmin(l.ones(2), 0, dtype=d),
    "linear_layer": lambda l, d: l.nn.Linear(2, 2, dtype=d).weight,
    "module_to": lambda l, d: l.nn.Linear(2, 2).to(dtype=d).weight,
    "fftfreq": lambda l, d: l.fft.fftfreq(4, dtype=d),
    "rfftfreq": lambda l, d: l.fft.rfftfreq(4, dtype=d),
    "view": lambda l, d: l.ones(2).view(d),
    "finfo": lambda l, d: l.finfo(d).eps,
    "iinfo": lambda l, d: l.iinfo(d).max,
    "promote_types": lambda l, d: l.promote_types(l.int32, d),
    "promote_types_first": lambda l, d: l.promote_types(d, l.int32),
    "can_cast": lambda l, d: l.can_cast(d, l.int32),
    "set_default_dtype": lambda l, d: l.set_default_dtype(d),
}


@pytest.mark.backends("numpy")
@pytest.mark.parametrize("bad", sorted(BAD_DTYPES))
@pytest.mark.parametrize("name", sorted(DTYPE_CALLS))
def test_dtype_arguments_take_dtypes_only(name, bad):
    got = same(DTYPE_CALLS[name], BAD_DTYPES[bad])
    assert isinstance(got, tuple) and issubclass(got[0], Exception)
    assert agrad.get_default_dtype() is agrad.float32


# numbers' Python types are dtypes to PyTorch's parser: float is float64, int int64 ...
GOOD_CALLS = ("ones", "zeros", "full", "tensor", "arange", "eye", "ones_like", "to_positional",
              "to_keyword", "new_zeros", "sum_dim", "cumsum", "promote_types", "can_cast")


@pytest.mark.backends("numpy")
@pytest.mark.parametrize("pytype", [float, int, bool, complex])
@pytest.mark.parametrize("name", GOOD_CALLS)
def test_python_scalar_types_are_dtypes(name, pytype):
    same(DTYPE_CALLS[name], pytype)


def test_every_factory_dtype_is_checked_on_every_backend():
    # (the parser's check comes before any backend work: the same error on each backend)
    for name in ("ones", "zeros", "full", "tensor", "arange", "rand", "eye", "linspace"):
        with pytest.raises(TypeError, match="must be torch.dtype, not str|invalid combination"):
            DTYPE_CALLS[name](agrad, "float32")


@pytest.mark.backends("numpy")
def test_set_default_dtype_refuses_and_keeps_the_default():
    for bad in ("float64", float, np.float64, agrad.int32):
        same(lambda l, d: l.set_default_dtype(getattr(l, d) if d == "int32" else d),
             "int32" if bad is agrad.int32 else bad)
        assert agrad.get_default_dtype() is agrad.float32


def test_to_overloads_refuse_what_pytorch_refuses_and_change_nothing():
    x = agrad.arange(4.0)
    for call in (lambda l, x: x.to("cpu", "float64"), lambda l, x: x.to(None, "f"),
                 lambda l, x: x.to(l.float64, dtype="f"), lambda l, x: x.to(np.float32),
                 lambda l, x: x.to(l.float64, False, True, 3),
                 lambda l, x: x.to(l.float64, "no")):
        want = result(lambda c=call: c(torch, torch.arange(4.0)))
        got = result(lambda c=call: c(agrad, x))
        assert got == want
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0] and x.dtype is agrad.float32
    # the valid spellings still work: positional copy, a tensor's dtype, Python's float
    y = x.to(agrad.float32, False, True)
    assert y is not x and y.tolist() == x.tolist()
    assert x.to(agrad.ones(1, dtype=agrad.int64)).dtype is agrad.int64
    assert x.to(float).dtype is agrad.float64


def test_tensor_type_conversions():
    for arg in ("float32", np.float32, float, 3, np.dtype("float32"), "torch.Foo",
                "torch.DoubleTensor", "DoubleTensor"):
        same(lambda l, a: l.ones(2).type(a), arg)
    for legacy in ("DoubleTensor", "IntTensor", "Tensor"):
        same(lambda l, a: l.ones(2).type(getattr(l, a)), legacy)
    with agrad.backend("numpy"):
        assert agrad.ones(2).type("torch.LongTensor").dtype is agrad.int64


# -- 2. foreign tensors: converted through DLPack with their dtype, by protocol ------------------

TORCH_DTYPES = ("float32", "float64", "float16", "int8", "int16", "int32", "int64", "uint8",
                "bool", "complex64", "complex128")


@pytest.mark.parametrize("dtype", TORCH_DTYPES)
def test_tensor_of_a_torch_tensor_converts_keeping_its_dtype(dtype, backend):
    if getattr(agrad, dtype) not in backend.dtypes:
        pytest.skip(f"the {backend.name} backend has no {dtype}")
    src = (torch.arange(6) % 3).to(getattr(torch, dtype)).reshape(2, 3)
    a = agrad.tensor(src)
    assert a.tolist() == src.tolist() and str(a.dtype) == str(src.dtype)
    assert a.device == agrad.ones(1).device  # the current backend's
    src.view(-1)[0] = 1  # a copy: writing the source leaves the tensor as it was
    assert a.reshape(-1)[0].item() == 0
    t = agrad.tensor(src.t(), dtype=agrad.float64) if not src.is_complex() else \
        agrad.tensor(src.t())  # a strided view (and a dtype asked for)
    assert t.tolist() == src.t().to(torch.complex128 if src.is_complex() else
                                    torch.float64).tolist()


def test_as_tensor_and_asarray_of_a_torch_tensor():
    src = torch.arange(3, dtype=torch.int16)
    for fn in (agrad.as_tensor, agrad.asarray):
        a = fn(src)
        assert a.tolist() == [0, 1, 2] and a.dtype is agrad.int16


def test_torch_tensor_that_requires_grad_is_refused_with_the_reason():
    src = torch.ones(2, requires_grad=True)
    with pytest.raises(BufferError, match=r"use tensor.detach\(\)"):
        agrad.tensor(src)
    assert agrad.tensor(src.detach()).tolist() == [1.0, 1.0]


@pytest.mark.backends("numpy")
def test_from_numpy_takes_ndarrays_only():
    same(lambda l: l.from_numpy(torch.ones(2)))
    same(lambda l: l.from_numpy([1, 2]))
    same(lambda l: l.from_numpy(np.float32(1)))
    same(lambda l: l.from_numpy(np.array(["a"])))
    same(lambda l: l.from_numpy(np.array([1, None], dtype=object)))
    same(lambda l: l.tensor(np.array(["a", "b"])))
    same(lambda l: l.as_tensor(np.array([b"a"])))
    m = np.ma.masked_array([1.0, 2.0])  # a subclass is an ndarray
    assert agrad.from_numpy(m).tolist() == [1.0, 2.0]


# -- 3. the NumPy bridge refuses as .numpy() does; NumPy 2's __array__ keywords --------------

@pytest.mark.backends("numpy", "numpy_writeback", "dask")
@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept:DeprecationWarning")
def test_numpy_conversion_of_a_tensor_that_requires_grad():  # (the warning is torch's)
    for conv in (np.asarray, np.array, lambda t: np.asarray(t, dtype=np.float64),
                 lambda t: t.__array__(), lambda t: t.numpy()):
        x = agrad.ones(3, requires_grad=True)
        same(lambda l, c: c(l.ones(3, requires_grad=True)), conv)
        with pytest.raises(RuntimeError, match="Can't call numpy"):
            conv(x)
        assert x.requires_grad and x.grad is None and x._vc.version == 0
    assert np.asarray(agrad.ones(3, requires_grad=True).detach()).tolist() == [1.0] * 3


@pytest.mark.backends("numpy")
def test_array_protocol_shares_memory_and_honours_dtype_and_copy():
    x = agrad.zeros(3)
    a = np.asarray(x)
    a[0] = 5.0
    assert x.tolist() == [5.0, 0.0, 0.0]  # PyTorch's np.asarray(t) shares too
    c = np.asarray(x, copy=True)
    c[1] = 7.0
    assert x.tolist() == [5.0, 0.0, 0.0]
    d = np.asarray(x, dtype=np.float64)
    assert d.dtype == np.float64 and d.tolist() == [5.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        np.asarray(x, dtype=np.float64, copy=False)
    assert np.asarray(x, copy=False).dtype == np.float32
    assert np.asarray(x, dtype=np.float32, copy=False).tolist() == [5.0, 0.0, 0.0]


# -- 7. nested Python data read as PyTorch reads it ---------------------------------------------

MALFORMED = [
    [[1, 2], [3]], [[1], [2, 3]], [[[1, 2], [3, 4]], [[1, 2], [3]]], [[1, 2], 3], [1, [2, 3]],
    [[1], []], ["a"], "a", b"ab", [1, "a"], [[1, 2], [3, "a"]], [1, None], None, [[1], None],
    {1: 2}, {1, 2}, [{1, 2}], [1, object()], object(), [2 ** 64], 2 ** 63, [1, 2 ** 70],
    [np.array(1.0), 2.0], [np.ones(2), np.ones(3)], [1, []],
]
MALFORMED_WITH_TENSORS = ["ones2_list", "ones2_ones2", "ones2_ones3"]
WELL_FORMED = [
    [[], []], [[], [1]], [[[]]], [[], [[1]]], [], (1, 2), [(1, 2), [3, 4]], range(3),
    [range(2), range(2)], [True, 2.5], [True, 2], [1, 2.5j], [np.float64(1), 1.0],
    [np.int32(1), 1], [np.float32(1)], np.float64(2.5), np.int16(3), [np.ones(2), np.ones(2)],
    [[1, 2], np.ones(2)], [np.ones(2, dtype=np.float32), [1, 2]], [1e400], True, 2.5, 3, 1j,
]


def _id(x) -> str:
    """A test id the same in every xdist worker (no object addresses)."""
    return re.sub(r" at 0x[0-9a-f]+", "", repr(x))


def _data(lib, spec):
    return {"ones2_list": lambda: [lib.ones(2), [1, 2]],
            "ones2_ones2": lambda: [lib.ones(2), lib.ones(2)],
            "ones2_ones3": lambda: [lib.ones(2), lib.ones(3)],
            "one_element": lambda: [lib.ones(1), lib.ones(1, 1), 2],
            "row_of_tensor": lambda: [[1.0, 2.0], lib.ones(2)],
            "typed_scalars": lambda: [lib.tensor(1, dtype=lib.int8), True],
            "double_scalar": lambda: [1, lib.tensor(2.5, dtype=lib.float64)],
            "uint8_scalar": lambda: [lib.tensor(2, dtype=lib.uint8), -1]}[spec]()


@pytest.mark.backends("numpy", "dask")  # refused before any backend work
@pytest.mark.parametrize("data", MALFORMED, ids=_id)
def test_malformed_data_is_refused_as_pytorch_refuses_it(data):
    got = same(lambda l: l.tensor(data))
    assert isinstance(got[0], type) and issubclass(got[0], Exception)


@pytest.mark.parametrize("spec", MALFORMED_WITH_TENSORS)
def test_lists_of_tensors_take_one_element_tensors_only(spec):
    same(lambda l: l.tensor(_data(l, spec)))


@pytest.mark.parametrize("data", WELL_FORMED, ids=_id)
def test_well_formed_data_gives_pytorch_values_shape_and_dtype(data):
    got = same(lambda l: l.tensor(data))
    assert isinstance(got[1], str) and got[1].startswith("torch.")
    assert tuple(agrad.tensor(data).shape) == tuple(torch.tensor(data).shape)


@pytest.mark.parametrize("spec", ["one_element", "row_of_tensor", "typed_scalars",
                                  "double_scalar", "uint8_scalar"])
def test_tensors_inside_lists(spec):
    same(lambda l: l.tensor(_data(l, spec)))


CONVERSIONS = [
    ([300], "uint8"), ([-1], "uint8"), ([-255], "uint8"), ([-256], "uint8"), ([1.5], "int64"),
    ([2 ** 63], "int32"), ([2 ** 31], "int32"), ([-129], "int8"), ([1e10], "int32"),
    ([float("inf")], "int64"), ([float("nan")], "int64"), (float("nan"), "int64"),
    ([2 ** 64], "uint64"), ([-1], "uint64"), ([2 ** 63], "uint64"), ([1j], "float32"),
    ([1.5j], "int64"), ([1j], "bool"), ([1.5], "bool"), ([1, None], "float32"),
    ([1, None], "int32"), ([1, None], "bool"), ([1, None], "complex64"), ([1, []], "bool"),
    ([1, [2]], "complex64"), (["a"], "float32"), ([[1, 2], [3, 4, 5]], "float32"),
    ([1, 2], "bool"), ([2 ** 64], "float32"), ([np.int64(2 ** 62)], "float32"),
    ([True, 2], "float64"), ([[1, 2], [3, 4]], "complex128"), ([70000.0], "float16"),
    ([255.9], "uint8"), ([-0.5], "uint8"), ([127.5], "int8"), ([-128.5], "int8"),
    ([-1.5], "uint8"), ([2.0 ** 63], "int64"), ([-2.0 ** 63], "int64"), ([2.0 ** 31], "int32"),
    ([np.float32(1e10)], "int32"), ([np.int64(300)], "uint8"), ([np.float64(1.5)], "int32"),
    ([np.int64(2)], "float32"), ([np.float32(2.5)], "complex64"), ([1, np.array(2.0)], "int64"),
    ([1, np.array(2.0)], "float64"), ([np.int8(-1)], "uint8"),
]


@pytest.mark.parametrize("data,dtype", CONVERSIONS, ids=_id)
def test_values_convert_into_the_dtype_as_pytorch_converts_them(data, dtype, backend):
    if getattr(agrad, dtype) not in backend.dtypes:
        pytest.skip(f"the {backend.name} backend has no {dtype}")
    same(lambda l: l.tensor(data, dtype=getattr(l, dtype)))


def test_tensor_data_is_not_read_as_numpy_reads_it():
    # NumPy would make a (2, 2) array of these; PyTorch refuses multi-element tensors here
    x = agrad.ones(2)
    with pytest.raises(ValueError, match="only one element tensors"):
        agrad.tensor([x, x])
    assert x.tolist() == [1.0, 1.0] and x._vc.version == 0


@pytest.mark.backends("numpy")
def test_self_referential_list():
    a: list = [1]
    a.append(a)
    same(lambda l: l.tensor(a))


# -- 4. devices: PyTorch's messages, agrad's public device types --------------------------------

@pytest.mark.backends("numpy")
def test_unknown_device_lists_the_public_device_types_only():
    before = str(pytest.raises(RuntimeError, agrad.device, "foo").value)
    assert before == ("Expected one of cpu, cuda, dask, strict device type at start of device "
                      "string: foo")
    agrad.get_backend("numpy_writeback")  # loading a test backend adds nothing to the list
    agrad.get_backend("dask")
    after = str(pytest.raises(RuntimeError, agrad.device, "foo").value)
    assert after == before
    assert agrad.device("cpu_wb").type == "cpu_wb"  # still accepted by name


@pytest.mark.backends("numpy")
@pytest.mark.parametrize("spec", ["foo", "float32", "", "cpu:0:1", "cuda:x", "cuda:-1",
                                  "cuda:01", "c-pu", "cpu:", ":0", "CPU"])
def test_device_strings_parse_as_pytorch_parses_them(spec):
    want = result(lambda: torch.device(spec))
    got = result(lambda: agrad.device(spec))
    if isinstance(want, tuple) and "device type at start of device string" in want[1]:
        assert got == (RuntimeError, "Expected one of cpu, cuda, dask, strict device type at "
                                     f"start of device string: {spec}")
    else:
        assert got == want if isinstance(want, tuple) else repr(got) == repr(want)


class _Listed(Backend):
    """A stand-in third-party adapter for the listing tests (never instantiated)."""

    name = "listed_adapter"
    device_type = "listed"


class _Unlisted(_Listed):
    name = "unlisted_adapter"
    device_type = "unlisted"
    public = False


class _EntryPoint:
    def __init__(self, cls):
        self.cls = cls

    def load(self):
        return self.cls


@pytest.mark.backends("numpy")
def test_public_is_an_adapter_capability_not_a_name(monkeypatch):
    registry = dict(config._registered())
    registry.update(listed_adapter=_EntryPoint(_Listed), unlisted_adapter=_EntryPoint(_Unlisted))
    monkeypatch.setattr(config, "_entry_points", registry)
    assert config.public_device_types() == ["cpu", "cuda", "dask", "listed", "strict"]
    assert "unlisted" in config.known_device_types()
    assert agrad.device("unlisted").type == "unlisted"
    with pytest.raises(ValueError) as e:
        agrad.set_backend("nmupy")
    assert "listed_adapter" in str(e.value) and "unlisted_adapter" not in str(e.value)
    assert "numpy_writeback" not in str(e.value)
    from agrad.backends.testing import WritebackNumpyBackend

    assert WritebackNumpyBackend.public is False and Backend.public is True


# -- 5, 6. backend names: refused at once, with the names --------------------------------------

KNOWN = ("expected one of array_api_strict, cupy, dask, numpy (or the device types cpu, cuda, "
         "strict), or the name of an importable Array API namespace")


@pytest.mark.backends("numpy")
def test_agrad_backend_variable_is_checked_at_import():
    env = dict(os.environ, AGRAD_BACKEND="nmupy")
    r = subprocess.run([sys.executable, "-c", "import agrad"], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode != 0
    assert f"ValueError: unknown backend 'nmupy': {KNOWN}" in r.stderr
    env["AGRAD_BACKEND"] = "numpy_writeback"  # a registered name is fine, test ones too
    r = subprocess.run([sys.executable, "-c", "import agrad; print(agrad.ones(1).device)"],
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "cpu_wb", r.stderr


@pytest.mark.backends("numpy")
@pytest.mark.parametrize("name", ["", "nmupy", "a.b", "numpy.nope"])
def test_set_backend_names_the_known_backends(name):
    before = config._current.get()
    with pytest.raises(ValueError) as e:
        agrad.set_backend(name)
    assert str(e.value) == f"unknown backend {name!r}: {KNOWN}"
    with pytest.raises(ValueError), agrad.backend(name):
        pass
    assert config._current.get() == before


@pytest.mark.backends("numpy")
def test_set_backend_wants_a_name():
    with pytest.raises(TypeError, match="named by a string"):
        agrad.set_backend(None)


# -- 8. CUDA without CUDA: PyTorch's CPU build's errors ----------------------------------------

CPU_BUILDS = pytest.mark.skipif(
    torch.backends.cuda.is_built() or importlib.util.find_spec("cupy") is not None,
    reason="compares two CPU builds: PyTorch without CUDA, agrad without CuPy")

CUDA_CALLS = {
    "cuda": lambda l: l.ones(2).cuda(),
    "cuda_string": lambda l: l.ones(2).cuda("cuda:0"),
    "cuda_device": lambda l: l.ones(2).cuda(l.device("cuda")),
    "cuda_cpu": lambda l: l.ones(2).cuda("cpu"),
    "to": lambda l: l.ones(2).to("cuda"),
    "to_index": lambda l: l.ones(2).to("cuda:1"),
    "to_dtype": lambda l: l.ones(2).to(l.device("cuda"), l.float64),
    "ones": lambda l: l.ones(2, device="cuda"),
    "zeros_index": lambda l: l.zeros(2, device="cuda:0"),
    "tensor": lambda l: l.tensor([1], device="cuda"),
    "ones_like": lambda l: l.ones_like(l.ones(2), device=l.device("cuda")),
    "type": lambda l: l.ones(2).type("torch.cuda.FloatTensor"),
    "current_device": lambda l: l.cuda.current_device(),
    "synchronize": lambda l: l.cuda.synchronize(),
    "init": lambda l: l.cuda.init(),
    "module": lambda l: l.nn.Linear(2, 2).cuda().weight,
    "is_available": lambda l: l.cuda.is_available(),
    "device_count": lambda l: l.cuda.device_count(),
    "manual_seed": lambda l: l.cuda.manual_seed(0),
    "device": lambda l: str(l.device("cuda")),
}
# PyTorch's CPU build raises other words for these (a missing CUDA library): only the type
TYPE_ONLY = {"type": AssertionError}


@CPU_BUILDS
@pytest.mark.parametrize("name", sorted(CUDA_CALLS))
def test_cuda_without_cuda(name):
    if name in TYPE_ONLY:
        with pytest.raises(TYPE_ONLY[name], match="Torch not compiled with CUDA enabled"):
            CUDA_CALLS[name](agrad)
        return
    same(CUDA_CALLS[name])


class _NoGPU(Backend):
    """CuPy installed on a machine without a GPU."""

    name = "cupy_stand_in"
    device_type = "cuda"
    xp = types.SimpleNamespace()

    @classmethod
    def is_available(cls) -> bool:
        return False


def test_cuda_with_cupy_but_no_gpu(monkeypatch):
    """PyTorch's CUDA build on a machine without a GPU says so with a RuntimeError; agrad with
    CuPy and no GPU is that case."""
    monkeypatch.setitem(config._by_device_type, "cuda", _NoGPU())
    assert agrad.cuda.is_available() is False and agrad.cuda.device_count() == 0
    agrad.cuda.manual_seed(0)
    x = agrad.ones(2)
    for call in (x.cuda, lambda: x.to("cuda"), lambda: agrad.zeros(2, device="cuda"),
                 agrad.cuda.current_device, agrad.cuda.synchronize, agrad.cuda.init):
        with pytest.raises(RuntimeError) as e:
            call()
        assert str(e.value) == "No CUDA GPUs are available"
    assert x.tolist() == [1.0, 1.0] and x.device.type == agrad.ones(1).device.type


@pytest.mark.backends("numpy")
def test_cuda_error_carries_agrad_hint():
    if sys.version_info < (3, 11) or importlib.util.find_spec("cupy") is not None:
        pytest.skip("exception notes are Python 3.11+; CuPy installed")
    with pytest.raises(AssertionError) as e:
        agrad.ones(2).cuda()
    assert "pip install agrad[cuda]" in "".join(e.value.__notes__)


# -- 9. dtype names in messages, as PyTorch prints them ------------------------------------------

MESSAGES = {
    "finfo_int": lambda l: l.finfo(l.int32),
    "iinfo_float": lambda l: l.iinfo(l.float32),
    "promote_uint64": lambda l: l.promote_types(l.uint64, l.int64),
    "add_uint64_int64": lambda l: l.ones(2, dtype=l.uint64) + l.ones(2, dtype=l.int64),
    "grad_dtype": lambda l: setattr(l.ones(2, requires_grad=True), "grad",
                                    l.ones(2, dtype=l.float64)),
    "grad_dtype_int": lambda l: setattr(l.ones(2, requires_grad=True), "grad",
                                        l.ones(2, dtype=l.int64)),
    "grad_size": lambda l: setattr(l.ones(2, 3, requires_grad=True), "grad", l.ones(3)),
    "take_along_dim_float": lambda l: l.take_along_dim(l.ones(3), l.tensor([0.0])),
    "cross_entropy_float_target": lambda l: l.nn.functional.cross_entropy(
        l.ones(2, 3), l.tensor([0.5, 1.0])),
    "cross_entropy_int_probabilities": lambda l: l.nn.functional.cross_entropy(
        l.ones(2, 3), l.ones(2, 3, dtype=l.int64)),
    "mean_int": lambda l: l.ones(2, dtype=l.int64).mean(),
    "vector_norm_int": lambda l: l.linalg.vector_norm(l.ones(2, dtype=l.int64)),
    "rand_int": lambda l: l.rand(2, dtype=l.int64),
    "median_bool": lambda l: l.tensor([True]).median(),
    "masked_fill_int_mask": lambda l: l.ones(3).masked_fill(l.tensor([1, 0, 1]), 0.0),
    "module_to_int": lambda l: l.nn.Linear(2, 2).to(l.int32),
    "backward_int": lambda l: l.autograd.backward(l.ones((), dtype=l.int64)),
    "nll_target": lambda l: l.nn.functional.nll_loss(l.ones(2, 3),
                                                     l.tensor([0, 1], dtype=l.int32)),
    "solve_dtypes": lambda l: l.linalg.solve(l.eye(2), l.ones(2, dtype=l.float64)),
    "isclose_dtypes": lambda l: l.isclose(l.ones(2), l.ones(2, dtype=l.float64)),
    "cross_dtypes": lambda l: l.linalg.cross(l.ones(3), l.ones(3, dtype=l.float64)),
    "dot_dtypes": lambda l: l.dot(l.ones(2), l.ones(2, dtype=l.float64)),
    "mv_dtypes": lambda l: l.mv(l.ones(2, 2), l.ones(2, dtype=l.float64)),
    "mm_dtypes": lambda l: l.mm(l.ones(2, 2), l.ones(2, 2, dtype=l.float64)),
    "bmm_dtypes": lambda l: l.bmm(l.ones(1, 2, 2), l.ones(1, 2, 2, dtype=l.float64)),
    "addmm_dtypes": lambda l: l.addmm(l.ones(2, 2, dtype=l.float64), l.ones(2, 2),
                                      l.ones(2, 2)),
    "mm_bool": lambda l: l.mm(l.ones(2, 2, dtype=l.bool), l.ones(2, 2, dtype=l.bool)),
    "lerp_int": lambda l: l.lerp(l.ones(2, dtype=l.int64), l.ones(2, dtype=l.int64), 0.5),
    "out_cast": lambda l: l.add(l.ones(2), l.ones(2), out=l.zeros(2, dtype=l.int64)),
    "sqrt_int_": lambda l: l.ones(2, dtype=l.int64).sqrt_(),
    "inv_int": lambda l: l.linalg.inv(l.ones(2, 2, dtype=l.int64)),
    "gather_float": lambda l: l.gather(l.ones(3), 0, l.tensor([0.5])),
    "index_select_float": lambda l: l.index_select(l.ones(3), 0, l.tensor([0.0])),
    "embedding_float": lambda l: l.nn.functional.embedding(l.tensor([0.0]), l.ones(2, 2)),
}


@pytest.mark.backends("numpy")
@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_dtype_names_in_messages(name):
    same(MESSAGES[name])


@pytest.mark.backends("numpy")
def test_take_along_dim_index_dtypes():
    same(lambda l: l.take_along_dim(l.arange(3.0), l.tensor([2, 0], dtype=l.int32)))
    for dtype in ("int32", "float32"):
        same(lambda l, d: l.take_along_dim(l.ones(2, 3), l.tensor([[0]], dtype=getattr(l, d)),
                                           1), dtype)
        same(lambda l, d: l.take_along_dim(l.ones(2, 3), l.tensor([0], dtype=getattr(l, d)),
                                           1), dtype)


FILLS = [(300, "uint8"), (-1, "uint8"), (np.int64(300), "uint8"), (np.float32(1e10), "int32"),
         (-256, "uint8"), (255.9, "uint8"), (-0.5, "uint16"),
         (2 ** 40, "int32"), (2 ** 40, "int16"), (-129, "int8"), (2 ** 70, "int64"),
         (2 ** 63, "int8"), (2 ** 63, "uint64"), (2 ** 64, "uint64"), (-2 ** 40, "uint64"),
         (float("nan"), "int64"), (float("inf"), "int64"), (2.0 ** 63, "int64"), (1.5, "int64"),
         (1e40, "float32"), (3.5e38, "complex64"), (1j, "float32"), (1j, "float64"),
         (1 + 0j, "int32"), (1j, "float16"), (1e10, "float16"), (float("inf"), "float32"),
         (2 ** 70, "bool"), (2 ** 63, "bool"), (5, "bool"), (2 ** 70, "float64")]


@pytest.mark.backends("numpy")
@pytest.mark.parametrize("value,dtype", FILLS, ids=_id)
def test_fill_values_are_checked_as_pytorch_checks_them(value, dtype):
    same(lambda l: l.full((2,), value, dtype=getattr(l, dtype)))
    same(lambda l: l.zeros(2, dtype=getattr(l, dtype)).fill_(value))
    x = agrad.zeros(2, dtype=getattr(agrad, dtype))
    before = x.tolist()
    try:
        x.fill_(value)
    except (RuntimeError, OverflowError):
        assert x.tolist() == before and x._vc.version == 0


@pytest.mark.parametrize("call", [
    lambda l, x: x.sum(1, dtype=l.bool), lambda l, x: x.sum(dtype=l.bool),
    lambda l, x: x.prod(1, dtype=l.bool), lambda l, x: x.prod(dtype=l.bool),
    lambda l, x: x.cumsum(1, dtype=l.bool), lambda l, x: x.cumprod(0, dtype=l.bool),
    lambda l, x: x.bool().sum(1), lambda l, x: x.bool().cumsum(1)])
def test_bool_accumulation_saturates_or_is_refused(call):
    # sum/prod with dtype=bool are any/all (PyTorch's bool accumulator); scans have no kernel
    same(lambda l, _: call(l, l.tensor([[1, 2, 0], [3, 0, 0]])), None)
