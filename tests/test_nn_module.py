"""agrad.nn.Module, Parameter and the containers against torch.nn: registration semantics,
traversal order, state_dict / load_state_dict (keys, metadata, PyTorch's error messages),
hooks, modes, conversion, and repr printed exactly as PyTorch prints it.

Module bookkeeping is plain Python, the same on every backend, so these run on NumPy only;
moving a module to another backend is tested where it applies."""

from __future__ import annotations

import copy
import pickle
import re
from collections import OrderedDict

import numpy as np
import pytest
from _nn_oracle import copy_state, outcome, same_outcome, to_np, torch

import agrad
import agrad.nn as nn

pytestmark = [pytest.mark.torch, pytest.mark.backends("numpy")]

tnn = torch.nn


# -- Parameter -------------------------------------------------------------------------------------

def test_parameter_is_a_leaf_tensor_that_requires_grad():
    p = nn.Parameter(agrad.ones(2, 3))
    assert isinstance(p, agrad.Tensor) and isinstance(p, nn.Parameter)
    assert p.requires_grad and p.is_leaf
    assert not nn.Parameter(agrad.ones(2), requires_grad=False).requires_grad
    assert type(p * 2) is agrad.Tensor  # ops return plain tensors, as in PyTorch
    assert type(p.detach()) is agrad.Tensor
    assert nn.Parameter().shape == (0,)


def test_parameter_shares_its_data():
    data = agrad.zeros(3)
    p = nn.Parameter(data)
    with agrad.no_grad():
        p.add_(1)
    assert data.tolist() == [1.0, 1.0, 1.0]


def test_parameter_repr_is_pytorchs():
    for values, rg in (([[1.0, 2.0], [3.0, 4.5]], True), ([1.0, -2.0], False)):
        a = nn.Parameter(agrad.tensor(values), requires_grad=rg)
        t = tnn.Parameter(torch.tensor(values), requires_grad=rg)
        assert repr(a) == repr(t)
        assert str(a) == str(t)


def test_parameter_of_integers_cannot_require_grad():
    same_outcome(lambda: nn.Parameter(agrad.tensor([1, 2])),
                 lambda: tnn.Parameter(torch.tensor([1, 2])))


def test_parameter_deepcopy_and_pickle_keep_the_class():
    p = nn.Parameter(agrad.tensor([1.0, 2.0]))
    p.grad = agrad.tensor([0.5, 0.5])
    for q in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert type(q) is nn.Parameter and q.requires_grad
        assert q.tolist() == [1.0, 2.0]
        assert q.grad is None  # as PyTorch's Parameter.__deepcopy__ and pickle: no grad


# -- registration --------------------------------------------------------------------------------

