"""The user documentation of the op table's rows, kept apart from the rows.

PyTorch keeps the docstrings of its generated functions in `torch/_torch_docs.py` and
`torch/_tensor_docs.py` (applied with `add_docstr`), apart from `native_functions.yaml`; agrad
does the same: the rows (`agrad/ops/*.py`) say what an op *is*, the modules of this package say
what users read. Each entry is keyed by the row's table key (`"add"`, `"Tensor.view"`,
`"agrad.nn.functional.softmax"`, `"agrad.linalg.inv"`) and holds PyTorch's meaning in one line,
agrad's specifics where there are any, and an `Examples:` section that `tests/test_docstrings.py`
runs as a doctest on NumPy. Examples are written as PyTorch code after `import agrad as torch`
and `import agrad.nn.functional as F`.

`for_row(op)` is what `agrad.ops._variants` puts on every function, method, operator and
property it makes from a row: the entry, with the facts read from the row itself inserted
before the example (its other spellings, its grad_fn, its dtype rule, the dtypes it refuses), so
those cannot go stale. This package holds strings only and imports nothing of agrad's, so the
variants can ask it at import.
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["DOCS", "add_docstr", "for_row", "fill"]

# row key (as in agrad.ops._op.TABLE) -> docstring; also "agrad.<name>" for public objects
# that are no rows and whose defining module is an op-table module (see `fill`)
DOCS: dict[str, str] = {}


def add_docstr(key: str, text: str) -> None:
    """Declare the docstring of row `key` (PyTorch's `add_docstr`, kept in a table)."""
    assert key not in DOCS, f"docstring of {key} declared twice"
    DOCS[key] = inspect.cleandoc(text)


_RULES = {
    "to_float": "Integer and bool inputs compute in the default float dtype "
                "(`torch.get_default_dtype()`).",
    "to_bool": "The result is a bool tensor.",
    "to_real": "A complex input gives the real dtype of its precision.",
    "accumulate": "Integer and bool inputs accumulate in int64, as PyTorch's do.",
}
_EXTENSIONS = {"agrad.linalg": "torch.linalg", "agrad.fft": "torch.fft",
               "agrad.nn.functional": "F"}
_ARRAY_API = "https://data-apis.org/array-api/latest/API_specification/generated/"
_CACHE: dict[tuple[int, str], str] = {}


def _key(op: Any) -> str:
    return op.name if op.namespace == "agrad" else f"{op.namespace}.{op.name}"


def for_row(op: Any, suffix: str = "") -> str | None:
    """The docstring of a row's variant: `suffix` "_" is the in-place form (`x.add_`)."""
    cached = _CACHE.get((id(op), suffix))
    if cached is not None:
        return cached
    text = DOCS.get(_key(op)) or op.doc
    if text is None:
        if op.namespace.startswith("agrad.array_api"):
            text = _array_api_doc(op)
        else:
            return None
    head, sep, example = text.partition("\nExamples:")
    facts = _facts(op)
    parts = [head.rstrip()]
    if suffix:
        parts.insert(0, f"In-place form of `{op.name}`: writes the result into `self` and "
                        "returns `self`.")
    if facts:
        parts.append(facts)
    doc = "\n\n".join(parts) + (f"\n\nExamples:{example}" if sep else "")
    _CACHE[(id(op), suffix)] = doc
    return doc


def _array_api_doc(op: Any) -> str:
    ext = op.namespace[len("agrad.array_api"):].lstrip(".")
    page = f"array_api.{ext + '.' if ext else ''}{op.name}.html"
    return (f"The Array API standard's `{op.name}` ({_ARRAY_API}{page}), computed by agrad's "
            "op table and recorded by autograd.")


def _names(op: Any) -> list[str]:
    """The other spellings of a row, read from the row (as `_variants` makes them)."""
    ns = "Tensor" if op.namespace == "Tensor" else _EXTENSIONS.get(op.namespace, "torch")
    out = []
    if op.attribute:
        return [f"the attribute `Tensor.{op.name}`"]
    if op.function and op.namespace != "Tensor":
        names = (op.name.split(".")[0], *op.aliases)
        out.append(", ".join(f"`{ns}.{n}`" for n in names))
    m = op.method
    methods: tuple[str, ...]
    if op.namespace == "Tensor":
        methods = (op.name,)
    elif m is True:
        methods = (op.name, *op.aliases)
    elif m:
        methods = (m,) if isinstance(m, str) else tuple(m)
    else:
        methods = ()
    if methods:
        out.append(", ".join(f"`Tensor.{n}`" for n in methods))
    if op.inplace and (methods or op.namespace == "agrad"):
        out.append("in place " + ", ".join(f"`Tensor.{n}_`" for n in methods or (op.name,)))
    if op.inplace_function:
        names = op.inplace_function if isinstance(op.inplace_function, tuple) else (op.name,)
        out.append(", ".join(f"`torch.{n}_`" for n in names))
    if op.out:
        out.append("`out=`")
    if op.dunder:
        out.append("operators " + ", ".join(f"`{d}`" for d in op.dunder))
    if op.array_api:
        out.append(f"the Array API's `xp.{op.array_api}`")
    return out


def _facts(op: Any) -> str:
    lines = []
    names = _names(op)
    if names:
        lines.append("Forms: " + "; ".join(names) + ".")
    if op.view is not None:
        lines.append("A view: the result shares `input`'s storage on every backend (agrad keeps "
                     "the aliasing itself where the array library does not).")
    if isinstance(op.grad_fn, str) and op.backward is not None:
        lines.append(f"Autograd: differentiable; the result's `grad_fn` is `{op.grad_fn}`.")
    elif op.backward is not None:
        lines.append("Autograd: differentiable; the `grad_fn` name depends on the call, as in "
                     "PyTorch.")
    elif op.impl is None:
        lines.append("Autograd: not differentiable (the result never requires grad).")
    rule = _RULES.get(getattr(op.dtype, "__name__", ""))
    if rule:
        lines.append(rule)
    refused: dict[str, list[str]] = {}
    for dt, (exc, *_) in op.refuse.items():
        refused.setdefault(exc.__name__, []).append(repr(dt).removeprefix("torch."))
    for exc, dts in refused.items():
        lines.append(f"Raises PyTorch's `{exc}` for {', '.join(dts)} (no PyTorch kernel).")
    if op.data_dependent:
        lines.append("The result's size depends on the values: on a lazy backend (Dask) making "
                     "it computes them.")
    return "\n".join(lines)


def fill(namespace: dict[str, Any], module: str) -> None:
    """Give the public objects of `module` that come from op-table modules (the legacy tensor
    types, `manual_seed`) their entries `DOCS["<module>.<name>"]`."""
    for name, obj in namespace.items():
        doc = DOCS.get(f"{module}.{name}")
        if doc is not None:
            obj.__doc__ = doc


from . import conversion, creation, elementwise, functional, linalg, reduction, shapes  # noqa: E402, F401, I001
