"""index_add, index_copy, index_fill (functions, methods, in-place, out=) against PyTorch: values
(repeated positions accumulate for index_add), gradients, grad_fn names, PyTorch's errors in
PyTorch's order, and finite-difference gradchecks."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from _oracle import (
    EAGER,
    assert_same,
    both,
    data,
    differential,
    f64,
    gc,
    ggc,
    outcome,
    same_outcome,
    torch,
    vals,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import agrad

_rng = np.random.default_rng(7)


def _index(n, size, repeats=True):
    """n positions in [0, size): with repeats, or (n <= size) without."""
    if repeats:
        return _rng.integers(0, size, n).astype("int64")
    return _rng.permutation(size)[:n].astype("int64")


def _source_shape(shape, dim, n):
    dim %= len(shape)
    return tuple(n if i == dim else s for i, s in enumerate(shape))


CASES = [((3, 4), 0, 5), ((3, 4), 1, 2), ((2, 3, 4), 1, 4), ((2, 3, 4), -1, 3), ((5,), 0, 7),
         ((4, 2), 0, 0)]


@pytest.mark.parametrize("shape,dim,n", CASES)
@pytest.mark.parametrize("alpha", [1, 2.5, -1])
def test_index_add(shape, dim, n, alpha):
    idx = _index(n, shape[dim])
    src = _source_shape(shape, dim, n)
    differential(lambda x, i, s: agrad.index_add(x, dim, i, s, alpha=alpha),
                 lambda x, i, s: torch.index_add(x, dim, i, s, alpha=alpha), data(*shape), idx,
                 data(*src))
    differential(lambda x, i, s: x.index_add(dim, i, s, alpha=alpha),
                 lambda x, i, s: x.index_add(dim, i, s, alpha=alpha), data(*shape), idx,
                 data(*src))
    ia = agrad.tensor(idx)
    assert gc(lambda x, s: agrad.index_add(x, dim, ia, s, alpha=alpha), (f64(*shape), f64(*src)))
    assert ggc(lambda x, s: agrad.index_add(x, dim, ia, s, alpha=alpha), (f64(*shape), f64(*src)))


def test_index_add_repeats_accumulate():
    x = agrad.zeros(4)
    r = x.index_add(0, agrad.tensor([1, 3, 1, 1]), agrad.tensor([10.0, 20.0, 30.0, 40.0]))
    assert r.tolist() == [0.0, 80.0, 0.0, 20.0]
    assert x.tolist() == [0.0] * 4


@pytest.mark.parametrize("dtype,alpha", [("int64", 2), ("int64", -1.7), ("int32", 3), ("bool", 1),
                                         ("bool", 0), ("float32", True), ("complex128", 1j),
                                         ("uint8", -1)])
def test_index_add_dtypes(dtype, alpha):
    x = data(3, 4, dtype="bool" if dtype == "bool" else "int64")
    s = data(2, 4, dtype="bool" if dtype == "bool" else "int64")
    if dtype == "uint8":
        x, s = np.abs(x), np.abs(s)

    def make(lib):
        dt = getattr(lib, dtype)
        return lib.tensor(x.tolist(), dtype=dt).index_add(0, lib.tensor([2, 2]),
                                                         lib.tensor(s.tolist(), dtype=dt),
                                                         alpha=alpha)
    same_outcome(lambda: make(agrad).tolist(), lambda: make(torch).tolist())


def test_index_add_complex_gradient():
    """The source's gradient is alpha times the incoming one: PyTorch's formula, which does
    not conjugate a complex alpha (mul by a complex number does)."""
    x0 = data(3, 2) + 1j * data(3, 2)
    s0 = data(3, 2) + 1j * data(3, 2)

    def run(lib):
        x = lib.tensor(x0, requires_grad=True)
        s = lib.tensor(s0, requires_grad=True)
        y = x.index_add(0, lib.tensor([0, 0, 2]), s, alpha=0.5 - 2j)
        y.abs().sum().backward()
        return type(y.grad_fn).__name__, vals(x.grad), vals(s.grad)
    a, t = run(agrad), run(torch)
    assert a[0] == t[0]
    np.testing.assert_allclose(a[1], t[1])
    np.testing.assert_allclose(a[2], t[2])


@pytest.mark.parametrize("shape,dim,n", CASES)
def test_index_copy(shape, dim, n):
    n = min(n, shape[dim])  # without repeats: PyTorch leaves their order undefined
    idx = _index(n, shape[dim], repeats=False)
    src = _source_shape(shape, dim, n)
    differential(lambda x, i, s: agrad.index_copy(x, dim, i, s),
                 lambda x, i, s: torch.index_copy(x, dim, i, s), data(*shape), idx, data(*src))
    differential(lambda x, i, s: x.index_copy(dim, i, s), lambda x, i, s: x.index_copy(dim, i, s),
                 data(*shape, dtype="int64"), idx, data(*src, dtype="int64"))
    ia = agrad.tensor(idx)
    assert gc(lambda x, s: agrad.index_copy(x, dim, ia, s), (f64(*shape), f64(*src)))
    assert ggc(lambda x, s: agrad.index_copy(x, dim, ia, s), (f64(*shape), f64(*src)))


def test_index_copy_repeats_last_write_wins():
    """PyTorch's CPU kernel copies in index order: the last write to a position wins."""
    for lib in (agrad, torch):
        r = lib.zeros(2, 2).index_copy(0, lib.tensor([1, 1, 1]),
                                       lib.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
        assert r.tolist() == [[0.0, 0.0], [5.0, 6.0]]


@pytest.mark.parametrize("shape,dim,idx", [((3, 4), 0, [2, 0]), ((3, 4), 1, [1, 1, -1]),
                                           ((2, 3, 4), 1, [0]), ((5,), 0, [-5, 4]),
                                           ((3, 4), 1, 2), ((3, 4), 0, [])])
def test_index_fill(shape, dim, idx):
    idx = np.asarray(idx, dtype="int64")
    differential(lambda x, i: agrad.index_fill(x, dim, i, -1.5),
                 lambda x, i: torch.index_fill(x, dim, i, -1.5), data(*shape), idx)
    differential(lambda x, i: x.index_fill(dim, i, 7.9), lambda x, i: x.index_fill(dim, i, 7.9),
                 data(*shape, dtype="int64"), idx)
    if (idx >= 0).all():  # PyTorch's gradient of a tensor value fails on negative positions
        differential(lambda x, i, v: x.index_fill(dim, i, v),
                     lambda x, i, v: x.index_fill(dim, i, v), data(*shape), idx, np.array(2.5))
    else:
        differential(lambda x, i, v: x.index_fill(dim, i, v),
                     lambda x, i, v: x.index_fill(dim, i, v), data(*shape), idx, np.array(2.5),
                     grad=(0,))
    ia = agrad.tensor(idx)
    assert gc(lambda x, v: agrad.index_fill(x, dim, ia, v), (f64(*shape), f64()))
    assert ggc(lambda x, v: agrad.index_fill(x, dim, ia, v), (f64(*shape), f64()))


@pytest.mark.parametrize("name", ["index_add", "index_copy", "index_fill"])
def test_zero_dim(name):
    """A 0-d input is one slice along dim 0 (or -1)."""
    def run(lib):
        x = lib.tensor(1.5, dtype=lib.float64, requires_grad=True)
        s = lib.tensor(4.0, dtype=lib.float64, requires_grad=True)
        y = getattr(x, name)(-1, lib.tensor([0]), s) if name != "index_fill" else \
            x.index_fill(-1, lib.tensor(0), s)
        y.backward()
        return y.item(), type(y.grad_fn).__name__, x.grad.item(), s.grad.item()
    assert run(agrad) == run(torch)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=0, max_size=9), st.integers(1, 4),
       st.floats(-3, 3, allow_nan=False))
