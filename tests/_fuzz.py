"""The differential fuzzer's engine: random PyTorch programs run line by line under agrad and
under torch, with every observable compared after every line.

Why generated programs and not a `RuleBasedStateMachine`: each step is one line of PyTorch
source, executed verbatim in two namespaces (`torch` bound to agrad in one, to PyTorch in the
other). So a failing example prints as a standalone reproducer; the same generator runs from a
Hypothesis draw (shrinking, the CI profile) or from a plain seeded RNG (`python tests/_fuzz.py`:
long hunts that collect every distinct discrepancy, each shrunk, instead of stopping at the
first); and a step can look at the live torch state (shapes, values, layouts, aliasing) when it
picks its arguments, which rules and bundles express awkwardly.

What is compared after each step (`Lockstep`): whether the step raises, with the exception's
type and message (addresses normalised); for every live name its type, shape, dtype, values,
requires_grad, is_leaf, grad_fn name, stride/is_contiguous/storage_offset and `.grad`; and the
log the hooks append to. A failing step must leave both states equal, so the check runs after
errors too. agrad's values are read with one `agrad.compute` per step (Dask computes its graph
once), not `_oracle.vals` per tensor; float64 is compared to rtol 1e-7 (float32, or anything a
float32 value may have reached, to rtol 1e-5 and atol 1e-4: see TOLERANCE), integers and bools
exactly.

Not compared, on purpose: which gradient tensors PyTorch hands out as aliases of each other
(autograd.grad's results are never written), their layouts, and the order in which hooks of
different tensors run.

`KNOWN_GAPS` lists agrad's known discrepancies from PyTorch; while an entry is there the
generator avoids that exact pattern (or skips that one observable), so the suite stays green.
Deleting an entry re-enables it; `AGRAD_FUZZ_GAPS=none` disables them all for a run.
"""

from __future__ import annotations

import os
import random
import re
import sys
import warnings
from dataclasses import dataclass, field

import numpy as np
import torch

import agrad

# -- the known gaps: each is consulted in one place (grep its name) -------------------------------

KNOWN_GAPS = {
    "result_layout": "(8.6) agrad keeps the operands' stride order (TensorIterator's "
                     "permutation and fast setup; copies keep dense strides), but the strides "
                     "PyTorch gives size-1 dims of an elementwise result come from its dim "
                     "coalescing (0, or another dim's; (1, 0) for `t * 2` of a (n, 1) tensor) "
                     "and agrad gives them their row-major place, also when it takes its "
                     "row-major shortcut for operands plain but for size-1 dims: a result whose "
                     "torch layout is not row-major has its layout unchecked, and nothing "
                     "layout-dependent (view, reshape, flatten, contiguous) is applied to it",
    "grad_fn_names": "(8.7) grad_fn names of composite ops: the pairs in GRAD_FN_NAME_GAPS, and "
                     "any name on a gradient computed with create_graph",
    "empty_tensor_layout": "(8.7) the strides of empty elementwise results (PyTorch's "
                           "permutation over size-0 dims, e.g. (1, 1, 1) for a (1, 3, 0) "
                           "reciprocal) differ: strides of empty tensors are not compared, and "
                           "nothing layout-dependent (view, reshape, contiguous) applied to them",
    "constant_double_backward": "(F12) with create_graph, whether a gradient requires grad "
                                "differs where it is constant: through relu/abs/clamp/max/min "
                                "agrad's does not (PyTorch's does, with zero second derivative), "
                                "through overwritten regions and prod of one element agrad's "
                                "does, as through a regenerated view of an empty tensor "
                                "(PyTorch's AsStridedBackward0 gives zeros); and norm(1)'s "
                                "second derivative is PyTorch's ZeroTensor, which a later "
                                "tolist() or accumulation into .grad refuses: no create_graph "
                                "through such nodes (CONSTANT_GRADS)",
    "non_finite_reductions": "(F14a) var/std of one element is nan; with create_graph PyTorch's "
                             "gradient of it is a constant (requires_grad False), agrad's a "
                             "graph: no reduction with a non-finite result",
    "write_grad_into_integer": "(F24b) PyTorch marks an int/bool tensor that fill_, set_item "
                               "or index_put_ wrote a value requiring grad into as requiring "
                               "grad (FillBackward3/CopySlices/IndexPutBackward0; its backward "
                               "then fails an internal assert); agrad leaves it a constant, as "
                               "copy_ does in both: not generated",
    "error_message_wording": "(F33) errors raised by both with other words or by another check "
                             "first: the pairs in MESSAGE_GAPS",
    "overlap_too_hard": "(F19) an operand aliasing the target in a layout PyTorch's overlap "
                        "check calls too hard (not dense: a column of the target) is read as "
                        "PyTorch's kernel writes, so later elements see new values; agrad reads "
                        "the values from before the write: no non-dense alias of the target as "
                        "an operand",
    "unversioned_write": "a write into a storage that a `.data` alias shares (its own version "
                         "counter: the write is hidden from autograd, as PyTorch documents) "
                         "leaves backward to compute with the new values by its own formulas: "
                         "PyTorch's prod divides the saved result by the input, agrad's "
                         "division-free one reads only the input: storages with a `.data` "
                         "alias are not written",
    "distinct_values_into_aliases": "(8.5) a tensor value assigned into an expanded tensor "
                                    "writes several values to one element: PyTorch keeps the "
                                    "last its kernel's loop writes (an order it does not "
                                    "define, and warns that the use is deprecated), agrad the "
                                    "first in the view's order: only numbers are assigned into "
                                    "a tensor with internal overlap",
    "refused_dirty_view": "a custom Function's mark_dirty of a view it may not write (of a "
                          "leaf, a multi-output view's) is refused by both, but PyTorch first "
                          "resets the view's .grad and drops its hooks; agrad leaves every "
                          "tensor as it was: views that retain grad or have hooks are not "
                          "written by Triple_",
    "hook_after_refused_hook": "PyTorch's register_hook makes the tensor's hook dict before "
                               "it reads grad_fn, which a stale multi-output view refuses: "
                               "later register_hook calls on that tensor succeed, and their "
                               "hooks never run; agrad refuses each: no register_hook after "
                               "a refused one",
    "leaf_view_rebased": "(8.7c) a view made a leaf requiring grad (v.requires_grad_()) whose "
                         "storage is then written: PyTorch rebases it on its base, so a later "
                         "backward finds the 'leaf variable has been moved into the graph "
                         "interior'; agrad keeps it a leaf: storages holding one are not "
                         "written",
}

# (PyTorch's grad_fn name, agrad's) where agrad spells a composite op's node differently
GRAD_FN_NAME_GAPS = frozenset({
    ("FillBackward2", "FillBackward0"),
})

_VERSION = r"RuntimeError: one of the variables needed for gradient computation has been " \
           r"modified by an inplace operation: .*"
_FREED = r"RuntimeError: Trying to backward through the graph a second time .*"
# (PyTorch's "Type: message", agrad's) regexes of errors both raise, worded differently
MESSAGE_GAPS = (
    # the culprit and version numbers: custom Function outputs, mark_dirty
    (_VERSION, _VERSION),
    (_VERSION, _FREED),  # which of two failing nodes backward reaches first
    (_FREED, _VERSION),
    # an in-place op's argument check (alpha, after the operands' shapes) comes before the
    # checks of the written tensor (its memory, its shape) in agrad
    (r"RuntimeError: (unsupported operation: (some elements of the input tensor|more than one "
     r"element of the written-to tensor)|output with shape) .*",
     r"RuntimeError: (For integral input tensors, argument alpha|Boolean alpha|The size of "
     r"tensor a) .*"),
)


