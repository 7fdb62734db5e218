"""The typing stubs, generated from the op table as PyTorch generates `torch/_C/__init__.pyi` from
native_functions.yaml: `python -m agrad._stubgen` writes them; `stubs()` returns their text.

- `agrad/_tensor.pyi`: Tensor as written in `_tensor.py` (its own members, with their
  annotations), plus every method, in-place method, operator and attribute the table binds;
- a `.pyi` for each module whose functions come from the table (`agrad/__init__.pyi`,
  `agrad/nn/functional.pyi`, ...): the table's functions and the module's other public names
  (re-exports, functions written there).

A row's signature is its `args` (or `impl`) signature; a computation or a view returns a Tensor,
a composite what its impl's annotation says. What cannot be typed (a parameter without an
annotation, a name the stub cannot import) is stubbed `(*args: Any, **kwargs: Any) -> Any`, and
the generator says so on stderr.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import sys
import types
from pathlib import Path
from typing import Any

import agrad
from agrad._tensor import Tensor
from agrad.ops._op import TABLE, Op
from agrad.ops._variants import _function_names, _inplace_function_names, _method_names, methods

COMMAND = "python -m agrad._stubgen"
HEADER = (f"# Generated from agrad's op table by `{COMMAND}`. Do not edit: rerun it.\n"
          "# ruff: noqa: I001 - the generator's import order\n")
# Type aliases do not know their module: where a stub imports each from.
ALIASES = {"Number": "agrad.ops._args", "Scalar": "agrad.ops.array_api"}
BASE_SCOPE = {"Tensor": Tensor, "Any": Any}  # what a row's own annotations may take for granted
UNARY = ("__neg__", "__pos__", "__abs__", "__invert__")
METHODS = (types.FunctionType, property, staticmethod, classmethod)
_MISSING = object()


class Untyped(Exception):
    """A signature a stub cannot spell."""


class Stub:
    """One .pyi being written: its lines and the imports its annotations need."""

    def __init__(self, module: str, defined: dict[str, Any]) -> None:
        self.module = module
        self.defined = defined  # the names the stub binds itself -> their objects
        self.imports: dict[str, str] = {}  # local name -> the import statement binding it
        self.lines: list[str] = []

    def text(self) -> str:
        return HEADER + "\n".join(sorted(set(self.imports.values()))) + "\n\n" + \
            "\n".join(self.lines) + "\n"

    def annotation(self, text: Any, scope: dict[str, Any]) -> str:
        """An annotation written in `scope`, spelled for the stub (importing the names it uses,
        renaming those the stub binds to something else: `int` in Tensor is `_int`)."""
        if text is inspect.Parameter.empty:
            raise Untyped("a parameter or return without an annotation")
        tree = ast.parse(text if isinstance(text, str) else inspect.formatannotation(text),
                         mode="eval")
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                node.id = self.bind(node.id, scope)
        return ast.unparse(tree)

    def bind(self, name: str, scope: dict[str, Any]) -> str:
        obj = scope.get(name, BASE_SCOPE.get(name, getattr(builtins, name, _MISSING)))
        if obj is _MISSING:
            raise Untyped(f"the name {name!r} means nothing where it is written")
        mine = self.defined.get(name, _MISSING)
        if mine is obj or (mine is _MISSING and obj is getattr(builtins, name, _MISSING)):
            return name
        local = name if mine is _MISSING else "_" + name
        self.imports.setdefault(local, _import(name, obj, local))
        if self.imports[local] != _import(name, obj, local):
            raise Untyped(f"{local!r} would mean two things in one stub")
        return local

    def define(self, name: str, sig: inspect.Signature, returns: Any, scope: dict[str, Any],
               indent: str = "", method: str | None = None, decorator: str = "",
               comment: str = "") -> None:
        """`def name(...) -> returns: ...`; a method drops the function's first parameter and
        takes `method` (`self`, `cls`) in its place."""
        saved = dict(self.imports)
        try:
            params = _params(sig, method, lambda a: self.annotation(a, scope))
            ret = self.annotation(returns, scope)
        except (Untyped, SyntaxError) as e:
            self.imports = saved
            print(f"agrad._stubgen: {self.module}: cannot type {name} ({e}); stubbed as "
                  f"(*args: Any, **kwargs: Any) -> Any", file=sys.stderr)
            params = [method] if method else []
            params += [f"*args: {self.bind('Any', {})}", f"**kwargs: {self.bind('Any', {})}"]
            ret = "Any"
        if decorator:
            self.lines.append(indent + decorator)
        line = f"{indent}def {name}({', '.join(params)}) -> {ret}: ...{comment}"
        if len(line) > 100:  # one parameter a line
            inner = "".join(f"{indent}    {p},\n" for p in params)
            line = f"{indent}def {name}(\n{inner}{indent}) -> {ret}: ...{comment}"
        self.lines.append(line)

    def variable(self, name: str, annotation: str, scope: dict[str, Any],
                 indent: str = "") -> None:
        try:
            self.lines.append(f"{indent}{name}: {self.annotation(annotation, scope)}")
        except Untyped as e:
            print(f"agrad._stubgen: {self.module}: cannot type {name} ({e}); stubbed as Any",
                  file=sys.stderr)
            self.lines.append(f"{indent}{name}: {self.bind('Any', {})}")


def _params(sig: inspect.Signature, method: str | None, annotate: Any) -> list[str]:
    P = inspect.Parameter
    params = list(sig.parameters.values())
    if method and params and params[0].kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD):
        params = params[1:]
    out, star = [method] if method else [], False
    for i, p in enumerate(params):
        if p.kind is P.KEYWORD_ONLY and not star:
            out.append("*")
        star = star or p.kind in (P.VAR_POSITIONAL, P.KEYWORD_ONLY)
        prefix = "*" if p.kind is P.VAR_POSITIONAL else "**" if p.kind is P.VAR_KEYWORD else ""
        default = " = ..." if p.default is not P.empty else ""
        out.append(f"{prefix}{p.name}: {annotate(p.annotation)}{default}")
        if p.kind is P.POSITIONAL_ONLY and (i + 1 == len(params)
                                            or params[i + 1].kind is not P.POSITIONAL_ONLY):
            out.append("/")
    return out


def _home(obj: Any, names: tuple[str, ...], modules: list[Any]) -> tuple[str, str] | None:
    """The first (module, name) of these that binds `obj`."""
    for m in modules:
        for n in names:
            if m in sys.modules and vars(sys.modules[m]).get(n) is obj:
                return m, n
    return None


def _import(name: str, obj: Any, local: str) -> str:
    """The statement binding `obj` (called `name` where it was written) to `local`."""
    if isinstance(obj, types.ModuleType):
        return f"import {obj.__name__} as {local}"
    home = _home(obj, (name, getattr(obj, "__name__", name)),
                 ["builtins", ALIASES.get(name), getattr(obj, "__module__", None)])
    if home is None:
        raise Untyped(f"cannot tell where {name!r} comes from (add it to _stubgen.ALIASES)")
    return f"from {home[0]} import {home[1]}" + ("" if local == home[1] else f" as {local}")


def _origin(name: str, obj: Any, here: str) -> tuple[str, str] | None:
    """(module, its name there) that module `here` re-exports `obj` from; None: `here` made it."""
    if isinstance(obj, types.ModuleType):
        parent, _, last = obj.__name__.rpartition(".")
        return parent, last
    declared = sorted(m for m, mod in list(sys.modules.items())
                      if m.startswith("agrad.") and name in getattr(mod, "__all__", ()))
    modules = [getattr(obj, "__module__", None), *declared]
    return _home(obj, (name, getattr(obj, "__name__", name)), [m for m in modules if m != here])


def _relative(module: str, package: str) -> str:
    return "." + module[len(package):].lstrip(".") if (module + ".").startswith(package + ".") \
        else module


def _returns(op: Op, sig: inspect.Signature) -> Any:
    if op.impl is not None:
        return sig.return_annotation
    return "Any" if op.returns else "Tensor" if op.outputs == 1 else "tuple[Tensor, ...]"


def _scope(op: Op) -> dict[str, Any]:
    return (op.impl or op.args).__globals__


def _signature(op: Op, inplace: bool = False) -> inspect.Signature:
    return inspect.signature(op.impl or op.args) if inplace else op.signature


# -- the modules whose functions come from the table ----------------------------------------------

def module_stub(name: str) -> str:
    """The stub of module `name`: the table's functions of that namespace and the module's other
    public names (its `__all__`, or the public names its source binds)."""
    module = importlib.import_module(name)
    rows = {}
    for op in TABLE.values():
        if op.namespace == name:
            rows.update({n: (op, False) for n in _function_names(op) if op.function})
            rows.update({n: (op, True) for n in _inplace_function_names(op)})
        elif name == "agrad.array_api" and op.array_api and op.namespace == "agrad":
            rows[op.array_api] = (op, False)  # a row the standard spells its own way
    public = list(getattr(module, "__all__", None) or _exported(module))
    public += [n for n in rows if n not in public]
    defined = {n: getattr(module, n, None) for n in public}
    stub = Stub(name, defined)
    package = name if hasattr(module, "__path__") else name.rpartition(".")[0]
    for n in public:
        obj = defined[n]
        origin = None if n in rows else _origin(n, obj, name)
        if n in rows:
            op, inplace = rows[n]
            sig = _signature(op, inplace)
            stub.define(n, sig, "Tensor" if inplace else _returns(op, sig), _scope(op))
        elif origin is not None:  # a re-export
            where, there = origin
            stub.imports[n] = f"from {_relative(where, package)} import {there} as {n}" if where \
                else f"import {there} as {n}"
        elif inspect.isfunction(obj):
            sig = inspect.signature(obj)
            stub.define(n, sig, sig.return_annotation, obj.__globals__)
        else:
            stub.variable(n, "None" if obj is None else type(obj).__name__, vars(builtins))
    return stub.text()


def _exported(module: types.ModuleType) -> list[str]:
    """The public names a module's source binds (not the submodules that importing others
    happened to bind on it): its imports, definitions and assignments, less what it deletes."""
    names: list[str] = []
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.ImportFrom) and node.names[0].name == "*":
            star = importlib.import_module("." * node.level + (node.module or ""),
                                           module.__package__)
            names += getattr(star, "__all__", [n for n in vars(star) if not n.startswith("_")])
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [a.asname or a.name.partition(".")[0] for a in node.names]
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                names += [e.id for e in (t.elts if isinstance(t, ast.Tuple) else [t])
                          if isinstance(e, ast.Name)]
        elif isinstance(node, ast.Delete):
            gone = {t.id for t in node.targets if isinstance(t, ast.Name)}
            names = [n for n in names if n not in gone]
    return [n for n in dict.fromkeys(names) if not n.startswith("_") or n == "__version__"]


# -- Tensor ---------------------------------------------------------------------------------------

def tensor_stub() -> str:
    """Tensor as `_tensor.py` writes it, with the table's methods, operators and attributes, and
    the module's functions."""
    module = sys.modules[Tensor.__module__]
    bound = methods()
    # a class's own dunder data (__module__, __slots__, __firstlineno__ ...) is no member to stub
    written = {n: v for n, v in vars(Tensor).items() if n not in bound and n != "__annotate__"
               and (isinstance(v, METHODS) or not (n.startswith("__") and n.endswith("__")))}
    stub = Stub(module.__name__, {**vars(Tensor), "Tensor": Tensor})
    scope = vars(module)
    stub.lines.append("class Tensor:")
    for n, ann in Tensor.__annotations__.items():  # the attributes, slots and class defaults
        stub.variable(n, ann, scope, "    ")
    for n, v in written.items():
        if n not in Tensor.__annotations__:
            _member(stub, n, v, scope)
    for op in TABLE.values():
        _table_members(stub, op)
    stub.lines.append("")
    for n, f in vars(module).items():
        if inspect.isfunction(f) and f.__module__ == module.__name__:
            sig = inspect.signature(f)
            stub.define(n, sig, sig.return_annotation, scope)
    return stub.text()


