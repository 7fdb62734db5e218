"""Dtype and device conversion (`to`, `.float()`, `.cpu()` ...) and whole-tensor writes
(`copy_`, `fill_`, `zero_`). Moving between backends goes through NumPy on the host, keeps dtype
and values, and is recorded as ToCopyBackward0 when the source requires grad."""

from __future__ import annotations

from typing import Any

from .. import dtypes as D
from .._tensor import Tensor, make, wrap
from ..autograd.grad_mode import state as _grad
from ..device import device as Device
from ._op import Op, check_inplace, read, rebase_history, record, write

__all__ = ["copy", "zero_"]


def _f_cast(xp, a, p):
    bd, _ = p
    return xp.astype(a, bd)


def _g_to_copy(n, g):
    _, src = n.params
    dtype = n.meta[0][1]
    r = g
    if src is not None and g._storage.device != src:
        r = _move(r, src, dtype)
    elif g._dtype is not dtype:
        r = r.to(dtype)
    return (r,)


TO_COPY = Op("to", "ToCopyBackward0", _f_cast, _g_to_copy, dtype_rule="keep", saves="")


def _move(x: Tensor, dev: Device, dtype: D.dtype) -> Tensor:
    """Copy to another backend through host memory, then record the move."""
    from .creation import resolve_device

    b, dev = resolve_device(dev)
    src_b = x._storage.backend
    host = src_b.to_numpy(read(x))
    arr = b.from_numpy(host) if b.name != "numpy" else host.copy()
    if dtype is not x._dtype:
        arr = b.xp.astype(arr, b.dtypes[dtype])
    out = make(arr, b, dev, dtype)
    if _grad.enabled and x._requires_grad:
        record(TO_COPY, out, (x,), (None, x._storage.device))
    return out


def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """to(dtype) / to(device, dtype=None) / to(tensor) / to(device=..., dtype=..., copy=...)."""
    dev = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {', '.join(kwargs)}")
    for a in args:
        if isinstance(a, Tensor):
            dev, dtype = a.device, a._dtype
        elif isinstance(a, (str, Device)):
            dev = a
        elif a is None or isinstance(a, bool):
            continue
        else:
            dtype = a
    dt = D.get(dtype) if dtype is not None else self._dtype
    if dev is not None:
        dev = dev if isinstance(dev, Device) else Device(dev)
        cur = self._storage.device
        if dev.type != cur.type or (dev.index is not None and dev.index != (cur.index or 0)):
            return _move(self, dev, dt)
    if dt is self._dtype:
        return self.clone() if copy else self
    from ._op import unary

    be = self._storage.backend
    return unary(TO_COPY, self, (be.dtypes[dt], None))


def _cast_method(dt: D.dtype):
    def m(self: Tensor, memory_format: Any = None) -> Tensor:
        return to(self, dt)
    return m


def cpu(self: Tensor) -> Tensor:
    return to(self, "cpu")


def cuda(self: Tensor, device: Any = None, non_blocking: bool = False) -> Tensor:
    from .. import cuda as _cuda

    if not _cuda.is_available():
        raise RuntimeError("Torch not compiled with CUDA enabled: agrad found no usable GPU "
                           "(install agrad[cuda] on a machine with CUDA; agrad.cuda.is_available() "
                           "is False)")
    d = "cuda" if device is None else (f"cuda:{device}" if isinstance(device, int) else device)
    return to(self, d)


def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
    """Copy src's values (broadcast, cast, moved across devices) into self, in place."""
    check_inplace(self)
    if isinstance(src, (bool, int, float, complex)):  # PyTorch takes a number, like fill_
        from .creation import tensor

        src = tensor(src, device=self.device)
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not "
                        f"{type(src).__name__}")
    if src._storage.device != self._storage.device:
        src = _move(src, self._storage.device, src._dtype)
    from .elementwise import infer_size

    shape = tuple(self.shape)
    full = infer_size(shape, tuple(src.shape))
    if full != shape:
        raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast shape "
                           f"{list(full)}")
    needs_graph = _grad.enabled and (src._requires_grad or self._requires_grad)
    arr = read(src)
    if needs_graph:
        res = _copy_node(self, src)
    write(self, None, arr, src._dtype)
    if needs_graph:
        rebase_history(self, res)
    return self


def _g_copy(n, g):
    src_dtype = n.meta[1][1] if n.meta[1] is not None else None
    gs = g if src_dtype is None or g._dtype is src_dtype else g.to(src_dtype)
    # the overwritten values get a zero gradient, as in PyTorch (not an absent one)
    gself = None
    if n.edges[0] is not None:
        from .creation import zeros_like

        gself = zeros_like(g)
    return gself, gs


COPY = Op("copy_", "CopyBackwards", None, _g_copy, saves="")


def _copy_node(self: Tensor, src: Tensor) -> Any:
    out = wrap(read(self), self._storage, self._dtype)
    record(COPY, out, (self, src))
    return out._grad_fn


def fill_(self: Tensor, value: Any) -> Tensor:
    check_inplace(self)
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value.ndim} dimensions.")
        if _grad.enabled and (value._requires_grad or self._requires_grad):
            from .creation import zeros_like

            return copy_(self, (zeros_like(self) + value.to(self._dtype)))
        value = value.item()
    if self._dtype.kind < D.scalar_dtype(value).kind and not (
            self._dtype.kind == D.INT and isinstance(value, float) and value.is_integer()):
        if self._dtype.kind == D.BOOL:
            value = bool(value)
        elif self._dtype.kind == D.INT:
            value = int(value)
    node = None
    if _grad.enabled and self._requires_grad:
        out = wrap(read(self), self._storage, self._dtype)
        record(FILL, out, (self,))
        node = out._grad_fn
    write(self, None, _py(value, self._dtype), self._dtype)
    if node is not None:
        rebase_history(self, node)
    return self


def _py(v: Any, dt: D.dtype) -> Any:
    return {D.BOOL: bool, D.INT: int, D.FLOAT: float, D.COMPLEX: complex}[dt.kind](v)


FILL = Op("fill_", "FillBackward0", None, lambda n, g: (g * 0,), saves="")
ZERO = Op("zero_", "ZeroBackward0", None, lambda n, g: (g * 0,), saves="")


def zero_(self: Tensor) -> Tensor:
    check_inplace(self)
    node = None
    if _grad.enabled and self._requires_grad:
        out = wrap(read(self), self._storage, self._dtype)
        record(ZERO, out, (self,))
        node = out._grad_fn
    write(self, None, _py(0, self._dtype), self._dtype)
    if node is not None:
        rebase_history(self, node)
    return self


def copy(input: Tensor) -> Tensor:
    return input.clone()


def _install() -> None:
    T = Tensor
    T.to, T.cpu, T.cuda, T.copy_, T.fill_, T.zero_ = to, cpu, cuda, copy_, fill_, zero_
    for name, dt in (("float", D.float32), ("double", D.float64), ("half", D.float16),
                     ("long", D.int64), ("int", D.int32), ("short", D.int16), ("char", D.int8),
                     ("byte", D.uint8), ("bool", D.bool), ("cfloat", D.complex64),
                     ("cdouble", D.complex128)):
        setattr(T, name, _cast_method(dt))
    T.type_as = lambda self, other: to(self, other._dtype)
    T.new = lambda self, *args: __import__("agrad").ops.creation.legacy_new(
        Tensor, self._dtype, args, {"device": self.device})


_install()
