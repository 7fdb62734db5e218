"""gradcheck / gradgradcheck: analytical gradients against central finite differences.

As PyTorch's slow mode: for every differentiable input (a floating Tensor with requires_grad)
and every differentiable output, the full Jacobian is built twice — numerically, by perturbing
each input element by +-eps and differencing the outputs, and analytically, one vector-Jacobian
product per output element — and compared with allclose(analytical, numerical, rtol, atol).
Differences are taken in float64 (Python floats), on any backend: values cross the backend
boundary only through the adapter's `materialize` and `tolist`, all of a Jacobian's values in one
pass (so a lazy backend computes once, and perturbed inputs are new tensors, not writes).
Non-differentiable inputs (integers, tensors without requires_grad, other objects) are passed
through unchanged.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

from .. import dtypes as D
from .._tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Raised by gradcheck and gradgradcheck (a RuntimeError, as PyTorch's).

    Examples:
        >>> class Wrong(torch.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         return x * 2
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         return grad * 3              # should be 2
        >>> x = torch.ones(2, dtype=torch.float64, requires_grad=True)
        >>> try:
        ...     torch.autograd.gradcheck(Wrong.apply, (x,))
        ... except torch.autograd.GradcheckError as e:
        ...     print(type(e).__name__, isinstance(e, RuntimeError))
        GradcheckError True
    """


def _as_tuple(x: Any) -> tuple:
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _iter_tensors(x: Any, only_requiring_grad: bool = False) -> Iterator[Tensor]:
    if isinstance(x, Tensor):
        if x._requires_grad or not only_requiring_grad:
            yield x
    elif isinstance(x, (list, tuple)):
        for e in x:
            yield from _iter_tensors(e, only_requiring_grad)


def _differentiable_outputs(x: Any) -> tuple:
    return tuple(o for o in _as_tuple(x) if isinstance(o, Tensor) and o._requires_grad)


def _values(tensors: list) -> list:
    """Flat lists of Python floats of `tensors` (None stays None), computed together per
    backend: one pass for a lazy backend."""
    from ..ops._dispatch import read

    out: list = [None] * len(tensors)
    groups: dict[int, list[int]] = {}
    for i, t in enumerate(tensors):
        if t is not None:
            groups.setdefault(id(t._storage.backend), []).append(i)
    for idxs in groups.values():
        be = tensors[idxs[0]]._storage.backend
        xp = be.xp
        arrays = be.materialize(*(xp.reshape(read(tensors[i]), (-1,)) for i in idxs))
        for i, a in zip(idxs, arrays):
            out[i] = [complex(v).real if isinstance(v, complex) else float(v)
                      for v in be.tolist(a)]
    return out


def _unit(like: Tensor, j: int, scale: float = 1.0) -> Tensor:
    """A tensor shaped like `like` with `scale` at flat index j and zeros elsewhere, built
    without writing into anything (so it stays lazy on a lazy backend)."""
    from ..ops import creation

    n = like.numel()
    wide = like._storage.backend.widest_float
    hot = creation.arange(n, dtype=wide, device=like.device) == j
    dt = like._dtype if like._dtype.category >= D.FLOAT else wide
    return (hot.to(dt) * scale).reshape(tuple(like.shape))


def _check_inputs(tupled_inputs: tuple) -> None:
    any_requiring_grad = False
    for idx, inp in enumerate(tupled_inputs):
        if isinstance(inp, Tensor) and inp._requires_grad:
            if inp._dtype is not D.float64 and inp._dtype is not D.complex128:
                warnings.warn(f"Input #{idx} requires gradient and is not a double precision "
                              f"floating point or complex. This check will likely fail if all "
                              f"the inputs are not of double precision floating point or "
                              f"complex. ", stacklevel=3)
            if not all(st > 0 or sz <= 1 for st, sz in zip(inp.stride(), inp.shape)):
                raise RuntimeError(f"The {idx}th input has a dimension with stride 0. gradcheck "
                                   f"only supports inputs that are non-overlapping to be able to "
                                   f"compute the numerical gradients correctly. You should call "
                                   f".contiguous on the input before passing it to gradcheck.")
            any_requiring_grad = True
    if not any_requiring_grad:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of them have requires_grad=True.")


