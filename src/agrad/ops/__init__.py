"""Every op, once. Importing this package installs the Tensor methods and operators."""

from . import (  # noqa: F401 - import order matters: each module installs its methods
    creation,
    elementwise,
    views,
    reduction,
    conversion,
    indexing,
    shape_ops,
    linalg,
)
