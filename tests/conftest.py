"""Every test runs once per backend: the same expected values on NumPy, the forced write-back
path, array_api_strict and Dask (`agrad.conformance.targets.DEFAULT`).

`AGRAD_TEST_BACKENDS=numpy,dask pytest` narrows the list (any subset, third-party backends by
name, `all` for every installed one), with or without `-n`. A test marked
`@pytest.mark.backends("numpy")` runs only where it applies; one whose backends are all
deselected is deselected too (reported as such, not parametrized with nothing); a test marked
`@pytest.mark.once` runs under the first selected backend only.

At the end of the run a table counts the outcomes per backend (`--conformance-report PATH`
writes it as JSON): the backend is stamped on each report where the test ran, and counted where
reports are logged, which under pytest-xdist is the controller.
"""

from __future__ import annotations

import os

# SciPy decides at import whether it dispatches on the Array API (scikit-learn's
# array_api_dispatch needs it too); set here, before any test module imports SciPy, as a user
# sets it before starting Python. tests/test_downstream.py runs SciPy, scikit-learn and
# array-api-extra on agrad tensors.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import json  # noqa: E402
from collections import defaultdict

import pytest
from hypothesis import settings

import agrad
from agrad.conformance.targets import selected

# Property tests draw the same examples on every run (a red CI is then a real regression,
# reproducible anywhere, not a lucky draw) and have no deadline (CI machines are shared and
# noisy). `HYPOTHESIS_PROFILE=explore` draws fresh examples each run, for hunting.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

BACKENDS = selected()
_NONE = "(no selected backend)"


def pytest_configure(config):
    config.addinivalue_line("markers", "backends(*names): run only on these backends")
    config.addinivalue_line("markers", "once: run once, under the first selected backend")


def pytest_generate_tests(metafunc):
    if "backend" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("backends")
    names = [b for b in BACKENDS if marker is None or b in marker.args]
    if metafunc.definition.get_closest_marker("once"):
        names = names[:1]
    metafunc.parametrize("backend", names or [_NONE], indirect=True)


def pytest_collection_modifyitems(config, items):
    """Tests whose backends are all deselected leave the run as deselected (an empty
    parametrization would put pytest's NOTSET placeholder in their ids and reports)."""
    keep, drop = [], []
    for item in items:
        cs = getattr(item, "callspec", None)
        (drop if cs is not None and cs.params.get("backend") == _NONE else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


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


# -- the per-backend table ------------------------------------------------------------------------

_outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
_failures: dict[str, list[str]] = defaultdict(list)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    cs = getattr(item, "callspec", None)
    if cs is not None and "backend" in cs.params:
        outcome.get_result().user_properties.append(("agrad_backend", cs.params["backend"]))


def pytest_runtest_logreport(report):
    name = dict(report.user_properties).get("agrad_backend")
    if name is None:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        kind = "xfailed" if hasattr(report, "wasxfail") else report.outcome
        _outcomes[name][kind] += 1
        if report.outcome == "failed":
            _failures[name].append(report.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _outcomes:
        return
    tr = terminalreporter
    tr.section("agrad backend conformance")
    tr.write_line(f"{'backend':<18}{'passed':>8}{'failed':>8}{'skipped':>9}{'xfailed':>9}")
    for name in sorted(_outcomes):
        o = _outcomes[name]
        tr.write_line(f"{name:<18}{o['passed']:>8}{o['failed']:>8}{o['skipped']:>9}"
                      f"{o['xfailed']:>9}")
    path = config.getoption("--conformance-report")
    if path:
        with open(path, "w") as f:
            json.dump({"outcomes": {k: dict(v) for k, v in _outcomes.items()},
                       "failures": dict(_failures)}, f, indent=2)
