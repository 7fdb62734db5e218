"""agrad.autograd.Variable: the pre-0.4 wrapper the seeds use. Since PyTorch 0.4 a Variable *is*
a Tensor; `Variable(t, requires_grad=True)` returns a tensor sharing t's storage."""

from __future__ import annotations

import warnings
from typing import Any

from .._tensor import Tensor, _alias


class _VariableMeta(type):
    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    """PyTorch's pre-0.4 wrapper: `Variable(t, requires_grad=True)` is a tensor sharing `t`'s
    storage (there is no separate Variable type, as in PyTorch since 0.4).

    `isinstance(x, Variable)` is True for every tensor; `volatile=True` warns and does nothing.

    Examples:
        >>> from agrad.autograd import Variable
        >>> a = Variable(torch.ones(2, 2), requires_grad=True)
        >>> out = ((a + 2) ** 2).sum()
        >>> out.backward()
        >>> a.grad
        tensor([[6., 6.],
                [6., 6.]])
    """
    def __new__(cls, data: Any = None, requires_grad: bool = False, volatile: bool = False,
                **kwargs: Any) -> Tensor:  # type: ignore[misc]
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` "
                          "instead.", UserWarning, stacklevel=2)
        if data is None:
            from ..ops.creation import empty

            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        t = _alias(data)
        if requires_grad:
            t.requires_grad = True
        return t
