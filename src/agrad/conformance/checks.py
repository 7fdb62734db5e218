"""The checks beyond single ops: what the backend declares (capabilities), and agrad's semantics
on it (views and in-place writes, version counters, graphs, hooks, higher-order gradients,
devices, laziness, random numbers, the seeds' programs).

Each check is a function of a `Context`, registered with `@check(family, name)`. It passes by
returning, fails by raising (an AssertionError says what differed), and raises `Unsupported`
where it needs what the backend declares it lacks. A capability the backend claims is verified:
claiming `views_alias`, `mutable`, `lazy`, `data_dependent_shapes`, linalg, fft or a dtype it
does not really have fails here.
"""

from __future__ import annotations

import pathlib
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

import agrad
from agrad import dtypes as D
from agrad.adapter import BackendLacks

from .reference import Unsupported, assert_values, host_values, torch_module

CHECKS: list[tuple[str, str, Callable]] = []


def check(family: str, name: str) -> Callable:
    def register(fn: Callable) -> Callable:
        CHECKS.append((family, name, fn))
        return fn
    return register


@dataclass
class Context:
    backend: Any
    thorough: bool = False
    reference: str | None = None

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def device(self) -> str:
        return self.backend.device_type

    @property
    def other(self) -> str:
        """Another backend's device to move to and from (NumPy's, or its write-back twin's)."""
        return agrad.get_backend("numpy_writeback" if self.backend.name == "numpy"
                                 else "numpy").device_type

    @property
    def float(self) -> Any:
        """The widest float the backend keeps (float64, else float32)."""
        return agrad.float64 if agrad.float64 in self.backend.dtypes else agrad.float32

    def values(self, *tensors: Any) -> list[np.ndarray]:
        return host_values(list(tensors))


def _raises(exc: type, fn: Callable, match: str = "") -> None:
    try:
        fn()
    except exc as e:
        assert re.search(match, str(e)), f"{type(e).__name__}: {e} (expected /{match}/)"
        return
    raise AssertionError(f"no {exc.__name__} raised (expected /{match}/)")


# -- capabilities --------------------------------------------------------------------------------

CORE = pathlib.Path(agrad.__file__).parent
# names the core calls only where the adapter says the capability is there, or guards itself
OPTIONAL = {"cumulative_prod", "linalg", "fft", "moveaxis", "take_along_axis", "from_dlpack"}


def core_calls() -> list[str]:
    """Every `xp.<name>` the core's source calls (read from the installed package)."""
    return sorted({m.group(1) for p in CORE.rglob("*.py") if "conformance" not in p.parts
                   for m in re.finditer(r"\bxp\.([a-z_][a-z0-9_]*)\b", p.read_text())})


@check("capabilities", "namespace")
def namespace(ctx: Context) -> None:
    """The namespace has every function agrad's core calls (read from the core's source)."""
    used = core_calls()
    assert len(used) > 20, used
    missing = [n for n in used if n not in OPTIONAL and not hasattr(ctx.backend.xp, n)]
    assert not missing, f"the namespace lacks what the core calls: {missing}"


@check("capabilities", "dtypes")
def dtypes(ctx: Context) -> None:
    """Every dtype the backend declares is kept by creation, casts and arithmetic; the ones
    it lacks are declared (listed as unsupported by the op checks that need them)."""
    be, xp = ctx.backend, ctx.backend.xp
    bad = []
    for d, bd in be.dtypes.items():
        try:
            a = be.asarray([1, 0, 1], d)
            kinds = [a, xp.zeros((2,), dtype=bd), xp.astype(be.asarray([1, 0], agrad.bool), bd)]
            if d is not D.bool:
                kinds.append(a + a)
            got = [be.dtype_of(k) for k in kinds]
            if any(g is not d for g in got):
                bad.append(f"{d}: arrays of {got}")
        except Exception as e:  # noqa: BLE001
            bad.append(f"{d}: {type(e).__name__}: {e}")
    assert not bad, "dtypes declared but not kept: " + "; ".join(bad)
    with agrad.backend(ctx.name):
        for d in D.ALL:
            if d not in be.dtypes:  # declared missing: refused by name, never downcast
                _raises(TypeError, lambda d=d: agrad.zeros(2, dtype=d), re.escape(str(d)))


