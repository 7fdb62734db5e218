"""embedding (a row lookup) and bilinear (x1^T A x2 + b), composed of agrad ops.

`embedding` is `index_select` on the weight's rows. Its PyTorch options that change only the
gradient (`padding_idx`: no gradient to that row; `scale_grad_by_freq`: each row's gradient
divided by its count in the batch) are a gradient hook on the looked-up rows, so the forward
values are untouched. `max_norm` renormalises the referenced rows of the weight in place, as
PyTorch does.
"""

from __future__ import annotations

from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad

__all__ = ["embedding", "bilinear"]


def _agrad() -> Any:
    import agrad

    return agrad


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """weight[input]: one row of `weight` per index, shape (*input.shape, embedding_dim)."""
    if input.dtype not in (D.int64, D.int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {input.type()} instead "
                           f"(while checking arguments for embedding)")
    num = weight.shape[0]
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= num:
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -num:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx += num
    if sparse:
        raise RuntimeError("embedding(sparse=True): agrad has no sparse tensors, so it cannot "
                           "produce a sparse gradient; use sparse=False (dense gradients)")
    flat = input.reshape(-1)
    if flat.dtype is not D.int64:
        flat = flat.to(D.int64)
    if not input._storage.backend.lazy and flat.numel():
        lo, hi = int(flat.min()), int(flat.max())
        if lo < 0 or hi >= num:
            raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_rows(weight, flat, float(max_norm), float(norm_type))
    rows = weight.index_select(0, flat)
    if rows.requires_grad and (padding_idx is not None or scale_grad_by_freq):
        scale = _grad_scale(flat, num, padding_idx, scale_grad_by_freq, rows.dtype)
        rows.register_hook(lambda g: g * scale)
    return rows.reshape(*input.shape, weight.shape[1])


def _grad_scale(flat: Tensor, num: int, padding_idx: int | None, by_freq: bool,
                dtype: D.dtype) -> Tensor:
    """Per looked-up row: 0 at padding_idx, 1 / (count of its index) with by_freq, else 1."""
    A = _agrad()
    scale = A.ones(flat.shape[0], 1, dtype=dtype, device=flat.device)
    if by_freq:
        counts = A.zeros(num, dtype=dtype, device=flat.device).scatter_add(
            0, flat, A.ones(flat.shape[0], dtype=dtype, device=flat.device))
        scale = scale / counts.index_select(0, flat).unsqueeze(1)
    if padding_idx is not None:
        scale = scale.masked_fill((flat == padding_idx).unsqueeze(1), 0.0)
    return scale


def _renorm_rows(weight: Tensor, flat: Tensor, max_norm: float, norm_type: float) -> None:
    """Rows referenced by `flat` whose norm exceeds max_norm are scaled (in place) to have
    norm max_norm (PyTorch's embedding_renorm_, with its 1e-7 guard)."""
    A = _agrad()
    idx = sorted(set(flat.tolist()))
    if not idx:
        return
    index = A.tensor(idx, dtype=D.int64, device=weight.device)
    with no_grad():
        rows = weight.index_select(0, index)
        norms = rows.norm(p=norm_type, dim=1, keepdim=True)
        factor = A.where(norms > max_norm, max_norm / (norms + 1e-7), A.ones_like(norms))
        weight[index] = rows * factor


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor,
             bias: Tensor | None = None) -> Tensor:
    """y[..., o] = sum_ij x1[..., i] A[o, i, j] x2[..., j] + b[o], as one matmul:
    (x1 @ A viewed as (in1, out * in2)) times x2, summed over in2."""
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and "
                           f"{input2.ndim}")
    for i in range(input1.ndim - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: "
                               f"got {input1.shape[i]} and {input2.shape[i]}")
    out_f, in1, in2 = weight.shape
    if input1.shape[-1] != in1:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got "
                           f"{input1.shape[-1]} but expected {in1}")
    if input2.shape[-1] != in2:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got "
                           f"{input2.shape[-1]} but expected {in2}")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != out_f):
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias.shape[-1]} but expected {out_f}")
    lead = tuple(input1.shape[:-1])
    x1 = input1.reshape(-1, in1)
    x2 = input2.reshape(-1, in2)
    a = weight.permute(1, 0, 2).reshape(in1, out_f * in2)
    y = (x1.matmul(a).reshape(-1, out_f, in2) * x2.unsqueeze(1)).sum(-1)
    if bias is not None:
        y = y + bias
    return y.reshape(*lead, out_f)
