"""agrad's public API, as type checkers see it: the stubs generated from the op table are
committed and current, they cover what the runtime binds, and mypy accepts a PyTorch-style
program under `import agrad as torch` and rejects a wrong one."""

from __future__ import annotations

import ast
import re
import textwrap
import types
from pathlib import Path

import pytest

import agrad
from agrad import _stubgen
from agrad.ops._op import TABLE
from agrad.ops._variants import functions, methods

pytestmark = pytest.mark.backends("numpy")  # about the package, not a backend: run once

SRC = Path(agrad.__file__).resolve().parent.parent
FIX = f"the typing stubs are out of date with the op table: run `{_stubgen.COMMAND}` and " \
      f"commit the .pyi files it writes"


def _defined(tree: ast.Module | ast.ClassDef) -> set[str]:
    """The names a stub (or a class in it) binds."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(a.asname for a in node.names if a.asname == a.name.rsplit(".")[-1])
    return names


def _stub_tree(module: str) -> ast.Module:
    return ast.parse(_stubgen._path(module).read_text())


def test_committed_stubs_are_generated_from_the_current_table(capsys):
    generated = _stubgen.stubs()
    assert {p.name for p in generated} >= {"__init__.pyi", "_tensor.pyi", "functional.pyi"}
    for path, text in generated.items():
        assert path.exists(), f"{path} is missing: {FIX}"
        assert path.read_text() == text, f"{path} differs: {FIX}"
    untyped = capsys.readouterr().err
    assert not untyped, ("some public rows or members have no typeable signature (annotate "
                         "their `args`/`impl` parameters and return, as the primer says):\n"
                         + untyped)


def test_stubs_declare_everything_the_runtime_binds():
    tensor = next(n for n in _stub_tree("agrad._tensor").body
                  if isinstance(n, ast.ClassDef) and n.name == "Tensor")
    missing = set(methods()) - _defined(tensor)
    public = {n for n in dir(agrad.Tensor) if not n.startswith("_")}
    missing |= public - _defined(tensor)
    assert not missing, f"Tensor members missing from the stub: {sorted(missing)}; {FIX}"
    for ns in {"agrad"} | {op.namespace for op in TABLE.values()} - {"Tensor"}:
        module = __import__(ns, fromlist=["_"])
        names = set(getattr(module, "__all__", None) or  # (less submodules bound as a side
                    (n for n, v in vars(module).items()  # effect of importing others)
                     if not n.startswith("_") and not isinstance(v, types.ModuleType)))
        missing = (names | set(functions(ns))) - _defined(_stub_tree(ns))
        assert not missing, f"{ns} names missing from its stub: {sorted(missing)}; {FIX}"


def test_py_typed_and_the_stubs_ship():
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((SRC.parent / "pyproject.toml").read_text())["tool"]["setuptools"]
    data = config["package-data"]
    assert (SRC / "agrad" / "py.typed").is_file()
    assert "py.typed" in data["agrad"]
    for path in _stubgen.stubs():
        package = ".".join(path.parent.relative_to(SRC).parts)
        assert package in config["packages"] and "*.pyi" in data.get(package, ()), \
            f"{path} would not ship: give {package!r} \"*.pyi\" in pyproject.toml's " \
            f"[tool.setuptools.package-data]"


GOOD = '''
"""A small PyTorch program: the tutorials' two-layer net, an nn.Module with optim, tensor basics."""
import agrad as torch
import agrad.nn.functional as F
from agrad import nn, optim


def two_layer(steps: int = 5, lr: float = 1e-6) -> float:
    x = torch.randn(64, 1000)
    y = torch.randn(64, 10)
    w1 = torch.randn(1000, 100, requires_grad=True)
    w2 = torch.randn(100, 10, requires_grad=True)
    loss = torch.zeros(())
    for _ in range(steps):
        y_pred = torch.matmul(x.mm(w1).clamp(min=0), w2)
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            assert w1.grad is not None and w2.grad is not None
            w1 -= lr * w1.grad
            w2 -= lr * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return loss.item()


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.softmax(self.fc2(F.relu(self.fc1(x))), dim=1)


