"""Backend selection: `AGRAD_BACKEND`, `set_backend()`, `with backend(...)`, and device types;
whether lazy backends show progress (`AGRAD_PROGRESS`, `set_progress()`).

The current backend is a ContextVar, so a `with agrad.backend('dask')` block in one thread or
asyncio task never leaks into another. Adapters are found by name through the `agrad.backends`
entry-point group (the built-ins are also known by module path, so a source checkout works);
any other name is tried as an importable Array API namespace.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from .adapter import Backend
from .device import device

__all__ = ["set_backend", "get_backend", "backend", "available_backends", "current_backend",
           "set_progress", "get_progress", "set_default_device", "get_default_device"]

# name -> (adapter class path, device type); third parties add theirs via entry points
_BUILTIN: dict[str, tuple[str, str]] = {
    "numpy": ("agrad.backends.numpy:NumpyBackend", "cpu"),
    "array_api_strict": ("agrad.backends.array_api_strict:StrictBackend", "strict"),
    "dask": ("agrad.backends.dask:DaskBackend", "dask"),
    "cupy": ("agrad.backends.cupy:CupyBackend", "cuda"),
    "numpy_writeback": ("agrad.backends.testing:WritebackNumpyBackend", "cpu_wb"),
}
_EXTRAS = {"array_api_strict": "strict", "dask": "dask", "cupy": "cuda"}
_ALIASES = {"cpu": "numpy", "cuda": "cupy", "strict": "array_api_strict"}

_entry_points: dict[str, Any] | None = None
_instances: dict[str, Backend] = {}
_by_device_type: dict[str, Backend] = {}


def _registered() -> dict[str, Any]:
    global _entry_points
    if _entry_points is None:
        from importlib.metadata import entry_points

        found: dict[str, Any] = {k: v[0] for k, v in _BUILTIN.items()}
        for ep in entry_points(group="agrad.backends"):
            if ep.name not in found:
                found[ep.name] = ep
        _entry_points = found
    return _entry_points


def available_backends() -> list[str]:
    """Names of the registered adapters (whether or not their library is installed).

    Examples:
        >>> "numpy" in torch.available_backends()
        True
    """
    return sorted(_registered())


def _adapter_class(target: Any) -> Any:
    """A registered adapter's class (or instance) without instantiating it; None when its
    library is missing or it fails to load (a broken third-party adapter is not ours to
    raise). Only error messages ask, so importing a library here costs nothing on a good path."""
    try:
        if isinstance(target, str):
            mod, _, cls = target.partition(":")
            return getattr(importlib.import_module(mod), cls)
        return target.load()
    except Exception:  # noqa: BLE001 - see above
        return None


def _public_backends() -> list[tuple[str, str]]:
    """(name, device type) of the registered adapters users are shown: those whose `public`
    capability is set (test adapters clear it), whether or not their library is installed."""
    out = []
    for name, target in _registered().items():
        cls = _adapter_class(target)
        if cls is None:
            if name in _BUILTIN:  # a built-in whose library is missing: known from the table
                out.append((name, _BUILTIN[name][1]))
            continue
        if getattr(cls, "public", True):
            out.append((name, cls.device_type))
    return out


def unknown_backend(name: Any) -> ValueError:
    """The error for a backend name that is neither registered nor an importable module."""
    names = ", ".join(sorted(n for n, _ in _public_backends()))
    return ValueError(f"unknown backend {name!r}: expected one of {names} (or the device types "
                      f"{', '.join(_ALIASES)}), or the name of an importable Array API namespace")


def _check_name(name: Any) -> str:
    """`name` when it names a backend (registered, an alias, or an importable module), else
    `unknown_backend`: checked without loading the library, so `AGRAD_BACKEND` fails at
    `import agrad` and `set_backend("")` says what it wants instead of "Empty module name"."""
    if not isinstance(name, str):
        raise TypeError(f"a backend is named by a string (or given as an adapter), not "
                        f"{type(name).__name__}")
    if not name:
        raise unknown_backend(name)
    if _ALIASES.get(name, name) in _registered():
        return name
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a parent package missing, a relative name
        found = False
    if not found:
        raise unknown_backend(name)
    return name


def _load(name: str) -> Backend:
    reg = _registered()
    target = reg.get(name)
    try:
        if target is None:
            from agrad.backends.generic import GenericBackend

            try:
                module = importlib.import_module(name)
            except ImportError:
                raise unknown_backend(name) from None
            return GenericBackend(module)
        if isinstance(target, str):
            mod, _, cls = target.partition(":")
            return getattr(importlib.import_module(mod), cls)()
        obj = target.load()
        return obj() if isinstance(obj, type) else obj
    except ImportError as e:
        extra = _EXTRAS.get(name)
        hint = f"; install it with `pip install agrad[{extra}]`" if extra else ""
        raise RuntimeError(f"the {name!r} backend needs a library that is not installed "
                           f"({e}){hint}") from e


def get_backend(name: str | Backend) -> Backend:
    """The adapter instance for a backend name (or alias: cpu, cuda, strict).

    Examples:
        >>> torch.get_backend("cpu").name
        'numpy'
    """
    if isinstance(name, Backend):
        return name
    name = _ALIASES.get(name, name)
    b = _instances.get(name)
    if b is None:
        b = _load(_check_name(name))
        _instances[name] = b
        _by_device_type.setdefault(b.device_type, b)
        if _seed is not None:
            b.manual_seed(_seed)
    return b


def register_backend(b: Backend) -> Backend:
    """Make an adapter instance known (tests use this to force capability flags)."""
    _instances[b.name] = b
    _by_device_type[b.device_type] = b
    return b


def known_device_types() -> list[str]:
    """Every device type a device string may name: the registered adapters' (test ones too)
    and those of the backends loaded by module name."""
    types = {v[1] for v in _BUILTIN.values()} | set(_by_device_type)
    for target in _registered().values():
        if not isinstance(target, str):
            cls = _adapter_class(target)
            if cls is not None:
                types.add(cls.device_type)
    return _in_order(types)


def public_device_types() -> list[str]:
    """The device types an unknown device's error lists: the public adapters' only, the same
    list whatever has been loaded (PyTorch's list is fixed too)."""
    return _in_order({t for _, t in _public_backends()})


def _in_order(types: set[str]) -> list[str]:
    """cpu, cuda, then the others by name (PyTorch's list starts with cpu, cuda)."""
    return sorted(types, key=lambda t: (t not in ("cpu", "cuda"), t != "cpu", t))


def backend_for_device(dev: device | str) -> Backend:
    t = dev.type if isinstance(dev, device) else dev
    b = _by_device_type.get(t)
    if b is not None:
        return b
    for name, (_, dtype) in _BUILTIN.items():
        if dtype == t:
            return get_backend(name)
    for name in _registered():
        b = get_backend(name) if name == t else None
        if b is not None:
            return b
    for name, target in _registered().items():
        if not isinstance(target, str) and getattr(target.load(), "device_type", None) == t:
            return get_backend(name)
    return get_backend(t)


# checked now, so a misspelt AGRAD_BACKEND fails at `import agrad` rather than at the first
# tensor (the library itself still loads on first use)
_env = _check_name(os.environ.get("AGRAD_BACKEND", "numpy").strip() or "numpy")
_current: ContextVar[str] = ContextVar("agrad_backend", default=_env)
_seed: int | None = None


def current_backend() -> Backend:
    """The backend new tensors go to when no device is given.

    Examples:
        >>> torch.current_backend()
        <agrad backend 'numpy' (device type 'cpu')>
    """
    return get_backend(_current.get())


def set_backend(name: str) -> None:
    """Select the default backend for this context (and contexts started from it later).

    A backend whose library is missing fails here, naming the pip extra that installs it; an
    unknown name is a ValueError listing the known ones. `AGRAD_BACKEND` sets the starting default
    of a whole program.

    Examples:
        >>> torch.set_backend("numpy")
        >>> torch.ones(1).device
        device(type='cpu')
    """
    get_backend(name)  # fail now, with the reason, not at the first tensor
    _current.set(name)
    _device.set(None)


# -- the default device: PyTorch's face of the current backend ----------------------------------

# a CUDA device with an index given to `set_default_device` ("cuda:1"); None: the backend's own
_device: ContextVar[device | None] = ContextVar("agrad_default_device", default=None)
_plain: dict[int, device] = {}


def default_device(b: Backend) -> device:
    """The device a backend's new tensors get when none is named: "cuda:0" for CUDA (as
    PyTorch's current device), the bare type elsewhere ("cpu", "dask")."""
    d = _plain.get(id(b))
    if d is None:
        d = _plain[id(b)] = device(b.device_type, 0 if b.device_type == "cuda" else None)
    return d


def current_device() -> tuple[Backend, device]:
    """(backend, device) of a factory called without `device=`."""
    b = current_backend()
    d = _device.get()
    return b, d if d is not None and d.type == b.device_type else default_device(b)


def set_default_device(dev: device | str | int | None) -> None:
    """PyTorch's `torch.set_default_device`: factories called without `device=` (`zeros`,
    `tensor([...])`, `arange`, `rand` ...) allocate on `dev`. In agrad a device type names a
    backend, so this selects that backend for this context, as `set_backend` does ("cpu" is
    NumPy, "dask" Dask, "cuda" CuPy); None goes back to the configured one (`AGRAD_BACKEND`,
    NumPy by default), as PyTorch's None goes back to the CPU. Unlike PyTorch, which fails at
    the first factory call, an unusable device (its library missing, no GPU) fails here.

    Examples:
        >>> torch.set_default_device("cpu")
        >>> torch.get_default_device()
        device(type='cpu')
        >>> torch.set_default_device(None)
    """
    if dev is None:
        _current.set(_env)
        _device.set(None)
        return
    d = dev if isinstance(dev, device) else device(dev)
    b = backend_for_device(d)
    if not b.is_available():
        raise RuntimeError(f"{d.type} is not available: {b.name} found no device (for CUDA, "
                           f"agrad.cuda.is_available() is False)")
    _instances.setdefault(b.name, b)
    _current.set(b.name)
    # only a GPU's index means anything: a CPU tensor's device has none, as in PyTorch
    _device.set(d if d.index is not None and d.type == "cuda" else None)


def get_default_device() -> device:
    """PyTorch's `torch.get_default_device`: where factories without `device=` allocate (the
    current backend's device; "cuda" reads as "cuda:0", PyTorch's current CUDA device).

    Examples:
        >>> torch.get_default_device()
        device(type='cpu')
    """
    return current_device()[1]


@contextlib.contextmanager
def backend(name: str) -> Iterator[Backend]:
    """`with agrad.backend('dask'): ...` — the default backend inside the block only.

    The current backend is a context variable: a block in one thread or asyncio task does not
    leak into another.

    Examples:
        >>> with torch.backend("numpy"):
        ...     torch.zeros(2).device
        device(type='cpu')
    """
    b = get_backend(name)
    token = _current.set(name)
    try:
        yield b
    finally:
        _current.reset(token)


def manual_seed(seed: int) -> None:
    """Seed every loaded backend's generator (and the ones loaded later)."""
    global _seed
    _seed = int(seed)
    for b in _instances.values():
        b.manual_seed(_seed)


# -- progress of lazy computes --------------------------------------------------------------------

_ON = ("1", "true", "yes", "on")
_OFF = ("", "0", "false", "no", "off")


def _progress_from_env() -> bool:
    value = os.environ.get("AGRAD_PROGRESS", "").strip().lower()
    if value not in _ON + _OFF:
        raise ValueError(f"AGRAD_PROGRESS={value!r}: expected one of {', '.join(_ON)} (on) or "
                         f"{', '.join(repr(v) for v in _OFF)} (off)")
    return value in _ON


_progress = _progress_from_env()


def set_progress(enabled: bool) -> None:
    """Show a progress bar while agrad computes on a lazy backend (Dask): `.item()`, printing,
    `.numpy()`, `.tolist()`, `bool()`, `agrad.compute`, the sizes of data-dependent results.
    Dask's ``ProgressBar`` on its local schedulers; ``distributed.progress`` when a
    ``dask.distributed`` Client is active. Process-wide; ``AGRAD_PROGRESS=1`` sets it at import.
    Computes the user starts with Dask itself are left alone.

    Examples:
        >>> torch.set_progress(True)   # then: [####################] | 100% Completed | 1.2s
        >>> torch.get_progress()
        True
        >>> torch.set_progress(False)
        >>> torch.get_progress()
        False
    """
    global _progress
    _progress = bool(enabled)


def get_progress() -> bool:
    """Whether lazy backends show progress on the computes agrad triggers (`set_progress`).

    Examples:
        >>> torch.get_progress()
        False
    """
    return _progress