@check("capabilities", "mutable")
def mutable(ctx: Context) -> None:
    """Claimed: a write into an array is seen in it."""
    be = ctx.backend
    if not be.mutable:
        raise Unsupported("in-place mutation (declared): writes take the write-back path")
    a = be.asarray([0.0, 0.0, 0.0], agrad.float32)
    be.write(a, (1,), 5.0)
    assert be.to_numpy(a).tolist() == [0.0, 5.0, 0.0], "a write into an array is not seen"


@check("capabilities", "views_alias")
def views_alias(ctx: Context) -> None:
    """Claimed: views of basic indexing, reshape and permute that the adapter says alias do
    share memory (a write through the view is seen in the base), and copies do not."""
    be, xp = ctx.backend, ctx.backend.xp
    if not (be.views_alias and be.mutable):
        raise Unsupported("aliasing views (declared): views are written back")
    base = be.asarray(np.arange(12.0).reshape(3, 4), agrad.float32)
    views = {"a[1:3]": base[1:3], "a[:, 1]": base[:, 1], "reshape": xp.reshape(base, (12,)),
             "permute": xp.permute_dims(base, (1, 0))}
    assert any(be.aliases(v, base) for v in views.values()), "no view aliases its base"
    for i, (what, v) in enumerate(views.items()):
        if not be.aliases(v, base):
            continue
        before = be.to_numpy(base).copy()
        be.write(v, (0,) * len(v.shape), -1.0 - i)
        after = be.to_numpy(base)
        assert (after != before).sum() == 1 and -1.0 - i in after, (
            f"{what} is said to alias its base, but a write through it is not seen there")
    copy = xp.asarray(base, copy=True)
    assert not be.aliases(copy, base), "a copy is said to alias its original"


@check("capabilities", "lazy")
def lazy(ctx: Context) -> None:
    """Claimed: building an expression computes nothing; materialize gives its values."""
    be = ctx.backend
    if not be.lazy:
        raise Unsupported("lazy (declared: an eager backend)")
    with be.counting_computes() as computes:
        a = be.asarray([1.0, 2.0, 3.0], agrad.float32)
        b = be.xp.exp(a) + a
    assert not computes, f"building an expression computed {len(computes)} time(s)"
    (v,) = be.materialize(b)
    np.testing.assert_allclose(np.asarray(v), np.exp([1.0, 2.0, 3.0]) + [1, 2, 3], rtol=1e-6)


@check("capabilities", "data_dependent_shapes")
def data_dependent_shapes(ctx: Context) -> None:
    """Claimed: boolean-mask reads and nonzero work; else they are refused by name."""
    with agrad.backend(ctx.name):
        x = agrad.tensor([1.0, -1.0, 2.0, -3.0])
        if not ctx.backend.data_dependent_shapes:
            _raises(BackendLacks, lambda: x[x > 0], "data-dependent shapes")
            raise Unsupported("data-dependent shapes (declared)")
        assert x[x > 0].tolist() == [1.0, 2.0]
        if agrad.int64 in ctx.backend.dtypes:  # nonzero's indices are int64
            assert (x < 0).nonzero().tolist() == [[1], [3]]


def extension_calls(ext: str) -> list[str]:
    """The functions of an extension (`xp.linalg.<name>`) the core calls."""
    pattern = re.compile(rf"\bxp\.{ext}\.([a-z_][a-z0-9_]*)\b")
    return sorted({m.group(1) for p in CORE.rglob("*.py") if "conformance" not in p.parts
                   for m in pattern.finditer(p.read_text())})


def supported(be: Any, ext: str) -> list[str]:
    """The functions of extension `ext` the core calls that the backend says it computes."""
    return [n for n in extension_calls(ext) if be.supports(ext, n)]


