"""Autograd against PyTorch: every op row of the gradcheck table (values, grad_fn names, first
and second derivatives), random compositions with broadcasting, in-place writes through random
view chains (CopySlices, regenerated view histories), hooks, retain_grad, double backward, and
the error messages — run in lockstep in agrad and in torch, on every backend."""

from __future__ import annotations

import re

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the differential oracle; "
                                            "pip install torch==2.13.0")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402
from test_autograd_gradcheck import OPS, Row, make_inputs, row_param  # noqa: E402

import agrad  # noqa: E402

pytestmark = [pytest.mark.torch,
              pytest.mark.filterwarnings("ignore:The use of `x.T` on tensors:UserWarning"),
              pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True"
                                         ":UserWarning"),
              pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")]

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


def npv(t):
    """Values as a float64 NumPy array (agrad or torch)."""
    if isinstance(t, torch.Tensor):
        t = t.detach()
        if t._is_zerotensor():  # PyTorch's efficient zeros (double backward)
            return np.zeros(tuple(t.shape))
        return t.double().numpy()
    return np.asarray(t.detach().tolist(), dtype=float)


def same_values(a, t, atol=1e-6, rtol=1e-6):
    assert tuple(a.shape) == tuple(t.shape)
    np.testing.assert_allclose(npv(a), npv(t), rtol=rtol, atol=atol)


def same_grad(a, t, atol=1e-6, rtol=1e-6):
    """Both None, or the same values (agrad's grad and torch's)."""
    if t is None:
        assert a is None
        return
    assert a is not None, "agrad gave no gradient where PyTorch gave one"
    same_values(a, t, atol, rtol)


def gname(t):
    return type(t.grad_fn).__name__ if t.grad_fn is not None else None


def outputs(r):
    return r if isinstance(r, tuple) else (r,)


def grad_outputs_for(outs, rng):
    """The same random grad_outputs for both libraries (float outputs requiring grad)."""
    return [rng.uniform(-1, 1, tuple(o.shape)) for o in outs]


# ---------------------------------------------------------------------------------------------
# the op table against torch

def _run_row(row: Row, m, rng_seed: int):
    args = make_inputs(m, row.inputs(np.random.default_rng(sum(map(ord, row.name)))))
    outs = outputs(row.fn(m, *args))
    return args, outs


@pytest.mark.parametrize("row", [row_param(r) for r in OPS])
def test_op_values_and_gradients_match_torch(row):
    a_args, a_outs = _run_row(row, agrad, 0)
    t_args, t_outs = _run_row(row, torch, 0)
    assert len(a_outs) == len(t_outs)
    tol = dict(atol=max(row.atol, 1e-7), rtol=1e-6) if row.eps == 1e-6 else dict(atol=1e-4,
                                                                                 rtol=1e-4)
    for a, t in zip(a_outs, t_outs):
        same_values(a, t, **tol)
        assert a.requires_grad == t.requires_grad
        assert str(a.dtype) == str(t.dtype)
    rng = np.random.default_rng(1)
    diff = [i for i, t in enumerate(t_outs) if t.requires_grad]
    gos = grad_outputs_for([t_outs[i] for i in diff], rng)
    t_in = [x for x in t_args if isinstance(x, torch.Tensor) and x.requires_grad]
    a_in = [x for x in a_args if isinstance(x, agrad.Tensor) and x.requires_grad]
    tg = torch.autograd.grad([t_outs[i] for i in diff], t_in,
                             [torch.tensor(g, dtype=t_outs[i].dtype) for g, i in zip(gos, diff)],
                             allow_unused=True)
    ag = agrad.autograd.grad([a_outs[i] for i in diff], a_in,
                             [agrad.tensor(g.tolist(), dtype=a_outs[i].dtype)
                              for g, i in zip(gos, diff)], allow_unused=True)
    for x, y in zip(ag, tg):
        same_grad(x, y, **tol)


@pytest.mark.backends("numpy", "dask")
@pytest.mark.parametrize("row", [row_param(r) for r in OPS])
def test_op_grad_fn_names_match_torch(row):
    _, a_outs = _run_row(row, agrad, 0)
    _, t_outs = _run_row(row, torch, 0)
    assert [gname(a) for a in a_outs] == [gname(t) for t in t_outs]


