"""Indexing: `x[key]` and `x[key] = v`, PyTorch's rules on any backend.

Basic keys (ints, slices, None, Ellipsis) give views (`views.basic_index`). Advanced keys
(integer tensors or lists, boolean masks) give copies: the basic part is applied as a view
first, boolean masks become integer indices (a data-dependent shape, resolved by the backend),
and the advanced dimensions are merged so that one `take` along one axis — which the Array API
has on every backend — does the gather, and one scatter-add is its gradient.
"""

from __future__ import annotations

from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from ..adapter import UnsupportedCapabilityError, exact_dtype
from ..autograd.grad_mode import state as _grad
from ..autograd.graph import _FREED, RELEASED, modified_message
from ._dispatch import (
    broadcast_shapes,
    call,
    call_inplace,
    check_inplace,
    check_overlap,
    read,
    shape_of,
)
from ._op import NOTHING, Op, from_result
from .views import basic_index, whole_slice

_BASIC = (int, slice, type(None), type(Ellipsis))


def _to_index(k: Any, like: Tensor) -> Any:
    """Lists, tuples-in-keys, NumPy arrays and 0-d integer tensors become what they mean."""
    from .creation import tensor

    if isinstance(k, Tensor):
        if k._dtype.category > D.INT or k._dtype in (D.int8, D.int16):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if k._dtype is D.uint8:  # a byte tensor is a mask (deprecated in PyTorch, still works)
            return k.bool()
        if k._dtype.category == D.INT and k.ndim == 0:
            return int(k.item())
        return k
    if isinstance(k, bool):
        return tensor(k, device=like.device)
    if isinstance(k, _BASIC):
        return k
    if isinstance(k, (list, tuple)) or hasattr(k, "__array__"):
        t = tensor(k if not hasattr(k, "tolist") else k.tolist(), device=like.device)
        if t._dtype.category > D.INT:
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
    """`x[key]`: a view for basic keys, a gathered copy for advanced ones."""
    if type(key) is int:
        return basic_index(self, (key,))
    if type(key) is slice and (key.step is None or key.step > 0):
        return basic_index(self, (key,), "slice")  # (PyTorch slices even when it is all)
    k = _key(self, key)
    if all(isinstance(p, _BASIC) for p in k):
        k, flips = _positive_steps(k, tuple(shape_of(self)))
        r = basic_index(self, k)
        return r.flip(flips) if flips else r
    return _advanced(self, k)


def _positive_steps(key: tuple, shape: tuple) -> tuple[tuple, tuple[int, ...]]:
    """A basic key with its negative-step slices (which PyTorch refuses and the Array API
    requires) replaced by the same elements in increasing order, and the result dims to flip
    back. So `x[::-1]` is `x[::1].flip(0)`: a copy, not a view (agrad's layouts, like
    PyTorch's, have no negative strides)."""
    if not any(isinstance(k, slice) and k.step is not None and k.step < 0 for k in key):
        return key, ()
    if any(isinstance(k, slice) and k.step == 0 for k in key):
        raise ValueError("slice step cannot be zero")
    ndim = len(shape)
    consumed = sum(1 for k in key if k is not None and k is not Ellipsis)
    out, flips, d, pos = [], [], 0, 0  # d: input dim, pos: result dim
    for k in key:
        if k is Ellipsis:
            n = max(ndim - consumed, 0)
            out.append(k)
            d, pos = d + n, pos + n
        elif k is None:
            out.append(k)
            pos += 1
        elif isinstance(k, slice):
            if k.step is not None and k.step < 0 and d < ndim:
                r = range(*k.indices(shape[d]))
                k = slice(r[-1], r[0] + 1, -k.step) if len(r) else slice(0, 0, 1)
                flips.append(pos)
            out.append(k)
            d, pos = d + 1, pos + 1
        else:
            out.append(k)
            d += 1
    return tuple(out), tuple(flips)


