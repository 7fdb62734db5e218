"""Docstrings of the elementwise rows: math, comparisons, logic, bits (ops/elementwise.py)."""

from . import add_docstr

# -- unary math ---------------------------------------------------------------------------------

add_docstr("neg", """
    Returns the negative of each element of `input`: `-input`.

    Examples:
        >>> torch.neg(torch.tensor([1., -2.]))
        tensor([-1.,  2.])
""")

add_docstr("abs", """
    Returns the absolute value of each element of `input`.

    The gradient at 0 is 0, as PyTorch's. A complex input gives its magnitude (a real tensor).

    Examples:
        >>> torch.abs(torch.tensor([-1.5, 0., 2.]))
        tensor([1.5000, 0.0000, 2.0000])
""")

add_docstr("exp", """
    Returns the exponential of each element of `input`: e^x.

    Examples:
        >>> torch.exp(torch.tensor([0., 1.]))
        tensor([1.0000, 2.7183])
""")

add_docstr("expm1", """
    Returns `exp(x) - 1` of each element, exact for small `x`.

    Examples:
        >>> torch.expm1(torch.tensor([0., 1e-10], dtype=torch.float64))
        tensor([0.0000e+00, 1.0000e-10], dtype=torch.float64)
""")

add_docstr("log", """
    Returns the natural logarithm of each element of `input`.

    Examples:
        >>> torch.log(torch.tensor([1., 2.7183]))
        tensor([0.0000, 1.0000])
""")

add_docstr("log2", """
    Returns the base-2 logarithm of each element of `input`.

    Examples:
        >>> torch.log2(torch.tensor([1., 8.]))
        tensor([0., 3.])
""")

add_docstr("log10", """
    Returns the base-10 logarithm of each element of `input`.

    Examples:
        >>> torch.log10(torch.tensor([1., 10.]))
        tensor([0., 1.])
""")

add_docstr("log1p", """
    Returns `log(1 + x)` of each element, exact for small `x`.

    Examples:
        >>> torch.log1p(torch.tensor([0., 1e-10], dtype=torch.float64))
        tensor([0.0000e+00, 1.0000e-10], dtype=torch.float64)
""")

add_docstr("sqrt", """
    Returns the square root of each element of `input`.

    Examples:
        >>> torch.sqrt(torch.tensor([4., 2.]))
        tensor([2.0000, 1.4142])
""")

add_docstr("rsqrt", """
    Returns the reciprocal of the square root of each element: `1 / sqrt(x)`.

    Examples:
        >>> torch.rsqrt(torch.tensor([4., 0.25]))
        tensor([0.5000, 2.0000])
""")

add_docstr("square", """
    Returns the square of each element of `input`.

    Examples:
        >>> torch.square(torch.tensor([-2., 3.]))
        tensor([4., 9.])
""")

add_docstr("sin", """
    Returns the sine of each element of `input` (in radians).

    Examples:
        >>> torch.sin(torch.tensor([0., 1.5708]))
        tensor([0., 1.])
""")

add_docstr("cos", """
    Returns the cosine of each element of `input` (in radians).

    Examples:
        >>> torch.cos(torch.tensor([0., 3.1416]))
        tensor([ 1., -1.])
""")

add_docstr("tan", """
    Returns the tangent of each element of `input` (in radians).

    Examples:
        >>> torch.tan(torch.tensor([0., 0.7854]))
        tensor([0.0000, 1.0000])
""")

add_docstr("asin", """
    Returns the arcsine of each element of `input`.

    Examples:
        >>> torch.asin(torch.tensor([0., 1.]))
        tensor([0.0000, 1.5708])
""")

add_docstr("acos", """
    Returns the arccosine of each element of `input`.

    Examples:
        >>> torch.acos(torch.tensor([1., 0.]))
        tensor([0.0000, 1.5708])
""")

add_docstr("atan", """
    Returns the arctangent of each element of `input`.

    Examples:
        >>> torch.atan(torch.tensor([0., 1.]))
        tensor([0.0000, 0.7854])
""")

add_docstr("sinh", """
    Returns the hyperbolic sine of each element of `input`.

    Examples:
        >>> torch.sinh(torch.tensor([0., 1.]))
        tensor([0.0000, 1.1752])
""")

add_docstr("cosh", """
    Returns the hyperbolic cosine of each element of `input`.

    Examples:
        >>> torch.cosh(torch.tensor([0., 1.]))
        tensor([1.0000, 1.5431])
""")

add_docstr("tanh", """
    Returns the hyperbolic tangent of each element of `input`.

    Examples:
        >>> torch.tanh(torch.tensor([0., 1.]))
        tensor([0.0000, 0.7616])
""")

