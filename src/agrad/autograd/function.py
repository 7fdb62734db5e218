"""agrad.autograd.Function: user-defined ops with their own backward, as in PyTorch."""

from __future__ import annotations

from typing import Any

from .. import dtypes as D
from .._tensor import Tensor, _alias
from .graph import Node, _FREED, modified_message
from .grad_mode import state


class FunctionCtx:
    """The `ctx` of forward/backward: saved tensors, needs_input_grad, mark_dirty, ..."""

    def save_for_backward(self, *tensors: Any) -> None:
        self._to_save = tensors

    def mark_dirty(self, *tensors: Tensor) -> None:
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        self._non_diff = tensors

    def set_materialize_grads(self, value: bool) -> None:
        self._materialize = value


class BackwardCFunction(Node, FunctionCtx):
    """The graph node of a custom Function: it is also the `ctx` backward receives."""

    _cls: Any = None

    def __init__(self) -> None:
        Node.__init__(self)
        self._to_save = ()
        self._dirty = ()
        self._non_diff = ()
        self._materialize = True
        self._saved = None
        self._released = False
        self.needs_input_grad = ()

    def name(self) -> str:
        return self._cls.__name__ + "Backward"

    @property
    def saved_tensors(self) -> tuple:
        if self._released:
            raise RuntimeError(_FREED)
        if self._saved is None:
            return tuple(self._to_save)
        out = []
        for t, v, is_out in self._saved:
            if t is None:
                out.append(None)
                continue
            if t._vc.version != v:
                raise RuntimeError(modified_message(t, v))
            out.append(t._attached(self) if is_out and state.enabled else t)
        return tuple(out)

    saved_variables = saved_tensors

    def apply(self, grads: tuple) -> tuple:
        if self._materialize:
            from ..ops.creation import zeros

            grads = tuple(zeros(*m[0], dtype=m[1], device=m[2]) if g is None else g
                          for g, m in zip(grads, self._out_meta))
        r = self._cls.backward(self, *grads)
        if not isinstance(r, tuple):
            r = (r,)
        n = len(self.edges)
        if len(r) > n:
            if any(x is not None for x in r[n:]):
                raise RuntimeError(f"function {self.name()} returned an incorrect number of "
                                   f"gradients (expected {n}, got {len(r)})")
            r = r[:n]
        if len(r) < n:
            raise RuntimeError(f"function {self.name()} returned an incorrect number of "
                               f"gradients (expected {n}, got {len(r)})")
        return r

    def release(self) -> None:
        self._released = True
        self._saved = None

    def __repr__(self) -> str:
        return f"<torch.autograd.function.{self.name()} object at {hex(id(self))}>"


class Function:
    """Subclass with static `forward(ctx, *args)` and `backward(ctx, *grads)`; call `.apply`."""

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    vjp = backward

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        from ..ops._op import edge

        node_cls = type(cls.__name__ + "Backward", (BackwardCFunction,), {"_cls": cls})
        ctx = node_cls()
        tensors = [a for a in args if isinstance(a, Tensor)]
        requires = state.enabled and any(t._requires_grad for t in tensors)
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad and state.enabled
                                     for a in args)
        prev = state.enabled
        state.enabled = False
        try:
            out = cls.forward(ctx, *args, **kwargs)
        finally:
            state.enabled = prev
        outs = out if isinstance(out, tuple) else (out,)
        if not requires:
            return out
        ctx.edges = tuple(edge(a) if isinstance(a, Tensor) and a._requires_grad else None
                          for a in args)
        ctx.meta = tuple((tuple(a.shape), a._dtype) if isinstance(a, Tensor) and
                         a._requires_grad else None for a in args)
        ctx._out_meta = tuple((tuple(o.shape), o._dtype, o.device) if isinstance(o, Tensor)
                              else None for o in outs)
        non_diff = {id(t) for t in ctx._non_diff}
        dirty = {id(t) for t in ctx._dirty}
        result = []
        for i, o in enumerate(outs):
            if not isinstance(o, Tensor):
                result.append(o)
                continue
            if any(o is a for a in args) and id(o) not in dirty:
                o = _alias(o)  # an input returned as is: a new tensor, as PyTorch's view
            if id(o) in non_diff or o._dtype.kind < D.FLOAT:
                result.append(o)
                continue
            if id(o) in dirty:
                o._vc.version += 0
            o._grad_fn = ctx
            o._output_nr = i
            o._requires_grad = True
            result.append(o)
        out_ids = {id(o) for o in result if isinstance(o, Tensor)}
        saved = []
        for t in ctx._to_save:
            if t is None:
                saved.append((None, 0, False))
            else:
                is_out = id(t) in out_ids
                saved.append((_alias(t) if is_out else t, t._vc.version, is_out))
        ctx._saved = saved
        ctx._to_save = ()
        return tuple(result) if isinstance(out, tuple) else result[0]


class InplaceFunction(Function):
    pass


def once_differentiable(fn: Any) -> Any:
    return fn
