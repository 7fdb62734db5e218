"""agrad.memory_format: how a new tensor's strides are chosen (PyTorch's torch.memory_format).

`preserve_format` (the default of clone, *_like and dtype conversions) keeps the layout of the
input, as PyTorch's does; `contiguous_format` is row-major. agrad keeps strides as metadata (they
decide which views are legal and what `is_contiguous()` says); the backend's array is unaffected.
"""

from __future__ import annotations

__all__ = ["memory_format", "preserve_format", "contiguous_format"]


class memory_format:  # noqa: N801 - PyTorch's name
    """A memory layout: `torch.contiguous_format` (row-major) or `torch.preserve_format` (keep the
    input's), as taken by `clone`, `contiguous` and the `*_like` factories.

    Examples:
        >>> torch.contiguous_format
        torch.contiguous_format
    """
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return "torch." + self.name  # printed as PyTorch prints it

    def __reduce__(self) -> str:
        return self.name


preserve_format = memory_format("preserve_format")
contiguous_format = memory_format("contiguous_format")
