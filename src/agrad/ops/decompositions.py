"""Matrix functions and decompositions: `agrad.linalg.*` (PyTorch's torch.linalg), the legacy
top-level spellings (`agrad.det`, `agrad.svd`, `x.inverse()` ...), and through them the Array
API's `linalg` extension.

Each decomposition is one row whose forward is the backend's `xp.linalg` function and whose
backward is PyTorch's formula written with agrad ops (so double backward works). Backwards that
need the factors recompute them from the saved input with the row itself: the factors are
deterministic, and under `create_graph` the recomputation is recorded, which is what carries
the second derivative. A backend lacking a function says so through its adapter
(`Backend.supports("linalg", name)`) and the call raises naming it.

Complex inputs run forward everywhere; the gradients of svd, eigh and qr follow the real
formulas (PyTorch adds a term for the phase of complex singular vectors), so they are exact
for real inputs, which is what the tests check.
"""

from __future__ import annotations

import math
from typing import Any

from .. import dtypes as D
from .. import return_types
from .._tensor import Tensor
from ..adapter import UnsupportedFunctionError
from ._args import not_implemented, wrap_dim
from ._args import tensor as _check_tensor
from ._dispatch import call
from ._op import NOTHING, Op, from_result
from .linalg import MATMUL
from .reduction import VECTOR_NORM

LINALG = "agrad.linalg"


# -- checks ---------------------------------------------------------------------------------------

def _floating(name: str, A: Tensor) -> None:
    if A._dtype.category < D.FLOAT:
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got "
                           f"{A._dtype.legacy}")


def _available(name: str, A: Tensor, fn: str | None = None) -> None:
    be = A._storage.backend
    fn = fn or name.rsplit(".", 1)[-1]
    if not be.supports("linalg", fn):
        raise UnsupportedFunctionError(be.name, "linalg", fn, f"{name}: the {be.name} backend "
                                       f"has no linalg.{fn} (declared by its adapter)")


def _matrices(name: str, A: Tensor, square: bool = True, fn: str | None = None,
              kernel: str | None = None) -> None:
    """A batch of (square) floating matrices on a backend that has `xp.linalg.<fn>`; `kernel`:
    PyTorch refuses other dtypes as a missing kernel of that name (eigh's, cholesky's)."""
    _check_tensor(name.rsplit(".", 1)[-1], A, "input", 1)
    _two_dims(name, A)
    if kernel is not None and A._dtype.category < D.FLOAT:
        raise not_implemented(kernel, A)
    _floating(name, A)
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    _available(name, A, fn)


def _two_dims(name: str, A: Tensor, what: str = "A") -> None:
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor {what} must have at least 2 dimensions.")


def _grads(g: Any, k: int) -> list:
    """The gradients of a k-output node as a list (the engine hands over a single tensor when
    only the first output has one)."""
    gs = list(g) if isinstance(g, (list, tuple)) else [g]
    return gs + [None] * (k - len(gs))


def _mH(x: Tensor) -> Tensor:
    return x.mT.conj() if x._dtype.category == D.COMPLEX else x.mT


def _diag(v: Tensor) -> Tensor:
    """A batch of diagonal matrices from a batch of vectors."""
    return v.diag_embed()


def _eye_like(A: Tensor, n: int) -> Tensor:
    from .creation import eye

    return eye(n, dtype=A._dtype, device=A.device)


# -- inv / det / slogdet --------------------------------------------------------------------------

def _inv_args(A: Tensor) -> tuple:
    _matrices("linalg.inv", A)
    return (A,), None


def _g_inv(n: Any, g: Tensor) -> tuple:
    r = _mH(n.result)
    return (-(r @ g @ r),)


INV = Op("inv", _inv_args, forward=lambda xp, a: xp.linalg.inv(a), backward=_g_inv,
         grad_fn="LinalgInvExBackward0", needs=NOTHING, saves_result=True, method=False,
         namespace=LINALG)


