"""agrad.optim against torch.optim: the same parameters and the same loss give the same
parameters and optimizer state after every step (float64, so they agree to rounding), for
every optimizer option; state_dict layout, load_state_dict, param groups, hooks and errors;
and the learning-rate schedulers' rates, step for step, exactly."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from _nn_oracle import same_outcome, to_np, torch
from hypothesis import given, settings
from hypothesis import strategies as st

import agrad
from agrad import optim

pytestmark = pytest.mark.torch
EAGER = pytest.mark.backends("numpy", "numpy_writeback", "array_api_strict")
TARGETS = np.random.default_rng(3).standard_normal((8, 2, 3))
INIT = np.random.default_rng(4).standard_normal((2, 3))


def make_params(lib, requires_grad=True):
    return [lib.tensor(INIT[0].copy(), requires_grad=requires_grad),
            lib.tensor(INIT[1, :2].copy(), requires_grad=requires_grad)]


def loss_at(step, params):
    """A loss whose gradient depends on the parameters (so a wrong update compounds)."""
    t = TARGETS[step % len(TARGETS)]
    w, b = params
    return ((w - w.new_tensor(t)) ** 2).sum() * 1.5 + (w ** 3).sum() * 0.1 + \
        ((b - b.new_tensor(t[0, :2])) ** 2).sum()


def run(lib, opt_cls, kwargs, steps, params=None, opt=None):
    params = params if params is not None else make_params(lib)
    opt = opt if opt is not None else opt_cls(params, **kwargs)
    history = []
    for k in range(steps):
        opt.zero_grad()
        loss_at(k, params).backward()
        opt.step()
        history.append([to_np(p).copy() for p in params])
    return params, opt, history


def state_arrays(opt):
    return {(i, k): to_np(v) for i, s in opt.state_dict()["state"].items()
            for k, v in s.items() if v is not None}


CONFIGS = [
    ("SGD", {"lr": 0.05}), ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.5, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True}),
    ("SGD", {"lr": 0.05, "maximize": True}),
    ("Adam", {}), ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam", {"lr": 0.02, "weight_decay": 0.1, "betas": (0.8, 0.9), "eps": 1e-6}),
    ("Adam", {"lr": 0.02, "maximize": True}),
    ("AdamW", {"lr": 0.05}), ("AdamW", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.3}),
    ("RMSprop", {}), ("RMSprop", {"lr": 0.01, "momentum": 0.5}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.3, "weight_decay": 0.1,
                 "alpha": 0.9}),
    ("RMSprop", {"lr": 0.01, "maximize": True}),
    ("Adagrad", {}), ("Adagrad", {"lr": 0.1, "lr_decay": 0.1, "weight_decay": 0.1,
                                  "initial_accumulator_value": 0.2, "eps": 1e-6}),
    ("Adagrad", {"lr": 0.1, "maximize": True}),
]


@EAGER
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[f"{n}{i}" for i, (n, _) in
                                                       enumerate(CONFIGS)])
def test_optimizer_steps_match_pytorch(name, kwargs):
    _, oa, ha = run(agrad, getattr(optim, name), kwargs, 6)
    _, ot, ht = run(torch, getattr(torch.optim, name), kwargs, 6)
    for k, (a, t) in enumerate(zip(ha, ht)):
        for pa, pt in zip(a, t):
            np.testing.assert_allclose(pa, pt, atol=1e-12, rtol=1e-12, err_msg=f"step {k}")
    sa, st_ = state_arrays(oa), state_arrays(ot)
    assert sa.keys() == st_.keys()
    for key in sa:
        np.testing.assert_allclose(sa[key], st_[key], atol=1e-12, rtol=1e-12, err_msg=str(key))


@pytest.mark.backends("dask")
def test_every_optimizer_runs_lazily_on_dask():
    """One configuration per optimizer on Dask (the EAGER test covers every option)."""
    for name, kwargs in (("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
                         ("Adam", {"lr": 0.05, "amsgrad": True}), ("AdamW", {"lr": 0.05}),
                         ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.3}),
                         ("Adagrad", {"lr": 0.1, "lr_decay": 0.1})):
        pa, oa, ha = run(agrad, getattr(optim, name), kwargs, 3)
        _, _, ht = run(torch, getattr(torch.optim, name), kwargs, 3)
        assert pa[0].device.type == "dask"
        for a, t in zip(ha, ht):
            for x, y in zip(a, t):
                np.testing.assert_allclose(x, y, atol=1e-12, rtol=1e-12, err_msg=name)
        for s in oa.state.values():  # optimizer state stays on the parameter's device
            for k, v in s.items():
                if k != "step":
                    assert v.device.type == "dask"


@EAGER
def test_float32_adam_matches_pytorch_closely():
    pa = [agrad.tensor(INIT[0].astype("float32"), requires_grad=True),
          agrad.tensor(INIT[1, :2].astype("float32"), requires_grad=True)]
    pt = [torch.tensor(INIT[0].astype("float32"), requires_grad=True),
          torch.tensor(INIT[1, :2].astype("float32"), requires_grad=True)]
    _, _, ha = run(agrad, optim.Adam, {"lr": 0.05}, 8, params=pa)
    _, _, ht = run(torch, torch.optim.Adam, {"lr": 0.05}, 8, params=pt)
    for a, t in zip(ha[-1], ht[-1]):
        np.testing.assert_allclose(a, t, atol=1e-5, rtol=1e-5)
    assert pa[0].dtype is agrad.float32


@pytest.mark.backends("numpy")
@settings(max_examples=20, deadline=None)
@given(lr=st.floats(1e-3, 0.2), momentum=st.sampled_from([0.0, 0.5, 0.9]),
       wd=st.sampled_from([0.0, 0.01]), nesterov=st.booleans(), which=st.sampled_from(
           ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]))
def test_hyperparameters_hypothesis(lr, momentum, wd, nesterov, which):
    kwargs = {"lr": lr, "weight_decay": wd}
    if which == "SGD":
        kwargs.update(momentum=momentum, nesterov=nesterov and momentum > 0)
    elif which == "RMSprop":
        kwargs.update(momentum=momentum, centered=nesterov)
    elif which in ("Adam", "AdamW"):
        kwargs.update(amsgrad=nesterov)
    _, _, ha = run(agrad, getattr(optim, which), kwargs, 4)
    _, _, ht = run(torch, getattr(torch.optim, which), kwargs, 4)
    for a, t in zip(ha[-1], ht[-1]):
        np.testing.assert_allclose(a, t, atol=1e-11, rtol=1e-11)


# -- state_dict, load_state_dict, groups, hooks --------------------------------------------------

@pytest.mark.backends("numpy")
@pytest.mark.parametrize("name,kwargs", [c for c in CONFIGS if c[1].get("maximize") is None])
def test_state_dict_layout_and_repr_match_pytorch(name, kwargs):
    _, oa, _ = run(agrad, getattr(optim, name), kwargs, 2)
    _, ot, _ = run(torch, getattr(torch.optim, name), kwargs, 2)
    sa, st_ = oa.state_dict(), ot.state_dict()
    assert sa["param_groups"] == st_["param_groups"]
    assert [list(g) for g in sa["param_groups"]] == [list(g) for g in st_["param_groups"]]
    assert list(sa["state"]) == list(st_["state"])
    for i in sa["state"]:
        assert list(sa["state"][i]) == list(st_["state"][i])
        for k in sa["state"][i]:
            va, vt = sa["state"][i][k], st_["state"][i][k]
            assert str(va.dtype) == str(vt.dtype) and tuple(va.shape) == tuple(vt.shape), k
    assert repr(oa) == repr(ot)


@EAGER
@pytest.mark.parametrize("name,kwargs", [("SGD", {"lr": 0.05, "momentum": 0.9}),
                                         ("Adam", {"lr": 0.05, "amsgrad": True}),
                                         ("RMSprop", {"centered": True, "momentum": 0.2}),
                                         ("Adagrad", {"lr_decay": 0.1})])
def test_load_state_dict_resumes_exactly(name, kwargs):
    cls = getattr(optim, name)
    _, _, straight = run(agrad, cls, kwargs, 5)
    params, opt, _ = run(agrad, cls, kwargs, 3)
    saved = opt.state_dict()
    fresh_params = [p.detach().clone().requires_grad_(True) for p in params]
    fresh = cls(fresh_params, **kwargs)
    fresh.load_state_dict(saved)
    for k in (3, 4):
        fresh.zero_grad()
        loss_at(k, fresh_params).backward()
        fresh.step()
    for a, b in zip(fresh_params, straight[-1]):
        np.testing.assert_allclose(to_np(a), b, atol=1e-12, rtol=1e-12)


@pytest.mark.backends("numpy")
def test_load_state_dict_errors_are_pytorchs():
    def attempt(lib, opt_mod, edit):
        a = opt_mod.SGD(make_params(lib), lr=0.1, momentum=0.9)
        b = opt_mod.SGD(make_params(lib)[:1] if edit == "size" else make_params(lib), lr=0.1)
        sd = a.state_dict()
        if edit == "groups":
            b.add_param_group({"params": [lib.ones(1, requires_grad=True)]})
        b.load_state_dict(sd)

    for edit in ("size", "groups"):
        same_outcome(lambda e=edit: attempt(agrad, optim, e),
                     lambda e=edit: attempt(torch, torch.optim, e))


@pytest.mark.backends("numpy")
def test_param_groups_and_their_errors_are_pytorchs():
    def build(lib, opt_mod):
        p = make_params(lib)
        o = opt_mod.SGD([{"params": [p[0]]}, {"params": p[1], "lr": 0.5}], lr=0.1, momentum=0.9)
        return o, p

    (oa, pa), (ot, pt) = build(agrad, optim), build(torch, torch.optim)
    assert oa.state_dict()["param_groups"] == ot.state_dict()["param_groups"]
    assert repr(oa) == repr(ot)
    cases = [
        (lambda: oa.add_param_group({"params": [pa[0]]}),
         lambda: ot.add_param_group({"params": [pt[0]]})),
        (lambda: oa.add_param_group({"params": {pa[0]}}),
         lambda: ot.add_param_group({"params": {pt[0]}})),
        (lambda: oa.add_param_group([pa[0]]), lambda: ot.add_param_group([pt[0]])),
        (lambda: optim.SGD([], lr=0.1), lambda: torch.optim.SGD([], lr=0.1)),
        (lambda: optim.SGD(pa[0], lr=0.1), lambda: torch.optim.SGD(pt[0], lr=0.1)),
        (lambda: optim.SGD([1.0], lr=0.1), lambda: torch.optim.SGD([1.0], lr=0.1)),
        (lambda: optim.SGD([pa[0] * 2], lr=0.1), lambda: torch.optim.SGD([pt[0] * 2], lr=0.1)),
        (lambda: optim.SGD(pa, lr=-1), lambda: torch.optim.SGD(pt, lr=-1)),
        (lambda: optim.SGD(pa, lr=0.1, nesterov=True),
         lambda: torch.optim.SGD(pt, lr=0.1, nesterov=True)),
        (lambda: optim.Adam(pa, betas=(1.0, 0.9)), lambda: torch.optim.Adam(pt, betas=(1.0, 0.9))),
        (lambda: optim.Adam(pa, eps=-1), lambda: torch.optim.Adam(pt, eps=-1)),
        (lambda: optim.RMSprop(pa, alpha=-1), lambda: torch.optim.RMSprop(pt, alpha=-1)),
        (lambda: optim.Adagrad(pa, lr_decay=-1), lambda: torch.optim.Adagrad(pt, lr_decay=-1)),
    ]
    for fa, ft in cases:
        same_outcome(fa, ft)


@pytest.mark.backends("numpy")
def test_named_parameters_are_accepted():
    import agrad.nn as nn

    m, tm = nn.Linear(2, 2), torch.nn.Linear(2, 2)
    oa, ot = optim.Adam(m.named_parameters()), torch.optim.Adam(tm.named_parameters())
    assert oa.state_dict()["param_groups"] == ot.state_dict()["param_groups"]


@EAGER
def test_zero_grad_and_skipping_params_without_grad():
    p, q = make_params(agrad)
    o = optim.SGD([p, q], lr=0.1)
    (p ** 2).sum().backward()
    before = q.tolist()
    o.step()
    assert q.tolist() == before and q.grad is None
    o.zero_grad(set_to_none=False)
    assert not to_np(p.grad).any()
    o.zero_grad()
    assert p.grad is None


@EAGER
def test_step_hooks_and_closure():
    p, _ = make_params(agrad)
    o = optim.SGD([p], lr=0.1)
    seen = []
    h = o.register_step_pre_hook(lambda opt, args, kwargs: seen.append("pre"))
    o.register_step_post_hook(lambda opt, args, kwargs: seen.append("post"))

    def closure():
        o.zero_grad()
        loss = (p ** 2).sum()
        loss.backward()
        return loss

    loss = o.step(closure)
    assert seen == ["pre", "post"] and float(loss) > 0
    h.remove()
    o.step(closure)
    assert seen == ["pre", "post", "post"]


# -- schedulers ----------------------------------------------------------------------------------

SCHEDULERS = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [2, 5, 5, 9], "gamma": 0.3}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 4, "eta_min": 0.01}),
    ("CosineAnnealingLR", {"T_max": 7}),
    ("LambdaLR", {"lr_lambda": lambda e: 1.0 / (e + 1)}),
]


def _sched_run(lib, opt_mod, name, kwargs, epochs=15):
    p = make_params(lib)
    o = opt_mod.SGD([{"params": [p[0]]}, {"params": [p[1]], "lr": 0.3}], lr=0.1)
    s = getattr(opt_mod.lr_scheduler, name)(o, **kwargs)
    lrs = [s.get_last_lr()]
    for _ in range(epochs):
        o.step()
        s.step()
        lrs.append(s.get_last_lr())
    return s, o, lrs


@pytest.mark.backends("numpy")
@pytest.mark.parametrize("name,kwargs", SCHEDULERS, ids=[f"{n}{i}" for i, (n, _) in
                                                          enumerate(SCHEDULERS)])
def test_scheduler_rates_match_pytorch_exactly(name, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no spurious "step before optimizer.step" warnings
        sa, oa, la = _sched_run(agrad, optim, name, kwargs)
        st_, ot, lt = _sched_run(torch, torch.optim, name, kwargs)
    assert la == lt
    assert [g["lr"] for g in oa.param_groups] == [g["lr"] for g in ot.param_groups]
    da, dt = sa.state_dict(), st_.state_dict()
    assert sorted(da) == sorted(dt)
    for k in da:
        if k != "lr_lambdas":
            assert da[k] == dt[k], k


@pytest.mark.backends("numpy")
def test_scheduler_state_dict_round_trip_and_closed_form():
    s, o, _ = _sched_run(agrad, optim, "StepLR", {"step_size": 2}, epochs=3)
    s2 = optim.lr_scheduler.StepLR(optim.SGD(make_params(agrad), lr=0.1), step_size=9)
    s2.load_state_dict(s.state_dict())
    assert s2.step_size == 2 and s2.last_epoch == 3 and s2.get_last_lr() == s.get_last_lr()
    ta, _, _ = _sched_run(agrad, optim, "CosineAnnealingLR", {"T_max": 5}, epochs=0)
    tt, _, _ = _sched_run(torch, torch.optim, "CosineAnnealingLR", {"T_max": 5}, epochs=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ta.step(3)  # (also warns, as PyTorch does, that optimizer.step() never ran)
    assert any("The epoch parameter" in str(w.message) for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tt.step(3)
    assert ta.get_last_lr() == tt.get_last_lr()


@pytest.mark.backends("numpy")
def test_scheduler_warnings_and_errors_are_pytorchs():
    p = make_params(agrad)
    s = optim.lr_scheduler.ExponentialLR(optim.SGD(p, lr=0.1), gamma=0.5)
    with pytest.warns(UserWarning, match="Detected call of `lr_scheduler.step\\(\\)` before"):
        s.step()
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        s.get_lr()
    same_outcome(lambda: optim.lr_scheduler.StepLR(optim.SGD(make_params(agrad), lr=0.1), 2,
                                                   last_epoch=3),
                 lambda: torch.optim.lr_scheduler.StepLR(torch.optim.SGD(make_params(torch),
                                                                         lr=0.1), 2,
                                                         last_epoch=3))
    same_outcome(lambda: optim.lr_scheduler.StepLR(object(), 2),
                 lambda: torch.optim.lr_scheduler.StepLR(object(), 2))
    same_outcome(lambda: optim.lr_scheduler.LambdaLR(optim.SGD(make_params(agrad), lr=0.1),
                                                     [lambda e: 1, lambda e: 2]),
                 lambda: torch.optim.lr_scheduler.LambdaLR(torch.optim.SGD(make_params(torch),
                                                                           lr=0.1),
                                                           [lambda e: 1, lambda e: 2]))


