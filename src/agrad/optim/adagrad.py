"""Adagrad (lr decay, weight decay, initial accumulator, maximize), step for step PyTorch's
single-tensor update:

    t += 1;  g = ±grad + wd * p;  clr = lr / (1 + (t - 1) * lr_decay)
    s += g * g;  p -= clr * g / (sqrt(s) + eps)

Its state (step and sum) is created for every parameter at construction, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..autograd.grad_mode import no_grad
from .optimizer import Optimizer, addcdiv_, addcmul_, grad_of, params_with_grad, step_counter

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad: steps divided by the root of the sum of all past squared gradients, with optional
    lr decay and weight decay, as PyTorch's `torch.optim.Adagrad`.

    Examples:
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> opt = torch.optim.Adagrad([w], lr=0.1)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> w.data
        tensor([0.9000])
    """
    def __init__(self, params: Any, lr: float = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        import agrad

        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not lr_decay >= 0.0:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not weight_decay >= 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not initial_accumulator_value >= 0.0:
            raise ValueError(f"Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = step_counter()
                state["sum"] = agrad.full_like(p, initial_accumulator_value)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._begin_step(closure)
        with no_grad():
            for group in self.param_groups:
                for p in params_with_grad(group, "Adagrad"):
                    self._update(p, group)
        return loss

    def _update(self, p: Any, group: dict[str, Any]) -> None:
        state = self.state[p]
        step_t = state["step"]
        step_t += 1
        step = step_t.item()
        g = grad_of(p, group["maximize"])
        if group["weight_decay"] != 0:
            g = g.add(p, alpha=group["weight_decay"])
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        state_sum = state["sum"]
        addcmul_(state_sum, g, g, 1)
        std = state_sum.sqrt().add_(group["eps"])
        addcdiv_(p, g, std, -clr)
