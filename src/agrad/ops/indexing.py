"""Indexing: `x[key]` and `x[key] = v`, PyTorch's rules on any backend.

Basic keys (ints, slices, None, Ellipsis) give views (see `views.basic_index`). Advanced keys
(integer tensors or lists, boolean masks) give copies: the basic part is applied as a view first,
boolean masks become integer indices (a data-dependent shape, resolved by the backend), and the
advanced dimensions are merged so that one `take` along one axis does the gather — which the
Array API has on every backend — and one scatter-add is its gradient.
"""

from __future__ import annotations

from typing import Any

from .. import dtypes as D
from .._tensor import Tensor, wrap
from ..autograd.grad_mode import state as _grad
from ._op import Op, check_inplace, read, rebase_history, record, unary, write
from .views import basic_index

__all__ = ["nonzero", "masked_select", "take", "argwhere"]

_BASIC = (int, slice, type(None), type(Ellipsis))


def _to_index(k: Any, like: Tensor) -> Any:
    """Lists, tuples-in-keys, NumPy arrays and 0-d integer tensors become what they mean."""
    if isinstance(k, Tensor):
        if k._dtype.kind == D.INT and k.ndim == 0:
            return int(k.item())
        if k._dtype.kind > D.INT:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return k
    if isinstance(k, bool):
        from .creation import tensor

        return tensor(k, device=like.device)
    if isinstance(k, _BASIC):
        return k
    if isinstance(k, (list, tuple)) or hasattr(k, "__array__"):
        from .creation import tensor

        t = tensor(k if not hasattr(k, "tolist") else k.tolist(), device=like.device)
        if t._dtype.kind > D.INT:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return t
    if hasattr(k, "__index__"):
        return k.__index__()
    raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                     f"Variables are valid indices (got {type(k).__name__})")


def _key(x: Tensor, key: Any) -> tuple:
    if not isinstance(key, tuple):
        key = (key,)
    return tuple(_to_index(k, x) for k in key)


def getitem(self: Tensor, key: Any) -> Tensor:
    if type(key) is int or type(key) is slice:
        return basic_index(self, (key,), None)
    k = _key(self, key)
    if all(isinstance(p, _BASIC) for p in k):
        return basic_index(self, k, None)
    return _advanced(self, k)


def _plan(x: Tensor, key: tuple) -> tuple[Tensor, list[tuple[int, Tensor]]]:
    """Apply the basic part of `key` as a view; return it with (dim, index tensor) pairs for the
    advanced part, boolean masks already turned into integer indices."""
    consumed = sum(p.ndim if isinstance(p, Tensor) and p._dtype is D.bool else
                   (0 if p is None or p is Ellipsis else 1) for p in key)
    if consumed > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    basic: list[Any] = []
    adv: list[tuple[int, Tensor]] = []
    dim = 0  # position in the viewed result
    for p in key:
        if p is Ellipsis:
            n = x.ndim - consumed
            basic.extend([slice(None)] * n)
            dim += n
        elif p is None:
            basic.append(None)
            dim += 1
        elif isinstance(p, Tensor):
            nd = p.ndim if p._dtype is D.bool else 1
            if p._dtype is D.bool:
                src = x.shape[len([b for b in basic if b is not None]):][:nd]
                if tuple(p.shape) != tuple(src):
                    raise IndexError(f"The shape of the mask {list(p.shape)} at index 0 does not "
                                     f"match the shape of the indexed tensor {list(src)} at "
                                     f"index 0")
                for j, idx in enumerate(nonzero(p, as_tuple=True)):
                    adv.append((dim + j, idx))
            else:
                adv.append((dim, p))
            basic.extend([slice(None)] * nd)
            dim += nd
        elif isinstance(p, int):
            basic.append(p)
        else:
            basic.append(p)
            dim += 1
    y = basic_index(x, tuple(basic), None)
    return y, adv


def _bounds(idx: Tensor, size: int, dim: int) -> Tensor:
    """Negative indices wrap; out-of-range ones raise PyTorch's IndexError (values are needed,
    so a lazy backend computes the index here)."""
    if idx.numel():
        be = idx._storage.backend
        lo, hi = be.materialize(be.xp.min(read(idx)), be.xp.max(read(idx)))
        lo, hi = int(be.tolist(lo)), int(be.tolist(hi))
        bad = hi if hi >= size else (lo if lo < -size else None)
        if bad is not None:
            raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
        if lo < 0:
            idx = idx % size
    return idx


