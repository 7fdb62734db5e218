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
from .._tensor import Tensor, _wrap_dim, wrap
from ..autograd.grad_mode import state as _grad
from ._op import (
    Op,
    _device_error,
    _type_name,
    apply_n,
    broadcast_shapes,
    check_inplace,
    commit_inplace,
    read,
    record,
    with_out,
)

__all__ = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "flip",
           "fliplr", "flipud", "roll", "repeat_interleave", "tile", "sort", "argsort", "topk",
           "gather", "scatter", "scatter_add", "index_select", "masked_fill", "take_along_dim",
           "tensor_split", "meshgrid", "cross", "atleast_1d", "atleast_2d", "msort"]

_bmax, _bmin = max, min

# C++ type names some PyTorch messages print ("... but got mask with dtype long int")
CPP_NAMES = {D.float32: "float", D.float64: "double", D.float16: "c10::Half", D.int64: "long int",
             D.int32: "int", D.int16: "short int", D.int8: "signed char",
             D.uint8: "unsigned char", D.bool: "bool", D.complex64: "c10::complex<float>",
             D.complex128: "c10::complex<double>"}


# -- the calling convention for ops with any number of tensor inputs -------------------------------

def _apply(op: Op, inputs: tuple, params: Any = None, *, promote: bool = False) -> Tensor:
    """`_op.apply_n` over `inputs`; with `promote`, every tensor input takes their common
    PyTorch dtype first (cat, stack, cross)."""
    pos = tuple(i for i, x in enumerate(inputs) if isinstance(x, Tensor)) if promote else ()
    return apply_n(op, tuple(inputs), promote=pos, params=params)


def _check_tensor(fn: str, x: Any, arg: str, pos: int) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not "
                        f"{type(x).__name__}")


def _same_device(fn: str, *ts: Tensor) -> None:
    d = ts[0]._storage.device
    for t in ts[1:]:
        if t._storage.device != d:
            raise _device_error(ts[0], t, fn)


def _tensor_list(fn: str, tensors: Any) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, Sequence):
        raise TypeError(f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    out = list(tensors)
    for i, t in enumerate(out):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    if out:
        _same_device(fn, *out)
    return out


def take_along(xp: Any, a: Any, idx: Any, axis: int) -> Any:
    """xp.take_along_axis, or (namespaces without it, e.g. Dask's) a flat `take` at the linear
    positions; `idx` has a's shape except along `axis`."""
    fn = getattr(xp, "take_along_axis", None)
    if fn is not None:
        return fn(a, idx, axis=axis)
    pos = _linear_positions(xp, idx, axis, tuple(a.shape))
    return xp.reshape(xp.take(xp.reshape(a, (-1,)), pos), tuple(idx.shape))


def _dims_arg(dims: Any) -> tuple:
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        return tuple(dims[0])
    return tuple(dims)


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


CAT = Op("cat", "CatBackward0", _f_cat, _g_cat, saves="")


def cat(tensors: Any, dim: int = 0, *, out: Tensor | None = None) -> Tensor:
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
        _wrap_dim(dim, 1)
        n = len(ts)
        return with_out(_apply(CAT, tuple(ts), (0, [True] * n, [0] * n), promote=True), out,
                        "cat")
    ref = live[0]
    d = _wrap_dim(dim, ref.ndim)
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
    sizes = [t.shape[d] if k else None for t, k in zip(ts, keep)]
    return with_out(_apply(CAT, tuple(ts), (d, keep, sizes), promote=True), out, "cat")


concat = concatenate = cat


def _f_stack(xp, *arrays_and_params):
    *arrays, dim = arrays_and_params
    return xp.stack(arrays, axis=dim)


def _g_stack(n, g):
    dim = n.params
    return tuple(g.select(dim, i) for i in range(len(n.edges)))


STACK = Op("stack", "StackBackward0", _f_stack, _g_stack, saves="")


def stack(tensors: Any, dim: int = 0, *, out: Tensor | None = None) -> Tensor:
    """Join along a new dim; all shapes equal; dtypes promote."""
    ts = _tensor_list("stack", tensors)
    if not ts:
        raise RuntimeError("stack expects a non-empty TensorList")
    s0 = tuple(ts[0].shape)
    for i, t in enumerate(ts[1:], 1):
        if tuple(t.shape) != s0:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(s0)} "
                               f"at entry 0 and {list(t.shape)} at entry {i}")
    d = _wrap_dim(dim, len(s0) + 1)
    return with_out(_apply(STACK, tuple(ts), d, promote=True), out, "stack")


