"""Pictures of the autograd graph: `make_dot`, torchviz's picture of an agrad graph.

`make_dot(y)` walks the graph backward from `y.grad_fn` through `next_functions`, as torchviz
walks PyTorch's, and returns a `graphviz.Digraph` with torchviz's layout and colours, so a
picture of an agrad program looks like the picture of the same PyTorch program:

- grey boxes: backward nodes, named as PyTorch names them (``MulBackward0``, ``AccumulateGrad``);
  an edge runs from each node to the node that feeds it its gradient (inputs towards output);
- light blue: leaf tensors whose ``.grad`` backward fills, labelled with their name in
  `params` (``dict(model.named_parameters())``) and their shape;
- orange: saved tensors (with ``show_saved=True``; a custom `Function`'s saved tensors always);
- light green: the output tensor(s); dark green: the base of an output that is a view.

agrad names what a node saved by its own bookkeeping: ``inputs[i]`` is the i-th input the node
saved (the one whose gradient flows along its i-th edge) and ``result`` its saved output, where
PyTorch's derivative formulas name them (``self``, ``other``, ``result``); ``show_attrs`` lists
a node's non-tensor arguments (``params``) and saved numbers the same way.

The Python package ``graphviz`` (``pip install agrad[viz]``) builds the Digraph; rendering it to
SVG or PNG (``dot.render(...)``, or displaying it in a notebook) also needs the Graphviz
programs (``dot``) on the PATH. The DOT text itself (``dot.source``) needs neither.
"""

from __future__ import annotations

from typing import Any

from ._tensor import Tensor
from .autograd.graph import RELEASED, AccumulateGrad, OpNode

__all__ = ["make_dot"]

_NODE_ATTR = {"style": "filled", "shape": "box", "align": "left", "fontsize": "10",
              "ranksep": "0.1", "height": "0.2", "fontname": "monospace"}


def _digraph() -> Any:
    try:
        from graphviz import Digraph
    except ImportError as e:
        raise ImportError("agrad.viz.make_dot needs the 'graphviz' package: "
                          "pip install agrad[viz] (and the Graphviz programs to render "
                          "pictures)") from e
    return Digraph(node_attr=dict(_NODE_ATTR), graph_attr={"size": "12,12"})


def _size(t: Tensor) -> str:
    return "(" + ", ".join(str(int(s)) for s in t.shape) + ")"


def _saved(fn: Any) -> list[tuple[str, Any]]:
    """(name, value) of what a node saved for backward: tensors and numbers. Read from the
    node's own fields, without the version checks of `inputs`/`result` (a picture of a graph
    whose saved tensors were since modified is still a picture)."""
    if isinstance(fn, OpNode):
        saved = fn.saved
        out = [] if saved is None or saved is RELEASED else \
            [(f"inputs[{i}]", x) for i, x in enumerate(saved) if x is not None]
        if fn.out is not None:
            out.append(("result", fn.out[0]))
        return out
    return []


def _attrs(fn: Any) -> dict[str, str]:
    """A node's non-tensor attributes, as torchviz's `show_attrs` lists PyTorch's."""
    attrs = {k: str(v) for k, v in _saved(fn) if not isinstance(v, Tensor)}
    params = getattr(fn, "params", None) if isinstance(fn, OpNode) else None
    if params is not None:
        attrs["params"] = str(params)
    return attrs


def _fn_label(fn: Any, show_attrs: bool, max_attr_chars: int) -> str:
    name = type(fn).__name__
    attrs = _attrs(fn) if show_attrs else {}
    if not attrs:
        return name
    width = max(max_attr_chars, 3)
    col1 = max(len(k) for k in attrs)
    col2 = min(max(len(v) for v in attrs.values()), width)

    def cut(s: str) -> str:
        return s[:col2 - 3] + "..." if len(s) > col2 else s

    rows = "\n".join(f"{k:<{col1}}: {cut(v):>{col2}}" for k, v in attrs.items())
    return name + "\n" + "-" * max(col1 + col2 + 2, len(name)) + "\n" + rows


