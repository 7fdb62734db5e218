"""The Array API face of the op table: the rows of the namespaces "agrad.array_api",
"agrad.array_api.linalg" and "agrad.array_api.fft" (the module `agrad.array_api` exports them,
with the unary rows whose `array_api` spelling is set).

Every row here is a thin adapter onto agrad's own rows, so the namespace computes nothing of
its own and records the same graph (gradients and grad_fn names are PyTorch's). What an adapter
does is the standard's semantics where PyTorch's differ:

- the standard's signatures and names (`axis`, `keepdims`, `shape`, `stop`, `num`, `copy=` ...);
- the standard's type promotion: arrays promote alike whatever their rank (PyTorch lets a 0-d
  tensor only promote across kinds), so `_promoted` casts the operands to the standard's result
  dtype (a recorded cast, ToCopyBackward0) before the row runs; a Python scalar of a higher kind
  than the arrays (which the standard leaves undefined) follows PyTorch;
- the standard's results: `axis=()` reduces nothing, sums of unsigned integers stay unsigned,
  `equal` is elementwise, `sort` returns the values only, set functions return the standard's
  named tuples, `squeeze` of a dimension that is not 1 is a ValueError.

The one row that computes here (`searchsorted`) has no PyTorch counterpart of the same meaning
and no gradient; `unique_*` read PyTorch's unique kernel (`agrad.ops.unique`).
"""

from __future__ import annotations

import builtins
from collections import namedtuple
from collections.abc import Sequence
from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from ..adapter import exact_dtype
from ..device import device as Device
from . import creation as C
from . import decompositions as LA
from . import elementwise as E
from . import fft as F
from ._dispatch import broadcast_shapes, call
from ._op import Op, from_result
from .linalg import MATMUL
from .reduction import AMAX, AMIN, MEAN, PROD, STD, SUM, VAR, VECTOR_NORM
from .shape_ops import CAT, INDEX_SELECT, STACK
from .shape_ops import meshgrid as _meshgrid
from .unique import uniques

NS = "agrad.array_api"
NS_LINALG = "agrad.array_api.linalg"
NS_FFT = "agrad.array_api.fft"
Array = Tensor
Scalar = int | float | complex | bool


def _row(namespace: str = NS) -> Any:
    """Declare the decorated function as a composite row of `namespace`, under its name."""
    def declare(fn: Any) -> Any:
        name = fn.__name__.rstrip("_")
        fn.__name__ = fn.__qualname__ = name
        fn.__module__ = namespace
        Op(name, fn, impl=fn, method=False, namespace=namespace)
        return fn
    return declare


# -- the standard's promotion ---------------------------------------------------------------------

def result_dtype(*xs: Any) -> D.dtype:
    """The standard's result dtype of arrays (any rank), dtypes and Python scalars."""
    dt = None
    for x in xs:
        d = x._dtype if isinstance(x, Tensor) else x if isinstance(x, D.dtype) else None
        if d is not None:
            try:
                dt = d if dt is None else D.promote_types(dt, d)
            except RuntimeError as e:  # the standard leaves it undefined; TypeError as NumPy's
                raise TypeError(str(e)) from None
    if dt is None:
        raise TypeError("at least one array or dtype is required")
    for x in xs:
        if x is not None and not isinstance(x, (Tensor, D.dtype)):
            s = D.scalar_dtype(x)
            if s.category > dt.category:
                dt = D.result_type_key(((dt, 2), (s, 0)))
    return dt


def _promoted(*xs: Any) -> tuple:
    dt = result_dtype(*xs)
    return tuple(x.to(dt) if isinstance(x, Tensor) and x._dtype is not dt else x for x in xs)


def _binary(name: str, row: Op) -> None:
    def fn(x1: Array | Scalar, x2: Array | Scalar, /) -> Array:
        return call(row, _promoted(x1, x2))
    fn.__name__ = name
    fn.__doc__ = f"The standard's `{name}`: agrad's `{row.name}` row on the operands promoted " \
                 f"as the standard promotes them."
    _row()(fn)


