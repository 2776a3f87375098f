"""examples/optimization: a pack written only against the public SDK works end to end."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studyreg.content import load_pack_with_sources
from studyreg.sandbox import pack_experiment_files

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "optimization"
ALLOWED_IMPORTS = {"numpy", "pydantic", "math", "dataclasses", "typing", "__future__"}


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDYREG_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "studyreg", *args],
        capture_output=True, text=True, env=env, timeout=1200, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_every_concept_is_backed_by_the_pack_s_own_experiment() -> None:
    pack = load_pack_with_sources(EXAMPLE).pack  # no experiment is looked up or run
    own = set(pack_experiment_files(EXAMPLE))
    assert len(pack.concepts) >= 4
    assert pack.question_count >= 25
    assert len({q.type for c in pack.concepts for q in c.questions}) >= 6
    for concept in pack.concepts:
        assert concept.experiment is not None and concept.experiment.name in own, concept.id
        assert any(q.type == "computed" and q.vary for q in concept.questions), concept.id


@pytest.mark.parametrize(
    "path", sorted((EXAMPLE / "experiments").glob("*.py")), ids=lambda p: p.name
)
def test_experiments_use_only_the_public_sdk(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("studyreg"):
            assert node.module == "studyreg.experiments", f"{path.name} imports {node.module}"
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for name in names:
                root = (name or "").split(".")[0]
                assert root in ALLOWED_IMPORTS or root == "studyreg", f"{path.name}: {name}"


@pytest.mark.slow
def test_refused_until_trusted_then_strict_valid(tmp_path: Path) -> None:
    home = tmp_path / "home"
    refused = cli("validate", str(EXAMPLE), home=home)
    assert refused.returncode == 1
    assert "this pack contains code" in refused.stdout
    assert cli("trust", str(EXAMPLE), "--yes", home=home).returncode == 0
    strict = cli("validate", "--strict", str(EXAMPLE), home=home)
    assert strict.returncode == 0, strict.stdout[-4000:]
    assert "ok: optimization" in strict.stdout
