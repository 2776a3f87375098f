"""``studyreg export-anki``: packs as an Anki deck."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.commands._common import add_common_options

    parser = subparsers.add_parser(
        "export-anki",
        help="export packs as an Anki deck (.apkg)",
        description="Definitions, facts and questions become notes, one sub-deck per concept. "
        "Facts are cloze cards that hide the part to recall (a fact's `recall:`, else a "
        "guessed term or number); numeric answers state their tolerance. "
        "Note ids are stable: importing a newer export updates notes instead of duplicating them. "
        "Computed questions are exported as one fixed variant.",
    )
    add_common_options(parser)
    parser.add_argument("-o", "--output", metavar="FILE.apkg", required=True)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from studyreg.commands._common import load_packs
    from studyreg.commands.errors import fail
    from studyreg.interop.anki import export_apkg

    target = Path(args.output)
    if target.suffix != ".apkg":
        return fail(f"{target} should end in .apkg, the file type Anki imports")
    packs, problems = load_packs(args)
    if problems:
        return fail("fix the problems above first", 1)
    try:
        notes = export_apkg(packs, target)
    except OSError as error:
        return fail(f"cannot write {target}: {error.strerror or error}", 1)
    print(f"wrote {notes} notes from {len(packs)} pack(s) to {target}", file=sys.stderr)
    return 0
