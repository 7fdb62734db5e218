"""Storage and views: agrad's own aliasing model (DESIGN idea 2).

The Array API leaves view-versus-copy unspecified and some backends are immutable or lazy, so
aliasing is agrad's: a `Storage` holds one base array; a view is the base plus a chain of view
steps (reshape, permute, basic index, expand) and PyTorch's layout metadata (sizes, strides,
offset into the base), which decides exactly as PyTorch does whether `view` is legal and whether
a tensor is contiguous.

Reading a view applies its chain to the base, cached until the storage is written. Writing goes
to the storage: where the adapter says views alias and this view's array verifiably shares
memory with the base, in place; otherwise by functional write-back, scattering the new values
back through the chain into a new base. Either way every alias sees the write.
"""

from __future__ import annotations

import sys
from math import prod
from typing import Any

# CPython's reference counts, as they are up to 3.13 (later versions may borrow references on
# the stack, counting fewer than there are): PyTorch's use-count tests (may the engine take a
# gradient's buffer, may `zero_` drop an array nobody else holds). Elsewhere: None, and
# nothing is taken as exclusive.
refcount = sys.getrefcount if sys.implementation.name == "cpython" and \
    sys.version_info < (3, 14) else None

RESHAPE, PERMUTE, INDEX, EXPAND = 0, 1, 2, 3


class Storage:
    """One backend array shared by a base tensor and all its views.

    `version` is PyTorch's version counter (shared by the tensors that alias this storage, except
    `.data` aliases, which carry their own); `writes` counts every write so that cached view
    arrays that do not alias the base know they are stale."""

    __slots__ = ("array", "backend", "device", "version", "writes", "owned", "zeros", "untyped")

    def __init__(self, array: Any, backend: Any, device: Any) -> None:
        self.array = array
        self.backend = backend
        self.device = device
        self.version = 0
        self.writes = 0
        # whether writing into `array` in place is safe: an op may hand back a view of its
        # input's buffer, so ownership is checked (and taken by a copy) at the first write
        self.owned = False
        # the UntypedStorage handed out for it (made on first ask; PyTorch hands out one object)
        self.untyped = None
        # the read-only zero array `zero_` left as `array` (None otherwise): while `array` is
        # that very object, the storage holds zeros and nothing has written since
        self.zeros = None

    def sole_holder(self) -> bool:
        """Whether this storage alone refers to `array` (no `.numpy()` alias, no cached view of
        it): then replacing the array is unobservable."""
        return refcount is not None and refcount(self.array) <= 2  # the slot, the argument

    def own(self) -> None:
        """Make `array` exclusively this storage's before an in-place write."""
        if not self.backend.exclusive(self.array):
            self.array = self.backend.xp.asarray(self.array, copy=True)
        self.owned = True


class VersionCounter:
    """A counter of its own, for `.data` aliases: PyTorch's `.data` shares memory but not the
    version counter, so writes through it escape autograd's checks by design."""

    __slots__ = ("version",)

    def __init__(self) -> None:
        self.version = 0


def contiguous_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    strides = []
    acc = 1
    for s in reversed(shape):
        strides.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(strides))


# PyTorch's CreationMeta of a view: how it was made decides whether in-place writes into it or
# its base are allowed (see `agrad.autograd._view_meta`)
DEFAULT, MULTI_OUTPUT, NO_GRAD = 0, 1, 2


class View:
    """A tensor's position in its storage: the step chain from the base array, and the layout.

    `base` is the view's base tensor (PyTorch's `._base`), which autograd differentiates
    through; None for a storage position without one (`detach()` or `.data` of a view, which
    PyTorch does not count as views). `meta` is the creation meta, `version` the version counter
    when the view was made (PyTorch's attr_version: a write since then regenerates its grad_fn)."""

    __slots__ = ("steps", "shape", "strides", "offset", "base", "meta", "version", "cache",
                 "cache_base", "cache_writes", "aliased", "plain")

    def __init__(self, steps: tuple, shape: tuple[int, ...], strides: tuple[int, ...],
                 offset: int, base: Any, meta: int = DEFAULT, version: int = 0) -> None:
        self.steps = steps
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.base = base
        self.meta = meta
        self.version = version
        self.cache = None
        self.cache_base = None
        self.cache_writes = -1
        self.aliased = False
        # row-major apart from broadcast dims: an elementwise result keeps the default layout
        self.plain = is_plain(shape, strides)

    def read(self, storage: Storage) -> Any:
        arr = storage.array
        if self.cache_base is arr and (self.aliased or self.cache_writes == storage.writes):
            return self.cache
        b = storage.backend
        out = apply_steps(b.xp, arr, self.steps)
        self.cache, self.cache_base, self.cache_writes = out, arr, storage.writes
        # a broadcast (expanded) array is no writable alias on any backend (the standard does
        # not promise `broadcast_to` results can be written, NumPy's are read-only): writes
        # through such a chain always take the write-back path
        self.aliased = b.in_place and b.aliases(out, arr) and \
            not any(kind == EXPAND for kind, _ in self.steps)
        return out


