"""Elementwise ops: one row each — forward with `xp`, derivative with agrad ops.

A row's backward receives the node (`n.inputs` are the saved inputs, `n.result` the saved output)
and the incoming gradient, and returns one gradient per input. Broadcast reduction, dtype casts,
in-place variants, reflected operators and `out=` come from `_op`, never from a row.
"""

from __future__ import annotations

import math
import operator
from typing import Any

from .. import dtypes as D
from .._tensor import Tensor
from ._op import Op, _inplace_fast, binary, inplace, unary, with_out

__all__ = [
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide",
    "remainder", "fmod", "pow", "neg", "negative", "abs", "absolute", "exp", "expm1", "log", "log2",
    "log10", "log1p", "sqrt", "rsqrt", "square", "sin", "cos", "tan", "asin", "acos", "atan",
    "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "sign", "sgn", "floor", "ceil",
    "round", "trunc", "frac", "reciprocal", "maximum", "minimum", "atan2", "eq", "ne", "lt", "le",
    "gt", "ge", "equal", "isnan", "isinf", "isfinite", "logical_and", "logical_or", "logical_xor",
    "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "clamp", "clip",
    "where", "relu", "real", "imag", "conj", "angle", "lerp", "hypot", "logaddexp",
    "signbit", "isclose", "allclose", "xlogy", "float_power",
]


def _zero_grad(n: Any, g: Tensor) -> tuple:
    """Piecewise-constant ops: a zero gradient (not none: `.grad` is filled, as in PyTorch)."""
    from .creation import zeros_like

    z = zeros_like(g)
    return tuple(z if e is not None else None for e in n.edges)


# -- binary arithmetic ---------------------------------------------------------------------------

def _add_bwd(n, g):
    return g, g


def _sub_bwd(n, g):
    return g, -g


def _mul_bwd(n, g):
    a, b = n.inputs
    return (g * _conj(b) if n.edges[0] else None), (g * _conj(a) if n.edges[1] else None)


def _div_bwd(n, g):
    a, b = n.inputs
    ga = g / _conj(b) if n.edges[0] else None
    gb = -g * _conj(a) / _conj(b * b) if n.edges[1] else None
    return ga, gb


def _pow_bwd(n, g):
    a, b = n.inputs
    ga = gb = None
    if n.edges[0]:
        if isinstance(b, Tensor):
            ga = g * b * where(b == 0, 1.0, a) ** (b - 1) * where(b == 0, 0.0, 1.0) \
                if False else g * b * a ** (b - 1)
            ga = where(b == 0, 0.0, ga) if isinstance(b, Tensor) else ga
        else:
            ga = g * 0.0 * a if b == 0 else g * (b * a ** (b - 1))
    if n.edges[1]:
        out = a ** b
        gb = g * where((a == 0) & (b >= 0), 0.0, out * log(a)) if isinstance(a, Tensor) \
            else g * out * math.log(a)
    return ga, gb


def _maximum_bwd(n, g):
    a, b = n.inputs
    half = g * 0.5
    ga = where(a > b, g, where(a == b, half, 0.0)) if n.edges[0] else None
    gb = where(b > a, g, where(a == b, half, 0.0)) if n.edges[1] else None
    return ga, gb


def _minimum_bwd(n, g):
    a, b = n.inputs
    half = g * 0.5
    ga = where(a < b, g, where(a == b, half, 0.0)) if n.edges[0] else None
    gb = where(b < a, g, where(a == b, half, 0.0)) if n.edges[1] else None
    return ga, gb


def _atan2_bwd(n, g):
    a, b = n.inputs
    d = a * a + b * b
    return g * b / d, g * -a / d


def _remainder_bwd(n, g):
    a, b = n.inputs
    gb = -g * floor_divide(a, b) if n.edges[1] else None
    return g, gb


def _fmod_bwd(n, g):
    a, b = n.inputs
    gb = -g * trunc(a / b) if n.edges[1] else None
    return g, gb


def _hypot_bwd(n, g):
    a, b = n.inputs
    out = n.result
    return g * a / out, g * b / out


def _logaddexp_bwd(n, g):
    a, b = n.inputs
    out = n.result
    return g * exp(a - out), g * exp(b - out)


def _xlogy_bwd(n, g):
    a, b = n.inputs
    ga = g * where((a == 0) & ~isnan(b), 0.0, log(b)) if n.edges[0] else None
    gb = g * a / b if n.edges[1] else None
    return ga, gb


def _sub_fwd(xp, a, b):
    return a - b


def _floordiv(xp, a, b):
    return a // b


def _remainder(xp, a, b):
    return a % b


def _fmod(xp, a, b):
    a, b = _arrays(xp, a, b)
    return a - xp.trunc(a / b) * b if xp.isdtype(a.dtype, "real floating") else \
        xp.where((a % b != 0) & ((a < 0) != (b < 0)), a % b - b, a % b)


def _arrays(xp, a, b):
    """Function-style xp calls want arrays on both sides; numbers take the other's dtype."""
    if not hasattr(a, "dtype"):
        a = xp.asarray(a, dtype=b.dtype)
    if not hasattr(b, "dtype"):
        b = xp.asarray(b, dtype=a.dtype)
    return a, b


def _fn2(name):
    def fwd(xp, a, b):
        a, b = _arrays(xp, a, b)
        return getattr(xp, name)(a, b)
    return fwd


