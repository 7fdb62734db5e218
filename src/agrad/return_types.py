"""agrad.return_types: the named tuples ops return (`torch.return_types.max` ...).

Each is a tuple subclass with named fields, printed as PyTorch prints it, so
`values, indices = x.max(1)` and `x.max(1).indices` both work.
"""

from __future__ import annotations

from typing import Any

__all__ = ["aminmax", "max", "median", "min", "sort", "topk", "structseq", "linalg_slogdet",
           "slogdet", "linalg_eigh", "linalg_qr", "qr", "linalg_svd", "svd"]


class _StructSeq(tuple):
    """Base of the return types: a tuple whose fields also have names."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    n_fields = n_sequence_fields = 0

    def __new__(cls, *values: Any) -> Any:
        if len(values) != len(cls._fields):
            raise TypeError(f"torch.return_types.{cls.__name__} takes {len(cls._fields)} "
                            f"values, got {len(values)}")
        return tuple.__new__(cls, values)

    def __repr__(self) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{type(self).__name__}(\n{body})"

    def __reduce__(self) -> Any:
        return (type(self), tuple(self))


def structseq(name: str, *fields: str) -> type:
    """A return type named `name` with these fields."""
    ns: dict[str, Any] = {"__slots__": (), "_fields": fields, "n_fields": len(fields),
                          "n_sequence_fields": len(fields), "__module__": "agrad.return_types"}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, i=i: self[i])
    return type(name, (_StructSeq,), ns)


max = structseq("max", "values", "indices")  # noqa: A001 - PyTorch's names
min = structseq("min", "values", "indices")  # noqa: A001
median = structseq("median", "values", "indices")
sort = structseq("sort", "values", "indices")
topk = structseq("topk", "values", "indices")
aminmax = structseq("aminmax", "min", "max")
linalg_slogdet = structseq("linalg_slogdet", "sign", "logabsdet")
slogdet = structseq("slogdet", "sign", "logabsdet")
linalg_eigh = structseq("linalg_eigh", "eigenvalues", "eigenvectors")
linalg_qr = structseq("linalg_qr", "Q", "R")
qr = structseq("qr", "Q", "R")
linalg_svd = structseq("linalg_svd", "U", "S", "Vh")
svd = structseq("svd", "U", "S", "V")
