"""Specs of the Array API face (ops/array_api.py, `agrad.array_api`): each function against
PyTorch's equivalent, with the standard's semantics spelled out in the reference call (`Spec.
reference`): arrays promote alike whatever their rank (the reference casts to the common dtype
first, where PyTorch would let a 0-d tensor follow), `axis=()` reduces nothing, integer sums
accumulate in int64, `sort` returns values only, `take`'s negative indices count from the end,
the set functions' named tuples. Mixed-rank, mixed-dtype operands are drawn (a 0-d float64 with
a float32 array) so that the standard's promotion is what is checked. Gradients are compared
with PyTorch's where the function is differentiable.

The linalg and fft extensions are in `array_api_ext`.
"""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import agrad.array_api  # noqa: F401 - a submodule `import agrad` leaves out

from ..spec import (
    FLOATS,
    Bad,
    array,
    binary,
    broadcast_pair,
    dims_for,
    elements,
    op,
    sample,
    shapes,
    via,
)

NS = "agrad.array_api"


def xp(name: str, ns: str = NS):
    """The call of agrad's Array API function `name` (of namespace `ns`)."""
    parts = ns.split(".")[1:]

    def call(lib, *a, **k):
        obj = lib
        for p in parts:
            obj = getattr(obj, p)
        return getattr(obj, name)(*a, **k)
    return call


def is_tensor(x) -> bool:
    return hasattr(x, "requires_grad")


def promoted(lib, *xs):
    """The operands cast to the standard's common dtype of the arrays (any rank); a Python
    scalar becomes a 0-d array of that dtype (the standard's conversion)."""
    dt = functools.reduce(lib.promote_types, [x.dtype for x in xs if is_tensor(x)])
    return tuple(x.to(dt) if is_tensor(x) else lib.full((), x, dtype=dt) for x in xs)


def torch_fn(name: str):
    return lambda lib, *xs: getattr(lib, name)(*promoted(lib, *xs))


# -- elementwise ----------------------------------------------------------------------------------

ARITH = ("float32", "float64", "float32,float64", "int32,float32", "float32,scalar")
INT_ARITH = ("int32", "int32,int64")
for name, ref, domains, variants, kw in (
        ("add", "add", ((-3, 3), (-3, 3)), ARITH + INT_ARITH, {}),
        ("subtract", "sub", ((-3, 3), (-3, 3)), ARITH + INT_ARITH, {}),
        ("multiply", "mul", ((-3, 3), (-3, 3)), ARITH + INT_ARITH, {}),
        ("divide", "true_divide", ((-3, 3), (0.2, 3)), ARITH, {}),
        ("floor_divide", "floor_divide", ((-3, 3), (0.2, 3)), ARITH + INT_ARITH,
         {"nonzero": True, "grad": False}),  # (PyTorch has no derivative for it)
        ("remainder", "remainder", ((-3, 3), (0.2, 3)), ARITH + INT_ARITH, {"nonzero": True}),
        ("pow", "pow", ((0.2, 3), (-2, 2)), ARITH[:4], {}),
        ("atan2", "atan2", ((-3, 3), (-3, 3)), ARITH, {}),
        ("hypot", "hypot", ((-3, 3), (-3, 3)), ARITH, {}),
        ("logaddexp", "logaddexp", ((-3, 3), (-3, 3)), ARITH, {}),
        ("maximum", "maximum", ((-3, 3), (-3, 3)), ARITH + INT_ARITH, {}),
        ("minimum", "minimum", ((-3, 3), (-3, 3)), ARITH + INT_ARITH, {}),
        ("copysign", "copysign", ((-3, 3), (-3, 3)), ARITH, {}),
        ("nextafter", "nextafter", ((-3, 3), (-3, 3)), FLOATS + ("float32,float64",),
         {"grad": False}),
        ("bitwise_and", "bitwise_and", ((-8, 8), (-8, 8)), ("bool", "int32", "int32,int64"),
         {"grad": False}),
        ("bitwise_or", "bitwise_or", ((-8, 8), (-8, 8)), ("bool", "int32", "int32,int64"),
         {"grad": False}),
        ("bitwise_xor", "bitwise_xor", ((-8, 8), (-8, 8)), ("bool", "int32", "int32,int64"),
         {"grad": False}),
        ("bitwise_left_shift", "bitwise_left_shift", ((-50, 50), (0, 5)),
         ("int32", "int64", "int32,int64"), {"grad": False}),
        ("bitwise_right_shift", "bitwise_right_shift", ((-50, 50), (0, 5)),
         ("int32", "int64", "int32,int64"), {"grad": False}),
        ("logical_and", "logical_and", ((-1, 1), (-1, 1)), ("bool",), {"grad": False}),
        ("logical_or", "logical_or", ((-1, 1), (-1, 1)), ("bool",), {"grad": False}),
        ("logical_xor", "logical_xor", ((-1, 1), (-1, 1)), ("bool",), {"grad": False})):
    binary(f"{NS}.{name}", domains, variants=variants, call=xp(name), reference=torch_fn(ref),
           **kw)