def _numerical_jacobian(func: Callable, inputs: tuple, outputs: tuple,
                        eps: float) -> list[list[list[list[float]]]]:
    """jac[i][k] = rows (one per element of differentiable input i) of d output_k / d x_j,
    each row a list over output k's elements: central differences, (f(x+e) - f(x-e)) / 2eps.

    The perturbed inputs are new leaves (x + eps * unit vector) passed in place of x, each
    evaluation's differences are kept as tensors, and all are computed in one pass."""
    diff_idx = [i for i, a in enumerate(inputs) if isinstance(a, Tensor) and a._requires_grad]
    pending: list = []  # (input number, output number, tensor of the difference or None)
    with_values = [k for k, o in enumerate(outputs) if isinstance(o, Tensor)]
    for n, i in enumerate(diff_idx):
        x = inputs[i].detach()
        for j in range(x.numel()):
            step = _unit(x, j, eps)
            args = list(inputs)
            args[i] = (x - step).requires_grad_()
            outa = _as_tuple(func(*args))
            args[i] = (x + step).requires_grad_()
            outb = _as_tuple(func(*args))
            for k in with_values:
                wide = outa[k]._storage.backend.widest_float
                a = outa[k].detach().to(wide)
                b = outb[k].detach().to(wide)
                pending.append((n, k, (b - a) / (2 * eps)))
    vals = _values([t for _, _, t in pending])
    jac: list = [[[] for _ in outputs] for _ in diff_idx]
    for (n, k, _), v in zip(pending, vals):
        jac[n][k].append(v)
    return jac


def _analytical_jacobian(inputs: tuple, output: Tensor, nondet_tol: float,
                         check_grad_dtypes: bool) -> list[list[list[float]]]:
    """jac[i] = rows (one per element of differentiable input i) over output's elements, from
    one vjp per output element; computed twice to check that backward is reentrant."""
    from .engine import grad

    diff_inputs = list(_iter_tensors(inputs, True))
    n_out = output.numel()
    types_ok = sizes_ok = True
    pending = []  # per pass, per output element: the gradients w.r.t. each input
    for _ in range(2):
        cols = []
        for m in range(n_out):
            gs = grad(output, diff_inputs, _unit(output, m), retain_graph=True,
                      allow_unused=True)
            col = []
            for g, x in zip(gs, diff_inputs):
                if g is not None:
                    if g._dtype is not x._dtype:
                        types_ok = False
                    if tuple(g.shape) != tuple(x.shape):
                        sizes_ok = False
                        g = None
                col.append(g)
            cols.append(col)
        pending.append(cols)
    if not types_ok and check_grad_dtypes:
        raise GradcheckError("Gradient has dtype mismatch")
    if not sizes_ok:
        raise GradcheckError("Analytical gradient has incorrect size")
    flat = [g for cols in pending for col in cols for g in col]
    vals = iter(_values(flat))
    jacs = []
    for cols in pending:
        got = [[next(vals) for _ in col] for col in cols]
        jacs.append([[[got[m][i][j] if got[m][i] is not None else 0.0 for m in range(n_out)]
                      for j in range(x.numel())] for i, x in enumerate(diff_inputs)])
    jac1, jac2 = jacs
    for a, b in zip(jac1, jac2):
        for ra, rb in zip(a, b):
            for va, vb in zip(ra, rb):
                # NaNs are left to the comparison with the numerical Jacobian (as PyTorch)
                if abs(va - vb) > nondet_tol:
                    raise GradcheckError(
                        "Backward is not reentrant, i.e., running backward with same input and "
                        "grad_output multiple times gives different values, although analytical "
                        f"gradient matches numerical gradient.The tolerance for nondeterminism "
                        f"was {nondet_tol}.")
    return jac1


