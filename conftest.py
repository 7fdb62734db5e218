"""Root conftest: the conformance report plugin, and every test run once per backend: the same
expected values on NumPy, the forced write-back path, array_api_strict and Dask.
`AGRAD_TEST_BACKENDS=numpy pytest` narrows the list; a test marked `@pytest.mark.backends("numpy")` runs only where it applies."""

from __future__ import annotations

import os

# One BLAS thread per process: the suite runs two xdist workers on two cores, and OpenBLAS's own
# threads on top of them oversubscribe the machine many times over (set before NumPy loads).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402

from hypothesis import settings  # noqa: E402

import agrad  # noqa: E402

# CI draws the same examples every run (a red build must be reproducible, never luck); a local
# run keeps exploring new ones.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

pytest_plugins = ["conformance.plugin"]

ALL_BACKENDS = ("numpy", "numpy_writeback", "array_api_strict", "dask")
BACKENDS = tuple(b.strip() for b in os.environ.get("AGRAD_TEST_BACKENDS",
                                                   ",".join(ALL_BACKENDS)).split(",") if b.strip())


def pytest_configure(config):
    config.addinivalue_line("markers", "backends(*names): run only on these backends")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("backends")
        names = [b for b in BACKENDS if marker is None or b in marker.args]
        metafunc.parametrize("backend", names, indirect=True)


@pytest.fixture(autouse=True)
def backend(request):
    """Makes `request.param` the current backend for the test; yields the adapter."""
    name = request.param
    try:
        b = agrad.get_backend(name)
    except RuntimeError as e:  # library not installed
        pytest.skip(f"backend {name} unavailable: {e}")
    with agrad.backend(name):
        yield b


@pytest.fixture(autouse=True)
def _seed():
    agrad.manual_seed(0)
    yield