COMPARE = ("float32", "float64", "float32,float64", "int32,float32", "float32,scalar", "int64")
for name, ref in (("equal", "eq"), ("not_equal", "ne"), ("less", "lt"), ("less_equal", "le"),
                  ("greater", "gt"), ("greater_equal", "ge")):
    binary(f"{NS}.{name}", ((-2, 2), (-2, 2)), variants=COMPARE, call=xp(name),
           reference=torch_fn(ref), grad=False)


def _one(v: str, gc: bool, domain=(-3, 3)):
    return sample(array(v, domain=domain, gc=gc))


op(f"{NS}.bitwise_invert", _one, call=xp("bitwise_invert"), variants=("bool", "int32", "int64"),
   reference=lambda lib, x: lib.bitwise_not(x), grad=False)
op(f"{NS}.sign", _one, call=xp("sign"), variants=FLOATS + ("int32", "complex64"),
   reference=lambda lib, x: lib.sgn(x))
op(f"{NS}.positive", _one, call=xp("positive"), variants=FLOATS + ("int32",),
   reference=lambda lib, x: x.clone())
op(f"{NS}.round", _one, call=xp("round"), reference=lambda lib, x: lib.round(x))
op(f"{NS}.conj", _one, call=xp("conj"), variants=FLOATS + ("complex64",),
   reference=lambda lib, x: (x.conj() * 1) if x.is_complex() else x.clone())
op(f"{NS}.real", _one, call=xp("real"), variants=("float32", "complex64"),
   reference=lambda lib, x: x.real if x.is_complex() else x.clone())
op(f"{NS}.imag", _one, call=xp("imag"), variants=("float32", "complex64"),
   reference=lambda lib, x: x.imag if x.is_complex() else lib.zeros_like(x))


def _clip(v: str, gc: bool):
    """x with a lower and/or upper bound, each a number of x's kind, an array, or None."""
    def build(sh):
        kind = "float64" if v.startswith("float") else "int64"

        def bound(lo, hi, off):
            num = elements(kind, (lo, hi), gc, off).map(
                lambda b: float(b) if kind == "float64" else int(b))
            return st.none() | num | array(v, sh[1], (lo, hi), gc, offset=off)
        return sample(array(v, sh[0], gc=gc), bound(-3, -0.5, 1), bound(0.5, 3, 2))
    return broadcast_pair(gc).filter(lambda p: np.broadcast_shapes(*p) == tuple(p[0])).flatmap(
        build)


def _clip_ref(lib, x, lo, hi):
    """clamp with the bounds in x's dtype (the standard keeps x's dtype); a number beside an
    array bound becomes a 0-d array (clamp takes two numbers or two tensors)."""
    if lo is None and hi is None:
        return x.clone()
    if is_tensor(lo) or is_tensor(hi):
        lo, hi = (None if b is None else b.to(x.dtype) if is_tensor(b) else
                  lib.full((), b, dtype=x.dtype) for b in (lo, hi))
    return lib.clamp(x, lo, hi)


op(f"{NS}.clip", _clip, call=xp("clip"), reference=_clip_ref, variants=FLOATS + ("int32",))