def _extension(ctx: Context, ext: str, probe: Callable) -> None:
    """Claimed: the namespace has every function of the extension the core calls and the
    backend says it computes, and a probe of it computes the right values."""
    be = ctx.backend
    claimed = supported(be, ext)
    if not claimed:
        raise Unsupported(f"{ext} (declared)")
    mod = getattr(be.xp, ext, None)
    assert mod is not None, f"{ext} functions are declared but the namespace has no {ext}"
    missing = [n for n in claimed if not callable(getattr(mod, n, None))]
    assert not missing, f"the {ext} extension lacks what the backend declares: {missing}"
    probe(be, mod)


def _probe_linalg(be: Any, linalg: Any) -> None:
    a = be.asarray([[2.0, 1.0], [1.0, 3.0]], agrad.float32)
    if be.supports("linalg", "inv"):
        got = be.to_numpy(linalg.inv(a))
        np.testing.assert_allclose(got, np.linalg.inv([[2.0, 1.0], [1.0, 3.0]]), rtol=1e-5)
    if hasattr(linalg, "matrix_transpose"):
        assert be.to_numpy(linalg.matrix_transpose(a)).tolist() == [[2, 1], [1, 3]]


def _probe_fft(be: Any, fft: Any) -> None:
    a = be.asarray([1.0, 0.0, 0.0, 0.0], agrad.complex64)
    np.testing.assert_allclose(be.to_numpy(fft.fft(a)), np.ones(4), atol=1e-6)


@check("capabilities", "linalg")
def linalg(ctx: Context) -> None:
    """Claimed: xp.linalg has what the core calls, and computes the right values."""
    _extension(ctx, "linalg", _probe_linalg)


@check("capabilities", "fft")
def fft(ctx: Context) -> None:
    """Claimed: xp.fft has what the core calls, and computes the right values."""
    _extension(ctx, "fft", _probe_fft)


@check("capabilities", "conversions")
def conversions(ctx: Context) -> None:
    """NumPy round trips and tolist of every declared dtype."""
    be = ctx.backend
    for d in be.dtypes:
        host = np.array([1, 0, 3], dtype=d.name) if d is not D.bool else np.array([True, False])
        got = be.to_numpy(be.from_numpy(host))
        assert got.dtype == host.dtype and np.array_equal(got, host), f"{d}: {got!r}"
        assert be.tolist(be.from_numpy(host)) == host.tolist(), f"{d}: tolist"


# -- semantics -----------------------------------------------------------------------------------

# chains of views, written as agrad and as NumPy (whose basic views alias): each pair must
# keep showing the same values as writes go through any of them
VIEW_CHAINS: list[tuple[str, Callable, Callable]] = [
    ("view(6, 4)", lambda t: t.view(6, 4), lambda a: a.reshape(6, 4)),
    ("[1]", lambda t: t[1], lambda a: a[1]),
    ("permute(2, 0, 1)[1:3]", lambda t: t.permute(2, 0, 1)[1:3],
     lambda a: a.transpose(2, 0, 1)[1:3]),
    ("view(6, 4)[1:5].t()[::2]", lambda t: t.view(6, 4)[1:5].t()[::2],
     lambda a: a.reshape(6, 4)[1:5].T[::2]),
    ("transpose(0, 2)[..., 1]", lambda t: t.transpose(0, 2)[..., 1],
     lambda a: a.swapaxes(0, 2)[..., 1]),
    ("unsqueeze(0)[0, 1, :, 2]", lambda t: t.unsqueeze(0)[0, 1, :, 2],
     lambda a: a[None][0, 1, :, 2]),
    ("narrow(2, 1, 2).select(0, 1)", lambda t: t.narrow(2, 1, 2).select(0, 1),
     lambda a: a[:, :, 1:3][1]),
    ("flatten()[3:9]", lambda t: t.flatten()[3:9], lambda a: a.reshape(-1)[3:9]),
    ("diagonal(0, 1, 2)", lambda t: t.diagonal(0, 1, 2), lambda a: _diagonal(a)),
]
def _diagonal(a: np.ndarray) -> np.ndarray:
    """NumPy's diagonal(0, 1, 2) of a 3-D array, as a writable view (NumPy's is read-only)."""
    n = min(a.shape[1], a.shape[2])
    return np.lib.stride_tricks.as_strided(a, (a.shape[0], n),
                                           (a.strides[0], a.strides[1] + a.strides[2]))


