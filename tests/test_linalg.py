"""Matrix products and diagonals against PyTorch: values, dtypes, shapes, grad_fn names and
gradients (backward of a random weighted sum), finite-difference gradcheck (and gradgradcheck
for double backward) in float64, and errors (type, PyTorch's exact message, inputs unchanged).

Every test runs on every backend (see conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for differential tests; "
                                            "install torch==2.13.0")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import agrad  # noqa: E402

pytestmark = pytest.mark.torch

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
from _oracle import (  # noqa: E402 - the shared differential-test helpers
    assert_same,
    both,
    data,
    differential,
    f64,
    gc,
    ggc,
    raises_exact,
    same_error,
    torch_error,
    vals,
)

# -- dot / vdot / mm / mv / bmm --------------------------------------------------------------------

def test_dot_values_grads_and_name():
    differential(agrad.dot, torch.dot, data(5), data(5))
    differential(lambda a, b: a.dot(b), lambda a, b: a.dot(b), data(4), data(4))


def test_dot_integer_and_float32():
    differential(agrad.dot, torch.dot, data(6, dtype="int64"), data(6, dtype="int64"))
    differential(agrad.dot, torch.dot, data(6, dtype="float32"), data(6, dtype="float32"),
                 atol=1e-5)


def test_vdot():
    differential(agrad.vdot, torch.vdot, data(5), data(5))


def test_mm_mv_bmm():
    differential(agrad.mm, torch.mm, data(2, 3), data(3, 4))
    differential(lambda a, b: a.mm(b), lambda a, b: a.mm(b), data(1, 3), data(3, 1))
    differential(agrad.mv, torch.mv, data(2, 3), data(3))
    differential(lambda a, b: a.mv(b), lambda a, b: a.mv(b), data(4, 2), data(2))
    differential(agrad.bmm, torch.bmm, data(3, 2, 4), data(3, 4, 5))
    differential(lambda a, b: a.bmm(b), lambda a, b: a.bmm(b), data(1, 2, 2), data(1, 2, 3))


def test_mm_of_views_and_only_one_requiring_grad():
    a, ta = both(data(4, 3))
    b, tb = both(data(4, 5), requires_grad=True)
    out = a.t().mm(b[:, 1:])
    tout = ta.t().mm(tb[:, 1:])
    assert_same(out, tout)
    out.sum().backward()
    tout.sum().backward()
    np.testing.assert_allclose(vals(b.grad), vals(tb.grad))
    assert a.grad is None


def test_integer_mm_has_no_grad_fn():
    out, tout = differential(agrad.mm, torch.mm, data(2, 3, dtype="int64"),
                             data(3, 2, dtype="int64"))
    assert out.grad_fn is None and out.dtype == agrad.int64


@pytest.mark.parametrize("fa,ft,shapes,dtypes", [
    (agrad.dot, torch.dot, [(2, 3), (2, 3)], None),
    (agrad.dot, torch.dot, [(3,), (4,)], None),
    (agrad.dot, torch.dot, [(3,), (3,)], ("float32", "float64")),
    (agrad.dot, torch.dot, [(3,), ()], None),
    (agrad.dot, torch.dot, [(2,), (2,)], ("bool", "bool")),
    (agrad.vdot, torch.vdot, [(2, 2), (2, 2)], None),
    (agrad.mm, torch.mm, [(3,), (3, 2)], None),
    (agrad.mm, torch.mm, [(2, 3), (3,)], None),
    (agrad.mm, torch.mm, [(2, 3), (2, 3)], None),
    (agrad.mm, torch.mm, [(2, 3), (3, 2)], ("float32", "float64")),
    (agrad.mm, torch.mm, [(2, 3), (3, 2)], ("int64", "float32")),
    (agrad.mm, torch.mm, [(2, 3), (3, 2)], ("int32", "float64")),
    (agrad.mm, torch.mm, [(2, 3), (3, 2)], ("bool", "bool")),
    (agrad.mv, torch.mv, [(2, 3), (2, 3)], None),
    (agrad.mv, torch.mv, [(3,), (3,)], None),
    (agrad.mv, torch.mv, [(2, 3), (4,)], None),
    (agrad.mv, torch.mv, [(2, 3), (3,)], ("float32", "float64")),
    (agrad.mv, torch.mv, [(2, 3), (3,)], ("float64", "float32")),
    (agrad.bmm, torch.bmm, [(2, 3), (3, 2)], None),
    (agrad.bmm, torch.bmm, [(2, 2, 3), (2, 2, 3, 1)], None),
    (agrad.bmm, torch.bmm, [(2, 2, 3), (3, 3, 4)], None),
    (agrad.bmm, torch.bmm, [(2, 2, 3), (2, 4, 4)], None),
    (agrad.bmm, torch.bmm, [(2, 2, 3), (2, 3, 4)], ("float64", "float32")),
    (agrad.bmm, torch.bmm, [(2, 2, 3), (2, 3, 4)], ("bool", "bool")),
])
def test_product_errors(fa, ft, shapes, dtypes):
    dts = dtypes or ("float64", "float64")
    same_error(fa, ft, *[data(*s, dtype=d) for s, d in zip(shapes, dts)])


def test_product_errors_exact_wording():
    a, b = agrad.ones(2, 3), agrad.ones(2, 3)
    with raises_exact(RuntimeError, "1D tensors expected, but got 2D and 2D tensors"):
        agrad.dot(a, b)
    with raises_exact(RuntimeError, "self must be a matrix"):
        agrad.mm(agrad.ones(3), b)
    with raises_exact(RuntimeError, "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"):
        agrad.mm(a, b)
    with raises_exact(TypeError, "unsupported operand type(s) for @: 'Tensor' and 'int'"):
        a @ 2
    with raises_exact(TypeError, "unsupported operand type(s) for @: 'int' and 'Tensor'"):
        2 @ a
    with raises_exact(TypeError, "matmul(): argument 'other' (position 2) must be Tensor, not "
                                 "list"):
        agrad.matmul(a, [1.0])


def test_failed_product_leaves_requires_grad_inputs_untouched():
    a = f64(2, 3)
    b = f64(2, 3)
    before = (vals(a).copy(), vals(b).copy())
    with pytest.raises(RuntimeError):
        a @ b
    np.testing.assert_array_equal(vals(a), before[0])
    np.testing.assert_array_equal(vals(b), before[1])
    assert a.grad is None and b.grad is None and a.grad_fn is None


# -- matmul: every shape case, broadcasting, names -------------------------------------------------

MATMUL_CASES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
    ((5, 2, 3), (3, 4)), ((5, 2, 3), (3,)), ((3,), (5, 3, 4)), ((2, 3), (5, 3, 4)),
    ((1, 3), (5, 3, 4)), ((2, 3), (5, 3, 1)), ((5, 2, 3), (5, 3, 4)), ((1, 2, 3), (5, 3, 4)),
    ((7, 1, 2, 3), (5, 3, 4)), ((5, 2, 3), (2, 1, 3, 4)), ((3,), (1, 3, 1)),
    ((2, 3), (1, 3, 4)), ((1, 1, 2, 3), (5, 3, 4)), ((1, 2, 3), (2, 5, 3, 4)),
    ((2, 3), (2, 5, 3, 4)), ((4, 1, 2, 3), (4, 5, 3, 2)), ((0, 2, 3), (3, 4)),
    ((2, 0), (0, 3)),
]


@pytest.mark.parametrize("sa,sb", MATMUL_CASES)
@pytest.mark.parametrize("which", ["both", "left", "right"])
def test_matmul_cases_match_torch(sa, sb, which):
    grad = {"both": (0, 1), "left": (0,), "right": (1,)}[which]
    differential(agrad.matmul, torch.matmul, data(*sa), data(*sb), grad=grad)


def test_matmul_operators_and_methods():
    differential(lambda a, b: a @ b, lambda a, b: a @ b, data(2, 3), data(3, 2))
    differential(lambda a, b: a.matmul(b), lambda a, b: a.matmul(b), data(4, 2, 3), data(3))
    differential(lambda a, b: b.__rmatmul__(a), lambda a, b: b.__rmatmul__(a), data(2, 3),
                 data(3, 2))


def _matmul_shapes():
    """Pairs of shapes that broadcast for matmul, including 1-D operands and size-1 batches."""
    dim = st.integers(1, 3)

    @st.composite
    def pair(draw):
        n, k, p = draw(dim), draw(dim), draw(dim)
        nb = draw(st.integers(0, 3))
        batch = [draw(st.integers(1, 3)) for _ in range(nb)]
        ba = [b if draw(st.booleans()) else 1 for b in batch][draw(st.integers(0, nb)):]
        bb = [b if draw(st.booleans()) else 1 for b in batch][draw(st.integers(0, nb)):]
        sa = (k,) if draw(st.integers(0, 4)) == 0 else tuple(ba) + (n, k)
        sb = (k,) if draw(st.integers(0, 4)) == 0 else tuple(bb) + (k, p)
        return sa, sb, draw(st.sampled_from([(0, 1), (0,), (1,)]))
    return pair()


@SETTINGS
@given(_matmul_shapes())
def test_matmul_broadcasting_property(case):
    sa, sb, grad = case
    differential(agrad.matmul, torch.matmul, data(*sa), data(*sb), grad=grad)


@SETTINGS
@given(st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)),
       st.integers(1, 3), st.integers(1, 3))
def test_matmul_mismatch_errors_property(nkp, k2, b2):
    n, k, p = nkp
    if k2 == k:
        k2 = k + 1
    for sa, sb in [((n, k), (k2, p)), ((k,), (k2,)), ((n, k), (k2,)), ((k,), (k2, p)),
                   ((b2, n, k), (k2, p)), ((n, k), (b2, k2, p)), ((2, n, k), (3, k, p))]:
        same_error(agrad.matmul, torch.matmul, data(*sa), data(*sb))


@pytest.mark.parametrize("sa,sb", [((), (3,)), ((3,), ()), ((2, 3), (2, 3)),
                                   ((2, 3, 4), (5, 4, 2)), ((2, 3, 3, 4), (5, 4, 2)),
                                   ((4,), (2, 3, 4)), ((5, 2, 3), (4,))])
def test_matmul_errors(sa, sb):
    same_error(agrad.matmul, torch.matmul, data(*sa), data(*sb))


def test_matmul_dtype_mismatch_errors():
    for sa, sb in [((3,), (3,)), ((2, 3), (3,)), ((2, 3), (3, 2)), ((5, 2, 3), (3, 4)),
                   ((5, 2, 3), (5, 3, 4))]:
        same_error(agrad.matmul, torch.matmul, data(*sa, dtype="float32"), data(*sb))


def test_matmul_requires_grad_fold_errors_follow_torch():
    """2-D @ 3-D folds through a transpose only when the 2-D operand requires grad; the
    message depends on it, as in PyTorch."""
    for rg in (False, True):
        a, ta = both(data(2, 3), requires_grad=rg)
        b, tb = both(data(2, 4, 3))
        exc, msg = torch_error(torch.matmul, ta, tb)
        with raises_exact(exc, msg):
            agrad.matmul(a, b)


@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)),
                                   ((2, 3), (3, 4)), ((2, 2, 3), (3, 2)), ((3,), (2, 3, 2)),
                                   ((2, 3), (2, 3, 2)), ((2, 1, 2, 3), (2, 3, 1))])
def test_matmul_gradcheck_and_double_backward(sa, sb):
    a, b = f64(*sa), f64(*sb)
    assert gc(agrad.matmul, (a, b))
    assert ggc(agrad.matmul, (a, b))


def test_products_gradcheck():
    assert gc(agrad.dot, (f64(4), f64(4)))
    assert gc(agrad.vdot, (f64(4), f64(4)))
    assert gc(agrad.mm, (f64(2, 3), f64(3, 2)))
    assert gc(agrad.mv, (f64(2, 3), f64(3)))
    assert gc(agrad.bmm, (f64(2, 2, 3), f64(2, 3, 2)))
    assert ggc(agrad.mm, (f64(2, 3), f64(3, 2)))
    assert ggc(agrad.bmm, (f64(2, 2, 3), f64(2, 3, 2)))


def test_matmul_out():
    a, ta = both(data(2, 3))
    b, tb = both(data(3, 4))
    o, to = both(np.zeros((2, 4)))
    agrad.matmul(a, b, out=o)
    torch.matmul(ta, tb, out=to)
    np.testing.assert_allclose(vals(o), vals(to))


# -- outer / addmm / inner / einsum ----------------------------------------------------------------

def test_outer_and_ger():
    differential(agrad.outer, torch.outer, data(3), data(4))
    differential(agrad.ger, torch.ger, data(2), data(2))
    differential(lambda a, b: a.outer(b), lambda a, b: a.outer(b), data(3),
                 data(2, dtype="float32"), atol=1e-5)
    differential(agrad.outer, torch.outer, data(3, dtype="int64"), data(2, dtype="int64"))
    same_error(agrad.outer, torch.outer, data(2, 3), data(3))
    assert gc(agrad.outer, (f64(3), f64(2)))


def test_addmm():
    differential(agrad.addmm, torch.addmm, data(4), data(2, 3), data(3, 4))
    differential(agrad.addmm, torch.addmm, data(2, 4), data(2, 3), data(3, 4))
    differential(lambda c, a, b: agrad.addmm(c, a, b, beta=0.5, alpha=2.0),
                 lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2.0),
                 data(1, 4), data(2, 3), data(3, 4))
    assert gc(lambda c, a, b: agrad.addmm(c, a, b, beta=0.3, alpha=-1.5),
                     (f64(2, 1), f64(2, 3), f64(3, 4)))
    assert ggc(agrad.addmm, (f64(4), f64(2, 3), f64(3, 4)))


@pytest.mark.parametrize("shapes,dtypes", [
    ([(5,), (2, 3), (3, 2)], None), ([(4,), (3,), (3, 4)], None),
    ([(4,), (2, 3), (2, 4)], None), ([(4,), (2, 3), (3, 4)], ("float32", "float64", "float64")),
])
def test_addmm_errors(shapes, dtypes):
    dts = dtypes or ("float64",) * 3
    same_error(agrad.addmm, torch.addmm, *[data(*s, dtype=d) for s, d in zip(shapes, dts)])


def test_inner():
    differential(agrad.inner, torch.inner, data(3), data(3))
    differential(agrad.inner, torch.inner, data(2, 3), data(4, 3))


@pytest.mark.parametrize("eq,shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("bij,bjk->bik", [(2, 2, 3),
                                                                                  (2, 3, 2)]),
    ("i,i->", [(4,), (4,)]), ("i,j->ij", [(3,), (2,)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]),
    ("ij->ji", [(2, 3)]), ("...ij,...jk->...ik", [(2, 2, 3), (3, 4)]), ("ij->", [(2, 3)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]), ("ijk,ikl,lm->jm", [(2, 3, 4), (2, 4, 2), (2, 3)]),
])
def test_einsum(eq, shapes):
    arrays = [data(*s) for s in shapes]
    differential(lambda *xs: agrad.einsum(eq, *xs), lambda *xs: torch.einsum(eq, *xs), *arrays,
                 grad_fn=False)
    assert gc(lambda *xs: agrad.einsum(eq, *xs),
                     tuple(agrad.tensor(a.tolist(), dtype=agrad.float64, requires_grad=True)
                           for a in arrays))


# -- diag / diagonal / diag_embed / trace / tril / triu --------------------------------------------

@pytest.mark.parametrize("k", [0, 1, 2, -1, -3, 5])
def test_diag_of_vector(k):
    differential(lambda v: agrad.diag(v, k), lambda v: torch.diag(v, k), data(3))
    assert gc(lambda v: agrad.diag(v, k), (f64(3),))
    assert ggc(lambda v: agrad.diag(v, k), (f64(3),))


@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2)])
@pytest.mark.parametrize("k", [0, 1, -1, 3, -5])
def test_diag_of_matrix(shape, k):
    out, _ = differential(lambda m: agrad.diag(m, k), lambda m: torch.diag(m, k), data(*shape))
    assert gc(lambda m: agrad.diag(m, k), (f64(*shape),))


def test_diag_dtypes_and_errors():
    differential(agrad.diag, torch.diag, data(3, dtype="int64"))
    differential(agrad.diag, torch.diag, data(3, dtype="bool"))
    differential(lambda m: m.diag(), lambda m: m.diag(), data(3, 3, dtype="float32"))
    same_error(agrad.diag, torch.diag, data(2, 2, 2))
    same_error(agrad.diag, torch.diag, np.asarray(1.0))


@pytest.mark.parametrize("shape,args", [
    ((3, 4), (0, 0, 1)), ((3, 4), (1, 0, 1)), ((3, 4), (-1, 0, 1)), ((3, 4), (2, 1, 0)),
    ((2, 3, 4), (1, 2, 0)), ((2, 3, 4), (0, -1, -2)), ((2, 3, 4), (-2, 1, 2)),
    ((3, 4), (7, 0, 1)), ((2, 3, 4, 2), (0, 1, 3)),
])
def test_diagonal_is_a_view_with_torch_layout(shape, args):
    out, tout = differential(lambda x: agrad.diagonal(x, *args),
                             lambda x: torch.diagonal(x, *args), data(*shape))
    assert out.stride() == tout.stride()
    assert out.storage_offset() == tout.storage_offset()
    assert out._base is not None
    assert gc(lambda x: agrad.diagonal(x, *args), (f64(*shape),))
    assert ggc(lambda x: agrad.diagonal(x, *args), (f64(*shape),))


def test_diagonal_shares_memory_both_ways():
    x, tx = both(data(3, 4))
    d, td = x.diagonal(1), tx.diagonal(1)
    d.mul_(10)
    td.mul_(10)
    np.testing.assert_allclose(vals(x), vals(tx))
    x[1, 2] = 100.0
    tx[1, 2] = 100.0
    np.testing.assert_allclose(vals(d), vals(td))
    # a diagonal of a non-contiguous view
    y, ty = both(data(4, 3))
    dd, tdd = y.t().diagonal(-1), ty.t().diagonal(-1)
    assert dd.stride() == tdd.stride() and dd.storage_offset() == tdd.storage_offset()
    dd.fill_(0)
    tdd.fill_(0)
    np.testing.assert_allclose(vals(y), vals(ty))


def test_inplace_through_diagonal_backward():
    x, tx = both(data(3, 3), requires_grad=True)
    y, ty = x * 1, tx * 1
    y.diagonal().mul_(3)
    ty.diagonal().mul_(3)
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    np.testing.assert_allclose(vals(x.grad), vals(tx.grad))


def test_diagonal_errors():
    same_error(lambda x: agrad.diagonal(x, 0, 0, 0), lambda x: torch.diagonal(x, 0, 0, 0),
               data(2, 3))
    same_error(agrad.diagonal, torch.diagonal, data(3))


@pytest.mark.parametrize("shape,args", [((3,), (0, -2, -1)), ((2, 3), (1, 0, 2)),
                                        ((2, 3), (-1, 2, 0)), ((2, 2, 3), (0, 1, 3))])
def test_diag_embed(shape, args):
    differential(lambda x: agrad.diag_embed(x, *args), lambda x: torch.diag_embed(x, *args),
                 data(*shape))
    assert gc(lambda x: agrad.diag_embed(x, *args), (f64(*shape),))


@pytest.mark.parametrize("shape", [(3, 3), (2, 4), (4, 2), (1, 1)])
def test_trace(shape):
    differential(agrad.trace, torch.trace, data(*shape))
    differential(lambda x: x.trace(), lambda x: x.trace(), data(*shape, dtype="int64"))
    differential(agrad.trace, torch.trace, data(*shape, dtype="int32"))
    assert gc(agrad.trace, (f64(*shape),))
    assert ggc(agrad.trace, (f64(*shape),))


def test_trace_errors():
    same_error(agrad.trace, torch.trace, data(3))
    same_error(agrad.trace, torch.trace, data(2, 2, dtype="bool"))


@pytest.mark.parametrize("fname", ["tril", "triu"])
@pytest.mark.parametrize("shape,k", [((3, 3), 0), ((3, 4), 1), ((4, 3), -1), ((2, 3, 3), 0),
                                     ((2, 3), 5), ((2, 3), -5)])
def test_tril_triu(fname, shape, k):
    fa, ft = getattr(agrad, fname), getattr(torch, fname)
    differential(lambda x: fa(x, k), lambda x: ft(x, k), data(*shape))
    differential(lambda x: getattr(x, fname)(k), lambda x: getattr(x, fname)(k),
                 data(*shape, dtype="int64"))
    assert gc(lambda x: fa(x, k), (f64(*shape),))
    same_error(fa, ft, data(3))


@pytest.mark.parametrize("fname", ["tril_", "triu_"])
def test_tril_triu_inplace(fname):
    x, tx = both(data(3, 3))
    getattr(x, fname)(1)
    getattr(tx, fname)(1)
    np.testing.assert_allclose(vals(x), vals(tx))
    leaf = f64(3, 3)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        getattr(leaf, fname)()