def atleast_1d(*tensors: Any) -> Any:
    ts = _dims_arg(tensors)
    r = tuple(t.reshape(1) if t.ndim == 0 else t for t in ts)
    return r[0] if len(r) == 1 else r


def atleast_2d(*tensors: Any) -> Any:
    ts = _dims_arg(tensors)
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


def hstack(tensors: Any, *, out: Tensor | None = None) -> Tensor:
    ts = [atleast_1d(t) for t in _tensor_list("hstack", tensors)]
    if not ts:
        raise RuntimeError("hstack expects a non-empty TensorList")
    return cat(ts, 0 if ts[0].ndim == 1 else 1, out=out)


def vstack(tensors: Any, *, out: Tensor | None = None) -> Tensor:
    ts = [atleast_2d(t) for t in _tensor_list("vstack", tensors)]
    if not ts:
        raise RuntimeError("vstack expects a non-empty TensorList")
    return cat(ts, 0, out=out)


def dstack(tensors: Any, *, out: Tensor | None = None) -> Tensor:
    ts = [_atleast_3d(t) for t in _tensor_list("dstack", tensors)]
    if not ts:
        raise RuntimeError("dstack expects a non-empty TensorList")
    return cat(ts, 2, out=out)


# -- flip / roll / repeat / tile -------------------------------------------------------------------

def _f_flip(xp, a, dims):
    return _fresh(xp, xp.flip(a, axis=dims)) if dims else _fresh(xp, a)


FLIP = Op("flip", "FlipBackward0", _f_flip, lambda n, g: (flip(g, n.params),), saves="")


def _wrap_dims_unique(dims: Sequence[int], ndim: int) -> tuple[int, ...]:
    out = []
    for d in dims:
        w = _wrap_dim(d, ndim)
        if w in out:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        out.append(w)
    return tuple(out)


def flip(input: Tensor, dims: Any) -> Tensor:
    """A copy with the order of elements reversed along `dims`."""
    _check_tensor("flip", input, "input", 1)
    if isinstance(dims, int):
        raise TypeError("flip(): argument 'dims' (position 2) must be tuple of ints, not int")
    ds = _wrap_dims_unique(tuple(dims), input.ndim)
    if input.ndim == 0:
        ds = ()
    return _apply(FLIP, (input,), ds)


def fliplr(input: Tensor) -> Tensor:
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input: Tensor) -> Tensor:
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def _f_roll(xp, a, p):
    shifts, dims = p
    if dims is None:
        return xp.roll(a, shifts[0])
    return xp.roll(a, shifts, axis=dims)


def _g_roll(n, g):
    shifts, dims = n.params
    return (roll(g, tuple(-s for s in shifts), dims),)


ROLL = Op("roll", "RollBackward0", _f_roll, _g_roll, saves="")


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    _check_tensor("roll", input, "input", 1)
    sh = (int(shifts),) if isinstance(shifts, int) else tuple(int(s) for s in shifts)
    if dims is None:
        if len(sh) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:0")
        return _apply(ROLL, (input,), (sh, None))
    ds = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(sh) != len(ds):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:"
                           f"{len(ds)}")
    ds = tuple(_wrap_dim(d, input.ndim) for d in ds)
    if input.ndim == 0:
        return _apply(ROLL, (input,), (sh[:1], None))
    return _apply(ROLL, (input,), (sh, ds))


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


REPEAT = Op("repeat", "RepeatBackward0", _f_repeat, _g_repeat, saves="")


