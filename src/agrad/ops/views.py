"""View ops: results share the input's storage (DESIGN idea 2) and are differentiable.

A view row's `view` function computes PyTorch's layout of the result (sizes, strides, offset)
and the step(s) it appends to the view chain; `view` refuses what PyTorch refuses, `reshape`
copies only when `view` would fail. In-place writes through a view give the base a `CopySlices`
node, and views whose storage was written regenerate their grad_fn from the base (PyTorch
shows AsStridedBackward0 there).
"""

from __future__ import annotations

import functools
import numbers
from typing import Any

from .. import _storage as S
from .. import dtypes as D
from .. import memory_format as MF
from .._storage import EXPAND, INDEX, PERMUTE, RESHAPE
from .._tensor import Tensor
from ..autograd.graph import _FREED, Node, should_compute
from . import _args
from ._args import one, sizes, wrap_dim
from ._dispatch import (
    INTERNAL_OVERLAP,
    autograd_first,
    call,
    edge,
    layout,
    make_views,
    read,
    shape_of,
)
from ._op import NOTHING, Op, to_real


def _infer_size(shape: tuple, numel: int) -> tuple[int, ...]:
    """A target shape with its one -1 filled in, checked against the element count."""
    shape = tuple(int(s) for s in shape)
    if sum(1 for s in shape if s == -1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape "
                               f"{list(shape)}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if -1 in shape:
        if known == 0 and numel == 0:
            raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} "
                               f"because the unspecified dimension size -1 can be any value and "
                               f"is ambiguous")
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        i = shape.index(-1)
        shape = shape[:i] + (numel // known,) + shape[i + 1:]
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


# -- layouts: (sizes, strides, offset, params) -> (steps, sizes, strides, offset) ----------------

def _reshaped(shape: tuple, strides: tuple, offset: int, p: tuple) -> tuple:
    new_shape, new_strides = p
    return ((RESHAPE, new_shape),), new_shape, new_strides, offset


def _permuted(shape: tuple, strides: tuple, offset: int, dims: tuple) -> tuple:
    return ((PERMUTE, dims),), tuple(shape[d] for d in dims), tuple(strides[d] for d in dims), \
        offset


def _expanded(shape: tuple, strides: tuple, offset: int, p: tuple) -> tuple:
    new_shape, new_strides = p
    step = RESHAPE if new_shape == tuple(shape) else EXPAND
    return ((step, new_shape),), new_shape, new_strides, offset


# -- backwards --------------------------------------------------------------------------------

def _g_reshape(n: Any, g: Tensor) -> tuple:
    return (g.reshape(n.shape(0)),)


def _g_permute(n: Any, g: Tensor) -> tuple:
    dims = n.params
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return (g.permute(inv),)


def _g_expand(n: Any, g: Tensor) -> tuple:
    return (g.sum_to_size(n.shape(0)),)


def view_row(name: str, layout_fn: Any, backward: Any, args: Any, **kw: Any) -> Op:
    """A view row: no computation, a layout and a step in the view chain."""
    return Op(name, args, view=layout_fn, backward=backward, needs=NOTHING, **kw)


# -- view / reshape -------------------------------------------------------------------------------

def _view_args(self: Tensor, *shape: Any) -> tuple:
    if len(shape) == 1 and not isinstance(shape[0], (tuple, list, Tensor, numbers.Integral)):
        if not D.is_dtype(shape[0]):
            bad = f"\n      didn't match because some of the arguments have invalid types: " \
                  f"(!{_args.kind(shape[0])}!)"
            raise _args.invalid_combination("view", shape, ("(torch.dtype dtype)" + bad,
                                                            "(tuple of ints size)" + bad))
        dt = D.arg(shape[0], "view")  # view(dtype): PyTorch reinterprets the bits; agrad converts
        if dt.itemsize != self._dtype.itemsize:
            raise RuntimeError("view(dtype) with a different element size is not supported")
        self = self.to(dt)
        new_shape = tuple(shape_of(self))
    else:
        new_shape = _infer_size(sizes(shape), self.numel())
    old_shape, old_strides, _ = layout(self)
    strides = S.view_strides(old_shape, old_strides, new_shape)
    if strides is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.")
    return (self,), (new_shape, strides)


VIEW = view_row("view", _reshaped, _g_reshape, _view_args, function=False)
# reshape's view of a tensor that is not contiguous (PyTorch's `_reshape_alias`, its own node)
def _reshape_alias_args(self: Tensor, size: Any, stride: Any) -> tuple:
    return (self,), (tuple(size), tuple(stride))


RESHAPE_ALIAS = view_row("_reshape_alias", _reshaped, _g_reshape, _reshape_alias_args,
                         function=False, method=False, grad_fn="ReshapeAliasBackward0")
UNSAFE_VIEW = Op("_unsafe_view", lambda x, shape: ((x,), shape),
                 forward=lambda xp, a, shape: xp.reshape(a, shape), backward=_g_reshape,
                 needs=NOTHING, function=False, method=False, grad_fn="UnsafeViewBackward0")


def reshape(input: Tensor, *shape: Any) -> Tensor:  # noqa: A002
    """A view when `view` would succeed, else a copy (grad_fn UnsafeViewBackward0). As in
    PyTorch, the view of a contiguous tensor is a `view` (ViewBackward0), of another one an
    alias with computed strides (ReshapeAliasBackward0)."""
    old_shape, old_strides, _ = layout(input)
    new_shape = _infer_size(sizes(shape), input.numel())
    strides = S.view_strides(old_shape, old_strides, new_shape)
    if strides is not None:
        row = VIEW if S.is_contiguous(old_shape, old_strides) else RESHAPE_ALIAS
        return call(row, (input,), (new_shape, strides))
    return call(UNSAFE_VIEW, (call(CLONE_CONTIGUOUS, (input,)),), new_shape)


def view_as(self: Tensor, other: Tensor) -> Tensor:
    return call(VIEW, *_view_args(self, tuple(shape_of(other))))


def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    return reshape(self, tuple(shape_of(other)))


Op("reshape", reshape, impl=reshape)
Op("view_as", view_as, impl=view_as, function=False)
Op("reshape_as", reshape_as, impl=reshape_as, function=False)


# -- permutations --------------------------------------------------------------------------------

def _permute_args(input: Tensor, *dims: Any) -> tuple:  # noqa: A002
    if not dims:  # (`permute([])` is the empty ordering; no argument at all is a TypeError)
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    ds = sizes(dims)
    n = input.ndim
    if len(ds) != n:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {n} is not equal to len(dims) = {len(ds)}")
    wrapped = tuple(wrap_dim(d, n) for d in ds)
    if len(set(wrapped)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return (input,), wrapped


def _transpose_args(input: Tensor, dim0: int, dim1: int) -> tuple:  # noqa: A002
    n = input.ndim
    d0, d1 = wrap_dim(dim0, n), wrap_dim(dim1, n)  # (0 and -1 of a 0-d tensor)
    if n == 0:
        return (input,), ()
    ds = list(range(n))
    ds[d0], ds[d1] = ds[d1], ds[d0]
    return (input,), tuple(ds)


def _t_args(input: Tensor) -> tuple:  # noqa: A002
    n = input.ndim
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    return (input,), tuple(range(n))[::-1]


def _movedim_args(input: Tensor, source: int | tuple[int, ...],  # noqa: A002
                  destination: int | tuple[int, ...]) -> tuple:
    n = input.ndim
    if n == 0:  # dims 0 / -1 of a 0-d tensor: nothing moves
        for d in ([source] if isinstance(source, int) else source), \
                ([destination] if isinstance(destination, int) else destination):
            for x in d:
                wrap_dim(x, 0)
        return (input,), ()
    src = [wrap_dim(d, n) for d in ([source] if isinstance(source, int) else source)]
    dst = [wrap_dim(d, n) for d in ([destination] if isinstance(destination, int)
                                    else destination)]
    order = [d for d in range(n) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return (input,), tuple(order)


PERMUTE_ROW = view_row("permute", _permuted, _g_permute, _permute_args)
TRANSPOSE = view_row("transpose", _permuted, _g_permute, _transpose_args,
                     aliases=("swapaxes", "swapdims"), inplace=True)
T = view_row("t", _permuted, _g_permute, _t_args, inplace=True)
view_row("movedim", _permuted, _g_permute, _movedim_args, aliases=("moveaxis",),
         grad_fn=lambda inputs, order: "PermuteBackward0" if order else "AliasBackward0")


def _T(self: Tensor) -> Tensor:
    return call(PERMUTE_ROW, (self,), tuple(range(self.ndim))[::-1])


def _mT(self: Tensor, name: str = "mT") -> Tensor:
    if self.ndim < 2:
        raise RuntimeError(f"tensor.{name} is only supported on matrices or batches of "
                           f"matrices. Got {self.ndim}-D tensor.")
    return call(TRANSPOSE, *_transpose_args(self, -2, -1))


def _H(self: Tensor) -> Tensor:
    if self.ndim == 1:  # 0-d and 2-d only (PyTorch deprecates 0-d)
        raise RuntimeError("tensor.H is only supported on matrices (2-D tensors). Got 1-D "
                           "tensor.")
    return call(T, *_t_args(self)).conj()


def _mH(self: Tensor) -> Tensor:
    return _mT(self, "mH").conj()


for _name, _fn in (("T", _T), ("mT", _mT), ("H", _H), ("mH", _mH)):
    Op(_name, _fn, impl=_fn, function=False, method=False, attribute=True)


# -- squeeze / unsqueeze / flatten / unflatten ----------------------------------------------------

def _squeeze_args(input: Tensor, dim: int | tuple[int, ...] | None = None) -> tuple:  # noqa: A002
    shape, strides, _ = layout(input)
    n = len(shape)
    if dim is None:
        drop = {i for i, s in enumerate(shape) if s == 1}
    else:
        ds = (dim,) if isinstance(dim, int) else tuple(dim)
        drop = {wrap_dim(d, n) for d in ds if shape and shape[wrap_dim(d, n)] == 1} if n \
            else set()
    keep = [i for i in range(n) if i not in drop]
    kind = 0 if dim is None else 1 if isinstance(dim, int) else 2
    return (input,), (tuple(shape[i] for i in keep), tuple(strides[i] for i in keep), kind)


def _unsqueeze_args(input: Tensor, dim: int) -> tuple:  # noqa: A002
    shape, strides, _ = layout(input)
    n = len(shape)
    if not -n - 1 <= dim <= n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n - 1}, {n}], "
                         f"but got {dim})")
    d = dim % (n + 1)
    new_stride = shape[d] * strides[d] if d < n else 1
    return (input,), (shape[:d] + (1,) + shape[d:], strides[:d] + (new_stride,) + strides[d:])