class Net:
    """The same two-layer module written for either library."""

    @staticmethod
    def build(nn_):
        class TwoLayer(nn_.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = nn_.Linear(3, 4)
                self.act = nn_.ReLU()
                self.fc2 = nn_.Linear(4, 2)
                self.register_buffer("steps", None)
                self.register_buffer("scale", (agrad if nn_ is nn else torch).ones(2))
                self.register_buffer("tmp", (agrad if nn_ is nn else torch).zeros(1),
                                     persistent=False)

            def forward(self, x):
                return self.fc2(self.act(self.fc1(x))) * self.scale

        return TwoLayer()


def test_attribute_assignment_registers_parameters_buffers_and_modules():
    m = Net.build(nn)
    assert list(m._parameters) == [] and list(m._modules) == ["fc1", "act", "fc2"]
    assert list(m._buffers) == ["steps", "scale", "tmp"]
    m.w = nn.Parameter(agrad.ones(1))
    assert "w" in m._parameters and "w" not in m.__dict__
    m.w = None  # a registered parameter may be set to None
    assert m._parameters["w"] is None
    m.scale = agrad.zeros(2)  # a registered buffer takes a new tensor
    assert m._buffers["scale"].tolist() == [0.0, 0.0]
    m.fc1 = nn.Identity()
    assert isinstance(m._modules["fc1"], nn.Identity)
    m.plain = 3
    assert m.__dict__["plain"] == 3
    del m.fc2, m.scale, m.w, m.plain
    assert "fc2" not in m._modules and "scale" not in m._buffers
    assert "w" not in m._parameters and "plain" not in m.__dict__
    assert "tmp" in m._non_persistent_buffers_set


@pytest.mark.parametrize("case", [
    "param_as_tensor", "module_as_int", "buffer_as_int", "before_init", "module_before_init",
    "buffer_name_dot", "param_name_empty", "existing_attr", "not_a_module", "missing_attr",
    "buffer_type", "module_name_dot"])
def test_registration_errors_are_pytorchs(case):
    def run(lib, nn_):
        m = nn_.Linear(2, 2)
        if case == "param_as_tensor":
            m.weight = lib.ones(2, 2)
        elif case == "module_as_int":
            m.add_module("sub", nn_.ReLU())
            m.sub = 3
        elif case == "buffer_as_int":
            m.register_buffer("b", lib.ones(1))
            m.b = 3
        elif case == "before_init":
            class Early(nn_.Module):
                def __init__(self):
                    self.w = nn_.Parameter(lib.ones(1))
            Early()
        elif case == "module_before_init":
            class Early(nn_.Module):
                def __init__(self):
                    self.sub = nn_.ReLU()
            Early()
        elif case == "buffer_name_dot":
            m.register_buffer("a.b", lib.ones(1))
        elif case == "param_name_empty":
            m.register_parameter("", nn_.Parameter(lib.ones(1)))
        elif case == "existing_attr":
            m.register_buffer("weight", lib.ones(1))
        elif case == "not_a_module":
            m.add_module("x", 3)
        elif case == "missing_attr":
            m.nothing  # noqa: B018
        elif case == "buffer_type":
            m.register_buffer("b", [1, 2])
        elif case == "module_name_dot":
            m.add_module("a.b", nn_.ReLU())

    got, want = outcome(lambda: run(agrad, nn)), outcome(lambda: run(torch, tnn))
    assert want is not None
    assert got == want


def test_non_leaf_parameter_from_an_op_is_refused():
    x = agrad.ones(1, requires_grad=True) * 2
    p = nn.Parameter.__new__(nn.Parameter, agrad.ones(1))
    p._grad_fn = x.grad_fn  # a Parameter that is the result of an op
    with pytest.raises(ValueError, match="Cannot assign non-leaf Tensor to parameter 'p'"):
        nn.Linear(1, 1).register_parameter("p", p)


# -- traversal -----------------------------------------------------------------------------------

def shared_model(nn_):
    shared = nn_.Linear(2, 2)
    m = nn_.Sequential(shared, nn_.ReLU(), nn_.Sequential(shared, nn_.Linear(2, 3)))
    m.extra = nn_.Linear(3, 1, bias=False)
    return m


def test_traversal_order_and_deduplication_match_pytorch():
    a, t = shared_model(nn), shared_model(tnn)
    assert [n for n, _ in a.named_modules()] == [n for n, _ in t.named_modules()]
    assert [n for n, _ in a.named_modules(remove_duplicate=False)] == \
        [n for n, _ in t.named_modules(remove_duplicate=False)]
    assert [n for n, _ in a.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in a.named_parameters(remove_duplicate=False)] == \
        [n for n, _ in t.named_parameters(remove_duplicate=False)]
    assert [n for n, _ in a.named_children()] == [n for n, _ in t.named_children()]
    assert len(list(a.parameters())) == len(list(t.parameters()))
    assert [n for n, _ in a.named_parameters(prefix="net", recurse=False)] == \
        [n for n, _ in t.named_parameters(prefix="net", recurse=False)]
    bn_a, bn_t = nn.Sequential(nn.BatchNorm1d(3)), tnn.Sequential(tnn.BatchNorm1d(3))
    assert [n for n, _ in bn_a.named_buffers()] == [n for n, _ in bn_t.named_buffers()]
    assert a.get_submodule("2.1") is a[2][1]
    assert a.get_parameter("2.1.bias") is a[2][1].bias
    same_outcome(lambda: a.get_submodule("2.9"), lambda: t.get_submodule("2.9"))
    same_outcome(lambda: a.get_parameter("2.1.nothing"), lambda: t.get_parameter("2.1.nothing"))


@pytest.mark.parametrize("register", ["register_buffer", "register_parameter", "add_module"])
@pytest.mark.parametrize("name", ["a.b", "", 1, "training", "forward", "ok"])
def test_bad_registration_names_are_refused_as_pytorch_refuses_them(register, name):
    """Each refusal is PyTorch's type and message, and leaves the module as it was."""
    tnn = torch.nn
    a, t = nn.Module(), tnn.Module()
    before = dict(a.__dict__)
    same_outcome(lambda: getattr(a, register)(name, None), lambda: getattr(t, register)(name, None))
    if name != "ok":
        assert a.__dict__ == before
    assert [list(getattr(a, d)) for d in ("_parameters", "_buffers", "_modules")] == \
        [list(getattr(t, d)) for d in ("_parameters", "_buffers", "_modules")]


def test_registering_before_init_is_refused_as_pytorch_refuses_it():
    class Early(nn.Module):
        def __init__(self, register):
            getattr(self, register)("w", None)

    class TEarly(torch.nn.Module):
        def __init__(self, register):
            getattr(self, register)("w", None)

    for register in ("register_buffer", "register_parameter"):
        same_outcome(lambda r=register: Early(r), lambda r=register: TEarly(r))


def test_dir_lists_registered_names():
    m = Net.build(nn)
    d = dir(m)
    for name in ("fc1", "fc2", "scale", "forward", "training"):
        assert name in d


# -- state_dict ----------------------------------------------------------------------------------

def test_state_dict_keys_shapes_and_metadata_match_pytorch():
    a, t = Net.build(nn), Net.build(tnn)
    sa, st = a.state_dict(), t.state_dict()
    assert isinstance(sa, OrderedDict)
    assert list(sa) == list(st)
    assert [tuple(v.shape) for v in sa.values()] == [tuple(v.shape) for v in st.values()]
    assert sa._metadata == st._metadata
    assert not sa["fc1.weight"].requires_grad  # detached
    assert a.state_dict(keep_vars=True)["fc1.weight"] is a.fc1.weight
    bn_a, bn_t = nn.BatchNorm1d(3), tnn.BatchNorm1d(3)
    assert bn_a.state_dict()._metadata == bn_t.state_dict()._metadata
    assert str(bn_a.state_dict()["num_batches_tracked"].dtype) == "torch.int64"


def test_state_dict_aliases_the_parameters():
    a = nn.Linear(2, 2)
    sd = a.state_dict()
    with agrad.no_grad():
        a.weight.fill_(3.0)
    assert to_np(sd["weight"]).tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_load_state_dict_copies_in_place_and_reports_all_matched():
    a, t = Net.build(nn), Net.build(tnn)
    w = a.fc1.weight
    copy_state(a, t)
    assert a.fc1.weight is w  # same Parameter object, new values
    np.testing.assert_allclose(to_np(a.fc1.weight), to_np(t.fc1.weight))
    assert repr(a.load_state_dict(a.state_dict())) == repr(t.load_state_dict(t.state_dict()))
    assert repr(a.load_state_dict(a.state_dict())) == "<All keys matched successfully>"


@pytest.mark.parametrize("edit", ["missing", "unexpected", "both", "shape", "not_tensor",
                                  "child_unexpected"])
def test_load_state_dict_errors_are_pytorchs(edit):
    def run(lib, nn_, strict):
        m = Net.build(nn_)
        sd = dict(m.state_dict())
        if edit in ("missing", "both"):
            del sd["fc1.bias"]
        if edit in ("unexpected", "both"):
            sd["fc3.weight"] = lib.ones(1)
            sd["extra"] = lib.ones(1)
        if edit == "shape":
            sd["fc2.weight"] = lib.ones(5, 4)
        if edit == "not_tensor":
            sd["fc2.bias"] = [1.0, 2.0]
        if edit == "child_unexpected":
            sd["fc1.other"] = lib.ones(1)
        return m.load_state_dict(sd, strict=strict)

    same_outcome(lambda: run(agrad, nn, True), lambda: run(torch, tnn, True))
    if edit in ("missing", "unexpected", "both", "child_unexpected"):
        ra, rt = run(agrad, nn, False), run(torch, tnn, False)
        assert ra.missing_keys == rt.missing_keys
        assert ra.unexpected_keys == rt.unexpected_keys
        assert repr(ra) == repr(rt)
    else:
        same_outcome(lambda: run(agrad, nn, False), lambda: run(torch, tnn, False))


def test_load_state_dict_refuses_a_non_mapping():
    same_outcome(lambda: nn.Linear(1, 1).load_state_dict([1]),
                 lambda: tnn.Linear(1, 1).load_state_dict([1]))


def test_load_state_dict_assign_replaces_the_parameters():
    a = nn.Linear(2, 2)
    new = {"weight": agrad.ones(2, 2), "bias": agrad.zeros(2)}
    a.load_state_dict(new, assign=True)
    assert isinstance(a.weight, nn.Parameter) and a.weight.requires_grad
    assert a.weight.tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_batchnorm_loads_a_version_1_checkpoint_without_num_batches_tracked():
    bn = nn.BatchNorm1d(2)
    sd = bn.state_dict()
    del sd["num_batches_tracked"]
    sd._metadata[""] = {"version": 1}
    assert repr(bn.load_state_dict(sd)) == "<All keys matched successfully>"


def test_state_dict_hooks():
    m = nn.Linear(1, 1)
    seen = []
    h1 = m.register_state_dict_pre_hook(lambda mod, prefix, keep: seen.append(("pre", prefix)))
    h2 = m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: seen.append("post"))
    m.state_dict()
    assert seen == [("pre", ""), "post"]
    h1.remove()
    h2.remove()
    m.state_dict()
    assert len(seen) == 2
    calls = []
    m.register_load_state_dict_post_hook(lambda mod, keys: calls.append(keys))
    m.load_state_dict(m.state_dict())
    assert calls and calls[0].missing_keys == []


