"""Ops that rearrange, join, sort and select: one row each (forward with `xp`, backward with
agrad ops), with PyTorch's names, dtype promotion and error messages.

Gather-like backwards are scatter-adds. The Array API has no scatter, so `_flat_scatter_add`
uses the adapter's native one where it has one (`backend.scatter_add` overridden: NumPy's
`add.at`, CuPy's) and otherwise builds it from standard functions: a one-hot comparison when
small, a stable sort plus segment sums (accumulated in float64) when not.
`scatter` (assignment) is a stable sort and `searchsorted`: the last write to a position wins,
as on PyTorch's CPU. Index bounds are checked as PyTorch checks them, except on lazy backends,
where checking would force a computation (out-of-range indices there are undefined behaviour).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from .. import dtypes as D
from .. import return_types
from .._tensor import Tensor
from ..adapter import exact_dtype
from ._args import same_device as _same_device
from ._args import sizes, unique_dims, wrap_dim
from ._args import tensor as _check_tensor
from ._args import tensor_list as _tensor_list
from ._dispatch import broadcast_shapes, call, read
from ._op import NOTHING, Op, from_result

_bmax, _bmin = max, min

def gather_along(xp: Any, a: Any, idx: Any, axis: int) -> Any:
    """xp.take_along_axis, or (namespaces without it, e.g. Dask's) a flat `take` at the linear
    positions; `idx` has a's shape except along `axis`."""
    fn = getattr(xp, "take_along_axis", None)
    if fn is not None:
        return fn(a, idx, axis=axis)
    pos = _linear_positions(xp, idx, axis, tuple(a.shape))
    return xp.reshape(xp.take(xp.reshape(a, (-1,)), pos), tuple(idx.shape))


def _fresh(xp: Any, a: Any) -> Any:
    """A result must never alias an input (NumPy's flip, reshape ... return views)."""
    return xp.asarray(a, copy=True)


# -- cat / stack -----------------------------------------------------------------------------------

def _f_cat(xp, *arrays_and_params):
    *arrays, p = arrays_and_params
    dim, keep, _ = p
    return xp.concat([a for a, k in zip(arrays, keep) if k], axis=dim)


def _g_cat(n, g):
    dim, _, sizes = n.params
    out = []
    start = 0
    for s in sizes:
        if s is None:  # a skipped legacy empty tensor: an empty gradient, as PyTorch
            from .creation import zeros

            out.append(zeros(0, dtype=g._dtype, device=g.device))
            continue
        out.append(g.narrow(dim, start, s))
        start += s
    return tuple(out)


def _cat_args(tensors: Sequence[Tensor], dim: int = 0) -> tuple:
    """Join along an existing dim; dtypes promote. 1-D empty tensors are skipped (PyTorch's
    legacy rule), so `cat([torch.empty(0), x])` works for any x."""
    ts = _tensor_list("cat", tensors)
    if not ts:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(ts):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               f"concatenated")
    keep = [not (t.ndim == 1 and t.shape[0] == 0) for t in ts]
    live = [t for t, k in zip(ts, keep) if k]
    if not live:  # only legacy empties: an empty result, still recorded (CatBackward0)
        wrap_dim(dim, 1)
        return tuple(ts), (0, [True] * len(ts), [0] * len(ts))
    ref = live[0]
    d = wrap_dim(dim, ref.ndim)
    rs = tuple(ref.shape)
    for i, (t, k) in enumerate(zip(ts, keep)):
        if not k:
            continue
        if t.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and "
                               f"{t.ndim}")
        s = tuple(t.shape)
        for j in range(ref.ndim):
            if j != d and s[j] != rs[j]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {rs[j]} but got size {s[j]} for tensor number "
                                   f"{i} in the list.")
    return tuple(ts), (d, keep, [t.shape[d] if k else None for t, k in zip(ts, keep)])


CAT = Op("cat", _cat_args, forward=_f_cat, backward=_g_cat, needs=NOTHING, method=False,
         out=True, aliases=("concat", "concatenate"), saved_params=lambda p: {"dim": p[0]})


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    return call(CAT, *_cat_args(tensors, dim))


def _f_stack(xp, *arrays_and_params):
    *arrays, dim = arrays_and_params
    return xp.stack(arrays, axis=dim)


def _g_stack(n, g):
    dim = n.params
    return tuple(g.select(dim, i) for i in range(len(n.edges)))


