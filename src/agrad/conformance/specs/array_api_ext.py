"""Specs of the Array API face (ops/array_api.py), continued: creation, the data-type functions,
linear algebra in the main namespace and the `linalg` and `fft` extensions — each against
PyTorch's equivalent with the standard's semantics spelled out in the reference call (an empty
`arange` where PyTorch refuses, `eye`'s diagonal offset, `linspace(endpoint=False)`, the
standard's `can_cast` and `isdtype` rules written with PyTorch's dtypes, `solve`'s vector only
when 1-D). The matrices are the decomposition specs' well-conditioned ones, factors fixed up to
sign the same way; a backend without a linalg or fft function declares it (not supported).
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from ..spec import FLOATS, Bad, Raw, array, dims_for, op, sample, shapes
from . import decompositions as DEC
from . import fft as FFT
from .array_api import NS, accumulator, dims, is_tensor, promoted, xp

LA = NS + ".linalg"
FT = NS + ".fft"
DTYPES = ("float32", "float64", "int32", "int64", "bool")


def dt(lib, name):
    return None if name is None else getattr(lib, name)


def dt_name(d) -> str:
    """A dtype's name, the same for agrad's and PyTorch's objects."""
    return str(d).rsplit(".", 1)[-1]


# -- creation -------------------------------------------------------------------------------------

size = st.lists(st.integers(0, 3), max_size=3).map(tuple)
shape_arg = size | st.integers(0, 4)


def _shaped(v: str, gc: bool, *extra):
    return sample(shape_arg, *extra, dtype=st.sampled_from([None, v]))


def _tuple(shape):
    return (shape,) if isinstance(shape, int) else shape


def _create(name: str):
    return (lambda lib, shape, *a, dtype=None: xp(name)(lib, shape, *a, dtype=dt(lib, dtype)),
            lambda lib, shape, *a, dtype=None: getattr(lib, name)(_tuple(shape), *a,
                                                                  dtype=dt(lib, dtype)))


for name in ("zeros", "ones", "empty"):
    call, ref = _create(name)
    op(f"{NS}.{name}", _shaped, call=call, reference=ref, variants=DTYPES, grad=False,
       compare="meta" if name == "empty" else "values")
call, ref = _create("full")
op(f"{NS}.full", lambda v, gc: _shaped(v, gc, st.sampled_from([1.5, -2, True, 0])),
   call=call, reference=ref, variants=("float32", "int64"), grad=False)


def _like(v: str, gc: bool, *extra):
    return sample(array(v), *extra, dtype=st.sampled_from([None, "float64", "int32"]))


def _create_like(name: str):
    return (lambda lib, x, *a, dtype=None: xp(name)(lib, x, *a, dtype=dt(lib, dtype)),
            lambda lib, x, *a, dtype=None: getattr(lib, name)(x, *a, dtype=dt(lib, dtype)))


for name in ("zeros_like", "ones_like", "empty_like"):
    call, ref = _create_like(name)
    op(f"{NS}.{name}", _like, call=call, reference=ref, variants=DTYPES, grad=False,
       compare="meta" if name == "empty_like" else "values")
call, ref = _create_like("full_like")
op(f"{NS}.full_like", lambda v, gc: _like(v, gc, st.sampled_from([1.5, -2, 0])), call=call,
   reference=ref, variants=("float32", "int64"), grad=False)


def _arange(v: str, gc: bool):
    """Integer and float bounds, steps of both signs, and empty ranges (the standard's empty
    array where PyTorch refuses an inconsistent step)."""
    ints = st.tuples(st.integers(-5, 5), st.integers(-5, 5), st.sampled_from([1, 2, -1]))
    floats = st.tuples(st.sampled_from([0.0, -1.5, 0.5]), st.sampled_from([2.0, -3.5]),
                       st.sampled_from([0.5, 1.0, -0.5]))
    args = st.one_of(ints, floats, st.integers(-2, 6).map(lambda n: (n,)))
    return args.flatmap(lambda a: sample(*a, dtype=st.sampled_from([None, "float64"])))


