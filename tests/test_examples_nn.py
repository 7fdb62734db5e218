"""The nn/optim examples print what PyTorch prints when the same script runs with `import torch`
from the same initial weights and data.

Each script runs twice in this process: as written (agrad), recording every random draw
(`randn`/`rand`) and every initialisation fill (`nn.init.uniform_`/`normal_`); then with its
imports rewritten to torch, replaying those values in the same order (torch's layers call
`nn.init.kaiming_uniform_`/`uniform_`/`normal_`, each replaced by a copy of the next recorded
fill). The two outputs must have the same lines, reprs verbatim and numbers to float32
rounding."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from _nn_oracle import torch

import agrad
import agrad.nn.init as ainit

pytestmark = [pytest.mark.torch, pytest.mark.backends("numpy")]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?|-?\d+(?:e[-+]?\d+)?")


def _exec(source: str, path: Path, argv: list[str]) -> str:
    out = io.StringIO()
    old_argv = sys.argv
    sys.argv = [str(path), *argv]
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, str(path), "exec"), {"__name__": "__main__"})
    finally:
        sys.argv = old_argv
    return out.getvalue()


def run_agrad(path: Path, argv: list[str], monkeypatch) -> tuple[str, list, list]:
    draws, fills = [], []
    inside_init = [False]

    def recording_draw(fn):
        def draw(*args, **kwargs):
            t = fn(*args, **kwargs)
            if not inside_init[0]:
                draws.append(np.asarray(t.tolist()))
            return t
        return draw

    def recording_fill(fn):
        def fill(tensor, *args, **kwargs):
            inside_init[0] = True
            try:
                out = fn(tensor, *args, **kwargs)
            finally:
                inside_init[0] = False
            fills.append(np.asarray(tensor.tolist()))
            return out
        return fill

    for name in ("randn", "rand"):
        monkeypatch.setattr(agrad, name, recording_draw(getattr(agrad, name)))
    for name in ("uniform_", "normal_"):
        monkeypatch.setattr(ainit, name, recording_fill(getattr(ainit, name)))
    text = _exec(path.read_text(), path, argv)
    monkeypatch.undo()
    return text, draws, fills


def run_torch(path: Path, argv: list[str], draws: list, fills: list, monkeypatch) -> str:
    draws, fills = list(draws), list(fills)

    def replay_draw(*size, **kwargs):
        value = draws.pop(0)
        shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        assert value.shape == tuple(shape), (value.shape, shape)
        return torch.tensor(value, dtype=kwargs.get("dtype") or torch.float32)

    def replay_fill(tensor, *args, **kwargs):
        with torch.no_grad():
            return tensor.copy_(torch.tensor(fills.pop(0)))

    monkeypatch.setattr(torch, "randn", replay_draw)
    monkeypatch.setattr(torch, "rand", replay_draw)
    for name in ("kaiming_uniform_", "uniform_", "normal_"):
        monkeypatch.setattr(torch.nn.init, name, replay_fill)
    source = path.read_text().replace("import agrad as torch", "import torch") \
        .replace("from agrad.", "from torch.")
    text = _exec(source, path, argv)
    monkeypatch.undo()
    assert not draws and not fills, "the torch run drew fewer values than the agrad run"
    return text


def same_output(a: str, t: str, rtol: float) -> None:
    la, lt = a.splitlines(), t.splitlines()
    assert len(la) == len(lt), (a, t)
    for x, y in zip(la, lt):
        assert NUMBER.sub("#", x) == NUMBER.sub("#", y), (x, y)  # same text around the numbers
        nx = [float(v) for v in NUMBER.findall(x)]
        ny = [float(v) for v in NUMBER.findall(y)]
        np.testing.assert_allclose(nx, ny, rtol=rtol, atol=1e-6, err_msg=f"{x!r} vs {y!r}")


@pytest.mark.parametrize("script,argv,rtol", [
    # float32 sums over 2000 points round differently in NumPy and PyTorch; run in float64 the
    # same fit agrees to 1e-14, so the tolerance here is rounding drift over 600 RMSprop steps
    ("nn_polynomial.py", ["--steps", "600"], 2e-3),
    ("nn_custom_module.py", ["--steps", "300"], 2e-3),
    ("nn_classifier.py", ["--epochs", "10"], 1e-4),
])
def test_example_prints_what_pytorch_prints(script, argv, rtol, monkeypatch):
    path = EXAMPLES / script
    text, draws, fills = run_agrad(path, argv, monkeypatch)
    assert fills, "the script initialised no layer through agrad.nn.init"
    expected = run_torch(path, argv, draws, fills, monkeypatch)
    same_output(text, expected, rtol)