# -- calling and hooks ---------------------------------------------------------------------------

def test_forward_hooks_run_in_pytorchs_order_and_can_replace_values():
    def run(lib, nn_):
        m = nn_.Linear(2, 2)
        with (agrad if lib is agrad else torch).no_grad():
            m.weight.copy_(lib.eye(2))
            m.bias.zero_()
        log = []
        m.register_forward_pre_hook(lambda mod, args: log.append("pre") or (args[0] * 2,))
        m.register_forward_pre_hook(lambda mod, args: log.append("pre-first"), prepend=True)
        m.register_forward_pre_hook(lambda mod, args, kw: log.append(sorted(kw)),
                                    with_kwargs=True)
        h = m.register_forward_hook(lambda mod, args, out: out + 1)
        m.register_forward_hook(lambda mod, args, kw, out: log.append("post-kw"),
                                with_kwargs=True)
        out1 = m(lib.ones(2)).tolist()
        h.remove()
        out2 = m(lib.ones(2)).tolist()
        return log, out1, out2

    (la, a1, a2), (lt, t1, t2) = run(agrad, nn), run(torch, tnn)
    assert la == lt and a1 == t1 and a2 == t2


def test_always_call_forward_hook_runs_when_forward_raises():
    class Boom(nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m = Boom()
    seen = []
    m.register_forward_hook(lambda mod, args, out: seen.append(out), always_call=True)
    with pytest.raises(ValueError, match="boom"):
        m(1)
    assert seen == [None]


def test_missing_forward_raises_pytorchs_error():
    same_outcome(lambda: nn.Module()(1), lambda: tnn.Module()(1))


def test_pre_hook_bad_return_with_kwargs():
    m = nn.Identity()
    m.register_forward_pre_hook(lambda mod, a, k: 5, with_kwargs=True)
    with pytest.raises(RuntimeError, match="forward pre-hook must return None or a tuple"):
        m(1)


def test_hook_handle_works_as_a_context_manager():
    m = nn.Identity()
    with m.register_forward_hook(lambda mod, a, out: out * 10):
        assert m(2) == 20
    assert m(2) == 2


# -- modes, gradients, apply, conversion ---------------------------------------------------------

def test_train_eval_propagate():
    m = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.Dropout()))
    m.eval()
    assert not any(x.training for x in m.modules())
    m.train()
    assert all(x.training for x in m.modules())
    same_outcome(lambda: m.train("yes"), lambda: tnn.Linear(1, 1).train("yes"))


