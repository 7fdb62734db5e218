"""Specs of the view rows (ops/views.py): reshapes, permutations, squeezes, expands, splits.
Results alias their input; the semantic checks cover writes through chains of them."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from ..spec import FLOATS, Bad, array, op, sample, shapes, via

VIEWS = FLOATS + ("int32",)
BAD_SHAPE = Bad("a shape of another size", lambda lib: (lib.ones(2, 3), (4,)), RuntimeError)


def _perm(n: int):
    return st.permutations(list(range(n))).map(tuple)


def _dim(n: int, extra: int = 0):
    return st.integers(-n - extra, n - 1 + extra) if n + extra else st.just(0)


def with_shape(build, min_dims: int = 0, max_side: int = 4):
    """A sample strategy from `build(variant, gc, shape)`."""
    return lambda v, gc: shapes(min_dims=min_dims, max_side=max_side, gc=gc).flatmap(
        lambda sh: build(v, gc, sh))


def _new_shapes(sh: tuple):
    n = math.prod(sh)
    return st.sampled_from([(-1,), (n,), (1, -1), tuple(reversed(sh)), sh + (1,), (n, 1)])


def _view(v, gc, sh):
    return sample(array(v, sh, gc=gc), _new_shapes(sh))


op("view", with_shape(_view), call=lambda lib, x, shape: x.view(shape), variants=VIEWS,
   errors=(BAD_SHAPE, Bad("a non-contiguous input", lambda lib: (lib.ones(2, 3).t(), (6,)),
                          RuntimeError)))


def _reshape(v, gc, sh):
    return sample(array(v, sh, gc=gc), _perm(len(sh)), _new_shapes(sh))


# a permuted input makes reshape copy (the `_unsafe_view` row) or alias it with computed strides
# (`_reshape_alias`), a contiguous one view
op("reshape", with_shape(_reshape), call=lambda lib, x, p, shape: x.permute(p).reshape(shape),
   variants=VIEWS, errors=(Bad("a shape of another size", lambda lib: (lib.ones(2, 3), (1, 0),
                                                                        (4,)), RuntimeError),))
via("_unsafe_view", "reshape")


# a permuted input reshaped to its own shape with a unit dim: a view with computed strides
op("_reshape_alias", with_shape(lambda v, gc, sh: sample(array(v, sh, gc=gc), _perm(len(sh)))),
   variants=VIEWS,
   call=lambda lib, x, p: x.permute(p).reshape(*(x.shape[d] for d in p), 1))


def _as(v, gc, sh):
    return sample(array(v, sh, gc=gc), array(v, _new_shapes(sh).map(
        lambda s: tuple(math.prod(sh) if d == -1 else d for d in s)), gc=gc), grad=(0,))


op("view_as", with_shape(_as), variants=VIEWS)
op("reshape_as", with_shape(_as), variants=VIEWS)
op("permute", with_shape(lambda v, gc, sh: sample(array(v, sh, gc=gc), _perm(len(sh)))),
   call=lambda lib, x, p: x.permute(p), variants=VIEWS,
   errors=(Bad("a repeated dim", lambda lib: (lib.ones(2, 3), (0, 0)), RuntimeError),))


def _two_dims(v, gc, sh):
    return sample(array(v, sh, gc=gc), _dim(len(sh)), _dim(len(sh)))


op("transpose", with_shape(_two_dims), variants=VIEWS,
   errors=(Bad("a dim out of range", lambda lib: (lib.ones(2, 3), 0, 4), IndexError),))
op("t", lambda v, gc: sample(array(v, shapes(max_dims=2, gc=gc), gc=gc)), variants=VIEWS,
   errors=(Bad("a 3-D input", lambda lib: (lib.ones(2, 3, 4),), RuntimeError),))
op("movedim", with_shape(_two_dims), variants=VIEWS)
op("T", lambda v, gc: sample(array(v, shapes(max_dims=2, gc=gc), gc=gc)), variants=VIEWS)
op("mT", with_shape(lambda v, gc, sh: sample(array(v, sh, gc=gc)), min_dims=2), variants=VIEWS,
   errors=(Bad("a 1-D input", lambda lib: (lib.ones(3),), RuntimeError),))
op("H", lambda v, gc: sample(array(v, shapes(max_dims=2, gc=gc), gc=gc)),
   variants=VIEWS + ("complex64",), gradcheck=False)
op("mH", with_shape(lambda v, gc, sh: sample(array(v, sh, gc=gc)), min_dims=2),
   variants=VIEWS + ("complex64",), gradcheck=False)


def _squeeze(v, gc, sh):
    n = len(sh)
    dims = st.none() | _dim(n) | st.lists(st.integers(0, max(n - 1, 0)), max_size=n,
                                          unique=True).map(tuple)
    return sample(array(v, sh, gc=gc), dims)


op("squeeze", with_shape(_squeeze, max_side=2), call=lambda lib, x, d: x.squeeze()
   if d is None else x.squeeze(d), inplace=lambda lib, x, d: x.squeeze_() if d is None
   else x.squeeze_(d), variants=VIEWS)
op("unsqueeze", with_shape(lambda v, gc, sh: sample(array(v, sh, gc=gc), _dim(len(sh), 1))),
   variants=VIEWS,
   errors=(Bad("a dim out of range", lambda lib: (lib.ones(2, 3), 4), IndexError),))


def _flatten(v, gc, sh):
    n = max(len(sh), 1)
    return st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).flatmap(
        lambda se: sample(array(v, sh, gc=gc), min(se), max(se)))


op("flatten", with_shape(_flatten), variants=VIEWS)


def _unflatten(v, gc, sh):
    def sizes(d):
        n = sh[d]
        return st.sampled_from([(n,), (1, n), (n, 1), (-1, 1), (1, -1)])
    return st.integers(0, len(sh) - 1).flatmap(
        lambda d: sample(array(v, sh, gc=gc), d, sizes(d)))


op("unflatten", with_shape(_unflatten, min_dims=1), variants=VIEWS)


def _expand_size(sh: tuple):
    lead = st.lists(st.integers(1, 3), max_size=2).map(tuple)
    body = st.tuples(*[st.sampled_from([s, -1] + ([2, 3] if s == 1 else [])) for s in sh])
    return st.tuples(lead, body).map(lambda lb: lb[0] + lb[1])


def _expand(v, gc, sh):
    return sample(array(v, sh, gc=gc), _expand_size(sh))


BAD_EXPAND = Bad("a size that is no broadcast", lambda lib: (lib.ones(2, 3), (4, 3)),
                 RuntimeError)
op("expand", with_shape(_expand, max_side=2), call=lambda lib, x, s: x.expand(s),
   variants=VIEWS, errors=(BAD_EXPAND,))
op("expand_as", with_shape(lambda v, gc, sh: sample(
    array(v, sh, gc=gc), array(v, _expand_size(sh).map(
        lambda s: tuple(sh[i - len(s) + len(sh)] if d == -1 else d for i, d in enumerate(s))),
        gc=gc), grad=(0,)), max_side=2), variants=VIEWS)
op("broadcast_to", with_shape(_expand, max_side=2), variants=VIEWS, errors=(BAD_EXPAND,))
op("expand_copy", with_shape(_expand, max_side=2), variants=VIEWS, errors=(BAD_EXPAND,))


def _narrow(v, gc, sh):
    def build(d):
        n = sh[d]
        return st.integers(0, n).flatmap(lambda s: sample(
            array(v, sh, gc=gc), d, s, st.integers(0, n - s)))
    return st.integers(0, len(sh) - 1).flatmap(build)


op("narrow", with_shape(_narrow, min_dims=1), variants=VIEWS,
   errors=(Bad("a length past the end", lambda lib: (lib.ones(2, 3), 1, 2, 2), RuntimeError),))


def _select(v, gc, sh):
    return st.integers(0, len(sh) - 1).flatmap(lambda d: sample(
        array(v, sh, gc=gc), d, st.integers(-sh[d], sh[d] - 1)))


op("select", with_shape(_select, min_dims=1), variants=VIEWS,
   errors=(Bad("an index out of range", lambda lib: (lib.ones(2, 3), 1, 3), IndexError),))


def _split(v, gc, sh):
    def build(d):
        n = sh[d]
        sections = st.lists(st.integers(0, n), min_size=1, max_size=3).filter(
            lambda s: sum(s) == n) | st.just([n])
        return sample(array(v, sh, gc=gc), st.integers(1, n + 1) | sections, d)
    return st.integers(0, len(sh) - 1).flatmap(build)


op("split", with_shape(_split, min_dims=1), variants=VIEWS)


def _chunk(v, gc, sh):
    return st.integers(0, len(sh) - 1).flatmap(lambda d: sample(
        array(v, sh, gc=gc), st.integers(1, 4), d))


op("chunk", with_shape(_chunk, min_dims=1), variants=VIEWS)
op("unbind", with_shape(lambda v, gc, sh: sample(array(v, sh, gc=gc),
                                                  _dim(len(sh))), min_dims=1), variants=VIEWS)
via("split.views", "split")


def _tensor_split(v, gc, sh):
    def build(d):
        n = sh[d]
        idx = st.lists(st.integers(0, n), max_size=3).map(sorted)
        return sample(array(v, sh, gc=gc), st.integers(1, 4) | idx, d)
    return st.integers(0, len(sh) - 1).flatmap(build)


op("tensor_split", with_shape(_tensor_split, min_dims=1), variants=VIEWS)
op("clone", lambda v, gc: sample(array(v, gc=gc)), variants=VIEWS + ("bool", "complex64"))
via("clone.preserve", "clone")
op("contiguous", with_shape(lambda v, gc, sh: sample(array(v, sh, gc=gc), _perm(len(sh)))),
   call=lambda lib, x, p: x.permute(p).contiguous(), variants=VIEWS)
via("clone.contiguous", "contiguous")
op("view_as_real", lambda v, gc: sample(array(v, gc=gc)), variants=("complex64",),
   gradcheck=False, errors=(Bad("a real input", lambda lib: (lib.ones(2),), RuntimeError),))
