"""agrad.linalg: PyTorch's torch.linalg (differentiable), made of the op table's rows in the
"agrad.linalg" namespace (`agrad.ops.decompositions`). The Array API namespace's `linalg`
extension uses the same rows."""

from __future__ import annotations

from ..ops import functions as _functions

globals().update(_functions("agrad.linalg"))

del annotations, _functions