def _bool_aware(arith, logical, call=False):
    """`+`/`*` (and maximum/minimum) on bool operands are `or`/`and` in PyTorch; the Array API
    refuses bool arithmetic, so bool inputs go to the logical function. `call`: `arith` is a
    forward taking `xp` first."""
    def fwd(xp, a, b):
        arr = a if hasattr(a, "dtype") else b
        if xp.isdtype(arr.dtype, "bool"):
            a, b = _arrays(xp, a, b)
            return getattr(xp, logical)(a, b)
        return arith(xp, a, b) if call else arith(a, b)
    return fwd


ADD = Op("add", "AddBackward0", lambda xp, a, b: a + b, _add_bwd, saves="",
         iforward=operator.iadd, bool_forward=_fn2("logical_or"))
SUB = Op("sub", "SubBackward0", _sub_fwd, _sub_bwd, saves="", iforward=operator.isub)
RSUB = Op("rsub", "RsubBackward1", _sub_fwd, _sub_bwd, saves="")
MUL = Op("mul", "MulBackward0", lambda xp, a, b: a * b, _mul_bwd, needs=((1,), (0,)),
         iforward=operator.imul,
         bool_forward=_fn2("logical_and"))
DIV = Op("div", "DivBackward0", lambda xp, a, b: a / b, _div_bwd, dtype_rule="float",
         needs=((1,), (0, 1)),
         iforward=operator.itruediv)
FLOORDIV = Op("floor_divide", None, _floordiv)
REMAINDER = Op("remainder", "RemainderBackward0", _remainder, _remainder_bwd)
FMOD = Op("fmod", "FmodBackward0", _fmod, _fmod_bwd)
def _pow_fwd(xp, a, b):
    """`a ** b`; integer exponents below zero give PyTorch's integer answers (1 for a base of 1,
    +-1 for -1, else 0) where NumPy raises."""
    arr = b if hasattr(b, "dtype") else a
    if not xp.isdtype(arr.dtype, "signed integer"):
        return a ** b
    a, b = _arrays(xp, a, b)
    neg = b < 0
    zero = xp.zeros((), dtype=b.dtype)
    r = a ** xp.where(neg, zero, b)
    one = xp.ones((), dtype=r.dtype)
    odd = (b % 2) != 0
    small = xp.where(a == 1, one, xp.where(a == -1, xp.where(odd, -one, one), zero))
    return xp.where(neg, xp.astype(small, r.dtype), r)


def _truncdiv(xp, a, b):
    a, b = _arrays(xp, a, b)
    q = a // b
    return xp.where((a % b != 0) & ((a < 0) != (b < 0)), q + 1, q)


TRUNCDIV = Op("div", None, _truncdiv)  # integer division rounding toward zero
POW0 = Op("pow", "PowBackward0", lambda xp, a, b: a ** b, _pow_bwd)  # tensor ** number
POW1 = Op("pow", "PowBackward1", _pow_fwd, _pow_bwd)  # tensor ** tensor
POW2 = Op("pow", "PowBackward2", _pow_fwd, _pow_bwd)  # number ** tensor
MAXIMUM = Op("maximum", "MaximumBackward0", _fn2("maximum"), _maximum_bwd)
MINIMUM = Op("minimum", "MinimumBackward0", _fn2("minimum"), _minimum_bwd)
ATAN2 = Op("atan2", "Atan2Backward0", _fn2("atan2"), _atan2_bwd, dtype_rule="float")
HYPOT = Op("hypot", "HypotBackward0", _fn2("hypot"), _hypot_bwd, saves_out=True)
LOGADDEXP = Op("logaddexp", "LogaddexpBackward0", _fn2("logaddexp"), _logaddexp_bwd,
               saves_out=True)
XLOGY = Op("xlogy", "XlogyBackward0",
           lambda xp, a, b: xp.where(_arrays(xp, a, b)[0] == 0, 0, _arrays(xp, a, b)[0]
                                     * xp.log(_arrays(xp, a, b)[1])), _xlogy_bwd,
           dtype_rule="float")

def _is_bool(xp, a, b) -> bool:
    arr = a if hasattr(a, "dtype") else b
    return xp.isdtype(arr.dtype, "bool")


def _order(fn):
    """An ordering comparison; bools (which the Array API does not order) compare as 0/1."""
    def fwd(xp, a, b):
        if _is_bool(xp, a, b):
            a, b = _arrays(xp, a, b)
            a, b = xp.astype(a, xp.int8), xp.astype(b, xp.int8)
        return fn(a, b)
    return fwd


def _logical_fn(name):
    """logical_and/or/xor on any dtype: nonzero is True (the Array API wants bools)."""
    def fwd(xp, a, b):
        a, b = _arrays(xp, a, b)
        if not xp.isdtype(a.dtype, "bool"):
            a, b = a != 0, b != 0
        return getattr(xp, name)(a, b)
    return fwd


MAXIMUM.forward = _bool_aware(MAXIMUM.forward, "logical_or", call=True)
MINIMUM.forward = _bool_aware(MINIMUM.forward, "logical_and", call=True)

_CMP = {name: Op(name, None, fwd, dtype_rule="bool") for name, fwd in {
    "eq": lambda xp, a, b: a == b, "ne": lambda xp, a, b: a != b,
    "lt": _order(lambda a, b: a < b), "le": _order(lambda a, b: a <= b),
    "gt": _order(lambda a, b: a > b), "ge": _order(lambda a, b: a >= b),
}.items()}
_LOGICAL = {name: Op(name, None, _logical_fn(name), dtype_rule="bool") for name in
            ("logical_and", "logical_or", "logical_xor")}
