"""The five tutorials in /work/shared/seeds run unchanged with `import agrad as torch`, and print
what PyTorch prints. The seeds' code and the runner live in `agrad.conformance.seeds`, shared
with the conformance suite's `seeds` check; here they run in full (500 training steps) and are
pinned against PyTorch's transcripts.
"""

from __future__ import annotations

import re
import sys

import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the differential oracle; "
                                            "pip install torch==2.13.0")

from agrad.conformance.seeds import SEEDS, as_agrad, compare, run_seed, torch_transcript  # noqa: E402

pytestmark = pytest.mark.torch

# ---------------------------------------------------------------------------------------------
# the tests

@pytest.mark.backends("numpy")
@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_prints_what_pytorch_prints(name):
    compare(name, run_seed(name, "agrad"), torch_transcript(name))


@pytest.mark.backends("numpy_writeback", "array_api_strict", "dask")
@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_seed_runs_on_every_backend(name):
    """The same code on the other backends: the same transcript up to device annotations
    (the NumPy-bridge block, whose sharing is a CPU property, is skipped)."""
    compare(name, run_seed(name, "agrad"), torch_transcript(name), device_blind=True)


def _losses(transcript: str) -> list[float]:
    vals = []
    for line in transcript.strip().splitlines():
        m = re.match(r"(\d+) tensor\(([^)]+)\)", line)
        assert m, line
        vals.append(float(m.group(2)))
    return vals


@pytest.mark.backends("numpy")
def test_seed_002_training_loops_learn():
    ours = run_seed("002", "agrad")
    manual, auto = ours[5][1], ours[9][1]
    for tr in (manual, auto):
        losses = _losses(tr)
        assert len(losses) == 500
        assert losses[-1] < losses[0] / 10, (losses[0], losses[-1])


@pytest.mark.backends("numpy")
def test_pinned_outputs():
    t000 = "".join(t for _, t in run_seed("000", "agrad"))
    assert "torch.Size([2])" in t000
    assert "tensor(36., grad_fn=<SumBackward0>)" in t000
    assert "tensor([[6., 6.],\n        [6., 6.]])" in t000
    assert "tensor([3., 3., 3.], grad_fn=<MulBackward0>)" in t000
    assert "---x.grad----\ntensor([ 0.6000,  6.0000, 60.0000])\n---x.grad_fn----\nNone\n" in t000
    assert "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)" in t000
    assert "dtype=torch.float64)" in t000
    t001 = [t for _, t in run_seed("001", "agrad")]
    assert t001[0] == "torch.Size([5, 3])\n"
    assert "!! NameError" in t001[1]  # `result` is never defined in the seed
    assert t001[2] == "tensor([2., 2., 2., 2., 2.])\n" * 2 + "[2. 2. 2. 2. 2.]\n"  # add_ echoes
    assert t001[3] == ("array([2., 2., 2., 2., 2.])\n[2. 2. 2. 2. 2.]\n"
                       "tensor([2., 2., 2., 2., 2.], dtype=torch.float64)\n")
    assert t001[4] == ""  # no CUDA here
    assert re.fullmatch(r"<AddBackward0 object at 0x[0-9a-f]+>\n"
                        r"tensor\(\[\[27\., 27\.\],\n        \[27\., 27\.\]\], "
                        r"grad_fn=<MulBackward0>\)\ntensor\(27\., grad_fn=<MeanBackward0>\)\n",
                        t001[5]), t001[5]
    assert re.fullmatch(r"False\ntensor\(.*\n.*requires_grad=True\)\nTrue\n"
                        r"<SumBackward0 object at 0x[0-9a-f]+>\n", t001[6]), t001[6]
    assert t001[9] == "True\nTrue\nFalse\n"
    t002 = [t for _, t in run_seed("002", "agrad")[:5]]
    assert t002[1] == "<class 'torch.FloatTensor'>\n"
    assert t002[3] == "torch.Size([64, 1000]) torch.Size([64, 10])\n"
    t003 = [t for _, t in run_seed("003", "agrad")]
    assert t003[1].endswith("tensor([0., 0., 0., 0., 0., 0.])\n")
    assert t003[0].endswith("tensor([[1., 1., 1.],\n        [1., 1., 1.]])\n")
    assert t003[4] == "tensor([[ 60.,  70.],\n        [160., 195.]])\n"
    assert t003[9] == "device(type='cpu')\n!! NameError\n"
    assert t003[13] == "tensor([[1, 2],\n        [3, 4]])\n"
    assert t003[15] == "tensor([0.3458, 0.4224, 0.2318])\n"
    assert t003[18] == "tensor(40.)\ntensor([36., 81.])\ntensor([-12.,  -8.])\n"
    assert t003[22] == "tensor([True, True])\ntensor([True, True])\n"
    t004 = [t for _, t in run_seed("004", "agrad")]
    assert "tensor([[6., 6.],\n        [6., 6.]])\nNone\n<PowBackward0 object at" in t004[0]
    assert "<SumBackward0 object at" in t004[0]
    assert t004[1] == "tensor([ 0.2000,  2.0000, 20.0000])\n"


def test_as_agrad_rewrites_only_imports():
    src = "import torch\nimport torch.nn.functional as F\nfrom torch.autograd import Variable\n" \
          "x = torch.ones(2)\n"
    out = as_agrad(src)
    assert out == ("import agrad as torch\nimport agrad.nn.functional as F\n"
                   "from agrad.autograd import Variable\nx = torch.ones(2)\n")
    assert sys.modules["torch"] is torch  # the runner never swaps modules
