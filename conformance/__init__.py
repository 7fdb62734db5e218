"""agrad's backend conformance suite: a pytest plugin reporting, per backend, how the whole test
suite fared (every test runs once per backend through tests/conftest.py's `backend` fixture),
plus checks of each adapter's namespace against what the core uses."""
