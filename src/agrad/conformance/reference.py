"""Running a call on a library and reading back what it gave: the backend under test (agrad on
it), and the reference — PyTorch when it is installed (the semantics agrad promises), else agrad
on NumPy with floating inputs in float64 (NumPy's own arithmetic, the most accurate at hand).

`Run` is what one call gave: the flattened outputs (tensors, numbers, None), their dtypes and
grad_fn names, the gradients of a fixed weighted sum of the floating outputs, or the exception.
Values come back as NumPy arrays, all of an agrad run's in one `materialize` per backend (one
compute on a lazy backend). The comparison helpers (`TOLERANCE`, `assert_values`) are the
project tests' too.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import agrad
from agrad.adapter import BackendLacks

from .spec import Raw, Sample

# (rtol, atol) by result dtype; atol is scaled by the reference's largest magnitude
TOLERANCE = {"float16": (2e-3, 2e-3), "bfloat16": (1e-2, 1e-2), "float32": (2e-5, 2e-6),
             "float64": (1e-9, 1e-12), "complex64": (2e-5, 2e-6), "complex128": (1e-9, 1e-12)}


class Unsupported(Exception):
    """The check needs what the backend declares it lacks (the reason names it)."""


def torch_module() -> Any:
    try:
        import torch
    except ImportError:
        return None
    return torch


def is_tensor(x: Any) -> bool:
    return type(x).__name__ == "Tensor" and hasattr(x, "requires_grad")


def flatten(result: Any) -> list:
    """A result as a flat list: tensors, numbers, bools, None, shapes as tuples of ints."""
    if is_tensor(result):
        return [result]
    if isinstance(result, (list, tuple)) and not _is_size(result):
        return [x for r in result for x in flatten(r)]
    if _is_size(result):
        return [tuple(int(s) for s in result)]
    return [result]


def _is_size(x: Any) -> bool:
    return type(x).__name__ == "Size"


def dtype_name(t: Any) -> str:
    return str(t.dtype).replace("torch.", "")


@dataclass
class Run:
    outputs: list = field(default_factory=list)
    values: list = field(default_factory=list)       # NumPy arrays / Python values
    dtypes: list = field(default_factory=list)       # "float32"... for tensors, else None
    grad_fns: list = field(default_factory=list)
    grads: list | None = None                        # NumPy arrays (None: no gradient)
    raised: BaseException | None = None
    leaves: list = field(default_factory=list)


def weights(shape: tuple, dtype: Any, lib: Any, like: Any) -> Any:
    """A fixed, non-constant weight per output element (so every element's gradient counts)."""
    n = int(np.prod(shape)) if shape else 1
    w = (np.cos(np.arange(n, dtype=np.float32)) + 1.5).reshape(shape)
    if lib is agrad:
        return agrad.tensor(w, device=like.device).to(like.dtype)
    return lib.tensor(w).to(like.dtype)


class Library:
    """One side of a comparison: `lib` (agrad or torch), where its tensors go, and whether its
    floating inputs are promoted to float64 (the NumPy reference's values)."""

    def __init__(self, lib: Any, backend: str | None, upcast: bool = False) -> None:
        self.lib, self.backend, self.upcast = lib, backend, upcast
        self.name = "torch" if lib is not agrad else backend

    @contextlib.contextmanager
    def active(self):
        if self.lib is agrad:
            with agrad.backend(self.backend):
                yield
        else:
            yield

    def tensor(self, arr: np.ndarray, grad: bool = False) -> Any:
        if self.upcast and arr.dtype.kind == "f":
            arr = arr.astype(np.float64)
        if self.upcast and arr.dtype.kind == "c":
            arr = arr.astype(np.complex128)
        t = agrad.tensor(arr) if self.lib is agrad else self.lib.tensor(arr.copy())
        if grad:
            t.requires_grad_(True)
        return t

    def convert(self, x: Any, grad: bool, leaves: list) -> Any:
        if isinstance(x, Raw):
            return x.value.copy()
        if isinstance(x, np.ndarray):
            t = self.tensor(x, grad and x.dtype.kind in "fc")
            if grad and x.dtype.kind in "fc":
                leaves.append(t)
            return t
        if isinstance(x, list):
            return [self.convert(e, grad, leaves) for e in x]
        if isinstance(x, tuple):
            return tuple(self.convert(e, grad, leaves) for e in x)
        return x

    def args(self, s: Sample, grad: bool) -> tuple[tuple, dict, list]:
        leaves: list = []
        args = tuple(self.convert(a, grad and (s.grad is None or i in s.grad), leaves)
                     for i, a in enumerate(s.args))
        kwargs = {k: self.convert(v, False, leaves) for k, v in s.kwargs.items()}
        return args, kwargs, leaves

    def run(self, call: Any, s: Sample, backward: bool) -> Run:
        """Call, then (if asked) differentiate a weighted sum of the floating outputs w.r.t. the
        floating inputs; read every value back at once."""
        r = Run()
        with self.active():
            try:
                args, kwargs, r.leaves = self.args(s, backward)
                r.outputs = flatten(call(self.lib, *args, **kwargs))
                r.dtypes = [dtype_name(o) if is_tensor(o) else None for o in r.outputs]
                r.grad_fns = [type(o.grad_fn).__name__ if is_tensor(o) and o.grad_fn is not
                              None else None for o in r.outputs]
                grads = self.gradients(r.outputs, r.leaves) if backward else None
            except BackendLacks:
                raise
            except Exception as e:  # noqa: BLE001 - compared with the reference's behaviour
                r.raised = e
                return r
            r.values, r.grads = self.fetch(r.outputs, grads)
        return r

    def gradients(self, outputs: list, leaves: list) -> list | None:
        """The vector-Jacobian product of fixed weights: the weights are the grad_outputs, so
        nothing but the ops' own backward computes on the backend."""
        diff = [o for o in outputs if is_tensor(o) and o.requires_grad]
        if not diff or not leaves:
            return None
        ws = [weights(tuple(o.shape), o.dtype, self.lib, o) for o in diff]
        return list(self.lib.autograd.grad(diff, leaves, grad_outputs=ws, allow_unused=True))

    def fetch(self, outputs: list, grads: list | None) -> tuple[list, list | None]:
        tensors = [o for o in outputs if is_tensor(o)] + [g for g in grads or () if g is not None]
        arrays = iter(host_values(tensors))
        values = [next(arrays) if is_tensor(o) else o for o in outputs]
        got = None if grads is None else [None if g is None else next(arrays) for g in grads]
        return values, got


def host_values(tensors: list) -> list[np.ndarray]:
    """NumPy copies of the tensors' values (agrad: one materialize per backend)."""
    out: list[Any] = [None] * len(tensors)
    groups: dict[int, list[int]] = {}
    for i, t in enumerate(tensors):
        if isinstance(t, agrad.Tensor):
            groups.setdefault(id(t._storage.backend), []).append(i)
        else:
            t = t.detach()
            if getattr(t, "_is_zerotensor", lambda: False)():  # torch's symbolic zero grads
                t = t.new_zeros(t.shape)
            out[i] = t.resolve_conj().resolve_neg().cpu().numpy().copy()
    from agrad.ops._dispatch import read

    for idx in groups.values():
        be = tensors[idx[0]]._storage.backend
        arrays = be.materialize(*(read(tensors[i]) for i in idx))
        for i, a in zip(idx, arrays):
            out[i] = np.array(be.to_numpy(a), copy=True)
    return out


def reference(kind: str | None = None) -> Library:
    """The reference library: "torch" (the default where installed) or "numpy"."""
    torch = torch_module() if kind in (None, "torch") else None
    if kind == "torch" and torch is None:
        raise RuntimeError("the torch reference needs PyTorch: pip install torch")
    if torch is not None:
        return Library(torch, None)
    return Library(agrad, "numpy", upcast=True)


# -- comparing -----------------------------------------------------------------------------------

def assert_values(got: Any, want: Any, dtype: str | None, scale: float = 1.0,
                  what: str = "value") -> None:
    """`got` equals `want` within the tolerance of `dtype` (exact for integers and bools;
    nan equals nan; shapes must match)."""
    if not isinstance(want, np.ndarray):
        if isinstance(want, float) and isinstance(got, (int, float)):
            assert np.isclose(got, want, rtol=1e-6, equal_nan=True), f"{what}: {got!r} != {want!r}"
            return
        assert got == want, f"{what}: {got!r} != {want!r}"
        return
    assert isinstance(got, np.ndarray), f"{what}: got {type(got).__name__}, expected an array"
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    rtol, atol = TOLERANCE.get(dtype or "", (0.0, 0.0))
    if rtol == 0.0:
        ok = np.array_equal(got, want)
        assert ok, f"{what}s differ:\n  got  {_brief(got)}\n  want {_brief(want)}"
        return
    mag = float(np.nanmax(np.abs(want[np.isfinite(want)]), initial=1.0)) if want.size else 1.0
    w = want.astype(np.complex128 if want.dtype.kind == "c" else np.float64)
    g = got.astype(w.dtype)
    close = np.isclose(g, w, rtol=rtol * scale, atol=atol * scale * max(mag, 1.0),
                       equal_nan=True)
    if not close.all():
        i = np.argwhere(~close)[0]
        where = tuple(int(k) for k in i)
        raise AssertionError(
            f"{what}s differ at {where}: got {g[where]!r}, want {w[where]!r} "
            f"(rtol {rtol * scale:g}, {int((~close).sum())} of {close.size} elements)\n"
            f"  got  {_brief(got)}\n  want {_brief(want)}")


def _brief(a: np.ndarray) -> str:
    return np.array2string(a, precision=6, threshold=30, separator=", ").replace("\n", "")