def _det_args(A: Tensor) -> tuple:
    _matrices("linalg.det", A, fn="det")
    return (A,), None


def _g_det(n: Any, g: Tensor) -> tuple:
    (A,) = n.inputs
    d = n.result
    scale = (g * d.conj()) if d._dtype.category == D.COMPLEX else g * d
    return (scale[..., None, None] * _mH(call(INV, (A,))),)


DET = Op("det", _det_args, forward=lambda xp, a: xp.linalg.det(a), backward=_g_det,
         grad_fn="LinalgDetBackward0", saves_result=True, method=False, namespace=LINALG)


def _slogdet_args(A: Tensor) -> tuple:
    _matrices("linalg.slogdet", A, fn="slogdet")
    return (A,), None


def _f_slogdet(xp: Any, a: Any) -> tuple:
    r = xp.linalg.slogdet(a)
    return r[0], r[1]


def _g_slogdet(n: Any, g: Any) -> tuple:
    _, glog = _grads(g, 2)  # the sign is piecewise constant (real inputs)
    if glog is None:
        return (None,)
    (A,) = n.inputs
    return (glog[..., None, None] * _mH(call(INV, (A,))),)


SLOGDET = Op("slogdet", _slogdet_args, forward=_f_slogdet, backward=_g_slogdet, outputs=2,
             returns=return_types.linalg_slogdet, grad_fn="LinalgSlogdetBackward0",
             dtype=from_result, method=False, namespace=LINALG)


# -- solve ----------------------------------------------------------------------------------------

def _solve_args(A: Tensor, B: Tensor, *, left: bool = True) -> tuple:
    """X with A @ X = B. B is a batch of vectors when it is 1-D, or when its shape is A's
    without the last dim (PyTorch's rule); else a batch of matrices. Batches broadcast."""
    _matrices("linalg.solve", A, fn="solve")
    if not left:
        raise NotImplementedError("linalg.solve(left=False) is not supported by agrad")
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    return _solve_inputs(A, B, vector)


def _solve_inputs(A: Tensor, B: Tensor, vector: bool) -> tuple:
    if A._dtype is not B._dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found "
                           f"A of type {A._dtype.legacy} and B of type {B._dtype.legacy} instead")
    rows = B.shape[-1] if vector else B.shape[-2]
    if rows != A.shape[-1]:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = "
                           f"B ({A.shape[-2]}x{A.shape[-1]} and "
                           f"{'x'.join(map(str, B.shape[-2:]))})")
    return (A, B), vector


def _f_solve(xp: Any, a: Any, b: Any, vector: bool) -> Any:
    if vector:
        return xp.linalg.solve(a, b[..., None])[..., 0]
    return xp.linalg.solve(a, b)


def _g_solve(n: Any, g: Tensor) -> tuple:
    A, _ = n.inputs
    vector = n.params
    gB = call(SOLVE, (_mH(A), g), vector)
    gA = None
    if n.edges[0] is not None:
        X = n.result
        gA = -(gB[..., :, None] * X.conj()[..., None, :]) if vector else -(gB @ _mH(X))
    return gA, gB


SOLVE = Op("solve", _solve_args, forward=_f_solve, backward=_g_solve,
           grad_fn="LinalgSolveExBackward0", needs=((0,), (0,)), saves_result=True,
           method=False, namespace=LINALG)


# -- cholesky -------------------------------------------------------------------------------------

def _cholesky_args(A: Tensor, *, upper: bool = False) -> tuple:
    _matrices("linalg.cholesky", A, fn="cholesky")
    return (A,), bool(upper)


def _f_cholesky(xp: Any, a: Any, upper: bool) -> Any:
    L = xp.linalg.cholesky(a)
    if not upper:
        return L
    U = xp.matrix_transpose(L)
    return xp.conj(U) if xp.isdtype(U.dtype, "complex floating") else U


