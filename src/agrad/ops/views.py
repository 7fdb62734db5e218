"""View ops: results share the input's storage (DESIGN idea 2) and are differentiable.

Each view op computes PyTorch's layout (sizes, strides, offset) for its result and appends one
step to the view chain; `view` refuses what PyTorch refuses, `reshape` copies only when `view`
would. In-place writes through a view give the base a `CopySlices` node, and views whose storage
was written regenerate their grad_fn from the base (PyTorch shows AsStridedBackward0 there).
"""

from __future__ import annotations

from typing import Any

from .. import _storage as S
from .._storage import EXPAND, INDEX, PERMUTE, RESHAPE, View
from .._tensor import Tensor, _wrap_dim, wrap
from ..autograd.grad_mode import state as _grad
from ..autograd.graph import Node
from ._op import Op, binary, edge, read, record, unary
from .reduction import sum_to_size

__all__ = ["reshape", "permute", "transpose", "swapaxes", "swapdims", "t", "squeeze", "unsqueeze",
           "flatten", "unflatten", "narrow", "select", "split", "chunk", "unbind", "movedim",
           "moveaxis", "expand_copy", "broadcast_to", "clone", "contiguous", "view_as_real"]

_new = object.__new__


def make_view(x: Tensor, step: tuple, shape: tuple, strides: tuple, offset: int, op: Op,
              params: Any = None) -> Tensor:
    v = x._view
    t = _new(Tensor)
    t._storage = x._storage
    t._vc = x._vc
    t._dtype = x._dtype
    if v is None:
        t._view = View((step,), shape, strides, offset, x)
    else:
        t._view = View(v.steps + (step,), shape, strides, offset, v.base)
    if x._requires_grad and _grad.enabled:
        record(op, t, (x,), params)
        t._gf_version = t._vc.version
    return t


def _layout(x: Tensor) -> tuple[tuple, tuple, int]:
    v = x._view
    if v is not None:
        return v.shape, v.strides, v.offset
    shape = tuple(x.shape)
    return shape, S.contiguous_strides(shape), 0


def _g_reshape(n, g):
    return (g.reshape(n.meta[0][0]),)


def _g_permute(n, g):
    dims = n.params
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return (g.permute(*inv),)


def _g_expand(n, g):
    return (sum_to_size(g, n.meta[0][0]),)


def _g_index(n, g):
    return (index_scatter(g, n.meta[0][0], n.params),)


def _f_reshape(xp, a, shape):
    return xp.reshape(a, shape)


VIEW = Op("view", "ViewBackward0", _f_reshape, _g_reshape, saves="")
UNSAFE_VIEW = Op("reshape", "UnsafeViewBackward0", _f_reshape, _g_reshape, saves="")
SQUEEZE0 = Op("squeeze", "SqueezeBackward0", _f_reshape, _g_reshape, saves="")
SQUEEZE1 = Op("squeeze", "SqueezeBackward1", _f_reshape, _g_reshape, saves="")
UNSQUEEZE = Op("unsqueeze", "UnsqueezeBackward0", _f_reshape, _g_reshape, saves="")
PERMUTE_OP = Op("permute", "PermuteBackward0", None, _g_permute, saves="")
TRANSPOSE = Op("transpose", "TransposeBackward0", None, _g_permute, saves="")
T_OP = Op("t", "TBackward0", None, _g_permute, saves="")
EXPAND_OP = Op("expand", "ExpandBackward0", None, _g_expand, saves="")
SELECT = Op("select", "SelectBackward0", None, _g_index, saves="")
SLICE = Op("slice", "SliceBackward0", None, _g_index, saves="")
ALIAS = Op("alias", "AliasBackward0", None, _g_index, saves="")
SPLIT = Op("split", "SplitBackward0", None, _g_index, saves="")
UNBIND = Op("unbind", "UnbindBackward0", None, _g_index, saves="")


# -- index scatter: the backward of every indexing view, itself differentiable ---------------------

def _f_index_scatter(xp, g, params):
    shape, key, be = params
    zeros = xp.zeros(shape, dtype=g.dtype)
    return be.index_update(zeros, key, g)


