"""agrad.viz.make_dot: the DOT source of agrad graphs against PyTorch's graphs of the same
programs, walked here through `grad_fn.next_functions` and (when installed) drawn by torchviz
itself. Ids differ between the two (they are object addresses), so sources are compared after
renaming each id to the order of its first appearance."""

from __future__ import annotations

import re
import shutil
import sys
import warnings
from pathlib import Path

import pytest

import agrad
from agrad.viz import make_dot

torch = pytest.importorskip("torch")

_ID = re.compile(r"\b\d{5,}\b")


def canonical(source: str) -> list[str]:
    """The DOT lines with object ids renamed n0, n1, ... in order of first appearance."""
    ids: dict[str, int] = {}
    return [_ID.sub(lambda m: f"n{ids.setdefault(m.group(0), len(ids))}", line)
            for line in source.splitlines()]


def parse(source: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, str]]]:
    """Nodes (id -> attributes, label unescaped) and edges (tail, head, attributes) of a DOT
    source as graphviz writes it."""
    body = "\n".join(source.splitlines()[3:-1])  # labels may span lines
    nodes: dict[str, dict[str, str]] = {}
    edges = []
    for m in re.finditer(r"(\d+)(?: -> (\d+))? \[((?:[^\]\"]|\"[^\"]*\")*)\]|(\d+) -> (\d+)",
                         body):
        if m.group(4):
            edges.append((m.group(4), m.group(5), ""))
            continue
        attrs = dict(re.findall(r"(\w+)=(\"[^\"]*\"|[^\s\]]+)", m.group(3)))
        attrs = {k: v.strip('"') for k, v in attrs.items()}
        if m.group(2):
            edges.append((m.group(1), m.group(2), m.group(3)))
        else:
            nodes[m.group(1)] = attrs
    return nodes, edges


def mlp(lib):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(3, 5), lib.nn.ReLU(), lib.nn.Linear(5, 2))
    x = lib.ones(4, 3)
    return m, (m(x) - 1).pow(2).mean()


def torch_structure(out) -> tuple[list[str], list[tuple[int, int]]]:
    """PyTorch's graph walked through next_functions, depth first in torchviz's order: node
    names in first-visit order (leaves as 'leaf (shape)') and (input, consumer) index pairs."""
    order: dict[int, int] = {}
    names: list[str] = []
    edges: list[tuple[int, int]] = []
    keep = []

    def index(obj, name):
        keep.append(obj)
        if id(obj) not in order:
            order[id(obj)] = len(names)
            names.append(name)
        return order[id(obj)]

    def walk(fn):
        if id(fn) in order:
            return
        me = index(fn, type(fn).__name__)
        if hasattr(fn, "variable"):
            leaf = index(fn.variable, f"leaf {tuple(fn.variable.shape)}")
            edges.append((leaf, me))
        for u, _ in fn.next_functions:
            if u is not None:
                walk(u)
                edges.append((order[id(u)], me))

    walk(out.grad_fn)
    return names, sorted(edges)