def _g_cholesky(n: Any, g: Tensor) -> tuple:
    """PyTorch's: gA = L^-H Phi(L^H gL) L^-1, symmetrized; Phi keeps the lower triangle with
    the diagonal halved."""
    L, gL = n.result, g
    if n.params:  # upper: A = U^H U with U = L^H
        L, gL = _mH(L), _mH(gL)
    phi = (_mH(L) @ gL).tril()
    phi = phi - 0.5 * _diag(phi.diagonal(0, -2, -1))
    Linv = call(INV, (L,))
    gA = _mH(Linv) @ phi @ Linv
    return (0.5 * (gA + _mH(gA)),)


CHOLESKY = Op("cholesky", _cholesky_args, forward=_f_cholesky, backward=_g_cholesky,
              grad_fn="LinalgCholeskyExBackward0", needs=NOTHING, saves_result=True,
              method=False, namespace=LINALG)


# -- qr -------------------------------------------------------------------------------------------

def _qr_args(A: Tensor, mode: str = "reduced") -> tuple:
    _matrices("linalg.qr", A, square=False, fn="qr")
    if mode not in ("reduced", "complete"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           f"'reduced' (default), 'r', or 'complete'")
    return (A,), mode


def _f_qr(xp: Any, a: Any, mode: str) -> tuple:
    r = xp.linalg.qr(a, mode=mode)
    return r[0], r[1]


def _qr_square_or_tall(Q: Tensor, R: Tensor, gQ: Tensor, gR: Tensor) -> Tensor:
    """gA for A = QR with R square (m >= n), as TensorFlow's and Walter & Lehmann's:
    gA = Q (gR + tril(Q^H gQ - gQ^H Q + R gR^H - gR R^H) R^-H) + (gQ - Q Q^H gQ) R^-H."""
    M = _mH(Q) @ gQ
    M = M - _mH(M) + R @ _mH(gR) - gR @ _mH(R)
    Rinv_h = _mH(call(INV, (R,)))
    return Q @ (gR + M.tril() @ Rinv_h) + (gQ - Q @ (_mH(Q) @ gQ)) @ Rinv_h


def _g_qr(n: Any, g: Any) -> tuple:
    gQ, gR = _grads(g, 2)
    (A,) = n.inputs
    m, k = A.shape[-2], A.shape[-1]
    if n.params == "complete" and m > k:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and "
                           "nrows > ncols.")
    Q, R = call(QR, (A,), n.params)
    gQ = Q.new_zeros(Q.shape) if gQ is None else gQ
    gR = R.new_zeros(R.shape) if gR is None else gR
    if m >= k:
        return (_qr_square_or_tall(Q, R, gQ, gR),)
    Y = A[..., m:]  # wide: A = [X | Y] with X = Q U, Y = Q V
    U, gU, gV = R[..., :m], gR[..., :m], gR[..., m:]
    gX = _qr_square_or_tall(Q, U, gQ + Y @ _mH(gV), gU)
    from .shape_ops import cat

    return (cat([gX, Q @ gV], -1),)


QR = Op("qr", _qr_args, forward=_f_qr, backward=_g_qr, outputs=2, returns=return_types.linalg_qr,
        grad_fn="LinalgQrBackward0", dtype=from_result, method=False, namespace=LINALG)


# -- svd / svdvals --------------------------------------------------------------------------------

def _svd_args(A: Tensor, full_matrices: bool = True) -> tuple:
    _matrices("linalg.svd", A, square=False, fn="svd")
    return (A,), bool(full_matrices)


def _f_svd(xp: Any, a: Any, full: bool) -> tuple:
    r = xp.linalg.svd(a, full_matrices=full)
    return r[0], r[1], r[2]