def _member(stub: Stub, name: str, value: Any, scope: dict[str, Any]) -> None:
    """A member written in `_tensor.py`: a method, a property, an alias or an attribute."""
    if isinstance(value, property):
        for f, decorator in ((value.fget, "@property"), (value.fset, f"@{name}.setter"),
                             (value.fdel, f"@{name}.deleter")):
            if f is not None:
                sig = inspect.signature(f)
                stub.define(name, sig, sig.return_annotation, scope, "    ", "self", decorator)
    elif isinstance(value, (staticmethod, classmethod)):
        sig = inspect.signature(value.__func__)
        first = "cls" if name == "__new__" or isinstance(value, classmethod) else None
        decorator = "" if name == "__new__" else f"@{type(value).__name__}"
        stub.define(name, sig, sig.return_annotation, scope, "    ", first, decorator)
    elif inspect.isfunction(value) and value.__name__ != name:
        stub.lines.append(f"    {name} = {value.__name__}")
    elif inspect.isfunction(value):
        sig = inspect.signature(value)
        stub.define(name, sig, sig.return_annotation, scope, "    ", "self")
    else:
        ann = Tensor.__annotations__.get(name, type(value).__name__)
        stub.variable(name, ann, scope, "    ")


def _table_members(stub: Stub, op: Op) -> None:
    """What row `op` binds on Tensor: its attribute, methods, in-place methods and operators."""
    scope, indent = _scope(op), "    "
    if op.attribute and op.impl is not None:
        sig = inspect.signature(op.impl)
        stub.define(op.name, sig, sig.return_annotation, scope, indent, "self", "@property")
        return
    names = _method_names(op)
    sig = _signature(op)
    for n in names:
        stub.define(n, sig, _returns(op, sig), scope, indent, "self")
    if op.inplace:
        for n in names or (op.name,):
            stub.define(n + "_", _signature(op, True), "Tensor", scope, indent, "self")
    P = inspect.Parameter
    for d in op.dunder or ():
        params = [P("self", P.POSITIONAL_ONLY)]
        if d not in UNARY:
            other = list(_signature(op, True).parameters.values())[1]
            params.append(P("other", P.POSITIONAL_OR_KEYWORD, annotation=other.annotation))
        # `==` and `!=` give a Tensor where object's give a bool, as PyTorch's do
        comment = "  # type: ignore[override]" if d in ("__eq__", "__ne__") else ""
        stub.define(d, inspect.Signature(params), "Tensor", scope, indent, "self",
                    comment=comment)


# -- all of them ----------------------------------------------------------------------------------

def stubs() -> dict[Path, str]:
    """Every generated stub: its path -> its text."""
    namespaces = ["agrad"] + sorted({op.namespace for op in TABLE.values()} - {"agrad", "Tensor"})
    out = {_path(Tensor.__module__): tensor_stub()}
    for ns in namespaces:
        out[_path(ns)] = module_stub(ns)
    return out


def _path(module: str) -> Path:
    return Path(str(importlib.import_module(module).__file__)).with_suffix(".pyi")


def main() -> None:
    for path, text in stubs().items():
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"wrote {path.relative_to(Path(agrad.__file__).parent.parent)}")


if __name__ == "__main__":
    main()
