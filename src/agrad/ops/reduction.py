"""Reductions: one row each, with PyTorch's `dim`/`keepdim` and dtype rules (integer sums give
int64, mean refuses integers), and `sum_to_size`, which the engine uses for broadcast gradients."""

from __future__ import annotations

import math
from typing import Any

from .. import dtypes as D
from .._tensor import Tensor, _wrap_dim, wrap
from ..autograd.grad_mode import state as _grad
from ._op import Op, read, record, unary, with_out

__all__ = ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std",
           "var", "norm", "logsumexp", "all", "any", "cumsum", "cumprod", "sum_to_size",
           "count_nonzero", "aminmax", "std_mean", "var_mean", "median", "nansum"]

_builtin_max, _builtin_min, _builtin_sum, _builtin_all = max, min, sum, all


def _dims(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """None = all; an int or a sequence of ints, wrapped, refusing repeats."""
    if dim is None:
        return None
    ds = (dim,) if isinstance(dim, int) else tuple(dim)
    if not ds:
        return None
    out = tuple(_wrap_dim(d, ndim) for d in ds)
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
    return out


def _axes(dims: tuple[int, ...] | None, ndim: int) -> tuple[int, ...] | None:
    return None if dims is None or ndim == 0 else dims


def _unreduce(g: Tensor, shape: tuple, dims: tuple | None, keepdim: bool) -> Tensor:
    """Bring a reduced gradient back to broadcastable form (keepdim) and expand it."""
    if not keepdim and shape and dims is not None:  # (a full reduction's 0-d g expands as is)
        kept = list(g.shape)
        for d in sorted(range(len(shape)) if dims is None else dims):
            kept.insert(d, 1)
        g = g.reshape(tuple(kept))
    return g.expand(shape)


def _f_sum(xp, a, p):
    dims, keepdim, bd = p
    return xp.sum(a, axis=dims, keepdims=keepdim, dtype=bd)


def _g_sum(n, g):
    dims, keepdim, _ = n.params
    return (_unreduce(g, n.meta[0][0], dims, keepdim),)


SUM0 = Op("sum", "SumBackward0", _f_sum, _g_sum, saves="")
SUM1 = Op("sum", "SumBackward1", _f_sum, _g_sum, saves="")


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001
        dtype: Any = None, out: Tensor | None = None) -> Tensor:
    if dim is None and dtype is None and out is None and input._dtype.kind >= D.FLOAT:
        be = input._storage.backend  # the common case, without the argument work below
        return unary(SUM0, input, (None, keepdim, be.dtypes[input._dtype]))
    dims = _dims(dim, input.ndim)
    dt = D.get(dtype) if dtype is not None else (
        D.int64 if input._dtype.kind <= D.INT else input._dtype)
    be = input._storage.backend
    x = input if dt is input._dtype else input.to(dt)
    op = SUM0 if dim is None else SUM1
    return with_out(unary(op, x, (_axes(dims, input.ndim), keepdim, be.dtypes[dt])), out, "sum")


def nansum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    from .elementwise import isnan, where

    return sum(where(isnan(input), 0.0, input), dim, keepdim, dtype=dtype)


def sum_to_size(g: Tensor, *size: Any) -> Tensor:
    """Sum `g` down to a shape it was broadcast from (the gradient of broadcasting)."""
    shape = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else tuple(size)
    gs = tuple(g.shape)
    if gs == shape:
        return g
    lead = len(gs) - len(shape)
    if lead < 0:
        raise RuntimeError(f"size {{{list(shape)}}} is not expandable to size {{{list(gs)}}}.")
    dims = list(range(lead))
    for i, s in enumerate(shape):
        if s == 1 and gs[lead + i] != 1:
            dims.append(lead + i)
        elif s != gs[lead + i]:
            raise RuntimeError(f"size {{{list(shape)}}} is not expandable to size {{{list(gs)}}}.")
    r = sum(g, tuple(dims), keepdim=True) if dims else g
    return r.reshape(shape) if tuple(r.shape) != shape else r


