"""Conformance report: a pass/fail/skip table per backend at the end of the run.

Every test runs once per backend (the `backend` fixture parameter), so grouping outcomes by that
parameter tells whether a backend gives the same answers as the others. The backend is stamped on
each report in the process that ran the test and counted where reports are logged, which under
pytest-xdist is the controller, so the table appears with `-n` too. `--conformance-report PATH`
also writes it as JSON.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

_outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
_failures: dict[str, list[str]] = defaultdict(list)


def pytest_addoption(parser):
    parser.addoption("--conformance-report", default=None, metavar="PATH",
                     help="write the per-backend conformance table as JSON to PATH")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    callspec = getattr(item, "callspec", None)
    name = callspec.params.get("backend") if callspec is not None else None
    # a test whose backends marker excludes every selected backend gets an empty
    # parametrization (pytest's NOTSET placeholder, reported as skipped): no backend to count
    if isinstance(name, str):
        outcome.get_result().user_properties.append(("agrad_backend", name))


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
