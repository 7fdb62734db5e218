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
        if k._dtype.kind > D.INT or k._dtype in (D.int8, D.int16):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if k._dtype is D.uint8:  # a byte tensor is a mask (deprecated in PyTorch, still works)
            return k.bool()
        if k._dtype.kind == D.INT and k.ndim == 0:
            return int(k.item())
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
        return t if t._dtype is not D.uint8 else t.bool()
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


def _plan(x: Tensor, key: tuple, masks_to_indices: bool = True, check_bounds: bool = True
          ) -> tuple[Tensor, list[tuple[int, Tensor]]]:
    """Apply the basic part of `key` as a view; return it with (dim, index tensor) pairs for the
    advanced part, boolean masks turned into integer indices (or, without `masks_to_indices`,
    left as masks: no data-dependent shapes). Checks masks' shapes and indices' bounds with
    PyTorch's messages; negative indices come back wrapped."""
    consumed = sum(p.ndim if isinstance(p, Tensor) and p._dtype is D.bool else
                   (0 if p is None or p is Ellipsis else 1) for p in key)
    if consumed > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    basic: list[Any] = []
    adv: list[tuple[int, Tensor]] = []
    masks: list[tuple[int, Tensor]] = []
    dim = 0  # position in the viewed result
    for p in key:
        if p is Ellipsis:
            n = x.ndim - consumed
            basic.extend([slice(None)] * n)
            dim += n
        elif p is None:
            basic.append(None)
            dim += 1
        elif isinstance(p, Tensor) and p._dtype is D.bool and p.ndim == 0:
            # a scalar mask adds a unit dim and keeps it (True) or empties it (False)
            basic.append(None)
            masks.append((dim, p.reshape(1)))
            dim += 1
        elif isinstance(p, Tensor):
            nd = p.ndim if p._dtype is D.bool else 1
            if p._dtype is D.bool:
                masks.append((dim, p))
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
    ys = tuple(y.shape)
    for d, m in masks:
        ms = tuple(m.shape)
        for j, s in enumerate(ms):
            if d + j >= len(ys) or ys[d + j] != s:
                raise IndexError(f"The shape of the mask {list(ms)} at index {j} does not match "
                                 f"the shape of the indexed tensor {list(ys)} at index {d + j}")
    # bounds, numbered as PyTorch numbers them: by the index's place among the advanced ones
    if check_bounds:
        adv = _check_adv_bounds(adv, ys)
    for d, m in masks:
        if masks_to_indices:
            adv.extend((d + j, idx) for j, idx in enumerate(nonzero(m, as_tuple=True)))
        else:
            adv.append((d, m))
    adv.sort(key=lambda e: e[0])
    return y, adv


def _check_adv_bounds(adv: list, ys: tuple) -> list:
    return [(d, _bounds(idx.long() if idx._dtype is not D.int64 else idx, ys[d], j))
            for j, (d, idx) in enumerate(adv)]


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


def _index_shape(shapes: list) -> tuple:
    """The broadcast shape of the index tensors, with PyTorch's error."""
    from ._op import broadcast_shapes

    try:
        return broadcast_shapes(*shapes) if shapes else ()
    except RuntimeError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with "
                         "shapes " + ", ".join(str(list(s)) for s in shapes)) from None


def _merge(y: Tensor, adv: list[tuple[int, Tensor]]) -> tuple[Tensor, Tensor, int, tuple, bool]:
    """Move the advanced dims together, merge them into one; return (y', flat index, axis,
    broadcast shape of the indices, whether the result's index dims go first)."""
    dims = [d for d, _ in adv]
    shapes = [tuple(i.shape) for _, i in adv]
    bshape = _index_shape(shapes)
    consecutive = dims == list(range(dims[0], dims[0] + len(dims)))
    if not consecutive:
        rest = [d for d in range(y.ndim) if d not in dims]
        y = y.permute(*dims, *rest)
        dims = list(range(len(dims)))
    first = dims[0]
    sizes = [y.shape[d] for d in dims]
    lin = None
    stride = 1
    for (_, idx), size in zip(reversed(list(zip(dims, [i for _, i in adv]))), reversed(sizes)):
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
    shape = tuple(y.shape)
    # one node (IndexBackward0, as PyTorch names it) gathers and shapes the result
    return take_along(y, flat, axis, shape[:axis] + bshape + shape[axis + 1:])


# -- take along one axis, and its gradient (scatter-add) -------------------------------------------