def repeat(self: Tensor, *sizes: Any) -> Tensor:
    """x.repeat(*sizes): tile x (sizes may add leading dims)."""
    reps = tuple(int(s) for s in _dims_arg(sizes))
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
    return _apply(REPEAT, (self,), reps)


def tile(input: Tensor, dims: Any) -> Tensor:
    ds = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(ds) < input.ndim:
        ds = (1,) * (input.ndim - len(ds)) + ds
    return repeat(input, ds)


def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """Each element repeated `repeats` times along `dim` (flattened when dim is None)."""
    from .creation import arange

    x = input.reshape(-1) if dim is None else input
    d = 0 if dim is None else _wrap_dim(dim, x.ndim)
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


# -- sort / argsort / topk -------------------------------------------------------------------------

class ReturnTypes(tuple):
    """torch.return_types.sort / topk: a (values, indices) tuple with names."""

    _name = "sort"

    def __new__(cls, values: Tensor, indices: Tensor, name: str = "sort"):
        r = tuple.__new__(cls, (values, indices))
        r.__dict__["_n"] = name
        return r

    @property
    def values(self) -> Tensor:
        return self[0]

    @property
    def indices(self) -> Tensor:
        return self[1]

    def __repr__(self) -> str:
        return (f"torch.return_types.{self.__dict__.get('_n', 'sort')}(\nvalues={self[0]!r},"
                f"\nindices={self[1]!r})")


def _g_permuted(n, g):
    """Gradient of values = take_along(x, perm)[..:k]: put g back where each value came from,
    by gathering with the inverse permutation (no scatter, no duplicates)."""
    dim, inv, k, size = n.params
    if dim is None:  # a 0-d input
        return (g,)
    if k < size:
        from .creation import zeros

        pad_shape = list(g.shape)
        pad_shape[dim] = size - k
        g = cat([g, zeros(*pad_shape, dtype=g._dtype, device=g.device)], dim)
    return (gather(g, dim, inv),)


SORT = Op("sort", "SortBackward0", None, _g_permuted, saves="")
TOPK = Op("topk", "TopkBackward0", None, _g_permuted, saves="")


def _sorted_perm(xp: Any, a: Any, axis: int, descending: bool, stable: bool) -> Any:
    if a.dtype == xp.bool:
        a = xp.astype(a, xp.int8)
    return xp.argsort(a, axis=axis, descending=descending, stable=True)


def _sort_impl(op: Op, input: Tensor, dim: int, descending: bool, k: int | None,
               name: str) -> ReturnTypes:
    st = input._storage
    be = st.backend
    xp = be.xp
    idx_dt = be.dtypes[D.int64]
    if input.ndim == 0:
        values = wrap(_fresh(xp, read(input)), st, input._dtype)
        indices = wrap(xp.zeros((), dtype=idx_dt), st, D.int64)
        if _grad.enabled and input._requires_grad:
            record(op, values, (input,), (None, None, 1, 1))
        return ReturnTypes(values, indices, name)
    d = _wrap_dim(dim, input.ndim)
    a = read(input)
    size = input.shape[d]
    perm = xp.astype(_sorted_perm(xp, a, d, descending, True), idx_dt)
    kk = size if k is None else k
    if kk < size:
        key = (slice(None),) * d + (slice(0, kk),)
        top = _fresh(xp, perm[key])
    else:
        top = perm
    values = wrap(take_along(xp, a, top, d), st, input._dtype)
    indices = wrap(top, st, D.int64)
    if _grad.enabled and input._requires_grad:
        inv = wrap(xp.astype(xp.argsort(perm, axis=d, stable=True), idx_dt), st, D.int64)
        record(op, values, (input,), (d, inv, kk, size))
    return ReturnTypes(values, indices, name)


def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False, *,
         out: Any = None) -> ReturnTypes:
    """(values, indices); always stable (ties keep their order), NaN sorts as the largest."""
    _check_tensor("sort", input, "input", 1)
    return _sort_impl(SORT, input, dim, descending, None, "sort")