def _svd_grad(A: Tensor, gU: Any, gS: Any, gVh: Any) -> Tensor:
    """PyTorch's svd_backward for the reduced factors (real formula):
    gA = U [(skew(U^H gU) S + S skew(V^H gV)) / E + diag(gS)] V^H
         + (I - U U^H) gU S^-1 V^H + U S^-1 gV^H (I - V V^H),  E_ij = S_j^2 - S_i^2."""
    U, S, Vh = call(SVD, (A,), False)
    m, n = A.shape[-2], A.shape[-1]
    k = min(m, n)
    if gU is not None and gU.shape[-1] != k:
        gU = gU[..., :k]
    if gVh is not None and gVh.shape[-2] != k:
        gVh = gVh[..., :k, :]
    if gU is None and gVh is None:
        return U @ (gS[..., :, None] * Vh)
    inner = _diag(gS) if gS is not None else None
    S2 = S * S
    E = S2[..., None, :] - S2[..., :, None]
    E = E + _diag(S.new_ones(S.shape))  # the diagonal is replaced below
    off = 1 - _diag(S.new_ones(S.shape))
    term = None
    if gU is not None:
        J = _mH(U) @ gU
        term = (J - _mH(J)) * S[..., None, :]
    if gVh is not None:
        gV = _mH(gVh)
        K = Vh @ gV
        t2 = S[..., :, None] * (K - _mH(K))
        term = t2 if term is None else term + t2
    inner_off = term / E * off
    inner = inner_off if inner is None else inner + inner_off
    gA = U @ inner @ Vh
    if m > n and gU is not None:
        gUS = gU / S[..., None, :]
        gA = gA + (gUS - U @ (_mH(U) @ gUS)) @ Vh
    if m < n and gVh is not None:
        gVS = _mH(gVh) / S[..., None, :]
        gA = gA + U @ _mH(gVS - _mH(Vh) @ (Vh @ gVS))
    return gA


def _g_svd(n: Any, g: Any) -> tuple:
    gU, gS, gVh = _grads(g, 3)
    (A,) = n.inputs
    return (_svd_grad(A, gU, gS, gVh),)


SVD = Op("svd", _svd_args, forward=_f_svd, backward=_g_svd, outputs=3,
         returns=return_types.linalg_svd, grad_fn="LinalgSvdBackward0", dtype=from_result,
         method=False, namespace=LINALG)


def _svdvals_args(A: Tensor) -> tuple:
    _matrices("linalg.svd", A, square=False, fn="svd")
    return (A,), None


def _f_svdvals(xp: Any, a: Any) -> Any:
    # the singular values of the reduced svd: every backend with an svd has it (Dask's
    # svdvals asks for full matrices, which it does not compute)
    return xp.linalg.svd(a, full_matrices=False)[1]


SVDVALS = Op("svdvals", _svdvals_args, forward=_f_svdvals,
             backward=lambda n, g: (_svd_grad(n.inputs[0], None, g, None),),
             grad_fn="LinalgSvdBackward0", dtype=lambda dt: (dt, dt.to_real()), method=False,
             namespace=LINALG)


# -- eigh / eigvalsh ------------------------------------------------------------------------------

def _eigh_args(A: Tensor, UPLO: str = "L") -> tuple:  # noqa: N803 - PyTorch's name
    _matrices("linalg.eigh", A, fn="eigh", kernel="linalg_eigh_cpu")
    if UPLO != "L":
        raise NotImplementedError("agrad's linalg.eigh reads the lower triangle only (UPLO='L'),"
                                  " as the Array API's eigh does")
    return (A,), None


def _f_eigh(xp: Any, a: Any) -> tuple:
    r = xp.linalg.eigh(a)
    return r[0], r[1]


def _eigh_grad(A: Tensor, gL: Any, gV: Any) -> Tensor:
    """PyTorch's: gA = V (diag(gL) + skew(V^H gV) / E) V^H, E_ij = L_j - L_i (off the
    diagonal), skew(X) = (X - X^H) / 2: only the part of gV tangent to the unitary matrices
    counts, which keeps gA Hermitian."""
    L, V = call(EIGH, (A,))
    inner = _diag(gL) if gL is not None else None
    if gV is not None:
        E = L[..., None, :] - L[..., :, None]
        eye = _diag(L.new_ones(L.shape))
        VhgV = _mH(V) @ gV
        t = 0.5 * (VhgV - _mH(VhgV)) / (E + eye) * (1 - eye)
        inner = t if inner is None else inner + t
    return V @ inner @ _mH(V)


