"""`python -m agrad.conformance --backend NAME`: the conformance report of a backend.

Exit status 0 when every check passed or is declared unsupported, 1 on any failure, 2 when the
backend cannot be loaded or the arguments are wrong."""

from __future__ import annotations

import argparse
import os
import shlex
import sys

# one BLAS thread per process: the suite's arrays are small, threads only oversubscribe
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m agrad.conformance",
        description="Check that an agrad backend gives PyTorch's answers, op by op.")
    p.add_argument("--backend", "-b", action="append", metavar="NAME",
                   help="a registered backend name or an importable Array API module "
                        "(repeatable; default: $AGRAD_TEST_BACKENDS, else numpy)")
    p.add_argument("--op", action="append", metavar="ROW", help="only this op-table row")
    p.add_argument("--family", action="append", help="only this op family (elementwise ...)")
    p.add_argument("--check", action="append", metavar="KIND",
                   help="only this check kind (forward, dtype, backward, gradcheck, inplace, "
                        "out, errors) or capability/semantic check (views, laziness ...)")
    p.add_argument("--variant", action="append", help="only this dtype variant (float32 ...)")
    p.add_argument("--examples", type=int, help="hypothesis examples per op and variant")
    p.add_argument("--thorough", action="store_true",
                   help="many more examples, full-length seed programs")
    p.add_argument("--reference", choices=("torch", "numpy"),
                   help="the oracle (default: torch if installed, else agrad on NumPy)")
    p.add_argument("--json", metavar="PATH", help="also write the report as JSON")
    p.add_argument("--verbose", "-v", action="store_true", help="every failure in detail")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress lines")
    p.add_argument("--list", action="store_true", help="list the specs and checks, and exit")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    import agrad
    import agrad.conformance as C

    if args.list:
        return _list()
    names = args.backend or [b.strip() for b in os.environ.get(
        "AGRAD_TEST_BACKENDS", "numpy").split(",") if b.strip()]
    status = 0
    reports = []
    for name in names:
        try:
            agrad.get_backend(name)
        except (RuntimeError, ValueError, TypeError) as e:
            print(f"cannot load backend {name!r}: {e}", file=sys.stderr)
            return 2
        repro = f"python -m agrad.conformance --backend {shlex.quote(name)}"
        progress = None if args.quiet else (lambda s: print("  " + s, file=sys.stderr,
                                                            flush=True))
        try:
            report = C.run(name, ops=args.op, families=args.family, checks=args.check,
                           variants=args.variant, examples=args.examples,
                           thorough=args.thorough, reference=args.reference, repro=repro,
                           progress=progress)
        except ValueError as e:
            print(e, file=sys.stderr)
            return 2
        print(report.text(verbose=args.verbose))
        print()
        reports.append(report)
        status = status or (0 if report.ok else 1)
    if args.json:
        import json

        data = reports[0].to_json() if len(reports) == 1 else [r.to_json() for r in reports]
        with open(args.json, "w") as f:
            json.dump(data, f, indent=1)
    return status


def _list() -> int:
    from agrad.conformance import specs  # noqa: F401
    from agrad.conformance.checks import CHECKS
    from agrad.conformance.spec import SPECS

    for row, s in SPECS.items():
        how = f"via {s.via}" if s.via else f"{', '.join(s.kinds())}  [{', '.join(s.variants)}]"
        print(f"{s.family:<14} {row:<44} {how}")
    for family, name, fn in CHECKS:
        print(f"{family:<14} {name:<44} {(fn.__doc__ or '').strip().splitlines()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