SQUEEZE = view_row("squeeze", lambda sh, st, off, p: _reshaped(sh, st, off, p[:2]), _g_reshape,
                   _squeeze_args, grad_fn=lambda inputs, p: f"SqueezeBackward{p[2]}",
                   inplace=True)
UNSQUEEZE = view_row("unsqueeze", _reshaped, _g_reshape, _unsqueeze_args, inplace=True)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    n = input.ndim
    if n == 0:
        return reshape(input, (1,))
    s, e = wrap_dim(start_dim, n), wrap_dim(end_dim, n)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shape = tuple(shape_of(input))
    mid = 1
    for x in shape[s:e + 1]:
        mid *= x
    return reshape(input, shape[:s] + (mid,) + shape[e + 1:])


def unflatten(input: Tensor, dim: int, sizes: tuple[int, ...]) -> Tensor:  # noqa: A002
    shape = tuple(shape_of(input))
    d = wrap_dim(dim, len(shape))
    return call(VIEW, *_view_args(input, shape[:d] + _infer_size(tuple(sizes), shape[d])
                                  + shape[d + 1:]))


Op("flatten", flatten, impl=flatten)
Op("unflatten", unflatten, impl=unflatten)


# -- expand ---------------------------------------------------------------------------------------

# the dtypes PyTorch's type strings name by their legacy tensor type (torch.FloatTensor); the
# others it names by backend and scalar type (CPUBoolType)
_LEGACY_TYPES = frozenset({"Float", "Double", "Half", "Long", "Int", "Short", "Char", "Byte"})