def _stack_args(tensors: Sequence[Tensor], dim: int = 0) -> tuple:
    """Join along a new dim; all shapes equal; dtypes promote."""
    ts = _tensor_list("stack", tensors)
    if not ts:
        raise RuntimeError("stack expects a non-empty TensorList")
    s0 = tuple(ts[0].shape)
    for i, t in enumerate(ts[1:], 1):
        if tuple(t.shape) != s0:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(s0)} "
                               f"at entry 0 and {list(t.shape)} at entry {i}")
    return tuple(ts), wrap_dim(dim, len(s0) + 1)


STACK = Op("stack", _stack_args, forward=_f_stack, backward=_g_stack, needs=NOTHING,
           method=False, out=True, saved_params=lambda p: {"dim": p})


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    return call(STACK, *_stack_args(tensors, dim))


def atleast_1d(*tensors: Any) -> Any:
    ts = sizes(tensors)
    r = tuple(t.reshape(1) if t.ndim == 0 else t for t in ts)
    return r[0] if len(r) == 1 else r


def atleast_2d(*tensors: Any) -> Any:
    ts = sizes(tensors)
    r = tuple(t.reshape(1, 1) if t.ndim == 0 else t.unsqueeze(0) if t.ndim == 1 else t
              for t in ts)
    return r[0] if len(r) == 1 else r


def _atleast_3d(t: Tensor) -> Tensor:
    if t.ndim == 0:
        return t.reshape(1, 1, 1)
    if t.ndim == 1:
        return t.reshape(1, -1, 1)
    if t.ndim == 2:
        return t.unsqueeze(-1)
    return t


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    ts = [atleast_1d(t) for t in _tensor_list("hstack", tensors)]
    if not ts:
        raise RuntimeError("hstack expects a non-empty TensorList")
    return cat(ts, 0 if ts[0].ndim == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    ts = [atleast_2d(t) for t in _tensor_list("vstack", tensors)]
    if not ts:
        raise RuntimeError("vstack expects a non-empty TensorList")
    return cat(ts, 0)


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    ts = [_atleast_3d(t) for t in _tensor_list("dstack", tensors)]
    if not ts:
        raise RuntimeError("dstack expects a non-empty TensorList")
    return cat(ts, 2)


for _fn in (hstack, vstack, dstack):
    Op(_fn.__name__, _fn, impl=_fn, method=False, out=True)
for _fn in (atleast_1d, atleast_2d):
    Op(_fn.__name__, _fn, impl=_fn, method=False)


# -- flip / roll / repeat / tile -------------------------------------------------------------------

def _f_flip(xp, a, dims):
    return _fresh(xp, xp.flip(a, axis=dims)) if dims else _fresh(xp, a)


def _flip_args(input: Tensor, *dims: Any) -> tuple:  # noqa: A002
    _check_tensor("flip", input, "input", 1)
    ds = unique_dims(sizes(dims), input.ndim)
    return (input,), (() if input.ndim == 0 else ds)


FLIP = Op("flip.dims", _flip_args, forward=_f_flip, backward=lambda n, g: (g.flip(n.params),),
          needs=NOTHING, function=False, method="flip", grad_fn="FlipBackward0")


def flip(input: Tensor, dims: Sequence[int]) -> Tensor:  # noqa: A002
    """A copy with the order of elements reversed along `dims` (a sequence; the method also
    takes `x.flip(0, 1)`)."""
    if isinstance(dims, int):
        raise TypeError("flip(): argument 'dims' (position 2) must be tuple of ints, not int")
    return call(FLIP, *_flip_args(input, tuple(dims)))


Op("flip", flip, impl=flip, method=False)


def fliplr(input: Tensor) -> Tensor:
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input: Tensor) -> Tensor:
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


Op("fliplr", fliplr, impl=fliplr)
Op("flipud", flipud, impl=flipud)


def _f_roll(xp, a, p):
    shifts, dims = p
    if dims is None:
        return xp.roll(a, shifts[0])
    return xp.roll(a, shifts, axis=dims)


def _g_roll(n: Any, g: Tensor) -> tuple:
    shifts, dims = n.params
    return (g.roll(tuple(-s for s in shifts), dims),)