def _allclose(a: list, n: list, rtol: float, atol: float) -> bool:
    for ra, rn in zip(a, n):
        for va, vn in zip(ra, rn):
            if va != va or vn != vn:  # NaN never matches (allclose with equal_nan=False)
                return False
            if abs(va - vn) > atol + rtol * abs(vn):
                return False
    return True


def _jac_tensor(rows: list, like: Tensor) -> Tensor:
    from ..ops import creation

    n_in = len(rows)
    n_out = len(rows[0]) if rows else 0
    t = creation.tensor(rows if n_in and n_out else [], dtype=like._storage.backend.widest_float,
                        device=like.device)
    return t.reshape(n_in, n_out)


def _notallclose_msg(analytical: Tensor, numerical: Tensor, output_idx: int,
                     input_idx: int) -> str:
    return (f"Jacobian mismatch for output {output_idx:d} with respect to input {input_idx:d},\n"
            f"numerical:{numerical}\nanalytical:{analytical}\n")


def _check_no_differentiable_outputs(func: Callable, inputs: tuple, func_out: tuple,
                                     eps: float) -> None:
    jac = _numerical_jacobian(func, inputs, func_out, eps)
    for per_input in jac:
        for rows in per_input:
            if any(v != 0 for r in rows for v in r):
                raise GradcheckError("Numerical gradient for function expected to be zero")


def _test_backward_mul_by_grad_output(outputs: tuple, inputs: tuple) -> None:
    from ..ops import creation
    from .engine import grad

    diff_inputs = list(_iter_tensors(inputs, True))
    if not diff_inputs:
        raise GradcheckError("no Tensors requiring grad found in input")
    gis = grad(outputs, diff_inputs, [creation.zeros_like(o) for o in outputs],
               allow_unused=True)
    for gi, di, v in zip(gis, diff_inputs, _values(list(gis))):
        if gi is None:
            continue
        if any(x != 0 for x in v):
            raise GradcheckError("backward not multiplied by grad_output")
        if gi._dtype is not di._dtype:
            raise GradcheckError("grad is incorrect type")
        if gi.device != di.device:
            raise GradcheckError("grad is incorrect device")
        if tuple(gi.shape) != tuple(di.shape):
            raise GradcheckError("grad is incorrect size")


def _gradcheck_helper(func: Callable, inputs: Any, eps: float, atol: float, rtol: float,
                      nondet_tol: float, check_grad_dtypes: bool, check_backward_ad: bool) -> bool:
    tupled_inputs = _as_tuple(inputs)
    _check_inputs(tupled_inputs)
    func_out = _as_tuple(func(*tupled_inputs))
    outputs = _differentiable_outputs(func_out)
    if any(isinstance(o, Tensor) and o._dtype.category == D.COMPLEX for o in outputs):
        raise ValueError("Expected output to be non-complex. agrad's gradcheck does not support "
                         "functions that return complex outputs.")
    if not check_backward_ad:
        return True
    if not outputs:
        _check_no_differentiable_outputs(func, tupled_inputs, func_out, eps)
        return True
    numerical = _numerical_jacobian(func, tupled_inputs, func_out, eps)
    # numerical[i][k]: input i, output k (all outputs); keep the differentiable outputs only
    keep = [k for k, o in enumerate(func_out) if isinstance(o, Tensor) and o._requires_grad]
    diff_inputs = list(_iter_tensors(tupled_inputs, True))
    for oi, (k, o) in enumerate(zip(keep, outputs)):
        analytical = _analytical_jacobian(tupled_inputs, o, nondet_tol, check_grad_dtypes)
        for j, (a, x) in enumerate(zip(analytical, diff_inputs)):
            n = numerical[j][k]
            if not _allclose(a, n, rtol, atol):
                raise GradcheckError(_notallclose_msg(_jac_tensor(a, x), _jac_tensor(n, x),
                                                      oi, j))
    _test_backward_mul_by_grad_output(outputs, tupled_inputs)
    return True