def _type_string(t: Tensor) -> str:
    """PyTorch's toString() of a tensor's type, as its messages print it."""
    legacy = t._dtype.legacy
    if legacy in _LEGACY_TYPES:
        return f"torch.{t.type().split('.')[-1]}"
    return f"{'CUDA' if t.device.type == 'cuda' else 'CPU'}{legacy}Type"


def _expand_args(self: Tensor, *size: Any) -> tuple:
    """PyTorch's inferExpandGeometry: dims matched from the last, a size-1 dim expanded gets
    stride 0, a new leading dim the stride of a dim spanning all that follows it (stride 0
    where it grows); errors name the last dim that fails."""
    target = tuple(sizes(size))
    shape, strides, _ = layout(self)
    n = len(target)
    if n < len(shape):
        raise RuntimeError(f"expand({_type_string(self)}{{{list(shape)}}}, "
                           f"size=[{', '.join(map(str, target))}]): the number of sizes provided "
                           f"({n}) must be greater or equal to the number of dimensions in the "
                           f"tensor ({len(shape)})")
    lead = n - len(shape)
    new_shape, new_strides = [0] * n, [0] * n
    for i in range(n - 1, -1, -1):
        s = target[i]
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            cur, st = 1, new_shape[i + 1] * new_strides[i + 1] if i + 1 < n else 0
        else:
            cur, st = shape[i - lead], strides[i - lead]
        if s == -1:
            s = cur
        if cur != s:
            if cur != 1:
                raise RuntimeError(f"The expanded size of the tensor ({s}) must match the "
                                   f"existing size ({cur}) at non-singleton dimension {i}.  "
                                   f"Target sizes: [{', '.join(map(str, target))}].  Tensor "
                                   f"sizes: [{', '.join(map(str, shape))}]")
            st = 0
        new_shape[i], new_strides[i] = s, st
    return (self,), (tuple(new_shape), tuple(new_strides))