@pytest.mark.backends("numpy", "numpy_writeback", "array_api_strict")
@pytest.mark.parametrize("row", [row_param(r) for r in OPS if r.gg])
def test_op_double_backward_matches_torch(row):
    a_args, a_outs = _run_row(row, agrad, 0)
    t_args, t_outs = _run_row(row, torch, 0)
    rng = np.random.default_rng(2)
    diff = [i for i, t in enumerate(t_outs) if t.requires_grad]
    gos = grad_outputs_for([t_outs[i] for i in diff], rng)
    t_in = [x for x in t_args if isinstance(x, torch.Tensor) and x.requires_grad]
    a_in = [x for x in a_args if isinstance(x, agrad.Tensor) and x.requires_grad]
    t_go = [torch.tensor(g, dtype=torch.float64, requires_grad=True) for g in gos]
    a_go = [agrad.tensor(g.tolist(), dtype=agrad.float64, requires_grad=True) for g in gos]
    tg = torch.autograd.grad([t_outs[i] for i in diff], t_in, t_go, create_graph=True,
                             allow_unused=True)
    ag = agrad.autograd.grad([a_outs[i] for i in diff], a_in, a_go, create_graph=True,
                             allow_unused=True)
    # second order: d/d(inputs, grad_outputs) of sum(g_i * u_i) for random u_i
    t_terms = [(g * torch.tensor(rng.uniform(-1, 1, tuple(g.shape)))).sum()
               for g in tg if g is not None and g.requires_grad]
    rng2 = np.random.default_rng(2)
    grad_outputs_for([t_outs[i] for i in diff], rng2)
    a_terms = [(g * agrad.tensor(rng2.uniform(-1, 1, tuple(g.shape)).tolist(),
                                 dtype=agrad.float64)).sum()
               for g in ag if g is not None and g.requires_grad]
    assert len(a_terms) == len(t_terms)
    if not t_terms:
        return
    t2 = torch.autograd.grad(sum(t_terms), t_in + t_go, allow_unused=True)
    a2 = agrad.autograd.grad(sum(a_terms[1:], a_terms[0]), a_in + a_go, allow_unused=True)
    for x, y in zip(a2, t2):
        if y is not None and x is None:
            np.testing.assert_allclose(npv(y), 0.0, atol=1e-12)  # torch's explicit zeros
        elif y is None and x is not None:
            np.testing.assert_allclose(npv(x), 0.0, atol=1e-12)
        else:
            same_grad(x, y, atol=1e-6, rtol=1e-6)


# ---------------------------------------------------------------------------------------------
# random compositions with broadcasting

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b.abs() + 0.5),
    "maximum": lambda a, b: a.maximum(b) if hasattr(a, "maximum") else None,
    "pow": lambda a, b: (a.abs() + 0.5) ** b,
    "atan2": lambda a, b: a.atan2(b.abs() + 0.1),
    "where": lambda a, b: (a * b).sigmoid() * a + (1 - (a * b).sigmoid()) * b,
}
UNARY = {
    "exp": lambda x: (x * 0.5).exp(),
    "tanh": lambda x: x.tanh(),
    "sin": lambda x: x.sin(),
    "sigmoid": lambda x: x.sigmoid(),
    "square": lambda x: x * x,
    "neg": lambda x: -x,
    "scale": lambda x: x * 1.5 + 0.25,
    "rsub": lambda x: 1.0 - x,
    "log_abs": lambda x: (x.abs() + 1).log(),
    "sqrt_abs": lambda x: (x * x + 1).sqrt(),
    "relu": lambda x: x.relu(),
    "clamp": lambda x: x.clamp(-0.8, 0.9),
    "sum_keepdim": lambda x: x.sum(-1, keepdim=True) if x.ndim else x,
    "mean_keepdim": lambda x: x.mean(0, keepdim=True) if x.ndim else x,
    "t": lambda x: x.transpose(0, -1) if x.ndim >= 2 else x,
    "flip_view": lambda x: x.unsqueeze(0).squeeze(0),
    "softmax_like": lambda x: (x - x.amax(-1, keepdim=True)).exp() /
    (x - x.amax(-1, keepdim=True)).exp().sum(-1, keepdim=True) if x.ndim else x,
}