def _merge(y: Tensor, adv: list[tuple[int, Tensor]]) -> tuple[Tensor, Tensor, int, tuple, bool]:
    """Move the advanced dims together, merge them into one; return (y', flat index, axis,
    broadcast shape of the indices, whether the result's index dims go first)."""
    from ._op import broadcast_shapes

    dims = [d for d, _ in adv]
    shapes = [tuple(i.shape) for _, i in adv]
    bshape = broadcast_shapes(*shapes) if shapes else ()
    consecutive = dims == list(range(dims[0], dims[0] + len(dims)))
    if not consecutive:
        rest = [d for d in range(y.ndim) if d not in dims]
        y = y.permute(*dims, *rest)
        dims = list(range(len(dims)))
    first = dims[0]
    sizes = [y.shape[d] for d in dims]
    lin = None
    stride = 1
    for (d, idx), size in zip(reversed(list(zip(dims, [i for _, i in adv]))), reversed(sizes)):
        idx = _bounds(idx.long() if idx._dtype is not D.int64 else idx, size, d)
        term = idx * stride if stride != 1 else idx
        lin = term if lin is None else lin + term
        stride *= size
    lin = lin.expand(bshape) if tuple(lin.shape) != bshape else lin
    shape = tuple(y.shape)
    merged = shape[:first] + (stride,) + shape[first + len(dims):]
    y = y.reshape(merged)
    return y, lin, first, bshape, not consecutive


def _advanced(x: Tensor, key: tuple) -> Tensor:
    y, adv = _plan(x, key)
    if not adv:
        return y.clone()
    y, lin, axis, bshape, _ = _merge(y, adv)
    flat = lin.reshape(-1)
    out = take_along(y, flat, axis)
    shape = tuple(y.shape)
    return out.reshape(shape[:axis] + bshape + shape[axis + 1:])


# -- take along one axis, and its gradient (scatter-add) --------------------------------------------

def _f_take(xp, a, p):
    idx, axis = p
    return xp.take(a, read(idx), axis=axis)


def _g_take(n, g):
    idx, axis = n.params
    return (index_add_zeros(g, n.meta[0][0], idx, axis),)


TAKE = Op("index", "IndexBackward0", _f_take, _g_take, saves="")


def take_along(y: Tensor, idx: Tensor, axis: int) -> Tensor:
    return unary(TAKE, y, (idx, axis))


def _f_index_add(xp, g, p):
    shape, idx, axis, be = p
    return be.scatter_add(shape, axis, read(idx), g)


def _g_index_add(n, gg):
    _, idx, axis, _ = n.params
    return (take_along(gg, idx, axis),)


INDEX_ADD = Op("index_add", "IndexBackwardBackward0", _f_index_add, _g_index_add, saves="")


def index_add_zeros(g: Tensor, shape: tuple, idx: Tensor, axis: int) -> Tensor:
    """zeros(shape) with g's slices added at idx along axis (repeated indices accumulate)."""
    return unary(INDEX_ADD, g, (tuple(shape), idx, axis, g._storage.backend))


def index_put_along(shape: tuple, dim: int | None, idx: Tensor, g: Tensor,
                    keepdim: bool) -> Tensor:
    """The gradient of max/min(dim): g at the argmax positions along dim, zeros elsewhere."""
    from .creation import arange

    if dim is None or not shape:
        return g.reshape(shape) if shape == () else g.expand(shape)
    if not keepdim:
        idx, g = idx.unsqueeze(dim), g.unsqueeze(dim)
    pos = arange(shape[dim], device=g.device).reshape(
        tuple(shape[dim] if i == dim else 1 for i in range(len(shape))))
    from .elementwise import where

    return where(pos == idx, g, 0.0)


# -- setitem -----------------------------------------------------------------------------------------

def setitem(self: Tensor, key: Any, value: Any) -> None:
    k = _key(self, key)
    if all(isinstance(p, _BASIC) for p in k):
        target = basic_index(self, k, None)
        if isinstance(value, Tensor):
            target.copy_(value)
        else:
            if not isinstance(value, (int, float, bool, complex)):
                from .creation import tensor

                value = tensor(value, dtype=self._dtype, device=self.device)
                target.copy_(value)
                return
            target.fill_(value)
        return
    _index_put(self, k, value)


def _f_mask_fill(xp, g, p):
    key, be = p
    return be.index_update(g, key, 0)


