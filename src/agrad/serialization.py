"""agrad.save / agrad.load: tensors and nested containers of them (state dicts, optimizer and
scheduler states) in a file format that never executes code when read.

Format: one safetensors file (https://github.com/huggingface/safetensors: an 8-byte header
length, a JSON header, raw little-endian tensor bytes). The tensors are stored as "t0", "t1",
... and the object's structure is a JSON manifest in the header's metadata:

    __metadata__ = {"format": "agrad", "agrad_format_version": "1", "manifest": <json>}

The manifest encodes the object tree: JSON numbers, strings, booleans and null stand for
themselves; everything else is a one-key object:

    {"tensor": "t0", "device": "cpu", "requires_grad": false, "parameter": false}
    {"list": [...]}   {"tuple": [...]}   {"float": "nan" | "inf" | "-inf"}   {"dtype": "float32"}
    {"dict": [[key, value], ...], "type": "dict" | "OrderedDict" | "Counter",
     "metadata": <manifest of a state_dict's _metadata>}       (keys may be ints, tuples, ...)

A tensor object referenced twice is stored once and loads as one object again. Loading reads
the JSON and the raw bytes only; a pickle or a PyTorch .pt archive is refused with an error
saying what the file is. A plain safetensors file (without agrad's manifest) loads as a dict
of its tensors.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter, OrderedDict
from typing import Any

from . import dtypes as D
from ._tensor import Tensor

__all__ = ["save", "load"]

FORMAT = "agrad"
FORMAT_VERSION = "1"
_DICT_TYPES: dict[str, type] = {"dict": dict, "OrderedDict": OrderedDict, "Counter": Counter}


def _safetensors() -> Any:
    try:
        import safetensors.numpy as st
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise RuntimeError("agrad.save/agrad.load need the 'safetensors' package: pip install "
                           "safetensors") from e
    return st


# -- writing -------------------------------------------------------------------------------------

class _Encoder:
    def __init__(self) -> None:
        self.arrays: dict[str, Any] = {}
        self.seen: dict[int, str] = {}

    def encode(self, obj: Any) -> Any:
        if obj is None or isinstance(obj, (bool, int, str)):
            return obj
        if isinstance(obj, float):
            return obj if math.isfinite(obj) else {"float": repr(obj)}
        if isinstance(obj, Tensor):
            return self._tensor(obj)
        if isinstance(obj, D.dtype):
            return {"dtype": obj.name}
        if isinstance(obj, dict):
            kind = type(obj).__name__ if type(obj).__name__ in _DICT_TYPES else "dict"
            if type(obj) not in (dict, OrderedDict, Counter):
                _refuse(obj)
            out: dict[str, Any] = {"dict": [[self.encode(k), self.encode(v)]
                                            for k, v in obj.items()], "type": kind}
            meta = getattr(obj, "_metadata", None)
            if meta is not None:
                out["metadata"] = self.encode(meta)
            return out
        if isinstance(obj, list):
            return {"list": [self.encode(v) for v in obj]}
        if isinstance(obj, tuple) and (type(obj) is tuple or type(obj).__name__ == "Size"):
            return {"tuple": [self.encode(v) for v in obj]}
        _refuse(obj)

    def _tensor(self, t: Tensor) -> dict[str, Any]:
        name = self.seen.get(id(t))
        if name is None:
            name = f"t{len(self.arrays)}"
            self.seen[id(t)] = name
            host = t.detach().numpy(force=True)
            if not host.flags.c_contiguous:  # safetensors copies raw memory from the pointer
                host = host.copy(order="C")
            self.arrays[name] = host
        from .nn.parameter import Parameter

        return {"tensor": name, "device": str(t.device), "requires_grad": t.requires_grad,
                "parameter": isinstance(t, Parameter)}


def _refuse(obj: Any) -> None:
    raise TypeError(f"agrad.save cannot store an object of type {type(obj).__name__}: it stores "
                    f"tensors, numbers, strings, None, and dicts, lists and tuples of them (save "
                    f"a module's state_dict(), not the module)")


def save(obj: Any, f: Any) -> None:
    """Write `obj` (a tensor, or nested dicts/lists/tuples of tensors and plain values) to the
    path or binary file `f`.

    The file is a safetensors file whose metadata holds the structure as JSON: loading it never
    runs code (no pickle). Saving a `Module` itself is refused: save its `state_dict()`.

    Examples:
        >>> import io
        >>> f = io.BytesIO()
        >>> torch.save({"w": torch.ones(2), "step": 3}, f)
        >>> _ = f.seek(0)
        >>> torch.load(f)
        {'w': tensor([1., 1.]), 'step': 3}
    """
    enc = _Encoder()
    manifest = enc.encode(obj)
    metadata = {"format": FORMAT, "agrad_format_version": FORMAT_VERSION,
                "manifest": json.dumps(manifest, allow_nan=False)}
    data = _safetensors().save(enc.arrays, metadata=metadata)
    if hasattr(f, "write"):
        f.write(data)
    else:
        with open(os.fspath(f), "wb") as fh:
            fh.write(data)


# -- reading -------------------------------------------------------------------------------------

def _read_bytes(f: Any) -> bytes:
    if hasattr(f, "read"):
        return f.read()
    with open(os.fspath(f), "rb") as fh:
        return fh.read()


def _what_is(data: bytes) -> str | None:
    """A description of a file that is not safetensors, or None if it may be one."""
    if data[:4] == b"PK\x03\x04":
        return "a zip archive (a PyTorch .pt/.pth file from torch.save?)"
    if data[:1] == b"\x80" and len(data) > 1 and 2 <= data[1] <= 5:
        return "a pickle (a torch.save file in the legacy format, or pickle.dump output?)"
    if len(data) < 8:
        return "too short to be a safetensors file"
    n = int.from_bytes(data[:8], "little")
    if n <= 0 or 8 + n > len(data) or data[8:9] != b"{":
        return "not a safetensors file (no JSON header after the 8-byte length)"
    return None


def load(f: Any, map_location: Any = None, weights_only: bool = True) -> Any:
    """Read what `save` wrote. Tensors return to the device they were saved from, or to
    `map_location` (a device, a device string, or a dict {saved device: new device}).
    `weights_only` is accepted for PyTorch compatibility: agrad only ever loads data.

    Examples:
        >>> import io
        >>> f = io.BytesIO()
        >>> torch.save([torch.arange(3)], f)
        >>> _ = f.seek(0)
        >>> torch.load(f, map_location="cpu")
        [tensor([0, 1, 2])]
    """
    data = _read_bytes(f)
    what = _what_is(data)
    if what is not None:
        raise RuntimeError(f"agrad.load: the file is {what}. agrad.load reads only the "
                           f"safetensors format written by agrad.save, and never unpickles; "
                           f"convert the file with PyTorch (e.g. save its state_dict with "
                           f"safetensors) first.")
    n = int.from_bytes(data[:8], "little")
    try:
        header = json.loads(data[8:8 + n])
    except ValueError as e:
        raise RuntimeError(f"agrad.load: the file's safetensors header is not valid JSON "
                           f"({e})") from None
    meta = header.get("__metadata__") or {}
    arrays = _safetensors().load(data)
    if meta.get("format") != FORMAT:
        return {name: _to_tensor(arr, "cpu", False, False, map_location)
                for name, arr in arrays.items()}
    if meta.get("agrad_format_version") != FORMAT_VERSION:
        raise RuntimeError(f"agrad.load: unsupported agrad format version "
                           f"{meta.get('agrad_format_version')!r} (this agrad reads version "
                           f"{FORMAT_VERSION})")
    return _Decoder(arrays, map_location).decode(json.loads(meta["manifest"]))


def _target_device(saved: str, map_location: Any) -> Any:
    if map_location is None:
        return saved
    if isinstance(map_location, dict):
        return map_location.get(saved, saved)
    return map_location


def _to_tensor(arr: Any, device: str, requires_grad: bool, parameter: bool,
               map_location: Any) -> Tensor:
    import agrad

    t = agrad.from_numpy(arr).to(_target_device(device, map_location))
    if parameter:
        from .nn.parameter import Parameter

        return Parameter(t, requires_grad)
    if requires_grad:
        t.requires_grad_(True)
    return t


class _Decoder:
    def __init__(self, arrays: dict[str, Any], map_location: Any) -> None:
        self.arrays = arrays
        self.map_location = map_location
        self.tensors: dict[str, Tensor] = {}

    def decode(self, node: Any) -> Any:
        if not isinstance(node, (dict, list)):
            return node
        if isinstance(node, list):  # never written; tolerate a bare JSON list as a list
            return [self.decode(v) for v in node]
        if "tensor" in node:
            name = node["tensor"]
            if name not in self.tensors:
                if name not in self.arrays:
                    raise RuntimeError(f"agrad.load: the manifest names tensor {name!r}, which "
                                       f"the file does not contain")
                self.tensors[name] = _to_tensor(self.arrays[name], node["device"],
                                                node["requires_grad"], node["parameter"],
                                                self.map_location)
            return self.tensors[name]
        if "list" in node:
            return [self.decode(v) for v in node["list"]]
        if "tuple" in node:
            return tuple(self.decode(v) for v in node["tuple"])
        if "float" in node:
            return float(node["float"])
        if "dtype" in node:
            return D.BY_NAME[node["dtype"]]
        if "dict" in node:
            cls = _DICT_TYPES.get(node.get("type", "dict"), dict)
            out = cls()
            for k, v in node["dict"]:
                out[_hashable(self.decode(k))] = self.decode(v)
            if "metadata" in node:
                out._metadata = self.decode(node["metadata"])
            return out
        raise RuntimeError(f"agrad.load: unknown manifest entry {sorted(node)}")


def _hashable(key: Any) -> Any:
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key

