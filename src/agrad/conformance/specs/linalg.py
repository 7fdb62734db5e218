"""Specs of the matrix products and diagonals (ops/linalg.py)."""

from __future__ import annotations

from hypothesis import strategies as st

from ..spec import FLOATS, Bad, array, op, sample, via

MATS = FLOATS + ("int32",)
n = st.integers(1, 4)
MISMATCH = Bad("inner dimensions that differ", lambda lib: (lib.ones(2, 3), lib.ones(4, 2)),
               RuntimeError)


def _vv(v: str, gc: bool):
    return n.flatmap(lambda k: sample(array(v, (k,), gc=gc), array(v, (k,), gc=gc, offset=1)))


def _mm(v: str, gc: bool):
    return st.tuples(n, n, n).flatmap(lambda s: sample(
        array(v, (s[0], s[1]), gc=gc), array(v, (s[1], s[2]), gc=gc, offset=1)))


def _mv(v: str, gc: bool):
    return st.tuples(n, n).flatmap(lambda s: sample(
        array(v, s, gc=gc), array(v, (s[1],), gc=gc, offset=1)))


def _bmm(v: str, gc: bool):
    return st.tuples(n, n, n, n).flatmap(lambda s: sample(
        array(v, s[:3], gc=gc), array(v, (s[0], s[2], s[3]), gc=gc, offset=1)))


def _matmul(v: str, gc: bool):
    """1-D, 2-D and batched operands, batch dims broadcast."""
    def build(s):
        b1, b2, i, k, j = s
        left = st.sampled_from([(k,), (i, k), b1 + (i, k)])
        right = st.sampled_from([(k,), (k, j), b2 + (k, j)])
        return st.tuples(left, right).flatmap(lambda lr: sample(
            array(v, lr[0], gc=gc), array(v, lr[1], gc=gc, offset=1)))
    batch = st.sampled_from([(), (2,), (1, 3), (2, 3)])
    return st.tuples(batch, batch.map(lambda b: b[-1:]), n, n, n).flatmap(build)


op("dot", _vv, variants=MATS, errors=(Bad("2-D operands", lambda lib: (lib.ones(2, 2),
                                                                        lib.ones(2, 2)),
                                          RuntimeError),))
op("vdot", _vv, variants=MATS + ("complex64",), gradcheck=False)
op("inner", _vv, variants=MATS)
op("outer", _vv, variants=MATS)
op("mm", _mm, variants=MATS, errors=(MISMATCH,))
via("mm.nt", "mm")
via("mm.tn", "mm")
op("mv", _mv, variants=MATS)
op("bmm", _bmm, variants=MATS)
op("matmul", _matmul, variants=MATS, errors=(MISMATCH,))


def _addmm(v: str, gc: bool):
    def build(s):
        i, k, j = s
        bias = st.sampled_from([(i, j), (j,), (1, j), ()])
        return bias.flatmap(lambda b: sample(
            array(v, b, gc=gc, offset=2), array(v, (i, k), gc=gc),
            array(v, (k, j), gc=gc, offset=1), beta=st.sampled_from([1, 0.5]),
            alpha=st.sampled_from([1, 2])))
    return st.tuples(n, n, n).flatmap(build)


op("addmm", _addmm, variants=FLOATS)
# in place: a bias of the product's shape (one that only broadcasts is PyTorch's error)
op("Tensor.addmm_", _addmm, call=lambda lib, b, m1, m2, **k: b.clone().addmm_(m1, m2, **k),
   variants=FLOATS)


def _diagonal(v: str, gc: bool):
    shape = st.lists(st.integers(1, 4), min_size=2, max_size=3).map(tuple)
    return shape.flatmap(lambda sh: sample(
        array(v, sh, gc=gc), st.integers(-2, 2), st.just(0), st.sampled_from([1, -1])))


op("diagonal", _diagonal, variants=MATS)
via("diagonal_backward", "diagonal")


def _diag(v: str, gc: bool):
    shape = st.sampled_from([(1,), (3,), (2, 2), (2, 4), (4, 3)])
    return shape.flatmap(lambda sh: sample(array(v, sh, gc=gc), st.integers(-2, 2)))


op("diag", _diag, variants=MATS)
via("diag.copy", "diag")


def _diag_embed(v: str, gc: bool):
    shape = st.lists(st.integers(1, 3), min_size=1, max_size=2).map(tuple)
    return shape.flatmap(lambda sh: sample(array(v, sh, gc=gc), st.integers(-1, 1)))


op("diag_embed", _diag_embed, variants=MATS)
via("diag_embed.kernel", "diag_embed")


def _matrix(v: str, gc: bool, **kw):
    shape = st.lists(st.integers(1, 4), min_size=2, max_size=3).map(tuple)
    return shape.flatmap(lambda sh: sample(array(v, sh, gc=gc), **kw))


op("trace", lambda v, gc: st.tuples(n, n).flatmap(lambda s: sample(array(v, s, gc=gc))),
   variants=MATS, errors=(Bad("a 3-D input", lambda lib: (lib.ones(2, 2, 2),), RuntimeError),))
op("tril", lambda v, gc: _matrix(v, gc, diagonal=st.integers(-2, 2)), variants=MATS)
op("triu", lambda v, gc: _matrix(v, gc, diagonal=st.integers(-2, 2)), variants=MATS)

EQUATIONS = {"ij,jk->ik": ((2, 3), (3, 4)), "ii->i": ((3, 3),), "i,i->": ((4,), (4,)),
             "bij,bjk->bik": ((2, 2, 3), (2, 3, 2)), "ij->ji": ((2, 3),),
             "ij,j->i": ((3, 2), (2,)), "i,j->ij": ((2,), (3,)), "...ij->...ji": ((2, 3, 4),)}


def _einsum(v: str, gc: bool):
    return st.sampled_from(sorted(EQUATIONS)).flatmap(lambda eq: sample(
        eq, *[array(v, s, gc=gc, offset=i) for i, s in enumerate(EQUATIONS[eq])]))


op("einsum", _einsum, variants=FLOATS,
   errors=(Bad("operands that do not fit the equation",
               lambda lib: ("ij,jk->ik", lib.ones(2, 3), lib.ones(2, 3)), RuntimeError),))
