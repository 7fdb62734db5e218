"""The conformance suite is green on every backend CI knows: numpy, array_api_strict, Dask on
threads and on a real LocalCluster (started and stopped here), and jax.numpy with and without
x64 (without it float64, int64, uint64 and complex128 are declared unsupported, never
downcast).

Each runs the command a backend author runs, `python -m agrad.conformance --backend NAME
--json PATH`, in its own process (JAX's x64 switch is per process); the cluster run is in
process, with a `dask.distributed.Client` active, on the families that move the most data.
Narrowed by `AGRAD_TEST_BACKENDS` like every other test. The examples per op are CI's budget
(the default run draws 3, --thorough 25)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

import agrad.conformance as C
from agrad.conformance.targets import selected

pytest.importorskip("hypothesis")
pytestmark = pytest.mark.once

# name: (backend, extra environment, extra arguments)
TARGETS = {
    "numpy": ("numpy", {}, []),
    "array_api_strict": ("array_api_strict", {}, []),
    "dask": ("dask", {}, []),
    "jax.numpy": ("jax.numpy", {"JAX_ENABLE_X64": "0"}, ["--examples", "1"]),
    "jax.numpy-x64": ("jax.numpy", {"JAX_ENABLE_X64": "1"}, ["--examples", "1"]),
}
LIBRARY = {"array_api_strict": "array_api_strict", "dask": "dask.array", "jax.numpy": "jax"}


def wanted(backend: str) -> bool:
    return not os.environ.get("AGRAD_TEST_BACKENDS") or backend in selected()


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_the_suite_is_green(target, tmp_path):
    name, env, args = TARGETS[target]
    if not wanted(name):
        pytest.skip(f"{name} is not among AGRAD_TEST_BACKENDS")
    if name in LIBRARY:
        pytest.importorskip(LIBRARY[name])
    path = tmp_path / "report.json"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", JAX_PLATFORMS="cpu", **env)
    r = subprocess.run([sys.executable, "-m", "agrad.conformance", "--backend", name, "-q",
                        "--json", str(path), *args], env=env, capture_output=True, text=True,
                       timeout=900)
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-3000:]
    report = json.loads(path.read_text())
    assert report["ok"] and report["totals"]["passed"] > 1000, report["totals"]
    if target == "jax.numpy":  # no x64: declared, and refused by name
        assert set(report["capabilities"]["lacks"]) == {"int64", "uint64", "float64",
                                                       "complex128"}
        assert report["totals"]["unsupported"] > 500
    if target == "jax.numpy-x64":
        assert report["capabilities"]["lacks"] == []


@pytest.mark.distributed
def test_the_suite_on_a_dask_cluster():
    if not wanted("dask"):
        pytest.skip("dask is not among AGRAD_TEST_BACKENDS")
    distributed = pytest.importorskip("distributed")
    logging.getLogger("distributed").setLevel(logging.ERROR)
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       host="127.0.0.1", dashboard_address=None)
    try:
        with distributed.Client(cluster, set_as_default=True) as client, \
                distributed.get_task_stream(client) as stream:
            report = C.run("dask", families=["reduction", "views"], examples=1)
            checks = C.run("dask", checks=["lazy", "views", "version_counter", "laziness",
                                           "higher_order", "devices", "training", "seeds"])
    finally:
        cluster.close()
    assert report.ok, report.text(verbose=True)
    assert checks.ok, checks.text(verbose=True)
    assert len(report.results) > 500
    assert {t["worker"] for t in stream.data}, "nothing ran on the cluster's workers"
