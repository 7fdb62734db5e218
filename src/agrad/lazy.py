"""Explicit control of lazy backends: compute or persist several tensors in one pass, and move
arrays of a backend's own kind in without a copy (`from_dask`; `Tensor.dask()` is the way out).

On eager backends these are cheap identities, so code written for Dask runs anywhere."""

from __future__ import annotations

from typing import Any

from . import config
from ._tensor import Tensor, make
from .ops._dispatch import read

__all__ = ["compute", "persist", "from_dask", "from_array"]


def _group(tensors: tuple[Tensor, ...]) -> dict[int, list[int]]:
    by_backend: dict[int, list[int]] = {}
    for i, t in enumerate(tensors):
        by_backend.setdefault(id(t._storage.backend), []).append(i)
    return by_backend


def compute(*tensors: Tensor) -> tuple[Any, ...]:
    """Host (NumPy) values of all `tensors`, computed together: shared work is done once.

    On an eager backend the values are the tensors' NumPy arrays.

    Examples:
        >>> a = torch.tensor([1., 2.])
        >>> torch.compute(a, a * 2)
        (array([1., 2.], dtype=float32), array([2., 4.], dtype=float32))
    """
    out: list[Any] = [None] * len(tensors)
    for idxs in _group(tensors).values():
        b = tensors[idxs[0]]._storage.backend
        vals = b.materialize(*(read(tensors[i]) for i in idxs))
        for i, v in zip(idxs, vals):
            out[i] = b.to_numpy(v)
    return tuple(out)


def persist(*tensors: Tensor) -> tuple[Tensor, ...]:
    """Compute lazy tensors together and keep them in the backend, cutting their graphs. The
    tensors themselves are updated (their storage now holds the persisted arrays).

    On an eager backend nothing happens: the tensors are returned as they are.

    Examples:
        >>> w = torch.ones(2)
        >>> torch.persist(w)[0] is w
        True
    """
    for idxs in _group(tensors).values():
        b = tensors[idxs[0]]._storage.backend
        if not b.lazy:
            continue
        bases = [tensors[i] for i in idxs if tensors[i]._view is None]
        arrays = b.persist(*(t._storage.array for t in bases))
        for t, a in zip(bases, arrays):
            t._storage.array = a
            t._storage.writes += 1
    return tensors


def from_array(array: Any, backend: str | None = None) -> Tensor:
    """Wrap an array of a backend's own kind as a tensor without copying.

    Examples:
        >>> import numpy as np
        >>> torch.from_array(np.arange(3), "numpy")
        tensor([0, 1, 2])
    """
    b = config.get_backend(backend) if backend else config.current_backend()
    from .ops.creation import _default_device

    return make(array, b, _default_device(b), b.dtype_of(array))


def from_dask(array: Any) -> Tensor:
    """A tensor on the 'dask' device wrapping this dask array (no compute, no copy).

    Examples:
        >>> import importlib.util
        >>> if importlib.util.find_spec("dask"):
        ...     import dask.array as da
        ...     print(torch.from_dask(da.ones((2, 2), chunks=1)).device)
        ... else:
        ...     print("dask")
        dask
    """
    return from_array(array, "dask")
