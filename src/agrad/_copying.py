"""copy.copy, copy.deepcopy and pickle of tensors, with PyTorch's semantics.

What PyTorch does, and so agrad:

- ``copy.copy(t)``: a new tensor over the *same* memory and layout (PyTorch rebuilds it from the
  same storage): writes through either are seen by the other. It is a leaf (even when `t` is
  not), keeps `requires_grad`, has no ``.grad`` and its own version counter.
- ``copy.deepcopy(t)``: only leaves (a tensor with a ``grad_fn`` raises PyTorch's error). The
  storage is copied once per deepcopy call, so tensors that shared memory (a base and its views)
  still share it among the copies, at the same offsets and strides (PyTorch's copies have no
  ``_base``; agrad's keep theirs, a base over the copied storage, because agrad reaches memory
  through a view chain). ``requires_grad`` is kept and ``.grad`` deep-copied (through the
  same memo: ``deepcopy([x, x.grad])`` keeps ``copy[0].grad is copy[1]``), user attributes too.
- pickle: the whole storage's values and the layout (offset, strides), `requires_grad` (a
  non-leaf unpickles as a leaf that requires grad), user attributes; no ``.grad``, no history.
  Every pickled tensor has its own storage (PyTorch's plain pickle does not share storages
  between tensors either; `agrad.save` does keep shared tensors shared).

On Dask, pickling computes the values (a pickle is a snapshot of values, not of a task graph that
may name files, random streams or a cluster's data); the tensor unpickles on Dask again, chunked
with the current chunk spec. A deepcopy of a Dask tensor copies no data: it is a new Dask array
over the same (immutable) graph.
"""

from __future__ import annotations

import copy as _copy
from typing import Any

from . import _storage as S
from . import dtypes as D
from ._tensor import Tensor

_new = object.__new__

# instance-dict entries that are agrad's autograd or layout state; the rest are user attributes
_STATE = frozenset({"_requires_grad", "_grad_fn", "_grad", "_output_nr", "_retains_grad",
                    "_hooks", "_accumulator", "_gf_version", "_is_param", "_base_strides"})
_NOT_A_LEAF = ("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
               "protocol at the moment.  If you were attempting to deepcopy a module, this may "
               "be because of a torch.nn.utils.weight_norm usage, see "
               "https://github.com/pytorch/pytorch/pull/103001")


def user_attrs(t: Tensor) -> dict[str, Any]:
    return {k: v for k, v in t.__dict__.items() if k not in _STATE}


def _base_on(storage: S.Storage, like: Tensor) -> Tensor:
    """A plain base tensor over `storage` with `like`'s dtype and layout."""
    b = _new(Tensor)
    b._storage = storage
    b._view = None
    b._vc = storage
    b._dtype = like._dtype
    if like._base_strides is not None:
        b._base_strides = like._base_strides
    return b


def _place(t: Tensor, storage: S.Storage, src: Tensor) -> None:
    """Put `t` on `storage` at `src`'s position (its view chain over a fresh base, if any)."""
    t._storage = storage
    t._dtype = src._dtype
    v = src._view
    if v is None:
        t._view = None
        if src._base_strides is not None:
            t._base_strides = src._base_strides
    else:
        t._view = S.View(v.steps, v.shape, v.strides, v.offset, _base_on(storage, v.base))


def shallow(t: Tensor) -> Tensor:
    """copy.copy: a leaf over the same storage and layout, with its own version counter."""
    c = _new(type(t))
    _place(c, t._storage, t)
    c._vc = S.VersionCounter()
    if t._requires_grad:
        c._requires_grad = True
    c.__dict__.update(user_attrs(t))
    return c


def deep(t: Tensor, memo: dict[Any, Any]) -> Tensor:
    """copy.deepcopy of a leaf: its storage copied once per deepcopy (memo), its grad too."""
    if t.grad_fn is not None:
        raise RuntimeError(_NOT_A_LEAF)
    done = memo.get(id(t))
    if done is not None:
        return done
    st = t._storage
    new_st = memo.get(id(st))
    if new_st is None:
        new_st = S.Storage(st.backend.xp.asarray(st.array, copy=True), st.backend, st.device)
        new_st.owned = True
        memo[id(st)] = new_st
    c = _new(type(t))
    _place(c, new_st, t)
    c._vc = new_st
    memo[id(t)] = c
    if t._requires_grad:
        c._requires_grad = True
    if t._grad is not None:
        c._grad = _copy.deepcopy(t._grad, memo)
    for k, val in user_attrs(t).items():
        c.__dict__[k] = _copy.deepcopy(val, memo)
    return c


def reduce(t: Tensor) -> tuple:
    """pickle: the storage's values (computed on a lazy backend) and the layout to rebuild."""
    st = t._storage
    v = t._view
    base = t if v is None else v.base
    layout = None if v is None else (v.steps, v.shape, v.strides, v.offset)
    return (rebuild, (st.backend.to_numpy(st.array), base._dtype.name, str(t.device),
                      t._requires_grad, t._dtype.name, layout, base._base_strides,
                      user_attrs(t)))


def rebuild(values: Any, dtype_name: str, device: str, requires_grad: bool, view_dtype: str,
            layout: tuple | None, base_strides: tuple[int, ...] | None,
            attrs: dict[str, Any]) -> Tensor:
    """The unpickling side of `reduce`."""
    from .ops.creation import tensor

    base = tensor(values, dtype=D.BY_NAME[dtype_name], device=device)
    if base_strides is not None:
        base._base_strides = base_strides
    if layout is None:
        t = base
    else:
        t = _new(Tensor)
        t._storage = base._storage
        t._vc = base._storage
        t._dtype = D.BY_NAME[view_dtype]
        t._view = S.View(*layout, base)
    if requires_grad:
        t.requires_grad = True
    t.__dict__.update(attrs)
    return t