def _consumed(x: Tensor, key: tuple) -> int:
    """How many of x's dims the key indexes (PyTorch's IndexError when more than x has)."""
    consumed = sum(p.ndim if isinstance(p, Tensor) and p._dtype is D.bool else
                   (0 if p is None or p is Ellipsis else 1) for p in key)
    if consumed > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    return consumed


def _plan(x: Tensor, key: tuple, masks_to_indices: bool = True,
          check_bounds: bool = True) -> tuple[Tensor, list[tuple[int, Tensor]]]:
    """Apply the basic part of `key` as a view; return it with (dim, index tensor) pairs for the
    advanced part, boolean masks turned into integer indices (or, without `masks_to_indices`,
    left as masks: no data-dependent shapes). Checks masks' shapes and indices' bounds with
    PyTorch's messages; negative indices come back wrapped."""
    consumed = _consumed(x, key)
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
            (masks if p._dtype is D.bool else adv).append((dim, p))
            basic.extend([slice(None)] * nd)
            dim += nd
        elif isinstance(p, int):
            basic.append(p)
        else:
            basic.append(p)
            dim += 1
    y = basic_index(x, tuple(basic))
    ys = tuple(shape_of(y))
    for d, m in masks:
        ms = tuple(m.shape)
        for j, s in enumerate(ms):
            if d + j >= len(ys) or ys[d + j] != s:
                raise IndexError(f"The shape of the mask {list(ms)} at index {j} does not match "
                                 f"the shape of the indexed tensor {list(ys)} at index {d + j}")
    if check_bounds:
        adv = _check_adv_bounds(adv, ys)
    for d, m in masks:
        if masks_to_indices:
            be = x._storage.backend
            if not be.data_dependent_shapes:
                raise UnsupportedCapabilityError(be.name, "data_dependent_shapes",
                                                 "boolean mask indexing")
            adv.extend((d + j, idx) for j, idx in enumerate(m.nonzero(as_tuple=True)))
        else:
            adv.append((d, m))
    adv.sort(key=lambda e: e[0])
    return y, adv


def _check_adv_bounds(adv: list, ys: tuple) -> list:
    """Bounds, numbered as PyTorch numbers them: by the index's place among the advanced
    ones."""
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
            if size == 0:  # (PyTorch's words for an empty dim name neither)
                raise IndexError("index is out of bounds for dimension with size 0")
            raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
        if lo < 0:
            idx = idx % size
    return idx


def _index_shape(shapes: list) -> tuple:
    """The broadcast shape of the index tensors, with PyTorch's error."""
    try:
        return broadcast_shapes(*shapes) if shapes else ()
    except RuntimeError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with "
                         "shapes " + ", ".join(str(list(s)) for s in shapes)) from None


def _merge(y: Tensor, adv: list[tuple[int, Tensor]]) -> tuple[Tensor, Tensor, int, tuple]:
    """Move the advanced dims together and merge them into one; return (y', flat index, axis,
    broadcast shape of the indices)."""
    ds = [d for d, _ in adv]
    bshape = _index_shape([tuple(i.shape) for _, i in adv])
    if ds != list(range(ds[0], ds[0] + len(ds))):  # not consecutive: the index dims go first
        rest = [d for d in range(y.ndim) if d not in ds]
        y = y.permute(*ds, *rest)
        ds = list(range(len(ds)))
    first = ds[0]
    lin = None
    stride = 1
    for (_, idx), d in zip(reversed(adv), reversed(ds)):
        term = idx * stride if stride != 1 else idx
        lin = term if lin is None else lin + term
        stride *= shape_of(y)[d]
    lin = lin.expand(bshape) if tuple(lin.shape) != bshape else lin
    shape = tuple(shape_of(y))
    y = y.reshape(shape[:first] + (stride,) + shape[first + len(ds):])
    return y, lin, first, bshape


