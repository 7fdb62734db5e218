"""Views against PyTorch: layout metadata (shape, stride, offset, contiguity), when `view` is
legal, when `reshape` aliases, and — the core of DESIGN idea 2 — random chains of views written
through in lockstep with torch, on every backend, so the functional write-back path (Dask,
array_api_strict, numpy_writeback) is proven to give the aliasing path's answers."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the differential oracle; "
                                            "pip install torch==2.13.0")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import agrad  # noqa: E402

pytestmark = pytest.mark.torch

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def both(data, dtype="float32"):
    """The same fresh base tensor in agrad and in torch."""
    return (agrad.tensor(data, dtype=getattr(agrad, dtype)),
            torch.tensor(data, dtype=getattr(torch, dtype)))


def arange_both(*shape, dtype="float32"):
    n = math.prod(shape)
    flat = list(range(n))
    data = flat if not shape else _nest(flat, shape)
    return both(data, dtype)


def _nest(flat, shape):
    if len(shape) == 1:
        return list(flat)
    step = len(flat) // shape[0] if shape[0] else 0
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def same(a, t, layout=True):
    """Values, shape and dtype equal; with `layout`, PyTorch's strides/offset/contiguity too."""
    assert tuple(a.shape) == tuple(t.shape)
    assert str(a.dtype) == str(t.dtype)
    assert a.tolist() == t.tolist()
    if layout:
        assert a.stride() == t.stride(), (a.stride(), t.stride())
        assert a.storage_offset() == t.storage_offset()
        if t.numel():  # empty tensors: see test_empty_is_contiguous
            assert a.is_contiguous() == t.is_contiguous()


def raises_like(fa, ft):
    """Both raise, the same type and message; returns the message."""
    with pytest.raises(Exception) as et:
        ft()
    with pytest.raises(type(et.value)) as ea:
        fa()
    assert str(ea.value) == str(et.value)
    return str(et.value)


# ---------------------------------------------------------------------------------------------
# view

def test_view_shares_memory_and_infers():
    a, t = arange_both(4, 4)
    for shape in [(16,), (-1, 8), (2, -1), (2, 2, 4), (-1,), (1, 16), (4, 1, 4, 1)]:
        va, vt = a.view(*shape), t.view(*shape)
        same(va, vt)
    ya, yt = a.view(16), t.view(16)
    za, zt = a.view(-1, 8), t.view(-1, 8)
    assert za.size() == zt.size() == (2, 8)
    assert str(za.size()) == "torch.Size([2, 8])"
    a.add_(1)
    t.add_(1)
    same(ya, yt)
    same(za, zt)
    ya[3] = -5
    yt[3] = -5
    same(a, t)
    same(za, zt)


def test_view_tuple_arg_and_view_as():
    a, t = arange_both(2, 6)
    same(a.view((3, 4)), t.view((3, 4)))
    same(a.view([4, 3]), t.view([4, 3]))
    oa, ot = arange_both(6, 2)
    same(a.view_as(oa), t.view_as(ot))


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (-1, 5), (7,), (0,), (-1, -1), (2, -2)])
def test_view_bad_size(shape):
    a, t = arange_both(4, 4)
    raises_like(lambda: a.view(*shape), lambda: t.view(*shape))
    same(a, t)


@pytest.mark.parametrize("make,shape", [
    (lambda x: x.t(), (12,)),
    (lambda x: x.t(), (2, 6)),
    (lambda x: x[::2, ::3], (4,)),
    (lambda x: x.permute(1, 0), (-1,)),
    (lambda x: x[:, 1:3], (6,)),
])
def test_view_incompatible_strides(make, shape):
    a, t = arange_both(3, 4)
    va, vt = make(a), make(t)
    msg = raises_like(lambda: va.view(*shape), lambda: vt.view(*shape))
    assert "view size is not compatible with input tensor's size and stride" in msg
    assert "Use .reshape(...) instead." in msg
    # reshape succeeds (copying) where view refused
    same(va.reshape(*shape), vt.reshape(*shape), layout=False)


@pytest.mark.parametrize("make,shape", [
    (lambda x: x.t(), (4, 1, 3)),       # unit dims can be added anywhere
    (lambda x: x[:, ::2], (3, 2)),
    (lambda x: x[1:], (2, 2, 2)),
    (lambda x: x.unsqueeze(1), (3, 4)),
    (lambda x: x.t()[::2], (2, 3)),
])
def test_view_of_noncontiguous_when_legal(make, shape):
    a, t = arange_both(3, 4)
    va, vt = make(a).view(*shape), make(t).view(*shape)
    same(va, vt)
    va.fill_(-1)
    vt.fill_(-1)
    same(a, t)


