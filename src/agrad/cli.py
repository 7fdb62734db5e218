"""`python -m agrad` and the `agrad` console script: what is installed, and the project's runs.

    agrad info [--json]                 version, Python, backends and their capabilities
    agrad bench [--backend B] [...]     benchmarks/run.py (options pass through: --quick, --only)
    agrad conformance [--backend B] ... the conformance suite

`bench` and `conformance` run code that lives in a source checkout (benchmarks/, conformance/),
not in the installed package: they look for it beside the package (an editable install) or in
the current directory, and say so when neither is a checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

# Library versions `info` reports, read from the installed distributions' metadata (nothing is
# imported for it). CuPy is one of several wheels.
LIBRARIES = ("numpy", "array-api-compat", "array-api-strict", "dask", "distributed",
             ("cupy", "cupy-cuda12x", "cupy-cuda11x", "cupy-cuda13x"), "torch", "safetensors",
             "graphviz")
# The extension functions agrad's linalg and fft delegate to a backend (each asked of the
# adapter through `Backend.supports` before it is called).
DELEGATED = {"linalg": ("cholesky", "det", "eigh", "inv", "pinv", "qr", "slogdet", "solve",
                        "svd"),
             "fft": ("fft", "ifft", "rfft", "irfft")}


def _version(dist: str | tuple[str, ...]) -> tuple[str, str | None]:
    names = (dist,) if isinstance(dist, str) else dist
    for name in names:
        try:
            return name, metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return names[0], None


def _backend_info(name: str, target: Any) -> dict[str, Any]:
    """One registered backend: whether its library loads, whether a device is there, and the
    capabilities the core reads from its adapter."""
    from . import config, dtypes

    where = target if isinstance(target, str) else f"{target.value} (entry point)"
    entry: dict[str, Any] = {"name": name, "adapter": where}
    try:
        b = config.get_backend(name)
    except Exception as e:  # noqa: BLE001 - a missing library, or a third party's broken adapter
        entry.update(installed=False, usable=False, reason=str(e))
        return entry
    usable = b.is_available()
    entry.update(installed=True, usable=usable, device_type=b.device_type,
                 devices=b.device_count() if usable else 0, in_place=b.in_place,
                 mutable=b.mutable, views_alias=b.views_alias, lazy=b.lazy,
                 data_dependent_shapes=b.data_dependent_shapes,
                 dtypes=[d.name for d in dtypes.ALL if d in b.dtypes],
                 **{ext: [f for f in fns if b.supports(ext, f)]
                    for ext, fns in DELEGATED.items()})
    return entry


def info() -> dict[str, Any]:
    """What `agrad info` prints, as data."""
    import agrad

    from . import config, dtypes

    backends = [_backend_info(name, target) for name, target in
                sorted(config._registered().items())]
    dot = shutil.which("dot")
    return {
        "agrad": agrad.__version__,
        "location": str(Path(agrad.__file__).parent),
        "python": f"{platform.python_version()} ({platform.python_implementation()}, "
                  f"{sys.executable})",
        "platform": platform.platform(),
        "default_backend": config.current_backend().name,
        "default_dtype": dtypes.get_default_dtype().name,
        "progress": config.get_progress(),
        "libraries": dict(_version(d) for d in LIBRARIES),
        "graphviz_dot": dot,
        "backends": backends,
    }


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _print_info(data: dict[str, Any]) -> None:
    print(f"agrad {data['agrad']} ({data['location']})")
    print(f"Python {data['python']}")
    print(f"platform: {data['platform']}")
    print(f"default backend: {data['default_backend']}   default dtype: "
          f"torch.{data['default_dtype']}   Dask progress: {'on' if data['progress'] else 'off'}")
    libs = ", ".join(f"{k} {v or 'not installed'}" for k, v in data["libraries"].items())
    print(f"libraries: {libs}")
    dot = data["graphviz_dot"]
    print(f"graph pictures: graphviz {data['libraries']['graphviz'] or 'not installed'}, "
          f"Graphviz programs {'at ' + dot if dot else 'not found'}")
    print("backends:")
    for b in data["backends"]:
        if not b["installed"]:
            print(f"  {b['name']:<18} not installed: {b['reason']}")
            continue
        state = f"usable, {b['devices']} device(s)" if b["usable"] else \
            "installed, but no device is available"
        print(f"  {b['name']:<18} {state}; device type '{b['device_type']}'; adapter "
              f"{b['adapter']}")
        print(f"  {'':<18} in place: {_yes(b['in_place'])}, mutable: {_yes(b['mutable'])}, "
              f"views alias: {_yes(b['views_alias'])}, lazy: {_yes(b['lazy'])}, "
              f"data-dependent shapes: {_yes(b['data_dependent_shapes'])}")
        print(f"  {'':<18} dtypes: {' '.join(b['dtypes'])}")
        for ext, fns in DELEGATED.items():
            missing = [f for f in fns if f not in b[ext]]
            print(f"  {'':<18} {ext}: " + ("all of " + " ".join(fns) if not missing else
                                          f"{' '.join(b[ext]) or 'none'} (not: "
                                          f"{' '.join(missing)})"))


# -- the commands that run a checkout's code ----------------------------------------------------

def _checkouts() -> list[Path]:
    """Where a source checkout may be: the one the package was installed from (editable), and
    the current directory."""
    return [Path(__file__).resolve().parents[2], Path.cwd()]


def _checkout(needed: str) -> Path | None:
    for root in _checkouts():
        if (root / needed).exists():
            return root
    print(f"agrad: {needed} is part of agrad's source checkout, not of the installed package, "
          f"and none was found (looked in {', '.join(str(r) for r in _checkouts())}). Run this "
          f"command from a checkout of the agrad repository (or install it from one with "
          f"`pip install -e .`).", file=sys.stderr)
    return None


def _env(backends: list[str] | None, var: str) -> dict[str, str]:
    env = dict(os.environ)
    if backends:
        env[var] = ",".join(backends)
    return env


def bench(backend: str | None, rest: list[str]) -> int:
    """benchmarks/run.py in a fresh interpreter (it pins the BLAS threads before NumPy loads,
    which this process has already imported), on `backend` if given."""
    root = _checkout("benchmarks/run.py")
    if root is None:
        return 2
    return subprocess.call([sys.executable, str(root / "benchmarks" / "run.py"), *rest],
                           env=_env([backend] if backend else None, "AGRAD_BACKEND"))


def conformance(backends: list[str] | None, rest: list[str]) -> int:
    """The conformance suite (`python -m agrad.conformance`, shipped with the package) on the
    chosen backends; the other options are the suite's own."""
    from .conformance.__main__ import main as suite

    return int(suite([*(f"--backend={b}" for b in backends or ()), *rest]))


