"""Per-op overhead: `(a * b + a).sum()` forward + backward on 2x2 float32 tensors, agrad and
PyTorch side by side, in microseconds per iteration.

    python benchmarks/bench_tiny_op.py
    python benchmarks/bench_tiny_op.py --number 5000 --repeats 21

At this size the arithmetic is nothing; what is measured is the framework: building the graph
(three ops and their grad_fn nodes), running the engine and accumulating `.grad`. The grads are
reset to None every iteration on both sides. Interleaved repeats, min reported. Target: agrad /
torch <= 1.0.
"""

from __future__ import annotations

import argparse
import time

from _common import machine, pin_threads, pin_torch_threads

p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
p.add_argument("--number", type=int, default=2000, help="iterations per timed repeat")
p.add_argument("--repeats", type=int, default=15)
p.add_argument("--threads", type=int, default=1)
args = p.parse_args()
pin_threads(args.threads)

import torch  # noqa: E402

import agrad  # noqa: E402

pin_torch_threads(torch, args.threads)


def make(lib):
    a = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = lib.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)

    def fwd_bwd():
        a.grad = None
        b.grad = None
        (a * b + a).sum().backward()

    def fwd():
        (a * b + a).sum()

    def check():
        fwd_bwd()
        return a.grad.tolist(), b.grad.tolist()

    return fwd_bwd, fwd, check


def time_loop(fn, number: int) -> float:
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def main() -> None:
    A = make(agrad)
    T = make(torch)
    assert A[2]() == T[2](), (A[2](), T[2]())
    cases = {"forward+backward": (A[0], T[0]), "forward only": (A[1], T[1])}
    print(f"(a * b + a).sum() on 2x2 float32; {args.number} iterations x {args.repeats} "
          f"interleaved repeats; {args.threads} thread(s)")
    print(f"{machine()}, torch {torch.__version__}; agrad backend "
          f"{agrad.current_backend().name}")
    print(f"\n{'':18s} {'agrad us':>9s} {'torch us':>9s} {'agrad/torch':>12s}")
    for label, (fa, ft) in cases.items():
        for f in (fa, ft):
            time_loop(f, max(1, args.number // 10))  # warm-up
        ta, tt = [], []
        for r in range(args.repeats):
            pair = [(fa, ta), (ft, tt)] if r % 2 == 0 else [(ft, tt), (fa, ta)]
            for f, acc in pair:
                acc.append(time_loop(f, args.number))
        a_us, t_us = 1e6 * min(ta), 1e6 * min(tt)
        print(f"{label:18s} {a_us:9.2f} {t_us:9.2f} {a_us / t_us:11.2f}x")
    print("target: agrad/torch <= 1.0 (forward+backward)")


if __name__ == "__main__":
    main()
