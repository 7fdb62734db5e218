"""PyTorch's index_* family beside index_select: `index_add`, `index_copy`, `index_fill` (each a
function, a method, an in-place method and `out=`), one row each with PyTorch's argument checks
(in PyTorch's order, with its messages), grad_fn names and derivatives.

Each writes whole slices of `input` along `dim` at the positions a 1-D (or 0-d) `index` names:
`index_add` adds `alpha * source`'s slices (repeated positions accumulate: the backend's
scatter-add), `index_copy` copies them (repeated positions: the last write wins, as on PyTorch's
CPU), `index_fill` sets them to a value. Index bounds are checked on eager backends only (on a
lazy one a check would force a computation; out-of-range indices there are undefined).
"""

from __future__ import annotations

from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from ._args import Number, wrap_dim
from ._args import same_device as _same_device
from ._args import tensor as _check_tensor
from ._dispatch import read
from ._op import Op
from .shape_ops import _flat_scatter_set, _fresh, _linear_positions

# the C++ type PyTorch's "value cannot be converted to type ... without overflow" names
_SCALAR_TYPE = {D.float16: "c10::Half", D.float32: "float", D.float64: "double",
                D.int64: "int64_t", D.int32: "int", D.int16: "int16_t", D.int8: "int8_t",
                D.uint8: "uint8_t"}


def _scalar_for(x: Tensor, value: Any, fn: str) -> Any:
    """A Python number (or 0-d tensor given as a Scalar) converted as PyTorch converts a Scalar
    argument to x's dtype: truncated for integers, refused when complex for a real x."""
    if isinstance(value, Tensor):
        value = value.item()
    dt = x._dtype
    if dt is D.bool:
        return bool(value)
    if isinstance(value, complex) and dt.category != D.COMPLEX:
        if fn == "index_fill":
            raise RuntimeError("index_fill_(): Converting complex Scalar to non-complex type is "
                               "not supported")
        raise RuntimeError(f"value cannot be converted to type {_SCALAR_TYPE[dt]} without "
                           f"overflow")
    if dt.category == D.INT:  # truncated; unsigned types wrap a negative value (uint8: -1 is 255)
        v = int(value)
        return v if dt.is_signed else v % (1 << (8 * dt.itemsize))
    return value


def _out_of_bounds(index: Tensor, size: int, negative_ok: bool) -> int | None:
    """The first index (in order) outside [0, size) (or [-size, size)), None if all are in;
    skipped on lazy backends."""
    be = index._storage.backend
    if be.lazy or index.numel() == 0:
        return None
    xp = be.xp
    a = xp.reshape(read(index), (-1,))
    low = -size if negative_ok else 0
    bad = xp.logical_or(a < low, a >= size)
    if not bool(xp.any(bad)):
        return None
    return int(a[int(xp.argmax(xp.astype(bad, xp.int8)))])


def _slices(x: Tensor) -> tuple[int, ...]:
    """x's shape, a 0-d tensor read as one element."""
    return tuple(x.shape) if x.ndim else (1,)


def _index_1d(xp: Any, idx: Any, n: int, wrap: bool = False) -> Any:
    """The index as a 1-D int64 array (negative positions counted from the end if `wrap`)."""
    idx = xp.reshape(xp.astype(idx, xp.int64), (-1,))
    return xp.where(idx < 0, idx + n, idx) if wrap else idx


def _select_slices(g: Tensor, dim: int, index: Tensor, source_shape: tuple) -> Tensor:
    """g's slices at index along dim, shaped as the source they came from (a 0-d source: one
    element)."""
    if not source_shape:
        return g.reshape(-1).index_select(0, index.reshape(-1)).reshape(())
    return g.index_select(dim, index.reshape(-1))


# -- index_add ------------------------------------------------------------------------------------