def _where(v: str, gc: bool):
    shapes3 = hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=2 if gc else 3,
                                                max_side=3).map(lambda b: b.input_shapes)
    ds = v.split(",")
    return shapes3.flatmap(lambda sh: sample(
        array("bool", sh[0]), array(ds[0], sh[1], gc=gc), array(ds[-1], sh[2], gc=gc, offset=1),
        grad=(1, 2)))


op(f"{NS}.where", _where, call=xp("where"),
   reference=lambda lib, c, a, b: lib.where(c, *promoted(lib, a, b)),
   variants=FLOATS + ("float32,float64", "int32"))


# -- reductions -----------------------------------------------------------------------------------

def dims(x, axis):
    """PyTorch's dims for the standard's axis (None: all of them)."""
    if axis is None:
        return tuple(range(x.ndim))
    return (axis,) if isinstance(axis, int) else tuple(axis)


def accumulator(lib, x):
    return None if x.is_floating_point() or x.is_complex() else lib.int64


def _reduce(v: str, gc: bool, domain=(-3, 3), unique: bool = False, **extra):
    """x, and axis: None, an int, a tuple of dims or () (nothing reduced); keepdims."""
    def build(sh):
        axes = dims_for(sh) | (st.just(()) if not gc else st.nothing())
        return axes.flatmap(lambda a: sample(array(v, sh, domain, gc, unique=unique), axis=a,
                                             keepdims=st.booleans(), **extra))
    return shapes(min_side=2 if gc else 1, gc=gc).flatmap(build)


def _sum_ref(lib, x, axis=None, keepdims=False):
    acc = accumulator(lib, x)
    if axis == ():
        return x.to(acc) if acc is not None else x.clone()
    return lib.sum(x, dim=dims(x, axis), keepdim=keepdims, dtype=acc)


def _prod_ref(lib, x, axis=None, keepdims=False):
    acc = accumulator(lib, x)
    r = x.to(acc) if acc is not None else x
    if axis == ():
        return r.clone()
    ds = sorted(d % x.ndim for d in dims(x, axis)) if x.ndim else []
    for d in reversed(ds):
        r = lib.prod(r, dim=d, keepdim=True)
    if not x.ndim:
        return lib.prod(r)
    shape = [1 if i in ds else s for i, s in enumerate(x.shape) if keepdims or i not in ds]
    return r.reshape(shape)


def _plain(torch_name: str):
    """`f(x, dim=dims, keepdim=)`; axis=() is a copy."""
    def ref(lib, x, axis=None, keepdims=False):
        if axis == ():
            return x.clone()
        return getattr(lib, torch_name)(x, dim=dims(x, axis), keepdim=keepdims)
    return ref


REDUCE = FLOATS + ("int32",)
op(f"{NS}.sum", _reduce, call=xp("sum"), reference=_sum_ref, variants=REDUCE + ("bool",))
op(f"{NS}.prod", lambda v, gc: _reduce(v, gc, (-2, 2)), call=xp("prod"), reference=_prod_ref,
   variants=REDUCE)
op(f"{NS}.mean", _reduce, call=xp("mean"), reference=_plain("mean"))
op(f"{NS}.max", _reduce, call=xp("max"), reference=_plain("amax"), variants=REDUCE)
op(f"{NS}.min", _reduce, call=xp("min"), reference=_plain("amin"), variants=REDUCE)


def _var_ref(name: str):
    def ref(lib, x, axis=None, correction=0.0, keepdims=False):
        if axis == ():  # one element per result: a reduction over a new axis of size 1
            return getattr(lib, name)(x.unsqueeze(-1), dim=-1, correction=correction)
        return getattr(lib, name)(x, dim=dims(x, axis), correction=correction,
                                  keepdim=keepdims)
    return ref


for name in ("var", "std"):
    op(f"{NS}.{name}", lambda v, gc: _reduce(v, gc, correction=st.sampled_from([0, 1, 0.5])),
       call=xp(name), reference=_var_ref(name), tol=10)


