"""The backward engine: an iterative walk of the graph in dependency order.

No recursion (a 100,000-op chain is fine), gradients for each node summed before it runs, saved
tensors freed unless `retain_graph`, tensor hooks and `retain_grad` honoured, and `autograd.grad`
capturing gradients at chosen edges instead of accumulating into `.grad`. The engine knows only
the graph classes: each node hands back gradients already fitted to its inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop, heappush
from typing import Any

from .. import _storage as S
from .. import dtypes as D
from .._storage import refcount as _refcount
from .._tensor import Tensor, wrap
from ..memory_format import contiguous_format
from ..ops import creation
from ..ops._dispatch import call_inplace, edge, layout, shape_of
from ..ops.elementwise import ADD
from . import anomaly_mode as _anomaly
from .grad_mode import state
from .graph import Node, _executing


def _as_tuple(x: Any) -> tuple:
    if x is None:
        return ()
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _make_grads(outputs: tuple, grads: Sequence | None, create_graph: bool) -> list:
    out = []
    grads = list(grads) if grads is not None else [None] * len(outputs)
    if len(grads) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    for i, (t, g) in enumerate(zip(outputs, grads)):
        if g is None:
            if t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if t._dtype.category < D.FLOAT:
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs "
                                   f"but got {t._dtype}")
            st = t._storage
            be = st.backend
            g = wrap(be.xp.ones(shape_of(t), dtype=be.dtypes[t._dtype]), st, t._dtype)
        elif not isinstance(g, Tensor):
            g = creation.full_like(t, g)
        else:
            if g.shape != t.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                                   f"{g.shape} and output[{i}] has a shape of {t.shape}.")
            if g._storage.device != t._storage.device:
                raise RuntimeError(f"Mismatch in device: grad_output[{i}] is on {g.device} and "
                                   f"output[{i}] is on {t.device}.")
        out.append(g)
    return out


def _check_outputs(outputs: tuple) -> None:
    for i, t in enumerate(outputs):
        if not isinstance(t, Tensor):
            raise TypeError(f"element {i} of tensors is not a Tensor but {type(t).__name__}")
        if not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have "
                               f"a grad_fn")


def _check_edges(outputs: tuple) -> None:
    """After the gradients are made (PyTorch's order): a view that requires grad only through
    its base, with no history, has no edge to start from."""
    for i, t in enumerate(outputs):
        if t._rg_inherited and t.grad_fn is None:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have "
                               f"a grad_fn")


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Any = None) -> None:
    """agrad.autograd.backward: accumulate d(sum tensors*grads)/d(leaf) into the leaves' .grad
    (or into the .grad of `inputs` only: a non-leaf among them retains its grad from now on,
    as PyTorch makes it).

    Examples:
        >>> x = torch.tensor([1., 2.], requires_grad=True)
        >>> torch.autograd.backward([(x * x).sum()])
        >>> x.grad
        tensor([2., 4.])
    """
    if grad_tensors is None and inputs is None and type(tensors) is tuple and \
            len(tensors) == 1 and isinstance(tensors[0], Tensor):
        t = tensors[0]  # `loss.backward()`: the common call, without the general preparation
        if t._requires_grad and t._dtype.category >= D.FLOAT and len(shape_of(t)) == 0 and \
                not t._rg_inherited:
            st = t._storage
            be = st.backend
            seed = wrap(be.xp.ones((), dtype=be.dtypes[t._dtype]), st, t._dtype)
            _run([edge(t)], [seed], create_graph if retain_graph is None else retain_graph,
                 create_graph, None, True)
            return
    tensors = _as_tuple(tensors)
    if isinstance(grad_tensors, Tensor):
        grad_tensors = (grad_tensors,)
    elif grad_tensors is not None:
        grad_tensors = tuple(grad_tensors)
    inputs_t = _as_tuple(inputs)
    if inputs is not None and not inputs_t:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    _check_outputs(tensors)
    grads = _make_grads(tensors, grad_tensors, create_graph)
    _check_edges(tensors)
    if retain_graph is None:
        retain_graph = create_graph
    roots = [edge(t) for t in tensors]  # (PyTorch reads the outputs' edges before the inputs')
    targets = None
    if inputs_t:
        targets = {}
        for x in inputs_t:
            if not x._requires_grad:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            x.retain_grad()
            e = edge(x)
            if e is not None:  # (none for a view requiring grad through its base only)
                targets[e] = x
    _run(roots, grads, retain_graph, create_graph, targets, True)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,
         is_grads_batched: bool = False, materialize_grads: bool = False) -> tuple:
    """agrad.autograd.grad: the gradients of outputs w.r.t. inputs, without touching .grad.

    Examples:
        >>> x = torch.tensor([1., 2.], requires_grad=True)
        >>> torch.autograd.grad((x ** 3).sum(), x)
        (tensor([ 3., 12.]),)
    """
    if is_grads_batched:
        raise NotImplementedError("is_grads_batched=True needs vmap, which agrad does not have")
    outputs = _as_tuple(outputs)
    inputs_t = _as_tuple(inputs)
    if not inputs_t:
        raise RuntimeError("grad requires non-empty inputs.")
    if isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,)
    elif grad_outputs is not None:
        grad_outputs = tuple(grad_outputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    elif materialize_grads and not allow_unused:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads="
                         "True, but got: allow_unused=False.")
    _check_outputs(outputs)
    grads = _make_grads(outputs, grad_outputs, create_graph)
    _check_edges(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    roots = [edge(t) for t in outputs]  # (PyTorch reads the outputs' edges before the inputs')
    capture: dict = {}
    order = []
    for x in inputs_t:
        if not isinstance(x, Tensor):
            raise TypeError(f"grad(): inputs must be Tensors, not {type(x).__name__}")
        if not x._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        e = edge(x)
        # a view requiring grad through its base only has no edge: nothing reaches it
        key = e if e is not None else (None, len(order))
        capture[key] = x
        order.append(key)
    found = _run(roots, grads, retain_graph, create_graph, capture, False)
    result = []
    for i, (x, key) in enumerate(zip(inputs_t, order)):
        g = found.get(key)
        if g is None:
            if not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have "
                                   f"been used in the graph. Set allow_unused=True if this is "
                                   f"the desired behavior.")
            if materialize_grads:
                g = creation.zeros_like(x)
        result.append(g)
    return tuple(result)


def _collect(roots: list) -> tuple[dict, dict]:
    """Dependency counts of the nodes reachable from the roots, without recursion (nodes hash
    by identity, so they key the dicts themselves)."""
    deps: dict = {}
    nodes: dict = {}
    for e in roots:
        nodes[e[0]] = e[0]
    stack = list(nodes)  # once each: two outputs of one node are two roots but one node
    get = deps.get
    while stack:
        n = stack.pop()
        for e in n.edges:
            if e is None:
                continue
            m = e[0]
            deps[m] = get(m, 0) + 1
            if m not in nodes:
                nodes[m] = m
                stack.append(m)
    return deps, nodes


def _needed(nodes: dict, targets: dict) -> set:
    """PyTorch's `needed` nodes for `autograd.grad` or `backward(inputs=...)`: those from which
    a target edge's node is reachable through at least one edge. The others do not run."""
    parents: dict = {}
    for n in nodes:
        for e in n.edges:
            if e is not None:
                parents.setdefault(e[0], []).append(n)
    need: set = set()
    stack = [p for t in {k[0] for k in targets} for p in parents.get(t, ())]
    while stack:
        k = stack.pop()
        if k in need:
            continue
        need.add(k)
        stack.extend(parents.get(k, ()))
    return need


def _run(roots: list, grads: list, retain_graph: bool, create_graph: bool,
         targets: dict | None, accumulate: bool) -> dict:
    """Walk the graph from `roots` (edges) in PyTorch's order, without recursion: a node is
    ready once every gradient flowing into it has been summed, and of the ready nodes the one
    made last runs first (accumulators first of all). Returns the captured gradients.

    `targets` (edges): None for a plain backward, where every node runs. Else only the nodes
    leading to a target run, as PyTorch's engine restricts them: `backward(inputs=...)`
    (`accumulate`) runs the targets' own nodes too; `autograd.grad` captures the gradient at
    each target edge, before the node's tensor hooks where the node runs anyway, after them
    where it only captures. A node outside those (and a lone root) only runs its tensor hooks."""
    deps, nodes = _collect(roots)
    need = capture = None
    if targets is not None:
        need = _needed(nodes, targets)
        if accumulate:
            need.update(k[0] for k in targets)
        else:
            capture = {}
            for n, nr in targets:
                capture.setdefault(n, []).append(nr)
        visit = need | set(capture or ())
        if len(roots) == 1:
            visit.add(roots[0][0])  # PyTorch's graph root: always evaluated
    buffers: dict = {}
    for (n, nr), g in zip(roots, grads):
        _add(buffers, n, nr, g, create_graph)
    ready: list = []
    for n, _ in roots:
        if n not in deps and all(r[1] is not n for r in ready):
            heappush(ready, (-n.seq, n))
    found: dict = {}
    pop = buffers.pop
    prev = state.enabled
    state.enabled = create_graph
    nan = _anomaly.checks_nan()  # anomaly mode's NaN check (off: one test per node)
    node = None
    outer = _executing.visit
    _executing.visit = visit if targets is not None else None
    try:
        while ready:
            node = heappop(ready)[1]
            buf = pop(node, None) or [None]
            if need is not None:
                if node not in visit:
                    continue
                if node not in need:  # capture only: its hooks, then the captured gradients
                    buf = _tensor_hooks(node, buf)
                    if capture is not None and node in capture:
                        _capture(node, buf, capture[node], found)
                    continue
                if capture is not None and node in capture:
                    _capture(node, buf, capture[node], found)
            if node.is_accumulator:
                leaf = node.variable
                if leaf._hooks:
                    buf = _tensor_hooks(node, buf)
                g = buf[0]
                if g is not None and leaf._grad_fn is not None:  # written in place since
                    raise RuntimeError("leaf variable has been moved into the graph interior")
                if g is not None and leaf._requires_grad:
                    _accumulate(leaf, g, create_graph, not leaf._hooks, buf)
                continue
            if node._tensor_hooks is not None or node._retained is not None:
                buf = _tensor_hooks(node, buf)
            if buf[0] is None and node.skip_undefined and all(g is None for g in buf):
                # no gradient reached this node (every path to it was cut): it passes nothing
                outs: tuple = (None,) * len(node.edges)
                if not retain_graph:
                    node.release()
            elif node._pre_hooks or node._hooks or node.user_grads:
                outs = _apply_hooked(node, buf, retain_graph)
            else:
                outs = node.apply(tuple(buf))
                if not retain_graph:
                    node.release()
            if nan:
                _anomaly.check_nan(node, outs)
            buf = None
            for e, g in zip(node.edges, outs):
                if e is None:
                    continue
                m = e[0]
                if g is not None:
                    slot = buffers.get(m)
                    if slot is None and e[1] == 0:
                        buffers[m] = [g]
                    else:
                        _add(buffers, m, e[1], g, create_graph)
                c = deps[m] - 1
                deps[m] = c
                if c == 0:
                    heappush(ready, (-m.seq, m))
            outs = g = None  # hold no gradient past its node: `_exclusive` counts references
    except Exception:
        if _anomaly._enabled:
            _anomaly.report(node)  # the forward call that made the failing node
        raise
    finally:
        state.enabled = prev
        _executing.visit = outer
    return found


def _capture(node: Node, buf: list, nrs: list, found: dict) -> None:
    for nr in nrs:
        g = buf[nr] if nr < len(buf) else None
        if g is not None:
            found[(node, nr)] = g


def _exclusive(t: Tensor, refs: int) -> bool:
    """Whether nothing but the engine holds `t` and its memory (`refs` references to the tensor
    are the engine's own): then it may become `.grad` as it is, or take a sum in place. This
    is PyTorch's use-count test, made with CPython's reference counts; elsewhere nothing is
    exclusive, and gradients are copied."""
    return (_refcount is not None and t._view is None and _refcount(t) <= refs
            and _refcount(t._storage) <= 3)  # t._storage, t._vc and getrefcount's argument


def _add(buffers: dict, node: Node, nr: int, g: Any, create_graph: bool) -> None:
    """Sum `g` into the node's input buffer slot; in place into the slot's tensor when the
    engine alone holds it (no graph is recorded then) and the backend writes in place (on a
    lazy backend an in-place write is persisted: it would compute in the middle of backward)."""
    buf = buffers.get(node)
    if buf is None:
        if nr == 0:
            buffers[node] = [g]
            return
        buf = [None] * (nr + 1)
        buffers[node] = buf
    elif len(buf) <= nr:
        buf.extend([None] * (nr + 1 - len(buf)))
    old = buf[nr]
    if old is None:
        buf[nr] = g
    elif create_graph or old._dtype is not g._dtype or shape_of(old) != shape_of(g) or \
            not old._storage.backend.in_place:
        buf[nr] = old + g
    elif _exclusive(old, 4):  # the slot, `old`, `t` and getrefcount's argument
        call_inplace(ADD, (old, g))
    elif _exclusive(g, 6):  # the node's outs, the loop's `g`, `g` here, `t`, the argument
        buf[nr] = call_inplace(ADD, (g, old))  # the same sum: addition commutes
    else:
        buf[nr] = old + g


def _tensor_hooks(node: Node, buf: list) -> list:
    """PyTorch's tensor pre-hooks of a node, as it runs them before the node: the hooks
    registered through the tensors it produced (through a leaf, for an accumulator), in the
    order they were first hooked, each with its output's gradient (None where none came),
    then retain_grad's."""
    if node.is_accumulator:
        entries: Any = ((0, node.variable._hooks),)
    else:
        entries = node._tensor_hooks or ()
    for nr, hooks in entries:
        if not hooks:
            continue
        if nr >= len(buf):
            buf = buf + [None] * (nr + 1 - len(buf))
        g = buf[nr]
        for h in list(hooks.values()):
            r = h(g)
            if r is not None:
                if g is None:
                    raise RuntimeError("can't replace a None gradient with a non-None value")
                g = r
        buf[nr] = g
    retained = node._retained
    if retained:
        for nr, ref in list(retained.items()):
            t = ref()
            g = buf[nr] if nr < len(buf) else None
            if t is not None and g is not None and t._retains_grad:
                _retain(t, g)
    return buf


def _retain(t: Tensor, g: Tensor) -> None:
    """retain_grad's hook: `.grad` is a contiguous copy of the first gradient, then a new sum
    (never an in-place one: a `.grad` read earlier keeps its value), as in PyTorch; recorded
    in the graph under create_graph."""
    if t._grad is None:
        t._grad = g.clone(memory_format=contiguous_format)
    else:
        t._grad = t._grad + g


def _apply_hooked(node: Node, buf: list, retain_graph: bool) -> tuple:
    """A node with hooks, or a user's Function (whose backward's result is checked)."""
    if node._pre_hooks:
        for h in list(node._pre_hooks.values()):
            r = h(tuple(buf))
            if r is not None:
                buf = list(r)
    outs = node.apply(tuple(buf))
    if not isinstance(outs, tuple):
        outs = (outs,)
    if len(outs) != len(node.edges):
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                           f"(expected {len(node.edges)}, got {len(outs)})")
    if node._hooks:
        for h in list(node._hooks.values()):
            r = h(outs, tuple(buf))
            if r is not None:
                outs = tuple(r)
    if not retain_graph:
        node.release()
    return outs


