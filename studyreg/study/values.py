"""One way to show a value to a person: the CLI, the app and plain mode all use it."""

from __future__ import annotations

from typing import Any


def display_value(value: Any) -> str:
    """``true``/``false`` (as packs write them in checks and ``--set``), floats to 6
    significant figures, everything else as ``str``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
