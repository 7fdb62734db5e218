"""Dtype and device conversion (`to`, `.float()`, `.cpu()` ...) and whole-tensor writes
(`copy_`, `fill_`, `zero_`). Moving between backends goes through host (NumPy) memory, keeps
dtype and values, and is recorded as ToCopyBackward0 when the source requires grad."""

from __future__ import annotations

from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from ..device import device as Device
from . import _args
from ._args import one
from ._dispatch import broadcast_shapes, call, check_writable, layout, shape_of
from ._op import NOTHING, Op, from_result


def _cast(xp: Any, a: Any, p: tuple) -> Any:
    return xp.astype(a, p[1])


TO_DTYPE = Op("to.dtype", lambda x, bd: ((x,), (None, bd)), forward=_cast,
              backward=lambda n, g: (g,), dtype=from_result, needs=NOTHING, function=False,
              method=False, grad_fn="ToCopyBackward0", preserves_layout=True)


def _move(xp: Any, a: Any, p: tuple) -> Any:
    """Another backend's copy of `a`, through host memory (the copy keeps the two storages
    apart where a backend would share a NumPy buffer)."""
    (target, _), source, _, bd = p
    arr = target.from_numpy(source.to_numpy(a).copy())
    return arr if bd is None else target.xp.astype(arr, bd)


def _to_device_args(x: Tensor, target: tuple, dt: D.dtype) -> tuple:
    st = x._storage
    bd = target[0].dtypes[dt]  # a target without this dtype refuses (never a silent downcast)
    return (x,), (target, st.backend, st.device, None if dt is x._dtype else bd)


TO_DEVICE = Op("to.device", _to_device_args, forward=_move,
               backward=lambda n, g: (g.to(n.params[2]),), dtype=from_result, needs=NOTHING,
               moves=True, function=False, method=False, grad_fn="ToCopyBackward0")


def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """to(dtype) / to(device, dtype=None) / to(tensor) / to(device=..., dtype=..., copy=...)."""
    dev, dt, copy = _args.parse_to(args, kwargs)
    if dt is None:
        dt = self._dtype
    if dev is not None:
        dev = dev if isinstance(dev, Device) else Device(dev)
        cur = self._storage.device
        if dev.type != cur.type or (dev.index is not None and dev.index != (cur.index or 0)):
            return move(self, dev, dt)
    if dt is self._dtype:
        return self.clone() if copy else self
    return call(TO_DTYPE, (self,), (None, self._storage.backend.dtypes[dt]))


def move(x: Tensor, dev: Device, dtype: D.dtype) -> Tensor:
    """A copy of x on another device (through host memory), with the given dtype."""
    from .creation import resolve_device

    return call(TO_DEVICE, *_to_device_args(x, resolve_device(dev), dtype))


Op("to", to, impl=to, function=False)


def _cast_method(dt: D.dtype) -> Any:
    def m(self: Tensor, memory_format: Any = None) -> Tensor:
        return to(self, dt)
    m.__doc__ = f"`self.to({dt})`."
    return m


for _name, _dt in (("float", D.float32), ("double", D.float64), ("half", D.float16),
                   ("long", D.int64), ("int", D.int32), ("short", D.int16), ("char", D.int8),
                   ("byte", D.uint8), ("bool", D.bool), ("cfloat", D.complex64),
                   ("cdouble", D.complex128)):
    Op(_name, _cast_method(_dt), impl=_cast_method(_dt), namespace="Tensor", function=False)


def type_as(self: Tensor, other: Tensor) -> Tensor:
    return to(self, other._dtype)


def cpu(self: Tensor) -> Tensor:
    return to(self, "cpu")


def cuda(self: Tensor, device: Any = None, non_blocking: bool = False) -> Tensor:
    """A copy on the GPU; without one, PyTorch's error (`agrad.cuda.init`)."""
    from .. import cuda as _cuda

    d = Device("cuda" if device is None else device)  # an ordinal: the accelerator's
    if d.type != "cuda":
        raise RuntimeError("Invalid device, must be cuda device")
    _cuda.init()
    return to(self, d)


def dask(self: Tensor) -> Any:
    """The tensor as a Dask array: its own array on the 'dask' device, else a chunked copy
    (no compute either way)."""
    from ._dispatch import read

    return read(to(self, "dask"))


