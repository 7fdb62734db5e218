"""Creating a layer's tensors: `device=` and `dtype=` as PyTorch's factory_kwargs."""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from .parameter import Parameter


def empty(shape: tuple[int, ...], device: Any = None, dtype: Any = None) -> Tensor:
    import agrad

    return agrad.empty(*shape, device=device, dtype=dtype)


def empty_parameter(shape: tuple[int, ...], device: Any = None, dtype: Any = None) -> Parameter:
    """An uninitialised Parameter, filled by the layer's reset_parameters()."""
    return Parameter(empty(shape, device, dtype))
