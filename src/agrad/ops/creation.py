"""Tensor creation: factories, *_like, new_*, the legacy typed constructors, and the NumPy bridge.

Every factory resolves its backend from `device=` (or the current backend) and asks the adapter
for the array, so the same call makes a NumPy, Dask or CuPy tensor.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

from .. import config
from .. import dtypes as D
from .. import memory_format as MF
from .._tensor import Tensor, make
from ..device import device as Device
from . import _args
from ._from_data import check_not_text, infer_dtype, rows, sizes
from ._op import Op

__all__ = ["manual_seed", "seed", "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor",
           "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]


def resolve_device(dev: Any) -> tuple[Any, Device]:
    """(backend, device) for a `device=` argument; None means the current backend."""
    if dev is None:
        return config.current_device()
    if not isinstance(dev, Device):
        dev = Device(dev)
    if dev.type == "cuda":
        from .. import cuda

        cuda.init()  # PyTorch's errors for CUDA without CuPy or without a GPU
    b = config.backend_for_device(dev)
    if not b.is_available():
        raise RuntimeError(f"{dev.type} is not available: {b.name} found no device (for CUDA, "
                           f"agrad.cuda.is_available() is False)")
    if b.device_type == "cuda" and dev.index is None:
        dev = Device("cuda", 0)
    return b, dev


_default_device = config.default_device


def _size(size: tuple) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = int(s.item())
        if not isinstance(s, int) or isinstance(s, bool):
            raise TypeError(f"expected a sequence of integers as the size, but got "
                            f"{type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(size)}")
        out.append(s)
    return tuple(out)


def _finish(arr: Any, b: Any, dev: Device, dtype: D.dtype, requires_grad: bool) -> Tensor:
    if requires_grad and dtype.category < D.FLOAT:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                           "gradients")
    t = make(arr, b, dev, dtype)
    if requires_grad:
        t.requires_grad = True
    return t


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """Always copies `data` (a Tensor, a NumPy/Array API array, or nested Python numbers)."""
    dtype = _args.dtype("tensor", dtype)
    if isinstance(data, Tensor):
        r = data.detach().clone().to(device=device, dtype=dtype)
        if requires_grad:
            r.requires_grad = True
        return r
    b, dev = resolve_device(device)
    if hasattr(data, "dtype") and hasattr(data, "shape") and not isinstance(data, (list, tuple)):
        arr, src = _foreign(data, b, dtype)
        dt = dtype if dtype is not None else src
        if dt is not src:
            arr = b.xp.astype(arr, b.dtypes[dt])
        return _finish(arr, b, dev, dt, requires_grad)
    check_not_text(data)
    shape = sizes(data)
    dt = dtype if dtype is not None else infer_dtype(data)
    if 0 in shape:  # PyTorch reads no elements then: `[[], [1]]` is an empty (2, 0) tensor
        return _finish(b.xp.zeros(shape, dtype=b.dtypes[dt]), b, dev, dt, requires_grad)
    return _finish(b.asarray(rows(data, shape, dt), dt), b, dev, dt, requires_grad)


def _foreign(data: Any, b: Any, want: D.dtype | None = None) -> tuple[Any, D.dtype]:
    """A copy of another library's array in backend `b`, and its dtype. An array whose dtype
    agrad can name (NumPy's, CuPy's, an Array API library's) is converted with `asarray`; any
    other whose dtype has no `.name` to go by (a torch.Tensor's) is read through DLPack, the
    standard's interchange protocol, keeping its dtype. An array of a dtype the backend lacks,
    asked for as `want`, is cast by its own library first (float64 data for a float32 tensor
    on a backend without float64). A named dtype agrad lacks (strings,
    objects) is PyTorch's TypeError. The core imports neither library: the protocols are all
    it asks for."""
    try:
        src = D.get(data.dtype)
    except TypeError:
        if getattr(data.dtype, "name", None) is not None or not hasattr(data, "__dlpack__"):
            raise _unsupported(data) from None
        arr = b.from_dlpack(data)
        return b.xp.asarray(arr, copy=True), b.dtype_of(arr)
    if want is not None and want is not src and src not in b.dtypes and hasattr(data, "astype"):
        data, src = data.astype(want.name), want  # a dtype the backend lacks: cast first
    if hasattr(data, "__array_namespace__") and \
            type(data).__module__.split(".")[0] == b.xp.__name__.split(".")[0]:
        return b.xp.asarray(data, copy=True), src
    return b.asarray(data, src, copy=True), src


def _unsupported(array: Any) -> TypeError:
    """PyTorch's TypeError for an array of a dtype no tensor has (strings, objects ...)."""
    kind = getattr(array.dtype, "type", None)
    name = f"numpy.{kind.__name__}" if isinstance(kind, type) else str(array.dtype)
    return TypeError(f"can't convert np.ndarray of type {name}. The only supported types are: "
                     f"float64, float32, float16, complex64, complex128, int64, int32, int16, "
                     f"int8, uint64, uint32, uint16, uint8, and bool.")


def _is_ndarray(x: Any) -> bool:
    """Whether `x` is a NumPy ndarray (or a subclass), asked without importing NumPy."""
    return any(c.__name__ == "ndarray" and c.__module__ == "numpy" for c in type(x).__mro__)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Shares memory with `data` when it already is a tensor of the right kind, or a NumPy
    array and the tensor is to be a CPU one of its dtype; copies otherwise (`tensor`)."""
    dtype = _args.dtype("as_tensor", dtype)
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    if _is_ndarray(data) and device is None and dtype is None and \
            config.current_backend().device_type == "cpu":
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


asarray = as_tensor


def from_numpy(ndarray: Any) -> Tensor:
    """A CPU tensor sharing memory with `ndarray`: writes on either side are seen by the other."""
    if not _is_ndarray(ndarray):
        raise TypeError(f"expected np.ndarray (got {D.typename(ndarray)})")
    b = config.get_backend("numpy")
    try:
        dt = D.get(ndarray.dtype)
    except TypeError:
        raise _unsupported(ndarray) from None
    t = make(b.from_numpy(ndarray), b, _default_device(b), dt)
    t._storage.owned = True  # shared with the caller on purpose: writes go to their buffer
    return t


# DLPack device type -> the agrad device type that holds such memory (kDLCPU; kDLCUDA, kDLROCM,
# kDLCUDAManaged)
_DLPACK_HOMES = {1: "cpu", 2: "cuda", 10: "cuda", 13: "cuda"}


def from_dlpack(ext: Any, *, device: Any = None, copy: bool | None = None) -> Tensor:
    """A tensor of `ext`'s values (any object with ``__dlpack__``: a NumPy, CuPy or PyTorch
    array, another agrad tensor), sharing its memory where the backend can.

    The tensor goes to the current backend when it takes memory of the producer's kind (a CPU
    array on NumPy shares memory; on Dask it is a snapshot), else to the backend of that device
    (a CUDA array to ``cuda``). `device` moves it afterwards; `copy` True always copies, False
    never does (BufferError where sharing is impossible), None copies only when needed."""
    b, dev = config.current_device()
    where = getattr(ext, "__dlpack_device__", None)
    kind = where()[0] if where is not None else None
    if kind is not None and b.dlpack_devices is not None and kind not in b.dlpack_devices and \
            kind in _DLPACK_HOMES:
        b = config.backend_for_device(_DLPACK_HOMES[kind])
        dev = _default_device(b)
    arr = b.from_dlpack(ext, copy=copy)
    t = make(arr, b, dev, b.dtype_of(arr))
    if device is not None and resolve_device(device)[1] != t.device:
        if copy is False:
            raise BufferError(f"from_dlpack(copy=False): moving to {device} copies")
        t = t.to(device)
    return t


def _filled(fn: str, size: tuple, fill: int | None, dtype: Any, device: Any,
            requires_grad: bool) -> Tensor:
    dt = _args.dtype(fn, dtype) or D.get_default_dtype()
    shape = _size(size)
    b, dev = resolve_device(device)
    bd = b.dtypes[dt]
    arr = b.empty(shape, dt) if fill is None else (
        b.xp.zeros(shape, dtype=bd) if fill == 0 else b.xp.ones(shape, dtype=bd))
    return _finish(arr, b, dev, dt, requires_grad)


def empty(*size: Any, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False,
          memory_format: Any = None) -> Tensor:
    """An uninitialized tensor of `size` (default dtype unless `dtype`)."""
    return _filled("empty", size, None, dtype, device, requires_grad)


def zeros(*size: Any, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False,
          memory_format: Any = None) -> Tensor:
    """A tensor of zeros of `size`."""
    return _filled("zeros", size, 0, dtype, device, requires_grad)


def ones(*size: Any, dtype: Any = None, layout: Any = None, device: Any = None,
         requires_grad: bool = False, pin_memory: bool = False,
         memory_format: Any = None) -> Tensor:
    """A tensor of ones of `size`."""
    return _filled("ones", size, 1, dtype, device, requires_grad)


def full(size: Any, fill_value: Any, *, dtype: Any = None, layout: Any = None,
         device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    if isinstance(size, int):
        raise TypeError("full(): argument 'size' (position 1) must be tuple of ints, not int")
    dtype = _args.dtype("full", dtype)
    shape = _size((size,))
    b, dev = resolve_device(device)
    dt = dtype if dtype is not None else D.scalar_dtype(
        fill_value.item() if isinstance(fill_value, Tensor) else fill_value)
    v = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
    arr = b.xp.full(shape, _args.fill_value(v, dt, math.prod(shape)), dtype=b.dtypes[dt])
    return _finish(arr, b, dev, dt, requires_grad)


def scalar_tensor(s: Any, *, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:
    return full((), s, dtype=_args.dtype("scalar_tensor", dtype) or D.get_default_dtype(),
                device=device, requires_grad=requires_grad)


def _random(kind: str, size: tuple, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    dt = _args.dtype(kind, dtype, size) or D.get_default_dtype()
    shape = _size(size)
    b, dev = resolve_device(device)
    if dt.category < D.FLOAT:
        kernel = "check_uniform_bounds" if kind == "rand" else "normal_kernel_cpu"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.legacy}'")
    return _finish(getattr(b, kind)(shape, dt), b, dev, dt, requires_grad)


def rand(*size: Any, generator: Any = None, dtype: Any = None, layout: Any = None,
         device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Uniform samples on [0, 1) from the backend's generator (`agrad.manual_seed` seeds it)."""
    return _random("rand", size, dtype, device, requires_grad)