def _advanced(x: Tensor, key: tuple) -> Tensor:
    y, adv = _plan(x, key)
    if not adv:
        return y.clone()
    y, lin, axis, bshape = _merge(y, adv)
    shape = tuple(shape_of(y))
    return take_slices(y, lin.reshape(-1), axis, shape[:axis] + bshape + shape[axis + 1:])


# -- take along one axis, and its gradient (scatter-add) -------------------------------------------

def _take(xp: Any, a: Any, p: tuple) -> Any:
    idx, axis, out_shape = p
    r = idx._storage.backend.take(a, read(idx), axis)
    return r if out_shape is None else xp.reshape(r, out_shape)


def _g_take(n: Any, g: Tensor) -> tuple:
    idx, axis, out_shape = n.params
    shape = n.shape(0)
    if out_shape is not None:
        g = g.reshape(tuple(shape[:axis]) + (idx.numel(),) + tuple(shape[axis + 1:]))
    return (index_add_zeros(g, shape, idx, axis),)


TAKE = Op("index", lambda y, idx, axis, out_shape: ((y,), (idx, axis, out_shape)),
          forward=_take, backward=_g_take, needs=NOTHING, function=False, method=False,
          grad_fn="IndexBackward0")


def take_slices(y: Tensor, idx: Tensor, axis: int, out_shape: tuple | None = None) -> Tensor:
    """y's slices at the 1-D indices idx along axis; reshaped to out_shape when given."""
    return call(TAKE, (y,), (idx, axis, out_shape))


INDEX_ADD_ZEROS = Op(
    "index_add.zeros", lambda g, shape, idx, axis: ((g,), (shape, idx, axis, g._storage.backend)),
    forward=lambda xp, g, p: p[3].scatter_add(p[0], p[2], read(p[1]), g),
    backward=lambda n, gg: (take_slices(gg, n.params[1], n.params[2]),),
    needs=NOTHING, function=False, method=False, grad_fn="IndexBackwardBackward0")


def index_add_zeros(g: Tensor, shape: tuple, idx: Tensor, axis: int) -> Tensor:
    """zeros(shape) with g's slices added at idx along axis (repeated indices accumulate)."""
    return call(INDEX_ADD_ZEROS, *INDEX_ADD_ZEROS.args(g, tuple(shape), idx, axis))


# -- setitem --------------------------------------------------------------------------------------

def setitem(self: Tensor, key: Any, value: Any) -> None:
    """`x[key] = value`: written into x's storage, so every alias sees it. As PyTorch's
    set_item: a basic key that selects everything (`...`, full slices) writes x itself, others a
    view of it; a value of the target's shape is copied in, a 0-d one (a number becomes one of
    x's dtype) filled in, others broadcast (their leading unit dims dropped) and copied in."""
    try:
        _set_item(self, key, value)
    except Exception as e:
        if not isinstance(e, TypeError) and _grad.enabled:
            _autograd_first(self, key, value, e)
        raise


def _autograd_first(self: Tensor, key: Any, value: Any, error: Exception) -> None:
    """The refusals of PyTorch's autograd that come before set_item's own checks: the views
    its indexing takes of x (an int, None or a partial slice in the key), the view of the
    value without its leading unit dims, and the write's node collecting the value's edge
    each read their tensor's grad_fn, which a stale multi-output view refuses."""
    keys = key if isinstance(key, tuple) else (key,)
    views = _views_before_an_index_error(self, keys)
    stripped = isinstance(value, Tensor) and value.ndim > 0 and value.shape[0] == 1 and (
        any(isinstance(k, (Tensor, list)) for k in keys)  # index_put_ always strips them,
        or _basic_target_shape(self, key) not in (None, tuple(value.shape)))  # copy_ if needed
    # else the value's edge is collected once the write passed autograd's own check
    later = isinstance(value, Tensor) and not stripped and not any(
        m in str(error) for m in ("leaf Variable", "modified inplace"))
    try:
        for t in ((self,) if views else ()) + ((value,) if stripped or later else ()):
            if t._requires_grad and t._view is not None:
                t.grad_fn  # noqa: B018 - raises a stale multi-output view's error
    except RuntimeError as e:
        if str(e) != str(error):
            raise e from None