finite = st.floats(-2, 2, allow_nan=False, allow_infinity=False, width=64)


@st.composite
def broadcast_pair(draw):
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3,
                                                    min_side=1, max_side=3))
    a = draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=finite))
    b = draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=finite))
    return a, b


def _pair(a, b):
    ta = torch.tensor(a, requires_grad=True)
    tb = torch.tensor(b, requires_grad=True)
    aa = agrad.tensor(a.tolist(), dtype=agrad.float64, requires_grad=True)
    ab = agrad.tensor(b.tolist(), dtype=agrad.float64, requires_grad=True)
    return (aa, ab), (ta, tb)


@SETTINGS
@given(pair=broadcast_pair(), op=st.sampled_from(sorted(BINARY)), seed=st.integers(0, 2 ** 16))
def test_broadcast_binary_grads_match_torch(pair, op, seed):
    (aa, ab), (ta, tb) = _pair(*pair)
    f = BINARY[op]
    if op == "maximum":
        f = lambda x, y: x.maximum(y)  # noqa: E731
    ra, rt = f(aa, ab), f(ta, tb)
    same_values(ra, rt, atol=1e-9)
    assert gname(ra) == gname(rt)
    w = np.random.default_rng(seed).uniform(-1, 1, tuple(rt.shape))
    (rt * torch.tensor(w)).sum().backward()
    (ra * agrad.tensor(w.tolist(), dtype=agrad.float64)).sum().backward()
    assert aa.grad.shape == ta.grad.shape and ab.grad.shape == tb.grad.shape
    same_grad(aa.grad, ta.grad, atol=1e-9)
    same_grad(ab.grad, tb.grad, atol=1e-9)


@SETTINGS
@given(pair=broadcast_pair(),
       steps=st.lists(st.tuples(st.sampled_from(sorted(UNARY) + sorted(BINARY)),
                                st.booleans()), min_size=1, max_size=6))
def test_random_compositions_match_torch(pair, steps):
    (aa, ab), (ta, tb) = _pair(*pair)
    xa, xt = aa, ta
    for name, use_a in steps:
        if name in UNARY:
            xa, xt = UNARY[name](xa), UNARY[name](xt)
        else:
            f = BINARY[name] if name != "maximum" else (lambda x, y: x.maximum(y))
            oa, ot = (aa, ta) if use_a else (ab, tb)
            try:
                np.broadcast_shapes(tuple(xt.shape), tuple(ot.shape))
            except ValueError:
                continue  # a transpose made the shapes incompatible: see test_errors_match_torch
            xa, xt = f(xa, oa), f(xt, ot)
        same_values(xa, xt, atol=1e-9)
        assert gname(xa) == gname(xt)
    if not xt.requires_grad:
        return
    xt.sum().backward()
    xa.sum().backward()
    same_grad(aa.grad, ta.grad, atol=1e-8)
    same_grad(ab.grad, tb.grad, atol=1e-8)


# ---------------------------------------------------------------------------------------------
# in-place writes through random view chains

VIEWS = {
    "t": lambda v: v.t() if v.ndim == 2 else v.transpose(0, -1) if v.ndim > 2 else v,
    "select0": lambda v: v[0] if v.ndim and v.shape[0] else v,
    "select_last": lambda v: v.select(-1, v.shape[-1] - 1) if v.ndim else v,
    "slice": lambda v: v[1:] if v.ndim and v.shape[0] > 1 else v,
    "step": lambda v: v[::2] if v.ndim else v,
    "narrow": lambda v: v.narrow(-1, 0, max(1, v.shape[-1] - 1)) if v.ndim else v,
    "unsqueeze": lambda v: v.unsqueeze(0),
    "squeeze": lambda v: v.squeeze(),
    "flatten_view": lambda v: v.view(-1) if v.is_contiguous() else v,
    "permute": lambda v: v.permute(*reversed(range(v.ndim))) if v.ndim else v,
    "ellipsis": lambda v: v[..., :1] if v.ndim else v,
}