def train(model: nn.Module, data: torch.Tensor, target: torch.Tensor) -> list[float]:
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    losses: list[float] = []
    for _ in range(3):
        opt.zero_grad()
        loss = F.cross_entropy(model(data), target)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return losses


def basics() -> tuple[int, float, torch.dtype]:
    a = torch.ones(2, 3, dtype=torch.float64)
    b = a.view(3, 2)
    first: torch.Tensor = a.unbind(0)[0]
    a[a > 0.5] = 0
    a[:, 1] = 2.0
    c = 1 + a * 2 - a / 3
    d = -c @ b + torch.eye(2)
    e = a[0] + a[-1, 1:].sum(dim=0, keepdim=True) + first
    values, indices = d.max(dim=1)
    w = torch.ones(3, requires_grad=True)
    (w * 2).sum().backward()
    n: int = a.shape[0] + a.size(1) + indices.argmax().item().__int__()
    assert w.grad is not None
    return n, (d.sum() + e.mean()).item() + float(values[0] + w.grad[0]), a.dtype


print(two_layer(), train(Net(), torch.randn(16, 4), torch.zeros(16, dtype=torch.long)), basics())
'''

BAD = '''
import agrad as torch

x = torch.ones(2)
n: int = torch.ones(2)
x.frobnicate()
s = x.sum(dimension=0)
m = torch.matmul(x, x, outt=None)
g: torch.Tensor = x.grad
'''

EXPECTED = [  # (line of BAD, mypy's message)
    (5, 'Incompatible types in assignment (expression has type "Tensor", variable has type '
        '"int")  [assignment]'),
    (6, '"Tensor" has no attribute "frobnicate"  [attr-defined]'),
    (7, 'Unexpected keyword argument "dimension" for "sum" of "Tensor"  [call-arg]'),
    (8, 'Unexpected keyword argument "outt" for "matmul"; did you mean "out"?  [call-arg]'),
    (9, 'Incompatible types in assignment (expression has type "Tensor | None", variable has '
        'type "Tensor")  [assignment]'),
]


def test_mypy_accepts_a_pytorch_style_program_and_rejects_a_wrong_one(tmp_path):
    api = pytest.importorskip("mypy.api")
    (tmp_path / "good.py").write_text(textwrap.dedent(GOOD))
    (tmp_path / "bad.py").write_text(textwrap.dedent(BAD))
    # An editable install is an import hook mypy cannot follow: point it at the source tree
    # (an installed agrad is found through site-packages, as a user's mypy finds it).
    path = "" if SRC.name in ("site-packages", "dist-packages") else f"mypy_path = {SRC}\n"
    # follow_imports=silent: agrad's own .py modules are checked but not reported, as for any
    # installed package; its stubs are always reported, so they must pass --strict too.
    (tmp_path / "mypy.ini").write_text(f"[mypy]\n{path}strict = True\nfollow_imports = silent\n"
                                       f"cache_dir = {tmp_path / 'cache'}\n")
    out, err, _ = api.run(["--config-file", str(tmp_path / "mypy.ini"), "--no-error-summary",
                           "--hide-error-context", "--show-absolute-path",
                           str(tmp_path / "good.py"), str(tmp_path / "bad.py")])
    assert not err, err
    errors = [line for line in out.splitlines() if ": error: " in line]
    elsewhere = [e for e in errors if not e.startswith(str(tmp_path / "bad.py"))]
    assert not elsewhere, "\n".join(elsewhere)
    got = []
    for line in errors:
        m = re.match(r".*bad\.py:(\d+): error: (.*)", line)
        assert m is not None, line
        got.append((int(m.group(1)), m.group(2)))
    assert got == EXPECTED, out


def test_the_type_checked_program_runs():
    """GOOD is a real program, not only a well-typed one."""
    exec(compile(textwrap.dedent(GOOD), "good.py", "exec"), {"__name__": "good"})
