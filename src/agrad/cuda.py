"""agrad.cuda: answers honestly whether CUDA can be used, through the adapter of the ``cuda``
device type (CuPy's), and refuses CUDA work without it as PyTorch does."""

from __future__ import annotations

from typing import Any


def _backend() -> Any:
    """The adapter of the ``cuda`` device type; None when its library is not installed."""
    from . import config

    try:
        return config.backend_for_device("cuda")
    except (RuntimeError, ImportError):
        return None


def is_available() -> bool:
    """True only when CuPy is installed *and* sees a GPU (not merely importable).

    Examples:
        >>> isinstance(torch.cuda.is_available(), bool)
        True
    """
    b = _backend()
    return b is not None and b.is_available()


def init() -> None:
    """torch.cuda.init: nothing to set up, but CUDA work without CUDA fails here, with
    PyTorch's errors: without CuPy, agrad is a CPU build (PyTorch's CPU build raises
    AssertionError "Torch not compiled with CUDA enabled"); with CuPy but no GPU it is a CUDA
    build on a machine without one (PyTorch's RuntimeError "No CUDA GPUs are available").

    Examples:
        >>> if torch.cuda.is_available():
        ...     torch.cuda.init()
    """
    b = _backend()
    if b is None:
        e = AssertionError("Torch not compiled with CUDA enabled")
        _note(e, "agrad: CUDA tensors need CuPy and a GPU: pip install agrad[cuda]")
        raise e
    if not b.is_available():
        e2 = RuntimeError("No CUDA GPUs are available")
        _note(e2, "agrad: CuPy is installed but finds no usable CUDA device")
        raise e2


def _note(e: BaseException, text: str) -> None:
    """agrad's hint on PyTorch's error, shown with the traceback, not in str(e) (Python 3.11+)."""
    add = getattr(e, "add_note", None)
    if add is not None:
        add(text)


def device_count() -> int:
    """How many CUDA devices are usable (0 without CuPy or without a GPU); never raises.

    Examples:
        >>> torch.cuda.device_count() >= 0
        True
    """
    return _backend().device_count() if is_available() else 0


def current_device() -> int:
    """The index of the current CUDA device (`torch.cuda.current_device`); without CUDA, PyTorch's
    error for a CPU build or a machine without a GPU.

    Examples:
        >>> torch.cuda.current_device() if torch.cuda.is_available() else 0
        0
    """
    init()
    return 0


def manual_seed(seed: int) -> None:
    """Seeds the GPU's generator; nothing without one (PyTorch's CPU build ignores it too).

    Examples:
        >>> torch.cuda.manual_seed(0)    # no GPU: nothing to seed, as in PyTorch
    """
    if is_available():
        _backend().manual_seed(seed)


def synchronize() -> None:
    """Waits for the GPU's queued work.

    Examples:
        >>> if torch.cuda.is_available():
        ...     torch.cuda.synchronize()
    """
    init()
    _backend().synchronize()