def test_zero_grad_and_requires_grad():
    m = nn.Linear(2, 1)
    m(agrad.ones(3, 2)).sum().backward()
    assert m.weight.grad is not None
    m.zero_grad(set_to_none=False)
    assert m.weight.grad.tolist() == [[0.0, 0.0]]
    m.zero_grad()
    assert m.weight.grad is None
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())


def test_apply_visits_children_first():
    order = []
    m = nn.Sequential(nn.Linear(1, 1), nn.ReLU())
    m.apply(lambda mod: order.append(type(mod).__name__))
    assert order == ["Linear", "ReLU", "Sequential"]


def test_to_dtype_converts_floating_parameters_buffers_and_grads():
    m = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    m(agrad.ones(3, 2)).sum().backward()
    w = m[0].weight
    m.to(agrad.float64)
    assert m[0].weight is w and w.dtype is agrad.float64 and w.grad.dtype is agrad.float64
    assert m[1].running_mean.dtype is agrad.float64
    assert m[1].num_batches_tracked.dtype is agrad.int64  # integers keep their dtype
    m.float()
    assert w.dtype is agrad.float32
    m.double()
    assert w.dtype is agrad.float64
    same_outcome(lambda: m.to(agrad.int32), lambda: tnn.Linear(1, 1).to(torch.int32))


