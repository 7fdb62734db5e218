"""Shared helpers for the benchmarks: thread pinning (before NumPy/torch are imported) and
interleaved, repeated timing (min of the repeats; machines are noisy)."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import time
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
