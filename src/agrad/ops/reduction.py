"""Reductions: one row each, with PyTorch's `dim`/`keepdim` and dtype rules (integer sums give
int64, mean refuses integers), and `sum_to_size`, which fits a broadcast gradient to its input.
"""

from __future__ import annotations

import math
from typing import Any

from .. import _storage as S
from .. import dtypes as D
from .. import return_types
from .._tensor import Tensor
from ..adapter import exact_dtype
from . import _args
from ._args import dims as _dims
from ._args import wrap_dim
from ._dispatch import autograd_first, call, layout, shape_of
from ._op import COMPLEX, NOTHING, Op, accumulate, from_result, kernel, to_float
from .views import EXPAND_ROW


def _axes(ds: tuple[int, ...] | None, ndim: int) -> tuple[int, ...] | None:
    """The backend's axes: a 0-d tensor's dims (0 or -1) name no axis, but stay a tuple so that
    the call keeps its dim overload (`sum(x, 0)` is SumBackward1 at any rank)."""
    return ds if ds is None or ndim else ()


def unreduce(g: Tensor, shape: tuple, ds: tuple | None, keepdim: bool) -> Tensor:
    """A reduced gradient brought back to the input's shape (unsqueezed where keepdim dropped
    the dims, then expanded)."""
    if g.ndim == 0:  # a full reduction's 0-d gradient: every stride 0
        return call(EXPAND_ROW, (g,), (tuple(shape), (0,) * len(shape)))
    if not keepdim and shape and ds is not None:
        kept = list(g.shape)
        for d in sorted(ds):
            kept.insert(d, 1)
        g = g.reshape(tuple(kept))
    return g.expand(shape)


def _by_dim(name: str) -> Any:
    """grad_fn names PyTorch gives a reduction: `...Backward0` over everything, `...Backward1`
    with a dim."""
    def grad_fn(inputs: tuple, params: Any) -> str:
        return f"{name}Backward0" if params[0] is None else f"{name}Backward1"
    return grad_fn


def _cast(input: Tensor, dtype: Any, fn: str) -> Tensor:  # noqa: A002
    """`input` in the `dtype=` argument of `fn` (checked as PyTorch checks it)."""
    dt = _args.dtype(fn, dtype)
    return input if dt is None or dt is input._dtype else input.to(dt)


def _dt(dtype: Any, fn: str) -> D.dtype | None:
    return _args.dtype(fn, dtype)


# -- sum / mean / prod ----------------------------------------------------------------------------

def _summing(name: str) -> Any:
    """The signature of sum and nansum."""
    def args(input: Tensor, dim: int | tuple[int, ...] | None = None,  # noqa: A002
             keepdim: bool = False, *, dtype: D.dtype | None = None) -> tuple:
        return (input,), (None if dim is None else _axes(_dims(dim, input.ndim), input.ndim),
                          keepdim, _dt(dtype, name))
    return args


SUM = Op("sum", _summing("sum"), forward=lambda xp, a, p: xp.sum(a, axis=p[0], keepdims=p[1]),
         backward=lambda n, g: (unreduce(g, n.shape(0), *n.params[:2]),),
         grad_fn=_by_dim("Sum"), dtype=accumulate, dtype_arg=2, needs=NOTHING, out=True,
         saved_params=lambda p: {} if p[0] is None else {"dim": p[0], "keepdim": p[1]},
         # dtype=bool: PyTorch's bool accumulator saturates (any), as prod's is all
         bool_forward=lambda xp, a, p: xp.any(a, axis=p[0], keepdims=p[1]))


def _nansum(xp: Any, a: Any, p: tuple) -> Any:
    if xp.isdtype(a.dtype, ("real floating", "complex floating")):
        a = xp.where(xp.isnan(a), xp.zeros((), dtype=a.dtype), a)
    return xp.sum(a, axis=p[0], keepdims=p[1])


def _nansum_bwd(n: Any, g: Tensor) -> tuple:
    (x,) = n.inputs
    return (unreduce(g, n.shape(0), *n.params[:2]) * ~x.isnan(),)


Op("nansum", _summing("nansum"), forward=_nansum, backward=_nansum_bwd, dtype=accumulate,
   dtype_arg=2)


