"""Shared helpers for the benchmarks: thread pinning (before NumPy/torch are imported),
interleaved, repeated timing (machines are noisy) and peak-memory measurement."""

from __future__ import annotations

import contextlib
import gc
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def pin_threads(n: int) -> None:
    """Give every BLAS/OpenMP pool `n` threads. Must run before numpy/torch are imported."""
    for v in THREAD_VARS:
        os.environ[v] = str(n)


def pin_torch_threads(torch_module, n: int) -> None:
    torch_module.set_num_threads(n)
    # torch allows setting the inter-op pool once, before parallel work
    with contextlib.suppress(RuntimeError):
        torch_module.set_num_interop_threads(n)


def interleaved(runners: dict[str, Callable[[], object]], repeats: int,
                warmup: int = 1) -> dict[str, list[float]]:
    """Run every runner once per round, `repeats` rounds, rotating the order each round so no
    runner always goes first; returns the seconds of each run per runner."""
    names = list(runners)
    for _ in range(warmup):
        for n in names:
            runners[n]()
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(repeats):
        order = names[r % len(names):] + names[:r % len(names)]
        for n in order:
            t0 = time.perf_counter()
            runners[n]()
            times[n].append(time.perf_counter() - t0)
    return times


def summary(ts: list[float]) -> tuple[float, float]:
    return min(ts), statistics.median(ts)


def machine() -> str:
    import numpy as np

    cfg = ""
    try:
        info = np.show_config(mode="dicts")
        blas = info.get("Build Dependencies", {}).get("blas", {})
        cfg = f", NumPy BLAS {blas.get('name', '?')} {blas.get('version', '')}".rstrip()
    except Exception:  # noqa: BLE001 - older NumPy
        pass
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, NumPy {np.__version__}{cfg}")


def peak_traced(fn: Callable[[], object]) -> int:
    """Peak bytes allocated while `fn()` runs, as tracemalloc sees them: every Python object
    and every NumPy buffer (NumPy reports its data allocations to tracemalloc), but nothing that
    bypasses it (torch's CPU allocator). Memory held before the call is not counted."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _proc_status(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def peak_rss(fn: Callable[[], object]) -> int | None:
    """Peak growth of this process's resident set while `fn()` runs, for what tracemalloc cannot
    see. Linux only (None elsewhere): writing 5 to /proc/self/clear_refs resets the high-water
    mark VmHWM to the current RSS. Counts touched pages, whoever allocated them; run it in a
    fresh process so that earlier work's freed-but-kept memory does not hide the growth."""
    gc.collect()
    try:
        base = _proc_status("VmRSS")
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except (OSError, KeyError):
        return None
    fn()
    return _proc_status("VmHWM") - base