INPLACE = {
    "mul_": lambda v, o, m: v.mul_(2.5),
    "add_other": lambda v, o, m: v.add_(o.sum() * 0.5),
    "mul_other": lambda v, o, m: v.mul_(o.sum().sigmoid()),
    "copy_": lambda v, o, m: v.copy_(o.sum().expand(v.shape) if hasattr(o, "expand") else o),
    "fill_": lambda v, o, m: v.fill_(1.25),
    "zero_": lambda v, o, m: v.zero_(),
    "exp_": lambda v, o, m: v.exp_(),
    "sigmoid_": lambda v, o, m: v.sigmoid_(),
    "setitem": lambda v, o, m: v.__setitem__((...,), o.sum() * 2.0),
    "sub_alpha": lambda v, o, m: v.sub_(o.mean(), alpha=0.5),
}


@SETTINGS
@given(shape=st.sampled_from([(3, 4), (2, 3, 2), (4,), (2, 1, 3)]),
       chain=st.lists(st.sampled_from(sorted(VIEWS)), min_size=1, max_size=4),
       op=st.sampled_from(sorted(INPLACE)),
       read_view_after=st.booleans(),
       seed=st.integers(0, 2 ** 16))
def test_inplace_through_view_chain_matches_torch(shape, chain, op, read_view_after, seed):
    rng = np.random.default_rng(seed)
    xv = rng.uniform(-1, 1, shape)
    ov = rng.uniform(-1, 1, (3,))
    res = {}
    for m in (torch, agrad):
        x = m.tensor(xv.tolist(), dtype=m.float64, requires_grad=True)
        o = m.tensor(ov.tolist(), dtype=m.float64, requires_grad=True)
        y = x * 1.0
        early = y[..., :1] + 1.0  # uses y's old history
        v = y
        for name in chain:
            v = VIEWS[name](v)
        if v is y:
            v = y[...]
        INPLACE[op](v, o, m)
        w = m.tensor(rng.uniform(-1, 1, tuple(y.shape)).tolist() if m is torch else
                     res["w"], dtype=m.float64)
        if m is torch:
            res["w"] = w.tolist()
        loss = (y * w).sum() + early.sum()
        if read_view_after:
            loss = loss + (v * v).sum()
        loss.backward()
        res[m.__name__] = (y, v, x.grad, o.grad, gname(y), gname(v))
    ty, tv, txg, tog, tyn, tvn = res["torch"]
    ay, av, axg, aog, ayn, avn = res["agrad"]
    same_values(ay, ty, atol=1e-9)
    same_values(av, tv, atol=1e-9)
    same_grad(axg, txg, atol=1e-9)
    same_grad(aog, tog, atol=1e-9)
    assert ayn == tyn
    if tvn in ("AsStridedBackward0", "CopySlices"):
        assert avn == tvn


def test_view_of_leaf_written_under_no_grad_then_used():
    for m in (torch, agrad):
        w = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        with m.no_grad():
            w[0].mul_(2)
        (w * w).sum().backward()
        assert w.grad.tolist() == [[4.0, 8.0], [6.0, 8.0]]


# ---------------------------------------------------------------------------------------------
# hooks, retain_grad, double backward

