"""`agrad.set_default_device` / `agrad.get_default_device` (PyTorch's): factories called without
`device=` allocate on the default device; in agrad a device type is a backend, so setting it
selects that backend. PyTorch (installed) is the oracle for which factories follow it: its
"meta" device stands in for a second device there."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import agrad

torch = pytest.importorskip("torch")

# every factory PyTorch sends to the default device, called without device= (agrad, torch)
FACTORIES = {
    "zeros": lambda lib: lib.zeros(2, 3),
    "ones": lambda lib: lib.ones(2),
    "empty": lambda lib: lib.empty(2),
    "full": lambda lib: lib.full((2,), 1.5),
    "rand": lambda lib: lib.rand(2),
    "randn": lambda lib: lib.randn(2),
    "randint": lambda lib: lib.randint(0, 5, (3,)),
    "randperm": lambda lib: lib.randperm(4),
    "arange": lambda lib: lib.arange(3),
    "linspace": lambda lib: lib.linspace(0, 1, 5),
    "logspace": lambda lib: lib.logspace(0, 1, 5),
    "eye": lambda lib: lib.eye(2),
    "tensor": lambda lib: lib.tensor([1.0, 2.0]),
    "tensor_ints": lambda lib: lib.tensor([[1, 2], [3, 4]]),
    "as_tensor_list": lambda lib: lib.as_tensor([1.0, 2.0]),
    "as_tensor_numpy": lambda lib: lib.as_tensor(np.ones(2)),
    "asarray": lambda lib: lib.asarray([1, 2]),
    "scalar_tensor": lambda lib: lib.scalar_tensor(1.0),
}
# the ones that never follow it: memory shared with NumPy, and results made from a tensor
STAY = {
    "from_numpy": lambda lib, cpu: lib.from_numpy(np.ones(2)),
    "zeros_like": lambda lib, cpu: lib.zeros_like(cpu),
    "empty_like": lambda lib, cpu: lib.empty_like(cpu),
    "new_zeros": lambda lib, cpu: cpu.new_zeros(2),
    "add": lambda lib, cpu: cpu + 1,
}


@pytest.fixture
def restore():
    """The test's own default device is dropped afterwards (the backend fixture restores the
    backend; the CUDA index a test may set is this module's to reset)."""
    yield
    agrad.config._device.set(None)


@pytest.fixture
def torch_meta():
    torch.set_default_device("meta")
    yield
    torch.set_default_device(None)


def _other(backend):
    """A device of another backend than the current one."""
    return "dask" if backend.device_type != "dask" else "cpu"


def test_default_is_the_current_backends_device(backend):
    d = agrad.get_default_device()
    assert isinstance(d, agrad.device)
    assert d == agrad.zeros(1).device == agrad.tensor([1]).device
    assert d.type == backend.device_type


@pytest.mark.backends("numpy")
def test_default_matches_torchs_on_the_cpu():
    assert repr(agrad.get_default_device()) == repr(torch.get_default_device())


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_factories_follow_it(backend, restore, torch_meta, name):
    other = _other(backend)
    agrad.set_default_device(other)
    t = FACTORIES[name](agrad)
    assert t.device.type == other
    assert FACTORIES[name](torch).device.type == "meta"  # PyTorch's factory follows it too
    # the values are made as usual there
    agrad.set_default_device(None)
    expected = FACTORIES[name](agrad)
    assert t.dtype == expected.dtype and t.shape == expected.shape


@pytest.mark.parametrize("name", sorted(STAY))
def test_what_does_not_follow_it(backend, restore, torch_meta, name):
    cpu_a = agrad.zeros(2, device="cpu")
    cpu_t = torch.zeros(2, device="cpu")
    agrad.set_default_device(_other(backend) if backend.device_type == "cpu" else "dask")
    assert STAY[name](agrad, cpu_a).device.type == "cpu"
    assert STAY[name](torch, cpu_t).device.type == "cpu"


def test_explicit_device_wins(backend, restore):
    agrad.set_default_device(_other(backend))
    assert agrad.zeros(2, device=backend.device_type).device.type == backend.device_type
    assert agrad.tensor([1.0], device=backend.device_type).device.type == backend.device_type


def test_accepts_str_device_and_none(backend, restore):
    other = _other(backend)
    agrad.set_default_device(agrad.device(other))
    assert agrad.get_default_device() == agrad.device(other)
    agrad.set_default_device("cpu")
    assert repr(agrad.get_default_device()) == "device(type='cpu')"
    assert agrad.current_backend().name == "numpy"
    agrad.set_default_device(None)  # back to the configured backend (NumPy's CPU here)
    assert agrad.get_default_device() == agrad.device("cpu")
    assert agrad.zeros(1).device == agrad.device("cpu")


def test_an_index_on_the_cpu_is_dropped(restore):
    """A CPU tensor's device has no index in PyTorch; "cpu:0" tensors mix with "cpu" ones."""
    agrad.set_default_device("cpu:0")
    a = agrad.ones(2)
    assert a.device == agrad.device("cpu")
    assert (a + agrad.ones(2, device="cpu")).tolist() == [2.0, 2.0]


def test_is_the_backend(backend, restore):
    """Setting the default device selects its backend: what `set_backend` does."""
    agrad.set_default_device("dask")
    assert agrad.current_backend().name == "dask"
    agrad.set_backend(backend.name)
    assert agrad.get_default_device().type == backend.device_type


def test_errors(backend, restore):
    with pytest.raises(RuntimeError, match="^Expected one of .* device type at start of device "
                                           "string: foo$"):
        agrad.set_default_device("foo")
    with pytest.raises(TypeError):
        agrad.set_default_device(3.5)
    assert agrad.get_default_device().type == backend.device_type  # unchanged by the errors


def test_unusable_device_fails_at_the_call(backend, restore, monkeypatch):
    """A device whose library is missing or that has no hardware fails when set (PyTorch fails at
    the first factory; agrad says why at once), leaving the default as it was."""
    if "cupy" in agrad.available_backends():
        try:
            usable = agrad.get_backend("cupy").is_available()
        except RuntimeError:
            usable = False
        if not usable:
            with pytest.raises(RuntimeError, match="cuda|cupy"):
                agrad.set_default_device("cuda")
    b = agrad.get_backend("dask")
    monkeypatch.setattr(type(b), "is_available", classmethod(lambda cls: False))
    with pytest.raises(RuntimeError, match="^dask is not available: dask found no device"):
        agrad.set_default_device("dask")
    assert agrad.get_default_device().type == backend.device_type


def test_thread_local(backend, restore):
    """As PyTorch's, the default device is this thread's (a new thread starts at the default)."""
    agrad.set_default_device(_other(backend))
    seen = []
    th = threading.Thread(target=lambda: seen.append(agrad.get_default_device()))
    th.start()
    th.join()
    assert seen == [agrad.config.default_device(agrad.get_backend(agrad.config._env))]
    assert agrad.get_default_device().type == _other(backend)
