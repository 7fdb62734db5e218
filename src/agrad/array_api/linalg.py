"""The Array API `linalg` extension over agrad tensors: the rows of the namespace
"agrad.array_api.linalg", adapters onto `agrad.linalg`'s (differentiable) rows."""

from __future__ import annotations

from ..ops._variants import array_api_functions as _functions

globals().update(_functions("agrad.array_api.linalg"))

del annotations, _functions
