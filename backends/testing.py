"""Test-only adapters.

`WritebackNumpyBackend` (name ``"numpy_writeback"``, device type ``"cpu_wb"``) is NumPy with the
capabilities switched off that let agrad write in place: ``mutable = False`` and
``views_alias = False``. Every write then goes through the functional write-back path
(`index_update` on the base, scattering through view chains) that immutable and lazy backends
rely on, while the values are NumPy's, so the core's tests can check that the write-back path
gives exactly the answers of the in-place path. It is not meant for users: its own device type
keeps it from being picked for ``cpu``, and ``public = False`` keeps it out of the names and
device types agrad's errors list.
"""

from __future__ import annotations

from typing import Any

from agrad.backends.numpy import NumpyBackend

__all__ = ["WritebackNumpyBackend"]


class WritebackNumpyBackend(NumpyBackend):
    name = "numpy_writeback"
    device_type = "cpu_wb"
    public = False
    mutable = False
    views_alias = False

    def aliases(self, view: Any, base: Any) -> bool:
        return False

    def write(self, target: Any, key: Any, value: Any) -> None:
        raise AssertionError("numpy_writeback is immutable: the core must not write in place")
