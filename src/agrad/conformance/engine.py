"""The per-op checks, run for every spec of the registry on one backend.

For each dtype variant of a spec, hypothesis draws `examples` inputs; each is run on the backend
under test and on the reference, and checked for:

- forward: the same values (or the same exception type) as the reference;
- dtype: the result dtypes the reference gives (PyTorch's promotion), arrays that really are of
  the dtype their tensor claims (a backend that computes float64 in float32 fails here), results
  on the backend's device;
- backward: the gradients of a fixed weighted sum of the outputs, and PyTorch's grad_fn names;
- inplace: `x.op_(...)` on a tensor and through a view (the base sees exactly the write);
- out: `op(..., out=o)` writes into `o` and returns it.

Per spec, once: gradcheck (finite differences on a small grid sample, float64 where the backend
has it), and errors (the bad inputs the spec lists, the dtypes the row refuses, tensors on two
devices). A check that needs a dtype or capability the backend declares missing is reported as
not supported (declared), with what is missing, never skipped quietly.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings

import agrad
from agrad.adapter import BackendLacks
from agrad.ops._op import TABLE

from . import reference as R
from .report import FAILED, PASSED, UNSUPPORTED, Result
from .spec import Sample, Spec, dtypes_of, refused_dtypes


@dataclass
class Options:
    examples: int = 3
    gradcheck_examples: int = 1
    reference: str | None = None       # "torch" | "numpy" | None (torch where installed)
    kinds: tuple[str, ...] | None = None
    variants: tuple[str, ...] | None = None
    repro: str = ""                    # the command line prefix that reruns this backend

    def hypothesis(self, n: int) -> settings:
        return settings(max_examples=n, derandomize=True, database=None, deadline=None,
                        phases=(Phase.explicit, Phase.generate), print_blob=False,
                        suppress_health_check=list(HealthCheck))


def capability(backend: Any, name: str) -> bool:
    """Whether the backend has a capability ("library:x": whether x can be imported)."""
    if name.startswith("library:"):
        import importlib.util

        return importlib.util.find_spec(name.partition(":")[2]) is not None
    return bool(getattr(backend, name, False))


def builtin_type(e: BaseException) -> type:
    """The first builtin exception class of e's type (torch's LinAlgError is a RuntimeError)."""
    for cls in type(e).__mro__:
        if cls.__module__ == "builtins":
            return cls
    return type(e)


def describe(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}".strip()


class OpChecks:
    """The checks of one spec on one backend (see the module docstring)."""

    def __init__(self, backend: Any, spec: Spec, opts: Options) -> None:
        self.backend, self.spec, self.opts = backend, spec, opts
        self.test = R.Library(agrad, backend.name)
        torch_ok = spec.torch and opts.reference != "numpy"
        self.ref = R.reference(opts.reference if torch_ok else "numpy")
        self.ref_call = spec.reference or spec.call
        # the NumPy reference computes values in float64: its dtypes come from a same-dtype run
        self.ref_dtypes = self.ref if self.ref.lib is not agrad else R.Library(agrad, "numpy")
        self.results: list[Result] = []
        self.first: Sample | None = None

    # -- bookkeeping ---------------------------------------------------------------------------
    def result(self, kind: str, status: str, variant: str = "", detail: str = "",
               example: str = "", seconds: float = 0.0) -> None:
        repro = ""
        if status == FAILED and self.opts.repro:
            repro = f"{self.opts.repro} --op {self.spec.row} --check {kind}" + (
                f" --variant {variant}" if variant else "")
        self.results.append(Result(self.spec.family, self.spec.row, kind, status, variant,
                                   detail, example, repro, round(seconds, 3)))

    def wanted(self, kinds: tuple[str, ...]) -> tuple[str, ...]:
        sel = self.opts.kinds
        return tuple(k for k in kinds if sel is None or k in sel)

    def missing(self, variant: str) -> str | None:
        lacks = [d for d in dtypes_of(variant)
                 if getattr(agrad, d) not in self.backend.dtypes]
        return f"{', '.join(lacks)} (declared)" if lacks else None

    # -- the run -------------------------------------------------------------------------------
    def run(self) -> list[Result]:
        with warnings.catch_warnings():  # the libraries' own warnings (nan, deprecations)
            warnings.simplefilter("ignore")
            return self._run()

    def _run(self) -> list[Result]:
        spec = self.spec
        kinds = self.wanted(spec.kinds())
        lacking = [c for c in spec.needs if not capability(self.backend, c)]
        if lacking:
            why = ", ".join(c.partition(":")[2] + " (not installed)" if ":" in c else
                            c + " (declared)" for c in lacking)
            for k in kinds:
                self.result(k, UNSUPPORTED, detail=why)
            return self.results
        per_example = [k for k in kinds if k not in ("gradcheck", "errors")]
        variants = [v for v in spec.variants
                    if self.opts.variants is None or v in self.opts.variants]
        for v in variants:
            if per_example:
                self.run_variant(v, per_example)
        if "gradcheck" in kinds:
            self.run_gradcheck()
        if "errors" in kinds:
            self.run_errors()
        return self.results

    def run_variant(self, variant: str, kinds: list[str]) -> None:
        why = self.missing(variant)
        if why is not None:
            for k in kinds:
                self.result(k, UNSUPPORTED, variant, why)
            return
        state: dict[str, tuple] = {}
        start = time.perf_counter()

        @self.opts.hypothesis(self.opts.examples)
        @given(self.spec.sample(variant, False))
        def body(s: Sample) -> None:
            if self.first is None:
                self.first = s
            if all(k in state for k in kinds):
                return
            try:
                self.example(s, [k for k in kinds if k not in state], state)
            except BackendLacks as e:
                self.unsupported(e, [k for k in kinds if k not in state], state, s)

        body()
        seconds = (time.perf_counter() - start) / max(len(kinds), 1)
        for k in kinds:
            status, detail, example = state.get(k, (PASSED, "", ""))
            self.result(k, status, variant, detail, example, seconds)

    def unsupported(self, e: BackendLacks, kinds: list[str], state: dict, s: Sample) -> None:
        if not e.declared_by(self.backend):  # raised for what the backend claims: a failure
            for k in kinds:
                state[k] = (FAILED, describe(e), repr(s))
            return
        for k in kinds:
            state[k] = (UNSUPPORTED, f"{e.lacking} (declared)", "")

    def example(self, s: Sample, kinds: list[str], state: dict) -> None:
        spec = self.spec
        grad = spec.grad and "backward" in kinds
        got = self.test.run(spec.call, s, grad)
        ref = self.ref.run(self.ref_call, s, grad)
        ref_dt = ref if self.ref_dtypes is self.ref else self.ref_dtypes.run(self.ref_call, s,
                                                                             False)
        checks: dict[str, Callable] = {
            "forward": lambda: self.check_forward(got, ref, ref_dt),
            "dtype": lambda: self.check_dtype(got, ref_dt),
            "backward": lambda: self.check_backward(got, ref),
            "inplace": lambda: self.check_inplace(s),
            "out": lambda: self.check_out(s, ref, ref_dt),
        }
        for k in kinds:
            try:
                checks[k]()
            except BackendLacks:
                raise
            except R.Unsupported as u:
                state[k] = (UNSUPPORTED, str(u), "")
            except Exception as e:  # noqa: BLE001 - a failed check, recorded with its input
                state[k] = (FAILED, describe(e) if not isinstance(e, AssertionError)
                            else str(e), repr(s))

    # -- the per-example checks ----------------------------------------------------------------
    def check_forward(self, got: R.Run, ref: R.Run, ref_dt: R.Run) -> None:
        if ref.raised is not None:
            want = builtin_type(ref.raised)
            assert got.raised is not None, (
                f"the reference raised {describe(ref.raised)}; the backend returned a result")
            assert isinstance(got.raised, want), (
                f"raised {describe(got.raised)}; the reference raised {describe(ref.raised)}")
            return
        if got.raised is not None:
            raise AssertionError(f"raised {describe(got.raised)}; the reference returned a "
                                 f"result") from got.raised
        assert len(got.values) == len(ref.values), (
            f"{len(got.values)} outputs, the reference has {len(ref.values)}")
        for i, (g, w) in enumerate(zip(got.values, ref.values)):
            dt = got.dtypes[i] or ref_dt.dtypes[i]
            if self.spec.compare == "meta" and isinstance(w, np.ndarray):
                assert g.shape == w.shape, f"output {i}: shape {g.shape} != {w.shape}"
                continue
            R.assert_values(g, w, dt, self.spec.tol, f"output {i} value")

    def check_dtype(self, got: R.Run, ref: R.Run) -> None:
        if ref.raised is not None or got.raised is not None:
            return
        assert got.dtypes == ref.dtypes, f"result dtypes {got.dtypes}, expected {ref.dtypes}"
        from agrad.ops._dispatch import read

        dev = agrad.device(self.backend.device_type)
        for i, o in enumerate(got.outputs):
            if not isinstance(o, agrad.Tensor):
                continue
            be = o._storage.backend
            if be is self.backend or o.device == dev:
                actual = be.dtype_of(read(o))
                assert actual is o.dtype, (
                    f"output {i} claims {o.dtype} but its {be.name} array is {actual} "
                    f"(a dtype computed in another one)")

    def check_backward(self, got: R.Run, ref: R.Run) -> None:
        if ref.raised is not None or got.raised is not None:
            return
        rg = [o.requires_grad if R.is_tensor(o) else None for o in got.outputs]
        wg = [o.requires_grad if R.is_tensor(o) else None for o in ref.outputs]
        assert rg == wg, f"outputs' requires_grad {rg}, the reference's {wg}"
        if self.ref.lib is not agrad and TABLE[self.spec.row].impl is None:
            # a row that declares its node must name it as PyTorch does (composites are made of
            # other rows' nodes: their names are those rows', checked there)
            assert got.grad_fns == ref.grad_fns, f"grad_fn {got.grad_fns}, torch: {ref.grad_fns}"
        if ref.grads is None:
            assert got.grads is None or all(g is None for g in got.grads), "unexpected gradient"
            return
        assert got.grads is not None, "no gradient"
        for i, (g, w) in enumerate(zip(got.grads, ref.grads)):
            if w is None or g is None:  # no gradient is a zero gradient
                assert not np.any(g) and not np.any(w), (
                    f"gradient {i}: {g!r}, the reference's: {w!r}")
                continue
            R.assert_values(g, w, R.dtype_name(got.leaves[i]), 10 * self.spec.tol,
                            f"gradient {i}")

    def _inplace(self, lib: R.Library, s: Sample, through_view: bool) -> tuple:
        """(result, self, raised, base) of the in-place call on lib (through a view of a
        two-row base when asked)."""
        with lib.active():
            args, kwargs, _ = lib.args(s, False)
            x = args[0]
            base = None
            if through_view:
                base = lib.lib.stack([x.clone(), x.clone()])
                x = base[1]
            try:
                r = self.spec.inplace(lib.lib, x, *args[1:], **kwargs)
            except BackendLacks:
                raise
            except Exception as e:  # noqa: BLE001 - compared with the reference's
                return None, x, e, base
            return r, x, None, base

    def check_inplace(self, s: Sample) -> None:
        if not isinstance(s.args[0], np.ndarray):
            return
        ref = self.ref_dtypes
        wr, wx, werr, _ = self._inplace(ref, s, False)
        gr, gx, gerr, _ = self._inplace(self.test, s, False)
        if werr is not None:
            assert gerr is not None and isinstance(gerr, builtin_type(werr)), (
                f"in place: {describe(gerr) if gerr else 'no error'}; the reference raised "
                f"{describe(werr)}")
            return
        if gerr is not None:
            raise AssertionError(f"in place raised {describe(gerr)}") from gerr
        assert gr is gx, "the in-place call did not return its self"
        want, got = R.host_values([wx])[0], R.host_values([gx])[0]
        R.assert_values(got, want, R.dtype_name(gx), self.spec.tol, "in-place value")
        if TABLE[self.spec.row].view is not None:  # x.t_(): a new layout, no values written
            return
        _, vx, verr, base = self._inplace(self.test, s, True)
        if verr is not None:
            raise AssertionError(f"in place through a view raised {describe(verr)}") from verr
        b = R.host_values([base])[0]
        R.assert_values(np.asarray(b[1]), want, R.dtype_name(vx), self.spec.tol,
                        "value written through a view (seen in its base)")
        R.assert_values(np.asarray(b[0]), s.args[0].astype(b.dtype), R.dtype_name(vx), 1.0,
                        "untouched half of the base")

    def check_out(self, s: Sample, ref: R.Run, ref_dt: R.Run) -> None:
        if ref.raised is not None or len(ref.values) != 1 or not R.is_tensor(ref.outputs[0]):
            return
        want, dt = ref.values[0], ref_dt.dtypes[0]
        if getattr(agrad, dt) not in self.backend.dtypes:
            raise R.Unsupported(f"{dt} (declared)")
        with self.test.active():
            args, kwargs, _ = self.test.args(s, False)
            o = agrad.empty(want.shape, dtype=getattr(agrad, dt))
            r = self.spec.call(agrad, *args, out=o, **kwargs)
        assert r is o, "out= did not return the out tensor"
        got = R.host_values([o])[0]
        if self.spec.compare == "meta":
            assert got.shape == want.shape, f"out= shape {got.shape} != {want.shape}"
            return
        R.assert_values(got, want, dt, self.spec.tol, "out= value")

    # -- once per spec ----------------------------------------------------------------------------
    def grad_variant(self) -> tuple[str, str | None]:
        """The dtype gradcheck runs in: float64 where the backend has it, else float32."""
        if agrad.float64 in self.backend.dtypes:
            return "float64", None
        if agrad.float32 in self.backend.dtypes:
            return "float32", "float64 (declared): gradcheck in float32"
        return "", "float64, float32 (declared)"

    def run_gradcheck(self) -> None:
        dt, note = self.grad_variant()
        if not dt:
            self.result("gradcheck", UNSUPPORTED, "", note or "")
            return
        variant = next((v for v in self.spec.variants
                        if all(d.startswith("float") for d in dtypes_of(v))), None)
        if variant is None:
            return
        cast = np.float64 if dt == "float64" else np.float32
        eps, tol = (1e-6, 1e-5) if dt == "float64" else (1e-3, 2e-2)
        failure: list[tuple[str, str]] = []
        start = time.perf_counter()

        @self.opts.hypothesis(self.opts.gradcheck_examples)
        @given(self.spec.sample(variant, True))
        def body(s: Sample) -> None:
            if failure:
                return
            s = Sample(_cast_floats(s.args, cast), _cast_floats(s.kwargs, cast), s.grad)
            try:
                self.gradcheck(s, eps, tol)
            except BackendLacks as e:
                if e.declared_by(self.backend):
                    failure.append((UNSUPPORTED, f"{e.lacking} (declared)"))
                else:
                    failure.append((FAILED, describe(e), repr(s)))
            except Exception as e:  # noqa: BLE001
                failure.append((FAILED, describe(e), repr(s)))

        body()
        secs = time.perf_counter() - start
        if failure:
            status, detail, *ex = failure[0]
            self.result("gradcheck", status, dt, detail, ex[0] if ex else "", secs)
        else:
            self.result("gradcheck", PASSED, dt, note or "", seconds=secs)

    def gradcheck(self, s: Sample, eps: float, tol: float) -> None:
        with self.test.active():
            _, _, leaves = self.test.args(s, True)
            if not leaves:
                return

            def f(*ts: Any) -> Any:
                supply = iter(ts)
                args = tuple(_substitute(a, supply, s.grad is None or i in s.grad)
                             for i, a in enumerate(s.args))
                kwargs = {k: self.test.convert(v, False, []) for k, v in s.kwargs.items()}
                out = [o for o in R.flatten(self.spec.call(agrad, *args, **kwargs))
                       if R.is_tensor(o) and o.requires_grad]
                # a complex output is checked through its real and imaginary parts
                return tuple(p for o in out for p in ((o.real, o.imag) if o.is_complex()
                                                      else (o,)))

            agrad.autograd.gradcheck(f, tuple(leaves), eps=eps, atol=tol, rtol=tol * 100)

    def run_errors(self) -> None:
        start = time.perf_counter()
        problems: list[str] = []
        torch = self.ref.lib if self.ref.lib is not agrad else None
        lazy = [b for b in self.spec.errors if b.values and self.backend.lazy]
        for bad in lazy:
            self.result("errors", UNSUPPORTED, "values", "lazy (declared): errors that depend "
                        f"on values are raised when they are computed ({bad.what})")
        try:
            with self.test.active():
                for bad in self.spec.errors:
                    if bad not in lazy:
                        problems += self.refusal(bad, torch)
                problems += self.refused_dtypes()
                problems += self.two_devices()
        except R.Unsupported as u:
            self.result("errors", UNSUPPORTED, "", str(u))
            return
        except BackendLacks as e:
            if not e.declared_by(self.backend):
                raise
            self.result("errors", UNSUPPORTED, "", f"{e.lacking} (declared)")
            return
        secs = time.perf_counter() - start
        if problems:
            self.result("errors", FAILED, "", "\n".join(problems), seconds=secs)
        else:
            self.result("errors", PASSED, seconds=secs)

    def refusal(self, bad: Any, torch: Any) -> list[str]:
        call = bad.call or self.spec.call
        want = bad.exc
        # torch is asked with the same call, or the bad input's own reference call; a face
        # torch lacks (the Array API's) is held to the exception its spec names
        ask = bad.reference or (call if self.spec.reference is None else None)
        if torch is not None and ask is not None:
            try:
                ask(torch, *bad.make(torch))
                return [f"{bad.what}: torch accepts it (the spec is wrong)"]
            except Exception as e:  # noqa: BLE001
                want = builtin_type(e)
        try:
            call(agrad, *bad.make(agrad))
        except BackendLacks as e:
            if e.declared_by(self.backend):
                raise R.Unsupported(f"{e.lacking} (declared)") from e
            return [f"{bad.what}: raised {describe(e)}, expected {want.__name__}"]
        except Exception as e:  # noqa: BLE001
            if isinstance(e, want):
                return []
            return [f"{bad.what}: raised {describe(e)}, expected {want.__name__}"]
        return [f"{bad.what}: no error, expected {want.__name__}"]

    def refused_dtypes(self) -> list[str]:
        """Each dtype the row refuses (PyTorch has no kernel): the same exception and message."""
        s = self.first
        if s is None:
            return []
        out = []
        for d, (exc, msg, _) in refused_dtypes(TABLE[self.spec.row]).items():
            if d not in self.backend.dtypes:
                continue
            cast = _cast_arrays(s, d.name)
            if cast is None:
                continue
            args, kwargs, _ = self.test.args(cast, False)
            try:
                self.spec.call(agrad, *args, **kwargs)
                out.append(f"{d}: no error, expected {exc.__name__}: {msg}")
            except Exception as e:  # noqa: BLE001
                if not isinstance(e, exc) or str(e) != msg:
                    out.append(f"{d}: raised {describe(e)}, expected {exc.__name__}: {msg}")
        return out

    def two_devices(self) -> list[str]:
        """Tensor operands on two devices: PyTorch's RuntimeError."""
        s = self.first
        if s is None:
            return []
        pos = [i for i, a in enumerate(s.args) if isinstance(a, np.ndarray)]
        if len(pos) < 2 or s.args[pos[1]].ndim == 0:
            return []
        other = "numpy_writeback" if self.backend.name == "numpy" else "numpy"
        args, kwargs, _ = self.test.args(s, False)
        args = list(args)
        with agrad.backend(other):
            args[pos[1]] = agrad.tensor(s.args[pos[1]])
        try:
            self.spec.call(agrad, *args, **kwargs)
        except RuntimeError:
            return []
        except Exception as e:  # noqa: BLE001
            return [f"operands on two devices: raised {describe(e)}, expected RuntimeError"]
        return ["operands on two devices: no error, expected RuntimeError"]


