"""agrad.save / agrad.load (agrad.serialization): round trips of tensors and nested state
(module, optimizer and scheduler state dicts), the documented file layout (safetensors plus a
JSON manifest), and refusal of files of other formats."""

from __future__ import annotations

import io
import json
import math
import pickle
import struct
from collections import Counter, OrderedDict

import numpy as np
import pytest
from _nn_oracle import to_np, torch

import agrad
import agrad.nn as nn
from agrad import optim
from agrad.serialization import load, save

pytestmark = pytest.mark.torch


def round_trip(obj, **load_kwargs):
    buf = io.BytesIO()
    save(obj, buf)
    buf.seek(0)
    return load(buf, **load_kwargs)


def test_tensors_of_every_dtype_round_trip():
    for dt in (agrad.float32, agrad.float64, agrad.int64, agrad.int32, agrad.uint8, agrad.bool,
               agrad.int8, agrad.int16):
        t = agrad.tensor([[0, 1, 2], [3, 4, 5]], dtype=dt)
        back = round_trip(t)
        assert back.dtype is dt and back.tolist() == t.tolist()
        assert back.device == t.device
    scalar = round_trip(agrad.tensor(2.5))
    assert scalar.shape == () and scalar.item() == 2.5


def test_views_requires_grad_and_parameters_round_trip():
    base = agrad.arange(12.0).reshape(3, 4)
    view = base.t()[1:]
    p = nn.Parameter(agrad.ones(2))
    g = agrad.ones(3, requires_grad=True)
    v, p2, g2 = round_trip((view, p, g))
    assert v.tolist() == view.tolist() and v.is_contiguous()
    assert type(p2) is nn.Parameter and p2.requires_grad
    assert g2.requires_grad and g2.is_leaf


@pytest.mark.backends("numpy")
def test_nested_structures_keep_types_keys_and_sharing():
    t = agrad.ones(2)
    obj = {"a": [t, t, (1, 2.5, None, "s", True)], 3: {(1, 2): -0.0}, "f": [math.inf, -math.inf],
           "nan": math.nan, "od": OrderedDict([("z", 1), ("y", 2)]), "c": Counter([2, 2, 5]),
           "dtype": agrad.float64, "empty": {}}
    back = round_trip(obj)
    assert back["a"][0] is back["a"][1]  # one tensor stored once, loaded as one object
    assert back["a"][2] == (1, 2.5, None, "s", True)
    assert back[3] == {(1, 2): -0.0}
    assert back["f"] == [math.inf, -math.inf] and math.isnan(back["nan"])
    assert type(back["od"]) is OrderedDict and list(back["od"]) == ["z", "y"]
    assert back["c"] == Counter([2, 2, 5]) and type(back["c"]) is Counter
    assert back["dtype"] is agrad.float64 and back["empty"] == {}


def test_module_optimizer_and_scheduler_state_round_trip():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
    opt = optim.Adam(model.parameters(), lr=0.01, amsgrad=True)
    sched = optim.lr_scheduler.MultiStepLR(opt, [1, 3])
    x = agrad.randn(5, 3)
    for _ in range(2):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
        sched.step()
    ckpt = round_trip({"model": model.state_dict(), "opt": opt.state_dict(),
                       "sched": sched.state_dict()})
    assert ckpt["model"]._metadata == model.state_dict()._metadata
    model2 = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
    assert repr(model2.load_state_dict(ckpt["model"])) == "<All keys matched successfully>"
    opt2 = optim.Adam(model2.parameters(), lr=0.5, amsgrad=True)
    opt2.load_state_dict(ckpt["opt"])
    sched2 = optim.lr_scheduler.MultiStepLR(opt2, [7])
    sched2.load_state_dict(ckpt["sched"])
    for m in (model, model2):
        m.eval()
    np.testing.assert_allclose(to_np(model2(x)), to_np(model(x)))
    assert opt2.state_dict()["param_groups"] == opt.state_dict()["param_groups"]
    assert sched2.get_last_lr() == sched.get_last_lr() and sched2.milestones == sched.milestones
    for (i, s), s2 in zip(opt.state_dict()["state"].items(), opt2.state_dict()["state"].values()):
        for k in s:
            np.testing.assert_array_equal(to_np(s[k]), to_np(s2[k]), err_msg=f"{i} {k}")


@pytest.mark.backends("numpy")
def test_paths_and_the_documented_layout(tmp_path):
    path = tmp_path / "ckpt.safetensors"
    save({"w": agrad.ones(2, 3), "step": 7}, path)
    back = load(str(path))
    assert back["step"] == 7 and back["w"].tolist() == [[1.0] * 3] * 2
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header["__metadata__"]
    assert meta["format"] == "agrad" and meta["agrad_format_version"] == "1"
    assert header["t0"]["dtype"] == "F32" and header["t0"]["shape"] == [2, 3]
    manifest = json.loads(meta["manifest"])
    assert manifest["type"] == "dict" and manifest["dict"][1] == ["step", 7]


@pytest.mark.backends("numpy")
def test_a_plain_safetensors_file_loads_as_a_dict_of_tensors(tmp_path):
    from safetensors.numpy import save_file

    path = tmp_path / "plain.safetensors"
    save_file({"a": np.arange(3, dtype=np.int64), "b": np.ones((2, 2), np.float32)}, str(path))
    back = load(path)
    assert back["a"].tolist() == [0, 1, 2] and back["b"].dtype is agrad.float32


@pytest.mark.backends("numpy")
def test_other_formats_are_refused_with_a_clear_error(tmp_path):
    pt = tmp_path / "model.pt"
    torch.save({"w": torch.ones(2)}, pt)
    with pytest.raises(RuntimeError, match="zip archive .*never unpickles"):
        load(pt)
    with pytest.raises(RuntimeError, match="a pickle .*never unpickles"):
        load(io.BytesIO(pickle.dumps({"w": 1})))
    with pytest.raises(RuntimeError, match="not a safetensors file"):
        load(io.BytesIO(b"\x10\x00\x00\x00\x00\x00\x00\x00hello world, no json"))
    with pytest.raises(RuntimeError, match="too short"):
        load(io.BytesIO(b"abc"))


@pytest.mark.backends("numpy")
def test_unsupported_objects_are_refused_on_save():
    for obj in (nn.Linear(1, 1), {1, 2}, object(), {"f": lambda: 1}):
        with pytest.raises(TypeError, match="agrad.save cannot store an object of type"):
            round_trip(obj)


@pytest.mark.backends("numpy")
def test_map_location_and_lazy_devices():
    pytest.importorskip("dask")
    t = agrad.arange(4.0, device="dask")
    back = round_trip({"t": t})["t"]
    assert back.device.type == "dask" and back.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert round_trip(t, map_location="cpu").device.type == "cpu"
    assert round_trip(t, map_location={"dask": "cpu"}).device.type == "cpu"


def test_saved_on_this_backend_restores_here():
    t = agrad.arange(3.0)
    back = round_trip(t)
    assert back.device == t.device and back.tolist() == [0.0, 1.0, 2.0]
