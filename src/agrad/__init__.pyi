# Generated from agrad's op table by `python -m agrad._stubgen`. Do not edit: rerun it.
# ruff: noqa: I001 - the generator's import order
from . import autograd as autograd
from . import cuda as cuda
from . import dtypes as dtypes
from . import nn as nn
from . import ops as ops
from . import optim as optim
from . import return_types as return_types
from . import utils as utils
from ._printing import set_printoptions as set_printoptions
from ._size import Size as Size
from ._tensor import Tensor as Tensor
from .autograd.grad_mode import enable_grad as enable_grad
from .autograd.grad_mode import inference_mode as inference_mode
from .autograd.grad_mode import is_grad_enabled as is_grad_enabled
from .autograd.grad_mode import is_inference_mode_enabled as is_inference_mode_enabled
from .autograd.grad_mode import no_grad as no_grad
from .autograd.grad_mode import set_grad_enabled as set_grad_enabled
from .autograd.variable import Variable as Variable
from .config import available_backends as available_backends
from .config import backend as backend
from .config import current_backend as current_backend
from .config import get_backend as get_backend
from .config import set_backend as set_backend
from .device import device as device
from .dtypes import bool as bool
from .dtypes import cdouble as cdouble
from .dtypes import cfloat as cfloat
from .dtypes import complex128 as complex128
from .dtypes import complex64 as complex64
from .dtypes import double as double
from .dtypes import dtype as dtype
from .dtypes import float as float
from .dtypes import float16 as float16
from .dtypes import float32 as float32
from .dtypes import float64 as float64
from .dtypes import get_default_dtype as get_default_dtype
from .dtypes import half as half
from .dtypes import int as int
from .dtypes import int16 as int16
from .dtypes import int32 as int32
from .dtypes import int64 as int64
from .dtypes import int8 as int8
from .dtypes import long as long
from .dtypes import promote_types as promote_types
from .dtypes import result_type as result_type
from .dtypes import set_default_dtype as set_default_dtype
from .dtypes import short as short
from .dtypes import uint8 as uint8
from .lazy import compute as compute
from .lazy import from_array as from_array
from .lazy import from_dask as from_dask
from .lazy import persist as persist
from .memory_format import contiguous_format as contiguous_format
from .memory_format import memory_format as memory_format
from .memory_format import preserve_format as preserve_format
from .ops.creation import BoolTensor as BoolTensor
from .ops.creation import ByteTensor as ByteTensor
from .ops.creation import CharTensor as CharTensor
from .ops.creation import DoubleTensor as DoubleTensor
from .ops.creation import FloatTensor as FloatTensor
from .ops.creation import HalfTensor as HalfTensor
from .ops.creation import IntTensor as IntTensor
from .ops.creation import LongTensor as LongTensor
from .ops.creation import ShortTensor as ShortTensor
from .ops.creation import manual_seed as manual_seed
from .ops.creation import seed as seed
from .serialization import load as load
from .serialization import save as save
from agrad.ops._args import Number
from builtins import bool as _bool
from builtins import float as _float
from builtins import int as _int
from collections.abc import Sequence
from typing import Any
import agrad.dtypes as D
import agrad.memory_format as MF
import builtins as _builtins