def test_index_add_is_a_sum_of_slices(idx, cols, alpha):
    """index_add equals adding each source row in turn (the definition), whatever the repeats."""
    x = data(4, cols)
    s = data(len(idx), cols)
    expected = x.copy()
    for k, i in enumerate(idx):
        expected[i] += alpha * s[k]
    got = agrad.tensor(x).index_add(0, agrad.tensor(idx, dtype=agrad.int64), agrad.tensor(s),
                                    alpha=alpha)
    np.testing.assert_allclose(vals(got), expected, atol=1e-12)


# -- in place and out= ----------------------------------------------------------------------------

@pytest.mark.parametrize("name,extra", [("index_add_", (data(2, 3),)),
                                        ("index_copy_", (data(2, 3),)),
                                        ("index_fill_", (3.0,))])
def test_inplace_through_a_view(name, extra):
    """The in-place forms write the storage every alias sees and rebase the history: the
    gradients equal PyTorch's, the grad_fn of the written base is CopySlices."""
    x0 = data(4, 3)

    def run(lib):
        x = lib.tensor(x0, dtype=lib.float64, requires_grad=True)
        args = tuple(lib.tensor(e, dtype=lib.float64, requires_grad=True)
                     if isinstance(e, np.ndarray) else e for e in extra)
        base = x * 1
        view = base[1:]
        r = getattr(view, name)(0, lib.tensor([2, 0]), *args)
        assert r is view
        (base * lib.arange(12.0, dtype=lib.float64).reshape(4, 3)).sum().backward()
        return (base.tolist(), type(base.grad_fn).__name__, x.grad.tolist(),
                [a.grad.tolist() for a in args if isinstance(a, lib.Tensor)])
    assert run(agrad) == run(torch)