def _roll_args(input: Tensor, shifts: int | Sequence[int],  # noqa: A002
               dims: int | Sequence[int] | None = None) -> tuple:
    _check_tensor("roll", input, "input", 1)
    sh = (int(shifts),) if isinstance(shifts, int) else tuple(int(s) for s in shifts)
    if not sh:
        raise RuntimeError("`shifts` required")
    if dims is None or (not isinstance(dims, int) and not len(dims)):  # no dims: flattened
        if len(sh) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:0")
        return (input,), (sh, None)
    ds = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(sh) != len(ds):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:"
                           f"{len(ds)}")
    ds = tuple(wrap_dim(d, input.ndim) for d in ds)
    return (input,), ((sh[:1], None) if input.ndim == 0 else (sh, ds))


ROLL = Op("roll", _roll_args, forward=_f_roll, backward=_g_roll, needs=NOTHING)


def _f_repeat(xp, a, reps):
    lead = len(reps) - a.ndim
    if lead:
        a = xp.reshape(a, (1,) * lead + tuple(a.shape))
    return _fresh(xp, xp.tile(a, reps))


def _g_repeat(n, g):
    reps = n.params
    shape = tuple(n.meta[0][0])
    padded = (1,) * (len(reps) - len(shape)) + shape
    inter = []
    for r, s in zip(reps, padded):
        inter += [r, s]
    summed = g.reshape(tuple(inter)).sum(tuple(range(0, 2 * len(reps), 2)))
    return (summed.reshape(shape),)


def _repeat_args(self: Tensor, *repeats: Any) -> tuple:
    """x.repeat(*sizes): tile x (sizes may add leading dims)."""
    reps = tuple(int(s) for s in sizes(repeats))
    if len(reps) < self.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                           "dimensions of tensor")
    padded = (1,) * (len(reps) - self.ndim) + tuple(self.shape)
    target = [r * s for r, s in zip(reps, padded)]
    for t in target:
        if t < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {t}: {target}")
    for r in reps:
        if r < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {r}: {target}")
    return (self,), reps


REPEAT = Op("repeat", _repeat_args, forward=_f_repeat, backward=_g_repeat, needs=NOTHING,
            function=False)


def tile(input: Tensor, dims: int | Sequence[int]) -> Tensor:  # noqa: A002
    ds = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(ds) < input.ndim:
        ds = (1,) * (input.ndim - len(ds)) + ds
    return call(REPEAT, *_repeat_args(input, ds))


Op("tile", tile, impl=tile)


def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """Each element repeated `repeats` times along `dim` (flattened when dim is None)."""
    from .creation import arange

    x = input.reshape(-1) if dim is None else input
    d = 0 if dim is None else wrap_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if isinstance(repeats, Tensor) and repeats.numel() != 1:
        reps = [int(r) for r in repeats.tolist()]
        if len(reps) != n:
            raise RuntimeError("repeats must have the same size as input along dim")
        idx = [i for i, r in enumerate(reps) for _ in range(r)]
        from .creation import tensor

        return index_select(x, d, tensor(idx, dtype=D.int64, device=x.device))
    r = int(repeats.item() if isinstance(repeats, Tensor) else repeats)
    if r < 0:
        raise RuntimeError("repeats can not be negative")
    idx = arange(n, device=x.device).reshape(-1, 1).expand(n, r).reshape(-1)
    return index_select(x, d, idx)


Op("repeat_interleave", repeat_interleave, impl=repeat_interleave)


# -- sort / argsort / topk -------------------------------------------------------------------------

def _g_selected(n: Any, g: Any) -> tuple:
    """Gradient of values picked at `indices` along dim (sort, topk): g put back where each
    value came from."""
    g = g[0] if isinstance(g, tuple) else g
    dim = n.params[0]
    if dim is None:  # a 0-d input
        return (g,)
    return (g.new_zeros(n.shape(0)).scatter(dim, n.result, g),)


def _sorted_perm(xp: Any, a: Any, axis: int, descending: bool) -> Any:
    if a.dtype == xp.bool:
        a = xp.astype(a, xp.int8)
    return xp.argsort(a, axis=axis, descending=descending, stable=True)


def _f_sort(xp: Any, a: Any, p: tuple) -> tuple:
    d, descending, k = p
    if d is None:
        return _fresh(xp, a), xp.zeros((), dtype=_i64(xp))
    perm = xp.astype(_sorted_perm(xp, a, d, descending), _i64(xp))
    if k is not None and k < a.shape[d]:
        perm = _fresh(xp, perm[(slice(None),) * d + (slice(0, k), ...)])
    return gather_along(xp, a, perm, d), perm