def _arange_ref(lib, start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    if (stop - start) * step <= 0:
        ints = all(isinstance(v, int) for v in (start, stop, step))
        return lib.empty(0, dtype=dt(lib, dtype) or (lib.int64 if ints else lib.float32))
    return lib.arange(start, stop, step, dtype=dt(lib, dtype))


op(f"{NS}.arange", _arange, call=lambda lib, *a, dtype=None: xp("arange")(
    lib, *a, dtype=dt(lib, dtype)), reference=_arange_ref, variants=("int64",), grad=False,
   errors=(Bad("a zero step", lambda lib: (0, 1, 0), ValueError),))


def _eye(v: str, gc: bool):
    return sample(st.integers(0, 4), st.none() | st.integers(0, 4), k=st.integers(-2, 2),
                  dtype=st.sampled_from([None, "int32", "float64"]))


def _eye_ref(lib, n, m=None, k=0, dtype=None):
    """Ones where column - row == k: the k-th diagonal of a matrix of ones."""
    ones = lib.ones(n, n if m is None else m)
    return ones.triu(k).tril(k).to(dt(lib, dtype) or lib.float32)


op(f"{NS}.eye", _eye, call=lambda lib, n, m=None, k=0, dtype=None: xp("eye")(
    lib, n, m, k=k, dtype=dt(lib, dtype)), reference=_eye_ref, variants=("float32",),
   grad=False)


def _linspace(v: str, gc: bool):
    bound = st.sampled_from([-1.0, 0, 2.5, 1 + 2j])
    return sample(bound, bound, st.integers(0, 5), endpoint=st.booleans())


def _linspace_ref(lib, start, stop, num, endpoint=True):
    """PyTorch's linspace; without the endpoint: num of num + 1 points."""
    if endpoint:
        return lib.linspace(start, stop, num)
    return lib.linspace(start, stop, num + 1)[:num]


op(f"{NS}.linspace", _linspace, call=xp("linspace"), reference=_linspace_ref,
   variants=("float32",), grad=False)


def _meshgrid(v: str, gc: bool):
    ds = v.split(",")
    return st.integers(1, 3).flatmap(lambda k: sample(
        *[array(ds[i % len(ds)], st.integers(1, 3).map(lambda m: (m,)), gc=gc, offset=i)
          for i in range(k)], indexing=st.sampled_from(["ij", "xy"])))


op(f"{NS}.meshgrid", _meshgrid, call=xp("meshgrid"),
   reference=lambda lib, *xs, indexing="xy": lib.meshgrid(*promoted(lib, *xs),
                                                          indexing=indexing),
   variants=FLOATS + ("int32", "float32,float64"))


def _tri(v: str, gc: bool):
    return sample(array(v, shapes(min_dims=2, gc=gc), gc=gc), k=st.integers(-2, 2))


for name in ("tril", "triu"):
    op(f"{NS}.{name}", _tri, call=xp(name),
       reference=(lambda n: lambda lib, x, k=0: getattr(lib, n)(x, k))(name),
       variants=FLOATS + ("int32",))


def _data(v: str, gc: bool):
    """Nested Python lists and NumPy arrays, with and without a dtype; a tensor as it is."""
    nested = array(v, shapes(max_dims=2)).map(lambda a: a.tolist())
    data = sample(nested | array(v).map(Raw), dtype=st.sampled_from([None, "float64"]))
    return data | sample(array(v))


def _asarray(name: str):
    def call(lib, obj, dtype=None):
        return xp(name)(lib, obj, dtype=dt(lib, dtype)) if dtype else xp(name)(lib, obj)
    return call


op(f"{NS}.asarray", _data, call=_asarray("asarray"),
   reference=lambda lib, obj, dtype=None: lib.asarray(obj, dtype=dt(lib, dtype)),
   variants=("float64", "int64", "bool"))
op(f"{NS}.from_dlpack", lambda v, gc: sample(array(v).map(Raw)), call=xp("from_dlpack"),
   reference=lambda lib, a: lib.from_dlpack(a), variants=("float32", "int64"), grad=False)


# -- data types -----------------------------------------------------------------------------------

CASTS = ("float32", "float64", "int32", "int64", "bool", "complex64")


def _astype(v: str, gc: bool):
    targets = [d for d in CASTS if not (v.startswith("complex") and d != v)]
    return sample(array(v, domain=(-3, 3), gc=gc), st.sampled_from(targets),
                  copy=st.booleans())


op(f"{NS}.astype", _astype, call=lambda lib, x, d, copy=True: xp("astype")(
    lib, x, getattr(lib, d), copy=copy), reference=lambda lib, x, d, copy=True: x.to(
    getattr(lib, d)) * 1 if getattr(lib, d) != lib.bool else x.to(lib.bool),
   variants=("float32", "int32", "bool", "complex64"),
   gradcheck=False)  # (most drawn targets are integer or bool: no gradient to check)

ALL_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
              "float32", "float64", "complex64", "complex128")