def msort(input: Tensor) -> Tensor:
    return sort(input, 0).values


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    _check_tensor("argsort", input, "input", 1)
    st = input._storage
    be = st.backend
    if input.ndim == 0:
        return wrap(be.xp.zeros((), dtype=be.dtypes[D.int64]), st, D.int64)
    d = _wrap_dim(dim, input.ndim)
    perm = _sorted_perm(be.xp, read(input), d, descending, True)
    return wrap(be.xp.astype(perm, be.dtypes[D.int64]), st, D.int64)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True, *,
         out: Any = None) -> ReturnTypes:
    """The k largest (or smallest) along dim, sorted; ties keep their original order."""
    _check_tensor("topk", input, "input", 1)
    size = input.shape[_wrap_dim(dim, input.ndim)] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    return _sort_impl(TOPK, input, dim, largest, k, "topk")


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


_ONEHOT_LIMIT = 1 << 22


def _native_scatter_add(be: Any) -> bool:
    """Whether the adapter overrides `scatter_add` with a native one (NumPy's add.at, CuPy's);
    the base class's one-hot default would cost len(pos) * n here, flattened."""
    from ..adapter import Backend

    fn = getattr(type(be), "scatter_add", None)
    return fn is not None and fn is not Backend.scatter_add


def _flat_scatter_add(be: Any, n: int, pos: Any, vals: Any) -> Any:
    """zeros(n) with vals[i] added at pos[i] (pos, vals 1-D)."""
    xp = be.xp
    if _native_scatter_add(be):
        return be.scatter_add((n,), 0, pos, vals)
    m = pos.shape[0]
    if m * n <= _ONEHOT_LIMIT:
        hit = xp.reshape(pos, (m, 1)) == xp.reshape(xp.arange(n, dtype=pos.dtype), (1, n))
        zero = xp.zeros((), dtype=vals.dtype)
        return xp.sum(xp.where(hit, xp.reshape(vals, (m, 1)), zero), axis=0, dtype=vals.dtype)
    # segment sums over a stable sort; accumulate floats in float64 where the backend has it
    order = xp.argsort(pos, stable=True)
    sp = xp.take(pos, order)
    sv = xp.take(vals, order)
    acc_dt = vals.dtype
    if xp.isdtype(vals.dtype, "real floating") and hasattr(xp, "float64"):
        acc_dt = xp.float64
    cs = xp.cumulative_sum(xp.astype(sv, acc_dt), include_initial=True)
    targets = xp.arange(n, dtype=pos.dtype)
    left = xp.searchsorted(sp, targets, side="left")
    right = xp.searchsorted(sp, targets, side="right")
    return xp.astype(xp.take(cs, right) - xp.take(cs, left), vals.dtype)


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


def _f_scatter_add(xp, a, idx, src, p):
    dim, be = p
    shape = tuple(a.shape)
    n = 1
    for s in shape:
        n *= s
    if idx.ndim == 0 or n == 0 or 0 in tuple(idx.shape):
        return _fresh(xp, a)
    pos = _linear_positions(xp, idx, dim, shape)
    vals = xp.reshape(_corner(xp, src, tuple(idx.shape)), (-1,))
    add = xp.reshape(_flat_scatter_add(be, n, pos, vals), shape)
    return a + add


def _g_scatter_add(n, g):
    dim, _ = n.params
    _, index, _ = n.inputs  # only the index is saved
    ga = g if n.edges[0] is not None else None
    gs = None
    if n.edges[2] is not None:
        gs = _pad_to(gather(g, dim, index), tuple(n.meta[2][0]))
    return ga, None, gs


def _f_scatter(xp, a, idx, src, p):
    dim, _ = p
    shape = tuple(a.shape)
    if idx.ndim == 0 or 0 in shape or 0 in tuple(idx.shape):
        return _fresh(xp, a)
    pos = _linear_positions(xp, idx, dim, shape)
    if hasattr(src, "shape"):
        vals = xp.reshape(_corner(xp, src, tuple(idx.shape)), (-1,))
    else:
        vals = xp.full((pos.shape[0],), src, dtype=a.dtype)
    flat = _flat_scatter_set(xp, xp.reshape(a, (-1,)), pos, vals)
    return xp.reshape(flat, shape)


