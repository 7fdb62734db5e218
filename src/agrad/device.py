"""agrad.device: PyTorch's device object. A device type names a backend (see `agrad.config`)."""

from __future__ import annotations

import re
from typing import Any

# the shapes PyTorch's device-string parser accepts ("cuda:1"); agrad's own device types (a
# module name such as "jax.numpy" for a namespace loaded by name) are accepted as they are
_TYPE = re.compile(r"[a-zA-Z_]+")
_INDEX = re.compile(r"[1-9][0-9]*|0")


class device:  # noqa: N801 - PyTorch's public name
    """`device('cuda:1')`, `device('cuda', 1)`, `device('cpu')`, `device('dask')`.

    A device type names a backend: "cpu" (NumPy), "cuda" (CuPy), "dask", "strict"
    (array-api-strict), or a generic backend's module name.

    Examples:
        >>> torch.device("cuda:1"), torch.device("dask").type
        (device(type='cuda', index=1), 'dask')
    """

    __slots__ = ("type", "index")

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            if index is not None:
                raise TypeError("device(): a device object takes no index")
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int) and not isinstance(type, bool):
            # PyTorch reads a bare ordinal as the accelerator's; here that is CUDA
            from . import cuda

            if not cuda.is_available():
                raise RuntimeError("Cannot access accelerator device when none is available.")
            type, index = "cuda", type
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments: expected a "
                            f"string or device, got {type.__class__.__name__}")
        if not type:
            raise RuntimeError("Device string must not be empty")
        text = type
        if ":" in text:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was "
                                   f"passed explicitly: {text}")
            text, _, idx = text.partition(":")
            if not _INDEX.fullmatch(idx):
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(idx)
        from .config import known_device_types, public_device_types

        if text not in known_device_types():
            if not _TYPE.fullmatch(text):  # PyTorch's parser: no device type looks like this
                raise RuntimeError(f"Invalid device string: '{type}'")
            # PyTorch's message, listing agrad's device types: the public ones only (a test
            # backend's is accepted, not advertised)
            raise RuntimeError(f"Expected one of {', '.join(public_device_types())} device type "
                               f"at start of device string: {type}")
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self.type, self.index = text, index

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = device(other)
            except RuntimeError:
                return False
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __reduce__(self):
        return (device, (self.type, self.index))
