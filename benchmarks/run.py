"""agrad's three speed workloads side by side with PyTorch and the NumPy floor, in one process.

    python benchmarks/run.py                    # all three, full size: under a minute
    python benchmarks/run.py --quick            # smoke run, well under 30 s
    python benchmarks/run.py --only big_op --repeats 11 --json results.json

Workloads (targets in parentheses):

- two_layer: the tutorials' two-layer net (64 x 1000 -> 100 -> 10), 500 steps, float32. agrad
  and torch run the tutorials' autograd code (backward, `no_grad` updates, `grad.zero_()`); the
  floor is the tutorials' hand-written NumPy. Time per run. (agrad <= 1.15x NumPy)
- tiny_op: `(a * b + a).sum()` forward + backward on 2 x 2 float32 leaves, 2000 iterations,
  grads accumulating: the per-op framework overhead. The floor does the forward and adds the
  hand-derived grads with `+=`. Microseconds per iteration. (agrad <= 1.0x torch)
- big_op: `((a * b).exp() + a).sum()` forward + backward on 4096 x 4096 float32 leaves, grads
  reset to None each iteration: memory traffic and how many temporaries the graph keeps. The
  floor is `e = exp(a * b); s = (e + a).sum(); ga = e * b + 1; gb = e * a`. Time per iteration
  and peak memory. (agrad <= 1.1x NumPy time, agrad peak memory <= 1.2x NumPy's)

How it measures:

- BLAS/OpenMP pools get `--threads` threads (default 1) before NumPy or torch is imported, and
  torch's intra-/inter-op pools likewise, so no contender gets more cores. Thread pools read
  their size once, at load: `main` called from a process that has already imported NumPy
  (e.g. `python -m agrad bench`) therefore re-runs this script in a fresh interpreter.
- Before timing, every contender's results (the loss, or the value and both grads) are checked
  against the floor's to float32 tolerance (1e-4 relative); a mismatch is printed and makes the
  exit status 1 (timing code that computes something else is meaningless). Unmet targets do
  not: this is a measurement, not a test.
- Timing: each round runs every contender once, rotating the order, after one warm-up round;
  the figure is the median over the rounds (a noisy moment on a shared machine hits one round
  of each contender, and the median ignores it). Ratios are ratios of medians. Compare ratios,
  not absolute times.
- Peak memory (big_op), two ways, each on a fresh contender running one iteration, the inputs
  already allocated and not counted:
  * tracemalloc, in this process: the peak of bytes allocated during the iteration. NumPy
    reports its buffers to tracemalloc, so this is exact for NumPy and agrad-on-NumPy (plus
    the small Python objects of the graph); torch's allocator does not report, so "n/a". This
    is the figure the target uses.
  * RSS, in a fresh child process per contender (Linux only, else "n/a"): the growth of the
    resident set's high-water mark (VmHWM, reset through /proc/self/clear_refs) during the
    iteration. It sees torch too, but counts pages, not bytes: allocator caching, lazily
    touched pages and the interpreter's own growth blur it by up to a few MiB, which is small
    beside the 64 MiB arrays involved. Each child costs an interpreter start and an import.
- big_op's times are mostly memory traffic and page faults: NumPy madvises huge pages for large
  buffers and torch (by default) does not, so agrad / torch there compares allocators more
  than autograd; a rare round where the kernel stalls assembling huge pages is what the median
  is for.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:  # run as a script it is there already; imported by path it is not
    sys.path.insert(0, HERE)

# NumPy, torch, agrad and _workloads (which imports NumPy) are imported inside the functions,
# after pin_threads: thread pools read their size once, at load.
from _common import (  # noqa: E402
    interleaved,
    machine,
    peak_rss,
    peak_traced,
    pin_threads,
    pin_torch_threads,
)

WORKLOADS = ("two_layer", "tiny_op", "big_op")
BIG_N = 4096
TOLERANCE = 1e-4
MIB = 2**20
FRESH = "AGRAD_BENCH_FRESH_PROCESS"  # set in the interpreter main() re-runs itself in

# workload -> (full, quick) settings: n = steps/iterations per timed run, repeats, and the
# steps for the agreement check (the two-layer loss is compared after 50 steps, while it is
# still large: by step 500 it has fallen 11 orders of magnitude and float32 rounding of another
# BLAS shows there as ~1e-2 relative).
SETTINGS = {
    "two_layer": ({"n": 500, "repeats": 7, "check": 50}, {"n": 100, "repeats": 3, "check": 50}),
    "tiny_op": ({"n": 2000, "repeats": 15, "check": 10}, {"n": 500, "repeats": 5, "check": 10}),
    "big_op": ({"n": 1, "repeats": 7, "check": 1}, {"n": 1, "repeats": 3, "check": 1}),
}

# (workload, row, contender, against, limit)
TARGETS = [("two_layer", "time", "agrad", "numpy", 1.15),
           ("tiny_op", "time", "agrad", "torch", 1.0),
           ("big_op", "time", "agrad", "numpy", 1.1),
           ("big_op", "peak MiB, tracemalloc", "agrad", "numpy", 1.2)]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python benchmarks/run.py",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer steps and repeats: a smoke run")
    p.add_argument("--repeats", type=int, help="timed rounds per workload (default 7; tiny_op 15)")
    p.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP/torch threads (default 1)")
    p.add_argument("--only", action="append", choices=WORKLOADS, metavar="WORKLOAD",
                   help=f"run only this workload (repeatable): {', '.join(WORKLOADS)}")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    p.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    p.add_argument("--rss-child", help=argparse.SUPPRESS)  # internal: one contender's peak RSS
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    if "numpy" in sys.modules:  # too late to pin its threads here: start afresh, once
        if not os.environ.get(FRESH):
            return subprocess.call([sys.executable, os.path.abspath(__file__), *argv],
                                   env={**os.environ, FRESH: "1"})
        print("WARNING: NumPy was loaded at start-up; its threads may not be pinned",
              file=sys.stderr)
    pin_threads(args.threads)
    if args.rss_child:
        return _rss_child(args.rss_child, args.threads)

    import agrad

    torch = None if args.no_torch else _import_torch(args.threads)
    libs = _libs(agrad, torch)
    backend = agrad.current_backend().name
    print(f"agrad benchmarks: {args.threads} thread(s); medians over interleaved repeats"
          f"{'; --quick' if args.quick else ''}")
    print(f"{machine()}, torch "
          + (torch.__version__ if torch else "left out" if args.no_torch else "not installed"))
    print(f"agrad backend: {backend} (device {libs['agrad'][1]})"
          + ("" if backend == "numpy" else "; the targets are set for the NumPy backend"))

    results, ok = {}, True
    for w in args.only or WORKLOADS:
        cfg = dict(SETTINGS[w][args.quick])
        if args.repeats:
            cfg["repeats"] = args.repeats
        results[w] = MEASURE[w](libs, cfg, args.threads)
        ok &= results[w]["agree"]

    rows = [row for r in results.values() for row in r["rows"]]
    names = ["numpy", "agrad"] + (["torch"] if torch else [])
    print()
    print_table(rows, names)
    targets = evaluate(rows)
    print("\ntargets (ratios of medians):")
    for t in targets:
        state = "not measured" if t["met"] is None else "met" if t["met"] else "NOT MET"
        ratio = "  n/a" if t["ratio"] is None else f"{t['ratio']:5.2f}x"
        print(f"  {t['workload']:10s} {t['target']:34s} {ratio}  {state}")
    if not ok:
        print("\nWARNING: some contenders disagree with the NumPy floor (see above)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine(), "threads": args.threads, "agrad_backend": backend,
                       "torch": torch.__version__ if torch else None, "quick": args.quick,
                       "agree": ok, "workloads": results, "targets": targets}, f, indent=1)
        print(f"results written to {args.json}")
    return 0 if ok else 1


def _import_torch(threads: int):
    try:
        import torch
    except ImportError:
        return None
    pin_torch_threads(torch, threads)
    return torch


def _libs(agrad, torch) -> dict:
    libs = {"agrad": (agrad, agrad.empty(0).device)}  # the configured backend's device
    if torch is not None:
        libs["torch"] = (torch, "cpu")
    return libs


# -- measuring ---------------------------------------------------------------------------------

def _time_and_check(w: str, contenders: dict, cfg: dict, unit: str, scale: float) -> dict:
    """Agreement first, then interleaved timing; one result row "time" in `unit`."""
    import _workloads

    diffs = _workloads.agreement(contenders, cfg["check"])
    agree = all(d <= TOLERANCE for d in diffs.values())
    print(f"{w}: agreement after {cfg['check']} iteration(s), max rel. diff. to numpy: "
          + ", ".join(f"{k} {d:.1e}" for k, d in diffs.items() if k != "numpy")
          + ("" if agree else "  MISMATCH"), flush=True)
    times = interleaved({k: (lambda f=f: f(cfg["n"])) for k, f in contenders.items()},
                        cfg["repeats"])
    medians = {k: scale * statistics.median(ts) / cfg["n"] for k, ts in times.items()}
    return {"settings": cfg, "agreement": diffs, "agree": agree, "times_s": times,
            "rows": [{"workload": w, "row": "time", "measure": unit, "values": medians}]}


def measure_two_layer(libs: dict, cfg: dict, threads: int) -> dict:
    import _workloads as W

    return _time_and_check("two_layer", W.two_layer(libs, W.two_layer_data()), cfg,
                           f"ms per run ({cfg['n']} steps)", 1e3 * cfg["n"])


def measure_tiny_op(libs: dict, cfg: dict, threads: int) -> dict:
    import _workloads as W

    return _time_and_check("tiny_op", W.tiny_op(libs, W.tiny_op_data()), cfg,
                           "us per iteration", 1e6)


def measure_big_op(libs: dict, cfg: dict, threads: int) -> dict:
    import _workloads as W

    data = W.big_op_data(BIG_N)
    out = _time_and_check("big_op", W.big_op(libs, data), cfg, "ms per iteration", 1e3)
    traced = {k: peak_traced(lambda f=f: f(1)) / MIB
              for k, f in W.big_op(libs, data).items() if k != "torch"}
    rss = {k: _rss_in_child(k, threads) for k in ["numpy", *libs]}
    print(f"big_op: peak MiB, tracemalloc {_fmt_all(traced)}; RSS in a child {_fmt_all(rss)}",
          flush=True)
    out["rows"] += [{"workload": "big_op", "row": "peak MiB, tracemalloc",
                     "measure": "peak MiB, tracemalloc", "values": traced},
                    {"workload": "big_op", "row": "peak MiB, RSS in a child",
                     "measure": "peak MiB, RSS in a child", "values": rss}]
    return out


MEASURE = {"two_layer": measure_two_layer, "tiny_op": measure_tiny_op, "big_op": measure_big_op}


def _rss_in_child(name: str, threads: int) -> float | None:
    """One big_op iteration of contender `name` in a fresh interpreter: its peak RSS growth."""
    cmd = [sys.executable, os.path.abspath(__file__), "--rss-child", name,
           "--threads", str(threads)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    try:
        peak = json.loads(r.stdout.strip().splitlines()[-1])["peak_rss"]
    except (IndexError, ValueError, KeyError):
        print(f"  peak RSS of {name} failed: {r.stderr.strip()[-500:]}", file=sys.stderr)
        return None
    return None if peak is None else peak / MIB


def _rss_child(name: str, threads: int) -> int:
    import _workloads as W

    libs = {}
    if name == "agrad":
        import agrad

        libs = _libs(agrad, None)
    elif name == "torch":
        import torch

        pin_torch_threads(torch, threads)
        libs = {"torch": (torch, "cpu")}
    run = W.big_op(libs, W.big_op_data(BIG_N))[name]
    print(json.dumps({"peak_rss": peak_rss(lambda: run(1))}))
    return 0


# -- reporting ---------------------------------------------------------------------------------

def _fmt(v: float | None, suffix: str = "") -> str:
    return "n/a" if v is None else f"{v:.4g}{suffix}"


def _fmt_all(values: dict) -> str:
    return ", ".join(f"{k} {_fmt(v)}" for k, v in values.items())


def _ratio(values: dict, a: str, b: str) -> float | None:
    x, y = values.get(a), values.get(b)
    return None if x is None or not y else x / y


def print_table(rows: list[dict], names: list[str]) -> None:
    ratios = [("agrad", "numpy"), ("agrad", "torch"), ("torch", "numpy")]
    ratios = [r for r in ratios if set(r) <= set(names)]
    head = (f"{'workload':10s} {'measure':26s}" + "".join(f"{n:>9s}" for n in names)
            + "".join(f"{a + '/' + b:>13s}" for a, b in ratios))
    print(head)
    print("-" * len(head))
    for row in rows:
        v = row["values"]
        print(f"{row['workload']:10s} {row['measure']:26s}"
              + "".join(f"{_fmt(v.get(n)):>9s}" for n in names)
              + "".join(f"{_fmt(_ratio(v, a, b), 'x'):>13s}" for a, b in ratios))


def evaluate(rows: list[dict]) -> list[dict]:
    """Each target met (True), not met (False), or not measurable here (None)."""
    by_key = {(r["workload"], r["row"]): r["values"] for r in rows}
    out = []
    for w, row, a, b, limit in TARGETS:
        if (w, row) not in by_key:
            continue
        ratio = _ratio(by_key[(w, row)], a, b)
        what = "peak memory" if row.startswith("peak") else "time"
        out.append({"workload": w, "target": f"{a} <= {limit:.2f}x {b} {what}", "ratio": ratio,
                    "limit": limit, "met": None if ratio is None else ratio <= limit})
    return out


if __name__ == "__main__":
    sys.exit(main())
