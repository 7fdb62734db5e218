"""Specs of the matrix functions and decompositions (ops/decompositions.py): `agrad.linalg.*`
against torch.linalg, and the legacy spellings (`agrad.det`, `x.inverse()`, `agrad.svd` ...).

Inputs are well conditioned: square matrices are diagonally dominant (a row may be negated, so
determinants take both signs), symmetric ones are `a + a.mT` of such a matrix (positive
definite, and what eigh and cholesky read is all of the input, so finite differences see what
the analytical gradient says). Factors defined up to signs (QR's, the singular and eigen
vectors) are compared after fixing the signs the same way on both sides — a smooth function of
the input, so its gradients are compared too; the columns a `complete`/`full_matrices` factor
adds beyond the rank are any orthonormal completion and are left out.

A backend without a function (`Backend.supports("linalg", name)`: Dask has no det, slogdet,
eigh or pinv) reports it as not supported (declared).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..spec import FLOATS, Bad, array, op, sample

BATCH = st.sampled_from([(), (2,)])
N = st.integers(1, 3)


def square(v: str, gc: bool, n=N, batch=BATCH, flip: bool = True):
    """Diagonally dominant square matrices, their diagonal spread out (eigenvalues and singular
    values apart), with the first row negated sometimes."""
    def build(bn):
        b, k = bn
        sign = st.sampled_from([1, -1]) if flip else st.just(1)
        return st.tuples(array(v, b + (k, k), (-0.5, 0.5), gc), sign).map(
            lambda a: _dominant(a[0], a[1]))
    return st.tuples(batch, n).flatmap(build)


def _spread(a: np.ndarray) -> np.ndarray:
    """a plus a diagonal 2, 5, 8 ... (a rectangular one for a rectangular a)."""
    m, k = a.shape[-2:]
    return (a + np.eye(m, k) * (2 + 3 * np.arange(k))).astype(a.dtype)


def _dominant(a: np.ndarray, sign: int) -> np.ndarray:
    out = _spread(a)
    out[..., 0, :] *= sign
    return out


def general(v: str, gc: bool, batch=BATCH):
    """Matrices of any shape (tall, wide, square) with distinct singular values, well apart."""
    return st.tuples(batch, N, N).flatmap(
        lambda s: array(v, s[0] + s[1:], (-0.5, 0.5), gc).map(_spread))


def sym(lib, a):
    """The symmetric matrix eigh/cholesky read (what finite differences perturb is all of a)."""
    return a + a.mT


def signs(x, dim: int):
    """+1/-1 per column (dim=-2) or row (dim=-1): the sign of its entry of largest magnitude."""
    idx = x.abs().argmax(dim, keepdim=True)
    s = x.gather(dim, idx).sign()
    return s + (s == 0)


def qr_fixed(lib, Q, R):
    """Q's first k columns and R's first k rows, signed so that R's diagonal is >= 0."""
    k = min(Q.shape[-2], R.shape[-1])
    Q, R = Q[..., :k], R[..., :k, :]
    d = R.diagonal(0, -2, -1).sign()
    d = d + (d == 0)
    return Q * d[..., None, :], R * d[..., :, None]


def svd_fixed(lib, U, S, Vh):
    """U's first k columns and Vh's first k rows, each pair signed by U's column."""
    k = S.shape[-1]
    U, Vh = U[..., :k], Vh[..., :k, :]
    s = signs(U, -2)
    return U * s, S, Vh * s.mT


def eigh_fixed(lib, L, V):
    return L, V * signs(V, -2)


LINALG = Bad("a 1-D input", lambda lib: (lib.ones(3),), RuntimeError)
SQUARE = Bad("a non-square matrix", lambda lib: (lib.ones(2, 3),), RuntimeError)
INTEGER = Bad("an integer matrix", lambda lib: (lib.ones(2, 2, dtype=lib.int64),),
              RuntimeError)
MATRIX_ERRORS = (LINALG, SQUARE, INTEGER)


def la(name: str):
    """lib.linalg.name"""
    return lambda lib, *a, **k: getattr(lib.linalg, name)(*a, **k)


op("agrad.linalg.inv", lambda v, gc: sample(square(v, gc)), call=la("inv"),
   errors=MATRIX_ERRORS)
op("agrad.linalg.det", lambda v, gc: sample(square(v, gc)), call=la("det"),
   errors=MATRIX_ERRORS)
op("agrad.linalg.slogdet", lambda v, gc: sample(square(v, gc)), call=la("slogdet"),
   errors=MATRIX_ERRORS)


def _solve(v: str, gc: bool):
    """A (batched) with B a vector, a batch of vectors (A's shape less its last dim) or a
    matrix of right-hand sides."""
    def build(a):
        n = a.shape[-1]
        rhs = st.sampled_from([(n,), a.shape[:-1], a.shape[:-1] + (2,), (n, 1)])
        return rhs.flatmap(lambda b: sample(a, array(v, b, gc=gc, offset=1)))
    return square(v, gc).flatmap(build)


