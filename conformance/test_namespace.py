"""Each backend's namespace provides every Array API function the core calls.

The list is read from the core's source (every `xp.<name>` it writes), so a new use of a
function a backend lacks fails here, by name, before it fails somewhere deep in an op."""

from __future__ import annotations

import pathlib
import re

import agrad

CORE = pathlib.Path(agrad.__file__).parent
USED = sorted({m.group(1) for p in CORE.rglob("*.py")
               for m in re.finditer(r"\bxp\.([a-z_][a-z0-9_]*)\b", p.read_text())})
# names the core only calls when the adapter says the capability is there, or guards itself
# (take_along_axis has a `take` fallback; from_dlpack is only the adapter default)
OPTIONAL = {"cumulative_prod", "linalg", "fft", "moveaxis", "take_along_axis", "from_dlpack"}


def test_core_uses_the_standard(backend):
    assert "add" not in USED or hasattr(backend.xp, "add")
    assert len(USED) > 20, USED  # the scan found the core's calls


def test_namespace_has_what_the_core_calls(backend):
    missing = [n for n in USED if n not in OPTIONAL and not hasattr(backend.xp, n)]
    assert not missing, f"{backend.name} lacks {missing}"


def test_dtype_tables_cover_the_standard_dtypes(backend):
    for d in (agrad.bool, agrad.int8, agrad.int16, agrad.int32, agrad.int64, agrad.uint8,
              agrad.float32, agrad.float64, agrad.complex64, agrad.complex128):
        assert d in backend.dtypes, f"{backend.name} has no {d}"
        arr = backend.xp.zeros((1,), dtype=backend.dtypes[d])
        assert backend.dtype_of(arr) is d
