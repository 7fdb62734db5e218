"""The `backend` fixture (every test once per backend) lives in the root conftest.py, shared
with the conformance suite."""

import os

# SciPy decides at import whether it dispatches on the Array API (scikit-learn's
# array_api_dispatch needs it too); set here, before any test module imports SciPy, as a user
# sets it before starting Python. tests/test_downstream.py runs SciPy, scikit-learn and
# array-api-extra on agrad tensors.
os.environ.setdefault("SCIPY_ARRAY_API", "1")