def gradcheck(func: Callable[..., Any], inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True,
              fast_mode: bool = False, masked: bool | None = None) -> bool:
    """Check analytical gradients of `func` at `inputs` against central finite differences.

    Returns True; on a mismatch raises GradcheckError (or returns False with
    raise_exception=False). Checked are the tensors in `inputs` of floating dtype with
    requires_grad=True; the defaults are meant for float64 inputs. Forward-mode and batched
    checks are not available (agrad has no forward AD or vmap): asking for them raises
    NotImplementedError; `fast_mode` computes the full Jacobian anyway.

    Examples:
        >>> x = torch.randn(3, dtype=torch.float64, requires_grad=True)
        >>> torch.autograd.gradcheck(torch.sin, (x,))
        True
    """
    if check_forward_ad or check_batched_grad or check_batched_forward_grad:
        raise NotImplementedError("agrad's gradcheck checks reverse mode only: forward AD and "
                                  "batched gradients are not implemented")
    try:
        return _gradcheck_helper(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes,
                                 check_backward_ad)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def gradgradcheck(func: Callable[..., Any], inputs: Any, grad_outputs: Any = None, *,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True,
                  check_grad_dtypes: bool = False, check_batched_grad: bool = False,
                  check_fwd_over_rev: bool = False, check_rev_over_rev: bool = True,
                  fast_mode: bool = False, masked: bool = False) -> bool:
    """Check second derivatives: gradcheck of (inputs, grad_outputs) -> vjp, the gradients of
    `func`'s outputs w.r.t. its differentiable inputs weighted by grad_outputs (random in
    [-1, 1) when not given), computed with create_graph=True.

    Examples:
        >>> x = torch.randn(3, dtype=torch.float64, requires_grad=True)
        >>> torch.autograd.gradgradcheck(torch.tanh, (x,))
        True
    """
    from ..ops import creation
    from .engine import grad

    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev "
                             "to be True")
    tupled_inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outputs = _differentiable_outputs(func(*tupled_inputs))
        gos = []
        for o in outputs:
            dt = o._dtype if o._dtype.category >= D.FLOAT else o._storage.backend.widest_float
            g = (creation.rand(*o.shape, dtype=dt, device=o.device) * 2 - 1).detach()
            if gen_non_contig_grad_outputs and o.ndim >= 1 and o.numel() > 1:
                g = creation.zeros(*o.shape, 2, dtype=dt, device=o.device)[..., 0]
                g.copy_(creation.rand(*o.shape, dtype=dt, device=o.device) * 2 - 1)
            gos.append(g.requires_grad_())
        tupled_grad_outputs = tuple(gos)
    else:
        tupled_grad_outputs = _as_tuple(grad_outputs)
    diff_input_idx = {i for i, x in enumerate(tupled_inputs)
                      if isinstance(x, Tensor) and x._requires_grad}
    diff_go_idx = {i for i, x in enumerate(tupled_grad_outputs)
                   if isinstance(x, Tensor) and x._requires_grad}

    n_inputs = len(tupled_inputs)

    def new_func(*args: Any) -> tuple:
        input_args = tuple(x.requires_grad_() if i in diff_input_idx else x
                           for i, x in enumerate(args[:n_inputs]))
        outputs = _differentiable_outputs(func(*input_args))
        gos = tuple(x.requires_grad_() if i in diff_go_idx else x
                    for i, x in enumerate(args[n_inputs:]))
        if not outputs:
            return ()
        diff_input_args = tuple(x for i, x in enumerate(input_args) if i in diff_input_idx)
        grad_inputs = grad(outputs, diff_input_args, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in grad_inputs if g is not None)

    return gradcheck(new_func, tupled_inputs + tupled_grad_outputs, eps=eps, atol=atol,
                     rtol=rtol, raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad,
                     check_grad_dtypes=check_grad_dtypes, check_batched_grad=check_batched_grad,
                     fast_mode=fast_mode, check_backward_ad=check_rev_over_rev, masked=masked)
