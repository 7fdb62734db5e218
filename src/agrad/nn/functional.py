"""agrad.nn.functional: activations and losses, each a row (forward with `xp`, backward with
agrad ops) or, where PyTorch composes them, the same composition (so grad_fn names match:
`cross_entropy` is log_softmax + nll_loss and shows NllLossBackward0, `l1_loss` shows
MeanBackward0).

softmax / log_softmax subtract the row maximum first, so large logits do not overflow.
Checks on values (class indices in range, probabilities in [0, 1]) run on eager backends; on a
lazy backend they would force a computation, so there they are skipped.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from ..adapter import exact_dtype
from ..ops import _args
from ..ops._args import not_implemented as _not_impl
from ..ops._args import one as _one
from ..ops._args import same_device as _same_device
from ..ops._args import tensor as _check_tensor
from ..ops._args import wrap_dim as _wrap_dim
from ..ops._dispatch import broadcast_shapes, call, read
from ..ops._op import NOTHING, Op, from_result
from ..ops._variants import functions
from ..ops.elementwise import erf_array
from ..ops.shape_ops import gather_along

F = "agrad.nn.functional"  # the namespace of these rows

_REDUCTIONS = ("none", "mean", "sum")


def _reduction(reduction: str, size_average: Any = None, reduce: Any = None) -> str:
    if size_average is not None or reduce is not None:
        sa = True if size_average is None else size_average
        rd = True if reduce is None else reduce
        reduction = "mean" if sa and rd else "sum" if rd else "none"
        warnings.warn(f"size_average and reduce args will be deprecated, please use "
                      f"reduction='{reduction}' instead.", UserWarning, stacklevel=3)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _eager(t: Tensor) -> bool:
    return not t._storage.backend.lazy


def _size_repr(shape: Any) -> str:
    return f"torch.Size({list(shape)})"


# -- softmax / log_softmax -----------------------------------------------------------------------

def _softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  f"include dim=X as an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def _f_softmax(xp: Any, a: Any, dim: int) -> Any:
    if 0 in tuple(a.shape):
        return xp.asarray(a, copy=True)
    axis = dim if a.ndim else None
    m = xp.max(a, axis=axis, keepdims=True)
    e = xp.exp(a - m)
    return e / xp.sum(e, axis=axis, keepdims=True)


def _f_log_softmax(xp: Any, a: Any, dim: int) -> Any:
    if 0 in tuple(a.shape):
        return xp.asarray(a, copy=True)
    axis = dim if a.ndim else None
    m = xp.max(a, axis=axis, keepdims=True)
    s = a - m
    return s - xp.log(xp.sum(xp.exp(s), axis=axis, keepdims=True))


def _g_softmax(n: Any, g: Tensor) -> tuple:
    dim = n.params
    y = n.result
    gy = g * y
    return (gy - y * gy.sum(dim, keepdim=True),) if y.ndim else (gy - y * gy,)


def _g_log_softmax(n: Any, g: Tensor) -> tuple:
    dim = n.params
    y = n.result
    return (g - y.exp() * g.sum(dim, keepdim=True),) if y.ndim else (g - y.exp() * g,)


def _softmax_input(kernel: str, input: Tensor, dim: int | None, dtype: Any,  # noqa: A002
                   stacklevel: int) -> tuple:
    """PyTorch's checks of softmax-like calls; the implicit dim warns at the caller's line."""
    _check_tensor(kernel, input, "input", 1)
    dtype = _args.dtype(kernel, dtype)
    if dim is None:
        dim = _softmax_dim(kernel, input.ndim, stacklevel + 1)
    d = _wrap_dim(dim, input.ndim)
    x = input if dtype is None else input.to(dtype)
    if x._dtype.category < D.FLOAT:
        last = d == input.ndim - 1 or input.ndim == 0
        raise _not_impl(f"{kernel}_lastdim_kernel_impl" if last else f"{kernel}_kernel_impl", x)
    return (x,), d


SOFTMAX = Op("softmax.kernel", lambda x, d: ((x,), d), forward=_f_softmax,
             backward=_g_softmax, needs=NOTHING, saves_result=True, namespace=F,
             function=False, method=False, grad_fn="SoftmaxBackward0",
             saved_params=lambda p: {"dim": p})
LOG_SOFTMAX = Op("log_softmax.kernel", lambda x, d: ((x,), d), forward=_f_log_softmax,
                 backward=_g_log_softmax, needs=NOTHING, saves_result=True, namespace=F,
                 function=False, method=False, grad_fn="LogSoftmaxBackward0",
                 saved_params=lambda p: {"dim": p})


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
            dtype: D.dtype | None = None) -> Tensor:
    """exp(x) / sum(exp(x)) along dim, computed as exp(x - max) / sum(exp(x - max))."""
    return call(SOFTMAX, *_softmax_input("softmax", input, dim, dtype, _stacklevel))


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
                dtype: D.dtype | None = None) -> Tensor:
    """x - logsumexp(x) along dim, stable for large |x|."""
    return call(LOG_SOFTMAX, *_softmax_input("log_softmax", input, dim, dtype, _stacklevel))


Op("softmax", softmax, impl=softmax, namespace=F, method=False)
Op("log_softmax", log_softmax, impl=log_softmax, namespace=F, method=False)


def _softmax_method(self: Tensor, dim: int, dtype: D.dtype | None = None) -> Tensor:
    return softmax(self, dim, dtype=dtype)


def _log_softmax_method(self: Tensor, dim: int, dtype: D.dtype | None = None) -> Tensor:
    return log_softmax(self, dim, dtype=dtype)


Op("softmax", _softmax_method, impl=_softmax_method, namespace="Tensor", function=False)
Op("log_softmax", _log_softmax_method, impl=_log_softmax_method, namespace="Tensor",
   function=False)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
            dtype: D.dtype | None = None) -> Tensor:
    dtype = _args.dtype("softmax", dtype)  # PyTorch checks it in the softmax it calls
    if dim is None:
        dim = _softmax_dim("softmin", input.ndim, _stacklevel)
    x = input if dtype is None else input.to(dtype)
    return softmax(-x, dim)


Op("softmin", softmin, impl=softmin, namespace=F, method=False)


# -- activations -----------------------------------------------------------------------------------

def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    return input.relu_() if inplace else input.relu()


def relu_(input: Tensor) -> Tensor:  # noqa: A002
    return input.relu_()


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    return input.tanh()


for _fn in (relu, relu_, sigmoid, tanh):
    Op(_fn.__name__, _fn, impl=_fn, namespace=F, method=False)


def _f_leaky(xp: Any, a: Any, slope: float) -> Any:
    return xp.where(a > 0, a, a * slope)


def _g_leaky(n: Any, g: Tensor) -> tuple:
    (x,) = n.inputs
    return (g.where(x > 0, g * n.params),)


def _leaky_args(input: Tensor, negative_slope: float = 0.01) -> tuple:  # noqa: A002
    _check_tensor("leaky_relu", input, "input", 1)
    return (input,), float(negative_slope)


LEAKY_RELU = Op("leaky_relu", _leaky_args, forward=_f_leaky, backward=_g_leaky, namespace=F,
                method=False, function=False, inplace=True, elementwise=True,
                inplace_grad_fn="LeakyReluBackward1",
                saved_params=lambda p: {"negative_slope": p})


def leaky_relu(input: Tensor, negative_slope: float = 0.01,  # noqa: A002
               inplace: bool = False) -> Tensor:
    if inplace:
        return leaky_relu_(input, negative_slope)
    return call(LEAKY_RELU, *_leaky_args(input, negative_slope))


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:  # noqa: A002
    from ..ops._dispatch import call_inplace

    return call_inplace(LEAKY_RELU, *_leaky_args(input, negative_slope))


Op("leaky_relu.functional", leaky_relu, impl=leaky_relu, namespace=F, method=False)
Op("leaky_relu_", leaky_relu_, impl=leaky_relu_, namespace=F, method=False)


_SQRT1_2 = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_K = math.sqrt(2.0 / math.pi)


def _f_gelu(xp: Any, a: Any, approximate: str) -> Any:
    if approximate == "tanh":
        return 0.5 * a * (1.0 + xp.tanh(_TANH_K * (a + 0.044715 * a * a * a)))
    return 0.5 * a * (1.0 + erf_array(xp, a * _SQRT1_2))


def _g_gelu(n: Any, g: Tensor) -> tuple:
    (x,) = n.inputs
    if n.params == "tanh":
        inner = _TANH_K * (x + 0.044715 * x * x * x)
        t = inner.tanh()
        d_inner = _TANH_K * (1.0 + 3 * 0.044715 * x * x)
        return (g * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * d_inner),)
    cdf = 0.5 * (1.0 + (x * _SQRT1_2).erf())
    pdf = _INV_SQRT_2PI * (-0.5 * x * x).exp()
    return (g * (cdf + x * pdf),)


def _gelu_args(input: Tensor, approximate: str = "none") -> tuple:  # noqa: A002
    """x * Phi(x) (approximate='tanh': PyTorch's tanh formula)."""
    _check_tensor("gelu", input, "input", 1)
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    if input._dtype.category < D.FLOAT:
        raise _not_impl("GeluKernelImpl", input)
    return (input,), approximate


Op("gelu", _gelu_args, forward=_f_gelu, backward=_g_gelu, namespace=F, method=False,
   elementwise=True, saved_params=lambda p: {"approximate": p})


def _g_silu(n: Any, g: Tensor) -> tuple:
    (x,) = n.inputs
    s = x.sigmoid()
    return (g * s * (1.0 + x * (1.0 - s)),)


SILU = Op("silu", _one, forward=lambda xp, a: a / (1.0 + xp.exp(-a)),
          backward=_g_silu, namespace=F, method=False, function=False, inplace=True,
          elementwise=True)


def silu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """x * sigmoid(x)."""
    if inplace:
        from ..ops._dispatch import call_inplace

        return call_inplace(SILU, (input,))
    return call(SILU, (input,))


Op("silu.functional", silu, impl=silu, namespace=F, method=False)


def _f_softplus(xp: Any, a: Any, p: tuple) -> Any:
    beta, threshold = p
    bx = a * beta
    soft = (xp.log1p(xp.exp(-xp.abs(bx))) + xp.maximum(bx, xp.zeros((), dtype=a.dtype))) / beta
    return xp.where(bx > threshold, a, soft)


def _g_softplus(n: Any, g: Tensor) -> tuple:
    (x,) = n.inputs
    beta, threshold = n.params
    bx = x * beta
    return (g.where(bx > threshold, g * bx.sigmoid()),)


def _softplus_args(input: Tensor, beta: float = 1.0,  # noqa: A002
                   threshold: float = 20.0) -> tuple:
    """log(1 + exp(beta x)) / beta, linear above `threshold` (stable for large x)."""
    return (input,), (float(beta), float(threshold))


Op("softplus", _softplus_args, forward=_f_softplus, backward=_g_softplus, namespace=F,
   method=False, elementwise=True)


# -- one_hot -------------------------------------------------------------------------------------

def _one_hot_args(tensor: Tensor, num_classes: int = -1) -> tuple:
    """int64 tensor with a trailing dim of num_classes (max + 1 when -1)."""
    _check_tensor("one_hot", tensor, "input", 1)
    if tensor._dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    be = tensor._storage.backend
    xp = be.xp
    a = read(tensor)
    n = tensor.numel()
    if num_classes == -1:
        if n == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        lo, hi = int(xp.min(a)), int(xp.max(a))
        if lo < 0:
            raise RuntimeError("Class values must be non-negative.")
        num_classes = hi + 1
    elif n and _eager(tensor):
        lo, hi = int(xp.min(a)), int(xp.max(a))
        if lo < 0:
            raise RuntimeError("Class values must be non-negative.")
        if hi >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    elif num_classes <= 0 and n:  # lazy: no value can be below a non-positive num_classes
        raise RuntimeError("Class values must be smaller than num_classes.")
    return (tensor,), num_classes


def _one_hot(xp: Any, a: Any, num_classes: int) -> Any:
    hot = xp.expand_dims(a, axis=-1) == xp.arange(num_classes, dtype=a.dtype)
    return xp.astype(hot, _i64(xp))


Op("one_hot", _one_hot_args, forward=_one_hot, dtype=from_result, namespace=F, method=False)


# -- regression losses -----------------------------------------------------------------------------

def _broadcast_pair(input: Tensor, target: Tensor, stacklevel: int = 3) -> tuple[Tensor, Tensor]:
    if input.shape != target.shape:
        warnings.warn(f"Using a target size ({_size_repr(target.shape)}) that is different to the "
                      f"input size ({_size_repr(input.shape)}). This will likely lead to "
                      f"incorrect results due to broadcasting. Please ensure they have the same "
                      f"size.", UserWarning, stacklevel=stacklevel + 1)
        shape = broadcast_shapes(tuple(input.shape), tuple(target.shape))
        if tuple(input.shape) != shape:
            input = input.expand(*shape)
        if tuple(target.shape) != shape:
            target = target.expand(*shape)
    return input, target


def _reduce_array(xp: Any, loss: Any, reduction: str) -> Any:
    if reduction == "mean":
        return xp.mean(loss)
    if reduction == "sum":
        return xp.sum(loss)
    return loss


def _f_mse(xp: Any, a: Any, b: Any, reduction: str) -> Any:
    d = a - b
    return _reduce_array(xp, d * d, reduction)


def _g_mse(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    reduction = n.params
    k = 2.0 / a.numel() if reduction == "mean" and a.numel() else 2.0
    gd = (a - b) * (g * k)
    return (gd if n.edges[0] is not None else None), (-gd if n.edges[1] is not None else None)


# PyTorch's reduction enum, as its nodes show it (`_saved_reduction`)
_REDUCTION_ENUM = {"none": 0, "mean": 1, "sum": 2}
MSE = Op("mse_loss.kernel", lambda self, target, reduction: ((self, target), reduction),
         forward=_f_mse, backward=_g_mse, namespace=F, function=False, method=False,
         grad_fn="MseLossBackward0",
         saved_params=lambda p: {"reduction": _REDUCTION_ENUM[p]})


def mse_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
             reduction: str = "mean", weight: Any = None) -> Tensor:
    """mean/sum/none of (input - target)**2; shapes broadcast with PyTorch's warning."""
    _check_tensor("mse_loss", input, "input", 1)
    _check_tensor("mse_loss", target, "target", 2)
    _same_device("mse_loss", input, target)
    x, y = _broadcast_pair(input, target)
    if weight is not None:
        return _weighted((x - y) ** 2, input, weight, reduction, size_average, reduce)
    red = _reduction(reduction, size_average, reduce)
    dt = D.promote_types(x._dtype, y._dtype)
    if dt.category < D.FLOAT:
        raise _not_impl("mse_cpu", input)
    x = x if x._dtype is dt else x.to(dt)
    y = y if y._dtype is dt else y.to(dt)
    return call(MSE, (x, y), red)


def _weighted(err: Tensor, input: Tensor, weight: Tensor, reduction: str, size_average: Any,
              reduce: Any) -> Tensor:
    """PyTorch's Python path for weighted mse/l1: sum(w * err) / sum(w) for 'mean'."""
    if size_average is not None or reduce is not None:
        reduction = _reduction(reduction, size_average, reduce)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    werr = err * weight
    if reduction == "none":
        return werr
    if reduction == "sum":
        return werr.sum()
    if reduction == "mean":
        return werr.sum() / weight.sum()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                     f"'sum'.")


