"""Joining, reordering, sorting and selecting ops against PyTorch: values, dtypes, shapes,
grad_fn names and gradients (backward of a random weighted sum), finite-difference gradcheck
(and gradgradcheck) in float64, errors (type, PyTorch's exact message, inputs unchanged), and
the in-place variants' history.

Every test runs on every backend (see conftest.py); index bounds are checked on eager
backends only (on Dask a check would force a computation)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for differential tests; "
                                            "install torch==2.13.0")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import agrad  # noqa: E402

pytestmark = pytest.mark.torch

SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
from _oracle import (  # noqa: E402 - the shared differential-test helpers
    EAGER,
    _rng,
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
    unchanged_after_error,
    vals,
)


def distinct(*shape, dtype="float64"):
    """Values without ties (so sort/topk orders are unique), in random order."""
    n = int(np.prod(shape)) if shape else 1
    return (_rng.permutation(n).reshape(shape) * 0.5 - n / 4).astype(dtype)


def index_data(shape, high, low=0):
    return _rng.integers(low, high, size=shape).astype("int64")


def ints(arr):
    return agrad.tensor(np.asarray(arr, dtype="int64")), torch.tensor(np.asarray(arr,
                                                                                 dtype="int64"))


# -- cat / concat / stack / hstack / vstack / dstack --------------------------------------------

@pytest.mark.parametrize("shapes,dim", [
    ([(2, 3), (2, 4)], 1), ([(2, 3), (1, 3), (3, 3)], 0), ([(2, 3)], 0), ([(2, 3), (2, 3)], -1),
    ([(2, 1, 3), (2, 4, 3)], -2), ([(0, 3), (2, 3)], 0), ([(3,), (0,)], 0),
])
def test_cat(shapes, dim):
    arrays = [data(*s) for s in shapes]
    differential(lambda *xs: agrad.cat(xs, dim), lambda *xs: torch.cat(xs, dim), *arrays)
    differential(lambda *xs: agrad.concat(list(xs), dim=dim),
                 lambda *xs: torch.concat(list(xs), dim=dim), *arrays)
    differential(lambda *xs: agrad.concatenate(xs, dim), lambda *xs: torch.concatenate(xs, dim),
                 *arrays)


def test_cat_promotes_and_skips_legacy_empty():
    differential(lambda a, b: agrad.cat([a, b]), lambda a, b: torch.cat([a, b]),
                 data(2, 3, dtype="float32"), data(2, 3))
    differential(lambda a, b: agrad.cat([a, b]), lambda a, b: torch.cat([a, b]),
                 data(2, dtype="int64"), data(2, dtype="bool"))
    differential(lambda a, b: agrad.cat([a, b]), lambda a, b: torch.cat([a, b]),
                 data(2, dtype="int64"), data(3, dtype="float32"))
    differential(lambda a, b: agrad.cat([a, b], 1), lambda a, b: torch.cat([a, b], 1),
                 data(2, 3), data(0))
    differential(lambda a, b: agrad.cat([a, b]), lambda a, b: torch.cat([a, b]),
                 data(0), data(0))


def _cat_case():
    @st.composite
    def case(draw):
        nd = draw(st.integers(1, 3))
        shape = [draw(st.integers(1, 3)) for _ in range(nd)]
        dim = draw(st.integers(-nd, nd - 1))
        k = draw(st.integers(1, 4))
        shapes = []
        for _ in range(k):
            s = list(shape)
            s[dim] = draw(st.integers(0, 3))
            shapes.append(tuple(s))
        grads = draw(st.lists(st.booleans(), min_size=k, max_size=k))
        return shapes, dim, tuple(i for i, g in enumerate(grads) if g)
    return case()


@SETTINGS
@given(_cat_case())
def test_cat_property(case):
    shapes, dim, grad = case
    arrays = [data(*s) for s in shapes]
    differential(lambda *xs: agrad.cat(xs, dim), lambda *xs: torch.cat(xs, dim), *arrays,
                 grad=grad)


@SETTINGS
@given(_cat_case())
def test_stack_property(case):
    shapes, dim, grad = case
    shape = shapes[0]
    arrays = [data(*shape) for _ in shapes]
    d = dim if dim >= 0 else dim - 1  # stack has one more dim
    differential(lambda *xs: agrad.stack(xs, d), lambda *xs: torch.stack(xs, d), *arrays,
                 grad=grad)


@pytest.mark.parametrize("arrays,dim", [
    ([(2, 3), (2, 4)], 0), ([(2, 3), (3,)], 0), ([], 0), ([(), ()], 0), ([(2, 3), (2, 3)], 2),
    ([(2, 3), (2, 3), (3, 3)], 1), ([(2, 3), (2, 4), (2, 3)], 0), ([(0, 4), (2, 3)], 0),
])
def test_cat_errors(arrays, dim):
    same_error(lambda *xs: agrad.cat(list(xs), dim), lambda *xs: torch.cat(list(xs), dim),
               *[data(*s) for s in arrays])


def test_cat_errors_exact_wording():
    a, b = agrad.ones(2, 2), agrad.ones(2, 3)
    msg = ("Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 "
           "for tensor number 1 in the list.")
    with raises_exact(RuntimeError, msg):
        agrad.cat([agrad.ones(2, 1), agrad.ones(3, 1)], 1)
    with raises_exact(TypeError, "cat(): argument 'tensors' (position 1) must be tuple of "
                                 "Tensors, not Tensor"):
        agrad.cat(a)
    with raises_exact(ValueError, "torch.cat(): expected a non-empty list of Tensors"):
        agrad.cat([])
    del b


@pytest.mark.parametrize("arrays,dim", [
    ([(2, 3), (2, 4)], 0), ([], 0), ([(2, 3), (2, 3)], 3), ([(2, 3), (2, 3), (3, 2)], 0),
])
def test_stack_errors(arrays, dim):
    same_error(lambda *xs: agrad.stack(list(xs), dim), lambda *xs: torch.stack(list(xs), dim),
               *[data(*s) for s in arrays])


def test_stack_values_dtypes_and_scalars():
    differential(lambda a, b: agrad.stack([a, b], 1), lambda a, b: torch.stack([a, b], 1),
                 data(2, 3), data(2, 3, dtype="float32"))
    differential(lambda a, b: agrad.stack([a, b]), lambda a, b: torch.stack([a, b]),
                 data(), data())
    differential(lambda a, b: agrad.stack((a, b), -1), lambda a, b: torch.stack((a, b), -1),
                 data(3, dtype="int64"), data(3, dtype="int64"))


@pytest.mark.parametrize("fname", ["hstack", "vstack", "dstack"])
@pytest.mark.parametrize("shapes", [[(3,), (2,)], [(3,), (3,)], [(2, 3), (2, 3)], [(), ()],
                                    [(2, 3, 1), (2, 3, 2)]])
def test_hstack_vstack_dstack(fname, shapes):
    fa, ft = getattr(agrad, fname), getattr(torch, fname)
    arrays = [data(*s) for s in shapes]
    pt = [torch.tensor(a) for a in arrays]
    try:
        ft(pt)
    except RuntimeError:
        same_error(lambda *xs: fa(list(xs)), lambda *xs: ft(list(xs)), *arrays)
        return
    differential(lambda *xs: fa(list(xs)), lambda *xs: ft(list(xs)), *arrays)


def test_cat_stack_gradcheck():
    assert gc(lambda a, b, c: agrad.cat([a, b, c], 1), (f64(2, 1), f64(2, 3), f64(2, 2)))
    assert ggc(lambda a, b: agrad.cat([a, b], 0), (f64(1, 2), f64(2, 2)))
    assert gc(lambda a, b: agrad.stack([a, b], 1), (f64(2, 3), f64(2, 3)))
    assert ggc(lambda a, b: agrad.stack([a, b], 0), (f64(2), f64(2)))
    assert gc(lambda a, b: agrad.hstack([a, b]), (f64(2), f64(3)))
    assert gc(lambda a, b: agrad.vstack([a, b]), (f64(2), f64(2)))


def test_cat_out_and_result_is_fresh():
    a, ta = both(data(2, 2))
    b, tb = both(data(2, 2))
    o, to = both(np.zeros((4, 2)))
    agrad.cat([a, b], out=o)
    torch.cat([ta, tb], out=to)
    np.testing.assert_allclose(vals(o), vals(to))
    r = agrad.cat([a])
    r.add_(1)
    np.testing.assert_allclose(vals(a), vals(ta))


# -- flip / roll / repeat / tile ------------------------------------------------------------------

@pytest.mark.parametrize("shape,dims", [((3,), (0,)), ((2, 3), (0, 1)), ((2, 3, 4), (-1,)),
                                        ((2, 3, 4), (0, 2)), ((2, 3), ()), ((), ())])
def test_flip(shape, dims):
    differential(lambda x: agrad.flip(x, dims), lambda x: torch.flip(x, dims), data(*shape))
    if dims:
        differential(lambda x: x.flip(*dims), lambda x: x.flip(*dims), data(*shape))
    differential(lambda x: x.flip(dims), lambda x: x.flip(dims), data(*shape, dtype="int64"))
    assert gc(lambda x: agrad.flip(x, dims), (f64(*shape),))


def test_flip_result_does_not_alias_and_fliplr_flipud():
    x, tx = both(data(2, 3))
    y = x.flip(0)
    y.add_(100)
    np.testing.assert_allclose(vals(x), vals(tx))
    differential(agrad.fliplr, torch.fliplr, data(2, 3))
    differential(agrad.flipud, torch.flipud, data(2, 3))


def test_flip_errors():
    same_error(lambda x: x.flip(0, 0), lambda x: x.flip(0, 0), data(2, 3))
    same_error(lambda x: agrad.flip(x, [0, -2]), lambda x: torch.flip(x, [0, -2]), data(2, 3))
    same_error(lambda x: agrad.flip(x, 0), lambda x: torch.flip(x, 0), data(2, 3))
    same_error(lambda x: agrad.flip(x, [2]), lambda x: torch.flip(x, [2]), data(2, 3))


@pytest.mark.parametrize("shape,shifts,dims", [
    ((5,), 2, 0), ((5,), -7, None), ((2, 3), 1, None), ((2, 3), (1, -1), (0, 1)),
    ((2, 3, 4), 5, -1), ((2, 3, 4), (1, 2), (2, 0)), ((), 3, None),
])
def test_roll(shape, shifts, dims):
    differential(lambda x: agrad.roll(x, shifts, dims), lambda x: torch.roll(x, shifts, dims),
                 data(*shape))
    differential(lambda x: x.roll(shifts, dims), lambda x: x.roll(shifts, dims),
                 data(*shape, dtype="int64"))
    assert gc(lambda x: agrad.roll(x, shifts, dims), (f64(*shape),))


def test_roll_errors():
    same_error(lambda x: agrad.roll(x, (1, 2), (0,)), lambda x: torch.roll(x, (1, 2), (0,)),
               data(2, 3))
    same_error(lambda x: agrad.roll(x, (1, 2)), lambda x: torch.roll(x, (1, 2)), data(2, 3))


@pytest.mark.parametrize("shape,reps", [((2, 3), (2, 1)), ((2, 3), (2, 1, 3)), ((3,), (4,)),
                                        ((), (2, 3)), ((2, 3), (0, 2)), ((1, 2), (3, 1, 1, 2))])
def test_repeat(shape, reps):
    differential(lambda x: x.repeat(*reps), lambda x: x.repeat(*reps), data(*shape))
    differential(lambda x: x.repeat(reps), lambda x: x.repeat(reps), data(*shape, dtype="int64"))
    assert gc(lambda x: x.repeat(*reps), (f64(*shape),))
    assert ggc(lambda x: x.repeat(*reps), (f64(*shape),))


@pytest.mark.parametrize("shape,reps", [((2, 3), (2,)), ((2, 3), (2, 2, 2)), ((3,), (2, 2)),
                                        ((2, 3), ())])
def test_tile(shape, reps):
    differential(lambda x: agrad.tile(x, reps), lambda x: torch.tile(x, reps), data(*shape))
    differential(lambda x: x.tile(reps), lambda x: x.tile(reps), data(*shape))
    assert gc(lambda x: agrad.tile(x, reps), (f64(*shape),))


def test_repeat_errors():
    same_error(lambda x: x.repeat(2), lambda x: x.repeat(2), data(2, 3))
    same_error(lambda x: x.repeat(-1, 2), lambda x: x.repeat(-1, 2), data(2, 3))


def test_repeat_interleave():
    differential(lambda x: agrad.repeat_interleave(x, 2, 0),
                 lambda x: torch.repeat_interleave(x, 2, 0), data(2, 3), grad_fn=False)
    differential(lambda x: x.repeat_interleave(3), lambda x: x.repeat_interleave(3), data(2, 2),
                 grad_fn=False)


# -- sort / argsort / topk -------------------------------------------------------------------------

@pytest.mark.parametrize("shape,dim", [((5,), 0), ((3, 4), -1), ((3, 4), 0), ((2, 3, 4), 1),
                                       ((), 0), ((0, 3), 1)])
@pytest.mark.parametrize("descending", [False, True])
def test_sort(shape, dim, descending):
    arr = distinct(*shape)
    a, ta = both(arr, requires_grad=True)
    r, tr = agrad.sort(a, dim, descending), torch.sort(ta, dim, descending)
    assert_same(r.values, tr.values)
    assert_same(r.indices, tr.indices, grad_fn=False)
    assert r.indices.dtype == agrad.int64
    assert_same(r[0], tr[0])
    m = a.sort(dim=dim, descending=descending)
    assert_same(m.values, tr.values)
    w = data(*shape)
    (r.values * agrad.tensor(w)).sum().backward()
    (tr.values * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(vals(a.grad), vals(ta.grad))
    assert gc(lambda x: agrad.sort(x, dim, descending).values,
              (agrad.tensor(arr, requires_grad=True),))
    assert ggc(lambda x: agrad.sort(x, dim, descending).values,
               (agrad.tensor(arr, requires_grad=True),))
    differential(lambda x: agrad.argsort(x, dim, descending),
                 lambda x: torch.argsort(x, dim=dim, descending=descending), arr)


def test_sort_stable_ties_nan_and_ints():
    arr = np.array([[3.0, 1.0, 3.0, np.nan, 1.0, 2.0], [0.0, 0.0, -1.0, 5.0, np.nan, 0.0]])
    for desc in (False, True):
        a, t = both(arr)
        r = agrad.sort(a, stable=True, dim=-1, descending=desc)
        tr = torch.sort(t, stable=True, dim=-1, descending=desc)
        np.testing.assert_array_equal(vals(r.indices), vals(tr.indices))
        np.testing.assert_array_equal(vals(r.values), vals(tr.values))
        np.testing.assert_array_equal(vals(agrad.argsort(a, -1, desc, stable=True)),
                                      vals(torch.argsort(t, dim=-1, descending=desc,
                                                         stable=True)))
    for dt in ("int64", "int32", "bool"):
        arr = data(7, dtype=dt)
        a, t = both(arr)
        r, tr = agrad.sort(a, stable=True), torch.sort(t, stable=True)
        assert_same(r.values, tr.values)
        np.testing.assert_array_equal(vals(r.indices), vals(tr.indices))
    assert repr(agrad.sort(agrad.tensor([2.0, 1.0]))).startswith("torch.return_types.sort(")


@pytest.mark.parametrize("shape,k,dim", [((6,), 3, 0), ((3, 5), 2, -1), ((3, 5), 3, 0),
                                         ((2, 3, 4), 4, 2), ((4,), 0, 0), ((4,), 4, 0),
                                         ((), 1, 0)])
@pytest.mark.parametrize("largest", [True, False])
def test_topk(shape, k, dim, largest):
    arr = distinct(*shape)
    a, ta = both(arr, requires_grad=True)
    r, tr = agrad.topk(a, k, dim, largest), torch.topk(ta, k, dim, largest)
    assert_same(r.values, tr.values)
    np.testing.assert_array_equal(vals(r.indices), vals(tr.indices))
    assert r.indices.dtype == agrad.int64
    m = a.topk(k, dim=dim, largest=largest)
    assert_same(m.values, tr.values)
    if tr.values.numel():
        w = data(*tr.values.shape)
        (r.values * agrad.tensor(w)).sum().backward()
        (tr.values * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(vals(a.grad), vals(ta.grad))
        assert gc(lambda x: agrad.topk(x, k, dim, largest).values,
                  (agrad.tensor(arr, requires_grad=True),))


def test_topk_errors():
    same_error(lambda x: agrad.topk(x, 5), lambda x: torch.topk(x, 5), data(2, 3))
    same_error(lambda x: agrad.topk(x, -1), lambda x: torch.topk(x, -1), data(2, 3))
    same_error(lambda x: agrad.topk(x, 1, 2), lambda x: torch.topk(x, 1, 2), data(2, 3))


# -- gather / scatter / scatter_add / index_select / take_along_dim --------------------------------

@pytest.mark.parametrize("shape,dim,ishape", [
    ((2, 3), 1, (2, 2)), ((2, 3), 0, (4, 3)), ((2, 3), 1, (1, 2)), ((3, 4, 2), 1, (3, 6, 2)),
    ((3, 4, 2), -1, (2, 1, 5)), ((4,), 0, (7,)), ((2, 3), 1, (2, 0)), ((), 0, ()),
])
def test_gather(shape, dim, ishape):
    size = shape[dim] if shape else 1
    idx = index_data(ishape, size)
    differential(lambda x, i: agrad.gather(x, dim, i), lambda x, i: torch.gather(x, dim, i),
                 data(*shape), idx)
    differential(lambda x, i: x.gather(dim, i), lambda x, i: x.gather(dim, i),
                 data(*shape, dtype="int64"), idx)
    ia = agrad.tensor(idx)
    assert gc(lambda x: agrad.gather(x, dim, ia), (f64(*shape),))
    assert ggc(lambda x: agrad.gather(x, dim, ia), (f64(*shape),))


def test_gather_int32_index():
    idx = index_data((2, 2), 3).astype("int32")
    differential(lambda x, i: agrad.gather(x, 1, i), lambda x, i: torch.gather(x, 1, i),
                 data(2, 3), idx)


@pytest.mark.parametrize("shape,dim,idx", [
    ((2, 3), 1, np.array([[0.0]])), ((2, 3), 1, np.array([[0]], dtype="int16")),
    ((2, 3), 1, np.array([0, 1])), ((2, 3), 1, np.array([[0, 1]] * 3)),
    ((2, 3), 2, np.array([[0]])),
])
def test_gather_errors(shape, dim, idx):
    same_error(lambda x, i: agrad.gather(x, dim, i), lambda x, i: torch.gather(x, dim, i),
               data(*shape), idx)


@EAGER
@pytest.mark.parametrize("idx", [[[0, 5]], [[0, -1]]])
def test_gather_out_of_bounds(idx):
    same_error(lambda x, i: agrad.gather(x, 1, i), lambda x, i: torch.gather(x, 1, i),
               data(2, 3), np.array(idx))


def _unique_index(ishape, size, dim):
    """An index without repeats along dim (scatter's result is then well defined)."""
    out = np.empty(ishape, dtype="int64")
    moved = np.moveaxis(out, dim, -1)
    for pos in np.ndindex(*moved.shape[:-1]):
        moved[pos] = _rng.permutation(size)[:moved.shape[-1]]
    return out


@pytest.mark.parametrize("shape,dim,ishape", [
    ((2, 3), 1, (2, 2)), ((3, 3), 0, (2, 3)), ((2, 4), 1, (1, 3)), ((3, 4, 2), 1, (2, 4, 2)),
    ((5,), 0, (3,)),
])
def test_scatter(shape, dim, ishape):
    idx = _unique_index(ishape, shape[dim], dim)
    differential(lambda x, i, s: agrad.scatter(x, dim, i, s),
                 lambda x, i, s: torch.scatter(x, dim, i, s), data(*shape), idx, data(*ishape))
    bigger = tuple(s + 1 for s in ishape)
    # PyTorch cannot differentiate w.r.t. a src larger than index (agrad pads with zeros)
    differential(lambda x, i, s: x.scatter(dim, i, s), lambda x, i, s: x.scatter(dim, i, s),
                 data(*shape), idx, data(*bigger), grad=(0,))
    differential(lambda x, i: agrad.scatter(x, dim, i, 2.5),
                 lambda x, i: torch.scatter(x, dim, i, 2.5), data(*shape), idx)
    differential(lambda x, i: x.scatter(dim, i, value=-1.0),
                 lambda x, i: x.scatter(dim, i, value=-1.0), data(*shape), idx)
    differential(lambda x, i, s: agrad.scatter(x, dim, i, s),
                 lambda x, i, s: torch.scatter(x, dim, i, s), data(*shape, dtype="int64"), idx,
                 data(*ishape, dtype="int64"))
    ia = agrad.tensor(idx)
    assert gc(lambda x, s: agrad.scatter(x, dim, ia, s), (f64(*shape), f64(*ishape)))
    assert ggc(lambda x, s: agrad.scatter(x, dim, ia, s), (f64(*shape), f64(*ishape)))


def test_scatter_repeated_index_last_write_wins():
    x, tx = both(np.zeros(4))
    i, ti = ints([1, 3, 1, 1])
    s, ts = both(np.array([10.0, 20.0, 30.0, 40.0]))
    np.testing.assert_allclose(vals(agrad.scatter(x, 0, i, s)), [0.0, 40.0, 0.0, 20.0])
    assert vals(torch.scatter(tx, 0, ti, ts))[3] == 20.0


@pytest.mark.parametrize("shape,dim,ishape", [
    ((2, 3), 1, (2, 5)), ((3, 3), 0, (6, 3)), ((2, 4), 1, (1, 3)), ((3, 4, 2), 1, (2, 7, 2)),
    ((5,), 0, (9,)),
])
def test_scatter_add(shape, dim, ishape):
    idx = index_data(ishape, shape[dim])  # repeats accumulate
    differential(lambda x, i, s: agrad.scatter_add(x, dim, i, s),
                 lambda x, i, s: torch.scatter_add(x, dim, i, s), data(*shape), idx,
                 data(*ishape))
    differential(lambda x, i, s: x.scatter_add(dim, i, s),
                 lambda x, i, s: x.scatter_add(dim, i, s), data(*shape, dtype="int64"), idx,
                 data(*ishape, dtype="int64"))
    differential(lambda x, i, s: agrad.scatter(x, dim, i, s, reduce="add"),
                 lambda x, i, s: torch.scatter(x, dim, i, s, reduce="add"), data(*shape), idx,
                 data(*ishape), grad_fn=False, grad=())
    ia = agrad.tensor(idx)
    assert gc(lambda x, s: agrad.scatter_add(x, dim, ia, s), (f64(*shape), f64(*ishape)))
    assert ggc(lambda x, s: agrad.scatter_add(x, dim, ia, s), (f64(*shape), f64(*ishape)))


def test_scatter_add_without_backend_support_large(monkeypatch):
    """The generic path (stable sort + segment sums) when the one-hot form would be large and
    the adapter offers no scatter_add."""
    from agrad import adapter

    monkeypatch.setattr(adapter, "ONEHOT_LIMIT", 4)
    be = agrad.tensor([0.0])._storage.backend
    monkeypatch.setattr(type(be), "scatter_add", adapter.Backend.scatter_add)
    idx = index_data((4, 30), 6)
    differential(lambda x, i, s: agrad.scatter_add(x, 1, i, s),
                 lambda x, i, s: torch.scatter_add(x, 1, i, s), data(4, 6), idx, data(4, 30))
    differential(lambda x, i: agrad.gather(x, 1, i), lambda x, i: torch.gather(x, 1, i),
                 data(4, 6), idx)


@pytest.mark.parametrize("fname", ["scatter", "scatter_add"])
@pytest.mark.parametrize("shape,dim,idx,src", [
    ((2, 3), 1, np.array([[0.0]]), (1, 1)), ((2, 3), 1, np.array([[0, 1]]), (1, 1)),
    ((2, 3), 1, np.array([[0, 1]] * 3), (3, 2)), ((2, 3), 1, np.array([0, 1]), (3, 2)),
])
def test_scatter_errors(fname, shape, dim, idx, src):
    fa, ft = getattr(agrad, fname), getattr(torch, fname)
    same_error(lambda x, i, s: fa(x, dim, i, s), lambda x, i, s: ft(x, dim, i, s), data(*shape),
               idx, data(*src))


def test_scatter_dtype_error():
    same_error(lambda x, i, s: agrad.scatter(x, 1, i, s), lambda x, i, s: torch.scatter(x, 1, i, s),
               data(2, 3), np.array([[0, 1]]), data(2, 2, dtype="float32"))


@EAGER
def test_scatter_out_of_bounds():
    same_error(lambda x, i, s: agrad.scatter(x, 1, i, s), lambda x, i, s: torch.scatter(x, 1, i, s),
               data(2, 3), np.array([[0, 5]]), data(2, 2))


def test_scatter_inplace_history():
    for fname in ("scatter_", "scatter_add_"):
        x, tx = both(data(3, 4), requires_grad=True)
        s, ts = both(data(2, 4), requires_grad=True)
        idx = _unique_index((2, 4), 3, 0)
        i, ti = ints(idx)
        y, ty = x * 2, tx * 2
        getattr(y, fname)(0, i, s)
        getattr(ty, fname)(0, ti, ts)
        assert_same(y, ty)
        w = data(3, 4)
        (y * agrad.tensor(w)).sum().backward()
        (ty * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(vals(x.grad), vals(tx.grad))
        np.testing.assert_allclose(vals(s.grad), vals(ts.grad))
        leaf = f64(3, 4)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            getattr(leaf, fname)(0, i, s.detach())


@pytest.mark.parametrize("shape,dim,idx", [
    ((2, 3), 1, [2, 0]), ((2, 3), 0, [1, 1, 0, 1]), ((4,), 0, [3]), ((2, 3, 2), -1, [1, 0, 1]),
    ((2, 3), 1, []), ((2, 3), 1, 1),
])
def test_index_select(shape, dim, idx):
    idx = np.asarray(idx, dtype="int64")
    differential(lambda x, i: agrad.index_select(x, dim, i),
                 lambda x, i: torch.index_select(x, dim, i), data(*shape), idx)
    differential(lambda x, i: x.index_select(dim, i), lambda x, i: x.index_select(dim, i),
                 data(*shape, dtype="int64"), idx.astype("int32"))
    ia = agrad.tensor(idx)
    assert gc(lambda x: agrad.index_select(x, dim, ia), (f64(*shape),))
    assert ggc(lambda x: agrad.index_select(x, dim, ia), (f64(*shape),))


@pytest.mark.parametrize("idx", [np.array([[0, 1]]), np.array([1.0]), np.array([5]),
                                 np.array([-1])])
def test_index_select_errors(idx, backend):
    if backend.lazy and idx.dtype.kind == "i" and idx.ndim == 1:
        pytest.skip("bounds are not checked on lazy backends")
    same_error(lambda x, i: agrad.index_select(x, 1, i),
               lambda x, i: torch.index_select(x, 1, i), data(2, 3), idx)


@pytest.mark.parametrize("shape,ishape,dim", [
    ((2, 3), (2, 2), 1), ((2, 3), (1, 1), 1), ((2, 1, 4), (1, 3, 2), 2), ((2, 3), (5,), None),
    ((3, 4), (2, 4), 0), ((3, 1), (3, 5), 0),
])
def test_take_along_dim(shape, ishape, dim):
    size = (int(np.prod(shape)) if dim is None else shape[dim])
    idx = index_data(ishape, size)
    differential(lambda x, i: agrad.take_along_dim(x, i, dim),
                 lambda x, i: torch.take_along_dim(x, i, dim), data(*shape), idx)
    differential(lambda x, i: x.take_along_dim(i, dim), lambda x, i: x.take_along_dim(i, dim),
                 data(*shape), idx)
    ia = agrad.tensor(idx)
    assert gc(lambda x: agrad.take_along_dim(x, ia, dim), (f64(*shape),))


def test_take_along_dim_errors():
    same_error(lambda x, i: agrad.take_along_dim(x, i, 1),
               lambda x, i: torch.take_along_dim(x, i, 1), data(2, 3), np.array([[0.0]]))
    same_error(lambda x, i: agrad.take_along_dim(x, i, 1),
               lambda x, i: torch.take_along_dim(x, i, 1), data(2, 3), np.array([0]))


# -- masked_fill ----------------------------------------------------------------------------------

@pytest.mark.parametrize("shape,mshape", [((2, 3), (2, 3)), ((2, 3), (2, 1)), ((2, 3), (3,)),
                                          ((2, 3), (4, 2, 3)), ((), ())])
def test_masked_fill(shape, mshape):
    mask = data(*mshape, dtype="bool")
    differential(lambda x, m: agrad.masked_fill(x, m, -1.5),
                 lambda x, m: torch.masked_fill(x, m, -1.5), data(*shape), mask)
    differential(lambda x, m: x.masked_fill(m, 2), lambda x, m: x.masked_fill(m, 2),
                 data(*shape, dtype="int64"), mask)
    differential(lambda x, m, v: x.masked_fill(m, v), lambda x, m, v: x.masked_fill(m, v),
                 data(*shape), mask, data(), grad=(0, 2))
    ma = agrad.tensor(mask)
    assert gc(lambda x: agrad.masked_fill(x, ma, 0.5), (f64(*shape),))
    assert gc(lambda x, v: x.masked_fill(ma, v), (f64(*shape), f64()))
    assert ggc(lambda x, v: x.masked_fill(ma, v), (f64(*shape), f64()))


def test_masked_fill_value_conversions():
    m = np.array([True, False, True])
    differential(lambda x, m: x.masked_fill(m, 2.7), lambda x, m: x.masked_fill(m, 2.7),
                 data(3, dtype="int64"), m)
    differential(lambda x, m: x.masked_fill(m, True), lambda x, m: x.masked_fill(m, True),
                 data(3, dtype="float32"), m)
    differential(lambda x, m, v: x.masked_fill(m, v), lambda x, m, v: x.masked_fill(m, v),
                 data(3, dtype="int64"), m, np.asarray(2.5), grad=())
    differential(lambda x, m, v: x.masked_fill(m, v), lambda x, m, v: x.masked_fill(m, v),
                 data(3, dtype="float32"), m, np.asarray(4, dtype="int64"), grad=())


def test_masked_fill_errors():
    same_error(lambda x, m: x.masked_fill(m, 0.0), lambda x, m: x.masked_fill(m, 0.0),
               data(2, 3), data(2, 3, dtype="int64"))
    same_error(lambda x, m, v: x.masked_fill(m, v), lambda x, m, v: x.masked_fill(m, v),
               data(2, 3), data(2, 3, dtype="bool"), data(1))
    same_error(lambda x, m: x.masked_fill(m, 0.0), lambda x, m: x.masked_fill(m, 0.0),
               data(2, 3), data(2, 2, dtype="bool"))


def test_masked_fill_inplace():
    mask = data(2, 3, dtype="bool")
    x, tx = both(data(2, 3), requires_grad=True)
    m, tm = both(mask)
    y, ty = x * 3, tx * 3
    r = y.masked_fill_(m, 0.25)
    ty.masked_fill_(tm, 0.25)
    assert r is y
    assert_same(y, ty)
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    np.testing.assert_allclose(vals(x.grad), vals(tx.grad))
    # through a view: the base gets the history
    b, tb = both(data(3, 3), requires_grad=True)
    z, tz = b + 0, tb + 0
    z[1].masked_fill_(m[0], 9.0)
    tz[1].masked_fill_(tm[0], 9.0)
    assert_same(z, tz, grad_fn=False)
    z.sum().backward()
    tz.sum().backward()
    np.testing.assert_allclose(vals(b.grad), vals(tb.grad))
    leaf = f64(2, 3)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        leaf.masked_fill_(m, 0.0)
    x2, tx2 = both(np.ones(3))
    exc, msg = torch_error(lambda t: t.masked_fill_(torch.ones(2, 3, dtype=torch.bool), 1.0),
                           tx2)
    unchanged_after_error(exc, msg, lambda t: t.masked_fill_(agrad.ones(2, 3, dtype=agrad.bool),
                                                             1.0), x2)


# -- tensor_split / meshgrid / cross ---------------------------------------------------------------

@pytest.mark.parametrize("shape,ios,dim", [((7,), 3, 0), ((2, 6), 4, 1), ((2, 3), [1, 2], 1),
                                           ((5, 2), [1, 4, 9], 0), ((5,), [-2, 2], 0),
                                           ((3,), 1, 0)])
def test_tensor_split(shape, ios, dim, backend):
    a, ta = both(data(*shape), requires_grad=True)
    ra, rt = agrad.tensor_split(a, ios, dim), torch.tensor_split(ta, ios, dim)
    assert len(ra) == len(rt)
    for x, t in zip(ra, rt):
        assert_same(x, t, grad_fn=False)
        assert x._base is not None  # views
    ws = [data(*t.shape) for t in rt]
    sum((x * agrad.tensor(w)).sum() for x, w in zip(ra, ws)).backward()
    sum((t * torch.tensor(w)).sum() for t, w in zip(rt, ws)).backward()
    np.testing.assert_allclose(vals(a.grad), vals(ta.grad))
    ra2 = a.detach().tensor_split(ios, dim)
    assert len(ra2) == len(rt)


def test_tensor_split_errors():
    same_error(lambda x: agrad.tensor_split(x, 0), lambda x: torch.tensor_split(x, 0),
               data(2, 3))
    same_error(lambda x: agrad.tensor_split(x, 2), lambda x: torch.tensor_split(x, 2), data())


@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("shapes", [[(3,), (2,)], [(3,), (2,), (4,)], [(), (2,)], [(2,)]])
def test_meshgrid(indexing, shapes):
    arrays = [data(*s) for s in shapes]
    pairs = [both(a, requires_grad=True) for a in arrays]
    ra = agrad.meshgrid(*[p[0] for p in pairs], indexing=indexing)
    rt = torch.meshgrid(*[p[1] for p in pairs], indexing=indexing)
    for x, t in zip(ra, rt):
        assert_same(x, t)
    ws = [data(*t.shape) for t in rt]
    sum((x * agrad.tensor(w)).sum() for x, w in zip(ra, ws)).backward()
    sum((t * torch.tensor(w)).sum() for t, w in zip(rt, ws)).backward()
    for (a, t) in pairs:
        np.testing.assert_allclose(vals(a.grad), vals(t.grad))
    ra = agrad.meshgrid([p[0] for p in pairs], indexing=indexing)
    assert len(ra) == len(rt)


def test_meshgrid_warning_and_errors():
    a, t = both(data(2))
    with pytest.warns(UserWarning, match="indexing argument"):
        agrad.meshgrid(a, a)
    same_error(lambda x, y: agrad.meshgrid(x, y, indexing="foo"),
               lambda x, y: torch.meshgrid(x, y, indexing="foo"), data(2), data(2))
    same_error(lambda x, y: agrad.meshgrid(x, y, indexing="ij"),
               lambda x, y: torch.meshgrid(x, y, indexing="ij"), data(2), data(2, dtype="float32"))
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor in the tensor list"):
        agrad.meshgrid(agrad.ones(2, 2), agrad.ones(2), indexing="ij")


@pytest.mark.parametrize("sa,sb,dim", [((3,), (3,), 0), ((2, 3), (2, 3), 1), ((3, 4), (3, 4), 0),
                                       ((2, 3), (1, 3), -1), ((4, 3, 2), (1, 3, 2), 1)])
def test_cross(sa, sb, dim):
    differential(lambda a, b: agrad.cross(a, b, dim=dim),
                 lambda a, b: torch.cross(a, b, dim=dim), data(*sa), data(*sb))
    differential(lambda a, b: a.cross(b, dim=dim), lambda a, b: a.cross(b, dim=dim),
                 data(*sa, dtype="float32"), data(*sb, dtype="float32"), atol=1e-5)
    same_error(lambda a, b: agrad.cross(a, b, dim=dim), lambda a, b: torch.cross(a, b, dim=dim),
               data(*sa), data(*sb, dtype="float32"))
    assert gc(lambda a, b: agrad.cross(a, b, dim=dim), (f64(*sa), f64(*sb)))


def test_cross_default_dim_and_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        differential(agrad.cross, torch.cross, data(3, 4), data(3, 4))
    same_error(lambda a, b: agrad.cross(a, b, dim=1), lambda a, b: torch.cross(a, b, dim=1),
               data(2, 4), data(2, 4))
    same_error(lambda a, b: agrad.cross(a, b, dim=-1), lambda a, b: torch.cross(a, b, dim=-1),
               data(2, 3), data(3))


# -- saved tensors: only what the gradient reads, so later in-place writes behave as in PyTorch ----

@pytest.mark.parametrize("case", ["gather", "index_select", "masked_fill", "scatter",
                                  "take_along_dim"])
def test_inplace_write_to_input_after_the_op(case):
    """index_select / masked_fill / scatter do not save their input (a later write is fine);
    gather does, in PyTorch and here (a later write is an error)."""
    idx = np.array([[0, 2], [1, 1]])
    mask = np.array([[True, False, True], [False, False, True]])
    ops = {
        "gather": lambda x, i, m: x.gather(1, i),
        "index_select": lambda x, i, m: x.index_select(1, i[0]),
        "masked_fill": lambda x, i, m: x.masked_fill(m, 0.5),
        "scatter": lambda x, i, m: x.scatter(1, i[:, :1], 7.0),
        "take_along_dim": lambda x, i, m: x.take_along_dim(i, 1),
    }
    results = []
    arr = data(2, 3)
    for T in (torch, agrad):
        leaf = T.tensor(arr, requires_grad=True)
        x = leaf * 1
        out = ops[case](x, T.tensor(idx), T.tensor(mask))
        x.add_(1.0)  # the op's input changes after the fact
        if case in ("gather", "take_along_dim"):
            with pytest.raises(RuntimeError, match="modified by an inplace operation"):
                out.sum().backward()
            continue
        out.sum().backward()
        results.append(leaf.grad)
    if results:
        np.testing.assert_allclose(vals(results[1]), vals(results[0]))


def test_needed_operand_modified_raises_like_torch():
    for lib in (agrad, torch):
        a = lib.tensor(data(2, 3), requires_grad=True)
        b = lib.tensor(data(3, 2), requires_grad=True)
        bb = b * 1
        y = a @ bb
        bb.add_(1.0)  # needed for a's gradient
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()