def _g_scatter(n, g):
    dim, _ = n.params
    _, index, _ = n.inputs  # only the index is saved
    ga = gs = None
    if n.edges[0] is not None:
        ga = scatter(g, dim, index, 0.0)
    if n.edges[2] is not None:  # a tensor src
        gs = _pad_to(gather(g, dim, index), tuple(n.meta[2][0]))
    return ga, None, gs


_INDEX_ONLY = ((1,), (), (1,))
SCATTER_ADD = Op("scatter_add", "ScatterAddBackward0", _f_scatter_add, _g_scatter_add,
                 needs=_INDEX_ONLY)
SCATTER0 = Op("scatter", "ScatterBackward0", _f_scatter, _g_scatter, needs=_INDEX_ONLY)
SCATTER1 = Op("scatter", "ScatterBackward1", _f_scatter, _g_scatter, needs=_INDEX_ONLY)


def _pad_to(t: Tensor, shape: tuple) -> Tensor:
    """t (a corner of `shape`) padded with zeros to `shape`."""
    if tuple(t.shape) == shape:
        return t
    from .creation import zeros

    for d, s in enumerate(shape):
        cur = t.shape[d]
        if cur < s:
            ps = list(t.shape)
            ps[d] = s - cur
            t = cat([t, zeros(*ps, dtype=t._dtype, device=t.device)], d)
    return t


def _scatter_checks(fn: str, input: Tensor, dim: int, index: Tensor, src: Any) -> int:
    _check_tensor(fn, input, "input", 1)
    _check_tensor(fn, index, "index", 3)
    _check_index_dtype("scatter", index)
    n = input.ndim
    d = _wrap_dim(dim, n)
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


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
            reduce: str | None = None) -> Tensor:
    """out-of-place scatter: input with input[...index...] = src (or a number `value`)."""
    if src is None:
        src = value
    if reduce is not None:
        if reduce == "add":
            if not isinstance(src, Tensor):
                from .creation import full_like

                src = full_like(index, src, dtype=input._dtype)
            return scatter_add(input, dim, index, src)
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}"
                           if reduce != "multiply" else
                           "scatter(reduce='multiply') is not supported by agrad")
    d = _scatter_checks("scatter", input, dim, index, src)
    be = input._storage.backend
    if isinstance(src, Tensor):
        if input.ndim == 0:
            return _apply(SCATTER0, (input.reshape(1), index.reshape(-1), src.reshape(-1)),
                          (0, be)).reshape(())
        return _apply(SCATTER0, (input, index, src), (d, be))
    v = src
    if input._dtype.kind <= D.INT and isinstance(v, float):
        v = int(v)
    if input._dtype is D.bool:
        v = bool(v)
    if input.ndim == 0:
        return _apply(SCATTER1, (input.reshape(1), index.reshape(-1), v), (0, be)).reshape(())
    return _apply(SCATTER1, (input, index, v), (d, be))


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """input with src added at the positions index names along dim (duplicates accumulate)."""
    _check_tensor("scatter_add", src, "src", 4)
    d = _scatter_checks("scatter_add", input, dim, index, src)
    be = input._storage.backend
    if input.ndim == 0:
        return _apply(SCATTER_ADD, (input.reshape(1), index.reshape(-1), src.reshape(-1)),
                      (0, be)).reshape(())
    return _apply(SCATTER_ADD, (input, index, src), (d, be))


def _f_gather(xp, a, idx, dim):
    if a.ndim == 0:  # every index is 0
        return _fresh(xp, xp.reshape(a, tuple(idx.shape)))
    corner = tuple(idx.shape[j] if j != dim else a.shape[j] for j in range(a.ndim))
    return take_along(xp, _corner(xp, a, corner), xp.astype(idx, xp.int64), dim)


