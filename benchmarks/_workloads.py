"""The three speed workloads, each as a set of contenders: the hand-written NumPy floor and the
same PyTorch-style code run with each library given (agrad, torch).

Import this only after `_common.pin_threads`: it imports NumPy, whose BLAS pool reads its
thread count once, at load.

A contender is `run(n) -> tuple of NumPy values`: n steps/iterations, then the results to
compare (a loss, the grads). Returning NumPy values lets one `agreement` check serve every
workload; the conversion happens once per run, after the loop, so it costs the timing nothing
noticeable. `libs` maps a contender name to `(module, device)`, e.g. `{"agrad": (agrad, "cpu"),
"torch": (torch, "cpu")}`; each factory call makes fresh leaves, so a memory measurement can
start from a contender that holds no grads yet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

Run = Callable[[int], tuple]
FLOOR = "numpy"


def agreement(contenders: dict[str, Run], n: int) -> dict[str, float]:
    """Largest relative difference of each contender's results from the floor's after `n`
    steps (per result: max |x - ref| / max |ref|, so near-zero entries cannot blow it up)."""
    ref = contenders[FLOOR](n)
    out = {}
    for name, run in contenders.items():
        got = run(n)
        out[name] = max(float(np.max(np.abs(np.asarray(g, np.float64) - r)) /
                              max(float(np.max(np.abs(r))), 1e-30))
                        for g, r in zip(got, (np.asarray(r, np.float64) for r in ref)))
    return out


# -- 1. the tutorials' two-layer net ----------------------------------------------------------

LR = 1e-6


class TwoLayerData(NamedTuple):
    x: np.ndarray
    y: np.ndarray
    w1: np.ndarray
    w2: np.ndarray


def two_layer_data(n: int = 64, d_in: int = 1000, h: int = 100, d_out: int = 10,
                   seed: int = 0) -> TwoLayerData:
    rng = np.random.default_rng(seed)
    x, y = (rng.standard_normal(s, dtype=np.float32) for s in [(n, d_in), (n, d_out)])
    w1, w2 = (rng.standard_normal(s, dtype=np.float32) for s in [(d_in, h), (h, d_out)])
    return TwoLayerData(x, y, w1, w2)


def two_layer_numpy(d: TwoLayerData) -> Run:
    """The floor: the tutorials' hand-written NumPy network."""
    def run(steps: int) -> tuple:
        x, y, w1, w2 = d.x, d.y, d.w1.copy(), d.w2.copy()
        for _ in range(steps):
            h = x @ w1
            h_relu = np.maximum(h, 0)
            y_pred = h_relu @ w2
            loss = np.square(y_pred - y).sum()
            grad_y_pred = 2.0 * (y_pred - y)
            grad_w2 = h_relu.T @ grad_y_pred
            grad_h_relu = grad_y_pred @ w2.T
            grad_h = grad_h_relu.copy()
            grad_h[h < 0] = 0
            grad_w1 = x.T @ grad_h
            w1 -= LR * grad_w1
            w2 -= LR * grad_w2
        return (float(loss),)
    return run


def two_layer_manual(torch, d: TwoLayerData, device="cpu") -> Run:
    """The tutorials' manual backprop, written for torch (and so for agrad)."""
    def run(steps: int) -> tuple:
        x, y = torch.from_numpy(d.x).to(device), torch.from_numpy(d.y).to(device)
        w1 = torch.from_numpy(d.w1.copy()).to(device)
        w2 = torch.from_numpy(d.w2.copy()).to(device)
        for _ in range(steps):
            h = x.mm(w1)
            h_relu = h.clamp(min=0)
            y_pred = h_relu.mm(w2)
            loss = (y_pred - y).pow(2).sum()
            grad_y_pred = 2.0 * (y_pred - y)
            grad_w2 = h_relu.t().mm(grad_y_pred)
            grad_h_relu = grad_y_pred.mm(w2.t())
            grad_h = grad_h_relu.clone()
            grad_h[h < 0] = 0
            grad_w1 = x.t().mm(grad_h)
            w1 -= LR * grad_w1
            w2 -= LR * grad_w2
        return (loss.item(),)
    return run


