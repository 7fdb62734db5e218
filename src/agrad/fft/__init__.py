"""agrad.fft: PyTorch's torch.fft (differentiable), made of the op table's rows in the
"agrad.fft" namespace (`agrad.ops.fft`). The Array API namespace's `fft` extension uses the
same rows."""

from __future__ import annotations

from ..ops import functions as _functions

globals().update(_functions("agrad.fft"))

del annotations, _functions
