"""The README's promises about running the project: CI runs its test command verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.backends("numpy")


def _commands(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()
            if line.strip().startswith("python3 -m venv")]


def test_ci_runs_the_readme_test_command():
    readme = _commands((ROOT / "README.md").read_text())
    ci = _commands((ROOT / ".ci" / "run").read_text())
    assert len(readme) == 2, readme  # exactly two set-up-and-go commands
    assert ci == [readme[1]]


def test_readme_main_command_runs_an_example_that_exists():
    main = _commands((ROOT / "README.md").read_text())[0]
    script = main.rsplit(" ", 1)[-1]
    assert (ROOT / script).is_file(), script


def _pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_cuda_extras_are_prebuilt_wheels():
    """`pip install agrad[cuda]` must not build CuPy from source (that needs a CUDA toolkit):
    each CUDA extra names one of CuPy's prebuilt wheels, and `cuda` is CUDA 12's."""
    import re

    extras = _pyproject()["project"]["optional-dependencies"]
    for major in ("11", "12", "13"):
        (req,) = extras[f"cuda{major}"]
        assert re.fullmatch(rf"cupy-cuda{major}x>=\d+", req), req
    assert extras["cuda"] == ["agrad[cuda12]"]
    names = {re.split(r"[<>=\[ ;]", r)[0] for reqs in extras.values() for r in reqs}
    assert "cupy" not in names
    readme = (ROOT / "README.md").read_text()
    for extra in ("cuda12", "cuda11", "cuda13", "viz", "dask", "strict"):
        assert f"agrad[{extra}]" in readme, extra


def test_scripts_and_optional_tools():
    project = _pyproject()["project"]
    assert project["scripts"] == {"agrad": "agrad.cli:main"}
    from agrad import cli

    assert callable(cli.main)
    extras = project["optional-dependencies"]
    assert extras["viz"] == ["graphviz>=0.20"]
    assert {"graphviz>=0.20", "torchviz==0.0.3"} <= set(extras["test"])