def sum_to_size(input: Tensor, *size: Any) -> Tensor:  # noqa: A002
    """Sum `input` down to a shape it was broadcast from (the gradient of broadcasting)."""
    shape = tuple(_args.sizes(size))
    gs = tuple(shape_of(input))
    if gs == shape:
        return input
    lead = len(gs) - len(shape)
    if lead < 0:
        raise RuntimeError(f"size {{{list(shape)}}} is not expandable to size {{{list(gs)}}}.")
    ds = list(range(lead))
    for i, s in enumerate(shape):
        if s == 1 and gs[lead + i] != 1:
            ds.append(lead + i)
        elif s != gs[lead + i]:
            raise RuntimeError(f"size {{{list(shape)}}} is not expandable to size {{{list(gs)}}}.")
    r = input.sum(tuple(ds), keepdim=True) if ds else input
    return r.reshape(shape) if tuple(r.shape) != shape else r


Op("sum_to_size", sum_to_size, impl=sum_to_size, function=False)


def _floating(name: str, t: Tensor, dtype: Any) -> Tensor:
    """mean and friends have no integer result: PyTorch asks for a floating dtype."""
    dt = _args.dtype(name, dtype) or t._dtype
    if dt.category < D.FLOAT:
        raise RuntimeError(f"{name}(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {dt.legacy}")
    return _cast(t, dt, name)


def _mean_args(input: Tensor, dim: int | tuple[int, ...] | None = None,  # noqa: A002
               keepdim: bool = False, *, dtype: D.dtype | None = None) -> tuple:
    x = _floating("mean", input, dtype)
    return (x,), (None if dim is None else _axes(_dims(dim, x.ndim), x.ndim), keepdim)


def _mean_bwd(n: Any, g: Tensor) -> tuple:
    ds, keepdim = n.params
    shape = n.shape(0)
    count = 1
    for i, s in enumerate(shape):
        if ds is None or i in ds:
            count *= s
    return (unreduce(g, shape, ds, keepdim) / count,)


MEAN = Op("mean", _mean_args, forward=lambda xp, a, p: xp.mean(a, axis=p[0], keepdims=p[1]),
          backward=_mean_bwd, grad_fn=_by_dim("Mean"), needs=NOTHING, out=True,
          saved_params=lambda p: {} if p[0] is None else {"dim": p[0], "keepdim": p[1]})


def _prod_args(input: Tensor, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
               dtype: D.dtype | None = None) -> tuple:
    x = input
    return (x,), (None if dim is None else _axes((wrap_dim(dim, x.ndim),), x.ndim), keepdim,
                  _dt(dtype, "prod"))


def _prod_excluding(x: Tensor) -> Tensor:
    """For each element along the last dim, the product of all the others (exclusive cumprods,
    so zeros need no division)."""
    from .shape_ops import cat

    one_ = x.new_ones((*x.shape[:-1], 1))
    left = cat([one_, x.cumprod(-1)[..., :-1]], -1)
    right = cat([one_, x.flip(-1).cumprod(-1)[..., :-1]], -1).flip(-1)
    return left * right


def _prod_bwd(n: Any, g: Tensor) -> tuple:
    """PyTorch's ProdBackward saves the input and the result: a write into either since the
    forward fails backward, though the exclusive products below (exact with zeros) read only
    the input."""
    ds, keepdim, _ = n.params
    (x,) = n.inputs
    n.result  # noqa: B018 - unpacked as PyTorch unpacks it: a write into it since fails here
    shape = n.shape(0)
    if x.numel() == 0:  # the product of nothing is 1, a constant
        return (x.new_zeros(shape),)
    gg = unreduce(g, shape, ds, keepdim)
    if not ds:  # everything, or a 0-d input's dim
        others = _prod_excluding(x.reshape(-1)).reshape(shape)
    else:
        d = ds[0]
        others = _prod_excluding(x.movedim(d, -1)).movedim(-1, d)
    return (_prod_grad_layout(gg * (others.conj() if others.is_complex() else others), x),)


def _prod_grad_layout(g: Tensor, x: Tensor) -> Tensor:
    """The gradient in PyTorch's layout, which its two formulas decide: without zeros in the
    input, `grad * result / input` takes a dense input's strides; with zeros, it is row-major.
    Only a dense input that is not row-major needs the values looked at (not on a lazy
    backend, which would compute them: there the gradient takes the input's layout)."""
    shape, strides, _ = layout(x)
    target = S.contiguous_strides(shape)
    if strides != target and S.non_overlapping_and_dense(shape, strides) and (
            x._storage.backend.lazy or not bool((x == 0).any())):
        target = strides
    if layout(g)[1] == target:
        return g
    if target == S.contiguous_strides(shape):
        return g.contiguous()
    from .creation import empty_like

    return empty_like(x).copy_(g)