def dot_structure(source: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The same structure read back from a DOT source (the output tensor left out)."""
    nodes, edges = parse(source)
    kind = {}
    for i, attrs in nodes.items():
        label = attrs.get("label", "")
        color = attrs.get("fillcolor")
        if color == "lightblue":
            dims = re.search(r"\(([\d, ]*)\)$", label).group(1)
            kind[i] = f"leaf {tuple(int(d) for d in dims.split(',') if d.strip())}"
        elif color is None:
            kind[i] = label.split("\n")[0]
    order: dict[str, int] = {}
    names = []
    graph_edges = [(a, b) for a, b, attrs in edges if a in kind and b in kind]
    # first-visit order as the torch walk: a node, then each input's subtree in edge order
    inputs: dict[str, list[str]] = {}
    for a, b in graph_edges:
        inputs.setdefault(b, []).append(a)

    def walk(n):
        if n in order:
            return
        order[n] = len(names)
        names.append(kind[n])
        for a in inputs.get(n, []):
            walk(a)

    root = next(b for b in kind if all(b != a for a, _ in graph_edges))
    walk(root)
    return names, sorted((order[a], order[b]) for a, b in graph_edges)


def torchviz_source(out, **kw) -> str:
    torchviz = pytest.importorskip("torchviz")  # the test extra installs it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # its distutils import
        return torchviz.make_dot(out, **kw).source


# -- the structure of a small MLP's graph ----------------------------------------------------------

def test_mlp_graph_has_torchs_nodes_and_edges():
    am, ay = mlp(agrad)
    tm, ty = mlp(torch)
    dot = make_dot(ay, params=dict(am.named_parameters()))
    assert dot_structure(dot.source) == torch_structure(ty)
    names, _ = torch_structure(ty)
    for n in {n for n in names if not n.startswith("leaf")}:  # every grad_fn, by name
        assert f"label={n}]" in dot.source, n
    nodes, edges = parse(dot.source)
    labels = sorted(a["label"] for a in nodes.values() if a.get("fillcolor") == "lightblue")
    assert labels == sorted(f"{k}\n ({', '.join(map(str, p.shape))})"
                            for k, p in tm.named_parameters())
    out = [i for i, a in nodes.items() if a.get("fillcolor") == "darkolivegreen1"]
    assert len(out) == 1 and nodes[out[0]]["label"] == "\n ()"
    assert sum(b == out[0] for _, b, _ in edges) == 1  # MeanBackward0 -> the output


def test_mlp_source_is_torchvizs_source():
    am, ay = mlp(agrad)
    tm, ty = mlp(torch)
    mine = make_dot(ay, params=dict(am.named_parameters())).source
    assert canonical(mine) == canonical(torchviz_source(ty, params=dict(tm.named_parameters())))


def test_unnamed_leaves_views_and_several_outputs_as_torchviz():
    def program(lib):
        a = lib.arange(6.0, requires_grad=True)
        b = lib.ones(2, 3, requires_grad=True)
        y = (a.view(2, 3) * b).sum(0)
        return y[1:], (y * 2).exp()

    mine = make_dot(program(agrad)).source
    theirs = torchviz_source(program(torch))
    assert canonical(mine) == canonical(theirs)
    assert "darkolivegreen3" in mine and "style=dotted" in mine  # the view's base


def test_custom_function_saved_tensors_always_shown():
    def program(lib):
        class Square(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return 2 * x * g

        x = lib.ones(3, requires_grad=True)
        return Square.apply(x).sum()

    mine = make_dot(program(agrad)).source
    assert canonical(mine) == canonical(torchviz_source(program(torch)))
    nodes, _ = parse(mine)
    assert [a["label"] for a in nodes.values() if a.get("fillcolor") == "orange"] == ["\n (3)"]
    assert "SquareBackward" in mine


def test_show_saved_draws_what_each_node_saved():
    w = agrad.ones(2, 3, requires_grad=True)
    x = agrad.full((4, 2), 2.0)
    y = (x @ w).exp().sum()
    nodes, edges = parse(make_dot(y, show_saved=True).source)
    saved = {i: a["label"] for i, a in nodes.items() if a.get("fillcolor") == "orange"}
    # mm saved x (its first input: w's gradient reads it); exp saved its result
    assert sorted(saved.values()) == ["inputs[0]\n (4, 2)", "result\n (4, 3)"]
    kinds = {i: a["label"].split("\n")[0] for i, a in nodes.items()}
    for i in saved:
        (tail, _, attrs), = [e for e in edges if e[1] == i]
        assert attrs == "dir=none" and kinds[tail] in ("MmBackward0", "ExpBackward0")
    # nothing saved after backward freed the buffers
    y.backward()
    nodes, _ = parse(make_dot(y, show_saved=True).source)
    assert not any(a.get("fillcolor") == "orange" for a in nodes.values())


def test_show_attrs_lists_numbers_and_params_cut_to_max_attr_chars():
    x = agrad.ones(3, requires_grad=True)
    y = x.pow(2).sum(dim=0, keepdim=True)
    src = make_dot(y, show_attrs=True).source
    assert "PowBackward0\n------------\ninputs[1]: 2" in src
    assert "SumBackward1" in src and "params: ((0,), True, None)" in src
    short = make_dot(y, show_attrs=True, max_attr_chars=8).source
    assert "params: ((0,)..." in short
    assert "params" not in make_dot(y).source


def test_deep_graph_needs_no_recursion():
    x = agrad.ones(1, requires_grad=True)
    y = x
    for _ in range(sys.getrecursionlimit() + 100):
        y = y + 1
    src = make_dot(y).source
    assert src.count("AddBackward0") == sys.getrecursionlimit() + 100


def test_params_must_be_tensors():
    with pytest.raises(TypeError, match="params must map names to tensors"):
        make_dot(agrad.ones(1, requires_grad=True) * 2, params={"w": 1.0})


def test_missing_graphviz_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ImportError, match=r"pip install agrad\[viz\]"):
        make_dot(agrad.ones(1, requires_grad=True) * 2)


@pytest.mark.backends("numpy")
@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz programs are not installed")
def test_renders_svg_and_png(tmp_path):
    _, y = mlp(agrad)
    dot = make_dot(y)
    svg = dot.render(tmp_path / "graph", format="svg")
    text = Path(svg).read_text()
    assert "<svg" in text and "AddmmBackward0" in text
    png = dot.render(tmp_path / "graph", format="png")
    assert Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
