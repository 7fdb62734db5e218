"""PyTorch's storage objects, `tensor.untyped_storage()` and the deprecated `tensor.storage()`:
views of agrad's own storage (`agrad._storage.Storage`: one base array shared by a tensor and
all its views), so the tensor-views documentation's checks hold on every backend:

    base.untyped_storage().data_ptr() == view.untyped_storage().data_ptr()
    view.data_ptr() == base.data_ptr() + view.storage_offset() * view.element_size()

`data_ptr()` is the buffer's address where the backend has one and writes into it in place
(NumPy, CuPy: it is the address `.numpy()` / `__cuda_array_interface__` show). Elsewhere
(Dask, array_api_strict, and any backend that replaces the base array on every write) there is
no stable address, so it is an identity: an integer unique to the storage while it lives (its
object's id), equal across all the tensors that share it. Either way it is 0 for an empty
storage, as in PyTorch.

Bytes and values are read in the order of the storage's memory (the base tensor's strides), as
PyTorch lays them out.
"""

from __future__ import annotations

import operator
import warnings
from typing import Any

from . import _storage as S
from . import dtypes as D

__all__ = ["UntypedStorage", "TypedStorage"]


def storage_ptr(st: S.Storage, dtype: D.dtype) -> int:
    """The storage's address (an identity on backends without a stable one); 0 when empty."""
    be = st.backend
    if _numel(st) * dtype.itemsize == 0:
        return 0
    if be.in_place:
        if not st.owned:
            st.own()  # its own buffer from now on: in-place writes keep this address
        ptr = be.data_ptr(st.array)
        if ptr is not None:
            return ptr
    return id(st)


def _numel(st: S.Storage) -> int:
    n = 1
    for s in st.backend.shape_of(st.array):
        n *= s
    return n


class _Base:
    """What both storages read: the tensor's storage, its dtype and the base tensor's strides
    (kept as numbers: a storage object holds no tensor, so it makes no reference cycle)."""

    __slots__ = ("_st", "_dtype", "_strides")

    def __init__(self, st: S.Storage, dtype: D.dtype, strides: tuple[int, ...]) -> None:
        self._st = st
        self._dtype = dtype
        self._strides = strides  # the base tensor's: they give the memory order

    @property
    def device(self) -> Any:
        return self._st.device

    def data_ptr(self) -> int:
        return storage_ptr(self._st, self._dtype)

    def nbytes(self) -> int:
        return _numel(self._st) * self._dtype.itemsize

    def _flat(self) -> Any:
        """The storage's elements as a flat NumPy array, in memory order."""
        st = self._st
        be = st.backend
        xp = be.xp
        a = st.array
        strides = self._strides
        if len(strides) > 1:  # dims from the outermost (largest stride) in
            order = sorted(range(len(strides)), key=lambda d: -strides[d])
            if order != list(range(len(strides))):
                a = xp.permute_dims(a, tuple(order))
        return be.to_numpy(xp.reshape(a, (-1,)))


class UntypedStorage(_Base):
    """The bytes of a tensor's storage (`tensor.untyped_storage()`).

    Examples:
        >>> x = torch.zeros(2, 3)
        >>> x[1].untyped_storage() is x.untyped_storage()
        True
    """

    __slots__ = ()

    def size(self) -> int:
        return self.nbytes()

    def element_size(self) -> int:
        return 1

    def __len__(self) -> int:
        return self.nbytes()

    def tolist(self) -> list[int]:
        return list(self._flat().tobytes())

    def __getitem__(self, i: int) -> int:
        i = operator.index(i)
        n = self.nbytes()
        if not -n <= i < n:
            raise IndexError(f"index {i} out of range for storage of size {n}")
        return self.tolist()[i]

    def type(self) -> str:
        return "torch.storage.UntypedStorage"

    def __repr__(self) -> str:
        body = "".join(f" {b}\n" for b in self.tolist()) or " \n"
        return f"{body}[torch.storage.UntypedStorage(device={self.device}) of size {self.size()}]"


_warned = False


def warn_typed_storage_removal() -> None:
    """PyTorch's deprecation warning, once per process as PyTorch gives it."""
    global _warned
    if not _warned:
        _warned = True
        warnings.warn("TypedStorage is deprecated. It will be removed in the future and "
                      "UntypedStorage will be the only storage class. This should only matter to "
                      "you if you are using storages directly.  To access UntypedStorage "
                      "directly, use tensor.untyped_storage() instead of tensor.storage()",
                      UserWarning, stacklevel=3)


class TypedStorage(_Base):
    """The elements of a tensor's storage, of its dtype (`tensor.storage()`, deprecated).

    Examples:
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     torch.tensor([1., 2.]).storage().tolist()
        [1.0, 2.0]
    """

    __slots__ = ()

    @property
    def dtype(self) -> D.dtype:
        return self._dtype

    def size(self) -> int:
        return _numel(self._st)

    def element_size(self) -> int:
        return self._dtype.itemsize

    def __len__(self) -> int:
        return self.size()

    def tolist(self) -> list:
        return self._flat().tolist()

    def __getitem__(self, i: int) -> Any:
        if isinstance(i, slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        i = operator.index(i)
        n = self.size()
        if not -n <= i < n:
            raise IndexError(f"index {i} out of range for storage of size {n}")
        return self.tolist()[i]

    def untyped(self) -> UntypedStorage:
        return UntypedStorage(self._st, self._dtype, self._strides)

    def type(self) -> str:
        dev = self.device.type
        prefix = "torch." if dev == "cpu" else f"torch.{dev}."
        return f"{prefix}{self._dtype.legacy}Storage"

    def __repr__(self) -> str:
        body = "".join(f" {v}\n" for v in self.tolist()) or " \n"
        return (f"{body}[torch.storage.TypedStorage(dtype={self._dtype}, device={self.device}) "
                f"of size {self.size()}]")