PROD = Op("prod", _prod_args, forward=lambda xp, a, p: xp.prod(a, axis=p[0], keepdims=p[1]),
          backward=_prod_bwd, grad_fn=_by_dim("Prod"), dtype=accumulate, dtype_arg=2,
          # PyTorch's ProdBackward saves its result too: writing it fails backward there
          saves_result=True,
          bool_forward=lambda xp, a, p: xp.all(a, axis=p[0], keepdims=p[1]))


# -- max / min / argmax / argmin ------------------------------------------------------------------

def _reduced_empty(xp: Any, a: Any, axes: tuple, keepdim: bool, dtype: Any) -> Any:
    """The result of reducing non-empty dims of an empty array: empty, of the reduced shape
    (computed here, not by the backend: Dask's max of an empty array computes a wrong shape or
    raises, having no identity for it)."""
    shape = tuple(1 if i in axes else s for i, s in enumerate(a.shape) if keepdim or i not in axes)
    return xp.zeros(shape, dtype=dtype)


def _extreme(fn: str) -> Any:
    def f(xp: Any, a: Any, p: tuple) -> Any:
        ds, keepdim = p
        if ds and 0 in a.shape:
            return _reduced_empty(xp, a, ds, keepdim, a.dtype)
        if xp.isdtype(a.dtype, "bool"):  # the Array API does not order bools: max is any
            return (xp.any if fn == "max" else xp.all)(a, axis=ds, keepdims=keepdim)
        return getattr(xp, fn)(a, axis=ds, keepdims=keepdim)
    return f


def _extreme_bwd(n: Any, g: Tensor, nan: bool = False) -> tuple:
    """The gradient split evenly between tied extremes (PyTorch's amax/amin and max()/min()).
    max()/min() of everything (`nan`) count a nan result's nans as the extremes, as PyTorch's
    evenly_distribute_backward does; amax/amin's nan result gives nan gradients."""
    ds, keepdim = n.params
    (x,) = n.inputs
    shape = n.shape(0)
    r = unreduce(n.result, shape, ds, keepdim)
    mask = x == r
    if nan:
        mask = mask | (x.isnan() & r.isnan())
    gg = unreduce(g, shape, ds, keepdim)
    if not shape:
        return (gg,)
    return (gg * mask / mask.sum(ds, keepdim=True),)


def _nonempty(name: str, t: Tensor, ds: tuple | None, given: Any = None) -> None:
    """PyTorch's refusals of max/min-like reductions over nothing (naming the dim as `given`,
    where amax/amin name it)."""
    shape = shape_of(t)
    if t.numel() == 0:
        if ds is None:
            raise RuntimeError(f"{name}: Expected reduction dim to be specified for "
                               f"input.numel() == 0. Specify the reduction dim with the 'dim' "
                               f"argument.")
        for d, shown in zip(ds, ds if given is None else given):
            if shape[d] == 0:
                raise IndexError(f"{name}: Expected reduction dim {shown} to have non-zero "
                                 f"size.")


def _amax_args(name: str) -> Any:
    def args(input: Tensor, dim: int | tuple[int, ...] = (),  # noqa: A002
             keepdim: bool = False) -> tuple:
        ds = _dims(dim, input.ndim)
        _nonempty(name + "()", input, ds, (dim,) if isinstance(dim, int) else dim)
        return (input,), (_axes(ds, input.ndim), keepdim)
    return args


def _saved_dims(p: tuple) -> dict:
    """PyTorch's `_saved_dim` (a tuple) and `_saved_keepdim` of a reduction over dims."""
    return {"dim": p[0], "keepdim": p[1]}


AMAX = Op("amax", _amax_args("amax"), forward=_extreme("max"), backward=_extreme_bwd,
          saves_result=True, refuse=kernel("max_values_cpu", COMPLEX), saved_params=_saved_dims)
AMIN = Op("amin", _amax_args("amin"), forward=_extreme("min"), backward=_extreme_bwd,
          saves_result=True, refuse=kernel("min_values_cpu", COMPLEX), saved_params=_saved_dims)


def _everything(input: Tensor) -> tuple:  # noqa: A002
    return (input,), (None, False)


MAX_ALL = Op("max.all", _everything, forward=_extreme("max"),
             backward=lambda n, g: _extreme_bwd(n, g, True),
             saves_result=True, function=False, method=False, grad_fn="MaxBackward1",
             refuse=kernel("max_all", COMPLEX))
MIN_ALL = Op("min.all", _everything, forward=_extreme("min"),
             backward=lambda n, g: _extreme_bwd(n, g, True),
             saves_result=True, function=False, method=False, grad_fn="MinBackward1",
             refuse=kernel("min_all", COMPLEX))