@pytest.mark.backends("numpy")
def test_to_another_backend_keeps_parameter_identity():
    pytest.importorskip("dask")
    m = nn.Linear(3, 2)
    w = m.weight
    m.to("dask")
    assert m.weight is w and w.device.type == "dask" and w.requires_grad
    out = m(agrad.ones(4, 3, device="dask"))
    assert out.device.type == "dask"
    m.to("cpu")
    assert w.device.type == "cpu"


# -- containers ----------------------------------------------------------------------------------

def test_sequential_indexing_slicing_and_editing():
    def run(nn_):
        layers = [nn_.Linear(i + 1, i + 2) for i in range(4)]
        s = nn_.Sequential(*layers)
        out = [len(s), type(s[1:3]).__name__, list(s[1:3]._modules), s[-1] is layers[-1]]
        s.append(nn_.ReLU())
        s.insert(1, nn_.Tanh())
        s.extend([nn_.Sigmoid()])
        del s[0]
        out += [repr(s), list(s._modules), repr(s.pop(0))]
        s[0] = nn_.Identity()
        out.append(repr(s + nn_.Sequential(nn_.ReLU())))
        out.append(repr(nn_.Sequential(nn_.ReLU()) * 2))
        d = nn_.Sequential(OrderedDict([("first", nn_.ReLU()), ("second", nn_.Tanh())]))
        out += [repr(d), list(d.state_dict()), repr(d[1:])]
        return out

    assert run(nn) == run(tnn)
    s = nn.Sequential(nn.Linear(1, 1))
    same_outcome(lambda: s[3], lambda: tnn.Sequential(tnn.Linear(1, 1))[3])
    with pytest.raises(ValueError, match="^Non-positive multiplication factor 0 for <class "):
        s * 0