KINDS = {"bool": ("bool",), "signed integer": ("int8", "int16", "int32", "int64"),
         "unsigned integer": ("uint8", "uint16", "uint32", "uint64"),
         "real floating": ("float32", "float64"), "complex floating": ("complex64", "complex128")}
KINDS["integral"] = KINDS["signed integer"] + KINDS["unsigned integer"]
KINDS["numeric"] = tuple(d for d in ALL_DTYPES if d != "bool")
dtype_names = st.sampled_from(ALL_DTYPES)


BITS = {"bool": 1, "int8": 8, "int16": 16, "int32": 32, "int64": 64, "uint8": 8,
        "uint16": 16, "uint32": 32, "uint64": 64, "float32": 32, "float64": 64,
        "complex64": 32, "complex128": 64}  # (complex: each part's)


def _can_cast_ref(lib, a, b):
    """The standard's promotion lattice: integers to wider ones of their sign (an unsigned
    one also to a wider signed one), floating types to ones of as many bits, real to complex
    but not back; nothing across kinds. bool casts to anything: agrad's documented choice
    (PyTorch promotes bool with every type; the standard's lattice leaves it undefined)."""
    if a == b or a == "bool":
        return True
    if b == "bool":
        return False
    if (a in KINDS["integral"]) != (b in KINDS["integral"]):
        return False
    if a in KINDS["integral"]:
        sa, sb = a in KINDS["signed integer"], b in KINDS["signed integer"]
        return BITS[b] >= BITS[a] if sa == sb else (sb and BITS[b] > BITS[a])
    return BITS[b] >= BITS[a] and (b.startswith("complex") or not a.startswith("complex"))


op(f"{NS}.can_cast", lambda v, gc: sample(dtype_names, dtype_names),
   call=lambda lib, a, b: xp("can_cast")(lib, getattr(lib, a), getattr(lib, b)),
   reference=_can_cast_ref, variants=("bool",), grad=False)


def _isdtype(v: str, gc: bool):
    kind = st.sampled_from(sorted(KINDS)) | dtype_names.map(lambda d: ("dtype", d))
    return sample(dtype_names, kind | st.tuples(kind, kind))


def _kind_arg(lib, k):
    if isinstance(k, tuple) and k[0] == "dtype":
        return getattr(lib, k[1])
    if isinstance(k, tuple):
        return tuple(_kind_arg(lib, e) for e in k)
    return k


def _isdtype_ref(lib, d, kind):
    if isinstance(kind, tuple) and kind[0] != "dtype":
        return any(_isdtype_ref(lib, d, k) for k in kind)
    if isinstance(kind, tuple):
        return d == kind[1]
    return d in KINDS[kind]


op(f"{NS}.isdtype", _isdtype,
   call=lambda lib, d, kind: xp("isdtype")(lib, getattr(lib, d), _kind_arg(lib, kind)),
   reference=_isdtype_ref, variants=("bool",), grad=False,
   errors=(Bad("an unknown kind", lambda lib: (lib.float32, "floating"), ValueError,
               call=lambda lib, d, k: lib.array_api.isdtype(d, k)),))


def _result_type(v: str, gc: bool):
    """Arrays of every rank (0-d ones count as much as any) and dtypes."""
    arr = st.sampled_from(["float32", "float64", "int32", "int16", "bool"]).flatmap(
        lambda d: array(d, shapes(max_dims=2)))
    return st.lists(arr | dtype_names.filter(lambda d: not d.startswith("uint")), min_size=1,
                    max_size=3).flatmap(lambda xs: sample(*xs))


