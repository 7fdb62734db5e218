"""The spec registry: one module per family of the op table; importing this package fills
`agrad.conformance.spec.SPECS`."""

from . import (  # noqa: F401
    array_api,
    array_api_ext,
    creation,
    decompositions,
    elementwise,
    fft,
    functional,
    index_ops,
    indexing,
    linalg,
    reduction,
    shape_ops,
    unique,
    views,
)
