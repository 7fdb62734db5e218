"""Graph nodes: what `grad_fn` is.

Every op's node class is made from its row in the op table and named as PyTorch names it
(`MulBackward0`), so `type(y.grad_fn).__name__` and the repr match. Nodes hold saved tensors with
the version they were saved at; an output saved by its own node is kept as a detached alias (no
reference cycle) and re-attached to the node only while backward runs.
"""

from __future__ import annotations

import inspect
from itertools import count
from typing import Any

from ..dtypes import COMPLEX as _COMPLEX
from ..dtypes import FLOAT as _FLOAT

_FREED = ("Trying to backward through the graph a second time (or directly access saved tensors "
          "after they have already been freed). Saved intermediate values of the graph are freed "
          "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
          "backward through the graph a second time or if you need to access saved tensors after "
          "calling backward.")


RELEASED = ()  # what a node's saved tensors are once backward has freed them

# PyTorch's sequence numbers: nodes are numbered as they are made, and backward runs the ready
# node made last first (an accumulator, numbered above every other node, as soon as it is ready)
_sequence = count()
_ACCUMULATOR = 1 << 62


class Node:
    """Base of grad_fn objects. `edges[i]` is (node, input_nr) for input i, or None; `seq` is
    the node's sequence number (the engine's order).

    Examples:
        >>> x = torch.ones(2, requires_grad=True)
        >>> y = (x * 2).sum()
        >>> y.grad_fn.name()
        'SumBackward0'
        >>> y.grad_fn.next_functions
        ((<MulBackward0 object at 0x...>, 0),)
    """

    __slots__ = ("edges", "meta", "seq", "__weakref__", "__dict__")

    # class-level defaults read by the engine on every node (no per-node allocation), set per
    # node only when used: the hook dicts of the tensors this node produced, as
    # [(output_nr, {id: hook})] in the order they were first hooked (a tensor's dict stays with
    # this node when an in-place op gives the tensor a new one), and the outputs whose tensors
    # retain their grad ({output_nr: weak reference})
    _tensor_hooks: list | None = None
    _retained: dict | None = None
    is_accumulator = False
    skip_undefined = True  # not run when no gradient reached it (custom Functions are)
    user_grads = False  # its gradients may be tensors the user keeps (never stolen into .grad)
    _pre_hooks: dict | None = None  # set per node only when a hook is registered
    _hooks: dict | None = None

    def __init__(self) -> None:
        self.seq = next(_sequence)

    def name(self) -> str:
        return type(self).__name__

    def _sequence_nr(self) -> int:
        """PyTorch's name for the node's place in the engine's order."""
        return self.seq

    @property
    def metadata(self) -> dict:
        """PyTorch's per-node dict (anomaly mode keeps the forward's stack in it)."""
        return self.__dict__.setdefault("_metadata", {})

    @property
    def next_functions(self) -> tuple[tuple[Node | None, int], ...]:
        return tuple((None, 0) if e is None else e for e in self.edges)

    def register_hook(self, fn: Any) -> _Handle:
        """fn(grad_inputs, grad_outputs) after the node runs; may return new grad_inputs."""
        if self._hooks is None:
            self._hooks = {}
        return _Handle(self._hooks, fn)

    def register_prehook(self, fn: Any) -> _Handle:
        """fn(grad_outputs) before the node runs; may return new grad_outputs."""
        if self._pre_hooks is None:
            self._pre_hooks = {}
        return _Handle(self._pre_hooks, fn)

    def apply(self, grads: tuple) -> tuple:
        raise NotImplementedError

    def release(self) -> None:
        """Free saved tensors (after a backward without retain_graph)."""

    def __call__(self, *grads: Any) -> Any:
        r = self.apply(grads)
        return r[0] if len(r) == 1 else r

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"


class _Handle:
    """RemovableHandle: `.remove()` unregisters the hook."""

    _next_id = 0

    def __init__(self, table: dict, fn: Any) -> None:
        _Handle._next_id += 1
        self.id = _Handle._next_id
        self._table = table
        table[self.id] = fn

    def remove(self) -> None:
        self._table.pop(self.id, None)

    def __enter__(self) -> _Handle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class AccumulateGrad(Node):
    """The sink of a leaf: adds the incoming gradient into `leaf.grad`.

    The leaf keeps only a weak reference to its accumulator and the graph keeps it alive, so a
    freed graph leaves nothing behind."""

    __slots__ = ("variable",)
    is_accumulator = True

    def __init__(self, variable: Any) -> None:
        self.variable = variable
        self.edges = ()
        self.meta = ()
        self.seq = _ACCUMULATOR + next(_sequence)

    def apply(self, grads: tuple) -> tuple:
        return ()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"  # PyTorch's C++ name


