"""The conformance suite itself: it covers every op-table row, and it fails when it should —
on backends broken in one place (tests/_broken.py) it names exactly the broken ops and checks;
what a backend declares it lacks is reported, never skipped; its command line, JSON, exit
status and pytest entry point work; narrowing the project's backends works with and without
xdist; the docs' example backend, installed by entry point, passes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import agrad
import agrad.conformance as C
from agrad.adapter import UnsupportedDtypeError
from agrad.backends.numpy import NumpyBackend
from agrad.config import register_backend
from agrad.conformance import specs  # noqa: F401 - fills the registry
from agrad.conformance.__main__ import main
from agrad.conformance.engine import reached
from agrad.conformance.spec import SPECS
from agrad.conformance.targets import selected
from agrad.ops._op import TABLE, Op

pytest.importorskip("torch", reason="the suite's self-tests compare against PyTorch")
import _broken  # noqa: E402

pytestmark = pytest.mark.once
ROOT = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", JAX_PLATFORMS="cpu", **extra)
    env.pop("AGRAD_TEST_BACKENDS", None)
    return env


# -- coverage: the meta-test ----------------------------------------------------------------------

def test_every_row_has_a_spec():
    missing = [r.detail for r in C.coverage() if r.status == "failed"]
    assert not missing, "\n".join(missing)


def test_a_row_without_a_spec_fails_the_suite_by_name():
    Op("conformance_probe", lambda x: ((x,), None), forward=lambda xp, a: a, function=False,
       method=False)
    try:
        bad = [r for r in C.coverage() if r.status == "failed"]
        assert [r.target for r in bad] == ["conformance_probe"]
        assert "no conformance spec for op-table row 'conformance_probe'" in bad[0].detail
        report = C.run("numpy", checks=["namespace"])
        assert report.ok  # a selection skips coverage; a full run starts with it
    finally:
        del TABLE["conformance_probe"]


@pytest.mark.parametrize("row", sorted(r for r, s in SPECS.items() if s.via))
def test_internal_rows_are_reached_through_their_spec(row):
    assert row in reached(SPECS[SPECS[row].via])


# -- it fails when it should ----------------------------------------------------------------------

BROKEN = {
    # backend: (what to run, (target, check) that must fail, (target, check) that must pass);
    # ops that multiply in their backward (exp's, true_divide's) rightly fail there too
    "broken_multiply": ({"ops": ["mul", "add", "neg", "true_divide", "exp"]},
                        {("mul", "forward"), ("mul", "inplace"), ("mul", "out")},
                        {("exp", "forward"), ("true_divide", "forward"), ("neg", "forward")}),
    "broken_sum": ({"ops": ["sum", "mean", "add"]}, {("sum", "forward"), ("sum", "out")},
                   {("mean", "forward"), ("add", "forward"), ("add", "backward")}),
    "broken_exp_dtype": ({"ops": ["exp", "log", "mul"]}, {("exp", "dtype"), ("exp", "forward")},
                         {("log", "dtype"), ("log", "forward"), ("mul", "dtype")}),
    "broken_views": ({"checks": ["views_alias", "views", "version_counter"]},
                     {("views_alias", "views_alias"), ("views", "views")},
                     {("version_counter", "version_counter")}),
    "broken_float64": ({"checks": ["dtypes", "conversions"]}, {("dtypes", "dtypes")},
                       {("conversions", "conversions")}),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_backends_fail_the_broken_ops(name):
    what, must_fail, must_pass = BROKEN[name]
    report = C.run(_broken.install(name), examples=2, **what)
    failing = {(r.target, r.kind) for r in report.failures}
    passing = {(r.target, r.kind) for r in report.results if r.status == "passed"}
    assert not report.ok
    assert must_fail <= failing, (failing, report.text(True))
    assert must_pass <= passing - failing, failing
    text = report.text()
    assert "FAILED" in text and "reproduce: python -m agrad.conformance --backend" in text


def test_a_wrong_gradient_fails_backward_and_gradcheck(monkeypatch):
    monkeypatch.setattr(TABLE["sin"], "backward", lambda n, g: (g * n.inputs[0].sin(),))
    report = C.run("numpy", ops=["sin", "cos"])
    assert report.failing_targets() == {"sin": ["backward", "gradcheck"]}


def test_the_command_line_exits_non_zero_and_names_the_failure(capsys, tmp_path):
    _broken.install("broken_multiply")
    path = tmp_path / "r.json"
    assert main(["--backend", "broken_multiply", "--op", "mul", "--op", "neg", "--check",
                 "forward", "-q", "--examples", "2", "--json", str(path)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"failing \(1\), by check kind:\n  forward \(1\): mul\n", out), out
    assert "--op mul --check forward --variant" in out
    data = json.loads(path.read_text())
    assert data["ok"] is False and set(data["failing"]) == {"mul"}
    assert {r["target"] for r in data["results"]} == {"mul", "neg"}


def test_the_reproduce_line_reproduces():
    _broken.install("broken_multiply")
    first = C.run("broken_multiply", ops=["mul"], examples=2).failures[0]
    again = C.run("broken_multiply", ops=["mul"], checks=[first.kind],
                  variants=[first.variant], examples=2).failures[0]
    assert (again.example, again.detail) == (first.example, first.detail)


# -- declared lacks -------------------------------------------------------------------------------

class NoFloat64(NumpyBackend):
    """NumPy declaring it has no float64/complex128 (as JAX without x64)."""

    name = device_type = "numpy_no_f64"

    def __init__(self):
        super().__init__()
        for d in (agrad.float64, agrad.complex128):
            del self.dtypes[d]


def test_declared_lacks_are_reported_not_skipped():
    register_backend(NoFloat64())
    with agrad.backend("numpy_no_f64"), pytest.raises(UnsupportedDtypeError, match=(
            "'numpy_no_f64' backend does not support torch.float64")):
        agrad.ones(2, dtype=agrad.float64)
    report = C.run("numpy_no_f64", ops=["exp", "sum"], checks=["dtypes", "forward", "gradcheck"])
    assert report.ok, report.text(True)
    lacking = [(r.target, r.kind, r.variant) for r in report.results if r.status == "unsupported"]
    assert ("exp", "forward", "float64") in lacking and ("sum", "forward", "float64") in lacking
    gc = [r for r in report.results if r.kind == "gradcheck"]
    assert gc and all(r.status == "passed" and r.variant == "float32" for r in gc)
    assert "float64 (declared)" in report.text()


def test_capabilities_declared_absent_are_reported():
    report = C.run("numpy_writeback", checks=["mutable", "views_alias", "lazy", "views"])
    got = {r.target: r.status for r in report.results}
    assert got == {"mutable": "unsupported", "views_alias": "unsupported",
                   "lazy": "unsupported", "views": "passed"}


# -- narrowing and entry points -------------------------------------------------------------------

def test_selected_backends():
    assert selected("numpy, dask,numpy") == ("numpy", "dask")
    assert selected("") == ("numpy", "numpy_writeback", "array_api_strict", "dask")
    assert "numpy" in selected("all") and "cupy" not in selected("all")


@pytest.mark.parametrize("backends,xdist", [("numpy", True), ("dask,array_api_strict", False)])
def test_narrowing_the_project_tests(backends, xdist):
    """Tests marked for other backends only are deselected, with and without xdist (they
    used to crash the report, or xdist's serialization)."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           "tests/test_seeds.py", "-k", "pinned or rewrites"]
    cmd += ["-n", "2"] if xdist else []
    r = subprocess.run(cmd, cwd=ROOT, env=dict(_env(), AGRAD_TEST_BACKENDS=backends),
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "INTERNALERROR" not in r.stdout and "NotSet" not in r.stdout
    assert "agrad backend conformance" in r.stdout


def _docs_backend(tmp_path: Path) -> Path:
    """The third-party adapter of docs/backend-authors.md, installed by its entry point: its module
    and a dist-info whose entry_points.txt registers it (what `pip install` would write)."""
    doc = (ROOT / "docs" / "backend-authors.md").read_text()
    code = re.search(r"```python\n# agrad_mybackend.py\n(.*?)```", doc, re.S).group(1)
    (tmp_path / "agrad_mybackend.py").write_text(code)
    info = tmp_path / "agrad_mybackend-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: agrad-mybackend\n"
                                   "Version: 0.1\n")
    (info / "entry_points.txt").write_text("[agrad.backends]\n"
                                           "mybackend = agrad_mybackend:MyBackend\n")
    return tmp_path


def test_the_docs_example_backend_passes_by_entry_point(tmp_path):
    path = _docs_backend(tmp_path)
    env = _env(PYTHONPATH=os.pathsep.join([str(path), os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, "-m", "agrad.conformance", "--backend", "mybackend",
                        "-q", "--examples", "2", "--json", str(tmp_path / "r.json")],
                       env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["ok"] and data["capabilities"]["device_type"] == "mydev"
    assert data["totals"]["passed"] > 2000


def test_the_pytest_entry_point(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pytest", "--pyargs", "agrad.conformance",
                        "--agrad-backend=numpy", "-q", "-p", "no:cacheprovider", "-k",
                        "coverage or views or exp or sum", "--agrad-examples", "2",
                        "--agrad-json", str(tmp_path / "r.json")],
                       cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "agrad conformance: numpy" in r.stdout
    (report,) = [d for d in json.loads((tmp_path / "r.json").read_text())
                 if d["backend"] == "numpy"]
    assert report["ok"] and {"exp", "sum", "views"} <= {x["target"] for x in report["results"]}


def test_float_values_compare_with_dtype_tolerance():
    from agrad.conformance.reference import assert_values

    assert_values(np.float32([1.0, 2.0]) * (1 + 1e-6), np.float64([1.0, 2.0]), "float32")
    with pytest.raises(AssertionError, match="differ"):
        assert_values(np.float32([1.0, 2.0]) * (1 + 1e-3), np.float64([1.0, 2.0]), "float32")
