"""Matrix products and diagonals: one row each, forward with `xp`, backward with agrad ops.

`matmul` has PyTorch's full semantics (1-D promotion, batch broadcasting) and computes with
`xp.matmul` in every case; its grad_fn is named after the path PyTorch would take for those
shapes (DotBackward0, MvBackward0, SqueezeBackward4, MmBackward0, UnsafeViewBackward0, or
CloneBackward0/TransposeBackward0 when PyTorch folds `2-D @ batched` through a transpose), and
its errors are the ones that path raises. The node itself is always one matmul node, so backward
is one pair of products whatever the name says.

`diagonal` is a view, as in PyTorch: the diagonal of dims (d1, d2) is reached by moving them to
the end, flattening them and taking every (n2+1)-th element — steps agrad's view chain already
knows, so writes through it reach the base on every backend. `diag` of a matrix is a copy
(PyTorch's grad_fn there is `DiagonalBackward0_copy`).
"""

from __future__ import annotations

from typing import Any

from .. import _storage as S
from .. import dtypes as D
from .._storage import INDEX, PERMUTE, RESHAPE
from .._tensor import Tensor
from ._args import not_implemented as _not_impl
from ._args import same_device as _same_device
from ._args import tensor as _check_tensor
from ._args import wrap_dim
from ._dispatch import broadcast_shapes, call, call_inplace
from ._op import NOTHING, Op, accumulate


def _conj(x: Tensor) -> Tensor:
    return x.conj() if x._dtype.category == D.COMPLEX else x


def _mT(x: Tensor) -> Tensor:
    return x.transpose(-2, -1)


def _prod(shape: Any) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


# -- the product rows ----------------------------------------------------------------------------

def _g_matmul(n: Any, g: Tensor) -> tuple:
    """Gradient of `a @ b` for any of matmul's shape cases (1-D promotion, batch broadcast);
    written with agrad's matmul so double backward works."""
    a, b = n.inputs  # only the operand each needed gradient reads is saved
    need_a, need_b = n.edges[0] is not None, n.edges[1] is not None
    sa, sb = n.shape(0), n.shape(1)
    if len(sa) == 1 and len(sb) == 1:
        return (g * _conj(b) if need_a else None), (g * _conj(a) if need_b else None)
    G = g.unsqueeze(-2) if len(sa) == 1 else g
    G = G.unsqueeze(-1) if len(sb) == 1 else G
    ga = gb = None
    if need_a:
        B = b.unsqueeze(-1) if len(sb) == 1 else b
        A_shape = (1,) + sa if len(sa) == 1 else sa
        ga = _reduce_to(G.matmul(_conj(_mT(B))), A_shape).reshape(sa)
    if need_b:
        A = a.unsqueeze(0) if len(sa) == 1 else a
        B_shape = sb + (1,) if len(sb) == 1 else sb
        gb = _reduce_to(_conj(_mT(A)).matmul(G), B_shape).reshape(sb)
    return ga, gb


def _reduce_to(g: Tensor, shape: tuple) -> Tensor:
    return g if tuple(g.shape) == shape else g.sum_to_size(shape)


def _g_mm(n: Any, g: Tensor) -> tuple:
    """mm's gradient without views: g @ b^T and a^T @ g are products of their own."""
    a, b = n.inputs
    ga = call(MM_NT, (g, _conj(b))) if n.edges[0] is not None else None
    gb = call(MM_TN, (_conj(a), g)) if n.edges[1] is not None else None
    return ga, gb


def _g_mm_nt(n: Any, g: Tensor) -> tuple:
    """c = a @ b^T: da = g @ b, db = g^T @ a."""
    a, b = n.inputs
    ga = call(MM, (g, _conj(b))) if n.edges[0] is not None else None
    gb = call(MM_TN, (g, _conj(a))) if n.edges[1] is not None else None
    return ga, gb


def _g_mm_tn(n: Any, g: Tensor) -> tuple:
    """c = a^T @ b: da = b @ g^T, db = a @ g."""
    a, b = n.inputs
    ga = call(MM_NT, (_conj(b), g)) if n.edges[0] is not None else None
    gb = call(MM, (_conj(a), g)) if n.edges[1] is not None else None
    return ga, gb


def _f_vdot(xp: Any, a: Any, b: Any) -> Any:
    return xp.vecdot(a, b)


