"""max_pool2d / avg_pool2d over the same window slices as convolution (one strided view per
kernel offset), combined elementwise, so no (N, C, k*k, ...) stack is built.

Max pooling pads with -inf, takes the elementwise maximum of the slices, and then selects, by
a chain of `where`s, the first slice (row-major window order) equal to it, or the last NaN:
the value PyTorch's kernel returns, and, since `where` routes the gradient to the branch it
took, the one element PyTorch's backward sends the gradient to, ties included. Average
pooling pads with zeros, adds the slices and divides by PyTorch's divisor (which, with
`ceil_mode` or `count_include_pad=False`, varies by window and is computed here from the
shapes alone).
"""

from __future__ import annotations

import math
from typing import Any

from .._tensor import Tensor
from ._functional_pad import _pair, out_size, pad, window_slices

__all__ = ["max_pool2d", "avg_pool2d"]


def _pool_args(input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
               ceil_mode: bool) -> tuple:
    if input.ndim not in (3, 4) or 0 in tuple(input.shape[1:]):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    k = _pair(kernel_size)
    s = k if stride is None or (isinstance(stride, (list, tuple)) and not stride) \
        else _pair(stride)
    p = _pair(padding)
    d = _pair(dilation)
    if any(v <= 0 for v in s):
        raise RuntimeError("stride should be greater than zero, but got "
                           f"dH: {s[0]} dW: {s[1]}")
    for i in range(2):
        if p[i] > (d[i] * (k[i] - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={p[i]}, kernel_size={k[i]} and dilation={d[i]}")
    h, w = input.shape[-2:]
    oh = out_size(h, k[0], s[0], p[0], p[0], d[0], ceil_mode)
    ow = out_size(w, k[1], s[1], p[1], p[1], d[1], ceil_mode)
    if oh < 1 or ow < 1:
        c = input.shape[-3]
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: "
                           f"({c}x{oh}x{ow}). Output size is too small")
    return k, s, p, d, oh, ow


def _padded(x: Tensor, k: tuple, s: tuple, p: tuple, d: tuple, oh: int, ow: int,
            value: float) -> Tensor:
    """x padded by p on both sides, plus what ceil_mode's last windows reach beyond that."""
    extra = [max(0, (o - 1) * s[i] + d[i] * (k[i] - 1) + 1 - (x.shape[2 + i] + 2 * p[i]))
             for i, o in enumerate((oh, ow))]
    amounts = [p[1], p[1] + extra[1], p[0], p[0] + extra[0]]
    return pad(x, amounts, value=value) if any(amounts) else x


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """The maximum of each window; `return_indices` also gives each maximum's flat position
    in its input plane (for `max_unpool2d`)."""
    k, s, p, d, oh, ow = _pool_args(input, kernel_size, stride, padding, dilation, ceil_mode)
    import agrad

    batched = input.ndim == 4
    x = input if batched else input.unsqueeze(0)
    slices = window_slices(_padded(x, k, s, p, d, oh, ow, -math.inf), k, s, d, (oh, ow))
    with agrad.no_grad():
        plain = [t.detach() for t in slices]
        top = plain[0]
        for t in plain[1:]:
            top = agrad.maximum(top, t)  # propagates NaN, as PyTorch's max pooling does
        # chosen[j]: slice j holds the window's first maximum, or, if the window has a NaN,
        # its last NaN (PyTorch's kernel keeps a value if it is greater or NaN)
        chosen = [None] * len(plain)
        later_nan = None
        for j in range(len(plain) - 1, -1, -1):
            is_nan = plain[j] != plain[j]
            last_nan = is_nan if later_nan is None else agrad.logical_and(
                is_nan, agrad.logical_not(later_nan))
            chosen[j] = agrad.logical_or(plain[j] == top, last_nan)
            later_nan = is_nan if later_nan is None else agrad.logical_or(later_nan, is_nan)
    values = slices[-1]
    for t, c in zip(reversed(slices[:-1]), reversed(chosen[:-1])):
        values = agrad.where(c, t, values)
    if not return_indices:
        return values if batched else values.squeeze(0)
    with agrad.no_grad():
        idx = agrad.full(tuple(values.shape), len(slices) - 1, dtype=agrad.int64,
                         device=values.device)
        for j in range(len(slices) - 2, -1, -1):
            idx = agrad.where(chosen[j], j, idx)
    positions = _flat_positions(idx, input.shape[-1], k, s, p, d, oh, ow)
    if not batched:
        values, positions = values.squeeze(0), positions.squeeze(0)
    return values, positions


def _flat_positions(idx: Tensor, width: int, k: tuple, s: tuple, p: tuple, d: tuple,
                    oh: int, ow: int) -> Tensor:
    """Window-offset indices (0 .. kh*kw-1) -> row * width + column in the unpadded input."""
    import agrad

    table = [[[(a * s[0] - p[0] + i * d[0]) * width + (b * s[1] - p[1] + j * d[1])
               for b in range(ow)] for a in range(oh)]
             for i in range(k[0]) for j in range(k[1])]
    pos = agrad.tensor(table, dtype=agrad.int64, device=idx.device)  # (K, oh, ow)
    lead = tuple(idx.shape[:-2])
    pos = pos.reshape((1,) * len(lead) + tuple(pos.shape)).expand(*lead, *pos.shape)
    return pos.gather(len(lead), idx.unsqueeze(len(lead))).squeeze(len(lead))


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """The mean of each window, divided as PyTorch divides: by the window's size clipped to
    the padded input (count_include_pad) or to the input itself, or by divisor_override."""
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    k, s, p, d, oh, ow = _pool_args(input, kernel_size, stride, padding, 1, ceil_mode)
    batched = input.ndim == 4
    x = input if batched else input.unsqueeze(0)
    slices = window_slices(_padded(x, k, s, p, d, oh, ow, 0.0), k, s, d, (oh, ow))
    total = slices[0]
    for t in slices[1:]:
        total = total + t
    if divisor_override is not None:
        out = total / divisor_override
    else:
        div = _divisors(input.shape[-2:], k, s, p, oh, ow, count_include_pad)
        if all(v == k[0] * k[1] for row in div for v in row):
            out = total / (k[0] * k[1])
        else:
            import agrad

            out = total / agrad.tensor(div, dtype=total.dtype, device=total.device)
    return out if batched else out.squeeze(0)


def _divisors(hw: tuple, k: tuple, s: tuple, p: tuple, oh: int, ow: int,
              count_include_pad: bool) -> list[list[int]]:
    def span(o: int, i: int) -> tuple[int, int, int]:
        start = o * s[i] - p[i]
        end = min(start + k[i], hw[i] + p[i])
        size = end - start
        return size, max(start, 0), min(end, hw[i])

    out = []
    for a in range(oh):
        hs, h0, h1 = span(a, 0)
        row = []
        for b in range(ow):
            ws, w0, w1 = span(b, 1)
            row.append(hs * ws if count_include_pad else (h1 - h0) * (w1 - w0))
        out.append(row)
    return out
