"""The dispatcher: the one path every op call takes.

For a row of the op table (`_op.Op`) and the inputs its `args` function produced, `call` does,
once for every op: the device check, dtype promotion (PyTorch's rules) and the row's dtype rule
and refusals, the forward (or the view step), wrapping the result, and recording the graph node
(only when grad mode is on and an input requires grad). `call_inplace` adds the in-place check,
the write into the storage every alias sees, and the history rebase (CopySlices for views);
`write_out` is `out=`. Nothing else in agrad records a node or writes a storage.

The hot path is kept lean on purpose: no per-call tables, no defensive copies, dtype decisions
cached per (op, dtype), and nothing of the graph touched under `no_grad`.
"""

from __future__ import annotations

import warnings
import weakref
from typing import Any

from .. import _storage as S
from .. import dtypes as D
from .._storage import MULTI_OUTPUT, NO_GRAD, Storage, View
from .._tensor import Tensor, _alias, _history_moved, make, wrap
from ..adapter import UnsupportedCapabilityError
from ..autograd._view_meta import follow_base, inherits, rebase_error
from ..autograd.grad_mode import state as _grad
from ..autograd.graph import AccumulateGrad
from ._op import Op

_new = object.__new__
_numbers = (int, float, bool, complex)
_FLOAT, _INT, _BOOL = D.FLOAT, D.INT, D.bool
_result_type_key = D.result_type_key
_scalar_dtype = D.scalar_dtype


# -- reading tensors -----------------------------------------------------------------------------

def read(t: Tensor) -> Any:
    """The backend array of a tensor (a view's array is its chain applied to the base)."""
    v = t._view
    return t._storage.array if v is None else v.read(t._storage)


def shape_of(t: Tensor) -> tuple[int, ...]:
    v = t._view
    return v.shape if v is not None else t._storage.array.shape


def layout(t: Tensor) -> tuple[tuple, tuple, int]:
    """PyTorch's (sizes, strides, storage offset) of a tensor."""
    v = t._view
    if v is not None:
        return v.shape, v.strides, v.offset
    st = t._storage
    shape = st.backend.shape_of(st.array)
    return shape, t._base_strides or S.contiguous_strides(shape), 0


# -- shapes --------------------------------------------------------------------------------------