@pytest.mark.parametrize("name", ["index_add_", "index_copy_", "index_fill_"])
def test_inplace_errors(name):
    def run(lib, leaf):
        x = lib.zeros(3, 2, requires_grad=leaf) if leaf else lib.zeros(1, 2).expand(3, 2)
        other = lib.ones(2, 2) if name != "index_fill_" else 1.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # index_fill_'s deprecation (tested above)
            return getattr(x, name)(0, lib.tensor([0, 2]), other).tolist()
    same_outcome(lambda: run(agrad, True), lambda: run(torch, True))
    same_outcome(lambda: run(agrad, False), lambda: run(torch, False))


def _same_version_error(fa, ft):
    """Both raise PyTorch's version error (agrad's type name carries a non-CPU device, as
    PyTorch's `torch.cuda.DoubleTensor` does)."""
    got, want = outcome(fa), outcome(ft)
    dev = agrad.get_default_device().type
    assert (got[0], got[1].replace(f"torch.{dev}.", "torch.")) == want


def test_index_fill_on_an_expanded_tensor_warns():
    """PyTorch fills an expanded tensor (every alias takes the same value) with a deprecation
    warning."""
    msg = ("Use of index_fill_ on expanded tensors is deprecated. Please clone() the tensor before "
           "performing this operation. This also applies to advanced indexing e.g. "
           "tensor[mask] = scalar")
    x = agrad.zeros(1, 2).expand(3, 2)
    with pytest.warns(UserWarning, match="^" + re.escape(msg) + "$"):
        x.index_fill_(1, agrad.tensor([1]), 5.0)
    assert x.tolist() == [[0.0, 5.0]] * 3
    with pytest.warns(UserWarning, match=re.escape(msg)):
        torch.zeros(1, 2).expand(3, 2).index_fill_(1, torch.tensor([1]), 5.0)


def test_inplace_bumps_the_version_and_saved_checks_see_it():
    def run(lib):
        x = lib.ones(3, dtype=lib.float64, requires_grad=True)
        y = x * 2
        z = y * y
        y.index_add_(0, lib.tensor([1]), lib.ones(1, dtype=lib.float64))
        z.sum().backward()
    _same_version_error(lambda: run(agrad), lambda: run(torch))


@pytest.mark.parametrize("name", ["index_add", "index_copy"])
def test_out(name):
    def run(lib):
        out = lib.empty(3, 2)
        r = getattr(lib, name)(lib.zeros(3, 2), 0, lib.tensor([2]), lib.ones(1, 2), out=out)
        return r is out, out.tolist()
    assert run(agrad) == run(torch)


