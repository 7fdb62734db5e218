"""Anomaly mode against PyTorch's: the switches (`set_detect_anomaly`, `detect_anomaly`,
`is_anomaly_enabled`), the forward stack each node keeps while it is on, the warning naming the
forward call of a failing backward, and the NaN check — with PyTorch's messages."""

from __future__ import annotations

import re
import warnings

import pytest
from _oracle import outcome, torch

import agrad
from agrad.autograd import anomaly_mode
from agrad.autograd.graph import Node

_INTERNAL = re.compile(r" \(Triggered internally at [^)]*\.\)$")


@pytest.fixture(autouse=True)
def _off():
    """Every test leaves the (global) mode off in both libraries."""
    yield
    agrad.autograd.set_detect_anomaly(False)
    torch.autograd.set_detect_anomaly(False)


def _caught(fn):
    """(outcome of fn, the UserWarnings it gave, without PyTorch's C++ location suffix)."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = outcome(fn)
    return r, [_INTERNAL.sub("", str(x.message)) for x in w if x.category is UserWarning]


def test_switches_as_pytorchs():
    def run(lib):
        a = lib.autograd
        seen = [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
        s = a.set_detect_anomaly(True, check_nan=False)
        seen += [type(s).__name__, lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
        with a.set_detect_anomaly(False):
            seen.append(lib.is_anomaly_enabled())
        seen += [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
        a.set_detect_anomaly(False)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            d = a.detect_anomaly()
            seen.append([str(x.message) for x in w])
        seen.append(lib.is_anomaly_enabled())  # made, not entered: still off
        with d:
            seen += [lib.is_anomaly_enabled(), lib.is_anomaly_check_nan_enabled()]
        seen.append(lib.is_anomaly_enabled())
        lib.set_anomaly_enabled(True)
        seen.append(lib.is_anomaly_enabled())
        lib.set_anomaly_enabled(False)
        return seen
    assert run(agrad) == run(torch)


def test_restored_after_an_error_in_the_block():
    with pytest.raises(KeyError), agrad.autograd.set_detect_anomaly(True):
        raise KeyError
    assert not agrad.is_anomaly_enabled()
    assert Node.__init__ is anomaly_mode._plain_init  # the recording constructor is gone


def test_the_forward_stack_is_kept_only_while_on():
    x = agrad.tensor([1.0, 2.0], requires_grad=True)
    assert (x * 2).grad_fn.metadata == {}
    with agrad.autograd.set_detect_anomaly(True):
        y = x * 2  # the line the stack ends at
        z = y[0]  # a view's node too
    stack = y.grad_fn.metadata["traceback_"]
    assert isinstance(stack, list) and "y = x * 2  # the line the stack ends at" in stack[-1]
    assert "test_anomaly.py" in stack[-1]
    assert not any("/src/agrad/" in f for f in stack)  # agrad's own frames are left out
    assert "z = y[0]" in z.grad_fn.metadata["traceback_"][-1]
    assert (x * 2).grad_fn.metadata == {}


def _bad(lib):
    class Bad(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            raise ValueError("boom")
    return Bad


def test_failing_backward_names_the_forward_call():
    def run(lib):
        bad = _bad(lib)
        with lib.autograd.detect_anomaly():
            x = lib.tensor([1.0, 0.0], requires_grad=True)
            y = bad.apply(x).sum()  # the forward call
            return _caught(y.backward)
    (ra, wa), (rt, wt) = run(agrad), run(torch)
    assert ra == rt == (ValueError, "boom")
    head = "Error detected in BadBackward. Traceback of forward call that caused the error:\n"
    assert len(wa) == len(wt) == 1 and wa[0].startswith(head) and wt[0].startswith(head)
    # the stack ends at the user's line (PyTorch's shows its Function.apply frame after it)
    assert "y = bad.apply(x).sum()  # the forward call" in wa[0].splitlines()[-1]
    assert "y = bad.apply(x).sum()  # the forward call" in wt[0]


def test_node_made_before_the_mode_was_on():
    def run(lib):
        x = lib.tensor([1.0, 0.0], requires_grad=True)
        y = (x / x).sum()
        with lib.autograd.set_detect_anomaly(True):
            return _caught(y.backward)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy's 0/0 warning in the forward
        assert run(agrad) == run(torch)


@pytest.mark.parametrize("check_nan", [True, False])
def test_nan_check(check_nan):
    """A node whose backward returns NaN: PyTorch's RuntimeError naming the output, with the
    forward call's warning; nothing with check_nan=False."""
    def run(lib):
        with lib.autograd.set_detect_anomaly(True, check_nan=check_nan):
            x = lib.tensor([1.0, 0.0], requires_grad=True)
            y = (x / x).sum()
            r, w = _caught(y.backward)
            return r, [m.splitlines()[0] for m in w], x.grad.tolist() if r is None else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, t = run(agrad), run(torch)
    assert a[0] == t[0] and a[1] == t[1]
    if not check_nan:
        assert str(a[2]) == str(t[2])  # the NaN gradient itself


def test_nan_in_the_first_output_and_through_a_view():
    def run(lib):
        with lib.autograd.set_detect_anomaly(True):
            x = lib.tensor([-1.0, 4.0], requires_grad=True)
            b = x * 1
            b[0:1].sqrt_()  # sqrt(-1): NaN, through CopySlices
            return outcome(b.sum().backward)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert run(agrad) == run(torch)


def test_off_checks_nothing():
    x = agrad.tensor([1.0, 0.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no anomaly warning either
        warnings.simplefilter("ignore", RuntimeWarning)
        (x / x).sum().backward()
    assert agrad.isnan(x.grad).any()