EIGH = Op("eigh", _eigh_args, forward=_f_eigh,
          backward=lambda n, g: (_eigh_grad(n.inputs[0], *_grads(g, 2)),), outputs=2,
          returns=return_types.linalg_eigh, grad_fn="LinalgEighBackward0", dtype=from_result,
          method=False, namespace=LINALG)


def _eigvalsh_args(A: Tensor, UPLO: str = "L") -> tuple:  # noqa: N803
    _eigh_args(A, UPLO)
    return (A,), None


EIGVALSH = Op("eigvalsh", _eigvalsh_args,
              forward=lambda xp, a: xp.linalg.eigvalsh(a) if hasattr(xp.linalg, "eigvalsh")
              else xp.linalg.eigh(a)[0],
              backward=lambda n, g: (_eigh_grad(n.inputs[0], g, None),),
              grad_fn="LinalgEighBackward0", dtype=lambda dt: (dt, dt.to_real()),
              method=False, namespace=LINALG)


# -- pinv -----------------------------------------------------------------------------------------

def _pinv_args(A: Tensor, *, atol: float | None = None, rtol: float | None = None,
               hermitian: bool = False) -> tuple:
    _check_tensor("pinv", A, "input", 1)
    if A.ndim < 2 or A._dtype.category < D.FLOAT:
        raise RuntimeError(f"linalg.pinv({A._dtype.legacy}{{{list(A.shape)}}}): expected a "
                           f"tensor with 2 or more dimensions of float, double, cfloat or "
                           f"cdouble types")
    _matrices("linalg.pinv", A, square=False, fn="pinv")
    if atol is not None:
        raise NotImplementedError("linalg.pinv(atol=) is not supported by agrad; use rtol")
    return (A,), (rtol,)


def _g_pinv(n: Any, g: Tensor) -> tuple:
    """PyTorch's pinv_backward."""
    (A,) = n.inputs
    P = n.result
    Ph, gh = _mH(P), _mH(g)
    if A.shape[-2] <= A.shape[-1]:
        K = gh @ P
        KPh = K @ Ph
        return (-_mH(P @ K) + KPh - (A @ P) @ KPh + (Ph @ P) @ (gh - K @ A),)
    K = P @ gh
    PhK = Ph @ K
    return (-_mH(K @ P) + (gh - A @ K) @ P @ Ph + PhK - PhK @ P @ A,)


PINV = Op("pinv", _pinv_args,
          forward=lambda xp, a, p: xp.linalg.pinv(a) if p[0] is None
          else xp.linalg.pinv(a, rtol=p[0]),
          backward=_g_pinv, grad_fn="LinalgPinvBackward0", saves_result=True, method=False,
          namespace=LINALG)


# -- composites: matrix_power, norms, rank, vecdot, cross, diagonal, matmul -----------------------

def matrix_power(A: Tensor, n: int) -> Tensor:
    """A to the integer power n by repeated squaring (n < 0: of the inverse)."""
    _check_tensor("matrix_power", A, "input", 1)
    _two_dims("linalg.matrix_power", A)
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but "
                           f"they are {A.shape[-2]} by {A.shape[-1]} matrices")
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"matrix_power(): argument 'n' must be int, not {type(n).__name__}")
    if n == 0:  # identities, in A's graph (a zero gradient), as PyTorch's
        return A.clone().copy_(_eye_like(A, A.shape[-1]).expand(tuple(A.shape)))
    if n < 0:
        A, n = inv(A), -n
    result = None
    base = A
    while n:
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if n:
            base = base @ base
    return result