def _accumulate(leaf: Tensor, g: Tensor, create_graph: bool, stealable: bool, buf: list) -> None:
    """AccumulateGrad: into `leaf.grad` — the gradient itself when the engine alone holds it
    (and no hook ran on it), else a copy (under create_graph a recorded one: PyTorch's
    CopyBackwards onto a fresh tensor of the leaf's layout); in place into an existing `.grad`
    (a graph of the sum under create_graph)."""
    # buf[0], `g` here and in the caller, `t` and getrefcount's argument
    steal = stealable and buf[0] is g and _exclusive(g, 5)
    if leaf._grad is None:
        if create_graph:  # a recorded copy (CopyBackwards) in the leaf's layout
            leaf._grad = creation.empty_like(leaf).copy_(g)
        elif _obeys_layout(g, leaf):
            leaf._grad = g.detach() if steal else g.detach().clone()
        else:  # a copy in the leaf's layout (`empty_like`: its strides if dense, else row-major)
            leaf._grad = creation.empty_like(leaf).copy_(g)
    elif create_graph:
        leaf._grad = leaf._grad + g
    elif steal and _into_zeros(leaf._grad, g):
        pass
    else:
        call_inplace(ADD, (leaf._grad, g))


def _obeys_layout(g: Tensor, leaf: Tensor) -> bool:
    """PyTorch's gradient layout contract, which a stolen gradient must obey: the leaf's strides
    where the leaf is dense (size-1 dims aside, unless their stride is 0: an expanded gradient
    is a view), else row-major."""
    if g._view is None and g._base_strides is None and leaf._view is None and \
            leaf._base_strides is None:
        return True  # both row-major
    gs, gst, _ = layout(g)
    vs, vst, _ = layout(leaf)
    if S.non_overlapping_and_dense(vs, vst):
        return all(a == b if n != 1 else a != 0 for n, a, b in zip(gs, gst, vst))
    return S.is_contiguous(gs, gst)


def _into_zeros(grad: Tensor, g: Tensor) -> bool:
    """`grad += g` where `grad` holds the zeros `zero_` left (the tutorials' `w.grad.zero_()`)
    and the engine alone holds `g`: grad takes g's buffer, as the sum would be g, with the
    write counted as one. Saves a pass over the gradient (and `zero_`'s, which wrote nothing)."""
    st = grad._storage
    if st.array is not st.zeros or grad._view is not None or g._dtype is not grad._dtype or \
            g._storage.device is not st.device or shape_of(g) != st.array.shape:
        return False
    st.array = g._storage.array
    st.zeros = None
    st.owned = False
    st.writes += 1
    grad._vc.version += 1
    return True