add_docstr("asinh", """
    Returns the inverse hyperbolic sine of each element of `input`.

    Examples:
        >>> torch.asinh(torch.tensor([0., 1.]))
        tensor([0.0000, 0.8814])
""")

add_docstr("acosh", """
    Returns the inverse hyperbolic cosine of each element of `input`.

    Examples:
        >>> torch.acosh(torch.tensor([1., 2.]))
        tensor([0.0000, 1.3170])
""")

add_docstr("atanh", """
    Returns the inverse hyperbolic tangent of each element of `input`.

    Examples:
        >>> torch.atanh(torch.tensor([0., 0.5]))
        tensor([0.0000, 0.5493])
""")

add_docstr("sigmoid", """
    Returns the logistic sigmoid of each element: `1 / (1 + exp(-x))`.

    Examples:
        >>> torch.sigmoid(torch.tensor([0., 2.]))
        tensor([0.5000, 0.8808])
""")

add_docstr("relu", """
    Returns the rectified linear unit of each element: `max(x, 0)`.

    Examples:
        >>> torch.relu(torch.tensor([-1., 0., 2.]))
        tensor([0., 0., 2.])
""")

add_docstr("reciprocal", """
    Returns the reciprocal of each element: `1 / x`.

    Examples:
        >>> torch.reciprocal(torch.tensor([2., -4.]))
        tensor([ 0.5000, -0.2500])
""")

add_docstr("sign", """
    Returns the sign of each element: -1, 0 or 1.

    Examples:
        >>> torch.sign(torch.tensor([-3., 0., 2.]))
        tensor([-1.,  0.,  1.])
""")

add_docstr("sgn", """
    Returns the sign of each element, extended to complex numbers as `x / abs(x)` (0 at 0).

    Examples:
        >>> torch.sgn(torch.tensor([3+4j, 0j]))
        tensor([0.6000+0.8000j, 0.0000+0.0000j])
""")

add_docstr("floor", """
    Returns the largest integer not greater than each element.

    Examples:
        >>> torch.floor(torch.tensor([-1.5, 1.5]))
        tensor([-2.,  1.])
""")

add_docstr("ceil", """
    Returns the smallest integer not less than each element.

    Examples:
        >>> torch.ceil(torch.tensor([-1.5, 1.5]))
        tensor([-1.,  2.])
""")

add_docstr("trunc", """
    Returns each element rounded toward zero.

    Examples:
        >>> torch.trunc(torch.tensor([-1.5, 1.5]))
        tensor([-1.,  1.])
""")

add_docstr("frac", """
    Returns the fractional part of each element: `x - trunc(x)`.

    Examples:
        >>> torch.frac(torch.tensor([-1.25, 1.5]))
        tensor([-0.2500,  0.5000])
""")

add_docstr("round", """
    Rounds each element to the nearest integer (halves to even), or to `decimals` places.

    Examples:
        >>> torch.round(torch.tensor([0.5, 1.5, 2.567]))
        tensor([0., 2., 3.])
        >>> torch.round(torch.tensor([2.567]), decimals=2)
        tensor([2.5700])
""")

add_docstr("isnan", """
    Tests each element for NaN.

    Examples:
        >>> torch.isnan(torch.tensor([1., float("nan")]))
        tensor([False,  True])
""")

add_docstr("isinf", """
    Tests each element for positive or negative infinity.

    Examples:
        >>> torch.isinf(torch.tensor([1., float("inf"), -float("inf")]))
        tensor([False,  True,  True])
""")

add_docstr("isfinite", """
    Tests each element for being finite (not infinite, not NaN).

    Examples:
        >>> torch.isfinite(torch.tensor([1., float("inf"), float("nan")]))
        tensor([ True, False, False])
""")

add_docstr("signbit", """
    Tests each element for a set sign bit (negative numbers and -0.0).

    Examples:
        >>> torch.signbit(torch.tensor([-1., -0., 0., 2.]))
        tensor([ True,  True, False, False])
""")

add_docstr("logical_not", """
    Returns the logical NOT of each element (zero is False).

    Examples:
        >>> torch.logical_not(torch.tensor([0, 1, 2]))
        tensor([ True, False, False])
""")

add_docstr("bitwise_not", """
    Returns the bitwise NOT of each element of an integer or bool tensor (`~x`).

    Examples:
        >>> torch.bitwise_not(torch.tensor([0, 5]))
        tensor([-1, -6])
""")

