"""Whole training loops: agrad.nn + agrad.optim against torch.nn + torch.optim from the same
initial weights (losses and parameters after every step), and the same loop on Dask, where it
stays lazy between steps, keeps a bounded graph and reproduces the NumPy run."""

from __future__ import annotations

import numpy as np
import pytest
from _nn_oracle import close, copy_state, to_np, torch

import agrad
import agrad.nn as nn
from agrad import optim
from agrad.utils.data import DataLoader, TensorDataset

pytestmark = pytest.mark.torch
EAGER = pytest.mark.backends("numpy", "numpy_writeback", "array_api_strict")
rng = np.random.default_rng(11)
X = rng.standard_normal((24, 5))
Y = rng.integers(0, 3, size=24)


def mlp(nn_):
    return nn_.Sequential(nn_.Linear(5, 8), nn_.ReLU(), nn_.Linear(8, 3))


def train(lib, model, opt, steps, x, y):
    loss_fn = lib.nn.CrossEntropyLoss()
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@EAGER
def test_mlp_with_adam_matches_pytorch_step_for_step():
    tm = mlp(torch.nn).double()
    am = mlp(nn).double()
    copy_state(am, tm)
    la = train(agrad, am, optim.Adam(am.parameters(), lr=0.05), 8, agrad.tensor(X),
               agrad.tensor(Y))
    lt = train(torch, tm, torch.optim.Adam(tm.parameters(), lr=0.05), 8, torch.tensor(X),
               torch.tensor(Y))
    np.testing.assert_allclose(la, lt, rtol=1e-12)
    assert la[-1] < la[0]
    for (name, pa), pt in zip(am.named_parameters(), tm.parameters()):
        close(pa, pt, 1e-12, 1e-12, name)


@EAGER
def test_small_cnn_with_sgd_momentum_matches_pytorch():
    def cnn(nn_):
        return nn_.Sequential(nn_.Conv2d(1, 4, 3, padding=1), nn_.BatchNorm2d(4), nn_.ReLU(),
                              nn_.MaxPool2d(2), nn_.Conv2d(4, 6, 3, groups=2), nn_.Flatten(),
                              nn_.Dropout(0.0), nn_.Linear(6 * 2 * 2, 3))

    tm, am = cnn(torch.nn).double(), cnn(nn).double()
    copy_state(am, tm)
    images = rng.standard_normal((6, 1, 8, 8))
    labels = rng.integers(0, 3, size=6)
    la = train(agrad, am, optim.SGD(am.parameters(), lr=0.1, momentum=0.9), 3,
               agrad.tensor(images), agrad.tensor(labels))
    lt = train(torch, tm, torch.optim.SGD(tm.parameters(), lr=0.1, momentum=0.9), 3,
               torch.tensor(images), torch.tensor(labels))
    np.testing.assert_allclose(la, lt, rtol=1e-11)
    for (k, va), vt in zip(am.state_dict().items(), tm.state_dict().values()):
        close(va, vt, 1e-10, 1e-10, k)


def _graph_size(t) -> int:
    return len(t.dask().__dask_graph__())


@pytest.mark.backends("dask")
def test_training_on_dask_is_lazy_bounded_and_equals_numpy():
    torch.manual_seed(0)
    tm = mlp(torch.nn)
    with agrad.backend("numpy"):
        ref = mlp(nn)
        copy_state(ref, tm)
    model = mlp(nn)
    copy_state(model, tm)
    model.to("dask")
    assert all(p.device.type == "dask" for p in model.parameters())

    def loop(m, device):
        agrad.manual_seed(5)  # the same shuffles for both runs
        data = TensorDataset(agrad.tensor(X, dtype=agrad.float32, device=device),
                             agrad.tensor(Y, device=device))
        loader = DataLoader(data, batch_size=8, shuffle=True)
        opt = optim.Adam(m.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        losses, sizes = [], []
        for _ in range(3):
            for xb, yb in loader:
                opt.zero_grad()
                loss = loss_fn(m(xb), yb)
                loss.backward()
                opt.step()
                losses.append(loss)
                if device == "dask":
                    state = [v for s in opt.state.values() for k, v in s.items() if k != "step"]
                    sizes.append(sum(_graph_size(t) for t in (*m.parameters(), *state)))
        return agrad.compute(*losses), sizes

    ref_losses, _ = loop(ref, "cpu")
    dask_losses, sizes = loop(model, "dask")
    np.testing.assert_allclose(np.array(dask_losses), np.array(ref_losses), rtol=1e-5, atol=1e-6)
    assert dask_losses[-1] < dask_losses[0]
    assert len(set(sizes)) == 1, f"the parameters' graph grows: {sizes}"  # persisted each step
    for pa, pr in zip(model.parameters(), ref.parameters()):
        np.testing.assert_allclose(to_np(pa), to_np(pr), rtol=1e-4, atol=1e-5)


@pytest.mark.backends("dask")
def test_batchnorm_running_stats_persist_on_dask():
    bn = nn.BatchNorm1d(3)
    sizes = []
    for _ in range(3):
        bn(agrad.randn(4, 3))
        sizes.append(_graph_size(bn.running_mean) + _graph_size(bn.running_var))
    assert len(set(sizes)) == 1
    assert int(bn.num_batches_tracked.item()) == 3