def _g_vdot(n: Any, g: Tensor) -> tuple:
    a, b = n.inputs
    ga = _conj(g) * b if n.edges[0] is not None else None
    gb = g * a if n.edges[1] is not None else None
    return ga, gb


def _product(name: str, args: Any, **kw: Any) -> Op:
    kw.setdefault("backward", _g_matmul)
    return Op(name, args, forward=lambda xp, a, b, *p: xp.matmul(a, b), needs=((1,), (0,)),
              **kw)


# -- argument checks, worded as each PyTorch kernel words them -----------------------------------

def _check_dot(a: Tensor, b: Tensor, name: str = "dot") -> None:
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a._dtype is not b._dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{a._dtype.legacy} and {b._dtype.legacy}")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                           f"[{b.shape[0]}] to have the same number of elements, but got "
                           f"{a.shape[0]} and {b.shape[0]} elements respectively")
    if a._dtype is D.bool:
        raise _not_impl(name, a)


def _check_mm_shapes(sa: tuple, sb: tuple, da: D.dtype, db: D.dtype, bool_t: Any = None) -> None:
    if sa[1] != sb[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x{sa[1]} and "
                           f"{sb[0]}x{sb[1]})")
    if da is not db:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {da.cpp} != "
                           f"{db.cpp}")
    if da is D.bool and bool_t is not None:
        raise _not_impl("addmm_impl_cpu_", bool_t)


def _check_mv_shapes(sm: tuple, sv: tuple, dm: D.dtype, dv: D.dtype, bool_t: Any = None) -> None:
    if sm[1] != sv[0]:
        raise RuntimeError(f"size mismatch, got input ({sm[0]}), mat ({sm[0]}x{sm[1]}), vec "
                           f"({sv[0]})")
    if dm is not dv:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{dv.legacy}, {dm.legacy}, and {dv.legacy}")
    if dm is D.bool and bool_t is not None:
        raise _not_impl("addmv_impl_cpu", bool_t)


def _check_bmm_shapes(sa: tuple, sb: tuple, da: D.dtype, db: D.dtype, bool_t: Any = None) -> None:
    if sb[0] != sa[0] or sb[1] != sa[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{sa[0]}, {sa[2]}] but got: [{sb[0]}, {sb[1]}].")
    if da is not db:
        raise RuntimeError(f"expected scalar type {da.legacy} but found {db.legacy}")
    if da is D.bool and bool_t is not None:
        raise _not_impl("bmm", bool_t)


def _tensor_args(name: str, a: Any, b: Any, second: str = "other") -> None:
    _check_tensor(name, a, "input", 1)
    _check_tensor(name, b, second, 2)
    _same_device(name, a, b)


# -- the public functions -------------------------------------------------------------------------

def _dot_args(input: Tensor, tensor: Tensor) -> tuple:  # noqa: A002
    """1-D only, same dtype (PyTorch does not promote here)."""
    _tensor_args("dot", input, tensor, "tensor")
    _check_dot(input, tensor)
    return (input, tensor), None


def _vdot_args(input: Tensor, other: Tensor) -> tuple:  # noqa: A002
    """sum(conj(input) * other), 1-D only."""
    _tensor_args("vdot", input, other)
    _check_dot(input, other, "vdot")
    return (input, other), None


def _mm_args(input: Tensor, mat2: Tensor) -> tuple:  # noqa: A002
    """2-D @ 2-D, same dtype."""
    _tensor_args("mm", input, mat2, "mat2")
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_mm_shapes(tuple(input.shape), tuple(mat2.shape), input._dtype, mat2._dtype, input)
    return (input, mat2), None


def _mv_args(input: Tensor, vec: Tensor) -> tuple:  # noqa: A002
    """2-D @ 1-D."""
    _tensor_args("mv", input, vec, "vec")
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    _check_mv_shapes(tuple(input.shape), tuple(vec.shape), input._dtype, vec._dtype, input)
    return (input, vec), None


def _bmm_args(input: Tensor, mat2: Tensor) -> tuple:  # noqa: A002
    """(b, n, m) @ (b, m, p): no broadcasting."""
    _tensor_args("bmm", input, mat2, "mat2")
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    _check_bmm_shapes(tuple(input.shape), tuple(mat2.shape), input._dtype, mat2._dtype, input)
    return (input, mat2), None


