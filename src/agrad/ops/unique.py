"""unique and unique_consecutive: one kernel row, written with the standard's sorting and
searching functions, that both faces use — PyTorch's `torch.unique` / `Tensor.unique` /
`unique_consecutive` here, and the Array API's `unique_all/counts/inverse/values`
(`agrad.ops.array_api`).

The kernel sorts (stably: PyTorch's CPU results are sorted whatever `sorted=` says, and so are
agrad's), marks where a new value (or slice, for `dim=`) starts, and reads off the values, the
inverse (each element's group), the counts and the first occurrences. NaNs compare unequal, so
each is its own value, last, as in PyTorch and the standard. The result's size depends on the
values: a lazy backend resolves it as the result is made (`data_dependent`).

As in PyTorch, the values of a tensor that requires grad are in the graph (Unique2Backward0,
UniqueDimBackward0, UniqueConsecutiveBackward0) and backward through them is PyTorch's
NotImplementedError.
"""

from __future__ import annotations

from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from ._args import not_implemented, wrap_dim
from ._args import tensor as _check_tensor
from ._dispatch import call
from ._op import NOTHING, Op, from_result

# the name PyTorch's derivative error and grad_fn give each form: (dim given, consecutive)
_NAMES = {(False, False): ("_unique2", "Unique2Backward0"),
          (True, False): ("unique_dim", "UniqueDimBackward0"),
          (False, True): ("unique_consecutive", "UniqueConsecutiveBackward0"),
          (True, True): ("unique_consecutive", "UniqueConsecutiveBackward0")}


def _f_unique(xp: Any, a: Any, p: tuple) -> tuple:
    """(values, inverse, counts, first occurrences) of a's elements (dim None) or of its slices
    along dim; sorted unless consecutive (then runs of equal neighbours collapse)."""
    dim, consecutive = p
    shape = tuple(a.shape)
    i64 = xp.int64
    m = shape[dim] if dim is not None else a.size if shape else 1
    if m == 0:  # nothing to find: empty results (the values keep the slices' shape)
        empty = xp.zeros((0,), dtype=i64)
        inverse = xp.zeros(shape if dim is None else (0,), dtype=i64)
        values = xp.asarray(a if dim is not None else xp.reshape(a, (0,)), copy=True)
        return values, inverse, empty, xp.asarray(empty, copy=True)
    if dim is None:
        rows = xp.reshape(a, (-1, 1))
    else:
        rows = xp.reshape(xp.moveaxis(a, dim, 0), (shape[dim], -1))
    if xp.isdtype(rows.dtype, "bool"):  # sortable keys: bools as bytes, complex numbers as
        keys = xp.astype(rows, xp.uint8)  # (real, imaginary) pairs ordered lexicographically
    elif xp.isdtype(rows.dtype, "complex floating"):
        keys = xp.reshape(xp.stack([xp.real(rows), xp.imag(rows)], axis=-1), (m, -1))
    else:
        keys = rows
    if consecutive:
        order = xp.arange(m, dtype=i64)
    else:  # lexicographic order of the rows: stable sorts from the last column to the first
        order = xp.arange(m, dtype=i64)
        for c in range(keys.shape[1] - 1, -1, -1):
            col = xp.take(keys[:, c], order)
            order = xp.take(order, xp.argsort(col, stable=True))
    srt = xp.take(keys, order, axis=0)
    diff = xp.any(srt[1:, ...] != srt[:-1, ...], axis=1)  # NaN != NaN: each NaN its own
    true = xp.ones((1,), dtype=xp.bool)
    new = xp.concat([true, diff])  # a group starts here
    (starts,) = xp.nonzero(new)
    starts = xp.astype(starts, i64)
    group = xp.cumulative_sum(xp.astype(new, i64)) - 1  # sorted: each group's end is found
    # by a search (arrays of a data-dependent size combine only when made from one another)
    counts = xp.astype(xp.searchsorted(group, xp.take(group, starts), side="right"), i64) - starts
    # each element's group, in its own position: the sorted groups put back in input order
    inverse = group if consecutive else xp.take(group, xp.argsort(order, stable=True))
    first = xp.take(order, starts)
    # (no reshape of a result whose size is unknown yet: a lazy backend cannot)
    if dim is None:
        return xp.take(xp.reshape(a, (-1,)), first), xp.reshape(inverse, shape), counts, first
    values = xp.moveaxis(xp.take(xp.moveaxis(a, dim, 0), first, axis=0), 0, dim)
    return values, inverse, counts, first


def _no_derivative(n: Any, g: Any) -> tuple:
    name = _NAMES[(n.params[0] is not None, n.params[1])][0]
    raise NotImplementedError(f"the derivative for '{name}' is not implemented.")


UNIQUE = Op("unique.kernel", lambda x, dim, consecutive: ((x,), (dim, consecutive)),
            forward=_f_unique, backward=_no_derivative, outputs=-1, data_dependent=True,
            dtype=from_result, needs=NOTHING, function=False, method=False,
            grad_fn=lambda inputs, p: _NAMES[(p[0] is not None, p[1])][1])


def uniques(x: Tensor, dim: int | None = None, consecutive: bool = False) -> tuple:
    """(values, inverse, counts, first occurrences) of x (complex too), checked as PyTorch
    checks it."""
    if dim is not None:
        if x.ndim == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        dim = wrap_dim(dim, x.ndim)
        if x.numel() == 0 and any(s == 0 for i, s in enumerate(x.shape) if i != dim):
            raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique "
                               "cannot be applied")
    return call(UNIQUE, (x,), (dim, consecutive))


def _picked(x: Tensor, dim: int | None, consecutive: bool, return_inverse: bool,
            return_counts: bool) -> Any:
    """PyTorch's result (the values, then the inverse and counts asked for); PyTorch has no
    complex kernel (the Array API's unique_* have one)."""
    if x._dtype.category == D.COMPLEX:
        raise not_implemented("unique_dim" if dim is not None and not consecutive else "unique",
                              x)
    values, inverse, counts, _ = uniques(x, dim, consecutive)
    if return_inverse and return_counts:
        return values, inverse, counts
    if return_inverse:
        return values, inverse
    if return_counts:
        return values, counts
    return values


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None) -> Any:
    """The distinct elements (or slices along dim) of input, sorted; with the inverse (where
    each element went) and the counts when asked. `sorted=False` is sorted too, as PyTorch's
    CPU result is."""
    _check_tensor("unique_dim" if dim is not None else "_unique2", input, "input", 1)
    return _picked(input, dim, False, return_inverse, return_counts)


def unique_consecutive(input: Tensor, return_inverse: bool = False,  # noqa: A002
                       return_counts: bool = False, dim: int | None = None) -> Any:
    """Each run of equal neighbouring elements (or slices along dim) collapsed to one."""
    _check_tensor("unique_consecutive", input, "input", 1)
    return _picked(input, dim, True, return_inverse, return_counts)


for _fn in (unique, unique_consecutive):
    Op(_fn.__name__, _fn, impl=_fn)