EXPAND_ROW = view_row("expand", _expanded, _g_expand, _expand_args, function=False)


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    return call(EXPAND_ROW, *_expand_args(self, tuple(shape_of(other))))


def broadcast_to(input: Tensor, size: tuple[int, ...]) -> Tensor:  # noqa: A002
    return call(EXPAND_ROW, *_expand_args(input, tuple(size)))


def expand_copy(input: Tensor, size: tuple[int, ...]) -> Tensor:  # noqa: A002
    return broadcast_to(input, size).clone()


Op("expand_as", expand_as, impl=expand_as, function=False)
Op("broadcast_to", broadcast_to, impl=broadcast_to)
Op("expand_copy", expand_copy, impl=expand_copy, method=False)


# -- basic indexing (ints, slices, None, Ellipsis) ------------------------------------------------

def _full_key(shape: tuple, key: tuple) -> tuple:
    """The key with its Ellipsis expanded and trailing dims filled with full slices."""
    consumed = sum(1 for k in key if k is not None and k is not Ellipsis)
    if sum(1 for k in key if k is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if consumed > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    out: list = []
    for k in key:
        if k is Ellipsis:
            out.extend([slice(None)] * (len(shape) - consumed))
        else:
            out.append(k)
    out.extend([slice(None)] * (len(shape) - sum(1 for k in out if k is not None)))
    return tuple(out)


def whole_slice(k: slice, size: int) -> bool:
    """Whether PyTorch skips a slice as selecting everything: written with a start of 0 (not
    -size), a step of 1 and a stop at or past the end."""
    return k.start in (None, 0) and k.step in (None, 1) and (k.stop is None or k.stop >= size)


def _index_args(x: Tensor, key: tuple, name: str | None = None) -> tuple:
    """PyTorch's layout of `x[key]`, item by item: an int selects, a slice narrows (negative
    steps refused), None inserts a unit dim with unsqueeze's stride. The params: the array key
    (ints and slices), the layout, the shape before Nones' dims are added (None when there are
    none) and the grad_fn name."""
    shape, strides, offset = layout(x)
    arr_key: list = []
    cur_shape, cur_strides = list(shape), list(strides)
    added: list[bool] = []  # per result dim: whether a None made it
    last = "Alias"
    d = pos = 0
    # where each int stands in the key as written: PyTorch's index errors name that position
    where = iter([j for j, k in enumerate(key) if k is not None and k is not Ellipsis
                  and not isinstance(k, slice)])
    for k in _full_key(shape, key):
        if k is None:
            cur_strides.insert(pos, cur_shape[pos] * cur_strides[pos] if pos < len(cur_shape)
                               else 1)
            cur_shape.insert(pos, 1)
            added.insert(pos, True)
            pos += 1
            last = "Unsqueeze"
            continue
        size, st = shape[d], strides[d]
        if isinstance(k, slice):
            if k.step is not None and k.step <= 0:
                raise ValueError("step must be greater than zero")
            s0, s1, s2 = k.indices(size)
            length = max(0, (s1 - s0 + s2 - 1) // s2)
            # the stop kept within [0, size]: the Array API leaves out-of-bounds stops unspecified
            arr_key.append(slice(s0, s0 + (length - 1) * s2 + 1 if length else s0, s2))
            cur_shape[pos], cur_strides[pos] = length, st * s2
            added.insert(pos, False)
            pos += 1
            offset += s0 * st  # PyTorch moves the offset even for an empty slice
            if not whole_slice(k, size):
                last = "Slice"
        else:
            i = int(k)
            at = next(where)
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for dimension {at} with size "
                                 f"{size}")
            i %= size
            arr_key.append(i)
            del cur_shape[pos], cur_strides[pos]
            offset += i * st
            last = "Select"
        d += 1
    if not any(isinstance(k, slice) for k in arr_key):
        # ints only (or nothing, on a 0-d input): a trailing Ellipsis keeps the result an array
        # (NumPy returns a scalar, which is no view and cannot be indexed into, otherwise)
        arr_key.append(Ellipsis)
    indexed = tuple(s for s, a in zip(cur_shape, added) if not a) if any(added) else None
    grad_fn = f"{name.title()}Backward0" if name else f"{last}Backward0"
    return (x,), (tuple(arr_key), tuple(cur_shape), tuple(cur_strides), offset, indexed,
                  grad_fn)


def _indexed(shape: tuple, strides: tuple, offset: int, p: tuple) -> tuple:
    key, new_shape, new_strides, new_offset, indexed, _ = p
    steps: tuple = ((INDEX, key),)
    if indexed is not None:  # a None adds a unit dim: index, then reshape (one node)
        steps += ((RESHAPE, new_shape),)
    return steps, new_shape, new_strides, new_offset


def _g_index(n: Any, g: Tensor) -> tuple:
    key, _, _, _, indexed, _ = n.params
    return (index_scatter(g if indexed is None else g.reshape(indexed), n.shape(0), key),)


BASIC_INDEX = view_row("index.basic", _indexed, _g_index, _index_args, function=False,
                       method=False, grad_fn=lambda inputs, p: p[5])


def basic_index(x: Tensor, key: tuple, name: str | None = None) -> Tensor:
    """x[key] for a key of ints, slices, None and Ellipsis: a view, as in PyTorch."""
    return call(BASIC_INDEX, *_index_args(x, key, name))


def _f_index_scatter(xp: Any, g: Any, p: tuple) -> Any:
    shape, key, be = p
    return be.index_update(xp.zeros(shape, dtype=g.dtype), key, g)


INDEX_SCATTER = Op("index_scatter", lambda g, shape, key: ((g,), (shape, key,
                                                                  g._storage.backend)),
                   forward=_f_index_scatter,
                   backward=lambda n, gg: (call(BASIC_INDEX, (gg,), _rekey(gg, n.params[1])),),
                   needs=NOTHING, function=False, method=False,
                   grad_fn="SliceBackwardBackward0")


def _rekey(t: Tensor, arr_key: tuple) -> tuple:
    return _index_args(t, tuple(k for k in arr_key if k is not Ellipsis))[1]


def index_scatter(g: Tensor, shape: tuple, key: tuple) -> Tensor:
    """zeros(shape) with g at [key]: the gradient of a basic-index view (differentiable)."""
    return call(INDEX_SCATTER, *INDEX_SCATTER.args(g, tuple(shape), key))


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:  # noqa: A002
    n = input.ndim
    d = wrap_dim(dim, n)
    size = shape_of(input)[d]
    if start < 0:
        start += size
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    return basic_index(input, (slice(None),) * d + (slice(start, start + length),), "slice")


def select(input: Tensor, dim: int, index: int) -> Tensor:  # noqa: A002
    n = input.ndim
    if n == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, n)
    size = shape_of(input)[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(shape_of(input))} at dimension {d}")
    return basic_index(input, (slice(None),) * d + (index,))