def make_dot(var: Tensor | tuple[Tensor, ...], params: dict[str, Tensor] | None = None,
             show_attrs: bool = False, show_saved: bool = False,
             max_attr_chars: int = 50) -> Any:
    """The autograd graph that produced `var` (a tensor or a tuple of tensors) as a
    `graphviz.Digraph`, laid out and coloured as torchviz's ``make_dot``.

    `params` names leaf tensors (``dict(model.named_parameters())``); `show_saved` adds the
    tensors each node saved for backward (orange); `show_attrs` lists each node's non-tensor
    arguments, cut to `max_attr_chars` characters. Nothing is computed: on Dask the picture
    costs no compute, and shapes are the tensors' metadata.

    Examples:
        >>> import agrad
        >>> from agrad.viz import make_dot
        >>> w = agrad.ones(3, requires_grad=True)
        >>> dot = make_dot((w * 2).sum(), params={"w": w})
        >>> "MulBackward0" in dot.source and "SumBackward0" in dot.source
        True
        >>> # dot.render("graph", format="svg")  # needs the Graphviz programs
    """
    if params is not None:
        if not all(isinstance(p, Tensor) for p in params.values()):
            raise TypeError("make_dot: params must map names to tensors")
        names = {id(v): k for k, v in params.items()}
    else:
        names = {}
    dot = _digraph()
    seen: set[int] = set()
    keep: list[Any] = []  # every object whose id names a node stays alive until the end

    def ident(obj: Any) -> str:
        keep.append(obj)
        return str(id(obj))

    def var_label(t: Tensor, name: str | None = None) -> str:
        return f"{name or names.get(id(t), '')}\n {_size(t)}"

    def add_nodes(root: Any) -> None:
        # torchviz's depth-first order (a node, then its inputs one after the other), kept with
        # an explicit stack: a deep graph must not hit Python's recursion limit
        stack = [(root, 0)]
        while stack:
            fn, k = stack.pop()
            if k == 0:
                if id(fn) in seen:
                    continue
                seen.add(id(fn))
                _add_node(fn)
            nexts = fn.next_functions
            while k < len(nexts) and nexts[k][0] is None:
                k += 1
            if k < len(nexts):
                u = nexts[k][0]
                dot.edge(ident(u), ident(fn))
                stack.append((fn, k + 1))
                stack.append((u, 0))
            else:
                _add_custom_saved(fn)

    def _add_node(fn: Any) -> None:
        if show_saved:
            for name, val in _saved(fn):
                if isinstance(val, Tensor):
                    seen.add(id(val))
                    dot.edge(ident(fn), ident(val), dir="none")
                    dot.node(ident(val), var_label(val, name), fillcolor="orange")
        if isinstance(fn, AccumulateGrad):
            v = fn.variable
            seen.add(id(v))
            dot.node(ident(v), var_label(v), fillcolor="lightblue")
            dot.edge(ident(v), ident(fn))
        dot.node(ident(fn), _fn_label(fn, show_attrs, max_attr_chars))

    def _add_custom_saved(fn: Any) -> None:
        # a custom Function's ctx.saved_tensors, shown always (as torchviz does)
        if not hasattr(type(fn), "saved_tensors"):
            return
        try:
            tensors = fn.saved_tensors
        except RuntimeError:  # freed by a backward without retain_graph: nothing left to show
            return
        for t in tensors:
            if t is None:
                continue
            seen.add(id(t))
            dot.edge(ident(t), ident(fn), dir="none")
            dot.node(ident(t), var_label(t), fillcolor="orange")

    def add_base_tensor(t: Tensor, color: str = "darkolivegreen1") -> None:
        if id(t) in seen:
            return
        seen.add(id(t))
        dot.node(ident(t), var_label(t), fillcolor=color)
        gf = t.grad_fn
        if gf is not None:
            add_nodes(gf)
            dot.edge(ident(gf), ident(t))
        base = t._base
        if base is not None:
            add_base_tensor(base, color="darkolivegreen3")
            dot.edge(ident(base), ident(t), style="dotted")

    for v in var if isinstance(var, tuple) else (var,):
        add_base_tensor(v)
    _resize(dot)
    return dot


def _resize(dot: Any, size_per_element: float = 0.15, min_size: float = 12) -> None:
    """torchviz's sizing: the drawing grows with the number of nodes and edges."""
    size = max(min_size, len(dot.body) * size_per_element)
    dot.graph_attr.update(size=f"{size},{size}")