DOT = _product("dot", _dot_args, out=True)
VDOT = Op("vdot", _vdot_args, forward=_f_vdot, backward=_g_vdot, needs=((1,), (0,)), out=True)
MM = _product("mm", _mm_args, backward=_g_mm, out=True)
MV = _product("mv", _mv_args, out=True)
BMM = _product("bmm", _bmm_args, out=True)
# a @ b^T and a^T @ b: mm's gradients, products of their own so that they need no transposed
# views (NumPy's BLAS takes transposed operands as they are)
MM_NT = Op("mm.nt", lambda a, b: ((a, b), None),
           forward=lambda xp, a, b: xp.matmul(a, xp.matrix_transpose(b)), backward=_g_mm_nt,
           needs=((1,), (0,)), function=False, method=False, grad_fn="MmBackward0")
MM_TN = Op("mm.tn", lambda a, b: ((a, b), None),
           forward=lambda xp, a, b: xp.matmul(xp.matrix_transpose(a), b), backward=_g_mm_tn,
           needs=((1,), (0,)), function=False, method=False, grad_fn="MmBackward0")


def inner(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Sum product over the last dims (a dot product of 1-D tensors)."""
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but got "
                           f"shapes {list(input.shape)} and {list(other.shape)}")
    sa, sb = tuple(input.shape[:-1]), tuple(other.shape[:-1])
    k = input.shape[-1]
    return input.reshape(-1, k).mm(other.reshape(-1, k).t()).reshape(sa + sb)


Op("inner", inner, impl=inner)


def _should_fold(a: Tensor, sa: tuple, b: Tensor, sb: tuple) -> bool:
    """PyTorch's `should_fold`: fold the batch of the larger operand into mm/mv rows."""
    da, db = len(sa), len(sb)
    larger_a = da >= db
    dim_t1, dim_t2 = (da, db) if larger_a else (db, da)
    if not (dim_t1 >= 3 and dim_t2 <= 2):
        return False
    if (b if larger_a else a)._requires_grad:
        return True
    if da == 2:
        return False
    if larger_a:
        shape, strides = sa, a.stride()[-len(sa):]
    else:
        st = b.stride()
        shape = sb[:-2] + (sb[-1], sb[-2])
        strides = st[:-2] + (st[-1], st[-2])
    if _prod(shape) == 0:
        return True
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(dim_t1 - 2))


def _matmul_plan(a: Tensor, b: Tensor) -> str:
    """Check `a @ b` as PyTorch's matmul would (same errors, same order) and return the grad_fn
    name PyTorch shows for these shapes."""
    sa, sb = tuple(a.shape), tuple(b.shape)
    da, db = len(sa), len(sb)
    ta, tb = a._dtype, b._dtype
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D "
                           f"and {db}D")
    if da == 1 and db == 1:
        _check_dot(a, b)
        return "DotBackward0"
    if da == 2 and db == 1:
        _check_mv_shapes(sa, sb, ta, tb, a)
        return "MvBackward0"
    if da == 1 and db == 2:
        _check_mm_shapes((1,) + sa, sb, ta, tb, a)
        return "SqueezeBackward4"
    if da == 2 and db == 2:
        _check_mm_shapes(sa, sb, ta, tb, a)
        return "MmBackward0"
    if da == 3 and db == 3 and sa[0] == 1 and sb[0] != 1:
        # observed in PyTorch 2.13: a batch-1 3-D left operand is treated as a matrix
        sa, da = sa[1:], 2
    if _should_fold(a, sa, b, sb):
        if da >= db:  # fold a's batch into rows: (prod, k) @ b
            rows = (_prod(sa[:-1]), sa[-1])
            if db == 2:
                _check_mm_shapes(rows, sb, ta, tb, a)
            else:
                _check_mv_shapes(rows, sb, ta, tb, a)
            return "UnsafeViewBackward0"
        # b is batched, a is a vector or a matrix: computed as (b.mT @ a.T).mT
        rows = (_prod(sb[:-2]) * sb[-1], sb[-2])
        if da == 2:
            _check_mm_shapes(rows, (sa[1], sa[0]), tb, ta, b)
            m, p = sa[0], sb[-1]
            return "TransposeBackward0" if m == 1 or p == 1 else "CloneBackward0"
        _check_mv_shapes(rows, sa, tb, ta, b)
        return "UnsafeViewBackward0"
    batch = broadcast_shapes(sa[:-2], sb[:-2])
    nb = _prod(batch)
    n = sa[-2] if da > 1 else 1
    m2 = sb[-2] if db > 1 else sb[0]
    p = sb[-1] if db > 1 else 1
    _check_bmm_shapes((nb, n, sa[-1]), (nb, m2, p), ta, tb, a)
    return "UnsafeViewBackward0"