def active_gaps() -> frozenset:
    """The gaps in force: all of KNOWN_GAPS, unless AGRAD_FUZZ_GAPS says otherwise ("none", or
    a comma-separated subset)."""
    spec = os.environ.get("AGRAD_FUZZ_GAPS")
    if spec is None:
        return frozenset(KNOWN_GAPS)
    if spec.strip().lower() == "none":
        return frozenset()
    return frozenset(g.strip() for g in spec.split(",")) & frozenset(KNOWN_GAPS)


# -- what both namespaces start with: the custom Functions and the hooks' log ----------------------

PRELUDE = '''
log = []


class Square(torch.autograd.Function):
    """forward(ctx, ...) style, saves its input."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g


class ExpOut(torch.autograd.Function):
    """Saves its output."""

    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y


class SinCos(torch.autograd.Function):
    """Two outputs, saves its input."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.sin(), x.cos()

    @staticmethod
    def backward(ctx, ga, gb):
        (x,) = ctx.saved_tensors
        return ga * x.cos() - gb * x.sin()


class ExpPair(torch.autograd.Function):
    """Two outputs, saves both outputs."""

    @staticmethod
    def forward(ctx, x):
        a, b = x.exp(), (-x).exp()
        ctx.save_for_backward(a, b)
        return a, b

    @staticmethod
    def backward(ctx, ga, gb):
        a, b = ctx.saved_tensors
        return ga * a - gb * b


class MulAdd(torch.autograd.Function):
    """setup_context style, two (broadcast) inputs, saves both."""

    @staticmethod
    def forward(x, y):
        return x * y + x

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(*inputs)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return g * (y + 1), g * x


class SetupExp(torch.autograd.Function):
    """setup_context style, saves its output."""

    @staticmethod
    def forward(x):
        return x.exp()

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(output)

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y


class Triple_(torch.autograd.Function):
    """In place: mark_dirty."""

    @staticmethod
    def forward(ctx, x):
        x.mul_(3)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 3
'''


def new_namespace(lib) -> dict:
    ns = {"torch": lib}
    exec(PRELUDE, ns)
    return ns


def reproducer(lines: list[str]) -> str:
    """The program as a standalone script (it runs with either library as `torch`), with the
    part of the prelude it uses."""
    body = "\n".join(lines)
    used = []
    for chunk in PRELUDE.strip().split("\n\n\n"):
        cls = re.match(r"class (\w+)", chunk)
        needed = f"{cls[1]}.apply" in body if cls else "log." in body
        if needed:
            used.append(chunk + "\n\n")
    return "import agrad as torch  # or: import torch\n\n" + "\n".join(used) + body


# -- one step in both libraries, and the comparison of everything ---------------------------------

class Discrepancy(AssertionError):
    """agrad and PyTorch disagree. `record` is the program so far (see `Lockstep.record`)."""

    def __init__(self, kind: str, detail: str, record: list[tuple]) -> None:
        self.kind, self.detail, self.record = kind, detail, list(record)
        self.lines = [r[0] for r in record]
        super().__init__(f"[{kind}] at line {len(self.lines)}: {detail}\n\n--- reproducer ---\n"
                         f"{reproducer(self.lines)}")


@dataclass(eq=False)
class Var:
    """A live name. It holds no tensor: dropping the name must drop the tensor."""

    name: str
    parent: str | None = None  # the name this one is a view or alias of
    hooked: bool = False  # has a hook
    unchecked: set = field(default_factory=set)  # observables not compared: layout, grad_fn
    storage: int = -1  # which storage it shares with the other names (numbered by Lockstep)


_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# (rtol, atol); others exact. float32's atol: NumPy's and PyTorch's libm differ by an ulp
# (exp(1.75) squared is 33.115444 or 33.115456), which a trig function of the result turns into
# 1e-5 absolute; a wrong value or gradient is off by far more
TOLERANCE = {"float64": (1e-7, 1e-9), "float32": (1e-5, 1e-4)}


def _outcome(src: str, ns: dict) -> str | None:
    """None, or the "Type: message" of what `src` raised."""
    try:
        exec(src, ns)
    except Exception as e:  # any exception is an outcome, compared with PyTorch's
        return f"{type(e).__name__}: {_ADDRESS.sub('0x?', str(e))}"
    return None


def _observe(fn, x):
    """fn(x), or what it raised (reading an attribute can raise in PyTorch)."""
    try:
        return fn(x)
    except Exception as e:
        return f"raises {type(e).__name__}: {_ADDRESS.sub('0x?', str(e))}"


def _autograd_meta(t) -> tuple:
    gf = t.grad_fn
    return t.requires_grad, t.is_leaf, None if gf is None else type(gf).__name__


def _layout(t) -> tuple:
    return t.stride(), t.is_contiguous(), t.storage_offset()


def _contiguous(shape: tuple) -> tuple:
    strides, acc = [], 1
    for s in reversed(shape):
        strides.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(strides))


def _torch_values(t) -> np.ndarray:
    t = t.detach()
    if t._is_zerotensor():  # PyTorch's symbolic zeros (double backward)
        return np.zeros(tuple(t.shape), dtype=str(t.dtype).split(".")[1])
    return t.resolve_conj().resolve_neg().numpy()


def _none(x) -> str:
    return "None" if x is None else type(x).__name__


