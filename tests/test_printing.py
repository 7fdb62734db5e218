"""repr(tensor) must be PyTorch's, character for character: each test builds the same tensor in
agrad and in torch and compares the two reprs (and print options set on both sides)."""

from __future__ import annotations

import math
import random

import pytest

torch = pytest.importorskip(
    "torch", reason="printing is tested differentially: it must match PyTorch's repr exactly")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import agrad  # noqa: E402

pytestmark = pytest.mark.torch

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

INT_RANGES = {"uint8": (0, 255), "int8": (-128, 127), "int16": (-2**15, 2**15 - 1),
              "int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1)}
FLOAT_WIDTH = {"float16": 16, "float32": 32, "float64": 64}
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-5, 1e-4, 1e8, 1e9, 123456789.0, 2.5e-7, 1000.0,
           math.nan, math.inf, -math.inf]


@pytest.fixture(autouse=True)
def _default_printoptions():
    """Every test starts and ends with PyTorch's defaults on both sides."""
    agrad.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    yield
    agrad.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


def set_both(**options):
    agrad.set_printoptions(**options)
    torch.set_printoptions(**options)


def nest(flat, shape):
    """A flat list as nested lists of `shape` (non-empty shapes only)."""
    if not shape:
        return flat[0]
    step = len(flat) // shape[0]
    return [nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def supported(dtype):
    """Whether the current backend has `dtype` (the Array API has no float16, so
    array_api_strict lacks it)."""
    return getattr(agrad, dtype) in agrad.current_backend().dtypes


def pair(flat, shape, dtype, requires_grad=False):
    """The same tensor in agrad and in torch."""
    if not supported(dtype):
        pytest.skip(f"the {agrad.current_backend().name} backend has no {dtype}")
    if math.prod(shape) == 0:
        return (agrad.zeros(shape, dtype=getattr(agrad, dtype), requires_grad=requires_grad),
                torch.zeros(shape, dtype=getattr(torch, dtype), requires_grad=requires_grad))
    data = nest(flat, tuple(shape))
    return (agrad.tensor(data, dtype=getattr(agrad, dtype), requires_grad=requires_grad),
            torch.tensor(data, dtype=getattr(torch, dtype), requires_grad=requires_grad))


def assert_same(flat, shape, dtype, requires_grad=False):
    a, t = pair(flat, shape, dtype, requires_grad)
    assert repr(a) == repr(t)
    assert str(a) == str(t)


def values(dtype):
    """Values exactly representable in `dtype`, rich in what decides the format: nan/inf,
    zeros, integral floats, and magnitudes on both sides of the scientific-notation cutoffs."""
    if dtype == "bool":
        return st.booleans()
    if dtype in INT_RANGES:
        lo, hi = INT_RANGES[dtype]
        return st.one_of(st.integers(-9, 9).filter(lambda v: lo <= v <= hi),
                         st.integers(lo, hi))
    width = FLOAT_WIDTH.get(dtype, 32)
    real = st.one_of(st.sampled_from(SPECIAL).filter(lambda v: width > 16 or abs(v) < 6e4),
                     st.integers(-300, 300).map(float),
                     st.floats(-10, 10, width=width),
                     st.floats(width=width))
    if dtype.startswith("complex"):
        return st.builds(complex, real, real)
    return real


shapes = st.lists(st.integers(0, 5), max_size=4).filter(lambda s: math.prod(s) <= 200)
# filtered when drawn, i.e. inside the test, where the backend under test is current
dtypes = st.sampled_from(["float32", "float64", "float16", "int64", "int32", "int16", "int8",
                          "uint8", "bool", "complex64", "complex128"]).filter(supported)


@st.composite
def tensors(draw, dtype=None):
    dtype = dtype or draw(dtypes)
    shape = draw(shapes)
    flat = draw(st.lists(values(dtype), min_size=math.prod(shape), max_size=math.prod(shape)))
    return flat, shape, dtype


# -- drawn tensors, default options -----------------------------------------------------------

@SETTINGS
@given(tensors())
def test_drawn_tensors(case):
    assert_same(*case)


@SETTINGS
@given(tensors(dtype="float32"))
def test_drawn_float32(case):
    assert_same(*case)


@SETTINGS
@given(tensors(dtype="float32"))
def test_drawn_requires_grad(case):
    assert_same(*case, requires_grad=True)


# -- drawn print options ------------------------------------------------------------------------

@SETTINGS
@given(tensors(), st.integers(0, 8), st.integers(0, 60), st.integers(0, 4), st.integers(5, 120),
       st.sampled_from([None, True, False]))
def test_drawn_printoptions(case, precision, threshold, edgeitems, linewidth, sci_mode):
    set_both(precision=precision, threshold=threshold, edgeitems=edgeitems,
             linewidth=linewidth, sci_mode=sci_mode)
    assert_same(*case)


# -- fixed cases --------------------------------------------------------------------------------

@pytest.mark.parametrize("data, dtype", [
    (36.0, "float32"), (36.5, "float64"), (-0.0, "float32"), (math.nan, "float32"),
    (7, "int64"), (7, "int32"), (True, "bool"), (1 - 0.5j, "complex64"), (2j, "complex128"),
    ([1.0, 2.0, 3.0], "float32"), ([1.5, 2.0, 3.0], "float32"), ([0.1, 0.2], "float64"),
    ([1e-5, 1.0], "float32"), ([1e8, 2e8], "float32"), ([1.0, 1001.0], "float32"),
    ([1.0, 1000.0], "float32"), ([1e9, math.nan, -math.inf], "float32"),
    ([math.nan, math.inf, -math.inf], "float32"), ([0.0, -0.0], "float32"),
    ([[1, -2], [300, 4]], "int64"), ([[True, False]], "bool"), ([1, 2], "uint8"),
    ([[1 + 2j, -3.5 - 1e-5j], [math.nan, 0j]], "complex64"), ([65504.0, -2.0], "float16"),
])
def test_fixed(data, dtype):
    if not supported(dtype):
        pytest.skip(f"the {agrad.current_backend().name} backend has no {dtype}")
    a = agrad.tensor(data, dtype=getattr(agrad, dtype))
    t = torch.tensor(data, dtype=getattr(torch, dtype))
    assert repr(a) == repr(t)


def test_default_dtype_is_inferred():
    """No dtype argument: float32 and int64 tensors print without a dtype suffix."""
    assert repr(agrad.tensor([1.5, 2.0])) == repr(torch.tensor([1.5, 2.0])) == \
        "tensor([1.5000, 2.0000])"
    assert repr(agrad.tensor([[1, 2], [3, 4]])) == "tensor([[1, 2],\n        [3, 4]])"
    assert repr(agrad.tensor(36.0)) == "tensor(36.)"


@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0), (3, 0, 2), (1, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "bool", "complex64"])
def test_empty(shape, dtype):
    assert_same([], shape, dtype)


