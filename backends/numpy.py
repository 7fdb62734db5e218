"""NumPy: the default CPU backend. Mutable, and views alias their base, so agrad writes through
views in place and `.numpy()` / `from_numpy` share memory both ways."""

from __future__ import annotations

from typing import Any

import numpy as np

from agrad.adapter import Backend
from agrad.backends.numpy_namespace import namespace as xp


class NumpyBackend(Backend):
    name = "numpy"
    device_type = "cpu"
    mutable = True
    views_alias = True
    dlpack_devices = frozenset({1})  # kDLCPU

    def __init__(self) -> None:
        # array-api-compat's NumPy namespace (NumPy >= 2.1 is itself one; compat fills old
        # gaps), with the hot functions bound to NumPy's fast entry points
        self.xp = xp
        super().__init__()
        self._rng = np.random.default_rng()

    def as_array(self, result: Any) -> Any:
        return np.asarray(result)

    def aliases(self, view: Any, base: Any) -> bool:
        # A reshape NumPy could not do as a view comes back as a fresh buffer, which never
        # overlaps the base; bounds overlap is therefore enough to tell, and cheap. A broadcast
        # (expanded) view is read-only: writes through it take the write-back path.
        return view.flags.writeable and np.may_share_memory(view, base)

    def exclusive(self, array: Any) -> bool:
        return array.base is None and array.flags.writeable

    def data_ptr(self, array: Any) -> int:
        return int(array.__array_interface__["data"][0])

    def index_update(self, base: Any, key: Any, value: Any) -> Any:
        out = base.copy()
        out[key] = value
        return out

    def scatter_add(self, shape, axis, index, values):
        out = np.zeros(shape, dtype=values.dtype)
        key = (slice(None),) * axis + (index,)
        np.add.at(out, key, values)
        return out

    def to_numpy(self, array: Any) -> Any:
        return np.asarray(array)

    def from_numpy(self, array: Any) -> Any:
        return array

    def tolist(self, array: Any) -> Any:
        return array.tolist()

    def manual_seed(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)

    def rand(self, shape, dtype):
        return self._rng.random(shape, dtype=self.dtypes[dtype]) if dtype.itemsize >= 4 else \
            self._rng.random(shape).astype(self.dtypes[dtype])

    def randn(self, shape, dtype):
        if dtype.is_complex:
            real = self._rng.standard_normal(shape) * np.sqrt(0.5)
            imag = self._rng.standard_normal(shape) * np.sqrt(0.5)
            return (real + 1j * imag).astype(self.dtypes[dtype])
        if dtype.itemsize >= 4:
            return self._rng.standard_normal(shape, dtype=self.dtypes[dtype])
        return self._rng.standard_normal(shape).astype(self.dtypes[dtype])

    def randint(self, low, high, shape, dtype):
        return self._rng.integers(low, high, size=shape).astype(self.dtypes[dtype], copy=False)