for _name, _r in (("add", E.ADD), ("subtract", E.SUB), ("multiply", E.MUL),
                  ("divide", E.TRUE_DIVIDE), ("floor_divide", E.FLOOR_DIVIDE),
                  ("remainder", E.REMAINDER), ("pow", E.POW), ("atan2", E.ATAN2),
                  ("hypot", E.HYPOT), ("logaddexp", E.LOGADDEXP), ("maximum", E.MAXIMUM),
                  ("minimum", E.MINIMUM), ("copysign", E.COPYSIGN), ("nextafter", E.NEXTAFTER),
                  ("bitwise_and", E.BITWISE_AND), ("bitwise_or", E.BITWISE_OR),
                  ("bitwise_xor", E.BITWISE_XOR), ("bitwise_left_shift", E.BITWISE_LEFT_SHIFT),
                  ("bitwise_right_shift", E.BITWISE_RIGHT_SHIFT),
                  ("logical_and", E.LOGICAL_AND), ("logical_or", E.LOGICAL_OR),
                  ("logical_xor", E.LOGICAL_XOR), ("equal", E.EQ), ("not_equal", E.NE),
                  ("less", E.LT), ("less_equal", E.LE), ("greater", E.GT),
                  ("greater_equal", E.GE)):
    _binary(_name, _r)


# -- elementwise functions that differ ------------------------------------------------------------

@_row()
def bitwise_invert(x: Array, /) -> Array:
    return ~x


@_row()
def sign(x: Array, /) -> Array:
    """PyTorch's sgn (x / |x| for complex), except that the sign of NaN is NaN (PyTorch: 0)."""
    s = x.sgn()
    return s.where(~x.isnan(), x) if x._dtype.category >= D.FLOAT else s


@_row()
def positive(x: Array, /) -> Array:
    return x.clone()


@_row()
def round_(x: Array, /) -> Array:
    return call(E.ROUND0, (x,))


@_row()
def conj(x: Array, /) -> Array:
    return x.conj() if x._dtype.category == D.COMPLEX else x.clone()


@_row()
def real(x: Array, /) -> Array:
    return x.real if x._dtype.category == D.COMPLEX else x.clone()


@_row()
def imag(x: Array, /) -> Array:
    return x.imag if x._dtype.category == D.COMPLEX else x.new_zeros(tuple(x.shape))


@_row()
def clip(x: Array, /, min: Array | Scalar | None = None,  # noqa: A002 - the standard's names
         max: Array | Scalar | None = None) -> Array:  # noqa: A002
    """x limited to [min, max]; the result keeps x's dtype. With an array bound it is
    PyTorch's clamp of tensors (where x equals a bound, x's gradient is all of it, as
    clamp's, not the half that maximum's tie gives)."""
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        lo, hi = (None if b is None else b.to(x._dtype) if isinstance(b, Tensor) else
                  x.new_full((), b) for b in (min, max))
        return call(E.CLAMP_TENSOR, (x, lo, hi))
    r = x
    for bound, row in ((min, E.MAXIMUM), (max, E.MINIMUM)):
        if bound is None:
            continue
        if x._dtype.category < D.FLOAT:
            r = call(row, (r, x.new_full((), bound)))
        else:
            r = call(E.CLAMP_SCALAR, (r,), (bound, None) if row is E.MAXIMUM else (None, bound))
    return r if r is not x else x.clone()


@_row()
def where(condition: Array, x1: Array | Scalar, x2: Array | Scalar, /) -> Array:
    a, b = _promoted(x1, x2)
    broadcast_shapes(tuple(condition.shape), *(tuple(t.shape) for t in (a, b)
                                                  if isinstance(t, Tensor)))
    return call(E.WHERE, (condition, a, b))


# -- reductions -----------------------------------------------------------------------------------

