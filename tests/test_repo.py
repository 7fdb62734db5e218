"""The README's promises about running the project: CI runs its test command verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.backends("numpy")


def _commands(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()
            if line.strip().startswith("python3 -m venv")]


def test_ci_runs_the_readme_test_command():
    readme = _commands((ROOT / "README.md").read_text())
    ci = _commands((ROOT / ".ci" / "run").read_text())
    assert len(readme) == 2, readme  # exactly two set-up-and-go commands
    assert ci == [readme[1]]


def test_readme_main_command_runs_an_example_that_exists():
    main = _commands((ROOT / "README.md").read_text())[0]
    script = main.rsplit(" ", 1)[-1]
    assert (ROOT / script).is_file(), script
