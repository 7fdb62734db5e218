"""Dropout: zeroes elements with probability p in training mode (scaling the rest by
1/(1-p)); the identity in evaluation mode. Draws from agrad's generator."""

from __future__ import annotations

from .._tensor import Tensor
from . import functional as F
from .module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Zeroes each element with probability `p` in training mode and scales the rest by 1 / (1 -
    p); the identity in eval mode (`module.eval()`).

    Examples:
        >>> drop = torch.nn.Dropout(p=0.5)
        >>> y = drop(torch.ones(1000))
        >>> sorted(set(y.tolist()))              # zeroed, or scaled by 1 / (1 - p)
        [0.0, 2.0]
        >>> drop.eval()(torch.ones(3))           # the identity in eval mode
        tensor([1., 1., 1.])
    """
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