def randn(*size: Any, generator: Any = None, dtype: Any = None, layout: Any = None,
          device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Standard normal samples from the backend's generator."""
    return _random("randn", size, dtype, device, requires_grad)


def randint(*args: Any, generator: Any = None, dtype: Any = None, layout: Any = None,
            device: Any = None, requires_grad: bool = False, pin_memory: bool = False,
            size: Any = None) -> Tensor:
    """randint(high, size) or randint(low, high, size), as PyTorch."""
    dtype = _args.dtype("randint", dtype, args, {} if size is None else {"size": size})
    if size is not None:
        args = (*args, size)
    if len(args) == 2:
        low, high, size = 0, args[0], args[1]
    elif len(args) == 3:
        low, high, size = args
    else:
        raise TypeError("randint() expected (high, size) or (low, high, size)")
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    shape = _size((size,))
    b, dev = resolve_device(device)
    dt = dtype or D.int64
    return _finish(b.randint(int(low), int(high), shape, dt), b, dev, dt, requires_grad)


def randperm(n: int, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    dt = _args.dtype("randperm", dtype, (n,)) or D.int64
    b, dev = resolve_device(device)
    keys = b.rand((n,), b.widest_float)
    arr = b.xp.argsort(keys)
    return _finish(b.xp.astype(arr, b.dtypes[dt]), b, dev, dt, requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, *, dtype: Any = None,
           layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    dtype = _args.dtype("arange", dtype, (start,) if end is None else (start, end) if step == 1
                        else (start, end, step))
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is not None:
        dt = dtype
        if dt is D.bool or dt.category == D.COMPLEX:
            raise NotImplementedError(f"\"arange_cpu\" not implemented for '{dt.legacy}'")
    else:
        dt = D.int64 if all(isinstance(v, int) for v in vals) else D.get_default_dtype()
    b, dev = resolve_device(device)
    n = builtins.max(0, math.ceil((end - start) / step))
    if dt.category == D.FLOAT:
        arr = b.xp.asarray([start + i * step for i in range(n)],
                           dtype=b.dtypes[b.widest_float])
        arr = b.xp.astype(arr, b.dtypes[dt])
    else:
        arr = b.xp.arange(start, end, step, dtype=b.dtypes[dt])
    return _finish(arr, b, dev, dt, requires_grad)


def linspace(start: Any, end: Any, steps: int, *, dtype: Any = None, layout: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    dt = _args.dtype("linspace", dtype, (start, end, steps)) or D.get_default_dtype()
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    b, dev = resolve_device(device)
    arr = b.xp.linspace(float(start), float(end), steps, dtype=b.dtypes[b.widest_float])
    if dt.category <= D.INT:
        arr = b.xp.trunc(arr)
    return _finish(b.xp.astype(arr, b.dtypes[dt]), b, dev, dt, requires_grad)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    dt = _args.dtype("logspace", dtype, (start, end, steps) if base == 10.0 else
                     (start, end, steps, base)) or D.get_default_dtype()
    lin = linspace(start, end, steps, dtype=resolve_device(device)[0].widest_float,
                   device=device)
    t = (base ** lin).to(dt)
    if requires_grad:
        t.requires_grad = True
    return t


def eye(n: int, m: int | None = None, *, dtype: Any = None, layout: Any = None,
        device: Any = None, requires_grad: bool = False) -> Tensor:
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"n must be greater or equal to 0, got {n if n < 0 else m}")
    dt = _args.dtype("eye", dtype, (n,) if m is None else (n, m)) or D.get_default_dtype()
    b, dev = resolve_device(device)
    m = n if m is None else m
    if m == n:
        arr = b.xp.eye(n, m, dtype=b.dtypes[dt])
    else:  # Dask's eye(n, M=m) builds a broken graph for some shapes: compare aranges instead
        xp = b.xp
        arr = xp.astype(xp.reshape(xp.arange(n), (n, 1)) == xp.reshape(xp.arange(m), (1, m)),
                        b.dtypes[dt])
    return _finish(arr, b, dev, dt, requires_grad)


# -- *_like and new_* ------------------------------------------------------------------------------

def _like(fn: str, input: Tensor, dtype: Any, device: Any) -> dict:
    """A *_like or new_* call's factory arguments: `input`'s dtype and device unless given."""
    dtype = _args.dtype(fn, dtype, (input,))
    return {"dtype": dtype if dtype is not None else input._dtype,
            "device": device if device is not None else input.device}


def _layout_of(input: Tensor, t: Tensor, memory_format: Any) -> Tensor:
    """A *_like result takes its input's layout (preserve_format, the default), as PyTorch's."""
    if memory_format is None or memory_format is MF.preserve_format:
        from ._dispatch import _preserve_layout

        v = input._view
        if (v is not None and not v.plain) or (v is None and input._base_strides is not None):
            _preserve_layout(t, (input,), False)  # (empty_like: a copy)
    return t


def empty_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return _layout_of(input, empty(*input.shape, requires_grad=requires_grad,
                                    **_like("empty_like", input, dtype, device)), memory_format)


def zeros_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return _layout_of(input, zeros(*input.shape, requires_grad=requires_grad,
                                    **_like("zeros_like", input, dtype, device)), memory_format)


def ones_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return _layout_of(input, ones(*input.shape, requires_grad=requires_grad,
                                    **_like("ones_like", input, dtype, device)), memory_format)


def rand_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return _layout_of(input, rand(*input.shape, requires_grad=requires_grad,
                                    **_like("rand_like", input, dtype, device)), memory_format)


def randn_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return _layout_of(input, randn(*input.shape, requires_grad=requires_grad,
                                    **_like("randn_like", input, dtype, device)), memory_format)


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, layout: Any = None,
              device: Any = None, requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return _layout_of(input, full(tuple(input.shape), fill_value, requires_grad=requires_grad,
                                  **_like("full_like", input, dtype, device)), memory_format)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *, dtype: Any = None,
                 device: Any = None, requires_grad: bool = False) -> Tensor:
    dtype = _args.dtype("randint_like", dtype, (input, low) if high is None else
                        (input, low, high))
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape),
                   dtype=dtype if dtype is not None else input._dtype,
                   device=device if device is not None else input.device)