def selected(shape: tuple, dim: int | None, idx: Tensor, g: Tensor, keepdim: bool) -> Tensor:
    """The gradient of a value picked along `dim` at `idx` (max/min/median with a dim): g at the
    picked positions, zeros elsewhere."""
    if dim is None or not shape:
        return g.reshape(shape) if shape == () else g.expand(shape)
    if not keepdim:
        idx, g = idx.unsqueeze(dim), g.unsqueeze(dim)
    from .creation import arange

    pos = arange(shape[dim], device=g.device).reshape(
        tuple(shape[dim] if i == dim else 1 for i in range(len(shape))))
    return g.where(pos == idx, 0.0)


def _extreme_dim(fn: str) -> Any:
    def f(xp: Any, a: Any, p: tuple) -> tuple:
        axis, keepdim = p
        if axis is not None and 0 in a.shape:
            return (_reduced_empty(xp, a, (axis,), keepdim, a.dtype),
                    _reduced_empty(xp, a, (axis,), keepdim, _i64(xp)))
        if xp.isdtype(a.dtype, "bool"):  # ordered as 0/1 (the Array API does not order bools)
            x = xp.astype(a, xp.int8)
            return (xp.astype(getattr(xp, fn)(x, axis=axis, keepdims=keepdim), xp.bool),
                    xp.astype(getattr(xp, "arg" + fn)(x, axis=axis, keepdims=keepdim), _i64(xp)))
        return (getattr(xp, fn)(a, axis=axis, keepdims=keepdim),
                xp.astype(getattr(xp, "arg" + fn)(a, axis=axis, keepdims=keepdim), _i64(xp)))
    return f


def _extreme_dim_bwd(n: Any, g: Tensor) -> tuple:
    axis, keepdim = n.params
    return (selected(n.shape(0), axis, n.result, g[0] if isinstance(g, tuple) else g,
                     keepdim),)


