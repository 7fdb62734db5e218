"""agrad.autograd.Function: user-defined ops with their own backward, as in PyTorch."""

from __future__ import annotations

from typing import Any

from .. import dtypes as D
from .._tensor import Tensor, _alias, _history_moved
from .grad_mode import state
from .graph import _FREED, Node, fit, modified_message


class FunctionCtx:
    """The `ctx` of forward/backward: saved tensors, needs_input_grad, mark_dirty, ...

    Examples:
        >>> class Scale(torch.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x, k):
        ...         ctx.k = k                      # any attribute, for backward
        ...         return x * k
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         return grad * ctx.k, None      # no gradient for k
        >>> x = torch.ones(2, requires_grad=True)
        >>> Scale.apply(x, 3.0).sum().backward()
        >>> x.grad
        tensor([3., 3.])
    """

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
    skip_undefined = False  # backward runs (with zeros, if materialize_grads) as in PyTorch
    user_grads = True

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
        for t, v, nr in self._saved:
            if t is None:
                out.append(None)
                continue
            if t._vc.version != v:
                raise RuntimeError(modified_message(t, v))
            attach = nr is not None and state.enabled and t._dtype.category >= D.FLOAT
            out.append(t._attached(self, nr) if attach else t)
        return tuple(out)

    saved_variables = saved_tensors

    def apply(self, grads: tuple) -> tuple:
        meta = self._out_meta
        if len(grads) < len(meta):  # outputs that received no gradient at all
            grads = tuple(grads) + (None,) * (len(meta) - len(grads))
        if self._materialize:
            from ..ops.creation import zeros

            grads = tuple(zeros(*m[0], dtype=m[1], device=m[2])
                          if g is None and m is not None else g for g, m in zip(grads, meta))
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
        for i, g in enumerate(r):
            if g is not None and not isinstance(g, Tensor) and self.meta[i] is not None:
                raise TypeError(f"function {self.name()} returned a gradient of type "
                                f"{type(g).__name__} at index {i}; expected a Tensor or None")
        return fit(self, r, self.meta)

    def release(self) -> None:
        self._released = True
        self._saved = None

    def __repr__(self) -> str:
        return f"<torch.autograd.function.{self.name()} object at {hex(id(self))}>"