# ---------------------------------------------------------------------------------------------
# reshape: aliases exactly when torch's does

@pytest.mark.parametrize("make,shape", [
    (lambda x: x, (6,)),
    (lambda x: x, (3, 2)),
    (lambda x: x.t(), (6,)),
    (lambda x: x.t(), (3, 2)),
    (lambda x: x.t(), (3, 1, 2)),
    (lambda x: x[:, ::2], (4,)),
    (lambda x: x[1:], (3,)),
    (lambda x: x.unsqueeze(0), (2, 3)),
    (lambda x: x.t().t(), (6, 1)),
    (lambda x: x[:, 1], (2, 1)),
    (lambda x: x.expand(2, 2, 3), (12,)),
])
def test_reshape_copies_only_when_needed(make, shape):
    a, t = arange_both(2, 3)
    ra, rt = make(a).reshape(*shape), make(t).reshape(*shape)
    same(ra, rt, layout=False)
    before_a, before_t = ra.tolist(), rt.tolist()
    # write to the base: the reshape result changes iff it aliases, in torch and in agrad
    a.add_(100)
    t.add_(100)
    torch_aliases = rt.tolist() != before_t
    assert (ra.tolist() != before_a) == torch_aliases
    same(ra, rt, layout=False)
    # and the other way round: a write to the result reaches the base iff it aliases
    if not any(s == 0 for s in rt.stride()):
        ra.mul_(-1)
        rt.mul_(-1)
        same(a, t)
        same(ra, rt, layout=False)


def test_reshape_seed_example():
    # the seed: b = a.t().reshape(6) copies, so a.fill_(1) leaves b zero
    a = agrad.zeros(3, 2)
    b = a.t().reshape(6)
    a.fill_(1)
    assert a.tolist() == [[1.0, 1.0]] * 3
    assert b.tolist() == [0.0] * 6
    a = agrad.zeros(3, 2)
    b = a.view(2, 3)
    a.fill_(1)
    assert b.tolist() == [[1.0, 1.0, 1.0]] * 2


def test_reshape_bad_size():
    a, t = arange_both(2, 3)
    raises_like(lambda: a.reshape(4, 2), lambda: t.reshape(4, 2))
    raises_like(lambda: a.reshape(-1, 4), lambda: t.reshape(-1, 4))


# ---------------------------------------------------------------------------------------------
# the other view ops: metadata and values

VIEW_OPS = [
    ("squeeze()", lambda x: x.squeeze()),
    ("squeeze(1)", lambda x: x.squeeze(1)),
    ("squeeze(0)", lambda x: x.squeeze(0)),
    ("squeeze(-1)", lambda x: x.squeeze(-1)),
    ("squeeze((1,3))", lambda x: x.squeeze((1, 3))),
    ("unsqueeze(0)", lambda x: x.unsqueeze(0)),
    ("unsqueeze(2)", lambda x: x.unsqueeze(2)),
    ("unsqueeze(-1)", lambda x: x.unsqueeze(-1)),
    ("unsqueeze(4)", lambda x: x.unsqueeze(4)),
    ("flatten()", lambda x: x.flatten()),
    ("flatten(1)", lambda x: x.flatten(1)),
    ("flatten(0,1)", lambda x: x.flatten(0, 1)),
    ("flatten(2,3)", lambda x: x.flatten(2, 3)),
    ("transpose(0,2)", lambda x: x.transpose(0, 2)),
    ("transpose(-1,1)", lambda x: x.transpose(-1, 1)),
    ("permute(3,1,0,2)", lambda x: x.permute(3, 1, 0, 2)),
    ("permute((2,0,3,1))", lambda x: x.permute((2, 0, 3, 1))),
    ("expand(3,2,1,3,2)", lambda x: x.expand(3, 2, 1, 3, 2)),
    ("expand(-1,4,3,-1)", lambda x: x.expand(-1, 4, 3, -1)),
    ("narrow(2,1,2)", lambda x: x.narrow(2, 1, 2)),
    ("select(2,-1)", lambda x: x.select(2, -1)),
    ("movedim(0,-1)", lambda x: x.movedim(0, -1)),
    ("[..., 1]", lambda x: x[..., 1]),
    ("[None, :, 0]", lambda x: x[None, :, 0]),
    ("[1, None, ..., None]", lambda x: x[1, None, ..., None]),
    ("[:, :, ::2, 1:]", lambda x: x[:, :, ::2, 1:]),
    ("[-1, 0, -2:]", lambda x: x[-1, 0, -2:]),
    ("[:, :, 5:9]", lambda x: x[:, :, 5:9]),
    ("[:, :, 2:1]", lambda x: x[:, :, 2:1]),
    ("mT", lambda x: x.mT),
    ("contiguous", lambda x: x.transpose(0, 2).contiguous()),
    ("t of 2d", lambda x: x[0, 0].t()),
    ("t of 1d", lambda x: x[0, 0, 0].t()),
    ("T of 2d", lambda x: x[:, 0, 0].T),
]