def test_saved_source_modified_in_place_is_an_error():
    """PyTorch saves index_add's source: writing it before backward is its version error."""
    def run(lib):
        x = lib.zeros(3, dtype=lib.float64, requires_grad=True)
        s = lib.ones(2, dtype=lib.float64, requires_grad=True) * 1
        y = x.index_add(0, lib.tensor([0, 1]), s)
        s.mul_(2)
        y.sum().backward()
    _same_version_error(lambda: run(agrad), lambda: run(torch))


# -- errors ---------------------------------------------------------------------------------------

ADD_ERRORS = [
    ((3, 4), 0, np.array([0.0, 2.0]), (2, 4), "float32"),
    ((3, 4), 0, np.array([0, 2], dtype="int16"), (2, 4), "float32"),
    ((3, 4), 0, np.array([[0], [2]]), (2, 4), "float32"),
    ((3, 4), 0, np.array([[0.0], [2.0]]), (2, 4), "float64"),
    ((3, 4), 0, np.array([0, 2]), (2, 4), "float64"),
    ((3, 4), 0, np.array([0, 1, 2]), (2, 4), "float32"),
    ((3, 4), 0, np.array([0, 2]), (2, 5), "float32"),
    ((3, 4), 0, np.array([0, 2]), (2, 4, 1), "float32"),
    ((3, 4), 0, np.array(1), (4,), "float32"),
    ((3, 4), 2, np.array([0, 2]), (2, 4), "float32"),
    ((2, 3, 4), 1, np.array([0, 1, 2]), (3, 2), "float32"),
    ((), 0, np.array([1]), (1,), "float32"),
    ((), 0, np.array([0, 0]), (), "float32"),
    ((3,), 0, np.array([0, 1]), (), "float32"),
]
BOUNDS = [((3, 4), 0, [0, 3]), ((3, 4), 1, [4]), ((3, 4), 0, [0, -1]), ((2, 3, 4), 1, [0, 9]),
          ((2, 3, 4), 2, [-1, 1]), ((5,), 0, [7, 0]), ((), 0, [1])]


def _err(fa, ft, shape, idx, src_shape, dtype):
    def make(lib):
        x = lib.zeros(shape)
        i = lib.tensor(idx)
        s = lib.ones(src_shape, dtype=getattr(lib, dtype))
        return x, i, s
    same_outcome(lambda: fa(*make(agrad)), lambda: ft(*make(torch)))


@pytest.mark.parametrize("shape,dim,idx,src,dtype", ADD_ERRORS)
def test_index_add_errors(shape, dim, idx, src, dtype):
    _err(lambda x, i, s: x.index_add(dim, i, s), lambda x, i, s: x.index_add(dim, i, s), shape,
         idx, src, dtype)


@EAGER
@pytest.mark.parametrize("shape,dim,idx", BOUNDS)
def test_index_add_out_of_bounds(shape, dim, idx):
    src = _source_shape(shape, dim, len(idx)) if shape else ()
    _err(lambda x, i, s: x.index_add(dim, i, s), lambda x, i, s: x.index_add(dim, i, s), shape,
         np.array(idx), src, "float32")


COPY_ERRORS = [
    ((2, 3, 4), 1, np.array([0, 1]), (2, 2, 5), "float32"),
    ((2, 3, 4), 1, np.array([0, 1]), (3, 2, 4), "float32"),
    ((2, 3, 4), 1, np.array([[0.0], [1.0]]), (3, 2, 5), "float64"),
    ((2, 3, 4), 1, np.array([0, 1, 2]), (3, 2, 5), "float64"),
    ((2, 3, 4), 1, np.array([0, 1, 2]), (3, 2), "float32"),
    ((2, 3, 4), 1, np.array([0.0, 1.0]), (2, 2, 4), "float32"),
    ((2, 3, 4), 1, np.array([0, 1], dtype="int32"), (2, 2, 4), "float32"),
    ((3, 4), 0, np.array([0, 1, 2]), (2, 4), "float32"),
    ((3, 4), 0, np.array(1), (4,), "float32"),
    ((2, 3, 4), 5, np.array([0]), (2, 1, 4), "float32"),
    ((), 0, np.array([0, 0]), (), "float32"),
    ((3,), 0, np.array([0, 1]), (), "float32"),
]


