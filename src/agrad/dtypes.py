"""agrad's dtype objects and PyTorch's type-promotion rules.

The Array API leaves mixed-kind promotion (int tensor + float scalar) and 0-d tensors' role
unspecified, and NumPy's answers differ from PyTorch's. agrad users wrote PyTorch, so the result
dtype of every op is decided here, once, and backends are only asked to compute in it.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "dtype", "bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
    "complex64", "complex128", "half", "float", "double", "short", "int", "long", "cfloat",
    "cdouble", "get_default_dtype", "set_default_dtype", "promote_types", "result_type",
    "can_cast", "uint16", "uint32", "uint64", "finfo", "iinfo",
]

# the builtins under names this module's dtypes (bool, int, float) do not shadow; imported (not
# assigned) so that type checkers read them as the types
from builtins import bool as _builtin_bool  # noqa: E402
from builtins import complex as _builtin_complex  # noqa: E402
from builtins import float as _builtin_float  # noqa: E402
from builtins import int as _builtin_int  # noqa: E402

# categories, ordered as PyTorch's: bool < integral < floating < complex. Internal comparisons
# (`dt.category < FLOAT`) are plain ints; `dtype.category` is NumPy's character for array code
BOOL, INT, FLOAT, COMPLEX = 0, 1, 2, 3
_KIND_CHAR = "bifc"


class dtype:
    """A PyTorch dtype; `name` is also the Array API dtype name the adapters look up.

    Printed as PyTorch's (`torch.float32`); `name` is also the Array API dtype name, and
    `kind` NumPy's kind character, so array code asking `x.dtype.kind in "fc"` works.

    Examples:
        >>> torch.float32, torch.float32.itemsize, torch.float32.is_floating_point
        (torch.float32, 4, True)
    """

    __slots__ = ("name", "category", "kind", "itemsize", "is_signed", "_torch_name", "legacy",
                 "cpp", "__weakref__")

    def __init__(self, name: str, category: _builtin_int, itemsize: _builtin_int,
                 signed: _builtin_bool, torch_name: str, legacy: str, cpp: str) -> None:
        self.name = name
        self.category = category
        # NumPy's kind character, so array code that asks `x.dtype.category in "fc"` (scikit-learn
        # does) works on agrad tensors
        self.kind = "u" if category == INT and not signed else _KIND_CHAR[category]
        self.itemsize = itemsize
        self.is_signed = signed
        self._torch_name = torch_name
        # the names PyTorch's messages print: "Float" (legacy type, `torch.FloatTensor`) and the
        # C++ type ("float") that some kernels name
        self.legacy = legacy
        self.cpp = cpp

    @property
    def is_floating_point(self) -> _builtin_bool:
        return self.category == FLOAT

    @property
    def is_complex(self) -> _builtin_bool:
        return self.category == COMPLEX

    def to_real(self) -> dtype:
        return {complex64: float32, complex128: float64}.get(self, self)

    def to_complex(self) -> dtype:
        return {float16: complex64, float32: complex64, float64: complex128}.get(self, self)

    def __repr__(self) -> str:
        # Printed as PyTorch prints it: users run `import agrad as torch` and compare output.
        return "torch." + self._torch_name

    def __reduce__(self) -> str:
        return self._torch_name


bool = dtype("bool", BOOL, 1, False, "bool", "Bool", "bool")  # noqa: A001 - PyTorch's name
uint8 = dtype("uint8", INT, 1, False, "uint8", "Byte", "unsigned char")
# PyTorch has these with almost no kernels and no promotion; agrad computes with them and
# promotes them as the Array API standard does (the namespace needs them; see docs/array_api.md)
uint16 = dtype("uint16", INT, 2, False, "uint16", "UInt16", "unsigned short")
uint32 = dtype("uint32", INT, 4, False, "uint32", "UInt32", "unsigned int")
uint64 = dtype("uint64", INT, 8, False, "uint64", "UInt64", "unsigned long")
int8 = dtype("int8", INT, 1, True, "int8", "Char", "signed char")
int16 = dtype("int16", INT, 2, True, "int16", "Short", "short int")
int32 = dtype("int32", INT, 4, True, "int32", "Int", "int")
int64 = dtype("int64", INT, 8, True, "int64", "Long", "long int")
float16 = dtype("float16", FLOAT, 2, True, "float16", "Half", "c10::Half")
float32 = dtype("float32", FLOAT, 4, True, "float32", "Float", "float")
float64 = dtype("float64", FLOAT, 8, True, "float64", "Double", "double")
complex64 = dtype("complex64", COMPLEX, 8, True, "complex64", "ComplexFloat", "c10::complex<float>")
complex128 = dtype("complex128", COMPLEX, 16, True, "complex128", "ComplexDouble",
                   "c10::complex<double>")

half, float, double = float16, float32, float64  # noqa: A001
short, int, long = int16, int32, int64  # noqa: A001
cfloat, cdouble = complex64, complex128

ALL: tuple[dtype, ...] = (bool, uint8, int8, int16, int32, int64, float16, float32, float64,
                          complex64, complex128, uint16, uint32, uint64)
BY_NAME: dict[str, dtype] = {d.name: d for d in ALL}
BY_NAME.update(half=half, float=float, double=double, short=short, int=int, long=long,
               cfloat=cfloat, cdouble=cdouble)

_default_float = float32
_default_complex = complex64
# caches of decisions that depend on the default dtype (the op table's dtype plans)
default_dependent: list[dict] = []


def get_default_dtype() -> dtype:
    """The dtype of floating-point factories and Python floats (`torch.float32` unless changed).

    Examples:
        >>> torch.get_default_dtype()
        torch.float32
    """
    return _default_float


def set_default_dtype(d: dtype) -> None:
    """Like torch.set_default_dtype: only float32 and float64 (and float16) are allowed.

    Examples:
        >>> torch.set_default_dtype(torch.float64)
        >>> torch.tensor([1.5]).dtype
        torch.float64
        >>> torch.set_default_dtype(torch.float32)
    """
    global _default_float, _default_complex
    if not isinstance(d, dtype):  # not even Python's float: PyTorch wants a dtype object here
        raise TypeError("invalid dtype object: only floating-point types are supported as the "
                        "default type")
    if d.category != FLOAT:
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d
    _default_complex = d.to_complex()
    _result_cache.clear()
    for cache in default_dependent:
        cache.clear()


def _promote_pair(a: dtype, b: dtype) -> dtype:
    if a is b:
        return a
    if a.category == BOOL:
        return b
    if b.category == BOOL:
        return a
    if a.category == INT and b.category == INT:
        if a.is_signed == b.is_signed:
            return a if a.itemsize >= b.itemsize else b
        u, s = (a, b) if not a.is_signed else (b, a)
        # an unsigned type with a signed one needs a signed type wider than the unsigned one;
        # none holds uint64's range with a sign (the standard leaves it undefined): None
        return s if s.itemsize > u.itemsize else _SIGNED_WIDER.get(u.itemsize)
    if a.category < b.category:
        a, b = b, a
    # a has the higher kind (float or complex); keep the wider precision
    if a.category == FLOAT and b.category == INT:
        return a
    if a.category == FLOAT:  # both float
        return a if a.itemsize >= b.itemsize else b
    if b.category == INT:
        return a
    if b.category == FLOAT:
        return complex128 if b is float64 else a
    return a if a.itemsize >= b.itemsize else b


_SIGNED_WIDER = {1: int16, 2: int32, 4: int64}
_PROMOTE: dict[tuple[dtype, dtype], dtype] = {
    (a, b): r for a in ALL for b in ALL if (r := _promote_pair(a, b)) is not None}


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both `a` and `b` convert to without losing range, as PyTorch's promotion
    table says.

    Examples:
        >>> torch.promote_types(torch.int32, torch.float16)
        torch.float16
    """
    r = _PROMOTE.get((a, b))
    if r is None and not (isinstance(a, dtype) and isinstance(b, dtype)):
        return promote_types(arg(a, "promote_types", "type1", 1),
                             arg(b, "promote_types", "type2", 2))
    if r is None:  # an unsigned type with a signed one, and no signed type holds both
        raise RuntimeError(f"Promotion for uint16, uint32, uint64 types is not supported, "
                           f"attempted to promote {a.legacy} and {b.legacy}")
    return r


