"""Lint and dead code, as tests (CI runs only pytest): ruff with the repository's configuration
(pyproject.toml), and vulture on the package (src/agrad and backends).

What vulture may not report, and why (nothing else is excused: delete dead code, don't list it):
- a private name (`_x`) must be used by the package itself;
- a public name may instead be used by the tests, examples, benchmarks or conformance suite:
  that is the API's users calling it;
- public API that nothing here calls yet is in WHITELIST, with what it is;
- parameters (signatures are PyTorch's, or a protocol's), dunders (Python calls them), and the
  op table's rows (`NEG = unary(...)`: the row registers itself; the name is a handle) and
  the functions a decorator registers as a composite row's implementation or as a conformance
  check, and pytest's hooks (`pytest_*`: pytest calls them).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from agrad.ops._op import TABLE, Op

pytestmark = pytest.mark.backends("numpy")  # about the source, not a backend: run once

ROOT = Path(__file__).resolve().parents[1]
LINTED = ["src", "backends", "tests", "benchmarks", "examples"]
PACKAGE = ["src/agrad", "backends"]
USERS = ["tests", "examples", "benchmarks"]

WHITELIST = {
    # PyTorch's API that only user code calls
    "is_tensor": "torch.is_tensor",
    "ndimension": "Tensor.ndimension",
    "nelement": "Tensor.nelement",
    "nbytes": "Tensor.nbytes",
    "_is_view": "Tensor._is_view()",
    "_base": "Tensor._base, a view's base",
    "_sequence_nr": "grad_fn._sequence_nr(), a node's place in the engine's order",
    "set_materialize_grads": "autograd.Function's ctx.set_materialize_grads",
    "saved_variables": "ctx.saved_variables (PyTorch's old name of saved_tensors)",
    "vjp": "autograd.Function.vjp (PyTorch's other name of backward)",
    "current_device": "torch.cuda.current_device",
    "synchronize": "torch.cuda.synchronize",
    "transposed": "nn.Conv*d.transposed",
    "dump_patches": "nn.Module.dump_patches",
    "register_module": "nn.Module.register_module",
    "get_buffer": "nn.Module.get_buffer",
    "register_load_state_dict_pre_hook": "nn.Module's and optim.Optimizer's",
    "n_fields": "torch.return_types.*.n_fields",
    "n_sequence_fields": "torch.return_types.*.n_sequence_fields",
    "newaxis": "the Array API's constant (agrad.array_api.newaxis)",
    # agrad's own API
    "register_backend": "agrad.config.register_backend, for third-party backends",
    # used where vulture cannot see it
    "_backward_cls": "read back through cls.__dict__.get('_backward_cls')",
    "_input_table": "read back through cls.__dict__.get('_input_table') (autograd/graph.py)",
}


def test_ruff():
    pytest.importorskip("ruff")
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *LINTED], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def _registered() -> set[str]:
    """The conformance suite's checks: its `@check` decorator registers them."""
    from agrad.conformance.checks import CHECKS

    return {fn.__name__ for _, _, fn in CHECKS}


def _rows() -> set[str]:
    """The module-level names of op-table rows, and of the functions that are a composite
    row's implementation (a decorator registered them)."""
    impls = {id(op.impl) for op in TABLE.values() if op.impl is not None}
    return {n for name, m in list(sys.modules.items()) if name.startswith("agrad")
            for n, v in list(vars(m).items()) if isinstance(v, Op) or id(v) in impls}


def _parameters(path: str) -> set[tuple[int, str]]:
    return {(a.lineno, a.arg) for a in ast.walk(ast.parse(Path(path).read_text()))
            if isinstance(a, ast.arg)}


