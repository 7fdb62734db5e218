"""Dask: chunked, lazy, out-of-core and (with ``dask.distributed``) multi-machine arrays.

Device type ``"dask"``. The namespace is ``array_api_compat.dask.array``; its arrays are plain
``dask.array.Array`` objects, so agrad's forward and backward build one task graph and nothing
is computed until a value is needed (`to_numpy`, `tolist`, `materialize`, a data-dependent
`shape_of`). If a ``dask.distributed.Client`` exists, ``dask.compute``/``dask.persist`` send the
work to it by themselves: the same code runs on the cluster.

Chunking: arrays made from host data (`asarray`, `from_numpy`), `empty` and random tensors use
one configurable chunk spec: `set_chunk_size(...)` or the ``AGRAD_DASK_CHUNKS`` environment
variable (read at import): ``auto`` (the default; Dask's ``array.chunk-size``), an int
(``1000``: per-dimension block length), a comma list (``100,200``) or a byte size (``64MiB``).
Arrays the core makes with the namespace (``zeros``, ``arange``...) keep Dask's own defaults.

Semantics the adapter settles:

- ``mutable``: ``Array.__setitem__`` exists (it rebuilds that Python object's graph; no chunk
  buffer is modified), so in-place writes into a storage's base array are in place for agrad;
  ``views_alias`` is False (slices are new graphs), so writes through views are written back.
  `index_update` / `write` accept every NumPy key: basic keys (rewritten into the full form),
  boolean masks (``where``, and ``cumulative_sum``/``take`` for a value per selected element, so
  no data-dependent size is needed), one integer array (Dask's own setitem) and anything else
  through linear indices (the key's index arrays are computed; NumPy's rules apply).
- `shape_of`: a boolean-mask read leaves unknown (NaN) chunk sizes; `shape_of` then calls
  ``compute_chunk_sizes()``, which computes the sizes and records them *in the same array
  object* (it returns `self`), so the storage that holds it keeps the resolved chunks.
- `from_numpy` / `asarray` of a NumPy array take a snapshot (a copy): a lazy graph must not read
  a host buffer the user may change before it is computed. `.numpy()` is a computed copy.
- `materialize(*arrays)` is one ``dask.compute`` (shared work done once); `persist(*arrays)` is
  ``dask.persist``: computed chunks kept as Dask arrays whose graphs are cut to those chunks.
- RNG: ``dask.array.random.default_rng(seed)`` with the configured chunks (values depend on the
  chunking, as with Dask itself).
- Progress (`agrad.set_progress(True)` / ``AGRAD_PROGRESS=1``): every compute the adapter
  starts (`to_numpy`, `tolist`, `materialize`, a data-dependent `shape_of`, an `index_update`
  that reads its key's values, a local `persist`) runs inside `progress()`: Dask's
  ``ProgressBar`` on the local schedulers, or, with a ``dask.distributed`` Client active, a
  scheduler that submits the graph to the client and shows ``distributed.progress`` until it is
  done. A ``persist`` on a cluster returns at once (its work runs in the background), so it shows
  none; the compute that later reads its result does. Nested computes show one bar.
- DLPack: Dask arrays have no DLPack export, so `export_dlpack` computes a NumPy copy and exports
  that (``copy=False`` is refused with BufferError: a lazy array has no buffer to share);
  `from_dlpack` is a snapshot of the producer's values, like `from_numpy`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import math
import os
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import dask
import dask.array as da
import dask.threaded
import dask.utils
import numpy as np

from agrad import config as _config
from agrad import dtypes as _dt
from agrad.adapter import Backend
from agrad.backends.dask_namespace import namespace as xp
from agrad.backends.generic import IndexingMixin

__all__ = ["DaskBackend", "set_chunk_size", "get_chunk_size"]


def _parse_chunks(spec: Any) -> Any:
    if spec is None:
        return "auto"
    if isinstance(spec, (int, tuple, dict)):
        return spec
    if isinstance(spec, list):
        return tuple(spec)
    s = str(spec).strip()
    if not s or s.lower() == "auto":
        return "auto"
    if "," in s:
        parts = [p.strip() for p in s.split(",") if p.strip()]
        return tuple(p if p == "auto" else int(p) for p in parts)
    if s.lstrip("-").isdigit():
        return int(s)
    return s  # a byte size such as "64MiB", which Dask understands


_chunks: Any = "auto"


def set_chunk_size(chunks: Any = "auto") -> None:
    """Set the chunk spec used for arrays the adapter creates: "auto", an int, a tuple, a
    comma string ("100,200") or a byte size ("64MiB")."""
    global _chunks
    parsed = _parse_chunks(chunks)
    if isinstance(parsed, int) and parsed <= 0 and parsed != -1:
        raise ValueError(f"chunk size must be positive (or -1 for one chunk), got {parsed}")
    if isinstance(parsed, str) and parsed != "auto":
        dask.utils.parse_bytes(parsed)  # ValueError on a malformed size
    _chunks = parsed


def get_chunk_size() -> Any:
    return _chunks


_env_chunks = os.environ.get("AGRAD_DASK_CHUNKS", "auto")
try:
    set_chunk_size(_env_chunks)
except ValueError as _e:
    raise ValueError(f"AGRAD_DASK_CHUNKS={_env_chunks!r} is not a chunk spec (use 'auto', an "
                     f"int, a comma list such as '100,200' or a size such as '64MiB'): {_e}"
                     ) from None


def _chunks_for(shape: tuple[int, ...]) -> Any:
    c = _chunks
    if isinstance(c, tuple) and len(c) != len(shape):
        # a per-dimension spec for another rank: use its first entry for every dimension
        c = c[0] if c else "auto"
    return c


_showing: ContextVar[bool] = ContextVar("agrad_dask_progress", default=False)


def _client() -> Any:
    """The dask.distributed Client Dask would compute on, or None: Dask's own order, where a
    scheduler set in its config (``dask.config.set(scheduler="threads")``) wins over an active
    client. distributed is not imported for this: no client exists in a process that never
    imported it."""
    if "distributed" not in sys.modules:
        return None
    configured = dask.config.get("scheduler", None)
    if configured is not None:
        if "Client" in type(configured).__name__:
            return configured
        if configured not in ("distributed", "dask.distributed"):
            return None
    from distributed import Client

    try:
        return Client.current(allow_global=True)
    except ValueError:
        return None


def _get_with_progress(client: Any, dsk: Any, keys: Any, **kwargs: Any) -> Any:
    """A Dask scheduler function: the graph runs on `client` while `distributed.progress`
    draws a text bar (blocking until done, in a notebook too), then the results come back."""
    from distributed import progress

    futures = client.get(dsk, keys, sync=False, **kwargs)
    progress(futures, notebook=False)
    return client.gather(futures)


@contextlib.contextmanager
def progress(local_only: bool = False) -> Iterator[None]:
    """Show the progress of the Dask computes run inside the block, if `agrad.set_progress`
    asks for it (else nothing happens). `local_only`: show none on a cluster (for persist,
    which must stay asynchronous there)."""
    if not _config.get_progress() or _showing.get():
        yield
        return
    client = _client()
    if client is not None:
        ctx: Any = contextlib.nullcontext() if local_only else \
            dask.config.set(scheduler=functools.partial(_get_with_progress, client))
    else:
        from dask.diagnostics import ProgressBar

        ctx = ProgressBar()
    token = _showing.set(True)
    try:
        with ctx:
            yield
    finally:
        _showing.reset(token)


class DaskBackend(IndexingMixin, Backend):
    name = "dask"
    device_type = "dask"
    extra = "dask"
    mutable = True
    views_alias = False
    lazy = True
    data_dependent_shapes = True
    dlpack_devices = frozenset({1})  # kDLCPU: imported through NumPy
    # dask.array.linalg has these (QR and SVD want arrays chunked along one dimension only:
    # tall-and-skinny); no det, slogdet, eigh or pinv. Its FFTs need the transformed axis in
    # one chunk.
    # (it solves and inverts with SciPy, which dask[array] does not install)
    linalg_functions = frozenset({"cholesky", "inv", "qr", "solve", "svd", "svdvals"}) \
        if importlib.util.find_spec("scipy") is not None else frozenset()
    fft_functions = frozenset({"fft", "ifft", "rfft", "irfft", "hfft", "ihfft"})

    def __init__(self) -> None:
        self.xp = xp
        super().__init__()
        # array-api-compat's dask namespace has no float16, but Dask computes it fine.
        self.dtypes.setdefault(_dt.float16, np.float16)
        # `xp.float32` is NumPy's scalar *type*; `a.dtype` is a np.dtype *instance*, which
        # compares equal but hashes differently: key the reverse map by both.
        for d, bd in list(self.dtypes.items()):
            self.from_backend_dtype[bd] = d
            self.from_backend_dtype[np.dtype(bd)] = d
        self._seed: int | None = None
        self._rng = da.random.default_rng()

    # -- arrays ----------------------------------------------------------------------------
    def dtype_of(self, array: Any) -> _dt.dtype:
        return self.from_backend_dtype[np.dtype(array.dtype)]

    def _np_dtype(self, dtype: _dt.dtype | None) -> Any:
        return None if dtype is None else np.dtype(self.dtypes[dtype])

    def asarray(self, obj: Any, dtype: _dt.dtype | None = None, copy: bool | None = None) -> Any:
        nd = self._np_dtype(dtype)
        if isinstance(obj, da.Array):
            if nd is not None and obj.dtype != nd:
                return obj.astype(nd)
            return obj.copy() if copy else obj
        if copy is False and not isinstance(obj, np.ndarray):
            raise ValueError("copy=False: a Dask array cannot be made from "
                             f"{type(obj).__name__} without copying")
        host = np.array(obj, dtype=nd, copy=copy is not False)
        return da.from_array(host, chunks=_chunks_for(host.shape))

    def shape_of(self, array: Any) -> tuple[int, ...]:
        if any(isinstance(s, float) and math.isnan(s) for s in array.shape):
            with progress():
                array.compute_chunk_sizes()  # resolves in place: the caller's object is updated
        return tuple(int(s) for s in array.shape)

    def empty(self, shape, dtype):
        return da.empty(shape, dtype=self._np_dtype(dtype), chunks=_chunks_for(tuple(shape)))

    # -- indexing (IndexingMixin hooks) ----------------------------------------------------
    def _copy(self, array: Any) -> Any:
        # A new Array object over the same graph: setitem on it rebuilds only its own graph.
        return da.Array(array.dask, array.name, array.chunks, meta=array)

    def _shape(self, array: Any) -> tuple[int, ...]:
        return self.shape_of(array)

    def _device(self, array: Any) -> Any:
        return None

    def _fancy_update(self, base: Any, key: Any, value: Any) -> Any:
        value = self._cast_value(base, value)
        try:
            out = self._copy(base)
            out[key] = value
            return out
        except (AttributeError, IndexError, TypeError, ValueError, NotImplementedError):
            # (AttributeError: Dask's setitem reads `.dtype` of every key part, None included)
            pass
        # Linear indices of the selected elements, in NumPy's order (last write wins), then a
        # 1-D integer-array assignment, which Dask supports.
        shape = self.shape_of(base)
        k = key if isinstance(key, tuple) else (key,)
        k = tuple(self.to_numpy(i) if isinstance(i, da.Array) else i for i in k)
        lin = np.arange(math.prod(shape), dtype=np.int64).reshape(shape)[k]
        if isinstance(value, da.Array):
            value = xp.reshape(xp.broadcast_to(value, lin.shape), (-1,))
        flat = xp.reshape(base, (-1,))
        flat = self._copy(flat)
        flat[lin.reshape(-1)] = value
        return xp.reshape(flat, shape)

    def index_update(self, base: Any, key: Any, value: Any) -> Any:
        # Dask's setitem refuses an empty selection ("value array of shape (0, 4) could not be
        # broadcast to indexing result of shape (0, 4)"): writing nothing changes nothing
        parts = key if isinstance(key, tuple) else (key,)
        arrays = [k for k in parts if isinstance(k, (da.Array, np.ndarray))]
        # an empty index array selects nothing; otherwise a basic key's (lazy) result shape says
        empty = any(0 in k.shape for k in arrays) if arrays else 0 in base[key].shape
        if empty:
            return self._copy(base)
        with progress():  # a key holding index arrays is computed
            return super().index_update(base, key, value)

    def take(self, array: Any, index: Any, axis: int = 0) -> Any:
        # da.take with a Dask index holding [0] reports the input's length as the result's
        # (shape (3, 4) for x[[0]] of a (3, 4) array): take with the index's NumPy values,
        # which the bounds check has computed already
        if isinstance(index, da.Array):
            with progress():
                index = index.compute()
        return da.take(array, np.asarray(index), axis=axis)

    # -- conversions -----------------------------------------------------------------------
    def to_numpy(self, array: Any) -> Any:
        if isinstance(array, da.Array):
            with progress():
                array = array.compute()
        return np.asarray(array)

    def from_numpy(self, array: Any) -> Any:
        host = np.array(array, copy=True)
        return da.from_array(host, chunks=_chunks_for(host.shape))

    def from_dlpack(self, obj: Any, copy: bool | None = None) -> Any:
        if copy is False:
            raise BufferError("from_dlpack(copy=False): a Dask array is a snapshot of the "
                              "producer's values and cannot share its memory")
        return self.from_numpy(np.from_dlpack(obj))

    def export_dlpack(self, array: Any, **kwargs: Any) -> Any:
        """The DLPack capsule of a computed NumPy copy (Dask arrays have no buffer)."""
        if kwargs.pop("copy", None) is False:
            raise BufferError("__dlpack__(copy=False): a Dask tensor is exported as a computed "
                              "copy and has no memory to share")
        return self.to_numpy(array).__dlpack__(**kwargs)

    def dlpack_device(self, array: Any) -> tuple[int, int]:
        return (1, 0)  # kDLCPU: the export is a NumPy array

    def tolist(self, array: Any) -> Any:
        return self.to_numpy(array).tolist()

    def materialize(self, *arrays: Any) -> tuple[Any, ...]:
        """NumPy arrays of the values, computed together in one pass (one ``dask.compute``;
        on a ``dask.distributed.Client`` when one is active)."""
        with progress():
            return tuple(np.asarray(a) for a in dask.compute(*arrays))

    def persist(self, *arrays: Any) -> tuple[Any, ...]:
        with progress(local_only=True):
            return tuple(dask.persist(*arrays))

    @contextlib.contextmanager
    def counting_computes(self) -> Iterator[list]:
        """Every scheduler run inside the block, whoever asked for it (agrad, or Dask itself
        for `bool(x)`): the active scheduler (threads, or a distributed Client's) is wrapped,
        and the list records each run's keys."""
        calls: list = []
        inner = dask.base.get_scheduler() or dask.threaded.get

        def get(dsk: Any, keys: Any, **kwargs: Any) -> Any:
            calls.append(keys)
            return inner(dsk, keys, **kwargs)
        with dask.config.set(scheduler=get):
            yield calls

    # -- random numbers --------------------------------------------------------------------
    def manual_seed(self, seed: int) -> None:
        self._seed = int(seed)
        self._rng = da.random.default_rng(self._seed)

    def _float(self, gen: Any, shape: tuple[int, ...], dtype: _dt.dtype) -> Any:
        nd = self._np_dtype(dtype)
        if nd in (np.float32, np.float64):
            return gen(shape, dtype=nd, chunks=_chunks_for(tuple(shape)))
        return gen(shape, chunks=_chunks_for(tuple(shape))).astype(nd)

    def rand(self, shape, dtype):
        return self._float(self._rng.random, tuple(shape), dtype)

    def randn(self, shape, dtype):
        shape = tuple(shape)
        if dtype.is_complex:
            real_dt = dtype.to_real()
            half = np.sqrt(0.5)
            real = self._float(self._rng.standard_normal, shape, real_dt) * half
            imag = self._float(self._rng.standard_normal, shape, real_dt) * half
            return (real + 1j * imag).astype(self._np_dtype(dtype))
        return self._float(self._rng.standard_normal, shape, dtype)

    def randint(self, low, high, shape, dtype):
        shape = tuple(shape)
        out = self._rng.integers(low, high, size=shape, dtype=np.int64,
                                 chunks=_chunks_for(shape))
        nd = self._np_dtype(dtype)
        return out if nd == np.int64 else out.astype(nd)