def _views_before_an_index_error(self: Tensor, keys: tuple) -> bool:
    """Whether PyTorch's indexing takes a view of x (reading its grad_fn) before anything
    refuses the key: its first int, None or slice of part of a dim does, unless that int is
    out of range (checked before the select)."""
    dim = 0
    shape = shape_of(self)
    for k in keys:
        if k is None:
            return True
        if isinstance(k, slice):  # (one selecting the whole dim takes no view in PyTorch)
            if dim >= len(shape) or k.indices(shape[dim]) != (0, shape[dim], 1):
                return True
            dim += 1
            continue
        if isinstance(k, int) and not isinstance(k, bool):
            return dim < len(shape) and -shape[dim] <= k < shape[dim]
        return False  # `...`, a bool, an index tensor: nothing certain before the error
    return False


def _basic_target_shape(self: Tensor, key: Any) -> tuple | None:
    """The shape `self[key]` has (None where the key fails), read outside grad mode."""
    enabled = _grad.enabled
    _grad.enabled = False
    try:
        return tuple(self[key].shape)
    except Exception:  # noqa: BLE001 - the key's own error is the one raised
        return None
    finally:
        _grad.enabled = enabled


def _set_item(self: Tensor, key: Any, value: Any) -> None:
    k = _key(self, key)
    if all(isinstance(p, _BASIC) for p in k):
        shape = tuple(shape_of(self))
        whole = _selects_all(k, shape)
        k, flips = _positive_steps(k, shape)
        target = self if whole else basic_index(self, k)
        if not isinstance(value, Tensor):
            from .creation import full, tensor

            value = full((), value, dtype=self._dtype, device=self.device) if isinstance(
                value, (int, float, bool, complex)) else \
                tensor(value, dtype=self._dtype, device=self.device)
        ts = tuple(target.shape)
        if flips:  # negative steps: the value in reverse
            while value.ndim > target.ndim and value.shape[0] == 1:
                value = value[0]
            value = value.expand(ts).flip(flips)
        vs = tuple(value.shape)
        if vs == ts:
            target.copy_(value)
            return
        if not vs:
            target.fill_(value)
            return
        # PyTorch drops the value's leading unit dims, then expands it to the target
        while vs and vs[0] == 1:
            vs = vs[1:]
        if vs != tuple(value.shape):
            value = value.reshape(vs)
        target.copy_(value.expand(ts))
        return
    _index_put(self, k, value)


def _selects_all(key: tuple, shape: tuple) -> bool:
    """Whether a basic key is the whole tensor: only `...` and full slices (PyTorch's set_item
    skips those instead of making views)."""
    if any(not isinstance(p, slice) and p is not Ellipsis for p in key):
        return False
    items = [p for p in key if p is not Ellipsis]
    if len(items) > len(shape):
        return False
    if Ellipsis in key:
        i = key.index(Ellipsis)
        dims = list(range(i)) + list(range(len(shape) - (len(key) - i - 1), len(shape)))
    else:
        dims = list(range(len(items)))
    return all(whole_slice(p, shape[d]) for p, d in zip(items, dims))


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


def _masked_fill_dispatch(k: tuple, value: Any) -> bool:
    """PyTorch's canDispatchToMaskedFill: one boolean mask (among slices) and a one-element
    value make index_put_ a masked fill of the value's item (any dtype, the mask may alias the
    target entirely)."""
    if isinstance(value, Tensor) and value.numel() != 1:
        return False
    masks = [p for p in k if isinstance(p, Tensor)]
    return len(masks) == 1 and masks[0]._dtype is D.bool


