"""Where agrad's own time goes, counted rather than timed: the Python bytecodes each function
runs per iteration of a workload (the tiny op, or a step of the two-layer net), with its calls.

Wall time on a shared machine is noisy; these counts are exact and repeat run to run, so a
change to the dispatcher or the engine can be judged by them (with
`valgrind --tool=callgrind` for the instructions the C side adds). What they do not show is
time inside NumPy's C functions: that is the floor's too.

    python benchmarks/profile_overhead.py                  # the tiny op, top 25 functions
    python benchmarks/profile_overhead.py --workload two_layer --top 40
"""

from __future__ import annotations

import argparse
import collections
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import pin_threads  # noqa: E402


def _tiny_op() -> Callable[[], None]:
    import agrad

    a = agrad.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = agrad.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)

    def step() -> None:
        (a * b + a).sum().backward()
    return step


def _two_layer() -> Callable[[], None]:
    from _workloads import LR, two_layer_data

    import agrad

    d = two_layer_data()
    x, y = agrad.from_numpy(d.x), agrad.from_numpy(d.y)
    w1 = agrad.from_numpy(d.w1.copy()).requires_grad_()
    w2 = agrad.from_numpy(d.w2.copy()).requires_grad_()

    def step() -> None:
        nonlocal w1, w2  # the tutorials' `w1 -= ...` (in place: rebinds to the same tensor)
        loss = (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()
        loss.backward()
        with agrad.no_grad():
            w1 -= LR * w1.grad
            w2 -= LR * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return step


WORKLOADS = {"tiny_op": _tiny_op, "two_layer": _two_layer}


def count(step: Callable[[], None], n: int) -> tuple[collections.Counter, collections.Counter]:
    """Bytecodes and calls per function over `n` calls of `step` (after a warm-up)."""
    for _ in range(20):
        step()
    ops: collections.Counter = collections.Counter()
    calls: collections.Counter = collections.Counter()

    def trace(frame, event, arg):  # noqa: ARG001
        frame.f_trace_opcodes = True
        code = frame.f_code
        key = f"{Path(code.co_filename).name}:{code.co_firstlineno} {code.co_name}"
        if event == "opcode":
            ops[key] += 1
        elif event == "call":
            calls[key] += 1
        return trace

    sys.settrace(trace)
    try:
        for _ in range(n):
            step()
    finally:
        sys.settrace(None)
    return ops, calls


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workload", choices=sorted(WORKLOADS), default="tiny_op")
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args(argv)
    pin_threads(1)
    n = args.iterations
    ops, calls = count(WORKLOADS[args.workload](), n)
    print(f"{args.workload}: {sum(ops.values()) / n:.0f} bytecodes and "
          f"{sum(calls.values()) / n:.0f} Python calls per iteration")
    print(f"{'bytecodes':>10} {'calls':>6}  function")
    for key, v in ops.most_common(args.top):
        print(f"{v / n:10.0f} {calls[key] / n:6.1f}  {key}")


if __name__ == "__main__":
    main()
