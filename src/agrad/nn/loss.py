"""Loss modules over agrad.nn.functional's losses. Class weights (and BCEWithLogitsLoss's
pos_weight) are registered buffers, so they follow `.to(...)` and appear in the state_dict,
as in PyTorch."""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from . import functional as F
from ._functional_loss import huber_loss, legacy_reduction, smooth_l1_loss
from .module import Module

__all__ = ["L1Loss", "MSELoss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss",
           "HuberLoss", "SmoothL1Loss"]


class _Loss(Module):
    def __init__(self, size_average: Any = None, reduce: Any = None,
                 reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            self.reduction = legacy_reduction(size_average, reduce)
        else:
            self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(self, weight: Tensor | None = None, size_average: Any = None,
                 reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.weight: Tensor | None


class L1Loss(_Loss):
    """Mean absolute error, |input - target|, reduced by `reduction` ('mean', 'sum', 'none').

    Examples:
        >>> torch.nn.L1Loss()(torch.tensor([1., 2.]), torch.tensor([0., 4.]))
        tensor(1.5000)
    """
    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """Mean squared error, (input - target)^2, reduced by `reduction` ('mean', 'sum', 'none').

    Examples:
        >>> torch.nn.MSELoss()(torch.tensor([1., 2.]), torch.tensor([0., 4.]))
        tensor(2.5000)
        >>> torch.nn.MSELoss(reduction="sum")(torch.tensor([1., 2.]), torch.tensor([0., 4.]))
        tensor(5.)
    """
    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities (`input`, from `log_softmax`) at class indices
    `target`, with optional class `weight`, `ignore_index` and `reduction`.

    Examples:
        >>> logp = torch.log(torch.tensor([[0.5, 0.5], [0.9, 0.1]]))
        >>> torch.nn.NLLLoss()(logp, torch.tensor([0, 0]))
        tensor(0.3993)
    """
    def __init__(self, weight: Tensor | None = None, size_average: Any = None,
                 ignore_index: int = -100, reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """log_softmax + nll_loss for class indices; the soft-label form for probabilities.

    Examples:
        >>> logits = torch.tensor([[2., 0., 0.], [0., 0., 2.]])
        >>> torch.nn.CrossEntropyLoss()(logits, torch.tensor([0, 2]))
        tensor(0.2395)
    """

    def __init__(self, weight: Tensor | None = None, size_average: Any = None,
                 ignore_index: int = -100, reduce: Any = None, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(input, target, weight=self.weight,
                               ignore_index=self.ignore_index, reduction=self.reduction,
                               label_smoothing=self.label_smoothing)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities `input` against targets in [0, 1], with optional
    `weight` and `reduction`; log terms clamped at -100 as in PyTorch.

    Examples:
        >>> torch.nn.BCELoss()(torch.tensor([0.5, 0.9]), torch.tensor([1., 1.]))
        tensor(0.3993)
    """
    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Sigmoid + BCE in one stable formula; pos_weight weighs the positive class.

    Examples:
        >>> torch.nn.BCEWithLogitsLoss()(torch.tensor([0., 100.]), torch.tensor([1., 1.]))
        tensor(0.3466)
    """

    def __init__(self, weight: Tensor | None = None, size_average: Any = None,
                 reduce: Any = None, reduction: str = "mean",
                 pos_weight: Tensor | None = None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)
        self.weight: Tensor | None
        self.pos_weight: Tensor | None

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class HuberLoss(_Loss):
    """Huber loss: quadratic, 0.5 (input - target)^2, where |input - target| < `delta`, linear
    beyond, reduced by `reduction`.

    Examples:
        >>> torch.nn.HuberLoss(delta=1.0)(torch.tensor([0.5, 3.]), torch.tensor([0., 0.]))
        tensor(1.3125)
    """
    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    """Smooth L1 loss: the Huber loss divided by `beta` (quadratic below `beta`, |input - target| -
    beta / 2 beyond), reduced by `reduction`.

    Examples:
        >>> torch.nn.SmoothL1Loss(beta=1.0)(torch.tensor([0.5, 3.]), torch.tensor([0., 0.]))
        tensor(1.3125)
    """
    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                 beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)
