"""The adapter interface: everything agrad's core may ask of an array library.

The core never imports NumPy, CuPy or Dask. It holds one `Backend` per device type and asks it for
its Array API namespace (`xp`), its capabilities, conversions and random numbers. Built-in adapters
live in `agrad.backends`; third parties register theirs through the `agrad.backends` entry-point
group, and any importable Array API namespace works as a backend by module name (`GenericBackend`
in `agrad.backends.generic`), with its capabilities probed.

Capabilities are data the core branches on (never the backend's name):

- ``mutable``: arrays support ``__setitem__``.
- ``views_alias``: basic indexing / reshape / permute results share memory with their base, so a
  write into a view array is a write into the storage (checked per view with `aliases`).
- ``lazy``: values are computed only on demand (`materialize`), graphs are built meanwhile.
- ``data_dependent_shapes``: boolean-mask reads and `nonzero` are supported.
- ``dlpack_devices``: which producers' memory (DLPack device types) `from_dlpack` takes;
  `agrad.from_dlpack` sends a GPU array to the CUDA backend rather than the current one.
- ``public``: listed to users by name and device type; False for test-only adapters.
- ``linalg_functions`` / ``fft_functions``: which functions of the standard's ``linalg`` and
  ``fft`` extensions the backend computes (None: whatever its namespace has); `supports` is
  what the core asks before calling one, so a backend without ``eigh`` says so by name instead
  of failing inside an op.
- the dtypes: `dtypes` holds only the dtypes whose arrays keep them (``xp.empty((0,),
  dtype=d).dtype == d``). Asking for another raises `UnsupportedDtypeError`, naming the backend
  and the dtype: agrad never computes a float64 tensor in float32 behind the user's back.

One property is derived from them: ``in_place`` (mutable, aliasing views, eager), which decides
whether a write goes into the storage's buffer or replaces it (functional write-back).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import Any, ClassVar

from . import dtypes as _dt

ONEHOT_LIMIT = 1 << 22  # elements of the one-hot matrix the default scatter_add may build


class BackendLacks(Exception):
    """Raised (mixed into a builtin exception type) where an op needs what the backend says it
    lacks; `lacking` names it, and the conformance suite reports such checks as not supported
    (declared) rather than failed."""

    lacking: str = ""

    def declared_by(self, backend: Backend) -> bool:
        """Whether `backend` declares the lack (else raising it is the backend's failure)."""
        return True


class UnsupportedDtypeError(BackendLacks, TypeError):
    """A dtype the backend does not keep (it would be computed in another one). A TypeError,
    as PyTorch's refusal of float64 on a device without it."""

    def __init__(self, backend: str, dtype: Any) -> None:
        self.backend, self.dtype = backend, dtype
        self.lacking = getattr(dtype, "name", str(dtype))
        super().__init__(f"the {backend!r} backend does not support {dtype} (declared: its "
                         f"arrays do not keep that dtype); agrad refuses rather than compute in "
                         f"another dtype silently")


    def declared_by(self, backend: Backend) -> bool:
        return self.dtype not in backend.dtypes


class UnsupportedCapabilityError(BackendLacks, RuntimeError):
    """An op that needs a capability (data-dependent shapes, linalg, fft) the backend lacks."""

    def __init__(self, backend: str, capability: str, what: str) -> None:
        self.backend, self.lacking = backend, capability
        super().__init__(f"{what} needs {capability.replace('_', '-')}, which the "
                         f"{backend!r} backend does not have (declared)")

    def declared_by(self, backend: Backend) -> bool:
        return not getattr(backend, self.lacking, False)


class UnsupportedFunctionError(UnsupportedCapabilityError):
    """A function of the standard's `linalg` or `fft` extension the backend says it does not
    compute (`Backend.supports`): Dask's `linalg.eigh`, a generic namespace without `fft`."""

    def __init__(self, backend: str, extension: str, name: str, message: str) -> None:
        self.backend, self.extension, self.name = backend, extension, name
        self.lacking = f"{extension}.{name}"
        RuntimeError.__init__(self, message)

    def declared_by(self, backend: Backend) -> bool:
        return not backend.supports(self.extension, self.name)


class DtypeMap(dict):
    """agrad dtype -> backend dtype; a missing entry is the backend's declared lack of it."""

    def __init__(self, backend: str) -> None:
        super().__init__()
        self.backend = backend

    def __missing__(self, key: Any) -> Any:
        raise UnsupportedDtypeError(self.backend, key)


_KEPT: dict[tuple[int, str], bool] = {}


def exact_dtype(xp: Any, name: str) -> Any:
    """`xp.<name>` for a result PyTorch gives in that dtype (argmax's int64 indices), refused
    with `UnsupportedDtypeError` where the namespace would make another one (JAX without x64
    turns int64 into int32)."""
    key = (id(xp), name)
    kept = _KEPT.get(key)
    bd = getattr(xp, name, None)
    if kept is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kept = _KEPT[key] = bd is not None and xp.empty((0,), dtype=bd).dtype == bd
    if not kept:
        raise UnsupportedDtypeError(getattr(xp, "__name__", repr(xp)), _dt.get(name))
    return bd


class Backend:
    """Base class of adapters. Subclasses set `name`, `device_type`, `xp` and capabilities, and
    override the conversion/RNG hooks their library needs."""

    name: ClassVar[str] = ""
    device_type: ClassVar[str] = ""
    extra: ClassVar[str] = ""  # the pip extra that installs the library, for error messages
    # listed to users (the device types an unknown device's error names, the backend names an
    # unknown backend's error names); test-only adapters set it False: still usable by name
    public: ClassVar[bool] = True
    mutable: bool = True
    views_alias: bool = False
    lazy: bool = False
    data_dependent_shapes: bool = True
    linalg_functions: frozenset[str] | None = None
    fft_functions: frozenset[str] | None = None
    # the DLPack device types (1 kDLCPU, 2 kDLCUDA, 10 kDLROCM, 13 kDLCUDAManaged, ...) whose
    # memory `from_dlpack` imports; None: not declared (whatever the namespace accepts)
    dlpack_devices: frozenset[int] | None = None
    xp: Any = None

    @property
    def widest_float(self) -> _dt.dtype:
        """The dtype agrad computes in where it wants precision (arange's values, gradcheck's
        differences): float64 where the backend keeps it, else float32."""
        return _dt.float64 if _dt.float64 in self.dtypes else _dt.float32

    @property
    def in_place(self) -> bool:
        """Writes go into the storage's buffer (every view sees them) rather than replacing it."""
        return self.mutable and self.views_alias and not self.lazy

    def __init__(self) -> None:
        self.dtypes: dict[_dt.dtype, Any] = DtypeMap(self.name)
        self.from_backend_dtype: dict[Any, _dt.dtype] = {}
        for d in _dt.ALL:
            bd = getattr(self.xp, d.name, None)
            if bd is None:
                continue
            try:  # a library may accept the name and make arrays of another dtype (JAX's x64)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    actual = self.xp.empty((0,), dtype=bd).dtype
            except Exception:  # noqa: BLE001 - no arrays of this dtype at all
                continue
            if actual != bd:
                continue
            self.dtypes[d] = bd
            self.from_backend_dtype[bd] = d
            # arrays may report a dtype object that hashes unlike the namespace's name
            with contextlib.suppress(TypeError):
                self.from_backend_dtype[actual] = d
        self._seed: int | None = None

    def supports(self, extension: str, name: str) -> bool:
        """Whether `xp.<extension>.<name>` ("linalg", "fft") can be used on this backend."""
        declared = self.linalg_functions if extension == "linalg" else self.fft_functions
        if declared is not None:
            return name in declared
        return callable(getattr(getattr(self.xp, extension, None), name, None))

    # -- availability ----------------------------------------------------------------------
    @classmethod
    def is_available(cls) -> bool:
        """Whether a device of this type can be used now (a GPU present, not just importable)."""
        return True

    def device_count(self) -> int:
        return 1 if self.is_available() else 0

    def synchronize(self) -> None:
        """Wait for the device's queued work (`agrad.cuda.synchronize`); nothing when eager."""

    # -- arrays ----------------------------------------------------------------------------
    def dtype_of(self, array: Any) -> _dt.dtype:
        return self.from_backend_dtype[array.dtype]

    def asarray(self, obj: Any, dtype: _dt.dtype | None = None, copy: bool | None = None) -> Any:
        bd = None if dtype is None else self.dtypes[dtype]
        return self.xp.asarray(obj, dtype=bd, copy=copy)

    def as_array(self, result: Any) -> Any:
        """An op's 0-d result as an array of the library (NumPy hands back scalars, which are
        no arrays: they take no item assignment and no DLPack export)."""
        return result

    def aliases(self, view: Any, base: Any) -> bool:
        """Whether `view` shares memory with `base` (only asked when `views_alias`)."""
        return False

    def exclusive(self, array: Any) -> bool:
        """Whether `array` owns its buffer (is no view of another array), so that writing into
        it in place cannot reach another tensor. Only asked on mutable, aliasing backends."""
        return False

    def data_ptr(self, array: Any) -> int | None:
        """The address of `array`'s first element (`tensor.data_ptr()`), None where the library
        has no addresses to give."""
        return None

    def index_update(self, base: Any, key: Any, value: Any) -> Any:
        """A new array equal to `base` with `base[key] = value`; the functional write-back path."""
        out = self.xp.asarray(base, copy=True)
        out[key] = value
        return out

    def take(self, array: Any, index: Any, axis: int = 0) -> Any:
        """`xp.take`: the elements of `array` at the 1-D integer `index` along `axis`. An
        adapter whose library mis-takes overrides it."""
        return self.xp.take(array, index, axis=axis)

    def write(self, target: Any, key: Any, value: Any) -> None:
        """In-place write into an array that aliases the storage (mutable, views_alias)."""
        target[key] = value

    def scatter_add(self, shape: tuple[int, ...], axis: int, index: Any, values: Any) -> Any:
        """zeros(shape) plus `values` added at the 1-D `index` along `axis` (repeats
        accumulate): the gradient of a gather. The standard has no scatter, so the default
        multiplies by a one-hot matrix while that is small, and otherwise (1-D) sums segments
        of a stable sort; adapters with a native scatter-add override it."""
        xp = self.xp
        n, m = shape[axis], index.shape[0]
        if m * n <= ONEHOT_LIMIT or len(shape) != 1:
            onehot = xp.astype(xp.reshape(index, (-1, 1)) == xp.arange(n)[None, :],
                               values.dtype)
            moved = xp.moveaxis(values, axis, -1)
            return xp.moveaxis(xp.matmul(moved, onehot), -1, axis)
        # segment sums over a stable sort; floats accumulate in float64 where the backend has it
        order = xp.argsort(index, stable=True)
        sp = xp.take(index, order)
        acc = xp.float64 if xp.isdtype(values.dtype, "real floating") and \
            hasattr(xp, "float64") else values.dtype
        cs = xp.cumulative_sum(xp.astype(xp.take(values, order), acc), include_initial=True)
        targets = xp.arange(n, dtype=index.dtype)
        left = xp.searchsorted(sp, targets, side="left")
        right = xp.searchsorted(sp, targets, side="right")
        return xp.astype(xp.take(cs, right) - xp.take(cs, left), values.dtype)

    def shape_of(self, array: Any) -> tuple[int, ...]:
        """The concrete shape; lazy backends resolve unknown (data-dependent) sizes here."""
        return tuple(array.shape)

    # -- conversions -----------------------------------------------------------------------
    def to_numpy(self, array: Any) -> Any:
        """A NumPy array of the values; zero-copy where the library shares host memory."""
        raise NotImplementedError(f"the {self.name} backend cannot convert to NumPy")

    def from_numpy(self, array: Any) -> Any:
        return self.xp.asarray(array)

    def from_dlpack(self, obj: Any, copy: bool | None = None) -> Any:
        """An array of `obj`'s values through DLPack: sharing its memory where the library
        can (`copy` None or False; False refuses a copy with BufferError)."""
        return self.xp.from_dlpack(obj) if copy is None else self.xp.from_dlpack(obj, copy=copy)

    def export_dlpack(self, array: Any, **kwargs: Any) -> Any:
        """`array.__dlpack__(**kwargs)`: the capsule `Tensor.__dlpack__` hands a consumer.
        Libraries without a DLPack export (Dask) hand a computed copy's instead."""
        return array.__dlpack__(**kwargs)

    def dlpack_device(self, array: Any) -> tuple[int, int]:
        """`array.__dlpack_device__()`: (DLPack device type, device index) of the export."""
        return array.__dlpack_device__()

    def tolist(self, array: Any) -> Any:
        return self.to_numpy(array).tolist()

    def materialize(self, *arrays: Any) -> tuple[Any, ...]:
        """Compute lazy arrays together (one pass over a shared graph); identity when eager."""
        return arrays

    def persist(self, *arrays: Any) -> tuple[Any, ...]:
        """Keep lazy arrays computed but in the backend's form, cutting their graphs."""
        return arrays

    @contextlib.contextmanager
    def counting_computes(self) -> Iterator[list]:
        """A list that records each computation of lazy arrays inside the block (the
        conformance suite checks that building a graph and its backward computes nothing).
        The default counts this adapter's `materialize`, `to_numpy` and `tolist` calls; an
        adapter whose library also computes by itself (Dask's `bool(x)`) counts at the source."""
        calls: list = []
        names = ("materialize", "to_numpy", "tolist")

        def counted(name: str, fn: Any) -> Any:
            def f(*args: Any, **kwargs: Any) -> Any:
                calls.append(name)
                return fn(*args, **kwargs)
            return f
        for n in names:
            setattr(self, n, counted(n, getattr(self, n)))
        try:
            yield calls
        finally:
            for n in names:
                delattr(self, n)

    # -- random numbers --------------------------------------------------------------------
    def manual_seed(self, seed: int) -> None:
        raise NotImplementedError

    def rand(self, shape: tuple[int, ...], dtype: _dt.dtype) -> Any:
        raise NotImplementedError

    def randn(self, shape: tuple[int, ...], dtype: _dt.dtype) -> Any:
        raise NotImplementedError

    def randint(self, low: int, high: int, shape: tuple[int, ...], dtype: _dt.dtype) -> Any:
        raise NotImplementedError

    def empty(self, shape: tuple[int, ...], dtype: _dt.dtype) -> Any:
        return self.xp.empty(shape, dtype=self.dtypes[dtype])

    def __repr__(self) -> str:
        return f"<agrad backend {self.name!r} (device type {self.device_type!r})>"
