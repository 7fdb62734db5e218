"""layer_norm and batch_norm, composed of agrad reductions and elementwise ops.

Both normalise with the biased variance, (x - mean) * rsqrt(var + eps), as PyTorch's kernels
do. batch_norm in training mode also updates the running statistics in place (momentum
average; the running variance takes the unbiased batch variance), under `no_grad`; on Dask
those in-place writes persist the buffers, so a training loop's graph stays bounded.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._tensor import Tensor
from ..autograd.grad_mode import no_grad

__all__ = ["layer_norm", "batch_norm"]


def _rsqrt(t: Tensor) -> Tensor:
    import agrad

    return agrad.rsqrt(t)


def _persist_together(tensors: list[Tensor]) -> None:
    """On a lazy backend, compute the new running statistics in one pass: each in-place write
    into a buffer persists it, and separately each would recompute the batch statistics."""
    if tensors and tensors[0]._storage.backend.lazy:
        from ..lazy import persist

        persist(*tensors)


def layer_norm(input: Tensor, normalized_shape: Sequence[int] | int,
               weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise over the trailing `normalized_shape` dimensions, then scale and shift."""
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    n = len(shape)
    if n == 0 or list(input.shape[input.ndim - n:]) != shape or input.ndim < n:
        star = ", ".join(["*"] + [str(s) for s in shape])
        raise RuntimeError(f"Given normalized_shape={shape}, expected input with shape "
                           f"[{star}], but got input of size{list(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and list(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = "
                               f"{shape}")
    dims = tuple(range(input.ndim - n, input.ndim))
    mean = input.mean(dims, keepdim=True)
    centered = input - mean
    var = (centered * centered).mean(dims, keepdim=True)
    out = centered * _rsqrt(var + eps)
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel (dim 1) by the batch's statistics (training) or the running
    ones (evaluation), then scale and shift."""
    c = input.size(1)  # PyTorch's IndexError for a 1-D input
    if training:
        per_channel = input.numel() // c if c else 0
        if per_channel <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {input.shape}")
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    dims = (0,) + tuple(range(2, input.ndim))
    view = (1, c) + (1,) * (input.ndim - 2)
    if training:
        mean = input.mean(dims, keepdim=True)
        centered = input - mean
        var = (centered * centered).mean(dims, keepdim=True)
        if running_mean is not None or running_var is not None:
            n = input.numel() // c
            with no_grad():
                updates = []
                if running_mean is not None:
                    new = mean.detach().reshape(c) * momentum + running_mean * (1 - momentum)
                    updates.append((running_mean, new))
                if running_var is not None:
                    unbiased = var.detach().reshape(c) * (n / (n - 1))
                    updates.append((running_var, unbiased * momentum
                                    + running_var * (1 - momentum)))
                _persist_together([u for _, u in updates])
                for buffer, value in updates:
                    buffer.copy_(value)
    else:
        for name, t in (("running_mean", running_mean), ("running_var", running_var)):
            if t is None:
                raise RuntimeError(f"{name} must be defined in evaluation mode")
        mean = running_mean.reshape(view)
        var = running_var.reshape(view)
        centered = input - mean
    out = centered * _rsqrt(var + eps)
    if weight is not None:
        out = out * weight.reshape(view)
    if bias is not None:
        out = out + bias.reshape(view)
    return out