def _index_put_args(self: Tensor, k: tuple, value: Any) -> tuple:
    """Validated before any write, in PyTorch's order: the value's device, overlaps of the value
    and indices with the target, masks, the value's shape, its dtype, index bounds."""
    key = _array_key(self, k)
    fill = _masked_fill_dispatch(k, value)
    if isinstance(value, Tensor) and value._storage.device != self._storage.device:
        raise RuntimeError(f"Expected all tensors to be on the same device, but found at "
                           f"least two devices, {self.device} and {value.device}!")
    st = self._storage
    for p in k if fill else (value,) + k:
        if isinstance(p, Tensor) and p._storage is st:
            check_overlap(self, p, fill)
    y, adv = _plan(self, k, masks_to_indices=False, check_bounds=False)
    if isinstance(value, Tensor):
        rshape = _result_shape(y, adv)
        vs = tuple(value.shape)
        try:
            if broadcast_shapes(vs, rshape) != rshape:
                raise RuntimeError
        except RuntimeError:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} cannot "
                               f"be broadcast to indexing result of shape {list(rshape)}") \
                from None
        if value._dtype is not self._dtype and not fill:
            raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                               f"{self._dtype.legacy} for the destination and "
                               f"{value._dtype.legacy} for the source.")
    _check_adv_bounds([(d, i) for d, i in adv if i._dtype is not D.bool], tuple(y.shape))
    # the index tensors' versions: PyTorch saves them, so a write into one fails backward
    versions = tuple([i._vc.version if isinstance(i, Tensor) else None for i in k])
    return (self, value), (key, self._storage.backend, k, versions)


def _put(xp: Any, a: Any, v: Any, p: tuple) -> Any:
    key, be = p[0], p[1]
    if hasattr(v, "dtype") and v.dtype != a.dtype:
        v = xp.astype(v, a.dtype)
    return be.index_update(a, key, v)


def _put_inplace(xp: Any, a: Any, v: Any, p: tuple) -> None:
    p[1].write(a, p[0], v)


def _g_index_put(n: Any, g: Tensor) -> tuple:
    key, be, tkey, versions = n.params
    for i, v in zip(tkey, versions):
        if v is not None:
            if n.saved is RELEASED:  # PyTorch's node saved the index tensors: freed
                raise RuntimeError(_FREED)
            if i._vc.version != v:
                raise RuntimeError(modified_message(i, v))
    gx = call(ZERO_AT, (g,), (key, be)) if n.edges[0] is not None else None
    gv = getitem(g, tkey) if n.edges[1] is not None else None
    return gx, gv


ZERO_AT = Op("index_put.zero", lambda g, key, be: ((g,), (key, be)),
             forward=lambda xp, g, p: p[1].index_update(g, p[0], 0),
             backward=lambda n, gg: (call(ZERO_AT, (gg,), n.params),), needs=NOTHING,
             function=False, method=False, grad_fn="IndexFillBackward0")
INDEX_PUT = Op("index_put", _index_put_args, forward=_put, backward=_g_index_put,
               promote=(0,), needs=NOTHING, function=False, method=False, inplace=False,
               iforward=_put_inplace, grad_fn="IndexPutBackward0", overlap="index_put_")


def _index_put(self: Tensor, k: tuple, value: Any) -> None:
    """`x[advanced key] = value`: PyTorch's index_put_, the value's leading unit dims dropped
    first (set_item's view), the leaf checked before the arguments (autograd's layer comes
    first); with a lone mask and one value it is a masked fill inside."""
    _consumed(self, k)
    if len(k) == 1 and k[0]._dtype is D.bool and k[0].ndim == 0:
        # a 0-d mask is an integer index ([0] or none) into an unsqueezed view in PyTorch
        # (written through it: CopySlices)
        from .creation import tensor

        idx = tensor([0] if k[0].item() else [], dtype=D.int64, device=self.device)
        return _index_put(basic_index(self, (None,)), (idx,), value)
    check_inplace(self, (value,))
    if isinstance(value, Tensor):
        vs = tuple(value.shape)
        i = 0
        while i < len(vs) and vs[i] == 1:
            i += 1
        if i:
            value = value.reshape(vs[i:])
    # PyTorch runs `x[mask] = scalar` as index_put_, which hands it to masked_fill_
    lone_mask = len(k) == 1 and isinstance(k[0], Tensor) and k[0]._dtype is D.bool
    scalar = not isinstance(value, Tensor) or value.ndim == 0
    call_inplace(INDEX_PUT, *_index_put_args(self, k, value),
                 overlap=("index_put_", "masked_fill_") if lone_mask and scalar else None)


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
    rest = [s for i, s in enumerate(shape) if i not in covered]
    if covered == list(range(covered[0], covered[0] + len(covered))):
        return shape[:covered[0]] + bshape + shape[covered[-1] + 1:]
    return bshape + tuple(rest)


