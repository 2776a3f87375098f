"""``studyreg stats``: answers, accuracy, streak and reviews due, from the progress store."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.commands._common import add_common_options

    parser = subparsers.add_parser(
        "stats",
        help="show your progress: answers, accuracy, streak, reviews due",
        description="Progress figures from the progress store, concepts named by their "
        "titles in the loaded packs. --json prints one object (attempts, correct, accuracy, "
        "concepts, due_now, due_later_today, due_next_7_days, due_by_day, streak_days, "
        "leeches, days).",
    )
    add_common_options(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    from studyreg.commands._common import open_store
    from studyreg.commands.errors import fail
    from studyreg.study.stats import compute_stats, format_stats
    from studyreg.study.store import StoreError

    try:
        with open_store(args) as store:
            stats = compute_stats(store)
    except StoreError as error:
        return fail(str(error), 1)
    if args.json:
        print(json.dumps(stats, indent=2))
    else:
        print(format_stats(stats, concept_titles(getattr(args, "packs", None))))
    return 0


def concept_titles(packs: list[str] | None) -> dict[str, str]:
    """``{"pack_id/concept_id": title}`` for the packs that load (ids stay for the rest)."""
    from studyreg.study.catalog import Catalog

    catalog = Catalog.load(packs or None)
    return {
        f"{pack.id}/{concept.id}": concept.title
        for pack in catalog.packs
        for concept in pack.concepts
    }