def _matmul_args(input: Tensor, other: Tensor) -> tuple:  # noqa: A002
    """PyTorch's matmul: dot, mv, mm, or a broadcast batched product. One node whatever the
    shapes; it is named after the path PyTorch would take for them."""
    _tensor_args("matmul", input, other)
    return (input, other), _matmul_plan(input, other)


MATMUL = _product("matmul", _matmul_args, grad_fn=lambda inputs, name: name, out=True,
                  dunder=("__matmul__", "__rmatmul__"),
                  saved_names={"MmBackward0": ("self", "mat2"), "BmmBackward0": ("self", "mat2"),
                               "MvBackward0": ("self", "vec"), "DotBackward0": ("self", "tensor")})


def outer(input: Tensor, vec2: Tensor) -> Tensor:  # noqa: A002
    """input[:, None] * vec2 (PyTorch's decomposition: grad_fn MulBackward0, dtypes promote)."""
    _tensor_args("outer", input, vec2, "vec2")
    if input.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {input.ndim}-D")
    if vec2.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument vec2, but got {vec2.ndim}-D")
    return input.reshape(-1, 1) * vec2


Op("outer", outer, impl=outer, aliases=("ger",), out=True)


def _f_addmm(xp: Any, c: Any, a: Any, b: Any, p: tuple) -> Any:
    beta, alpha = p
    prod = xp.matmul(a, b)
    if alpha != 1:
        prod = prod * alpha
    if beta == 0:
        return prod
    return (c * beta if beta != 1 else c) + prod


def _g_addmm(n: Any, g: Tensor) -> tuple:
    c, a, b = n.inputs
    beta, alpha = n.params
    gc = ga = gb = None
    if n.edges[0] is not None:
        gc = g * beta if beta != 1 else g
    if n.edges[1] is not None:
        ga = call(MM_NT, (g, _conj(b)))
        ga = ga * alpha if alpha != 1 else ga
    if n.edges[2] is not None:
        gb = call(MM_TN, (_conj(a), g))
        gb = gb * alpha if alpha != 1 else gb
    return gc, ga, gb


def _addmm_args(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: complex = 1,  # noqa: A002
                alpha: complex = 1) -> tuple:
    """beta * input + alpha * (mat1 @ mat2); `input` broadcasts to the product's shape."""
    _check_tensor("addmm", input, "input", 1)
    _check_tensor("addmm", mat1, "mat1", 2)
    _check_tensor("addmm", mat2, "mat2", 3)
    _same_device("addmm", input, mat1, mat2)
    if mat1.ndim != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1.ndim}-D tensor")
    if mat2.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {mat2.ndim}-D tensor")
    shape = (mat1.shape[0], mat2.shape[1])
    if input.shape != shape:
        input.expand(shape)  # raises PyTorch's expand error when it cannot broadcast
    _check_mm_shapes(tuple(mat1.shape), tuple(mat2.shape), mat1._dtype, mat2._dtype, mat1)
    if input._dtype is not mat1._dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                           f"{input._dtype.legacy} and {mat2._dtype.legacy}")
    return (input, mat1, mat2), (beta, alpha)


ADDMM = Op("addmm", _addmm_args, forward=_f_addmm, backward=_g_addmm, needs=((), (2,), (1,)),
           out=True)


def addmm_(self: Tensor, mat1: Tensor, mat2: Tensor, *, beta: complex = 1,
           alpha: complex = 1) -> Tensor:
    """In place: self must have the product's shape (it does not broadcast)."""
    inputs, params = _addmm_args(self, mat1, mat2, beta=beta, alpha=alpha)
    shape = (mat1.shape[0], mat2.shape[1])
    if tuple(self.shape) != shape:
        raise RuntimeError(f"Bad in-place call: input tensor size {list(self.shape)} and output "
                           f"tensor size {list(shape)} should match")
    return call_inplace(ADDMM, inputs, params)


Op("addmm_", addmm_, impl=addmm_, namespace="Tensor")


# -- diagonals ------------------------------------------------------------------------------------