def test_empty_literal():
    assert repr(agrad.tensor([])) == repr(torch.tensor([])) == "tensor([])"


@pytest.mark.parametrize("shape", [(1001,), (2000,), (40, 50), (3, 400), (400, 3), (7, 7, 30),
                                   (2, 3, 4, 50), (1, 1001), (6, 6, 6, 6), (1200, 1)])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool", "complex64"])
def test_summarized(shape, dtype):
    rng = random.Random(hash((shape, dtype)))
    n = math.prod(shape)
    if dtype == "bool":
        flat = [rng.random() < 0.5 for _ in range(n)]
    elif dtype == "int64":
        flat = [rng.randrange(-10**6, 10**6) for _ in range(n)]
    elif dtype == "complex64":
        flat = [complex(rng.gauss(0, 1), rng.gauss(0, 100)) for _ in range(n)]
    else:
        flat = [rng.gauss(0, 1) for _ in range(n)]
    assert_same(flat, shape, dtype)


def test_summary_formats_only_shown_values():
    """A huge value in the elided middle must not switch the shown values to sci notation."""
    flat = [1.5] * 2000
    flat[1000] = 1e20
    assert_same(flat, (2000,), "float32")
    assert_same(flat, (40, 50), "float32")


@pytest.mark.parametrize("n", [7, 8, 9, 10, 11, 12, 20, 33])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "complex128"])
def test_wide_rows_wrap(n, dtype):
    flat = [(-1) ** i * (i + 0.123456) * 1000 for i in range(n * 3)]
    if dtype == "int64":
        flat = [int(v) for v in flat]
    if dtype == "complex128":
        flat = [complex(v, -v / 7) for v in flat]
    assert_same(flat, (n * 3,), dtype)
    assert_same(flat, (3, n), dtype)
    assert_same(flat, (3, 1, n), dtype)