def _float_check(name: str, t: Tensor, dtype: Any) -> D.dtype:
    dt = D.get(dtype) if dtype is not None else t._dtype
    if dt.kind < D.FLOAT:
        from ._op import _type_name

        raise RuntimeError(f"{name}(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {_type_name(dt)}")
    return dt


def _f_mean(xp, a, p):
    dims, keepdim = p
    return xp.mean(a, axis=dims, keepdims=keepdim)


def _g_mean(n, g):
    dims, keepdim = n.params
    shape = n.meta[0][0]
    count = 1
    for i, s in enumerate(shape):
        if dims is None or i in dims:
            count *= s
    return (_unreduce(g, shape, dims, keepdim) / count,)


MEAN0 = Op("mean", "MeanBackward0", _f_mean, _g_mean, saves="")
MEAN1 = Op("mean", "MeanBackward1", _f_mean, _g_mean, saves="")


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None,
         out: Tensor | None = None) -> Tensor:
    dt = _float_check("mean", input, dtype)
    x = input if dt is input._dtype else input.to(dt)
    dims = _dims(dim, input.ndim)
    op = MEAN0 if dim is None else MEAN1
    return with_out(unary(op, x, (_axes(dims, input.ndim), keepdim)), out, "mean")


def _f_prod(xp, a, p):
    dims, keepdim, bd = p
    return xp.prod(a, axis=dims, keepdims=keepdim, dtype=bd)


def _g_prod(n, g):
    dims, keepdim, _ = n.params
    (x,) = n.inputs
    out = n.result
    shape = n.meta[0][0]
    gx = _unreduce(g * out, shape, dims, keepdim) / x
    # zeros in the input: the product of the other elements, computed directly
    from .elementwise import where

    if bool((x == 0).any()):
        if dims is None:
            others = _prod_excluding(x.reshape(-1)).reshape(shape)
            gx = _unreduce(g, shape, dims, keepdim) * others
        else:
            moved = x.movedim(dims[0], -1) if len(dims) == 1 else None
            if moved is None:
                raise RuntimeError("prod backward over several dims with zeros is not supported")
            others = _prod_excluding(moved).movedim(-1, dims[0])
            gx = where(x == 0, _unreduce(g, shape, dims, keepdim) * others, gx)
    return (gx,)


def _prod_excluding(x: Tensor) -> Tensor:
    """For each element along the last dim, the product of all the others (exclusive cumprods)."""
    from .creation import ones

    one = ones(*x.shape[:-1], 1, dtype=x._dtype, device=x.device)
    from .shape_ops import cat

    left = cat([one, cumprod(x, -1)[..., :-1]], -1)
    right = cat([one, cumprod(x.flip(-1), -1)[..., :-1]], -1).flip(-1)
    return left * right


PROD0 = Op("prod", "ProdBackward0", _f_prod, _g_prod, saves_out=True)
PROD1 = Op("prod", "ProdBackward1", _f_prod, _g_prod, saves_out=True)


def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *,
         dtype: Any = None) -> Tensor:
    dt = D.get(dtype) if dtype is not None else (
        D.int64 if input._dtype.kind <= D.INT else input._dtype)
    x = input if dt is input._dtype else input.to(dt)
    dims = None if dim is None else (_wrap_dim(dim, input.ndim),)
    be = input._storage.backend
    return unary(PROD0 if dim is None else PROD1, x,
                 (_axes(dims, input.ndim), keepdim, be.dtypes[dt]))


# -- max / min / argmax / argmin --------------------------------------------------------------------

def _f_extreme(fn: str):
    def f(xp, a, p):
        dims, keepdim = p
        if xp.isdtype(a.dtype, "bool"):  # the Array API does not order bools: max is any
            return (xp.any if fn == "max" else xp.all)(a, axis=dims, keepdims=keepdim)
        return getattr(xp, fn)(a, axis=dims, keepdims=keepdim)
    return f


