"""MkDocs hooks of agrad's site (mkdocs.yml `hooks:`), run at build time.

- `<!-- agrad:api MODULE -->` in a page becomes one mkdocstrings block per public function
  and class of MODULE, read from the imported module, so the reference lists every name the
  module has (agrad's functions are made from the op table at import) and none it lacks.
- `<!-- agrad:graph -->` becomes the picture of the autograd graph that the page's Python blocks
  above it leave in `dot` (an `agrad.viz.make_dot` Digraph): an inline SVG where the Graphviz
  programs are installed, else the DOT source.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import io
import inspect
import re
import shutil
from typing import Any

_API = re.compile(r"<!-- agrad:api ([\w.]+) -->")
_GRAPH = "<!-- agrad:graph -->"
_PYTHON = re.compile(r"^```python[^\n]*\n(.*?)^```", re.S | re.M)


def _public(module: str) -> list[str]:
    mod = importlib.import_module(module)
    names = getattr(mod, "__all__", None) or dir(mod)
    out = []
    for name in sorted(names):
        obj = getattr(mod, name, None)
        if name.startswith("_") or obj is None or inspect.ismodule(obj) or not callable(obj):
            continue
        if module == "agrad" and name == "Tensor":  # a page of its own
            continue
        out.append(name)
    return out


def _api(module: str) -> str:
    blocks = [f"::: {module}.{name}\n    options:\n      heading_level: 3\n"
              for name in _public(module)]
    return "\n".join(blocks)


def _graph(markdown: str) -> str:
    """Run the page's Python blocks above the marker; picture the `dot` they leave."""
    above = markdown.split(_GRAPH, 1)[0]
    ns: dict[str, Any] = {"__name__": "__agrad_docs__"}
    with contextlib.redirect_stdout(io.StringIO()):  # what the blocks print is not the build's
        for code in _PYTHON.findall(above):
            exec(compile(code, "<docs page>", "exec"), ns)  # noqa: S102 - the page's own code
    dot = ns["dot"]
    if shutil.which("dot"):
        svg = dot.pipe(format="svg").decode()
        svg = svg[svg.index("<svg"):]  # drop the XML prologue and doctype
        return f'<div class="agrad-graph" markdown="0">\n{svg}\n</div>'
    source = html.escape(dot.source)
    return ("The Graphviz programs were not installed when this page was built; the DOT "
            f"source of the picture:\n\n<pre><code>{source}</code></pre>")


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    markdown = _API.sub(lambda m: _api(m.group(1)), markdown)
    if _GRAPH in markdown:
        markdown = markdown.replace(_GRAPH, _graph(markdown))
    return markdown