def _truth_ref(name: str):
    def ref(lib, x, axis=None, keepdims=False):
        t = x if x.dtype == lib.bool else x != 0
        if axis == ():
            return t.clone()
        if not x.ndim:
            return getattr(lib, name)(t)
        return getattr(lib, name)(t, dim=dims(x, axis), keepdim=keepdims)
    return ref


def _count_ref(lib, x, axis=None, keepdims=False):
    t = x != 0
    if axis == ():
        return t.to(lib.int64)
    return lib.sum(t, dim=dims(x, axis), keepdim=keepdims)


TRUTH = ("bool", "float32", "int32")
for name in ("all", "any"):
    op(f"{NS}.{name}", lambda v, gc: _reduce(v, gc, (-1, 1)), call=xp(name),
       reference=_truth_ref(name), variants=TRUTH, grad=False)
op(f"{NS}.count_nonzero", lambda v, gc: _reduce(v, gc, (-1, 1)), call=xp("count_nonzero"),
   reference=_count_ref, variants=TRUTH, grad=False)


def _arg(v: str, gc: bool):
    def build(sh):
        axis = st.none() | (st.integers(-len(sh), len(sh) - 1) if sh else st.none())
        return sample(array(v, sh, (-50, 50), unique=True), axis=axis, keepdims=st.booleans())
    return shapes().flatmap(build)


def _arg_ref(name: str):
    def ref(lib, x, axis=None, keepdims=False):
        r = getattr(lib, name)(x, dim=axis, keepdim=keepdims)
        return r.reshape([1] * x.ndim) if axis is None and keepdims else r
    return ref


for name in ("argmax", "argmin"):
    op(f"{NS}.{name}", _arg, call=xp(name), reference=_arg_ref(name),
       variants=FLOATS + ("int32",), grad=False)


def _scan(v: str, gc: bool):
    """x of 1 or more dims; axis None only for 1-D (the standard's rule)."""
    def build(sh):
        axis = st.integers(-len(sh), len(sh) - 1)
        if len(sh) == 1:
            axis = st.none() | axis
        return sample(array(v, sh, (-2, 2), gc), axis=axis, include_initial=st.booleans())
    return shapes(min_dims=1, gc=gc).flatmap(build)


def _scan_ref(torch_name: str, first: int):
    def ref(lib, x, axis=None, include_initial=False):
        axis = 0 if axis is None else axis
        r = getattr(lib, torch_name)(x, axis, dtype=accumulator(lib, x))
        if include_initial:
            shape = list(r.shape)
            shape[axis] = 1
            r = lib.cat([lib.full(shape, first, dtype=r.dtype), r], axis)
        return r
    return ref


SCALAR_0D = Bad("a 0-d array", lambda lib: (lib.ones(()),), ValueError)
AXIS_2D = Bad("no axis for a 2-D array", lambda lib: (lib.ones(2, 2),), ValueError)
op(f"{NS}.cumulative_sum", _scan, call=xp("cumulative_sum"), reference=_scan_ref("cumsum", 0),
   variants=REDUCE, errors=(SCALAR_0D, AXIS_2D))
op(f"{NS}.cumulative_prod", _scan, call=xp("cumulative_prod"),
   reference=_scan_ref("cumprod", 1), variants=REDUCE, errors=(SCALAR_0D, AXIS_2D))


def _diff(v: str, gc: bool):
    def build(sh):
        def with_axis(a):
            def side(k, off):
                return st.none() | array(v, sh[:a] + (k,) + sh[a + 1:], gc=gc, offset=off)
            return sample(array(v, sh, gc=gc), axis=a - len(sh) if a % 2 else a,
                          n=st.integers(1, 2), prepend=side(1, 1), append=side(2, 2))
        return st.integers(0, len(sh) - 1).flatmap(with_axis)
    return shapes(min_dims=1, gc=gc).flatmap(build)


def _diff_ref(lib, x, axis=-1, n=1, prepend=None, append=None):
    """The n-th differences: x[i + 1] - x[i] along axis, n times, after joining the sides."""
    x = lib.cat([p for p in (prepend, x, append) if p is not None], axis)
    for _ in range(n):
        m = x.shape[axis]
        x = x.narrow(axis, 1, m - 1) - x.narrow(axis, 0, m - 1)
    return x