def _dim_args(name: str, input: Tensor, dim: int, keepdim: bool) -> tuple:
    if input._dtype.category == D.COMPLEX:
        raise RuntimeError(f"{name}(): does not support complex input")
    n = input.ndim
    d = wrap_dim(dim, n)
    if n and shape_of(input)[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return (input,), (d if n else None, keepdim)


MAX_DIM = Op("max.dim", lambda input, dim, keepdim: _dim_args("max", input, dim, keepdim),
             forward=_extreme_dim("max"), backward=_extreme_dim_bwd, outputs=2,
             returns=return_types.max, saves_result=1, needs=NOTHING, function=False,
             method=False, grad_fn="MaxBackward0")
MIN_DIM = Op("min.dim", lambda input, dim, keepdim: _dim_args("min", input, dim, keepdim),
             forward=_extreme_dim("min"), backward=_extreme_dim_bwd, outputs=2,
             returns=return_types.min, saves_result=1, needs=NOTHING, function=False,
             method=False, grad_fn="MinBackward0")


def _max_or_min(all_row: Op, dim_row: Op, name: str) -> Any:
    def f(input: Tensor, dim: int | Tensor | None = None,  # noqa: A002
          keepdim: bool = False) -> Any:
        if isinstance(dim, Tensor):  # max(input, other): the elementwise maximum
            return input.maximum(dim) if name == "max" else input.minimum(dim)
        try:
            if dim is None:
                _nonempty(name + "()", input, None)
                return call(all_row, *all_row.args(input))
            return call(dim_row, *dim_row.args(input, dim, keepdim))
        except Exception as e:  # (PyTorch's max is its own autograd op: its refusals first)
            autograd_first(dim_row, e, (input,))
            raise
    f.__name__ = name
    return f


max = _max_or_min(MAX_ALL, MAX_DIM, "max")  # noqa: A001 - PyTorch's name
min = _max_or_min(MIN_ALL, MIN_DIM, "min")  # noqa: A001
Op("max", max, impl=max)
Op("min", min, impl=min)


def _aminmax_args(input: Tensor, *, dim: int | None = None,  # noqa: A002
                  keepdim: bool = False) -> tuple:
    if input._dtype.category == D.COMPLEX:
        raise RuntimeError("aminmax(): does not support complex input")
    ds = None if dim is None else (wrap_dim(dim, input.ndim),)
    if ds is None and input.numel() == 0:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    _nonempty("aminmax", input, ds)
    return (input,), (_axes(ds, input.ndim), keepdim)


def _aminmax(xp: Any, a: Any, p: tuple) -> tuple:
    return _extreme("min")(xp, a, p), _extreme("max")(xp, a, p)


def _evenly(g: Any, x: Tensor, picked: Tensor, shape: tuple, ds: Any, keepdim: bool) -> Tensor:
    """g shared evenly between the elements equal to the picked extreme."""
    mask = x == unreduce(picked, shape, ds, keepdim)
    gg = unreduce(g, shape, ds, keepdim)
    return gg * mask / mask.sum(ds, keepdim=True) if shape else gg


def _aminmax_bwd(n: Any, g: Any) -> tuple:
    ds, keepdim = n.params
    (x,) = n.inputs
    g_min, g_max = g if isinstance(g, tuple) else (g, None)
    d = ds if ds is not None else ()
    shape = n.shape(0)
    total = None
    for gi, picked in ((g_min, x.amin(d, keepdim)), (g_max, x.amax(d, keepdim))):
        if gi is not None:
            part = _evenly(gi, x, picked, shape, ds, keepdim)
            total = part if total is None else total + part
    return (total,)


Op("aminmax", _aminmax_args, forward=_aminmax, backward=_aminmax_bwd, outputs=2,
   returns=return_types.aminmax)


def _arg_args(name: str) -> Any:
    def args(input: Tensor, dim: int | None = None, keepdim: bool = False) -> tuple:  # noqa: A002
        if input._dtype is D.bool:
            raise RuntimeError(f"{name}(): does not support bool input")
        if input._dtype.category == D.COMPLEX:
            raise RuntimeError(f"{name}(): does not support complex input")
        n = input.ndim
        if dim is None:
            if input.numel() == 0:
                raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                                 f"input.numel() == 0.")
            return (input,), (None, keepdim, n)
        d = wrap_dim(dim, n)
        if n and shape_of(input)[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
        return (input,), (d if n else None, keepdim, n)
    return args


def _arg(fn: str) -> Any:
    def f(xp: Any, a: Any, p: tuple) -> Any:
        d, keepdim, n = p
        if d is None:
            r = getattr(xp, fn)(xp.reshape(a, (-1,)))
            r = xp.reshape(r, (1,) * n) if keepdim else r
        else:
            r = getattr(xp, fn)(a, axis=d, keepdims=keepdim)
        return xp.astype(r, _i64(xp))
    return f


Op("argmax", _arg_args("argmax"), forward=_arg("argmax"), dtype=from_result)
Op("argmin", _arg_args("argmin"), forward=_arg("argmin"), dtype=from_result)


# -- var / std / norm / logsumexp -----------------------------------------------------------------

def _var_args(input: Tensor, dim: int | tuple[int, ...] | None = None,  # noqa: A002
              unbiased: bool | None = None, keepdim: bool = False, *,
              correction: float | None = None) -> tuple:
    if unbiased is not None and not isinstance(unbiased, bool) and dim is None:
        dim, unbiased = unbiased, None  # var(x, dims) positionally
    if input._dtype.category < D.FLOAT:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    corr = float(correction) if correction is not None else \
        (1.0 if unbiased is None or unbiased else 0.0)
    return (input,), (_axes(_dims(dim, input.ndim), input.ndim), keepdim, corr)


def _var_bwd(n: Any, g: Tensor) -> tuple:
    ds, keepdim, corr = n.params
    (x,) = n.inputs
    shape = n.shape(0)
    count = 1
    for i, s in enumerate(shape):
        if ds is None or i in ds:
            count *= s
    mu = x.mean(ds, keepdim=True) if ds is not None else x.mean()
    return (unreduce(g, shape, ds, keepdim) * 2.0 * (x - mu) / (count - corr),)


def _f_var(xp: Any, a: Any, p: tuple) -> Any:
    return xp.var(a, axis=p[0], keepdims=p[1], correction=p[2])


VAR = Op("var", _var_args, forward=_f_var, backward=_var_bwd)


def _std_bwd(n: Any, g: Tensor) -> tuple:
    """var's gradient scaled by 1 / (2 std), zero where std is (PyTorch's std_backward)."""
    std_ = n.result
    return _var_bwd(n, (g / (2 * std_)).where(std_ != 0, 0.0))


def _moments_bwd(std: bool) -> Any:
    """var_mean / std_mean: the spread's gradient plus the mean's."""
    def bwd(n: Any, g: Any) -> tuple:
        g_spread, g_mean = g if isinstance(g, tuple) else (g, None)
        ds, keepdim, _ = n.params
        total = None
        if g_spread is not None:
            total = (_std_bwd if std else _var_bwd)(n, g_spread)[0]
        if g_mean is not None:
            shape = n.shape(0)
            count = 1
            for i, s in enumerate(shape):
                if ds is None or i in ds:
                    count *= s
            part = unreduce(g_mean, shape, ds, keepdim) / count
            total = part if total is None else total + part
        return (total,)
    return bwd


def _f_std(xp: Any, a: Any, p: tuple) -> Any:
    return xp.std(a, axis=p[0], keepdims=p[1], correction=p[2])


def _f_moments(spread: Any) -> Any:
    def f(xp: Any, a: Any, p: tuple) -> tuple:
        return spread(xp, a, p), xp.mean(a, axis=p[0], keepdims=p[1])
    return f


STD = Op("std", _var_args, forward=_f_std, backward=_std_bwd, saves_result=True)
Op("var_mean", _var_args, forward=_f_moments(_f_var), backward=_moments_bwd(False), outputs=2,
   method=False)
Op("std_mean", _var_args, forward=_f_moments(_f_std), backward=_moments_bwd(True), outputs=2,
   saves_result=True, method=False)


def _vnorm(xp: Any, a: Any, p: tuple) -> Any:
    ds, keepdim, ord_ = p
    a = xp.abs(a)
    if ord_ == math.inf:
        return xp.max(a, axis=ds, keepdims=keepdim)
    if ord_ == -math.inf:
        return xp.min(a, axis=ds, keepdims=keepdim)
    if ord_ == 0:
        return xp.sum(xp.astype(a != 0, a.dtype), axis=ds, keepdims=keepdim)
    if ord_ == 2:
        return xp.sqrt(xp.sum(a * a, axis=ds, keepdims=keepdim))
    if ord_ == 1:
        return xp.sum(a, axis=ds, keepdims=keepdim)
    return xp.sum(a ** ord_, axis=ds, keepdims=keepdim) ** (1.0 / ord_)


def _vnorm_bwd(n: Any, g: Tensor) -> tuple:
    ds, keepdim, p = n.params
    (x,) = n.inputs
    shape = n.shape(0)
    gg = unreduce(g, shape, ds, keepdim)
    o = unreduce(n.result, shape, ds, keepdim)
    if p == 0:
        return (x * 0,)
    if p == 1:
        return (gg * x.sgn(),)
    if p == 2:
        return (gg * (x / o).where(o != 0, 0.0),)
    if p in (math.inf, -math.inf):
        mask = x.abs() == o
        cnt = mask.sum(ds, keepdim=True) if ds is not None else mask.sum()
        return (gg * x.sgn() * mask / cnt,)
    return (gg * x.sgn() * ((x.abs() / o) ** (p - 1)).where(o != 0, 0.0),)


def _vnorm_args(x: Tensor, ord: float = 2, dim: int | tuple[int, ...] | None = None,  # noqa: A002
                keepdim: bool = False, *, dtype: D.dtype | None = None) -> tuple:
    if x._dtype.category < D.FLOAT:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {x._dtype.legacy}")
    x = _cast(x, dtype, "linalg_vector_norm")
    return (x,), (_axes(_dims(dim, x.ndim), x.ndim), keepdim, float(ord))


VECTOR_NORM = Op("vector_norm", _vnorm_args, forward=_vnorm, backward=_vnorm_bwd,
                 saves_result=True, grad_fn="LinalgVectorNormBackward0", method=False,
                 dtype=lambda dt: (dt, dt.to_real()),
                 saved_names={"LinalgVectorNormBackward0": ("self",)},
                 saved_params=lambda p: {"dim": p[0], "keepdim": p[1], "ord": p[2]})


def norm(input: Tensor, p: float | str | None = "fro",  # noqa: A002
         dim: int | tuple[int, ...] | None = None, keepdim: bool = False,
         dtype: D.dtype | None = None) -> Tensor:
    """torch.norm: the vector p-norm over `dim` (all elements by default); 'fro' is p=2."""
    if input._dtype.category < D.FLOAT:
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {input._dtype.legacy}")
    if p == "fro" and isinstance(dim, (tuple, list)) and len(dim) > 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got "
                           f"{' '.join(str(d) for d in dim)}")
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        raise RuntimeError("nuclear norm is not supported")
    return call(VECTOR_NORM, *_vnorm_args(_cast(input, dtype, "linalg_vector_norm"), p, dim,
                                          keepdim))