def l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
            reduction: str = "mean", weight: Any = None) -> Tensor:
    """|input - target| reduced (PyTorch composes it too: AbsBackward0 / MeanBackward0)."""
    _check_tensor("l1_loss", input, "input", 1)
    _check_tensor("l1_loss", target, "target", 2)
    x, y = _broadcast_pair(input, target)
    if weight is not None:
        return _weighted((x - y).abs(), input, weight, reduction, size_average, reduce)
    red = _reduction(reduction, size_average, reduce)
    loss = (x - y).abs()
    if red == "mean":
        return loss.mean()
    if red == "sum":
        return loss.sum()
    return loss


# -- classification losses -------------------------------------------------------------------------

def _f_nll(xp: Any, x: Any, p: tuple) -> Any:
    """x: (N, C, *rest) log-probabilities, target (N, *rest); or x (C,) and a 0-d target."""
    target, weight, ignore_index, reduction, _ = p
    t = read(target)
    if x.ndim == 1:
        out = _f_nll(xp, xp.expand_dims(x, axis=0), (target.reshape(1), weight, ignore_index,
                                                      reduction, False))
        return xp.reshape(out, tuple(target.shape)) if reduction == "none" else out
    weight = None if weight is None else read(weight)
    valid = t != ignore_index
    safe = xp.where(valid, t, xp.zeros((), dtype=t.dtype))
    picked = xp.squeeze(gather_along(xp, x, xp.expand_dims(safe, axis=1), 1), axis=1)
    if weight is not None:
        w = xp.take(weight, xp.reshape(safe, (-1,)))
        w = xp.reshape(w, tuple(safe.shape))
        w = xp.where(valid, w, xp.zeros((), dtype=x.dtype))
    else:
        w = xp.astype(valid, x.dtype)
    loss = -(picked * w)
    if reduction == "none":
        return loss
    total = xp.sum(loss)
    if reduction == "sum":
        return total
    return total / xp.sum(w)


