"""The rooms and their arrows are a checked contract (import-linter), lazy imports included."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The console script installed with the test extra, beside this interpreter.
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        env=env,
        cwd=package_parent,
        timeout=300,
    )


def test_every_layering_contract_is_kept() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 6 kept, 0 broken." in done.stdout


def test_a_planted_lazy_textual_import_in_the_core_is_caught(tmp_path: Path) -> None:
    copy = tmp_path / "studyreg"
    shutil.copytree(ROOT / "studyreg", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "experiments" / "dropout.py"
    target.write_text(target.read_text() + "\n\ndef _planted():\n    import textual.app\n")
    done = lint_imports(tmp_path)
    assert done.returncode == 1
    assert "The core never imports Textual BROKEN" in done.stdout
    assert "studyreg.experiments.dropout -> textual (l." in done.stdout


def test_a_planted_content_to_experiments_import_is_caught(tmp_path: Path) -> None:
    copy = tmp_path / "studyreg"
    shutil.copytree(ROOT / "studyreg", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "content" / "loader.py"
    target.write_text(
        target.read_text()
        + "\n\ndef _planted():\n    from studyreg.experiments import run_experiment\n"
    )
    done = lint_imports(tmp_path)
    assert done.returncode == 1
    assert "content, experiments, grading and expr stand alone BROKEN" in done.stdout


def test_the_leaf_rooms_may_import_the_error_base_and_nothing_else_of_studyreg(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "studyreg"
    shutil.copytree(ROOT / "studyreg", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "grading" / "verdict.py"
    assert "from studyreg.errors import StudyregError" in target.read_text()
    target.write_text(
        target.read_text() + "\n\ndef _planted():\n    from studyreg.atomic import atomic_output\n"
    )
    errors = copy / "errors.py"
    errors.write_text(errors.read_text() + "\n\ndef _planted():\n    import studyreg.content\n")
    done = lint_imports(tmp_path)
    assert done.returncode == 1
    assert "The leaf rooms import nothing above them BROKEN" in done.stdout
    assert "studyreg.grading.verdict -> studyreg.atomic (l." in done.stdout
    assert "The domain error base is a leaf BROKEN" in done.stdout
