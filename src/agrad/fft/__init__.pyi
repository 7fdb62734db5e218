# Generated from agrad's op table by `python -m agrad._stubgen`. Do not edit: rerun it.
# ruff: noqa: I001 - the generator's import order
from agrad._tensor import Tensor
from collections.abc import Sequence
from typing import Any

def fft(input: Tensor, n: int | None = ..., dim: int = ..., norm: str | None = ...) -> Tensor: ...
def ifft(input: Tensor, n: int | None = ..., dim: int = ..., norm: str | None = ...) -> Tensor: ...
def rfft(input: Tensor, n: int | None = ..., dim: int = ..., norm: str | None = ...) -> Tensor: ...
def irfft(input: Tensor, n: int | None = ..., dim: int = ..., norm: str | None = ...) -> Tensor: ...
def hfft(input: Tensor, n: int | None = ..., dim: int = ..., norm: str | None = ...) -> Tensor: ...
def ihfft(input: Tensor, n: int | None = ..., dim: int = ..., norm: str | None = ...) -> Tensor: ...
def fftn(
    input: Tensor,
    s: Sequence[int] | None = ...,
    dim: Sequence[int] | None = ...,
    norm: str | None = ...,
) -> Tensor: ...
def ifftn(
    input: Tensor,
    s: Sequence[int] | None = ...,
    dim: Sequence[int] | None = ...,
    norm: str | None = ...,
) -> Tensor: ...
def rfftn(
    input: Tensor,
    s: Sequence[int] | None = ...,
    dim: Sequence[int] | None = ...,
    norm: str | None = ...,
) -> Tensor: ...
def irfftn(
    input: Tensor,
    s: Sequence[int] | None = ...,
    dim: Sequence[int] | None = ...,
    norm: str | None = ...,
) -> Tensor: ...
def fftshift(input: Tensor, dim: Any = ...) -> Tensor: ...
def ifftshift(input: Tensor, dim: Any = ...) -> Tensor: ...
def fftfreq(
    n: int,
    d: float = ...,
    *,
    dtype: Any = ...,
    device: Any = ...,
    requires_grad: bool = ...,
) -> Tensor: ...
def rfftfreq(
    n: int,
    d: float = ...,
    *,
    dtype: Any = ...,
    device: Any = ...,
    requires_grad: bool = ...,
) -> Tensor: ...