def _g_extreme(n, g):
    """Gradient split evenly between tied extremes (PyTorch's amax/amin and full max/min)."""
    dims, keepdim = n.params
    (x,) = n.inputs
    shape = n.meta[0][0]
    out = _unreduce(n.result, shape, dims, keepdim)
    mask = (x == out)
    count = sum(mask, None if dims is None else dims, keepdim=True) if shape else None
    gg = _unreduce(g, shape, dims, keepdim)
    return ((gg * mask / count) if count is not None else gg,)


AMAX = Op("amax", "AmaxBackward0", _f_extreme("max"), _g_extreme, saves_out=True,
          dtype_rule="same")
AMIN = Op("amin", "AminBackward0", _f_extreme("min"), _g_extreme, saves_out=True,
          dtype_rule="same")
MAX_ALL = Op("max", "MaxBackward1", _f_extreme("max"), _g_extreme, saves_out=True,
             dtype_rule="same")
MIN_ALL = Op("min", "MinBackward1", _f_extreme("min"), _g_extreme, saves_out=True,
             dtype_rule="same")


def _nonempty(name: str, t: Tensor, dims: tuple | None) -> None:
    """PyTorch's refusals of max/min-like reductions over nothing."""
    shape = t.shape
    if t.numel() == 0:
        if dims is None:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               f"input.numel() == 0. Specify the reduction dim with the 'dim' "
                               f"argument.")
        for d in dims:
            if shape[d] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _no_complex(name: str, t: Tensor, whole: str | None = None) -> None:
    """max/min/argmax/argmin have no complex ordering: `whole` names the full-reduction kernel
    (a NotImplementedError), else the dim form's RuntimeError."""
    if t._dtype.kind == D.COMPLEX:
        if whole is not None:
            from ._op import _type_name

            raise NotImplementedError(f'"{whole}" not implemented for '
                                      f"'{_type_name(t._dtype)}'")
        raise RuntimeError(f"{name}(): does not support complex input")


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    _no_complex("amax", input, "max_values_cpu")
    dims = _dims(dim, input.ndim)
    _nonempty("amax", input, dims)
    return unary(AMAX, input, (_axes(dims, input.ndim), keepdim))


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    _no_complex("amin", input, "min_values_cpu")
    dims = _dims(dim, input.ndim)
    _nonempty("amin", input, dims)
    return unary(AMIN, input, (_axes(dims, input.ndim), keepdim))


class _ValuesIndices(tuple):
    """torch.return_types.max (min, median ...): a (values, indices) tuple with names."""

    __slots__ = ()
    _name = "max"
    _fields = ("values", "indices")

    def __new__(cls, values: Tensor, indices: Tensor, name: str = "max"):
        if name != cls._name:
            cls = _named(name)
        return tuple.__new__(cls, (values, indices))

    @property
    def values(self) -> Tensor:
        return self[0]

    @property
    def indices(self) -> Tensor:
        return self[1]

    def __repr__(self) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{self._name}(\n{body})"


_NAMED: dict[str, type] = {"max": _ValuesIndices}


def _named(name: str) -> type:
    cls = _NAMED.get(name)
    if cls is None:
        cls = type(name, (_ValuesIndices,), {"__slots__": (), "_name": name})
        _NAMED[name] = cls
    return cls


class _MinMax(tuple):
    """torch.return_types.aminmax: (min, max)."""

    __slots__ = ()
    _name = "aminmax"
    _fields = ("min", "max")
    min = property(lambda self: self[0])
    max = property(lambda self: self[1])
    __repr__ = _ValuesIndices.__repr__


def _g_select_extreme(n, g):
    dim, keepdim, idx = n.params
    from .indexing import index_put_along

    shape = n.meta[0][0]
    return (index_put_along(shape, dim, idx, g, keepdim),)


MAX_DIM = Op("max", "MaxBackward0", None, _g_select_extreme, saves="")
MIN_DIM = Op("min", "MinBackward0", None, _g_select_extreme, saves="")


