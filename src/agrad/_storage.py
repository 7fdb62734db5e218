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

from typing import Any

RESHAPE, PERMUTE, INDEX, EXPAND = 0, 1, 2, 3


class Storage:
    """One backend array shared by a base tensor and all its views.

    `version` is PyTorch's version counter (shared by the tensors that alias this storage, except
    `.data` aliases, which carry their own); `writes` counts every write so that cached view
    arrays that do not alias the base know they are stale."""

    __slots__ = ("array", "backend", "device", "version", "writes", "owned")

    def __init__(self, array: Any, backend: Any, device: Any) -> None:
        self.array = array
        self.backend = backend
        self.device = device
        self.version = 0
        self.writes = 0
        # whether writing into `array` in place is safe: an op may hand back a view of its
        # input's buffer, so ownership is checked (and taken by a copy) at the first write
        self.owned = False

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


class View:
    """A tensor's position in its storage: the step chain from the base array, and the layout."""

    __slots__ = ("steps", "shape", "strides", "offset", "base", "cache", "cache_base",
                 "cache_writes", "aliased", "expanded")

    def __init__(self, steps: tuple, shape: tuple[int, ...], strides: tuple[int, ...],
                 offset: int, base: Any) -> None:
        self.steps = steps
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.base = base  # the base Tensor (PyTorch's `._base`), kept for autograd
        self.cache = None
        self.cache_base = None
        self.cache_writes = -1
        self.aliased = False
        # a broadcast (expanded) array is no writable alias on any backend (the standard does
        # not promise `broadcast_to` results can be written, NumPy's are read-only): writes
        # through such a chain always take the write-back path
        self.expanded = any(kind == EXPAND for kind, _ in steps)

    def read(self, storage: Storage) -> Any:
        arr = storage.array
        if self.cache_base is arr and (self.aliased or self.cache_writes == storage.writes):
            return self.cache
        b = storage.backend
        out = apply_steps(b.xp, arr, self.steps)
        self.cache, self.cache_base, self.cache_writes = out, arr, storage.writes
        self.aliased = b.in_place and not self.expanded and b.aliases(out, arr)
        return out


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


def _inverse_perm(dims: tuple[int, ...]) -> tuple[int, ...]:
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return tuple(inv)


def scatter(backend: Any, base: Any, steps: tuple, value: Any) -> Any:
    """The new base array after writing `value` (shaped like the view) through `steps`."""
    if any(kind == EXPAND for kind, _ in steps):
        xp = backend.xp
        new, _ = _scatter_masked(backend, base, steps, value, xp.ones(value.shape, dtype=xp.bool))
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
        return xp.permute_dims(new_inner, _inverse_perm(arg))
    return backend.index_update(base, arg, new_inner)


def _scatter_masked(backend: Any, base: Any, steps: tuple, value: Any, mask: Any):
    """Write-back through an expand: the mask says which expanded elements were written, so the
    base takes each written element's value (a write never hits one element twice: checked)."""
    xp = backend.xp
    if not steps:
        return xp.where(mask, value, base), mask
    kind, arg = steps[0]
    inner = apply_step(xp, base, steps[0])
    v, m = _scatter_masked(backend, inner, steps[1:], value, mask)
    if kind == RESHAPE:
        return xp.reshape(v, base.shape), xp.reshape(m, base.shape)
    if kind == PERMUTE:
        inv = _inverse_perm(arg)
        return xp.permute_dims(v, inv), xp.permute_dims(m, inv)
    if kind == INDEX:
        zeros = xp.zeros(base.shape, dtype=xp.bool)
        return backend.index_update(base, arg, v), backend.index_update(zeros, arg, m)
    # EXPAND: fold the broadcast dimensions back onto the base's
    lead = len(arg) - base.ndim
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(base.shape) if s == 1 and arg[lead + i] != 1)
    zero = xp.zeros((), dtype=v.dtype)
    vals = xp.sum(xp.where(m, v, zero), axis=axes, keepdims=True, dtype=v.dtype)
    written = xp.any(m, axis=axes, keepdims=True)
    vals = xp.reshape(vals, base.shape)
    written = xp.reshape(written, base.shape)
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
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size == 0:
            return True
        if size != 1:
            if stride != expected:
                return False
            expected *= size
    return True


def has_internal_overlap(shape: tuple[int, ...], strides: tuple[int, ...]) -> bool:
    """True when two elements share one memory location (a stride-0 dimension of size > 1)."""
    return any(st == 0 and sz > 1 for sz, st in zip(shape, strides))