@contextlib.contextmanager
def tracing() -> Iterator[set]:
    """The op-table rows whose forward (or view step) runs inside the block: how the meta-test
    checks that a spec `via` another reaches its internal row."""
    seen: set[str] = set()
    patched = []
    for key, row in TABLE.items():
        for attr in ("forward", "view", "bool_forward"):
            fn = getattr(row, attr)
            if fn is not None:
                setattr(row, attr, _recording(fn, key, seen))
                patched.append((row, attr, fn))
    try:
        yield seen
    finally:
        for row, attr, fn in patched:
            setattr(row, attr, fn)


def _recording(fn: Callable, key: str, seen: set) -> Callable:
    def f(*args: Any) -> Any:
        seen.add(key)
        return fn(*args)
    return f


def reached(spec: Spec, backend: str = "numpy") -> set[str]:
    """The rows one run of `spec` (a sample of each variant, forward and backward) reaches."""
    opts = Options(examples=12, kinds=("forward", "backward"))
    with tracing() as seen:
        OpChecks(agrad.get_backend(backend), spec, opts).run()
    return seen


def _cast_floats(x: Any, dt: Any) -> Any:
    if isinstance(x, np.ndarray):
        return x.astype(dt) if x.dtype.kind == "f" else x
    if isinstance(x, list):
        return [_cast_floats(e, dt) for e in x]
    if isinstance(x, tuple):
        return tuple(_cast_floats(e, dt) for e in x)
    if isinstance(x, dict):
        return {k: _cast_floats(v, dt) for k, v in x.items()}
    return x


def _cast_arrays(s: Sample, name: str) -> Sample | None:
    """The sample with its floating/integer arrays in dtype `name` (None: no array to cast)."""
    seen = []

    def cast(x: Any) -> Any:
        if isinstance(x, np.ndarray) and x.dtype.kind in "fiub":
            seen.append(x)
            return np.asarray(x > 0) if name == "bool" else x.astype(name)
        return x
    args = tuple(cast(a) for a in s.args)
    return Sample(args, s.kwargs, s.grad) if seen else None


def _substitute(x: Any, supply: Any, grad: bool) -> Any:
    """Rebuild an argument with the given leaves in place of its floating arrays."""
    if isinstance(x, np.ndarray):
        if grad and x.dtype.kind in "fc":
            return next(supply)
        return agrad.tensor(x)
    if isinstance(x, list):
        return [_substitute(e, supply, grad) for e in x]
    if isinstance(x, tuple):
        return tuple(_substitute(e, supply, grad) for e in x)
    return x