def _sort_args(input: Tensor, dim: int = -1, descending: bool = False,  # noqa: A002
               stable: bool = False) -> tuple:
    """Always stable (ties keep their order); NaN sorts as the largest."""
    _check_tensor("sort", input, "input", 1)
    return (input,), (wrap_dim(dim, input.ndim) if input.ndim else None, descending, None)


def _topk_args(input: Tensor, k: int, dim: int = -1, largest: bool = True,  # noqa: A002
               sorted: bool = True) -> tuple:  # noqa: A002
    """The k largest (or smallest) along dim, sorted; ties keep their original order."""
    _check_tensor("topk", input, "input", 1)
    size = input.shape[wrap_dim(dim, input.ndim)] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    return (input,), (wrap_dim(dim, input.ndim) if input.ndim else None, largest, k)


SORT = Op("sort", _sort_args, forward=_f_sort, backward=_g_selected, outputs=2,
          returns=return_types.sort, saves_result=1, needs=NOTHING)
TOPK = Op("topk", _topk_args, forward=_f_sort, backward=_g_selected, outputs=2,
          returns=return_types.topk, saves_result=1, needs=NOTHING)


def msort(input: Tensor) -> Tensor:  # noqa: A002
    return call(SORT, *_sort_args(input, 0)).values


Op("msort", msort, impl=msort)


def _f_argsort(xp: Any, a: Any, p: tuple) -> Any:
    d, descending = p
    if d is None:
        return xp.zeros((), dtype=_i64(xp))
    return xp.astype(_sorted_perm(xp, a, d, descending), _i64(xp))


def _argsort_args(input: Tensor, dim: int = -1, descending: bool = False,  # noqa: A002
                  stable: bool = False) -> tuple:
    _check_tensor("argsort", input, "input", 1)
    return (input,), (wrap_dim(dim, input.ndim) if input.ndim else None, descending)


Op("argsort", _argsort_args, forward=_f_argsort, dtype=from_result)


# -- gather / scatter ------------------------------------------------------------------------------

def _check_index_dtype(fn: str, index: Tensor) -> None:
    if index._dtype not in (D.int64, D.int32):
        raise RuntimeError(f"{fn}(): Expected dtype int32/int64 for index")


def _check_bounds(index: Tensor, size: int, dim: int) -> None:
    """PyTorch's "index 5 is out of bounds for dimension 1 with size 3" (eager backends)."""
    be = index._storage.backend
    if be.lazy or index.numel() == 0:
        return
    xp = be.xp
    a = read(index)
    lo, hi = int(xp.min(a)), int(xp.max(a))
    if lo < 0 or hi >= size:
        bad = lo if lo < 0 else hi
        raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {size}")


def _linear_positions(xp: Any, idx: Any, dim: int, shape: tuple) -> Any:
    """For index (shaped like a corner of `shape`), the flat C-order position in `shape` of
    each indexed element: index values along `dim`, the element's own coordinates elsewhere."""
    ishape = tuple(idx.shape)
    n = len(shape)
    strides = [1] * n
    for i in range(n - 2, -1, -1):
        strides[i] = strides[i + 1] * shape[i + 1]
    i64 = xp.int64
    pos = xp.astype(idx, i64) * strides[dim] if n else xp.astype(idx, i64)
    for d in range(n):
        if d == dim:
            continue
        coord = xp.reshape(xp.arange(ishape[d], dtype=i64),
                           tuple(ishape[d] if j == d else 1 for j in range(n)))
        pos = pos + coord * strides[d]
    return xp.reshape(pos, (-1,))


def _corner(xp: Any, a: Any, shape: tuple) -> Any:
    """a[:s0, :s1, ...] for a `shape` no larger than a's."""
    if tuple(a.shape) == tuple(shape):
        return a
    return a[tuple(slice(0, s) for s in shape)]


def _flat_scatter_set(xp: Any, base: Any, pos: Any, vals: Any) -> Any:
    """base (1-D) with base[pos[i]] = vals[i]; the last write to a position wins."""
    n = base.shape[0]
    if pos.shape[0] == 0:
        return _fresh(xp, base)
    order = xp.argsort(pos, stable=True)
    sp = xp.take(pos, order)
    sv = xp.take(vals, order)
    targets = xp.arange(n, dtype=pos.dtype)
    right = xp.searchsorted(sp, targets, side="right")
    left = xp.searchsorted(sp, targets, side="left")
    last = xp.clip(right - 1, 0, sp.shape[0] - 1)
    return xp.where(right > left, xp.take(sv, last), base)