def _new(name: str, factory: Any) -> Any:
    def m(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
          requires_grad: bool = False, layout: Any = None, pin_memory: bool = False) -> Tensor:
        return factory(*size, requires_grad=requires_grad, **_like(name, self, dtype, device))
    m.__doc__ = f"A tensor like `{factory.__name__}(*size)` with self's dtype and device."
    return m


def new_full(self: Tensor, size: Any, fill_value: Any, *, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    return full(size, fill_value, requires_grad=requires_grad,
                **_like("new_full", self, dtype, device))


def new_tensor(self: Tensor, data: Any, *, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:
    return tensor(data, requires_grad=requires_grad, **_like("new_tensor", self, dtype, device))


# -- legacy typed constructors --------------------------------------------------------------------

class _LegacyMeta(type):
    """`torch.FloatTensor` is a type whose instances are the float32 CPU tensors."""

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj._dtype is cls.dtype and obj.device.type == "cpu"

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"


def legacy_new(cls: type, dtype: D.dtype, args: tuple, kwargs: dict) -> Tensor:
    """`Tensor(2, 3)` is uninitialized of that size; `Tensor(data)` converts data."""
    device = kwargs.pop("device", None)
    if kwargs:
        raise TypeError(f"new() received an invalid combination of arguments: "
                        f"{', '.join(kwargs)}")
    if not args:
        return empty(0, dtype=dtype, device=device)
    if all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        return empty(*args, dtype=dtype, device=device)
    if len(args) == 1 and isinstance(args[0], Tensor) and args[0]._dtype is dtype:
        return args[0].detach()
    if len(args) == 1:
        data = args[0]
        if hasattr(data, "__len__") and not hasattr(data, "dtype") and not isinstance(data, Tensor):
            return tensor(data, dtype=dtype, device=device)
        return tensor(data, dtype=dtype, device=device)
    raise TypeError(f"new() received an invalid combination of arguments - got {args!r}")


def _legacy_class(name: str, dtype: D.dtype) -> type:
    def __new__(cls, *args: Any, **kwargs: Any) -> Tensor:
        return legacy_new(cls, dtype, args, kwargs)

    return _LegacyMeta(name, (), {"__new__": __new__, "dtype": dtype, "is_cuda": False,
                                  "__module__": "agrad"})


FloatTensor = _legacy_class("FloatTensor", D.float32)
DoubleTensor = _legacy_class("DoubleTensor", D.float64)
HalfTensor = _legacy_class("HalfTensor", D.float16)
LongTensor = _legacy_class("LongTensor", D.int64)
IntTensor = _legacy_class("IntTensor", D.int32)
ShortTensor = _legacy_class("ShortTensor", D.int16)
CharTensor = _legacy_class("CharTensor", D.int8)
ByteTensor = _legacy_class("ByteTensor", D.uint8)
BoolTensor = _legacy_class("BoolTensor", D.bool)


# -- random state ---------------------------------------------------------------------------------

class _Generator:
    def __init__(self, seed: int) -> None:
        self._seed = seed

    def initial_seed(self) -> int:
        return self._seed


def manual_seed(seed: int) -> _Generator:
    config.manual_seed(seed)
    return _Generator(int(seed))


def seed() -> int:
    import random

    s = random.getrandbits(63)
    config.manual_seed(s)
    return s


# -- the rows: factories are functions, new_* are methods ----------------------------------------

for _fn in (empty, zeros, ones, full, rand, randn, randint, arange, linspace, eye):
    Op(_fn.__name__, _fn, impl=_fn, method=False, out=True)
for _fn in (tensor, as_tensor, from_numpy, from_dlpack, scalar_tensor, randperm, logspace,
            empty_like, zeros_like, ones_like, full_like, rand_like, randn_like, randint_like):
    Op(_fn.__name__, _fn, impl=_fn, method=False)
Op("asarray", as_tensor, impl=as_tensor, method=False)
for _name, _factory in (("new_empty", empty), ("new_zeros", zeros), ("new_ones", ones)):
    Op(_name, _new(_name, _factory), impl=_new(_name, _factory), function=False)
Op("new_full", new_full, impl=new_full, function=False)
Op("new_tensor", new_tensor, impl=new_tensor, function=False)
