"""Tensor.untyped_storage() / storage() / data_ptr() as PyTorch's tensor-views documentation uses
them, on every backend: views share their base's storage (same data_ptr), a view's data_ptr is
the storage's plus its offset, copies have their own; sizes, bytes and values as PyTorch's."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from _oracle import torch

import agrad
from agrad import storage as S

VIEWS = {
    "view": lambda t: t.view(3, 4),
    "transpose": lambda t: t.t(),
    "row": lambda t: t[1],
    "column": lambda t: t[:, 2],
    "slice": lambda t: t[1:, 2:],
    "unsqueeze": lambda t: t.unsqueeze(0),
    "expand": lambda t: t[:1].expand(3, 4),
    "detach": lambda t: t.detach(),
    "data": lambda t: t.data,
    "diagonal": lambda t: t.diagonal(),
    "split": lambda t: t.split(1)[1],
    "narrow": lambda t: t.narrow(1, 1, 2),
}
COPIES = {
    "clone": lambda t: t.clone(),
    "contiguous_of_transpose": lambda t: t.t().contiguous(),
    "add": lambda t: t + 1,
    "index": lambda t: t[[0, 2]],
    "reshape_copy": lambda t: t.t().reshape(12),
}


def _base(lib):
    return lib.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_views_share_the_storage(name):
    for lib in (agrad, torch):
        base = _base(lib)
        v = VIEWS[name](base)
        assert v.untyped_storage().data_ptr() == base.untyped_storage().data_ptr(), lib
        assert v.data_ptr() == base.data_ptr() + v.storage_offset() * v.element_size(), lib
    a, t = VIEWS[name](_base(agrad)), VIEWS[name](_base(torch))
    assert a.storage_offset() == t.storage_offset()
    assert a.data_ptr() - _addr(a) == 0 or a.numel() == 0


def _addr(t):
    """data_ptr recomputed from the storage and the offset (what the docs' equality says)."""
    return t.untyped_storage().data_ptr() + t.storage_offset() * t.element_size()


@pytest.mark.parametrize("name", sorted(COPIES))
def test_copies_have_their_own(name):
    for lib in (agrad, torch):
        base = _base(lib)
        c = COPIES[name](base)
        assert c.untyped_storage().data_ptr() != base.untyped_storage().data_ptr(), lib


def test_sizes_bytes_and_values_as_pytorchs():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TypedStorage's deprecation (tested below)
        out = []
        for lib in (agrad, torch):
            x = lib.arange(6, dtype=lib.float32).reshape(2, 3)
            v = x[1, 1:]
            u, s = v.untyped_storage(), v.storage()
            c = (x.t() * 1)  # a layout that is not row-major: memory order is PyTorch's
            out.append((u.size(), u.nbytes(), u.element_size(), len(u), u[4], u[-1], u.tolist(),
                        s.size(), s.nbytes(), s.element_size(), len(s), s[1], s[-1], s.tolist(),
                        str(s.dtype), str(u.device), s.type(), u.type(), repr(u), repr(s),
                        c.storage().tolist(), s.untyped().nbytes(), type(s.untyped()).__name__,
                        type(u).__name__, type(s).__name__))
    dev = agrad.get_default_device().type  # PyTorch's CPU names, on another device here
    got = str(out[0]).replace(f"device={dev}", "device=cpu").replace(f"torch.{dev}.", "torch.")
    assert got.replace(f"'{dev}'", "'cpu'") == str(out[1])


@pytest.mark.parametrize("dtype", ["int64", "bool", "float64", "complex64"])
def test_repr(dtype, backend):
    if getattr(agrad, dtype) not in backend.dtypes:
        pytest.skip(f"no {dtype} here")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got, want = (repr(lib.tensor([1, 0], dtype=getattr(lib, dtype)).storage())
                     for lib in (agrad, torch))
    dev = agrad.get_default_device()
    assert got == want.replace("device=cpu", f"device={dev}")


def test_empty():
    for lib in (agrad, torch):
        e = lib.zeros(0)
        assert e.data_ptr() == 0 and e.untyped_storage().data_ptr() == 0
        assert e.untyped_storage().nbytes() == 0
        assert repr(e.untyped_storage()).startswith(" \n[torch.storage.UntypedStorage(")
        x = lib.zeros(3)
        assert x[3:].data_ptr() == 0  # an empty view too
        assert x[3:].untyped_storage().data_ptr() == x.data_ptr()


def test_index_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lib in (agrad, torch):
            s = lib.tensor([1.0, 2.0]).storage()
            with pytest.raises(IndexError, match="^index 5 out of range for storage of size 2$"):
                s[5]
            with pytest.raises(IndexError, match="^index 8 out of range for storage of size 8$"):
                s.untyped()[8]
            with pytest.raises(RuntimeError, match="^slices are only supported in "
                                                   "UntypedStorage.__getitem__$"):
                s[0:1]


def test_one_untyped_storage_object_per_storage():
    """PyTorch hands out the same UntypedStorage object for a storage (`is` holds)."""
    for lib in (agrad, torch):
        x = lib.zeros(4)
        assert x.untyped_storage() is x[1:].untyped_storage()
        assert x.untyped_storage() is not lib.zeros(4).untyped_storage()


def test_address_is_stable_across_writes():
    for lib in (agrad, torch):
        y = lib.zeros(3).clone()
        p = y.data_ptr()
        y.add_(1)
        y[0] = 5
        y[1:].mul_(2)
        assert y.data_ptr() == p
        assert y.tolist() == [5.0, 2.0, 2.0]


@pytest.mark.backends("numpy")
def test_numpy_address_is_the_buffers():
    """On NumPy it is the real address: the one `.numpy()` and `from_numpy` share."""
    x = agrad.arange(12.0).reshape(3, 4)
    assert x.data_ptr() == x.numpy().ctypes.data
    assert x[1, 2:].data_ptr() == x.numpy()[1, 2:].ctypes.data
    a = np.ones(5)
    t = agrad.from_numpy(a)
    assert t.data_ptr() == a.ctypes.data == t.untyped_storage().data_ptr()
    assert agrad.from_numpy(a[2:]).data_ptr() == a[2:].ctypes.data


def test_identity_where_no_address(backend):
    """Backends without a stable buffer address (write-back, Dask, strict) give an identity:
    equal across the tensors that share the storage, different between storages."""
    x = agrad.arange(4.0)
    ptr = x.untyped_storage().data_ptr()
    if not backend.in_place:
        assert ptr == id(x._storage)
    x.add_(1)  # a write replaces the base array on these backends: the identity stays
    assert x.untyped_storage().data_ptr() == ptr == x[1:].untyped_storage().data_ptr()
    assert agrad.arange(4.0).data_ptr() != ptr


def test_typed_storage_warns_once():
    S._warned = False
    msg = ("TypedStorage is deprecated. It will be removed in the future and UntypedStorage will "
           "be the only storage class. This should only matter to you if you are using storages "
           "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead "
           "of tensor.storage()")
    x = agrad.zeros(2)
    with pytest.warns(UserWarning, match="^" + re.escape(msg) + "$"):
        x.storage()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x.storage()  # once per process, as PyTorch's


def test_public_classes():
    x = agrad.zeros(2)
    assert isinstance(x.untyped_storage(), agrad.UntypedStorage)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert isinstance(x.storage(), agrad.TypedStorage)
        assert x.storage().dtype is agrad.float32
