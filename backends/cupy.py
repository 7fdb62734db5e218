"""CuPy: NumPy's semantics on an NVIDIA (or ROCm) GPU, agrad's ``cuda`` device type.

Device type ``"cuda"``: ``agrad.device("cuda")``, ``.to("cuda")``, ``agrad.cuda.is_available()``
all land here. Mutable, and basic-index views alias their base (as NumPy's do), verified per
view with ``cupy.may_share_memory``, so agrad writes through views in place.

- `is_available()` asks ``cupy.is_available()`` (a usable CUDA device and driver), not whether
  the import succeeded: CuPy imports fine on a machine without a GPU.
- `device_count()` is ``cupy.cuda.runtime.getDeviceCount()``, 0 when the runtime says no;
  `synchronize()` (``agrad.cuda.synchronize``) is ``cupy.cuda.runtime.deviceSynchronize()``.
- Arrays go to CuPy's *current* device (``cuda:0`` unless the caller selects another with
  ``cupy.cuda.Device(i)``); there is no per-call device index in the adapter interface yet.
- `to_numpy` is ``cupy.asnumpy`` (a device-to-host copy; PyTorch's ``.numpy()`` refuses CUDA
  tensors and the core raises that error before asking), `from_numpy` is ``cupy.asarray``
  (host-to-device copy), `from_dlpack` is ``cupy.from_dlpack`` (zero-copy between GPU libraries).
- RNG: ``cupy.random.default_rng(seed)`` (cuRAND-based; values differ from NumPy's for the same
  seed, as PyTorch's CUDA generator differs from its CPU one). float16 samples are drawn in
  float32 and cast.
- `scatter_add` (the gradient of a gather) uses ``cupy.add.at`` (``cupyx.scatter_add`` on older
  CuPy) rather than the generic one-hot matmul.
- Fancy assignment with duplicate indices: CuPy does not define which write wins (NumPy's last
  write wins); agrad does not promise either (PyTorch neither, for ``index_put_``).
"""

from __future__ import annotations

from typing import Any

import array_api_compat.cupy as xp
import cupy
import cupyx
import numpy as np

from agrad import dtypes as _dt
from agrad.adapter import Backend

__all__ = ["CupyBackend"]


class CupyBackend(Backend):
    name = "cupy"
    device_type = "cuda"
    extra = "cuda"
    mutable = True
    views_alias = True
    lazy = False
    data_dependent_shapes = True
    dlpack_devices = frozenset({2, 10, 13})  # kDLCUDA, kDLROCM, kDLCUDAManaged

    def __init__(self) -> None:
        self.xp = xp
        super().__init__()
        # `xp.float32` is NumPy's scalar type, `a.dtype` a np.dtype instance: they compare equal
        # but hash differently, so key the reverse map by both.
        for d, bd in list(self.dtypes.items()):
            self.from_backend_dtype[np.dtype(bd)] = d
        # Creating a generator touches the device: done on first use, not at import/selection.
        self._seed: int | None = None
        self._rng: Any = None

    # -- availability ----------------------------------------------------------------------
    @classmethod
    def is_available(cls) -> bool:
        try:
            return bool(cupy.is_available())
        except Exception:  # a broken driver/runtime install is "not available", not a crash
            return False

    def device_count(self) -> int:
        try:
            return int(cupy.cuda.runtime.getDeviceCount())
        except Exception:  # CUDARuntimeError when there is no driver or no device
            return 0

    def synchronize(self) -> None:
        cupy.cuda.runtime.deviceSynchronize()

    # -- arrays ----------------------------------------------------------------------------
    def dtype_of(self, array: Any) -> _dt.dtype:
        return self.from_backend_dtype[np.dtype(array.dtype)]

    def asarray(self, obj: Any, dtype: _dt.dtype | None = None, copy: bool | None = None) -> Any:
        bd = None if dtype is None else self.dtypes[dtype]
        return xp.asarray(obj, dtype=bd, copy=copy)

    def as_array(self, result: Any) -> Any:
        return result  # CuPy's 0-d results are already arrays (it has no scalar types)

    def exclusive(self, array: Any) -> bool:
        return array.base is None

    def aliases(self, view: Any, base: Any) -> bool:
        # Bounds overlap, as for NumPy: a reshape CuPy could not do as a view is a new buffer.
        return bool(cupy.may_share_memory(view, base))

    def data_ptr(self, array: Any) -> int:
        return int(array.data.ptr)

    def index_update(self, base: Any, key: Any, value: Any) -> Any:
        out = base.copy()
        out[key] = value
        return out

    def write(self, target: Any, key: Any, value: Any) -> None:
        target[key] = value

    def scatter_add(self, shape, axis, index, values):
        """zeros(shape) with `values` added at `index` along `axis`, repeats accumulating
        (atomic adds on the device, not the one-hot matmul of the generic default)."""
        out = cupy.zeros(shape, dtype=values.dtype)
        key = (slice(None),) * axis + (index,)
        add_at = getattr(cupy.add, "at", None)
        if add_at is not None:  # ufunc.at: CuPy >= 13
            add_at(out, key, values)
        else:
            cupyx.scatter_add(out, key, values)
        return out

    def empty(self, shape, dtype):
        return cupy.empty(shape, dtype=self.dtypes[dtype])

    # -- conversions -----------------------------------------------------------------------
    def to_numpy(self, array: Any) -> Any:
        return cupy.asnumpy(array)

    def from_numpy(self, array: Any) -> Any:
        return cupy.asarray(array)

    def from_dlpack(self, obj: Any, copy: bool | None = None) -> Any:
        return cupy.from_dlpack(obj) if copy is None else cupy.from_dlpack(obj, copy=copy)

    def tolist(self, array: Any) -> Any:
        return cupy.asnumpy(array).tolist()

    # -- random numbers --------------------------------------------------------------------
    def manual_seed(self, seed: int) -> None:
        self._seed = int(seed)
        self._rng = None  # re-created from the seed on next use

    def _gen(self) -> Any:
        if self._rng is None:
            self._rng = cupy.random.default_rng(self._seed)
        return self._rng

    def _float(self, method: str, shape: tuple[int, ...], dtype: _dt.dtype) -> Any:
        nd = np.dtype(self.dtypes[dtype])
        gen = getattr(self._gen(), method)
        if nd in (np.float32, np.float64):
            return gen(shape, dtype=nd)
        return gen(shape, dtype=np.float32).astype(nd)

    def rand(self, shape, dtype):
        return self._float("random", tuple(shape), dtype)

    def randn(self, shape, dtype):
        shape = tuple(shape)
        if dtype.is_complex:
            real_dt = dtype.to_real()
            half = np.sqrt(0.5)
            real = self._float("standard_normal", shape, real_dt) * half
            imag = self._float("standard_normal", shape, real_dt) * half
            return (real + 1j * imag).astype(self.dtypes[dtype])
        return self._float("standard_normal", shape, dtype)

    def randint(self, low, high, shape, dtype):
        out = self._gen().integers(low, high, size=tuple(shape), dtype=np.int64)
        return out.astype(self.dtypes[dtype], copy=False)