_BITWISE = {
    "bitwise_and": Op("bitwise_and", None, lambda xp, a, b: a & b),
    "bitwise_or": Op("bitwise_or", None, lambda xp, a, b: a | b),
    "bitwise_xor": Op("bitwise_xor", None, lambda xp, a, b: a ^ b),
}


def _conj(x):
    return x.conj() if isinstance(x, Tensor) and x._dtype.kind == D.COMPLEX else x


def _scaled(input: Any, other: Any, alpha: Any) -> Any:
    """`other * alpha` for add/sub, kept in the result dtype of `input` and `other`."""
    if alpha == 1 and not isinstance(alpha, bool):
        return other
    dt = D.result_type(input, other)
    if isinstance(alpha, bool) and dt is not D.bool:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, float) and dt.kind <= D.INT:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    r = other * alpha
    return r.to(dt) if isinstance(r, Tensor) and r._dtype is not dt else r


def add(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    return with_out(binary(ADD, input, _scaled(input, other, alpha)), out, "add")


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


def sub(input: Any, other: Any, *, alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    _check_sub(input, other)
    return with_out(binary(SUB, input, _scaled(input, other, alpha)), out, "sub")


subtract = sub


def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    return with_out(binary(MUL, input, other), out, "mul")


multiply = mul


def div(input: Any, other: Any, *, rounding_mode: str | None = None,
        out: Tensor | None = None) -> Tensor:
    if rounding_mode is None:
        r = binary(DIV, input, other)
    elif rounding_mode == "trunc":
        dt = D.result_type(input, other)
        _refuse("div_trunc", dt)
        if dt.kind <= D.INT:  # exact, in the result dtype (operands are cast to it first)
            r = binary(TRUNCDIV, input, other)
        else:
            r = trunc(binary(DIV, input, other))
    elif rounding_mode == "floor":
        r = floor_divide(input, other)
    else:
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                         f"found '{rounding_mode}'")
    return with_out(r, out, "div")


divide = true_divide = div


def floor_divide(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    return with_out(binary(FLOORDIV, input, other), out, "floor_divide")


def remainder(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    return with_out(binary(REMAINDER, input, other), out, "remainder")


def fmod(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    return with_out(binary(FMOD, input, other), out, "fmod")


def pow(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A001
    if not isinstance(input, Tensor):
        op = POW2
    elif isinstance(exponent, Tensor):
        op = POW1
    else:
        op = POW0
        if isinstance(exponent, bool) and input._dtype is D.bool:  # x ** True is x, ** False 1
            from .creation import ones_like

            return with_out(input.clone() if exponent else ones_like(input), out, "pow")
        if isinstance(exponent, int) and exponent < 0 and input._dtype.kind <= D.INT:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    return with_out(binary(op, input, exponent), out, "pow")


def float_power(input: Any, exponent: Any) -> Tensor:
    x = input.double() if isinstance(input, Tensor) else input
    e = exponent.double() if isinstance(exponent, Tensor) else exponent
    return pow(x, e)


def _real_only(name: str, *xs: Any) -> None:
    if any(isinstance(x, Tensor) and x._dtype.kind == D.COMPLEX for x in xs):
        raise RuntimeError(f"{name} not implemented for complex tensors.")


def _ordered(name: str, a: Any, b: Any) -> None:
    """PyTorch has no ordering of complex numbers: lt/le/gt/ge refuse them."""
    if isinstance(b, (Tensor, int, float, complex)) and isinstance(a, (Tensor, int, float,
                                                                       complex)):
        dt = D.result_type(a, b)
        if dt.kind == D.COMPLEX:
            from ._op import _type_name

            raise NotImplementedError(f'"{name}_cpu" not implemented for \'{_type_name(dt)}\'')


def maximum(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    _real_only("maximum", input, other)
    return with_out(binary(MAXIMUM, input, other), out, "maximum")


def minimum(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    _real_only("minimum", input, other)
    return with_out(binary(MINIMUM, input, other), out, "minimum")


def atan2(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    return with_out(binary(ATAN2, input, other), out, "atan2")


def hypot(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    return with_out(binary(HYPOT, input, other), out, "hypot")


def logaddexp(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:
    return with_out(binary(LOGADDEXP, input, other), out, "logaddexp")


def xlogy(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    return with_out(binary(XLOGY, input, other), out, "xlogy")


def _cmp(name):
    op = _CMP[name]

    def f(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
        if name in ("lt", "le", "gt", "ge"):
            _ordered(name, input, other)
        return with_out(binary(op, input, other), out, name)
    f.__name__ = name
    return f


eq, ne, lt, le, gt, ge = (_cmp(k) for k in ("eq", "ne", "lt", "le", "gt", "ge"))


def _logical(name, table):
    op = table[name]

    def f(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
        return with_out(binary(op, input, other), out, name)
    f.__name__ = name
    return f


logical_and, logical_or, logical_xor = (_logical(k, _LOGICAL) for k in _LOGICAL)
bitwise_and, bitwise_or, bitwise_xor = (_logical(k, _BITWISE) for k in _BITWISE)


def equal(input: Tensor, other: Tensor) -> bool:
    """True if both have the same size and elements (torch.equal)."""
    if input.shape != other.shape:
        return False
    return bool(eq(input, other).all().item())


# -- unary math ----------------------------------------------------------------------------------

def _u(name: str, grad_fn: str | None, fwd, bwd=None, rule: str = "float", saves="all",
       saves_out: bool = False) -> Op:
    return Op(name, grad_fn, fwd, bwd, dtype_rule=rule, saves=saves, saves_out=saves_out)


def _x(n):
    return n.inputs[0]


UNARY: dict[str, Op] = {op.name: op for op in [
    _u("neg", "NegBackward0", lambda xp, a: -a, lambda n, g: -g, rule="same", saves=""),
    _u("abs", "AbsBackward0", lambda xp, a: xp.abs(a), lambda n, g: g * sgn(_x(n)), rule="same"),
    _u("exp", "ExpBackward0", lambda xp, a: xp.exp(a), lambda n, g: g * _conj(n.result),
       saves="", saves_out=True),
    _u("expm1", "Expm1Backward0", lambda xp, a: xp.expm1(a),
       lambda n, g: g * (n.result + 1), saves="", saves_out=True),
    _u("log", "LogBackward0", lambda xp, a: xp.log(a), lambda n, g: g / _conj(_x(n))),
    _u("log2", "Log2Backward0", lambda xp, a: xp.log2(a),
       lambda n, g: g / (_x(n) * math.log(2.0))),
    _u("log10", "Log10Backward0", lambda xp, a: xp.log10(a),
       lambda n, g: g / (_x(n) * math.log(10.0))),
    _u("log1p", "Log1PBackward0", lambda xp, a: xp.log1p(a), lambda n, g: g / (_x(n) + 1)),
    _u("sqrt", "SqrtBackward0", lambda xp, a: xp.sqrt(a),
       lambda n, g: g / (2 * _conj(n.result)), saves="", saves_out=True),
    _u("rsqrt", "RsqrtBackward0", lambda xp, a: 1 / xp.sqrt(a),
       lambda n, g: -0.5 * g * n.result ** 3, saves="", saves_out=True),
    _u("square", "PowBackward0", lambda xp, a: a * a, lambda n, g: g * 2 * _x(n), rule="same"),
    _u("sin", "SinBackward0", lambda xp, a: xp.sin(a), lambda n, g: g * cos(_x(n))),
    _u("cos", "CosBackward0", lambda xp, a: xp.cos(a), lambda n, g: -g * sin(_x(n))),
    _u("tan", "TanBackward0", lambda xp, a: xp.tan(a),
       lambda n, g: g * (1 + n.result ** 2), saves="", saves_out=True),
    _u("asin", "AsinBackward0", lambda xp, a: xp.asin(a),
       lambda n, g: g * rsqrt(1 - _x(n) ** 2)),
    _u("acos", "AcosBackward0", lambda xp, a: xp.acos(a),
       lambda n, g: -g * rsqrt(1 - _x(n) ** 2)),
    _u("atan", "AtanBackward0", lambda xp, a: xp.atan(a), lambda n, g: g / (1 + _x(n) ** 2)),
    _u("sinh", "SinhBackward0", lambda xp, a: xp.sinh(a), lambda n, g: g * cosh(_x(n))),
    _u("cosh", "CoshBackward0", lambda xp, a: xp.cosh(a), lambda n, g: g * sinh(_x(n))),
    _u("tanh", "TanhBackward0", lambda xp, a: xp.tanh(a),
       lambda n, g: g * (1 - n.result ** 2), saves="", saves_out=True),
    _u("asinh", "AsinhBackward0", lambda xp, a: xp.asinh(a),
       lambda n, g: g * rsqrt(_x(n) ** 2 + 1)),
    _u("acosh", "AcoshBackward0", lambda xp, a: xp.acosh(a),
       lambda n, g: g * rsqrt(_x(n) ** 2 - 1)),
    _u("atanh", "AtanhBackward0", lambda xp, a: xp.atanh(a), lambda n, g: g / (1 - _x(n) ** 2)),
    _u("sigmoid", "SigmoidBackward0", lambda xp, a: 1 / (1 + xp.exp(-a)),
       lambda n, g: g * n.result * (1 - n.result), saves="", saves_out=True),
    _u("relu", "ReluBackward0", lambda xp, a: xp.where(a < 0, xp.zeros((), dtype=a.dtype), a),
       lambda n, g: g * (n.result > 0), rule="same", saves="", saves_out=True),
    _u("reciprocal", "ReciprocalBackward0", lambda xp, a: 1 / a,
       lambda n, g: -g * n.result ** 2, saves="", saves_out=True),
    _u("sign", "SignBackward0", lambda xp, a: _sign(xp, a), _zero_grad, rule="same", saves=""),
    _u("sgn", "SgnBackward0", lambda xp, a: _sign(xp, a), _zero_grad, rule="same", saves=""),
    _u("floor", "FloorBackward0", lambda xp, a: xp.floor(a), _zero_grad, rule="same", saves=""),
    _u("ceil", "CeilBackward0", lambda xp, a: xp.ceil(a), _zero_grad, rule="same", saves=""),
    _u("round", "RoundBackward0", lambda xp, a: xp.round(a), _zero_grad, rule="same", saves=""),
    _u("trunc", "TruncBackward0", lambda xp, a: xp.trunc(a), _zero_grad, rule="same", saves=""),
    _u("frac", "FracBackward0", lambda xp, a: a - xp.trunc(a), lambda n, g: g, rule="same",
       saves=""),
    _u("isnan", None, lambda xp, a: xp.isnan(a), rule="bool"),
    _u("isinf", None, lambda xp, a: xp.isinf(a), rule="bool"),
    _u("isfinite", None, lambda xp, a: xp.isfinite(a), rule="bool"),
    _u("signbit", None, lambda xp, a: _signbit(xp, a), rule="bool"),
    _u("logical_not", None, lambda xp, a: xp.logical_not(xp.astype(a, xp.bool)), rule="bool"),
    _u("bitwise_not", None, lambda xp, a: ~a, rule="same"),
    _u("conj", "ConjBackward0", lambda xp, a: xp.conj(a), lambda n, g: _conj(g), rule="same",
       saves=""),
    _u("real", "RealBackward0", lambda xp, a: xp.asarray(xp.real(a), copy=True), lambda n, g: g, rule="keep",
       saves=""),
    _u("imag", "ImagBackward0", lambda xp, a: xp.asarray(xp.imag(a), copy=True), lambda n, g: g * 1j, rule="keep",
       saves=""),
    _u("angle", "AngleBackward0", lambda xp, a: xp.atan2(xp.imag(a), xp.real(a))
       if xp.isdtype(a.dtype, "complex floating") else _angle_real(xp, a), _zero_grad,
       rule="float", saves=""),
]}
# PyTorch names it "round" etc. for isnan/isinf on integers: integer inputs stay exact
for _name in ("floor", "ceil", "round", "trunc", "sign", "sgn", "abs", "neg"):
    pass


# abs and angle of a complex tensor are real: their own rows, dtype read from the result
_REAL_OF_COMPLEX = {
    "abs": _u("abs", "AbsBackward0", lambda xp, a: xp.abs(a), lambda n, g: g * sgn(_x(n)),
              rule="keep"),
    "angle": _u("angle", "AngleBackward0", lambda xp, a: xp.atan2(xp.imag(a), xp.real(a)),
                _zero_grad, rule="keep", saves=""),
}


def _signbit(xp, a):
    if xp.isdtype(a.dtype, "real floating"):
        return xp.signbit(a)
    if xp.isdtype(a.dtype, "signed integer"):
        return a < 0
    return xp.zeros(a.shape, dtype=xp.bool)  # bool and unsigned: never negative


def _angle_real(xp, a):
    """angle of a real (floating) array: pi below zero, 0 elsewhere, nan kept."""
    r = xp.where(a < 0, xp.full(a.shape, math.pi, dtype=a.dtype), xp.zeros(a.shape, dtype=a.dtype))
    return xp.where(xp.isnan(a), a, r)


def _sign(xp, a):
    """PyTorch's sign: bool stays bool, sign(nan) is 0."""
    if xp.isdtype(a.dtype, "bool"):
        return xp.asarray(a, copy=True)
    s = xp.sign(a)
    if xp.isdtype(a.dtype, "real floating"):
        s = xp.where(xp.isnan(a), xp.zeros((), dtype=a.dtype), s)
    return s


def _unary_fn(name: str):
    op = UNARY[name]

    def f(input: Tensor, *, out: Tensor | None = None) -> Tensor:
        _refuse(name, input._dtype)
        if name in ("real", "conj") and input._dtype.kind != D.COMPLEX:
            return with_out(input, out, name)  # PyTorch returns the tensor itself
        if name in _REAL_OF_COMPLEX and input._dtype.kind == D.COMPLEX:
            return with_out(unary(_REAL_OF_COMPLEX[name], input), out, name)
        if name == "square" and input._dtype is D.bool:
            input = input.long()  # PyTorch: square is pow(x, 2), and bool ** 2 is int64
        if op.dtype_rule == "same" and name in ("floor", "ceil", "round", "trunc", "frac") \
                and input._dtype.kind <= D.INT:
            return with_out(input.clone() if name != "frac" else input * 0, out, name)
        if name in ("isnan", "isinf", "isfinite") and input._dtype.kind <= D.INT:
            from .creation import full_like

            return with_out(full_like(input, name == "isfinite", dtype=D.bool), out, name)
        return with_out(unary(op, input), out, name)

    f.__name__ = name
    return f


neg = _unary_fn("neg")
negative = neg
abs = _unary_fn("abs")  # noqa: A001
absolute = abs
(exp, expm1, log, log2, log10, log1p, sqrt, rsqrt, square, sin, cos, tan, asin, acos, atan, sinh,
 cosh, tanh, asinh, acosh, atanh, sigmoid, relu, reciprocal, sign, sgn, floor, ceil, trunc, frac,
 isnan, isinf, isfinite, signbit, logical_not, bitwise_not, conj, real, imag, angle) = (
    _unary_fn(k) for k in (
        "exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "square", "sin", "cos",
        "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
        "sigmoid", "relu", "reciprocal", "sign", "sgn", "floor", "ceil", "trunc", "frac", "isnan",
        "isinf", "isfinite", "signbit", "logical_not", "bitwise_not", "conj", "real", "imag",
        "angle"))
_round0 = _unary_fn("round")


def round(input: Tensor, *, decimals: int = 0, out: Tensor | None = None) -> Tensor:  # noqa: A001
    if decimals == 0:
        return _round0(input, out=out)
    scale = 10.0 ** decimals
    return with_out(_round0(input * scale) / scale, out, "round")


# -- clamp, where, lerp ----------------------------------------------------------------------------

def _clamp_fwd(xp, a, bounds):
    lo, hi = bounds
    if lo is not None:
        lo = lo if hasattr(lo, "dtype") else xp.asarray(lo, dtype=a.dtype)
        a = xp.maximum(a, xp.astype(lo, a.dtype) if lo.dtype != a.dtype else lo)
    if hi is not None:
        hi = hi if hasattr(hi, "dtype") else xp.asarray(hi, dtype=a.dtype)
        a = xp.minimum(a, xp.astype(hi, a.dtype) if hi.dtype != a.dtype else hi)
    return a


def _clamp_bwd(n, g):
    (x,) = n.inputs
    lo, hi = n.params
    mask = None
    if lo is not None:
        mask = x >= lo
    if hi is not None:
        m2 = x <= hi
        mask = m2 if mask is None else mask & m2
    return (g * mask,)


CLAMP = Op("clamp", "ClampBackward1", _clamp_fwd, _clamp_bwd)


def clamp(input: Tensor, min: Any = None, max: Any = None, *,  # noqa: A002
          out: Tensor | None = None) -> Tensor:
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if input._dtype.kind == D.COMPLEX:
        raise NotImplementedError("clamp is not supported for complex types")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        r = input
        if min is not None:
            r = maximum(r, min if isinstance(min, Tensor) else _like(input, min))
        if max is not None:
            r = minimum(r, max if isinstance(max, Tensor) else _like(input, max))
        return with_out(r, out, "clamp")
    dt = D.result_type(input, *(v for v in (min, max) if v is not None))
    x = input if dt is input._dtype else input.to(dt)
    return with_out(unary(CLAMP, x, (min, max)), out, "clamp")


clip = clamp


def _like(t: Tensor, v: Any) -> Tensor:
    from .creation import full_like

    return full_like(t, v, dtype=D.result_type(t, v))


def _where_fwd(xp, c, a, b):
    return xp.where(c, a, b)


def _where_bwd(n, g):
    c, a, b = n.inputs
    zero = 0.0
    return None, (where(c, g, zero) if n.edges[1] else None), \
        (where(c, zero, g) if n.edges[2] else None)


WHERE = Op("where", "WhereBackward0", _where_fwd, _where_bwd)


def infer_size(*shapes: tuple) -> tuple:
    """Broadcast shapes as PyTorch's infer_size does, error included: operands taken left to
    right ("a" is the shape so far, "b" the next), dimensions compared from the last one."""
    out = tuple(shapes[0])
    for sb in shapes[1:]:
        sa, sb = out, tuple(sb)
        n = max(len(sa), len(sb))
        res = [1] * n
        for i in range(n - 1, -1, -1):
            ia, ib = i - (n - len(sa)), i - (n - len(sb))
            da = sa[ia] if ia >= 0 else 1
            db = sb[ib] if ib >= 0 else 1
            if da != db and da != 1 and db != 1:
                raise RuntimeError(f"The size of tensor a ({da}) must match the size of tensor b "
                                   f"({db}) at non-singleton dimension {i}")
            res[i] = db if da == 1 else da
        out = tuple(res)
    return out


def _shape_of(x: Any) -> tuple:
    return tuple(x.shape) if isinstance(x, Tensor) else ()


def where(condition: Tensor, input: Any = None, other: Any = None, *,
          out: Tensor | None = None) -> Any:
    """torch.where(cond, x, y); `where(cond)` alone is nonzero(as_tuple=True)."""
    from ._op import apply_n

    if input is None and other is None:
        from .indexing import nonzero

        return nonzero(condition, as_tuple=True)
    infer_size(_shape_of(condition), _shape_of(input), _shape_of(other))
    return with_out(apply_n(WHERE, (condition, input, other), promote=(1, 2)), out, "where")


def _lerp_bwd(n, g):
    a, b, w = n.inputs
    ga = g * (1 - w) if n.edges[0] else None
    gb = g * w if n.edges[1] else None
    gw = g * (b - a) if n.edges[2] else None
    return ga, gb, gw


LERP = Op("lerp", "LerpBackward1", lambda xp, a, b, w: a + w * (b - a), _lerp_bwd)


def lerp(input: Tensor, end: Tensor, weight: Any, *, out: Tensor | None = None) -> Tensor:
    from ._op import apply_n

    _refuse("lerp", D.result_type(input, end))
    infer_size(_shape_of(input), _shape_of(end), _shape_of(weight))
    return with_out(apply_n(LERP, (input, end, weight), promote=(0, 1, 2)), out, "lerp")


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    from ..autograd.grad_mode import no_grad

    if input._dtype is not other._dtype:
        from ._op import _type_name

        raise RuntimeError(f"{_type_name(input._dtype)} did not match "
                           f"{_type_name(other._dtype)}")
    with no_grad():
        if input._dtype is D.bool:
            return input == other
        a, b = (input, other) if input._dtype.kind >= D.FLOAT else (input.double(),
                                                                    other.double())
        diff = abs(a - b)
        close = (diff <= atol + rtol * abs(b)) | (input == other)
        if equal_nan:
            close = close | (isnan(input) & isnan(other))
    return close


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    return bool(isclose(input, other, rtol, atol, equal_nan).all().item())


# -- dtypes PyTorch has no kernel for --------------------------------------------------------------
# (checked on the dtype an op computes in, so `x.op_()`, operators and `out=` refuse alike)

_INTS = (D.uint8, D.int8, D.int16, D.int32, D.int64)
_FLOATS = (D.float16, D.float32, D.float64)
_COMPLEX = (D.complex64, D.complex128)


def _kernel(kernel: str) -> Any:
    def msg(dt: D.dtype) -> tuple:
        from ._op import _type_name

        return NotImplementedError, f'"{kernel}" not implemented for \'{_type_name(dt)}\''
    return msg


def _fixed(exc: type, text: str) -> Any:
    return lambda dt: (exc, text)


_REFUSED: dict[str, tuple[tuple, Any]] = {
    "floor_divide": ((D.bool,) + _COMPLEX, _kernel("div_floor_cpu")),
    "div_trunc": ((D.bool,) + _COMPLEX, _kernel("div_trunc_cpu")),
    "remainder": ((D.bool,) + _COMPLEX, _kernel("remainder_cpu")),
    "fmod": ((D.bool,) + _COMPLEX, _kernel("fmod_cpu")),
    "pow": ((D.bool,), _kernel("pow")),
    "hypot": ((D.bool,) + _INTS + _COMPLEX, _kernel("hypot_cpu")),
    "logaddexp": ((D.bool,) + _INTS, _kernel("logaddexp_cpu")),
    "atan2": (_COMPLEX, _kernel("atan2_cpu")),
    "xlogy": (_COMPLEX, _kernel("xlogy_cpu")),
    "lerp": ((D.bool,) + _INTS, _kernel("lerp_kernel_scalar")),
    "bitwise_and": (_FLOATS + _COMPLEX, _kernel("bitwise_and_cpu")),
    "bitwise_or": (_FLOATS + _COMPLEX, _kernel("bitwise_or_cpu")),
    "bitwise_xor": (_FLOATS + _COMPLEX, _kernel("bitwise_xor_cpu")),
    "bitwise_not": (_FLOATS + _COMPLEX, _kernel("bitwise_not_cpu")),
    "abs": ((D.bool,), _kernel("abs_cpu")),
    "frac": ((D.bool,) + _INTS + _COMPLEX, _kernel("frac_cpu")),
    "round": ((D.bool,) + _COMPLEX, _kernel("round_vml_cpu")),
    "neg": ((D.bool,), _fixed(RuntimeError, "Negation, the `-` operator, on a bool tensor is not "
                                            "supported. If you are trying to invert a mask, use "
                                            "the `~` or `logical_not()` operator instead.")),
    "imag": ((D.bool,) + _INTS + _FLOATS, _fixed(RuntimeError, "imag is not implemented for "
                                                 "tensors with non-complex dtypes.")),
    "signbit": (_COMPLEX, _fixed(NotImplementedError, "signbit is not implemented for complex "
                                                      "tensors.")),
    "sign": (_COMPLEX, _fixed(NotImplementedError, "Unlike NumPy, torch.sign is not intended to "
                                                   "support complex numbers. Please use "
                                                   "torch.sgn instead.")),
}
for _n in ("floor", "ceil", "trunc"):
    _REFUSED[_n] = ((D.bool,), _kernel(f"{_n}_vml_cpu"))
    _REFUSED[_n + "_complex"] = (_COMPLEX, _fixed(NotImplementedError,
                                                  f"{_n} is not supported for complex inputs"))
_REFUSED["relu"] = ((D.bool,), _fixed(RuntimeError, "Boolean inputs not supported for relu"))
_REFUSED["relu_complex"] = (_COMPLEX, _fixed(NotImplementedError,
                                             "clamp is not supported for complex types"))


def _refuse(name: str, dt: D.dtype) -> None:
    """Raise PyTorch's error when op `name` has no kernel for dtype `dt`."""
    for key in (name, name + "_complex"):
        entry = _REFUSED.get(key)
        if entry is not None and dt in entry[0]:
            exc, text = entry[1](dt)
            raise exc(text)


def _guard(op: Op, name: str) -> None:
    """Make `op`'s forward refuse the dtypes PyTorch refuses (read from its array operand)."""
    fwd = op.forward
    refused = tuple(d for key in (name, name + "_complex") if key in _REFUSED
                    for d in _REFUSED[key][0])

    names = {d.name: d for d in refused}

    def guarded(xp, *args):
        arr = next((a for a in args if hasattr(a, "dtype")), None)
        if arr is not None:
            # the dtype's name, whatever the library's dtype object (not every namespace has
            # every dtype as an attribute: array-api-compat's Dask lacks float16)
            dn = getattr(arr.dtype, "name", None) or str(arr.dtype).rsplit(".", 1)[-1]
            if dn in names:
                _refuse(name, names[dn])
        return fwd(xp, *args)
    op.forward = guarded


for _op, _name in ((FLOORDIV, "floor_divide"), (REMAINDER, "remainder"), (FMOD, "fmod"),
                   (POW1, "pow"), (POW2, "pow"), (HYPOT, "hypot"),
                   (LOGADDEXP, "logaddexp"), (ATAN2, "atan2"), (XLOGY, "xlogy"), (LERP, "lerp"),
                   *((o, k) for k, o in _BITWISE.items())):
    _guard(_op, _name)
for _name in ("bitwise_not", "abs", "frac", "round", "neg", "imag", "signbit", "sign", "floor",
              "ceil", "trunc", "relu"):
    _guard(UNARY[_name], _name)


# -- Tensor methods and operators ------------------------------------------------------------------

def _inplace(op: Op, self: Tensor, *others: Any, params: Any = None) -> Tensor:
    """`_op.inplace`, refusing an uncastable result before the forward runs (so a dtype with no
    kernel still reports PyTorch's cast error first, as PyTorch does)."""
    if op.iforward is not None and len(others) == 1 and params is None and \
            _inplace_fast(op, self, others[0]):
        return self
    if len(others) == 1 and isinstance(others[0], (Tensor, int, float, complex)):
        dt = D.result_type(self, others[0])
        if op.dtype_rule == "float" and dt.kind < D.FLOAT:
            dt = D.get_default_dtype()
        if op.dtype_rule != "bool" and not D.can_cast(dt, self._dtype):
            from ._op import _type_name

            raise RuntimeError(f"result type {_type_name(dt)} can't be cast to the desired "
                               f"output type {_type_name(self._dtype)}")
    return inplace(op, self, *others, params=params)


def _install() -> None:
    T = Tensor

    def binop(op):
        def m(self, other):
            return binary(op, self, other)

        def r(self, other):
            return binary(op, other, self)

        def i(self, other):
            return _inplace(op, self, other)
        return m, r, i

    for dunder, op in (("add", ADD), ("mul", MUL), ("truediv", DIV), ("floordiv", FLOORDIV),
                       ("mod", REMAINDER), ("and", _BITWISE["bitwise_and"]),
                       ("or", _BITWISE["bitwise_or"]), ("xor", _BITWISE["bitwise_xor"])):
        m, r, i = binop(op)
        setattr(T, f"__{dunder}__", m)
        setattr(T, f"__r{dunder}__", r)
        setattr(T, f"__i{dunder}__", i)

    def _sub(self, other):
        return sub(self, other)

    def _rsub(self, other):
        _check_sub(other, self)
        return binary(RSUB, other, self)

    def _isub(self, other):
        _check_sub(self, other)
        return _inplace(SUB, self, other)

    T.__sub__, T.__rsub__, T.__isub__ = _sub, _rsub, _isub
    T.__pow__ = lambda self, e: pow(self, e)
    T.__rpow__ = lambda self, b: binary(POW2, b, self)
    T.__ipow__ = lambda self, e: _inplace(POW1 if isinstance(e, Tensor) else POW0, self, e)
    T.__neg__ = lambda self: unary(UNARY["neg"], self)
    def pos(self):
        if self._dtype is D.bool:
            raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
        return self
    T.__pos__ = pos
    T.__abs__ = lambda self: abs(self)
    def invert(self):
        if self._dtype is D.bool:
            return logical_not(self)
        if self._dtype.kind >= D.FLOAT:
            raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                            "tensors")
        return bitwise_not(self)
    T.__invert__ = invert
    def cmp_method(name, op):
        if name in ("eq", "ne"):
            return lambda self, other: binary(op, self, other)

        def m(self, other):
            _ordered(name, self, other)
            return binary(op, self, other)
        return m

    for name, op in _CMP.items():
        setattr(T, f"__{name}__", cmp_method(name, op))
        setattr(T, name, cmp_method(name, op))
    T.greater, T.less, T.greater_equal, T.less_equal = T.gt, T.lt, T.ge, T.le
    T.not_equal = T.ne

    # methods and in-place methods from the functions above
    for fname in ("add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
                  "floor_divide", "remainder", "fmod", "pow", "maximum", "minimum", "atan2",
                  "hypot", "logaddexp", "xlogy", "float_power", "logical_and", "logical_or",
                  "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "clamp", "clip",
                  "lerp", "isclose", "allclose", "equal", "round", *UNARY):
        fn = globals().get(fname)
        if fn is not None:
            setattr(T, fname, fn)
    T.absolute = T.abs
    T.negative = T.neg
    T.real = property(real)  # attributes in PyTorch, not methods
    T.imag = property(imag)
    T.where = lambda self, condition, other: where(condition, self, other)

    def inplace_of(name, op_of):
        def method(self, *args, **kwargs):
            return op_of(self, *args, **kwargs)
        method.__name__ = name + "_"
        return method

    for name, op in UNARY.items():
        if op.dtype_rule in ("same", "float"):
            setattr(T, name + "_", (lambda op: lambda self: _inplace(op, self))(op))

    def add_(self, other, *, alpha=1):
        return _inplace(ADD, self, _scaled(self, other, alpha))

    def sub_(self, other, *, alpha=1):
        _check_sub(self, other)
        return _inplace(SUB, self, _scaled(self, other, alpha))

    def div_(self, other, *, rounding_mode=None):
        if rounding_mode is None:
            return _inplace(DIV, self, other)
        from ._op import check_inplace, commit_inplace

        check_inplace(self)
        return commit_inplace(self, div(self, other, rounding_mode=rounding_mode), "div")

    T.add_, T.sub_, T.subtract_, T.div_, T.divide_, T.true_divide_ = (
        add_, sub_, sub_, div_, div_, div_)
    T.mul_ = T.multiply_ = lambda self, other: _inplace(MUL, self, other)
    T.pow_ = lambda self, e: _inplace(POW1 if isinstance(e, Tensor) else POW0, self, e)
    T.floor_divide_ = lambda self, other: _inplace(FLOORDIV, self, other)
    T.remainder_ = lambda self, other: _inplace(REMAINDER, self, other)
    T.fmod_ = lambda self, other: _inplace(FMOD, self, other)
    T.maximum_ = lambda self, other: _inplace(MAXIMUM, self, other)
    T.minimum_ = lambda self, other: _inplace(MINIMUM, self, other)

    def clamp_(self, min=None, max=None):  # noqa: A002
        from ._op import check_inplace, commit_inplace

        check_inplace(self)
        return commit_inplace(self, clamp(self, min, max), "clamp")

    T.clamp_ = T.clip_ = clamp_


_install()