def _axes(x: Array, axis: int | tuple[int, ...] | None) -> tuple[int, ...] | None:
    """None: all dims; a tuple (possibly empty: no dims) otherwise."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    from ._args import unique_dims

    return unique_dims(axes, x.ndim) if x.ndim else tuple(axes)


def _sum_dtype(x: Array, dtype: Any) -> D.dtype | None:
    """The standard's accumulator: the default (un)signed integer for integers, else x's."""
    if dtype is not None:
        return D.get(dtype)
    if x._dtype.category <= D.INT:
        return D.uint64 if x._dtype.category == D.INT and not x._dtype.is_signed else D.int64
    return None


def _identity(x: Array, dtype: D.dtype | None = None) -> Array:
    return x.to(dtype) if dtype is not None and dtype is not x._dtype else x.clone()


@_row()
def sum(x: Array, /, *, axis: int | tuple[int, ...] | None = None,  # noqa: A001
        dtype: Any = None, keepdims: bool = False) -> Array:
    dt = _sum_dtype(x, dtype)
    axes = _axes(x, axis)
    if axes == ():
        return _identity(x, dt)
    return call(SUM, (x,), (axes if x.ndim else None, keepdims, dt))


@_row()
def prod(x: Array, /, *, axis: int | tuple[int, ...] | None = None,
         dtype: Any = None, keepdims: bool = False) -> Array:
    dt = _sum_dtype(x, dtype)
    axes = _axes(x, axis)
    if axes == ():
        return _identity(x, dt)
    if axes is None or not x.ndim or len(axes) == x.ndim:
        r = call(PROD, (x,), (None, False, dt))
        return r.reshape((1,) * x.ndim) if keepdims else r
    r = x if dt is None else x.to(dt)
    for a in sorted(axes, reverse=True):
        r = call(PROD, (r,), ((a,), True, None))
    return r if keepdims else r.squeeze(axes)


@_row()
def mean(x: Array, /, *, axis: int | tuple[int, ...] | None = None,
         keepdims: bool = False) -> Array:
    axes = _axes(x, axis)
    if axes == ():
        return x.clone()
    return call(MEAN, (x,), (axes if x.ndim else None, keepdims))


def _extreme(row: Op, x: Array, axis: Any, keepdims: bool) -> Array:
    axes = _axes(x, axis)
    if axes == ():
        return x.clone()
    return call(row, (x,), (axes if x.ndim else None, keepdims))


@_row()
def max(x: Array, /, *, axis: int | tuple[int, ...] | None = None,  # noqa: A001
        keepdims: bool = False) -> Array:
    return _extreme(AMAX, x, axis, keepdims)


@_row()
def min(x: Array, /, *, axis: int | tuple[int, ...] | None = None,  # noqa: A001
        keepdims: bool = False) -> Array:
    return _extreme(AMIN, x, axis, keepdims)


def _spread(row: Op, x: Array, axis: Any, correction: int | float, keepdims: bool) -> Array:
    axes = _axes(x, axis)
    if axes == ():  # nothing reduced: each element a sample of one, over a new axis of size 1
        x, axes, keepdims = x.unsqueeze(-1), (x.ndim,), False
    return call(row, (x,), (axes if x.ndim else None, keepdims, float(correction)))


@_row()
def var(x: Array, /, *, axis: int | tuple[int, ...] | None = None,
        correction: int | float = 0.0, keepdims: bool = False) -> Array:
    return _spread(VAR, x, axis, correction, keepdims)


@_row()
def std(x: Array, /, *, axis: int | tuple[int, ...] | None = None,
        correction: int | float = 0.0, keepdims: bool = False) -> Array:
    """PyTorch's std row (its gradient is zero where the deviation is, as PyTorch's), not
    var's square root (whose gradient there is nan)."""
    return _spread(STD, x, axis, correction, keepdims)


def _scan(x: Array, axis: int | None, dtype: Any, include_initial: bool, name: str) -> Array:
    if axis is None:
        if x.ndim > 1:
            raise ValueError(f"{name}: axis must be given for an array of more than one "
                             f"dimension")
        axis = 0
    dt = _sum_dtype(x, dtype)
    if x.ndim == 0:
        raise ValueError(f"{name}: x must have at least one dimension")
    r = x.cumsum(axis, dtype=dt) if name == "cumulative_sum" else x.cumprod(axis, dtype=dt)
    if include_initial:
        shape = list(r.shape)
        shape[axis] = 1
        first = r.new_zeros(tuple(shape)) if name == "cumulative_sum" else r.new_ones(tuple(shape))
        r = call(CAT, (first, r), (axis % x.ndim, [True, True], [1, x.shape[axis]]))
    return r


@_row()
def cumulative_sum(x: Array, /, *, axis: int | None = None, dtype: Any = None,
                   include_initial: bool = False) -> Array:
    return _scan(x, axis, dtype, include_initial, "cumulative_sum")


@_row()
def cumulative_prod(x: Array, /, *, axis: int | None = None, dtype: Any = None,
                    include_initial: bool = False) -> Array:
    return _scan(x, axis, dtype, include_initial, "cumulative_prod")


def _truth(x: Array) -> Array:
    return x if x._dtype is D.bool else x != 0


@_row()
def all(x: Array, /, *, axis: int | tuple[int, ...] | None = None,  # noqa: A001
        keepdims: bool = False) -> Array:
    axes = _axes(x, axis)
    return _truth(x).clone() if axes == () else _truth(x).all(axes, keepdims)


@_row()
def any(x: Array, /, *, axis: int | tuple[int, ...] | None = None,  # noqa: A001
        keepdims: bool = False) -> Array:
    axes = _axes(x, axis)
    return _truth(x).clone() if axes == () else _truth(x).any(axes, keepdims)


