"""``studyreg export``: every attempt as CSV or JSON, to stdout or a file."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.commands._common import add_common_options

    parser = subparsers.add_parser(
        "export",
        help="export every answer you gave, as CSV or JSON",
        description="Every attempt with all its fields (params as JSON text in CSV). "
        "Writes to stdout unless -o is given; a file is written whole or not at all.",
    )
    add_common_options(parser)
    parser.add_argument(
        "--format",
        choices=("csv", "json"),
        default=None,
        help="output format (default: from the -o file's extension, else csv)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", default=None, help="write to FILE")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from studyreg.commands._common import open_store
    from studyreg.commands.errors import fail
    from studyreg.study.export import export, export_to_file
    from studyreg.study.store import StoreError

    fmt = args.format
    if fmt is None:
        fmt = "json" if args.output and args.output.lower().endswith(".json") else "csv"
    try:
        with open_store(args) as store:
            if args.output is None:
                export(store, fmt, sys.stdout)
                return 0
            target = Path(args.output).expanduser()
            if target.is_dir():
                return fail(f"{target} is a directory: give a file name with -o", 1)
            count = export_to_file(store, fmt, target)
    except StoreError as error:
        return fail(str(error), 1)
    except OSError as error:
        return fail(f"cannot write {args.output}: {error.strerror or error}", 1)
    print(f"exported {count} attempts to {target}", file=sys.stderr)
    return 0
