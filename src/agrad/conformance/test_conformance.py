"""The conformance suite as pytest tests, for a backend author's CI:

    pytest --pyargs agrad.conformance --agrad-backend=NAME [-n 2]

One test per op-table row (all its check kinds and dtype variants), per capability and semantic
check, and one for coverage, each once per selected backend. The checks are the command line's
(`python -m agrad.conformance`); see `agrad.conformance` for what they do."""

from __future__ import annotations

import pytest

import agrad
from agrad.conformance import coverage
from agrad.conformance.pytest_plugin import record
from agrad.conformance.report import FAILED, UNSUPPORTED
from agrad.conformance.targets import selected

pytest.importorskip("hypothesis", reason="the conformance suite needs hypothesis: "
                                         "pip install agrad[conformance]")


def _backends(config) -> list[str]:
    names = config.getoption("agrad_backend", default=None)
    if names:
        return list(selected(",".join(names)))
    return list(selected(default=("numpy",)))


def pytest_generate_tests(metafunc):
    from agrad.conformance import specs  # noqa: F401 - fills the registry
    from agrad.conformance.checks import CHECKS
    from agrad.conformance.spec import SPECS

    if "agrad_backend" in metafunc.fixturenames:
        metafunc.parametrize("agrad_backend", _backends(metafunc.config), scope="module")
    if "row" in metafunc.fixturenames:
        metafunc.parametrize("row", [r for r, s in SPECS.items() if s.via is None])
    if "check" in metafunc.fixturenames:
        metafunc.parametrize("check", [n for _, n, _ in CHECKS])


@pytest.fixture(scope="module")
def be(agrad_backend):
    try:
        return agrad.get_backend(agrad_backend)
    except (RuntimeError, ValueError) as e:
        pytest.fail(f"cannot load backend {agrad_backend!r}: {e}", pytrace=False)


def _verdict(request, backend: str, results: list) -> None:
    record(request.node, backend, results)
    failed = [r for r in results if r.status == FAILED]
    if failed:
        pytest.fail("\n\n".join(f"{r.kind} [{r.variant}]: {r.detail}"
                                + (f"\ninputs: {r.example}" if r.example else "")
                                + (f"\nreproduce: {r.repro}" if r.repro else "")
                                for r in failed), pytrace=False)
    if results and all(r.status == UNSUPPORTED for r in results):
        pytest.skip("not supported (declared): " + "; ".join(sorted({r.detail for r in results})))


def test_op(request, be, agrad_backend, row):
    from agrad.conformance.engine import OpChecks, Options
    from agrad.conformance.spec import SPECS

    cfg = request.config
    thorough = cfg.getoption("agrad_thorough")
    examples = cfg.getoption("agrad_examples") or (25 if thorough else 3)
    opts = Options(examples=examples, gradcheck_examples=3 if thorough else 1,
                   reference=cfg.getoption("agrad_reference"),
                   repro=f"python -m agrad.conformance --backend {agrad_backend}")
    agrad.manual_seed(0)
    _verdict(request, agrad_backend, OpChecks(be, SPECS[row], opts).run())


def test_check(request, be, agrad_backend, check):
    from agrad.conformance import _run_check
    from agrad.conformance.checks import CHECKS, Context
    from agrad.conformance.reference import Unsupported

    family, name, fn = next(c for c in CHECKS if c[1] == check)
    ctx = Context(be, request.config.getoption("agrad_thorough"),
                  request.config.getoption("agrad_reference"))
    import time

    result = _run_check(ctx, family, name, fn, Unsupported,
                        f"python -m agrad.conformance --backend {agrad_backend}", time.perf_counter)
    _verdict(request, agrad_backend, [result])


def test_coverage(request):
    """Every op-table row has a spec (the meta-test: a row added without one fails here)."""
    results = coverage()
    record(request.node, "op table", results)
    failed = [r.detail for r in results if r.status == FAILED]
    assert not failed, "\n".join(failed)
