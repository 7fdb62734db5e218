"""The NumPy bridge (`.numpy()` / `from_numpy` share memory both ways on the CPU, views
included) and devices: parsing, `cuda.is_available()`, `.to(...)` / `.cpu()` / `.cuda()`, moving
between backends, and PyTorch's errors for unknown dtypes and devices."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the differential oracle; "
                                            "pip install torch==2.13.0")

import agrad  # noqa: E402

pytestmark = pytest.mark.torch


# ---------------------------------------------------------------------------------------------
# .numpy() and from_numpy share memory (NumPy backend)

@pytest.mark.backends("numpy")
def test_numpy_shares_memory_both_ways():
    a = agrad.ones(5)
    b = a.numpy()
    assert isinstance(b, np.ndarray) and b.dtype == np.float32
    a.add_(1)
    assert b.tolist() == [2.0] * 5
    b[0] = 10
    assert a.tolist() == [10.0, 2.0, 2.0, 2.0, 2.0]
    a.zero_()
    assert b.tolist() == [0.0] * 5
    a[1:3] = 7
    assert b.tolist() == [0.0, 7.0, 7.0, 0.0, 0.0]


@pytest.mark.backends("numpy")
def test_from_numpy_shares_memory_both_ways():
    arr = np.ones(5)
    t = agrad.from_numpy(arr)
    assert t.dtype == agrad.float64 and t.device == agrad.device("cpu")
    np.add(arr, 1, out=arr)
    assert t.tolist() == [2.0] * 5
    t.mul_(3)
    assert arr.tolist() == [6.0] * 5
    t[0] = -1
    assert arr[0] == -1
    tt = torch.from_numpy(np.ones(5))
    np.add(tt.numpy(), 1, out=tt.numpy())
    assert str(t.dtype) == str(tt.dtype)


@pytest.mark.backends("numpy")
def test_bridge_through_views():
    arr = np.arange(12.0).reshape(3, 4)
    t = agrad.from_numpy(arr)
    v = t[1:, ::2]  # a view of the shared buffer
    arr[2, 2] = 100
    assert v.tolist() == [[4.0, 6.0], [8.0, 100.0]]
    v.fill_(-1)
    assert arr.tolist() == [[0, 1, 2, 3], [-1, 5, -1, 7], [-1, 9, -1, 11]]
    # .numpy() of a view shares memory with the base
    tv = t.t().numpy()
    tv[0, 0] = 42
    assert t[0, 0].item() == 42 and arr[0, 0] == 42
    w = t.view(12).numpy()
    w[-1] = 5
    assert arr[2, 3] == 5
    # a write to the base is seen by an earlier .numpy() of a view
    col = t[:, 1].numpy()
    t.add_(1)
    assert col.tolist() == arr[:, 1].tolist()


@pytest.mark.backends("numpy")
def test_from_numpy_dtypes_and_errors():
    for dt in ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8",
               "bool", "complex64", "complex128"]:
        arr = np.zeros(2, dtype=dt)
        assert repr(agrad.from_numpy(arr).dtype) == repr(torch.from_numpy(arr).dtype)
    with pytest.raises(TypeError):
        agrad.from_numpy([1, 2])
    with pytest.raises(TypeError, match="can't convert np.ndarray of type numpy.object_"):
        agrad.from_numpy(np.array([object()]))


@pytest.mark.backends("numpy")
def test_seed_bridge_prints():
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        a = agrad.ones(5)
        b = a.numpy()
        a.add_(1)
        print(a)
        print(b)
        a2 = np.ones(5)
        b2 = agrad.from_numpy(a2)
        np.add(a2, 1, out=a2)
        print(a2)
        print(b2)
    assert out.getvalue() == (
        "tensor([2., 2., 2., 2., 2.])\n[2. 2. 2. 2. 2.]\n"
        "[2. 2. 2. 2. 2.]\ntensor([2., 2., 2., 2., 2.], dtype=torch.float64)\n")


def test_numpy_values_on_every_backend():
    a = agrad.tensor([[1.5, -2.0], [3.0, 4.0]])
    n = a.numpy()
    assert isinstance(n, np.ndarray) and n.dtype == np.float32
    assert n.tolist() == [[1.5, -2.0], [3.0, 4.0]]
    assert a.t().numpy().tolist() == [[1.5, 3.0], [-2.0, 4.0]]
    assert np.asarray(a).tolist() == n.tolist()
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        agrad.ones(2, requires_grad=True).numpy()
    assert agrad.ones(2, requires_grad=True).detach().numpy().tolist() == [1.0, 1.0]


def test_tensor_from_numpy_array_on_every_backend():
    arr = np.arange(6, dtype=np.int32).reshape(2, 3)
    t = agrad.tensor(arr)
    assert t.dtype == agrad.int32 and t.tolist() == arr.tolist()
    assert t.device.type == agrad.current_backend().device_type
    arr[0, 0] = 9
    assert t[0, 0].item() == 0  # tensor() copies


# ---------------------------------------------------------------------------------------------
# devices

def test_device_parsing():
    for spec in ["cpu", "cuda", "cuda:1", "cuda:0"]:
        d, td = agrad.device(spec), torch.device(spec)
        assert repr(d) == repr(td) and str(d) == str(td)
        assert d.type == td.type and d.index == td.index
    assert repr(agrad.device("cuda", 2)) == repr(torch.device("cuda", 2))
    assert agrad.device(agrad.device("cuda:1")) == agrad.device("cuda:1")
    assert agrad.device("cpu") == agrad.device("cpu") and agrad.device("cpu") != \
        agrad.device("cuda")
    assert hash(agrad.device("cuda:1")) == hash(agrad.device("cuda", 1))
    for bad in ["cuda:x", "cuda:-1", "foo", "cpu:", "banana:0"]:
        with pytest.raises(RuntimeError) as et:
            torch.device(bad)
        with pytest.raises(RuntimeError) as ea:
            agrad.device(bad)
        if "Invalid device string" in str(et.value):
            assert str(ea.value) == str(et.value)
        else:
            assert str(ea.value).startswith("Expected one of cpu, cuda")
            assert str(ea.value).endswith(f"device type at start of device string: {bad}")


def test_cuda_is_not_available_here():
    assert agrad.cuda.is_available() is False
    assert agrad.cuda.is_available() == torch.cuda.is_available()
    assert agrad.cuda.device_count() == 0
    x = agrad.ones(2)
    # PyTorch's CPU build refuses CUDA work with this AssertionError; agrad without CuPy too
    # (tests/test_user_errors.py compares them with PyTorch's)
    for attempt in (x.cuda, lambda: x.to("cuda"), lambda: agrad.ones(2, device="cuda"),
                    lambda: agrad.ones_like(x, device=agrad.device("cuda"))):
        with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
            attempt()
    assert x.tolist() == [1.0, 1.0]
    assert x.is_cuda is False


def test_seed_cuda_block_is_skipped():
    ran = []
    if agrad.cuda.is_available():
        ran.append(True)
    assert not ran
    x = agrad.randn(5, 3)
    device = x.device
    y = agrad.ones_like(x, device=device)
    z = x + y
    assert z.device == x.device
    w = z.to("cpu", agrad.double)
    assert w.dtype == agrad.float64 and w.device == agrad.device("cpu")
    assert np.allclose(np.asarray(w.tolist()), np.asarray(z.tolist()), rtol=1e-6)


def test_tensor_device_metadata():
    x = agrad.zeros(2)
    b = agrad.current_backend()
    assert x.device.type == b.device_type
    assert isinstance(x.device, agrad.device)
    if b.device_type == "cpu":
        t = torch.zeros(2)
        assert repr(x.device) == repr(t.device)
        assert x.is_cpu and x.get_device() == t.get_device() == -1
        assert x.type() == t.type()


@pytest.mark.parametrize("args,kwargs", [
    (("cpu",), {}), (("cpu", "double"), {}), (("double",), {}), ((), {"dtype": "int64"}),
    ((), {"device": "cpu", "dtype": "float16"}), (("cpu",), {"copy": True}),
    ((), {"dtype": "float32", "copy": True}), (("tensor_int32",), {}),
], ids=str)
def test_to(args, kwargs):
    def conv(lib, vals):
        out = []
        for v in vals:
            if v == "tensor_int32":
                out.append(lib.zeros(1, dtype=lib.int32))
            elif v in ("double", "int64", "float16", "float32"):
                out.append(getattr(lib, v))
            else:
                out.append(v)
        return out

    xa = agrad.tensor([1.5, -2.0, 3.0])
    xt = torch.tensor([1.5, -2.0, 3.0])
    kwa = dict(zip(kwargs, conv(agrad, kwargs.values())))
    kwt = dict(zip(kwargs, conv(torch, kwargs.values())))
    ra, rt = xa.to(*conv(agrad, args), **kwa), xt.to(*conv(torch, args), **kwt)
    assert repr(ra.dtype) == repr(rt.dtype)
    assert ra.tolist() == rt.tolist()
    if "cpu" in args or kwargs.get("device") == "cpu":
        assert ra.device == agrad.device("cpu")
    else:
        assert ra.device == xa.device
    # aliasing: to() returns self when nothing changes (and copy=False), as in PyTorch
    same_t = rt is xt
    same_a = ra is xa
    if xa.device.type == "cpu":
        assert same_a == same_t
    elif not same_t:
        assert not same_a


def test_cpu_and_moves_between_backends():
    x = agrad.tensor([[1.0, 2.0], [3.0, 4.0]])
    c = x.cpu()
    assert c.device == agrad.device("cpu") and c.tolist() == x.tolist()
    if x.device.type == "cpu":
        assert c is x
        return
    # a real move: a copy on the NumPy backend
    c.add_(1)
    assert x.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    back = c.to(x.device)
    assert back.device == x.device and back.tolist() == [[2.0, 3.0], [4.0, 5.0]]
    # mixing devices in one op is PyTorch's RuntimeError
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        x + c
    with pytest.raises(RuntimeError, match="same device"):
        agrad.add(c, x)
    # moving keeps autograd history (ToCopyBackward0)
    w = agrad.ones(2, requires_grad=True)
    m = w.cpu()
    assert m.grad_fn is not None and type(m.grad_fn).__name__ == "ToCopyBackward0"
    m.sum().backward()
    assert w.grad.tolist() == [1.0, 1.0] and w.grad.device == w.device


def test_unknown_dtypes_and_devices():
    x = agrad.ones(2)
    with pytest.raises(TypeError):
        agrad.ones(2, dtype="float33")
    with pytest.raises(TypeError):
        agrad.zeros(2, dtype=object)
    with pytest.raises(RuntimeError, match="device type at start of device string: foo"):
        agrad.zeros(2, device="foo")
    with pytest.raises(RuntimeError, match="device type at start of device string: foo"):
        x.to("foo")
    with pytest.raises(TypeError):
        x.to(dtype="float33")
    with pytest.raises((TypeError, ValueError)):
        x.type("torch.Foo")
    assert x.tolist() == [1.0, 1.0]