def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The broadcast of `shapes`, folded left to right as PyTorch's infer_size does, with its
    error: "a" is the shape so far, "b" the next one, dimensions compared from the last."""
    out = tuple(shapes[0])
    for sb in shapes[1:]:
        sa = out
        n = max(len(sa), len(sb))
        res = [1] * n
        for i in range(n - 1, -1, -1):
            ia, ib = i - n + len(sa), i - n + len(sb)
            da = sa[ia] if ia >= 0 else 1
            db = sb[ib] if ib >= 0 else 1
            if da != db and da != 1 and db != 1:
                raise RuntimeError(f"The size of tensor a ({da}) must match the size of tensor b "
                                   f"({db}) at non-singleton dimension {i}")
            res[i] = db if da == 1 else da
        out = tuple(res)
    return out


# -- errors --------------------------------------------------------------------------------------

def device_error(a: Tensor, b: Tensor, name: str) -> RuntimeError:
    return RuntimeError(f"Expected all tensors to be on the same device, but found at least two "
                        f"devices, {a._storage.device} and {b._storage.device}! (when checking "
                        f"argument for argument other in method wrapper_{name})")


def cast_error(frm: D.dtype, to: D.dtype) -> RuntimeError:
    return RuntimeError(f"result type {frm.legacy} can't be cast to the desired output type "
                        f"{to.legacy}")


# -- the call ------------------------------------------------------------------------------------

def promoted(op: Op, inputs: tuple) -> tuple[Tensor, D.dtype]:
    """The first tensor input and the dtype the promoted inputs take (PyTorch's rules: Python
    numbers and 0-d tensors only count when of a higher kind)."""
    first = None
    dt = None
    mixed = False
    positions = op.promote
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor):
            if first is None:
                first = x
            elif x._storage.device is not first._storage.device and \
                    x._storage.device != first._storage.device:
                raise device_error(first, x, op.name)
            if positions is not None and i not in positions:
                continue
            if dt is None:
                dt = x._dtype
            elif x._dtype is not dt:
                mixed = True
        elif x is not None and (positions is None or i in positions) and (
                dt is None or _scalar_dtype(x).category > dt.category):
            mixed = True
    if first is None:
        raise TypeError(f"{op.name}(): expected at least one Tensor argument")
    if mixed or dt is None:
        key = []
        for i, x in enumerate(inputs):
            if x is None or (positions is not None and i not in positions):
                continue
            if isinstance(x, Tensor):
                key.append((x._dtype, 2 if len(shape_of(x)) else 1))
            else:
                key.append((_scalar_dtype(x), 0))
        dt = _result_type_key(tuple(key))
    return first, dt


def call(op: Op, inputs: tuple, params: Any = None, inplace: bool = False) -> Any:
    """Run a computation or view row on `inputs` (Tensors, Python numbers or None);
    `inplace`: the call is `x.op_()` (only the grad_fn name can differ).

    The common case — a row without special dtype handling, tensors of one dtype on one device
    and Python numbers of no higher kind — takes the short path; everything else (promotion,
    casts, device errors, 0-d arrays for scalars) takes `_call`."""
    if op.view is not None:
        return _view(op, inputs[0], params)
    x0 = inputs[0]
    if not isinstance(x0, Tensor):  # a number first (`2 * x`): the first tensor decides
        for x0 in inputs:
            if isinstance(x0, Tensor):
                break
        else:
            return _call(op, inputs, params, inplace)
    if not op.fast or (op.dtype_arg is not None and params[op.dtype_arg] is not None):
        return _call(op, inputs, params, inplace)
    st = x0._storage
    dt = x0._dtype
    kind = dt.category
    requires = False
    plain = True  # every operand row-major (apart from broadcasting): so is the result
    arrays = []
    for x in inputs:
        if isinstance(x, Tensor):
            if x._dtype is not dt or x._storage.device is not st.device:
                return _call(op, inputs, params, inplace)
            if x._requires_grad:
                requires = True
            v = x._view
            if v is None:
                arrays.append(x._storage.array)
                if x._base_strides is not None:
                    plain = False
            else:
                arrays.append(v.read(x._storage))
                if not v.plain:
                    plain = False
        elif type(x) is float and kind >= _FLOAT:
            arrays.append(x)
        elif type(x) is int and kind >= _INT:
            arrays.append(float(x) if kind >= _FLOAT else x)
        else:
            return _call(op, inputs, params, inplace)
    p = op._plans.get(dt)
    if p is None:
        p = op.plan(dt)
    if p[0] is not dt:  # the rule computes in another dtype: casts needed
        return _call(op, inputs, params, inplace)
    be = st.backend
    fwd = op.bool_forward if dt is _BOOL and op.bool_forward is not None else op.forward
    try:
        y = fwd(be.xp, *arrays) if params is None else fwd(be.xp, *arrays, params)
    except (ValueError, TypeError):  # (JAX's broadcast mismatch is a TypeError)
        if op.elementwise:  # a broadcast mismatch: PyTorch's message, not the backend's
            broadcast_shapes(*(shape_of(x) for x in inputs if isinstance(x, Tensor)))
        raise
    except OverflowError:  # a Python int out of the dtype's range: `_call` wraps it
        return _call(op, inputs, params, inplace)
    if not y.shape:
        y = be.as_array(y)  # NumPy's 0-d results are scalars
    out = _new(Tensor)
    out._storage = ost = Storage(y, be, st.device)
    out._view = None
    out._vc = ost
    rdt = p[1]
    out._dtype = rdt if rdt is dt else result_dtype(be, rdt, y)
    if not plain and op.preserves_layout:
        _preserve_layout(out, _layout_operands(op, inputs), True)  # (copies: `_call`)
    if requires and op.backward is not None and _grad.enabled:
        record(op, (out,), inputs, params, inplace)
    return out


def _layout_operands(op: Op, inputs: tuple) -> tuple:
    """The operands PyTorch's TensorIterator sees: a Python number is a wrapped 0-d tensor
    (which keeps an op off the fast setup), except for a row whose kernels take it as a
    parameter (`preserves_layout="tensors"`: `x ** 2` is the unary pow(Tensor, Scalar), and
    `2 ** x`, pow(Scalar, Tensor), makes a row-major result: no operand to follow)."""
    if op.preserves_layout == "tensors":
        return tuple(x for x in inputs if isinstance(x, Tensor)) if isinstance(
            inputs[0], Tensor) else ()
    return inputs


def _preserve_layout(out: Tensor, inputs: tuple, elementwise: bool,
                     common: D.dtype | None = None) -> None:
    """The result's strides follow its operands' layout (PyTorch's preserve_format). A copy
    (clone, a dtype conversion: empty_like) keeps a dense input's strides exactly. An
    elementwise op's TensorIterator decides: operands all of the result's shape take the fast
    setup — row-major when all are contiguous, their strides when all share dense ones — else
    the dims are ordered by the operands' strides. An operand of another dtype than the
    `common` one is cast first, into a copy of its own (`_cast_layout`), and that copy's
    layout is the one that counts."""
    shape = tuple(shape_of(out))
    lays = [_cast_layout(layout(x)[:2]) if common is not None and x._dtype is not common
            else layout(x)[:2] for x in inputs if isinstance(x, Tensor)]
    strides = None
    if not elementwise and len(lays) == 1 and S.non_overlapping_and_dense(*lays[0]):
        strides = lays[0][1]
    elif all(x is None or isinstance(x, Tensor) and x.shape == shape for x in inputs):
        if all(S.is_contiguous(*lay) for lay in lays):
            return
        if all(lay[1] == lays[0][1] and S.non_overlapping_and_dense(*lay) for lay in lays):
            strides = lays[0][1]
    if strides is None:
        strides = S.dense_strides(shape, lays)
    if strides != S.contiguous_strides(shape):
        out._base_strides = strides


def _cast_layout(lay: tuple) -> tuple:
    """The layout of an operand's dtype-converted copy (`to`: empty_like's, its strides if
    dense, else dense ones in the same order)."""
    shape, strides = lay
    return lay if S.non_overlapping_and_dense(shape, strides) else \
        (shape, S.dense_strides(shape, [lay]))


def _call(op: Op, inputs: tuple, params: Any, inplace: bool) -> Any:
    """The general path of `call`: promotion, casts, scalars as arrays, several outputs."""
    first, dt = promoted(op, inputs)
    cdt, rdt = op.plan(dt)
    if op.dtype_arg is not None and params[op.dtype_arg] is not None:
        cdt = rdt = params[op.dtype_arg]
    st = first._storage
    be = st.backend
    if op.data_dependent and not be.data_dependent_shapes:
        raise UnsupportedCapabilityError(be.name, "data_dependent_shapes", op.name)
    xp = be.xp
    positions = op.promote
    # computed wider than returned (half's opmath): operands are rounded to the result dtype
    # first, all but a scalar second operand, which PyTorch's kernels read unrounded
    wide = rdt is not cdt and rdt is not None and rdt.category == cdt.category
    arrays = []
    requires = False
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor):
            if x._requires_grad:
                requires = True
            v = x._view
            a = x._storage.array if v is None else v.read(x._storage)
            if wide and i != 1 and x._dtype is not rdt:
                a = xp.astype(a, be.dtypes[rdt])
            if x._dtype is not cdt and (positions is None or i in positions):
                a = xp.astype(a, be.dtypes[cdt])
        elif x is None or (positions is not None and i not in positions):
            a = x
        elif wide and i != 1:
            a = float(xp.asarray(x, dtype=be.dtypes[rdt]))
        elif not op.scalars:
            a = xp.asarray(x, dtype=be.dtypes[cdt])
        else:  # a Python number takes the computation dtype's kind
            k = cdt.category
            t = type(x)
            a = float(x) if k >= D.FLOAT and (t is int or t is bool) else \
                int(x) if k == D.INT and t is bool else \
                _wrapped(x, cdt) if k == D.INT and t is int else x
        arrays.append(a)
    fwd = op.bool_forward if cdt is D.bool and op.bool_forward is not None else op.forward
    try:
        y = fwd(xp, *arrays) if params is None else fwd(xp, *arrays, params)
    except (ValueError, TypeError):  # (JAX's broadcast mismatch is a TypeError)
        if op.elementwise:  # a broadcast mismatch: PyTorch's message, not the backend's
            broadcast_shapes(*(shape_of(x) for x in inputs if isinstance(x, Tensor)))
        raise
    if wide:
        y = xp.astype(y, be.dtypes[rdt])
    if op.outputs == 1:
        if op.moves:
            tb, dev = params[0]
            out = make(y, tb, dev, result_dtype(tb, rdt, y))
        else:
            if not y.shape:
                y = be.as_array(y)  # NumPy's 0-d results are scalars
            out = wrap(y, st, result_dtype(be, rdt, y))
            if op.preserves_layout and (not op.elementwise or not all(
                    x._view.plain if x._view is not None else x._base_strides is None
                    for x in inputs if isinstance(x, Tensor))):
                _preserve_layout(out, _layout_operands(op, inputs), op.elementwise,
                                 (rdt if wide else cdt) if op.elementwise else None)
        if requires and _grad.enabled and op.backward is not None:
            record(op, (out,), inputs, params, inplace)
        return out
    if op.data_dependent:
        for a in y:
            be.shape_of(a)  # a lazy backend resolves the data-dependent sizes here
    outs = tuple(wrap(a if a.shape else be.as_array(a), st, be.dtype_of(a)) for a in y)
    if requires and _grad.enabled and op.backward is not None:
        record(op, outs, inputs, params)
    return outs if op.returns is None else op.returns(*outs)


def _wrapped(x: int, dt: D.dtype) -> int:
    """A Python int as an integer dtype holds it: wrapped modulo 2**bits, as PyTorch converts
    an out-of-range scalar (`uint8 + 1000` adds 232)."""
    bits = dt.itemsize * 8
    lo = -(1 << (bits - 1)) if dt.is_signed else 0
    return x if lo <= x < lo + (1 << bits) else (x - lo) % (1 << bits) + lo


def result_dtype(be: Any, rdt: D.dtype | None, y: Any) -> D.dtype:
    """The result's dtype: the rule's (which the backend must have: a backend without int64
    cannot hold `argmax`'s result, and saying so beats mislabelling an int32 array), or the
    array's own when the forward decides."""
    if rdt is None:
        return be.dtype_of(y)
    if rdt not in be.dtypes:
        be.dtypes[rdt]  # raises UnsupportedDtypeError, naming the backend and the dtype
    return rdt


def record(op: Op, outs: tuple, inputs: tuple, params: Any, inplace: bool = False) -> None:
    """Attach a node of `op` to its (floating) outputs. `meta[i]` is (shape, dtype) of input i,
    kept where the node must fit a gradient to its input (`fits`: a broadcast or promoted input
    of an elementwise op; any op that is not elementwise, whose backward also reads them)."""
    cls = op.node_cls
    if cls is None or inplace:
        cls = op.node(inputs, params, inplace)
    node = cls()
    edges = tuple([edge(x) if isinstance(x, Tensor) and x._requires_grad else None
                   for x in inputs])
    node.edges = edges
    node.params = params
    out0 = outs[0]
    odt = out0._dtype  # gradients come in the output's dtype
    if op.elementwise and not inplace:
        oshape = shape_of(out0)
        node.meta = None
        node.fits = False
        for x, e in zip(inputs, edges):
            if e is not None and (x._dtype is not odt or shape_of(x) != oshape):
                node.meta = tuple([(shape_of(x), x._dtype) if isinstance(x, Tensor) else None
                                   for x in inputs])
                node.fits = True
                break
    else:  # the backward reads input shapes; an input may have been broadcast (addmm's bias);
        # in place, gradients come in self's dtype, which an operand's may not be (x *= w64)
        node.meta = tuple([(shape_of(x), x._dtype) if isinstance(x, Tensor) else None
                           for x in inputs])
        node.fits = True
    needs = op.needs
    if needs != ():
        if needs is not None:
            if None in edges:
                wanted = set()
                for i, e in enumerate(edges):
                    if e is not None:
                        wanted.update(needs[i])
            else:
                wanted = op.needed
            if len(wanted) < len(inputs):
                inputs = tuple([x if i in wanted else None for i, x in enumerate(inputs)])
        node.saved = inputs
        node.versions = tuple([x._vc.version if isinstance(x, Tensor) else None
                               for x in inputs])
    else:
        node.saved = None
    kept = op.saves_result
    if kept is not False:
        o = outs[0 if kept is True else kept]
        node.out = (_alias(o), o._vc.version)
    else:
        node.out = None
    if len(outs) == 1:
        if out0._dtype.category >= _FLOAT:
            out0._requires_grad = True
            out0._grad_fn = node
        return
    for i, o in enumerate(outs):
        if o._dtype.category >= _FLOAT:
            o._requires_grad = True
            o._grad_fn = node
            o._output_nr = i


def edge(x: Tensor) -> tuple:
    """The graph edge a gradient w.r.t. `x` flows into: its grad_fn, or its accumulator."""
    gf = x.grad_fn if x._view is not None else x._grad_fn  # a stale view's is regenerated
    if gf is not None:
        return (gf, x._output_nr)
    ref = x._accumulator
    acc = ref() if ref is not None else None
    if acc is None:
        if x._rg_inherited:
            return None  # a view requiring grad only through its base: PyTorch's invalid edge
        acc = AccumulateGrad(x)
        x._accumulator = weakref.ref(acc)
    return (acc, 0)


# -- views ---------------------------------------------------------------------------------------

def _view(op: Op, x: Tensor, params: Any) -> Tensor:
    shape, strides, offset = layout(x)
    steps, shape, strides, offset = op.view(shape, strides, offset, params)
    return make_view(x, steps, shape, strides, offset, op, params)


def make_view(x: Tensor, steps: tuple, shape: tuple, strides: tuple, offset: int, op: Op,
              params: Any) -> Tensor:
    """A tensor aliasing x's storage: x's view chain plus `steps`, with the given layout. Its
    base is x's (x itself when x is none's view); made under no_grad, it may not be written
    while autograd records (PyTorch's creation meta), and it requires grad with its base."""
    v = x._view
    t = _new(Tensor)
    t._storage = x._storage
    t._vc = vc = x._vc
    t._dtype = x._dtype
    enabled = _grad.enabled
    if v is None:
        t._view = View(steps, shape, strides, offset, x, 0 if enabled else NO_GRAD, vc.version)
    else:
        base = v.base
        t._view = View(v.steps + steps, shape, strides, offset, x if base is None else base,
                       (v.meta if base is not None else 0) if enabled else NO_GRAD, vc.version)
    if x._requires_grad:
        if enabled:
            record(op, (t,), (x,), params)
        elif inherits(x):
            t._requires_grad = True
            t._rg_inherited = True
    return t


def make_views(x: Tensor, layouts: list, op: Op, params: Any) -> tuple:
    """The views of a function returning several (split, unbind): one node for them all, its
    outputs numbered, and in-place writes into them refused (PyTorch's multi-output views).
    `layouts` holds each view's (steps, shape, strides, offset)."""
    v = x._view
    vc = x._vc
    base, prefix = (x, ()) if v is None else (x if v.base is None else v.base, v.steps)
    enabled = _grad.enabled
    meta = MULTI_OUTPUT if enabled else NO_GRAD
    requires = x._requires_grad
    inherit = requires and not enabled and inherits(x)
    outs = []
    for steps, shape, strides, offset in layouts:
        t = _new(Tensor)
        t._storage = x._storage
        t._vc = vc
        t._dtype = x._dtype
        t._view = View(prefix + steps, shape, strides, offset, base, meta, vc.version)
        if inherit:
            t._requires_grad = t._rg_inherited = True
        outs.append(t)
    if requires and enabled:
        if outs:
            record(op, tuple(outs), (x,), params)
        elif v is not None:  # no outputs, but PyTorch collects x's edge: a stale view refuses
            x.grad_fn  # noqa: B018
    return tuple(outs)


# -- in place ------------------------------------------------------------------------------------

def check_inplace(self: Tensor, inputs: tuple = ()) -> None:
    """PyTorch's refusals of an in-place write while grad mode is on and the write involves a
    tensor that requires grad (self or one of `inputs`): into a view that may not be written
    (a multi-output view's, one made under no_grad), into a view of a leaf, into a leaf that
    requires grad."""
    if not _grad.enabled:
        return
    if not self._requires_grad:
        for x in inputs:
            if isinstance(x, Tensor) and x._requires_grad:
                break
        else:
            return
    v = self._view
    if v is not None and v.base is not None:
        if v.meta:
            raise rebase_error(self, False)
        if self._requires_grad and v.base._grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
    if self._requires_grad and self.is_leaf:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")


def autograd_first(op: Op, error: Exception, args: tuple, kwargs: Any = None,
                   inplace: bool = False) -> None:
    """PyTorch's autograd layer runs before the kernel and its argument checks, so when a call
    of a differentiable row fails, autograd's own refusal of that call is the error raised, if
    it has one: a write into a view that may not be written (`check_inplace`), or the use of a
    multi-output or no_grad view whose base was written since (its grad_fn is read as the
    node's edges are collected). Called on the error path only: a call that succeeds pays
    nothing. (TypeErrors come from PyTorch's argument parser, before autograd.)"""
    if not _grad.enabled or op.backward is None or isinstance(error, TypeError):
        return
    tensors = [x for a in (args if not kwargs else (*args, *kwargs.values()))
               for x in (a if isinstance(a, (list, tuple)) else (a,)) if isinstance(x, Tensor)]
    try:
        if inplace and tensors and tensors[0] is args[0]:
            check_inplace(tensors[0], tuple(tensors[1:]))
        for t in tensors:
            if t._requires_grad and t._view is not None:
                t.grad_fn  # noqa: B018 - raises a stale multi-output view's error
    except RuntimeError as e:
        if str(e) != str(error):  # (the call's own check may have raised it already)
            raise e from None


def call_inplace(op: Op, inputs: tuple, params: Any = None,
                 overlap: str | tuple | None = None) -> Tensor:
    """`self.op_(...)` with self = inputs[0]: computed out of place (recording the node), then
    written into self's storage, self's history moved onto the node. `overlap` overrides the
    row's (see `write`)."""
    self = inputs[0]
    if op.iforward is not None and _inplace_fast(op, self, inputs, params):
        return self
    # autograd's checks first, then the kernel's: operands overlapping the target, dtypes
    if op.backward is not None or op.inplace_grad_fn is not None:
        check_inplace(self, inputs)  # (PyTorch lets a leaf take a result outside autograd:
        # logical_and_)
    if op.refuse:
        op.check_early(promoted(op, inputs)[1])
    overlap = overlap or op.overlap
    if callable(overlap):  # decided by the arguments (fill_: a number, or a tensor's value)
        overlap = overlap(inputs)
    # (indexing ops, whose policy names them, check their operands' aliasing themselves; fill_
    # reads its value's item, not its memory)
    check_writable(self, inputs if (overlap is None or overlap == "allow") and op.name != "fill"
                   else (), overlap)
    _, dt = promoted(op, inputs)
    rdt = op.dtype(dt)[1]
    if rdt is not None and self._dtype.category == D.COMPLEX and rdt.category != D.COMPLEX:
        raise RuntimeError(f"In-place {op.name} is not supported for complex tensors.")
    if rdt is not None and rdt is not self._dtype and not D.can_cast(rdt, self._dtype):
        if op.elementwise:  # PyTorch's TensorIterator checks shapes before dtypes
            _fits(self, broadcast_shapes(*(shape_of(x) for x in inputs
                                           if isinstance(x, Tensor))))
        raise cast_error(rdt, self._dtype)
    res = call(op, inputs, params, True)
    if op.backward is None and op.inplace_grad_fn is not None and _grad.enabled and \
            any(isinstance(x, Tensor) and x._requires_grad for x in inputs):
        res._grad_fn = zero_node(op, inputs, params)  # `x.eq_(y)`: PyTorch's EqBackward1
    return commit(self, res, overlap)


INTERNAL_OVERLAP = ("unsupported operation: more than one element of the written-to tensor "
                     "refers to a single memory location. Please clone() the tensor before "
                     "performing the operation.")


def check_writable(self: Tensor, operands: Any, overlap: Any) -> None:
    """The kernel's checks before it computes anything (PyTorch's TensorIterator checks memory
    before shapes and dtypes): self's elements do not share memory unless the op allows it
    (`overlap`, see `write`), and no operand overlaps self partly."""
    v = self._view
    if v is not None and overlap is None and S.has_internal_overlap(v.shape, v.strides):
        raise RuntimeError(INTERNAL_OVERLAP)
    st = self._storage
    for x in operands:
        if x is not self and isinstance(x, Tensor) and x._storage is st:
            check_overlap(self, x, True)


def check_overlap(self: Tensor, x: Tensor, full_ok: bool) -> None:
    """PyTorch's refusal to write `self` from an operand `x` in the same storage whose elements
    meet self's: partly (`assert_no_partial_overlap`: elementwise ops, which may read and write
    each element in place, `full_ok`), or at all (`assert_no_overlap`: index_put_)."""
    status = S.overlap_status(layout(self), layout(x))
    if status == S.PARTIAL_OVERLAP or (status == S.FULL_OVERLAP and not full_ok):
        raise RuntimeError("unsupported operation: some elements of the input tensor and the "
                           "written-to tensor refer to a single memory location. Please clone() "
                           "the tensor before performing the operation.")


def zero_node(op: Op, inputs: tuple, params: Any) -> Any:
    """The node PyTorch records for the in-place form of an op without a derivative (a
    comparison): named after the call, its gradients are zeros."""
    from ..autograd.graph import ZeroGradNode

    name = op.inplace_grad_fn(inputs, params)
    cls = op._nodes.get(name)
    if cls is None:
        cls = op._nodes[name] = type(name, (ZeroGradNode,), {"__slots__": (), "op": op,
                                                             "__module__": "agrad.autograd"})
    node = cls()
    node.edges = tuple([edge(x) if isinstance(x, Tensor) and x._requires_grad else None
                        for x in inputs])
    node.meta = tuple([(shape_of(x), x._dtype) if isinstance(x, Tensor) else None
                       for x in inputs])
    node.params = params
    node.saved = node.out = None
    node.fits = False
    return node


def _inplace_fast(op: Op, self: Tensor, inputs: tuple, params: Any) -> bool:
    """`w -= lr * g` straight into the buffer, as NumPy would, when nothing else is needed: no
    graph to record, a base tensor on a backend that writes in place, operands of self's dtype
    and shape (or numbers of no higher kind). Anything else takes the general path, which also
    raises the errors."""
    if self._view is not None:
        return False
    st = self._storage
    be = st.backend
    if not be.in_place:
        return False
    dt = self._dtype
    grad = _grad.enabled
    if grad and self._requires_grad:
        return False
    others = []
    for other in inputs[1:]:
        if isinstance(other, Tensor):
            if other._dtype is not dt or other._storage.device is not st.device or \
                    shape_of(other) != st.array.shape or (grad and other._requires_grad) or \
                    other._storage is st:  # (an alias: the general path checks the overlap)
                return False
            others.append(read(other))
        elif (type(other) is float or type(other) is int) and dt.category != D.BOOL and \
                _scalar_dtype(other).category <= dt.category:
            if type(other) is int and dt.category == D.INT and _wrapped(other, dt) != other:
                return False  # out of range: the general path wraps it
            others.append(other)
        else:
            return False
    p = op.plan(dt)
    if p[0] is not dt or p[1] is not dt:  # computes in another dtype (half's opmath)
        return False
    if op.zeroes and st.sole_holder():  # zero_: a read-only zero stands in (`own` copies it)
        xp = be.xp
        st.array = st.zeros = xp.broadcast_to(xp.zeros((), dtype=st.array.dtype),
                                              st.array.shape)
        st.owned = False
        st.writes += 1
        self._vc.version += 1
        return True
    if not st.owned:
        st.own()
    if params is None:
        op.iforward(be.xp, st.array, *others)
    else:
        op.iforward(be.xp, st.array, *others, params)
    st.writes += 1
    self._vc.version += 1
    return True


def commit(self: Tensor, res: Tensor, overlap: str | tuple | None = None) -> Tensor:
    """Write `res` (computed out of place) into `self`; move `res`'s graph node onto `self`.
    `overlap`: the op may write a tensor whose elements share memory (see `write`)."""
    _fits(self, shape_of(res))  # (shapes before dtypes, as PyTorch checks them)
    if res._dtype is not self._dtype and not D.can_cast(res._dtype, self._dtype):
        raise cast_error(res._dtype, self._dtype)
    node = res._grad_fn
    if node is not None and getattr(node, "saved", None) and node.saved[0] is self:
        # the formula may need self's value from before the write: save a snapshot of it
        node.saved = (_snapshot(self),) + tuple(node.saved[1:])
        node.versions = (0,) + tuple(node.versions[1:])
    write(self, None, read(res), res._dtype, overlap)
    if node is not None:
        rebase_history(self, node)
        if getattr(node, "out", None) is not None:
            # what the node saved as its result is self, as written (PyTorch saves `result`)
            node.out = (_alias(self), self._vc.version)
    return self


def _fits(self: Tensor, rs: tuple) -> None:
    """PyTorch's refusal of an in-place result of a shape self cannot hold."""
    shape = shape_of(self)
    if rs != shape and broadcast_shapes(rs, shape) != shape:
        raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast shape "
                           f"{list(broadcast_shapes(rs, shape))}")


