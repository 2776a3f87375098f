"""The bundled pack ships inside the wheel, so an installed studyreg finds it from anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contains_the_bundled_pack_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = tmp_path.glob("studyreg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").rglob("*.yaml")
    }
    assert shipped, "the bundled pack has YAML files"
    assert {f"studyreg/bundled/{name}" for name in shipped} <= names
    assert "studyreg/content/templates/sparsity.yaml" in names
    assert "studyreg/tui/studyreg.tcss" in names
