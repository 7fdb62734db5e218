"""`repr(tensor)`, character for character as PyTorch prints it, and `set_printoptions`.

Programs written for PyTorch run unchanged on agrad (`import agrad as torch`), and their output
(logs, doctests, notebooks) must not change with them, so this reproduces the rules of
`torch/_tensor_str.py` exactly: summarization past `threshold` elements, one number format per
tensor chosen from the values shown (integer `1.` / fixed / scientific), padding to a common
width, wrapping at `linewidth`, and the `device=`, `dtype=`, `grad_fn=` suffixes.

PyTorch computes all of this with tensor ops; agrad cannot (printing must work on any backend,
before any op exists, and must not compute a huge or lazy array in full). So the summary is cut
from the backend array with basic slices and `concat`, converted to nested Python lists once,
and everything after that is plain Python formatting of Python numbers, which is also what
PyTorch ends up formatting (`Tensor.__format__` formats `.item()`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import config
from . import dtypes as D

__all__ = ["set_printoptions", "get_printoptions", "printoptions", "tensor_repr"]


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()

# profile -> (precision, threshold, edgeitems, linewidth), as torch.set_printoptions defines them
_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}


def set_printoptions(precision: int | None = None, threshold: float | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     profile: str | None = None, sci_mode: bool | None = None) -> None:
    """torch.set_printoptions: a profile first, then any explicit option on top of it.

    As in PyTorch, `sci_mode` is always assigned (omitting it restores automatic choice), and
    an unknown profile name is ignored.

    Examples:
        >>> torch.set_printoptions(precision=2)
        >>> torch.tensor([1.23456])
        tensor([1.23])
        >>> torch.set_printoptions(profile="default")
    """
    if profile in _PROFILES:
        (PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems,
         PRINT_OPTS.linewidth) = _PROFILES[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current options, as keyword arguments `set_printoptions` accepts."""
    return dataclasses.asdict(PRINT_OPTS)


@contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Temporarily change the print options (torch._tensor_str.printoptions)."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    """One number format for a whole set of values (PyTorch's `_Formatter`).

    Integers and bools print as `str(v)`. Floats look only at the nonzero finite values: all
    integral gives int mode (`3.`, the dot saying "floating"); a spread of more than 1000x, a
    magnitude above 1e8 or below 1e-4 gives scientific notation (unless `sci_mode` forces it);
    otherwise fixed with `precision` decimals. `width` is the widest such value, so columns
    line up (nan/inf/0 do not count towards it, exactly as in PyTorch)."""

    def __init__(self, values: list, floating: bool) -> None:
        self.floating = floating
        self.int_mode, self.sci_mode, self.width = True, False, 1
        if not floating:
            self.width = max([1, *(len(str(v)) for v in values)])
            return
        shown = [v for v in values if v != 0 and math.isfinite(v)]
        if not shown:
            return
        lo, hi = min(abs(v) for v in shown), max(abs(v) for v in shown)
        self.int_mode = all(v == math.ceil(v) for v in shown)
        forced = PRINT_OPTS.sci_mode
        self.sci_mode = (hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4) if forced is None \
            else forced
        p = PRINT_OPTS.precision
        spec, extra = (f".{p}e", 0) if self.sci_mode else (".0f", 1) if self.int_mode \
            else (f".{p}f", 0)
        self.width = max(1, max(len(format(v, spec)) for v in shown) + extra)

    def __call__(self, v: Any) -> str:
        p = PRINT_OPTS.precision
        if not self.floating:
            s = str(v)
        elif self.sci_mode:
            s = format(v, f"{self.width}.{p}e")
        elif self.int_mode:
            s = format(v, ".0f") + ("" if math.isinf(v) or math.isnan(v) else ".")
        else:
            s = format(v, f".{p}f")
        return s.rjust(self.width)


def _element_formatter(values: list, kind: int) -> tuple[Callable[[Any], str], int]:
    """The function formatting one element, and the room one element takes in a row (its
    width plus ', '). Complex numbers format real and imaginary parts separately, each with
    a formatter of its own, as PyTorch does."""
    if kind != D.COMPLEX:
        f = _Formatter(values, kind == D.FLOAT)
        return f, f.width + 2
    re = _Formatter([v.real for v in values], True)
    im = _Formatter([v.imag for v in values], True)

    def fmt(v: complex) -> str:
        imag = (im(v.imag) + "j").lstrip()
        return re(v.real) + ("" if imag[0] in "+-" else "+") + imag

    return fmt, re.width + 2 + im.width + 1


def _summary(t: Any, cuts: list[bool], e: int) -> Any:
    """Nested lists of the values printed: along each dimension marked in `cuts`, only the
    first and last `e` entries, cut on the backend array so the rest is never converted (the
    trailing `...` because the Array API wants every axis indexed)."""
    backend, a, shape = t._storage.backend, t._array, tuple(t.shape)
    for ax, cut in enumerate(cuts):
        if cut:
            lead, n = (slice(None),) * ax, shape[ax]
            a = backend.xp.concat([a[(*lead, slice(0, e), ...)],
                                   a[(*lead, slice(n - e, n), ...)]], axis=ax)
    return backend.tolist(a)


def _flatten(data: Any, ndim: int) -> Iterator[Any]:
    if ndim == 0:
        yield data
    else:
        for row in data:
            yield from _flatten(row, ndim - 1)


def _layout(data: Any, cuts: list[bool], indent: int, fmt: Callable[[Any], str],
            room: int) -> str:
    """Brackets, commas and line breaks (PyTorch's `_tensor_str_with_formatter`): a row wraps
    to fit `linewidth` after `indent` columns; sub-tensors of a d-dim tensor are separated by
    d-1 newlines; `...` stands for the elements a summary leaves out."""
    if not cuts:
        return fmt(data)
    e = PRINT_OPTS.edgeitems
    if len(cuts) == 1:
        items = [fmt(v) for v in data]
        if cuts[0]:
            items[e:e] = [" ..."]
        per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / room))
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = [_layout(row, cuts[1:], indent + 1, fmt, room) for row in data]
    if cuts[0]:
        rows[e:e] = ["..."]
    return "[" + ("," + "\n" * (len(cuts) - 1) + " " * (indent + 1)).join(rows) + "]"


def _body(t: Any, shape: tuple[int, ...], numel: int, indent: int) -> str:
    """The values of a non-empty tensor, summarized when it has more than `threshold`."""
    e = PRINT_OPTS.edgeitems
    summarize = numel > PRINT_OPTS.threshold
    if summarize and not e and shape:
        return "[...]"
    cuts = [summarize and n > 2 * e for n in shape]
    data = _summary(t, cuts, e)
    fmt, room = _element_formatter(list(_flatten(data, len(shape))), t.dtype.category)
    return _layout(data, cuts, indent, fmt, room)


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append `, suffix` items, each moving to a new line (aligned under the first value) when
    it would pass `linewidth`. The line-length arithmetic is PyTorch's own, off-by-ones
    included (a one-line string counts two more than its length)."""
    parts = [text]
    last = len(text) - text.rfind("\n") + 1
    for s in suffixes:
        if last + len(s) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + s)
            last = indent + len(s)
        else:
            parts.append(", " + s)
            last += len(s) + 2
    return "".join(parts) + ")"


def tensor_repr(t: Any) -> str:
    """`repr(t)` as PyTorch 2.13 gives it for a dense tensor."""
    from ._tensor import Tensor

    plain = type(t) is Tensor or getattr(t, "_is_param", False)
    prefix = "tensor(" if plain else f"{type(t).__name__}("
    indent = len(prefix)
    suffixes = []

    # PyTorch names the device unless it is the default one; agrad's default device is the
    # current backend's (so tests print alike on every backend). Like PyTorch's current CUDA
    # device, index 0 is the default index.
    dev = t.device
    if dev.type != config.current_backend().device_type or dev.index not in (None, 0):
        suffixes.append(f"device='{dev}'")

    shape = tuple(t.shape)
    numel = math.prod(shape)
    dtype, default = t.dtype, D.get_default_dtype()
    if numel == 0:
        # no values to tell the dtype by, so only the default float dtype goes unnamed
        if len(shape) != 1:
            suffixes.append(f"size={shape}")
        if dtype is not default:
            suffixes.append(f"dtype={dtype!r}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={shape}")
        # int64 and bool are implied by how the values print; the default float (and its
        # complex counterpart) by the decimal point
        implied = (default, D.complex128 if default is D.float64 else D.complex64, D.int64,
                   D.bool)
        if dtype not in implied:
            suffixes.append(f"dtype={dtype!r}")
        body = _body(t, shape, numel, indent)

    try:
        grad_fn = t.grad_fn
        name = None if grad_fn is None else grad_fn.name().rsplit("::", 1)[-1]
    except RuntimeError:  # PyTorch prints this when the grad_fn cannot be rebuilt
        name = "Invalid"
    if name is not None:
        suffixes.append(f"grad_fn=<{name}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")

    return _add_suffixes(prefix + body, suffixes, indent)