def base_steps(view: View) -> tuple:
    """The view's steps from its base (whose own place in the storage may be a chain: the base
    of a view of `detach()` of a view is that detached tensor)."""
    bv = view.base._view
    return view.steps if bv is None else view.steps[len(bv.steps):]


def apply_step(xp: Any, a: Any, step: tuple) -> Any:
    kind, arg = step
    if kind == RESHAPE:
        return xp.reshape(a, arg)
    if kind == PERMUTE:
        return xp.permute_dims(a, arg)
    if kind == INDEX:
        return a[arg]
    return xp.broadcast_to(a, arg)


def apply_steps(xp: Any, a: Any, steps: tuple) -> Any:
    for step in steps:
        a = apply_step(xp, a, step)
    return a


def inverse_perm(dims: tuple[int, ...]) -> tuple[int, ...]:
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return tuple(inv)


def scatter(backend: Any, base: Any, steps: tuple, value: Any, mask: Any = None) -> Any:
    """The new base array after writing `value` (shaped like the view) through `steps`;
    through an expand, `mask` says which of the view's elements were written (all: None)."""
    if any(kind == EXPAND for kind, _ in steps):
        xp = backend.xp
        if mask is None:
            mask = xp.ones(value.shape, dtype=xp.bool)
        new, _ = _scatter_masked(backend, base, steps, value, mask)
        return new
    return _scatter(backend, base, steps, value)


def _scatter(backend: Any, base: Any, steps: tuple, value: Any) -> Any:
    if not steps:
        return value
    xp = backend.xp
    kind, arg = steps[0]
    inner = apply_step(xp, base, steps[0])
    new_inner = _scatter(backend, inner, steps[1:], value)
    if kind == RESHAPE:
        return xp.reshape(new_inner, base.shape)
    if kind == PERMUTE:
        return xp.permute_dims(new_inner, inverse_perm(arg))
    return backend.index_update(base, arg, new_inner)


def _scatter_masked(backend: Any, base: Any, steps: tuple, value: Any, mask: Any):
    """Write-back through an expand: the mask says which expanded elements were written; each
    base element takes the first value written to it (the writes PyTorch allows into an
    expanded tensor — fill_, masked and indexed assignment — write the same value to every
    alias of an element, and leave the order undefined otherwise)."""
    xp = backend.xp
    if not steps:
        return xp.where(mask, value, base), mask
    kind, arg = steps[0]
    inner = apply_step(xp, base, steps[0])
    v, m = _scatter_masked(backend, inner, steps[1:], value, mask)
    if kind == RESHAPE:
        return xp.reshape(v, base.shape), xp.reshape(m, base.shape)
    if kind == PERMUTE:
        inv = inverse_perm(arg)
        return xp.permute_dims(v, inv), xp.permute_dims(m, inv)
    if kind == INDEX:
        zeros = xp.zeros(base.shape, dtype=xp.bool)
        return backend.index_update(base, arg, v), backend.index_update(zeros, arg, m)
    # EXPAND: fold the broadcast dimensions (moved last, flattened) back onto the base's
    lead = len(arg) - base.ndim
    folded = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(base.shape) if s == 1 and arg[lead + i] != 1)
    kept = tuple(d for d in range(len(arg)) if d not in folded)
    order = kept + folded
    n = k = 1
    for d in kept:
        n *= arg[d]
    for d in folded:
        k *= arg[d]
    if k == 0:  # expanded to an empty size: nothing of the base is written
        return base, xp.zeros(base.shape, dtype=xp.bool)
    vf = xp.reshape(xp.permute_dims(v, order), (n, k))
    mf = xp.reshape(xp.permute_dims(m, order), (n, k))
    first = xp.argmax(xp.astype(mf, xp.int8), axis=1, keepdims=True)  # first True (or 0)
    hit = xp.reshape(xp.arange(k, dtype=first.dtype), (1, k)) == first
    if xp.isdtype(vf.dtype, "bool"):
        vals = xp.any(hit & vf, axis=1)
    else:  # the one value each row keeps, summed with zeros: exact
        vals = xp.sum(xp.where(hit, vf, xp.zeros((), dtype=vf.dtype)), axis=1, dtype=vf.dtype)
    vals = xp.reshape(vals, base.shape)
    written = xp.reshape(xp.any(mf, axis=1), base.shape)
    return xp.where(written, vals, base), written


