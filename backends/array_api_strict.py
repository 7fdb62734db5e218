"""array-api-strict: the standard and nothing more, to prove the core needs nothing more.

Device type ``"strict"`` (``agrad.device("strict")``; the alias name ``strict`` selects the
backend too). It is a checking backend, not a device: arrays live on array-api-strict's default
``CPU_DEVICE``. It has no ``float16`` (so agrad's ``half`` is unavailable on it).

What the library restricts and how the adapter copes, so the core does not have to:

- ``__setitem__`` takes only a *full* basic key (ints, slices, one ellipsis; no ``None``), or a
  boolean mask as the sole index, with a value of the array's own dtype. `index_update` and
  `write` rewrite other basic keys into that form, cast the value to the array's dtype (PyTorch
  casts on write), and do masks with an array of values through ``where``/``cumulative_sum``/
  ``take``. Integer-array keys (not in the standard) are assigned by NumPy on a host copy.
- No RNG: random numbers come from a NumPy Generator and are moved over with ``asarray``
  (the same values the NumPy adapter draws for the same seed).
- No implicit NumPy conversion in the core; here `to_numpy` uses ``__array__`` (CPU device,
  zero-copy) or DLPack (other devices), and `from_numpy` uses ``asarray`` (zero-copy).

Arrays are mutable (``mutable``) but agrad does not trust views to alias (``views_alias`` is
False): the standard leaves it unspecified, so writes through views take the functional
write-back path; the base array itself is still written in place.
"""

from __future__ import annotations

from typing import Any

import array_api_strict as xp
import numpy as np

from agrad.adapter import Backend
from agrad.backends.generic import (
    IndexingMixin,
    host_rand,
    host_randint,
    host_randn,
    numpy_fancy_update,
)


class StrictBackend(IndexingMixin, Backend):
    dlpack_devices = frozenset({1})  # kDLCPU: its arrays are NumPy's underneath
    name = "array_api_strict"
    device_type = "strict"
    extra = "strict"
    mutable = True
    views_alias = False
    lazy = False
    data_dependent_shapes = True

    def __init__(self) -> None:
        self.xp = xp
        super().__init__()
        # array-api-strict dtypes are hashable objects and `a.dtype` is the very object, so the
        # base class's maps are complete; float16 does not exist there and is simply absent.
        self._rng = np.random.default_rng()

    # -- indexing --------------------------------------------------------------------------
    def _fancy_update(self, base: Any, key: Any, value: Any) -> Any:
        return numpy_fancy_update(self, base, key, value)

    # -- conversions -----------------------------------------------------------------------
    def to_numpy(self, array: Any) -> Any:
        try:
            return np.asarray(array)  # CPU_DEVICE: a zero-copy view of the values
        except RuntimeError:  # array-api-strict refuses __array__ off its CPU device
            return np.from_dlpack(array)

    def from_numpy(self, array: Any) -> Any:
        return xp.asarray(array)

    # -- random numbers --------------------------------------------------------------------
    def manual_seed(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)

    def _from_host(self, arr: Any, dtype) -> Any:
        return xp.asarray(arr, dtype=self.dtypes[dtype])  # UnsupportedDtypeError if lacking

    # The same draws as the NumPy adapter for the same seed (see generic.host_rand).
    def rand(self, shape, dtype):
        return self._from_host(host_rand(self._rng, shape, dtype), dtype)

    def randn(self, shape, dtype):
        return self._from_host(host_randn(self._rng, shape, dtype), dtype)

    def randint(self, low, high, shape, dtype):
        return self._from_host(host_randint(self._rng, low, high, shape, dtype), dtype)

    def empty(self, shape, dtype):
        return xp.empty(shape, dtype=self.dtypes[dtype])
