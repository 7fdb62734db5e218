"""Grad modes, thread-local as in PyTorch: a new thread starts with gradients enabled."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _State(threading.local):
    def __init__(self) -> None:
        self.enabled = True
        self.inference = False


state = _State()


def is_grad_enabled() -> bool:
    """Whether operations are recorded by autograd now (False inside `no_grad`).

    Examples:
        >>> with torch.no_grad():
        ...     torch.is_grad_enabled()
        False
    """
    return state.enabled


def is_inference_mode_enabled() -> bool:
    """Whether `inference_mode` is active now.

    Examples:
        >>> torch.is_inference_mode_enabled()
        False
    """
    return state.inference


class _Mode:
    """Context manager and decorator, like torch's _DecoratorContextManager."""

    def _enter(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> None:
        self._saved = (state.enabled, state.inference)
        self._enter()

    def __exit__(self, *exc: object) -> None:
        state.enabled, state.inference = self._saved

    def clone(self) -> _Mode:
        return self.__class__()

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.clone():
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_Mode):  # noqa: N801
    """Ops record no graph inside; results do not require grad.

    A context manager and a decorator; thread-local, as PyTorch's. Use it for evaluation and for
    updating parameters by hand.

    Examples:
        >>> x = torch.ones(2, requires_grad=True)
        >>> with torch.no_grad():
        ...     (x ** 2).requires_grad
        False
    """

    def __init__(self, orig_func: Callable | None = None) -> None:
        if orig_func is not None and callable(orig_func):
            raise TypeError("no_grad() takes no function argument; use @no_grad() or @no_grad")

    def __new__(cls, orig_func: Callable | None = None):
        # `@no_grad` (without parentheses) works in PyTorch too
        if orig_func is not None and callable(orig_func):
            return cls()(orig_func)
        return super().__new__(cls)

    def _enter(self) -> None:
        state.enabled = False


class enable_grad(_Mode):  # noqa: N801
    """Re-enables recording inside a `no_grad` block (a context manager and a decorator).

    Examples:
        >>> x = torch.ones(1, requires_grad=True)
        >>> with torch.no_grad():
        ...     with torch.enable_grad():
        ...         (x * 2).requires_grad
        True
    """
    def __new__(cls, orig_func: Callable | None = None):
        if orig_func is not None and callable(orig_func):
            return cls()(orig_func)
        return super().__new__(cls)

    def __init__(self, orig_func: Callable | None = None) -> None:
        pass

    def _enter(self) -> None:
        state.enabled = True


class set_grad_enabled(_Mode):  # noqa: N801
    """Takes effect on construction too, so `set_grad_enabled(False)` works as a statement.

    Examples:
        >>> x = torch.ones(1, requires_grad=True)
        >>> with torch.set_grad_enabled(False):
        ...     (x * 2).requires_grad
        False
    """

    def __init__(self, mode: bool) -> None:
        self._saved = (state.enabled, state.inference)
        self.mode = bool(mode)
        state.enabled = self.mode

    def __enter__(self) -> None:
        pass

    def __call__(self, fn: F) -> F:
        # used as a decorator: construction switched the mode; switch it back, and apply the
        # mode around each call instead
        state.enabled, state.inference = self._saved
        return _Mode.__call__(self, fn)

    def clone(self) -> set_grad_enabled:
        return _SetGrad(self.mode)

    def _enter(self) -> None:
        state.enabled = self.mode


class _SetGrad(_Mode):
    def __init__(self, mode: bool) -> None:
        self.mode = mode

    def _enter(self) -> None:
        state.enabled = self.mode


class inference_mode(_Mode):  # noqa: N801
    """Like no_grad; tensors made inside are inference tensors (no graph, no version checks).

    Examples:
        >>> with torch.inference_mode():
        ...     torch.ones(1, requires_grad=True).mul(2).requires_grad
        False
    """

    def __new__(cls, mode: Any = True):
        if callable(mode) and not isinstance(mode, bool):
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: Any = True) -> None:
        self.mode = bool(mode) if not callable(mode) else True

    def clone(self) -> inference_mode:
        return inference_mode(self.mode)

    def _enter(self) -> None:
        if self.mode:
            state.enabled = False
            state.inference = True
        else:
            state.inference = False