WRITES: list[tuple[str, Callable, Callable]] = [
    ("add_(1)", lambda v: v.add_(1), lambda a: a.__iadd__(1)),
    ("mul_(-2)", lambda v: v.mul_(-2), lambda a: a.__imul__(-2)),
    ("fill_(7)", lambda v: v.fill_(7), lambda a: a.fill(7)),
    ("v[...] = 3", lambda v: v.__setitem__(Ellipsis, 3.0), lambda a: a.__setitem__(Ellipsis, 3)),
    ("v -= 0.5", lambda v: v.sub_(0.5), lambda a: a.__isub__(0.5)),
    ("clamp_(max=4)", lambda v: v.clamp_(max=4), lambda a: np.minimum(a, 4, out=a)),
    ("zero_()", lambda v: v.zero_(), lambda a: a.fill(0)),
    ("copy_(arange)", lambda v: v.copy_(agrad.arange(v.numel(), dtype=v.dtype).view(v.shape)),
     lambda a: a.__setitem__(Ellipsis, np.arange(a.size).reshape(a.shape))),
    ("data.add_(2)", lambda v: v.data.add_(2), lambda a: a.__iadd__(2)),
]


@check("semantics", "views")
def views(ctx: Context) -> None:
    """Every alias of a storage sees every write, through chains of views, as NumPy's do."""
    with agrad.backend(ctx.name):
        model = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
        x = agrad.tensor(model)
        aliases = [(what, f(x), g(model)) for what, f, g in VIEW_CHAINS]
        for i, (wname, write, np_write) in enumerate(WRITES):
            what, v, a = aliases[i % len(aliases)]
            write(v)
            np_write(a)
            got = ctx.values(x, *(t for _, t, _ in aliases))
            for (name, _, want), g in zip([("base", x, model)] + aliases, got):
                assert np.array_equal(g, want), (
                    f"after {wname} through {what}: {name} is {g.tolist()}, "
                    f"expected {want.tolist()}")
        y = agrad.zeros(3)
        y.expand(2, 2, 3)[0][1].add_(1)  # a write through an expand: one element each
        assert ctx.values(y)[0].tolist() == [1.0, 1.0, 1.0]
        _raises(RuntimeError, lambda: y.expand(2, 3).add_(1), "more than one element")
        o = agrad.zeros(2, 3)
        agrad.add(agrad.ones(3), 1, out=o[1])  # out= into a view
        assert ctx.values(o)[0].tolist() == [[0, 0, 0], [2, 2, 2]]


@check("semantics", "version_counter")
def version_counter(ctx: Context) -> None:
    """Views share their base's version; PyTorch's errors for a modified saved tensor, an
    in-place write into a leaf that requires grad, and a second backward."""
    with agrad.backend(ctx.name):
        t = agrad.zeros(3)
        v = t[1:]
        v0 = t._vc.version
        v.add_(1)
        assert t._vc.version == v._vc.version == v0 + 1, "a view and its base share a version"
        a = agrad.tensor([0.5, 1.0, 2.0], requires_grad=True)
        y = a.exp()
        y.add_(1)  # exp saved its result: the backward must refuse
        _raises(RuntimeError, lambda: y.sum().backward(), "modified by an inplace operation")
        _raises(RuntimeError, lambda: a.add_(1), "leaf Variable that requires grad")
        with agrad.no_grad():
            a.add_(1)
        b = a * 2
        s = b.sum()
        s.backward()
        _raises(RuntimeError, s.backward, "backward through the graph a second time")


