"""agrad.Size: the tuple subclass `Tensor.size()` and `.shape` return."""

from __future__ import annotations

from typing import Any, SupportsIndex, overload


class Size(tuple[int, ...]):
    """The shape of a tensor: a tuple of ints that prints as PyTorch's `torch.Size([2, 3])`.

    Examples:
        >>> s = torch.zeros(2, 3).size()
        >>> s, s[0], s.numel()
        (torch.Size([2, 3]), 2, 6)
    """
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


class NumelSize(int):
    """`x.size`: PyTorch's method and the Array API's attribute in one object.

    The standard says `x.size` is the number of elements (an int); PyTorch says `x.size()` is
    the shape and `x.size(d)` one dimension. This is the int, and calling it gives PyTorch's
    answers, so `x.size == 6`, `range(x.size)` and `x.size()[0]`, `x.size(-1)` all work."""

    def __new__(cls, shape: tuple[int, ...]) -> NumelSize:
        n = 1
        for s in shape:
            n *= s
        self = int.__new__(cls, n)
        self._shape = shape
        return self

    @overload
    def __call__(self) -> Size: ...
    @overload
    def __call__(self, dim: int) -> int: ...

    def __call__(self, dim: int | None = None) -> Size | int:
        if dim is None:
            return Size(self._shape)
        n = max(len(self._shape), 1)
        if not -n <= dim < n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, "
                             f"{n - 1}], but got {dim})")
        return self._shape[dim % n]

    def __reduce__(self):  # pickles as the plain int it is
        return (int, (int(self),))
