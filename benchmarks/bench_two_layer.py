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

# after the thread pinning; the same code benchmarks/run.py times
from _workloads import (  # noqa: E402
    two_layer_data,
    two_layer_manual,
    two_layer_no_grad,
    two_layer_numpy,
)

import agrad  # noqa: E402

DATA = two_layer_data()
(N, D_in), (H, D_out) = DATA.x.shape, DATA.w2.shape


def main() -> None:
    device = agrad.empty(0).device  # the configured backend's device (AGRAD_BACKEND=dask: 'dask')
    contenders = {
        "numpy (manual)": two_layer_numpy(DATA),
        "agrad manual": two_layer_manual(agrad, DATA, device),
        "agrad no_grad": two_layer_no_grad(agrad, DATA, device),
    }
    if not args.no_torch:
        import torch

        pin_torch_threads(torch, args.threads)
        contenders["torch manual"] = two_layer_manual(torch, DATA)
        contenders["torch no_grad"] = two_layer_no_grad(torch, DATA)

    print(f"two-layer net: N, D_in, H, D_out = {N}, {D_in}, {H}, {D_out}; {args.steps} steps; "
          f"{args.repeats} interleaved repeats; {args.threads} thread(s)")
    print(machine() + (f", torch {torch.__version__}" if not args.no_torch else ""))
    print(f"agrad backend: {agrad.current_backend().name} (device {device})")

    # Agreement: after 50 steps the loss is still large (~1e4), so float32 rounding differences
    # (another BLAS, another summation order) show as ~1e-6 relative; by step 500 the loss has
    # fallen 11 orders of magnitude and the same rounding shows as ~1e-2 there.
    k = min(args.steps, 50)
    early = {name: fn(k)[0] for name, fn in contenders.items()}
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