__version__: str
def can_cast(from_: dtype, to: dtype) -> _builtins.bool: ...
def is_tensor(obj: object) -> _builtins.bool: ...
def numel(input: Tensor) -> _builtins.int: ...
def is_floating_point(input: Tensor) -> _builtins.bool: ...
def fill(input: Tensor, value: Tensor | complex) -> Tensor: ...
def fill_(input: Tensor, value: Tensor | complex) -> Tensor: ...
def zero_(input: Tensor) -> Tensor: ...
def empty(
    *size: Any,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    pin_memory: _bool = ...,
    memory_format: Any = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def zeros(
    *size: Any,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    pin_memory: _bool = ...,
    memory_format: Any = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def ones(
    *size: Any,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    pin_memory: _bool = ...,
    memory_format: Any = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def full(
    size: Any,
    fill_value: Any,
    *,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    pin_memory: _bool = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def rand(
    *size: Any,
    generator: Any = ...,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    pin_memory: _bool = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def randn(
    *size: Any,
    generator: Any = ...,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    pin_memory: _bool = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def randint(
    *args: Any,
    generator: Any = ...,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    pin_memory: _bool = ...,
    size: Any = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def arange(
    start: Any,
    end: Any = ...,
    step: Any = ...,
    *,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def linspace(
    start: Any,
    end: Any,
    steps: _int,
    *,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def eye(
    n: _int,
    m: _int | None = ...,
    *,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def tensor(
    data: Any,
    *,
    dtype: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    pin_memory: _bool = ...,
) -> Tensor: ...
def as_tensor(data: Any, dtype: Any = ..., device: Any = ...) -> Tensor: ...
def from_numpy(ndarray: Any) -> Tensor: ...
def from_dlpack(ext: Any) -> Tensor: ...
def scalar_tensor(
    s: Any,
    *,
    dtype: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
) -> Tensor: ...
def randperm(
    n: _int,
    *,
    dtype: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
) -> Tensor: ...
def logspace(
    start: Any,
    end: Any,
    steps: _int,
    base: _float = ...,
    *,
    dtype: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
) -> Tensor: ...
def empty_like(
    input: Tensor,
    *,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    memory_format: Any = ...,
) -> Tensor: ...
def zeros_like(
    input: Tensor,
    *,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    memory_format: Any = ...,
) -> Tensor: ...
def ones_like(
    input: Tensor,
    *,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    memory_format: Any = ...,
) -> Tensor: ...
def full_like(
    input: Tensor,
    fill_value: Any,
    *,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    memory_format: Any = ...,
) -> Tensor: ...
def rand_like(
    input: Tensor,
    *,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    memory_format: Any = ...,
) -> Tensor: ...
def randn_like(
    input: Tensor,
    *,
    dtype: Any = ...,
    layout: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
    memory_format: Any = ...,
) -> Tensor: ...
def randint_like(
    input: Tensor,
    low: _int = ...,
    high: _int | None = ...,
    *,
    dtype: Any = ...,
    device: Any = ...,
    requires_grad: _bool = ...,
) -> Tensor: ...
def asarray(data: Any, dtype: Any = ..., device: Any = ...) -> Tensor: ...
def neg(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def negative(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def neg_(input: Tensor) -> Tensor: ...
def abs(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def absolute(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def abs_(input: Tensor) -> Tensor: ...
def exp(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def exp_(input: Tensor) -> Tensor: ...
def expm1(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def expm1_(input: Tensor) -> Tensor: ...
def log(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def log_(input: Tensor) -> Tensor: ...
def log2(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def log2_(input: Tensor) -> Tensor: ...
def log10(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def log10_(input: Tensor) -> Tensor: ...
def log1p(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def log1p_(input: Tensor) -> Tensor: ...
def sqrt(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def sqrt_(input: Tensor) -> Tensor: ...
def rsqrt(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def rsqrt_(input: Tensor) -> Tensor: ...
def square(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def square_(input: Tensor) -> Tensor: ...
def sin(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def sin_(input: Tensor) -> Tensor: ...
def cos(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def cos_(input: Tensor) -> Tensor: ...
def tan(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def tan_(input: Tensor) -> Tensor: ...
def asin(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def asin_(input: Tensor) -> Tensor: ...
def acos(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def acos_(input: Tensor) -> Tensor: ...
def atan(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def atan_(input: Tensor) -> Tensor: ...
def sinh(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def sinh_(input: Tensor) -> Tensor: ...
def cosh(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def cosh_(input: Tensor) -> Tensor: ...
def tanh(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def tanh_(input: Tensor) -> Tensor: ...
def asinh(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def asinh_(input: Tensor) -> Tensor: ...
def acosh(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def acosh_(input: Tensor) -> Tensor: ...
def atanh(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def atanh_(input: Tensor) -> Tensor: ...
def sigmoid(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def sigmoid_(input: Tensor) -> Tensor: ...
def relu(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def relu_(input: Tensor) -> Tensor: ...
def reciprocal(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def reciprocal_(input: Tensor) -> Tensor: ...
def sign(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def sgn(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def floor(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def floor_(input: Tensor) -> Tensor: ...
def ceil(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def ceil_(input: Tensor) -> Tensor: ...
def trunc(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def trunc_(input: Tensor) -> Tensor: ...
def frac(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def frac_(input: Tensor) -> Tensor: ...
def isnan(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def isinf(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def isfinite(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def signbit(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def logical_not(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def bitwise_not(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def angle(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def erf(input: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def erf_(input: Tensor) -> Tensor: ...
def conj(input: Tensor) -> Tensor: ...
def real(input: Tensor) -> Tensor: ...
def imag(input: Tensor) -> Tensor: ...
def round(input: Tensor, *, decimals: _int = ..., out: Tensor | None = ...) -> Tensor: ...
def round_(input: Tensor, *, decimals: _int = ...) -> Tensor: ...
def positive(input: Tensor) -> Tensor: ...
def add(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    alpha: Number = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def sub(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    alpha: Number = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def subtract(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    alpha: Number = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def rsub(input: Tensor | Number, other: Tensor | Number, *, alpha: Number = ...) -> Tensor: ...
def mul(input: Tensor | Number, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def multiply(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def true_divide(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def floor_divide(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def div(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    rounding_mode: str | None = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def divide(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    rounding_mode: str | None = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def remainder(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def fmod(input: Tensor | Number, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def pow(
    input: Tensor | Number,
    exponent: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def float_power(input: Tensor | Number, exponent: Tensor | Number) -> Tensor: ...
def maximum(input: Tensor, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def minimum(input: Tensor, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def atan2(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def arctan2(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def hypot(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def logaddexp(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def xlogy(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def eq(input: Tensor | Number, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def ne(input: Tensor | Number, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def not_equal(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def lt(input: Tensor | Number, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def less(input: Tensor | Number, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def le(input: Tensor | Number, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def less_equal(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def gt(input: Tensor | Number, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def greater(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def ge(input: Tensor | Number, other: Tensor | Number, *, out: Tensor | None = ...) -> Tensor: ...
def greater_equal(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def logical_and(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def logical_or(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def logical_xor(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def bitwise_and(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def bitwise_or(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def bitwise_xor(
    input: Tensor | Number,
    other: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def equal(input: Tensor, other: Tensor) -> _bool: ...
def isclose(
    input: Tensor,
    other: Tensor,
    rtol: _float = ...,
    atol: _float = ...,
    equal_nan: _bool = ...,
) -> Tensor: ...
def allclose(
    input: Tensor,
    other: Tensor,
    rtol: _float = ...,
    atol: _float = ...,
    equal_nan: _bool = ...,
) -> _bool: ...
def clamp(
    input: Tensor,
    min: Tensor | Number | None = ...,
    max: Tensor | Number | None = ...,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def clip(
    input: Tensor,
    min: Tensor | Number | None = ...,
    max: Tensor | Number | None = ...,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def clamp_(
    input: Tensor,
    min: Tensor | Number | None = ...,
    max: Tensor | Number | None = ...,
) -> Tensor: ...
def where(
    condition: Tensor,
    input: Tensor | Number | None = ...,
    other: Tensor | Number | None = ...,
    *,
    out: Tensor | None = ...,
) -> Any: ...
def lerp(
    input: Tensor,
    end: Tensor,
    weight: Tensor | Number,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def reshape(input: Tensor, *shape: Any) -> Tensor: ...
def permute(input: Tensor, *dims: Any) -> Tensor: ...
def transpose(input: Tensor, dim0: _int, dim1: _int) -> Tensor: ...
def swapaxes(input: Tensor, dim0: _int, dim1: _int) -> Tensor: ...
def swapdims(input: Tensor, dim0: _int, dim1: _int) -> Tensor: ...
def t(input: Tensor) -> Tensor: ...
def movedim(
    input: Tensor,
    source: _int | tuple[_int, ...],
    destination: _int | tuple[_int, ...],
) -> Tensor: ...
def moveaxis(
    input: Tensor,
    source: _int | tuple[_int, ...],
    destination: _int | tuple[_int, ...],
) -> Tensor: ...
def squeeze(input: Tensor, dim: _int | tuple[_int, ...] | None = ...) -> Tensor: ...
def unsqueeze(input: Tensor, dim: _int) -> Tensor: ...
def flatten(input: Tensor, start_dim: _int = ..., end_dim: _int = ...) -> Tensor: ...
def unflatten(input: Tensor, dim: _int, sizes: tuple[_int, ...]) -> Tensor: ...
def broadcast_to(input: Tensor, size: tuple[_int, ...]) -> Tensor: ...
def expand_copy(input: Tensor, size: tuple[_int, ...]) -> Tensor: ...
def narrow(input: Tensor, dim: _int, start: _int, length: _int) -> Tensor: ...
def select(input: Tensor, dim: _int, index: _int) -> Tensor: ...
def split(
    tensor: Tensor,
    split_size_or_sections: _int | list[_int],
    dim: _int = ...,
) -> tuple[Tensor, ...]: ...
def chunk(input: Tensor, chunks: _int, dim: _int = ...) -> tuple[Tensor, ...]: ...
def unbind(input: Tensor, dim: _int = ...) -> tuple[Tensor, ...]: ...
def tensor_split(
    input: Tensor,
    indices_or_sections: Any,
    dim: _int = ...,
) -> tuple[Tensor, ...]: ...
def clone(input: Tensor, *, memory_format: MF.memory_format = ...) -> Tensor: ...
def view_as_real(input: Tensor) -> Tensor: ...
def nonzero(input: Tensor, *, as_tuple: _bool = ...) -> Any: ...
def argwhere(input: Tensor) -> Tensor: ...
def masked_select(input: Tensor, mask: Tensor) -> Tensor: ...
def take(input: Tensor, index: Tensor) -> Tensor: ...
def dot(input: Tensor, tensor: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def vdot(input: Tensor, other: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def mm(input: Tensor, mat2: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def mv(input: Tensor, vec: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def bmm(input: Tensor, mat2: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def inner(input: Tensor, other: Tensor) -> Tensor: ...
def matmul(input: Tensor, other: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def outer(input: Tensor, vec2: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def ger(input: Tensor, vec2: Tensor, *, out: Tensor | None = ...) -> Tensor: ...
def addmm(
    input: Tensor,
    mat1: Tensor,
    mat2: Tensor,
    *,
    beta: complex = ...,
    alpha: complex = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def diagonal(input: Tensor, offset: _int = ..., dim1: _int = ..., dim2: _int = ...) -> Tensor: ...
def diag_embed(input: Tensor, offset: _int = ..., dim1: _int = ..., dim2: _int = ...) -> Tensor: ...
def diag(input: Tensor, diagonal: _int = ..., *, out: Tensor | None = ...) -> Tensor: ...
def trace(input: Tensor) -> Tensor: ...
def tril(input: Tensor, diagonal: _int = ..., *, out: Tensor | None = ...) -> Tensor: ...
def triu(input: Tensor, diagonal: _int = ..., *, out: Tensor | None = ...) -> Tensor: ...
def einsum(equation: str, *operands: Any) -> Tensor: ...
def sum(
    input: Tensor,
    dim: _int | tuple[_int, ...] | None = ...,
    keepdim: _bool = ...,
    *,
    dtype: D.dtype | None = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def nansum(
    input: Tensor,
    dim: _int | tuple[_int, ...] | None = ...,
    keepdim: _bool = ...,
    *,
    dtype: D.dtype | None = ...,
) -> Tensor: ...
def mean(
    input: Tensor,
    dim: _int | tuple[_int, ...] | None = ...,
    keepdim: _bool = ...,
    *,
    dtype: D.dtype | None = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def prod(
    input: Tensor,
    dim: _int | None = ...,
    keepdim: _bool = ...,
    *,
    dtype: D.dtype | None = ...,
) -> Tensor: ...
def amax(input: Tensor, dim: _int | tuple[_int, ...] = ..., keepdim: _bool = ...) -> Tensor: ...
def amin(input: Tensor, dim: _int | tuple[_int, ...] = ..., keepdim: _bool = ...) -> Tensor: ...
def max(input: Tensor, dim: _int | Tensor | None = ..., keepdim: _bool = ...) -> Any: ...
def min(input: Tensor, dim: _int | Tensor | None = ..., keepdim: _bool = ...) -> Any: ...
def aminmax(input: Tensor, *, dim: _int | None = ..., keepdim: _bool = ...) -> Any: ...
def argmax(input: Tensor, dim: _int | None = ..., keepdim: _bool = ...) -> Tensor: ...
def argmin(input: Tensor, dim: _int | None = ..., keepdim: _bool = ...) -> Tensor: ...
def var(
    input: Tensor,
    dim: _int | tuple[_int, ...] | None = ...,
    unbiased: _bool | None = ...,
    keepdim: _bool = ...,
    *,
    correction: _float | None = ...,
) -> Tensor: ...
def std(
    input: Tensor,
    dim: _int | tuple[_int, ...] | None = ...,
    unbiased: _bool | None = ...,
    keepdim: _bool = ...,
    *,
    correction: _float | None = ...,
) -> Tensor: ...
def var_mean(
    input: Tensor,
    dim: _int | tuple[_int, ...] | None = ...,
    unbiased: _bool | None = ...,
    keepdim: _bool = ...,
    *,
    correction: _float | None = ...,
) -> tuple[Tensor, Tensor]: ...
def std_mean(
    input: Tensor,
    dim: _int | tuple[_int, ...] | None = ...,
    unbiased: _bool | None = ...,
    keepdim: _bool = ...,
    *,
    correction: _float | None = ...,
) -> tuple[Tensor, Tensor]: ...
def vector_norm(
    x: Tensor,
    ord: _float = ...,
    dim: _int | tuple[_int, ...] | None = ...,
    keepdim: _bool = ...,
    *,
    dtype: D.dtype | None = ...,
) -> Tensor: ...
def norm(
    input: Tensor,
    p: _float | str | None = ...,
    dim: _int | tuple[_int, ...] | None = ...,
    keepdim: _bool = ...,
    dtype: D.dtype | None = ...,
) -> Tensor: ...
def logsumexp(input: Tensor, dim: _int | tuple[_int, ...], keepdim: _bool = ...) -> Tensor: ...
def all(
    input: Tensor,
    dim: _int | tuple[_int, ...] | None = ...,
    keepdim: _bool = ...,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def any(
    input: Tensor,
    dim: _int | tuple[_int, ...] | None = ...,
    keepdim: _bool = ...,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def count_nonzero(input: Tensor, dim: _int | tuple[_int, ...] | None = ...) -> Tensor: ...
def median(input: Tensor, dim: _int | None = ..., keepdim: _bool = ...) -> Any: ...
def cumsum(input: Tensor, dim: _int, *, dtype: D.dtype | None = ...) -> Tensor: ...
def cumprod(input: Tensor, dim: _int, *, dtype: D.dtype | None = ...) -> Tensor: ...
def cat(tensors: Sequence[Tensor], dim: _int = ..., *, out: Tensor | None = ...) -> Tensor: ...
def concat(tensors: Sequence[Tensor], dim: _int = ..., *, out: Tensor | None = ...) -> Tensor: ...
def concatenate(
    tensors: Sequence[Tensor],
    dim: _int = ...,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def stack(tensors: Sequence[Tensor], dim: _int = ..., *, out: Tensor | None = ...) -> Tensor: ...
def hstack(tensors: Sequence[Tensor], *, out: Tensor | None = ...) -> Tensor: ...
def vstack(tensors: Sequence[Tensor], *, out: Tensor | None = ...) -> Tensor: ...
def dstack(tensors: Sequence[Tensor], *, out: Tensor | None = ...) -> Tensor: ...
def atleast_1d(*tensors: Any) -> Any: ...
def atleast_2d(*tensors: Any) -> Any: ...
def flip(input: Tensor, dims: Sequence[_int]) -> Tensor: ...
def fliplr(input: Tensor) -> Tensor: ...
def flipud(input: Tensor) -> Tensor: ...
def roll(
    input: Tensor,
    shifts: _int | Sequence[_int],
    dims: _int | Sequence[_int] | None = ...,
) -> Tensor: ...
def tile(input: Tensor, dims: _int | Sequence[_int]) -> Tensor: ...
def repeat_interleave(
    input: Tensor,
    repeats: Any = ...,
    dim: _int | None = ...,
    *,
    output_size: _int | None = ...,
) -> Tensor: ...
def sort(input: Tensor, dim: _int = ..., descending: _bool = ..., stable: _bool = ...) -> Any: ...
def topk(
    input: Tensor,
    k: _int,
    dim: _int = ...,
    largest: _bool = ...,
    sorted: _bool = ...,
) -> Any: ...
def msort(input: Tensor) -> Tensor: ...
def argsort(
    input: Tensor,
    dim: _int = ...,
    descending: _bool = ...,
    stable: _bool = ...,
) -> Tensor: ...
def scatter(
    input: Tensor,
    dim: _int,
    index: Tensor,
    src: Tensor | _float | None = ...,
    *,
    value: _float | None = ...,
    reduce: str | None = ...,
) -> Tensor: ...
def scatter_add(input: Tensor, dim: _int, index: Tensor, src: Tensor) -> Tensor: ...
def gather(
    input: Tensor,
    dim: _int,
    index: Tensor,
    *,
    sparse_grad: _bool = ...,
    out: Tensor | None = ...,
) -> Tensor: ...
def take_along_dim(
    input: Tensor,
    indices: Tensor,
    dim: _int | None = ...,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def index_select(
    input: Tensor,
    dim: _int,
    index: Tensor,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
def masked_fill(input: Tensor, mask: Tensor, value: Tensor | complex) -> Tensor: ...
def index_fill(input: Tensor, dim: _int, index: Tensor, value: Tensor | _float) -> Tensor: ...
def meshgrid(*tensors: Any, indexing: str | None = ...) -> tuple[Tensor, ...]: ...
def cross(
    input: Tensor,
    other: Tensor,
    dim: _int | None = ...,
    *,
    out: Tensor | None = ...,
) -> Tensor: ...
