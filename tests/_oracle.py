"""What the differential test modules share: building the same data in agrad and torch,
comparing values, dtypes, grad_fn names and gradients, exact-error checks that also prove the
inputs unchanged, and gradcheck restricted to the backends where it is affordable."""

from __future__ import annotations

import re

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for differential tests; "
                                            "install torch==2.13.0")

import agrad  # noqa: E402
from agrad.autograd import gradcheck, gradgradcheck  # noqa: E402

EAGER = pytest.mark.backends("numpy", "numpy_writeback", "array_api_strict")
_rng = np.random.default_rng(1234)


# -- helpers: the same data in agrad and torch, and a full forward+backward comparison ------------

def data(*shape, dtype="float64", low=-2.0, high=2.0):
    if dtype.startswith("int"):
        return _rng.integers(-5, 6, size=shape).astype(dtype)
    if dtype == "bool":
        return _rng.random(shape) < 0.5
    return _rng.uniform(low, high, size=shape).astype(dtype)


def both(arr, requires_grad=False):
    arr = np.asarray(arr)
    a = agrad.tensor(arr.copy())
    t = torch.tensor(arr.copy())
    if requires_grad:
        a.requires_grad_(True)
        t.requires_grad_(True)
    return a, t


def vals(x):
    return np.asarray(x.detach().tolist(), dtype=complex if x.is_complex() else float)


def gname(x):
    return type(x.grad_fn).__name__


def assert_same(a, t, atol=1e-6, rtol=1e-6, grad_fn=True):
    assert tuple(a.shape) == tuple(t.shape)
    assert str(a.dtype) == str(t.dtype)
    np.testing.assert_allclose(vals(a), vals(t), atol=atol, rtol=rtol)
    if grad_fn:
        assert gname(a) == gname(t)


def differential(fa, ft, *arrays, grad=None, atol=1e-6, rtol=1e-6, grad_fn=True):
    """Run fa on agrad copies and ft on torch copies of `arrays`; compare the outputs and the
    gradients of sum(out * w) for a random w w.r.t. every floating input (or those in `grad`)."""
    pairs = []
    for i, arr in enumerate(arrays):
        want = (grad is None and np.asarray(arr).dtype.kind == "f") or (grad is not None
                                                                         and i in grad)
        pairs.append(both(arr, requires_grad=want))
    oa = fa(*[p[0] for p in pairs])
    ot = ft(*[p[1] for p in pairs])
    assert_same(oa, ot, atol, rtol, grad_fn)
    if ot.requires_grad:
        w = data(*ot.shape, dtype="float64").astype(np.asarray(vals(ot)).dtype)
        wa, wt = both(np.asarray(w, dtype=str(ot.dtype).split(".")[1]))
        (oa * wa).sum().backward()
        (ot * wt).sum().backward()
        for (a, t) in pairs:
            if t.requires_grad:
                assert a.grad is not None, "no gradient reached an input"
                np.testing.assert_allclose(vals(a.grad), vals(t.grad), atol=atol * 10,
                                           rtol=rtol * 10)
    return oa, ot


def raises_exact(exc, message):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


def unchanged_after_error(exc, message, fn, *tensors):
    before = [vals(t).copy() for t in tensors]
    with raises_exact(exc, message):
        fn(*tensors)
    for t, b in zip(tensors, before):
        np.testing.assert_array_equal(vals(t), b)
        assert t.grad is None


def torch_error(fn, *tensors):
    with pytest.raises(Exception) as info:
        fn(*tensors)
    return type(info.value), str(info.value)


def same_error(fa, ft, *arrays):
    """agrad raises PyTorch's exception type and message, and leaves the inputs as they were."""
    pa = [both(a) for a in arrays]
    exc, msg = torch_error(ft, *[p[1] for p in pa])
    unchanged_after_error(exc, msg, fa, *[p[0] for p in pa])


# Finite differences run where they are cheap and say something new: NumPy, and
# array_api_strict (which catches non-standard array calls). On numpy_writeback and Dask the
# forward is the same code, and each op's gradient is still compared with PyTorch's there by
# the differential tests; gradcheck on Dask would compute a task graph per perturbed element.
GRADCHECK_BACKENDS = ("numpy", "array_api_strict")


def _gradcheck_here():
    return agrad.current_backend().name in GRADCHECK_BACKENDS


def gc(fn, inputs):
    """Finite-difference gradcheck (float64) on the backends above."""
    return gradcheck(fn, inputs) if _gradcheck_here() else True


def ggc(fn, inputs):
    """gradgradcheck: the backward itself differentiated (double backward)."""
    return gradgradcheck(fn, inputs) if _gradcheck_here() else True


def f64(*shape):
    return agrad.tensor(data(*shape), requires_grad=True)


def outcome(fn):
    """What fn() does: (exception type, message) if it raises, else what it returns."""
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - what is raised is what is compared
        return type(e), str(e)
    return r


def same_outcome(fa, ft) -> None:
    """fa() raises exactly what ft() raises (type and message), or both return the same."""
    want = outcome(ft)
    got = outcome(fa)
    assert got == want, f"agrad: {got}\ntorch: {want}"
