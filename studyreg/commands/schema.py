"""``studyreg schema``: the JSON Schema of a pack, for editors and CI."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a pack",
        description="Print the JSON Schema of a single-file pack. Concept files of a folder "
        "pack follow $defs/Concept; pack.yaml follows the same schema without 'concepts'.",
    )
    parser.add_argument(
        "--part",
        choices=("pack", "concept", "pack-meta"),  # content.schema.SCHEMA_PARTS
        default="pack",
        help="which document to describe (default: a whole single-file pack)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studyreg.content.schema import pack_schema

    print(json.dumps(pack_schema(args.part), indent=2))
    return 0