def _g_index_scatter(n, gg):
    shape, key, _ = n.params
    return (_index_read(gg, key),)


INDEX_SCATTER = Op("index_scatter", "SliceBackwardBackward0", _f_index_scatter, _g_index_scatter,
                   saves="")


def index_scatter(g: Tensor, shape: tuple, key: tuple) -> Tensor:
    """zeros(shape) with g at [key]: the gradient of a basic-index view."""
    return unary(INDEX_SCATTER, g, (tuple(shape), key, g._storage.backend))


def _index_read(t: Tensor, key: tuple) -> Tensor:
    return basic_index(t, key, None)


# -- the view ops -------------------------------------------------------------------------------

def _infer_size(shape: tuple, numel: int) -> tuple[int, ...]:
    shape = tuple(int(s) for s in shape)
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {shape.index(s)} of shape "
                               f"{list(shape)}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if neg:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = shape[:neg[0]] + (numel // known,) + shape[neg[0] + 1:]
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _shape_arg(shape: tuple) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return shape


def view(self: Tensor, *shape: Any) -> Tensor:
    if len(shape) == 1 and not isinstance(shape[0], (tuple, list, int)):
        from .. import dtypes as D

        dt = D.get(shape[0])
        if dt.itemsize != self._dtype.itemsize:
            raise RuntimeError("view(dtype) with a different element size is not supported")
        return self.to(dt)
    old_shape, old_strides, offset = _layout(self)
    new_shape = _infer_size(_shape_arg(shape), self.numel())
    strides = S.view_strides(old_shape, old_strides, new_shape)
    if strides is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.")
    return make_view(self, (RESHAPE, new_shape), new_shape, strides, offset, VIEW)


def reshape(input: Tensor, *shape: Any) -> Tensor:
    """A view when `view` would succeed, else a copy (grad_fn UnsafeViewBackward0)."""
    old_shape, old_strides, offset = _layout(input)
    new_shape = _infer_size(_shape_arg(shape), input.numel())
    strides = S.view_strides(old_shape, old_strides, new_shape)
    if strides is not None:
        return make_view(input, (RESHAPE, new_shape), new_shape, strides, offset, VIEW)
    return unary(UNSAFE_VIEW, clone(input), new_shape)


def view_as(self: Tensor, other: Tensor) -> Tensor:
    return view(self, tuple(other.shape))


def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    return reshape(self, tuple(other.shape))


def _permute_view(x: Tensor, dims: tuple, op: Op) -> Tensor:
    shape, strides, offset = _layout(x)
    return make_view(x, (PERMUTE, dims), tuple(shape[d] for d in dims),
                     tuple(strides[d] for d in dims), offset, op, dims)


def permute(input: Tensor, *dims: Any) -> Tensor:
    dims = _shape_arg(dims)
    n = input.ndim
    if len(dims) != n:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {n} is not equal to len(dims) = {len(dims)}")
    wrapped = tuple(_wrap_dim(d, n) for d in dims)
    if len(set(wrapped)) != n:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _permute_view(input, wrapped, PERMUTE_OP)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    n = input.ndim
    if n == 0:
        return _permute_view(input, (), TRANSPOSE)
    d0, d1 = _wrap_dim(dim0, n), _wrap_dim(dim1, n)
    dims = list(range(n))
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return _permute_view(input, tuple(dims), TRANSPOSE)


swapaxes = swapdims = transpose