@_row()
def count_nonzero(x: Array, /, *, axis: int | tuple[int, ...] | None = None,
                  keepdims: bool = False) -> Array:
    axes = _axes(x, axis)
    t = _truth(x)
    return t.to(D.int64) if axes == () else t.sum(axes, keepdims)


@_row()
def argmax(x: Array, /, *, axis: int | None = None, keepdims: bool = False) -> Array:
    return x.argmax(axis, keepdims)


@_row()
def argmin(x: Array, /, *, axis: int | None = None, keepdims: bool = False) -> Array:
    return x.argmin(axis, keepdims)


@_row()
def diff(x: Array, /, *, axis: int = -1, n: int = 1, prepend: Array | None = None,
         append: Array | None = None) -> Array:
    """The n-th differences along axis, with prepend/append joined first."""
    parts = [p for p in (prepend, x, append) if p is not None]
    if len(parts) > 1:
        x = concat(parts, axis=axis)
    for _ in range(n):
        length = x.shape[axis]
        x = x.narrow(axis, 1, length - 1) - x.narrow(axis, 0, length - 1)
    return x


# -- manipulation ---------------------------------------------------------------------------------

@_row()
def broadcast_arrays(*arrays: Array) -> list[Array]:
    shape = broadcast_shapes(*(tuple(a.shape) for a in arrays))
    return [a if tuple(a.shape) == shape else a.expand(shape) for a in arrays]


@_row()
def broadcast_to(x: Array, /, shape: tuple[int, ...]) -> Array:
    return x.broadcast_to(tuple(shape))


@_row()
def concat(arrays: Sequence[Array], /, *, axis: int | None = 0) -> Array:
    arrays = _promoted(*arrays)
    if axis is None:
        arrays, axis = tuple(a.reshape(-1) for a in arrays), 0
    args = CAT.args(list(arrays), axis)
    return call(CAT, *args)


@_row()
def stack(arrays: Sequence[Array], /, *, axis: int = 0) -> Array:
    return call(STACK, *STACK.args(list(_promoted(*arrays)), axis))


@_row()
def expand_dims(x: Array, /, axis: int | tuple[int, ...] = 0) -> Array:
    if isinstance(axis, int):
        return x.unsqueeze(axis)
    n = x.ndim + len(axis)
    out = x
    for a in sorted(d % n if -n <= d < n else d for d in axis):
        if not 0 <= a < n:
            raise IndexError(f"axis {a} is out of bounds for an array of {n} dimensions")
        out = out.unsqueeze(a)
    return out


@_row()
def flip(x: Array, /, *, axis: int | tuple[int, ...] | None = None) -> Array:
    axes = tuple(range(x.ndim)) if axis is None else (axis,) if isinstance(axis, int) else axis
    return x.flip(tuple(axes))


@_row()
def moveaxis(x: Array, source: int | tuple[int, ...], destination: int | tuple[int, ...],
             /) -> Array:
    return x.movedim(source, destination)


@_row()
def permute_dims(x: Array, /, axes: tuple[int, ...]) -> Array:
    return x.permute(tuple(axes))


@_row()
def repeat(x: Array, repeats: int | Array, /, *, axis: int | None = None) -> Array:
    return x.repeat_interleave(repeats, axis)


@_row()
def reshape(x: Array, /, shape: tuple[int, ...], *, copy: bool | None = None) -> Array:
    if copy is False:
        try:
            return x.view(tuple(shape))
        except RuntimeError:
            raise ValueError("reshape(copy=False): the new shape needs a copy") from None
    r = x.reshape(tuple(shape))
    return r.clone() if copy and r._storage is x._storage else r


@_row()
def roll(x: Array, /, shift: int | tuple[int, ...], *,
         axis: int | tuple[int, ...] | None = None) -> Array:
    if axis is None:
        return x.reshape(-1).roll(shift if isinstance(shift, int) else shift[0]).reshape(
            tuple(x.shape))
    return x.roll(shift, axis)


@_row()
def squeeze(x: Array, /, axis: int | tuple[int, ...]) -> Array:
    axes = _axes(x, axis)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} has size {x.shape[a]}, not 1")
    return x.squeeze(axes) if axes else x


@_row()
def tile(x: Array, repetitions: tuple[int, ...], /) -> Array:
    return x.tile(tuple(repetitions))


@_row()
def unstack(x: Array, /, *, axis: int = 0) -> tuple[Array, ...]:
    return x.unbind(axis)


@_row()
def matrix_transpose(x: Array, /) -> Array:
    if x.ndim < 2:
        raise ValueError("matrix_transpose needs an array of at least two dimensions")
    return x.mT


