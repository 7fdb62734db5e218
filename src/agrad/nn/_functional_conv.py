"""conv1d / conv2d as im2col + matmul, composed of agrad ops.

The input is padded (`cat` with zeros), cut into one strided slice per kernel offset and
stacked (`windows`), flattened to columns of (C/groups * kh * kw) values, and multiplied by
the flattened weight in one batched matmul per group. The gradients w.r.t. input, weight and
bias are those of the ops used: matmul's, stack's and slicing's.
"""

from __future__ import annotations

import math
from typing import Any

from .._tensor import Tensor
from ._functional_pad import out_size, pad, windows

__all__ = ["conv1d", "conv2d"]


def _normalize(value: Any, name: str, n: int) -> tuple[int, ...]:
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return tuple(int(value[0]) for _ in range(n))
        if len(value) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} "
                               f"values to match the convolution dimensions, but got "
                               f"{name}={list(value)}")
        return tuple(int(v) for v in value)
    return tuple(int(value) for _ in range(n))


def _same_padding(kernel: tuple[int, ...], dilation: tuple[int, ...]) -> list[tuple[int, int]]:
    """'same': total d*(k-1) per dimension, the odd one extra on the right (as PyTorch)."""
    out = []
    for k, d in zip(kernel, dilation):
        total = d * (k - 1)
        out.append((total // 2, total - total // 2))
    return out


def _conv(input: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any,
          dilation: Any, groups: int, n: int, name: str) -> Tensor:
    if input.ndim not in (n + 1, n + 2):
        raise RuntimeError(f"Expected {n + 1}D (unbatched) or {n + 2}D (batched) input to "
                           f"{name}, but got input of size: {list(input.shape)}")
    if weight.ndim != n + 2:
        raise RuntimeError("weight should have at least three dimensions" if weight.ndim < 3
                           else f"expected stride to be a single integer value or a list of "
                                f"{weight.ndim - 2} values to match the convolution dimensions, "
                                f"but got stride={list(_normalize(stride, '', n))}")
    batched = input.ndim == n + 2
    x = input if batched else input.unsqueeze(0)
    s = _normalize(stride, "stride", n)
    d = _normalize(dilation, "dilation", n)
    k = tuple(weight.shape[2:])
    if any(v <= 0 for v in s):
        raise RuntimeError("non-positive stride is not supported")
    if any(v <= 0 for v in d):
        raise RuntimeError("dilation should be greater than zero")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if padding == "same" and any(v != 1 for v in s):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        pads = _same_padding(k, d) if padding == "same" else [(0, 0)] * n
    else:
        p = _normalize(padding, "padding", n)
        if any(v < 0 for v in p):
            raise RuntimeError("negative padding is not supported")
        pads = [(v, v) for v in p]
    out_c, in_per_group = weight.shape[0], weight.shape[1]
    c = x.shape[1]
    if in_per_group * groups != c:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, "
                           f"expected input{list(x.shape)} to have {in_per_group * groups} "
                           f"channels, but got {c} channels instead")
    if out_c % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size {list(weight.shape)} instead")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != out_c):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be "
                           f"1-dimensional with {out_c} elements, but got bias of size "
                           f"{list(bias.shape)} instead")
    spatial = x.shape[2:]
    padded = [spatial[i] + pads[i][0] + pads[i][1] for i in range(n)]
    eff = [d[i] * (k[i] - 1) + 1 for i in range(n)]
    if any(padded[i] < eff[i] for i in range(n)):
        sizes = " x ".join(str(v) for v in padded)
        ks = " x ".join(str(v) for v in eff)
        raise RuntimeError(f"Calculated padded input size per channel: ({sizes}). Kernel size: "
                           f"({ks}). Kernel size can't be greater than actual input size")
    if any(lo or hi for lo, hi in pads):
        flat = []
        for lo, hi in reversed(pads):
            flat += [lo, hi]
        x = pad(x, flat)
    out_shape = tuple(out_size(x.shape[2 + i], k[i], s[i], 0, 0, d[i]) for i in range(n))
    cols = windows(x, k, s, d, out_shape)  # (N, C, K, *out)
    batch, kk, L = x.shape[0], math.prod(k), math.prod(out_shape)
    # reshapes only merge or only split dimensions (never both at once), which every backend's
    # reshape supports (Dask's cannot do both in one step across chunk boundaries)
    cols = cols.reshape(batch, c * kk, L)
    if groups == 1:
        y = weight.reshape(out_c, c * kk).matmul(cols)
    else:
        g_cols = cols.reshape(batch, groups, in_per_group * kk, L)
        g_w = weight.reshape(groups, out_c // groups, in_per_group * kk)
        y = g_w.matmul(g_cols).reshape(batch, out_c, L)
    y = y.reshape(batch, out_c, *out_shape)
    if bias is not None:
        y = y + bias.reshape(out_c, *([1] * n))
    return y if batched else y.squeeze(0)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation of (N, C, H, W) (or unbatched (C, H, W)) with weight
    (O, C / groups, kh, kw); padding an int, a pair, 'valid' or 'same'."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D cross-correlation of (N, C, L) (or (C, L)) with weight (O, C / groups, k)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")

