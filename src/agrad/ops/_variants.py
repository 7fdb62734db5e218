"""The variants of each op-table row: `agrad.op(...)`, `x.op(...)`, `x.op_()` / `agrad.op_`,
`out=`, and the operators. Made once, from the table, and bound in one place (`bind`, called
where `agrad._tensor` defines Tensor); the typing stubs are generated from the same table.

A row's `args` function parses the call; the variant then hands the inputs to the dispatcher:
`call` (function and method), `call_inplace` (`x.op_()`), `write_out` (`out=`). Composite rows
are their own implementation, and their in-place form commits the result into `self`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _docs
from .._tensor import Tensor
from . import _args
from ._dispatch import (
    autograd_first,
    call,
    call_inplace,
    call_inplace_view,
    check_inplace,
    check_writable,
    commit,
    write_out,
)
from ._op import TABLE, Op

_operand = (Tensor, int, float, bool, complex)


def function(op: Op) -> Callable:
    """The function variant (`agrad.mul`, `agrad.nn.functional.softmax`)."""
    name = op.name
    if op.impl is not None:
        impl = op.impl
        if not op.out:
            impl.__doc__ = _docs.for_row(op) or impl.__doc__
            if "<locals>" in impl.__qualname__:  # a factory's function: say which one it is
                _place(impl, op.namespace, op.name.split(".")[0])
            return impl

        def composite(*args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:
            r = impl(*args, **kwargs)
            return r if out is None else write_out(r, out, name)
        return _named(composite, op)
    parse = op.args
    if op.out and parse is _args.one:
        def computed(input: Tensor, *, out: Tensor | None = None) -> Any:  # noqa: A002
            try:
                r = call(op, (input,))
            except Exception as e:
                autograd_first(op, e, (input,))
                raise
            return r if out is None else write_out(r, out, name)
    elif op.out:
        def computed(*args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:
            try:
                r = call(op, *parse(*args, **kwargs))
            except Exception as e:
                autograd_first(op, e, args, kwargs)
                raise
            return r if out is None else write_out(r, out, name)
    elif parse is _args.one:
        def computed(input: Tensor) -> Any:  # noqa: A002 - PyTorch's name
            try:
                return call(op, (input,))
            except Exception as e:
                autograd_first(op, e, (input,))
                raise
    else:
        def computed(*args: Any, **kwargs: Any) -> Any:
            try:
                return call(op, *parse(*args, **kwargs))
            except Exception as e:
                autograd_first(op, e, args, kwargs)
                raise
    return _named(computed, op)


def inplace(op: Op) -> Callable:
    """`x.op_(...)` and `agrad.op_(x, ...)`: the op's result written into x."""
    if op.impl is not None:
        impl = op.impl

        def composite_(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
            operands = args + tuple(kwargs.values())
            check_inplace(self, operands)
            if op.inplace_check is not None:
                op.inplace_check(self, *args, **kwargs)
            check_writable(self, operands, op.overlap)
            return commit(self, impl(self, *args, **kwargs), op.overlap)
        return _named(composite_, op, "_")
    parse = op.args
    if op.view is not None:
        def view_(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
            try:
                return call_inplace_view(op, *parse(self, *args, **kwargs))
            except Exception as e:
                autograd_first(op, e, (self, *args), kwargs)
                raise
        return _named(view_, op, "_")
    if parse is _args.one:
        def computed_(self: Tensor) -> Tensor:
            try:
                return call_inplace(op, (self,))
            except Exception as e:
                autograd_first(op, e, (self,), None, True)
                raise
    elif parse is _args.two:
        def computed_(self: Tensor, other: Any) -> Tensor:
            try:
                return call_inplace(op, (self, other))
            except Exception as e:
                autograd_first(op, e, (self, other), None, True)
                raise
    elif op.backward is not None or op.inplace_grad_fn is not None:
        def computed_(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
            if self._requires_grad:  # autograd refuses a leaf before the arguments are checked
                check_inplace(self)
            try:
                return call_inplace(op, *parse(self, *args, **kwargs))
            except Exception as e:
                autograd_first(op, e, (self, *args), kwargs, True)
                raise
    else:
        def computed_(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
            return call_inplace(op, *parse(self, *args, **kwargs))
    return _named(computed_, op, "_")


# `2 * x` is `x.mul(2)` in PyTorch, the number second: it matters where a kernel reads its
# second operand differently (half's opmath) and for the order of the node's edges
_COMMUTED = frozenset({"__radd__", "__rmul__", "__rand__", "__ror__", "__rxor__"})


def dunder(op: Op, name: str) -> Callable:
    """An operator: `__mul__` (forward), `__rmul__` (reflected: the row also declares
    `__mul__`, and is called with the operands swapped, unless it commutes: then the number
    stays second, as in PyTorch), `__imul__` (in place), or a unary one
    (`__neg__`). A row declaring `__rsub__` alone (rsub) takes (self, other) as they come. A
    binary operator returns NotImplemented for an operand that is no tensor or number, so
    Python tries the other side."""
    parse = op.args
    # numbers are operands of elementwise operators only (`x @ 2` is Python's TypeError)
    ok = _operand if op.elementwise or op.impl is not None else (Tensor,)
    swapped = name.startswith("__r") and "__" + name[3:] in op.dunder and name not in _COMMUTED
    if name in ("__neg__", "__abs__", "__invert__", "__pos__"):
        def unary(self: Tensor) -> Any:
            if op.impl is not None:
                return op.impl(self)
            try:
                return call(op, *parse(self))
            except Exception as e:
                autograd_first(op, e, (self,))
                raise
        f: Callable = unary
    elif name.startswith("__i") and name != "__invert__":
        def in_place(self: Tensor, other: Any) -> Any:
            if not isinstance(other, ok):
                return NotImplemented
            if op.impl is not None:
                check_inplace(self, (other,))
                check_writable(self, (other,), op.overlap)
                return commit(self, op.impl(self, other), op.overlap)
            if self._requires_grad:  # autograd refuses a leaf before the arguments are checked
                check_inplace(self)
            try:
                return call_inplace(op, *parse(self, other))
            except Exception as e:
                autograd_first(op, e, (self, other), None, True)
                raise
        f = in_place
    elif name in _COMMUTED or (parse is _args.two and not swapped):
        def binary(self: Tensor, other: Any) -> Any:
            if not isinstance(other, _operand):
                return NotImplemented
            try:
                return call(op, (self, other))
            except Exception as e:
                autograd_first(op, e, (self, other))
                raise
        f = binary
    elif swapped:
        def reflected(self: Tensor, other: Any) -> Any:
            if not isinstance(other, ok):
                return NotImplemented
            if op.impl is not None:
                return op.impl(other, self)
            try:
                return call(op, *parse(other, self))
            except Exception as e:
                autograd_first(op, e, (other, self))
                raise
        f = reflected
    else:
        def forward(self: Tensor, other: Any) -> Any:
            if not isinstance(other, ok):
                return NotImplemented
            if op.impl is not None:
                return op.impl(self, other)
            try:
                return call(op, *parse(self, other))
            except Exception as e:
                autograd_first(op, e, (self, other))
                raise
        f = forward
    f.__name__ = f.__qualname__ = name
    f.__doc__ = _docs.for_row(op)
    return f


def _named(f: Callable, op: Op, suffix: str = "") -> Callable:
    """Name a variant as its row (`help(torch.add)` shows `add(input, other, *, alpha=1,
    out=None)` and the row's docstring, not the wrapper's `*args, **kwargs`)."""
    f.__name__ = op.name + suffix
    f.__doc__ = _docs.for_row(op, suffix)
    _place(f, op.namespace, op.name.split(".")[0] + suffix)
    if not suffix:
        f.__signature__ = _signature(op)  # type: ignore[attr-defined]
    return f


def _place(f: Callable, namespace: str, name: str) -> None:
    """Where a variant says it lives (`help()`, tracebacks, and the API reference, which looks
    each function up by its module and qualified name): `agrad.add`, `Tensor.view`."""
    if namespace == "Tensor":
        f.__module__, f.__qualname__ = "agrad._tensor", f"Tensor.{name}"
    else:
        f.__module__, f.__qualname__ = namespace, name


def _signature(op: Op) -> Any:
    """The public signature, returning what the variant returns (a computation's `args`
    returns the parsed call, not the result)."""
    sig = op.signature
    if op.impl is not None:
        return sig
    ret = "Any" if op.returns else "Tensor" if op.outputs == 1 else "tuple[Tensor, ...]"
    return sig.replace(return_annotation=ret)


def _function_names(op: Op) -> tuple[str, ...]:
    """A function's public names: its name without an overload suffix ("silu.functional" is
    `silu`, as `add.Tensor` is PyTorch's `add`) and its aliases."""
    return (op.name.split(".")[0], *op.aliases)


def _method_names(op: Op) -> tuple[str, ...]:
    if op.namespace == "Tensor":
        return (op.name,)
    m = op.method
    if m is False:
        return ()
    if m is True:
        return (op.name, *op.aliases)
    return (m,) if isinstance(m, str) else tuple(m)


def functions(namespace: str) -> dict[str, Callable]:
    """Every public function of a namespace (`agrad`, `agrad.nn.functional` ...), by name: each
    row's function variant under its name and aliases, and `op_` for in-place rows."""
    out: dict[str, Callable] = {}
    for op in TABLE.values():
        if op.namespace != namespace:
            continue
        if op.function:
            f = function(op)
            for n in _function_names(op):
                out[n] = f
        if op.inplace_function:
            f_ = inplace(op)
            for n in _inplace_function_names(op):
                out[n] = f_
    return out


def _inplace_function_names(op: Op) -> tuple[str, ...]:
    """`agrad.sin_`, `agrad.clip_` and `agrad.clamp_` ...: the in-place functions of a row."""
    names = op.inplace_function
    if not names:
        return ()
    return tuple(n + "_" for n in (names if isinstance(names, tuple) else (op.name,)))


def array_api_functions(namespace: str) -> dict[str, Callable]:
    """The functions of an Array API namespace (`agrad.array_api`, `.linalg`, `.fft`): the rows
    declared in it and, for the main one, every agrad row whose `array_api` spelling is set
    (the standard's function is that row's function as it is)."""
    out: dict[str, Callable] = {}
    if namespace == "agrad.array_api":
        for op in TABLE.values():
            if op.array_api and op.namespace == "agrad":
                out[op.array_api] = function(op)
    out.update(functions(namespace))
    return out


def methods() -> dict[str, Any]:
    """Every Tensor method and operator the table declares."""
    out: dict[str, Any] = {}
    for op in TABLE.values():
        if op.attribute:
            out[op.name] = property(op.impl, doc=_docs.for_row(op))
            continue
        names = _method_names(op)
        if names:
            m = function(op)
            if not op.function:  # a method only: it lives on Tensor
                _place(m, "Tensor", names[0])
            for n in names:
                if n in out:
                    raise RuntimeError(f"Tensor.{n} is declared by two rows (one is {op.name})")
                out[n] = m
        if op.inplace and (names or op.namespace == "agrad"):
            # (`x.copy_` has no `x.copy`; an nn.functional row's in-place form, F.silu(inplace=),
            # is no Tensor method in PyTorch)
            m_ = inplace(op)
            _place(m_, "Tensor", (names or (op.name,))[0] + "_")
            for n in names or (op.name,):
                out[n + "_"] = m_
        for d in op.dunder or ():
            out[d] = dunder(op, d)
    return out


_BOUND: set[str] = set()  # the names `bind` has put on Tensor


def bind(cls: type) -> None:
    """Put the table's methods and operators on Tensor: at import of `agrad._tensor` (the rows
    of `agrad.ops`), and again once `agrad` has imported the modules that declare more
    (`agrad.nn.functional`'s `Tensor.softmax`); a name is bound once."""
    for name, m in methods().items():
        if name in _BOUND:
            continue
        if name in cls.__dict__:
            raise RuntimeError(f"Tensor.{name} is declared both in the op table and by hand")
        setattr(cls, name, m)
        _BOUND.add(name)