Op("norm", norm, impl=norm)


def _logsumexp_args(input: Tensor, dim: int | tuple[int, ...],  # noqa: A002
                    keepdim: bool = False) -> tuple:
    return (input,), (_axes(_dims(dim, input.ndim), input.ndim), keepdim)


def _logsumexp(xp: Any, a: Any, p: tuple) -> Any:
    """log(sum(exp(x))) over dim, around the maximum so large values do not overflow."""
    ds, keepdim = p
    if 0 in tuple(a.shape):
        return xp.log(xp.sum(xp.exp(a), axis=ds, keepdims=keepdim))
    m = xp.max(a, axis=ds, keepdims=True)
    m = xp.where(xp.isinf(m), xp.zeros((), dtype=m.dtype), m)
    r = xp.log(xp.sum(xp.exp(a - m), axis=ds, keepdims=True)) + m
    if keepdim:
        return r
    return xp.reshape(r, tuple(s for i, s in enumerate(r.shape) if ds is not None and
                               i not in ds))


def _logsumexp_bwd(n: Any, g: Tensor) -> tuple:
    ds, keepdim = n.params
    (x,) = n.inputs
    shape = n.shape(0)
    return (unreduce(g, shape, ds, keepdim) * (x - unreduce(n.result, shape, ds, keepdim)).exp(),)


