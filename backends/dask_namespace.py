"""Dask's Array API namespace, with `linalg` and `fft` extensions that keep the standard's
contract.

array-api-compat's Dask namespace hands `linalg` to `dask.array.linalg`, whose functions take a
single 2-D matrix: a batch of matrices (`(..., M, N)`, which the standard allows) fails, QR's
`mode="complete"` and SVD's `full_matrices=True` are refused, and `cholesky` returns the *upper*
factor (Dask's own default), where the standard's is the lower one. Here each function the
adapter declares (`DaskBackend.linalg_functions`) keeps Dask's own algorithm for what it handles
(a 2-D matrix: blocked LU and Cholesky, tall-and-skinny QR and SVD, which work out of core) and
computes everything else matrix by matrix with NumPy's batched function inside the graph
(`dask.array.apply_gufunc`: the matrix dimensions in one chunk, the batch dimensions chunked as
they are), so it stays lazy.

Dask's FFTs take an axis held in one chunk; the `fft` functions here put the transformed axis in
one chunk first (an array built by joining pieces, as a zero-padded gradient is, has several).
"""

from __future__ import annotations

import types
from typing import Any

import array_api_compat.dask.array as _compat
import dask.array as da
import numpy as np

_native = _compat.linalg

namespace = types.ModuleType("agrad.backends.dask_namespace.namespace",
                             "array-api-compat's Dask namespace with a batched linalg")
namespace.__dict__.update({k: v for k, v in vars(_compat).items() if not k.startswith("__")})
namespace.__array_api_version__ = _compat.__array_api_version__

linalg = types.ModuleType("agrad.backends.dask_namespace.linalg",
                          "array-api-compat's Dask linalg, batched")
linalg.__dict__.update({k: v for k, v in vars(_native).items() if not k.startswith("__")})
namespace.linalg = linalg


def _real(dt: Any) -> np.dtype:
    return np.empty(0, dtype=dt).real.dtype


def _matrixwise(fn: Any, signature: str, *arrays: Any, dtypes: Any,
                sizes: dict | None = None) -> Any:
    """NumPy's batched `fn` over the last dims `signature` names, matrix by matrix."""
    return da.apply_gufunc(fn, signature, *arrays, output_dtypes=dtypes, output_sizes=sizes,
                           allow_rechunk=True)


def cholesky(x: Any, /, *, upper: bool = False) -> Any:
    if x.ndim == 2:
        L = da.linalg.cholesky(x, lower=True)
    else:
        L = _matrixwise(np.linalg.cholesky, "(n,n)->(n,n)", x, dtypes=x.dtype)
    if not upper:
        return L
    U = da.swapaxes(L, -1, -2)
    return da.conj(U) if np.iscomplexobj(np.empty(0, dtype=x.dtype)) else U


def inv(x: Any, /) -> Any:
    if x.ndim == 2:  # (Dask's inverts float32 in float64)
        return _native.inv(x).astype(x.dtype, copy=False)
    return _matrixwise(np.linalg.inv, "(n,n)->(n,n)", x, dtypes=x.dtype)


def solve(x1: Any, x2: Any, /) -> Any:
    """A @ X = B for matrices B (the standard's: B of shape (..., M, K), batches broadcast)."""
    dt = np.result_type(x1.dtype, x2.dtype)
    if x1.ndim == 2 and x2.ndim == 2:
        return _native.solve(x1, x2).astype(dt, copy=False)
    return _matrixwise(np.linalg.solve, "(n,n),(n,k)->(n,k)", x1, x2, dtypes=dt)


def qr(x: Any, /, *, mode: str = "reduced") -> Any:
    m, n = x.shape[-2:]
    if x.ndim == 2 and mode == "reduced":
        return _native.qr(x, mode=mode)
    k = m if mode == "complete" else min(m, n)
    return _native.QRResult(*_matrixwise(
        lambda a: tuple(np.linalg.qr(a, mode=mode)), "(m,n)->(m,k),(k,n)", x,
        dtypes=(x.dtype, x.dtype), sizes={"k": k}))


def svd(x: Any, /, *, full_matrices: bool = True) -> Any:
    m, n = x.shape[-2:]
    k = min(m, n)
    if x.ndim == 2 and not full_matrices:
        return _native.svd(x, full_matrices=False)
    sizes = {"p": m if full_matrices else k, "k": k, "q": n if full_matrices else k}
    return _native.SVDResult(*_matrixwise(
        lambda a: tuple(np.linalg.svd(a, full_matrices=full_matrices)),
        "(m,n)->(m,p),(k),(q,n)", x, dtypes=(x.dtype, _real(x.dtype), x.dtype), sizes=sizes))


def svdvals(x: Any, /) -> Any:
    if x.ndim == 2:
        return _native.svd(x, full_matrices=False)[1]
    return _matrixwise(lambda a: np.linalg.svd(a, compute_uv=False), "(m,n)->(k)", x,
                       dtypes=_real(x.dtype), sizes={"k": min(x.shape[-2:])})


for _f in (cholesky, inv, solve, qr, svd, svdvals):
    setattr(linalg, _f.__name__, _f)
del _f


fft = types.ModuleType("agrad.backends.dask_namespace.fft",
                       "array-api-compat's Dask fft, the axis transformed in one chunk")
fft.__dict__.update({k: v for k, v in vars(_compat.fft).items() if not k.startswith("__")})
namespace.fft = fft


def _one_chunk(f: Any) -> Any:
    def transform(x: Any, /, *, n: int | None = None, axis: int = -1,
                  norm: str = "backward") -> Any:
        if len(x.chunks[axis]) > 1:
            x = x.rechunk({axis % x.ndim: -1})
        return f(x, n=n, axis=axis, norm=norm)
    transform.__name__ = f.__name__
    return transform


for _name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
    setattr(fft, _name, _one_chunk(getattr(_compat.fft, _name)))
del _name


def searchsorted(x1: Any, x2: Any, /, *, side: str = "left", sorter: Any = None) -> Any:
    """Dask's searchsorted, with what it lacks: a `sorter` (x1 gathered into sorted order
    first) and a 0-d x2 (its blocks of one value fail: searched as a 1-element array)."""
    if sorter is not None:
        x1 = x1[sorter]
    if x2.ndim == 0:
        return da.searchsorted(x1, x2.reshape(1), side=side)[0]
    return da.searchsorted(x1, x2, side=side)


namespace.searchsorted = searchsorted


def reshape(x: Any, /, shape: tuple[int, ...], *, copy: bool | None = None) -> Any:
    """Dask's reshape, which refuses to split or merge dims whose chunks do not line up (an
    array joined from pieces, as a zero-padded gradient of `chunk` is): then the dims after
    the leading ones the reshape keeps are put in one chunk first, and reshaped again."""
    try:
        return _compat.reshape(x, shape, copy=copy)
    except NotImplementedError:
        keep = 0
        while keep < min(x.ndim, len(shape)) and x.shape[keep] == shape[keep]:
            keep += 1
        return _compat.reshape(x.rechunk({i: -1 for i in range(keep, x.ndim)}), shape,
                               copy=copy)


namespace.reshape = reshape