def _g_nll(n: Any, g: Tensor) -> tuple:
    from ..ops.creation import arange

    target, weight, ignore_index, reduction, _ = n.params
    shape = n.shape(0)
    if len(shape) == 1:  # (C,) input, 0-d target
        target = target.reshape(1)
        g = g.reshape(1) if reduction == "none" else g
        shape = (1,) + tuple(shape)
        one_d = True
    else:
        one_d = False
    c = shape[1]
    valid = target != ignore_index
    safe = target.where(valid, 0)
    if weight is not None:
        w = weight.index_select(0, safe.reshape(-1)).reshape(*safe.shape)
        w = w.where(valid, 0.0)
    else:
        w = valid.to(g._dtype)
    # mean with everything ignored: PyTorch's gradient is zero (the loss is nan)
    coef = (-w * (g / w.sum())).where(valid, 0.0) if reduction == "mean" else -w * g
    view = [1] * len(shape)
    view[1] = c
    hot = safe.unsqueeze(1) == arange(c, device=g.device).reshape(*view)
    grad = hot * coef.unsqueeze(1)
    return (grad.reshape(shape[1:]) if one_d else grad,)


NLL = Op("nll_loss.kernel", lambda x, p: ((x,), p), forward=_f_nll, backward=_g_nll,
         needs=NOTHING, namespace=F, function=False, method=False,
         grad_fn=lambda inputs, p: "NllLoss2DBackward0" if p[4] else "NllLossBackward0")


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: Any = None, ignore_index: int = -100, reduce: Any = None,
             reduction: str = "mean") -> Tensor:
    """-input[n, target[n]] (weighted, ignoring `ignore_index`), for (C), (N, C) and
    (N, C, d1, ...) inputs."""
    _check_tensor("nll_loss", input, "input", 1)
    _check_tensor("nll_loss", target, "target", 2)
    red = _reduction(reduction, size_average, reduce)
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    if input.ndim != 1 and target.ndim and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({target.shape[0]}).")
    if target._dtype not in (D.int64, D.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{target._dtype.legacy}")
    if input._dtype.category < D.FLOAT:
        raise _not_impl("nll_loss_out_frame", input)
    _same_device("nll_loss", input, target, *(() if weight is None else (weight,)))
    c = input.shape[1] if input.ndim > 1 else input.shape[0]
    if weight is not None and (weight.ndim != 1 or weight.shape[0] != c):
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")
    x, t = input, target
    if input.ndim == 1:
        if target.ndim > 1 or target.numel() != 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif input.ndim == 2:
        if target.ndim != 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    else:
        expect = (input.shape[0],) + tuple(input.shape[2:])
        if tuple(target.shape) != expect:
            if input.ndim == 4:
                raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: "
                                   f"{list(target.shape)}")
            raise RuntimeError(f"Expected target size {list(expect)}, got {list(target.shape)}")
    if t._dtype is not D.int64:
        t = t.to(D.int64)
    if _eager(t) and t.numel():
        be = t._storage.backend
        xp = be.xp
        a = read(t)
        bad = xp.logical_and(a != ignore_index, xp.logical_or(a < 0, a >= c))
        if bool(xp.any(bad)):
            flat_bad = xp.astype(xp.reshape(bad, (-1,)), xp.int8)
            first = int(xp.reshape(a, (-1,))[int(xp.argmax(flat_bad))])
            raise IndexError(f"Target {first} is out of bounds.")
    w = None if weight is None else (weight if weight._dtype is x._dtype else weight.to(x._dtype))
    params = (t.detach(), None if w is None else w.detach(), int(ignore_index), red,
              input.ndim > 2)
    out = call(NLL, (x,), params)
    if red == "none" and (input.ndim == 3 or input.ndim > 4):
        # PyTorch runs these ranks through a 4-D nll_loss2d and views the result back
        out = out.view(tuple(out.shape))
    return out


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: Any = None, ignore_index: int = -100, reduce: Any = None,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """log_softmax over the class dim, then nll_loss (class-index targets) or the soft-label
    formula (probability targets), with PyTorch's label smoothing."""
    _check_tensor("cross_entropy", input, "input", 1)
    _check_tensor("cross_entropy", target, "target", 2)
    red = _reduction(reduction, size_average, reduce)
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    c = input.shape[class_dim]
    logp = log_softmax(input, class_dim)
    wview = None
    if weight is not None:
        view = [1] * input.ndim
        view[class_dim] = c
        wview = weight.reshape(*view)
    if target.shape == input.shape:  # class probabilities (PyTorch goes by the shapes)
        if target._dtype.category < D.FLOAT:
            raise RuntimeError(f"Expected floating point type for target with class "
                               f"probabilities, got {target._dtype.legacy}")
        t = target * (1 - label_smoothing) + label_smoothing / c if label_smoothing > 0 \
            else target
        prod = logp * t if wview is None else logp * t * wview
        if red == "mean":
            return _div_scalar(-prod.sum(), input.numel() // c if c else 0)
        if red == "sum":
            return -prod.sum()
        return -prod.sum(class_dim)
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=red)
    if label_smoothing <= 0.0:
        return nll
    ignore = target == ignore_index
    smooth = -(logp.sum(class_dim) if wview is None else (logp * wview).sum(class_dim))
    smooth = smooth.masked_fill(ignore.reshape(smooth.shape) if ignore.shape != smooth.shape
                                else ignore, 0.0)
    if red == "mean":
        keep = ~ignore
        if weight is None:
            ret = smooth.sum() / keep.sum()
        else:
            safe = target.where(keep, 0)
            wt = weight.index_select(0, safe.reshape(-1)).reshape(*safe.shape)
            ret = smooth.sum() / wt.where(keep, 0.0).sum()
    elif red == "sum":
        ret = smooth.sum()
    else:
        ret = smooth
    return (1 - label_smoothing) * nll + ret * (label_smoothing / c)


