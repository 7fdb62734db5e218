"""Specs of tensor creation (ops/creation.py) and conversion (ops/conversion.py). Tensors are
made on the backend under test (the current backend); random draws are compared by shape and
dtype only (the semantic checks cover seeding and ranges)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..spec import FLOATS, Bad, Raw, array, op, sample, shapes, via

DTYPES = ("float32", "float64", "int32", "int64", "bool")
size = st.lists(st.integers(0, 3), max_size=3).map(tuple)


def dt(lib, name):
    """The library's dtype object of a name (None stays None)."""
    return None if name is None else getattr(lib, name)


def _sized(v: str, gc: bool, **kw):
    return sample(size, dtype=st.sampled_from([None, v]), **kw)


def _make(name: str):
    return lambda lib, s, dtype=None, **kw: getattr(lib, name)(s, dtype=dt(lib, dtype), **kw)


NEGATIVE = Bad("a negative size", lambda lib: ((-1, 2),), RuntimeError)
for name in ("zeros", "ones"):
    op(name, _sized, call=_make(name), variants=DTYPES, grad=False, errors=(NEGATIVE,))
op("empty", _sized, call=_make("empty"), variants=DTYPES, grad=False, compare="meta",
   errors=(NEGATIVE,))
op("full", lambda v, gc: sample(size, st.sampled_from([1.5, -2, True, 0])),
   call=lambda lib, s, f, **kw: lib.full(s, f, **kw), variants=("float32",), grad=False)
for name in ("rand", "randn"):
    op(name, lambda v, gc: sample(size, dtype=st.sampled_from([None, v])),
       call=_make(name), variants=FLOATS, grad=False, compare="meta", errors=(NEGATIVE,))
op("randint", lambda v, gc: sample(st.integers(1, 5), size),
   call=lambda lib, high, s, **kw: lib.randint(high, s, **kw), variants=("int64",), grad=False,
   compare="meta")
op("randperm", lambda v, gc: sample(st.integers(0, 6)), variants=("int64",), grad=False,
   compare="meta")


def _arange(v: str, gc: bool):
    ints = st.tuples(st.integers(-5, 5), st.integers(-5, 5), st.sampled_from([1, 2, -1]))
    floats = st.tuples(st.sampled_from([0.0, -1.5, 0.5]), st.sampled_from([2.0, 3.5]),
                       st.sampled_from([0.5, 1.0]))
    return st.one_of(ints, floats, st.integers(0, 6).map(lambda n: (n,))).flatmap(
        lambda a: sample(*a))


op("arange", _arange, variants=("int64",), grad=False,
   errors=(Bad("a zero step", lambda lib: (0, 1, 0), RuntimeError),))
op("linspace", lambda v, gc: sample(st.sampled_from([-1.0, 0, 2.5]), st.sampled_from([1, 4.0]),
                                    st.integers(0, 5)), variants=("float32",), grad=False)
op("logspace", lambda v, gc: sample(st.sampled_from([-1.0, 0, 1]), st.sampled_from([1, 2.0]),
                                    st.integers(0, 5), st.sampled_from([10.0, 2.0])),
   variants=("float32",), grad=False)
op("eye", lambda v, gc: sample(st.integers(0, 4), st.none() | st.integers(0, 4)),
   call=lambda lib, n, m, **kw: lib.eye(n, **kw) if m is None else lib.eye(n, m, **kw),
   variants=("float32",),
   grad=False, errors=(Bad("a negative size", lambda lib: (-1, None), RuntimeError),))


def _data(v: str, gc: bool):
    """Nested Python lists (and NumPy arrays) of every kind, with and without a dtype."""
    nested = array(v, shapes(max_dims=2)).map(lambda a: a.tolist())
    return sample(nested | array(v).map(Raw), dtype=st.sampled_from([None, "float32"]))


for name in ("tensor", "as_tensor", "asarray"):
    op(name, _data, call=(lambda n: lambda lib, d, dtype=None: getattr(lib, n)(
        d, dtype=dt(lib, dtype)))(name), variants=("float64", "int64", "bool"), grad=False,
       errors=(Bad("ragged data", lambda lib: ([[1, 2], [3]],), ValueError),))
op("scalar_tensor", lambda v, gc: sample(st.sampled_from([1.5, -2, True])),
   variants=("float32",), grad=False)
op("from_numpy", lambda v, gc: sample(array(v).map(Raw)), variants=DTYPES, grad=False)
op("from_dlpack", lambda v, gc: sample(array(v).map(Raw)), variants=("float32", "int64"),
   grad=False)


def _like(v: str, gc: bool, *extra):
    return sample(array(v, gc=gc), *extra, dtype=st.sampled_from([None, "float64", "int32"]))


def _like_call(name: str):
    return lambda lib, x, *a, dtype=None: getattr(lib, name)(x, *a, dtype=dt(lib, dtype))


