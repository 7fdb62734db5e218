"""The suite's verdict: one `Result` per (op or check, check kind, variant), and the `Report`
that groups them per family and per check kind — passed, failed, or not supported (declared) —
with the first failure's detail and the command that reproduces it, as text or JSON."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

PASSED, FAILED, UNSUPPORTED = "passed", "failed", "unsupported"
# the order failures are shown in: a wrong result first, a wrong gradient after
KIND_ORDER = {k: i for i, k in enumerate(("spec", "forward", "dtype", "inplace", "out", "errors",
                                          "backward", "gradcheck"))}


@dataclass
class Result:
    """One check of a conformance run: the op family, the target (an op-table row or a semantic
    check), the check kind, the status (passed, failed, or not supported as declared), the dtype
    variant, and for a failure what differed, the inputs and the command that reproduces it.

    Examples:
        >>> from agrad.conformance import Result
        >>> r = Result("elementwise", "neg", "forward", "passed", variant="float32")
        >>> r.family, r.target, r.kind, r.status, r.variant
        ('elementwise', 'neg', 'forward', 'passed', 'float32')
    """
    family: str           # elementwise, reduction, views ... semantics, capabilities, coverage
    target: str           # the op-table row, or the semantic check's name
    kind: str             # forward, dtype, backward, gradcheck, inplace, out, errors; or a check
    status: str
    variant: str = ""     # the dtype variant ("float32", "int32,float32")
    detail: str = ""      # why it failed, or what is declared unsupported
    example: str = ""     # the inputs that showed it
    repro: str = ""       # the command that reproduces it
    seconds: float = 0.0


@dataclass
class Report:
    """What a conformance run found on one backend: its capabilities, the reference (torch or
    numpy), the settings, every check's `Result`; `ok`, `failures`, `text()` (the printed
    report) and `to_json()`.

    Examples:
        >>> from agrad.conformance import Report, Result
        >>> results = [Result("elementwise", "neg", "forward", "passed"),
        ...            Result("elementwise", "exp", "dtype", "failed")]
        >>> report = Report("numpy", {}, "torch", {}, results)
        >>> report.ok, [r.target for r in report.failures]
        (False, ['exp'])
    """
    backend: str
    capabilities: dict[str, Any]
    reference: str
    settings: dict[str, Any]
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.failures

    def counts(self) -> dict[str, dict[str, Counter]]:
        """family -> kind -> Counter of statuses."""
        table: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        for r in self.results:
            table[r.family][r.kind][r.status] += 1
        return table

    def failing_targets(self) -> dict[str, list[str]]:
        """target -> the check kinds it failed (a broken backend names its broken ops here)."""
        out: dict[str, list[str]] = defaultdict(list)
        for r in self.failures:
            if r.kind not in out[r.target]:
                out[r.target].append(r.kind)
        return dict(out)

    # -- rendering ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        counts = {f: {k: dict(c) for k, c in ks.items()} for f, ks in self.counts().items()}
        total = Counter(r.status for r in self.results)
        return {"backend": self.backend, "ok": self.ok, "reference": self.reference,
                "capabilities": self.capabilities, "settings": self.settings,
                "seconds": round(self.seconds, 2), "totals": dict(total), "counts": counts,
                "failing": self.failing_targets(),
                "results": [asdict(r) for r in self.results]}

    def text(self, verbose: bool = False) -> str:
        lines = [f"agrad conformance: backend {self.backend!r} (reference: {self.reference})",
                 "capabilities: " + ", ".join(f"{k}={_cap(v)}" for k, v in
                                              self.capabilities.items()), ""]
        lines += self._table()
        unsupported = Counter(r.detail for r in self.results if r.status == UNSUPPORTED)
        if unsupported:
            lines += ["", "not supported (declared), by what is missing:"]
            lines += [f"  {n:5d}  {why}" for why, n in unsupported.most_common()]
        fails = sorted(self.failures, key=lambda r: KIND_ORDER.get(r.kind, 0))
        if fails:
            lines += ["", f"failing ({len(self.failing_targets())}), by check kind:"]
            by_kind: dict[str, list[str]] = {}
            for r in fails:
                names = by_kind.setdefault(r.kind, [])
                if r.target not in names:
                    names.append(r.target)
            lines += [f"  {k} ({len(ts)}): {', '.join(ts)}" for k, ts in by_kind.items()]
            shown = fails if verbose else fails[:1]
            for r in shown:
                lines += ["", f"FAILED {r.family} / {r.target} / {r.kind}"
                          + (f" [{r.variant}]" if r.variant else ""), _indent(r.detail)]
                if r.example:
                    lines.append(_indent("inputs: " + r.example))
                if r.repro:
                    lines.append(_indent("reproduce: " + r.repro))
            if not verbose and len(fails) > 1:
                lines.append(f"\n({len(fails) - 1} more failures: --verbose, or --json PATH)")
        total = Counter(r.status for r in self.results)
        verdict = "PASSED" if self.ok else "FAILED"
        lines += ["", f"{verdict}: {total[PASSED]} passed, {total[FAILED]} failed, "
                      f"{total[UNSUPPORTED]} not supported (declared) in {self.seconds:.1f} s"]
        return "\n".join(lines)

    def _table(self) -> list[str]:
        counts = self.counts()
        kinds: list[str] = []
        for ks in counts.values():
            kinds += [k for k in ks if k not in kinds]
        order = ["forward", "dtype", "backward", "gradcheck", "inplace", "out", "errors"]
        op_kinds = [k for k in order if k in kinds]
        lines = ["per op family and check kind: passed / FAILED / not supported (declared)"]
        head = f"{'family':<16}" + "".join(f"{k:>14}" for k in op_kinds)
        lines.append(head)
        other: list[tuple[str, Counter]] = []
        for fam in sorted(counts):
            ks = counts[fam]
            if not any(k in ks for k in op_kinds):
                c: Counter = Counter()
                for v in ks.values():
                    c.update(v)
                other.append((fam, c))
                continue
            lines.append(f"{fam:<16}" + "".join(f"{_cell(ks.get(k)):>14}" for k in op_kinds))
        for fam, c in other:
            lines.append(f"{fam:<16}{_cell(c):>14}  ({', '.join(self._checks(fam))})")
        return lines

    def _checks(self, family: str) -> list[str]:
        seen: list[str] = []
        for r in self.results:
            if r.family == family:
                name = r.target + ("" if r.status != FAILED else " FAILED")
                if name not in seen:
                    seen.append(name)
        return seen[:12] + (["..."] if len(seen) > 12 else [])


def _cell(c: Counter | None) -> str:
    if not c:
        return "-"
    return f"{c[PASSED]}/{c[FAILED]}/{c[UNSUPPORTED]}"


def _cap(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return "[" + " ".join(map(str, v)) + "]"
    return str(v)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in str(text).splitlines())
