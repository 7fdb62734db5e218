"""Specs of the reductions and scans (ops/reduction.py)."""

from __future__ import annotations

from hypothesis import strategies as st

from ..spec import FLOATS, Bad, array, dims_for, op, reduction, sample, shapes, via

NUMERIC = ("float32", "float64", "int32")

reduction("sum", variants=NUMERIC + ("bool",))
reduction("nansum")
reduction("mean")
reduction("prod", (0.5, 1.5), multi=False, variants=NUMERIC)
reduction("amax", multi=True, none=False)
reduction("amin", multi=True, none=False)
reduction("argmax", multi=False, variants=NUMERIC, grad=False)
reduction("argmin", multi=False, variants=NUMERIC, grad=False)
reduction("all", variants=("bool", "float32", "int32"), grad=False)
reduction("any", variants=("bool", "float32", "int32"), grad=False)
reduction("count_nonzero", (-1, 1), keepdim=False, variants=("float32", "int32"), grad=False)
reduction("logsumexp", none=False)
VAR = {"unbiased": st.booleans()}
for name in ("var", "std", "var_mean", "std_mean"):
    reduction(name, kwargs=VAR, tol=10)

reduction("median", multi=False, unique=True)
via("median.all", "median")
via("median.dim", "median")
reduction("vector_norm", (0.2, 2), kwargs={"ord": st.sampled_from([2, 1, 3, float("inf")])},
          call=lambda lib, x, **k: (getattr(lib, "vector_norm", None) or
                                   lib.linalg.vector_norm)(x, **k))
reduction("norm", (0.2, 2), kwargs={"p": st.sampled_from(["fro", 2, 1, 3])})


def _extreme(v: str, gc: bool):
    """max/min in their three forms: all elements, along a dim (values and indices), and
    against another tensor."""
    def build(sh: tuple):
        x = array(v, sh, (-40, 40), gc=gc, unique=True)
        forms = [sample(x)]
        if sh:
            forms.append(sample(x, st.integers(-len(sh), len(sh) - 1), st.booleans()))
        forms.append(sample(x, array(v, sh, gc=gc, offset=1)))
        return st.one_of(forms)
    return shapes(gc=gc).flatmap(build)


for name in ("max", "min"):
    op(name, _extreme, variants=FLOATS + ("int32",),
       errors=(Bad("a dim out of range", lambda lib: (lib.ones(2, 3), 5), IndexError),))
    via(f"{name}.all", name)
    via(f"{name}.dim", name)
reduction("aminmax", multi=False, none=False, grad=False,
          call=lambda lib, x, **k: lib.aminmax(x, **k))


def _scan(v: str, gc: bool):
    return shapes(min_dims=1, gc=gc).flatmap(
        lambda sh: sample(array(v, sh, (0.5, 1.5), gc), dims_for(sh, multi=False, none=False)))


op("cumsum", _scan, variants=NUMERIC)
op("cumprod", _scan, variants=NUMERIC)


def _sum_to_size(v: str, gc: bool):
    def build(sh: tuple):
        keep = st.lists(st.booleans(), min_size=len(sh), max_size=len(sh))
        drop = st.integers(0, len(sh))
        return st.tuples(keep, drop).flatmap(lambda kd: sample(
            array(v, sh, gc=gc), tuple(s if k else 1 for s, k in zip(sh, kd[0]))[kd[1]:]))
    return shapes(gc=gc).flatmap(build)


op("sum_to_size", _sum_to_size, errors=(
    Bad("a size the tensor does not expand to", lambda lib: (lib.ones(2, 3), (4,)),
        RuntimeError),))
