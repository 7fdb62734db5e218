"""The seeds' two-layer network, trained side by side: hand-written NumPy (the floor), agrad
(manual backprop and autograd with `no_grad` updates) and PyTorch (the same two variants).

    python benchmarks/bench_two_layer.py                 # 500 steps, 7 interleaved repeats
    python benchmarks/bench_two_layer.py --steps 200 --repeats 5 --threads 2

Every contender starts from the same float32 data and weights and runs the same math (the
loss is computed every step and read once at the end); the losses after 50 steps, while still
large, are printed so the runs can be seen to agree. BLAS/OpenMP pools are pinned to
`--threads` threads (default 1) before NumPy or torch is imported. Times are the min (and
median) over the repeats, interleaved so a noisy moment hits every contender alike.
Target: agrad <= 1.15x NumPy.
"""

from __future__ import annotations

import argparse
import sys

from _common import interleaved, machine, pin_threads, pin_torch_threads, summary

p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
p.add_argument("--steps", type=int, default=500)
p.add_argument("--repeats", type=int, default=7)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--no-torch", action="store_true", help="skip PyTorch (if it is not installed)")
args = p.parse_args()
pin_threads(args.threads)

import numpy as np  # noqa: E402 - after the thread pinning

import agrad  # noqa: E402

N, D_in, H, D_out = 64, 1000, 100, 10
LR = 1e-6

rng = np.random.default_rng(0)
X, Y = (rng.standard_normal(s, dtype=np.float32) for s in [(N, D_in), (N, D_out)])
W1, W2 = (rng.standard_normal(s, dtype=np.float32) for s in [(D_in, H), (H, D_out)])


# -- NumPy: the floor ------------------------------------------------------------------------

def numpy_manual(steps: int) -> float:
    x, y, w1, w2 = X, Y, W1.copy(), W2.copy()
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
    return float(loss)


# -- the seed's code, written once, run with agrad and with torch ------------------------------

def make_manual(torch, device="cpu"):
    def run(steps: int) -> float:
        x, y = torch.from_numpy(X).to(device), torch.from_numpy(Y).to(device)
        w1, w2 = torch.from_numpy(W1.copy()).to(device), torch.from_numpy(W2.copy()).to(device)
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
        return loss.item()
    return run


def make_no_grad(torch, device="cpu"):
    def run(steps: int) -> float:
        x, y = torch.from_numpy(X).to(device), torch.from_numpy(Y).to(device)
        w1 = torch.from_numpy(W1.copy()).to(device).requires_grad_(True)
        w2 = torch.from_numpy(W2.copy()).to(device).requires_grad_(True)
        for _ in range(steps):
            y_pred = x.mm(w1).clamp(min=0).mm(w2)
            loss = (y_pred - y).pow(2).sum()
            loss.backward()
            with torch.no_grad():
                w1 -= LR * w1.grad
                w2 -= LR * w2.grad
                w1.grad.zero_()
                w2.grad.zero_()
        return loss.item()
    return run


def main() -> None:
    device = agrad.empty(0).device  # the configured backend's device (AGRAD_BACKEND=dask: 'dask')
    contenders = {
        "numpy (manual)": numpy_manual,
        "agrad manual": make_manual(agrad, device),
        "agrad no_grad": make_no_grad(agrad, device),
    }
    if not args.no_torch:
        import torch

        pin_torch_threads(torch, args.threads)
        contenders["torch manual"] = make_manual(torch)
        contenders["torch no_grad"] = make_no_grad(torch)

    print(f"two-layer net: N, D_in, H, D_out = {N}, {D_in}, {H}, {D_out}; {args.steps} steps; "
          f"{args.repeats} interleaved repeats; {args.threads} thread(s)")
    print(machine() + (f", torch {torch.__version__}" if not args.no_torch else ""))
    print(f"agrad backend: {agrad.current_backend().name} (device {device})")

    # Agreement: after 50 steps the loss is still large (~1e4), so float32 rounding differences
    # (another BLAS, another summation order) show as ~1e-6 relative; by step 500 the loss has
    # fallen 11 orders of magnitude and the same rounding shows as ~1e-2 there.
    k = min(args.steps, 50)
    early = {name: fn(k) for name, fn in contenders.items()}
    ref = early["numpy (manual)"]
    for name, v in early.items():
        rel = abs(v - ref) / abs(ref)
        print(f"  loss after {k:3d} steps, {name:15s} {v:.7g}  (rel. diff. to NumPy {rel:.1e})")
        if rel > 1e-4:
            print(f"WARNING: {name} disagrees with NumPy", file=sys.stderr)

    times = interleaved({n: (lambda f=f: f(args.steps)) for n, f in contenders.items()},
                        args.repeats)
    best = {n: summary(ts)[0] for n, ts in times.items()}
    print(f"\n{'':16s} {'min s':>8s} {'median s':>9s} {'ms/step':>8s}")
    for n, ts in times.items():
        lo, med = summary(ts)
        print(f"{n:16s} {lo:8.4f} {med:9.4f} {1e3 * lo / args.steps:8.3f}")

    print("\nratios (min times):")
    floor = best["numpy (manual)"]
    for variant in ("manual", "no_grad"):
        a = best[f"agrad {variant}"]
        line = f"  agrad {variant:8s}/ numpy = {a / floor:5.2f}x"
        t = best.get(f"torch {variant}")
        if t is not None:
            line += f"   agrad {variant:8s}/ torch {variant:8s} = {a / t:5.2f}x"
        print(line)
    if "torch manual" in best:
        print(f"  torch manual  / numpy = {best['torch manual'] / floor:5.2f}x"
              f"   torch no_grad / numpy = {best['torch no_grad'] / floor:5.2f}x")
    print("target: agrad <= 1.15x numpy")


if __name__ == "__main__":
    main()
