"""default_collate: a list of samples -> one batch, by PyTorch's rules: tensors are stacked
(a new leading dim), numbers become a tensor (float64 for floats, int64 for ints), strings
stay a list, and mappings, named tuples and sequences are collated field by field (a tuple
of fields comes back as a list, as in PyTorch)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..._tensor import Tensor

__all__ = ["default_collate", "default_convert"]

_ERR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        "found {}")


def _is_numpy(obj: Any) -> bool:
    return type(obj).__module__ == "numpy" and hasattr(obj, "dtype")


def default_collate(batch: Sequence[Any]) -> Any:
    """A batch from a list of samples: tensors stacked along a new first dim, numbers made tensors,
    and tuples, lists and dicts collated field by field, as PyTorch's.

    Examples:
        >>> from agrad.utils.data import default_collate
        >>> default_collate([(torch.tensor([1., 2.]), 0), (torch.tensor([3., 4.]), 1)])
        [tensor([[1., 2.],
                [3., 4.]]), tensor([0, 1])]
    """
    import agrad

    elem = batch[0]
    elem_type = type(elem)
    if isinstance(elem, Tensor):
        return agrad.stack(list(batch), 0)
    if _is_numpy(elem):
        if getattr(elem.dtype, "kind", "") in ("U", "S", "O"):
            raise TypeError(_ERR.format(elem.dtype))
        # each element converted alone keeps its NumPy dtype (a list of NumPy scalars would be
        # inferred as the default float dtype)
        return agrad.stack([agrad.as_tensor(b) for b in batch], 0)
    if isinstance(elem, float):
        return agrad.tensor(list(batch), dtype=agrad.float64)
    if isinstance(elem, int):
        return agrad.tensor(list(batch))
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, Mapping):
        fields = {key: default_collate([d[key] for d in batch]) for key in elem}
        try:
            return elem_type(fields)
        except TypeError:
            return fields
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return elem_type(*(default_collate(list(s)) for s in zip(*batch)))
    if isinstance(elem, Sequence):
        size = len(elem)
        if any(len(e) != size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(list(s)) for s in zip(*batch)]
        if isinstance(elem, tuple):
            return columns
        try:
            return elem_type(columns)
        except TypeError:
            return columns
    raise TypeError(_ERR.format(elem_type))


def default_convert(data: Any) -> Any:
    """One un-batched sample: NumPy arrays become tensors, containers are converted inside.

    Examples:
        >>> import numpy as np
        >>> from agrad.utils.data import default_convert
        >>> default_convert({"x": np.array([1., 2.])})
        {'x': tensor([1., 2.], dtype=torch.float64)}
    """
    import agrad

    if isinstance(data, Tensor):
        return data
    if _is_numpy(data):
        if getattr(data.dtype, "kind", "") in ("U", "S", "O"):
            return data
        return agrad.as_tensor(data)
    if isinstance(data, Mapping):
        try:
            return type(data)({k: default_convert(v) for k, v in data.items()})
        except TypeError:
            return {k: default_convert(v) for k, v in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        try:
            return type(data)([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data