def to_device(self: Tensor, device: Any, /, *, stream: Any = None) -> Tensor:
    """The Array API's spelling of `x.to(device)` (the same tensor when already there)."""
    return to(self, device)


for _fn in (type_as, cpu, cuda, dask, to_device):
    Op(_fn.__name__, _fn, impl=_fn, function=False)


# -- whole-tensor writes: copy_, fill_, zero_ -----------------------------------------------------

def _copy_args(self: Tensor, src: Tensor | complex, non_blocking: bool = False) -> tuple:
    if isinstance(src, (bool, int, float, complex)):  # PyTorch takes a number, like fill_
        from .creation import tensor

        src = tensor(src, device=self.device)
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not "
                        f"{type(src).__name__}")
    if src._storage.device != self._storage.device:
        src = move(src, self._storage.device, src._dtype)
    shape = tuple(shape_of(self))
    try:
        full = broadcast_shapes(shape, tuple(shape_of(src)))
        if full != shape:
            raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast "
                               f"shape {list(full)}")
    except RuntimeError:  # PyTorch's TensorIterator checks memory before shapes
        check_writable(self, (src,), _copy_overlap((self, src)))
        raise
    return (self, src), None


def _copy(xp: Any, a: Any, b: Any) -> Any:
    b = b if b.dtype == a.dtype else xp.astype(b, a.dtype)
    if tuple(b.shape) != tuple(a.shape):
        b = xp.broadcast_to(b, a.shape)
    return xp.asarray(b, copy=True)


def _set(xp: Any, a: Any, b: Any) -> None:
    a[...] = b


def _g_copy(n: Any, g: Tensor) -> tuple:
    # the overwritten values get a zero gradient, as in PyTorch (not an absent one)
    return (g.new_zeros(g.shape) if n.edges[0] is not None else None), g


def _copy_overlap(inputs: tuple) -> str | None:
    """copy_ from the very elements it writes (an alias with self's layout) moves nothing in
    PyTorch, so even an expanded tensor takes it."""
    self, src = inputs
    return "allow" if isinstance(src, Tensor) and src._storage is self._storage and \
        layout(src) == layout(self) else None


Op("copy", _copy_args, forward=_copy, backward=_g_copy, promote=(0,), needs=NOTHING,
   function=False, method=False, inplace=True, iforward=_set, grad_fn="CopyBackwards",
   overlap=_copy_overlap)


def _fill_args(input: Tensor, value: Tensor | complex) -> tuple:  # noqa: A002
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value.ndim} dimensions.")
        return (input, value), None
    return (input, _args.fill_value(value, input._dtype, input.numel())), None


def _fill(xp: Any, a: Any, v: Any) -> Any:
    if hasattr(v, "dtype"):
        return xp.asarray(xp.broadcast_to(xp.astype(v, a.dtype), a.shape), copy=True)
    return xp.full(a.shape, v, dtype=a.dtype)


def _g_fill(n: Any, g: Tensor) -> tuple:
    gi = g.new_zeros(g.shape) if n.edges[0] is not None else None
    return gi, (g.sum() if n.edges[1] is not None else None)


def _fill_name(offset: int) -> Any:
    def grad_fn(inputs: tuple, params: Any) -> str:
        return f"FillBackward{offset + isinstance(inputs[1], Tensor)}"
    return grad_fn


Op("fill", _fill_args, forward=_fill, backward=_g_fill, promote=(0,), needs=NOTHING,
   method=False, inplace=True, inplace_function=True, iforward=_set, grad_fn=_fill_name(0),
   inplace_grad_fn=_fill_name(2),
   # PyTorch fills an expanded tensor with a number, not with a tensor's value
   overlap=lambda inputs: None if isinstance(inputs[1], Tensor) else "allow")
Op("zero", one, forward=lambda xp, a: xp.zeros_like(a),
   backward=lambda n, g: (g.new_zeros(g.shape),), needs=NOTHING, function=False, method=False,
   inplace=True, inplace_function=True, iforward=lambda xp, a: _set(xp, a, 0),
   grad_fn="ZeroBackward0", overlap="allow", zeroes=True)