def _f_scatter_add(xp: Any, a: Any, idx: Any, src: Any, p: tuple) -> Any:
    dim, be = p
    shape = tuple(a.shape)
    n = 1
    for s in shape:
        n *= s
    if idx.ndim == 0 or n == 0 or 0 in tuple(idx.shape):
        return _fresh(xp, a)
    pos = _linear_positions(xp, idx, dim, shape)
    vals = xp.reshape(_corner(xp, src, tuple(idx.shape)), (-1,))
    return a + xp.reshape(be.scatter_add((n,), 0, pos, vals), shape)


def _g_scatter_add(n: Any, g: Tensor) -> tuple:
    dim, _ = n.params
    _, index, _ = n.inputs  # only the index is saved
    ga = g if n.edges[0] is not None else None
    gs = _pad_to(g.gather(dim, index), n.shape(2)) if n.edges[2] is not None else None
    return ga, None, gs


def _f_scatter(xp: Any, a: Any, idx: Any, src: Any, p: tuple) -> Any:
    dim, _ = p
    shape = tuple(a.shape)
    if idx.ndim == 0 or 0 in shape or 0 in tuple(idx.shape):
        return _fresh(xp, a)
    pos = _linear_positions(xp, idx, dim, shape)
    if hasattr(src, "shape"):
        vals = xp.reshape(_corner(xp, src, tuple(idx.shape)), (-1,))
    else:
        vals = xp.full((pos.shape[0],), src, dtype=a.dtype)
    return xp.reshape(_flat_scatter_set(xp, xp.reshape(a, (-1,)), pos, vals), shape)


def _g_scatter(n: Any, g: Tensor) -> tuple:
    dim, _ = n.params
    _, index, _ = n.inputs  # only the index is saved
    ga = g.scatter(dim, index, 0.0) if n.edges[0] is not None else None
    gs = _pad_to(g.gather(dim, index), n.shape(2)) if n.edges[2] is not None else None
    return ga, None, gs


def _scatter_kernel(name: str, forward: Any, backward: Any, grad_fn: Any) -> Op:
    return Op(name, lambda self, index, src, p: ((self, index, src), p), forward=forward,
              backward=backward, promote=(0,), needs=((1,), (), (1,)), function=False,
              method=False, grad_fn=grad_fn, saved_params=lambda p: {"dim": p[0]})


SCATTER_ADD = _scatter_kernel("scatter_add.kernel", _f_scatter_add, _g_scatter_add,
                              "ScatterAddBackward0")
SCATTER = _scatter_kernel(
    "scatter.kernel", _f_scatter, _g_scatter,
    lambda inputs, p: "ScatterBackward0" if isinstance(inputs[2], Tensor) else "ScatterBackward1")


def _pad_to(t: Tensor, shape: tuple) -> Tensor:
    """t (a corner of `shape`) padded with zeros to `shape`."""
    for d, s in enumerate(shape):
        cur = t.shape[d]
        if cur < s:
            ps = list(t.shape)
            ps[d] = s - cur
            t = cat([t, t.new_zeros(ps)], d)
    return t


