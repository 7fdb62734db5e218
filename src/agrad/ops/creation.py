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
from .._tensor import Tensor, make
from ..device import device as Device
from ._op import Op

__all__ = ["manual_seed", "seed", "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor",
           "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]


def resolve_device(dev: Any) -> tuple[Any, Device]:
    """(backend, device) for a `device=` argument; None means the current backend."""
    if dev is None:
        b = config.current_backend()
        return b, _default_device(b)
    if not isinstance(dev, Device):
        dev = Device(dev)
    b = config.backend_for_device(dev)
    if not b.is_available():
        raise RuntimeError(f"{dev.type} is not available: {b.name} found no device (for CUDA, "
                           f"agrad.cuda.is_available() is False)")
    if b.device_type == "cuda" and dev.index is None:
        dev = Device("cuda", 0)
    return b, dev


_defaults: dict[int, Device] = {}


def _default_device(b: Any) -> Device:
    d = _defaults.get(id(b))
    if d is None:
        d = Device(b.device_type, 0 if b.device_type == "cuda" else None)
        _defaults[id(b)] = d
    return d


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
    if requires_grad and dtype.kind < D.FLOAT:
        raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                           "gradients")
    t = make(arr, b, dev, dtype)
    if requires_grad:
        t.requires_grad = True
    return t


def _infer_dtype(data: Any) -> D.dtype:
    """PyTorch's inference for nested Python data: bool < int64 < default float < complex."""
    kind = -1
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, Tensor):
            if x.ndim:
                stack.extend(x.tolist() if x.ndim else [x.item()])
            else:
                kind = builtins.max(kind, x._dtype.kind)
        elif isinstance(x, bool):
            kind = builtins.max(kind, D.BOOL)
        elif isinstance(x, int):
            kind = builtins.max(kind, D.INT)
        elif isinstance(x, float):
            kind = builtins.max(kind, D.FLOAT)
        elif isinstance(x, complex):
            kind = D.COMPLEX
        elif hasattr(x, "dtype"):
            kind = builtins.max(kind, D.get(x.dtype).kind)
        else:
            raise TypeError(f"Could not infer dtype of {type(x).__name__}")
    return {D.BOOL: D.bool, D.INT: D.int64, D.COMPLEX: D.get_default_dtype().to_complex()}.get(
        kind, D.get_default_dtype())


