"""agrad.cuda: answers honestly whether CUDA can be used, through the CuPy adapter."""

from __future__ import annotations


def is_available() -> bool:
    """True only when CuPy is installed *and* sees a GPU (not merely importable)."""
    from . import config

    try:
        return config.get_backend("cupy").is_available()
    except (RuntimeError, ImportError):
        return False


def device_count() -> int:
    if not is_available():
        return 0
    from . import config

    return config.get_backend("cupy").device_count()


def current_device() -> int:
    if not is_available():
        raise RuntimeError("CUDA is not available: no GPU was found (agrad.cuda.is_available() "
                           "is False)")
    return 0


def manual_seed(seed: int) -> None:
    if is_available():
        from . import config

        config.get_backend("cupy").manual_seed(seed)


def synchronize() -> None:
    """Nothing to wait for without a device; with one, CuPy's stream is synchronized."""
