"""Argument parsing shared by the op table's `args` functions.

An `args` function is an op's public signature: it checks the arguments as PyTorch checks them
(same exception types, same wording) and returns `(inputs, params)` for the dispatcher. The
common signatures live here, with the helpers every op needs (dims, sizes, tensor checks).
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Sequence
from typing import Any, Union

from .. import dtypes as D
from .._tensor import Tensor
from .._tensor import _wrap_dim as wrap_dim
from ..device import device as Device

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


def kind(x: Any) -> str:
    """How PyTorch's parser names an argument's type in its messages."""
    if isinstance(x, Tensor):
        return "Tensor"
    if isinstance(x, D.dtype):
        return "torch.dtype"
    if isinstance(x, Device):
        return "torch.device"
    return D.typename(x)


def invalid_combination(name: str, got: tuple, overloads: tuple[str, ...],
                        kwargs: dict[str, Any] | None = None) -> TypeError:
    """PyTorch's TypeError for arguments that match none of an op's overloads. Its parser lists
    the keyword arguments after the positional ones, last given first, and leaves a trailing
    ", " when there are only keywords."""
    kinds = [kind(x) for x in got]
    keys = [f"{k}={kind(v)}" for k, v in reversed((kwargs or {}).items())]
    text = ", ".join(kinds + keys) if kinds else "".join(k + ", " for k in keys)
    lines = "".join(f" * {o}\n" for o in overloads)
    return TypeError(f"{name}() received an invalid combination of arguments - got ({text}), "
                     f"but expected one of:\n{lines}")


# PyTorch's printed signatures of the functions whose bad `dtype=` it reports as an invalid
# combination of arguments (they have several overloads) rather than naming the argument
_FACTORY = ("torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
            "bool pin_memory = False, bool requires_grad = False")
_OUT = "*, Tensor out = None, " + _FACTORY
_GEN = "*, torch.Generator generator, Tensor out = None, " + _FACTORY
_LIKE = "torch.memory_format memory_format = None, " + _FACTORY
_TO = "bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None"
_SPACED = ("Tensor start, Tensor end", "Number start, Tensor end", "Tensor start, Number end",
           "Number start, Number end")
OVERLOADS: dict[str, tuple[str, ...]] = {
    "arange": (f"(Number end, {_OUT})", f"(Number start, Number end, *, {_FACTORY})",
               f"(Number start, Number end, Number step = 1, {_OUT})"),
    "rand": (f"(tuple of ints size, {_GEN})", f"(tuple of ints size, {_OUT})"),
    "randn": (f"(tuple of ints size, {_GEN})", f"(tuple of ints size, {_OUT})"),
    "randint": tuple(f"({a}tuple of ints size, {g})" for a in ("int high, ", "int low, int high, ")
                     for g in (_GEN, _OUT)),
    "randperm": (f"(int n, {_GEN})", f"(int n, {_OUT})"),
    "eye": (f"(int n, {_OUT})", f"(int n, int m, {_OUT})"),
    "linspace": tuple(f"({b}, int steps, {_OUT})" for b in _SPACED),
    "logspace": tuple(f"({b}, int steps, float base = 10.0, {_OUT})" for b in _SPACED),
    "rand_like": (f"(Tensor input, *, torch.Generator generator, {_LIKE})",
                  f"(Tensor input, *, {_LIKE})"),
    "randn_like": (f"(Tensor input, *, torch.Generator generator, {_LIKE})",
                   f"(Tensor input, *, {_LIKE})"),
    "randint_like": tuple(f"(Tensor input, {h}, *, {g}{_LIKE})"
                          for h in ("int low, int high", "Tensor high", "int high")
                          for g in ("torch.Generator generator, ", "")),
    "to": (f"(torch.device device = None, torch.dtype dtype = None, {_TO})",
           f"(torch.dtype dtype, {_TO})", f"(Tensor tensor, {_TO})"),
}


def dtype(fn: str, value: Any, got: tuple = (), kwargs: dict[str, Any] | None = None) -> Any:
    """A PyTorch-facing `dtype=` argument of `fn`: None, or a dtype (`dtypes.arg`). A bad one is
    PyTorch's TypeError: for a function with several overloads its invalid-combination message,
    with `got` (the positional arguments) and `kwargs` (the other keywords given) in it."""
    if value is None or isinstance(value, D.dtype):
        return value
    overloads = OVERLOADS.get(fn)
    if overloads is None or D.is_dtype(value):
        return D.arg(value, fn)
    raise invalid_combination(fn, got, overloads, {**(kwargs or {}), "dtype": value})


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


_TO_SIGNATURES = (("device", "dtype", "non_blocking", "copy"), ("dtype", "non_blocking", "copy"),
                  ("tensor", "non_blocking", "copy"))


def _to_accepts(name: str, value: Any) -> bool:
    if name == "device":
        return value is None or isinstance(value, (str, Device)) or \
            isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if name == "dtype":
        return value is None or D.is_dtype(value)
    if name == "tensor":
        return isinstance(value, Tensor)
    return isinstance(value, bool)


def parse_to(args: tuple, kwargs: dict[str, Any]) -> tuple[Any, D.dtype | None, bool]:
    """(device, dtype, copy) from `Tensor.to`'s and `Module.to`'s overloads, matched as
    PyTorch's parser matches them: to(device=None, dtype=None, non_blocking=False, copy=False),
    to(dtype, non_blocking=False, copy=False), to(tensor, non_blocking=False, copy=False), each
    with a keyword memory_format; arguments none of them takes (a name given twice, a string
    dtype, an unknown keyword) are PyTorch's invalid-combination TypeError."""
    if not kwargs and len(args) == 1 and isinstance(args[0], D.dtype):
        return None, args[0], False  # `x.to(dtype)`, as the ops themselves call it
    given = set(kwargs) - {"memory_format"}
    for names in _TO_SIGNATURES:
        bound = dict(zip(names, args))
        if len(args) > len(names) or given - set(names) or given & set(bound):
            continue
        bound.update((k, kwargs[k]) for k in given)
        if all(_to_accepts(k, v) for k, v in bound.items()):
            break
    else:
        raise invalid_combination("to", args, OVERLOADS["to"], kwargs)
    if "tensor" in bound:
        return bound["tensor"].device, bound["tensor"]._dtype, bound.get("copy", False)
    dev, dtype = bound.get("device"), bound.get("dtype")
    if dev is not None and not isinstance(dev, (str, Device)):
        dev = operator.index(dev)  # a device ordinal (NumPy's integers too)
    return dev, (None if dtype is None else D.arg(dtype, "to")), bound.get("copy", False)


