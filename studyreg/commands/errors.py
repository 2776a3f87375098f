"""How commands report a user's mistake: one line on stderr, no traceback."""

from __future__ import annotations

import sys

USAGE_ERROR = 2


def fail(message: str, code: int = USAGE_ERROR) -> int:
    """Print ``studyreg: error: MESSAGE`` to stderr and return the exit code."""
    print(f"studyreg: error: {message}", file=sys.stderr)
    return code