DIV_SCALAR = Op("div.scalar", lambda t, s: ((t,), s), forward=lambda xp, a, s: a / s,
                backward=lambda n, g: (g / n.params,), needs=NOTHING, namespace=F,
                function=False, method=False, grad_fn="DivBackward1")


def _div_scalar(t: Tensor, s: Any) -> Tensor:
    """tensor / Python number as PyTorch records it inside composites (DivBackward1)."""
    return call(DIV_SCALAR, (t,), s)


def _f_bce(xp: Any, x: Any, t: Any, w: Any, reduction: str) -> Any:
    lo = -100.0
    log_x = xp.maximum(xp.log(x), xp.asarray(lo, dtype=x.dtype))
    log_1mx = xp.maximum(xp.log(1 - x), xp.asarray(lo, dtype=x.dtype))
    loss = -(t * log_x + (1 - t) * log_1mx)
    if w is not None:
        loss = loss * w
    return _reduce_array(xp, loss, reduction)


def _g_bce(n: Any, g: Tensor) -> tuple:
    x, t, w = n.inputs
    reduction = n.params
    scale = g / x.numel() if reduction == "mean" and x.numel() else g
    gx = gt = None
    if n.edges[0] is not None:
        gx = scale * (x - t) / (x * (1 - x)).clamp(min=1e-12)
        if w is not None:
            gx = gx * w
    if n.edges[1] is not None:
        gt = -scale * (x / (1 - x)).log()
        if w is not None:
            gt = gt * w
    return gx, gt, None