def inv(A: Tensor) -> Tensor:
    return call(INV, *_inv_args(A))


def matrix_norm(A: Tensor, ord: float | str = "fro",  # noqa: A002 - PyTorch's name
                dim: tuple[int, int] = (-2, -1), keepdim: bool = False, *,
                dtype: D.dtype | None = None) -> Tensor:
    """The Frobenius, nuclear, 1, -1, 2, -2, inf or -inf norm of each matrix (dims `dim`)."""
    _check_tensor("matrix_norm", A, "input", 1)
    _two_dims("linalg.matrix_norm", A)
    _floating("linalg.matrix_norm", A)
    if dtype is not None:
        A = A.to(dtype)
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got "
                           f"{' '.join(map(str, dim))}")
    d0, d1 = (wrap_dim(d, A.ndim) for d in dim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, "
                           f"{dim[1]})")
    if ord == "fro":
        return call(VECTOR_NORM, (A,), ((d0, d1), keepdim, 2.0))
    if ord in ("nuc", 2, -2):
        B = A.movedim((d0, d1), (-2, -1))
        s = svdvals(B)
        r = s.sum(-1) if ord == "nuc" else s.amax(-1) if ord == 2 else s.amin(-1)
        return r[..., None, None].movedim((-2, -1), (d0, d1)) if keepdim else r
    if ord in (1, -1, math.inf, -math.inf):
        over, across = (d0, d1) if ord in (1, -1) else (d1, d0)
        s = A.abs().sum(over, keepdim=keepdim)
        if not keepdim and across > over:
            across -= 1
        return s.amax(across, keepdim=keepdim) if ord > 0 else s.amin(across, keepdim=keepdim)
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def vector_norm(x: Tensor, ord: float = 2,  # noqa: A002
                dim: int | tuple[int, ...] | None = None, keepdim: bool = False, *,
                dtype: D.dtype | None = None) -> Tensor:
    return call(VECTOR_NORM, *VECTOR_NORM.args(x, ord, dim, keepdim, dtype=dtype))


def norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
         dtype: D.dtype | None = None) -> Tensor:
    """torch.linalg.norm: a matrix norm over two dims (`dim` of length 2, or a 2-D input without
    `dim`) when an order is given (any string order is a matrix's), else a vector norm (the
    2-norm of all elements by default)."""
    _check_tensor("linalg_norm", A, "input", 1)
    dims = (dim,) if isinstance(dim, int) else None if dim is None else tuple(dim)
    if dims is not None:
        if len(dims) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. "
                               f"Got {list(dims)}")
    elif ord is not None and A.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {A.ndim}D.")
    if isinstance(ord, str) or (ord is not None and (len(dims) == 2 if dims is not None
                                                      else A.ndim == 2)):
        return matrix_norm(A, ord, (0, 1) if dims is None else dims, keepdim, dtype=dtype)
    return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)


def svdvals(A: Tensor) -> Tensor:
    return call(SVDVALS, *_svdvals_args(A))


def matrix_rank(A: Tensor, *, atol: float | None = None, rtol: float | None = None,
                hermitian: bool = False) -> Tensor:
    """The number of singular values above max(atol, rtol * largest); rtol defaults to
    eps * max(m, n). Not differentiable (an integer)."""
    from ..autograd.grad_mode import no_grad

    _check_tensor("matrix_rank", A, "input", 1)
    _two_dims("torch.linalg.matrix_rank", A, "input")
    if A._dtype.category < D.FLOAT:
        raise RuntimeError("This function doesn't handle types other than float and double")
    with no_grad():
        s = svdvals(A)
        if rtol is None:
            rtol = D.finfo(s._dtype).eps * max(A.shape[-2], A.shape[-1]) if atol is None else 0.0
        tol = s.amax(-1, keepdim=True) * (rtol[..., None] if isinstance(rtol, Tensor) else rtol)
        if atol is not None:
            tol = tol.clamp(min=atol)
        return (s > tol).sum(-1)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """sum(conj(x) * y) over `dim`, broadcasting the other dims."""
    return (x.conj() * y).sum(dim)


