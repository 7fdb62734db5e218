"""PyTorch's type promotion, against torch itself: `result_type`, `promote_types`, `can_cast`
over every dtype pair and every operand category (dimensioned tensor, 0-d tensor, Python
number), the result dtype (and values) of real ops, and the default-dtype rules."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the differential oracle; "
                                            "pip install torch==2.13.0")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import agrad  # noqa: E402

pytestmark = pytest.mark.torch

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
          "complex64", "complex128"]
SCALARS = [True, 2, 2.5, 1 + 2j]


@pytest.fixture(autouse=True)
def _restore_default_dtype():
    yield
    agrad.set_default_dtype(agrad.float32)
    torch.set_default_dtype(torch.float32)


def _has(backend, name):
    return getattr(agrad, name) in backend.dtypes


def operand(kind, dtype, lib, values=(1, 2, 3)):
    """A tensor of `dtype` ("tensor": 1-D, "0d": 0-d) or a Python scalar (`dtype` is the value)."""
    if kind == "scalar":
        return dtype
    vals = [v % 2 == 1 for v in values] if dtype == "bool" else list(values)
    if kind == "0d":
        vals = vals[0]
    return lib.tensor(vals, dtype=getattr(lib, dtype))


def categories():
    for kind in ("tensor", "0d"):
        for d in DTYPES:
            yield kind, d
    for s in SCALARS:
        yield "scalar", s


PAIRS = [(a, b) for a, b in itertools.product(categories(), repeat=2)
         if not (a[0] == "scalar" and b[0] == "scalar")]


def test_dtype_objects_print_as_torch():
    for d in DTYPES:
        assert repr(getattr(agrad, d)) == repr(getattr(torch, d))
        assert str(getattr(agrad, d)) == str(getattr(torch, d))
        assert getattr(agrad, d).is_floating_point == getattr(torch, d).is_floating_point
        assert getattr(agrad, d).is_complex == getattr(torch, d).is_complex
        assert getattr(agrad, d).itemsize == getattr(torch, d).itemsize
    for alias in ["half", "float", "double", "short", "int", "long", "cfloat", "cdouble"]:
        assert repr(getattr(agrad, alias)) == repr(getattr(torch, alias))


@pytest.mark.backends("numpy")
def test_promote_types_and_can_cast_all_pairs():
    for a, b in itertools.product(DTYPES, repeat=2):
        ra = agrad.promote_types(getattr(agrad, a), getattr(agrad, b))
        rt = torch.promote_types(getattr(torch, a), getattr(torch, b))
        assert repr(ra) == repr(rt), (a, b)
        assert agrad.can_cast(getattr(agrad, a), getattr(agrad, b)) == \
            torch.can_cast(getattr(torch, a), getattr(torch, b)), (a, b)


def test_result_type_all_categories(backend):
    """Every (operand, operand) pair: 1-D tensor, 0-d tensor or Python number, every dtype."""
    bad = []
    for (ka, da), (kb, db) in PAIRS:
        if any(k != "scalar" and not _has(backend, d) for k, d in ((ka, da), (kb, db))):
            continue
        ra = agrad.result_type(operand(ka, da, agrad), operand(kb, db, agrad))
        rt = torch.result_type(operand(ka, da, torch), operand(kb, db, torch))
        if rt == torch.complex32:
            continue  # float16 with a complex 0-d/scalar: agrad has no complex32 (ComplexHalf)
        if repr(ra) != repr(rt):
            bad.append(((ka, da), (kb, db), ra, rt))
    assert not bad, bad[:10]


OPS = {
    "add": lambda x, y: x + y,
    "radd": lambda x, y: y + x,
    "mul": lambda x, y: x * y,
    "sub": lambda x, y: x - y,
    "div": lambda x, y: x / y,
    "eq": lambda x, y: x == y,
    "lt": lambda x, y: x < y,
    "maximum": lambda x, y: x.maximum(y) if hasattr(x, "maximum") and hasattr(y, "shape")
    else None,
    "where": None,
}


def _apply(name, x, y, lib):
    if name == "where":
        if not hasattr(x, "shape"):
            return None
        cond = lib.tensor([True, False, True]) if x.ndim else lib.tensor(True)
        return lib.where(cond, x, y)
    return OPS[name](x, y)


def _values_close(ra, rt):
    va, vt = np.asarray(ra.tolist()), np.asarray(rt.tolist())
    assert va.shape == vt.shape
    if vt.dtype.kind in "fc" or va.dtype.kind in "fc":
        np.testing.assert_allclose(va.astype(complex), vt.astype(complex), rtol=1e-3, atol=1e-3,
                                   equal_nan=True)
    else:
        assert va.tolist() == vt.tolist()


@settings(SETTINGS, max_examples=80)  # cheap examples over a large discrete space
@given(pair=st.sampled_from(PAIRS), op=st.sampled_from(sorted(OPS)),
       values=st.lists(st.integers(1, 5), min_size=3, max_size=3))
def test_op_result_dtype_and_values(backend, pair, op, values):
    (ka, da), (kb, db) = pair
    if any(k != "scalar" and not _has(backend, d) for k, d in ((ka, da), (kb, db))):
        return
    xa, ya = operand(ka, da, agrad, values), operand(kb, db, agrad, values[::-1])
    xt, yt = operand(ka, da, torch, values), operand(kb, db, torch, values[::-1])
    if torch.result_type(xt, yt) == torch.complex32:
        return  # float16 with a complex 0-d/scalar: agrad has no complex32 (ComplexHalf)
    try:
        rt = _apply(op, xt, yt, torch)
    except (RuntimeError, TypeError) as e:
        with pytest.raises(type(e)):
            _apply(op, xa, ya, agrad)
        return
    if rt is None or rt.dtype == torch.complex32:
        return
    if op in ("lt",) and (getattr(xt, "is_complex", lambda: False)() or isinstance(xt, complex)):
        return
    ra = _apply(op, xa, ya, agrad)
    assert repr(ra.dtype) == repr(rt.dtype), (pair, op)
    assert tuple(ra.shape) == tuple(rt.shape)
    _values_close(ra, rt)


def test_int_true_division_gives_default_float():
    for d in ["bool", "uint8", "int8", "int16", "int32", "int64"]:
        a = agrad.tensor([1, 2, 3], dtype=getattr(agrad, d))
        t = torch.tensor([1, 2, 3], dtype=getattr(torch, d))
        for fa, ft in [(a / a, t / t), (a / 2, t / 2), (7 / a, 7 / t),
                       (agrad.div(a, 2), torch.div(t, 2)), (a.true_divide(a), t.true_divide(t))]:
            assert repr(fa.dtype) == repr(ft.dtype) == "torch.float32"
            _values_close(fa, ft)
    agrad.set_default_dtype(agrad.float64)
    torch.set_default_dtype(torch.float64)
    a = agrad.tensor([1, 2, 3])
    assert repr((a / 2).dtype) == repr((torch.tensor([1, 2, 3]) / 2).dtype) == "torch.float64"


def test_int_sums_are_int64():
    for d in ["bool", "uint8", "int8", "int16", "int32", "int64"]:
        a = agrad.tensor([[1, 0, 1], [1, 1, 1]], dtype=getattr(agrad, d))
        t = torch.tensor([[1, 0, 1], [1, 1, 1]], dtype=getattr(torch, d))
        for fa, ft in [(a.sum(), t.sum()), (a.sum(0), t.sum(0)), (a.sum(1, keepdim=True),
                                                                    t.sum(1, keepdim=True)),
                       (agrad.sum(a), torch.sum(t)), (a.prod(), t.prod()),
                       (a.cumsum(1), t.cumsum(1))]:
            assert repr(fa.dtype) == repr(ft.dtype) == "torch.int64"
            assert fa.tolist() == ft.tolist()
    a = agrad.tensor([1, 2], dtype=agrad.int32)
    assert repr(a.sum(dtype=agrad.int32).dtype) == "torch.int32"
    assert repr(a.sum(dtype=agrad.float64).dtype) == "torch.float64"


def test_default_dtype_inference():
    cases = [[1, 2], [1.0, 2], [True, False], [1, 2.5], [[1], [2]], 3, 3.0, True, 1j,
             [1, 1j], [], [[]]]
    for data in cases:
        assert repr(agrad.tensor(data).dtype) == repr(torch.tensor(data).dtype), data
    assert agrad.get_default_dtype() is agrad.float32
    for fa, ft in [(agrad.zeros(2), torch.zeros(2)), (agrad.ones(2), torch.ones(2)),
                   (agrad.rand(2), torch.rand(2)), (agrad.randn(2), torch.randn(2)),
                   (agrad.empty(2), torch.empty(2)), (agrad.arange(3), torch.arange(3)),
                   (agrad.arange(3.0), torch.arange(3.0)), (agrad.full((2,), 1),
                                                             torch.full((2,), 1)),
                   (agrad.full((2,), 1.5), torch.full((2,), 1.5)),
                   (agrad.full((2,), True), torch.full((2,), True)),
                   (agrad.linspace(0, 1, 3), torch.linspace(0, 1, 3)),
                   (agrad.eye(2), torch.eye(2)), (agrad.Tensor([1, 2]), torch.Tensor([1, 2])),
                   (agrad.tensor([1, 2]).float(), torch.tensor([1, 2]).float())]:
        assert repr(fa.dtype) == repr(ft.dtype)


@pytest.mark.parametrize("default", ["float64", "float32"])
def test_set_default_dtype(default):
    agrad.set_default_dtype(getattr(agrad, default))
    torch.set_default_dtype(getattr(torch, default))
    assert repr(agrad.get_default_dtype()) == repr(torch.get_default_dtype())
    for fa, ft in [(agrad.tensor([1.5]), torch.tensor([1.5])), (agrad.zeros(2), torch.zeros(2)),
                   (agrad.rand(2), torch.rand(2)), (agrad.arange(0.5, 2), torch.arange(0.5, 2)),
                   (agrad.tensor([1, 2]) / 2, torch.tensor([1, 2]) / 2),
                   (agrad.tensor([1, 2]) * 1.5, torch.tensor([1, 2]) * 1.5),
                   (agrad.tensor([1j]), torch.tensor([1j])),
                   (agrad.Tensor(2), torch.Tensor(2)),
                   (agrad.tensor([1, 2]).mean(dtype=getattr(agrad, default)),
                    torch.tensor([1, 2]).mean(dtype=getattr(torch, default)))]:
        assert repr(fa.dtype) == repr(ft.dtype)
    # a float32 tensor stays float32 with a Python float
    assert repr((agrad.ones(2, dtype=agrad.float32) * 2.5).dtype) == "torch.float32"


def test_set_default_dtype_refuses_non_float():
    for bad in [agrad.int64, agrad.bool]:
        with pytest.raises(TypeError):
            agrad.set_default_dtype(bad)
    assert agrad.get_default_dtype() is agrad.float32


UPCAST_CASES = {
    "f16+0d_f64": (lambda l: l.ones(3, dtype=l.float16) + l.tensor(1.0, dtype=l.float64),
                   "float16"),
    "i8+0d_i64": (lambda l: l.ones(3, dtype=l.int8) + l.tensor(100), "int8"),
    "i8+0d_f32": (lambda l: l.ones(3, dtype=l.int8) + l.tensor(1.5), "float32"),
    "i32*float": (lambda l: l.ones(3, dtype=l.int32) * 2.5, "float32"),
    "u8+int": (lambda l: l.ones(3, dtype=l.uint8) + 100, "uint8"),
    "bool+int": (lambda l: l.ones(3, dtype=l.bool) + 1, "int64"),
    "f32+complex": (lambda l: l.ones(3, dtype=l.float32) + 1j, "complex64"),
    "f64+0d_c64": (lambda l: l.ones(3, dtype=l.float64) + l.tensor(1j), "complex128"),
    "0d_i8+0d_i16": (lambda l: l.tensor(1, dtype=l.int8) + l.tensor(1, dtype=l.int16), "int16"),
    "0d_i8+float": (lambda l: l.tensor(1, dtype=l.int8) + 2.5, "float32"),
}


@pytest.mark.parametrize("case", sorted(UPCAST_CASES))
def test_zero_dim_and_scalar_do_not_upcast(backend, case):
    make, expect = UPCAST_CASES[case]
    if "f16" in case and agrad.float16 not in backend.dtypes:
        pytest.skip("no float16 on this backend")
    ra, rt = make(agrad), make(torch)
    assert repr(ra.dtype) == repr(rt.dtype) == f"torch.{expect}"
    _values_close(ra, rt)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32"])
@pytest.mark.parametrize("expr", ["x + s", "x * s", "s - x", "x.clone().add_(s)",
                                  "x.clone().mul_(s)", "lib.full_like(x, 3).sub_(s)"])
def test_out_of_range_int_scalar_wraps(dtype, expr):
    # NumPy 2 raises OverflowError for an out-of-range Python int; PyTorch wraps the scalar
    for s in (1000, 300, -129, 2**31 + 5, -(2**40)):
        out = []
        for lib in (agrad, torch):
            x = lib.tensor([1, 2, 100], dtype=getattr(lib, dtype))
            out.append(eval(expr, {"lib": lib, "x": x, "s": s}).tolist())
        assert out[0] == out[1], (s, out)


def test_dtype_conversions_match():
    a = agrad.tensor([1.7, -2.2, 0.0])
    t = torch.tensor([1.7, -2.2, 0.0])
    for m in ["float", "double", "long", "int", "bool", "short", "char", "byte", "cfloat",
              "cdouble"]:
        if m == "byte":
            continue  # negative values to uint8 wrap differently per platform
        ca, ct = getattr(a, m)(), getattr(t, m)()
        assert repr(ca.dtype) == repr(ct.dtype)
        _values_close(ca, ct)
    assert repr(a.to(agrad.int64).dtype) == "torch.int64"
    assert a.to(agrad.float32) is a
    assert a.to(agrad.float32, copy=True) is not a


def test_unknown_dtype_raises():
    with pytest.raises(TypeError):
        agrad.zeros(2, dtype="not_a_dtype")
    with pytest.raises(TypeError):
        agrad.tensor([1], dtype=object())
