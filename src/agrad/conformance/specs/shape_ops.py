"""Specs of the shape ops (ops/shape_ops.py): joining, flipping, rolling, repeating, sorting,
gathering and scattering."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..spec import FLOATS, Bad, array, op, sample, shapes, via

SHAPED = FLOATS + ("int32",)


def _dim(n: int):
    return st.integers(-n, n - 1) if n else st.just(0)


def _many(v: str, gc: bool, new_dim: bool):
    """Tensors that fit together along a drawn dim (cat: that dim's sizes differ)."""
    def build(sh):
        n = len(sh)
        dims = st.integers(-n - new_dim, n - 1 + new_dim) if n + new_dim else st.just(0)

        def parts(d):
            dd = d % n if n and not new_dim else None
            def one(i):
                s = sh if dd is None else sh[:dd] + (1 + (i % 2),) + sh[dd + 1:]
                return array(v, s, gc=gc, offset=i)
            return st.integers(1, 3).flatmap(lambda k: st.tuples(*[one(i) for i in range(k)]))
        return dims.flatmap(lambda d: parts(d).flatmap(lambda ts: sample(list(ts), d)))
    return shapes(min_dims=0 if new_dim else 1, gc=gc).flatmap(build)


op("cat", lambda v, gc: _many(v, gc, False), variants=SHAPED,
   errors=(Bad("sizes that differ off the dim",
               lambda lib: ([lib.ones(2, 3), lib.ones(3, 2)], 0), RuntimeError),))
op("stack", lambda v, gc: _many(v, gc, True), variants=SHAPED,
   errors=(Bad("shapes that differ", lambda lib: ([lib.ones(2), lib.ones(3)], 0),
               RuntimeError),))


def _seq(v: str, gc: bool, min_dims: int = 0):
    return shapes(min_dims=min_dims, gc=gc).flatmap(lambda sh: st.integers(1, 3).flatmap(
        lambda k: sample([array(v, sh, gc=gc, offset=i) for i in range(k)])))


for name in ("hstack", "vstack", "dstack"):
    op(name, _seq, variants=SHAPED)
for name in ("atleast_1d", "atleast_2d"):
    op(name, lambda v, gc: shapes(max_dims=2, gc=gc).flatmap(
        lambda sh: sample(array(v, sh, gc=gc))), variants=SHAPED)


def _flip(v: str, gc: bool):
    return shapes(gc=gc).flatmap(lambda sh: sample(array(v, sh, gc=gc), st.lists(
        st.integers(0, max(len(sh) - 1, 0)), max_size=len(sh), unique=True).map(tuple)))


op("flip", _flip, variants=SHAPED)
via("flip.dims", "flip")
op("fliplr", lambda v, gc: sample(array(v, shapes(min_dims=2, gc=gc), gc=gc)), variants=SHAPED)
op("flipud", lambda v, gc: sample(array(v, shapes(min_dims=1, gc=gc), gc=gc)), variants=SHAPED)


def _roll(v: str, gc: bool):
    def build(sh):
        n = len(sh)
        both = st.lists(st.tuples(st.integers(-5, 5), st.integers(0, n - 1)), min_size=1,
                        max_size=n).map(lambda p: (tuple(a for a, _ in p),
                                                   tuple(b for _, b in p)))
        return st.one_of(st.integers(-5, 5).map(lambda k: (k, None)), both).flatmap(
            lambda sd: sample(array(v, sh, gc=gc), sd[0], sd[1]))
    return shapes(min_dims=1, gc=gc).flatmap(build)


op("roll", _roll, variants=SHAPED)


def _repeats(sh: tuple):
    lead = st.lists(st.integers(1, 2), max_size=1)
    return lead.flatmap(lambda ld: st.tuples(*[st.integers(1, 3)] * len(sh)).map(
        lambda r: tuple(ld) + r))


op("repeat", lambda v, gc: shapes(max_dims=2, gc=gc).flatmap(lambda sh: sample(
    array(v, sh, gc=gc), _repeats(sh))), call=lambda lib, x, r: x.repeat(*r) if r
   else x.repeat(()), variants=SHAPED)
op("tile", lambda v, gc: shapes(max_dims=2, gc=gc).flatmap(lambda sh: sample(
    array(v, sh, gc=gc), _repeats(sh))), variants=SHAPED)


def _repeat_interleave(v: str, gc: bool):
    def build(sh):
        n = len(sh)
        per_dim = st.integers(0, n - 1).flatmap(lambda d: st.tuples(
            st.lists(st.integers(0, 2), min_size=sh[d], max_size=sh[d]).map(
                lambda r: np.array(r, dtype=np.int64)), st.just(d)))
        return st.one_of(st.tuples(st.integers(1, 3), st.none() | _dim(n)), per_dim).flatmap(
            lambda rd: sample(array(v, sh, gc=gc), rd[0], rd[1]))
    return shapes(min_dims=1, gc=gc).flatmap(build)


op("repeat_interleave", _repeat_interleave, variants=SHAPED)


def _sortable(v: str, gc: bool, **kw):
    return shapes(gc=gc).flatmap(lambda sh: sample(
        array(v, sh, (-40, 40), gc=gc, unique=True), _dim(len(sh)), **kw))


op("sort", lambda v, gc: _sortable(v, gc, descending=st.booleans()), variants=SHAPED)
op("argsort", lambda v, gc: _sortable(v, gc, descending=st.booleans()), variants=SHAPED)
op("msort", lambda v, gc: sample(array(v, shapes(gc=gc), (-40, 40), gc=gc, unique=True)),
   variants=SHAPED)


def _topk(v: str, gc: bool):
    def build(sh):
        n = len(sh)
        return _dim(n).flatmap(lambda d: sample(
            array(v, sh, (-40, 40), gc=gc, unique=True),
            st.integers(0, sh[d] if n else 1), d, st.booleans()))
    return shapes(gc=gc).flatmap(build)


op("topk", _topk, variants=SHAPED,
   errors=(Bad("k larger than the dim", lambda lib: (lib.ones(3), 4), RuntimeError),))


def _index_like(sh: tuple, d: int):
    """An int64 index shaped like `sh` (any size along `d`), values < sh[d]."""
    sizes = st.tuples(*[st.integers(1, s) if i != d else st.integers(1, 3)
                        for i, s in enumerate(sh)])
    return sizes.flatmap(lambda ish: _int_array(ish, sh[d]))


def _int_array(shape: tuple, high: int):
    from hypothesis.extra import numpy as hnp
    return hnp.arrays(np.int64, shape, elements=st.integers(0, max(high - 1, 0)))


def _gather(v: str, gc: bool):
    def build(sh):
        return _dim(len(sh)).flatmap(lambda d: _index_like(sh, d % len(sh)).flatmap(
            lambda idx: sample(array(v, sh, gc=gc), d, idx)))
    return shapes(min_dims=1, gc=gc).flatmap(build)


op("gather", _gather, variants=SHAPED,
   errors=(Bad("a non-integer index", lambda lib: (lib.ones(2, 3), 1, lib.ones(2, 2)),
               RuntimeError),))


def _take_along(v: str, gc: bool):
    return _gather(v, gc).map(lambda s: type(s)((s.args[0], s.args[2], s.args[1]), {}, None))


op("take_along_dim", _take_along, variants=SHAPED)


def _index_select(v: str, gc: bool):
    def build(sh):
        return _dim(len(sh)).flatmap(lambda d: sample(
            array(v, sh, gc=gc), d, _int_array((3,), sh[d]) | _int_array((), sh[d])))
    return shapes(min_dims=1, gc=gc).flatmap(build)


op("index_select", _index_select, variants=SHAPED)


def _scatter(v: str, gc: bool, src: bool = True, reduce: bool = False):
    """scatter(input, dim, index, src): an index without repeats along the dim (so the result
    does not depend on the order of writes), src at least index's shape."""
    def build(sh):
        n = len(sh)
        def with_dim(d):
            d = d % n
            k = st.integers(1, sh[d])
            def idx_for(kk):
                other = [st.integers(1, s) for s in sh]
                other[d] = st.just(kk)
                def perm_index(ish):
                    cols = st.lists(st.permutations(list(range(sh[d]))), min_size=1,
                                    max_size=1)
                    return cols.map(lambda p: np.broadcast_to(
                        np.array(p[0][:kk]).reshape((1,) * d + (kk,) + (1,) * (n - d - 1)),
                        ish).astype(np.int64).copy())
                return st.tuples(*other).flatmap(perm_index)
            def with_idx(idx):
                value = array(v, idx.shape, gc=gc, offset=1) if src else \
                    st.sampled_from([1.5, -2.0])
                extra = {"reduce": st.sampled_from(["add", "multiply"])} if reduce else {}
                return sample(array(v, sh, gc=gc), d, idx, value, **extra)
            return k.flatmap(idx_for).flatmap(with_idx)
        return _dim(n).flatmap(with_dim)
    return shapes(min_dims=1, gc=gc).flatmap(build)


op("scatter", lambda v, gc: st.one_of(_scatter(v, gc), _scatter(v, gc, False)),
   variants=FLOATS, errors=(Bad("an index out of range", lambda lib: (
       lib.zeros(2, 3), 1, lib.tensor([[3]]), lib.ones(1, 1)), RuntimeError, values=True),))
via("scatter.kernel", "scatter")
op("scatter_add", _scatter, variants=FLOATS)
via("scatter_add.kernel", "scatter_add")


def _masked_fill(v: str, gc: bool):
    from ..spec import broadcast_pair
    return broadcast_pair(gc).filter(lambda p: np.broadcast_shapes(*p) == p[0]).flatmap(
        lambda sh: sample(array(v, sh[0], gc=gc), array("bool", sh[1]),
                          st.sampled_from([1.5, -2.0, 0.0])))


op("masked_fill", _masked_fill, variants=SHAPED,
   errors=(Bad("a non-bool mask", lambda lib: (lib.ones(2), lib.ones(2), 1.0),
               RuntimeError),))


op("meshgrid", lambda v, gc: st.integers(1, 3).flatmap(lambda k: sample(
    *[array(v, (st.integers(1, 4).map(lambda m: (m,))), gc=gc, offset=i) for i in range(k)],
    indexing=st.sampled_from(["ij", "xy"]))), variants=SHAPED)


def _cross(v: str, gc: bool):
    shape = st.sampled_from([(3,), (2, 3), (3, 2), (2, 3, 2)])
    return shape.flatmap(lambda sh: sample(
        array(v, sh, gc=gc), array(v, sh, gc=gc, offset=1), sh.index(3)))


op("cross", _cross, variants=SHAPED)
via("cross.kernel", "cross")
