"""Argument parsing shared by the op table's `args` functions.

An `args` function is an op's public signature: it checks the arguments as PyTorch checks them
(same exception types, same wording) and returns `(inputs, params)` for the dispatcher. The
common signatures live here, with the helpers every op needs (dims, sizes, tensor checks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Union

from .._tensor import Tensor
from .._tensor import _wrap_dim as wrap_dim

Number = Union[int, float, bool, complex]


def one(input: Tensor) -> tuple[tuple, None]:  # noqa: A002 - PyTorch's argument names
    """A unary op's signature: the tensor and nothing else."""
    return (input,), None


def two(input: Tensor | Number, other: Tensor | Number) -> tuple[tuple, None]:  # noqa: A002
    """A binary op's signature: two operands, tensors or Python numbers."""
    return (input, other), None


def tensors(name: str) -> Any:
    """A binary op PyTorch declares for two tensors only (atan2, maximum, logical_and ...)."""
    def args(input: Tensor, other: Tensor) -> tuple[tuple, None]:  # noqa: A002
        tensor(name, input, "input", 1)
        tensor(name, other, "other", 2)
        return (input, other), None
    return args


def tensor_first(name: str) -> Any:
    """A binary op with (Tensor, Tensor) and (Tensor, Number) overloads only (comparisons,
    fmod): a number first is PyTorch's invalid-combination TypeError."""
    def args(input: Tensor, other: Tensor | Number) -> tuple[tuple, None]:  # noqa: A002
        if not isinstance(input, Tensor):
            raise invalid_combination(name, (input, other), (
                "(Tensor input, Tensor other, *, Tensor out = None)",
                "(Tensor input, Number other, *, Tensor out = None)"))
        return (input, other), None
    return args


def invalid_combination(name: str, got: tuple, overloads: tuple[str, ...]) -> TypeError:
    """PyTorch's TypeError for arguments that match none of an op's overloads."""
    kinds = ", ".join("Tensor" if isinstance(x, Tensor) else type(x).__name__ for x in got)
    lines = "".join(f" * {o}\n" for o in overloads)
    return TypeError(f"{name}() received an invalid combination of arguments - got ({kinds}), "
                     f"but expected one of:\n{lines}")


def dims(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """A reduction's `dim`: None (or empty) for all, an int or a sequence of ints, wrapped,
    refusing repeats."""
    if dim is None:
        return None
    ds = (dim,) if isinstance(dim, int) else tuple(dim)
    if not ds:
        return None
    out = tuple(wrap_dim(d, ndim) for d in ds)
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
    return out


def unique_dims(ds: Sequence[int], ndim: int) -> tuple[int, ...]:
    out: list[int] = []
    for d in ds:
        w = wrap_dim(d, ndim)
        if w in out:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        out.append(w)
    return tuple(out)


def sizes(size: tuple) -> tuple:
    """`f(2, 3)` or `f((2, 3))` or `f([2, 3])`: the sizes as one tuple."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


def tensor(fn: str, x: Any, arg: str, pos: int) -> None:
    """PyTorch's TypeError for a non-tensor where a tensor is expected."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not "
                        f"{type(x).__name__}")


def same_device(fn: str, *ts: Tensor) -> None:
    from ._dispatch import device_error

    d = ts[0]._storage.device
    for t in ts[1:]:
        if t._storage.device != d:
            raise device_error(ts[0], t, fn)


def tensor_list(fn: str, tensors: Any) -> list[Tensor]:
    """A sequence of tensors (cat, stack ...), checked as PyTorch checks it."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, Sequence):
        raise TypeError(f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    out = list(tensors)
    for i, t in enumerate(out):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    if out:
        same_device(fn, *out)
    return out


def not_implemented(kernel: str, t: Tensor) -> NotImplementedError:
    """PyTorch's error for a dtype a kernel has no implementation for."""
    return NotImplementedError(f'"{kernel}" not implemented for \'{t._dtype.legacy}\'')