# the C++ type names PyTorch's checked conversion of a fill value (full, fill_) prints
_FILL_TYPES = {D.uint8: "uint8_t", D.int8: "int8_t", D.int16: "int16_t", D.int32: "int",
               D.int64: "int64_t", D.uint16: "uint16_t", D.uint32: "uint32_t",
               D.uint64: "uint64_t", D.float16: "double", D.float32: "float",
               D.float64: "double", D.complex64: "c10::complex<float>",
               D.complex128: "c10::complex<double>"}
_FLOAT32_MAX = (2 - 2.0 ** -23) * 2.0 ** 127
_FLOAT16_MAX = 65504.0


def fill_value(value: Any, dt: D.dtype, numel: int) -> Any:
    """A Python number to fill a tensor of `dt` with (full, fill_), checked as PyTorch checks
    it: a complex with an imaginary part into a real type, a NaN or an out-of-range number
    into an integer type, a finite number past float32's range into float32 (or complex64) are
    its RuntimeError naming the C++ type; an integer outside int64 and uint64 is Python's
    OverflowError; a negative integer wraps into an unsigned type down to minus its maximum;
    floats truncate into integers. float16 depends on the number of elements filled: one is
    PyTorch's fast path, which converts through double (past float16's range: inf); any other
    count checks float16's range and names c10::Half."""
    if not isinstance(value, (int, float, complex)) and hasattr(value, "item"):
        value = value.item()  # a NumPy scalar: its Python number
    if isinstance(value, int) and not -(1 << 63) <= value < (1 << 64):
        raise OverflowError("int too big to convert")
    if dt.category == D.BOOL:
        return bool(value)
    if isinstance(value, bool):
        return value

    half = dt is D.float16 and numel != 1

    def overflow() -> RuntimeError:
        name = "c10::Half" if half else _FILL_TYPES[dt]
        return RuntimeError(f"value cannot be converted to type {name} without overflow")
    if dt.category >= D.FLOAT:
        if isinstance(value, complex) and value.imag != 0 and dt.category == D.FLOAT:
            raise overflow()
        limit = _FLOAT16_MAX if half else \
            _FLOAT32_MAX if dt is D.float32 or dt is D.complex64 else None
        if limit is not None:
            for part in (value.real, value.imag):
                if limit < abs(part) < float("inf"):
                    raise overflow()
        return value
    if isinstance(value, complex):
        if value.imag != 0:
            raise overflow()
        value = value.real
    info = D.iinfo(dt)
    lo, hi = info.min, info.max
    if isinstance(value, float):
        if not float(lo) <= value <= float(hi):  # NaN too; compared in double, as PyTorch does
            raise overflow()
        v = int(value)
        return v if v <= hi else v - (1 << info.bits)  # 2.0 ** 63 rounds past int64's maximum
    value = int(value)
    if value > hi or value < lo and (dt.is_signed or -value > hi):
        raise overflow()
    return value & hi if value < 0 and not dt.is_signed else value