def _g_pieces(n: Any, grads: Any) -> tuple:
    """The gradient of split/unbind: the pieces' gradients joined (zeros for a piece that got
    none), as PyTorch's SplitBackward0 / UnbindBackward0 does for all its outputs at once."""
    from .shape_ops import cat, stack

    d, sizes, _ = n.params
    grads = grads if isinstance(grads, tuple) else (grads,)
    ref = next(g for g in grads if g is not None)
    shape = n.shape(0)
    parts = []
    for i, size in enumerate(sizes):
        g = grads[i] if i < len(grads) else None
        if g is None:
            piece = shape[:d] + ((size,) if size is not None else ()) + shape[d + 1:]
            g = ref.new_zeros(piece)
        parts.append(g)
    return (stack(parts, d) if sizes and sizes[0] is None else cat(parts, d),)


PIECES = view_row("split.views", _indexed, _g_pieces, lambda x: ((x,), None), function=False,
                  method=False, grad_fn=lambda inputs, p: p[2])


def _pieces(x: Tensor, d: int, items: list, sizes: list, name: str) -> tuple[Tensor, ...]:
    """The views x[..., item, ...] (item at dim d) for each item: outputs of one node."""
    shape, strides, offset = layout(x)
    lays = [PIECES.view(shape, strides, offset, _index_args(x, (slice(None),) * d + (k,))[1])
            for k in items]
    return make_views(x, lays, PIECES, (d, sizes, name))