class Lockstep:
    """Two namespaces that run the same lines, and the names both track. `record` keeps each
    line with what it bound and dropped, so `replay` can run a program again."""

    def __init__(self, gaps: frozenset = frozenset()) -> None:
        self.gaps = gaps
        self.nt = new_namespace(torch)
        self.na = new_namespace(agrad)
        self.vars: dict[str, Var] = {}
        self.record: list[tuple] = []  # (line, copies of the new Vars, dropped names)
        self.lowp = False  # a float32 tensor was seen: float64 values may carry its rounding
        self.storages = 0  # storages numbered so far (see `_storage_of`)

    def fail(self, kind: str, detail: str) -> None:
        raise Discrepancy(kind, detail, self.record)

    def step(self, src: str, new: tuple = (), drop: tuple = ()) -> bool:
        """Run `src` in both; on success forget the names in `drop` and track the Vars in
        `new`; then compare everything. True when the step succeeded."""
        self.record.append((src, tuple(Var(v.name, v.parent, unchecked=set(v.unchecked))
                                       for v in new), tuple(drop)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            et = _outcome(src, self.nt)
            ea = _outcome(src, self.na)
            if et != ea and not self._same_error(et, ea):
                self.fail("error" if et else "raises", f"torch: {et}\nagrad: {ea}")
            if et is None:
                for v in new:
                    if v.parent in self.vars:
                        v.unchecked |= self.vars[v.parent].unchecked & {"layout"}
                    v.storage = self._storage_of(v, new, drop)
                for n in drop:
                    self.vars.pop(n, None)
                for v in new:
                    self._bind(v)
            self._check()
        return et is None

    def _storage_of(self, v: Var, new: tuple, drop: tuple) -> int:
        """The number of v's storage: its parent's, or that of a live name (or of another new
        one) at the same address, or a new one. (Addresses are only compared among live
        tensors, so a reused one cannot mislead; a rebound name's old tensor is gone.)"""
        if v.parent in self.vars:
            return self.vars[v.parent].storage
        t = self.nt.get(v.name)
        if not isinstance(t, torch.Tensor):
            return -1
        ptr = t.untyped_storage().data_ptr()
        others = [w for w in self.vars.values() if w.name not in drop]
        for w in others + [w for w in new if w.storage >= 0]:
            if self.nt[w.name].untyped_storage().data_ptr() == ptr:
                return w.storage
        self.storages += 1
        return self.storages

    def _same_error(self, et: str | None, ea: str | None) -> bool:
        return bool(et and ea and "error_message_wording" in self.gaps and any(
            re.fullmatch(t, et, re.S) and re.fullmatch(a, ea, re.S) for t, a in MESSAGE_GAPS))

    def _bind(self, v: Var) -> None:
        t, a = self.nt[v.name], self.na[v.name]
        if t is None or a is None:  # autograd.grad(..., allow_unused=True)
            if (t is None) != (a is None):
                self.fail("grad", f"{v.name}: torch {_none(t)}, agrad {_none(a)}")
            return
        if not isinstance(t, torch.Tensor):
            return
        self.vars[v.name] = v
        if "result_layout" in self.gaps and not t._is_view() and isinstance(a, agrad.Tensor) \
                and t.stride() != _contiguous(tuple(t.shape)) and a.stride() != t.stride():
            v.unchecked.add("layout")

    def _check(self) -> None:
        names = list(self.vars)
        ts = [self.nt[n] for n in names]
        self.lowp |= any(t.dtype == torch.float32 for t in ts)
        as_ = [self.na[n] for n in names]
        for n, a in zip(names, as_):
            if not isinstance(a, agrad.Tensor):
                self.fail("type", f"{n}: agrad gives {_none(a)}, PyTorch a Tensor")
        tgrads = [t.grad for t in ts]
        agrads = [a.grad for a in as_]
        try:  # one pass on Dask, where errors may surface only now
            values = agrad.compute(*as_, *[g for g in agrads if g is not None])
        except Exception as e:
            self.fail("read", f"reading agrad's values raises {type(e).__name__}: {e}")
        avals, agvals = values[:len(as_)], iter(values[len(as_):])
        for n, t, a, av, tg, ag in zip(names, ts, as_, avals, tgrads, agrads):
            self._same_values(n, t, a, av)
            self._same_meta(n, t, a)
            if (tg is None) != (ag is None):
                self.fail("grad", f"{n}.grad: torch {_none(tg)}, agrad {_none(ag)}")
            if tg is not None:
                self._same_values(f"{n}.grad", tg, ag, next(agvals))
        self._same_log()

    def _same_values(self, n: str, t, a, av) -> None:
        if tuple(a.shape) != tuple(t.shape) or str(a.dtype) != str(t.dtype):
            self.fail("meta", f"{n}: torch {t.dtype} {list(t.shape)}, agrad {a.dtype} "
                              f"{list(a.shape)}")
        tv, av = _torch_values(t), np.asarray(av)
        if av.shape != tv.shape:  # the computed array is not the shape the tensor says
            self.fail("values", f"{n}: torch {list(tv.shape)}, agrad's array {list(av.shape)}")
        tol = TOLERANCE.get("float32" if self.lowp and t.is_floating_point()
                            else str(t.dtype).split(".")[1])
        same = np.allclose(av, tv, rtol=tol[0], atol=tol[1], equal_nan=True) if tol else \
            np.array_equal(av, tv)
        if not same:
            self.fail("values", f"{n}:\ntorch {tv.tolist()}\nagrad {av.tolist()}")

    def _same_meta(self, n: str, t, a) -> None:
        tm, am = _observe(_autograd_meta, t), _observe(_autograd_meta, a)
        names_differ = isinstance(tm, tuple) and isinstance(am, tuple) and tm[:2] == am[:2]
        if tm != am and not (names_differ and ("grad_fn" in self.vars[n].unchecked or (
                "grad_fn_names" in self.gaps and (tm[2], am[2]) in GRAD_FN_NAME_GAPS))):
            self.fail("autograd", f"{n}: (requires_grad, is_leaf, grad_fn) torch {tm}, "
                                  f"agrad {am}")
        if "layout" in self.vars[n].unchecked or ("empty_tensor_layout" in self.gaps
                                                   and t.numel() == 0):
            return
        tl, al = _observe(_layout, t), _observe(_layout, a)
        if tl != al:
            self.fail("layout", f"{n}: (stride, is_contiguous, storage_offset) torch {tl}, "
                                f"agrad {al}")

    def _same_log(self) -> None:
        """The hooks' calls, per name in call order (names may interleave differently)."""
        tl = sorted(self.nt["log"], key=lambda e: e[0])
        al = sorted(self.na["log"], key=lambda e: e[0])
        if [e[0] for e in tl] != [e[0] for e in al]:
            self.fail("hooks", f"hook calls: torch {[e[0] for e in self.nt['log']]}, agrad "
                               f"{[e[0] for e in self.na['log']]}")
        for (n, tg), (_, ag) in zip(tl, al):
            if (tg is None) != (ag is None) or tg is not None and not np.allclose(
                    np.asarray(ag, dtype=float), np.asarray(tg, dtype=float), rtol=1e-5,
                    atol=1e-4, equal_nan=True):
                self.fail("hooks", f"hook of {n} saw torch {tg}, agrad {ag}")


# -- choices: from Hypothesis (shrinkable) or from a seeded RNG (long hunts) ----------------------

class Choices:
    """Every choice the generator makes, built on one primitive `below(n)`: an int in [0, n)
    drawn from Hypothesis' `st.data()` (shrinks towards 0) or from `random.Random(seed)`."""

    def __init__(self, source) -> None:
        if isinstance(source, int):
            rng = random.Random(source)
            self.below = rng.randrange
        else:
            from hypothesis import strategies as st

            self.below = lambda n: source.draw(st.integers(0, n - 1)) if n > 1 else 0

    def coin(self, p: float) -> bool:
        """True with probability p (shrinks to False)."""
        return self.below(1000) >= round((1 - p) * 1000)

    def pick(self, seq):
        seq = list(seq)
        return seq[self.below(len(seq))]

    def weighted(self, weights: dict):
        """A key, with probability proportional to its weight (shrinks to the first key)."""
        r = self.below(sum(weights.values()))
        for k, w in weights.items():
            if r < w:
                return k
            r -= w
        raise AssertionError("unreachable")

    def seed(self) -> int:
        return self.below(2 ** 31)


# -- the generator ---------------------------------------------------------------------------------

STEPS = {  # step kind -> weight
    "leaf": 4, "view": 12, "unary": 5, "binary": 7, "reduce": 4, "inplace": 9, "setitem": 5,
    "augassign": 2, "copy": 3, "function": 5, "hook": 4, "retain_grad": 2, "drop": 3,
    "backward": 5, "grad": 3, "grad_of": 2, "zero_grad": 1, "requires_grad": 1,
}
SCALARS = (2.0, -0.5, 1.5, 3, -1, 0.25)
TIE = 1e-4  # values closer than this (relatively) may compare differently in the two libraries
KINKS = (0.0, -0.5, 1.0, 0.25, -0.25, -1.0)  # where relu, abs and the generated clamps bend


def _untied(a, b, ties: bool):
    """Elementwise: whether a and b (float64 torch tensors) compare the same way in both
    libraries: apart by more than TIE, or (when the values are bit for bit the same in both,
    `ties`) equal. A near-tie is rounding noise, not a discrepancy."""
    d = (a - b).abs()
    return (d > TIE * (1 + a.abs())) | ((d == 0) & ties)


def _untied_slices(t, dim, ties: bool) -> bool:
    """Whether max/min over `dim` (None: all of t) pick the same elements in both libraries."""
    v = t.detach().double()
    v, dim = (v.flatten(), 0) if dim is None else (v, dim)
    if v.ndim == 0 or not -v.ndim <= dim < v.ndim or v.shape[dim] < 2:
        return True
    s = v.sort(dim).values
    n = s.shape[dim]
    return bool(_untied(s.narrow(dim, 0, n - 1), s.narrow(dim, 1, n - 1), ties).all())


GUARDS = {  # op -> condition on the operand's values (keeps out overflow and infinities)
    "exp": lambda v: v < 3, "sqrt": lambda v: v > 0.05, "log": lambda v: v > 0.05,
    "reciprocal": lambda v: v.abs() > 0.1, "div": lambda v: v.abs() > 0.1,
}
KINKED = ("relu", "abs", "clamp", "clamp_min")  # ops whose gradient jumps at KINKS
UNARY = ("exp", "tanh", "sigmoid", "relu", "neg", "abs", "sin", "cos", "sqrt", "log",
         "reciprocal", "square")
INPLACE = {  # in-place op -> its call: {s} a Python scalar, {y} a tensor operand
    "add_": "add_({s})", "sub_": "sub_({s})", "mul_": "mul_({s})", "div_": "div_({s})",
    "add_y": "add_({y})", "sub_y": "sub_({y}, alpha={s})", "mul_y": "mul_({y})",
    "div_y": "div_({y})", "copy_": "copy_({y})", "clamp_": "clamp_(-0.5, 1.0)",
    "clamp_min": "clamp_(min=0.25)", "tanh_": "tanh_()", "sigmoid_": "sigmoid_()",
    "relu_": "relu_()", "neg_": "neg_()", "exp_": "exp_()", "sqrt_": "sqrt_()",
    "reciprocal_": "reciprocal_()", "zero_": "zero_()", "fill_": "fill_({s})",
}
# graph nodes whose gradient is constant in one library only (gap "constant_double_backward")
CONSTANT_GRADS = r"Relu|Threshold|Abs|Clamp|Max|Min|Amax|Amin|CopySlices|Fill|Zero|Copy|" \
                 r"IndexPut|Prod|Pow|Norm"
HOOKS = ("log.append(({x!r}, g.tolist()))", "g * 2", "g.clamp(-1, 1)")


def _all(t, cond) -> bool:
    """Whether every value of a torch tensor satisfies `cond` (False for bool tensors)."""
    if t.dtype == torch.bool:
        return False
    v = t.detach().double()
    return v.numel() == 0 or bool(cond(v).all())


def _dense(t) -> bool:
    """PyTorch's is_non_overlapping_and_dense, from the strides."""
    acc = 1
    for st, sz in sorted((st, sz) for st, sz in zip(t.stride(), t.shape) if sz != 1):
        if st != acc:
            return False
        acc *= sz
    return True


def _leaf(t) -> bool:
    """t.is_leaf, or False where reading it raises (a multi-output view whose base was written:
    the step that reads it shows the error)."""
    try:
        return t.is_leaf
    except RuntimeError:
        return False


def _graph_nodes(t) -> set[str]:
    """The names of the nodes in a torch tensor's autograd graph (none where reading its
    grad_fn raises)."""
    try:
        root = t.grad_fn
    except RuntimeError:
        return set()
    names, seen, stack = set(), set(), [root]
    while stack:
        n = stack.pop()
        if n is None or n in seen:
            continue
        seen.add(n)
        names.add(type(n).__name__)
        stack.extend(f for f, _ in n.next_functions)
    return names


def _broadcasts_to(shape: tuple, target: tuple) -> bool:
    try:
        return np.broadcast_shapes(tuple(shape), tuple(target)) == tuple(target)
    except ValueError:
        return False


def _broadcasts(a: tuple, b: tuple) -> bool:
    try:
        np.broadcast_shapes(tuple(a), tuple(b))
    except ValueError:
        return False
    return True


def _factors(n: int) -> list[int]:
    out, p = [], 2
    while n > 1 and p * p <= n:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    return out + ([n] if n != 1 else [])


def _key_src(key: tuple) -> str:
    """Source of a basic index key: ints, slices, None, Ellipsis."""
    def one(k):
        if isinstance(k, slice):
            parts = ["" if v is None else str(v) for v in (k.start, k.stop)]
            return ":".join(parts) + ("" if k.step is None else f":{k.step}")
        return "..." if k is Ellipsis else str(k)
    return ", ".join(map(one, key)) if key else "..."


class Fuzzer:
    """Draws one step at a time from the live torch state, runs it in lockstep, and keeps the
    bookkeeping the known gaps need: flags per storage (as PyTorch shares it: views, detach,
    .data, .grad) saying why it must not be written, hooked names."""

    def __init__(self, choices: Choices, lockstep: Lockstep, backend: str) -> None:
        self.c = choices
        self.ls = lockstep
        self.backend = backend
        self.count = 0
        self.storage_flags: dict[int, set] = {}  # see `flags`
        self.graph_grads = False  # a backward(create_graph=True) ran
        self.hook_refused: set = set()  # names whose register_hook raised

    def gap(self, name: str) -> bool:
        assert name in KNOWN_GAPS, name
        return name in self.ls.gaps

    # -- names and the torch state ----------------------------------------------------------------
    def fresh(self) -> str:
        self.count += 1
        return f"t{self.count - 1}"

    def T(self, name: str):
        return self.ls.nt[name]

    def flags(self, name: str) -> set:
        """The flags of name's storage."""
        return self.storage_flags.setdefault(self.ls.vars[name].storage, set())

    def aliases(self, name: str) -> list[str]:
        """The other names sharing name's storage."""
        storage = self.ls.vars[name].storage
        return [n for n, v in self.ls.vars.items() if n != name and v.storage == storage]

    def dry(self, expr: str):
        """The value of a pure `expr` in torch's namespace, or None where it raises (the step
        then shows the error)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return eval(expr, self.ls.nt)
            except Exception:
                return None

    def pick(self, pred=None) -> str | None:
        names = [n for n in self.ls.vars if pred is None or pred(self.T(n))]
        return self.c.pick(names) if names else None

    def operand(self, pred=None) -> str | None:
        """A name to compute with (its value may be saved for backward)."""
        return self.c.pick([n for n in self.ls.vars if pred is None or pred(self.T(n))]
                           or [None])

    def pick_loose(self, pred) -> str | None:
        """Mostly a name satisfying `pred`, sometimes any (to provoke errors)."""
        return self.pick() if self.c.coin(0.08) else self.pick(pred)

    def run(self, src: str, new: tuple = (), drop: tuple = ()) -> bool:
        return self.ls.step(src, new, drop)

    def view_of(self, name: str, src: str) -> Var:
        return Var(name, parent=src)

    def result_name(self, operand: str) -> tuple[str, tuple]:
        """A fresh name, or (rarely) the operand's own: `t3 = t3 * 2` drops the old t3."""
        if self.c.coin(0.3 if self.ls.vars[operand].hooked else 0.1) and \
                self.droppable(operand):
            return operand, (operand,)
        return self.fresh(), ()

    # -- which names may be written, dropped: the gaps' rules ------------------------------------
    def writable(self, name: str) -> bool:
        flags = self.flags(name)
        blocked = {
            "unversioned_write": "unversioned" in flags,
            "leaf_view_rebased": any(self.T(n)._is_view() and _leaf(self.T(n))
                                     and self.T(n).requires_grad
                                     for n in [name] + self.aliases(name)),
        }
        # autograd.grad's results may alias each other in PyTorch (unspecified): not written;
        # in place on a retaining output other than a node's first, PyTorch 2.13 fails an
        # internal assert ("out != nullptr", variable.cpp), a PyTorch bug: not written
        # (or through its base when that has no name left: PyTorch then crashes at backward)
        if "grad_result" in flags or any(
                t is not None and t.retains_grad and t.output_nr != 0
                for n in [name] + self.aliases(name) for t in (self.T(n), self.T(n)._base)):
            return False
        return not any(
            hit and self.gap(g) for g, hit in blocked.items())

    def layout_ok(self, name: str) -> bool:
        """Whether ops that depend on the layout (view, reshape, contiguous) may be applied."""
        return "layout" not in self.ls.vars[name].unchecked and not (
            self.gap("empty_tensor_layout") and self.T(name).numel() == 0)

    def droppable(self, name: str) -> bool:
        return not _leaf(self.T(name))

    def grad_root(self) -> str | None:
        """An output for backward / autograd.grad: mostly one that requires grad."""
        return self.pick_loose(lambda t: t.requires_grad)

    def create_graph(self, root: str, p: float) -> bool:
        """Whether to differentiate `root` with create_graph=True (probability p), where the
        gaps about double backward allow it."""
        nodes = " ".join(_graph_nodes(self.T(root)))
        if self.gap("constant_double_backward") and (re.search(CONSTANT_GRADS, nodes) or (
                "AsStridedBackward0" in nodes and self.T(root).numel() == 0)):
            return False
        return self.c.coin(p)

    def value_ok(self, x: str, y: str | None) -> bool:
        """Whether writing y into x keeps clear of the gaps about histories written into a
        storage."""
        if y is None or not self.T(y).requires_grad:
            return True
        return not (self.gap("write_grad_into_integer") and not self.T(x).is_floating_point())

    # -- data -------------------------------------------------------------------------------------
    def shape(self) -> tuple:
        ndim = self.c.weighted({1: 3, 2: 4, 0: 1, 3: 2})
        return tuple(0 if self.c.coin(0.03) else 1 + self.c.below(4) for _ in range(ndim))

    def literal(self, shape: tuple, dtype: str, rg: str = "") -> str:
        """`torch.tensor(...)` source: multiples of 1/4 in [-2, 2] (exact in float32 too),
        rarely 0 (where relu, abs, clamp have kinks)."""
        rng = np.random.default_rng(self.c.seed())
        if 0 in shape:
            return f"torch.zeros({shape}, dtype=torch.{dtype}{rg})"
        if dtype == "bool":
            v = rng.random(shape) < 0.5
        elif dtype.startswith("int"):
            v = rng.integers(-3, 4, shape)
        else:
            v = rng.integers(-8, 9, shape) / 4
            v = np.where((v == 0) & (rng.random(shape) < 0.8), 0.25, v)
        return f"torch.tensor({v.tolist()!r}, dtype=torch.{dtype}{rg})"

    def dim(self, n: int, extra: int = 0) -> int:
        """A dim of an n-d tensor (negative half the time, rarely out of range)."""
        m = max(n + extra, 1)
        if self.c.coin(0.03):
            return self.c.pick((m, -m - 1))
        d = self.c.below(m)
        return d - m if self.c.coin(0.5) else d

    def index(self, size: int) -> int:
        """An index into a dim of `size` (negative 40% of the time, rarely out of range)."""
        i = size if size == 0 or self.c.coin(0.03) else self.c.below(size)
        return i - size if self.c.coin(0.4) else i

    def ok_values(self, name: str, op: str) -> bool:
        if op in KINKED:
            return self.untied(name, torch.tensor(KINKS)[:, None])
        return op not in GUARDS or _all(self.T(name), GUARDS[op])

    def same_bits(self, *names: str) -> bool:
        """Whether these tensors hold bit for bit the same values in both libraries (then
        ties between them break the same way in both)."""
        values = agrad.compute(*[self.ls.na[n] for n in names])
        return all(np.array_equal(_torch_values(self.T(n)), v) for n, v in zip(names, values))

    def untied(self, x: str, y) -> bool:
        """Whether x compares with y (a name, a number or a tensor of numbers, broadcast
        against x's elements) the same way in both libraries."""
        a = self.T(x).detach().double()
        if a.numel() == 0:
            return True
        if isinstance(y, str):
            b, ties = self.T(y).detach().double(), self.same_bits(x, y)
        else:
            a, b, ties = a.flatten(), torch.as_tensor(y).double(), self.same_bits(x)
        try:
            return bool(_untied(a, b, ties).all())
        except RuntimeError:  # not broadcastable: the step shows the error
            return True

    def no_grad(self, src: str, p: float) -> tuple[str, bool]:
        """`src`, wrapped in `with torch.no_grad():` with probability p."""
        if self.c.coin(p):
            return "with torch.no_grad():\n    " + src, True
        return src, False

    # -- steps --------------------------------------------------------------------------------
    def step(self) -> None:
        getattr(self, "s_" + self.c.weighted(STEPS))()

    def s_leaf(self) -> None:
        dtype = self.c.weighted({"float64": 70, "float32": 14, "int64": 10, "bool": 6})
        rg = ", requires_grad=True" if dtype.startswith("float") and self.c.coin(0.7) else ""
        name = self.fresh()
        self.run(f"{name} = {self.literal(self.shape(), dtype, rg)}", [Var(name)])

    def s_view(self) -> None:
        x = self.pick()
        if x is None:
            return self.s_leaf()
        expr = self.view_expr(x, self.T(x))
        if expr is None:
            return
        pieces = self.dry(expr[1:]) if expr.startswith("*") else None
        if pieces is not None and 1 <= len(pieces) <= 4:  # unpack every piece
            names = [self.fresh() for _ in pieces]
            lhs = ", ".join(names) + ("," if len(names) == 1 else "")
            self.run(f"{lhs} = {expr[1:]}", [self.view_of(n, x) for n in names])
        else:
            name, drop = self.result_name(x)
            if self.run(f"{name} = {expr.lstrip('*')}" + ("[0]" * expr.startswith("*")),
                        [self.view_of(name, x)], drop) and expr.endswith(".data"):
                self.flags(name).add("unversioned")

    def view_expr(self, x: str, t) -> str | None:
        """A view of x: every kind of view op, with arguments mostly valid."""
        n, shape, c, d = t.ndim, tuple(t.shape), self.c, self.dim
        kinds = ["squeeze", "unsqueeze", "expand", "index", "index", "detach", "data", "T",
                 "permute", "transpose", "movedim"]
        if n >= 1:
            kinds += ["narrow", "select", "index"]
        if n >= 1:
            kinds += ["split", "chunk", "unbind"]
        if n <= 2:
            kinds.append("t")
        if n >= 2:
            kinds += ["diagonal", "mT"]
        if self.layout_ok(x):  # these depend on the layout
            kinds += ["view", "view", "reshape", "flatten"]
        kind = c.pick(kinds)
        if kind in ("view", "reshape"):
            return f"{x}.{kind}({self.new_shape(shape)})"
        if kind == "flatten":
            return f"{x}.flatten()" if n < 2 or c.coin(0.5) else f"{x}.flatten({d(n)}, {d(n)})"
        if kind == "permute":
            perm = list(range(n))
            random.Random(c.seed()).shuffle(perm)
            return f"{x}.permute({', '.join(map(str, perm))})"
        if kind == "transpose":
            return f"{x}.transpose({d(n)}, {d(n)})"
        if kind in ("T", "mT"):
            return f"{x}.{kind}"
        if kind == "t":
            return f"{x}.t()"
        if kind == "squeeze":
            return f"{x}.squeeze()" if n == 0 or c.coin(0.4) else f"{x}.squeeze({d(n)})"
        if kind == "unsqueeze":
            return f"{x}.unsqueeze({d(n, extra=1)})"
        if kind == "expand":
            return self.expand_expr(x, shape)
        if kind == "narrow":
            k = d(n)
            size = shape[k] if -n <= k < n else 1
            start = c.below(size + 1)
            return f"{x}.narrow({k}, {start}, {c.below(size - start + 1)})"
        if kind == "select":
            k = d(n)
            return f"{x}.select({k}, {self.index(shape[k] if -n <= k < n else 1)})"
        if kind in ("split", "chunk", "unbind"):
            k = d(n)
            arg = "" if kind == "unbind" else f"{1 + c.below(3)}, "
            call = f"{x}.{kind}({arg}{k})"
            return "*" + call if c.coin(0.5) else f"{call}[{c.pick((0, -1, 1))}]"
        if kind == "diagonal":
            return f"{x}.diagonal()" if c.coin(0.4) else \
                f"{x}.diagonal({c.below(5) - 2}, {d(n)}, {d(n)})"
        if kind == "movedim":
            return f"{x}.movedim({d(n)}, {d(n)})"
        if kind in ("detach", "data"):
            return f"{x}.detach()" if kind == "detach" else f"{x}.data"
        return f"{x}[{_key_src(self.basic_key(shape))}]"

    def new_shape(self, shape: tuple) -> str:
        """A shape of the same numel: factors regrouped, unit dims added, maybe a -1, rarely a
        wrong size."""
        numel = int(np.prod(shape))
        factors = [f for s in shape for f in _factors(s)]
        random.Random(self.c.seed()).shuffle(factors)
        dims, i = [], 0
        while i < len(factors):
            k = 1 + self.c.below(2)
            dims.append(int(np.prod(factors[i:i + k])))
            i += k
        if self.c.coin(0.3):
            dims.insert(self.c.below(len(dims) + 1), 1)
        if numel == 0 and not dims:
            dims = [0]
        if dims and self.c.coin(0.3):
            dims[self.c.below(len(dims))] = -1
        if self.c.coin(0.04):
            dims.append(2)
        return str(dims[0]) if len(dims) == 1 else "(" + "".join(f"{s}, " for s in dims) + ")"

    def expand_expr(self, x: str, shape: tuple) -> str:
        other = self.pick(lambda o: tuple(o.shape) != shape and _broadcasts_to(shape, o.shape))
        if other is not None and self.c.coin(0.3):
            return f"{x}.expand_as({other})"
        sizes = [self.c.pick((1, 2, 3)) for _ in range(self.c.below(2) + (not shape))]
        for s in shape:
            sizes.append(self.c.pick((1, 2, 3, -1)) if s == 1 else
                         self.c.pick((s, s, -1, s + 1 if self.c.coin(0.1) else s)))
        return f"{x}.expand({', '.join(map(str, sizes))})"

    def basic_key(self, shape: tuple) -> tuple:
        key = []
        for size in shape[:self.c.below(len(shape) + 1)]:
            kind = self.c.weighted({"slice": 4, "int": 3, "full": 2})
            if self.c.coin(0.15):
                key.append(None)
            if kind == "int":
                key.append(self.index(size))
            elif kind == "slice":
                key.append(slice(self.c.pick((None, 0, 1, -1, -2, size)),
                                 self.c.pick((None, None, 2, -1, size + 1)),
                                 self.c.pick((None, None, 1, 2, 3))))
            else:
                key.append(slice(None))
        if self.c.coin(0.15):
            key.insert(self.c.below(len(key) + 1), Ellipsis)
        if self.c.coin(0.1):
            key.append(None)
        return tuple(key)

    def s_unary(self) -> None:
        x = self.operand()
        if x is None:
            return self.s_leaf()
        op = self.c.pick([o for o in UNARY + ("pow", "clamp", "cast") if self.ok_values(x, o)])
        if op == "pow":
            expr = self.c.pick((f"{x} ** 2", f"{x}.pow(3)"))
        elif op == "clamp":
            expr = self.c.pick((f"{x}.clamp(-0.5, 1.0)", f"{x}.clamp(min=0.25)",
                                f"{x}.clamp(max=-0.25)", f"torch.clamp({x}, -1, 1)"))
        elif op == "cast":
            expr = self.c.pick((f"{x}.float()", f"{x}.double()", f"{x}.to(torch.float64)"))
            same = self.T(x).dtype == (torch.float32 if "float()" in expr else torch.float64)
            if same:  # the tensor itself (with whatever of it is left unchecked)
                name = self.fresh()
                self.run(f"{name} = {expr}",
                         [Var(name, parent=x, unchecked=set(self.ls.vars[x].unchecked))])
                return
        else:
            expr = f"torch.{op}({x})" if self.c.coin(0.3) else f"{x}.{op}()"
        name, drop = self.result_name(x)
        src, _ = self.no_grad(f"{name} = {expr}", 0.05)
        self.run(src, [Var(name)], drop)

    def s_binary(self) -> None:
        x = self.operand()
        if x is None:
            return self.s_leaf()
        shape = tuple(self.T(x).shape)
        op = self.c.weighted({"+": 3, "-": 2, "*": 3, "/": 2, "maximum": 1, "minimum": 1,
                              ">": 1, "<=": 1})
        form = "tensor" if op.isalpha() else self.c.weighted({"tensor": 6, "scalar": 3,
                                                               "rscalar": 2})
        y = None
        if form == "tensor":
            y = self.operand(lambda o: _broadcasts(shape, o.shape) or self.c.coin(0.08)) \
                if op != "/" else self.operand(lambda o: _broadcasts(shape, o.shape)
                                               and _all(o, GUARDS["div"]))
            form = "tensor" if y else "scalar"
        if form == "rscalar" and op == "/" and not self.ok_values(x, "div"):
            form = "scalar"
        s = self.c.pick(SCALARS)
        if op in (">", "<=", "maximum", "minimum") and not self.untied(x, y or s):
            return
        expr = {"tensor": f"torch.{op}({x}, {y})" if op.isalpha() else f"{x} {op} {y}",
                "scalar": f"{x} {op} {s}", "rscalar": f"{s} {op} {x}"}[form]
        name, drop = self.result_name(x)
        src, _ = self.no_grad(f"{name} = {expr}", 0.05)
        self.run(src, [Var(name)], drop)

    def s_reduce(self) -> None:
        x = self.operand()
        if x is None:
            return self.s_leaf()
        n = self.T(x).ndim
        d, c = self.dim(n), self.c
        kind = c.pick(("sum", "mean", "prod", "amax", "amin", "max", "min", "var", "std", "norm"))
        if kind in ("amax", "amin", "max", "min"):
            ties = self.same_bits(x)
            if not (_untied_slices(self.T(x), d, ties) and _untied_slices(self.T(x), None, ties)):
                return
        if kind in ("max", "min") and c.coin(0.25):
            v, i = self.fresh(), self.fresh()
            self.run(f"{v}, {i} = {x}.{kind}({d})", [Var(v), Var(i)])
            return
        whole, by_dim = [f"{x}.{kind}()"], [f"{x}.{kind}({d})", f"{x}.{kind}({d}, keepdim=True)"]
        forms = {
            "sum": by_dim + [f"torch.sum({x}, dim={d})", f"{x}.sum(({d}, {self.dim(n)}))"],
            "mean": by_dim + [f"torch.mean({x}, dim={d})", f"{x}.mean(({d}, {self.dim(n)}))"],
            "max": [f"{x}.max({d}).values", f"{x}.max({d}, keepdim=True)[0]"],
            "min": [f"{x}.min({d}).values", f"{x}.min({d}, keepdim=True)[0]"],
            "var": by_dim + [f"{x}.var({d}, unbiased=False)"],
            "std": by_dim + [f"{x}.std({d}, unbiased=False)"],
            "norm": [f"{x}.norm(dim={d})", f"{x}.norm(1, {d})",
                     f"torch.norm({x}, dim={d}, keepdim=True)"],
        }.get(kind, by_dim) + whole
        expr = c.pick(forms)
        r = self.dry(expr)
        if isinstance(r, torch.Tensor) and r.is_floating_point() and (
                self.gap("non_finite_reductions") and not r.isfinite().all()):
            return
        # (std's gradient divides by the deviation: where that is at the level of rounding, an
        # ulp of libm noise in x changes the gradient entirely, in either library)
        if kind == "std" and isinstance(r, torch.Tensor) and self.T(x).numel() and \
                (r.abs() < 1e-3 * (1 + self.T(x).abs().max())).any():
            return
        name, drop = self.result_name(x)
        self.run(f"{name} = {expr}", [Var(name)], drop)

    # -- writes -----------------------------------------------------------------------------------
    def target(self) -> str | None:
        """A name to write into (one the known gaps leave writable)."""
        return self.c.pick([n for n in self.ls.vars if self.writable(n)] or [None])

    def operand_for(self, x: str, shape: tuple | None = None, pred=None, itself: bool = True
                    ) -> str | None:
        """A name satisfying `pred` whose shape broadcasts to `shape` (x's by default; any
        shape sometimes, to provoke errors); x itself only if `itself` (its aliases always:
        PyTorch refuses those that overlap it partly)."""
        shape = tuple(self.T(x).shape) if shape is None else shape
        hard = {n for n in self.aliases(x) if not (_dense(self.T(n)) and _dense(self.T(x)))} \
            if self.gap("overlap_too_hard") else set()
        names = [n for n in self.ls.vars if (itself or n != x) and n not in hard
                 and (pred is None or pred(self.T(n)))]
        if not self.c.coin(0.08):
            names = [n for n in names if _broadcasts_to(self.T(n).shape, shape)]
        return self.c.pick(names or [None])

    def s_inplace(self) -> None:
        x = self.target()
        if x is None:
            return self.s_leaf()
        ops = [o for o in INPLACE if self.ok_values(x, o.rstrip("_"))]
        op = self.c.pick(ops)
        y = None
        if "{y}" in INPLACE[op]:
            y = self.operand_for(x)
            if y is None or (op == "div_y" and not self.ok_values(y, "div")) or \
                    not self.value_ok(x, y):
                y, op = None, "mul_"
        src, no_grad = self.no_grad(f"{x}.{INPLACE[op].format(s=self.c.pick(SCALARS), y=y)}",
                                    0.15)
        self.run(src)

    def s_augassign(self) -> None:
        x = self.target()
        if x is None:
            return self.s_leaf()
        op = self.c.pick(("+=", "-=", "*=", "/="))
        y = self.operand_for(x) if self.c.coin(0.6) else None
        if y is not None and (op == "/=" and not self.ok_values(y, "div")
                              or not self.value_ok(x, y)):
            y = None
        self.run(f"{x} {op} {y or self.c.pick(SCALARS)}")

    def s_setitem(self) -> None:
        x = self.target()
        if x is None:
            return self.s_leaf()
        t = self.T(x)
        shape = tuple(t.shape)
        kind = self.c.weighted({"basic": 5, "all": 1, "index": 2, "mask": 2})
        if kind == "basic":
            key = _key_src(self.basic_key(shape))
        elif kind == "all":
            key = "..."
        elif kind == "mask":
            m = self.operand_for(x, shape, lambda o: o.dtype == torch.bool
                                 and tuple(o.shape) == shape, itself=False)
            s = self.c.pick((0, 0.5, -1))
            key = m if m and self.c.coin(0.5) else f"{x} > {s}"
            if key != m and not self.untied(x, s):
                return
        else:
            dim = 1 if t.ndim > 1 and self.c.coin(0.3) else 0
            size = shape[dim] if t.ndim else 1
            idx = random.Random(self.c.seed()).sample(range(size), min(size, 1 + self.c.below(3)))
            idx = [i - size if self.c.coin(0.3) else i for i in idx] or [0]
            key = ":, " * dim + f"torch.tensor({idx})"
        sel = self.dry(f"tuple({x}[{key}].shape)")
        overlapping = self.gap("distinct_values_into_aliases") and any(
            st == 0 and sz > 1 for st, sz in zip(t.stride(), t.shape))
        form = self.c.weighted({"scalar": 5, "tensor": 3, "literal": 2}) if sel is not None \
            and not overlapping else "scalar"
        y = None
        if form == "tensor":
            y = self.operand_for(x, sel, itself=False)
            y = y if self.value_ok(x, y) else None
        value = y or (self.literal(sel, str(t.dtype).split(".")[1]) if form == "literal"
                      else str(self.c.pick(SCALARS)))
        self.run(f"{x}[{key}] = {value}")

    # -- copies, custom Functions -----------------------------------------------------------------
    def s_copy(self) -> None:
        x = self.pick()
        if x is None:
            return self.s_leaf()
        kind = self.c.pick(("clone", "contiguous", "new_leaf", "detached_leaf"))
        if kind == "contiguous" and not self.layout_ok(x):
            kind = "clone"
        name = self.fresh()
        if kind == "clone":
            # (a copy keeps a dense layout: one not compared stays so)
            self.run(f"{name} = {x}.clone()", [Var(name, unchecked=self.ls.vars[x].unchecked
                                                   & {"layout"})])
        elif kind == "contiguous":
            same = self.T(x).is_contiguous()  # then it is x itself
            self.run(f"{name} = {x}.contiguous()",
                     [self.view_of(name, x) if same else Var(name)])
        elif kind == "new_leaf":
            self.run(f"{name} = {x}.detach().clone().requires_grad_()", [Var(name)])
        else:
            self.run(f"{name} = {x}.detach().requires_grad_()", [self.view_of(name, x)])

    def s_function(self) -> None:
        fn = self.c.weighted({"Square": 3, "SinCos": 2, "MulAdd": 2, "Triple_": 2, "ExpOut": 2,
                              "SetupExp": 2, "ExpPair": 3})
        if fn == "Triple_":  # writes its input in place
            x = self.target()
            if x is not None and self.gap("refused_dirty_view") and \
                    self.T(x)._base is not None and (self.T(x).retains_grad or
                                                     self.ls.vars[x].hooked):
                return
            if x is not None:
                name = self.fresh()
                self.run(f"{name} = Triple_.apply({x})", [self.view_of(name, x)])
            return
        small = lambda v: v.abs() < 3  # noqa: E731
        # (sin of a float32 near 3000 is off by its rounding, an ulp of 2e-4: no tolerance
        # tells that from a bug, so SinCos takes moderate arguments)
        moderate = lambda v: v.abs() < 64  # noqa: E731
        x = self.operand(lambda t: t.is_floating_point() and (
            fn not in ("ExpOut", "SetupExp", "ExpPair") or _all(t, small)) and (
            fn != "SinCos" or _all(t, moderate)))
        if x is None:
            return self.s_leaf()
        if fn == "MulAdd":
            shape = tuple(self.T(x).shape)
            y = self.operand(lambda o: o.is_floating_point() and _broadcasts(shape, o.shape))
            name = self.fresh()
            self.run(f"{name} = MulAdd.apply({x}, {y})", [Var(name)])
        elif fn in ("SinCos", "ExpPair"):
            a, b = self.fresh(), self.fresh()
            if self.run(f"{a}, {b} = {fn}.apply({x})", [Var(a), Var(b)]) and self.c.coin(0.5):
                name = self.fresh()  # a result that both outputs' gradients reach
                self.run(f"{name} = {a} {self.c.pick('+-*')} {b}", [Var(name)])
        else:
            name = self.fresh()
            self.run(f"{name} = {fn}.apply({x})", [Var(name)])

    # -- hooks, retain_grad, names ----------------------------------------------------------------
    def s_hook(self) -> None:
        x = self.pick_loose(lambda t: t.requires_grad)
        if x is None:
            return
        body = self.c.weighted(dict(zip(HOOKS, (3, 2, 1)))).format(x=x)
        if x in self.hook_refused and self.gap("hook_after_refused_hook"):
            return
        if self.run(f"{x}.register_hook(lambda g: {body})"):
            self.ls.vars[x].hooked = True
        else:
            self.hook_refused.add(x)

    def s_retain_grad(self) -> None:
        x = self.pick_loose(lambda t: t.requires_grad)
        if x is not None:
            self.run(f"{x}.retain_grad()")

    def s_drop(self) -> None:
        names = [n for n in self.ls.vars if self.droppable(n)]
        hooked = [n for n in names if self.ls.vars[n].hooked]  # (hooks must outlive the name)
        x = self.c.pick(hooked if hooked and self.c.coin(0.5) else names or [None])
        if x is not None:
            self.run(f"del {x}", drop=(x,))

    def s_zero_grad(self) -> None:
        x = self.pick(lambda t: _leaf(t) and t.grad is not None)
        if x is not None:
            self.run(f"{x}.grad = None")

    def s_requires_grad(self) -> None:
        x = self.pick_loose(lambda t: t.is_floating_point() and not t.requires_grad)
        if x is None or "grad_result" in self.flags(x):  # (may alias other results in PyTorch)
            return
        self.run(f"{x}.requires_grad_({'False' if self.T(x).requires_grad else ''})")

    def s_grad_of(self, backward: bool = False) -> None:
        x = self.pick(lambda t: (_leaf(t) or t.retains_grad) and t.grad is not None)
        if x is None:
            return
        v = self.grad_var(self.fresh(), self.graph_grads)
        if self.run(f"{v.name} = {x}.grad", [v]):
            self.flags(v.name).add("leaf_grad")
            if backward and self.T(v.name).requires_grad:
                self.s_backward(v.name)

    def grad_var(self, name: str, create_graph: bool) -> Var:
        """A name bound to a gradient; the names of double-backward nodes are not compared."""
        v = Var(name, unchecked={"layout"})  # (a gradient's layout is PyTorch's choice)
        if create_graph and self.gap("grad_fn_names"):
            v.unchecked.add("grad_fn")
        return v

    # -- backward and autograd.grad ---------------------------------------------------------------
    def grad_output(self, r: str) -> str:
        t = self.T(r)
        return self.literal(tuple(t.shape), str(t.dtype).split(".")[1]
                            if t.is_floating_point() else "float64")

    def retain_graph(self) -> str:
        return ", retain_graph=True" if self.c.coin(0.5) else ""

    def s_backward(self, r: str | None = None) -> None:
        r = r or self.grad_root()
        if r is None:
            return
        kw = self.retain_graph()
        if self.create_graph(r, 0.25):
            kw += ", create_graph=True"
            self.graph_grads = True
        if self.c.coin(0.1):
            ins = {self.pick(lambda o: o.requires_grad) for _ in range(2)} - {None}
            kw += f", inputs=[{', '.join(sorted(ins))}]" if ins else ""
        form = self.c.weighted({"gradient": 4, "implicit": 3, "sum": 2})
        if form == "implicit" and self.T(r).numel() != 1 and self.c.coin(0.7):
            form = "gradient"
        ok = self.run({"gradient": f"{r}.backward({self.grad_output(r)}{kw})",
                       "sum": f"{r}.sum().backward({kw[2:]})",
                       "implicit": f"{r}.backward({kw[2:]})"}[form])
        if ok and "create_graph" in kw and self.c.coin(0.5):  # backward through a .grad
            self.s_grad_of(backward=True)

    def s_grad(self) -> None:
        r = self.grad_root()
        ins = sorted({self.pick(lambda o: o.requires_grad) for _ in range(1 + self.c.below(3))}
                     - {None})
        if r is None or not ins:
            return
        kw = ""
        if self.T(r).numel() != 1 or self.c.coin(0.3):
            kw += f", grad_outputs={self.grad_output(r)}"
        kw += self.retain_graph()
        if self.create_graph(r, 0.4):
            kw += ", create_graph=True"
        if self.c.coin(0.7):
            kw += ", allow_unused=True"
        names = [self.fresh() for _ in ins]
        lhs = ", ".join(names) + ("," if len(names) == 1 else "")
        if self.run(f"{lhs} = torch.autograd.grad({r}, [{', '.join(ins)}]{kw})",
                    [self.grad_var(n, create_graph="create_graph" in kw) for n in names]):
            for n in set(names) & set(self.ls.vars):  # (they may alias each other in PyTorch:
                self.flags(n).add("grad_result")     # unspecified, so they are not written)
            roots = [n for n in names if n in self.ls.vars and self.T(n).requires_grad]
            if roots and self.c.coin(0.6):  # double backward
                self.s_backward(self.c.pick(roots))


def run_program(choices: Choices, backend: str, gaps: frozenset, max_steps: int = 40
                ) -> Lockstep:
    """One random program of 7 to max_steps+2 steps, compared line by line; raises
    Discrepancy at the first difference."""
    ls = Lockstep(gaps)
    fz = Fuzzer(choices, ls, backend)
    fz.s_leaf()
    fz.s_leaf()
    for _ in range(5 + choices.below(max_steps - 5)):
        fz.step()
    fz.s_backward()
    return ls


# -- long hunts: `python tests/_fuzz.py --backend numpy --programs 5000 --seed 0` -----------------

def signature(d: Discrepancy) -> tuple:
    """What makes two discrepancies "the same": the kind, and the failing line with names,
    numbers and literals blanked out."""
    line = d.lines[-1].split("\n")[-1]
    line = re.sub(r"torch\.(tensor|zeros)\(.*?dtype", "torch.tensor(..., dtype", line)
    line = re.sub(r"\bt\d+\b", "t", line)
    return d.kind, re.sub(r"-?\d+(\.\d+)?", "N", line)


def replay(record: list[tuple], gaps: frozenset) -> Discrepancy | None:
    """Run recorded lines again; the discrepancy they raise, if any."""
    ls = Lockstep(gaps)
    try:
        for src, new, drop in record:
            ls.step(src, [Var(v.name, v.parent, unchecked=set(v.unchecked)) for v in new], drop)
    except Discrepancy as d:
        return d
    return None


def shrink(d: Discrepancy, gaps: frozenset) -> Discrepancy:
    """Drop lines one at a time, last first, while the same discrepancy still occurs."""
    key = signature(d)
    i = len(d.record) - 2
    while i >= 0:
        trial = replay(d.record[:i] + d.record[i + 1:], gaps)
        if trial is not None and signature(trial) == key:
            d = trial
        i = min(i, len(d.record) - 1) - 1
    return d


def hunt(backend: str, programs: int, seed: int, gaps: frozenset, trace: bool = False) -> dict:
    """Programs seed, seed+1, ...: for each distinct discrepancy (`signature`) the first seed,
    how many programs hit it, and its shrunk reproducer. `trace`: each seed goes to stderr
    before its program runs (a crash of PyTorch itself then names its program)."""
    found: dict = {}
    with agrad.backend(backend):
        for s in range(seed, seed + programs):
            if trace:
                print(s, file=sys.stderr, flush=True)
            try:
                run_program(Choices(s), backend, gaps)
            except Discrepancy as d:
                key = signature(d)
                if key in found:
                    found[key][1] += 1
                else:
                    found[key] = [s, 1, shrink(d, gaps)]
    return found


def main() -> None:
    import argparse

    p = argparse.ArgumentParser(description="Hunt agrad/PyTorch discrepancies with random "
                                            "programs; print each distinct one, shrunk.")
    p.add_argument("--backend", default="numpy")
    p.add_argument("--programs", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-known-gaps", action="store_true", help="ignore KNOWN_GAPS")
    p.add_argument("--trace", action="store_true", help="each seed to stderr as it starts")
    args = p.parse_args()
    warnings.simplefilter("ignore")
    gaps = frozenset() if args.no_known_gaps else active_gaps()
    found = hunt(args.backend, args.programs, args.seed, gaps, args.trace)
    print(f"# {args.backend}: seeds {args.seed}..{args.seed + args.programs - 1}, "
          f"{sum(n for _, n, _ in found.values())} failing programs, {len(found)} distinct; "
          f"gaps off: {sorted(set(KNOWN_GAPS) - gaps)}")
    for key, (s, n, d) in sorted(found.items()):
        print(f"\n## seed {s} ({n} programs): {key}\n{d.detail}\n---\n" + "\n".join(d.lines))


if __name__ == "__main__":
    main()