def _g_gather(n, g):
    dim = n.params
    _, index = n.inputs
    from .creation import zeros

    shape = n.meta[0][0]
    if len(shape) == 0:
        return (g.sum() if g.ndim else g), None
    z = zeros(*shape, dtype=g._dtype, device=g.device)
    return scatter_add(z, dim, index, g), None


# PyTorch saves gather's input too (an in-place write to it after the gather is an error there)
GATHER = Op("gather", "GatherBackward0", _f_gather, _g_gather, needs=((0, 1), ()))


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False,
           out: Tensor | None = None) -> Tensor:
    """out[i][j][k] = input[i][index[i][j][k]][k] (for dim=1); index may be smaller than input
    in the other dims."""
    _check_tensor("gather", input, "input", 1)
    _check_tensor("gather", index, "index", 3)
    _check_index_dtype("gather", index)
    _same_device("gather", input, index)
    n = input.ndim
    d = _wrap_dim(dim, n)
    if index.ndim != n and not (index.ndim <= 1 and n <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    if n == 0:
        _check_bounds(index, 1, 0)
        return with_out(_apply(GATHER, (input, index), 0), out, "gather")
    ish, ssh = tuple(index.shape), tuple(input.shape)
    if index.ndim:
        for j in range(n):
            if j != d and ish[j] > ssh[j]:
                raise RuntimeError(f"Size does not match at dimension {j} expected index "
                                   f"{list(ish)} to be no larger than self {list(ssh)} apart "
                                   f"from dimension {d}")
    _check_bounds(index, ssh[d], d)
    return with_out(_apply(GATHER, (input, index), d), out, "gather")


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None, *,
                   out: Tensor | None = None) -> Tensor:
    """gather after broadcasting input and indices in every dim but `dim` (flat when None)."""
    _check_tensor("take_along_dim", input, "input", 1)
    _check_tensor("take_along_dim", indices, "indices", 2)
    if indices._dtype is not D.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_type_name(indices._dtype)}")
    if dim is None:
        return with_out(gather(input.reshape(-1), 0, indices.reshape(-1)), out, "take_along_dim")
    if input.ndim != indices.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.ndim} dimensions for input, "
                           f"and {indices.ndim} dimensions for indices")
    d = _wrap_dim(dim, input.ndim)
    si, sx = list(indices.shape), list(input.shape)
    si_b, sx_b = si[:], sx[:]
    si_b[d] = sx_b[d] = 1
    b = list(broadcast_shapes(tuple(sx_b), tuple(si_b)))
    bi, bx = b[:], b[:]
    bi[d], bx[d] = si[d], sx[d]
    x = input if tuple(bx) == tuple(sx) else input.expand(*bx)
    i = indices if tuple(bi) == tuple(si) else indices.expand(*bi)
    return with_out(gather(x, d, i), out, "take_along_dim")


def _g_index_select(n, g):
    dim = n.params
    _, index = n.inputs
    from .creation import zeros

    shape = n.meta[0][0]
    if len(shape) == 0:
        return g.reshape(()) if g.numel() == 1 else g.sum(), None
    view = [1] * g.ndim
    view[dim] = index.numel()
    idx = index.reshape(-1).reshape(*view).expand(*g.shape)
    z = zeros(*shape, dtype=g._dtype, device=g.device)
    return scatter_add(z, dim, idx, g), None


def _f_index_select(xp, a, idx, dim):
    if a.ndim == 0:
        return _fresh(xp, xp.reshape(a, (1,) * idx.ndim)) if idx.ndim else _fresh(xp, a)
    return xp.take(a, xp.reshape(xp.astype(idx, xp.int64), (-1,)), axis=dim)


INDEX_SELECT = Op("index_select", "IndexSelectBackward0", _f_index_select, _g_index_select,
                  needs=((1,), ()))