def _hooked(m):
    x = m.tensor([1.0, -2.0, 3.0], requires_grad=True)
    w = m.tensor([0.5, 0.25, -1.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: g * 2)
    h = x * w
    h.retain_grad()
    h.register_hook(lambda g: seen.append(g.tolist()))
    h.register_hook(lambda g: g + 1)
    z = (h.exp() * h).sum()
    z.backward()
    return x.grad.tolist(), w.grad.tolist(), h.grad.tolist(), seen, h.retains_grad


def test_hooks_and_retain_grad_match_torch():
    a, t = _hooked(agrad), _hooked(torch)
    np.testing.assert_allclose(a[0], t[0], rtol=1e-6)
    np.testing.assert_allclose(a[1], t[1], rtol=1e-6)
    np.testing.assert_allclose(a[2], t[2], rtol=1e-6)
    np.testing.assert_allclose(a[3], t[3], rtol=1e-6)
    assert a[4] == t[4]


def _double(m):
    x = m.tensor([0.5, -1.0, 2.0], dtype=m.float64, requires_grad=True)
    y = m.tensor([1.5, 0.5, -0.5], dtype=m.float64, requires_grad=True)
    f = (x.sin() * y ** 2 + (x * y).exp()).sum()
    gx, gy = m.autograd.grad(f, (x, y), create_graph=True)
    hx, hy = m.autograd.grad((gx * gx).sum() + gy.sum(), (x, y), create_graph=True)
    (hxx,) = m.autograd.grad(hx.sum(), x)
    f2 = (x ** 3 * y).sum()
    f2.backward(create_graph=True)
    g = x.grad
    x.grad = None
    y.grad = None
    g.sum().backward()
    return [v.tolist() for v in (gx, gy, hx, hy, hxx, x.grad, y.grad)] + [gname(gx)]


def test_double_backward_matches_torch():
    a, t = _double(agrad), _double(torch)
    for u, v in zip(a[:-1], t[:-1]):
        np.testing.assert_allclose(u, v, rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# errors: same type and message as PyTorch

def _norm(msg):
    """agrad names non-CPU devices in legacy type names (torch.dask.FloatTensor)."""
    return re.sub(r"torch\.\w+\.(\w+Tensor)", r"torch.\1", msg)


ERRORS = {
    "modified_saved": lambda m: _modified(m),
    "modified_saved_output": lambda m: _modified_output(m),
    "modified_saved_view": lambda m: _modified_view(m),
    "leaf_inplace": lambda m: m.ones(2, requires_grad=True).add_(1),
    "leaf_view_inplace": lambda m: m.ones(2, 2, requires_grad=True)[0].mul_(2),
    "leaf_setitem": lambda m: m.ones(2, requires_grad=True).__setitem__(0, 1.0),
    "second_backward": lambda m: _twice(m),
    "non_scalar": lambda m: (m.ones(2, requires_grad=True) * 2).backward(),
    "no_requires_grad": lambda m: m.ones(2).sum().backward(),
    "shape_mismatch": lambda m: (m.ones(2, requires_grad=True) * 2).backward(m.ones(3)),
    "unused": lambda m: m.autograd.grad((m.ones(2, requires_grad=True) * 2).sum(),
                                        [m.ones(2, requires_grad=True)]),
    "grad_not_requiring": lambda m: m.autograd.grad((m.ones(2, requires_grad=True)).sum(),
                                                    [m.ones(2)]),
    "count_mismatch": lambda m: m.autograd.backward([m.ones(1, requires_grad=True) * 2,
                                                     m.ones(1, requires_grad=True) * 3],
                                                    [m.ones(1)]),
    "hook_no_grad": lambda m: m.ones(2).register_hook(lambda g: g),
    "retain_no_grad": lambda m: m.ones(2).retain_grad(),
    "nonleaf_requires_grad": lambda m: (m.ones(2, requires_grad=True) * 2).requires_grad_(False),
    "detach_view": lambda m: (m.ones(2, 2, requires_grad=True) * 1)[0].detach_(),
    "empty_inputs": lambda m: (m.ones(2, requires_grad=True) * 2).sum().backward(inputs=[]),
    "int_requires_grad": lambda m: m.tensor([1, 2], requires_grad=True),
    "broadcast_mismatch": lambda m: m.ones(2, 3, requires_grad=True) * m.ones(2),
    "int_requires_grad_method": lambda m: m.tensor([1, 2]).requires_grad_(),
}
def _modified(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    b = a * 2
    c = b * b
    b.add_(1)
    c.sum().backward()


def _modified_output(m):
    a = m.tensor([[1.0, 2.0]], requires_grad=True)
    c = a.exp()
    c.mul_(2)
    c.sum().backward()


def _modified_view(m):
    a = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = a * 1
    v = b[0]
    c = v * v
    v.add_(1)
    c.sum().backward()


def _twice(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = (x.sigmoid() * x).sum()
    y.backward()
    y.backward()


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_match_torch(case):
    with pytest.raises(Exception) as et:
        ERRORS[case](torch)
    with pytest.raises(type(et.value)) as ea:
        ERRORS[case](agrad)
    assert _norm(str(ea.value)) == str(et.value)