def _g_index_put(n, g):
    key, be, vshape = n.params
    gx = unary(_ZERO_AT, g, (key, be)) if n.edges[0] is not None else None
    gv = None
    if n.edges[1] is not None:
        gv = _gather_key(g, key)
    return gx, gv


_ZERO_AT = Op("index_fill", "IndexFillBackward0", _f_mask_fill,
              lambda n, gg: (unary(_ZERO_AT, gg, n.params),), saves="")
INDEX_PUT = Op("index_put_", "IndexPutBackward0", None, _g_index_put, saves="")


def _f_gather_key(xp, a, key):
    return a[key]


_GATHER_KEY = Op("index", "IndexBackward0", _f_gather_key, None, saves="")


def _gather_key(g: Tensor, key: tuple) -> Tensor:
    return unary(_GATHER_KEY, g, key)


def _array_key(self: Tensor, k: tuple) -> tuple:
    """The key in the backend's terms: tensors become arrays of the same backend."""
    out = []
    for p in k:
        if isinstance(p, Tensor):
            if p._storage.device != self._storage.device:
                raise RuntimeError(f"indices should be either on cpu or on the same device as the "
                                   f"indexed tensor ({self.device})")
            out.append(read(p))
        else:
            out.append(p)
    return tuple(out)


def _index_put(self: Tensor, k: tuple, value: Any) -> None:
    check_inplace(self)
    key = _array_key(self, k)
    be = self._storage.backend
    if isinstance(value, Tensor):
        if value._storage.device != self._storage.device:
            raise RuntimeError(f"Expected all tensors to be on the same device, but found at "
                               f"least two devices, {self.device} and {value.device}!")
        if not D.can_cast(value._dtype, self._dtype) and value._dtype.kind > self._dtype.kind:
            raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                               f"{_dname(self._dtype)} for the destination and "
                               f"{_dname(value._dtype)} for the source.")
        v = read(value)
        vdt = value._dtype
    else:
        v, vdt = value, self._dtype
    # validate by a dry run on the current values: shape errors surface before any write
    try:
        probe = be.xp.asarray(read(self)[key]) if not be.lazy else None
    except IndexError as e:
        raise IndexError(str(e)) from None
    if probe is not None and isinstance(value, Tensor):
        from ._op import broadcast_shapes

        try:
            if broadcast_shapes(tuple(v.shape), tuple(probe.shape)) != tuple(probe.shape):
                raise RuntimeError
        except RuntimeError:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(v.shape)} cannot be "
                               f"broadcast to indexing result of shape {list(probe.shape)}") \
                from None
    needs_graph = _grad.enabled and (self._requires_grad or (
        isinstance(value, Tensor) and value._requires_grad))
    node = None
    if needs_graph:
        out = wrap(read(self), self._storage, self._dtype)
        val = value if isinstance(value, Tensor) else None
        record(INDEX_PUT, out, (self, val), (key, be, None))
        node = out._grad_fn
    if vdt is not self._dtype and not isinstance(v, (int, float, bool, complex)):
        v = be.xp.astype(v, be.dtypes[self._dtype])
    write(self, key, v, self._dtype)
    if node is not None:
        rebase_history(self, node)


def _dname(d: D.dtype) -> str:
    from ._op import _type_name

    return _type_name(d)


# -- data-dependent results -------------------------------------------------------------------------

def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    st = input._storage
    be = st.backend
    a = read(input)
    if input.ndim == 0:
        a = be.xp.reshape(a, (1,))
    idx = be.xp.nonzero(a)
    cols = [wrap(be.xp.astype(i, be.dtypes[D.int64]), st, D.int64) for i in idx]
    if input.ndim == 0:
        cols = cols if not as_tuple else cols
    if as_tuple:
        return tuple(cols)
    if not cols:
        from .creation import zeros

        return zeros(0, 0, dtype=D.int64, device=input.device)
    from .shape_ops import stack

    return stack(cols, 1)


def argwhere(input: Tensor) -> Tensor:
    return nonzero(input)


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    from ._op import broadcast_shapes

    shape = broadcast_shapes(tuple(input.shape), tuple(mask.shape))
    return getitem(input.expand(shape), mask.expand(shape))


def take(input: Tensor, index: Tensor) -> Tensor:
    return getitem(input.reshape(-1), index)


def _install() -> None:
    Tensor.__getitem__ = getitem
    Tensor.__setitem__ = setitem
    Tensor.nonzero = nonzero
    Tensor.argwhere = argwhere
    Tensor.masked_select = masked_select
    Tensor.take = take


_install()
