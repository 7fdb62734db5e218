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

from .._tensor import Tensor
from . import _args
from ._dispatch import call, call_inplace, call_inplace_view, check_inplace, commit, write_out
from ._op import TABLE, Op

_operand = (Tensor, int, float, bool, complex)


def function(op: Op) -> Callable:
    """The function variant (`agrad.mul`, `agrad.nn.functional.softmax`)."""
    name = op.name
    if op.impl is not None:
        impl = op.impl
        if not op.out:
            return impl

        def composite(*args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:
            r = impl(*args, **kwargs)
            return r if out is None else write_out(r, out, name)
        return _named(composite, op)
    parse = op.args
    if op.out:
        def computed(*args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:
            r = call(op, *parse(*args, **kwargs))
            return r if out is None else write_out(r, out, name)
    elif parse is _args.one:
        def computed(input: Tensor) -> Any:  # noqa: A002 - PyTorch's name
            return call(op, (input,))
    else:
        def computed(*args: Any, **kwargs: Any) -> Any:
            return call(op, *parse(*args, **kwargs))
    return _named(computed, op)


def inplace(op: Op) -> Callable:
    """`x.op_(...)` and `agrad.op_(x, ...)`: the op's result written into x."""
    if op.impl is not None:
        impl = op.impl

        def composite_(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
            check_inplace(self)
            return commit(self, impl(self, *args, **kwargs))
        return _named(composite_, op, "_")
    parse = op.args
    if op.view is not None:
        def view_(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
            return call_inplace_view(op, *parse(self, *args, **kwargs))
        return _named(view_, op, "_")
    if parse is _args.one:
        def computed_(self: Tensor) -> Tensor:
            return call_inplace(op, (self,))
    elif parse is _args.two:
        def computed_(self: Tensor, other: Any) -> Tensor:
            return call_inplace(op, (self, other))
    else:
        def computed_(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
            return call_inplace(op, *parse(self, *args, **kwargs))
    return _named(computed_, op, "_")


def dunder(op: Op, name: str) -> Callable:
    """An operator: `__mul__` (forward), `__rmul__` (reflected: the row also declares
    `__mul__`, and is called with the operands swapped), `__imul__` (in place), or a unary one
    (`__neg__`). A row declaring `__rsub__` alone (rsub) takes (self, other) as they come. A
    binary operator returns NotImplemented for an operand that is no tensor or number, so
    Python tries the other side."""
    parse = op.args
    # numbers are operands of elementwise operators only (`x @ 2` is Python's TypeError)
    ok = _operand if op.elementwise or op.impl is not None else (Tensor,)
    if name in ("__neg__", "__abs__", "__invert__", "__pos__"):
        def unary(self: Tensor) -> Any:
            return call(op, *parse(self)) if op.impl is None else op.impl(self)
        f: Callable = unary
    elif name.startswith("__i") and name != "__invert__":
        def in_place(self: Tensor, other: Any) -> Any:
            if not isinstance(other, ok):
                return NotImplemented
            if op.impl is not None:
                check_inplace(self)
                return commit(self, op.impl(self, other))
            return call_inplace(op, *parse(self, other))
        f = in_place
    elif name.startswith("__r") and "__" + name[3:] in op.dunder:
        def reflected(self: Tensor, other: Any) -> Any:
            if not isinstance(other, ok):
                return NotImplemented
            return call(op, *parse(other, self)) if op.impl is None else op.impl(other, self)
        f = reflected
    elif parse is _args.two:
        def binary(self: Tensor, other: Any) -> Any:
            if not isinstance(other, _operand):
                return NotImplemented
            return call(op, (self, other))
        f = binary
    else:
        def forward(self: Tensor, other: Any) -> Any:
            if not isinstance(other, ok):
                return NotImplemented
            return call(op, *parse(self, other)) if op.impl is None else op.impl(self, other)
        f = forward
    f.__name__ = f.__qualname__ = name
    f.__doc__ = op.doc
    return f


def _named(f: Callable, op: Op, suffix: str = "") -> Callable:
    f.__name__ = f.__qualname__ = op.name + suffix
    f.__doc__ = op.doc
    f.__module__ = op.namespace
    return f


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
            for n in (op.name, *op.aliases):
                out[n] = f
        if op.inplace_function:
            out[op.name + "_"] = inplace(op)
    return out


def methods() -> dict[str, Any]:
    """Every Tensor method and operator the table declares."""
    out: dict[str, Any] = {}
    for op in TABLE.values():
        if op.attribute:
            out[op.name] = property(op.impl, doc=op.doc)
            continue
        names = _method_names(op)
        if names:
            m = function(op)
            for n in names:
                out[n] = m
        if op.inplace:
            m_ = inplace(op)
            for n in names or (op.name,):
                out[n + "_"] = m_
        for d in op.dunder or ():
            out[d] = dunder(op, d)
    return out


_bound: set[str] = set()


def bind(cls: type) -> None:
    """Put the table's methods and operators on Tensor: when agrad._tensor is made, and again
    once `agrad` has imported the namespaces that declare rows later (agrad.nn.functional's
    `x.softmax`); each name is bound once."""
    for name, m in methods().items():
        if name in _bound:
            continue
        if name in cls.__dict__:
            raise RuntimeError(f"Tensor.{name} is declared both in the op table and by hand")
        setattr(cls, name, m)
        _bound.add(name)