def _diag_geometry(shape: tuple, offset: int, d1: int, d2: int) -> tuple:
    """(permutation moving d1, d2 last, rest sizes, n1, n2, diagonal length, flat start)."""
    n = len(shape)
    rest = [d for d in range(n) if d not in (d1, d2)]
    perm = tuple(rest) + (d1, d2)
    n1, n2 = shape[d1], shape[d2]
    if offset >= 0:
        length = max(min(n1, n2 - offset), 0)
        start = offset
    else:
        length = max(min(n1 + offset, n2), 0)
        start = -offset * n2
    return perm, tuple(shape[d] for d in rest), n1, n2, length, start


def _diag_steps(shape: tuple, offset: int, d1: int, d2: int) -> tuple[tuple, tuple]:
    """The view-chain steps reaching the diagonal, and the result's shape."""
    perm, rest, n1, n2, length, start = _diag_geometry(shape, offset, d1, d2)
    steps = []
    if perm != tuple(range(len(shape))):
        steps.append((PERMUTE, perm))
    steps.append((RESHAPE, rest + (n1 * n2,)))
    sl = slice(start, start + (length - 1) * (n2 + 1) + 1, n2 + 1) if length else slice(0, 0, 1)
    steps.append((INDEX, (slice(None),) * len(rest) + (sl,)))
    return tuple(steps), rest + (length,)


def _f_diag_copy(xp: Any, a: Any, p: tuple) -> Any:
    offset, d1, d2 = p
    steps, _ = _diag_steps(tuple(a.shape), offset, d1, d2)
    return xp.asarray(S.apply_steps(xp, a, steps), copy=True)


def _f_diag_scatter(xp: Any, g: Any, p: tuple) -> Any:
    """zeros(shape) with `g` (shaped rest + (L,)) on the offset diagonal of dims (d1, d2)."""
    shape, offset, d1, d2 = p
    perm, rest, n1, n2, length, _ = _diag_geometry(shape, offset, d1, d2)
    i = xp.reshape(xp.arange(n1), (n1, 1))
    j = xp.reshape(xp.arange(n2), (1, n2))
    mask = (j - i) == offset
    along = n1 if offset >= 0 else n2
    if length < along:
        pad = xp.zeros(rest + (along - length,), dtype=g.dtype)
        g = xp.concat([g, pad], axis=-1) if length else pad
    vals = xp.expand_dims(g, axis=-1) if offset >= 0 else xp.expand_dims(g, axis=-2)
    out = xp.where(mask, vals, xp.zeros((), dtype=g.dtype))
    if tuple(out.shape) != rest + (n1, n2):
        out = xp.broadcast_to(out, rest + (n1, n2))
    inv = [0] * len(perm)
    for k, d in enumerate(perm):
        inv[d] = k
    inv = tuple(inv)
    return xp.permute_dims(out, inv) if inv != tuple(range(len(inv))) else out


def _g_diagonal(n: Any, g: Tensor) -> tuple:
    offset, d1, d2 = n.params[:3]
    return (diagonal_scatter_zeros(g, n.shape(0), offset, d1, d2),)


def _g_diag_scatter(n: Any, gg: Tensor) -> tuple:
    _, offset, d1, d2 = n.params
    return (diagonal(gg, offset, d1, d2),)


def _diag_dims(name: str, ndim: int, dim1: int, dim2: int) -> tuple[int, int]:
    d1, d2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"{name} dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def _diagonal_args(input: Tensor, offset: int = 0, dim1: int = 0,  # noqa: A002
                   dim2: int = 1) -> tuple:
    _check_tensor("diagonal", input, "input", 1)
    d1, d2 = _diag_dims("diagonal", input.ndim, dim1, dim2)
    return (input,), (offset, d1, d2)


def _diagonal_layout(shape: tuple, strides: tuple, offset: int, p: tuple) -> tuple:
    """The diagonal of dims (d1, d2), appended as the last dim: PyTorch's layout (stride =
    stride(d1) + stride(d2)), reached by permuting, flattening and striding."""
    k, d1, d2 = p
    steps, out_shape = _diag_steps(shape, k, d1, d2)
    length = out_shape[-1]
    out_strides = tuple(strides[d] for d in range(len(shape)) if d not in (d1, d2)) + (
        strides[d1] + strides[d2],)
    if length:
        offset += k * strides[d2] if k >= 0 else -k * strides[d1]
    return steps, out_shape, out_strides, offset