@check("semantics", "shared_subgraph")
def shared_subgraph(ctx: Context) -> None:
    """A diamond: y feeds three branches; gradients of every path add up (and accumulate
    across two backward passes)."""
    xs = np.array([0.3, -0.7, 1.1])
    with agrad.backend(ctx.name):
        x = agrad.tensor(xs, dtype=ctx.float, requires_grad=True)
        y = x * x
        z = y.sin() + y.cos() * y + y
        z.sum().backward(retain_graph=True)
        y_ = xs * xs
        want = (np.cos(y_) - np.sin(y_) * y_ + np.cos(y_) + 1) * 2 * xs
        assert_values(ctx.values(x.grad)[0], want, ctx.float.name, 10)
        z.sum().backward()
        assert_values(ctx.values(x.grad)[0], 2 * want, ctx.float.name, 10)


@check("semantics", "hooks")
def hooks(ctx: Context) -> None:
    """Tensor hooks see and replace gradients (leaf and intermediate), retain_grad, remove."""
    with agrad.backend(ctx.name):
        x = agrad.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        seen = []
        h = y.register_hook(lambda g: seen.append(g) or g * 10)
        x.register_hook(lambda g: g + 1)
        y.retain_grad()
        (y * 3).sum().backward()
        assert len(seen) == 1 and ctx.values(seen[0])[0].tolist() == [3.0, 3.0]
        assert ctx.values(y.grad)[0].tolist() == [30.0, 30.0], "retain_grad sees the hooked grad"
        assert ctx.values(x.grad)[0].tolist() == [61.0, 61.0], "the leaf hook adds one"
        h.remove()
        x.grad = None
        (x * 2).sum().backward()
        assert ctx.values(x.grad)[0].tolist() == [3.0, 3.0]


@check("semantics", "higher_order")
def higher_order(ctx: Context) -> None:
    """Second derivatives through create_graph, and gradgradcheck of a few ops."""
    f64 = ctx.float is agrad.float64
    with agrad.backend(ctx.name):
        x = agrad.tensor([0.5, 1.5], dtype=ctx.float, requires_grad=True)
        (g,) = agrad.autograd.grad((x ** 3).sum(), x, create_graph=True)
        (g2,) = agrad.autograd.grad(g.sum(), x)
        assert_values(ctx.values(g2)[0], np.array([3.0, 9.0]), ctx.float.name)
        kw = {} if f64 else {"eps": 1e-2, "atol": 5e-2, "rtol": 5e-2}
        a = agrad.tensor([[0.3, -0.2], [0.5, 0.9]], dtype=ctx.float, requires_grad=True)
        b = agrad.tensor([[1.2, 0.1], [-0.4, 0.7]], dtype=ctx.float, requires_grad=True)
        for fn in (lambda p, q: (p * q).sin(), lambda p, q: (p @ q).tanh(),
                   lambda p, q: p.exp() / (q * q + 1), lambda p, q: p.softmax(1) * q):
            assert agrad.autograd.gradgradcheck(fn, (a, b), **kw)


@check("semantics", "devices")
def devices(ctx: Context) -> None:
    """Moves to and from another backend keep values and dtype, gradients flow back across
    them, and operands on two devices are PyTorch's error."""
    host = np.array([[1.5, -2.0, 0.25]], dtype=np.float32)
    with agrad.backend(ctx.name):
        x = agrad.tensor(host, requires_grad=True)
        assert x.device == agrad.device(ctx.device) and x.device.type == ctx.device
        assert agrad.ones(2, device=ctx.device).device == x.device
    c = x.to(ctx.other)
    assert c.device.type == ctx.other
    assert c.dtype is agrad.float32 and np.array_equal(ctx.values(c)[0], host)
    back = c.to(ctx.device)
    assert back.device == x.device and np.array_equal(ctx.values(back)[0], host)
    (c * 2).sum().backward()
    assert x.grad.device == x.device and ctx.values(x.grad)[0].tolist() == [[2.0, 2.0, 2.0]]
    _raises(RuntimeError, lambda: x + c, "same device")
    cpu = x.detach().cpu()
    assert cpu.device.type == "cpu" and np.array_equal(cpu.numpy(), host)


