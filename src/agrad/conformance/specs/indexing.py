"""Specs of indexing (ops/indexing.py, and the view rows of basic indexing): `x[key]` and
`x[key] = value` with basic keys, integer arrays and boolean masks; nonzero, masked_select,
take; writes through views inside a graph (CopySlices and regenerated view grad_fns)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..spec import Bad, array, op, sample, shapes, via

KEYS = ("float32", "float64", "int32", "float32:advanced", "float64:mask")


def _slice(n: int):
    bound = st.none() | st.integers(-n - 1, n + 1)
    return st.builds(slice, bound, bound, st.none() | st.integers(1, 3))


def _basic(sh: tuple):
    items = [st.integers(-n, n - 1) | _slice(n) if n else _slice(n) for n in sh]
    k = st.integers(0, len(sh))
    return k.flatmap(lambda m: st.tuples(st.tuples(*items[:m]), st.sampled_from(
        ["plain", "none-first", "none-last", "ellipsis"]))).map(_decorate)


def _decorate(kd):
    key, how = kd
    if how == "none-first":
        return (None,) + key
    if how == "none-last":
        return key + (None,)
    if how == "ellipsis":
        return (Ellipsis,) + key[1:]
    return key


def _advanced(sh: tuple):
    def build(d):
        n = sh[d]
        idx = st.lists(st.integers(-n, n - 1), min_size=1, max_size=4).map(
            lambda v: np.array(v, dtype=np.int64))
        rest = [_slice(m) for m in sh[d + 1:]]
        return st.tuples(idx, *rest).map(lambda t: (slice(None),) * d + t)
    return st.integers(0, len(sh) - 1).flatmap(build)


def _mask(sh: tuple):
    return st.integers(1, len(sh)).flatmap(lambda k: array("bool", sh[:k]).map(lambda m: (m,)))


def key_sample(v: str, gc: bool, value: bool = False):
    """(x, key[, value]) with a key of the variant's kind; the value fits x[key]."""
    dt, _, kind = v.partition(":")
    min_dims = 1 if kind else 0

    def build(sh: tuple):
        keys = {"": _basic, "advanced": _advanced, "mask": _mask}[kind](sh)
        x = array(dt, sh, gc=gc)
        if not value:
            return sample(x, keys)
        return keys.flatmap(lambda key: sample(
            x, key, _value_for(dt, sh, key, gc)))
    return shapes(min_dims=min_dims, gc=gc).flatmap(build)


def _value_for(dt: str, sh: tuple, key: tuple, gc: bool):
    """A value for `x[key] = value`: a number, or an array of x[key]'s shape or a suffix of it
    (broadcast)."""
    target = np.empty(sh)[key].shape
    suffix = st.integers(0, len(target)).map(lambda k: target[k:])
    scalar = st.just(1.5) if dt.startswith("float") else st.just(3)
    return scalar | suffix.flatmap(lambda s: array(dt, s, gc=gc, offset=1))


def _getitem(lib, x, key):
    return x[key]


def _setitem(lib, x, key, value):
    y = x.clone()
    y[key] = value
    return y


op("Tensor.__getitem__", lambda v, gc: key_sample(v, gc), call=_getitem, variants=KEYS,
   errors=(Bad("an index out of range", lambda lib: (lib.ones(2, 3), (0, 3)), IndexError),
           Bad("too many indices", lambda lib: (lib.ones(2, 3), (0, 0, 0)), IndexError)))
op("Tensor.__setitem__", lambda v, gc: key_sample(v, gc, True), call=_setitem, variants=KEYS,
   errors=(Bad("an index out of range", lambda lib: (lib.ones(2, 3), (0, 3), 1.0), IndexError),))
via("index.basic", "Tensor.__getitem__")
via("index_scatter", "Tensor.__getitem__")
via("index", "Tensor.__getitem__")
via("index_add.zeros", "Tensor.__getitem__")
via("index_put", "Tensor.__setitem__")
via("index_put.zero", "Tensor.__setitem__")

DATA = ("float32", "int32", "bool")
op("nonzero", lambda v, gc: sample(array(v, domain=(-1, 1), gc=gc), as_tuple=st.booleans()),
   variants=DATA, grad=False)
via("nonzero.columns", "nonzero")
op("argwhere", lambda v, gc: sample(array(v, domain=(-1, 1), gc=gc)), variants=DATA,
   grad=False)


def _masked_select(v: str, gc: bool):
    from ..spec import broadcast_pair
    return broadcast_pair(gc).flatmap(lambda sh: sample(array(v, sh[0], gc=gc),
                                                        array("bool", sh[1])))


op("masked_select", _masked_select, variants=("float32", "float64", "int32"),
   errors=(Bad("a non-bool mask", lambda lib: (lib.ones(2), lib.ones(2)), RuntimeError),))


def _take(v: str, gc: bool):
    def build(sh):
        n = int(np.prod(sh))
        idx = shapes(max_dims=2, gc=gc).flatmap(lambda s: array(
            "int64", s, (-n, n - 1)))
        return sample(array(v, sh, gc=gc), idx)
    return shapes(gc=gc).flatmap(build)


op("take", _take, variants=("float32", "float64", "int32"),
   errors=(Bad("an index out of range", lambda lib: (lib.ones(2, 3), lib.tensor([6])),
               IndexError),))


def _through_view(v: str, gc: bool):
    def build(sh):
        return sample(array(v, sh, gc=gc), array(v, sh[1:], gc=gc, offset=1))
    return shapes(min_dims=1, gc=gc).filter(lambda s: s[0] >= 2).flatmap(build)


def _write_through_view(lib, x, w):
    """An in-place op through a view of a non-leaf: the base's history becomes CopySlices."""
    y = x * 1
    y[1].mul_(w)
    return y


def _regenerated_view(lib, x, w):
    """A view whose base is written in place afterwards: its grad_fn is regenerated."""
    y = x * 1
    v = y[1:]
    y.mul_(2)
    return v * w


op("chain_scatter", _through_view, call=_write_through_view, inplace=False, out=False)
op("chain_view", _through_view, call=_regenerated_view, inplace=False, out=False)