DIAGONAL = Op("diagonal", _diagonal_args, view=_diagonal_layout, backward=_g_diagonal,
              needs=NOTHING)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:  # noqa: A002
    return call(DIAGONAL, *_diagonal_args(input, offset, dim1, dim2))


DIAG_COPY = Op("diag.copy", lambda x, p: ((x,), p), forward=_f_diag_copy, backward=_g_diagonal,
               needs=NOTHING, function=False, method=False, grad_fn="DiagonalBackward0_copy")
DIAGONAL_SCATTER = Op("diagonal_backward", lambda g, p: ((g,), p), forward=_f_diag_scatter,
                      backward=_g_diag_scatter, needs=NOTHING, function=False, method=False,
                      grad_fn="DiagonalBackwardBackward0")
DIAG_EMBED = Op("diag_embed.kernel", lambda x, p: ((x,), p), forward=_f_diag_scatter,
                backward=lambda n, g: (diagonal(g, *n.params[1:]),), needs=NOTHING,
                function=False, method=False, grad_fn="DiagEmbedBackward0")


def diagonal_scatter_zeros(g: Tensor, shape: tuple, offset: int, d1: int, d2: int) -> Tensor:
    """The gradient of `diagonal`: zeros of `shape` with `g` on the diagonal (differentiable)."""
    return call(DIAGONAL_SCATTER, (g,), (tuple(shape), offset, d1, d2))


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """A tensor whose (dim1, dim2) diagonals hold input's last dim (one more dim than input)."""
    _check_tensor("diag_embed", input, "input", 1)
    n = input.ndim + 1
    d1, d2 = _diag_dims("diagonal", n, dim1, dim2)
    size = input.shape[-1] + abs(offset) if input.ndim else 1 + abs(offset)
    rest = list(input.shape[:-1])
    shape = []
    for d in range(n):
        shape.append(size if d in (d1, d2) else rest.pop(0))
    x = input if input.ndim else input.reshape(1)
    return call(DIAG_EMBED, (x,), (tuple(shape), offset, d1, d2))


Op("diag_embed", diag_embed, impl=diag_embed)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """1-D -> the square matrix with input on the `diagonal`-th diagonal; 2-D -> a copy of that
    diagonal."""
    _check_tensor("diag", input, "input", 1)
    if input.ndim == 1:
        r = diag_embed(input, diagonal, 0, 1)
    elif input.ndim == 2:
        r = call(DIAG_COPY, (input,), (diagonal, 0, 1))
    else:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")
    return r


Op("diag", diag, impl=diag, out=True)


def _f_trace(xp: Any, a: Any) -> Any:
    steps, _ = _diag_steps(tuple(a.shape), 0, 0, 1)
    return xp.sum(S.apply_steps(xp, a, steps))


def _g_trace(n: Any, g: Tensor) -> tuple:
    shape = n.shape(0)
    length = min(shape)
    return (diagonal_scatter_zeros(g.expand(length), shape, 0, 0, 1),)


def _trace_args(input: Tensor) -> tuple:  # noqa: A002
    """Sum of the main diagonal of a matrix (integers sum to int64, as `sum`)."""
    _check_tensor("trace", input, "input", 1)
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    if input._dtype is D.bool:
        raise _not_impl("trace", input)
    return (input,), None


Op("trace", _trace_args, forward=_f_trace, backward=_g_trace, dtype=accumulate, needs=NOTHING)


def _triangle(name: str) -> Op:
    def args(input: Tensor, diagonal: int = 0) -> tuple:  # noqa: A002
        _check_tensor(name, input, "input", 1)
        if input.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
        return (input,), int(diagonal)

    return Op(name, args, forward=lambda xp, a, k: getattr(xp, name)(a, k=k),
              backward=lambda n, g: (call(n.op, (g,), n.params),), needs=NOTHING, out=True,
              inplace=True)


TRIL = _triangle("tril")
TRIU = _triangle("triu")


# -- einsum: composed from permute / reshape / bmm (each differentiable) ---------------------------