def _dtypes_of(lib, xs):
    return [x.dtype if is_tensor(x) else getattr(lib, x) for x in xs]


op(f"{NS}.result_type", _result_type,
   call=lambda lib, *xs: dt_name(xp("result_type")(
       lib, *[x if is_tensor(x) else getattr(lib, x) for x in xs])),
   reference=lambda lib, *xs: dt_name(functools.reduce(lib.promote_types, _dtypes_of(lib, xs))),
   variants=("bool",), grad=False)

INFO_FIELDS = ("bits", "eps", "max", "min", "smallest_normal")
op(f"{NS}.finfo", lambda v, gc: sample(st.sampled_from(["float32", "float64", "complex64"])),
   call=lambda lib, d: [getattr(xp("finfo")(lib, getattr(lib, d)), f) for f in INFO_FIELDS],
   reference=lambda lib, d: [getattr(lib.finfo(getattr(lib, d)), f) for f in INFO_FIELDS],
   variants=("bool",), grad=False)
op(f"{NS}.iinfo", lambda v, gc: sample(st.sampled_from(["int8", "int32", "int64", "uint8"])),
   call=lambda lib, d: [getattr(xp("iinfo")(lib, getattr(lib, d)), f)
                        for f in ("bits", "max", "min")],
   reference=lambda lib, d: [getattr(lib.iinfo(getattr(lib, d)), f)
                             for f in ("bits", "max", "min")],
   variants=("bool",), grad=False)


# -- linear algebra in the main namespace (and its linalg twins) ---------------------------------

for ns in (NS, LA):
    op(f"{ns}.matmul", DEC._matmul, call=xp("matmul", ns),
       reference=lambda lib, a, b: lib.matmul(*promoted(lib, a, b)),
       variants=FLOATS + ("int32",))
    op(f"{ns}.tensordot", DEC._tensordot,
       call=(lambda n: lambda lib, a, b, axes: xp("tensordot", n)(lib, a, b, axes=axes))(ns),
       reference=lambda lib, a, b, axes: lib.tensordot(*promoted(lib, a, b), axes),
       variants=FLOATS + ("int32", "int32,float32"))
    op(f"{ns}.vecdot", DEC._vecdot, call=xp("vecdot", ns),
       reference=lambda lib, a, b: lib.linalg.vecdot(*promoted(lib, a, b)),
       variants=FLOATS + ("complex64",), gradcheck=False,
       errors=(Bad("sizes along the axis that differ", lambda lib: (lib.ones(2, 3),
                                                                    lib.ones(2, 2)),
                   ValueError),))


def la(name: str):
    return lambda lib, *a, **k: getattr(lib.linalg, name)(*a, **k)


def square(v, gc):
    return sample(DEC.square(v, gc))


op(f"{LA}.inv", square, call=xp("inv", LA), reference=la("inv"))
op(f"{LA}.det", square, call=xp("det", LA), reference=la("det"))
op(f"{LA}.slogdet", square, call=xp("slogdet", LA), reference=la("slogdet"))
op(f"{LA}.cholesky", lambda v, gc: DEC._cholesky(v, gc, upper=st.booleans()),
   call=lambda lib, a, upper: xp("cholesky", LA)(lib, DEC.sym(lib, a), upper=upper),
   reference=lambda lib, a, upper: lib.linalg.cholesky(DEC.sym(lib, a), upper=upper))
op(f"{LA}.eigh", lambda v, gc: sample(DEC.square(v, gc, flip=False)),
   call=lambda lib, a: DEC.eigh_fixed(lib, *xp("eigh", LA)(lib, DEC.sym(lib, a))),
   reference=lambda lib, a: DEC.eigh_fixed(lib, *lib.linalg.eigh(DEC.sym(lib, a))))
op(f"{LA}.eigvalsh", lambda v, gc: sample(DEC.square(v, gc, flip=False)),
   call=lambda lib, a: xp("eigvalsh", LA)(lib, DEC.sym(lib, a)),
   reference=lambda lib, a: lib.linalg.eigvalsh(DEC.sym(lib, a)))
