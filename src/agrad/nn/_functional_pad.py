"""F.pad and the sliding-window view that convolution and pooling are built on.

Everything here composes public agrad ops (`cat`, `full`, `index_select`, basic slicing,
`stack`), so gradients come from those ops' own backward formulas and the code runs on every
backend, lazily on Dask.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from .._tensor import Tensor

__all__ = ["pad", "unfold"]

_PAD_MODES = ("constant", "reflect", "replicate", "circular")


def _agrad() -> Any:
    import agrad

    return agrad


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant",
        value: float | None = None) -> Tensor:
    """Pad the last len(pad) // 2 dimensions, last dimension first: (left, right, top,
    bottom, ...). 'constant' pads with `value` (negative amounts crop); 'reflect', 'replicate'
    and 'circular' gather existing entries by index."""
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of dimension "
                           f"{input.ndim}")
    if mode not in _PAD_MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode == "constant":
        return _pad_constant(input, pad, 0.0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument.")
    _check_nonconstant(input, len(pad) // 2)
    out = input
    for i in range(len(pad) // 2):
        dim = input.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        if lo or hi:
            out = out.index_select(dim, _pad_index(mode, input.shape[dim], lo, hi, input))
    return out


def _check_nonconstant(input: Tensor, dims: int) -> None:
    supported = {1: (2, 3), 2: (3, 4), 3: (4, 5)}
    if input.ndim not in supported.get(dims, ()):
        raise NotImplementedError(
            f"Padding size {2 * dims} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def _pad_index(mode: str, n: int, lo: int, hi: int, like: Tensor) -> Tensor:
    """The source index of every output position along one padded dimension."""
    if mode == "reflect" and (lo >= n or hi >= n):
        raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding "
                           f"input dimension, but got: padding ({lo}, {hi}) at dimension "
                           f"{like.ndim - 1} of input {list(like.shape)}")
    if mode == "circular" and (lo > n or hi > n):
        raise RuntimeError("Padding value causes wrapping around more than once.")
    idx = []
    for j in range(-lo, n + hi):
        if mode == "replicate":
            k = min(max(j, 0), n - 1)
        elif mode == "circular":
            k = j % n
        else:  # reflect: mirror without repeating the edge
            k = -j if j < 0 else (2 * (n - 1) - j if j >= n else j)
        idx.append(k)
    return _agrad().tensor(idx, dtype=_agrad().int64, device=like.device)


def _pad_constant(input: Tensor, pad: list[int], value: float) -> Tensor:
    A = _agrad()
    out = input
    for i in range(len(pad) // 2):
        dim = input.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        if lo < 0 or hi < 0:  # negative padding crops
            n = out.shape[dim]
            start, stop = max(-lo, 0), n - max(-hi, 0)
            out = out.narrow(dim, start, max(stop - start, 0))
            lo, hi = max(lo, 0), max(hi, 0)
        if not (lo or hi):
            continue
        parts = []
        for amount in (lo, None, hi):
            if amount is None:
                parts.append(out)
            elif amount:
                shape = list(out.shape)
                shape[dim] = amount
                parts.append(A.full(shape, value, dtype=out.dtype, device=out.device))
        out = A.cat(parts, dim)
    return out


# -- sliding windows ---------------------------------------------------------------------------

def out_size(size: int, kernel: int, stride: int, pad_lo: int, pad_hi: int, dilation: int,
             ceil_mode: bool = False) -> int:
    """Windows along one dimension, PyTorch's formula (ceil_mode: a last partial window is
    kept if it starts inside the input or the left padding)."""
    span = size + pad_lo + pad_hi - dilation * (kernel - 1) - 1
    if ceil_mode:
        n = -(-span // stride) + 1
        if (n - 1) * stride >= size + pad_lo:
            n -= 1
        return n
    return span // stride + 1


def window_slices(x: Tensor, kernel: Sequence[int], stride: Sequence[int],
                  dilation: Sequence[int], out_shape: Sequence[int]) -> list[Tensor]:
    """One strided basic-index view of (N, C, *spatial) per kernel offset (row-major order),
    each of shape (N, C, *out_shape): element [..., p] of slice k is the k-th element of the
    window at output position p. Views, so no data moves; the gradient of a slice is scattered
    back into the input by basic indexing's backward."""
    spatial = len(kernel)
    slices = []
    for offsets in itertools.product(*(range(k) for k in kernel)):
        key: list[Any] = [slice(None), slice(None)]
        for d in range(spatial):
            start = offsets[d] * dilation[d]
            stop = start + stride[d] * (out_shape[d] - 1) + 1
            key.append(slice(start, stop, stride[d]))
        slices.append(x[tuple(key)])
    return slices


def windows(x: Tensor, kernel: Sequence[int], stride: Sequence[int], dilation: Sequence[int],
            out_shape: Sequence[int]) -> Tensor:
    """(N, C, *spatial) -> (N, C, prod(kernel), *out_shape): the window slices stacked (one
    copy), the layout im2col needs."""
    slices = window_slices(x, kernel, stride, dilation, out_shape)
    if len(slices) == 1:
        return slices[0].unsqueeze(2)
    return _agrad().stack(slices, 2)


def _pair(v: Any, n: int = 2, name: str = "") -> tuple[int, ...]:
    if isinstance(v, (list, tuple)):
        if len(v) == 1:
            return tuple(int(v[0]) for _ in range(n))
        return tuple(int(x) for x in v)
    return tuple(int(v) for _ in range(n))


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
           stride: Any = 1) -> Tensor:
    """im2col: (N, C, H, W) -> (N, C * kh * kw, L), each column one window (PyTorch's order:
    channel-major, then kernel row, then kernel column)."""
    if input.ndim not in (3, 4) or 0 in tuple(input.shape[-3:]):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with possibly 0 batch size "
                           f"and other non-zero dimensions for input, but got: "
                           f"{list(input.shape)}")
    batched = input.ndim == 4
    x = input if batched else input.unsqueeze(0)
    k, d, p, s = (_pair(v) for v in (kernel_size, dilation, padding, stride))
    if p != (0, 0):
        x = pad(x, [p[1], p[1], p[0], p[0]])
    oh, ow = (out_size(x.shape[2 + i], k[i], s[i], 0, 0, d[i]) for i in range(2))
    cols = windows(x, k, s, d, (oh, ow))
    out = cols.reshape(x.shape[0], x.shape[1] * math.prod(k), oh * ow)
    return out if batched else out.squeeze(0)
