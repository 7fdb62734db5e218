"""Specs of the elementwise rows (ops/elementwise.py): unary and binary ops, predicates,
comparisons, bitwise ops, clamp/where/lerp."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..spec import (
    FLOATS,
    Bad,
    array,
    binary,
    broadcast_pair,
    op,
    sample,
    shapes,
    unary,
    via,
)

TO_FLOAT = ("float32", "float64", "int32")   # integers compute in the default float dtype
SIGNED = ("float32", "float64", "int32", "int64")
POSITIVE = (0.05, 5.0)
UNIT = (-0.95, 0.95)

for name, domain in {
    "exp": (-3, 3), "expm1": (-3, 3), "log": POSITIVE, "log2": POSITIVE, "log10": POSITIVE,
    "log1p": (-0.9, 4), "sqrt": POSITIVE, "rsqrt": POSITIVE, "sin": (-3, 3), "cos": (-3, 3),
    "tan": (-1.2, 1.2), "asin": UNIT, "acos": UNIT, "atan": (-3, 3), "sinh": (-3, 3),
    "cosh": (-3, 3), "tanh": (-3, 3), "asinh": (-3, 3), "acosh": (1.05, 4), "atanh": UNIT,
    "sigmoid": (-3, 3), "reciprocal": (0.2, 3), "erf": (-2, 2),
}.items():
    unary(name, domain, variants=TO_FLOAT if domain[0] < 1 <= domain[1] else FLOATS)

unary("neg", variants=SIGNED + ("complex64",))
unary("abs", variants=SIGNED + ("complex64",))
unary("square", variants=SIGNED)
unary("relu", variants=SIGNED)
unary("sign", variants=SIGNED)
unary("sgn", variants=SIGNED + ("complex64",))
for name in ("floor", "ceil", "trunc"):
    unary(name, variants=SIGNED)
unary("frac")
op("round", lambda v, gc: sample(array(v, gc=gc), decimals=st.sampled_from([0, 1, 2])),
   variants=FLOATS)
via("round.decimals0", "round")
unary("angle", variants=FLOATS + ("complex64",))
for name in ("conj", "real", "imag"):
    unary(name, variants=("float32", "complex64"), gradcheck=name != "imag")
via("conj.complex", "conj")
via("real.complex", "real")
via("imag.complex", "imag")


def special(v: str, gc: bool):
    """Values with nan, infinities and signed zeros: what the predicates are about."""
    if v.startswith("int"):
        return sample(array(v, gc=gc))
    fl = st.floats(width=32 if v == "float32" else 64, allow_subnormal=False) | st.sampled_from(
        [float("nan"), float("inf"), -float("inf"), -0.0, 0.0])
    return sample(hnp.arrays(np.dtype(v), shapes(), elements=fl))


for name in ("isnan", "isinf", "isfinite", "signbit"):
    op(name, special, variants=("float32", "float64", "int32"), grad=False)
unary("logical_not", variants=("bool", "float32", "int32"), grad=False)
unary("bitwise_not", variants=("bool", "int32", "int64"), grad=False)
op("invert", lambda v, gc: sample(array(v, gc=gc)), call=lambda lib, x: ~x,
   variants=("bool", "int32"), grad=False)
op("positive", lambda v, gc: sample(array(v, gc=gc)), variants=SIGNED)

ALPHA = {"alpha": st.sampled_from([1, 2, -1])}
binary("add", kwargs=ALPHA)
binary("sub", kwargs=ALPHA)
binary("rsub", kwargs=ALPHA)
binary("mul")
binary("true_divide", nonzero=True)
binary("div", nonzero=True,
       kwargs={"rounding_mode": st.sampled_from([None, "trunc", "floor"])},
       variants=("float32", "float64", "int32,float32", "float32,scalar", "int32,int64"))
via("div.trunc", "div")
via("div.floor", "div")
binary("floor_divide", nonzero=True, variants=("float32", "float64", "int32,int64"))
binary("remainder", nonzero=True, variants=("float32", "float64", "int32,int64",
                                            "float32,scalar"))
binary("fmod", nonzero=True, variants=("float32", "float64", "int32,int64", "float32,scalar"))
binary("pow", ((0.1, 3), (-2, 2)))
binary("float_power", ((0.1, 3), (-2, 2)), variants=("float32", "float64", "float32,scalar"))
for name in ("maximum", "minimum"):
    binary(name, variants=("float32", "float64", "int32,float32", "int32,int64"))
binary("atan2", variants=("float32", "float64", "int32,float32"))
binary("hypot", variants=FLOATS)
binary("logaddexp", variants=FLOATS)
binary("xlogy", ((-3, 3), POSITIVE), variants=("float32", "float64", "float32,scalar"))
binary("copysign", variants=("float32", "float64", "int32,float32", "float32,scalar"))
binary("nextafter", variants=FLOATS, grad=False)
binary("Tensor.__rtruediv__", ((0.2, 3), (-3, 3)), variants=("float32", "float64",
                                                             "int32,float32", "float32,scalar"))
binary("Tensor.float_power_", ((0.1, 3), (-2, 2)),
       call=lambda lib, x, e: x.clone().float_power_(e),
       variants=("float64", "float32", "float64,scalar"))

COMPARE = ("float32", "float64", "int32,float32", "float32,scalar", "int64")
for name in ("eq", "ne", "lt", "le", "gt", "ge"):
    binary(name, ((-2, 2), (-2, 2)), variants=COMPARE, grad=False)
for name in ("logical_and", "logical_or", "logical_xor"):
    binary(name, ((-1, 1), (-1, 1)), variants=("bool", "float32", "int32,float32"),
           grad=False)
for name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
    binary(name, ((-8, 8), (-8, 8)), variants=("bool", "int32", "int64", "int32,int64"),
           grad=False)
for name in ("bitwise_left_shift", "bitwise_right_shift"):  # shifts within the width: C
    binary(name, ((-50, 50), (0, 5)), variants=("int32", "int64", "int32,int64", "int32,scalar"),
           grad=False)


def _same_shape_pair(v: str, gc: bool, **kw):
    return shapes(gc=gc).flatmap(lambda sh: sample(array(v, sh, (-2, 2), gc),
                                                   array(v, sh, (-2, 2), gc, offset=1), **kw))


op("equal", _same_shape_pair, variants=("float32", "int32"), grad=False)
close = {"rtol": st.sampled_from([1e-5, 0.1]), "atol": st.sampled_from([1e-8, 0.5])}
op("isclose", lambda v, gc: _same_shape_pair(v, gc, **close), grad=False)
op("allclose", lambda v, gc: _same_shape_pair(v, gc, **close), grad=False)


def _clamp(v: str, gc: bool):
    bounds = st.sampled_from([(-1, 1), (None, 0.5), (-0.5, None), (1, -1)])
    return bounds.flatmap(lambda b: sample(array(v, gc=gc), min=b[0], max=b[1]))


def _clamp_tensor(v: str, gc: bool):
    return broadcast_pair(gc).flatmap(lambda sh: sample(
        array(v, sh[0], gc=gc), min=array(v, sh[1], (-3, 0), gc, offset=1)))


op("clamp", lambda v, gc: st.one_of(_clamp(v, gc), _clamp_tensor(v, gc)),
   variants=("float32", "float64", "int32"),
   errors=(Bad("neither min nor max", lambda lib: (lib.ones(2),), RuntimeError),
           Bad("a number and a tensor bound", lambda lib: (lib.ones(2), 0.0, lib.ones(2)),
               TypeError, call=lambda lib, x, lo, hi: lib.clamp(x, lo, hi))))
via("clamp.scalar", "clamp")
via("clamp.tensor", "clamp")


def _where(v: str, gc: bool):
    shape3 = st.integers(1, 3).flatmap(lambda n: st.tuples(*[st.integers(1, 3)] * n))
    return shape3.flatmap(lambda sh: sample(array("bool", sh), array(v, sh, gc=gc),
                                            array(v, sh, gc=gc, offset=1), grad=(1, 2)))


op("where", _where, variants=FLOATS + ("int32",),
   errors=(Bad("a non-bool condition",
               lambda lib: (lib.ones(2), lib.ones(2), lib.zeros(2)), RuntimeError),))
via("where.self", "where")
op("Tensor.where", lambda v, gc: _where(v, gc).map(
    lambda s: type(s)((s.args[1], s.args[0], s.args[2]), s.kwargs, (0, 2))),
   call=lambda lib, x, c, o: x.where(c, o), variants=FLOATS)


def _lerp(v: str, gc: bool):
    return broadcast_pair(gc).flatmap(lambda sh: sample(
        array(v, sh[0], gc=gc), array(v, sh[1], gc=gc, offset=1),
        st.sampled_from([0.0, 0.3, 1.5]) | array(v, sh[1], (0, 1), gc, offset=2)))


op("lerp", _lerp)


def _addc(nonzero: bool):
    def samples(v: str, gc: bool):
        shapes3 = hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=2 if gc else 3,
                                                    max_side=3).map(lambda b: b.input_shapes)
        return shapes3.flatmap(lambda sh: sample(
            array(v, sh[0], gc=gc), array(v, sh[1], gc=gc, offset=1),
            array(v, sh[2], (0.5, 3) if nonzero else (-3, 3), gc, offset=2),
            value=st.sampled_from([1, 0.5, -2.0])))
    return samples


op("addcmul", _addc(False), variants=("float32", "float64"))
op("addcdiv", _addc(True), variants=("float32", "float64"),
   errors=(Bad("integer operands", lambda lib: (lib.ones(2), lib.ones(2, dtype=lib.int64),
                                                lib.ones(2, dtype=lib.int64)), RuntimeError),))