def _scatter_checks(fn: str, input: Tensor, dim: int, index: Tensor, src: Any) -> int:  # noqa: A002
    _check_tensor(fn, input, "input", 1)
    _check_tensor(fn, index, "index", 3)
    _check_index_dtype("scatter", index)
    n = input.ndim
    d = wrap_dim(dim, n)
    if index.ndim != n and not (index.ndim <= 1 and n <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if isinstance(src, Tensor):
        if src._dtype is not input._dtype:
            raise RuntimeError(f"{fn}(): Expected self.dtype to be equal to src.dtype")
        if src.ndim != index.ndim and index.numel():
            raise RuntimeError("Index tensor must have the same number of dimensions as src "
                               "tensor")
        _same_device(fn, input, index, src)
    else:
        _same_device(fn, input, index)
    if index.ndim:
        ish, ssh = tuple(index.shape), tuple(input.shape)
        srcsh = tuple(src.shape) if isinstance(src, Tensor) else None
        bad = any(ish[j] > ssh[j] for j in range(n) if j != d) or (
            srcsh is not None and any(ish[j] > srcsh[j] for j in range(n)))
        if bad:
            tail = f" and to be no larger size than src {list(srcsh)}" if srcsh is not None \
                else ""
            raise RuntimeError(f"Expected index {list(ish)} to be no larger than self "
                               f"{list(ssh)} apart from dimension {d}{tail}")
        _check_bounds(index, input.shape[d] if n else 1, d)
    return d


def _scattered(row: Op, input: Tensor, d: int, index: Tensor, src: Any) -> Tensor:  # noqa: A002
    """Run a scatter kernel (a 0-d input is scattered as a 1-element vector)."""
    be = input._storage.backend
    if input.ndim == 0:
        flat_src = src.reshape(-1) if isinstance(src, Tensor) else src
        return call(row, (input.reshape(1), index.reshape(-1), flat_src), (0, be)).reshape(())
    return call(row, (input, index, src), (d, be))


def scatter(input: Tensor, dim: int, index: Tensor, src: Tensor | float | None = None,  # noqa: A002
            *, value: float | None = None, reduce: str | None = None) -> Tensor:
    """input with input[...index...] = src (or a number `value`) along dim; the last write to
    a position wins, as on PyTorch's CPU."""
    if src is None:
        src = value
    if reduce is not None:
        if reduce == "add":
            if not isinstance(src, Tensor):
                src = index.new_full(index.shape, src, dtype=input._dtype)
            return scatter_add(input, dim, index, src)
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}"
                           if reduce != "multiply" else
                           "scatter(reduce='multiply') is not supported by agrad")
    d = _scatter_checks("scatter", input, dim, index, src)
    if not isinstance(src, Tensor):
        if input._dtype.category <= D.INT and isinstance(src, float):
            src = int(src)
        if input._dtype is D.bool:
            src = bool(src)
    return _scattered(SCATTER, input, d, index, src)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:  # noqa: A002
    """input with src added at the positions index names along dim (duplicates accumulate)."""
    _check_tensor("scatter_add", src, "src", 4)
    return _scattered(SCATTER_ADD, input, _scatter_checks("scatter_add", input, dim, index, src),
                      index, src)


Op("scatter", scatter, impl=scatter, inplace=True)
Op("scatter_add", scatter_add, impl=scatter_add, inplace=True)


def _f_gather(xp: Any, a: Any, idx: Any, dim: int) -> Any:
    if a.ndim == 0:  # every index is 0
        return _fresh(xp, xp.reshape(a, tuple(idx.shape)))
    corner = tuple(idx.shape[j] if j != dim else a.shape[j] for j in range(a.ndim))
    return gather_along(xp, _corner(xp, a, corner), xp.astype(idx, xp.int64), dim)


def _g_gather(n: Any, g: Tensor) -> tuple:
    dim = n.params
    _, index = n.inputs
    shape = n.shape(0)
    if len(shape) == 0:
        return (g.sum() if g.ndim else g), None
    return g.new_zeros(shape).scatter_add(dim, index, g), None


def _gather_args(input: Tensor, dim: int, index: Tensor, *,  # noqa: A002
                 sparse_grad: bool = False) -> tuple:
    """out[i][j][k] = input[i][index[i][j][k]][k] (for dim=1); index may be smaller than input
    in the other dims."""
    _check_tensor("gather", input, "input", 1)
    _check_tensor("gather", index, "index", 3)
    _check_index_dtype("gather", index)
    _same_device("gather", input, index)
    n = input.ndim
    d = wrap_dim(dim, n)
    if index.ndim != n and not (index.ndim <= 1 and n <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    if n == 0:
        _check_bounds(index, 1, 0)
        return (input, index), 0
    ish, ssh = tuple(index.shape), tuple(input.shape)
    if index.ndim:
        for j in range(n):
            if j != d and ish[j] > ssh[j]:
                raise RuntimeError(f"Size does not match at dimension {j} expected index "
                                   f"{list(ish)} to be no larger than self {list(ssh)} apart "
                                   f"from dimension {d}")
    _check_bounds(index, ssh[d], d)
    return (input, index), d


# PyTorch saves gather's input too (an in-place write to it after the gather is an error there)
GATHER = Op("gather", _gather_args, forward=_f_gather, backward=_g_gather, promote=(0,),
            needs=((0, 1), ()), out=True, saved_params=lambda p: {"dim": p, "sparse_grad": False})


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:  # noqa: A002
    """gather after broadcasting input and indices in every dim but `dim` (flat when None)."""
    _check_tensor("take_along_dim", input, "input", 1)
    _check_tensor("take_along_dim", indices, "indices", 2)
    if dim is None:  # int32 or int64 indices, as gather takes them (its check names others)
        return call(GATHER, *_gather_args(input.reshape(-1), 0, indices.reshape(-1)))
    if input.ndim != indices.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.ndim} dimensions for input, "
                           f"and {indices.ndim} dimensions for indices")
    if indices._dtype is not D.int64:  # along a dim PyTorch wants int64 only
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{indices._dtype.legacy}")
    d = wrap_dim(dim, input.ndim)
    si, sx = list(indices.shape), list(input.shape)
    si_b, sx_b = si[:], sx[:]
    si_b[d] = sx_b[d] = 1
    b = list(broadcast_shapes(tuple(sx_b), tuple(si_b)))
    bi, bx = b[:], b[:]
    bi[d], bx[d] = si[d], sx[d]
    x = input if tuple(bx) == tuple(sx) else input.expand(*bx)
    i = indices if tuple(bi) == tuple(si) else indices.expand(*bi)
    return call(GATHER, *_gather_args(x, d, i))