def _snapshot(t: Tensor) -> Tensor:
    be = t._storage.backend
    snap = wrap(be.xp.asarray(read(t), copy=True), t._storage, t._dtype)
    if t._requires_grad:
        snap._grad_fn = t.grad_fn
        snap._output_nr = t._output_nr
        snap._requires_grad = True
    return snap


def rebase_history(self: Tensor, node: Any) -> None:
    """After an in-place op recorded as `node` (whose input 0 edge is self's old history), self's
    history is the node; a view's base gets a CopySlices node for the written region. Hooks and
    retain_grad move as PyTorch moves them (`_history_moved`); views of a base that comes to
    require grad so follow it."""
    v = self._view
    if v is None or v.base is None:
        was = self._requires_grad
        old, nr = self._grad_fn, self._output_nr
        self._grad_fn = node
        self._output_nr = 0
        self._requires_grad = True
        if self._hooks is not None or self._retains_grad:
            _history_moved(self, old, nr)
        if not was:
            follow_base(self)
        return
    from .views import CopySlices

    base = v.base
    was = base._requires_grad
    base_edge = edge(base) if was else None
    old, nr = base._grad_fn, base._output_nr
    base._grad_fn = CopySlices(base_edge, node, S.base_steps(v),
                               S.has_internal_overlap(v.shape, v.strides))
    base._output_nr = 0
    base._requires_grad = True
    if base._hooks is not None or base._retains_grad:
        _history_moved(base, old, nr)
    self._requires_grad = True
    self._rg_inherited = False
    self._gf_version = -1  # regenerated from the base on next use
    if not was:
        follow_base(base)