BCE = Op("binary_cross_entropy.kernel",
         lambda self, target, weight, reduction: ((self, target, weight), reduction),
         forward=_f_bce, backward=_g_bce, namespace=F, function=False, method=False,
         grad_fn="BinaryCrossEntropyBackward0",
         saved_params=lambda p: {"reduction": _REDUCTION_ENUM[p]})


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: Any = None, reduce: Any = None,
                         reduction: str = "mean") -> Tensor:
    """-(t log x + (1-t) log(1-x)), logs clamped at -100 as PyTorch does."""
    _check_tensor("binary_cross_entropy", input, "input", 1)
    _check_tensor("binary_cross_entropy", target, "target", 2)
    red = _reduction(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({_size_repr(target.shape)}) that is different to "
                         f"the input size ({_size_repr(input.shape)}) is deprecated. Please "
                         f"ensure they have the same size.")
    _same_device("binary_cross_entropy", input, target)
    if _eager(input) and input.numel():
        be = input._storage.backend
        xp = be.xp
        a = read(input)
        if bool(xp.any(xp.logical_or(a < 0, a > 1))):
            raise RuntimeError("all elements of input should be between 0 and 1")
        b = read(target)
        if bool(xp.any(xp.logical_or(b < 0, b > 1))):
            raise RuntimeError("all elements of target should be between 0 and 1")
    w = None
    if weight is not None:
        shape = broadcast_shapes(tuple(target.shape), tuple(weight.shape))
        w = weight.expand(*shape) if tuple(weight.shape) != shape else weight
    t = target if target._dtype is input._dtype else target.to(input._dtype)
    if w is not None and w._dtype is not input._dtype:
        w = w.to(input._dtype)
    return call(BCE, (input, t, w), red)