def _plain(data: Any) -> Any:
    """Nested lists may hold 0-d tensors (PyTorch accepts them): turn them into numbers."""
    if isinstance(data, Tensor):
        return data.tolist()
    if isinstance(data, (list, tuple)):
        return [_plain(x) for x in data]
    return data


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """Always copies `data` (a Tensor, a NumPy/Array API array, or nested Python numbers)."""
    if isinstance(data, Tensor):
        r = data.detach().clone().to(device=device, dtype=dtype)
        if requires_grad:
            r.requires_grad = True
        return r
    b, dev = resolve_device(device)
    if hasattr(data, "dtype") and hasattr(data, "shape") and not isinstance(data, (list, tuple)):
        src = D.get(data.dtype)
        dt = D.get(dtype) if dtype is not None else src
        if dt is not src and src not in b.dtypes and hasattr(data, "astype"):
            data, src = data.astype(dt.name), dt  # asked for a dtype the backend has: cast first
        arr = b.asarray(data, src, copy=True) if not hasattr(data, "__array_namespace__") \
            or type(data).__module__.split(".")[0] != b.xp.__name__.split(".")[0] else \
            b.xp.asarray(data, copy=True)
        if dt is not src:
            arr = b.xp.astype(arr, b.dtypes[dt])
        return _finish(arr, b, dev, dt, requires_grad)
    dt = D.get(dtype) if dtype is not None else _infer_dtype(data)
    try:
        arr = b.asarray(_plain(data), dt)
    except OverflowError:
        raise RuntimeError(f"value cannot be converted to type {dt.name} without "
                           f"overflow") from None
    return _finish(arr, b, dev, dt, requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Shares memory with `data` when it already is a tensor/array of the right kind."""
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    if hasattr(data, "__array__") and device is None and dtype is None and \
            config.current_backend().device_type == "cpu":
        try:
            return from_numpy(data)
        except TypeError:
            pass
    return tensor(data, dtype=dtype, device=device)


asarray = as_tensor


def from_numpy(ndarray: Any) -> Tensor:
    """A CPU tensor sharing memory with `ndarray`: writes on either side are seen by the other."""
    if not (hasattr(ndarray, "__array__") and hasattr(ndarray, "dtype")):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    b = config.get_backend("numpy")
    try:
        dt = D.get(ndarray.dtype)
    except TypeError:
        raise TypeError(f"can't convert np.ndarray of type "
                        f"numpy.{ndarray.dtype.type.__name__}. The only "
                        f"supported types are: float64, float32, float16, complex64, complex128, "
                        f"int64, int32, int16, int8, uint8, and bool.") from None
    t = make(b.from_numpy(ndarray), b, _default_device(b), dt)
    t._storage.owned = True  # shared with the caller on purpose: writes go to their buffer
    return t


def from_dlpack(ext: Any) -> Tensor:
    b = config.current_backend()
    arr = b.from_dlpack(ext)
    return make(arr, b, _default_device(b), b.dtype_of(arr))


def _filled(size: tuple, fill: int | None, dtype: Any, device: Any,
            requires_grad: bool) -> Tensor:
    shape = _size(size)
    b, dev = resolve_device(device)
    dt = D.get(dtype) if dtype is not None else D.get_default_dtype()
    bd = b.dtypes[dt]
    arr = b.empty(shape, dt) if fill is None else (
        b.xp.zeros(shape, dtype=bd) if fill == 0 else b.xp.ones(shape, dtype=bd))
    return _finish(arr, b, dev, dt, requires_grad)


def empty(*size: Any, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False,
          memory_format: Any = None) -> Tensor:
    """An uninitialized tensor of `size` (default dtype unless `dtype`)."""
    return _filled(size, None, dtype, device, requires_grad)


def zeros(*size: Any, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False,
          memory_format: Any = None) -> Tensor:
    """A tensor of zeros of `size`."""
    return _filled(size, 0, dtype, device, requires_grad)


def ones(*size: Any, dtype: Any = None, layout: Any = None, device: Any = None,
         requires_grad: bool = False, pin_memory: bool = False,
         memory_format: Any = None) -> Tensor:
    """A tensor of ones of `size`."""
    return _filled(size, 1, dtype, device, requires_grad)


def full(size: Any, fill_value: Any, *, dtype: Any = None, layout: Any = None,
         device: Any = None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    if isinstance(size, int):
        raise TypeError("full(): argument 'size' (position 1) must be tuple of ints, not int")
    shape = _size((size,))
    b, dev = resolve_device(device)
    dt = D.get(dtype) if dtype is not None else D.scalar_dtype(
        fill_value.item() if isinstance(fill_value, Tensor) else fill_value)
    v = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
    arr = b.xp.full(shape, v, dtype=b.dtypes[dt])
    return _finish(arr, b, dev, dt, requires_grad)


def scalar_tensor(s: Any, *, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False) -> Tensor:
    return full((), s, dtype=dtype if dtype is not None else D.get_default_dtype(),
                device=device, requires_grad=requires_grad)


def _random(kind: str, size: tuple, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    shape = _size(size)
    b, dev = resolve_device(device)
    dt = D.get(dtype) if dtype is not None else D.get_default_dtype()
    if dt.kind < D.FLOAT:
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
    dt = D.get(dtype) if dtype is not None else D.int64
    return _finish(b.randint(int(low), int(high), shape, dt), b, dev, dt, requires_grad)


def randperm(n: int, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    b, dev = resolve_device(device)
    keys = b.rand((n,), b.widest_float)
    arr = b.xp.argsort(keys)
    dt = D.get(dtype) if dtype is not None else D.int64
    return _finish(b.xp.astype(arr, b.dtypes[dt]), b, dev, dt, requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, *, dtype: Any = None,
           layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is not None:
        dt = D.get(dtype)
    else:
        dt = D.int64 if all(isinstance(v, int) for v in vals) else D.get_default_dtype()
    b, dev = resolve_device(device)
    n = builtins.max(0, math.ceil((end - start) / step))
    if dt.kind == D.FLOAT:
        arr = b.xp.asarray([start + i * step for i in range(n)],
                           dtype=b.dtypes[b.widest_float])
        arr = b.xp.astype(arr, b.dtypes[dt])
    else:
        arr = b.xp.arange(start, end, step, dtype=b.dtypes[dt])
    return _finish(arr, b, dev, dt, requires_grad)


def linspace(start: Any, end: Any, steps: int, *, dtype: Any = None, layout: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    b, dev = resolve_device(device)
    dt = D.get(dtype) if dtype is not None else D.get_default_dtype()
    arr = b.xp.linspace(float(start), float(end), steps, dtype=b.dtypes[b.widest_float])
    if dt.kind <= D.INT:
        arr = b.xp.trunc(arr)
    return _finish(b.xp.astype(arr, b.dtypes[dt]), b, dev, dt, requires_grad)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    lin = linspace(start, end, steps, dtype=resolve_device(device)[0].widest_float,
                   device=device)
    t = (base ** lin).to(D.get(dtype) if dtype is not None else D.get_default_dtype())
    if requires_grad:
        t.requires_grad = True
    return t


def eye(n: int, m: int | None = None, *, dtype: Any = None, layout: Any = None,
        device: Any = None, requires_grad: bool = False) -> Tensor:
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"n must be greater or equal to 0, got {n if n < 0 else m}")
    b, dev = resolve_device(device)
    dt = D.get(dtype) if dtype is not None else D.get_default_dtype()
    m = n if m is None else m
    if m == n:
        arr = b.xp.eye(n, m, dtype=b.dtypes[dt])
    else:  # Dask's eye(n, M=m) builds a broken graph for some shapes: compare aranges instead
        xp = b.xp
        arr = xp.astype(xp.reshape(xp.arange(n), (n, 1)) == xp.reshape(xp.arange(m), (1, m)),
                        b.dtypes[dt])
    return _finish(arr, b, dev, dt, requires_grad)


# -- *_like and new_* ------------------------------------------------------------------------------

def _like(input: Tensor, dtype: Any, device: Any) -> dict:
    return {"dtype": dtype if dtype is not None else input._dtype,
            "device": device if device is not None else input.device}


def empty_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return empty(*input.shape, requires_grad=requires_grad, **_like(input, dtype, device))


def zeros_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return zeros(*input.shape, requires_grad=requires_grad, **_like(input, dtype, device))


def ones_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return ones(*input.shape, requires_grad=requires_grad, **_like(input, dtype, device))


def rand_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return rand(*input.shape, requires_grad=requires_grad, **_like(input, dtype, device))


def randn_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return randn(*input.shape, requires_grad=requires_grad, **_like(input, dtype, device))


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, layout: Any = None,
              device: Any = None, requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    return full(tuple(input.shape), fill_value,
                dtype=dtype if dtype is not None else input._dtype,
                device=device if device is not None else input.device,
                requires_grad=requires_grad)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *, dtype: Any = None,
                 device: Any = None, requires_grad: bool = False) -> Tensor:
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape),
                   dtype=dtype if dtype is not None else input._dtype,
                   device=device if device is not None else input.device)


def _new(factory: Any) -> Any:
    def m(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
          requires_grad: bool = False, layout: Any = None, pin_memory: bool = False) -> Tensor:
        return factory(*size, requires_grad=requires_grad, **_like(self, dtype, device))
    m.__doc__ = f"A tensor like `{factory.__name__}(*size)` with self's dtype and device."
    return m


def new_full(self: Tensor, size: Any, fill_value: Any, *, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    return full(size, fill_value, requires_grad=requires_grad, **_like(self, dtype, device))


def new_tensor(self: Tensor, data: Any, *, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:
    return tensor(data, requires_grad=requires_grad, **_like(self, dtype, device))


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


def _rebuild(values: Any, dtype_name: str, device: str, requires_grad: bool) -> Tensor:
    t = tensor(values, dtype=D.BY_NAME[dtype_name], device=device)
    t.requires_grad = requires_grad
    return t


# -- the rows: factories are functions, new_* are methods ----------------------------------------

for _fn in (empty, zeros, ones, full, rand, randn, randint, arange, linspace, eye):
    Op(_fn.__name__, _fn, impl=_fn, method=False, out=True)
for _fn in (tensor, as_tensor, from_numpy, from_dlpack, scalar_tensor, randperm, logspace,
            empty_like, zeros_like, ones_like, full_like, rand_like, randn_like, randint_like):
    Op(_fn.__name__, _fn, impl=_fn, method=False)
Op("asarray", as_tensor, impl=as_tensor, method=False)
for _name, _factory in (("new_empty", empty), ("new_zeros", zeros), ("new_ones", ones)):
    Op(_name, _new(_factory), impl=_new(_factory), function=False)
Op("new_full", new_full, impl=new_full, function=False)
Op("new_tensor", new_tensor, impl=new_tensor, function=False)
