"""Specs: how the conformance suite exercises each row of the op table.

A `Spec` says, for one row (keyed as in `agrad.ops._op.TABLE`), how to call it, which inputs to
draw, its dtype variants, whether it is differentiable, its in-place and `out=` forms and the bad
inputs it must refuse. `call(lib, *args, **kwargs)` is one piece of code for agrad and for torch
(the two share the API), so either can be the reference. `sample(variant, gc)` is a hypothesis
strategy of `Sample`s; `gc=True` asks for what finite differences need: a few elements, values
on a grid away from kinks and ties. Where agrad's face has no PyTorch counterpart of the same
signature (the Array API's `agrad.array_api`), `reference(lib, ...)` is the reference's call:
PyTorch's equivalent, written with the PyTorch API both libraries share (so it also runs on the
NumPy reference, agrad's own PyTorch face in float64), with the standard's semantics spelled
out (its promotion, `axis`/`keepdims`, its results).

Family builders (`unary`, `binary`, `reduction`, `op`) make the specs from the row itself (its
name, namespace, variants); rows reached only through another op (internal kernels, backward
helpers) are `via` that op's spec, and the meta-test checks that running it reaches them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from agrad.ops._op import TABLE, Op
from agrad.ops._variants import _method_names

FLOATS = ("float32", "float64")
INTS = ("int32", "int64")


# -- samples -------------------------------------------------------------------------------------

@dataclass
class Sample:
    """One call's arguments: NumPy arrays become tensors (lists of them, lists of tensors); the
    rest is passed as is. `grad`: positions whose tensors require grad (None: every floating
    array argument)."""

    args: tuple
    kwargs: dict = field(default_factory=dict)
    grad: tuple[int, ...] | None = None

    def __repr__(self) -> str:
        parts = [_show(a) for a in self.args] + [f"{k}={_show(v)}" for k, v in
                                                  self.kwargs.items()]
        return f"({', '.join(parts)})"


def _show(x: Any) -> str:
    if isinstance(x, np.ndarray):
        body = np.array2string(x, precision=6, separator=", ", threshold=40)
        return f"array({body}, dtype={x.dtype})"
    if isinstance(x, (list, tuple)):
        inner = ", ".join(_show(e) for e in x)
        return f"[{inner}]" if isinstance(x, list) else f"({inner}{',' if len(x) == 1 else ''})"
    return repr(x)


@dataclass(frozen=True)
class Raw:
    """An argument passed as the NumPy array itself (from_numpy, from_dlpack), not a tensor."""

    value: np.ndarray

    def __repr__(self) -> str:
        return f"Raw({_show(self.value)})"


@dataclass(frozen=True)
class Bad:
    """A bad input the op must refuse with `exc`: `make(lib)` builds the call's arguments
    (with lib's own creation functions), `call` defaults to the spec's."""

    what: str
    make: Callable[[Any], tuple]
    exc: type
    call: Callable | None = None
    values: bool = False  # found by looking at values: a lazy backend raises when computing
    reference: Callable | None = None  # the reference's call where the spec's has its own


@dataclass(eq=False)
class Spec:
    row: str
    family: str
    call: Callable | None = None
    sample: Callable[[str, bool], Any] | None = None
    variants: tuple[str, ...] = FLOATS
    grad: bool = True
    gradcheck: bool = True
    inplace: Callable | None = None
    out: bool = False
    errors: tuple[Bad, ...] = ()
    needs: tuple[str, ...] = ()      # capabilities: linalg, fft, data_dependent_shapes
    compare: str = "values"          # "values", "meta" (shape/dtype only: empty, random draws)
    torch: bool = True               # torch has the same call (else the NumPy reference)
    tol: float = 1.0                 # scales the dtype's tolerance (ill-conditioned ops)
    via: str | None = None           # an internal row exercised through this spec
    reference: Callable | None = None  # the reference's call, where agrad's has no PyTorch twin
    note: str = ""

    def kinds(self) -> tuple[str, ...]:
        if self.via is not None:
            return ()
        ks = ["forward", "dtype"]
        if self.grad:
            ks += ["backward"] + (["gradcheck"] if self.gradcheck else [])
        if self.inplace is not None:
            ks.append("inplace")
        if self.out:
            ks.append("out")
        if self.errors or refused_dtypes(TABLE[self.row]):
            ks.append("errors")
        return tuple(ks)


SPECS: dict[str, Spec] = {}


def register(spec: Spec) -> Spec:
    assert spec.row not in SPECS, f"two specs for {spec.row}"
    SPECS[spec.row] = spec
    return spec


def family_of(op: Op) -> str:
    """The row's family: the module that declares it (elementwise, reduction, views ...; the
    nn.functional modules are one family) — the module whose code it is, whatever namespace
    the function says it belongs to (the Array API face's rows are one family)."""
    fn = op.forward or op.view or op.impl
    code = getattr(fn, "__globals__", None)
    mod = code["__name__"] if code else getattr(fn, "__module__", None) or op.args.__module__
    if ".nn." in mod:
        return "nn.functional"
    return mod.rsplit(".", 1)[-1].lstrip("_")


def refused_dtypes(op: Op) -> dict:
    """The dtypes whose refusal is observable: the rule computes in the input's own dtype."""
    out = {}
    for d, bad in op.refuse.items():
        try:
            if op.dtype(d)[0] is d:
                out[d] = bad
        except Exception:  # noqa: BLE001 - a rule that itself refuses
            continue
    return out


# -- calling a row -------------------------------------------------------------------------------

def namespace(lib: Any, ns: str) -> Any:
    """`lib.nn.functional` for namespace "agrad.nn.functional" (lib: agrad or torch)."""
    obj = lib
    for part in ns.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def default_call(op: Op) -> Callable:
    """The row's own function, else its method (or attribute) on the first argument."""
    name = op.name
    if op.function and op.namespace not in ("Tensor",):
        ns = op.namespace

        def function(lib: Any, *args: Any, **kwargs: Any) -> Any:
            return getattr(namespace(lib, ns), name)(*args, **kwargs)
        return function
    if op.attribute:
        return lambda lib, x: getattr(x, name)
    method = (_method_names(op) or (name,))[0]
    return lambda lib, x, *args, **kwargs: getattr(x, method)(*args, **kwargs)


def method_inplace(name: str) -> Callable:
    return lambda lib, x, *args, **kwargs: getattr(x, name + "_")(*args, **kwargs)


# -- strategies ----------------------------------------------------------------------------------

def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 3,
           gc: bool = False) -> Any:
    if gc:
        max_dims, max_side = min(max_dims, 2), min(max_side, 3)
        min_dims = min(min_dims, max_dims)
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max(min_side, max_side))