# -- indexing, searching, sorting, sets -----------------------------------------------------------

def _wrapped(indices: Array, size: int) -> Array:
    """int64 indices with negative ones counted from the end (the standard allows them)."""
    idx = indices if indices._dtype is D.int64 else indices.to(D.int64)
    return idx.where(idx >= 0, idx + size)


@_row()
def take(x: Array, indices: Array, /, *, axis: int | None = None) -> Array:
    if axis is None:
        if x.ndim != 1:
            raise ValueError("take: axis must be given for an array of more than one dimension")
        axis = 0
    return call(INDEX_SELECT, *INDEX_SELECT.args(x, axis, _wrapped(indices, x.shape[axis])))


@_row()
def take_along_axis(x: Array, indices: Array, /, *, axis: int = -1) -> Array:
    return x.take_along_dim(_wrapped(indices, x.shape[axis]), axis)


@_row()
def nonzero(x: Array, /) -> tuple[Array, ...]:
    if x.ndim == 0:
        raise ValueError("nonzero needs an array of at least one dimension")
    return x.nonzero(as_tuple=True)


@_row()
def argsort(x: Array, /, *, axis: int = -1, descending: bool = False,
            stable: bool = True) -> Array:
    return x.argsort(axis, descending)


@_row()
def sort(x: Array, /, *, axis: int = -1, descending: bool = False,
         stable: bool = True) -> Array:
    return x.sort(axis, descending).values


SEARCHSORTED = Op("searchsorted.kernel", lambda a, v, sorter, side: ((a, v, sorter), side),
                  forward=lambda xp, a, v, sorter, side: xp.astype(  # (int64 or refused)
                      xp.searchsorted(a, v, side=side, sorter=sorter), exact_dtype(xp, "int64")),
                  promote=(0, 1), dtype=from_result, function=False, method=False, namespace=NS)


@_row()
def searchsorted(x1: Array, x2: Array | Scalar, /, *, side: str = "left",
                 sorter: Array | None = None) -> Array:
    """Where x2's values would be inserted into the sorted 1-D x1 (not differentiable)."""
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    if x1.ndim != 1:
        raise ValueError("searchsorted: x1 must be one-dimensional")
    x2 = x2 if isinstance(x2, Tensor) else x1.new_full((), x2)
    return call(SEARCHSORTED, (*_promoted(x1, x2), sorter), side)


_UniqueAll = namedtuple("UniqueAllResult", ["values", "indices", "inverse_indices", "counts"])
_UniqueCounts = namedtuple("UniqueCountsResult", ["values", "counts"])
_UniqueInverse = namedtuple("UniqueInverseResult", ["values", "inverse_indices"])


@_row()
def unique_all(x: Array, /) -> Any:
    """The distinct values (sorted; each NaN its own), their first positions in the flattened
    x, each element's value (x's shape) and the counts: `agrad.unique`'s kernel."""
    values, inverse, counts, first = uniques(x)
    return _UniqueAll(values, first, inverse, counts)


@_row()
def unique_counts(x: Array, /) -> Any:
    values, _, counts, _ = uniques(x)
    return _UniqueCounts(values, counts)


@_row()
def unique_inverse(x: Array, /) -> Any:
    values, inverse, _, _ = uniques(x)
    return _UniqueInverse(values, inverse)


@_row()
def unique_values(x: Array, /) -> Array:
    return uniques(x)[0]


# -- linear algebra in the main namespace ---------------------------------------------------------

@_row()
def matmul(x1: Array, x2: Array, /) -> Array:
    return call(MATMUL, *MATMUL.args(*_promoted(x1, x2)))


@_row()
def tensordot(x1: Array, x2: Array, /, *,
              axes: int | tuple[Sequence[int], Sequence[int]] = 2) -> Array:
    return LA.tensordot(*_promoted(x1, x2), axes)