def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:  # noqa: A002
    from .shape_ops import cross

    return cross(input, other, dim)


def linalg_diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    return A.diagonal(offset, dim1, dim2)


def linalg_matmul(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return call(MATMUL, *MATMUL.args(input, other))


for _name, _fn in (("matrix_power", matrix_power), ("matrix_norm", matrix_norm),
                   ("vector_norm", vector_norm), ("norm", norm), ("matrix_rank", matrix_rank),
                   ("vecdot", vecdot), ("cross", linalg_cross), ("diagonal", linalg_diagonal),
                   ("matmul", linalg_matmul)):
    Op(_name, _fn, impl=_fn, method=False, namespace=LINALG)


# -- the top-level spellings (torch.det, torch.svd, x.inverse() ...) -------------------------------

def inverse(input: Tensor) -> Tensor:  # noqa: A002
    return inv(input)


def det(input: Tensor) -> Tensor:  # noqa: A002
    return call(DET, *_det_args(input))


def logdet(input: Tensor) -> Tensor:  # noqa: A002
    _matrices("logdet", input, fn="slogdet")
    sign, logabs = call(SLOGDET, (input,))
    return logabs.where(sign > 0, math.nan) if input._dtype.category == D.FLOAT else logabs


def slogdet(input: Tensor) -> Any:  # noqa: A002
    return return_types.slogdet(*call(SLOGDET, *_slogdet_args(input)))


def cholesky(input: Tensor, upper: bool = False) -> Tensor:  # noqa: A002
    _matrices("cholesky", input, fn="cholesky", kernel="cholesky_cpu")
    return call(CHOLESKY, (input,), bool(upper))


def qr(input: Tensor, some: bool = True) -> Any:  # noqa: A002
    return return_types.qr(*call(QR, *_qr_args(input, "reduced" if some else "complete")))


def svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> Any:  # noqa: A002
    """The legacy torch.svd: (U, S, V) with V (not Vh), reduced unless `some=False`."""
    _check_tensor("svd", input, "input", 1)
    if input.ndim < 2:
        raise RuntimeError(f"linalg.svd: input should have at least 2 dimensions, but has "
                           f"{input.ndim} dimensions instead")
    U, S, Vh = call(SVD, *_svd_args(input, not some))
    return return_types.svd(U, S, Vh.mT.conj() if Vh._dtype.category == D.COMPLEX else Vh.mT)


def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:  # noqa: A002
    return call(PINV, *_pinv_args(input, rtol=rcond))


def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Contract the last `dims` dims of a with the first of b (or the given dim lists), as one
    matmul of the reshaped operands."""
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    da = [wrap_dim(d, a.ndim) for d in da]
    db = [wrap_dim(d, b.ndim) for d in db]
    for i, j in zip(da, db):
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[i]} in dim {i} and second has size {b.shape[j]} in "
                               f"dim {j}")
    fa = [d for d in range(a.ndim) if d not in da]
    fb = [d for d in range(b.ndim) if d not in db]
    k = math.prod(a.shape[d] for d in da)
    A = a.permute(*fa, *da).reshape(math.prod(a.shape[d] for d in fa), k)
    B = b.permute(*db, *fb).reshape(k, math.prod(b.shape[d] for d in fb))
    if A._dtype is not B._dtype:
        dt = D.promote_types(A._dtype, B._dtype)
        A, B = A.to(dt), B.to(dt)
    return (A @ B).reshape(*[a.shape[d] for d in fa], *[b.shape[d] for d in fb])


for _fn, _method in ((inverse, True), (det, True), (logdet, True), (slogdet, True),
                     (cholesky, True), (qr, True), (svd, True), (pinverse, True),
                     (matrix_power, True), (tensordot, False)):
    Op(_fn.__name__, _fn, impl=_fn, method=_method)
