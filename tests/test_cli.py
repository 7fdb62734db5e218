"""`python -m agrad` / the `agrad` console script, run as a user runs them: in a subprocess,
checking what they print."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import agrad
from agrad import cli

pytestmark = pytest.mark.backends("numpy")  # the commands pick their own backends
ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "agrad", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout, cwd=ROOT)


def test_info_names_version_python_backends_and_capabilities():
    r = run("info")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith(f"agrad {agrad.__version__} (")
    assert f"Python {sys.version.split()[0]}" in out
    assert "default backend: numpy   default dtype: torch.float32   Dask progress: off" in out
    assert f"numpy {metadata.version('numpy')}" in out
    assert f"dask {metadata.version('dask')}" in out
    for name in agrad.available_backends():
        assert f"\n  {name} " in out, name
    numpy_block = out.split("\n  numpy ")[1].split("\n  numpy_writeback")[0]
    assert numpy_block.startswith("             usable, 1 device(s); device type 'cpu'")
    assert "in place: yes, mutable: yes, views alias: yes, lazy: no" in numpy_block
    assert "linalg: all of cholesky det eigh inv pinv qr slogdet solve svd" in numpy_block
    dask_block = out.split("\n  dask ")[1]
    assert "lazy: yes" in dask_block.split("\n  numpy")[0]
    assert "linalg: cholesky inv qr solve svd (not: det eigh pinv slogdet)" in dask_block


def test_info_json_reads_the_adapters():
    r = run("info", "--json", env={"AGRAD_BACKEND": "dask", "AGRAD_PROGRESS": "1"})
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["agrad"] == agrad.__version__ and data["default_backend"] == "dask"
    assert data["progress"] is True and data["default_dtype"] == "float32"
    assert data["libraries"]["torch"] == metadata.version("torch")
    backends = {b["name"]: b for b in data["backends"]}
    assert sorted(backends) == agrad.available_backends()
    for name in ("numpy", "numpy_writeback", "array_api_strict", "dask"):
        b, adapter = backends[name], agrad.get_backend(name)
        assert b["installed"] and b["usable"] and b["devices"] == 1
        assert b["device_type"] == adapter.device_type
        assert (b["in_place"], b["lazy"], b["mutable"], b["views_alias"]) == (
            adapter.in_place, adapter.lazy, adapter.mutable, adapter.views_alias)
        assert set(b["dtypes"]) == {d.name for d in adapter.dtypes}
        assert b["linalg"] == [f for f in cli.DELEGATED["linalg"] if adapter.supports("linalg", f)]
    assert "float16" not in backends["array_api_strict"]["dtypes"]
    try:
        import cupy  # noqa: F401
    except ImportError:
        assert not backends["cupy"]["installed"]
        assert "pip install agrad[cuda]" in backends["cupy"]["reason"]


def test_console_script():
    script = Path(sys.executable).parent / "agrad"
    if not script.exists():
        pytest.skip("agrad is not installed with its scripts in this environment")
    r = subprocess.run([str(script), "info"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and r.stdout.startswith(f"agrad {agrad.__version__}")


def test_usage_errors():
    r = run()
    assert r.returncode == 2 and "info" in r.stderr and "conformance" in r.stderr
    r = run("info", "--bogus")
    assert r.returncode == 2 and "unrecognized arguments: --bogus" in r.stderr


def test_bench_runs_the_checkouts_benchmarks():
    r = run("bench", "--quick", "--only", "tiny_op", "--repeats", "1", "--no-torch")
    assert r.returncode == 0, r.stderr
    assert "agrad benchmarks: 1 thread(s)" in r.stdout and "; --quick" in r.stdout
    assert "agrad backend: numpy" in r.stdout
    assert "tiny_op" in r.stdout and "two_layer" not in r.stdout


def test_bench_outside_a_checkout_says_so(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(cli, "_checkouts", lambda: [tmp_path])
    assert cli.main(["bench", "--quick"]) == 2
    err = capsys.readouterr().err
    assert "benchmarks/run.py is part of agrad's source checkout" in err
    assert str(tmp_path) in err and "checkout of the agrad repository" in err


def test_conformance_runs_the_suite_on_the_chosen_backends(tmp_path):
    out = tmp_path / "report.json"
    r = run("conformance", "--backend", "numpy", "--backend", "dask", "--op", "mul", "-q",
            "--json", str(out))
    assert r.returncode == 0, r.stdout[-3000:]
    reports = json.loads(out.read_text())
    assert [d["backend"] for d in reports] == ["numpy", "dask"]
    for d in reports:
        assert d["ok"] and d["totals"].get("passed", 0) >= 10 and not d["failing"]
        assert {x["target"] for x in d["results"] if x["family"] == "elementwise"} == {"mul"}
    assert "PASSED" in r.stdout and "elementwise" in r.stdout


def test_conformance_refuses_an_unknown_op():
    r = run("conformance", "--backend", "numpy", "--op", "no_such_row", "-q")
    assert r.returncode == 2 and "no spec for ['no_such_row']" in r.stdout + r.stderr
