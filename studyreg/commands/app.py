"""``studyreg`` with no subcommand: open the study app."""

from __future__ import annotations

import argparse


def run_app(args: argparse.Namespace) -> int:
    """Build the app through the one factory and run it; the exit code is 0 unless it crashed."""
    from studyreg.tui import create_app

    app = create_app(
        pack_paths=getattr(args, "packs", None) or None,
        data_dir=getattr(args, "data_dir", None),
        theme=getattr(args, "theme", None),
    )
    app.run()
    return int(app.return_code or 0)