op(f"{LA}.qr", DEC._qr, call=lambda lib, a, mode: DEC.qr_fixed(lib, *xp("qr", LA)(
    lib, a, mode=mode)), reference=lambda lib, a, mode: DEC.qr_fixed(lib, *lib.linalg.qr(
        a, mode)))
op(f"{LA}.svd", lambda v, gc: DEC.general(v, gc).flatmap(
    lambda a: sample(a, full_matrices=st.booleans())),
   call=lambda lib, a, **k: DEC.svd_fixed(lib, *xp("svd", LA)(lib, a, **k)),
   reference=lambda lib, a, **k: DEC.svd_fixed(lib, *lib.linalg.svd(a, **k)))
op(f"{LA}.svdvals", lambda v, gc: sample(DEC.general(v, gc)), call=xp("svdvals", LA),
   reference=la("svdvals"))
RTOL = st.sampled_from([None, 1e-3, 0.3])
op(f"{LA}.pinv", lambda v, gc: DEC.general(v, gc).flatmap(lambda a: sample(a, rtol=RTOL)),
   call=xp("pinv", LA), reference=la("pinv"))
op(f"{LA}.matrix_rank", lambda v, gc: DEC._rank(v, gc).flatmap(
    lambda s: sample(s.args[0], rtol=RTOL)), call=xp("matrix_rank", LA),
   reference=la("matrix_rank"), grad=False)
op(f"{LA}.matrix_power", DEC._power, call=xp("matrix_power", LA),
   reference=la("matrix_power"), variants=FLOATS + ("int32",))


def _solve(v: str, gc: bool):
    """The standard's rule: x2 is a vector only when 1-D; else a (batch of) matrices — a
    batch-shaped x2 (A's shape less a dim) included where it is a matrix of n rows."""
    def build(a):
        n = a.shape[-1]
        rhs = [(n,), (n, 1), (n, 2), a.shape[:-2] + (n, 2)]
        if a.ndim == 3 and a.shape[0] == n:
            rhs.append(a.shape[:-1])
        return st.sampled_from(rhs).flatmap(lambda b: sample(a, array(v, b, gc=gc, offset=1)))
    # (2, 2, 2) with (2, 2): PyTorch would read a batch of vectors, the standard a matrix
    ambiguous = DEC.square(v, gc, n=st.just(2), batch=st.just((2,))).flatmap(
        lambda a: sample(a, array(v, (2, 2), gc=gc, offset=1)))
    return st.one_of(DEC.square(v, gc).flatmap(build), ambiguous)


def _solve_ref(lib, a, b):
    """A vector for a 1-D b; otherwise A^-1 B, with B a matrix (batch) however it is shaped."""
    a, b = promoted(lib, a, b)
    if b.ndim == 1:
        return lib.linalg.solve(a, b)
    return lib.matmul(lib.linalg.inv(a), b)


op(f"{LA}.solve", _solve, call=xp("solve", LA), reference=_solve_ref, tol=10)


def _cross(v: str, gc: bool):
    """Broadcast operands (the standard broadcasts all but the axis)."""
    shape = st.sampled_from([((3,), (3,)), ((2, 3), (1, 3)), ((1, 3), (2, 3)), ((3, 2), (3, 2)),
                             ((2, 1, 3), (4, 3))])
    return shape.flatmap(lambda sh: sample(
        array(v, sh[0], gc=gc), array(v, sh[1], gc=gc, offset=1),
        axis=st.just(0 if sh[0] == (3, 2) else -1)))


op(f"{LA}.cross", _cross, call=xp("cross", LA),
   reference=lambda lib, a, b, axis=-1: lib.linalg.cross(*lib.broadcast_tensors(
       *promoted(lib, a, b)), dim=axis), variants=FLOATS + ("int32",))


def _diagonal(v: str, gc: bool):
    return sample(array(v, shapes(min_dims=2, gc=gc), gc=gc), offset=st.integers(-2, 2))


op(f"{LA}.diagonal", _diagonal, call=xp("diagonal", LA),
   reference=lambda lib, x, offset=0: lib.diagonal(x, offset, -2, -1),
   variants=FLOATS + ("int32",))