def split(tensor: Tensor, split_size_or_sections: int | list[int],
          dim: int = 0) -> tuple[Tensor, ...]:
    d = wrap_dim(dim, tensor.ndim)
    size = shape_of(tensor)[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step <= 0 and size:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {size}")
        lengths = [min(step, size - i) for i in range(0, size, step)] if size else [0]
        name = "SplitBackward0"
    else:
        lengths = list(split_size_or_sections)
        if sum(lengths) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                               f"(input tensor's size at dimension {d}), but got split_sizes="
                               f"{lengths}")
        name = "SplitWithSizesBackward0"
    starts = [sum(lengths[:i]) for i in range(len(lengths))]
    return _pieces(tensor, d, [slice(a, a + n) for a, n in zip(starts, lengths)], lengths, name)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    """split into pieces of ceil(size / chunks); a size-0 dim gives `chunks` empty pieces
    (PyTorch's split_with_sizes there)."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    size = shape_of(input)[wrap_dim(dim, input.ndim)]
    if size == 0:
        return split(input, [0] * chunks, dim)
    return split(input, -(-size // chunks), dim)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    d = wrap_dim(dim, input.ndim)
    n = shape_of(input)[d]
    return _pieces(input, d, list(range(n)), [None] * n, "UnbindBackward0")


def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    """Views: `n` near-equal sections (the first size % n one longer), or split before each
    index in a list."""
    _args.tensor("tensor_split", input, "input", 1)
    if input.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = wrap_dim(dim, input.ndim)
    size = shape_of(input)[d]
    ios = indices_or_sections
    if isinstance(ios, Tensor):
        ios = ios.item() if ios.ndim == 0 else [int(v) for v in ios.tolist()]
    if isinstance(ios, int):
        if ios <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {ios}")
        q, r = divmod(size, ios)
        bounds, start = [], 0
        for i in range(ios):
            ln = q + (1 if i < r else 0)
            bounds.append((start, start + ln))
            start += ln
    else:  # piece i is input[idx[i-1]:idx[i]] with Python's slice rules
        pts = [0] + [int(v) for v in ios] + [size]
        bounds = []
        for a, b in zip(pts[:-1], pts[1:]):
            s, e, _ = slice(a, b).indices(size)
            bounds.append((s, max(e, s)))
    return tuple(narrow(input, d, s, e - s) for s, e in bounds)


def _autograd_op(f: Any) -> Any:
    """A composite that is one autograd op in PyTorch (select, split, unbind: their own
    derivatives): autograd's refusal of a stale view comes before the arguments' errors."""
    def op(input: Tensor, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        try:
            return f(input, *args, **kwargs)
        except Exception as e:
            autograd_first(PIECES, e, (input,))
            raise
    return functools.wraps(f)(op)


select, split, unbind = _autograd_op(select), _autograd_op(split), _autograd_op(unbind)
for _fn in (narrow, select, split, chunk, unbind, tensor_split):
    Op(_fn.__name__, _fn, impl=_fn)


# -- copies -------------------------------------------------------------------------------------

def _clone(xp: Any, a: Any) -> Any:
    return xp.asarray(a, copy=True)


CLONE = Op("clone.preserve", one, forward=_clone, backward=lambda n, g: (g,), needs=NOTHING,
           preserves_layout=True, function=False, method=False, grad_fn="CloneBackward0")
CLONE_CONTIGUOUS = Op("clone.contiguous", one, forward=_clone, backward=lambda n, g: (g,),
                      needs=NOTHING, function=False, method=False, grad_fn="CloneBackward0")


def clone(input: Tensor, *, memory_format: MF.memory_format = MF.preserve_format) -> Tensor:  # noqa: A002
    """A copy, its strides in the input's layout (preserve_format) or row-major."""
    if memory_format is MF.contiguous_format:
        return call(CLONE_CONTIGUOUS, (input,))
    if memory_format is not MF.preserve_format:
        raise RuntimeError(f"unsupported memory format {memory_format}")
    return call(CLONE, (input,))