def two_layer_no_grad(torch, d: TwoLayerData, device="cpu") -> Run:
    """The tutorials' autograd version: backward, `no_grad` updates, `grad.zero_()`."""
    def run(steps: int) -> tuple:
        x, y = torch.from_numpy(d.x).to(device), torch.from_numpy(d.y).to(device)
        w1 = torch.from_numpy(d.w1.copy()).to(device).requires_grad_(True)
        w2 = torch.from_numpy(d.w2.copy()).to(device).requires_grad_(True)
        for _ in range(steps):
            y_pred = x.mm(w1).clamp(min=0).mm(w2)
            loss = (y_pred - y).pow(2).sum()
            loss.backward()
            with torch.no_grad():
                w1 -= LR * w1.grad
                w2 -= LR * w2.grad
                w1.grad.zero_()
                w2.grad.zero_()
        return (loss.item(),)
    return run


def two_layer(libs: dict, d: TwoLayerData) -> dict[str, Run]:
    return {FLOOR: two_layer_numpy(d),
            **{name: two_layer_no_grad(lib, d, dev) for name, (lib, dev) in libs.items()}}


# -- 2. per-op overhead: (a * b + a).sum() on 2x2, grads accumulating -------------------------

def tiny_op_data() -> tuple[np.ndarray, np.ndarray]:
    return (np.array([[1.0, 2.0], [3.0, 4.0]], np.float32),
            np.array([[0.5, -1.0], [2.0, 0.25]], np.float32))


def tiny_op_numpy(data) -> Run:
    """The floor: the forward, and the hand-derived grads accumulated as autograd would."""
    a, b = data

    def run(n: int) -> tuple:
        ga, gb = np.zeros_like(a), np.zeros_like(b)
        for _ in range(n):
            s = (a * b + a).sum()
            ga += b + 1
            gb += a
        return s, ga, gb
    return run


def tiny_op_autograd(torch, data, device="cpu") -> Run:
    def run(n: int) -> tuple:
        a, b = (torch.from_numpy(x).to(device).requires_grad_(True) for x in data)
        for _ in range(n):
            s = (a * b + a).sum()
            s.backward()
        return s.item(), a.grad.numpy(), b.grad.numpy()
    return run


def tiny_op(libs: dict, data) -> dict[str, Run]:
    return {FLOOR: tiny_op_numpy(data),
            **{name: tiny_op_autograd(lib, data, dev) for name, (lib, dev) in libs.items()}}


# -- 3. a large elementwise graph: ((a * b).exp() + a).sum() ----------------------------------

def big_op_data(n: int = 4096, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two n x n float32 arrays in [-1, 1), so exp stays tame and sums compare tightly."""
    rng = np.random.default_rng(seed)
    return tuple(rng.random((n, n), dtype=np.float32) * 2 - 1 for _ in range(2))


def big_op_numpy(data) -> Run:
    """The floor: what a NumPy user writes, keeping only `e`, which both grads need."""
    a, b = data

    def run(n: int) -> tuple:
        for _ in range(n):
            e = np.exp(a * b)
            s = (e + a).sum()
            ga = e * b + 1
            gb = e * a
        return s, ga, gb
    return run


def big_op_autograd(torch, data, device="cpu") -> Run:
    # from_numpy shares the floor's input buffers: the inputs cost no memory of their own
    a, b = (torch.from_numpy(x).to(device).requires_grad_(True) for x in data)

    def run(n: int) -> tuple:
        for _ in range(n):
            a.grad = None
            b.grad = None
            s = ((a * b).exp() + a).sum()
            s.backward()
        return s.item(), a.grad.numpy(), b.grad.numpy()
    return run


def big_op(libs: dict, data) -> dict[str, Run]:
    return {FLOOR: big_op_numpy(data),
            **{name: big_op_autograd(lib, data, dev) for name, (lib, dev) in libs.items()}}