def call_inplace_view(op: Op, inputs: tuple, params: Any = None) -> Tensor:
    """`x.t_()`, `x.squeeze_()` ...: self takes the view's layout, on the same storage. In a
    graph, self's history gains the view's node; a base made for a non-view self carries self's
    old history, so later writes through self and regenerated view grad_fns reach it."""
    self = inputs[0]
    if self._requires_grad and _grad.enabled and self._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    v = call(op, inputs, params)
    if self._view is None or self._view.base is None:
        base = _alias(self)  # an anonymous base owning the same array, with self's history
        if self._requires_grad:
            base._requires_grad = True
            base._grad_fn = self._grad_fn
            base._output_nr = self._output_nr
        v._view.base = base
    self._view = v._view
    if v._grad_fn is not None:
        self._grad_fn = v._grad_fn
        self._output_nr = 0
        self._gf_version = self._vc.version
    return self


# -- writing a storage ---------------------------------------------------------------------------

def write(self: Tensor, key: Any, value: Any, value_dtype: D.dtype,
          overlap: str | tuple | None = None) -> None:
    """Store `value` (an array or a number) at `self[key]` (all of self when key is None) in
    self's storage, so every alias sees it, and bump the version. Checks come first, so a
    failing write leaves everything as it was.

    A tensor whose elements share memory (an expanded one) takes only the writes PyTorch lets
    through: `overlap` is "allow" (fill_, zero_), the name(s) of the op(s) PyTorch's
    deprecation warning names (masked_fill_, index_put_), or None (PyTorch's error)."""
    st = self._storage
    be = st.backend
    v = self._view
    if v is not None and S.has_internal_overlap(v.shape, v.strides):
        if overlap is None:
            raise RuntimeError(INTERNAL_OVERLAP)
        for name in () if overlap == "allow" else \
                (overlap,) if isinstance(overlap, str) else overlap:
            example = "tensor[mask] = scalar" if name in ("masked_fill_", "index_fill_") else \
                "tensor[indices] = tensor"
            warnings.warn(f"Use of {name} on expanded tensors is deprecated. Please clone() "
                          f"the tensor before performing this operation. This also applies to "
                          f"advanced indexing e.g. {example}", UserWarning, stacklevel=4)
    if 0 in (v.shape if v is not None else st.array.shape):
        st.writes += 1  # nothing to store (Dask refuses empty writes); still a write
        self._vc.version += 1
        return
    if not isinstance(value, _numbers) and value_dtype is not self._dtype:
        value = be.xp.astype(value, be.dtypes[self._dtype])
    whole = key is None
    # In place only where the backend's views verifiably alias (so `.numpy()` and views keep
    # seeing the storage); elsewhere an op's result may share a buffer or a lazy array object
    # with another storage, so the write replaces the array instead.
    in_place = be.in_place
    if in_place and not st.owned:
        st.own()
    if v is None:
        if in_place:
            be.write(st.array, ... if whole else key, value)
        else:
            st.array = _full_value(be, st.array, value) if whole else \
                be.index_update(st.array, key, value)
    else:
        cur = v.read(st)
        if v.aliased:
            be.write(cur, ... if whole else key, value)
        else:
            new_view = _full_value(be, cur, value) if whole else be.index_update(cur, key, value)
            mask = None
            if S.has_internal_overlap(v.shape, v.strides):
                # an expanded view (the writes PyTorch lets through: fill_, index_put_,
                # masked_fill_): each base element takes the value of an alias that changed
                xp = be.xp
                mask = new_view != cur if whole else \
                    be.index_update(xp.zeros(cur.shape, dtype=xp.bool), key, True)
            new_base = S.scatter(be, st.array, v.steps, new_view, mask)
            if in_place:
                be.write(st.array, ..., new_base)
            else:
                st.array = new_base
    if be.lazy:
        # state written in place (parameters, accumulators) is computed now, so a training loop
        # keeps a bounded graph instead of chaining every step's graph onto the next
        (st.array,) = be.persist(st.array)
    st.writes += 1
    self._vc.version += 1