def contiguous(self: Tensor, memory_format: MF.memory_format = MF.contiguous_format) -> Tensor:
    """self if row-major, else a row-major copy."""
    if memory_format is not MF.contiguous_format:
        raise RuntimeError(f"unsupported memory format {memory_format}")
    return self if self.is_contiguous() else call(CLONE_CONTIGUOUS, (self,))


Op("clone", clone, impl=clone)
Op("contiguous", contiguous, impl=contiguous, function=False)


def _view_as_real(xp: Any, a: Any) -> Any:
    return xp.stack([xp.real(a), xp.imag(a)], axis=-1)


def _view_as_real_args(input: Tensor) -> tuple:  # noqa: A002
    if input._dtype.category != D.COMPLEX:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return (input,), None


Op("view_as_real", _view_as_real_args, forward=_view_as_real,
   backward=lambda n, g: (g[..., 0] + 1j * g[..., 1],), dtype=to_real,
   needs=NOTHING, method=False,
   doc="(..., 2) real tensor of the real and imaginary parts. agrad returns a copy: the Array "
       "API cannot reinterpret a complex buffer as reals, so it does not alias its input.")


# -- in-place through views: CopySlices and regenerated view grad_fns -----------------------------

def _chain_shape(t: Tensor, steps: tuple) -> tuple:
    b = t._storage.backend
    return tuple(S.apply_steps(b.xp, read(t), steps).shape)


def _g_chain_view(n: Any, g: Tensor) -> tuple:
    steps = n.params
    if all(kind != S.EXPAND for kind, _ in steps):  # each base element in the view at most once
        return (chain_scatter(g.new_zeros(n.shape(0)), steps, g),)
    # through an expand, several of the view's elements are one base element, whose gradient
    # is their sum: each step's adjoint, the last step first (expand's is a sum)
    xp = g._storage.backend.xp
    a = read(g.new_zeros(n.shape(0)))
    shapes = []
    for step in steps:
        shapes.append(tuple(a.shape))
        a = S.apply_step(xp, a, step)
    for (kind, arg), shape in zip(reversed(steps), reversed(shapes)):
        if kind == S.RESHAPE:
            g = g.reshape(shape)
        elif kind == S.PERMUTE:
            g = g.permute(S.inverse_perm(arg))
        elif kind == S.INDEX:
            g = chain_scatter(g.new_zeros(shape), ((kind, arg),), g)
        else:
            g = g.sum_to_size(shape)
    return (g,)


