"""Out-of-core autograd: the gradient of a least-squares loss over a design matrix far larger
than the memory the process ever holds, on agrad's Dask backend.

    python examples/out_of_core.py                     # 8 GiB float32 X, 64 MiB chunks
    python examples/out_of_core.py --rows 65536 --check    # small, checked against NumPy

X (N x D, float32) and y are drawn lazily by the Dask backend's seeded generator, one block of
rows at a time; the forward pass `((X @ w - y) ** 2).mean()` and `loss.backward()` only build a
task graph. `torch.compute(loss, w.grad)` runs it once for both values: each row block of X is
generated, used for its residual and its share of `2/N * X.T @ (X @ w - y)`, and dropped, so
the peak RSS stays a small fraction of N * D * 4 bytes. Needs `pip install agrad[dask]`.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import agrad as torch
from agrad.backends.dask import set_chunk_size


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, B on macOS)."""
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r if sys.platform == "darwin" else r * 1024


def gib(n: float) -> str:
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.1f} MiB"


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=2**21, help="N, rows of X (default 2097152)")
    p.add_argument("--cols", type=int, default=1024, help="D, columns of X (default 1024)")
    p.add_argument("--chunk-mib", type=float, default=64, help="size of one row block of X")
    p.add_argument("--check", action="store_true",
                   help="also compute the gradient densely with NumPy and compare (small N only)")
    args = p.parse_args(argv)
    N, D = args.rows, args.cols
    rows_per_chunk = max(1, int(args.chunk_mib * 2**20) // (4 * D))
    set_chunk_size((rows_per_chunk, D))  # row blocks: every block holds whole rows of X

    rss0 = peak_rss_bytes()
    logical = N * D * 4
    print(f"X: {N} x {D} float32 = {gib(logical)} logical, in "
          f"{-(-N // rows_per_chunk)} blocks of {rows_per_chunk} rows "
          f"({gib(rows_per_chunk * D * 4)})")

    torch.manual_seed(0)
    device = torch.device("dask")
    t0 = time.perf_counter()
    X = torch.randn(N, D, device=device)
    y = torch.randn(N, 1, device=device)
    w = torch.zeros(D, 1, device=device, requires_grad=True)

    loss = ((X @ w - y) ** 2).mean()
    loss.backward()
    t_graph = time.perf_counter() - t0
    print(f"forward + backward built lazily in {t_graph:.2f} s; loss.grad_fn = {loss.grad_fn}")

    t1 = time.perf_counter()
    # One pass over the graph for both values: X is generated block by block and never whole.
    loss_value, grad = torch.compute(loss, w.grad)
    t_grad = time.perf_counter() - t1
    peak = peak_rss_bytes()
    print(f"loss = {float(loss_value):.6g}; w.grad: shape {tuple(grad.shape)}, "
          f"|w.grad| = {float((grad**2).sum())**0.5:.6g}; computed in {t_grad:.2f} s")
    print(f"peak RSS {gib(peak)} (at start {gib(rss0)}) = {peak / logical:.1%} of X's size")

    result = {"rows": N, "cols": D, "logical_bytes": logical, "peak_rss_bytes": peak,
              "graph_seconds": t_graph, "compute_seconds": t_grad}
    if args.check:
        import numpy as np

        Xn, yn = X.numpy(), y.numpy()  # the same lazily drawn values, now in memory
        ref = -2.0 / N * (Xn.T.astype(np.float64) @ yn.astype(np.float64))
        err = float(np.abs(grad - ref).max() / np.abs(ref).max())
        print(f"check against NumPy: max relative error {err:.2e}")
        assert err < 1e-4, err
        result["check_error"] = err
    return result


if __name__ == "__main__":
    main()