@pytest.mark.parametrize("name,fn", VIEW_OPS, ids=[n for n, _ in VIEW_OPS])
def test_view_op_layout(name, fn):
    a, t = arange_both(2, 1, 3, 2)
    va, vt = fn(a), fn(t)
    same(va, vt)
    # a second view on top (layout arithmetic composes)
    same(va.reshape(-1), vt.reshape(-1), layout=False)
    if va.numel() and not any(s == 0 and n > 1 for s, n in zip(vt.stride(), vt.shape)):
        va.sub_(7)
        vt.sub_(7)
        same(a, t)
        same(va, vt)


@pytest.mark.xfail(strict=True, reason="_storage.is_contiguous scans from the last dim and "
                                       "returns False before reaching a size-0 dim; PyTorch: "
                                       "every empty tensor is contiguous")
def test_empty_is_contiguous():
    a, t = arange_both(2, 3, 2)
    for fn in (lambda x: x[:, 1:1], lambda x: x[:, 3:].transpose(0, 2), lambda x: x[:, :, ::2][:0]):
        assert fn(a).is_contiguous() == fn(t).is_contiguous() == True  # noqa: E712


def test_contiguous_returns_self_when_contiguous():
    a, _ = arange_both(2, 3)
    assert a.contiguous() is a
    tt = a.t()
    c = tt.contiguous()
    assert c is not tt and c.is_contiguous()
    c.fill_(0)
    assert a.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_view_op_errors():
    a, t = arange_both(2, 3)
    raises_like(lambda: a.permute(0), lambda: t.permute(0))
    raises_like(lambda: a.permute(0, 0), lambda: t.permute(0, 0))
    raises_like(lambda: a.transpose(0, 2), lambda: t.transpose(0, 2))
    raises_like(lambda: a.unsqueeze(3), lambda: t.unsqueeze(3))
    raises_like(lambda: a.squeeze(2), lambda: t.squeeze(2))
    raises_like(lambda: a.expand(3, 3), lambda: t.expand(3, 3))
    raises_like(lambda: a.expand(3), lambda: t.expand(3))
    raises_like(lambda: a.flatten(1, 0), lambda: t.flatten(1, 0))
    raises_like(lambda: a.narrow(1, 2, 2), lambda: t.narrow(1, 2, 2))
    b, u = arange_both(2, 3, 4)
    raises_like(lambda: b.t(), lambda: u.t())
    same(a, t)


# ---------------------------------------------------------------------------------------------
# split / chunk / unbind / narrow / select

@pytest.mark.parametrize("how", [
    lambda x: x.split(2),
    lambda x: x.split(2, 1),
    lambda x: x.split([1, 3, 1], 1),
    lambda x: x.split(5, -1),
    lambda x: x.chunk(2),
    lambda x: x.chunk(3, 1),
    lambda x: x.chunk(5, 1),
    lambda x: x.unbind(),
    lambda x: x.unbind(1),
    lambda x: (x.narrow(1, 1, 3), x.narrow(0, -2, 1)),
    lambda x: (x.select(0, 1), x.select(1, -1)),
    lambda x: torch_or_agrad(x).split(x, 3, 1),
    lambda x: torch_or_agrad(x).chunk(x, 2, 0),
    lambda x: torch_or_agrad(x).unbind(x, 1),
    lambda x: (torch_or_agrad(x).narrow(x, 1, 0, 2),),
    lambda x: (torch_or_agrad(x).select(x, 1, 0),),
])
def test_split_family(how):
    a, t = arange_both(3, 5)
    pa, pt = how(a), how(t)
    assert isinstance(pa, tuple) and len(pa) == len(pt)
    for xa, xt in zip(pa, pt):
        same(xa, xt)
    # every piece is a view: writes reach the base
    for i, (xa, xt) in enumerate(zip(pa, pt)):
        xa.add_(10 ** (i + 1))
        xt.add_(10 ** (i + 1))
    same(a, t)


