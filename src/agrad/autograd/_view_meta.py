"""PyTorch's rules for views and in-place writes that autograd cannot follow.

A view remembers how it was made (its creation meta, `View.meta`): the outputs of a function
returning several views (split, chunk, unbind) and views made under `no_grad` may not be written
in place while autograd records, nor may their base or another view of it be written and then
the view used (its grad_fn is not regenerated: PyTorch raises instead, `rebase_error`).

A view requires grad while its base does, as in PyTorch where a view reads that from its base.
agrad keeps the flag on the view (every op reads it), so when a base comes to require grad, or
stops, its live views are found and told (`follow_base`): a rare event (`requires_grad_()` on a
tensor that has views, a value requiring grad written into one), paid then and not by every op.
"""

from __future__ import annotations

import gc
from typing import Any

from .. import dtypes as D
from .._storage import MULTI_OUTPUT, NO_GRAD, refcount
from .._tensor import Tensor
from .graph import _op_name


def rebase_error(t: Tensor, indirect: bool) -> RuntimeError:
    """PyTorch's refusal to write a view that is the output of a multi-output view function or
    was made under no_grad (`indirect`: its base or another view of it was written, and the
    view is now used)."""
    meta = t._view.meta
    gf = t._grad_fn  # the node the view was made by (not a regenerated one)
    modified = "its base or another view of its base has been" if indirect else "is being"
    if meta == NO_GRAD or gf is None:
        prefix = (f"Output {t._output_nr} of {_op_name(gf.name())} is a view of a view "
                  f"which was created in") if gf is not None else "A view was created in"
        msg = f"{prefix} no_grad mode and {modified} modified inplace with grad mode enabled."
    else:
        msg = (f"Output {t._output_nr} of {_op_name(gf.name())} is a view and {modified} "
               f"modified inplace.")
    if meta == MULTI_OUTPUT:
        msg += (" This view is the output of a function that returns multiple views. Such "
                "functions do not allow the output views to be modified inplace. You should "
                "replace the inplace operation by an out-of-place one.")
    else:
        msg += (" Given that this use case is ambiguous and error-prone, it is forbidden. You can "
                "clarify your code by moving both the view and the inplace either both inside the "
                "no_grad block (if you don't want the inplace to be tracked) or both outside (if "
                "you want the inplace to be tracked).")
    return RuntimeError(msg)


def follow_base(base: Tensor) -> None:
    """After `base` came to require grad (or stopped), its live views follow: a floating view
    requires grad through its base (`_rg_inherited`: it has no accumulator of its own, as
    PyTorch's view has none), and stops where that was its only reason.

    The views are found among the storage's referrers; a storage that only `base` refers to
    (the common case: `requires_grad_()` on a fresh tensor) has none, and the search is skipped.
    """
    st = base._storage
    # the references `base` holds (its storage, and its version counter when that is the
    # storage), this frame's `st` and getrefcount's argument
    if refcount is not None and refcount(st) <= 3 + (base._vc is st):
        return
    requires = base._requires_grad
    for o in gc.get_referrers(st):
        if not isinstance(o, Tensor):
            continue
        v = o._view
        if v is None or v.base is not base:
            continue
        if requires:
            if not o._requires_grad and o._dtype.category >= D.FLOAT:
                o._requires_grad = True
                o._rg_inherited = True
        elif o._rg_inherited and o._grad_fn is None:
            o._requires_grad = False
            o._rg_inherited = False


def inherits(x: Tensor) -> Any:
    """Whether a view made of `x` outside grad mode requires grad through its base."""
    v = x._view
    base = x if v is None or v.base is None else v.base
    return base._requires_grad and x._dtype.category >= D.FLOAT
