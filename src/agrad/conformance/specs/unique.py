"""Specs of unique and unique_consecutive (ops/unique.py): values drawn from a few, so that they
repeat, in runs and apart; the flattened form and the form along a dim."""

from __future__ import annotations

from hypothesis import strategies as st

from ..spec import Bad, array, op, sample, shapes, via

VARIANTS = ("float32", "int32", "int64", "bool")


def _unique(v: str, gc: bool, consecutive: bool = False):
    def build(sh: tuple):
        dims = st.none() | (st.integers(-len(sh), len(sh) - 1) if sh else st.none())
        flags = {"return_inverse": st.booleans(), "return_counts": st.booleans()}
        if not consecutive:
            flags["sorted"] = st.booleans()
        return dims.flatmap(lambda d: sample(array(v, sh, (-2, 2)).map(lambda a: a.round()),
                                             dim=d, **flags))
    return shapes(gc=gc).flatmap(build)


def _backward(name: str):
    """Backward through unique's values: PyTorch's NotImplementedError."""
    def call(lib, x):
        getattr(lib, name)(x.requires_grad_()).sum().backward()
    return Bad("a backward through its values", lambda lib: (lib.tensor([1.0, 2.0, 1.0]),),
               NotImplementedError, call=call)


op("unique", _unique, variants=VARIANTS, grad=False, errors=(_backward("unique"),))
via("unique.kernel", "unique")
op("unique_consecutive", lambda v, gc: _unique(v, gc, True), variants=VARIANTS, grad=False,
   errors=(_backward("unique_consecutive"),))