def _full_value(be: Any, cur: Any, value: Any) -> Any:
    xp = be.xp
    if isinstance(value, _numbers):
        return xp.full(cur.shape, value, dtype=cur.dtype)
    if tuple(value.shape) != tuple(cur.shape):
        value = xp.broadcast_to(value, cur.shape)
    return xp.asarray(value, copy=True) if value is cur else value


# -- out= ----------------------------------------------------------------------------------------

def write_out(result: Tensor, out: Tensor, name: str) -> Tensor:
    """`out=`: PyTorch refuses graphs and unsafe casts and resizes `out` to the result."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if _grad.enabled and (result._requires_grad or out._requires_grad):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           f"differentiation, but one of the arguments requires grad.")
    if out._storage.device != result._storage.device:
        raise RuntimeError(f"Expected out tensor to have device {result.device}, but got "
                           f"{out.device} instead")
    if not D.can_cast(result._dtype, out._dtype):
        raise cast_error(result._dtype, out._dtype)
    if shape_of(out) != shape_of(result):
        # resize: out becomes a fresh base of the result's shape (a view cannot be resized)
        if out._view is not None:
            raise RuntimeError("cannot resize a view used as out=; pass a tensor of the result's "
                               f"shape {list(result.shape)}")
        be = out._storage.backend
        out._storage.array = be.xp.astype(read(result), be.dtypes[out._dtype])
        out._storage.writes += 1
        out._vc.version += 1
        return out
    write(out, None, read(result), result._dtype)
    return out