def test_sequential_forward_chains_modules():
    s = nn.Sequential(nn.Flatten(0, 1), nn.Identity())
    assert tuple(s(agrad.ones(2, 3)).shape) == (6,)


def test_module_list_and_dict():
    def run(nn_):
        ml = nn_.ModuleList([nn_.Linear(2, 2) for _ in range(3)])
        ml.append(nn_.ReLU())
        ml.extend([nn_.ReLU(), nn_.Tanh()])
        ml.insert(0, nn_.Sigmoid())
        out = [repr(ml), len(ml), list(ml.state_dict()), repr(ml[1:3])]
        del ml[1]
        out.append(list(ml._modules))
        md = nn_.ModuleDict({"a": nn_.Linear(1, 1), "b": nn_.ReLU()})
        md.update([("c", nn_.Tanh())])
        md["d"] = nn_.Identity()
        out += [repr(md), list(md.keys()), "a" in md, len(md), list(md.state_dict()),
                type(md.pop("b")).__name__, list(md)]
        out.append(repr(nn_.ModuleList()))
        return out

    assert run(nn) == run(tnn)
    same_outcome(lambda: nn.ModuleList([nn.ReLU()])[2], lambda: tnn.ModuleList([tnn.ReLU()])[2])
    same_outcome(lambda: nn.ModuleDict().update(3), lambda: tnn.ModuleDict().update(3))
    same_outcome(lambda: nn.ModuleDict().update([(1, 2, 3)]),
                 lambda: tnn.ModuleDict().update([(1, 2, 3)]))


# -- repr --------------------------------------------------------------------------------------

LAYERS = [
    ("Linear", (3, 4), {}), ("Linear", (3, 4), {"bias": False}), ("Bilinear", (2, 3, 4), {}),
    ("Embedding", (10, 3), {"padding_idx": 1, "max_norm": 1.0}),
    ("Embedding", (10, 3), {"norm_type": 1.0, "scale_grad_by_freq": True}),
    ("Flatten", (), {}), ("Flatten", (0, 1), {}), ("Unflatten", (1, (2, 3)), {}),
    ("Identity", (), {}), ("Dropout", (0.2,), {}), ("Dropout", (), {"inplace": True}),
    ("LayerNorm", (5,), {}), ("LayerNorm", ([2, 3],), {"elementwise_affine": False}),
    ("LayerNorm", (4,), {"bias": False, "eps": 1e-3}),
    ("BatchNorm1d", (4,), {}), ("BatchNorm1d", (4,), {"momentum": None, "affine": False}),
    ("BatchNorm2d", (3,), {"track_running_stats": False}),
    ("Conv1d", (2, 4, 3), {}), ("Conv2d", (2, 4, 3), {"stride": 2, "padding": 1, "bias": False}),
    ("Conv2d", (4, 4, (3, 2)), {"groups": 2, "dilation": 2, "padding_mode": "reflect",
                                "padding": "same"}),
    ("MaxPool2d", (2,), {}), ("MaxPool2d", (3, 2, 1), {"ceil_mode": True, "dilation": 2}),
    ("AvgPool2d", (2,), {}), ("AvgPool2d", ((2, 3), 1, 1), {"count_include_pad": False}),
    ("ReLU", (), {}), ("ReLU", (True,), {}), ("LeakyReLU", (0.2, True), {}), ("LeakyReLU", (), {}),
    ("GELU", (), {"approximate": "tanh"}), ("GELU", (), {}), ("Tanh", (), {}), ("Sigmoid", (), {}),
    ("Softmax", (1,), {}), ("Softmax", (), {}), ("LogSoftmax", (), {"dim": -1}),
    ("MSELoss", (), {}), ("L1Loss", (), {"reduction": "sum"}),
    ("CrossEntropyLoss", (), {"label_smoothing": 0.1}), ("NLLLoss", (), {}), ("BCELoss", (), {}),
    ("BCEWithLogitsLoss", (), {}), ("HuberLoss", (), {"delta": 2.0}), ("SmoothL1Loss", (), {}),
]


