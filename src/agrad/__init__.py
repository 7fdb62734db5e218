"""agrad: PyTorch's tensor and autograd semantics on any Array API backend.

`import agrad as torch` and the PyTorch basics run unchanged, on NumPy by default, on Dask or
CuPy by configuration (`AGRAD_BACKEND`, `agrad.set_backend`, `with agrad.backend(...)`, or
`device=`). This module only re-exports.
"""

from __future__ import annotations

import builtins as _builtins

from . import _docs, autograd, cuda, dtypes, fft, linalg, nn, ops, optim, return_types, utils  # noqa: F401
from ._printing import set_printoptions
from ._size import Size
from ._tensor import Tensor
from .autograd import Variable, enable_grad, inference_mode, no_grad, set_grad_enabled
from .autograd.anomaly_mode import (
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    set_anomaly_enabled,
)
from .autograd.grad_mode import is_grad_enabled, is_inference_mode_enabled
from .config import (
    available_backends,
    backend,
    current_backend,
    get_backend,
    get_default_device,
    get_progress,
    set_backend,
    set_default_device,
    set_progress,
)
from .device import device
from .dtypes import (
    bool,
    cdouble,
    cfloat,
    complex64,
    complex128,
    double,
    dtype,
    finfo,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    iinfo,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    result_type,
    set_default_dtype,
    short,
    uint8,
    uint16,
    uint32,
    uint64,
)
from .dtypes import can_cast as _can_cast
from .lazy import compute, from_array, from_dask, persist
from .memory_format import contiguous_format, memory_format, preserve_format
from .ops import functions as _functions
from .ops._variants import bind as _bind
from .ops.creation import *  # noqa: F403 - seeds, generators and the legacy tensor types
from .serialization import load, save
from .storage import TypedStorage, UntypedStorage

globals().update(_functions("agrad"))  # every op-table row's function (and in-place form)
_docs.fill(globals(), "agrad")  # the docstrings of ops/creation.py's names that are no rows
_bind(Tensor)  # the methods of rows declared after agrad._tensor (nn.functional's x.softmax)

__version__ = "0.1.0"


def can_cast(from_: dtype, to: dtype) -> _builtins.bool:  # `bool` here is agrad.bool
    """Whether a cast from dtype `from_` to `to` is allowed by PyTorch's casting rules (no
    category downgrade: float to int, complex to float, or anything to bool).

    Examples:
        >>> torch.can_cast(torch.int32, torch.float32), torch.can_cast(torch.float32, torch.int32)
        (True, False)
    """
    return _can_cast(from_, to)


def is_tensor(obj: object) -> _builtins.bool:
    """Whether `obj` is an agrad tensor.

    Examples:
        >>> torch.is_tensor(torch.ones(1)), torch.is_tensor([1])
        (True, False)
    """
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> _builtins.int:
    """The number of elements of `input`.

    Examples:
        >>> torch.numel(torch.zeros(2, 3))
        6
    """
    return input.numel()


def is_floating_point(input: Tensor) -> _builtins.bool:
    """Whether `input`'s dtype is a floating-point one.

    Examples:
        >>> torch.is_floating_point(torch.ones(1))
        True
    """
    return input.is_floating_point()


del annotations, _bind, _docs, _functions  # not part of the namespace
