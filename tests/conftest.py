"""The `backend` fixture (every test once per backend) lives in the root conftest.py, shared
with the conformance suite."""