def t(input: Tensor) -> Tensor:
    n = input.ndim
    if n > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {n}D")
    return _permute_view(input, tuple(range(n))[::-1], T_OP)


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    n = input.ndim
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    src = [_wrap_dim(d, n) for d in src]
    dst = [_wrap_dim(d, n) for d in dst]
    order = [d for d in range(n) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return _permute_view(input, tuple(order), PERMUTE_OP)


moveaxis = movedim


def _reshape_view(x: Tensor, new_shape: tuple, strides: tuple, op: Op) -> Tensor:
    offset = _layout(x)[2]
    return make_view(x, (RESHAPE, tuple(new_shape)), tuple(new_shape), tuple(strides), offset, op)


def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    shape, strides, _ = _layout(input)
    n = len(shape)
    if dim is None:
        dims = {i for i, s in enumerate(shape) if s == 1}
        op = SQUEEZE0
    else:
        ds = (dim,) if isinstance(dim, int) else tuple(dim)
        dims = {_wrap_dim(d, n) for d in ds if shape and shape[_wrap_dim(d, n)] == 1} \
            if n else set()
        op = SQUEEZE1
    keep = [i for i in range(n) if i not in dims]
    return _reshape_view(input, tuple(shape[i] for i in keep), tuple(strides[i] for i in keep),
                         op)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    shape, strides, _ = _layout(input)
    n = len(shape)
    if not -n - 1 <= dim <= n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n - 1}, {n}], "
                         f"but got {dim})")
    d = dim % (n + 1)
    new_stride = shape[d] * strides[d] if d < n else 1
    return _reshape_view(input, shape[:d] + (1,) + shape[d:],
                         strides[:d] + (new_stride,) + strides[d:], UNSQUEEZE)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    n = input.ndim
    if n == 0:
        return reshape(input, (1,))
    s, e = _wrap_dim(start_dim, n), _wrap_dim(end_dim, n)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shape = tuple(input.shape)
    mid = 1
    for x in shape[s:e + 1]:
        mid *= x
    return reshape(input, shape[:s] + (mid,) + shape[e + 1:])


def unflatten(input: Tensor, dim: int, sizes: Any) -> Tensor:
    shape = tuple(input.shape)
    d = _wrap_dim(dim, len(shape))
    sizes = _infer_size(tuple(sizes), shape[d])
    return view(input, shape[:d] + sizes + shape[d + 1:])


def expand(self: Tensor, *sizes: Any) -> Tensor:
    sizes = tuple(_shape_arg(sizes))
    shape, strides, offset = _layout(self)
    n = len(sizes)
    if n < len(shape):
        raise RuntimeError(f"expand(torch.{self.type().split('.')[-1]}{{{list(shape)}}}, "
                           f"size=[{', '.join(map(str, sizes))}]): the number of sizes provided "
                           f"({n}) must be greater or equal to the number of dimensions in the "
                           f"tensor ({len(shape)})")
    lead = n - len(shape)
    new_shape, new_strides = [], []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            new_shape.append(s)
            new_strides.append(0)
            continue
        cur, st = shape[i - lead], strides[i - lead]
        if s == -1:
            s = cur
        if cur == s:
            new_shape.append(s)
            new_strides.append(st)
        elif cur == 1:
            new_shape.append(s)
            new_strides.append(0)
        else:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                               f"size ({cur}) at non-singleton dimension {i}.  Target sizes: "
                               f"[{', '.join(map(str, sizes))}].  Tensor sizes: "
                               f"[{', '.join(map(str, shape))}]")
    new_shape = tuple(new_shape)
    if new_shape == tuple(shape):
        return make_view(self, (RESHAPE, new_shape), new_shape, tuple(strides), offset, EXPAND_OP)
    return make_view(self, (EXPAND, new_shape), new_shape, tuple(new_strides), offset, EXPAND_OP)


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    return expand(self, tuple(other.shape))


def broadcast_to(input: Tensor, size: Any) -> Tensor:
    return expand(input, tuple(size))


def expand_copy(input: Tensor, size: Any) -> Tensor:
    return clone(expand(input, tuple(size)))


# -- basic indexing (ints, slices, None, Ellipsis) --------------------------------------------------

