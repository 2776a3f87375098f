"""Errors that point at the place in the source where the problem is."""

from __future__ import annotations

from studyreg.errors import StudyregError


class LocatedError(StudyregError):
    """A problem at a 1-based ``line`` and ``column`` of the source; ``message`` says what."""

    def __init__(self, message: str, column: int = 1, line: int = 1) -> None:
        super().__init__(message, column, line)
        self.message = message
        self.column = column
        self.line = line

    def __str__(self) -> str:
        where = (
            f"column {self.column}" if self.line == 1 else f"line {self.line}, column {self.column}"
        )
        return f"{where}: {self.message}"


class ExpressionError(LocatedError):
    """An expression that cannot be parsed or evaluated."""


class TemplateError(LocatedError):
    """A template that cannot be parsed or rendered."""


def locate(source: str, offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of the 0-based ``offset`` in ``source``."""
    offset = max(0, min(offset, len(source)))
    before = source[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, offset - start + 1


def error_at(cls: type[LocatedError], source: str, offset: int, message: str) -> LocatedError:
    """An error of type ``cls`` pointing at ``offset`` in ``source``."""
    line, column = locate(source, offset)
    return cls(message, column, line)
