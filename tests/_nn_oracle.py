"""Helpers for the nn / optim differential tests: the same module in agrad and torch with the
same weights, forward + backward compared, and the same code run against both libraries to
compare what it raises."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is the oracle for differential tests; "
                                            "install torch==2.13.0")

from _oracle import outcome, same_outcome  # noqa: E402,F401 - shared with the core tests

import agrad  # noqa: E402


def to_np(t) -> np.ndarray:
    """Host values of an agrad or torch tensor (detached)."""
    return np.asarray(t.detach().tolist())


def copy_state(agrad_module, torch_module) -> None:
    """Load torch_module's parameters and buffers into agrad_module (same keys, in place)."""
    state = {k: agrad.tensor(v.detach().numpy().copy()) for k, v in
             torch_module.state_dict().items()}
    agrad_module.load_state_dict(state)


def close(a, t, atol=1e-6, rtol=1e-6, msg="") -> None:
    np.testing.assert_allclose(to_np(a), to_np(t), atol=atol, rtol=rtol, err_msg=msg)


def run_both(build_and_run):
    """build_and_run(lib) with lib = (agrad, agrad.nn) then (torch, torch.nn); returns both."""
    import agrad.nn as ann

    return build_and_run(agrad, ann), build_and_run(torch, torch.nn)


def forward_backward(am, tm, *arrays, grad_inputs=True, atol=1e-6, rtol=1e-6, seed=0):
    """Run both modules on the same float inputs; compare outputs, then the gradients of
    sum(out * w) w.r.t. the floating inputs and every parameter."""
    ai, ti = [], []
    for arr in arrays:
        arr = np.asarray(arr)
        want = grad_inputs and arr.dtype.kind == "f"
        ai.append(agrad.tensor(arr.copy(), requires_grad=want))
        ti.append(torch.tensor(arr.copy(), requires_grad=want))
    oa, ot = am(*ai), tm(*ti)
    assert tuple(oa.shape) == tuple(ot.shape)
    assert str(oa.dtype) == str(ot.dtype)
    close(oa, ot, atol, rtol, "forward")
    w = np.random.default_rng(seed).standard_normal(tuple(ot.shape))
    (oa * agrad.tensor(w, dtype=oa.dtype)).sum().backward()
    (ot * torch.tensor(w, dtype=ot.dtype)).sum().backward()
    for i, (a, t) in enumerate(zip(ai, ti)):
        if t.requires_grad:
            close(a.grad, t.grad, atol * 10, rtol * 10, f"grad of input {i}")
    tp = dict(tm.named_parameters())
    for name, p in am.named_parameters():
        if tp[name].grad is None:
            assert p.grad is None, name
        else:
            close(p.grad, tp[name].grad, atol * 10, rtol * 10, f"grad of {name}")
    return oa, ot
