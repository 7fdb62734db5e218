"""Root conftest: settings every test run shares (the per-backend machinery is tests/conftest.py;
the shipped conformance suite, src/agrad/conformance, brings its own pytest entry point)."""

from __future__ import annotations

import os

# One BLAS thread per process: the suite runs two xdist workers on two cores, and OpenBLAS's own
# threads on top of them oversubscribe the machine many times over (set before NumPy loads).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from hypothesis import settings  # noqa: E402

# CI draws the same examples every run (a red build must be reproducible, never luck); a local
# run keeps exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_addoption(parser):
    parser.addoption("--conformance-report", default=None, metavar="PATH",
                     help="write the per-backend table of the project's tests as JSON to PATH")