def scalar_dtype(x: Any) -> dtype:
    """The dtype PyTorch gives a bare Python number (a 'wrapped number')."""
    t = type(x)
    if t is _builtin_bool:
        return bool
    if t is _builtin_int:
        return int64
    if t is _builtin_float:
        return _default_float
    if t is _builtin_complex:
        return _default_complex
    if isinstance(x, _builtin_bool):
        return bool
    if isinstance(x, _builtin_int):
        return int64
    if isinstance(x, _builtin_float):
        return _default_float
    if isinstance(x, _builtin_complex):
        return _default_complex
    raise TypeError(f"expected a Tensor or a Python number, got {t.__name__}")


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    """c10's combine_categories: a lower-priority operand only counts if it is of a higher kind."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.category == COMPLEX:
        return higher
    if lower.category == COMPLEX:
        return higher.to_complex() if higher.category == FLOAT else lower
    if higher.category == FLOAT:
        return higher
    if higher.category == BOOL or lower.category == FLOAT:
        return promote_types(higher, lower)
    return higher


_result_cache: dict[tuple, dtype] = {}


def result_type_key(key: tuple) -> dtype:
    """`key` is a tuple of (dtype, priority): priority 2 for dimensioned tensors, 1 for 0-d
    tensors, 0 for Python numbers. Cached because every op asks."""
    r = _result_cache.get(key)
    if r is None:
        slots: list[dtype | None] = [None, None, None]
        for d, p in key:
            cur = slots[p]
            slots[p] = d if cur is None else promote_types(cur, d)
        r = _combine(slots[2], _combine(slots[1], slots[0]))
        _result_cache[key] = r
    return r


def result_type(*operands: Any) -> dtype:
    """torch.result_type over tensors and Python numbers.

    Tensors with dimensions take priority over 0-d tensors, and those over Python numbers, within
    a dtype category (PyTorch's rule).

    Examples:
        >>> torch.result_type(torch.tensor([1], dtype=torch.int8), 1000)
        torch.int8
        >>> torch.result_type(torch.tensor([1]), 1.5)
        torch.float32
    """
    key = []
    for o in operands:
        d = getattr(o, "_dtype", None)
        if d is None:
            key.append((scalar_dtype(o), 0))
        else:
            key.append((d, 2 if o.ndim else 1))
    return result_type_key(tuple(key))


def can_cast(from_: dtype, to: dtype) -> _builtin_bool:
    """torch.can_cast: same-kind casting, where a lower kind may go up but never down."""
    return arg(from_, "can_cast", "from_", 1).category <= arg(to, "can_cast", "to", 2).category


def typename(x: Any) -> str:
    """The type name PyTorch's argument parser prints for `x`: CPython's tp_name, which is the
    bare name for builtins and classes written in Python ("str", "Tensor") and module-qualified
    for extension types ("numpy.int64", "numpy.dtypes.Float32DType")."""
    t = type(x)
    if t.__module__ == "builtins" or t.__flags__ & _HEAPTYPE:
        return t.__name__
    return f"{t.__module__}.{t.__qualname__}"


_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class statement's type, not a C extension's


def is_dtype(x: Any) -> _builtin_bool:
    """Whether PyTorch's parser takes `x` as a `torch.dtype`: a dtype, or one of the Python
    scalar types it maps (float: float64, int: int64, bool, complex: complex128)."""
    return isinstance(x, dtype) or x is _builtin_float or x is _builtin_int or \
        x is _builtin_bool or x is _builtin_complex


def arg(x: Any, fn: str, name: str = "dtype", position: _builtin_int | None = None) -> dtype:
    """A `dtype=` argument of the PyTorch face, checked as PyTorch's parser checks it: a dtype
    or a Python scalar type; anything else (a string, a NumPy dtype, a torch.dtype) is its
    TypeError naming the function `fn`. The one check every PyTorch-facing `dtype=` goes
    through, so `agrad.ones(3, dtype="float32")` fails as `torch.ones` does instead of working
    on agrad and breaking on PyTorch."""
    if isinstance(x, dtype):
        return x
    if is_dtype(x):
        return get(x)
    at = "" if position is None else f" (position {position})"
    raise TypeError(f"{fn}(): argument '{name}'{at} must be torch.dtype, not {typename(x)}")


def get(x: Any) -> dtype:
    """Normalize a dtype of another library or face: agrad dtypes, their names, Python types,
    or any object with a `.name` naming a known dtype (NumPy dtypes, torch dtypes). For the
    arrays' own dtypes and the Array API face; PyTorch-facing `dtype=` arguments use `arg`."""
    if isinstance(x, dtype):
        return x
    if x is _builtin_float:
        return float64
    if x is _builtin_int:
        return int64
    if x is _builtin_bool:
        return bool
    if x is _builtin_complex:
        return complex128
    name = x if isinstance(x, str) else getattr(x, "name", None) or getattr(x, "__name__", None)
    if isinstance(name, str):
        name = name.removeprefix("torch.").removeprefix("agrad.")
        if name in BY_NAME:
            return BY_NAME[name]
    raise TypeError(f"unknown dtype {x!r}; expected one of {', '.join(map(repr, ALL))}")


# -- finfo / iinfo: one object for both faces (PyTorch's fields and the standard's) -------------

_FLOAT_INFO = {  # bits, eps, max, smallest normal, resolution
    "float16": (16, 2.0 ** -10, 65504.0, 2.0 ** -14, 1e-3),
    "float32": (32, 2.0 ** -23, (2 - 2.0 ** -23) * 2.0 ** 127, 2.0 ** -126, 1e-6),
    "float64": (64, 2.0 ** -52, 1.7976931348623157e308, 2.2250738585072014e-308, 1e-15),
}


class finfo:  # noqa: N801 - PyTorch's and the standard's name
    """Machine limits of a floating dtype (a complex dtype gives its real part's): the standard's
    fields (bits, eps, max, min, smallest_normal, dtype) and PyTorch's (tiny, resolution).

    Examples:
        >>> torch.finfo(torch.float32).eps
        1.1920928955078125e-07
    """

    def __init__(self, type: Any = None) -> None:  # noqa: A002 - the standard's name
        d = get_default_dtype() if type is None else arg(type, "finfo", "type", 1)
        if d.category < FLOAT:
            # word for word: PyTorch's message quotes its finfo type where the dtype was meant
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        self.dtype = d.to_real()
        self.bits, self.eps, self.max, self.smallest_normal, self.resolution = \
            _FLOAT_INFO[self.dtype.name]
        self.min = -self.max
        self.tiny = self.smallest_normal

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype._torch_name})")


class iinfo:  # noqa: N801
    """Limits of an integer dtype (bits, min, max, dtype).

    Examples:
        >>> torch.iinfo(torch.int8).max
        127
    """

    def __init__(self, type: Any) -> None:  # noqa: A002
        d = arg(type, "iinfo", "type", 1)
        if d.category != INT:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")  # word for word, as finfo's
        self.dtype = d
        self.bits = d.itemsize * 8
        self.min = -(1 << (self.bits - 1)) if d.is_signed else 0
        self.max = (1 << (self.bits - 1)) - 1 if d.is_signed else (1 << self.bits) - 1

    def __repr__(self) -> str:
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype._torch_name})"
