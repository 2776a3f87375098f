"""The README's first screen stays true: its test command is the one CI runs."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:30])
    assert '.venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest -q' in first_screen
    assert 'pip install --quiet -e ".[test]"' in ci
    assert ci.rstrip().endswith("python -m pytest -q")


def test_readme_run_command_opens_the_app() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:30])
    assert ".venv/bin/pip install -e . && .venv/bin/studyreg\n" in first_screen
