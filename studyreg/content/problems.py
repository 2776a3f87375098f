"""Located problems in a pack: ``FILE:LINE:COL: field.path: message``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studyreg.errors import StudyregError


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a pack, located in its source file (lines and columns 1-based)."""

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: str = "error"  # "error" | "warning"

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field = f" {self.path}:" if self.path else ""
        tag = "" if self.severity == "error" else f" {self.severity}:"
        return f"{where}:{tag}{field} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
        }


class PackError(StudyregError):
    """A pack could not be loaded; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def format_path(path: Sequence[str | int]) -> str:
    """``("questions", 3, "answer")`` -> ``questions[3].answer``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
