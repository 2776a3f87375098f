"""``studyreg export-pack``: a pack as CSV (one row per question) or JSON."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.commands._common import add_common_options

    parser = subparsers.add_parser(
        "export-pack",
        help="export packs as CSV (one row per question) or JSON",
        description="Write every question of the packs (default: the bundled pack) as CSV for "
        "spreadsheets, or the whole pack as JSON.",
    )
    add_common_options(parser)
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from studyreg.atomic import write_atomically
    from studyreg.commands._common import load_packs
    from studyreg.commands.errors import fail
    from studyreg.interop.pack_table import to_csv

    packs, problems = load_packs(args)
    if problems:
        return fail("fix the problems above first", 1)
    if args.format == "csv":
        text = to_csv(packs)
    else:
        dumped = [pack.model_dump(mode="json", exclude_none=True) for pack in packs]
        text = (
            json.dumps(dumped[0] if len(dumped) == 1 else dumped, indent=2, ensure_ascii=False)
            + "\n"
        )
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        write_atomically(Path(args.output), text.encode("utf-8"))
    except OSError as error:
        return fail(f"cannot write {args.output}: {error.strerror or error}", 1)
    print(
        f"wrote {sum(p.question_count for p in packs)} questions to {args.output}", file=sys.stderr
    )
    return 0