def einsum(equation: str, *operands: Any) -> Tensor:
    """torch.einsum for explicit or implicit equations over one or two operands (and chains
    of more, contracted left to right); '...' is supported. Built from agrad's differentiable
    view, reduction and matmul ops, so gradients (and their names) come from those."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation"
                           if len(operands) > len(terms) else
                           "einsum(): fewer operands were provided than specified in the equation")
    # expand '...' into unused capital-free placeholder letters
    ell_dims = 0
    for t, x in zip(terms, operands):
        if "..." in t:
            ell_dims = max(ell_dims, x.ndim - (len(t) - 3))
    used = set(eq)
    fillers = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used][:ell_dims]
    new_terms = []
    for t, x in zip(terms, operands):
        if "..." in t:
            k = x.ndim - (len(t) - 3)
            t = t.replace("...", "".join(fillers[ell_dims - k:]))
        if len(t) != x.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(t)}) "
                               f"does not match the number of dimensions ({x.ndim}) for operand "
                               f"{len(new_terms)}" + (" and no ellipsis was given" if "..." not in
                                                      t else ""))
        new_terms.append(t)
    if arrow:
        out = rhs.replace("...", "".join(fillers))
    else:
        counts: dict[str, int] = {}
        for t in new_terms:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = "".join(fillers) + "".join(sorted(c for c, k in counts.items()
                                                if k == 1 and c not in fillers))
    ops = [_einsum_diag(t, x) for t, x in zip(new_terms, operands)]
    terms2 = [o[0] for o in ops]
    tensors = [o[1] for o in ops]
    # contract left to right
    cur_t, cur = terms2[0], tensors[0]
    for i in range(1, len(tensors)):
        later = set(out).union(*terms2[i + 1:])
        cur_t, cur = _einsum_pair(cur_t, cur, terms2[i], tensors[i], later)
    # sum letters not in the output, then permute
    drop = [k for k, c in enumerate(cur_t) if c not in out]
    if drop:
        cur = cur.sum(tuple(drop))
        cur_t = "".join(c for c in cur_t if c in out)
    for c in out:
        if c not in cur_t:
            raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation "
                               f"for any input operand")
    return cur.permute(*[cur_t.index(c) for c in out]) if cur_t != out else cur


Op("einsum", einsum, impl=einsum, method=False)


def _einsum_diag(t: str, x: Tensor) -> tuple[str, Tensor]:
    """Repeated letters within one operand take the diagonal."""
    while len(set(t)) != len(t):
        for c in t:
            i = t.index(c)
            j = t.index(c, i + 1) if t.count(c) > 1 else -1
            if j >= 0:
                x = diagonal(x, 0, i, j)
                t = t[:i] + t[i + 1:j] + t[j + 1:] + c
                break
    return t, x


def _einsum_pair(ta: str, a: Tensor, tb: str, b: Tensor, keep: set) -> tuple[str, Tensor]:
    """Contract two operands with one bmm: batch letters (in both and kept), contracted letters
    (in both, not kept), and each side's free letters."""
    # letters only in one operand and not kept: sum them out first
    for side in (0, 1):
        t, x, other = (ta, a, tb) if side == 0 else (tb, b, ta)
        drop = [k for k, c in enumerate(t) if c not in keep and c not in other]
        if drop:
            x = x.sum(tuple(drop))
            t = "".join(c for c in t if c in keep or c in other)
        if side == 0:
            ta, a = t, x
        else:
            tb, b = t, x
    batch = [c for c in ta if c in tb and c in keep]
    contract = [c for c in ta if c in tb and c not in keep]
    fa = [c for c in ta if c not in tb]
    fb = [c for c in tb if c not in ta]
    size = {}
    for t, x in ((ta, a), (tb, b)):
        for c, s in zip(t, x.shape):
            if size.get(c, 1) == 1:
                size[c] = s
    # broadcast size-1 dims of shared letters
    def prep(t, x, order):
        x = x.permute(*[t.index(c) for c in order])
        x = x.expand(*[size[c] for c in order])
        return x
    A = prep(ta, a, batch + fa + contract)
    B = prep(tb, b, batch + contract + fb)
    nb = _prod(size[c] for c in batch)
    nfa = _prod(size[c] for c in fa)
    nfb = _prod(size[c] for c in fb)
    nc = _prod(size[c] for c in contract)
    if A._dtype is not B._dtype:
        dt = D.promote_types(A._dtype, B._dtype)
        A, B = A.to(dt), B.to(dt)
    r = A.reshape(nb, nfa, nc).bmm(B.reshape(nb, nc, nfb))
    r = r.reshape(*[size[c] for c in batch + fa + fb])
    return "".join(batch + fa + fb), r