def _softplus_neg(xp: Any, x: Any) -> Any:
    """-log(sigmoid(x)) = log(1 + exp(-x)), without overflow: log1p(exp(-|x|)) + max(-x, 0)."""
    return xp.log1p(xp.exp(-xp.abs(x))) + xp.maximum(-x, xp.zeros((), dtype=x.dtype))


def _f_bce_logits(xp: Any, x: Any, t: Any, w: Any, pw: Any, reduction: str) -> Any:
    sp = _softplus_neg(xp, x)
    loss = (1 - t) * x + ((1 + (pw - 1) * t) * sp if pw is not None else sp)
    if w is not None:
        loss = loss * w
    return _reduce_array(xp, loss, reduction)


def _neg_log_sigmoid(x: Tensor) -> Tensor:
    """-log(sigmoid(x)) with agrad ops (differentiable), the forward's stable form."""
    return (-x.abs()).exp().log1p() + (-x).clamp(min=0)


def _g_bce_logits(n: Any, g: Tensor) -> tuple:
    """PyTorch's formulas: d/dx = (pw t + 1 - t) sigmoid(x) - pw t (sigmoid(x) - t without
    pos_weight); d/dt = log sigmoid(-x) - pw log sigmoid(x) (-x without pos_weight); both
    times the weight, over numel for 'mean'."""
    x, t, w, pw = n.inputs
    if n.params == "mean" and x.numel():
        g = g / x.numel()
    gx = gt = None
    if n.edges[0] is not None:
        if pw is not None:
            pt = pw * t
            gx = ((pt + 1 - t) * x.sigmoid() - pt) * g
        else:
            gx = (x.sigmoid() - t) * g
        gx = gx if w is None else gx * w
    if n.edges[1] is not None:
        d = -x if pw is None else _neg_log_sigmoid(x) * pw - _neg_log_sigmoid(-x)
        gt = d * g if w is None else d * g * w
    return gx, gt, None, None