def index_select(input: Tensor, dim: int, index: Tensor, *, out: Tensor | None = None) -> Tensor:
    """input's slices along dim at the positions in the 1-D `index` (repeats allowed)."""
    _check_tensor("index_select", input, "input", 1)
    _check_tensor("index_select", index, "index", 3)
    _same_device("index_select", input, index)
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index._dtype not in (D.int64, D.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    d = _wrap_dim(dim, input.ndim)
    size = input.shape[d] if input.ndim else 1
    be = index._storage.backend
    if not be.lazy and index.numel():
        a = read(index)
        for v in (int(be.xp.min(a)), int(be.xp.max(a))):
            if v < 0 or v >= size:
                raise RuntimeError(f"INDICES element is out of DATA bounds, id={v} "
                                   f"axis_dim={size}")
    return with_out(_apply(INDEX_SELECT, (input, index), d), out, "index_select")


# -- masked_fill -----------------------------------------------------------------------------------

def _f_masked_fill(xp, a, mask, value):
    if not hasattr(value, "shape"):
        value = xp.asarray(value, dtype=a.dtype)
    elif value.dtype != a.dtype:
        value = xp.astype(value, a.dtype)
    return xp.where(mask, value, a)


def _g_masked_fill(n, g):
    from .elementwise import where

    _, mask, _ = n.inputs  # only the mask is saved
    gi = where(mask, 0.0, g) if n.edges[0] is not None else None
    gv = where(mask, g, 0.0).sum() if n.edges[2] is not None else None  # a tensor value
    return gi, None, gv


MASKED_FILL0 = Op("masked_fill", "MaskedFillBackward0", _f_masked_fill, _g_masked_fill,
                  needs=((1,), (), (1,)))
MASKED_FILL1 = Op("masked_fill", "MaskedFillBackward1", _f_masked_fill, _g_masked_fill,
                  needs=((1,), (), (1,)))


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """`value` where mask (bool, broadcastable) is True, input elsewhere; dtype of input."""
    _check_tensor("masked_fill", input, "input", 1)
    _check_tensor("masked_fill", mask, "mask", 2)
    if mask._dtype is not D.bool:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{CPP_NAMES[mask._dtype]}")
    broadcast_shapes(tuple(mask.shape), tuple(input.shape))  # PyTorch's a/b order
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.ndim} dimension(s).")
        _same_device("masked_fill", input, mask, value)
        return _apply(MASKED_FILL1, (input, mask, value))
    _same_device("masked_fill", input, mask)
    v = value
    if input._dtype is D.bool:
        v = bool(v)
    elif input._dtype.kind == D.INT and not isinstance(v, int):
        v = int(v)
    elif input._dtype.kind == D.FLOAT and isinstance(v, complex):
        raise RuntimeError("value cannot be converted to type float without overflow")
    return _apply(MASKED_FILL0, (input, mask, v))


# -- tensor_split, meshgrid, cross -----------------------------------------------------------------