op(f"{NS}.diff", _diff, call=xp("diff"), reference=_diff_ref, variants=FLOATS + ("int32",))


# -- manipulation ---------------------------------------------------------------------------------

def _broadcast_arrays(v: str, gc: bool):
    return hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3).flatmap(
        lambda b: sample(*[array(v, s, gc=gc, offset=i) for i, s in enumerate(b.input_shapes)]))


op(f"{NS}.broadcast_arrays", _broadcast_arrays, call=xp("broadcast_arrays"),
   reference=lambda lib, *xs: [lib.broadcast_to(x, lib.broadcast_shapes(*[t.shape for t in xs]))
                               for x in xs], variants=FLOATS + ("int32",))


def _broadcast_to(v: str, gc: bool):
    def build(target):
        n = len(target)
        return st.integers(0, n).flatmap(lambda k: st.tuples(
            *[st.sampled_from([1, s]) for s in target[n - k:]]).flatmap(
            lambda src: sample(array(v, tuple(src), gc=gc), tuple(target))))
    return shapes(gc=gc).flatmap(build)


op(f"{NS}.broadcast_to", _broadcast_to, call=xp("broadcast_to"),
   reference=lambda lib, x, shape: x.expand(shape), variants=FLOATS + ("int32",),
   errors=(Bad("a shape it does not broadcast to", lambda lib: (lib.ones(3), (2,)),
               RuntimeError),))


def _joined(v: str, gc: bool, same: bool):
    """2 or 3 arrays of one shape except (unless `same`) along the axis; dtypes of the
    variant in turn."""
    ds = v.split(",")

    def build(sh):
        n = len(sh)
        axes = st.integers(-n - (1 if same else 0), n - (0 if same else 1)) if n or same \
            else st.nothing()
        if not same:
            axes = axes | st.none() if n else st.none()

        def with_axis(a):
            def one(i):
                s = list(sh)
                if not same and a is not None and n:
                    s[a] = i + 1
                return array(ds[i % len(ds)], tuple(s), gc=gc, offset=i)
            return st.integers(2, 3).flatmap(
                lambda k: sample(st.tuples(*[one(i) for i in range(k)]).map(list), axis=a))
        return axes.flatmap(with_axis)
    return shapes(min_dims=0 if same else 1, gc=gc).flatmap(build)


def _concat_ref(lib, arrays, axis=0):
    arrays = promoted(lib, *arrays)
    if axis is None:
        return lib.cat([a.reshape(-1) for a in arrays])
    return lib.cat(list(arrays), axis)


JOIN = FLOATS + ("int32", "float32,float64", "int32,int64")
op(f"{NS}.concat", lambda v, gc: _joined(v, gc, False), call=xp("concat"),
   reference=_concat_ref, variants=JOIN)
op(f"{NS}.stack", lambda v, gc: _joined(v, gc, True), call=xp("stack"),
   reference=lambda lib, arrays, axis=0: lib.stack(list(promoted(lib, *arrays)), axis),
   variants=JOIN)


def _expand_dims(v: str, gc: bool):
    def build(sh):
        n = len(sh)
        one = st.integers(-n - 1, n)
        many = st.integers(1, 2).flatmap(lambda k: st.lists(
            st.integers(0, n + k - 1), min_size=k, max_size=k, unique=True).map(tuple))
        return sample(array(v, sh, gc=gc), one | many)
    return shapes(gc=gc).flatmap(build)


def _expand_dims_ref(lib, x, axis=0):
    """x reshaped with a 1 at each of the axes of the result."""
    axes = (axis,) if isinstance(axis, int) else axis
    n = x.ndim + len(axes)
    at = {a % n for a in axes}
    sizes = iter(x.shape)
    return x.reshape([1 if i in at else next(sizes) for i in range(n)])


op(f"{NS}.expand_dims", _expand_dims, call=xp("expand_dims"), reference=_expand_dims_ref,
   variants=FLOATS + ("int32",))