def _arg(fn: str, xp: Any, a: Any, dim: int | None, keepdim: bool) -> Any:
    return getattr(xp, fn)(a, axis=dim, keepdims=keepdim)


def _extreme(name: str, input: Tensor, dim: Any, keepdim: bool, other: Any,
             out: Any = None) -> Any:
    from .elementwise import maximum, minimum

    if isinstance(dim, Tensor):
        return (maximum if name == "max" else minimum)(input, dim)
    if dim is None:
        _no_complex(name, input, f"{name}_all")
        _nonempty(name, input, None)
        return with_out(unary(MAX_ALL if name == "max" else MIN_ALL, input, (None, False)), out,
                        name)
    _no_complex(name, input)
    n = input.ndim
    d = _wrap_dim(dim, n)
    if input.shape and input.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    st = input._storage
    be = st.backend
    x = read(input)
    axis = d if n else None
    if input._dtype is D.bool:  # ordered as 0/1 (the Array API does not order bools)
        x = be.xp.astype(x, be.dtypes[D.int8])
    idx = _arg("argmax" if name == "max" else "argmin", be.xp, x, axis, keepdim)
    vals = getattr(be.xp, name)(x, axis=axis, keepdims=keepdim)
    if input._dtype is D.bool:
        vals = be.xp.astype(vals, be.dtypes[D.bool])
    values = wrap(vals, st, input._dtype)
    indices = wrap(be.xp.astype(idx, be.dtypes[D.int64]), st, D.int64)
    if _grad.enabled and input._requires_grad:
        record(MAX_DIM if name == "max" else MIN_DIM, values, (input,), (axis, keepdim, indices))
    return _ValuesIndices(values, indices, name)


def max(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001
        out: Any = None) -> Any:
    return _extreme("max", input, dim, keepdim, None, out)


def min(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A001
        out: Any = None) -> Any:
    return _extreme("min", input, dim, keepdim, None, out)


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> tuple:
    return _MinMax((amin(input, () if dim is None else dim, keepdim),
                    amax(input, () if dim is None else dim, keepdim)))


def _argext(fn: str, input: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    _no_complex(fn, input)
    if input._dtype is D.bool:
        raise RuntimeError(f"{fn}(): does not support bool input")
    st = input._storage
    be = st.backend
    x = read(input)
    if dim is not None and input.ndim and input.shape[_wrap_dim(dim, input.ndim)] == 0:
        raise IndexError(f"{fn}(): Expected reduction dim {_wrap_dim(dim, input.ndim)} to have "
                         f"non-zero size.")
    if dim is None:
        if input.numel() == 0:
            raise IndexError(f"{fn}(): Expected reduction dim to be specified for "
                             f"input.numel() == 0.")
        r = getattr(be.xp, fn)(be.xp.reshape(x, (-1,)))
        if keepdim:
            r = be.xp.reshape(r, (1,) * input.ndim)
    else:
        d = _wrap_dim(dim, input.ndim)
        r = getattr(be.xp, fn)(x, axis=d if input.ndim else None, keepdims=keepdim)
    return wrap(be.xp.astype(r, be.dtypes[D.int64]), st, D.int64)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    return _argext("argmax", input, dim, keepdim)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    return _argext("argmin", input, dim, keepdim)


# -- var / std / norm / logsumexp -----------------------------------------------------------------

def _correction(unbiased: Any, correction: Any) -> float:
    if correction is not None:
        return float(correction)
    return 1.0 if unbiased is None or unbiased else 0.0


def _f_var(xp, a, p):
    dims, keepdim, corr = p
    return xp.var(a, axis=dims, keepdims=keepdim, correction=corr)


def _g_var(n, g):
    dims, keepdim, corr = n.params
    (x,) = n.inputs
    shape = n.meta[0][0]
    count = 1
    for i, s in enumerate(shape):
        if dims is None or i in dims:
            count *= s
    mu = mean(x, dims, keepdim=True) if dims is not None else mean(x)
    return (_unreduce(g, shape, dims, keepdim) * 2.0 * (x - mu) / (count - corr),)


VAR = Op("var", "VarBackward0", _f_var, _g_var)


def var(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
        correction: Any = None) -> Tensor:
    if isinstance(unbiased, bool) is False and unbiased is not None and dim is None:
        dim, unbiased = unbiased, None
    if input._dtype.kind < D.FLOAT:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dims = _dims(dim, input.ndim)
    return unary(VAR, input, (_axes(dims, input.ndim), keepdim, _correction(unbiased, correction)))


def std(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
        correction: Any = None) -> Tensor:
    from .elementwise import sqrt

    return sqrt(var(input, dim, unbiased, keepdim, correction=correction))


def var_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple[Tensor, Tensor]:
    return var(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


def std_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple[Tensor, Tensor]:
    return std(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,
         dtype: Any = None) -> Tensor:
    """torch.norm: the vector p-norm over `dim` (all elements by default); 'fro' is p=2."""

    if input._dtype.kind < D.FLOAT:
        from ._op import _type_name

        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_type_name(input._dtype)}")
    x = input if dtype is None else input.to(D.get(dtype))
    if p == "fro" and isinstance(dim, (tuple, list)) and len(dim) > 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got "
                           f"{' '.join(str(d) for d in dim)}")
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        raise RuntimeError("nuclear norm is not supported")
    return vector_norm(x, p, dim, keepdim)


