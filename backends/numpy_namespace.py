"""NumPy's Array API namespace, with the functions agrad calls on every step bound to NumPy's
own fast entry points.

array-api-compat's NumPy namespace is correct but wraps many functions in Python (argument
normalisation, `device=`, `copy=`): `sum` costs 3.7 µs more than `np.add.reduce`, `reshape`
0.5 µs more than `ndarray.reshape`, `broadcast_to` 1.5 µs more than building the strided view.
On a tutorial-sized network those microseconds are most of agrad's overhead over hand-written
NumPy. Each replacement here has the standard's semantics for every argument agrad passes, and
falls back to array-api-compat's function for anything else; the conformance suite and the
differential tests run on this namespace.
"""

from __future__ import annotations

import types
from typing import Any

import array_api_compat.numpy as _compat
import numpy as np

_ndarray = np.ndarray
_add_reduce = np.add.reduce
_NUMERIC_FLOAT = frozenset("fc")

namespace = types.ModuleType("agrad.backends.numpy_namespace.namespace",
                             "array-api-compat's NumPy namespace with fast hot functions")
namespace.__dict__.update({k: v for k, v in vars(_compat).items() if not k.startswith("__")})
namespace.__array_api_version__ = _compat.__array_api_version__


def sum(x: Any, /, *, axis: Any = None, dtype: Any = None,  # noqa: A001 - the standard's name
        keepdims: bool = False) -> Any:
    # a float sum is add.reduce; integers and bools keep the standard's default-int promotion
    if dtype is None and type(x) is _ndarray and x.dtype.kind in _NUMERIC_FLOAT:
        return _add_reduce(x, axis=axis, keepdims=keepdims)
    return _compat.sum(x, axis=axis, dtype=dtype, keepdims=keepdims)


def reshape(x: Any, /, shape: tuple[int, ...], *, copy: bool | None = None) -> Any:
    if copy is None and type(x) is _ndarray:
        return x.reshape(shape)
    return _compat.reshape(x, shape, copy=copy)


def permute_dims(x: Any, /, axes: tuple[int, ...]) -> Any:
    return x.transpose(axes)


def matmul(x1: Any, x2: Any, /) -> Any:
    return np.matmul(x1, x2)


def matrix_transpose(x: Any, /) -> Any:
    if x.ndim < 2:
        return _compat.matrix_transpose(x)  # the standard's error
    return x.swapaxes(-1, -2)


def astype(x: Any, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Any:
    if device is None and type(x) is _ndarray:
        return x.astype(dtype, copy=copy)
    return _compat.astype(x, dtype, copy=copy, device=device)


def broadcast_to(x: Any, /, shape: tuple[int, ...]) -> Any:
    """A read-only strided view, as np.broadcast_to makes it, without its Python machinery:
    built directly for a C-contiguous array whose shape broadcasts trivially."""
    shape = tuple(shape)
    if type(x) is _ndarray and x.flags.c_contiguous:
        lead = len(shape) - x.ndim
        if lead >= 0:
            strides = [0] * lead
            for n, s, st in zip(shape[lead:], x.shape, x.strides):
                if s == n:
                    strides.append(st)
                elif s == 1:
                    strides.append(0)
                else:
                    break
            else:
                out = _ndarray(shape, x.dtype, x, 0, tuple(strides))
                out.flags.writeable = False
                return out
    return np.broadcast_to(x, shape)


def zeros(shape: Any, *, dtype: Any = None, device: Any = None) -> Any:
    return np.zeros(shape, dtype=dtype) if device in (None, "cpu") else \
        _compat.zeros(shape, dtype=dtype, device=device)


def ones(shape: Any, *, dtype: Any = None, device: Any = None) -> Any:
    return np.ones(shape, dtype=dtype) if device in (None, "cpu") else \
        _compat.ones(shape, dtype=dtype, device=device)


for _f in (sum, reshape, permute_dims, matmul, matrix_transpose, astype, broadcast_to, zeros,
           ones):
    setattr(namespace, _f.__name__, _f)
del _f
