"""Parameter: a Tensor that a Module registers as learnable state.

A Parameter is an agrad Tensor subclass sharing its data's storage (and version counter), a
leaf that requires grad by default. Ops on a Parameter return plain Tensors, as in PyTorch;
its repr is PyTorch's `Parameter containing:` header over the tensor's repr.
"""

from __future__ import annotations

from typing import Any, SupportsIndex

from .._tensor import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A learnable tensor: `Parameter(data=None, requires_grad=True)`.

    Examples:
        >>> p = torch.nn.Parameter(torch.zeros(2))
        >>> p
        Parameter containing:
        tensor([0., 0.], requires_grad=True)
        >>> p.is_leaf, p.requires_grad
        (True, True)
    """

    _is_param = True

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            from ..ops.creation import empty

            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter(): argument 'data' must be Tensor, not "
                            f"{type(data).__name__}")
        p = object.__new__(cls)
        p._storage = data._storage
        p._view = data._view
        p._vc = data._vc
        p._dtype = data._dtype
        p.requires_grad = requires_grad
        return p

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass

    def __repr__(self, *, tensor_contents: Any = None) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo: dict) -> Parameter:
        """A Parameter over a clone of the data, as PyTorch's: its ``.grad`` is not copied (a
        plain tensor's is) and it shares memory with no other copy."""
        if id(self) in memo:
            return memo[id(self)]
        copied = Parameter(self.detach().clone(), self.requires_grad)
        memo[id(self)] = copied
        return copied

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        return (_rebuild_parameter, (self.detach(), self.requires_grad))


def _rebuild_parameter(data: Tensor, requires_grad: bool) -> Parameter:
    return Parameter(data, requires_grad)
