"""Runs examples/out_of_core.py (the gradient of a least-squares loss over a lazily generated,
chunked Dask design matrix) in a fresh process and reports its logical size, time and peak RSS.

    python benchmarks/bench_out_of_core.py                       # 8 GiB X, 64 MiB blocks
    python benchmarks/bench_out_of_core.py --rows 1048576 --cols 1024 --chunk-mib 32

The peak RSS is read twice: by the example itself (ru_maxrss of its own process) and here, from
the parent, as the child's ru_maxrss (RUSAGE_CHILDREN), so the figure does not depend on the
example reporting honestly.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.normpath(os.path.join(HERE, os.pardir, "examples", "out_of_core.py"))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=2**21)
    p.add_argument("--cols", type=int, default=1024)
    p.add_argument("--chunk-mib", type=float, default=64)
    args = p.parse_args()

    cmd = [sys.executable, EXAMPLE, "--rows", str(args.rows), "--cols", str(args.cols),
           "--chunk-mib", str(args.chunk_mib)]
    print("$ python", os.path.relpath(EXAMPLE), " ".join(cmd[2:]), flush=True)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - t0
    child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    child = child_kib if sys.platform == "darwin" else child_kib * 1024
    logical = args.rows * args.cols * 4
    print(f"\nlogical size of X      {logical / 2**30:8.2f} GiB")
    print(f"child peak RSS         {child / 2**30:8.2f} GiB  ({child / logical:.1%} of X)")
    print(f"wall time (incl. start) {wall:7.1f} s  ({logical / 2**30 / wall:.2f} GiB of X per s)")


if __name__ == "__main__":
    main()