BCE_LOGITS = Op("binary_cross_entropy_with_logits.kernel",
                lambda self, target, weight, pos_weight, reduction: (
                    (self, target, weight, pos_weight), reduction),
                forward=_f_bce_logits, backward=_g_bce_logits, namespace=F, function=False,
                method=False, grad_fn="BinaryCrossEntropyWithLogitsBackward0",
                saved_params=lambda p: {"reduction": _REDUCTION_ENUM[p]})


def _not_differentiable(arg: str, t: Tensor | None) -> None:
    from ..autograd.grad_mode import is_grad_enabled

    if t is not None and t._requires_grad and is_grad_enabled():
        raise RuntimeError(f"The function 'binary_cross_entropy_with_logits' is not "
                           f"differentiable with respect to argument '{arg}'. This input cannot "
                           f"have requires_grad True.")


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None, size_average: Any = None,
                                     reduce: Any = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """-(pw t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))), weighted, computed stably from
    the logits x (PyTorch's kernel and its derivatives for x and t; weight and pos_weight take
    no gradient, as in PyTorch). The result has the target's dtype, as PyTorch's in-place
    kernel gives it."""
    _check_tensor("binary_cross_entropy_with_logits", input, "input", 1)
    _check_tensor("binary_cross_entropy_with_logits", target, "target", 2)
    red = _reduction(reduction, size_average, reduce)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({_size_repr(target.shape)}) must be the same as input "
                         f"size ({_size_repr(input.shape)})")
    _not_differentiable("weight", weight)
    _not_differentiable("pos_weight", pos_weight)
    dt = target._dtype
    common = D.promote_types(target._dtype, input._dtype)
    if not D.can_cast(common, dt):
        raise RuntimeError(f"result type {common.legacy} can't be cast to the desired output "
                           f"type {dt.legacy}")
    if input._dtype.category < D.FLOAT:
        raise _not_impl("log_sigmoid_cpu", input)
    shape = tuple(input.shape)
    if pos_weight is not None:
        broadcast_shapes(tuple(pos_weight.shape), shape)
    if weight is not None:
        full = broadcast_shapes(shape, tuple(weight.shape))
        if full != shape:
            raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast "
                               f"shape {list(full)}")
    _same_device("binary_cross_entropy_with_logits", input, target,
                 *(u for u in (weight, pos_weight) if u is not None))
    x, w, pw = (u if u is None or u._dtype is dt else u.to(dt)
                for u in (input, weight, pos_weight))
    return call(BCE_LOGITS, (x, target, w, pw), red)


