"""huber_loss and smooth_l1_loss, composed of agrad ops.

Both are piecewise: quadratic for small |input - target|, linear beyond. `where` picks the
branch, so each element's gradient is the chosen branch's (d inside, ±delta outside), as in
PyTorch's kernels.
"""

from __future__ import annotations

import warnings
from typing import Any

from .._tensor import Tensor

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


def _piecewise(input: Tensor, target: Tensor, cut: float, small_scale: float,
               large_scale: float, large_shift: float) -> Tensor:
    import agrad

    d = (input - target).abs()
    return agrad.where(d < cut, d * d * small_scale, (d - large_shift) * large_scale)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """0.5 d**2 where |d| < delta, else delta (|d| - 0.5 delta); optionally weighted."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    x, y = broadcast_pair(input, target)
    loss = _piecewise(x, y, delta, 0.5, delta, 0.5 * delta)
    if weight is not None:
        if weight.shape != input.shape:
            raise ValueError("Weights and input must have the same size.")
        loss = loss * weight
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
    x, y = broadcast_pair(input, target)
    if beta == 0.0:
        return apply_reduction((x - y).abs(), reduction)
    return apply_reduction(_piecewise(x, y, beta, 0.5 / beta, 1.0, 0.5 * beta), reduction)