@_row()
def vecdot(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    a, b = _promoted(x1, x2)
    if a.shape[axis] != b.shape[axis]:  # the reduced axis does not broadcast
        raise ValueError(f"vecdot: the sizes along axis {axis} differ: {a.shape[axis]} and "
                         f"{b.shape[axis]}")
    p = a.conj() * b if a._dtype.category == D.COMPLEX else a * b
    return p.sum(axis, dtype=p._dtype)


# -- creation -------------------------------------------------------------------------------------

@_row()
def asarray(obj: Any, /, *, dtype: Any = None, device: Any = None,
            copy: bool | None = None) -> Array:
    """A tensor of obj: a tensor itself when nothing needs changing (its graph kept, so
    downstream code's `xp.asarray(x)` stays differentiable), else a (recorded) conversion."""
    dt = None if dtype is None else D.get(dtype)
    if isinstance(obj, Tensor):
        t = obj
        if device is not None and Device(device) != t.device:
            if copy is False:
                raise ValueError("asarray(copy=False): moving to another device copies")
            t = t.to(device)
        if dt is not None and dt is not t._dtype:
            if copy is False:
                raise ValueError("asarray(copy=False): a dtype change copies")
            t = t.to(dt)
        return t.clone() if copy and t is obj else t
    if copy is False:
        if device is None and dt is None and hasattr(obj, "__array__"):
            t = C.as_tensor(obj)
            if t._storage.backend.in_place:
                return t
        raise ValueError("asarray(copy=False): this object cannot be wrapped without a copy")
    if isinstance(obj, (list, tuple)) and not obj and dt is None:
        dt = D.get_default_dtype()
    if dt is None and hasattr(obj, "__dlpack__") and not hasattr(obj, "__array__"):
        return C.from_dlpack(obj)
    if copy is None and dt is None and device is None and hasattr(obj, "__array__") and \
            hasattr(obj, "dtype"):
        return C.as_tensor(obj)
    return C.tensor(obj, dtype=dt, device=device)


@_row()
def from_dlpack(x: Any, /, *, device: Any = None, copy: bool | None = None) -> Array:
    if isinstance(x, Tensor):
        return asarray(x, device=device, copy=copy)
    t = C.from_dlpack(x)
    return asarray(t, device=device, copy=copy) if device is not None or copy else t


def _shape(shape: int | tuple[int, ...]) -> tuple[int, ...]:
    return (shape,) if isinstance(shape, int) else tuple(shape)


def _dtype(dtype: Any) -> D.dtype | None:
    """A `dtype=` of this face: any dtype agrad can name (the PyTorch face takes its dtype
    objects only, as PyTorch does)."""
    return None if dtype is None else D.get(dtype)


@_row()
def empty(shape: int | tuple[int, ...], *, dtype: Any = None, device: Any = None) -> Array:
    return C.empty(_shape(shape), dtype=_dtype(dtype), device=device)


@_row()
def zeros(shape: int | tuple[int, ...], *, dtype: Any = None, device: Any = None) -> Array:
    return C.zeros(_shape(shape), dtype=_dtype(dtype), device=device)


@_row()
def ones(shape: int | tuple[int, ...], *, dtype: Any = None, device: Any = None) -> Array:
    return C.ones(_shape(shape), dtype=_dtype(dtype), device=device)


@_row()
def full(shape: int | tuple[int, ...], fill_value: Scalar, *, dtype: Any = None,
         device: Any = None) -> Array:
    return C.full(_shape(shape), fill_value, dtype=_dtype(dtype), device=device)


def _like(factory: Any) -> Any:
    def fn(x: Array, /, *, dtype: Any = None, device: Any = None) -> Array:
        return factory(tuple(x.shape), dtype=_dtype(dtype) or x._dtype,
                       device=device if device is not None else x.device)
    return fn


for _name, _factory in (("empty_like", C.empty), ("zeros_like", C.zeros),
                        ("ones_like", C.ones)):
    _f = _like(_factory)
    _f.__name__ = _name
    _row()(_f)


@_row()
def full_like(x: Array, /, fill_value: Scalar, *, dtype: Any = None,
              device: Any = None) -> Array:
    return C.full(tuple(x.shape), fill_value, dtype=_dtype(dtype) or x._dtype,
                  device=device if device is not None else x.device)


@_row()
def arange(start: int | float, /, stop: int | float | None = None, step: int | float = 1, *,
           dtype: Any = None, device: Any = None) -> Array:
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    if (stop - start) * step <= 0:  # the standard: an empty array, not PyTorch's error
        ints = builtins.all(isinstance(v, int) for v in (start, stop, step))
        return C.empty(0, dtype=_dtype(dtype) or (D.int64 if ints else D.get_default_dtype()),
                       device=device)
    return C.arange(start, stop, step, dtype=_dtype(dtype), device=device)


@_row()
def eye(n_rows: int, n_cols: int | None = None, /, *, k: int = 0, dtype: Any = None,
        device: Any = None) -> Array:
    m = n_rows if n_cols is None else n_cols
    i = C.arange(n_rows, device=device).reshape(-1, 1)
    j = C.arange(m, device=device).reshape(1, -1)
    return (j - i == k).to(D.get(dtype) if dtype is not None else D.get_default_dtype())


@_row()
def linspace(start: int | float | complex, stop: int | float | complex, /, num: int, *,
             dtype: Any = None, device: Any = None, endpoint: bool = True) -> Array:
    """num evenly spaced values; complex bounds give complex values."""
    is_complex = isinstance(start, complex) or isinstance(stop, complex)
    dt = D.get(dtype) if dtype is not None else \
        D.get_default_dtype().to_complex() if is_complex else D.get_default_dtype()
    div = (num - 1) if endpoint else num
    k = C.arange(num, dtype=D.float64, device=device)
    step = (stop - start) / div if div > 0 else 0.0
    r = k * step + start if num else k
    if endpoint and num > 1:
        r = r.where(k != num - 1, stop)
    return r.to(dt)


@_row()
def meshgrid(*arrays: Array, indexing: str = "xy") -> list[Array]:
    return list(_meshgrid(*_promoted(*arrays), indexing=indexing)) if arrays else []


@_row()
def tril(x: Array, /, *, k: int = 0) -> Array:
    return x.tril(k)


@_row()
def triu(x: Array, /, *, k: int = 0) -> Array:
    return x.triu(k)


# -- data types -----------------------------------------------------------------------------------

@_row()
def astype(x: Array, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Array:
    dt = D.get(dtype)
    r = x
    if device is not None and Device(device) != x.device:
        r = r.to(device)
    if dt is not r._dtype:
        r = r.to(dt)
    return r.clone() if copy and r is x else r


@_row()
def can_cast(from_: Any, to: Any, /) -> bool:
    """Whether `from_` promotes to `to` under the standard's rules: within a kind (real and
    complex floating types are one: float32 promotes to complex64), or bool to anything;
    across other kinds nothing casts."""
    a = from_._dtype if isinstance(from_, Tensor) else D.get(from_)
    b = D.get(to)
    if a is b or a is D.bool:
        return True
    floating = a.category >= D.FLOAT and b.category >= D.FLOAT
    if a.category != b.category and not floating:
        return False
    try:
        return D.promote_types(a, b) is b
    except RuntimeError:  # no common type
        return False


@_row()
def finfo(type: Any, /) -> D.finfo:  # noqa: A002 - the standard's name
    return D.finfo(type._dtype if isinstance(type, Tensor) else D.get(type))


@_row()
def iinfo(type: Any, /) -> D.iinfo:  # noqa: A002
    return D.iinfo(type._dtype if isinstance(type, Tensor) else D.get(type))


_KINDS = {
    "bool": lambda d: d is D.bool,
    "signed integer": lambda d: d.category == D.INT and d.is_signed,
    "unsigned integer": lambda d: d.category == D.INT and not d.is_signed,
    "integral": lambda d: d.category == D.INT,
    "real floating": lambda d: d.category == D.FLOAT,
    "complex floating": lambda d: d.category == D.COMPLEX,
    "numeric": lambda d: d.category != D.BOOL,
}


@_row()
def isdtype(dtype: Any, kind: Any) -> bool:
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"isdtype: expected a dtype, got {type(dtype).__name__}")
    if isinstance(kind, tuple):
        return builtins.any(isdtype(dtype, k) for k in kind)
    if isinstance(kind, D.dtype):
        return dtype is kind
    if kind not in _KINDS:
        raise ValueError(f"isdtype: unknown kind {kind!r}")
    return _KINDS[kind](dtype)


@_row()
def result_type(*arrays_and_dtypes: Any) -> D.dtype:
    return result_dtype(*arrays_and_dtypes)


# -- the linalg extension -------------------------------------------------------------------------

def _la(fn: Any) -> Any:
    return _row(NS_LINALG)(fn)


@_la
def cholesky(x: Array, /, *, upper: bool = False) -> Array:
    return call(LA.CHOLESKY, *LA.CHOLESKY.args(x, upper=upper))


@_la
def cross(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    a, b = broadcast_arrays(*_promoted(x1, x2))  # the standard broadcasts, PyTorch does not
    return LA.linalg_cross(a, b, dim=axis)


@_la
def det(x: Array, /) -> Array:
    return call(LA.DET, *LA.DET.args(x))


@_la
def diagonal(x: Array, /, *, offset: int = 0) -> Array:
    return x.diagonal(offset, -2, -1)


@_la
def eigh(x: Array, /) -> tuple[Array, Array]:
    return call(LA.EIGH, *LA.EIGH.args(x))


@_la
def eigvalsh(x: Array, /) -> Array:
    return call(LA.EIGVALSH, *LA.EIGVALSH.args(x))


@_la
def inv(x: Array, /) -> Array:
    return call(LA.INV, *LA.INV.args(x))


@_la
def matrix_norm(x: Array, /, *, keepdims: bool = False,
                ord: int | float | str | None = "fro") -> Array:  # noqa: A002
    return LA.matrix_norm(x, "fro" if ord is None else ord, (-2, -1), keepdims)


@_la
def matrix_power(x: Array, n: int, /) -> Array:
    return LA.matrix_power(x, n)


@_la
def matrix_rank(x: Array, /, *, rtol: float | Array | None = None) -> Array:
    return LA.matrix_rank(x, rtol=rtol)


@_la
def outer(x1: Array, x2: Array, /) -> Array:
    a, b = _promoted(x1, x2)
    return a[:, None] * b[None, :]


@_la
def pinv(x: Array, /, *, rtol: float | Array | None = None) -> Array:
    if isinstance(rtol, Tensor):  # a tolerance per matrix: the backend's array
        from ._dispatch import read

        rtol = read(rtol.to(x._dtype.to_real()))
    return call(LA.PINV, *LA.PINV.args(x, rtol=rtol))


@_la
def qr(x: Array, /, *, mode: str = "reduced") -> tuple[Array, Array]:
    return call(LA.QR, *LA.QR.args(x, mode))


@_la
def slogdet(x: Array, /) -> tuple[Array, Array]:
    return call(LA.SLOGDET, *LA.SLOGDET.args(x))


@_la
def solve(x1: Array, x2: Array, /) -> Array:
    """The standard's rule: x2 is a vector only when it is 1-D."""
    a, b = _promoted(x1, x2)
    LA._matrices("linalg.solve", a, fn="solve")
    return call(LA.SOLVE, *LA._solve_inputs(a, b, b.ndim == 1))


@_la
def svd(x: Array, /, *, full_matrices: bool = True) -> tuple[Array, Array, Array]:
    return call(LA.SVD, *LA.SVD.args(x, full_matrices))


@_la
def svdvals(x: Array, /) -> Array:
    return call(LA.SVDVALS, *LA.SVDVALS.args(x))


@_la
def trace(x: Array, /, *, offset: int = 0, dtype: Any = None) -> Array:
    d = x.diagonal(offset, -2, -1)
    return call(SUM, (d,), ((d.ndim - 1,), False, _sum_dtype(x, dtype)))


@_la
def vector_norm(x: Array, /, *, axis: int | tuple[int, ...] | None = None,
                keepdims: bool = False, ord: int | float = 2) -> Array:  # noqa: A002
    axes = _axes(x, axis)
    if axes == ():
        return x.abs()
    return call(VECTOR_NORM, (x,), (axes if x.ndim else None, keepdims, float(ord)))


for _name, _fn in (("matmul", matmul), ("matrix_transpose", matrix_transpose),
                   ("tensordot", tensordot), ("vecdot", vecdot)):
    Op(_name, _fn, impl=_fn, method=False, namespace=NS_LINALG)


# -- the fft extension ----------------------------------------------------------------------------

def _fft(fn: Any) -> Any:
    return _row(NS_FFT)(fn)


def _one(f: Any, name: str) -> None:
    def fn(x: Array, /, *, n: int | None = None, axis: int = -1,
           norm: str = "backward") -> Array:
        return f(x, n, axis, norm)
    fn.__name__ = name
    _fft(fn)


def _many(f: Any, name: str) -> None:
    def fn(x: Array, /, *, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
           norm: str = "backward") -> Array:
        return f(x, s, axes, norm)
    fn.__name__ = name
    _fft(fn)


for _f in (F.fft, F.ifft, F.rfft, F.irfft, F.hfft, F.ihfft):
    _one(_f, _f.__name__)
for _f in (F.fftn, F.ifftn, F.rfftn, F.irfftn):
    _many(_f, _f.__name__)


@_fft
def fftfreq(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Array:
    return F.fftfreq(n, d, dtype=_dtype(dtype), device=device)


@_fft
def rfftfreq(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Array:
    return F.rfftfreq(n, d, dtype=_dtype(dtype), device=device)


@_fft
def fftshift(x: Array, /, *, axes: int | Sequence[int] | None = None) -> Array:
    return F.fftshift(x, axes)


@_fft
def ifftshift(x: Array, /, *, axes: int | Sequence[int] | None = None) -> Array:
    return F.ifftshift(x, axes)


