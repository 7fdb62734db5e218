"""Smoke tests of the benchmark harness (benchmarks/run.py and its workloads): at tiny sizes,
every contender computes the same thing as the NumPy floor, the memory probes see a known
allocation, and the command runs end to end. Nothing here is timed: a timed test fails on a
loaded machine and proves nothing."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import agrad

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
pytestmark = pytest.mark.backends("numpy")


def _load(name: str):
    """A benchmarks/ module by path (benchmarks/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"agrad_bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


W = _load("_workloads")
C = _load("_common")


@pytest.fixture
def libs():
    libs = {"agrad": (agrad, "cpu")}
    try:
        import torch
    except ImportError:
        return libs
    libs["torch"] = (torch, "cpu")
    return libs


def _assert_agree(contenders, n):
    diffs = W.agreement(contenders, n)
    assert set(diffs) == set(contenders)
    assert max(diffs.values()) < 1e-4, diffs


def test_two_layer_contenders_agree(libs):
    d = W.two_layer_data(n=8, d_in=20, h=10, d_out=3)
    contenders = W.two_layer(libs, d)
    # and the manual-backprop variants bench_two_layer.py times
    contenders.update({f"{k} manual": W.two_layer_manual(lib, d, dev)
                       for k, (lib, dev) in libs.items()})
    _assert_agree(contenders, 5)
    assert contenders["numpy"](5)[0] < contenders["numpy"](1)[0]  # it trains


def test_tiny_op_grads_accumulate_in_every_contender(libs):
    a, b = W.tiny_op_data()
    for name, run in W.tiny_op(libs, (a, b)).items():
        s, ga, gb = run(3)
        np.testing.assert_allclose(s, (a * b + a).sum(), err_msg=name)
        np.testing.assert_allclose(ga, 3 * (b + 1), err_msg=name)
        np.testing.assert_allclose(gb, 3 * a, err_msg=name)


def test_big_op_grads_reset_in_every_contender(libs):
    a, b = data = W.big_op_data(16)
    e = np.exp(a.astype(np.float64) * b)
    for name, run in W.big_op(libs, data).items():
        s, ga, gb = run(2)  # two iterations, grads reset in between: one iteration's grads
        np.testing.assert_allclose(s, (e + a).sum(), rtol=1e-5, err_msg=name)
        np.testing.assert_allclose(ga, e * b + 1, rtol=1e-5, err_msg=name)
        np.testing.assert_allclose(gb, e * a, rtol=1e-5, err_msg=name)
    _assert_agree(W.big_op(libs, data), 1)


def test_memory_probes_see_a_64_mib_buffer():
    size = 64 * 2**20
    assert C.peak_traced(lambda: np.ones(size // 8)) >= size
    rss = C.peak_rss(lambda: np.ones(size // 8))
    if rss is not None:  # Linux only
        assert rss >= 0.9 * size


def test_run_main_end_to_end(tmp_path):
    """`main(argv)` is importable (for `python -m agrad bench`); called from a process that
    already imported NumPy it re-runs itself in a fresh interpreter, and writes its JSON."""
    run = _load("run")
    out = tmp_path / "results.json"
    assert run.main(["--only", "tiny_op", "--quick", "--repeats", "1", "--json", str(out)]) == 0
    results = json.loads(out.read_text())
    assert results["agree"] is True
    assert results["threads"] == 1
    [target] = results["targets"]
    assert target["workload"] == "tiny_op"
    assert (target["met"] is None) == (results["torch"] is None)  # its target is against torch


@pytest.mark.parametrize("workload", ["tiny_op", "two_layer"])
def test_the_overhead_profile_counts_the_dispatcher_and_the_engine(workload, capsys):
    """benchmarks/profile_overhead.py counts bytecodes per function: a workload's iteration
    runs agrad's dispatcher and engine, and the counts repeat exactly run to run."""
    prof = _load("profile_overhead")
    step = prof.WORKLOADS[workload]()
    first, calls = prof.count(step, 2)
    again, _ = prof.count(step, 2)
    assert first == again
    names = " ".join(first)
    assert "_dispatch.py" in names and "engine.py" in names
    assert all(calls[k] >= 1 for k in first)
    prof.main(["--workload", workload, "--iterations", "1", "--top", "3"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{workload}: ") and len(out) == 5