@pytest.mark.parametrize("linewidth", [10, 30, 60, 100, 200])
def test_linewidth(linewidth):
    set_both(linewidth=linewidth)
    flat = [i * 1.25 for i in range(60)]
    assert_same(flat, (60,), "float64", requires_grad=True)
    assert_same(flat, (5, 12), "float32")


@pytest.mark.parametrize("options", [
    {"precision": 2}, {"precision": 0}, {"precision": 10}, {"threshold": 5},
    {"edgeitems": 1, "threshold": 5}, {"edgeitems": 0, "threshold": 5}, {"edgeitems": 0},
    {"sci_mode": True}, {"sci_mode": False}, {"profile": "short"}, {"profile": "full"},
    {"profile": "short", "precision": 6},
])
def test_printoptions(options):
    set_both(**options)
    rng = random.Random(0)
    flat = [rng.gauss(0, 10) for _ in range(2400)]
    for shape in [(), (10,), (4, 6), (2400,), (2, 3, 400)]:
        n = math.prod(shape)
        assert_same(flat[:n], shape, "float32")
        assert_same([round(v) for v in flat[:n]], shape, "int64")
        assert_same([round(v) for v in flat[:n]], shape, "float64")


def test_set_printoptions_resets_sci_mode():
    """As in PyTorch, a call that omits sci_mode restores the automatic choice."""
    agrad.set_printoptions(sci_mode=True)
    agrad.set_printoptions(precision=4)
    assert repr(agrad.tensor([1.5])) == "tensor([1.5000])"


def test_requires_grad_leaf():
    a = agrad.tensor([1.0, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    assert repr(a) == repr(t) == "tensor([1., 2.], requires_grad=True)"
    a = agrad.tensor(3.0, dtype=agrad.float64, requires_grad=True)
    t = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    assert repr(a) == repr(t) == "tensor(3., dtype=torch.float64, requires_grad=True)"


def test_grad_fn():
    a = agrad.ones(2, requires_grad=True) * 2
    t = torch.ones(2, requires_grad=True) * 2
    assert repr(a) == repr(t) == "tensor([2., 2.], grad_fn=<MulBackward0>)"


def test_suffix_wraps_to_new_line():
    """Suffixes that do not fit move to their own line, aligned under the first value."""
    flat = [i * 1.1 for i in range(7)]
    for n in range(1, 8):
        a, t = pair(flat[:n], (n,), "float64", requires_grad=True)
        assert repr(a * 2) == repr(t * 2)
        assert repr(a) == repr(t)


def test_device_suffix():
    """A tensor off the default device names its device first (checked without a GPU by
    relabelling the storage's device; PyTorch prints `device='cuda:0'` the same way)."""
    a = agrad.tensor([1.0, 2.0], dtype=agrad.float64, requires_grad=True)
    a._storage.device = agrad.device("cuda:0")
    assert repr(a) == "tensor([1., 2.], device='cuda:0', dtype=torch.float64, requires_grad=True)"


def test_device_relative_to_current_backend(backend):
    """The current backend is agrad's default device (PyTorch's `set_default_device`): its
    tensors print no device; a CPU tensor made under another backend says `device='cpu'`."""
    assert repr(agrad.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    cpu = agrad.tensor([1.0, 2.0], device="cpu")
    expected = "tensor([1., 2.])" if backend.device_type == "cpu" else \
        "tensor([1., 2.], device='cpu')"
    assert repr(cpu) == expected
