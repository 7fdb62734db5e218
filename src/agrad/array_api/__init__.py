"""agrad.array_api: agrad tensors as an Array API namespace (standard 2024.12).

`x.__array_namespace__()` returns this module, so code written for the standard (SciPy with
SCIPY_ARRAY_API=1, scikit-learn with array_api_dispatch, array-api-extra, anything using
`array_api_compat.array_namespace`) runs on agrad tensors, on any backend, and records the
graph: `.backward()` works through it.

The array type is agrad's Tensor; the functions are variants of the op table's rows (see
`agrad.ops.array_api`), with the standard's names, signatures and type promotion. The dtypes
are agrad's dtype objects; the default floating dtype is PyTorch's (float32, or whatever
`agrad.set_default_dtype` says), which `__array_namespace_info__().default_dtypes()` reports.
"""

from __future__ import annotations

import math as _math

from .. import dtypes as _D
from ..ops._variants import array_api_functions as _functions
from . import fft, linalg  # noqa: F401 - the standard's extensions
from ._info import __array_namespace_info__  # noqa: F401

__array_api_version__ = "2024.12"
API_VERSIONS = ("2021.12", "2022.12", "2023.12", "2024.12")

bool = _D.bool  # noqa: A001 - the standard's names
int8, int16, int32, int64 = _D.int8, _D.int16, _D.int32, _D.int64
uint8, uint16, uint32, uint64 = _D.uint8, _D.uint16, _D.uint32, _D.uint64
float32, float64 = _D.float32, _D.float64
complex64, complex128 = _D.complex64, _D.complex128

e, pi, inf, nan = _math.e, _math.pi, _math.inf, _math.nan
newaxis = None
globals().update(_functions("agrad.array_api"))

del annotations, _D, _math, _functions
