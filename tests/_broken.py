"""Broken backends, to prove the conformance suite fails when it should.

Each is NumPy behind a namespace with one thing wrong, registered under its own name and device
type. Arrays are an ndarray subclass whose ufuncs (so `a * b` as well as `xp.multiply`) go
through the namespace's breakage, and every namespace function hands such arrays back, so the
breakage reaches every op that computes with it, as a buggy library's would.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import array_api_compat.numpy as cnp
import numpy as np

import agrad
from agrad.backends.numpy import NumpyBackend
from agrad.config import register_backend


class Arr(np.ndarray):
    """An array whose ufuncs pass through its namespace's `_ufunc` hook."""

    hook: Callable | None = None

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = tuple(np.asarray(i) if isinstance(i, Arr) else i for i in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(np.asarray(o) if isinstance(o, Arr) else o
                                  for o in kwargs["out"])
        r = getattr(ufunc, method)(*plain, **kwargs)
        if type(self).hook is not None:
            r = type(self).hook(ufunc, method, r)
        return wrap(r, type(self))


def wrap(x: Any, cls: type = Arr) -> Any:
    if isinstance(x, np.ndarray) and not isinstance(x, cls):
        return x.view(cls)
    if isinstance(x, tuple):
        return tuple(wrap(e, cls) for e in x)
    return x


def namespace(cls: type, **overrides: Callable) -> types.SimpleNamespace:
    """array_api_compat.numpy with every function returning `cls` arrays, and `overrides`."""
    ns = {}
    for name in dir(cnp):
        obj = getattr(cnp, name)
        if name.startswith("__") and name != "__array_api_version__":
            continue
        if callable(obj) and not isinstance(obj, type) and not hasattr(obj, "kind"):
            obj = (lambda f: lambda *a, **k: wrap(f(*a, **k), cls))(obj)
        ns[name] = obj
    for sub in ("linalg", "fft"):
        mod = getattr(cnp, sub)
        ns[sub] = types.SimpleNamespace(**{n: (lambda f: lambda *a, **k: wrap(f(*a, **k), cls))(
            getattr(mod, n)) for n in dir(mod) if not n.startswith("_")})
    ns.update({k: (lambda f: lambda *a, **k: wrap(f(*a, **k), cls))(v)
               for k, v in overrides.items()})
    ns["__name__"] = cls.__name__
    return types.SimpleNamespace(**ns)


class Broken(NumpyBackend):
    """NumPy through a broken namespace (subclasses set `xp` and `array`)."""

    array: type = Arr
    namespace_of: Callable | None = None

    def __init__(self) -> None:
        self.xp = self.make_namespace()
        super(NumpyBackend, self).__init__()
        self._rng = np.random.default_rng()

    def make_namespace(self) -> Any:
        return namespace(self.array)

    def from_numpy(self, array: Any) -> Any:
        return wrap(np.array(array), self.array)

    def empty(self, shape, dtype):
        return wrap(np.empty(shape, dtype=self.dtypes[dtype]), self.array)

    def rand(self, shape, dtype):
        return wrap(super().rand(shape, dtype), self.array)

    def randn(self, shape, dtype):
        return wrap(super().randn(shape, dtype), self.array)

    def randint(self, low, high, shape, dtype):
        return wrap(super().randint(low, high, shape, dtype), self.array)

    def index_update(self, base, key, value):
        return wrap(super().index_update(base, key, value), self.array)


def _kind(cls_name: str, hook: Callable | None = None) -> type:
    return type(cls_name, (Arr,), {"hook": staticmethod(hook) if hook else None})


def _off_multiply(ufunc, method, r):
    if ufunc is np.multiply and method == "__call__" and np.asarray(r).dtype.kind == "f":
        return r * (1 + 1e-3)
    return r


class MultiplyOff(Broken):
    """`*` and `multiply` off by a little (one part in a thousand)."""

    name = device_type = "broken_multiply"
    array = _kind("MultiplyOffArray", _off_multiply)


class SumNoKeepdims(Broken):
    """`sum` ignores `keepdims`."""

    name = device_type = "broken_sum"
    array = _kind("SumArray")

    def make_namespace(self):
        def sum_(x, axis=None, dtype=None, keepdims=False):
            return cnp.sum(x, axis=axis, dtype=dtype)
        return namespace(self.array, sum=sum_)


class ExpFloat32(Broken):
    """`exp` of float64 computes in float32 (a dtype computed in another one)."""

    name = device_type = "broken_exp_dtype"
    array = _kind("ExpArray")

    def make_namespace(self):
        def exp(x):
            r = cnp.exp(x)
            return r.astype(np.float32) if r.dtype == np.float64 else r
        return namespace(self.array, exp=exp)


class ViewsCopy(Broken):
    """Claims its views alias, but `reshape` and `permute_dims` copy."""

    name = device_type = "broken_views"
    array = _kind("CopyArray")

    def make_namespace(self):
        return namespace(self.array, reshape=lambda x, s, **k: np.reshape(x, s).copy(),
                         permute_dims=lambda x, axes: np.transpose(x, axes).copy())

    def aliases(self, view, base):
        return True  # the lie


class ClaimsFloat64(Broken):
    """Keeps float64 in its dtype map while its arrays come out float32."""

    name = device_type = "broken_float64"
    array = _kind("F32Array")

    def make_namespace(self):
        def down(f):
            def g(*a, dtype=None, **k):
                dt = np.float32 if dtype in (np.float64, cnp.float64) else dtype
                return f(*a, dtype=dt, **k) if dt is not None else f(*a, **k)
            return g
        return namespace(self.array, asarray=down(cnp.asarray), zeros=down(cnp.zeros),
                         empty=down(cnp.empty), ones=down(cnp.ones), full=down(cnp.full),
                         astype=lambda x, dt, **k: cnp.astype(
                             x, np.float32 if dt in (np.float64, cnp.float64) else dt, **k))

    def __init__(self) -> None:
        super().__init__()
        self.dtypes[agrad.float64] = np.float64  # the claim the probe would not make


BROKEN = {c.name: c for c in (MultiplyOff, SumNoKeepdims, ExpFloat32, ViewsCopy, ClaimsFloat64)}


def install(name: str) -> str:
    """Register the broken backend `name` (idempotent); returns its name."""
    register_backend(BROKEN[name]())
    return name
