"""Which backends a test run covers: one answer for the project's tests (tests/conftest.py),
the suite's pytest entry point and its command line.

`AGRAD_TEST_BACKENDS` is a comma list of backend names (registered adapters, entry-point
backends of third parties, or importable Array API modules); `all` stands for every registered
backend whose library is installed. Unset, the project's tests run on `DEFAULT`.
"""

from __future__ import annotations

import os

DEFAULT = ("numpy", "numpy_writeback", "array_api_strict", "dask")


def selected(value: str | None = None, default: tuple[str, ...] = DEFAULT) -> tuple[str, ...]:
    """The backends named by `value` (default: $AGRAD_TEST_BACKENDS), in order, once each."""
    value = os.environ.get("AGRAD_TEST_BACKENDS") if value is None else value
    if value is None or not value.strip():
        return default
    names: list[str] = []
    for name in (n.strip() for n in value.split(",")):
        for n in (installed() if name == "all" else [name] if name else []):
            if n not in names:
                names.append(n)
    return tuple(names)


def installed() -> list[str]:
    """Every registered backend (built-in or by entry point) whose library can be loaded and
    that can be used here (CuPy needs a GPU)."""
    import agrad

    out = []
    for name in agrad.available_backends():
        try:
            b = agrad.get_backend(name)
        except Exception:  # noqa: BLE001 - a missing library or a broken third-party adapter
            continue
        if b.is_available():
            out.append(name)
    return out
