"""The op table's row: everything about one op, declared in one place.

An `Op` holds what PyTorch spreads over `native_functions.yaml` and `derivatives.yaml`:

- its public name, aliases and variants (function, method, in-place `x.op_()` and `agrad.op_`,
  `out=`, operators);
- its public signature: the `args` function, which checks the user's arguments (raising
  PyTorch's errors) and splits them into the op's inputs and its params;
- what it does, one of three kinds:
  * a computation: `forward(xp, *arrays[, params])` written with the backend namespace `xp`;
  * a view step: `view(shape, strides, offset, params)`, giving the new layout and the step(s)
    the view chain applies (see `agrad._storage`), so results alias their input;
  * a composite: `impl(*args, **kwargs)`, written with other ops (autograd comes from them);
- its derivative: `backward(node, grad)` written with agrad ops, always returning one gradient
  (or None) per input, so double backward needs nothing more;
- the grad_fn name users see, or a function of the inputs and params that computes it;
- its dtype rule (which inputs promote, the computation and result dtypes) and the dtypes PyTorch
  has no kernel for, with PyTorch's message;
- what it saves for backward.

Every row registers itself in `TABLE`; the dispatcher (`_dispatch`) runs them, `_variants`
turns them into functions, methods and operators, and the typing stubs and docs are generated
from them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .. import dtypes as D

TABLE: dict[str, Op] = {}

# -- dtype rules: the promoted input dtype -> (dtype the forward computes in, result dtype) -----


def same(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    return dt, dt


def to_float(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    """Integers and bools compute in the default float dtype (true division, exp, sin ...)."""
    if dt.category < D.FLOAT:
        f = D.get_default_dtype()
        return f, f
    return dt, dt


def opmath(rule: Callable) -> Callable:
    """`rule`, except that half computes in float32 and rounds once: PyTorch's CPU kernels of
    mul, div and floor division read a scalar second operand (a number or a 0-d tensor) in
    float32 instead of rounding it to half first (`x * 0.1` differs in the last bit otherwise).
    The dispatcher rounds every other operand to half, as PyTorch's inputs are."""
    def plan(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
        c, r = rule(dt)
        return (D.float32, r) if c is D.float16 and r is D.float16 else (c, r)
    plan.__doc__ = rule.__doc__
    return plan


def to_bool(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    """Comparisons and predicates: computed in the promoted dtype, a bool result."""
    return dt, D.bool


def to_real(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    """abs, angle, real, imag: a complex input gives its real counterpart."""
    return dt, dt.to_real()


def accumulate(dt: D.dtype) -> tuple[D.dtype, D.dtype]:
    """sum, prod, cumsum, trace: integers and bools accumulate in int64, as PyTorch does."""
    if dt.category < D.FLOAT:
        return D.int64, D.int64
    return dt, dt


def from_result(dt: D.dtype) -> tuple[D.dtype, None]:
    """The forward decides the result dtype (read from the array it returns)."""
    return dt, None


# -- refusals: the dtypes PyTorch has no kernel for, with PyTorch's message ----------------------

INTS = (D.uint8, D.int8, D.int16, D.int32, D.int64)
FLOATS = (D.float16, D.float32, D.float64)
COMPLEX = (D.complex64, D.complex128)
BOOL = (D.bool,)


def kernel(name: str, *groups: tuple) -> dict[D.dtype, tuple[type, str, bool]]:
    """`"name" not implemented for 'Bool'`: a missing kernel, as PyTorch's dispatch says it
    (once its TensorIterator has checked the operands' memory and shapes)."""
    return {d: (NotImplementedError, f'"{name}" not implemented for \'{d.legacy}\'', False)
            for g in groups for d in g}


def refused(exc: type, message: str, *groups: tuple) -> dict[D.dtype, tuple[type, str, bool]]:
    """A refusal with a fixed message (e.g. `-` on bools): PyTorch's meta function makes it
    before anything else is checked (`early`, see `Op.check_early`)."""
    return {d: (exc, message, True) for g in groups for d in g}


# -- what a row saves ---------------------------------------------------------------------------

NOTHING: tuple = ()
ALL = None  # every input is saved (the default for computations)


class Op:
    """One row of the op table. See the module docstring for what each field means."""

    __slots__ = ("name", "args", "forward", "view", "impl", "backward", "grad_fn", "dtype",
                 "promote", "refuse", "needs", "saves_result", "elementwise", "aliases",
                 "method", "function", "inplace", "out", "dunder", "iforward", "bool_forward",
                 "outputs", "returns", "doc", "namespace", "node_cls", "_nodes", "_plans",
                 "array_api", "attribute", "inplace_function", "inplace_grad_fn", "moves",
                 "dtype_arg", "scalars", "data_dependent", "fast", "needed", "overlap", "zeroes",
                 "preserves_layout", "saved_params", "saved_names", "inplace_check",
                 "__weakref__")

    def __init__(self, name: str, args: Callable, *,
                 forward: Callable | None = None,
                 view: Callable | None = None,
                 impl: Callable | None = None,
                 backward: Callable | None = None,
                 grad_fn: str | Callable | None = None,
                 inplace_grad_fn: str | Callable | None = None,
                 dtype: Callable = same,
                 dtype_arg: int | None = None,
                 promote: tuple[int, ...] | None = None,
                 refuse: dict | None = None,
                 needs: tuple | None = ALL,
                 saves_result: bool | int = False,
                 elementwise: bool = False,
                 aliases: tuple[str, ...] = (),
                 method: bool | str | tuple[str, ...] = True,
                 attribute: bool = False,
                 function: bool = True,
                 inplace: bool = False,
                 inplace_function: bool | tuple[str, ...] = False,
                 out: bool = False,
                 dunder: tuple[str, ...] | None = None,
                 iforward: Callable | None = None,
                 bool_forward: Callable | None = None,
                 outputs: int = 1,
                 moves: bool = False,
                 scalars: bool = True,
                 data_dependent: bool = False,
                 overlap: str | Callable | None = None,
                 inplace_check: Callable | None = None,
                 zeroes: bool = False,
                 preserves_layout: bool | str | None = None,
                 returns: Callable | None = None,
                 saved_params: Callable | None = None,
                 saved_names: dict[str, tuple[str, ...]] | None = None,
                 namespace: str = "agrad",
                 array_api: str | None = None,
                 doc: str | None = None) -> None:
        assert (forward is not None) + (view is not None) + (impl is not None) == 1, name
        self.name = name
        self.args = args
        self.forward = forward
        self.view = view
        self.impl = impl
        self.backward = backward
        # the grad_fn name: a string, or grad_fn(inputs, params) -> name where PyTorch's name
        # depends on the call (`sum(x)` SumBackward0, `sum(x, 1)` SumBackward1)
        if grad_fn is None and backward is not None:
            grad_fn = name.title().replace("_", "") + "Backward0"
        self.grad_fn = grad_fn
        # the name when the call is in place, where PyTorch's differs (`fill_`: FillBackward2);
        # for a row without a derivative (`eq_`), the name of the node whose gradients are zeros
        # that PyTorch records for its in-place form
        self.inplace_grad_fn = inplace_grad_fn
        self.dtype = dtype
        # params[dtype_arg], when not None, is an explicit `dtype=`: the computation and the
        # result take it whatever the rule says (`sum(x, dtype=torch.int32)`)
        self.dtype_arg = dtype_arg
        self.promote = promote  # input positions that take the common dtype; None: all of them
        self.refuse = refuse or {}
        # needs[i]: the inputs the gradient w.r.t. input i reads (only those are saved and
        # version-checked); ALL: every input; NOTHING: none
        self.needs = needs
        self.saves_result = saves_result  # True: the output is saved; an int: that output
        # elementwise: the result has the inputs' broadcast shape, so a gradient only needs
        # reducing where an input was broadcast
        self.elementwise = elementwise
        self.aliases = aliases
        self.method = method  # True: a method of the same names; or the method names
        self.attribute = attribute  # a Tensor property of this name (x.T, x.real) instead
        self.function = function
        self.inplace = inplace  # x.name_()
        # a composite's check of x.name_(...) before anything else (clamp_'s dtype check)
        self.inplace_check = inplace_check
        # agrad.name_(x) too (PyTorch has some); or the names it has (`neg_` and `negative_`)
        self.inplace_function = inplace_function
        self.out = out
        self.dunder = dunder
        # iforward(array, other): the backend's own in-place form (`a -= b`), used when no graph
        # is recorded and the storage's buffer is written directly
        self.iforward = iforward
        # bool_forward: the forward for bool operands where PyTorch's meaning differs from the
        # Array API's (`+` on bools is `or`)
        self.bool_forward = bool_forward
        self.outputs = outputs  # results of the forward (-1: a tuple of any length)
        # moves: the result lives on another device: params[0] is its (backend, device)
        self.moves = moves
        # scalars: the forward takes Python numbers as they are (`a * 2.0`); else they come as
        # 0-d arrays of the computation dtype (`xp.where` wants arrays)
        self.scalars = scalars
        # data_dependent: the result's shape depends on values (nonzero); a lazy backend
        # resolves it as the result is made
        self.data_dependent = data_dependent
        # the in-place form may write a tensor whose elements share memory (expanded): "allow"
        # (fill_), the op's name (PyTorch's deprecation warning names it), None: PyTorch's error
        self.overlap = overlap
        # the in-place form leaves all zeros (zero_): outside the graph, a read-only zero array
        # stands in until the next write, and the next gradient accumulation takes the
        # gradient's buffer instead of adding into zeros
        self.zeroes = zeroes
        # the result's strides follow the operands' layout (PyTorch's preserve_format): every
        # elementwise op, clone, dtype conversions
        self.preserves_layout = elementwise if preserves_layout is None else preserves_layout
        self.returns = returns  # wraps a multi-output result (a named tuple such as `max`)
        # params -> {name: value}: the non-tensor arguments PyTorch's node shows as
        # `_saved_<name>` (`_saved_dim` of SumBackward1); the saved tensors need no declaring
        self.saved_params = saved_params
        # the names of the saved inputs by grad_fn name, where the row's signature cannot give
        # PyTorch's (matmul: `mat2` of MmBackward0, `vec` of MvBackward0; none for other nodes)
        self.saved_names = saved_names
        self.namespace = namespace  # the module whose function this is (agrad, nn.functional)
        self.array_api = array_api
        self.doc = doc
        self.node_cls = None if not isinstance(grad_fn, str) else _node_class(self, grad_fn)
        # what the dispatcher can skip for this row: promotion over some inputs only, scalars
        # as arrays, a move, several outputs (see `_dispatch.call`)
        self.fast = forward is not None and promote is None and scalars and not moves and \
            outputs == 1 and (self.elementwise or not self.preserves_layout)  # (copies: strides)
        # the inputs saved when every input needs a gradient
        self.needed = frozenset(i for ns in needs for i in ns) if needs else frozenset()
        self._nodes: dict[str, type] = {}
        self._plans: dict[D.dtype, tuple] = {}
        D.default_dependent.append(self._plans)
        key = name if namespace == "agrad" else f"{namespace}.{name}"
        assert key not in TABLE, f"op {key} declared twice"
        TABLE[key] = self

    # -- what the dispatcher asks ------------------------------------------------------------
    def plan(self, dt: D.dtype) -> tuple[D.dtype, D.dtype]:
        """(computation dtype, result dtype) for the promoted input dtype `dt`, or PyTorch's
        error for a dtype it has no kernel for. Cached: every call asks."""
        p = self._plans.get(dt)
        if p is None:
            p = self.dtype(dt)
            bad = self.refuse.get(p[0])
            if bad is not None:
                raise bad[0](bad[1])
            self._plans[dt] = p
        return p

    def check_early(self, dt: D.dtype) -> None:
        """The refusals made before the kernel checks memory and shapes (`refused`), for the
        in-place form, which checks memory first."""
        bad = self.refuse.get(self.dtype(dt)[0])
        if bad is not None and bad[2]:
            raise bad[0](bad[1])

    def node(self, inputs: tuple, params: Any, inplace: bool = False) -> type:
        """The node class for a call: named as PyTorch names this call's grad_fn."""
        cls = self.node_cls
        if inplace and self.inplace_grad_fn is not None:
            name = self.inplace_grad_fn
            name = name if isinstance(name, str) else name(inputs, params)
            cls = self._nodes.get(name)
            if cls is None:
                cls = self._nodes[name] = _node_class(self, name)
        elif cls is None:
            name = self.grad_fn(inputs, params)
            cls = self._nodes.get(name)
            if cls is None:
                cls = self._nodes[name] = _node_class(self, name)
        return cls

    @property
    def kind(self) -> str:
        return "view" if self.view is not None else "composite" if self.impl is not None \
            else "computation"

    @property
    def signature(self) -> inspect.Signature:
        """The public signature (from `args`, with `out=` where the op takes it)."""
        sig = inspect.signature(self.impl or self.args)
        if self.out:
            params = list(sig.parameters.values())
            params.append(inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY,
                                            default=None, annotation="Tensor | None"))
            sig = sig.replace(parameters=params)
        return sig

    def __repr__(self) -> str:
        return f"<op {self.name} ({self.kind})>"


def _node_class(op: Op, name: str) -> type:
    from ..autograd.graph import OpNode

    return type(name, (OpNode,), {"__slots__": (), "op": op, "__module__": "agrad.autograd"})
