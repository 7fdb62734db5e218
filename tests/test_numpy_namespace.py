"""The NumPy backend's namespace binds hot functions to NumPy's fast entry points: each must
give exactly what array-api-compat's function gives (values, dtype, shape, writeability of
broadcasts), for the arguments agrad passes and for the ones it falls back on."""

from __future__ import annotations

import warnings

import array_api_compat.numpy as compat
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from agrad.backends.numpy_namespace import namespace as fast

pytestmark = pytest.mark.backends("numpy")  # about the NumPy adapter itself: run once

DTYPES = st.sampled_from([np.float32, np.float64, np.float16, np.int32, np.int64, np.bool_,
                          np.complex64, np.uint8])


def arrays(min_dims=0):
    return DTYPES.flatmap(lambda d: hnp.arrays(d, hnp.array_shapes(min_dims=min_dims,
                                                                   max_dims=4, max_side=4)))


def same(a, b):
    assert type(a) is type(b) or (np.ndim(a) == 0 and np.ndim(b) == 0)
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_array_equal(a, b)


@given(arrays(), st.data(), st.booleans())
def test_sum(x, data, keepdims):
    axis = data.draw(st.none() | st.integers(0, x.ndim - 1) if x.ndim else st.none())
    with np.errstate(all="ignore"):
        same(fast.sum(x, axis=axis, keepdims=keepdims),
             compat.sum(x, axis=axis, keepdims=keepdims))


@given(arrays(), st.data())
def test_reshape_permute_transpose_astype(x, data):
    same(fast.reshape(x, (-1,)), compat.reshape(x, (-1,)))
    axes = tuple(data.draw(st.permutations(range(x.ndim))))
    same(fast.permute_dims(x, axes), compat.permute_dims(x, axes))
    if x.ndim >= 2:
        same(fast.matrix_transpose(x), compat.matrix_transpose(x))
    to = data.draw(DTYPES)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        same(fast.astype(x, to), compat.astype(x, to))


@given(arrays(), st.data())
def test_broadcast_to_is_a_read_only_view(x, data):
    lead = data.draw(st.lists(st.integers(0, 3), max_size=2))
    shape = tuple(lead) + tuple(3 if s == 1 and data.draw(st.booleans()) else s
                                for s in x.shape)
    got, want = fast.broadcast_to(x, shape), np.broadcast_to(x, shape)
    same(got, want)
    assert not got.flags.writeable and (got.size == 0 or np.shares_memory(got, x))


def test_broadcast_to_refuses_as_numpy_does():
    with pytest.raises(ValueError):
        fast.broadcast_to(np.ones((2, 3)), (3, 3))
    with pytest.raises(ValueError):
        fast.broadcast_to(np.ones((2, 3)), (3,))


@given(st.lists(st.integers(0, 3), max_size=3), DTYPES)
def test_creation(shape, dtype):
    same(fast.zeros(tuple(shape), dtype=dtype), compat.zeros(tuple(shape), dtype=dtype))
    same(fast.ones(tuple(shape), dtype=dtype), compat.ones(tuple(shape), dtype=dtype))


def test_matmul():
    a, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
    same(fast.matmul(a, b), compat.matmul(a, b))