def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Views: `n` near-equal sections (the first size % n one longer), or split before each
    index in a list."""
    _check_tensor("tensor_split", input, "input", 1)
    if input.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = _wrap_dim(dim, input.ndim)
    size = input.shape[d]
    ios = indices_or_sections
    if isinstance(ios, Tensor):
        ios = ios.item() if ios.ndim == 0 else [int(v) for v in ios.tolist()]
    if isinstance(ios, int):
        if ios <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {ios}")
        q, r = divmod(size, ios)
        bounds, start = [], 0
        for i in range(ios):
            ln = q + (1 if i < r else 0)
            bounds.append((start, start + ln))
            start += ln
    else:  # piece i is input[idx[i-1]:idx[i]] with Python's slice rules
        pts = [0] + [int(v) for v in ios] + [size]
        bounds = []
        for a, b in zip(pts[:-1], pts[1:]):
            s, e, _ = slice(a, b).indices(size)
            bounds.append((s, _bmax(e, s)))
    return tuple(input.narrow(d, s, e - s) for s, e in bounds)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    ts = _dims_arg(tensors)
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
    sizes = [t.numel() for t in ts]
    order = list(range(len(ts)))
    if indexing == "xy" and len(ts) >= 2:
        order[0], order[1] = 1, 0
    shape = tuple(sizes[order[k]] for k in range(len(ts)))
    out = []
    for i, t in enumerate(ts):
        pos = order.index(i)
        view = [1] * len(ts)
        view[pos] = sizes[i]
        out.append(t.reshape(*view).expand(*shape))
    return tuple(out)


def _f_cross(xp, a, b, dim):
    def comp(x, i):
        key = (slice(None),) * dim + (slice(i, i + 1), ...)
        return x[key]

    a0, a1, a2 = comp(a, 0), comp(a, 1), comp(a, 2)
    b0, b1, b2 = comp(b, 0), comp(b, 1), comp(b, 2)
    return xp.concat([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=dim)


def _g_cross(n, g):
    a, b = n.inputs
    dim = n.params
    ga = cross(b, g, dim=dim) if n.edges[0] is not None else None
    gb = cross(g, a, dim=dim) if n.edges[1] is not None else None
    return ga, gb


CROSS = Op("cross", "LinalgCrossBackward0", _f_cross, _g_cross, needs=((1,), (0,)))


def cross(input: Tensor, other: Tensor, dim: int | None = None, *,
          out: Tensor | None = None) -> Tensor:
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
        d = _wrap_dim(dim, len(shape))
        shown = dim
    sa = input.shape[d - (len(shape) - input.ndim)] if d - (len(shape) - input.ndim) >= 0 else 1
    sb = other.shape[d - (len(shape) - other.ndim)] if d - (len(shape) - other.ndim) >= 0 else 1
    if sa != 3 or sb != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {shown} must have length 3. Got {sa} "
                           f"and {sb}")
    if input._dtype is not other._dtype:
        raise RuntimeError(f"expected scalar type {_type_name(input._dtype)} but found "
                           f"{_type_name(other._dtype)}")
    x = input if tuple(input.shape) == shape else input.expand(*shape)
    y = other if tuple(other.shape) == shape else other.expand(*shape)
    return with_out(_apply(CROSS, (x, y), d), out, "cross")


# -- Tensor methods --------------------------------------------------------------------------------

def _install() -> None:
    T = Tensor

    def flip_m(self, *dims):
        return flip(self, _dims_arg(dims))

    def roll_m(self, shifts, dims=None):
        return roll(self, shifts, dims)

    def sort_m(self, dim=-1, descending=False, stable=False):
        return sort(self, dim, descending, stable)

    def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
        check_inplace(self)
        return commit_inplace(self, scatter(self, dim, index, src, value=value, reduce=reduce),
                              "scatter")

    def scatter_add_(self, dim, index, src):
        check_inplace(self)
        return commit_inplace(self, scatter_add(self, dim, index, src), "scatter_add")

    def masked_fill_(self, mask, value):
        check_inplace(self)
        return commit_inplace(self, masked_fill(self, mask, value), "masked_fill")

    def index_fill_(self, dim, index, value):
        check_inplace(self)
        return commit_inplace(self, _index_fill(self, dim, index, value), "index_fill")

    T.flip = flip_m
    T.roll = roll_m
    T.sort = sort_m
    T.repeat = repeat
    T.scatter_, T.scatter_add_, T.masked_fill_, T.index_fill_ = (
        scatter_, scatter_add_, masked_fill_, index_fill_)
    T.index_fill = _index_fill
    for name in ("fliplr", "flipud", "tile", "argsort", "topk", "gather", "scatter",
                 "scatter_add", "index_select", "masked_fill", "take_along_dim", "tensor_split",
                 "cross", "repeat_interleave", "msort"):
        setattr(T, name, globals()[name])


def _index_fill(self: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """self with the slices at `index` along dim set to value."""
    from .creation import arange

    d = _wrap_dim(dim, self.ndim)
    n = self.shape[d] if self.ndim else 1
    hit = (arange(n, device=self.device).reshape(-1, 1) == index.reshape(1, -1)).any(1)
    view = [1] * self.ndim
    if self.ndim:
        view[d] = n
    return masked_fill(self, hit.reshape(*view) if self.ndim else hit.reshape(()), value)


_install()