def _axes_of(v: str, gc: bool, none: bool = True, min_dims: int = 0):
    return shapes(min_dims=min_dims, gc=gc).flatmap(lambda sh: sample(
        array(v, sh, gc=gc), axis=dims_for(sh, none=none)))


op(f"{NS}.flip", _axes_of, call=xp("flip"),
   reference=lambda lib, x, axis=None: lib.flip(x, dims(x, axis)), variants=FLOATS + ("int32",))


def _moveaxis(v: str, gc: bool):
    def build(sh):
        n = len(sh)
        k = st.integers(1, n)
        perm = st.permutations(list(range(n)))
        return st.tuples(k, perm, perm).flatmap(lambda t: sample(
            array(v, sh, gc=gc), tuple(t[1][:t[0]]), tuple(t[2][:t[0]])) | sample(
            array(v, sh, gc=gc), t[1][0] - n, t[2][0]))
    return shapes(min_dims=1, gc=gc).flatmap(build)


op(f"{NS}.moveaxis", _moveaxis, call=xp("moveaxis"),
   reference=lambda lib, x, s, d: lib.movedim(x, s, d), variants=FLOATS + ("int32",))


def _permute(v: str, gc: bool):
    return shapes(gc=gc).flatmap(lambda sh: sample(
        array(v, sh, gc=gc), st.permutations(list(range(len(sh)))).map(tuple)))


op(f"{NS}.permute_dims", _permute, call=xp("permute_dims"),
   reference=lambda lib, x, axes: x.permute(axes), variants=FLOATS + ("int32",))


def _repeat(v: str, gc: bool):
    def build(sh):
        n = len(sh)
        axis = st.none() | st.integers(-n, n - 1) if n else st.none()

        def with_axis(a):
            size = int(np.prod(sh)) if a is None else sh[a]
            per = hnp.arrays(np.int64, (size,), elements=st.integers(0, 3))
            return sample(array(v, sh, gc=gc), st.integers(0, 3) | per, axis=a)
        return axis.flatmap(with_axis)
    return shapes(gc=gc).flatmap(build)


op(f"{NS}.repeat", _repeat, call=xp("repeat"),
   reference=lambda lib, x, r, axis=None: lib.repeat_interleave(x, r, axis),
   variants=FLOATS + ("int32",))


def _reshape(v: str, gc: bool):
    def build(sh):
        n = int(np.prod(sh))
        targets = st.sampled_from([(n,), (-1,), tuple(reversed(sh)), (1, n), sh + (1,)])
        return sample(array(v, sh, gc=gc), targets, copy=st.sampled_from([None, True]))
    return shapes(gc=gc).flatmap(build)


op(f"{NS}.reshape", _reshape, call=xp("reshape"),
   reference=lambda lib, x, shape, copy=None: x.reshape(shape).clone(),
   variants=FLOATS + ("int32",),
   errors=(Bad("copy=False where a copy is needed", lambda lib: (lib.ones(2, 3).mT, (6,)),
               ValueError, call=lambda lib, x, s: lib.array_api.reshape(x, s, copy=False)),))


def _roll(v: str, gc: bool):
    def build(sh):
        n = len(sh)
        flat = sample(array(v, sh, gc=gc), st.integers(-4, 4))
        if not n:
            return flat
        one = sample(array(v, sh, gc=gc), st.integers(-4, 4), axis=st.integers(-n, n - 1))
        many = st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True).flatmap(
            lambda ax: sample(array(v, sh, gc=gc), st.tuples(*[st.integers(-3, 3)] * len(ax)),
                              axis=tuple(ax)))
        return flat | one | many
    return shapes(gc=gc).flatmap(build)


op(f"{NS}.roll", _roll, call=xp("roll"),
   reference=lambda lib, x, shift, axis=None: lib.roll(x, shift, axis),
   variants=FLOATS + ("int32",))


def _squeeze(v: str, gc: bool):
    def build(sh):
        ones = [i for i, s in enumerate(sh) if s == 1]
        return st.lists(st.sampled_from(ones), min_size=1, unique=True).flatmap(
            lambda ax: sample(array(v, sh, gc=gc), ax[0] if len(ax) == 1 else tuple(ax)))
    return hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=2).filter(
        lambda sh: 1 in sh).flatmap(build)