Op("take_along_dim", take_along_dim, impl=take_along_dim, out=True)


def _g_index_select(n: Any, g: Tensor) -> tuple:
    dim = n.params
    _, index = n.inputs
    shape = n.shape(0)
    if len(shape) == 0:
        return g.reshape(()) if g.numel() == 1 else g.sum(), None
    view = [1] * g.ndim
    view[dim] = index.numel()
    idx = index.reshape(-1).reshape(*view).expand(*g.shape)
    return g.new_zeros(shape).scatter_add(dim, idx, g), None


def _f_index_select(xp: Any, a: Any, idx: Any, dim: int) -> Any:
    if a.ndim == 0:
        return _fresh(xp, xp.reshape(a, (1,) * idx.ndim)) if idx.ndim else _fresh(xp, a)
    return xp.take(a, xp.reshape(xp.astype(idx, xp.int64), (-1,)), axis=dim)


def _index_select_args(input: Tensor, dim: int, index: Tensor) -> tuple:  # noqa: A002
    """input's slices along dim at the positions in the 1-D `index` (repeats allowed)."""
    _check_tensor("index_select", input, "input", 1)
    _check_tensor("index_select", index, "index", 3)
    _same_device("index_select", input, index)
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index._dtype not in (D.int64, D.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    d = wrap_dim(dim, input.ndim)
    size = input.shape[d] if input.ndim else 1
    be = index._storage.backend
    if not be.lazy and index.numel():
        a = read(index)
        for v in (int(be.xp.min(a)), int(be.xp.max(a))):
            if v < 0 or v >= size:
                raise RuntimeError(f"INDICES element is out of DATA bounds, id={v} "
                                   f"axis_dim={size}")
    return (input, index), d


INDEX_SELECT = Op("index_select", _index_select_args, forward=_f_index_select,
                  backward=_g_index_select, promote=(0,), needs=((1,), ()), out=True,
                  saved_params=lambda p: {"dim": p})


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:  # noqa: A002
    return call(INDEX_SELECT, *_index_select_args(input, dim, index))


# -- masked_fill -----------------------------------------------------------------------------------

def _f_masked_fill(xp: Any, a: Any, mask: Any, value: Any) -> Any:
    if not hasattr(value, "shape"):
        value = xp.asarray(value, dtype=a.dtype)
    elif value.dtype != a.dtype:
        value = xp.astype(value, a.dtype)
    return xp.where(mask, value, a)


def _g_masked_fill(n: Any, g: Tensor) -> tuple:
    _, mask, _ = n.inputs  # only the mask is saved
    gi = g.where(~mask, 0.0) if n.edges[0] is not None else None
    gv = g.where(mask, 0.0).sum() if n.edges[2] is not None else None  # a tensor value
    return gi, None, gv


def _masked_fill_args(input: Tensor, mask: Tensor, value: Tensor | complex) -> tuple:  # noqa: A002
    """`value` where mask (bool, broadcastable) is True, input elsewhere; dtype of input."""
    _check_tensor("masked_fill", input, "input", 1)
    _check_tensor("masked_fill", mask, "mask", 2)
    if mask._dtype is not D.bool:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{mask._dtype.cpp}")
    broadcast_shapes(tuple(mask.shape), tuple(input.shape))  # PyTorch's a/b order
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.ndim} dimension(s).")
        _same_device("masked_fill", input, mask, value)
        return (input, mask, value), None
    _same_device("masked_fill", input, mask)
    v = value
    if input._dtype is D.bool:
        v = bool(v)
    elif input._dtype.category == D.INT and not isinstance(v, int):
        v = int(v)
    elif input._dtype.category == D.FLOAT and isinstance(v, complex):
        raise RuntimeError("value cannot be converted to type float without overflow")
    return (input, mask, v), None