def _index_add_args(input: Tensor, dim: int, index: Tensor, source: Tensor, *,  # noqa: A002
                    alpha: Number = 1) -> tuple:
    """input with alpha * source's slices added at the positions index names along dim."""
    _check_tensor("index_add", input, "input", 1)
    _check_tensor("index_add", index, "index", 3)
    _check_tensor("index_add", source, "source", 4)
    d = wrap_dim(dim, input.ndim)
    if index.ndim > 1:
        raise IndexError(f"index_add_(): Index is supposed to be a vector, but got dim: "
                         f"{index.ndim} with type: {index._dtype.legacy} and size: "
                         f"{list(index.shape)}")
    if index._dtype not in (D.int64, D.int32):
        raise RuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: "
                           f"{index._dtype.legacy}")
    if source._dtype is not input._dtype:
        raise RuntimeError(f"index_add_(): self ({input._dtype.legacy}) and source "
                           f"({source._dtype.legacy}) must have the same scalar type")
    _same_device("index_add", input, index, source)
    n = index.numel()
    if source.ndim == 0 and n != 1:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if source.ndim and n != source.shape[d]:
        raise RuntimeError(f"index_add_(): Number of indices ({n}) should be equal to "
                           f"source.size(dim): ({source.shape[d]}), for dim: {d}")
    ss, xs = tuple(source.shape), tuple(input.shape)
    if len(ss) != len(xs) or any(a != b for i, (a, b) in enumerate(zip(xs, ss)) if i != d):
        raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(xs)} source.shape = "
                           f"{list(ss)}")
    if input.numel() and n:
        size = _slices(input)[d]
        bad = _out_of_bounds(index, size, False)
        if bad is not None:
            if input.ndim > 1 and d in (0, input.ndim - 1):
                raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size "
                                   f"{size}")
            raise IndexError("index out of range in self")
    a = _scalar_for(input, alpha, "index_add")
    return (input, index, source), (d, a, input._storage.backend, source.ndim)


def _f_index_add(xp: Any, a: Any, idx: Any, src: Any, p: tuple) -> Any:
    dim, alpha, be, _ = p
    shape = tuple(a.shape)
    if not shape:
        return xp.reshape(_f_index_add(xp, xp.reshape(a, (1,)), idx, xp.reshape(src, (1,)),
                                       (0, alpha, be, 1)), ())
    if 0 in shape or 0 in tuple(src.shape):
        return _fresh(xp, a)
    idx = _index_1d(xp, idx, shape[dim])
    if xp.isdtype(a.dtype, "bool"):  # PyTorch's bool add is `or` (alpha: a bool too)
        if not alpha:
            return _fresh(xp, a)
        hits = be.scatter_add(shape, dim, idx, xp.astype(src, xp.int64))
        return xp.logical_or(a, hits != 0)
    added = be.scatter_add(shape, dim, idx, src)
    return a + added if alpha == 1 else a + added * alpha


def _g_index_add(n: Any, g: Tensor) -> tuple:
    dim, alpha, _, _ = n.params
    _, index, _ = n.inputs
    gs = None
    if n.edges[2] is not None:
        gs = _select_slices(g, dim, index, n.shape(2))
        if alpha != 1:  # not conjugated for a complex alpha: PyTorch's formula as it is
            gs = gs * alpha
    return (g if n.edges[0] is not None else None), None, gs


# PyTorch saves the index and the source (its derivative reads source.dim()); the gradient of
# input is the incoming one
Op("index_add", _index_add_args, forward=_f_index_add, backward=_g_index_add, promote=(0,),
   needs=((), (), (1, 2)), inplace=True, out=True,
   saved_params=lambda p: {"dim": p[0], "alpha": p[1], "source_dim": p[3]})


# -- index_copy -----------------------------------------------------------------------------------

def _index_copy_args(input: Tensor, dim: int, index: Tensor, source: Tensor) -> tuple:  # noqa: A002
    """input with its slices at the positions index names along dim replaced by source's."""
    _check_tensor("index_copy", input, "input", 1)
    _check_tensor("index_copy", index, "index", 3)
    _check_tensor("index_copy", source, "source", 4)
    d = wrap_dim(dim, input.ndim)
    if index.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {index.ndim})")
    if index._dtype is not D.int64:
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got "
                           f"{index._dtype.legacy}")
    if source._dtype is not input._dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but "
                           f"got (self) {input._dtype.legacy} and (source) "
                           f"{source._dtype.legacy}")
    _same_device("index_copy", input, index, source)
    n = index.numel()
    if source.ndim == 0:
        if n != 1:
            raise IndexError(f"index_copy_(): When source is scalar, index should have one "
                             f"element (got {n})")
    elif input.ndim and source.ndim != input.ndim:
        raise IndexError(f"index_copy_(): When source and destination are not scalars, their "
                         f"dimensionality must match. Source dimensionality ({source.ndim}), "
                         f"destination dimensionality ({input.ndim})")
    xs = [s for i, s in enumerate(input.shape) if i != d]
    ss = [s for i, s in enumerate(source.shape) if i != d]
    if xs != ss and source.ndim:
        raise RuntimeError(f"index_copy_(): Source/destination tensor must have same slice "
                           f"shapes. Destination slice shape: {' '.join(map(str, xs))} at "
                           f"dimension {d} and source slice shape: {' '.join(map(str, ss))} at "
                           f"dimension 0.")
    if source.ndim and n != source.shape[d]:
        raise IndexError(f"index_copy_(): Number of indices ({n}) should be equal to "
                         f"source.size(dim) ({source.shape[d]})")
    size = _slices(input)[d]
    bad = _out_of_bounds(index, size, False)
    if bad is not None:
        raise IndexError(f"index_copy_(): index {bad} is out of bounds for dimension {d} with "
                         f"size {size}")
    return (input, index, source), (d, source.ndim)