# -- linear, dropout -------------------------------------------------------------------------------

def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """input @ weight.T + bias, recorded as PyTorch records it (addmm for 2-D input; a flat
    addmm and a view for other ranks; matmul without bias)."""
    _check_tensor("linear", input, "input", 1)
    _check_tensor("linear", weight, "weight", 2)
    if bias is None:
        return input.matmul(weight.t())
    if input.ndim == 2:
        return bias.addmm(input, weight.t())
    lead = tuple(input.shape[:-1])
    flat = input.reshape(-1, input.shape[-1]) if input.ndim else input.reshape(1, 1)
    out = bias.addmm(flat, weight.t())
    return out.view(*lead, out.shape[-1]) if weight.ndim == 2 else out.view(*lead)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p), drawing from the
    backend's random generator (`agrad.manual_seed` seeds it)."""
    _check_tensor("dropout", input, "input", 1)
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    dt = input._dtype if input._dtype.category >= D.FLOAT else D.get_default_dtype()
    if p == 1.0:
        mask = input.new_zeros(input.shape, dtype=dt)
    else:
        from ..ops.creation import rand

        keep = rand(*input.shape, dtype=dt, device=input.device) < (1.0 - p)
        mask = keep.to(dt) * (1.0 / (1.0 - p))
    if inplace:
        return input.mul_(mask)
    return input * mask


for _fn in (mse_loss, l1_loss, nll_loss, cross_entropy, binary_cross_entropy,
            binary_cross_entropy_with_logits, linear, dropout):
    Op(_fn.__name__, _fn, impl=_fn, namespace=F, method=False)


def _top_dropout(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """`torch.dropout(input, p, train)`: F.dropout with PyTorch's positional signature (and
    its RuntimeError for a bad p, where F.dropout's is a ValueError)."""
    _check_p(p)
    return dropout(input, p, train)


def _top_dropout_(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """`torch.dropout_(input, p, train)`: in place."""
    _check_p(p)
    return dropout(input, p, train, inplace=True)


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")


for _name, _fn in (("dropout", _top_dropout), ("dropout_", _top_dropout_)):
    _fn.__name__ = _fn.__qualname__ = _name
    _fn.__module__ = "agrad"
    Op(_name, _fn, impl=_fn, method=False)


# the layers' functional forms, composed of public agrad ops (see the modules' docstrings)
from ._functional_conv import conv1d, conv2d  # noqa: E402
from ._functional_lookup import bilinear, embedding  # noqa: E402
from ._functional_loss import huber_loss, smooth_l1_loss  # noqa: E402
from ._functional_norm import batch_norm, layer_norm  # noqa: E402
from ._functional_pad import pad, unfold  # noqa: E402
from ._functional_pool import avg_pool2d, max_pool2d  # noqa: E402

for _fn in (conv1d, conv2d, bilinear, embedding, huber_loss, smooth_l1_loss, batch_norm,
            layer_norm, pad, unfold, avg_pool2d, max_pool2d):
    Op(_fn.__name__, _fn, impl=_fn, namespace=F, method=False)

globals().update(functions(F))  # every row's function in this namespace
__all__ = sorted(functions(F))


def _i64(xp):
    """int64 indices, as PyTorch returns them (refused where the backend has no int64)."""
    return exact_dtype(xp, "int64")