def _masked_fill_grad_fn(inputs: tuple, params: Any) -> str:
    return "MaskedFillBackward1" if isinstance(inputs[2], Tensor) else "MaskedFillBackward0"


MASKED_FILL = Op("masked_fill", _masked_fill_args, forward=_f_masked_fill,
                 backward=_g_masked_fill, grad_fn=_masked_fill_grad_fn, promote=(0,),
                 needs=((1,), (), (1,)), inplace=True, overlap="masked_fill_")


# -- meshgrid, cross -----------------------------------------------------------------

def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    ts = sizes(tensors)
    ts = _tensor_list("meshgrid", list(ts))
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: '
                           f'{indexing}')
    if not ts:
        return ()
    for t in ts:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got: {t}")
    if any(t._dtype is not ts[0]._dtype for t in ts):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    counts = [t.numel() for t in ts]
    order = list(range(len(ts)))
    if indexing == "xy" and len(ts) >= 2:
        order[0], order[1] = 1, 0
    shape = tuple(counts[order[k]] for k in range(len(ts)))
    out = []
    for i, t in enumerate(ts):
        pos = order.index(i)
        view = [1] * len(ts)
        view[pos] = counts[i]
        out.append(t.reshape(*view).expand(*shape))
    return tuple(out)


Op("meshgrid", meshgrid, impl=meshgrid, method=False)


def _f_cross(xp, a, b, dim):
    def comp(x, i):
        key = (slice(None),) * dim + (slice(i, i + 1), ...)
        return x[key]

    a0, a1, a2 = comp(a, 0), comp(a, 1), comp(a, 2)
    b0, b1, b2 = comp(b, 0), comp(b, 1), comp(b, 2)
    return xp.concat([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=dim)


def _g_cross(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    dim = n.params
    ga = call(CROSS, (b, g), dim) if n.edges[0] is not None else None
    gb = call(CROSS, (g, a), dim) if n.edges[1] is not None else None
    return ga, gb


CROSS = Op("cross.kernel", lambda a, b, dim: ((a, b), dim), forward=_f_cross,
           backward=_g_cross, needs=((1,), (0,)), function=False, method=False,
           grad_fn="LinalgCrossBackward0")


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:  # noqa: A002
    """The 3-vector cross product along `dim` (inputs broadcast; one dtype, as PyTorch)."""
    _check_tensor("cross", input, "input", 1)
    _check_tensor("cross", other, "other", 2)
    _same_device("cross", input, other)
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    shape = broadcast_shapes(tuple(input.shape), tuple(other.shape))
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease "
                      "either pass the dim explicitly or simply use torch.linalg.cross.\nThe "
                      "default value of dim will change to agree with that of linalg.cross in a "
                      "future release.", UserWarning, stacklevel=2)
        cands = [i for i, s in enumerate(shape) if s == 3]
        if not cands:
            raise RuntimeError("no dimension of size 3 in input")
        d = cands[0]
        shown = d
    else:
        d = wrap_dim(dim, len(shape))
        shown = dim
    sa = input.shape[d - (len(shape) - input.ndim)] if d - (len(shape) - input.ndim) >= 0 else 1
    sb = other.shape[d - (len(shape) - other.ndim)] if d - (len(shape) - other.ndim) >= 0 else 1
    if sa != 3 or sb != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {shown} must have length 3. Got {sa} "
                           f"and {sb}")
    if input._dtype is not other._dtype:
        raise RuntimeError(f"expected scalar type {input._dtype.legacy} but found "
                           f"{other._dtype.legacy}")
    x = input if tuple(input.shape) == shape else input.expand(*shape)
    y = other if tuple(other.shape) == shape else other.expand(*shape)
    return call(CROSS, (x, y), d)


Op("cross", cross, impl=cross, out=True)


def _i64(xp):
    """int64 indices, as PyTorch returns them (refused where the backend has no int64)."""
    return exact_dtype(xp, "int64")
