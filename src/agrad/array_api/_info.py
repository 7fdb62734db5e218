"""`__array_namespace_info__()`: what the namespace offers on the current backend.

Capabilities are the adapter's (its `data_dependent_shapes`), the devices are the current
backend's, and the default dtypes are agrad's (PyTorch's): float32 unless
`agrad.set_default_dtype` says otherwise, int64 for integers and indices."""

from __future__ import annotations

from typing import Any

from .. import config
from .. import dtypes as D

_STANDARD = (D.bool, D.int8, D.int16, D.int32, D.int64, D.uint8, D.uint16, D.uint32, D.uint64,
             D.float32, D.float64, D.complex64, D.complex128)


class Info:
    """The standard's inspection object (one per call, reading the current backend)."""

    __module__ = "agrad.array_api"

    def __init__(self) -> None:
        self._backend = config.current_backend()

    def capabilities(self) -> dict[str, Any]:
        dds = bool(self._backend.data_dependent_shapes)
        return {"boolean indexing": dds, "data-dependent shapes": dds, "max dimensions": 64}

    def default_device(self) -> Any:
        from ..ops.creation import _default_device

        return _default_device(self._backend)

    def devices(self) -> list[Any]:
        return [self.default_device()]

    def default_dtypes(self, *, device: Any = None) -> dict[str, D.dtype]:
        f = D.get_default_dtype()
        return {"real floating": f, "complex floating": f.to_complex(), "integral": D.int64,
                "indexing": D.int64}

    def dtypes(self, *, device: Any = None, kind: Any = None) -> dict[str, D.dtype]:
        from ..ops.array_api import isdtype

        have = self._backend.dtypes
        return {d.name: d for d in _STANDARD
                if d in have and (kind is None or isdtype(d, kind))}


def __array_namespace_info__() -> Info:  # noqa: N807 - the standard's name
    return Info()