@pytest.mark.parametrize("shape,dim,idx,src,dtype", COPY_ERRORS)
def test_index_copy_errors(shape, dim, idx, src, dtype):
    _err(lambda x, i, s: x.index_copy(dim, i, s), lambda x, i, s: x.index_copy(dim, i, s), shape,
         idx, src, dtype)


@EAGER
@pytest.mark.parametrize("shape,dim,idx", [((2, 3, 4), 1, [0, 7]), ((3, 4), 0, [0, -1]),
                                           ((), 0, [1])])
def test_index_copy_out_of_bounds(shape, dim, idx):
    src = _source_shape(shape, dim, len(idx)) if shape else ()
    _err(lambda x, i, s: x.index_copy(dim, i, s), lambda x, i, s: x.index_copy(dim, i, s), shape,
         np.array(idx), src, "float32")


FILL_ERRORS = [
    ((2, 3), 0, np.array([[0.0]]), 1.0), ((2, 3), 0, np.array([[0.0]]), 1j),
    ((2, 3), 0, np.array([0.0]), 1j), ((2, 3), 0, np.array([0], dtype="int32"), 1.0),
    ((2, 3), 0, np.array([[0]]), 1.0), ((2, 3), 5, np.array([[0.0]]), 1j),
    ((2, 3), 5, np.array([0]), np.ones(2)), ((2, 3), 0, np.array([0]), np.array(1j)),
    ((2, 3), 0, np.array([0]), 1j), ((), 1, np.array([0]), 1.0),
]


@pytest.mark.parametrize("shape,dim,idx,value", FILL_ERRORS)
def test_index_fill_errors(shape, dim, idx, value):
    def run(lib):
        v = lib.tensor(value) if isinstance(value, np.ndarray) else value
        return lib.zeros(shape).index_fill(dim, lib.tensor(idx), v)
    same_outcome(lambda: run(agrad), lambda: run(torch))


@EAGER
@pytest.mark.parametrize("shape,dim,idx", [((2, 3), 1, [0, -4]), ((2, 3), 0, [2]),
                                           ((), 0, [1]), ((), 0, [-2])])
def test_index_fill_out_of_bounds(shape, dim, idx):
    def run(lib):
        return lib.zeros(shape).index_fill(dim, lib.tensor(idx), 1.0)
    same_outcome(lambda: run(agrad), lambda: run(torch))


@pytest.mark.parametrize("name", ["index_add", "index_copy"])
def test_non_tensor_arguments(name):
    for args in ((0, [0], None), (0, None, 1.0)):
        def run(lib, args=args):
            i = lib.tensor([0]) if args[1] is None else args[1]
            s = lib.ones(1, 2) if args[2] is None else args[2]
            return getattr(lib, name)(lib.zeros(3, 2), 0, i, s)
        same_outcome(lambda: run(agrad), lambda: run(torch))


def test_failed_calls_leave_the_input_unchanged():
    x = agrad.tensor(data(3, 4))
    before = vals(x).copy()
    for bad in (lambda: x.index_add_(0, agrad.tensor([0, 1, 2]), agrad.ones(2, 4)),
                lambda: x.index_copy_(0, agrad.tensor([0.0]), agrad.ones(1, 4)),
                lambda: x.index_fill_(0, agrad.tensor([[0]]), 1.0)):
        with pytest.raises((RuntimeError, IndexError)):
            bad()
        np.testing.assert_array_equal(vals(x), before)
        assert x._version == 0


def test_grad_fn_names():
    x, tx = both(data(3, 2), requires_grad=True)
    v, tv = both(np.array(2.0), requires_grad=True)
    i, ti = agrad.tensor([0, 2]), torch.tensor([0, 2])
    s, ts = both(data(2, 2), requires_grad=True)
    for fa, ft in [(lambda: x.index_add(0, i, s), lambda: tx.index_add(0, ti, ts)),
                   (lambda: x.index_copy(0, i, s), lambda: tx.index_copy(0, ti, ts)),
                   (lambda: x.index_fill(0, i, 1.0), lambda: tx.index_fill(0, ti, 1.0)),
                   (lambda: x.index_fill(0, i, v), lambda: tx.index_fill(0, ti, tv))]:
        assert_same(fa(), ft())
