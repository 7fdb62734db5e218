"""`agrad.tensor(data)` for nested Python data, read the way PyTorch reads it.

Handing nested lists to the array library would accept what PyTorch refuses (a list of
multi-element tensors) and refuse with the library's words what PyTorch refuses with its own
(ragged lists: NumPy's "inhomogeneous shape"). So the data is read as PyTorch reads it, in
three passes over the Python objects:

- the shape follows the first element down while it is a sequence (`sizes`);
- the dtype is promoted over every element (`infer_dtype`): Python numbers by kind, arrays and
  tensors by their own dtype, the empty sequence as the default float;
- every element is checked against that shape and converted to the dtype (`rows`), raising
  PyTorch's errors for a wrong length, a non-sequence, a value that is no number or does not
  fit; the result is nested lists of Python numbers, rectangular, for the backend's `asarray`.
"""

from __future__ import annotations

import operator
from typing import Any

from .. import dtypes as D
from .._tensor import Tensor

__all__ = ["check_not_text", "infer_dtype", "rows", "sizes"]

_MAX_DIMS = 128
_I64 = (-(1 << 63), (1 << 63) - 1)


def check_not_text(data: Any) -> None:
    """PyTorch refuses a string (or bytes) as data outright."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{D.typename(data)}'")


def _is_sequence(x: Any) -> bool:
    """CPython's PySequence_Check, which PyTorch asks: lists, tuples, ranges, strings, NumPy
    arrays ..., not dicts or sets; tensors are elements (as PyTorch's own are)."""
    t = type(x)
    if t is list or t is tuple:
        return True
    return hasattr(t, "__len__") and hasattr(t, "__getitem__") and \
        not isinstance(x, (dict, Tensor))


def sizes(data: Any) -> tuple[int, ...]:
    """The shape, read along the first elements (PyTorch's compute_sizes)."""
    out: list[int] = []
    seq = data
    while _is_sequence(seq):
        n = len(seq)
        out.append(n)
        if len(out) > _MAX_DIMS:
            raise ValueError(f"too many dimensions '{D.typename(seq)}'")
        if n == 0:
            break
        seq = seq[0]
    return tuple(out)


def _dtype_of(x: Any) -> D.dtype:
    """One element's dtype (PyTorch's infer_scalar_type)."""
    if isinstance(x, Tensor):
        return x._dtype
    dt = getattr(x, "dtype", None)
    if dt is not None and not isinstance(x, (str, bytes)):
        try:  # a NumPy array or scalar: its own dtype
            return D.get(dt)
        except TypeError:
            pass
    if isinstance(x, float):
        return D.get_default_dtype()
    if isinstance(x, bool):
        return D.bool
    if isinstance(x, int):
        return D.int64
    if isinstance(x, complex):
        return D.get_default_dtype().to_complex()
    check_not_text(x)
    if _is_sequence(x):
        return infer_dtype(x)
    raise RuntimeError(f"Could not infer dtype of {D.typename(x)}")


def infer_dtype(data: Any) -> D.dtype:
    """The dtype of nested data: its elements' dtypes promoted (an empty sequence: the
    default float)."""
    if not _is_sequence(data):
        return _dtype_of(data)
    result: D.dtype | None = None
    default = D.get_default_dtype()
    for x in data:
        t = type(x)  # the common elements first: this loop sees every number once
        if t is float:
            d = default
        elif t is int:
            d = D.int64
        elif x is data:
            raise TypeError("new(): self-referential lists are incompatible")
        else:
            d = _dtype_of(x)
        if result is not d:
            result = d if result is None else D.promote_types(result, d)
        if result is D.complex128:
            break
    return D.get_default_dtype() if result is None else result


def _number(x: Any) -> Any:
    """An element that is a tensor as its Python number (a one-element one only)."""
    if isinstance(x, Tensor):
        if x.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return x.item()
    return x


def _convert(dt: D.dtype) -> Any:
    """The element conversion into `dt` through Python's number protocols, as PyTorch's: a
    real type takes what `float()` takes (a complex, None or a list is its TypeError), an
    integer type what has `__index__` or is a float (a NumPy float32 is not: TypeError); an
    integer past int64 is its ValueError, a value outside a smaller type's range its
    RuntimeError (negative integers wrap into an unsigned type down to minus its maximum, as
    PyTorch's checked conversion allows)."""
    kind = dt.category
    if kind == D.FLOAT or kind == D.COMPLEX:
        def to_float(x: Any) -> Any:
            x = _number(x)
            if kind == D.COMPLEX and isinstance(x, complex):
                return x
            if not isinstance(x, complex) and hasattr(type(x), "__float__"):
                return float(x)  # Python's OverflowError past the float range, as PyTorch's
            raise TypeError(f"must be real number, not {D.typename(x)}")
        return to_float
    lo, hi = (D.iinfo(dt).min, D.iinfo(dt).max) if kind == D.INT else (0, 1)

    def overflow() -> RuntimeError:
        return RuntimeError(f"value cannot be converted to type {dt.name} without overflow")

    def to_int(x: Any) -> Any:
        x = _number(x)
        if kind == D.BOOL and isinstance(x, (bool, int, float, complex)):
            return x != 0
        if isinstance(x, bool):
            return x
        if isinstance(x, float):
            if not float(lo) <= x <= float(hi):  # NaN too; compared in double, as PyTorch
                raise overflow()
            v = int(x)
            return v if v <= hi else v - (hi - lo + 1)  # 2.0 ** 63 rounds past int64's max
        if not hasattr(type(x), "__index__"):
            raise TypeError(f"'{D.typename(x)}' object cannot be interpreted as an integer")
        x = operator.index(x)
        if dt is D.uint64:
            if x < 0:
                raise OverflowError("can't convert negative int to unsigned")
            if x > hi:
                raise OverflowError("int too big to convert")
            return x
        if not _I64[0] <= x <= _I64[1]:
            raise ValueError("Overflow when unpacking long long")
        if x > hi or x < lo and (dt.is_signed or -x > hi):
            raise overflow()
        return x & hi if x < 0 and not dt.is_signed else x
    return to_int


def rows(data: Any, shape: tuple[int, ...], dt: D.dtype) -> Any:
    """`data` as nested lists of Python numbers of `dt`, checked against `shape` (PyTorch's
    recursive_store): a sequence of the wrong length, or a number where a sequence belongs, is
    PyTorch's error. Any iterable counts as a sequence here, as in PyTorch."""
    convert = _convert(dt)
    last = len(shape) - 1
    # a row of the common elements stays a comprehension: every number passes through here
    if dt.category >= D.FLOAT:
        def row(seq: Any) -> list:
            return [x if type(x) is float else convert(x) for x in seq]
    elif dt.category == D.INT:
        lo, hi = D.iinfo(dt).min, D.iinfo(dt).max

        def row(seq: Any) -> list:
            return [x if type(x) is int and lo <= x <= hi else convert(x) for x in seq]
    else:
        def row(seq: Any) -> list:
            return [convert(x) for x in seq]

    def store(obj: Any, dim: int) -> Any:
        if dim > last:
            return convert(obj)
        if type(obj) is list or type(obj) is tuple:
            seq = obj
        else:
            try:
                seq = list(obj)
            except TypeError:
                raise TypeError("not a sequence") from None
        n = shape[dim]
        if len(seq) != n:
            raise ValueError(f"expected sequence of length {n} at dim {dim} (got {len(seq)})")
        if dim == last:
            return row(seq)
        return [store(x, dim + 1) for x in seq]
    return store(data, 0)