Op("__getitem__", getitem, impl=getitem, namespace="Tensor", function=False)
Op("__setitem__", setitem, impl=setitem, namespace="Tensor", function=False)


# -- data-dependent results -----------------------------------------------------------------------

def _nonzero(xp: Any, a: Any) -> tuple:
    if a.ndim == 0:
        a = xp.reshape(a, (1,))
    return tuple(xp.astype(i, _i64(xp)) for i in xp.nonzero(a))


NONZERO = Op("nonzero.columns", lambda x: ((x,), None), forward=_nonzero, dtype=from_result,
             outputs=-1, data_dependent=True, function=False, method=False)


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:  # noqa: A002
    """The indices of the nonzero elements: an (n, ndim) tensor, or one tensor per dim."""
    cols = call(NONZERO, (input,))
    if as_tuple:
        return cols
    from .shape_ops import stack

    return stack(cols, 1) if input.ndim else stack(cols, 1)[:, :0]


def argwhere(input: Tensor) -> Tensor:  # noqa: A002
    return nonzero(input)


def _flat_take(xp: Any, a: Any, p: tuple) -> Any:
    """The elements of `a` (broadcast to `shape`, flattened) at the flat positions `idx`."""
    idx, shape, out_shape = p
    flat = xp.reshape(xp.broadcast_to(a, shape) if tuple(a.shape) != shape else a, (-1,))
    return xp.reshape(idx._storage.backend.take(flat, read(idx)), out_shape)


def _g_flat_take(n: Any, g: Tensor) -> tuple:
    """g added at the flat positions it was taken from (the node sums a broadcast input)."""
    idx, shape, _ = n.params
    numel = 1
    for s in shape:
        numel *= s
    return (index_add_zeros(g.reshape(-1), (numel,), idx, 0).reshape(shape),)


def _masked_select_args(input: Tensor, mask: Tensor) -> tuple:  # noqa: A002
    """input's elements where the (broadcast) bool mask holds, flattened."""
    if mask._dtype is not D.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes(tuple(input.shape), tuple(mask.shape))
    (idx,) = nonzero(mask.expand(shape).reshape(-1), as_tuple=True)
    return (input,), (idx, shape, (idx.numel(),))


def _take_args(input: Tensor, index: Tensor) -> tuple:  # noqa: A002
    """input's elements at the flat positions in index (negative ones count from the end)."""
    if index._dtype is not D.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got "
                           f"{index._dtype.legacy}")
    shape = tuple(input.shape)
    idx = _bounds(index.reshape(-1), input.numel(), 0)
    return (input,), (idx, shape, tuple(index.shape))


Op("masked_select", _masked_select_args, forward=_flat_take, backward=_g_flat_take,
   needs=NOTHING)
Op("take", _take_args, forward=_flat_take, backward=_g_flat_take, needs=NOTHING)
for _fn in (nonzero, argwhere):
    Op(_fn.__name__, _fn, impl=_fn)


def _i64(xp):
    """int64 indices, as PyTorch returns them (refused where the backend has no int64)."""
    return exact_dtype(xp, "int64")