def torch_or_agrad(x):
    return agrad if isinstance(x, agrad.Tensor) else torch


def test_split_errors():
    a, t = arange_both(3, 5)
    raises_like(lambda: a.split([2, 2], 1), lambda: t.split([2, 2], 1))
    raises_like(lambda: a.chunk(0), lambda: t.chunk(0))
    raises_like(lambda: a.select(1, 5), lambda: t.select(1, 5))
    raises_like(lambda: a.select(2, 0), lambda: t.select(2, 0))


# ---------------------------------------------------------------------------------------------
# writes through views

def test_write_through_transposed_slice():
    a, t = arange_both(3, 4)
    for x in (a, t):
        y = x.t()[1:, ::2]
        y.add_(100)
        z = x[:, 1]
        z[0] = -1
        x[2].mul_(2)
    same(a, t)


@pytest.mark.parametrize("write", ["add_", "setitem", "copy_"])
def test_write_to_empty_view(backend, write):
    a, t = arange_both(3, 2)
    for x, lib in ((t, torch), (a, agrad)):
        v = x[1:1]
        if write == "add_":
            v.add_(1)
        elif write == "setitem":
            v[...] = 3
        else:
            v.copy_(lib.zeros(0, 2))
    same(a, t)


def test_inplace_metadata_ops():
    a, t = arange_both(2, 1, 3)
    for x in (a, t):
        x.squeeze_(1)
    same(a, t)
    for x in (a, t):
        x.unsqueeze_(0)
    same(a, t)
    for x in (a, t):
        x.squeeze_()
        x.t_()
    same(a, t)
    for x in (a, t):
        x.transpose_(0, 1)
        x.add_(1)
    same(a, t)


def test_expanded_write_is_refused():
    a, t = arange_both(1, 3)
    ea, et = a.expand(2, 3), t.expand(2, 3)

    def setitem(x):
        x[...] = 5

    def iadd(x):
        x += 1
    for f in (lambda x: x.add_(1), lambda x: x.mul_(2), setitem, iadd,
              lambda x: x.copy_(x.new_ones(2, 3))):
        raises_like(lambda f=f: f(ea), lambda f=f: f(et))
    same(a, t)
    same(ea, et)


@pytest.mark.parametrize("case", ["index", "reshape", "setitem"])
def test_write_through_non_overlapping_view_of_expanded(backend, request, case):
    a, t = arange_both(1, 3)
    for x in (a, t):
        e = x.expand(2, 2, 3)[0]
        if case == "index":
            e[1].add_(1)
        elif case == "reshape":
            e.reshape(6).mul_(-1)  # (2, 3) with strides (0, 1): reshape(6) copies
            e[1:].reshape(3).mul_(-1)  # a view
        else:
            e[1, 1:] = 7
    same(a, t)


@pytest.mark.xfail(strict=True, reason="agrad refuses fill_/zero_ on a tensor with internal "
                                       "overlap (_op.write); PyTorch allows them")
@pytest.mark.parametrize("op", ["fill_", "zero_"])
def test_fill_expanded_is_allowed(op):
    a, t = arange_both(1, 3)
    ea, et = a.expand(2, 3), t.expand(2, 3)
    getattr(et, op)(*([4] if op == "fill_" else []))
    getattr(ea, op)(*([4] if op == "fill_" else []))
    same(a, t)


# ---------------------------------------------------------------------------------------------
# Random view chains written through, in lockstep with torch

@st.composite
def base_shapes(draw):
    return tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=4)))


