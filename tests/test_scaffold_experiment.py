"""`studyreg new PATH --experiment NAME`: a pack with its own experiment, strict-valid once trusted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDYREG_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "studyreg", *args],
        capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_scaffolded_experiment_pack_is_refused_then_strict_valid_after_trust(
    tmp_path: Path,
) -> None:
    target, home = tmp_path / "stats-pack", tmp_path / "home"
    made = cli("new", str(target), "--experiment", "mean_error", home=home)
    assert made.returncode == 0, made.stderr
    assert (target / "experiments" / "mean_error.py").is_file()
    assert (target / "tests" / "test_mean_error.py").is_file()
    assert "mean_error.yaml" in (target / "pack.yaml").read_text()
    refused = cli("validate", str(target), home=home)
    assert refused.returncode == 1
    assert "this pack contains code (experiments/mean_error.py)" in refused.stdout
    assert cli("trust", str(target), "--yes", home=home).returncode == 0
    strict = cli("validate", "--strict", str(target), home=home)
    assert strict.returncode == 0, strict.stdout + strict.stderr
    assert (
        "error-of-the-mean: fact more-data-less-error: check holds on 50/50 seeds" in strict.stdout
    )


def test_the_scaffolded_experiment_tests_pass(tmp_path: Path) -> None:
    target = tmp_path / "p"
    assert cli("new", str(target), "--experiment", "mean_error", home=tmp_path).returncode == 0
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=target, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    assert "3 passed" in done.stdout


def test_experiment_names_that_cannot_be_files_or_shadow_built_ins_are_refused(
    tmp_path: Path,
) -> None:
    bad = cli("new", str(tmp_path / "a"), "--experiment", "Mean-Error", home=tmp_path)
    assert bad.returncode == 2 and "is not a valid name" in bad.stderr
    shadow = cli("new", str(tmp_path / "b"), "--experiment", "dropout", home=tmp_path)
    assert shadow.returncode == 2 and "built-in experiment's name" in shadow.stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