def _f_take(xp, a, p):
    idx, axis, out_shape = p
    r = xp.take(a, read(idx), axis=axis)
    return r if out_shape is None else xp.reshape(r, out_shape)


def _g_take(n, g):
    idx, axis, out_shape = n.params
    shape = n.meta[0][0]
    if out_shape is not None:
        g = g.reshape(tuple(shape[:axis]) + (idx.numel(),) + tuple(shape[axis + 1:]))
    return (index_add_zeros(g, shape, idx, axis),)


TAKE = Op("index", "IndexBackward0", _f_take, _g_take, saves="")


def take_along(y: Tensor, idx: Tensor, axis: int, out_shape: tuple | None = None) -> Tensor:
    """y's slices at the 1-d indices idx along axis; reshaped to out_shape when given."""
    return unary(TAKE, y, (idx, axis, out_shape))


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
            # PyTorch drops the value's leading unit dims, then expands it to the target
            vs = tuple(value.shape)
            while len(vs) > target.ndim and vs[0] == 1:
                vs = vs[1:]
            if vs != tuple(value.shape):
                value = value.reshape(vs)
            if vs != tuple(target.shape):
                value = value.expand(tuple(target.shape))
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
    key, be, tkey = n.params
    gx = unary(_ZERO_AT, g, (key, be)) if n.edges[0] is not None else None
    gv = None
    if n.edges[1] is not None:
        # agrad's advanced indexing: differentiable (double backward) and on every backend
        gv = _gather_key(g, key) if tkey is None else getitem(g, tkey)
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
        # PyTorch: a 0-d value under a lone mask is a masked fill (any dtype); otherwise
        # index_put wants the destination's dtype exactly
        lone_mask = len(k) == 1 and isinstance(k[0], Tensor) and k[0]._dtype is D.bool
        if value._dtype is not self._dtype and not (lone_mask and value.ndim == 0):
            raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                               f"{_dname(self._dtype)} for the destination and "
                               f"{_dname(value._dtype)} for the source.")
        v = read(value)
        vdt = value._dtype
    else:
        v, vdt = value, self._dtype
    # validate before any write, in PyTorch's order: masks, the value's shape, index bounds
    # (a mask's selected count, a value even on a lazy backend, is needed for a tensor value)
    y, adv = _plan(self, k, masks_to_indices=False, check_bounds=False)
    rshape = _result_shape(y, adv) if isinstance(value, Tensor) else None
    if rshape is not None and isinstance(value, Tensor):
        from ._op import broadcast_shapes

        vs = tuple(v.shape)
        while len(vs) > len(rshape) and vs[0] == 1:
            vs = vs[1:]
        try:
            if broadcast_shapes(vs, rshape) != rshape:
                raise RuntimeError
        except RuntimeError:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(v.shape)} cannot be "
                               f"broadcast to indexing result of shape {list(rshape)}") \
                from None
    _check_adv_bounds([(d, i) for d, i in adv if i._dtype is not D.bool], tuple(y.shape))
    needs_graph = _grad.enabled and (self._requires_grad or (
        isinstance(value, Tensor) and value._requires_grad))
    node = None
    if needs_graph:
        out = wrap(read(self), self._storage, self._dtype)
        val = value if isinstance(value, Tensor) else None
        record(INDEX_PUT, out, (self, val), (key, be, k))
        node = out._grad_fn
    if vdt is not self._dtype and not isinstance(v, (int, float, bool, complex)):
        v = be.xp.astype(v, be.dtypes[self._dtype])
    write(self, key, v, self._dtype)
    if node is not None:
        rebase_history(self, node)


def _result_shape(y: Tensor, adv: list) -> tuple:
    """The shape `x[key]` would have (`adv` holds masks as masks)."""
    shape = tuple(y.shape)
    parts = []  # (first dim, n dims consumed, index shape)
    for d, idx in adv:
        if idx._dtype is D.bool:
            parts.append((d, idx.ndim, (int(idx.sum().item()),)))
        else:
            parts.append((d, 1, tuple(idx.shape)))
    if not parts:
        return shape
    bshape = _index_shape([p[2] for p in parts])
    covered = [d + j for d, n, _ in parts for j in range(n)]
    consecutive = covered == list(range(covered[0], covered[0] + len(covered)))
    rest = [s for i, s in enumerate(shape) if i not in covered]
    if consecutive:
        first = covered[0]
        return shape[:first] + bshape + shape[covered[-1] + 1:]
    return bshape + tuple(rest)


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