Op("logsumexp", _logsumexp_args, forward=_logsumexp, backward=_logsumexp_bwd, dtype=to_float,
   saves_result=True, saved_params=_saved_dims)


# -- boolean reductions ---------------------------------------------------------------------------

def _bool_dtype(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    """all/any: a bool result, except uint8 inputs keep uint8 (PyTorch's legacy masks)."""
    return (dt, D.uint8) if dt is D.uint8 else (dt, D.bool)


def _boolred(fn: str) -> Any:
    def f(xp: Any, a: Any, p: tuple) -> Any:
        ds, keepdim = p
        r = getattr(xp, fn)(a if xp.isdtype(a.dtype, "bool") else a != 0, axis=ds,
                            keepdims=keepdim)
        return xp.astype(r, xp.uint8) if a.dtype == xp.uint8 else r
    return f


def _boolred_args(input: Tensor, dim: int | tuple[int, ...] | None = None,  # noqa: A002
                  keepdim: bool = False) -> tuple:
    return (input,), (_axes(_dims(dim, input.ndim), input.ndim), keepdim)


Op("all", _boolred_args, forward=_boolred("all"), dtype=_bool_dtype, out=True)
Op("any", _boolred_args, forward=_boolred("any"), dtype=_bool_dtype, out=True)


def count_nonzero(input: Tensor, dim: int | tuple[int, ...] | None = None) -> Tensor:  # noqa: A002
    return (input != 0).sum(dim)


Op("count_nonzero", count_nonzero, impl=count_nonzero)


def _median_all(xp: Any, a: Any) -> Any:
    """The lower of the two middle values (NaN wins, as in PyTorch)."""
    flat = xp.reshape(a, (-1,))
    if flat.shape[0] == 0:
        return xp.asarray(float("nan"), dtype=a.dtype)
    m = xp.sort(flat)[(flat.shape[0] - 1) // 2]
    if xp.isdtype(a.dtype, "real floating"):
        m = xp.where(xp.any(xp.isnan(flat)), xp.asarray(float("nan"), dtype=a.dtype), m)
    return m


def _median_dim(xp: Any, a: Any, p: tuple) -> tuple:
    d, keepdim = p
    if d is None:  # a 0-d input
        return xp.asarray(a, copy=True), xp.zeros((), dtype=xp.int64)
    k = (a.shape[d] - 1) // 2
    idx = xp.argsort(a, axis=d, stable=True)[(slice(None),) * d + (slice(k, k + 1), ...)]
    from .shape_ops import gather_along

    vals = gather_along(xp, a, idx, d)
    if not keepdim:
        vals, idx = xp.squeeze(vals, axis=d), xp.squeeze(idx, axis=d)
    return vals, xp.astype(idx, xp.int64)


def _median_all_bwd(n: Any, g: Tensor) -> tuple:
    (x,) = n.inputs
    return (_evenly(g, x, n.result, n.shape(0), None, False),)


def _median_dim_bwd(n: Any, g: Any) -> tuple:
    d, keepdim = n.params
    return (selected(n.shape(0), d, n.result, g[0] if isinstance(g, tuple) else g, keepdim),)


MEDIAN_ALL = Op("median.all", lambda input: ((input,), None), forward=_median_all,
                backward=_median_all_bwd, saves_result=True, function=False, method=False,
                grad_fn="MedianBackward0")
MEDIAN_DIM = Op("median.dim", lambda input, p: ((input,), p), forward=_median_dim,
                backward=_median_dim_bwd, outputs=2, returns=return_types.median,
                saves_result=1, needs=NOTHING, function=False, method=False,
                grad_fn="MedianBackward1")


def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A002
    """The lower of the two middle values (over everything, or along dim with its index)."""
    if input._dtype is D.bool or input._dtype.category == D.COMPLEX:
        raise NotImplementedError(f"\"median_cpu\" not implemented for "
                                  f"'{input._dtype.legacy}'")
    if dim is None:
        return call(MEDIAN_ALL, (input,))
    d = wrap_dim(dim, input.ndim)
    return call(MEDIAN_DIM, (input,), (d if input.ndim else None, keepdim))


Op("median", median, impl=median)


# -- scans --------------------------------------------------------------------------------------

def _scanning(name: str) -> Any:
    """The signature of cumsum and cumprod."""
    def args(input: Tensor, dim: int, *, dtype: D.dtype | None = None) -> tuple:  # noqa: A002
        dt = _dt(dtype, name)
        if dt is D.bool:  # PyTorch has no bool scan kernel
            raise NotImplementedError(f'"{name}_out_cpu" not implemented for \'Bool\'')
        return (input,), (wrap_dim(dim, input.ndim) if input.ndim else None, dt)
    return args


def _cumsum(xp: Any, a: Any, p: tuple) -> Any:
    dim = p[0]
    if dim is None:  # a 0-d tensor: its own cumulative sum
        return xp.asarray(a, copy=True)
    return xp.cumulative_sum(a, axis=dim)


def _cumprod(xp: Any, a: Any, p: tuple) -> Any:
    dim = p[0]
    if dim is None:
        return xp.asarray(a, copy=True)
    if hasattr(xp, "cumulative_prod"):
        return xp.cumulative_prod(a, axis=dim)
    # the standard before 2024.12 has no cumulative_prod: an inclusive scan by doubling, exact
    # for integers, zeros and signs (log2(n) products with the array shifted by 1, 2, 4 ...)
    n = a.shape[dim]
    k = 1
    while k < n:
        head = [slice(None)] * a.ndim
        head[dim] = slice(0, n - k)
        pad = list(a.shape)
        pad[dim] = k
        a = a * xp.concat([xp.ones(tuple(pad), dtype=a.dtype), a[tuple(head)]], axis=dim)
        k *= 2
    return a


def _cumsum_bwd(n: Any, g: Tensor) -> tuple:
    d = n.params[0]
    return (g if d is None else g.flip(d).cumsum(d).flip(d),)


def _shifted(t: Tensor, k: int, d: int, fill: float) -> Tensor:
    """t moved by k along d (t[i + k] at i for k > 0, t[i - k] for k < 0), `fill` where
    nothing moves in."""
    from .shape_ops import cat

    size, m = t.shape[d], abs(k)
    if m >= size:
        return t.new_full(t.shape, fill)
    pad = t.new_full((*t.shape[:d], m, *t.shape[d + 1:]), fill)
    return cat([t.narrow(d, k, size - k), pad], d) if k > 0 else \
        cat([pad, t.narrow(d, 0, size + k)], d)


def _cumprod_bwd(n: Any, g: Tensor) -> tuple:
    """grad_i = (x_0 ... x_{i-1}) * S_i with S_i = g_i + x_{i+1} S_{i+1}: the recurrence by
    doubling (log2(n) steps of agrad ops), with no division, so zeros are exact and the double
    backward (prod's goes through here) is the derivative of this very formula."""
    d = n.params[0]
    if d is None:
        return (g,)
    (x,) = n.inputs
    before = _shifted(n.result, -1, d, 1.0)  # the exclusive cumulative product
    a, s = _shifted(x, 1, d, 0.0), g
    k = 1
    while k < x.shape[d]:
        s = s + a * _shifted(s, k, d, 0.0)
        a = a * _shifted(a, k, d, 0.0)
        k *= 2
    return (before * s,)


Op("cumsum", _scanning("cumsum"), forward=_cumsum, backward=_cumsum_bwd, dtype=accumulate,
   dtype_arg=1, needs=NOTHING, inplace=True, saved_params=lambda p: {"dim": p[0] or 0})
Op("cumprod", _scanning("cumprod"), forward=_cumprod, backward=_cumprod_bwd, dtype=accumulate,
   dtype_arg=1, saves_result=True, inplace=True, saved_params=lambda p: {"dim": p[0] or 0})


def _i64(xp):
    """int64 indices, as PyTorch returns them (refused where the backend has no int64)."""
    return exact_dtype(xp, "int64")