def normalize_basic_key(shape: tuple, key: tuple) -> tuple[tuple, tuple, list, str]:
    """Resolve a basic key against `shape`: (array key of ints/slices, result shape pieces...).

    Returns (key, out_shape, (dim, kind) per consumed dim, grad_fn kind)."""
    n_consumed = sum(1 for k in key if k is not None and k is not Ellipsis)
    if sum(1 for k in key if k is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if n_consumed > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    expanded = []
    for k in key:
        if k is Ellipsis:
            expanded.extend([slice(None)] * (len(shape) - n_consumed))
        else:
            expanded.append(k)
    expanded.extend([slice(None)] * (len(shape) - sum(1 for k in expanded if k is not None)))
    return tuple(expanded), (), [], ""


def basic_index(x: Tensor, key: tuple, name: str | None) -> Tensor:
    """x[key] for a key of ints, slices, None and Ellipsis: a view, as in PyTorch."""
    shape, strides, offset = _layout(x)
    full, _, _, _ = normalize_basic_key(shape, key)
    arr_key = []
    # PyTorch applies the key item by item: cur_* is the layout after the items seen so far
    # (dims at and after `pos` are still the input's), so a None gets unsqueeze's stride
    cur_shape, cur_strides = list(shape), list(strides)
    out_none = []  # per output dim: whether a None made it
    unsq = False
    last = "alias"
    d = 0
    pos = 0
    for k in full:
        if k is None:
            cur_strides.insert(pos, cur_shape[pos] * cur_strides[pos] if pos < len(cur_shape)
                               else 1)
            cur_shape.insert(pos, 1)
            out_none.insert(pos, True)
            pos += 1
            unsq = True
            last = "unsqueeze"
            continue
        size, st = shape[d], strides[d]
        if isinstance(k, slice):
            step = k.step
            if step is not None and step <= 0:
                raise ValueError("step must be greater than zero")
            s0, s1, s2 = k.indices(size)
            length = max(0, (s1 - s0 + s2 - 1) // s2)
            # stop kept within [0, size]: the Array API leaves out-of-bounds stops unspecified
            arr_key.append(slice(s0, s0 + (length - 1) * s2 + 1 if length else s0, s2))
            cur_shape[pos], cur_strides[pos] = length, st * s2
            out_none.insert(pos, False)
            pos += 1
            offset += s0 * st  # PyTorch moves the offset even for an empty slice
            if (s0, length, s2) != (0, size, 1):
                last = "slice"
        else:
            i = int(k)
            if not -size <= i < size:
                raise IndexError(f"index {i} is out of bounds for dimension {d} with size {size}")
            i %= size
            arr_key.append(i)
            del cur_shape[pos], cur_strides[pos]
            offset += i * st
            last = "select"
        d += 1
    out_shape, out_strides = cur_shape, cur_strides
    # None dims: stride as PyTorch's unsqueeze gives (size*stride of the next dim, or 1)
    op = {"select": SELECT, "slice": SLICE, "alias": ALIAS, "unsqueeze": UNSQUEEZE}[last]
    if name == "split":
        op = SPLIT
    elif name == "unbind":
        op = UNBIND
    if not any(isinstance(k, slice) for k in arr_key):
        # ints only (or nothing, on a 0-d input): a trailing Ellipsis keeps the result an array
        # (NumPy returns a scalar, which is no view and cannot be indexed into, otherwise)
        arr_key.append(Ellipsis)
    arr_key_t = tuple(arr_key)
    if not unsq:
        return make_view(x, (INDEX, arr_key_t), tuple(out_shape), tuple(out_strides), offset, op,
                         arr_key_t)
    # a None adds a unit dimension: index, then reshape; one node, named after the last step
    real = [(sz, st) for sz, st, none in zip(out_shape, out_strides, out_none) if not none]
    sliced_shape = tuple(sz for sz, _ in real)
    fixed_strides = out_strides
    if _grad.enabled and x._requires_grad:
        mid = _index_then(x, arr_key_t, sliced_shape, tuple(st for _, st in real), offset)
        return _reshape_view(mid, tuple(out_shape), tuple(fixed_strides), op)
    mid = _index_then(x, arr_key_t, sliced_shape, tuple(st for _, st in real), offset)
    return _reshape_view(mid, tuple(out_shape), tuple(fixed_strides), op)


def _index_then(x: Tensor, key: tuple, shape: tuple, strides: tuple, offset: int) -> Tensor:
    return make_view(x, (INDEX, key), shape, strides, offset, ALIAS, key)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    n = input.ndim
    d = _wrap_dim(dim, n)
    size = input.shape[d]
    if start < 0:
        start += size
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    key = (slice(None),) * d + (slice(start, start + length),)
    return basic_index(input, key, None)


def select(input: Tensor, dim: int, index: int) -> Tensor:
    n = input.ndim
    if n == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, n)
    size = input.shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input.shape)} at dimension {d}")
    return basic_index(input, (slice(None),) * d + (index,), None)


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    n = tensor.ndim
    d = _wrap_dim(dim, n)
    size = tensor.shape[d]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step <= 0 and size:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {size}")
        sizes = [min(step, size - i) for i in range(0, size, step)] if size else [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                               f"(input tensor's size at dimension {d}), but got split_sizes="
                               f"{sizes}")
    out = []
    start = 0
    for s in sizes:
        out.append(basic_index(tensor, (slice(None),) * d + (slice(start, start + s),), "split"))
        start += s
    return tuple(out)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    size = input.shape[_wrap_dim(dim, input.ndim)]
    step = -(-size // chunks) if size else 1
    return split(input, step, dim)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    d = _wrap_dim(dim, input.ndim)
    return tuple(basic_index(input, (slice(None),) * d + (i,), "unbind")
                 for i in range(input.shape[d]))


# -- copies -------------------------------------------------------------------------------------

def _f_clone(xp, a):
    return xp.asarray(a, copy=True)


CLONE = Op("clone", "CloneBackward0", _f_clone, lambda n, g: (g,), saves="")


def clone(input: Tensor, *, memory_format: Any = None) -> Tensor:
    return unary(CLONE, input)


def contiguous(self: Tensor, memory_format: Any = None) -> Tensor:
    return self if self.is_contiguous() else clone(self)


def view_as_real(input: Tensor) -> Tensor:
    raise RuntimeError("view_as_real is not supported: agrad views cannot reinterpret dtypes")


# -- in-place through views: CopySlices and regenerated view grad_fns -----------------------------

def _f_chain_view(xp, a, steps):
    return xp.asarray(S.apply_steps(xp, a, steps), copy=True)  # a result owns its buffer


def _g_chain_view(n, g):
    base_shape = n.meta[0][0]
    from .creation import zeros

    z = zeros(*base_shape, dtype=g._dtype, device=g.device)
    return (chain_scatter(z, n.params, g),)


CHAIN_VIEW = Op("chain_view", "AsStridedBackward0", _f_chain_view, _g_chain_view, saves="")


def _f_chain_scatter(xp, base, value, params):
    steps, be = params
    return S.scatter(be, xp.asarray(base, copy=True), steps, value)


def _g_chain_scatter(n, g):
    from .creation import zeros

    steps, _ = n.params
    vshape = n.meta[1][0] if n.meta[1] is not None else None
    gb = gv = None
    if n.edges[0] is not None:
        z = zeros(*_chain_shape(g, steps), dtype=g._dtype, device=g.device)
        gb = chain_scatter(g, steps, z)
    if n.edges[1] is not None:
        gv = chain_view(g, steps)
    del vshape
    return gb, gv


CHAIN_SCATTER = Op("chain_scatter", "AsStridedScatterBackward0", _f_chain_scatter,
                   _g_chain_scatter, saves="")


def _chain_shape(t: Tensor, steps: tuple) -> tuple:
    b = t._storage.backend
    return tuple(S.apply_steps(b.xp, read(t), steps).shape)


def chain_view(t: Tensor, steps: tuple) -> Tensor:
    """A copy of the region of `t` a view chain selects (differentiable)."""
    return unary(CHAIN_VIEW, t, steps)


def chain_scatter(base: Tensor, steps: tuple, value: Tensor) -> Tensor:
    """`base` with the region selected by `steps` replaced by `value` (differentiable)."""
    if value.shape != tuple(_chain_shape(base, steps)):
        value = expand(value, _chain_shape(base, steps))
    return binary(CHAIN_SCATTER, base, value, (steps, base._storage.backend))


class CopySlices(Node):
    """The base's node after an in-place op on one of its views: gradient for the base's old
    history is the incoming gradient with the view's region replaced by the op's gradient."""

    __slots__ = ("fn", "steps")

    def __init__(self, base_edge: Any, base_meta: Any, fn: Node, steps: tuple) -> None:
        Node.__init__(self)
        self.fn = fn
        self.steps = steps
        self.edges = (base_edge,) + tuple(fn.edges[1:])
        self.meta = (base_meta,) + tuple(fn.meta[1:])

    def apply(self, grads: tuple) -> tuple:
        from ..autograd.engine import _validate
        from . import reduction

        g = grads[0]
        region = chain_view(g, self.steps)
        res = self.fn.apply((region,))
        if not isinstance(res, tuple):  # a unary op's backward returns its gradient alone
            res = (res,)
        res = _validate(self.fn, res, reduction)
        g0 = res[0]
        if g0 is None:
            from .creation import zeros_like

            g0 = zeros_like(region)
        return (chain_scatter(g, self.steps, g0),) + tuple(res[1:])

    def release(self) -> None:
        self.fn.release()


def copy_slices(view_t: Tensor, node: Node) -> None:
    v = view_t._view
    base = v.base
    base_edge = edge(base) if base._requires_grad else None
    cs = CopySlices(base_edge, (tuple(base.shape), base._dtype), node, v.steps)
    base._grad_fn = cs
    base._output_nr = 0
    base._requires_grad = True
    view_t._requires_grad = True
    view_t._gf_version = -1


def regenerate_view_grad_fn(t: Tensor, base: Tensor) -> None:
    node = CHAIN_VIEW.node_cls()
    node.edges = (edge(base),)
    node.meta = ((tuple(base.shape), base._dtype),)
    node.params = t._view.steps
    t._grad_fn = node
    t._output_nr = 0


def _install() -> None:
    T = Tensor
    T.view, T.view_as, T.reshape, T.reshape_as = view, view_as, reshape, reshape_as
    T.permute, T.transpose, T.swapaxes, T.swapdims, T.t = permute, transpose, transpose, \
        transpose, t
    T.squeeze, T.unsqueeze, T.flatten, T.unflatten = squeeze, unsqueeze, flatten, unflatten
    T.expand, T.expand_as, T.broadcast_to = expand, expand_as, broadcast_to
    T.narrow, T.select, T.split, T.chunk, T.unbind = narrow, select, split, chunk, unbind
    T.movedim = T.moveaxis = movedim
    T.clone, T.contiguous = clone, contiguous
    T.T = property(lambda self: permute(self, *range(self.ndim)[::-1]))
    T.mT = property(lambda self: transpose(self, -2, -1))
    T.H = property(lambda self: t(self).conj())

    def squeeze_(self, dim=None):
        return _set_layout(self, squeeze(self.detach(), dim), lambda s: squeeze(s, dim))

    def unsqueeze_(self, dim):
        return _set_layout(self, unsqueeze(self.detach(), dim), lambda s: unsqueeze(s, dim))

    def t_(self):
        return _set_layout(self, t(self.detach()), t)

    def transpose_(self, d0, d1):
        return _set_layout(self, transpose(self.detach(), d0, d1),
                           lambda s: transpose(s, d0, d1))

    T.squeeze_, T.unsqueeze_, T.t_, T.transpose_ = squeeze_, unsqueeze_, t_, transpose_


def _set_layout(self: Tensor, v: Tensor, redo: Any = None) -> Tensor:
    """In-place metadata ops (squeeze_, t_ ...): self takes the view's layout, same storage.

    In a graph, self's history gains the view op's node (`redo` applies the op to self,
    recording it), and an anonymous base made for a non-view self carries self's old history,
    so later writes through self and regenerated view grad_fns reach it."""
    if self._requires_grad and _grad.enabled and self._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    node = redo(self)._grad_fn if redo is not None and self._requires_grad and _grad.enabled \
        else None
    if self._view is None and v._view is not None:
        # self becomes a view of a fresh anonymous base that owns the same array
        base = wrap(self._storage.array, self._storage, self._dtype)
        base._storage = self._storage
        base._vc = self._vc
        if self._requires_grad:
            base._requires_grad = True
            base._grad_fn = self._grad_fn
            base._output_nr = self._output_nr
        v._view.base = base
    self._view = v._view
    if node is not None:
        self._grad_fn = node
        self._output_nr = 0
        self._gf_version = self._vc.version
    return self

_install()