for name in ("zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"):
    meta = name.startswith(("empty", "rand"))
    op(name, _like, call=_like_call(name), grad=False, compare="meta" if meta else "values",
       variants=FLOATS if name.startswith("rand") else DTYPES)
op("full_like", lambda v, gc: _like(v, gc, st.sampled_from([2, -1.5])),
   call=_like_call("full_like"), variants=DTYPES, grad=False)
op("randint_like", lambda v, gc: sample(array(v, gc=gc), st.integers(1, 5)),
   variants=("float32", "int64"), grad=False, compare="meta")


def _new(name: str, *extra):
    def call(lib, x, *a, dtype=None):
        return getattr(x, name)(*a, dtype=dt(lib, dtype))
    return op(name, lambda v, gc: sample(array(v, gc=gc), *extra,
                                         dtype=st.sampled_from([None, "int32"])),
              call=call, variants=FLOATS + ("int64",), grad=False,
              compare="meta" if name == "new_empty" else "values")


_new("new_empty", size)
_new("new_zeros", size)
_new("new_ones", size)
_new("new_full", size, st.sampled_from([2, -1.5]))
_new("new_tensor", array("float64", shapes(max_dims=2)).map(lambda a: a.tolist()))

# -- conversion ----------------------------------------------------------------------------------

TARGETS = ("float32", "float64", "int32", "int64", "bool", "cpu")


def _to(lib, x, target):
    return x.to("cpu") if target == "cpu" else x.to(dt(lib, target))


op("to", lambda v, gc: sample(array(v, gc=gc), st.sampled_from(TARGETS)), call=_to,
   variants=FLOATS + ("int32",), gradcheck=False)
via("to.dtype", "to")


def _round_trip(lib, x):
    """To another device and back (torch: to the CPU, where it is): gradients flow through."""
    if lib.__name__ != "agrad":
        return x.to("cpu") * 1
    other = "cpu_wb" if x.device.type == "cpu" else "cpu"
    return x.to(other).to(x.device) * 1


op("to.device", lambda v, gc: sample(array(v, gc=gc)), call=_round_trip,
   variants=FLOATS + ("int32",), inplace=False, out=False)


def _to_device(lib, x):
    """The Array API's spelling, to another device and back (PyTorch has no to_device: its
    reference is `to`, which stays where it is)."""
    other = "cpu_wb" if x.device.type == "cpu" else "cpu"
    return x.to_device(other).to_device(x.device) * 1


op("to_device", lambda v, gc: sample(array(v, gc=gc)), call=_to_device,
   reference=lambda lib, x: x.to(x.device) * 1, variants=FLOATS + ("int32",))
for name, variants in {"float": FLOATS + ("int32",), "double": ("float32", "int32"),
                       "half": ("float32",), "long": ("float32", "int32"),
                       "int": FLOATS, "short": FLOATS, "char": ("float32",),
                       "byte": ("float32",), "bool": ("float32", "int32"),
                       "cfloat": ("float32",), "cdouble": ("float32",)}.items():
    # non-negative: a negative float cast to uint8 is undefined (C), and libraries differ
    op(f"Tensor.{name}", lambda v, gc: sample(array(v, domain=(0, 9), gc=gc)),
       variants=variants, gradcheck=name == "double")
op("type_as", lambda v, gc: sample(array(v, gc=gc), array("float64", (2,))),
   variants=("float32", "int32"), grad=False)
op("cpu", lambda v, gc: sample(array(v, gc=gc)), variants=FLOATS + ("int32",))
op("cuda", lambda v, gc: sample(array(v, gc=gc)), variants=("float32",), grad=False,
   call=lambda lib, x: x.cuda().cpu() if lib.cuda.is_available() else x.cpu(),
   note="moves to CUDA where a GPU is present, else stays (both sides alike)")
op("dask", lambda v, gc: sample(array(v, gc=gc)), variants=("float32", "int64"), grad=False,
   torch=False, needs=("library:dask",),
   call=lambda lib, x: lib.from_numpy(np.asarray(x.dask()).copy()))


def _copy(v: str, gc: bool):
    from ..spec import broadcast_pair
    return broadcast_pair(gc).filter(lambda p: np.broadcast_shapes(*p) == p[0]).flatmap(
        lambda sh: sample(array(v, sh[0], gc=gc), array(v, sh[1], gc=gc, offset=1)))


op("copy", _copy, call=lambda lib, x, src: x.clone().copy_(src),
   inplace=lambda lib, x, src: x.copy_(src), variants=FLOATS + ("int32",))
op("fill", lambda v, gc: sample(array(v, gc=gc), st.sampled_from([1.5, -2, 0])),
   variants=FLOATS + ("int32",))
op("zero", lambda v, gc: sample(array(v, gc=gc)), call=lambda lib, x: x.clone().zero_(),
   variants=FLOATS + ("int32",))