@pytest.mark.parametrize("name,args,kwargs", LAYERS, ids=[f"{n}{i}" for i, (n, _, _) in
                                                           enumerate(LAYERS)])
def test_layer_repr_and_state_dict_layout_match_pytorch(name, args, kwargs):
    a, t = getattr(nn, name)(*args, **kwargs), getattr(tnn, name)(*args, **kwargs)
    assert repr(a) == repr(t)
    sa, st = a.state_dict(), t.state_dict()
    assert list(sa) == list(st)
    assert [tuple(v.shape) for v in sa.values()] == [tuple(v.shape) for v in st.values()]
    assert [str(v.dtype) for v in sa.values()] == [str(v.dtype) for v in st.values()]
    assert [n for n, _ in a.named_parameters()] == [n for n, _ in t.named_parameters()]


def test_nested_repr_matches_pytorch():
    def build(nn_):
        class Custom(nn_.Module):
            def __init__(self):
                super().__init__()
                self.body = nn_.Sequential(nn_.Conv2d(1, 2, 3), nn_.ReLU(), nn_.MaxPool2d(2))
                self.heads = nn_.ModuleList([nn_.Linear(8, 2) for _ in range(2)])
                self.table = nn_.ModuleDict({"emb": nn_.Embedding(5, 2)})

            def extra_repr(self):
                return "custom=1\nsecond line"

        return Custom()

    assert repr(build(nn)) == repr(build(tnn))


def test_layer_constructor_errors_are_pytorchs():
    for ctor in (lambda nn_: nn_.Conv2d(3, 4, 3, groups=2),
                 lambda nn_: nn_.Conv2d(4, 3, 3, groups=2),
                 lambda nn_: nn_.Conv2d(4, 4, 3, groups=0),
                 lambda nn_: nn_.Conv2d(4, 4, 3, padding="foo"),
                 lambda nn_: nn_.Conv2d(4, 4, 3, stride=2, padding="same"),
                 lambda nn_: nn_.Dropout(1.5),
                 lambda nn_: nn_.Embedding(3, 2, padding_idx=3),
                 lambda nn_: nn_.Embedding(3, 2, padding_idx=-4),
                 lambda nn_: nn_.Embedding(3, 2, _weight=(agrad if nn_ is nn else torch).ones(2,
                                                                                           2))):
        same_outcome(lambda c=ctor: c(nn), lambda c=ctor: c(tnn))
    # the message prints a set, whose order differs between processes (string hashing): the
    # type, the modes and the rest of the wording are compared
    errors = []
    for lib in (nn, tnn):
        with pytest.raises(ValueError) as e:
            lib.Conv2d(4, 4, 3, padding_mode="foo")
        head, modes, tail = re.match(r"(.*)\{(.*)\}(.*)", str(e.value)).groups()
        errors.append((head, sorted(modes.split(", ")), tail))
    assert errors[0] == errors[1]


def test_typename_matches_torch():
    from agrad.nn.module import typename

    for obj in (3, "s", agrad.ones(2)):
        tobj = torch.ones(2) if isinstance(obj, agrad.Tensor) else obj
        assert typename(obj) == torch.typename(tobj)


def test_deepcopy_and_pickle_of_a_module():
    m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    for c in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert repr(c) == repr(m)
        assert c[0].weight is not m[0].weight and type(c[0].weight) is nn.Parameter
        assert c[0].weight.tolist() == m[0].weight.tolist() and c[0].weight.requires_grad
        assert list(c.state_dict()) == list(m.state_dict())
