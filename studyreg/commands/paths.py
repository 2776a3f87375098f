"""``studyreg paths``: print every path studyreg uses."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.commands._common import add_common_options

    parser = subparsers.add_parser("paths", help="print where studyreg keeps its data and packs")
    add_common_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studyreg.content.discovery import resolve_pack_paths
    from studyreg.paths import data_dir, progress_db_path

    print(f"data directory: {data_dir(args.data_dir)}")
    print(f"progress database: {progress_db_path(args.data_dir)}")
    from studyreg.study.trust import TrustStore

    print(f"trusted pack code: {TrustStore(args.data_dir).path}")
    from studyreg.paths import cache_dir

    print(f"cache (measured claim rates): {cache_dir(args.data_dir)}")
    for path in resolve_pack_paths(args.packs):
        print(f"pack: {path}")
    return 0