def _f_index_copy(xp: Any, a: Any, idx: Any, src: Any, p: tuple) -> Any:
    dim = p[0]
    shape = tuple(a.shape)
    if not shape:
        return _fresh(xp, xp.reshape(src, ()))
    if 0 in shape or 0 in tuple(idx.shape):
        return _fresh(xp, a)
    idx = _index_1d(xp, idx, shape[dim])
    if src.ndim == 0:
        src = xp.reshape(src, tuple(1 if i == dim else s for i, s in enumerate(shape)))
    view = tuple(idx.shape[0] if i == dim else 1 for i in range(len(shape)))
    full = xp.broadcast_to(xp.reshape(idx, view), tuple(src.shape))
    pos = _linear_positions(xp, full, dim, shape)
    flat = _flat_scatter_set(xp, xp.reshape(a, (-1,)), pos, xp.reshape(src, (-1,)))
    return xp.reshape(flat, shape)


def _g_index_copy(n: Any, g: Tensor) -> tuple:
    dim = n.params[0]
    _, index, _ = n.inputs
    gi = g.index_fill(dim, index, 0) if n.edges[0] is not None else None
    gs = _select_slices(g, dim, index, n.shape(2)) if n.edges[2] is not None else None
    return gi, None, gs


Op("index_copy", _index_copy_args, forward=_f_index_copy, backward=_g_index_copy, promote=(0,),
   needs=((1,), (), (1, 2)), inplace=True, out=True,
   saved_params=lambda p: {"dim": p[0], "source_dim": p[1]})


# -- index_fill -----------------------------------------------------------------------------------

def _index_fill_args(input: Tensor, dim: int, index: Tensor,  # noqa: A002
                     value: Tensor | Number) -> tuple:
    """input with its slices at the positions index names along dim (negative ones counted from
    the end) set to value (a number or a 0-d tensor)."""
    _check_tensor("index_fill", input, "input", 1)
    _check_tensor("index_fill", index, "index", 3)
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.ndim} dimension(s).")
    elif not isinstance(value, (int, float, bool, complex)):
        raise TypeError(f"index_fill(): argument 'value' must be Tensor or Number, not "
                        f"{type(value).__name__}")
    if index._dtype is not D.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if (value._dtype.category == D.COMPLEX if isinstance(value, Tensor) else
            isinstance(value, complex)) and input._dtype.category != D.COMPLEX:
        raise RuntimeError("index_fill_(): Converting complex Scalar to non-complex type is not "
                           "supported")
    d = wrap_dim(dim, input.ndim)
    if index.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    _same_device("index_fill", input, index)
    size = _slices(input)[d]
    bad = _out_of_bounds(index, size, True)
    if bad is not None:
        raise IndexError(f"index {bad} is out of bounds for dimension {d} with size {size}")
    if not isinstance(value, Tensor):
        value = _scalar_for(input, value, "index_fill")
    return (input, index, value), (d, input._storage.backend)


def _f_index_fill(xp: Any, a: Any, idx: Any, value: Any, p: tuple) -> Any:
    dim, be = p
    shape = tuple(a.shape)
    n = shape[dim] if shape else 1
    value = xp.asarray(value, dtype=a.dtype) if not hasattr(value, "shape") else \
        xp.astype(value, a.dtype)
    if 0 in tuple(idx.shape) or n == 0:
        return _fresh(xp, a)
    idx = _index_1d(xp, idx, n, wrap=True)
    hit = be.scatter_add((n,), 0, idx, xp.ones(idx.shape, dtype=xp.int64)) != 0
    mask = xp.reshape(hit, tuple(n if i == dim else 1 for i in range(len(shape))))
    return xp.where(mask, value, a)


def _g_index_fill(n: Any, g: Tensor) -> tuple:
    dim = n.params[0]
    _, index, _ = n.inputs
    kept = g.index_fill(dim, index, 0)
    gi = kept if n.edges[0] is not None else None
    gv = (g - kept).sum() if n.edges[2] is not None else None  # the filled elements' sum
    return gi, None, gv


Op("index_fill", _index_fill_args, forward=_f_index_fill, backward=_g_index_fill,
   promote=(0,), needs=((1,), (), (1,)), inplace=True, overlap="index_fill_",
   saved_params=lambda p: {"dim": p[0]},
   grad_fn=lambda inputs, p: "IndexFillBackward1" if isinstance(inputs[2], Tensor) else
   "IndexFillBackward0")