op("agrad.linalg.solve", _solve, call=la("solve"), errors=(
    SQUARE, Bad("a right-hand side of another size",
                lambda lib: (lib.eye(2), lib.ones(3)), RuntimeError)))


def _cholesky(v: str, gc: bool, **kw):
    return square(v, gc, flip=False).flatmap(lambda a: sample(a, **kw))


op("agrad.linalg.cholesky", lambda v, gc: _cholesky(v, gc, upper=st.booleans()),
   call=lambda lib, a, upper: lib.linalg.cholesky(sym(lib, a), upper=upper),
   errors=MATRIX_ERRORS)


def _qr(v: str, gc: bool):
    return general(v, gc).flatmap(lambda a: sample(a, st.sampled_from(
        ["reduced", "complete"] if a.shape[-2] <= a.shape[-1] else ["reduced"])))


op("agrad.linalg.qr", _qr, call=lambda lib, a, mode: qr_fixed(lib, *lib.linalg.qr(a, mode)),
   errors=(LINALG, INTEGER, Bad(
       "a backward of complete factors of a tall matrix",
       lambda lib: (lib.ones(3, 2).requires_grad_(),), RuntimeError,
       call=lambda lib, a: lib.linalg.qr(a, "complete")[0].sum().backward())))
op("agrad.linalg.svd", lambda v, gc: general(v, gc).flatmap(
    lambda a: sample(a, full_matrices=st.booleans())),
   call=lambda lib, a, **k: svd_fixed(lib, *lib.linalg.svd(a, **k)), errors=(LINALG, INTEGER))
op("agrad.linalg.svdvals", lambda v, gc: sample(general(v, gc)), call=la("svdvals"),
   errors=(LINALG, INTEGER))
op("agrad.linalg.eigh", lambda v, gc: sample(square(v, gc, flip=False)),
   call=lambda lib, a: eigh_fixed(lib, *lib.linalg.eigh(sym(lib, a))), errors=MATRIX_ERRORS)
op("agrad.linalg.eigvalsh", lambda v, gc: sample(square(v, gc, flip=False)),
   call=lambda lib, a: lib.linalg.eigvalsh(sym(lib, a)), errors=MATRIX_ERRORS)
op("agrad.linalg.pinv", lambda v, gc: sample(general(v, gc)), call=la("pinv"),
   errors=(LINALG, INTEGER))


def _power(v: str, gc: bool):
    return square(v, gc).flatmap(lambda a: sample(a, st.integers(-2, 3)))


op("agrad.linalg.matrix_power", _power, call=la("matrix_power"),
   variants=FLOATS + ("int32",), errors=(SQUARE,))

MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, float("inf"), -float("inf")]


def _matrix_norm(v: str, gc: bool):
    return general(v, gc).flatmap(lambda a: sample(
        a, st.sampled_from(MATRIX_ORDS), st.sampled_from([(-2, -1), (-1, -2), (0, -1)]),
        st.booleans()))


op("agrad.linalg.matrix_norm", _matrix_norm, call=la("matrix_norm"),
   errors=(INTEGER, Bad("an unknown order", lambda lib: (lib.ones(2, 2), 3), RuntimeError)))


def _vector_norm(v: str, gc: bool):
    from ..spec import dims_for, shapes
    return shapes(gc=gc).flatmap(lambda sh: sample(
        array(v, sh, (0.2, 2), gc), st.sampled_from([2, 1, 3, 0.5, float("inf"), 0]),
        dims_for(sh), st.booleans()))


op("agrad.linalg.vector_norm", _vector_norm, call=la("vector_norm"))


def _norm(v: str, gc: bool):
    """Vector norms over a dim, or over a 1-D input; matrix norms over two dims."""
    vec = _vector_norm(v, gc).filter(lambda s: s.args[1] != 0.5 and (
        isinstance(s.args[2], int) or (s.args[2] is None and s.args[0].ndim == 1) or
        (s.args[2] is not None and len(s.args[2]) == 1)))
    return vec | general(v, gc).flatmap(lambda a: sample(
        a, st.sampled_from(["fro", "nuc", None, 1, float("inf")]), st.just((-2, -1)),
        st.booleans()))


op("agrad.linalg.norm", _norm, call=la("norm"), errors=(
    Bad("an order without dims for a 3-D input", lambda lib: (lib.ones(2, 2, 2), 2),
        RuntimeError),
    Bad("three dims", lambda lib: (lib.ones(2, 2, 2), None, (0, 1, 2)), RuntimeError)))


