"""agrad on a real dask.distributed cluster: 2 worker processes on 127.0.0.1, started and
closed here. The same training code gives NumPy's losses and weights, and the work runs on the
workers (their task stream is recorded)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import agrad

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
pytestmark = [pytest.mark.backends("dask"), pytest.mark.distributed]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       host="127.0.0.1", dashboard_address=None)
    try:
        with distributed.Client(cluster, set_as_default=True) as c:
            yield c
    finally:
        cluster.close()


def _train(device: str, steps: int = 5) -> tuple[list[float], np.ndarray, np.ndarray]:
    """The seeds' two-layer network, small; data made on the CPU so both runs see the same."""
    agrad.manual_seed(0)
    x = agrad.randn(16, 50, device="cpu").to(device)
    y = agrad.randn(16, 5, device="cpu").to(device)
    w1 = agrad.randn(50, 20, device="cpu").to(device).requires_grad_()
    w2 = agrad.randn(20, 5, device="cpu").to(device).requires_grad_()
    losses = []
    for _ in range(steps):
        loss = (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with agrad.no_grad():
            w1 -= 1e-4 * w1.grad
            w2 -= 1e-4 * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return losses, w1.detach().numpy(), w2.detach().numpy()


def test_training_on_the_cluster_matches_numpy(client):
    ref_losses, ref_w1, ref_w2 = _train("cpu")
    with distributed.get_task_stream(client) as ts:
        losses, w1, w2 = _train("dask")
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-5)
    np.testing.assert_allclose(w1, ref_w1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(w2, ref_w2, rtol=1e-5, atol=1e-6)
    workers = {t["worker"] for t in ts.data}
    assert len(ts.data) > 0 and workers, "no task ran on the cluster"
    assert ref_losses[-1] < ref_losses[0]


def test_gradients_of_all_leaves_computed_on_the_cluster(client):
    a = agrad.randn(40, 30, device="cpu")
    b = agrad.randn(30, device="cpu")
    ad, bd = a.to("dask").requires_grad_(), b.to("dask").requires_grad_()
    ((ad @ bd).tanh().sum()).backward()
    ga, gb = agrad.compute(ad.grad, bd.grad)  # one pass over the shared graph
    a.requires_grad_()
    b.requires_grad_()
    ((a @ b).tanh().sum()).backward()
    np.testing.assert_allclose(ga, a.grad.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gb, b.grad.numpy(), rtol=1e-5, atol=1e-6)


def _example(backend: str) -> list[str]:
    env = dict(os.environ, AGRAD_BACKEND=backend, OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "two_layer_net.py"),
                          "--steps", "20", "--every", "5"], env=env, capture_output=True,
                         text=True, timeout=600, check=True).stdout
    return [line for line in out.splitlines() if line[:1].isdigit()]


def test_switching_backend_needs_no_code_change():
    """`AGRAD_BACKEND=dask python examples/two_layer_net.py` prints NumPy's losses."""
    numpy_lines, dask_lines = _example("numpy"), _example("dask")
    assert len(numpy_lines) >= 4 and len(numpy_lines) == len(dask_lines)
    for a, b in zip(numpy_lines, dask_lines):
        (sa, la), (sb, lb) = a.split()[:2], b.split()[:2]
        assert sa == sb
        assert float(la) == pytest.approx(float(lb), rel=1e-5)
