"""Anomaly mode: `detect_anomaly()`, `set_detect_anomaly(mode, check_nan=True)`,
`is_anomaly_enabled()` — PyTorch's debugging aid for a failing backward.

While it is on, every graph node records the stack of the forward call that made it
(`node.metadata["traceback_"]`, as PyTorch's); when a node's backward then fails, the engine
warns "Error detected in XBackward0. Traceback of forward call that caused the error: ..." with
that stack before the error propagates, and with `check_nan` a node whose backward returns NaN
raises "Function 'XBackward0' returned nan values in its 0th output.".

Off, it costs nothing: recording is done by swapping the node constructor (`Node.__init__`,
which otherwise only numbers the node) while the mode is on, and the engine reads the flags
once per backward. Like PyTorch's, the mode is global (not per thread).
"""

from __future__ import annotations

import os
import traceback
import warnings
from typing import Any

from .graph import Node

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "is_anomaly_check_nan_enabled", "set_anomaly_enabled"]

_enabled = False
_check_nan = True  # PyTorch's default, read only while the mode is on
_plain_init = Node.__init__
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # src/agrad


def _recording_init(self: Node) -> None:
    """Node.__init__ while anomaly mode is on: keep the forward's stack, up to the user's call
    (agrad's own frames, the op's dispatch, are left out)."""
    _plain_init(self)
    frames = traceback.extract_stack()
    end = len(frames)
    while end and frames[end - 1].filename.startswith(_PACKAGE):
        end -= 1
    self.metadata["traceback_"] = traceback.format_list(frames[:end])


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    """PyTorch's `torch.set_anomaly_enabled`: switch the mode (and its NaN check).

    Examples:
        >>> torch.set_anomaly_enabled(True)
        >>> torch.is_anomaly_enabled()
        True
        >>> torch.set_anomaly_enabled(False)
    """
    global _enabled, _check_nan
    _enabled, _check_nan = bool(enabled), bool(check_nan)
    Node.__init__ = _recording_init if _enabled else _plain_init  # type: ignore[method-assign]


def is_anomaly_enabled() -> bool:
    """Whether anomaly detection is on (`torch.autograd.set_detect_anomaly`).

    Examples:
        >>> torch.is_anomaly_enabled()
        False
    """
    return _enabled


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly detection also checks every backward node's output for NaN.

    Examples:
        >>> torch.is_anomaly_check_nan_enabled()
        True
    """
    return _check_nan


def checks_nan() -> bool:
    """Whether a backward now checks its nodes' gradients for NaN (asked once per backward)."""
    return _enabled and _check_nan


class detect_anomaly:  # noqa: N801 - PyTorch's public name
    """`with agrad.autograd.detect_anomaly():` — the mode on inside the block (PyTorch's
    warning that it slows things down, when made).

    Examples:
        >>> with torch.autograd.detect_anomaly():
        ...     x = torch.tensor([1.], requires_grad=True)
        ...     (x * 2).backward()
        >>> x.grad
        tensor([2.])
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.prev = _enabled
        self.check_nan = check_nan
        self.prev_check_nan = _check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", UserWarning, stacklevel=2)

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


class set_detect_anomaly:  # noqa: N801 - PyTorch's public name
    """`set_detect_anomaly(True)` switches the mode now; as a context manager, the previous
    state comes back at the end of the block.

    Examples:
        >>> _ = torch.autograd.set_detect_anomaly(True)
        >>> torch.is_anomaly_enabled()
        True
        >>> _ = torch.autograd.set_detect_anomaly(False)
        >>> torch.is_anomaly_enabled()
        False
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = _enabled
        self.prev_check_nan = _check_nan
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


def report(node: Any) -> None:
    """The engine's warning for a node whose backward failed: the forward call that made it."""
    stack = node.metadata.get("traceback_") if node is not None else None
    name = node.name() if node is not None else "the backward"
    if stack is None:
        warnings.warn(f"Error detected in {name}. No forward pass information available. Enable "
                      f"detect anomaly during forward pass for more information.", UserWarning,
                      stacklevel=4)
        return
    warnings.warn(f"Error detected in {name}. Traceback of forward call that caused the "
                  f"error:\n{''.join(stack)}", UserWarning, stacklevel=4)


def check_nan(node: Any, grads: Any) -> None:
    """PyTorch's RuntimeError for a node whose backward returned NaN (the first such output)."""
    for i, g in enumerate(grads):
        if g is not None and bool(g.isnan().any()):
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th "
                               f"output.")