# ---------------------------------------------------------------------------------------------
# Layout arithmetic (PyTorch's sizes/strides/offset), pure functions on tuples.

def view_strides(old_shape: tuple[int, ...], old_strides: tuple[int, ...],
                 new_shape: tuple[int, ...]) -> tuple[int, ...] | None:
    """PyTorch's computeStride: the strides `view` would give, or None when the new shape
    cannot be expressed over the old strides (then `view` fails and `reshape` copies)."""
    numel = 1
    for s in old_shape:
        numel *= s
    if numel == 0:
        return old_strides if old_shape == new_shape else contiguous_strides(new_shape)
    if not old_shape:
        return tuple(1 for _ in new_shape)
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base_stride = old_strides[-1]
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[tensor_d]
        if tensor_d == 0 or (old_shape[tensor_d - 1] != 1
                             and old_strides[tensor_d - 1] != tensor_numel * chunk_base_stride):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base_stride
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base_stride = old_strides[tensor_d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(new_strides)


def is_contiguous(shape: tuple[int, ...], strides: tuple[int, ...]) -> bool:
    """Row-major, ignoring unit dims; every empty tensor is contiguous (PyTorch's rule)."""
    if 0 in shape:
        return True
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size != 1:
            if stride != expected:
                return False
            expected *= size
    return True


def is_plain(shape: tuple[int, ...], strides: tuple[int, ...]) -> bool:
    """Row-major once broadcast (stride 0) and unit dims are left out: elementwise results of
    such operands have the default layout."""
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size == 1 or stride == 0:
            continue
        if stride != expected:
            return False
        expected *= size
    return True


def dense_strides(shape: tuple[int, ...], operands: list) -> tuple[int, ...]:
    """The strides PyTorch gives a result that preserves its operands' layout (TensorIterator's
    `reorder_dimensions`): dims ordered by the operands' strides (the first operand that
    orders a pair decides; broadcast dims do not; equal strides put the smaller dim inner),
    then the result dense in that order. `operands` are (shape, strides) pairs."""
    n = len(shape)
    aligned = []
    for oshape, ostrides in operands:  # strides over the result's shape, 0 where broadcast
        lead = n - len(oshape)
        aligned.append(tuple(0 if i < lead or oshape[i - lead] == 1 and shape[i] != 1
                             else ostrides[i - lead] for i in range(n)))

    def should_swap(d0: int, d1: int) -> int:
        for st in aligned:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    perm = list(range(n - 1, -1, -1))  # innermost first
    for i in range(1, n):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    strides = [0] * n
    acc = 1
    for d in perm:
        strides[d] = acc
        acc *= max(shape[d], 1)
    return tuple(strides)


def has_internal_overlap(shape: tuple[int, ...], strides: tuple[int, ...]) -> bool:
    """True when two elements share one memory location (a stride-0 dimension of size > 1;
    never in an empty tensor)."""
    return 0 not in shape and any(st == 0 and sz > 1 for sz, st in zip(shape, strides))


def non_overlapping_and_dense(shape: tuple[int, ...], strides: tuple[int, ...]) -> bool:
    """PyTorch's is_non_overlapping_and_dense: the elements fill a block of memory exactly
    once, in some order of the dims."""
    dims = sorted((st, sz) for sz, st in zip(shape, strides) if sz != 1)
    acc = 1
    for st, sz in dims:
        if st != acc:
            return False
        acc *= sz
    return True


NO_OVERLAP, PARTIAL_OVERLAP, FULL_OVERLAP = 0, 1, 2


def overlap_status(a: tuple, b: tuple) -> int:
    """PyTorch's get_overlap_status of two (shape, strides, offset) layouts in one storage:
    FULL when they cover the same elements the same way, PARTIAL when their memory ranges
    meet otherwise, NO_OVERLAP when they do not (or when either is empty, or not dense: what
    PyTorch calls too hard to tell)."""
    (sa, ta, oa), (sb, tb, ob) = a, b
    na, nb = prod(sa), prod(sb)
    if na == 0 or nb == 0 or not non_overlapping_and_dense(sa, ta) or \
            not non_overlapping_and_dense(sb, tb):
        return NO_OVERLAP
    if oa == ob and na == nb:
        return FULL_OVERLAP if ta == tb else PARTIAL_OVERLAP
    return PARTIAL_OVERLAP if oa < ob + nb and ob < oa + na else NO_OVERLAP
