"""unique / Tensor.unique / unique_consecutive against PyTorch on every backend (Dask included:
the result's size depends on the values): values, inverse, counts, dim=None and dim=int, NaNs,
dtypes, grad_fn names and PyTorch's errors (including backward through the values)."""

from __future__ import annotations

import numpy as np
import pytest
from _oracle import outcome, torch
from hypothesis import given, settings
from hypothesis import strategies as st

import agrad


def _lists(r):
    return ("tuple", [t.tolist() for t in r]) if isinstance(r, tuple) else ("one", [r.tolist()])


def _same(fn, *arrays):
    """fn(lib, *tensors) gives the same nested lists, NaNs where PyTorch's are (or the same
    error) in agrad and torch."""
    got = outcome(lambda: _lists(fn(agrad, *[agrad.tensor(a) for a in arrays])))
    want = outcome(lambda: _lists(fn(torch, *[torch.tensor(a) for a in arrays])))
    if want[0] in ("tuple", "one"):
        assert got[0] == want[0] and len(got[1]) == len(want[1]), (got, want)
        for g, w in zip(got[1], want[1]):
            np.testing.assert_equal(np.asarray(g, dtype=float), np.asarray(w, dtype=float))
            assert np.shape(g) == np.shape(w)
    else:
        assert got == want


FLAGS = [dict(), dict(return_inverse=True), dict(return_counts=True),
         dict(return_inverse=True, return_counts=True), dict(sorted=False, return_inverse=True)]


@pytest.mark.parametrize("flags", FLAGS)
@pytest.mark.parametrize("arr", [
    [3, 1, 3, 2, 1, 9], [[5, 5], [1, 0]], [2.5, float("nan"), 2.5, -1.0, float("nan")],
    [True, False, True], 7, [], [[]], [[1, 2], [3, 4], [1, 2], [0, 9]]])
def test_unique(flags, arr):
    arr = np.asarray(arr)
    _same(lambda lib, x: lib.unique(x, **flags), arr)
    _same(lambda lib, x: x.unique(**flags), arr)


@pytest.mark.parametrize("flags", FLAGS[:4])
@pytest.mark.parametrize("arr,dim", [
    ([[1, 2], [3, 4], [1, 2], [0, 9]], 0), ([[1, 2], [3, 4], [1, 2], [0, 9]], 1),
    ([[1, 2], [3, 4], [1, 2], [0, 9]], -1), ([[[1, 0], [1, 0]], [[0, 1], [1, 0]]], 1),
    ([[[1, 0], [1, 0]], [[0, 1], [1, 0]]], 2), ([3, 1, 3], 0), (np.zeros((0, 3)), 0),
    ([[0.5, 1.0], [0.5, 1.0], [0.5, -1.0]], 0), ([[True, False], [True, False]], 0)])
def test_unique_dim(flags, arr, dim):
    _same(lambda lib, x: lib.unique(x, dim=dim, **flags), np.asarray(arr))


@pytest.mark.parametrize("flags", FLAGS[:4])
@pytest.mark.parametrize("arr,dim", [
    ([1, 1, 2, 2, 3, 1, 1, 2], None), ([[1, 1], [1, 1], [2, 3], [1, 1]], 0),
    ([[1, 1], [1, 1], [2, 3], [1, 1]], 1), ([2.0, float("nan"), float("nan"), 2.0], None),
    ([[1, 2], [1, 2]], None), (4, None), ([], None), (np.zeros((0, 3)), 0)])
def test_unique_consecutive(flags, arr, dim):
    _same(lambda lib, x: lib.unique_consecutive(x, dim=dim, **flags), np.asarray(arr))
    _same(lambda lib, x: x.unique_consecutive(dim=dim, **flags), np.asarray(arr))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.integers(-3, 3), min_size=3, max_size=3), min_size=1, max_size=12),
       st.sampled_from([None, 0, 1]), st.booleans())
def test_matches_torch_on_random_data(rows, dim, consecutive):
    a = np.asarray(rows, dtype="int64")
    if consecutive:
        _same(lambda lib, x: lib.unique_consecutive(x, True, True, dim), a)
    else:
        _same(lambda lib, x: lib.unique(x, True, True, True, dim), a)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.one_of(st.floats(-4, 4, width=32), st.just(float("nan"))), max_size=20))
