"""The tutorials' two-layer network written with nn.Linear + nn.MSELoss + optim.SGD ("PyTorch:
optim"), trained side by side: hand-written NumPy (the floor), agrad and PyTorch.

    python benchmarks/bench_nn_two_layer.py              # 500 steps, 7 interleaved repeats
    python benchmarks/bench_nn_two_layer.py --steps 200 --repeats 5 --threads 2

64 x 1000 -> 100 -> 10, float32, MSELoss(reduction="sum"), SGD(lr=1e-4). nn.Linear has a bias
by default (the tutorials' tensor-level versions had none), so every contender, the NumPy floor
included, trains with biases: the floor computes exactly the same forward, gradients and
update. All start from the same data and weights; the losses after 50 steps are printed so
the runs can be seen to agree. BLAS/OpenMP pools are pinned to `--threads` (default 1) before
NumPy or torch is imported; times are interleaved, min and median reported.
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
LR = 1e-4

rng = np.random.default_rng(0)
X = rng.standard_normal((N, D_in), dtype=np.float32)
Y = rng.standard_normal((N, D_out), dtype=np.float32)
b1, b2 = 1 / np.sqrt(D_in), 1 / np.sqrt(H)  # nn.Linear's default bounds
W1 = rng.uniform(-b1, b1, (H, D_in)).astype(np.float32)
B1 = rng.uniform(-b1, b1, H).astype(np.float32)
W2 = rng.uniform(-b2, b2, (D_out, H)).astype(np.float32)
B2 = rng.uniform(-b2, b2, D_out).astype(np.float32)


# -- NumPy: the floor ------------------------------------------------------------------------

def numpy_floor(steps: int) -> float:
    w1, c1, w2, c2 = W1.copy(), B1.copy(), W2.copy(), B2.copy()
    for _ in range(steps):
        h = X @ w1.T + c1
        h_relu = np.maximum(h, 0)
        y_pred = h_relu @ w2.T + c2
        diff = y_pred - Y
        loss = np.square(diff).sum()
        g = 2.0 * diff
        grad_w2 = g.T @ h_relu
        grad_c2 = g.sum(0)
        grad_h = g @ w2
        grad_h[h <= 0] = 0
        grad_w1 = grad_h.T @ X
        grad_c1 = grad_h.sum(0)
        w1 -= LR * grad_w1
        c1 -= LR * grad_c1
        w2 -= LR * grad_w2
        c2 -= LR * grad_c2
    return float(loss)


# -- the tutorial's code, run with agrad and with torch ----------------------------------------

def make_nn(torch, device="cpu"):
    def run(steps: int) -> float:
        x = torch.from_numpy(X).to(device)
        y = torch.from_numpy(Y).to(device)
        model = torch.nn.Sequential(torch.nn.Linear(D_in, H), torch.nn.ReLU(),
                                    torch.nn.Linear(H, D_out)).to(device)
        with torch.no_grad():
            for param, value in zip(model.parameters(), (W1, B1, W2, B2)):
                param.copy_(torch.from_numpy(value))
        loss_fn = torch.nn.MSELoss(reduction="sum")
        optimizer = torch.optim.SGD(model.parameters(), lr=LR)
        for _ in range(steps):
            y_pred = model(x)
            loss = loss_fn(y_pred, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return loss.item()
    return run


def main() -> None:
    device = agrad.empty(0).device
    contenders = {"numpy floor": numpy_floor, "agrad nn+optim": make_nn(agrad, device)}
    if not args.no_torch:
        import torch

        pin_torch_threads(torch, args.threads)
        contenders["torch nn+optim"] = make_nn(torch)

    print(f"two-layer net with nn.Linear (biases on) + MSELoss(sum) + SGD(lr={LR}): "
          f"{N} x {D_in} -> {H} -> {D_out}; {args.steps} steps; {args.repeats} interleaved "
          f"repeats; {args.threads} thread(s)")
    print(machine() + (f", torch {torch.__version__}" if not args.no_torch else ""))
    print(f"agrad backend: {agrad.current_backend().name} (device {device})")

    k = min(args.steps, 50)
    early = {name: fn(k) for name, fn in contenders.items()}
    ref = early["numpy floor"]
    for name, v in early.items():
        rel = abs(v - ref) / abs(ref)
        print(f"  loss after {k:3d} steps, {name:15s} {v:.7g}  (rel. diff. to NumPy {rel:.1e})")
        if rel > 1e-3:
            print(f"WARNING: {name} disagrees with NumPy", file=sys.stderr)

    times = interleaved({n: (lambda f=f: f(args.steps)) for n, f in contenders.items()},
                        args.repeats)
    print(f"\n{'':16s} {'min s':>8s} {'median s':>9s} {'ms/step':>8s}")
    for n, ts in times.items():
        lo, med = summary(ts)
        print(f"{n:16s} {lo:8.4f} {med:9.4f} {1e3 * med / args.steps:8.3f}")
    med = {n: summary(ts)[1] for n, ts in times.items()}
    lo = {n: summary(ts)[0] for n, ts in times.items()}
    floor = med["numpy floor"]
    print("\nratios (medians; mins in parentheses):")
    print(f"  agrad / numpy = {med['agrad nn+optim'] / floor:5.2f}x "
          f"({lo['agrad nn+optim'] / lo['numpy floor']:4.2f}x)")
    if "torch nn+optim" in med:
        print(f"  torch / numpy = {med['torch nn+optim'] / floor:5.2f}x "
              f"({lo['torch nn+optim'] / lo['numpy floor']:4.2f}x)")
        print(f"  agrad / torch = {med['agrad nn+optim'] / med['torch nn+optim']:5.2f}x")
    print("target: agrad <= 1.15x numpy")


if __name__ == "__main__":
    main()