def _trace_ref(lib, x, offset=0, dtype=None):
    d = lib.diagonal(x, offset, -2, -1)
    return lib.sum(d, dim=-1, dtype=dt(lib, dtype) or accumulator(lib, x))


op(f"{LA}.trace", lambda v, gc: sample(array(v, shapes(min_dims=2, gc=gc), gc=gc),
                                       offset=st.integers(-2, 2),
                                       dtype=st.sampled_from([None, "float64"])),
   call=lambda lib, x, offset=0, dtype=None: xp("trace", LA)(lib, x, offset=offset,
                                                             dtype=dt(lib, dtype)),
   reference=_trace_ref, variants=FLOATS + ("int32",))


def _outer(v: str, gc: bool):
    ds = v.split(",")
    vec = st.integers(1, 3).map(lambda n: (n,))
    return sample(array(ds[0], vec, gc=gc), array(ds[-1], vec, gc=gc, offset=1))


op(f"{LA}.outer", _outer, call=xp("outer", LA),
   reference=lambda lib, a, b: lib.outer(*promoted(lib, a, b)),
   variants=FLOATS + ("int32", "float32,float64"))


def _matrix_norm(v: str, gc: bool):
    return DEC.general(v, gc).flatmap(lambda a: sample(
        a, keepdims=st.booleans(), ord=st.sampled_from(DEC.MATRIX_ORDS + [None])))


op(f"{LA}.matrix_norm", _matrix_norm, call=xp("matrix_norm", LA),
   reference=lambda lib, a, keepdims=False, ord="fro": lib.linalg.matrix_norm(
       a, "fro" if ord is None else ord, keepdim=keepdims))


def _vector_norm(v: str, gc: bool):
    def build(sh):
        axes = dims_for(sh) | st.just(())
        return sample(array(v, sh, (0.2, 2), gc), axis=axes, keepdims=st.booleans(),
                      ord=st.sampled_from([2, 1, 3, float("inf"), 0]))
    return shapes(gc=gc).flatmap(build)


def _vector_norm_ref(lib, x, axis=None, keepdims=False, ord=2):
    if axis == ():  # each element its own vector
        return x.abs()
    return lib.linalg.vector_norm(x, ord, dims(x, axis), keepdims)


op(f"{LA}.vector_norm", _vector_norm, call=xp("vector_norm", LA), reference=_vector_norm_ref)


# -- the fft extension ----------------------------------------------------------------------------

def _one_call(name: str):
    def call(lib, x, n, axis, norm):
        return xp(name, FT)(lib, x, n=n, axis=axis, norm=norm or "backward")
    return call


def _many_call(name: str):
    def call(lib, x, s, axes, norm):
        return xp(name, FT)(lib, x, s=s, axes=axes, norm=norm or "backward")
    return call


for name, variants in {"fft": FFT.COMPLEX, "ifft": FFT.COMPLEX, "rfft": FFT.REAL,
                       "irfft": FFT.COMPLEX, "hfft": FFT.COMPLEX, "ihfft": FFT.REAL}.items():
    op(f"{FT}.{name}", FFT.one_axis, call=_one_call(name), reference=FFT.fft_call(name),
       variants=variants)
for name, variants in {"fftn": FFT.COMPLEX, "ifftn": FFT.COMPLEX, "rfftn": FFT.REAL,
                       "irfftn": FFT.COMPLEX}.items():
    op(f"{FT}.{name}", FFT.many_axes, call=_many_call(name), reference=FFT.fft_call(name),
       variants=variants)
for name in ("fftshift", "ifftshift"):
    op(f"{FT}.{name}", FFT._shift,
       call=(lambda n: lambda lib, x, axes: xp(n, FT)(lib, x, axes=axes))(name),
       reference=FFT.fft_call(name), variants=FFT.REAL + ("int32", "complex64"))
for name in ("fftfreq", "rfftfreq"):
    op(f"{FT}.{name}", FFT._freq,
       call=(lambda n: lambda lib, k, d, dtype=None: xp(n, FT)(lib, k, d=d,
                                                              dtype=dt(lib, dtype)))(name),
       reference=FFT._freq_call(name), variants=FFT.REAL, grad=False)