class OpNode(Node):
    """A node made from an op-table row. Subclasses (one per grad_fn name) set `op`.

    `meta[i]` is (shape, dtype) of input i where the gradient must be fitted to it (or the
    backward reads it); None when every gradient already has its input's shape and dtype."""

    # saved: the saved inputs (None: nothing saved; RELEASED after backward freed them);
    # out: (alias of the output, its version) for ops that save their result; fits: a
    # gradient must be fitted to its input (a broadcast or promoted input). The dispatcher sets
    # them all when it records the node (no __init__, no instance dict).
    __slots__ = ("saved", "versions", "params", "out", "fits")
    op: Any = None

    def apply(self, grads: tuple) -> tuple:
        r = self.op.backward(self, grads[0] if len(grads) == 1 else grads)
        return fit(self, r, self.meta) if self.fits else r

    def release(self) -> None:
        self.saved = RELEASED
        self.out = None

    @property
    def inputs(self) -> tuple:
        """The saved inputs, checked against in-place modification since they were saved."""
        saved = self.saved
        if saved is RELEASED:
            raise RuntimeError(_FREED)
        for x, v in zip(saved, self.versions):
            if v is not None and x._vc.version != v:
                self._unpack_failure()
        return saved

    def _unpack_failure(self) -> None:
        """Raise what PyTorch's backward raises when a saved input was written since: its
        generated nodes unpack their saved variables in the order of their names (`other`
        before `self`; measured on mul, minimum, lerp, addcmul, pow, copysign ...), and each
        unpack reads the tensor's grad_fn before it checks the version (a multi-output view
        whose base was written refuses that first)."""
        saved, versions = self.saved, self.versions
        named = saved_inputs(type(self)) if self.op is not None else {}
        first = [i for _, i in sorted(named.items())]
        for i in dict.fromkeys([*first, *range(len(saved))]):
            x, v = saved[i], versions[i]
            if v is not None:
                if x._view is not None and x._requires_grad:
                    x.grad_fn  # noqa: B018 - raises a stale multi-output view's error
                if x._vc.version != v:
                    raise RuntimeError(modified_message(x, v))

    @property
    def result(self) -> Any:
        """The saved output, re-attached to this node so that double backward flows through it."""
        if self.saved is RELEASED:
            raise RuntimeError(_FREED)
        alias, v = self.out
        if alias._vc.version != v:
            raise RuntimeError(modified_message(alias, v, self))
        if alias._grad_fn is None and _state.enabled and alias._dtype.category >= _FLOAT:
            return alias._attached(self)
        return alias

    def shape(self, i: int) -> tuple[int, ...]:
        """The shape input i had."""
        return self.meta[i][0]

    # -- PyTorch's saved-tensor attributes (`y.grad_fn._saved_self`) ---------------------------
    # Looked up only when an attribute is missing, from tables made once per node class: a node
    # costs nothing more to make.

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_saved_"):
            key = name[7:]
            i = saved_inputs(type(self)).get(key)
            saved = self.saved
            if i is not None and (saved is RELEASED or saved is None or i < len(saved)):
                return self._unpack_input(i)
            if key == "result" and self.op.saves_result is not False:
                return self._unpack_result()
            get = self.op.saved_params
            if get is not None:
                params = get(self.params)
                if key in params:
                    return params[key]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __dir__(self) -> list[str]:
        names = [f"_saved_{k}" for k in saved_inputs(type(self))]
        if self.op.saves_result is not False:
            names.append("_saved_result")
        if self.op.saved_params is not None:
            names += [f"_saved_{k}" for k in self.op.saved_params(self.params)]
        return sorted(set(super().__dir__()) | set(names))

    def _unpack_input(self, i: int) -> Any:
        """Input i as saved (None where this call did not save it), checked against in-place
        writes since, as PyTorch unpacks a saved variable."""
        saved = self.saved
        if saved is RELEASED:
            raise RuntimeError(_FREED)
        if saved is None:
            return None
        x, v = saved[i], self.versions[i]
        if v is not None and x._vc.version != v:
            if x._view is not None and x._requires_grad:
                x.grad_fn  # noqa: B018 - raises a stale multi-output view's error
            raise RuntimeError(modified_message(x, v))
        return x

    def _unpack_result(self) -> Any:
        """The saved output: an alias attached to this node (not the output object itself)."""
        if self.saved is RELEASED or self.out is None:
            raise RuntimeError(_FREED)
        alias, v = self.out
        if alias._vc.version != v:
            raise RuntimeError(modified_message(alias, v, self))
        return alias._attached(self) if alias._dtype.category >= _FLOAT else alias


