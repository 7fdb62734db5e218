"""agrad's conformance suite: does a backend give PyTorch's answers?

Run it on any registered backend or importable Array API module::

    python -m agrad.conformance --backend dask
    python -m agrad.conformance --backend jax.numpy --json report.json
    pytest --pyargs agrad.conformance --agrad-backend=mybackend      # in a backend's own CI

or from Python: ``agrad.conformance.run("dask").text()``.

It is driven by the op table: every row has a spec (`spec.SPECS`, filled by the `specs`
package, one module per family) saying how to call the op and which inputs to draw, and each
op is checked for forward values, result dtypes, gradients (against the reference and by finite
differences), its in-place and `out=` forms and its errors (`engine`). Beyond single ops, the
`checks` module verifies the capabilities the backend declares and agrad's semantics on it:
views and in-place writes, version counters, graphs and hooks, higher-order gradients, devices,
laziness, random numbers, the seeds' programs. What the backend declares it lacks is reported as
not supported (declared), never skipped quietly; a row without a spec fails the run.

The reference is PyTorch where installed, else agrad on NumPy in float64. The suite needs
hypothesis (``pip install agrad[conformance]``).
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import agrad
from agrad.adapter import BackendLacks
from agrad.ops._op import TABLE

from .report import FAILED, PASSED, UNSUPPORTED, Report, Result

__all__ = ["run", "Report", "Result", "capabilities", "coverage", "OP_KINDS"]

OP_KINDS = ("forward", "dtype", "backward", "gradcheck", "inplace", "out", "errors")


def capabilities(backend: Any) -> dict[str, Any]:
    """What the backend declares: the report's header.

    Examples:
        >>> import agrad.conformance as C
        >>> caps = C.capabilities(torch.config.get_backend("numpy"))
        >>> caps["device_type"], caps["lazy"]
        ('cpu', False)
    """
    from agrad import dtypes as D

    from .checks import supported

    return {"device_type": backend.device_type, "mutable": backend.mutable,
            "views_alias": backend.views_alias, "lazy": backend.lazy,
            "data_dependent_shapes": backend.data_dependent_shapes,
            "linalg": supported(backend, "linalg"), "fft": supported(backend, "fft"),
            "dtypes": [d.name for d in D.ALL if d in backend.dtypes],
            "lacks": [d.name for d in D.ALL if d not in backend.dtypes]}


def coverage() -> list[Result]:
    """A failed result per op-table row without a spec (and per spec of no row): adding a row
    without saying how to check it fails the suite, naming the row. With none missing, one
    passed result that counts the rows.

    Examples:
        >>> import agrad.conformance as C
        >>> import agrad.conformance.specs  # the specs of agrad's own rows
        >>> [r.target for r in C.coverage() if r.status == "failed"]  # rows without a spec
        []
    """
    from .spec import SPECS, family_of

    out = []
    for row, op in TABLE.items():
        if row not in SPECS:
            out.append(Result("coverage", row, "spec", FAILED, detail=(
                f"no conformance spec for op-table row {row!r}: add one to "
                f"agrad/conformance/specs/{family_of(op).replace('nn.', '')}.py")))
    for row, spec in SPECS.items():
        if row not in TABLE:
            out.append(Result("coverage", row, "spec", FAILED,
                              detail=f"spec {row!r} names no op-table row"))
        elif spec.via is not None and spec.via not in SPECS:
            out.append(Result("coverage", row, "spec", FAILED,
                              detail=f"{row!r} is checked via {spec.via!r}, which has no spec"))
    if not out:
        out.append(Result("coverage", "op table", "spec", PASSED,
                          detail=f"{len(TABLE)} rows, each with a spec"))
    return out


def run(backend: str, *, ops: Iterable[str] | None = None,
        families: Iterable[str] | None = None, checks: Iterable[str] | None = None,
        variants: Iterable[str] | None = None, examples: int | None = None,
        thorough: bool = False, reference: str | None = None, repro: str = "",
        progress: Callable[[str], None] | None = None) -> Report:
    """Run the suite on `backend` (a registered name or an importable Array API module).

    `ops` / `families` select op-table rows; `checks` selects check kinds of the ops (forward,
    dtype, backward, gradcheck, inplace, out, errors) and/or capability and semantic checks by
    name; nothing selected runs everything. `examples`: hypothesis examples per op and dtype
    variant (3; 25 with `thorough`, which also runs gradcheck on more samples and the seeds'
    training loops in full). `reference`: "torch" or "numpy" (default: torch if installed).
    `repro`: the command line that reruns this backend, for the report's reproduce lines.

    Examples:
        >>> import agrad.conformance as C
        >>> report = C.run("numpy", ops=["exp"], checks=["forward"], examples=1)
        >>> report.ok
        True
    """
    _needs_hypothesis()
    from . import specs  # noqa: F401 - fills the registry
    from .checks import CHECKS, Context
    from .engine import OpChecks, Options
    from .reference import Unsupported
    from .reference import reference as make_reference
    from .spec import SPECS

    start = time.perf_counter()
    be = agrad.get_backend(backend)
    repro = repro or f"python -m agrad.conformance --backend {be.name}"
    ref = make_reference(reference)
    ops, families = set(ops or ()), set(families or ())
    checks = set(checks or ())
    op_kinds = tuple(k for k in OP_KINDS if k in checks) or None
    named = {name for _, name, _ in CHECKS} & checks
    unknown = checks - set(OP_KINDS) - {name for _, name, _ in CHECKS}
    if unknown:
        raise ValueError(f"unknown check(s) {sorted(unknown)}: choose from "
                         f"{', '.join(OP_KINDS)}, {', '.join(n for _, n, _ in CHECKS)}")
    everything = not (ops or families or checks)
    run_ops = everything or bool(ops or families) or op_kinds is not None
    run_checks = everything or bool(named)
    n = examples if examples is not None else (25 if thorough else 3)
    opts = Options(examples=n, gradcheck_examples=3 if thorough else 1,
                   reference=reference, kinds=op_kinds,
                   variants=tuple(variants) if variants else None, repro=repro)
    report = Report(be.name, capabilities(be), "torch" if ref.lib is not agrad
                    else "agrad on NumPy (float64)",
                    {"examples": n, "thorough": thorough})
    say = progress or (lambda s: None)
    if everything:
        report.results += coverage()
    if run_checks:
        ctx = Context(be, thorough, reference)
        for family, name, fn in CHECKS:
            if named and name not in named:
                continue
            t = time.perf_counter()
            report.results.append(_run_check(ctx, family, name, fn, Unsupported, repro,
                                             time.perf_counter))
            say(f"{family}/{name} {time.perf_counter() - t:.1f} s")
    if run_ops:
        by_family: dict[str, list] = {}
        for row, spec in SPECS.items():
            if (ops and row not in ops) or (families and spec.family not in families):
                continue
            by_family.setdefault(spec.family, []).append(spec)
        if ops - set(SPECS):
            raise ValueError(f"no spec for {sorted(ops - set(SPECS))} (see --list)")
        for family, group in by_family.items():
            t = time.perf_counter()
            for spec in group:
                agrad.manual_seed(0)
                report.results += OpChecks(be, spec, opts).run()
            say(f"{family}: {len(group)} ops {time.perf_counter() - t:.1f} s")
    report.seconds = time.perf_counter() - start
    return report


def _run_check(ctx: Any, family: str, name: str, fn: Callable, unsupported: type,
               repro: str, clock: Callable) -> Result:
    t = clock()
    agrad.manual_seed(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(ctx)
    except unsupported as u:
        return Result(family, name, name, UNSUPPORTED, detail=str(u), seconds=clock() - t)
    except BackendLacks as e:
        if e.declared_by(ctx.backend):
            return Result(family, name, name, UNSUPPORTED, detail=f"{e.lacking} (declared)",
                          seconds=clock() - t)
        return Result(family, name, name, FAILED, detail=f"{type(e).__name__}: {e}",
                      repro=f"{repro} --check {name}" if repro else "", seconds=clock() - t)
    except Exception as e:  # noqa: BLE001 - the check's failure, reported with its reason
        detail = str(e) if isinstance(e, AssertionError) else f"{type(e).__name__}: {e}"
        return Result(family, name, name, FAILED, detail=detail or type(e).__name__,
                      repro=f"{repro} --check {name}" if repro else "", seconds=clock() - t)
    return Result(family, name, name, PASSED, seconds=clock() - t)


def _needs_hypothesis() -> None:
    try:
        import hypothesis  # noqa: F401
    except ImportError:
        sys.exit("agrad.conformance needs hypothesis: pip install agrad[conformance]")