def elements(dt: str, domain: tuple[float, float] = (-3.0, 3.0), gc: bool = False,
             offset: int = 0, nonzero: bool = False) -> Any:
    """Values of dtype `dt` in `domain`. For gradcheck (`gc`): a grid k/10 + 0.05 + offset/100,
    never an integer, a half or zero, and distinct between arrays of other offsets."""
    lo, hi = domain
    if dt == "bool":
        return st.just(True) if nonzero else st.booleans()
    if dt.startswith(("int", "uint")):
        lo_i = max(int(math.ceil(lo)), 0 if dt.startswith("u") else -100)
        ints = st.integers(lo_i, max(lo_i, int(math.floor(hi))))
        return ints.filter(lambda v: v != 0) if nonzero else ints
    if gc:
        k_lo, k_hi = int(math.ceil(lo * 10)), int(math.floor(hi * 10)) - 1
        return st.integers(k_lo, max(k_lo, k_hi)).map(
            lambda k: round(k / 10 + 0.05 + offset / 100, 4))
    width = 16 if dt == "float16" else 32 if dt in ("float32", "complex64") else 64
    lo, hi = _representable(lo, hi, width)
    fl = st.floats(lo, hi, width=width, allow_nan=False, allow_infinity=False,
                   allow_subnormal=False)
    fl = fl.filter(lambda v: abs(v) > 1e-3) if nonzero else fl
    if dt.startswith("complex"):
        lo, hi = _representable(lo, hi, width // 2)
        part = st.floats(lo, hi, width=width // 2, allow_nan=False, allow_subnormal=False)
        return st.builds(complex, part, part)
    return fl


def _representable(lo: float, hi: float, width: int) -> tuple[float, float]:
    """The bounds moved inward to the nearest floats of `width` bits (hypothesis insists)."""
    t = {16: np.float16, 32: np.float32}.get(width)
    if t is None:
        return float(lo), float(hi)
    a, b = t(lo), t(hi)
    a = a if a >= lo else np.nextafter(a, t(np.inf))
    b = b if b <= hi else np.nextafter(b, t(-np.inf))
    return float(a), float(b)


def array(dt: str, shape: Any = None, domain: tuple[float, float] = (-3.0, 3.0),
          gc: bool = False, offset: int = 0, unique: bool = False, nonzero: bool = False) -> Any:
    """A NumPy array strategy; `shape` a strategy or a fixed tuple."""
    shape = shapes(gc=gc) if shape is None else shape
    return hnp.arrays(np.dtype(dt), shape, elements=elements(dt, domain, gc, offset, nonzero),
                      unique=unique or gc)


def sample(*args: Any, grad: tuple[int, ...] | None = None, **kwargs: Any) -> Any:
    """A Sample strategy from argument strategies (plain values are taken as they are)."""
    def wrap(v: Any) -> Any:
        return v if isinstance(v, st.SearchStrategy) else st.just(v)
    return st.builds(lambda a, k: Sample(tuple(a), dict(k), grad),
                     st.tuples(*map(wrap, args)),
                     st.fixed_dictionaries({k: wrap(v) for k, v in kwargs.items()}))


def dtypes_of(variant: str) -> list[str]:
    """The dtypes a variant label names ("float32", "int32,float64", "float32,scalar"; a tag
    after a colon names a kind of input: "float32:mask")."""
    return [d for d in variant.partition(":")[0].split(",") if d not in ("scalar", "")]


# -- builders ------------------------------------------------------------------------------------

def op(row: str, sample_fn: Callable[[str, bool], Any] | None = None, *,
       call: Callable | None = None, inplace: Callable | bool | None = None,
       out: bool | None = None, **kw: Any) -> Spec:
    """A spec for `row`: its own call, in-place and `out=` forms unless told otherwise."""
    o = TABLE[row]
    if inplace is None:
        inplace = o.inplace
    if inplace is True:
        inplace = method_inplace(o.name)
    kw.setdefault("grad", o.backward is not None or o.impl is not None)
    return register(Spec(row, family_of(o), call or default_call(o), sample_fn,
                         inplace=inplace or None, out=o.out if out is None else out, **kw))


def via(row: str, through: str, note: str = "") -> Spec:
    """An internal row, exercised by `through`'s spec (the meta-test checks that it is)."""
    return register(Spec(row, family_of(TABLE[row]), via=through, note=note))


def unary(row: str, domain: tuple[float, float] = (-3.0, 3.0), *,
          variants: tuple[str, ...] = FLOATS, **kw: Any) -> Spec:
    """An elementwise op of one tensor."""
    def s(v: str, gc: bool) -> Any:
        return sample(array(v, domain=domain, gc=gc))
    kw.setdefault("errors", ())
    return op(row, s, variants=variants, **kw)


def broadcast_pair(gc: bool) -> Any:
    return hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2 if gc else 3,
                                             max_side=3).map(lambda b: b.input_shapes)


BINARY_VARIANTS = ("float32", "float64", "int32,float32", "float32,scalar")


def binary(row: str, domains: Sequence[tuple[float, float]] = ((-3, 3), (-3, 3)), *,
           variants: tuple[str, ...] = BINARY_VARIANTS, nonzero: bool = False,
           kwargs: dict | None = None, **kw: Any) -> Spec:
    """An elementwise op of two operands (broadcast shapes; a Python scalar second operand in
    the "...,scalar" variants); `nonzero`: the second operand is never zero."""
    extra = dict(kwargs or {})

    def s(v: str, gc: bool) -> Any:
        ds = dtypes_of(v)
        da, db = (ds[0], ds[-1])
        a_dom, b_dom = domains

        def build(sh: tuple) -> Any:
            a = array(da, sh[0], a_dom, gc)
            if v.endswith("scalar"):
                b = elements("float64" if da.startswith("float") else "int64", b_dom, gc, 1,
                             nonzero).map(lambda x: float(x) if da.startswith("float") else x)
            else:
                b = array(db, sh[1], b_dom, gc, offset=1, nonzero=nonzero)
            return sample(a, b, **extra)
        return broadcast_pair(gc).flatmap(build)

    mismatch = Bad("shapes that do not broadcast",
                   lambda lib: (lib.ones(2, 3), lib.ones(4)), RuntimeError)
    kw.setdefault("errors", (mismatch,))
    return op(row, s, variants=variants, **kw)


def dims_for(shape: tuple, multi: bool = True, none: bool = True) -> Any:
    """A `dim` argument for `shape`: None, an int (negative too), or a tuple of distinct dims."""
    n = len(shape)
    options = [st.none()] if none else []
    if n:
        options.append(st.integers(-n, n - 1))
        if multi:
            options.append(st.lists(st.integers(0, n - 1), min_size=1, max_size=n,
                                    unique=True).map(tuple))
    elif not none:
        options.append(st.sampled_from([0, -1]))
    return st.one_of(options)


def reduction(row: str, domain: tuple[float, float] = (-3.0, 3.0), *, multi: bool = True,
              none: bool = True, keepdim: bool = True, variants: tuple[str, ...] = FLOATS,
              kwargs: dict | None = None, unique: bool = False, **kw: Any) -> Spec:
    """A reduction `f(x, dim, keepdim)`; dims drawn for the drawn shape."""
    extra = kwargs or {}

    def s(v: str, gc: bool) -> Any:
        def build(sh: tuple) -> Any:
            x = array(v, sh, domain, gc, unique=unique)
            args = dict(extra)
            if keepdim:
                args["keepdim"] = st.booleans()
            # no dim: the call without one (`prod(x, dim=None)` is PyTorch's TypeError)
            return dims_for(sh, multi, none).flatmap(
                lambda d: sample(x, **extra) if d is None else sample(x, dim=d, **args))
        # gradcheck: at least two elements per reduced set (a spread, for var/std)
        return shapes(min_dims=0 if none and not gc else 1, min_side=2 if gc else 1,
                      gc=gc).flatmap(build)

    c = kw.get("call") or default_call(TABLE[row])
    kw.setdefault("errors", (Bad("a dim out of range", lambda lib: (lib.ones(2, 3),), IndexError,
                                 call=lambda lib, x: c(lib, x, dim=5)),))
    return op(row, s, variants=variants, **kw)