def _squeeze_ref(lib, x, axis):
    at = {a % x.ndim for a in dims(x, axis)}
    return x.reshape([s for i, s in enumerate(x.shape) if i not in at])


op(f"{NS}.squeeze", _squeeze, call=xp("squeeze"), reference=_squeeze_ref,
   variants=FLOATS + ("int32",),
   errors=(Bad("an axis of size 2", lambda lib: (lib.ones(2, 1), 0), ValueError),))


def _tile(v: str, gc: bool):
    return shapes(gc=gc).flatmap(lambda sh: sample(
        array(v, sh, gc=gc), st.lists(st.integers(1, 3), max_size=4).map(tuple)))


op(f"{NS}.tile", _tile, call=xp("tile"), reference=lambda lib, x, r: lib.tile(x, r),
   variants=FLOATS + ("int32",))
op(f"{NS}.unstack", lambda v, gc: shapes(min_dims=1, gc=gc).flatmap(lambda sh: sample(
    array(v, sh, gc=gc), axis=st.integers(-len(sh), len(sh) - 1))), call=xp("unstack"),
   reference=lambda lib, x, axis=0: lib.unbind(x, axis), variants=FLOATS + ("int32",))

NOT_MATRIX = Bad("a 1-D array", lambda lib: (lib.ones(3),), ValueError)
for ns in (NS, NS + ".linalg"):
    op(f"{ns}.matrix_transpose", lambda v, gc: sample(array(v, shapes(min_dims=2, gc=gc),
                                                            gc=gc)),
       call=xp("matrix_transpose", ns), reference=lambda lib, x: x.mT,
       variants=FLOATS + ("int32",), errors=(NOT_MATRIX,))


# -- indexing, searching, sorting, sets -----------------------------------------------------------

def wrapped(lib, idx, size):
    return lib.where(idx < 0, idx + size, idx)


def _take(v: str, gc: bool):
    def build(sh):
        n = len(sh)
        axis = st.integers(-n, n - 1) | (st.none() if n == 1 else st.nothing())

        def with_axis(a):
            size = sh[0 if a is None else a]
            idx = hnp.arrays(np.int64, st.integers(0, 4), elements=st.integers(-size, size - 1))
            return sample(array(v, sh, gc=gc), idx, axis=a)
        return axis.flatmap(with_axis)
    return shapes(min_dims=1, gc=gc).flatmap(build)


def _take_ref(lib, x, idx, axis=None):
    axis = 0 if axis is None else axis
    return lib.index_select(x, axis, wrapped(lib, idx, x.shape[axis]))


op(f"{NS}.take", _take, call=xp("take"), reference=_take_ref, variants=FLOATS + ("int32",),
   errors=(Bad("no axis for a 2-D array", lambda lib: (lib.ones(2, 2), lib.tensor([0])),
               ValueError),))


def _take_along(v: str, gc: bool):
    def build(sh):
        n = len(sh)

        def with_axis(a):
            size = sh[a]
            ish = st.integers(1, 3).map(lambda k: sh[:a] + (k,) + sh[a + 1:])
            idx = hnp.arrays(np.int64, ish, elements=st.integers(-size, size - 1))
            return sample(array(v, sh, gc=gc), idx, axis=st.sampled_from([a, a - n]))
        return st.integers(0, n - 1).flatmap(with_axis)
    return shapes(min_dims=1, gc=gc).flatmap(build)


op(f"{NS}.take_along_axis", _take_along, call=xp("take_along_axis"),
   reference=lambda lib, x, idx, axis=-1: lib.take_along_dim(
       x, wrapped(lib, idx, x.shape[axis]), axis), variants=FLOATS + ("int32",))
op(f"{NS}.nonzero", lambda v, gc: sample(array(v, shapes(min_dims=1), (-1, 1))),
   call=xp("nonzero"), reference=lambda lib, x: lib.nonzero(x, as_tuple=True),
   variants=("float32", "int32", "bool"), grad=False,
   errors=(Bad("a 0-d array", lambda lib: (lib.ones(()),), ValueError),))