def _f_vnorm(xp, a, p):
    dims, keepdim, ord_ = p
    a = xp.abs(a)
    if ord_ == math.inf:
        return xp.max(a, axis=dims, keepdims=keepdim)
    if ord_ == -math.inf:
        return xp.min(a, axis=dims, keepdims=keepdim)
    if ord_ == 0:
        return xp.sum(xp.astype(a != 0, a.dtype), axis=dims, keepdims=keepdim)
    if ord_ == 2:
        return xp.sqrt(xp.sum(a * a, axis=dims, keepdims=keepdim))
    if ord_ == 1:
        return xp.sum(a, axis=dims, keepdims=keepdim)
    return xp.sum(a ** ord_, axis=dims, keepdims=keepdim) ** (1.0 / ord_)


def _g_vnorm(n, g):
    from .elementwise import abs as _abs
    from .elementwise import sgn, where

    dims, keepdim, p = n.params
    (x,) = n.inputs
    out = n.result
    shape = n.meta[0][0]
    gg = _unreduce(g, shape, dims, keepdim)
    o = _unreduce(out, shape, dims, keepdim)
    if p == 0:
        return (x * 0,)
    if p == 1:
        return (gg * sgn(x),)
    if p == 2:
        return (gg * where(o == 0, 0.0, x / o),)
    if p in (math.inf, -math.inf):
        mask = _abs(x) == o
        cnt = sum(mask, dims, keepdim=True) if dims is not None else sum(mask)
        return (gg * sgn(x) * mask / cnt,)
    return (gg * sgn(x) * where(o == 0, 0.0, (_abs(x) / o) ** (p - 1)),)


VNORM = Op("linalg_vector_norm", "LinalgVectorNormBackward0", _f_vnorm, _g_vnorm, saves_out=True)


def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
                dtype: Any = None) -> Tensor:
    dims = _dims(dim, x.ndim)
    if dtype is not None:
        x = x.to(D.get(dtype))
    return unary(VNORM, x, (_axes(dims, x.ndim), keepdim, float(ord)))


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    from .elementwise import exp, isinf, log, where

    x = input if input._dtype.kind >= D.FLOAT else input.to(D.get_default_dtype())
    m = amax(x, dim, keepdim=True).detach()
    m = where(isinf(m), 0.0, m)
    r = log(sum(exp(x - m), dim, keepdim=True)) + m
    if not keepdim:
        dims = _dims(dim, input.ndim)
        r = r.squeeze(dims) if dims is not None else r.reshape(())
    return r


# -- boolean reductions ---------------------------------------------------------------------------

