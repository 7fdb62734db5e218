"""The documentation site: it builds strictly, and its pages' code runs and prints what they say.

Every ```python block of a page runs, in order, in one fresh interpreter per page (as a reader
would paste them into one session), on NumPy by default. A block directly followed by a
```text title="Output"``` block must print that, compared as doctest compares (`...` matches
anything, whitespace is normalized). A block whose first line is `# not run: <why>` is shown
but not run (it needs a GPU, a cluster, a file of the reader's). The site is built with
`mkdocs build --strict`: a broken link, a missing page, a docstring mkdocstrings cannot read
fails the build.
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
pytestmark = pytest.mark.backends("numpy")  # pages choose their backends themselves

_BLOCK = re.compile(r'^```(\w+)([^\n]*)\n(.*?)^```\s*$', re.S | re.M)
_MARK = "\x00agrad-docs-block "

PAGES = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))


def _blocks(text: str) -> list[tuple[str, str | None]]:
    """(code, expected output or None) of the page's Python blocks that run."""
    found = list(_BLOCK.finditer(text))
    out = []
    for i, m in enumerate(found):
        lang, info, body = m.groups()
        if lang != "python" or body.startswith("# not run"):
            continue
        expected = None
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and nxt.group(1) == "text" and 'title="Output"' in nxt.group(2) \
                and not text[m.end():nxt.start()].strip():
            expected = nxt.group(3)
        out.append((body, expected))
    return out


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AGRAD_", "PYTEST_"))}
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner: not a build warning
    return env


def test_pages_are_found_and_some_run():
    assert {"getting-started.md", "tutorials/tensors.md", "tutorials/autograd.md",
            "tutorials/two-layer-net.md", "backends.md", "backend-authors.md", "downstream.md",
            "tools.md", "semantics.md"} <= set(PAGES)
    checked = sum(e is not None for p in PAGES for _, e in _blocks((DOCS / p).read_text()))
    assert checked > 40  # outputs compared, not only code run


@pytest.mark.parametrize("page", [p for p in PAGES if _blocks((DOCS / p).read_text())])
def test_page_runs_and_prints_what_it_shows(page, tmp_path):
    blocks = _blocks((DOCS / page).read_text())
    script = ["import sys"]
    for i, (code, _) in enumerate(blocks):
        script.append(f"print({_MARK + str(i)!r}, flush=True)")
        script.append(f"exec(compile({code!r}, {f'{page} block {i + 1}'!r}, 'exec'))")
    r = subprocess.run([sys.executable, "-c", "\n".join(script)], cwd=tmp_path, env=_env(),
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"{page}: a block failed\n{r.stdout[-3000:]}\n{r.stderr[-5000:]}"
    outputs = r.stdout.split(_MARK)[1:]
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for (code, expected), got in zip(blocks, outputs):
        got = got.split("\n", 1)[1] if "\n" in got else ""
        if expected is not None and not checker.check_output(expected, got, flags):
            pytest.fail(f"{page}: the block\n{code}\nprinted\n{got}\nwhere the page shows\n"
                        f"{expected}")


def test_site_builds_strictly(tmp_path):
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                        str(tmp_path / "site")], cwd=ROOT, env=_env(), capture_output=True,
                       text=True, timeout=900)
    log = r.stdout + r.stderr
    assert r.returncode == 0, log[-6000:]
    assert "WARNING" not in log, log[-6000:]
    site = tmp_path / "site"
    tensor = (site / "reference" / "tensor" / "index.html").read_text()
    assert "Computes the gradient of this tensor" in tensor  # Tensor.backward's docstring
    assert "Returns a tensor of ones" in (site / "reference" / "agrad" / "index.html").read_text()
