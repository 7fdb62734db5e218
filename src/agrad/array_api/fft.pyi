# Generated from agrad's op table by `python -m agrad._stubgen`. Do not edit: rerun it.
# ruff: noqa: I001 - the generator's import order
from agrad._tensor import Tensor as Array
from collections.abc import Sequence
from typing import Any

def fft(x: Array, /, *, n: int | None = ..., axis: int = ..., norm: str = ...) -> Array: ...
def ifft(x: Array, /, *, n: int | None = ..., axis: int = ..., norm: str = ...) -> Array: ...
def rfft(x: Array, /, *, n: int | None = ..., axis: int = ..., norm: str = ...) -> Array: ...
def irfft(x: Array, /, *, n: int | None = ..., axis: int = ..., norm: str = ...) -> Array: ...
def hfft(x: Array, /, *, n: int | None = ..., axis: int = ..., norm: str = ...) -> Array: ...
def ihfft(x: Array, /, *, n: int | None = ..., axis: int = ..., norm: str = ...) -> Array: ...
def fftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = ...,
    axes: Sequence[int] | None = ...,
    norm: str = ...,
) -> Array: ...
def ifftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = ...,
    axes: Sequence[int] | None = ...,
    norm: str = ...,
) -> Array: ...
def rfftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = ...,
    axes: Sequence[int] | None = ...,
    norm: str = ...,
) -> Array: ...
def irfftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = ...,
    axes: Sequence[int] | None = ...,
    norm: str = ...,
) -> Array: ...
def fftfreq(n: int, /, *, d: float = ..., dtype: Any = ..., device: Any = ...) -> Array: ...
def rfftfreq(n: int, /, *, d: float = ..., dtype: Any = ..., device: Any = ...) -> Array: ...
def fftshift(x: Array, /, *, axes: int | Sequence[int] | None = ...) -> Array: ...
def ifftshift(x: Array, /, *, axes: int | Sequence[int] | None = ...) -> Array: ...
