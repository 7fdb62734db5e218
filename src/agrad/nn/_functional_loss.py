"""huber_loss and smooth_l1_loss: one row each (SmoothL1LossBackward0, HuberLossBackward0),
with PyTorch's kernels' formulas.

Both are piecewise in d = input - target: quadratic for small |d|, linear beyond; each element's
gradient is its branch's (d / beta or d inside, +-1 or +-delta outside), as in PyTorch's
kernels. Where PyTorch composes instead (smooth_l1 with beta = 0 is the L1 loss; a weighted
huber_loss), so does agrad, with the same nodes.
"""

from __future__ import annotations

import warnings
from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from ..ops._args import not_implemented
from ..ops._dispatch import call
from ..ops._op import Op

__all__ = ["huber_loss", "smooth_l1_loss"]

_REDUCTIONS = ("none", "mean", "sum")


def legacy_reduction(size_average: Any, reduce: Any) -> str:
    """The reduction named by the deprecated size_average/reduce flags (with PyTorch's
    warning)."""
    sa = True if size_average is None else size_average
    rd = True if reduce is None else reduce
    reduction = "mean" if sa and rd else "sum" if rd else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use "
                  f"reduction='{reduction}' instead.", UserWarning, stacklevel=3)
    return reduction


def apply_reduction(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.mean()
    raise ValueError(f"{reduction} is not a valid value for reduction")


def broadcast_pair(input: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    """input and target expanded to one shape, with PyTorch's warning when they differ."""
    if input.shape == target.shape:
        return input, target
    warnings.warn(f"Using a target size ({target.size()}) that is different to the input size "
                  f"({input.size()}). This will likely lead to incorrect results due to "
                  f"broadcasting. Please ensure they have the same size.", UserWarning,
                  stacklevel=3)
    return _broadcast(input, target)


def _broadcast(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    n = max(a.ndim, b.ndim)
    sa = (1,) * (n - a.ndim) + tuple(a.shape)
    sb = (1,) * (n - b.ndim) + tuple(b.shape)
    shape = []
    for x, y in zip(sa, sb):
        if x != y and 1 not in (x, y):
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b "
                               f"({y}) at non-singleton dimension {len(shape)}")
        shape.append(max(x, y) if 0 not in (x, y) else 0)
    return a.expand(*shape), b.expand(*shape)


_REDUCTION_ENUM = {"none": 0, "mean": 1, "sum": 2}  # as PyTorch's nodes show `reduction`


def _f_piecewise(xp: Any, a: Any, b: Any, p: tuple) -> Any:
    """smooth_l1 (beta) / huber (delta): 0.5 d^2 / beta or 0.5 d^2 inside |d| < cut, else
    |d| - 0.5 beta or delta (|d| - 0.5 delta)."""
    kind, cut, reduction = p
    ad = xp.abs(a - b)
    if kind == "smooth_l1":
        loss = xp.where(ad < cut, 0.5 * ad * ad / cut, ad - 0.5 * cut)
    else:
        loss = xp.where(ad < cut, 0.5 * ad * ad, cut * (ad - 0.5 * cut))
    if reduction == "mean":
        return xp.mean(loss)
    return xp.sum(loss) if reduction == "sum" else loss


def _g_piecewise(n: Any, g: Tensor) -> tuple:
    kind, cut, reduction = n.params
    a, b = n.inputs
    d = a - b
    if reduction == "mean" and a.numel():
        g = g / a.numel()
    inner = d / cut if kind == "smooth_l1" else d
    outer = d.sign() if kind == "smooth_l1" else d.sign() * cut
    gd = inner.where(d.abs() < cut, outer) * g
    return (gd if n.edges[0] is not None else None), (-gd if n.edges[1] is not None else None)


def _saved(p: tuple) -> dict:
    return {"beta" if p[0] == "smooth_l1" else "delta": p[1], "reduction": _REDUCTION_ENUM[p[2]]}


PIECEWISE = Op("piecewise_loss.kernel", lambda self, target, p: ((self, target), p),
               forward=_f_piecewise, backward=_g_piecewise, namespace="agrad.nn.functional",
               function=False, method=False, saved_params=_saved,
               grad_fn=lambda inputs, p: "SmoothL1LossBackward0" if p[0] == "smooth_l1" else
               "HuberLossBackward0")


def _piecewise(kind: str, input: Tensor, target: Tensor, cut: float,  # noqa: A002
               reduction: str) -> Tensor:
    x, y = broadcast_pair(input, target)
    dt = D.promote_types(x._dtype, y._dtype)
    if dt.category < D.FLOAT:
        raise not_implemented("smooth_l1_cpu" if kind == "smooth_l1" else "huber_cpu", x)
    x = x if x._dtype is dt else x.to(dt)
    y = y if y._dtype is dt else y.to(dt)
    return call(PIECEWISE, (x, y), (kind, float(cut), reduction))


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """0.5 d**2 where |d| < delta, else delta (|d| - 0.5 delta); optionally weighted (then
    composed, as PyTorch composes it)."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is None:
        return _piecewise("huber", input, target, delta, reduction)
    x, y = broadcast_pair(input, target)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = _piecewise("huber", x, y, delta, "none") * weight
    return apply_reduction(loss, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d**2 / beta where |d| < beta, else |d| - 0.5 beta (beta = 0: the L1 loss)."""
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:
        x, y = broadcast_pair(input, target)
        return apply_reduction((x - y).abs(), reduction)
    return _piecewise("smooth_l1", input, target, beta, reduction)
