"""Elementwise ops: one row each — forward with `xp`, derivative with agrad ops.

A backward receives the node (`n.inputs`: the saved inputs, `n.result`: the saved output,
`n.params`, `n.edges[i]`: None where input i needs no gradient) and the incoming gradient, and
returns one gradient per input. Broadcast reduction, dtype casts, in-place variants, reflected
operators and `out=` come from the dispatcher, never from a row.
"""

from __future__ import annotations

import cmath
import math
from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from . import _args
from ._args import Number, one, two
from ._dispatch import broadcast_shapes, call, check_inplace, commit, shape_of
from ._op import (
    BOOL,
    COMPLEX,
    FLOATS,
    INTS,
    NOTHING,
    Op,
    kernel,
    opmath,
    refused,
    same,
    to_bool,
    to_float,
    to_real,
)


def _zero_grad(n: Any, g: Tensor) -> tuple:
    """Piecewise-constant ops: a zero gradient (not none: `.grad` is filled, as in PyTorch)."""
    z = g.new_zeros(g.shape)
    return tuple(z if e is not None else None for e in n.edges)


def _conj(x: Any) -> Any:
    """The conjugate PyTorch's complex derivatives take, of a tensor or of a Python number
    operand (`x * 2j`: the gradient is g * conj(2j))."""
    if isinstance(x, Tensor):
        return x.conj() if x._dtype.category == _COMPLEX else x
    return x.conjugate() if type(x) is complex else x


_COMPLEX = D.COMPLEX