def _boolred(fn: str):
    def f(input: Tensor, dim: Any = None, keepdim: bool = False, *,
          out: Tensor | None = None) -> Tensor:
        st = input._storage
        be = st.backend
        dims = _dims(dim, input.ndim)
        a = read(input)
        if input._dtype is not D.bool:
            a = a != 0
        r = getattr(be.xp, fn)(a, axis=_axes(dims, input.ndim), keepdims=keepdim)
        if input._dtype is D.uint8:  # PyTorch keeps uint8 for uint8 inputs (legacy masks)
            return with_out(wrap(be.xp.astype(r, be.dtypes[D.uint8]), st, D.uint8), out, fn)
        return with_out(wrap(r, st, D.bool), out, fn)
    f.__name__ = fn
    return f


all = _boolred("all")  # noqa: A001
any = _boolred("any")  # noqa: A001


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    return sum(input != 0, dim)


def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    if input._dtype is D.bool or input._dtype.kind == D.COMPLEX:
        from ._op import _type_name

        raise NotImplementedError(f"\"median_cpu\" not implemented for "
                                  f"'{_type_name(input._dtype)}'")
    if dim is not None and input.ndim == 0:
        _wrap_dim(dim, 0)
        from .creation import zeros

        return _ValuesIndices(input.clone(), zeros((), dtype=D.int64, device=input.device),
                              "median")
    if dim is None:
        flat = input.reshape(-1)
        s = flat.sort().values
        return s[(flat.numel() - 1) // 2]
    s, i = input.sort(dim)
    k = (input.shape[_wrap_dim(dim, input.ndim)] - 1) // 2
    v = s.select(dim, k)
    idx = i.select(dim, k)
    if keepdim:
        v, idx = v.unsqueeze(dim), idx.unsqueeze(dim)
    return _ValuesIndices(v, idx, "median")


# -- scans --------------------------------------------------------------------------------------

def _f_cumsum(xp, a, p):
    dim, bd = p
    return xp.cumulative_sum(a, axis=dim, dtype=bd)


def _g_cumsum(n, g):
    dim, _ = n.params
    return (cumsum(g.flip(dim), dim).flip(dim),)


CUMSUM = Op("cumsum", "CumsumBackward0", _f_cumsum, _g_cumsum, saves="")


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    dt = D.get(dtype) if dtype is not None else (
        D.int64 if input._dtype.kind <= D.INT else input._dtype)
    x = input if dt is input._dtype else input.to(dt)
    if input.ndim == 0:
        return x.clone()
    d = _wrap_dim(dim, input.ndim)
    return unary(CUMSUM, x, (d, input._storage.backend.dtypes[dt]))


def _f_cumprod(xp, a, p):
    dim, bd = p
    if hasattr(xp, "cumulative_prod"):
        return xp.cumulative_prod(a, axis=dim, dtype=bd)
    return xp.exp(xp.cumulative_sum(xp.log(a), axis=dim))


def _g_cumprod(n, g):
    dim, _ = n.params
    (x,) = n.inputs
    out = n.result
    # exact for inputs without zeros; PyTorch's zero handling is more elaborate
    return (cumsum((g * out).flip(dim), dim).flip(dim) / x,)


CUMPROD = Op("cumprod", "CumprodBackward0", _f_cumprod, _g_cumprod, saves_out=True)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    dt = D.get(dtype) if dtype is not None else (
        D.int64 if input._dtype.kind <= D.INT else input._dtype)
    x = input if dt is input._dtype else input.to(dt)
    if input.ndim == 0:
        return x.clone()
    d = _wrap_dim(dim, input.ndim)
    return unary(CUMPROD, x, (d, input._storage.backend.dtypes[dt]))


def _install() -> None:
    for name in ("sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std",
                 "var", "norm", "logsumexp", "all", "any", "cumsum", "cumprod", "sum_to_size",
                 "count_nonzero", "aminmax", "nansum", "median"):
        setattr(Tensor, name, globals()[name])


_install()
