"""RMSprop (momentum, centered, weight decay, maximize), step for step PyTorch's single-tensor
update:

    g = ±grad + wd * p
    v = alpha * v + (1 - alpha) * g * g
    avg = sqrt(v - ga * ga) with ga = lerp(ga, g, 1 - alpha) (centered) | sqrt(v);  avg += eps
    buf = momentum * buf + g / avg;  p -= lr * buf  (momentum > 0) | p -= lr * g / avg
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..autograd.grad_mode import no_grad
from .optimizer import (
    Optimizer,
    addcdiv_,
    addcmul_,
    grad_of,
    lerp_,
    params_with_grad,
    step_counter,
)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop: steps divided by a running root mean square of the gradient (`alpha`), with
    optional momentum, centering and weight decay, as PyTorch's `torch.optim.RMSprop`.

    Examples:
        >>> w = torch.nn.Parameter(torch.tensor([1.0]))
        >>> opt = torch.optim.RMSprop([w], lr=0.01)
        >>> (w ** 2).sum().backward()
        >>> opt.step()
        >>> w.data
        tensor([0.9000])
    """
    def __init__(self, params: Any, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 capturable: bool = False, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not eps >= 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not momentum >= 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not weight_decay >= 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not alpha >= 0.0:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay,
                    "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("momentum", 0)
            group.setdefault("centered", False)
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = self._begin_step(closure)
        with no_grad():
            for group in self.param_groups:
                for p in params_with_grad(group, "RMSprop"):
                    self._update(p, group)
        return loss

    def _update(self, p: Any, group: dict[str, Any]) -> None:
        import agrad

        state = self.state[p]
        if not state:
            state["step"] = step_counter()
            state["square_avg"] = agrad.zeros_like(p)
            if group["momentum"] > 0:
                state["momentum_buffer"] = agrad.zeros_like(p)
            if group["centered"]:
                state["grad_avg"] = agrad.zeros_like(p)
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        wd, momentum = group["weight_decay"], group["momentum"]
        g = grad_of(p, group["maximize"])
        state["step"] += 1
        if wd != 0:
            g = g.add(p, alpha=wd)
        square_avg = state["square_avg"]
        addcmul_(square_avg.mul_(alpha), g, g, 1 - alpha)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            lerp_(grad_avg, g, 1 - alpha)
            avg = addcmul_(square_avg.clone(), grad_avg, grad_avg, -1).sqrt_()
        else:
            avg = square_avg.sqrt()
        avg = avg.add_(eps)
        if momentum > 0:
            buf = state["momentum_buffer"]
            addcdiv_(buf.mul_(momentum), g, avg)
            p.add_(buf, alpha=-lr)
        else:
            addcdiv_(p, g, avg, -lr)
