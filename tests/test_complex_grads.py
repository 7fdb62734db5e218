"""Gradients through complex numbers are PyTorch's (conjugate Wirtinger): each derivative
factor conjugated, including a Python number operand (`x * 2j`) and `alpha=`. Compared with the
installed PyTorch on L = sum |f(x)| + sum Re(w f(x)) (a real loss of a complex result)."""

from __future__ import annotations

import numpy as np
import pytest
from _oracle import torch, vals

import agrad

X = np.array([1 + 2j, -0.5 + 1j, 0.3 - 0.2j])
E = np.array([0.3 - 1j, 2 + 0.5j, -1 + 0.1j])

UNARY = ["exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "square", "sin", "cos",
         "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
         "sigmoid", "reciprocal", "abs", "neg", "sgn", "conj", "angle"]

BINARY = {
    "mul_number": lambda lib, x: x * (0.5 - 2j),
    "rmul_number": lambda lib, x: (0.5 - 2j) * x,
    "div_number": lambda lib, x: x / (0.5 - 2j),
    "rdiv_number": lambda lib, x: (0.5 - 2j) / x,
    "pow_number": lambda lib, x: x ** (1 + 1j),
    "rpow_number": lambda lib, x: (1 + 1j) ** x,
    "pow_tensor": lambda lib, x: x ** lib.tensor(E),
    "rpow_tensor": lambda lib, x: lib.tensor(E) ** x,
    "pow_2": lambda lib, x: x ** 2,
    "rsub_number": lambda lib, x: 1j - x,
    "add_alpha": lambda lib, x: lib.add(x, x * 1, alpha=2j),
    "sub_alpha": lambda lib, x: lib.sub(x * 1, x, alpha=0.5 + 1j),
    "prod": lambda lib, x: x.prod(),
    "prod_dim": lambda lib, x: x.reshape(3, 1).prod(1),
    "matmul": lambda lib, x: x @ lib.tensor(E),
    "where": lambda lib, x: lib.where(x.real > 0, x * 1j, x),
}


def _grad(lib, f):
    x = lib.tensor(X, requires_grad=True)
    y = f(lib, x)
    w = lib.tensor(np.resize(E[::-1], tuple(y.shape)))
    (y.abs().sum() + (y * w).real.sum() if y.is_complex() else y.sum()).backward()
    return vals(x.grad)


@pytest.mark.parametrize("name", UNARY)
def test_unary(name):
    np.testing.assert_allclose(_grad(agrad, lambda lib, x: getattr(x * 1, name)()),
                               _grad(torch, lambda lib, x: getattr(x * 1, name)()), rtol=1e-10,
                               atol=1e-14)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_and_reductions(name):
    np.testing.assert_allclose(_grad(agrad, BINARY[name]), _grad(torch, BINARY[name]),
                               rtol=1e-10, atol=1e-14)