def _arrays(xp: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """Function-style xp calls want arrays on both sides; a number takes the other's dtype."""
    if not hasattr(a, "dtype"):
        a = xp.asarray(a, dtype=b.dtype)
    if not hasattr(b, "dtype"):
        b = xp.asarray(b, dtype=a.dtype)
    return a, b


def _fn2(name: str) -> Any:
    def fwd(xp: Any, a: Any, b: Any, *params: Any) -> Any:
        a, b = _arrays(xp, a, b)
        return getattr(xp, name)(a, b)
    return fwd


# -- unary math -----------------------------------------------------------------------------------

# The unary rows that are also Array API functions as they are (one operand, no promotion to
# differ on), by their standard spelling: the namespace `agrad.array_api` exports them.
STANDARD_UNARY = {
    "neg": "negative", **{n: n for n in (
        "abs", "exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "square", "sin", "cos",
        "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
        "reciprocal", "floor", "ceil", "trunc", "isnan", "isinf", "isfinite", "signbit",
        "logical_not")}}


def unary(name: str, forward: Any, backward: Any = None, *, dtype: Any = to_float,
          needs: Any = NOTHING, **kw: Any) -> Op:
    """A unary elementwise row: `agrad.name(x, out=)`, `x.name()`, `x.name_()`, `agrad.name_`,
    and its Array API spelling where it has one. Unless `needs` says otherwise, its backward
    reads only the gradient (and the saved result where `saves_result`)."""
    kw.setdefault("array_api", STANDARD_UNARY.get(name))
    kw.setdefault("inplace", dtype is not to_bool)
    kw.setdefault("inplace_function", kw["inplace"] and name not in ("sign", "sgn"))
    kw.setdefault("out", True)
    return Op(name, one, forward=forward, backward=backward, dtype=dtype, needs=needs,
              elementwise=True, **kw)


SAVES_INPUT = None  # the backward reads the input


def _floor_like(fn: str) -> Any:
    """floor/ceil/round/trunc keep integers as they are (a copy: results own their buffer)."""
    def fwd(xp: Any, a: Any) -> Any:
        if xp.isdtype(a.dtype, "integral"):
            return xp.asarray(a, copy=True)
        return getattr(xp, fn)(a)
    return fwd


def _sign(xp: Any, a: Any) -> Any:
    """PyTorch's sign: bool stays bool, sign(nan) is 0."""
    if xp.isdtype(a.dtype, "bool"):
        return xp.asarray(a, copy=True)
    s = xp.sign(a)
    if xp.isdtype(a.dtype, "real floating"):
        s = xp.where(xp.isnan(a), xp.zeros((), dtype=a.dtype), s)
    return s


def _signbit(xp: Any, a: Any) -> Any:
    if xp.isdtype(a.dtype, "real floating"):
        return xp.signbit(a)
    if xp.isdtype(a.dtype, "signed integer"):
        return a < 0
    return xp.zeros(a.shape, dtype=xp.bool)  # bool and unsigned: never negative


def _angle(xp: Any, a: Any) -> Any:
    """angle: atan2(imag, real) of a complex; pi below zero and 0 elsewhere (nan kept) of a
    real number."""
    if xp.isdtype(a.dtype, "complex floating"):
        return xp.atan2(xp.imag(a), xp.real(a))
    r = xp.where(a < 0, xp.full(a.shape, math.pi, dtype=a.dtype),
                 xp.zeros(a.shape, dtype=a.dtype))
    return xp.where(xp.isnan(a), a, r)


def _angle_dtype(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    return to_float(dt) if dt.category < D.COMPLEX else to_real(dt)


def _square_dtype(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    """square is pow(x, 2), and a bool to an int power is int64."""
    return (D.int64, D.int64) if dt is D.bool else (dt, dt)


def _x(n: Any) -> Tensor:
    return n.inputs[0]


_NEG_BOOL = refused(RuntimeError, "Negation, the `-` operator, on a bool tensor is not supported. "
                    "If you are trying to invert a mask, use the `~` or `logical_not()` operator "
                    "instead.", BOOL)

NEG = unary("neg", lambda xp, a: -a, lambda n, g: (-g,), dtype=same, aliases=("negative",),
            refuse=_NEG_BOOL, dunder=("__neg__",), inplace_function=("neg", "negative"))
ABS = unary("abs", lambda xp, a: xp.abs(a), lambda n, g: (g * _x(n).sgn(),), dtype=to_real,
            needs=SAVES_INPUT, aliases=("absolute",), refuse=kernel("abs_cpu", BOOL),
            dunder=("__abs__",))
EXP = unary("exp", lambda xp, a: xp.exp(a), lambda n, g: (g * _conj(n.result),),
            saves_result=True)
EXPM1 = unary("expm1", lambda xp, a: xp.expm1(a), lambda n, g: (g * _conj(n.result + 1),),
              saves_result=True)
LOG = unary("log", lambda xp, a: xp.log(a), lambda n, g: (g / _conj(_x(n)),), needs=SAVES_INPUT)
LOG2 = unary("log2", lambda xp, a: xp.log2(a), lambda n, g: (g / _conj(_x(n) * math.log(2.0)),),
             needs=SAVES_INPUT)
LOG10 = unary("log10", lambda xp, a: xp.log10(a), lambda n, g: (g / _conj(_x(n) * math.log(10.0)),),
              needs=SAVES_INPUT)
LOG1P = unary("log1p", lambda xp, a: xp.log1p(a), lambda n, g: (g / _conj(_x(n) + 1),),
              needs=SAVES_INPUT, grad_fn="Log1PBackward0")
SQRT = unary("sqrt", lambda xp, a: xp.sqrt(a), lambda n, g: (g / (2 * _conj(n.result)),),
             saves_result=True)
RSQRT = unary("rsqrt", lambda xp, a: 1 / xp.sqrt(a),
              lambda n, g: (-0.5 * g * _conj(n.result ** 3),),
              saves_result=True)
SQUARE = unary("square", lambda xp, a: a * a,
               lambda n, g: (g * 2 * _conj(_x(n)),), dtype=_square_dtype,
               needs=SAVES_INPUT, grad_fn="PowBackward0", saved_params=lambda p: {"exponent": 2})
SIN = unary("sin", lambda xp, a: xp.sin(a), lambda n, g: (g * _conj(_x(n).cos()),),
            needs=SAVES_INPUT)
COS = unary("cos", lambda xp, a: xp.cos(a), lambda n, g: (-g * _conj(_x(n).sin()),),
            needs=SAVES_INPUT)
TAN = unary("tan", lambda xp, a: xp.tan(a), lambda n, g: (g * _conj(1 + n.result ** 2),),
            saves_result=True)
ASIN = unary("asin", lambda xp, a: xp.asin(a), lambda n, g: (g * _conj((1 - _x(n) ** 2).rsqrt()),),
             needs=SAVES_INPUT)
ACOS = unary("acos", lambda xp, a: xp.acos(a), lambda n, g: (-g * _conj((1 - _x(n) ** 2).rsqrt()),),
             needs=SAVES_INPUT)
ATAN = unary("atan", lambda xp, a: xp.atan(a), lambda n, g: (g / _conj(1 + _x(n) ** 2),),
             needs=SAVES_INPUT)
SINH = unary("sinh", lambda xp, a: xp.sinh(a), lambda n, g: (g * _conj(_x(n).cosh()),),
             needs=SAVES_INPUT)
COSH = unary("cosh", lambda xp, a: xp.cosh(a), lambda n, g: (g * _conj(_x(n).sinh()),),
             needs=SAVES_INPUT)
TANH = unary("tanh", lambda xp, a: xp.tanh(a), lambda n, g: (g * _conj(1 - n.result ** 2),),
             saves_result=True)
ASINH = unary("asinh", lambda xp, a: xp.asinh(a),
              lambda n, g: (g * _conj((_x(n) ** 2 + 1).rsqrt()),),
              needs=SAVES_INPUT)
# (x + 1)^-1/2 (x - 1)^-1/2 rather than (x^2 - 1)^-1/2: the same for real x, and the branch
# PyTorch's complex derivative takes
ACOSH = unary("acosh", lambda xp, a: xp.acosh(a),
              lambda n, g: (g * _conj((_x(n) + 1).rsqrt() * (_x(n) - 1).rsqrt()),),
              needs=SAVES_INPUT)
ATANH = unary("atanh", lambda xp, a: xp.atanh(a), lambda n, g: (g / _conj(1 - _x(n) ** 2),),
              needs=SAVES_INPUT)
SIGMOID = unary("sigmoid", lambda xp, a: 1 / (1 + xp.exp(-a)),
                lambda n, g: (g * _conj(n.result * (1 - n.result)),), saves_result=True)
RELU = unary("relu", lambda xp, a: xp.where(a < 0, xp.zeros((), dtype=a.dtype), a),
             # PyTorch's threshold_backward: zero where result <= 0, so a nan passes the gradient
             lambda n, g: (g.where(~(n.result <= 0), 0.0),), dtype=same, saves_result=True,
             refuse={**refused(RuntimeError, "Boolean inputs not supported for relu", BOOL),
                     **refused(NotImplementedError, "clamp is not supported for complex types",
                               COMPLEX)})
RECIPROCAL = unary("reciprocal", lambda xp, a: 1 / a, lambda n, g: (-g * _conj(n.result ** 2),),
                   saves_result=True)
SIGN = unary("sign", _sign, _zero_grad, dtype=same,
             refuse=refused(NotImplementedError, "Unlike NumPy, torch.sign is not intended to "
                            "support complex numbers. Please use torch.sgn instead.", COMPLEX))
def _sgn_bwd(n: Any, g: Tensor) -> tuple:
    """Zero for reals; for complex, PyTorch's (g - sgn^2 conj(g)) / 2|x|, 0 where x is 0."""
    x = _x(n)
    if x._dtype.category != _COMPLEX:
        return _zero_grad(n, g)
    s, a = n.result, x.abs()
    return (((g - s * s * g.conj()) / (2 * a)).where(a != 0, 0.0),)


SGN = unary("sgn", _sign, _sgn_bwd, dtype=same, needs=SAVES_INPUT, saves_result=True)
FLOOR = unary("floor", _floor_like("floor"), _zero_grad, dtype=same,
              refuse={**kernel("floor_vml_cpu", BOOL), **refused(
                  NotImplementedError, "floor is not supported for complex inputs", COMPLEX)})
CEIL = unary("ceil", _floor_like("ceil"), _zero_grad, dtype=same,
             refuse={**kernel("ceil_vml_cpu", BOOL), **refused(
                 NotImplementedError, "ceil is not supported for complex inputs", COMPLEX)})
TRUNC = unary("trunc", _floor_like("trunc"), _zero_grad, dtype=same,
              refuse={**kernel("trunc_vml_cpu", BOOL), **refused(
                  NotImplementedError, "trunc is not supported for complex inputs", COMPLEX)})
ROUND0 = unary("round.decimals0", _floor_like("round"), _zero_grad, dtype=same, function=False,
               method=False, inplace=False, grad_fn="RoundBackward0",
               refuse=kernel("round_vml_cpu", BOOL, COMPLEX))
FRAC = unary("frac", lambda xp, a: a - xp.trunc(a), lambda n, g: (g,), dtype=same,
             refuse=kernel("frac_cpu", BOOL, INTS, COMPLEX))
def _float_test(fn: str, integers: bool) -> Any:
    """isnan/isinf/isfinite: integers and bools are never nan or inf (the Array API only
    defines these tests for floating dtypes)."""
    def fwd(xp: Any, a: Any) -> Any:
        if xp.isdtype(a.dtype, ("real floating", "complex floating")):
            return getattr(xp, fn)(a)
        return xp.full(a.shape, integers, dtype=xp.bool)
    return fwd


ISNAN = unary("isnan", _float_test("isnan", False), dtype=to_bool)
ISINF = unary("isinf", _float_test("isinf", False), dtype=to_bool)
ISFINITE = unary("isfinite", _float_test("isfinite", True), dtype=to_bool)
SIGNBIT = unary("signbit", _signbit, dtype=to_bool,
                refuse=refused(NotImplementedError, "signbit is not implemented for complex "
                               "tensors.", COMPLEX))
LOGICAL_NOT = unary("logical_not", lambda xp, a: xp.logical_not(xp.astype(a, xp.bool)),
                    dtype=to_bool, inplace=True, inplace_function=False)
BITWISE_NOT = unary("bitwise_not", lambda xp, a: ~a, dtype=same, inplace_function=False,
                    refuse=kernel("bitwise_not_cpu", FLOATS, COMPLEX))
def _angle_bwd(n: Any, g: Tensor) -> tuple:
    """Zero for a real input; for a complex x, g * i x / |x|^2 (zero at x = 0), PyTorch's."""
    x = _x(n)
    if x._dtype.category != _COMPLEX:
        return (g.new_zeros(x.shape, dtype=x._dtype),)
    return ((g * x / (x.abs() ** 2) * 1j).where(x != 0, 0.0),)


ANGLE = unary("angle", _angle, _angle_bwd, dtype=_angle_dtype, inplace=False, needs=SAVES_INPUT)
CONJ_COMPLEX = unary("conj.complex", lambda xp, a: xp.conj(a), lambda n, g: (_conj(g),),
                     dtype=same, function=False, method=False, inplace=False,
                     grad_fn="ConjBackward0")
REAL_COMPLEX = unary("real.complex", lambda xp, a: xp.asarray(xp.real(a), copy=True),
                     lambda n, g: (g,), dtype=to_real, function=False, method=False,
                     inplace=False, grad_fn="SelectBackward0")
IMAG_COMPLEX = unary("imag.complex", lambda xp, a: xp.asarray(xp.imag(a), copy=True),
                     lambda n, g: (g * 1j,), dtype=to_real, function=False, method=False,
                     inplace=False, grad_fn="SelectBackward0")


def erf_array(xp: Any, x: Any) -> Any:
    """erf to double precision (relative error < 5e-15) with standard functions only (the
    Array API has no erf): a series of positive terms below 2, the continued fraction of erfc
    from 2 on."""
    ax = xp.abs(x)
    s = xp.minimum(ax, 2.0)
    s2 = s * s
    term = s
    total = s
    for k in range(1, 30):
        term = term * (2.0 * s2 / (2 * k + 1))
        total = total + term
    small = (2.0 / math.sqrt(math.pi)) * xp.exp(-s2) * total
    b = xp.maximum(ax, 2.0)
    f = b
    for k in range(38, 0, -1):
        f = b + (k / 2.0) / f
    large = 1.0 - xp.exp(-b * b) / (math.sqrt(math.pi) * f)
    r = xp.where(ax < 2.0, small, large)
    return xp.where(x < 0, -r, r)


ERF = unary("erf", erf_array,
            lambda n, g: (g * (2.0 / math.sqrt(math.pi)) * (-(_x(n) ** 2)).exp(),),
            needs=SAVES_INPUT)


def _complex_part(row: Op, name: str, input: Tensor, identity: bool) -> Tensor:
    """conj / real of a real tensor is the tensor itself (as in PyTorch); imag refuses it."""
    _args.tensor(name, input, "input", 1)
    if input._dtype.category == D.COMPLEX:
        return call(row, (input,))
    if identity:
        return input
    raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")


def conj(input: Tensor) -> Tensor:  # noqa: A002
    return _complex_part(CONJ_COMPLEX, "conj", input, True)


def real(input: Tensor) -> Tensor:  # noqa: A002
    return _complex_part(REAL_COMPLEX, "real", input, True)


def imag(input: Tensor) -> Tensor:  # noqa: A002
    return _complex_part(IMAG_COMPLEX, "imag", input, False)


def _round(input: Tensor, *, decimals: int = 0) -> Tensor:  # noqa: A002
    if decimals == 0:
        return call(ROUND0, (input,))
    scale = 10.0 ** decimals
    return call(ROUND0, (input * scale,)) / scale


def _invert(input: Tensor) -> Tensor:  # noqa: A002
    """`~x`: logical not of bools, bitwise not of integers."""
    if input._dtype is D.bool:
        return call(LOGICAL_NOT, (input,))
    if input._dtype.category >= D.FLOAT:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return call(BITWISE_NOT, (input,))


def _pos(input: Tensor) -> Tensor:  # noqa: A002
    if input._dtype is D.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


Op("conj", conj, impl=conj)
Op("real", real, impl=real, attribute=True)
Op("imag", imag, impl=imag, attribute=True)
Op("round", _round, impl=_round, out=True, inplace=True, inplace_function=True)
Op("invert", _invert, impl=_invert, function=False, method=False, dunder=("__invert__",))
Op("positive", _pos, impl=_pos, dunder=("__pos__",))


# -- binary arithmetic ----------------------------------------------------------------------------

def binary(name: str, forward: Any, backward: Any = None, *, args: Any = two, **kw: Any) -> Op:
    """A binary elementwise row: operands are tensors or numbers, promoted to their common
    PyTorch dtype; `agrad.name(a, b, out=)`, `a.name(b)`, `a.name_(b)`."""
    kw.setdefault("inplace", kw.get("dtype") is not to_bool)
    kw.setdefault("out", True)
    return Op(name, args, forward=forward, backward=backward, elementwise=True, **kw)


def _scaled(input: Any, other: Any, alpha: Any) -> Any:
    """add/sub's `alpha`, checked as PyTorch checks it: None when it is 1."""
    if alpha == 1 and not isinstance(alpha, bool):
        return None
    dt = D.result_type(input, other)
    bad = (isinstance(alpha, bool) and dt is not D.bool) or (
        isinstance(alpha, float) and dt.category <= D.INT)
    if bad:
        # PyTorch checks alpha once its TensorIterator is built: a shape mismatch comes first
        if isinstance(input, Tensor) and isinstance(other, Tensor):
            broadcast_shapes(shape_of(input), shape_of(other))
        if isinstance(alpha, bool):
            raise RuntimeError("Boolean alpha only supported for Boolean results.")
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    return alpha


def _check_sub(a: Any, b: Any) -> None:
    """PyTorch refuses `-` when either operand is bool (a bool tensor or a Python bool)."""
    ba = a._dtype is D.bool if isinstance(a, Tensor) else isinstance(a, bool)
    bb = b._dtype is D.bool if isinstance(b, Tensor) else isinstance(b, bool)
    if ba and bb:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if ba or bb:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


def _add_args(input: Tensor | Number, other: Tensor | Number, *,  # noqa: A002
              alpha: Number = 1) -> tuple:
    return (input, other), (None if type(alpha) is int and alpha == 1 else
                            _scaled(input, other, alpha))


def _sub_args(input: Tensor | Number, other: Tensor | Number, *,  # noqa: A002
              alpha: Number = 1) -> tuple:
    _check_sub(input, other)
    return (input, other), _scaled(input, other, alpha)


def _rsub_args(input: Tensor | Number, other: Tensor | Number, *,  # noqa: A002
               alpha: Number = 1) -> tuple:
    """rsub(input, other) is other - alpha * input."""
    if not isinstance(input, Tensor):
        raise _args.invalid_combination("rsub", (input, other), (
            "(Tensor input, Tensor other, *, Number alpha = 1)",
            "(Tensor input, Number other, Number alpha = 1)"))
    _check_sub(other, input)
    return (other, input), _scaled(other, input, alpha)


def _add(xp: Any, a: Any, b: Any, alpha: Any = 1) -> Any:
    return a + b if alpha == 1 else a + b * alpha


def _sub(xp: Any, a: Any, b: Any, alpha: Any = 1) -> Any:
    return a - b if alpha == 1 else a - b * alpha


def _alpha(n: Any) -> Any:
    return 1 if n.params is None else n.params


def _rsub_grad_fn(inputs: tuple, params: Any) -> str:
    return "RsubBackward0" if isinstance(inputs[0], Tensor) else "RsubBackward1"


def _iadd(xp: Any, a: Any, b: Any, alpha: Any = 1) -> None:
    a += b if alpha == 1 else b * alpha


def _isub(xp: Any, a: Any, b: Any, alpha: Any = 1) -> None:
    a -= b if alpha == 1 else b * alpha


def _imul(xp: Any, a: Any, b: Any) -> None:
    a *= b


def _idiv(xp: Any, a: Any, b: Any) -> None:
    a /= b


def _mul_bwd(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    return (call(MUL, (g, _conj(b))) if n.edges[0] else None), \
        (call(MUL, (g, _conj(a))) if n.edges[1] else None)


def _div_bwd(n: Any, g: Tensor) -> tuple:
    """PyTorch's formulas, so that a create_graph pass saves what PyTorch's saves (the divisor's
    gradient reads the dividend: a write into it fails the second backward)."""
    a, b = n.inputs
    ga = g / _conj(b) if n.edges[0] else None
    gb = -g * _conj((a / b) / b) if n.edges[1] else None
    return ga, gb


def _saved_alpha(p: Any) -> dict:
    return {"alpha": 1 if p is None else p}


ADD = binary("add", _add,
             lambda n, g: (g, g * _conj(_alpha(n)) if n.params is not None else g),
             args=_add_args, needs=NOTHING, iforward=_iadd, bool_forward=_fn2("logical_or"),
             dunder=("__add__", "__radd__", "__iadd__"), saved_params=_saved_alpha)
SUB = binary("sub", _sub, lambda n, g: (g, -g * _conj(_alpha(n))), args=_sub_args, needs=NOTHING,
             iforward=_isub, aliases=("subtract",), dunder=("__sub__", "__isub__"),
             saved_params=_saved_alpha)
RSUB = binary("rsub", _sub, lambda n, g: (g, -g * _conj(_alpha(n))), args=_rsub_args, needs=NOTHING,
              grad_fn=_rsub_grad_fn, method=False, inplace=False, out=False,
              dunder=("__rsub__",), saved_params=_saved_alpha)
MUL = binary("mul", lambda xp, a, b: a * b, _mul_bwd, dtype=opmath(same), needs=((1,), (0,)),
             iforward=_imul,
             bool_forward=_fn2("logical_and"), aliases=("multiply",),
             dunder=("__mul__", "__rmul__", "__imul__"))
TRUE_DIVIDE = binary("true_divide", lambda xp, a, b: a / b, _div_bwd, dtype=opmath(to_float),
                     needs=((1,), (0, 1)), iforward=_idiv, grad_fn="DivBackward0",
                     dunder=("__truediv__", "__itruediv__"))


def _rdiv(self: Tensor, other: Tensor | Number) -> Tensor:
    """`other / self` as PyTorch computes it: self's reciprocal times other (MulBackward0)."""
    return call(MUL, (call(RECIPROCAL, (self,)), other)) if self._dtype.category >= D.FLOAT else \
        call(TRUE_DIVIDE, (other, self))


Op("__rtruediv__", _rdiv, impl=_rdiv, namespace="Tensor", function=False)


def _truncdiv(xp: Any, a: Any, b: Any) -> Any:
    """Integer division rounding toward zero."""
    a, b = _arrays(xp, a, b)
    if xp.isdtype(a.dtype, "real floating"):
        return xp.trunc(a / b)
    q = a // b
    return xp.where((a % b != 0) & ((a < 0) != (b < 0)), q + 1, q)


def _floordiv(xp: Any, a: Any, b: Any) -> Any:
    return a // b


DIV_TRUNC = binary("div.trunc", _truncdiv, _zero_grad, dtype=opmath(same), function=False,
                   method=False,
                   inplace=False, out=False, needs=NOTHING, grad_fn="DivBackward2",
                   refuse=kernel("div_trunc_cpu", BOOL, COMPLEX))
DIV_FLOOR = binary("div.floor", _floordiv, _zero_grad, dtype=opmath(same), function=False,
                   method=False,
                   inplace=False, out=False, needs=NOTHING, grad_fn="DivBackward2",
                   refuse=kernel("div_floor_cpu", BOOL, COMPLEX))
FLOOR_DIVIDE = binary("floor_divide", _floordiv, dtype=opmath(same),
                      refuse=kernel("div_floor_cpu", BOOL, COMPLEX),
                      dunder=("__floordiv__", "__rfloordiv__", "__ifloordiv__"))


def _div(input: Tensor | Number, other: Tensor | Number, *,  # noqa: A002
         rounding_mode: str | None = None) -> Tensor:
    """True division; `rounding_mode='trunc'` rounds toward zero, `'floor'` down."""
    if rounding_mode is None:
        return call(TRUE_DIVIDE, (input, other))
    if rounding_mode == "trunc":
        return call(DIV_TRUNC, (input, other))
    if rounding_mode == "floor":
        return call(DIV_FLOOR, (input, other))
    raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                     f"found '{rounding_mode}'")


Op("div", _div, impl=_div, aliases=("divide",), inplace=True, out=True)


def _remainder_bwd(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    return g, (-g * a.floor_divide(b) if n.edges[1] else None)


def _fmod(xp: Any, a: Any, b: Any) -> Any:
    """C's fmod (the remainder with the dividend's sign), from the standard's remainder."""
    a, b = _arrays(xp, a, b)
    if xp.isdtype(a.dtype, "real floating") and getattr(a.dtype, "itemsize", 4) == 2:
        # half precision is computed in float32, as PyTorch's half kernels do
        return xp.astype(_fmod(xp, xp.astype(a, xp.float32), xp.astype(b, xp.float32)),
                         a.dtype)
    r = xp.remainder(a, b)  # exact, with the divisor's sign; fmod takes the dividend's
    return xp.where((r != 0) & ((r < 0) != (a < 0)), r - b, r)


def _fmod_bwd(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    return g, (-g * (a / b).trunc() if n.edges[1] else None)


def _by_other(name: str, tensor_nr: int) -> Any:
    """PyTorch's remainder/fmod: one grad_fn for a number divisor, another for a tensor."""
    def grad_fn(inputs: tuple, params: Any) -> str:
        return f"{name}Backward{tensor_nr if isinstance(inputs[1], Tensor) else 1 - tensor_nr}"
    return grad_fn


REMAINDER = binary("remainder", lambda xp, a, b: a % b, _remainder_bwd,
                   grad_fn=_by_other("Remainder", 1), refuse=kernel("remainder_cpu", BOOL, COMPLEX),
                   dunder=("__mod__", "__rmod__", "__imod__"))
FMOD = binary("fmod", _fmod, _fmod_bwd, args=_args.tensor_first("fmod"),
              grad_fn=_by_other("Fmod", 1),
              refuse=kernel("fmod_cpu", BOOL, COMPLEX))


def _pow(xp: Any, a: Any, b: Any) -> Any:
    """`a ** b`; integer exponents below zero give PyTorch's integer answers (1 for a base of 1,
    +-1 for -1, else 0) where NumPy raises."""
    arr = b if hasattr(b, "dtype") else a
    if not xp.isdtype(arr.dtype, "signed integer"):
        return a ** b
    a, b = _arrays(xp, a, b)
    neg = b < 0
    zero = xp.zeros((), dtype=b.dtype)
    r = a ** xp.where(neg, zero, b)
    one_ = xp.ones((), dtype=r.dtype)
    odd = (b % 2) != 0
    small = xp.where(a == 1, one_, xp.where(a == -1, xp.where(odd, -one_, one_), zero))
    return xp.where(neg, xp.astype(small, r.dtype), r)


def _pow_bwd(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    ga = gb = None
    # complex operands: PyTorch's derivatives are the conjugates of the real formulas'
    if n.edges[0]:
        if isinstance(b, Tensor):
            ga = (g * _conj(b * a ** (b - 1))).where(b != 0, 0.0)
        elif b == 0:
            ga = g * 0.0 * a
        elif b == 2:
            ga = g * _conj(2 * a)
        else:
            ga = g * _conj(b * a ** (b - 1))
    if n.edges[1]:
        out = a ** b
        br = b.real if b._dtype.category == _COMPLEX else b
        gb = g * _conj(out * a.log()).where(~((a == 0) & (br >= 0)), 0.0) \
            if isinstance(a, Tensor) else \
            g * _conj(out * (cmath.log(a) if type(a) is complex else math.log(a)))
    return ga, gb


def _pow_grad_fn(inputs: tuple, params: Any) -> str:
    a, b = inputs
    return "PowBackward2" if not isinstance(a, Tensor) else \
        "PowBackward1" if isinstance(b, Tensor) else "PowBackward0"


def _pow_args(input: Tensor | Number, exponent: Tensor | Number) -> tuple:  # noqa: A002
    """PyTorch refuses integers to negative integer powers, and bool ** bool unless the
    exponent is a Python bool (`x ** True` is x, `x ** False` is True)."""
    if isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        if isinstance(exponent, int) and not isinstance(exponent, bool) and exponent < 0 and \
                input._dtype.category <= D.INT:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    elif isinstance(exponent, Tensor) and exponent._dtype is D.bool and (
            not isinstance(input, Tensor) or input._dtype is D.bool) and \
            isinstance(input, (bool, Tensor)):
        raise NotImplementedError('"pow" not implemented for \'Bool\'')
    return (input, exponent), None


def _bool_pow(xp: Any, a: Any, b: Any) -> Any:
    """bool ** Python bool: x ** True is x, x ** False is True."""
    a, b = _arrays(xp, a, b)
    return xp.logical_or(a, xp.logical_not(b))


POW = binary("pow", _pow, _pow_bwd, args=_pow_args, grad_fn=_pow_grad_fn,
             bool_forward=_bool_pow, dunder=("__pow__", "__rpow__", "__ipow__"),
             preserves_layout="tensors")


def float_power(input: Tensor | Number, exponent: Tensor | Number) -> Tensor:  # noqa: A002
    """pow in float64 (complex128 for complex operands)."""
    x = input.double() if isinstance(input, Tensor) else input
    e = exponent.double() if isinstance(exponent, Tensor) else exponent
    return call(POW, (x, e))


def float_power_(self: Tensor, exponent: Tensor | Number) -> Tensor:
    """In place: self must already have the result's dtype (float64 or complex128)."""
    cplx = self._dtype.category == _COMPLEX or (exponent._dtype.category == _COMPLEX if isinstance(
        exponent, Tensor) else isinstance(exponent, complex))
    want = D.complex128 if cplx else D.float64
    e = exponent.to(want) if isinstance(exponent, Tensor) else exponent
    if self._dtype is not want:
        raise RuntimeError(f"the base given to float_power_ has dtype {self._dtype.legacy} but "
                           f"the operation's result requires dtype {want.legacy}")
    check_inplace(self)
    return commit(self, call(POW, (self, e)))


Op("float_power", float_power, impl=float_power)
Op("float_power_", float_power_, impl=float_power_, namespace="Tensor")


def _maximum_bwd(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    half = g * 0.5
    ga = g.where(a > b, half.where(a == b, 0.0)) if n.edges[0] else None
    gb = g.where(b > a, half.where(a == b, 0.0)) if n.edges[1] else None
    return ga, gb


def _minimum_bwd(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    half = g * 0.5
    ga = g.where(a < b, half.where(a == b, 0.0)) if n.edges[0] else None
    gb = g.where(b < a, half.where(a == b, 0.0)) if n.edges[1] else None
    return ga, gb


def _real_args(name: str) -> Any:
    def args(input: Tensor, other: Tensor) -> tuple:  # noqa: A002
        _args.tensor(name, input, "input", 1)
        _args.tensor(name, other, "other", 2)
        if input._dtype.category == D.COMPLEX or other._dtype.category == D.COMPLEX:
            raise RuntimeError(f"{name} not implemented for complex tensors.")
        return (input, other), None
    return args


MAXIMUM = binary("maximum", _fn2("maximum"), _maximum_bwd, args=_real_args("maximum"),
                 bool_forward=_fn2("logical_or"), inplace=False)
MINIMUM = binary("minimum", _fn2("minimum"), _minimum_bwd, args=_real_args("minimum"),
                 bool_forward=_fn2("logical_and"), inplace=False)


def _atan2_bwd(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    d = a * a + b * b
    at0 = d != 0  # PyTorch's gradient is 0 at the origin
    return (g * b / d).where(at0, 0.0), (g * -a / d).where(at0, 0.0)


def _hypot_bwd(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    out = n.result
    return g * a / out, g * b / out


def _logaddexp_bwd(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    out = n.result
    return g * (a - out).exp(), g * (b - out).exp()


def _xlogy(xp: Any, a: Any, b: Any) -> Any:
    a, b = _arrays(xp, a, b)
    return xp.where(a == 0, xp.zeros((), dtype=a.dtype), a * xp.log(b))


def _xlogy_bwd(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    b = b if isinstance(b, Tensor) else g.new_full((), b)
    a = a if isinstance(a, Tensor) else g.new_full((), a)
    ga = g * b.log().where((a != 0) | (b != 0), 0.0) if n.edges[0] else None
    gb = g * a / b if n.edges[1] else None
    return ga, gb


ATAN2 = binary("atan2", _fn2("atan2"), _atan2_bwd, args=_args.tensors("atan2"), dtype=to_float,
               aliases=("arctan2",),
               refuse=kernel("atan2_cpu", COMPLEX))
HYPOT = binary("hypot", _fn2("hypot"), _hypot_bwd, args=_args.tensors("hypot"), saves_result=True,
               refuse=kernel("hypot_cpu", BOOL, INTS, COMPLEX))
LOGADDEXP = binary("logaddexp", _fn2("logaddexp"), _logaddexp_bwd,
                   args=_args.tensors("logaddexp"), saves_result=True,
                   refuse=kernel("logaddexp_cpu", BOOL, INTS), inplace=False)
XLOGY = binary("xlogy", _xlogy, _xlogy_bwd, dtype=to_float, refuse=kernel("xlogy_cpu", COMPLEX),
               inplace_function=True,
               grad_fn=lambda inputs, p: "XlogyBackward1" if not isinstance(inputs[0], Tensor)
               else "XlogyBackward0" if isinstance(inputs[1], Tensor) else "XlogyBackward2")


# -- comparisons, logical and bitwise ops ----------------------------------------------------------

def _order(fn: Any) -> Any:
    """An ordering comparison; bools (which the Array API does not order) compare as 0/1."""
    def fwd(xp: Any, a: Any, b: Any) -> Any:
        arr = a if hasattr(a, "dtype") else b
        if xp.isdtype(arr.dtype, "bool"):
            a, b = _arrays(xp, a, b)
            a, b = xp.astype(a, xp.int8), xp.astype(b, xp.int8)
        return fn(a, b)
    return fwd


def _logical(name: str) -> Any:
    """logical_and/or/xor on any dtype: nonzero is True (the Array API wants bools)."""
    def fwd(xp: Any, a: Any, b: Any) -> Any:
        a, b = _arrays(xp, a, b)
        if not xp.isdtype(a.dtype, "bool"):
            a, b = a != 0, b != 0
        return getattr(xp, name)(a, b)
    return fwd


def compare(name: str, forward: Any, **kw: Any) -> Op:
    """A comparison row: a bool result; `agrad.lt(2, x)` is refused as PyTorch refuses it. Its
    in-place form (`x.lt_(y)`: x takes 1 where true, 0 elsewhere) records, as PyTorch's, a node
    whose gradients are zeros (LtBackward0 for a number, LtBackward1 for a tensor)."""
    node = name.title()
    return binary(name, forward, args=_args.tensor_first(name), dtype=to_bool,
                  dunder=(f"__{name}__",), inplace=True,
                  inplace_grad_fn=lambda inputs, p: f"{node}Backward1" if isinstance(
                      inputs[1], Tensor) else f"{node}Backward0", **kw)


EQ = compare("eq", lambda xp, a, b: a == b)
NE = compare("ne", lambda xp, a, b: a != b, aliases=("not_equal",))
LT = compare("lt", _order(lambda a, b: a < b), aliases=("less",), refuse=kernel("lt_cpu", COMPLEX))
LE = compare("le", _order(lambda a, b: a <= b), aliases=("less_equal",),
             refuse=kernel("le_cpu", COMPLEX))
GT = compare("gt", _order(lambda a, b: a > b), aliases=("greater",),
             refuse=kernel("gt_cpu", COMPLEX))
GE = compare("ge", _order(lambda a, b: a >= b), aliases=("greater_equal",),
             refuse=kernel("ge_cpu", COMPLEX))
# in place (`x.logical_and_(y)`: 1/0 in x's dtype) PyTorch records nothing: x keeps its history
LOGICAL_AND = binary("logical_and", _logical("logical_and"), args=_args.tensors("logical_and"),
                     dtype=to_bool, inplace=True)
LOGICAL_OR = binary("logical_or", _logical("logical_or"), args=_args.tensors("logical_or"),
                    dtype=to_bool, inplace=True)
LOGICAL_XOR = binary("logical_xor", _logical("logical_xor"), args=_args.tensors("logical_xor"),
                     dtype=to_bool, inplace=True)
BITWISE_AND = binary("bitwise_and", lambda xp, a, b: a & b,
                     refuse=kernel("bitwise_and_cpu", FLOATS, COMPLEX),
                     dunder=("__and__", "__rand__", "__iand__"))
BITWISE_OR = binary("bitwise_or", lambda xp, a, b: a | b,
                    refuse=kernel("bitwise_or_cpu", FLOATS, COMPLEX),
                    dunder=("__or__", "__ror__", "__ior__"))
BITWISE_XOR = binary("bitwise_xor", lambda xp, a, b: a ^ b,
                     refuse=kernel("bitwise_xor_cpu", FLOATS, COMPLEX),
                     dunder=("__xor__", "__rxor__", "__ixor__"))

BITWISE_LEFT_SHIFT = binary("bitwise_left_shift", lambda xp, a, b: a << b,
                            refuse=kernel("lshift_cpu", BOOL, FLOATS, COMPLEX),
                            dunder=("__lshift__", "__rlshift__", "__ilshift__"))
BITWISE_RIGHT_SHIFT = binary("bitwise_right_shift", lambda xp, a, b: a >> b,
                             refuse=kernel("rshift_cpu", BOOL, FLOATS, COMPLEX),
                             dunder=("__rshift__", "__rrshift__", "__irshift__"))


def _copysign_bwd(n: Any, g: Tensor) -> tuple:
    a, _ = n.inputs
    r = n.result
    ga = g * (r / a.where(a != 0, 1.0)).where(a != 0, 0.0) if n.edges[0] else None
    return ga, (g.new_zeros(g.shape) if n.edges[1] else None)


COPYSIGN = binary("copysign", _fn2("copysign"), _copysign_bwd, dtype=to_float,
                  needs=((0,), ()), saves_result=True, refuse=kernel("copysign_cpu", COMPLEX),
                  grad_fn=lambda inputs, p: "CopysignBackward0" if isinstance(inputs[1], Tensor)
                  else "CopysignBackward1")
NEXTAFTER = binary("nextafter", _fn2("nextafter"),
                   refuse=kernel("nextafter_cpu", BOOL, INTS, COMPLEX))


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    """True if both have the same size and elements (torch.equal)."""
    if input.shape != other.shape:
        return False
    return bool(call(EQ, (input, other)).all().item())


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
            equal_nan: bool = False) -> Tensor:
    """|input - other| <= atol + rtol * |other|, elementwise (never differentiable)."""
    from ..autograd.grad_mode import no_grad

    if input._dtype is not other._dtype:
        raise RuntimeError(f"{input._dtype.legacy} did not match {other._dtype.legacy}")
    with no_grad():
        if input._dtype is D.bool:
            return input == other
        a, b = (input, other) if input._dtype.category >= D.FLOAT else (input.double(),
                                                                    other.double())
        close = ((a - b).abs() <= atol + rtol * b.abs()) | (input == other)
        if equal_nan:
            close = close | (input.isnan() & other.isnan())
    return close


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
             equal_nan: bool = False) -> bool:
    return bool(isclose(input, other, rtol, atol, equal_nan).all().item())


Op("equal", equal, impl=equal)
Op("isclose", isclose, impl=isclose)
Op("allclose", allclose, impl=allclose)


# -- clamp, where, lerp ----------------------------------------------------------------------------

def _clamp(xp: Any, a: Any, bounds: tuple) -> Any:
    lo, hi = bounds
    if lo is not None:
        a = xp.maximum(a, xp.asarray(lo, dtype=a.dtype))
    if hi is not None:
        a = xp.minimum(a, xp.asarray(hi, dtype=a.dtype))
    return a


def _clamp_bwd(n: Any, g: Tensor) -> tuple:
    (x,) = n.inputs
    lo, hi = n.params
    mask = None
    if lo is not None:
        mask = x >= lo
    if hi is not None:
        m2 = x <= hi
        mask = m2 if mask is None else mask & m2
    return (g * mask,)


CLAMP_SCALAR = Op("clamp.scalar", one, forward=_clamp, backward=_clamp_bwd, elementwise=True,
                  function=False, method=False, grad_fn="ClampBackward1")


def _clamp_tensor(xp: Any, x: Any, lo: Any, hi: Any) -> Any:
    if lo is not None:
        x = xp.maximum(x, lo)
    if hi is not None:
        x = xp.minimum(x, hi)
    return x


def _clamp_tensor_bwd(n: Any, g: Tensor) -> tuple:
    x, lo, hi = n.inputs
    inside = None
    if lo is not None:
        inside = x >= lo
    if hi is not None:
        below = x <= hi
        inside = below if inside is None else inside & below
    return ((g * inside) if n.edges[0] else None,
            (g * (x < lo)) if n.edges[1] else None,
            (g * (x > hi)) if n.edges[2] else None)


CLAMP_TENSOR = Op("clamp.tensor", lambda self, min, max: ((self, min, max), None),  # noqa: A006
                  forward=_clamp_tensor,
                  backward=_clamp_tensor_bwd, elementwise=True, function=False, method=False,
                  grad_fn="ClampBackward0")


def clamp(input: Tensor, min: Tensor | Number | None = None,  # noqa: A001,A002
          max: Tensor | Number | None = None) -> Tensor:  # noqa: A002
    """Each element limited to [min, max] (bounds may be numbers or broadcastable tensors)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if input._dtype.category == D.COMPLEX:
        raise NotImplementedError("clamp is not supported for complex types")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if not all(b is None or isinstance(b, Tensor) for b in (min, max)):
            kinds = ", ".join(f"{k}={type(b).__name__}" for k, b in (("max", max), ("min", min))
                              if b is not None)
            raise TypeError(f"clamp() received an invalid combination of arguments - got "
                            f"(Tensor, {kinds})")
        return call(CLAMP_TENSOR, (input, min, max))
    dt = D.result_type(input, *(v for v in (min, max) if v is not None))
    x = input if dt is input._dtype else input.to(dt)
    return call(CLAMP_SCALAR, (x,), (min, max))


def _clamp_into(self: Tensor, min: Tensor | Number | None = None,  # noqa: A002
                max: Tensor | Number | None = None) -> None:  # noqa: A002
    """clamp_ with number bounds: PyTorch's clamp checks the result's dtype first, naming
    self's as its C++ type ("long int")."""
    if isinstance(min, Tensor) or isinstance(max, Tensor) or self._dtype.category == D.COMPLEX:
        return
    dt = D.result_type(self, *(v for v in (min, max) if v is not None))
    if dt is not self._dtype and not D.can_cast(dt, self._dtype):
        raise RuntimeError(f"result type {dt.legacy} can't be cast to the desired output type "
                           f"{self._dtype.cpp}")


Op("clamp", clamp, impl=clamp, aliases=("clip",), inplace=True,
   inplace_function=("clamp", "clip"), out=True, inplace_check=_clamp_into)


def _where_bwd(n: Any, g: Tensor) -> tuple:
    c, _, _ = n.inputs
    return None, (g.where(c, 0.0) if n.edges[1] else None), \
        (g.new_zeros(()).where(c, g) if n.edges[2] else None)


WHERE = Op("where.self", lambda condition, self, other: ((condition, self, other), None),
           forward=lambda xp, c, a, b: xp.where(c, a, b), backward=_where_bwd,
           promote=(1, 2), needs=((), (0,), (0,)), elementwise=True, function=False,
           method=False, grad_fn="WhereBackward0", scalars=False)


def _shape_or_scalar(x: Any) -> tuple:
    return shape_of(x) if isinstance(x, Tensor) else ()


def where(condition: Tensor, input: Tensor | Number | None = None,  # noqa: A002
          other: Tensor | Number | None = None) -> Any:
    """input where condition holds, other elsewhere; `where(condition)` alone is
    `nonzero(condition, as_tuple=True)`."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if isinstance(condition, Tensor) and condition._dtype is not D.bool:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {condition._dtype.legacy}")
    broadcast_shapes(shape_of(condition), _shape_or_scalar(input), _shape_or_scalar(other))
    return call(WHERE, (condition, input, other))


def _where_method(self: Tensor, condition: Tensor, other: Tensor | Number) -> Tensor:
    return where(condition, self, other)


Op("where", where, impl=where, method=False, out=True)
Op("where", _where_method, impl=_where_method, namespace="Tensor", function=False)


def _lerp_bwd(n: Any, g: Tensor) -> tuple:
    a, b, w = n.inputs  # a and b are saved only where w needs a gradient
    ga = g * (1 - w) if n.edges[0] else None
    gb = g * w if n.edges[1] else None
    gw = g * (b - a) if n.edges[2] else None
    return ga, gb, gw


def _lerp_args(input: Tensor, end: Tensor, weight: Tensor | Number) -> tuple:  # noqa: A002
    if D.result_type(input, end).category < D.FLOAT:  # PyTorch has no integer lerp, whatever w
        raise NotImplementedError(f'"lerp_kernel_scalar" not implemented for '
                                  f"'{D.result_type(input, end).legacy}'")
    broadcast_shapes(shape_of(input), shape_of(end), _shape_or_scalar(weight))
    return (input, end, weight), None


def _lerp_grad_fn(inputs: tuple, params: Any) -> str:
    return "LerpBackward1" if isinstance(inputs[2], Tensor) else "LerpBackward0"


# a number weight is all the backward reads then (PyTorch's LerpBackward0 saves it alone)
LERP = Op("lerp", _lerp_args, forward=lambda xp, a, b, w: a + w * (b - a), backward=_lerp_bwd,
          grad_fn=_lerp_grad_fn, elementwise=True, out=True, inplace=True,
          needs=((2,), (2,), (0, 1)), preserves_layout="tensors")


# -- addcmul, addcdiv: input + value * t1 * t2 (or / t2), the optimizers' fused updates ----------

def _addc_args(name: str) -> Any:
    def args(input: Tensor, tensor1: Tensor, tensor2: Tensor, *,  # noqa: A002
             value: Number = 1) -> tuple:
        for i, (n, t) in enumerate((("input", input), ("tensor1", tensor1),
                                    ("tensor2", tensor2))):
            if not isinstance(t, Tensor):
                raise TypeError(f"{name}(): argument '{n}' (position {i + 1}) must be Tensor, "
                                f"not {type(t).__name__}")
        if name == "addcdiv" and tensor1._dtype.category <= D.INT and \
                tensor2._dtype.category <= D.INT:
            raise RuntimeError(_ADDCDIV_INT)
        return (input, tensor1, tensor2), value
    return args


_ADDCDIV_INT = ("Integer division with addcdiv is no longer supported, and in a future  release "
                "addcdiv will perform a true division of tensor1 and tensor2. The historic "
                "addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / "
                "tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
                "tensor2) for float inputs. The future addcdiv behavior is just the latter "
                "implementation: (input + value * tensor1 / tensor2), for all dtypes.")


def _value(xp: Any, a: Any, v: Any) -> Any:
    """The kernel reads `value` in the computation dtype (0.5 is 0 for integers)."""
    return int(v) if xp.isdtype(a.dtype, "integral") else v


def _addcmul_bwd(n: Any, g: Tensor) -> tuple:
    _, t1, t2 = n.inputs
    v = n.params
    return (g if n.edges[0] else None), (g * _conj(t2 * v) if n.edges[1] else None), \
        (g * _conj(t1 * v) if n.edges[2] else None)


def _addcdiv_bwd(n: Any, g: Tensor) -> tuple:
    _, t1, t2 = n.inputs
    v = n.params
    return (g if n.edges[0] else None), (g * _conj(v / t2) if n.edges[1] else None), \
        (-g * _conj(v * t1 / (t2 * t2)) if n.edges[2] else None)


def _saved_value(params: Any) -> dict:
    return {"value": params}


ADDCMUL = Op("addcmul", _addc_args("addcmul"),
             forward=lambda xp, a, b, c, v: a + _value(xp, a, v) * b * c, backward=_addcmul_bwd,
             grad_fn="AddcmulBackward0", dtype=opmath(same), elementwise=True, out=True,
             inplace=True, needs=((), (2,), (1,)), saved_params=_saved_value,
             refuse=kernel("addcmul_cpu_out", BOOL))
ADDCDIV = Op("addcdiv", _addc_args("addcdiv"),
             forward=lambda xp, a, b, c, v: a + v * b / c, backward=_addcdiv_bwd,
             grad_fn="AddcdivBackward0", dtype=opmath(same), elementwise=True, out=True,
             inplace=True, needs=((), (2,), (1, 2)), saved_params=_saved_value)
