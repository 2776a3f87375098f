"""The core stays usable without Textual: importing it never loads ``textual``."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "studyreg.content",
    "studyreg.experiments",
    "studyreg.grading",
    "studyreg.study",
    "studyreg.expr",
]
CORE_MODULES = CORE + [
    "studyreg.study.session",
    "studyreg.study.items",
    "studyreg.study.plain",
    "studyreg.study.store",
    "studyreg.study.lab",
    "studyreg.study.facts",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_help_does_not_import_numpy_or_textual() -> None:
    code = (
        "import sys\nfrom studyreg.cli import build_parser\nbuild_parser()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'textual', 'pydantic'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_missing_command_module_is_not_silently_skipped(monkeypatch) -> None:
    from studyreg import cli

    monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "no_such_command"))
    with pytest.raises(ModuleNotFoundError, match="studyreg.commands.no_such_command"):
        cli.build_parser()