add_docstr("invert", """
    `~x`: the bitwise NOT of an integer or bool tensor (`torch.bitwise_not`).

    Examples:
        >>> ~torch.tensor([True, False])
        tensor([False,  True])
""")

add_docstr("angle", """
    Returns the angle (argument) of each element, in radians; 0 or pi for real numbers.

    Examples:
        >>> torch.angle(torch.tensor([1j, -1 + 0j]))
        tensor([1.5708, 3.1416])
""")

add_docstr("erf", """
    Returns the error function of each element.

    Examples:
        >>> torch.erf(torch.tensor([0., 1.]))
        tensor([0.0000, 0.8427])
""")

add_docstr("conj", """
    Returns the complex conjugate of `input` (a real tensor is returned as it is).

    agrad returns a new tensor rather than PyTorch's lazily conjugated view: agrad has no
    conjugate bit.

    Examples:
        >>> torch.conj(torch.tensor([1 + 2j]))
        tensor([1.-2.j])
""")

add_docstr("real", """
    The real part of `input`: for a real tensor, the tensor itself.

    Examples:
        >>> torch.tensor([1 + 2j]).real
        tensor([1.])
""")

add_docstr("imag", """
    The imaginary part of a complex tensor (PyTorch's error for a real one).

    Examples:
        >>> torch.tensor([1 + 2j]).imag
        tensor([2.])
""")

add_docstr("positive", """
    Returns `input` itself (`+x`); PyTorch's error for bool tensors.

    Examples:
        >>> torch.positive(torch.tensor([-1., 2.]))
        tensor([-1.,  2.])
""")

# -- binary arithmetic --------------------------------------------------------------------------

add_docstr("add", """
    Adds `other`, scaled by `alpha`, to `input`: `input + alpha * other`.

    Broadcasts and promotes dtypes as PyTorch (a Python number or 0-d tensor does not widen a
    tensor of its kind).

    Examples:
        >>> torch.add(torch.tensor([1., 2.]), torch.tensor([10., 20.]), alpha=2)
        tensor([21., 42.])
        >>> torch.tensor([1, 2], dtype=torch.int8) + 1000
        tensor([-23, -22], dtype=torch.int8)
""")

add_docstr("sub", """
    Subtracts `other`, scaled by `alpha`, from `input`: `input - alpha * other`.

    Examples:
        >>> torch.sub(torch.tensor([5., 5.]), torch.tensor([1., 2.]), alpha=2)
        tensor([3., 1.])
""")

add_docstr("rsub", """
    Subtracts `input`, scaled by `alpha`, from `other`: `other - alpha * input` (`number - x`).

    Examples:
        >>> torch.rsub(torch.tensor([1., 2.]), 10)
        tensor([9., 8.])
        >>> 10 - torch.tensor([1., 2.])
        tensor([9., 8.])
""")

add_docstr("mul", """
    Multiplies `input` by `other`, elementwise with broadcasting.

    Examples:
        >>> torch.mul(torch.tensor([1., 2.]), torch.tensor([[3.], [4.]]))
        tensor([[3., 6.],
                [4., 8.]])
""")

add_docstr("true_divide", """
    Divides `input` by `other` with true division (integers give the default float dtype).

    Examples:
        >>> torch.true_divide(torch.tensor([1, 2]), 4)
        tensor([0.2500, 0.5000])
""")

add_docstr("Tensor.__rtruediv__", """
    `number / x`: divides a Python number by each element.

    Examples:
        >>> 1 / torch.tensor([2., 4.])
        tensor([0.5000, 0.2500])
""")

add_docstr("div", """
    Divides `input` by `other`; `rounding_mode` is None (true division), "trunc" or "floor".

    Examples:
        >>> torch.div(torch.tensor([7., -7.]), 2)
        tensor([ 3.5000, -3.5000])
        >>> torch.div(torch.tensor([7, -7]), 2, rounding_mode="floor")
        tensor([ 3, -4])
""")

add_docstr("floor_divide", """
    Divides and rounds toward negative infinity: `input // other`.

    Examples:
        >>> torch.floor_divide(torch.tensor([7, -7]), 2)
        tensor([ 3, -4])
""")

add_docstr("remainder", """
    The remainder of `input / other` with the sign of the divisor, as Python's `%`.

    Examples:
        >>> torch.remainder(torch.tensor([-3., 3.]), 2)
        tensor([1., 1.])
""")

add_docstr("fmod", """
    The remainder of `input / other` with the sign of the dividend, as C's `fmod`.

    Examples:
        >>> torch.fmod(torch.tensor([-3., 3.]), 2)
        tensor([-1.,  1.])
""")