def _g_chain_scatter(n: Any, g: Tensor) -> tuple:
    steps, _ = n.params
    gb = gv = None
    if n.edges[0] is not None:
        gb = chain_scatter(g, steps, g.new_zeros(_chain_shape(g, steps)))
    if n.edges[1] is not None:
        gv = chain_view(g, steps)
    return gb, gv


CHAIN_VIEW = Op("chain_view", lambda t, steps: ((t,), steps),
                forward=lambda xp, a, steps: xp.asarray(S.apply_steps(xp, a, steps), copy=True),
                backward=_g_chain_view, needs=NOTHING, function=False, method=False,
                grad_fn="AsStridedBackward0")
CHAIN_SCATTER = Op("chain_scatter", lambda base, steps, value: ((base, value),
                                                                (steps, base._storage.backend)),
                   forward=lambda xp, base, value, p: S.scatter(p[1], xp.asarray(base, copy=True),
                                                                p[0], value),
                   backward=_g_chain_scatter, needs=NOTHING, function=False, method=False,
                   grad_fn="AsStridedScatterBackward0")


def chain_view(t: Tensor, steps: tuple) -> Tensor:
    """A copy of the region of `t` a view chain selects (differentiable)."""
    return call(CHAIN_VIEW, (t,), steps)


def chain_scatter(base: Tensor, steps: tuple, value: Tensor) -> Tensor:
    """`base` with the region selected by `steps` replaced by `value` (differentiable)."""
    region = _chain_shape(base, steps)
    if tuple(shape_of(value)) != region:
        value = broadcast_to(value, region)
    return call(CHAIN_SCATTER, *CHAIN_SCATTER.args(base, steps, value))


class CopySlices(Node):
    """The base's node after an in-place op on one of its views: the gradient for the base's
    old history is the incoming gradient with the view's region replaced by the op's gradient
    for its input. A region with internal overlap (written through an expand) cannot take that
    gradient: PyTorch's copy into it fails, and so does this backward."""

    __slots__ = ("fn", "steps", "overlaps")

    def __init__(self, base_edge: Any, fn: Node, steps: tuple, overlaps: bool = False) -> None:
        Node.__init__(self)
        self.fn = fn
        self.steps = steps
        self.overlaps = overlaps
        self.edges = (base_edge,) + tuple(fn.edges[1:])
        self.meta = None  # fn fits its own gradients; the base's is the incoming one's shape

    def apply(self, grads: tuple) -> tuple:
        fn = self.fn
        if fn is None:  # released: PyTorch's CopySlices refuses a second pass, whatever fn saved
            raise RuntimeError(_FREED)
        if self.overlaps and should_compute(self.edges[0]):  # (only where the base's old
            raise RuntimeError(INTERNAL_OVERLAP)  # history takes the gradient, as PyTorch's)
        g = grads[0]
        region = chain_view(g, self.steps)
        res = fn.apply((region,))
        g0 = res[0] if res[0] is not None else region.new_zeros(region.shape)
        return (chain_scatter(g, self.steps, g0),) + tuple(res[1:])

    def release(self) -> None:
        if self.fn is not None:
            self.fn.release()
            self.fn = None

    def name(self) -> str:
        return "torch::autograd::CopySlices"  # PyTorch's C++ name (its type is CopySlices)


def regenerate_view_grad_fn(t: Tensor, base: Tensor) -> None:
    """The grad_fn of a view whose storage was written: its region of the base's history (none
    where the base requires no grad: a view made a leaf, then rebased, loses its own)."""
    node = CHAIN_VIEW.node_cls()
    node.edges = (edge(base) if base._requires_grad else None,)
    node.meta = ((tuple(shape_of(base)), base._dtype),)
    node.params = S.base_steps(t._view)
    node.saved = node.out = None
    node.fits = True
    t._grad_fn = node
    t._output_nr = 0