class Function:
    """Subclass with static `forward(ctx, *args)` and `backward(ctx, *grads)`; call `.apply`.

    Examples:
        >>> class Square(torch.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         (x,) = ctx.saved_tensors
        ...         return 2 * x * grad
        >>> x = torch.tensor([3.], requires_grad=True)
        >>> Square.apply(x).backward()
        >>> x.grad
        tensor([6.])
    """

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def _node_class(cls) -> type:
        """One node class per Function subclass (named `<Function>Backward`), made once."""
        nc = cls.__dict__.get("_backward_cls")
        if nc is None:
            nc = type(cls.__name__ + "Backward", (BackwardCFunction,),
                      {"_cls": cls, "__module__": cls.__module__})
            cls._backward_cls = nc
        return nc

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        from ..ops._dispatch import edge

        ctx = cls._node_class()()
        enabled = state.enabled
        requires = enabled and any(isinstance(a, Tensor) and a._requires_grad for a in args)
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad and enabled
                                     for a in args)
        # edges and versions of the inputs before forward runs (mark_dirty rebases them)
        edges = tuple(edge(a) if requires and isinstance(a, Tensor) and a._requires_grad
                      else None for a in args)
        separate = "setup_context" in _overridden(cls)
        state.enabled = False
        try:
            if separate:
                out = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, out)
            else:
                out = cls.forward(ctx, *args, **kwargs)
        finally:
            state.enabled = enabled
        for t in ctx._dirty:  # PyTorch counts mark_dirty as one more write, in every mode
            t._vc.version += 1
        if not requires:
            return out
        outs = out if isinstance(out, tuple) else (out,)
        ctx.edges = edges
        ctx.meta = tuple((tuple(a.shape), a._dtype) if e is not None else None
                         for a, e in zip(args, edges))
        ctx._out_meta = tuple((tuple(o.shape), o._dtype, o.device) if isinstance(o, Tensor)
                              else None for o in outs)
        non_diff = {id(t) for t in ctx._non_diff}
        dirty = {id(t) for t in ctx._dirty}
        for t in ctx._dirty:
            if t._requires_grad and t._grad_fn is None and (t._view is None or
                                                            t._view.base is None):
                raise RuntimeError("a leaf Variable that requires grad has been used in an "
                                   "in-place operation.")
            v = t._view
            if v is not None and v.base is not None and v.meta and t._requires_grad:
                from ._view_meta import rebase_error  # a multi-output view's, checked first

                raise rebase_error(t, False)
            if v is not None and v.base is not None and t._requires_grad and \
                    v.base._grad_fn is None and (v.base._requires_grad or
                                                 t._grad_fn is not None):  # (a view made
                # while its leaf base required grad stays one of it when the base stops)
                raise RuntimeError("a view of a leaf Variable that requires grad is being used "
                                   "in an in-place operation.")
        result = []
        for i, o in enumerate(outs):
            if not isinstance(o, Tensor):
                result.append(o)
                continue
            if id(o) not in dirty and any(o is a for a in args):
                o = _alias(o)  # an input returned as is: a new tensor, as PyTorch's view
            if id(o) in non_diff or o._dtype.category < D.FLOAT:
                result.append(o)
                continue
            if id(o) in dirty:
                o._grad = None  # PyTorch resets a dirty tensor's .grad (a retained one)
            if id(o) in dirty and o._view is not None and i == 0 and args and o is args[0]:
                from ..ops._dispatch import rebase_history

                rebase_history(o, ctx)  # written through a view: the base gets CopySlices
            else:
                old, nr = o._grad_fn, o._output_nr
                o._grad_fn = ctx
                o._output_nr = i
                o._requires_grad = True
                o._gf_version = o._vc.version
                if o._hooks is not None or o._retains_grad:
                    _history_moved(o, old, nr)
            result.append(o)
        out_ids = {id(o): i for i, o in enumerate(result) if isinstance(o, Tensor)}
        saved = []
        for t in ctx._to_save:
            if t is None:
                saved.append((None, 0, None))
            else:
                nr = out_ids.get(id(t))  # a saved output keeps its output number
                saved.append((_alias(t) if nr is not None else t, t._vc.version, nr))
        ctx._saved = saved
        ctx._to_save = ()
        return tuple(result) if isinstance(out, tuple) else result[0]


def _overridden(cls: type) -> set:
    names = set()
    for k in cls.__mro__:
        if k is Function:
            break
        names.update(k.__dict__)
    return names


class InplaceFunction(Function):
    """PyTorch's base class for a Function whose forward modifies an input in place (declared with
    `ctx.mark_dirty`); in agrad it is `Function` under that name.

    Examples:
        >>> class AddOne_(torch.autograd.InplaceFunction):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.mark_dirty(x)
        ...         return x.add_(1)
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         return grad
        >>> x = torch.zeros(2, requires_grad=True).clone()
        >>> AddOne_.apply(x)
        tensor([1., 1.], grad_fn=<AddOne_Backward>)
    """
    pass


def once_differentiable(fn: Any) -> Any:
    """PyTorch's decorator for a custom Function's `backward` that is not itself differentiable.
    agrad accepts it and returns `fn` unchanged: a backward written with agrad ops is recorded
    under `create_graph=True` like any other code.

    Examples:
        >>> from agrad.autograd.function import once_differentiable
        >>> class Cube(torch.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x ** 3
        ...     @staticmethod
        ...     @once_differentiable
        ...     def backward(ctx, grad):
        ...         (x,) = ctx.saved_tensors
        ...         return 3 * x ** 2 * grad
        >>> x = torch.tensor([2.], requires_grad=True)
        >>> Cube.apply(x).backward()
        >>> x.grad
        tensor([12.])
    """
    return fn