def dead_code(package: list[Path], users: list[Path]) -> list[str]:
    """vulture's findings in `package`, less what the module docstring excuses."""
    import vulture

    v = vulture.Vulture(ignore_names=[*WHITELIST, *_rows(), *_registered(), "pytest_*"])
    v.scavenge([str(p) for p in package])
    u = vulture.Vulture()
    u.scavenge([str(p) for p in users])
    parameters: dict[str, set[tuple[int, str]]] = {}
    found = []
    for item in v.get_unused_code(min_confidence=60):
        dunder = item.name.startswith("__") and item.name.endswith("__")
        if dunder or (not item.name.startswith("_") and item.name in u.used_names):
            continue
        if item.typ == "variable":
            params = parameters.setdefault(item.filename, _parameters(item.filename))
            if (item.first_lineno, item.name) in params:
                continue
        found.append(item.get_report())
    return found


def test_no_dead_code():
    pytest.importorskip("vulture")
    found = dead_code([ROOT / p for p in PACKAGE], [ROOT / p for p in USERS])
    assert not found, ("vulture finds dead code: delete it (or, for public API only users "
                       "call, add it to WHITELIST in tests/test_lint.py, saying what it is):\n"
                       + "\n".join(found))


def test_the_dead_code_check_finds_dead_code(tmp_path):
    pytest.importorskip("vulture")
    (tmp_path / "mod.py").write_text(
        "import os\n\n\ndef _helper(x):\n    return x\n\n\ndef api(y, unused_param=None):\n"
        "    z = 1\n    return y\n\n\nclass Thing:\n    def method(self):\n        return 1\n")
    (tmp_path / "user.py").write_text("import mod\n\nmod.api(1)\nmod.Thing()\n")
    found = " ".join(dead_code([tmp_path / "mod.py"], [tmp_path / "user.py"]))
    for name in ("'os'", "'_helper'", "'z'", "'method'"):
        assert name in found, (name, found)
    assert "unused_param" not in found and "'api'" not in found and "'Thing'" not in found


# The core never imports a concrete array library: it computes through the backend's Array API
# namespace, which backends/ provide. The conformance harness (agrad.conformance) is the one
# exception, and says so: it is a *user* of agrad shipped for backend authors, and it reads every
# backend's results on the host as NumPy arrays to compare them with PyTorch's (the reference),
# so NumPy is its interchange format. Nothing in the core imports the harness.
CONCRETE = {"numpy", "cupy", "dask", "jax", "torch", "array_api_strict", "array_api_compat",
            "scipy", "sklearn"}
HARNESS = ROOT / "src/agrad/conformance"
HARNESS_MAY = {"numpy", "torch"}  # the host format and the reference library


def _imported_roots(path: Path) -> set[str]:
    """Top-level packages a module imports, anywhere in it (function-level imports too)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_core_imports_no_concrete_array_library():
    bad = {}
    for path in sorted((ROOT / "src/agrad").rglob("*.py")):
        found = _imported_roots(path) & CONCRETE
        if HARNESS in path.parents:
            found -= HARNESS_MAY
        if found:
            bad[str(path.relative_to(ROOT))] = sorted(found)
    assert not bad, f"concrete array libraries imported outside backends/: {bad}"


def test_the_core_does_not_import_the_conformance_harness():
    core = [p for p in (ROOT / "src/agrad").rglob("*.py") if HARNESS not in p.parents]
    users = [str(p.relative_to(ROOT)) for p in core
             if any(r == "agrad.conformance" or r.startswith("agrad.conformance.")
                    for r in _module_imports(p))]
    # the CLI's `python -m agrad conformance` hands over to the harness by design
    assert users in ([], ["src/agrad/cli.py"]), users


def _module_imports(path: Path) -> set[str]:
    """Absolute names of the modules a module imports (relative imports resolved)."""
    pkg = ".".join(path.relative_to(ROOT / "src").with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = pkg.rsplit(".", node.level - 1)[0] if node.level > 1 else pkg
            mod = node.module or ""
            full = (f"{base}.{mod}" if mod else base) if node.level else mod
            names.add(full)
            names.update(f"{full}.{a.name}" for a in node.names)
    return names