def _draw_step(draw, x, expand=False):
    """One random view step applicable to torch tensor `x`: (name, fn) where fn works on both
    libraries; None when no step was drawn. `expand`: the step is expand + index."""
    shape = tuple(x.shape)
    n = len(shape)
    kinds = ["slice", "unsqueeze", "view", "reshape"]
    if n >= 1:
        kinds += ["select", "transpose", "permute", "squeeze", "narrow", "flatten"]
    if any(s == 1 for s in shape):
        kinds += ["squeeze_dim"]
    if n <= 2:
        kinds.append("t")
    kind = draw(st.sampled_from(kinds)) if not expand else "expand_index"
    if kind == "slice":
        key = []
        for s in shape:
            start = draw(st.integers(-s - 1, s))
            stop = draw(st.one_of(st.none(), st.integers(-s - 1, s + 2)))
            step = draw(st.integers(1, 3))
            key.append(slice(start, stop, step))
        if draw(st.booleans()) and n:
            key = key[:draw(st.integers(0, n))] + [Ellipsis]
        key = tuple(key)
        return f"[{key}]", lambda y: y[key]
    if kind == "select":
        d = draw(st.integers(-n, n - 1))
        if shape[d] == 0:
            return None
        i = draw(st.integers(-shape[d], shape[d] - 1))
        if draw(st.booleans()):
            key = (slice(None),) * (d % n) + (i,)
            return f"[{key}]", lambda y: y[key]
        return f"select({d},{i})", lambda y: y.select(d, i)
    if kind == "narrow":
        d = draw(st.integers(0, n - 1))
        start = draw(st.integers(0, shape[d]))
        length = draw(st.integers(0, shape[d] - start))
        return f"narrow({d},{start},{length})", lambda y: y.narrow(d, start, length)
    if kind == "transpose":
        d0, d1 = draw(st.integers(-n, n - 1)), draw(st.integers(-n, n - 1))
        return f"transpose({d0},{d1})", lambda y: y.transpose(d0, d1)
    if kind == "permute":
        perm = tuple(draw(st.permutations(range(n))))
        return f"permute{perm}", lambda y: y.permute(*perm)
    if kind == "t":
        return "t()", lambda y: y.t()
    if kind == "unsqueeze":
        d = draw(st.integers(-n - 1, n))
        if draw(st.booleans()):
            key = (slice(None),) * (d % (n + 1)) + (None,)
            return f"[{key}]", lambda y: y[key]
        return f"unsqueeze({d})", lambda y: y.unsqueeze(d)
    if kind == "squeeze":
        return "squeeze()", lambda y: y.squeeze()
    if kind == "squeeze_dim":
        d = draw(st.integers(-n, n - 1))
        return f"squeeze({d})", lambda y: y.squeeze(d)
    if kind == "flatten":
        s = draw(st.integers(0, n - 1))
        e = draw(st.integers(s, n - 1))
        return f"flatten({s},{e})", lambda y: y.flatten(s, e)
    if kind == "expand_index":
        ones = [i for i, s in enumerate(shape) if s == 1]
        pre = (lambda y: y) if ones else (lambda y: y.unsqueeze(0))
        if not ones:
            ones, shape, n = [0], (1,) + shape, n + 1
        d = draw(st.sampled_from(ones))
        k = draw(st.integers(2, 3))
        i = draw(st.integers(0, k - 1))
        lead = draw(st.integers(0, 1))
        sizes = (2,) * lead + tuple(k if j == d else -1 for j in range(n))
        key = (draw(st.integers(0, 1)),) * lead + (slice(None),) * d + (slice(i, i + 1),)
        return f"expand{sizes}{key}", lambda y: pre(y).expand(*sizes)[key]
    # view / reshape to a random compatible shape
    numel = math.prod(shape)
    cands = [(-1,), shape + (1,), (1,) + shape]
    for i in range(n - 1):
        cands.append(shape[:i] + (shape[i] * shape[i + 1],) + shape[i + 2:])
    for i, s in enumerate(shape):
        for f in (2, 3):
            if s % f == 0 and s > f:
                cands.append(shape[:i] + (f, s // f) + shape[i + 1:])
    if numel:
        cands.append((numel,))
    new = draw(st.sampled_from(cands))
    return f"{kind}{new}", (lambda y: y.view(*new)) if kind == "view" else \
        (lambda y: y.reshape(*new))


def _draw_write(draw, shape, dtype):
    """A random in-place write: (name, fn(tensor, lib))."""
    kinds = ["add_", "fill_", "setitem_ellipsis", "copy_", "mul_", "iadd", "zero_"]
    if shape:
        kinds.append("setitem_first")
    kind = draw(st.sampled_from(kinds))
    v = draw(st.integers(-9, 9))
    if kind == "add_":
        return f"add_({v})", lambda y, lib: y.add_(v)
    if kind == "mul_":
        return f"mul_({v})", lambda y, lib: y.mul_(v)
    if kind == "iadd":
        def f(y, lib):
            y += v
        return f"+= {v}", f
    if kind == "fill_":
        return f"fill_({v})", lambda y, lib: y.fill_(v)
    if kind == "zero_":
        return "zero_()", lambda y, lib: y.zero_()
    if kind == "setitem_ellipsis":
        def f(y, lib):
            y[...] = v
        return f"[...] = {v}", f
    if kind == "setitem_first":
        def f(y, lib):
            y[0] = v
        return f"[0] = {v}", f
    # copy_ from a fresh tensor, possibly broadcast from the trailing dims
    k = draw(st.integers(0, len(shape)))
    src_shape = shape[k:]
    n = math.prod(src_shape)
    vals = [(v + 3 * j) % 17 for j in range(n)]

    def f(y, lib):
        src = lib.tensor(vals, dtype=getattr(lib, dtype)).reshape(src_shape)
        y.copy_(src)
    return f"copy_(src{src_shape})", f


def _chain_lockstep(shape, dtype, data, n_steps, expand_last=False):
    a, t = arange_both(*shape, dtype=dtype)
    views_a, views_t = [a], [t]
    names = []
    steps = [False] * n_steps + ([True] if expand_last else [])
    for expand in steps:
        step = _draw_step(data.draw, views_t[-1], expand)
        if step is None:
            continue
        name, fn = step
        names.append(name)
        try:
            nt = fn(views_t[-1])
        except (RuntimeError, IndexError) as e:
            # torch refuses (e.g. view over incompatible strides): agrad must refuse alike
            with pytest.raises(type(e)) as ea:
                fn(views_a[-1])
            assert str(ea.value) == str(e), names
            continue
        na = fn(views_a[-1])
        same(na, nt)
        views_a.append(na)
        views_t.append(nt)
    wname, write = _draw_write(data.draw, tuple(views_t[-1].shape), dtype)
    names.append(wname)
    last_t, last_a = views_t[-1], views_a[-1]
    overlap = any(s == 0 and n > 1 for s, n in zip(last_t.stride(), last_t.shape))
    if overlap and wname.startswith(("fill_", "zero_")):
        return  # PyTorch allows these on overlapping memory, agrad refuses (see the xfail)
    if last_t.numel() == 0 and agrad.current_backend().name == "dask":
        return  # see test_write_to_empty_view
    try:
        write(last_t, torch)
    except (RuntimeError, IndexError) as e:
        with pytest.raises(type(e)) as ea:
            write(last_a, agrad)
        assert str(ea.value) == str(e), names
    else:
        write(last_a, agrad)
    for i, (va, vt) in enumerate(zip(views_a, views_t)):
        assert tuple(va.shape) == tuple(vt.shape), (names, i)
        assert va.tolist() == vt.tolist(), (names, i)


@SETTINGS
@given(shape=base_shapes(), dtype=st.sampled_from(["float32", "int64", "float64"]),
       data=st.data())
def test_view_chain_write_lockstep(shape, dtype, data):
    """A random chain of views, then an in-place write through the last one: the base and
    every intermediate view equal torch's."""
    _chain_lockstep(shape, dtype, data, data.draw(st.integers(1, 5), label="length"))


@SETTINGS
@given(shape=base_shapes(), dtype=st.sampled_from(["float32", "int64"]), data=st.data())
def test_view_chain_through_expand_write_lockstep(backend, request, shape, dtype, data):
    """As above, with an expand (then an index making it writable) as the last view."""
    _chain_lockstep(shape, dtype, data, data.draw(st.integers(0, 3), label="length"),
                    expand_last=True)


@SETTINGS
@given(shape=base_shapes(), data=st.data())
def test_view_chain_base_write_seen_by_views(shape, data):
    """The other direction: write to the base, every view (and reshape copy) answers as torch."""
    a, t = arange_both(*shape)
    views_a, views_t = [], []
    xa, xt = a, t
    for _ in range(data.draw(st.integers(1, 4), label="length")):
        step = _draw_step(data.draw, xt)
        if step is None:
            continue
        _, fn = step
        try:
            nt = fn(xt)
        except (RuntimeError, IndexError):
            continue
        xa, xt = fn(xa), nt
        views_a.append(xa)
        views_t.append(xt)
    v = data.draw(st.integers(1, 9))
    a.mul_(-1).add_(v)
    t.mul_(-1).add_(v)
    a[(0,) * a.ndim] = 99 if a.ndim else 99
    t[(0,) * t.ndim] = 99 if t.ndim else 99
    for va, vt in zip(views_a, views_t):
        assert va.tolist() == vt.tolist()