def test_definition(values):
    """values[inverse] is the input; counts count each value; values are sorted and distinct."""
    x = agrad.tensor(values, dtype=agrad.float64)
    u, inv, cnt = agrad.unique(x, return_inverse=True, return_counts=True)
    uv, iv, cv = np.asarray(u.tolist()), np.asarray(inv.tolist(), dtype=int), cnt.tolist()
    if values:
        np.testing.assert_array_equal(uv[iv], np.asarray(values))
    assert sum(cv) == len(values) and all(c > 0 for c in cv)
    finite = uv[~np.isnan(uv)]
    assert (np.diff(finite) > 0).all()
    assert np.isnan(uv).sum() == np.isnan(np.asarray(values, dtype=float)).sum()


@pytest.mark.parametrize("dtype", ["float16", "float32", "int8", "uint8", "int32"])
def test_dtypes(dtype, backend):
    if getattr(agrad, dtype) not in backend.dtypes:
        pytest.skip(f"no {dtype} on this backend")

    def run(lib):
        x = lib.tensor([3, 1, 3, 0], dtype=getattr(lib, dtype))
        u, inv, c = lib.unique(x, return_inverse=True, return_counts=True)
        return str(u.dtype), u.tolist(), str(inv.dtype), inv.tolist(), str(c.dtype)
    assert run(agrad) == run(torch)


@pytest.mark.parametrize("call", [
    lambda lib: lib.unique(lib.tensor([[1, 2]]), dim=2),
    lambda lib: lib.unique(lib.tensor(3.0), dim=0),
    lambda lib: lib.unique(lib.zeros(2, 0), dim=0),
    lambda lib: lib.unique(lib.zeros(0, 3), dim=1),
    lambda lib: lib.unique_consecutive(lib.tensor(3.0), dim=0),
    lambda lib: lib.unique_consecutive(lib.tensor([[1, 2]]), dim=5),
    lambda lib: lib.unique(lib.tensor([1j, 1j])),
    lambda lib: lib.unique(lib.tensor([[1j]]), dim=0),
    lambda lib: lib.unique_consecutive(lib.tensor([1j])),
    lambda lib: lib.unique([1, 2]),
])
def test_errors(call):
    _same(lambda lib: call(lib))


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.unique(x), lambda lib, x: lib.unique(x, dim=0),
    lambda lib, x: lib.unique_consecutive(x), lambda lib, x: lib.unique_consecutive(x, dim=1),
    lambda lib, x: x.unique(return_inverse=True, return_counts=True)[0]])
def test_in_the_graph_but_not_differentiable(call):
    """As in PyTorch, the values of a tensor that requires grad carry a grad_fn whose backward is
    PyTorch's NotImplementedError; the inverse and counts are integers outside the graph."""
    def run(lib):
        x = lib.tensor([[1.0, 2.0], [1.0, 2.0]], requires_grad=True)
        u = call(lib, x * 1)
        return u.requires_grad, type(u.grad_fn).__name__, outcome(u.sum().backward)
    assert run(agrad) == run(torch)
    u, i, c = agrad.unique(agrad.tensor([1.0], requires_grad=True), return_inverse=True,
                           return_counts=True)
    assert not i.requires_grad and not c.requires_grad


def test_array_api_face_shares_the_kernel():
    """The Array API's unique_* are the same kernel (sorted, each NaN its own, first positions
    as `indices`), complex numbers included (PyTorch's unique has no complex kernel)."""
    from agrad import array_api as xp

    u = xp.unique_all(xp.asarray([3 + 1j, 1, 3 + 1j, 2, 3 - 1j, 1]))
    r = np.unique_all(np.array([3 + 1j, 1, 3 + 1j, 2, 3 - 1j, 1]))
    for got, want in zip(u, r):
        np.testing.assert_array_equal(np.asarray(got.tolist()), want)
    v = xp.unique_values(xp.asarray([1.0, float("nan"), 1.0, float("nan")]))
    assert np.isnan(v.tolist()).sum() == 2 and v.shape == (3,)
    c = xp.unique_counts(xp.asarray([[2, 2], [1, 2]]))
    assert c.values.tolist() == [1, 2] and c.counts.tolist() == [1, 3]
    inv = xp.unique_inverse(xp.asarray([[2, 2], [1, 2]])).inverse_indices
    assert inv.tolist() == [[1, 1], [0, 1]]