# -- the parser ---------------------------------------------------------------------------------

def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="agrad", description="agrad: PyTorch's tensor and autograd "
                                "semantics on any Array API backend.")
    sub = p.add_subparsers(dest="command", required=True)
    i = sub.add_parser("info", help="agrad's version, Python, the backends and their "
                                    "capabilities, library versions")
    i.add_argument("--json", action="store_true", help="print it as JSON")
    b = sub.add_parser("bench", help="run benchmarks/run.py (from a source checkout); other "
                                     "options (--quick, --only WORKLOAD, --json PATH, ...) "
                                     "are its own")
    b.add_argument("--backend", help="the agrad backend to measure (AGRAD_BACKEND)")
    c = sub.add_parser("conformance", help="run the conformance suite; other options "
                                           "(--op, --family, --json PATH, ...) are its own")
    c.add_argument("--backend", action="append", metavar="NAME",
                   help="a backend to run the suite on (repeatable; default: "
                        "$AGRAD_TEST_BACKENDS, else numpy)")
    return p


def main(argv: list[str] | None = None) -> int:
    """The console entry point: `agrad COMMAND ...`, returning the exit status."""
    args, rest = parser().parse_known_args(sys.argv[1:] if argv is None else argv)
    if args.command == "info":
        if rest:
            parser().error(f"unrecognized arguments: {' '.join(rest)}")
        data = info()
        if args.json:
            print(json.dumps(data, indent=1))
        else:
            _print_info(data)
        return 0
    if args.command == "bench":
        return bench(args.backend, rest)
    return conformance(args.backend, rest)