def _rank(v: str, gc: bool):
    """Full rank, and rank-deficient: a repeated row."""
    def deficient(a):
        if a.shape[-2] > 1:
            a = a.copy()
            a[..., -1, :] = a[..., 0, :]
        return a
    return general(v, gc).flatmap(lambda a: sample(st.sampled_from([a, deficient(a)])))


op("agrad.linalg.matrix_rank", _rank, call=la("matrix_rank"), grad=False,
   errors=(LINALG, INTEGER))


def _vecdot(v: str, gc: bool):
    from ..spec import broadcast_pair
    return broadcast_pair(gc).filter(lambda p: all(len(s) and s[-1] > 1 or not len(s) or
                                                   s[-1] == 1 for s in p)).flatmap(
        lambda p: _same_last(v, gc, p))


def _same_last(v: str, gc: bool, p):
    a, b = p
    k = max(a[-1] if a else 1, b[-1] if b else 1)
    a, b = (a[:-1] if a else ()) + (k,), (b[:-1] if b else ()) + (k,)
    return sample(array(v, a, gc=gc), array(v, b, gc=gc, offset=1))


op("agrad.linalg.vecdot", _vecdot, call=la("vecdot"), variants=FLOATS + ("complex64",),
   gradcheck=False)


def _cross(v: str, gc: bool):
    shape = st.sampled_from([(3,), (2, 3), (1, 3), (3, 2)])
    return shape.flatmap(lambda sh: sample(
        array(v, sh, gc=gc), array(v, (2, 3) if sh == (1, 3) else sh, gc=gc, offset=1),
        dim=st.just(sh.index(3) if sh != (1, 3) else -1)))


op("agrad.linalg.cross", _cross, call=la("cross"), variants=FLOATS + ("int32",),
   errors=(Bad("a dim of size 2", lambda lib: (lib.ones(2), lib.ones(2)), RuntimeError),))


def _diagonal(v: str, gc: bool):
    shape = st.lists(st.integers(1, 3), min_size=2, max_size=3).map(tuple)
    return shape.flatmap(lambda sh: sample(array(v, sh, gc=gc), offset=st.integers(-2, 2),
                                           dim1=st.sampled_from([-2, 0]),
                                           dim2=st.just(-1)))


op("agrad.linalg.diagonal", _diagonal, call=la("diagonal"), variants=FLOATS + ("int32",))


def _matmul(v: str, gc: bool):
    from .linalg import _matmul as mm
    return mm(v, gc)


op("agrad.linalg.matmul", _matmul, call=la("matmul"), variants=FLOATS + ("int32",))

# -- the legacy spellings --------------------------------------------------------------------------

op("inverse", lambda v, gc: sample(square(v, gc)), errors=MATRIX_ERRORS)
op("det", lambda v, gc: sample(square(v, gc)), errors=MATRIX_ERRORS)
op("logdet", lambda v, gc: sample(square(v, gc)), errors=(LINALG, SQUARE))
op("slogdet", lambda v, gc: sample(square(v, gc)), errors=MATRIX_ERRORS)
op("cholesky", lambda v, gc: _cholesky(v, gc, upper=st.booleans()),
   call=lambda lib, a, upper: lib.cholesky(sym(lib, a), upper), errors=MATRIX_ERRORS)
op("qr", lambda v, gc: _qr(v, gc).map(lambda s: type(s)(
    (s.args[0], s.args[1] == "reduced"), {}, None)),
   call=lambda lib, a, some: qr_fixed(lib, *lib.qr(a, some)), errors=(LINALG, INTEGER))


def _svd_legacy(lib, a, some):
    U, S, V = lib.svd(a, some)
    return svd_fixed(lib, U, S, V.mT)


op("svd", lambda v, gc: general(v, gc).flatmap(lambda a: sample(a, st.booleans())),
   call=_svd_legacy, errors=(LINALG, INTEGER))
op("pinverse", lambda v, gc: general(v, gc).flatmap(lambda a: sample(
    a, st.sampled_from([1e-15, 0.5]))), errors=(LINALG, INTEGER))
op("matrix_power", _power, variants=FLOATS + ("int32",), errors=(SQUARE,))

TENSORDOT = {2: ((2, 3, 4), (3, 4, 2)), 1: ((2, 3), (3, 2)), 0: ((2,), (3,)),
             ((1, 0), (0, 1)): ((3, 2), (2, 3, 2)), ((0,), (1,)): ((3, 2), (2, 3))}


def _tensordot(v: str, gc: bool):
    return st.sampled_from(list(TENSORDOT)).flatmap(lambda d: sample(
        array(v, TENSORDOT[d][0], gc=gc), array(v, TENSORDOT[d][1], gc=gc, offset=1), d))


op("tensordot", _tensordot, variants=FLOATS + ("int32", "int32,float32"),
   errors=(Bad("contracted sizes that differ", lambda lib: (lib.ones(2, 3), lib.ones(2, 3), 1),
               RuntimeError),))