def _sorting(v: str, gc: bool):
    return shapes(min_dims=1, gc=gc).flatmap(lambda sh: sample(
        array(v, sh, (-50, 50), gc, unique=True), axis=st.integers(-len(sh), len(sh) - 1),
        descending=st.booleans()))


op(f"{NS}.argsort", _sorting, call=xp("argsort"),
   reference=lambda lib, x, axis=-1, descending=False: lib.argsort(
       x, dim=axis, descending=descending, stable=True), variants=FLOATS + ("int32",),
   grad=False)
op(f"{NS}.sort", _sorting, call=xp("sort"),
   reference=lambda lib, x, axis=-1, descending=False: lib.sort(
       x, dim=axis, descending=descending).values, variants=FLOATS + ("int32",))


def _searchsorted(v: str, gc: bool):
    """A sorted 1-D x1 (or an unsorted one with its sorter), x2 of any shape, ties included."""
    def build(a):
        x2 = array(v, shapes(), (-3, 3)) | st.sampled_from(list(a)).map(
            lambda e: np.array(e, dtype=a.dtype))
        with_sorter = st.permutations(list(a)).map(lambda p: np.array(p, dtype=a.dtype))
        side = st.sampled_from(["left", "right"])
        return sample(a, x2, side=side) | with_sorter.flatmap(lambda u: sample(
            u, x2, side=side, sorter=np.argsort(u, kind="stable").astype(np.int64)))
    return array(v, st.integers(1, 5).map(lambda n: (n,)), (-2, 2)).map(
        lambda a: np.sort(a.round() if a.dtype.kind == "f" else a)).flatmap(build)


def _searchsorted_ref(lib, x1, x2, side="left", sorter=None):
    """How many of x1's values lie before each x2 (strictly less: left; at most: right)."""
    if sorter is not None:
        x1 = x1[sorter]
    before = x1 < x2[..., None] if side == "left" else x1 <= x2[..., None]
    return before.sum(-1)


op(f"{NS}.searchsorted", _searchsorted, call=xp("searchsorted"), reference=_searchsorted_ref,
   variants=FLOATS + ("int32",), grad=False,
   errors=(Bad("a 2-D x1", lambda lib: (lib.ones(2, 2), lib.ones(2)), ValueError),
           Bad("an unknown side", lambda lib: (lib.ones(2), lib.ones(2)), ValueError,
               call=lambda lib, a, b: lib.array_api.searchsorted(a, b, side="middle"))))
via(f"{NS}.searchsorted.kernel", f"{NS}.searchsorted")


def _few(v: str, gc: bool):
    """Values from a few, so that they repeat."""
    return sample(array(v, shapes(), (-2, 2)).map(lambda a: a.round()))


def _unique_ref(lib, x):
    """values, first indices, inverse, counts: PyTorch's unique, first positions found by
    comparing each value with the flattened x (argmax: the first True)."""
    values, inverse, counts = lib.unique(x, sorted=True, return_inverse=True,
                                         return_counts=True)
    flat = x.reshape(-1)
    first = lib.argmax((flat[None, :] == values[:, None]).to(lib.int64), dim=1)
    return values, first, inverse.reshape(x.shape), counts


UNIQUE = ("float32", "int32", "int64", "bool")
op(f"{NS}.unique_all", _few, call=xp("unique_all"), reference=_unique_ref, variants=UNIQUE,
   grad=False)
op(f"{NS}.unique_counts", _few, call=xp("unique_counts"),
   reference=lambda lib, x: (lambda r: (r[0], r[3]))(_unique_ref(lib, x)), variants=UNIQUE,
   grad=False)
op(f"{NS}.unique_inverse", _few, call=xp("unique_inverse"),
   reference=lambda lib, x: (lambda r: (r[0], r[2]))(_unique_ref(lib, x)), variants=UNIQUE,
   grad=False)
op(f"{NS}.unique_values", _few, call=xp("unique_values"),
   reference=lambda lib, x: lib.unique(x, sorted=True), variants=UNIQUE, grad=False)