def saved_inputs(cls: type) -> dict[str, int]:
    """`_saved_<name>` -> input position, for the inputs a node class's row may save: named by
    the row's signature (the parameters taking a tensor, in order; PyTorch's `self` for
    `input`; or the row's `saved_names`), made once per class. View rows save no input
    (PyTorch's keep sizes only)."""
    table = cls.__dict__.get("_input_table")
    if table is None:
        op = cls.op
        table = {}
        if op is not None and op.view is None and op.needs != ():
            if op.saved_names is not None:
                names = list(op.saved_names.get(cls.__name__, ()))
            else:
                params = list(inspect.signature(op.args).parameters.values())
                names = [p.name for p in params if "Tensor" in str(p.annotation)] or \
                    [p.name for p in params if p.annotation is inspect.Parameter.empty]
            for i, n in enumerate(names):
                if op.needs is None or i in op.needed:
                    table["self" if n == "input" else n] = i
        cls._input_table = table
    return table


class ZeroGradNode(OpNode):
    """The node of an in-place comparison (`x.eq_(y)`): PyTorch records it so that x's old
    history receives zeros. Subclasses are named as PyTorch names the call."""

    __slots__ = ()

    def apply(self, grads: tuple) -> tuple:
        from ..ops.creation import zeros

        g = grads[0]
        return tuple(None if e is None else zeros(m[0], dtype=m[1], device=g.device)
                     for e, m in zip(self.edges, self.meta))


def fit(node: Node, grads: tuple, meta: tuple) -> tuple:
    """Each gradient reduced to its input's shape (summed over broadcast dimensions) and cast
    to its dtype; PyTorch's error names a gradient that cannot fit."""
    res = []
    for i, (g, m) in enumerate(zip(grads, meta)):
        if g is None or m is None:
            res.append(None)
            continue
        shape, dtype = m
        gs = g.shape
        if gs != shape:
            try:
                g = g.sum_to_size(shape)
            except RuntimeError:
                raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index "
                                   f"{i} - got {list(gs)} but expected shape compatible with "
                                   f"{list(shape)}") from None
        if g._dtype is not dtype:
            if g._dtype.category == _COMPLEX and dtype.category != _COMPLEX:
                g = g.real  # a real input's gradient is the real part (PyTorch's rule)
            g = g.to(dtype)
        res.append(g)
    return tuple(res)


def modified_message(t: Any, expected: int, node: Node | None = None) -> str:
    """PyTorch's message for a saved tensor modified in place since it was saved. `node` is
    given for a saved output (named after the node that saved it), else the tensor's current
    history names it (none for a leaf, nor for an integer output such as max's indices, which
    has no history)."""
    gf = node if node is not None and t._dtype.category >= _FLOAT else t.grad_fn
    op = _op_name(gf.name()) if gf is not None else None
    which = f", which is output {t._output_nr} of {op}," if op is not None else ""
    return (f"one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{t.type()} [{', '.join(map(str, t.shape))}]]{which} is at "
            f"version {t._vc.version}; expected version {expected} instead. Hint: enable anomaly "
            f"detection to find the operation that failed to compute its gradient, with "
            f"torch.autograd.set_detect_anomaly(True, check_nan=False).")


def _op_name(node_name: str) -> str:
    """'AddBackward0' -> 'Add', 'ProdBackward1' -> 'Prod1': the op that produced a tensor, as
    PyTorch's messages name it (its node's name less "Backward" and a 0 overload)."""
    i = node_name.rfind("Backward")
    if i <= 0:
        return node_name
    overload = node_name[i + 8:]
    return node_name[:i] + ("" if overload == "0" else overload)


from .grad_mode import state as _state  # noqa: E402


class _Executing:
    """The nodes the running backward executes (None: all of them), for a node that skips
    the work of an output no executed node reads (PyTorch's task_should_compute_output)."""

    visit: set | None = None


_executing = _Executing()


def should_compute(e: Any) -> bool:
    """Whether the gradient along edge `e` is used by the running backward."""
    visit = _executing.visit
    return e is not None and (visit is None or e[0] in visit)