add_docstr("pow", """
    Raises `input` to the power `exponent`, elementwise (either may be a Python number).

    Examples:
        >>> torch.pow(torch.tensor([1., 2., 3.]), 2)
        tensor([1., 4., 9.])
        >>> 2 ** torch.tensor([1, 2, 3])
        tensor([2, 4, 8])
""")

add_docstr("float_power", """
    Raises `input` to `exponent` computing in double precision (float64, or complex128).

    Examples:
        >>> torch.float_power(torch.tensor([2, 3]), 2)
        tensor([4., 9.], dtype=torch.float64)
""")

add_docstr("Tensor.float_power_", """
    `x.float_power_(exponent)`: `float_power` written into `x`, which must be float64
    (or complex128), as in PyTorch.

    Examples:
        >>> x = torch.tensor([2., 3.], dtype=torch.float64)
        >>> x.float_power_(2)
        tensor([4., 9.], dtype=torch.float64)
""")

add_docstr("maximum", """
    The elementwise maximum of `input` and `other` (NaN wins, as in PyTorch).

    Examples:
        >>> torch.maximum(torch.tensor([1., 5.]), torch.tensor([3., 2.]))
        tensor([3., 5.])
""")

add_docstr("minimum", """
    The elementwise minimum of `input` and `other` (NaN wins, as in PyTorch).

    Examples:
        >>> torch.minimum(torch.tensor([1., 5.]), torch.tensor([3., 2.]))
        tensor([1., 2.])
""")

add_docstr("atan2", """
    The arctangent of `input / other`, elementwise, in the right quadrant.

    Examples:
        >>> torch.atan2(torch.tensor([1., -1.]), torch.tensor([-1., -1.]))
        tensor([ 2.3562, -2.3562])
""")

add_docstr("hypot", """
    The hypotenuse `sqrt(input**2 + other**2)`, elementwise.

    Examples:
        >>> torch.hypot(torch.tensor([3.]), torch.tensor([4.]))
        tensor([5.])
""")

add_docstr("logaddexp", """
    `log(exp(input) + exp(other))`, elementwise, without overflow.

    Examples:
        >>> torch.logaddexp(torch.tensor([1000.]), torch.tensor([1000.]))
        tensor([1000.6932])
""")

add_docstr("xlogy", """
    `input * log(other)`, elementwise, with 0 where `input` is 0 (even if `other` is 0).

    Examples:
        >>> torch.xlogy(torch.tensor([0., 2.]), torch.tensor([0., 3.]))
        tensor([0.0000, 2.1972])
""")

add_docstr("copysign", """
    The magnitude of `input` with the sign of `other`, elementwise.

    Examples:
        >>> torch.copysign(torch.tensor([1., 2.]), torch.tensor([-1., 0.]))
        tensor([-1.,  2.])
""")

add_docstr("nextafter", """
    The next floating-point value after `input` toward `other`, elementwise.

    Examples:
        >>> torch.nextafter(torch.tensor([1.], dtype=torch.float64), torch.tensor([2.],
        ...     dtype=torch.float64)) - 1
        tensor([2.2204e-16], dtype=torch.float64)
""")

add_docstr("lerp", """
    Linear interpolation: `input + weight * (end - input)`.

    Examples:
        >>> torch.lerp(torch.tensor([0., 10.]), torch.tensor([10., 20.]), 0.25)
        tensor([ 2.5000, 12.5000])
""")

add_docstr("addcmul", """
    `input + value * tensor1 * tensor2`, in one op (the optimizers' second-moment update
    `v.addcmul_(g, g, value=1 - beta2)`). For integer tensors `value` is read as an integer.

    Examples:
        >>> torch.addcmul(torch.ones(2), torch.tensor([2., 3.]), torch.tensor([4., 5.]),
        ...               value=0.5)
        tensor([5.0000, 8.5000])
""")

add_docstr("addcdiv", """
    `input + value * tensor1 / tensor2`, in one op (Adam's step `p.addcdiv_(m, v.sqrt() + eps,
    value=-lr)`). Refuses two integer divisors' operands, as PyTorch does.

    Examples:
        >>> torch.addcdiv(torch.ones(2), torch.tensor([2., 3.]), torch.tensor([4., 5.]),
        ...               value=2)
        tensor([2.0000, 2.2000])
""")

add_docstr("clamp", """
    Clamps each element into `[min, max]` (either bound may be None, a number or a tensor).

    Examples:
        >>> torch.clamp(torch.tensor([-2., 0.5, 3.]), min=0, max=1)
        tensor([0.0000, 0.5000, 1.0000])
        >>> torch.tensor([-2., 3.]).clamp(min=0)
        tensor([0., 3.])
""")

