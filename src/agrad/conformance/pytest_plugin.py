"""The suite's pytest entry point (registered under `pytest11`, so installing agrad provides it):

    pytest --pyargs agrad.conformance --agrad-backend=mybackend [-n 2]

collects `agrad.conformance.test_conformance`: one test per op-table row, capability and semantic
check, per backend. A test fails with the suite's detail and reproduce line, is skipped as
"not supported (declared)" when everything it checks is declared unsupported, and at the end the
suite's per-family table is printed (gathered on the xdist controller too). Without the option,
`$AGRAD_TEST_BACKENDS` (else numpy) names the backends.

Options are read only by that module: loading the plugin costs any other pytest run nothing.
"""

from __future__ import annotations

import json

import pytest

_results: dict[str, list[dict]] = {}


def pytest_addoption(parser):
    group = parser.getgroup("agrad", "agrad conformance suite")
    group.addoption("--agrad-backend", action="append", default=None, metavar="NAME",
                    help="backend(s) for `pytest --pyargs agrad.conformance` (comma lists "
                         "too; default: $AGRAD_TEST_BACKENDS, else numpy)")
    group.addoption("--agrad-examples", type=int, default=None, metavar="N",
                    help="hypothesis examples per op and dtype variant")
    group.addoption("--agrad-thorough", action="store_true", default=False,
                    help="many more examples, full-length seed programs")
    group.addoption("--agrad-reference", choices=("torch", "numpy"), default=None,
                    help="the oracle (default: torch if installed)")
    group.addoption("--agrad-json", default=None, metavar="PATH",
                    help="write the suite's reports as JSON")


def record(node: pytest.Item, backend: str, results: list) -> None:
    """Attach a test's suite results to its report (so xdist carries them to the controller)."""
    from dataclasses import asdict

    node.user_properties.append(("agrad_results", (backend, [asdict(r) for r in results])))


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    for key, value in report.user_properties:
        if key == "agrad_results":
            backend, results = value
            _results.setdefault(backend, []).extend(results)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _results:
        return
    from agrad.conformance.report import Report, Result

    reports = []
    for backend, results in sorted(_results.items()):
        report = Report(backend, {}, config.getoption("agrad_reference") or "default", {},
                        [Result(**r) for r in results])
        report.seconds = sum(r["seconds"] for r in results)
        reports.append(report)
        terminalreporter.section(f"agrad conformance: {backend}")
        lines = report.text().splitlines()
        terminalreporter.write_line("\n".join(lines[3:]))
    path = config.getoption("agrad_json")
    if path:
        with open(path, "w") as f:
            json.dump([r.to_json() for r in reports], f, indent=1)
