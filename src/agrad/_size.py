"""agrad.Size: the tuple subclass `Tensor.size()` and `.shape` return."""

from __future__ import annotations

from typing import Any, SupportsIndex, overload


class Size(tuple[int, ...]):
    __slots__ = ()

    def __repr__(self) -> str:
        # printed as PyTorch prints it, so `import agrad as torch` programs print the same
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    @overload
    def __getitem__(self, key: SupportsIndex) -> int: ...
    @overload
    def __getitem__(self, key: slice) -> Size: ...
    def __getitem__(self, key: SupportsIndex | slice) -> int | Size:  # slices stay Sizes
        if isinstance(key, slice):
            return Size(tuple.__getitem__(self, key))
        return tuple.__getitem__(self, key)

    def __add__(self, other: tuple[Any, ...]) -> Size:
        return Size(tuple.__add__(self, other))