add_docstr("where", """
    Chooses from `input` where `condition` is True and from `other` elsewhere;
    `torch.where(condition)` alone is `torch.nonzero(condition, as_tuple=True)`.

    Examples:
        >>> x = torch.tensor([-1., 2., -3.])
        >>> torch.where(x > 0, x, 0.)
        tensor([0., 2., 0.])
""")

add_docstr("Tensor.where", """
    `x.where(condition, y)`: `torch.where(condition, x, y)`.

    Examples:
        >>> x = torch.tensor([-1., 2.])
        >>> x.where(x > 0, torch.tensor(0.))
        tensor([0., 2.])
""")

# -- comparison and logic -----------------------------------------------------------------------

add_docstr("eq", """
    Elementwise `input == other`.

    Examples:
        >>> torch.eq(torch.tensor([1, 2, 3]), 2)
        tensor([False,  True, False])
""")

add_docstr("ne", """
    Elementwise `input != other`.

    Examples:
        >>> torch.ne(torch.tensor([1, 2, 3]), 2)
        tensor([ True, False,  True])
""")

add_docstr("lt", """
    Elementwise `input < other`.

    Examples:
        >>> torch.lt(torch.tensor([1, 2, 3]), 2)
        tensor([ True, False, False])
""")

add_docstr("le", """
    Elementwise `input <= other`.

    Examples:
        >>> torch.le(torch.tensor([1, 2, 3]), 2)
        tensor([ True,  True, False])
""")

add_docstr("gt", """
    Elementwise `input > other`.

    Examples:
        >>> torch.gt(torch.tensor([1, 2, 3]), 2)
        tensor([False, False,  True])
""")

add_docstr("ge", """
    Elementwise `input >= other`.

    Examples:
        >>> torch.ge(torch.tensor([1, 2, 3]), 2)
        tensor([False,  True,  True])
""")

add_docstr("equal", """
    True if `input` and `other` have the same shape and elements (a Python bool).

    Examples:
        >>> torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2]))
        True
""")

add_docstr("isclose", """
    Elementwise `|input - other| <= atol + rtol * |other|` (NaNs equal only with
    `equal_nan=True`).

    Examples:
        >>> torch.isclose(torch.tensor([1., 2.]), torch.tensor([1. + 1e-9, 2.1]))
        tensor([ True, False])
""")

add_docstr("allclose", """
    True if every element of `input` is close to `other`'s (`isclose(...).all()`, a Python
    bool).

    Examples:
        >>> torch.allclose(torch.tensor([1., 2.]), torch.tensor([1. + 1e-9, 2.]))
        True
""")

add_docstr("logical_and", """
    Elementwise logical AND (nonzero is True).

    Examples:
        >>> torch.logical_and(torch.tensor([True, True]), torch.tensor([True, False]))
        tensor([ True, False])
""")

add_docstr("logical_or", """
    Elementwise logical OR (nonzero is True).

    Examples:
        >>> torch.logical_or(torch.tensor([True, False]), torch.tensor([False, False]))
        tensor([ True, False])
""")

add_docstr("logical_xor", """
    Elementwise logical XOR (nonzero is True).

    Examples:
        >>> torch.logical_xor(torch.tensor([True, True]), torch.tensor([True, False]))
        tensor([False,  True])
""")

add_docstr("bitwise_and", """
    Elementwise bitwise AND of integer or bool tensors (`&`).

    Examples:
        >>> torch.bitwise_and(torch.tensor([12]), torch.tensor([10]))
        tensor([8])
""")

add_docstr("bitwise_or", """
    Elementwise bitwise OR of integer or bool tensors (`|`).

    Examples:
        >>> torch.bitwise_or(torch.tensor([12]), torch.tensor([10]))
        tensor([14])
""")

add_docstr("bitwise_xor", """
    Elementwise bitwise XOR of integer or bool tensors (`^`).

    Examples:
        >>> torch.bitwise_xor(torch.tensor([12]), torch.tensor([10]))
        tensor([6])
""")

add_docstr("bitwise_left_shift", """
    Shifts each integer element left by `other` bits (`<<`).

    Examples:
        >>> torch.bitwise_left_shift(torch.tensor([1, 3]), 2)
        tensor([ 4, 12])
""")

add_docstr("bitwise_right_shift", """
    Shifts each integer element right by `other` bits (`>>`, arithmetic for signed types).

    Examples:
        >>> torch.bitwise_right_shift(torch.tensor([16, -16]), 2)
        tensor([ 4, -4])
""")
