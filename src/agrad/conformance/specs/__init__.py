"""The spec registry: one module per family of the op table; importing this package fills
`agrad.conformance.spec.SPECS`."""

from . import creation, elementwise, functional, indexing, linalg, reduction, shape_ops, views  # noqa: F401
