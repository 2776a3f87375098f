"""Hostile packs are refused quickly and cleanly: exit 1, a located message, no traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest


def validate(path: Path) -> tuple[int, str, float]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "studyreg", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return out.returncode, out.stdout + out.stderr, time.perf_counter() - started


def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def many_concepts(n: int) -> str:
    head = "id: many\ntitle: Many\nconcepts:\n"
    return head + "".join(f"  - {{id: c{i}, title: C, definition: D}}\n" for i in range(n))


HOSTILE = {
    "alias-bomb": (billion_laughs(), "too many aliases"),
    "deep-nesting": ("id: " + "[" * 10_000 + "]" * 10_000 + "\n", "nesting"),
    "huge-string": ("id: x\ntitle: " + "x" * 50_000_000 + "\n", "capped at"),
    "many-concepts": (many_concepts(30_000), "at most 2000 items"),
    "python-object": ("id: !!python/object/apply:os.system ['true']\n", "unsupported YAML tag"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pack_is_refused_quickly(tmp_path: Path, name: str) -> None:
    text, expected = HOSTILE[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    code, output, seconds = validate(path)
    assert code == 1
    assert "Traceback" not in output
    assert expected in output
    assert f"{path}:" in output  # located
    assert seconds < 20
