"""The op table: every op declared once, in the family modules below (each row an `Op`).

Importing this package declares the rows; `agrad._tensor` binds their methods and operators on
Tensor, and `agrad` exports their functions (`functions("agrad")`).
"""

from . import (  # noqa: F401 - importing a family declares its rows
    array_api,
    conversion,
    creation,
    decompositions,
    elementwise,
    fft,
    index_ops,
    indexing,
    linalg,
    reduction,
    shape_ops,
    unique,
    views,
)
from ._op import TABLE, Op
from ._variants import functions

__all__ = ["TABLE", "Op", "functions"]