@check("semantics", "laziness")
def laziness(ctx: Context) -> None:
    """On a lazy backend, building a graph and its backward computes nothing; asking for the
    values computes once."""
    be = ctx.backend
    if not be.lazy:
        raise Unsupported("lazy (declared: an eager backend)")
    with agrad.backend(ctx.name):
        x = agrad.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4),
                         requires_grad=True)
        w = agrad.tensor(np.ones((4, 2), dtype=np.float32), requires_grad=True)
        with be.counting_computes() as computes:
            h = (x @ w).tanh()
            loss = (h * h).mean() + x.exp().sum() * 0.1
            loss.backward()
            z = agrad.randn(3, 4) + x.grad
        assert not computes, f"forward and backward computed {len(computes)} time(s)"
        with be.counting_computes() as computes:
            agrad.compute(loss, x.grad, w.grad, z)
        assert len(computes) == 1, f"one pass over the graph, not {len(computes)}"


@check("semantics", "random")
def random(ctx: Context) -> None:
    """manual_seed reproduces draws; rand/randint/randperm/randn have their ranges and laws."""
    with agrad.backend(ctx.name):
        agrad.manual_seed(7)
        a = agrad.rand(50)
        agrad.manual_seed(7)
        b = agrad.rand(50)
        va, vb = ctx.values(a, b)
        assert np.array_equal(va, vb), "manual_seed does not reproduce the draws"
        assert a.dtype is agrad.float32 and va.min() >= 0 and va.max() < 1
        r = ctx.values(agrad.randint(3, 7, (200,), dtype=agrad.int32))[0]
        assert r.dtype == np.int32 and r.min() >= 3 and r.max() < 7 and len(set(r)) == 4
        perm = agrad.randperm(6, dtype=agrad.int32)
        assert sorted(ctx.values(perm)[0].tolist()) == list(range(6))
        n = ctx.values(agrad.randn(4000))[0]
        assert abs(n.mean()) < 0.1 and abs(n.std() - 1) < 0.1


@check("semantics", "training")
def training(ctx: Context) -> None:
    """The seeds' two-layer network, a few steps of autograd and SGD written in place: the
    losses and weights NumPy's run gives."""
    def run(device: str) -> tuple[list[float], np.ndarray]:
        agrad.manual_seed(0)
        with agrad.backend("numpy"):
            x, y = agrad.randn(16, 20), agrad.randn(16, 3)
            w1, w2 = agrad.randn(20, 8), agrad.randn(8, 3)
        x, y = x.to(device), y.to(device)
        w1, w2 = w1.to(device).requires_grad_(), w2.to(device).requires_grad_()
        losses = []
        for _ in range(4):
            loss = (x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum()
            losses.append(loss.item())
            loss.backward()
            with agrad.no_grad():
                w1 -= 1e-3 * w1.grad
                w2 -= 1e-3 * w2.grad
                w1.grad.zero_()
                w2.grad.zero_()
        return losses, ctx.values(w1)[0]
    want, w_want = run("cpu")
    got, w_got = run(ctx.device)
    np.testing.assert_allclose(got, want, rtol=1e-4)
    np.testing.assert_allclose(w_got, w_want, rtol=1e-4, atol=1e-5)
    assert want[-1] < want[0]


@check("semantics", "seeds")
def seeds(ctx: Context) -> None:
    """The tutorials' programs print what PyTorch prints (agrad on NumPy where PyTorch is not
    installed), up to device annotations and random numbers; training loops are shortened
    unless --thorough."""
    from . import seeds as S

    lacks = [d.name for d in (agrad.float64, agrad.int64) if d not in ctx.backend.dtypes]
    if lacks:
        raise Unsupported(f"{', '.join(lacks)} (declared): the seeds' programs use them")
    steps = None if ctx.thorough else 10
    torch_ok = torch_module() is not None and ctx.reference != "numpy"
    failures = []
    for name in sorted(S.SEEDS):
        with agrad.backend(ctx.name), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours = S.run_seed(name, "agrad", steps)
        if torch_ok:
            theirs = S.torch_transcript(name, steps)
        else:
            with agrad.backend("numpy"):
                theirs = S.run_seed(name, "agrad", steps)
        try:
            S.compare(name, ours, theirs, device_blind=True)
        except AssertionError as e:
            failures.append(str(e))
    assert not failures, "\n".join(failures)
