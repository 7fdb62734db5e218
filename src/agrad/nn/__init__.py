"""agrad.nn: the functional API (`agrad.nn.functional`)."""

from . import functional  # noqa: F401
