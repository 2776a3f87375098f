"""``studyreg quiz``: a quiz in the app, or in plain line mode with ``--plain``."""

from __future__ import annotations

import argparse


def add_session_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plain", action="store_true", help="plain line mode on stdin/stdout")
    parser.add_argument(
        "--concept",
        action="append",
        dest="concepts",
        metavar="ID",
        help="only this concept (repeatable)",
    )
    parser.add_argument(
        "--types",
        metavar="LIST",
        help="question types, comma-separated: numeric, choice, tf, short, order, match, free, "
        "or exact names such as single_choice",
    )
    parser.add_argument("--count", type=int, metavar="N", help="ask exactly N questions")
    parser.add_argument("--seed", type=int, metavar="N", help="same seed, same variants")
    parser.add_argument(
        "--weak-first", action="store_true", help="start with the concepts you get wrong most"
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.commands._common import add_common_options

    parser = subparsers.add_parser(
        "quiz",
        help="take a quiz (in the app, or --plain on stdin/stdout)",
        description="Questions one at a time, graded at once. In --plain mode, type one answer "
        "per line; ':undo', ':skip' and ':quit' are commands. A computed question comes with "
        "the 'studyreg experiment' command of its variant. Ends with 'score: N/M'.",
    )
    add_common_options(parser)
    add_session_options(parser)
    parser.set_defaults(handler=run, mode="quiz")


def run(args: argparse.Namespace) -> int:
    if not args.plain:
        from studyreg.commands.app import run_app

        return run_app(args)
    return run_plain(args)


def run_plain(args: argparse.Namespace) -> int:
    import sys

    from studyreg.commands._common import load_catalog, open_store_or_warn
    from studyreg.commands.errors import fail
    from studyreg.errors import StudyregError
    from studyreg.study.plain import PlainQuiz
    from studyreg.study.session import Session, parse_types

    if args.count is not None and args.count < 1:
        return fail("--count must be at least 1")
    catalog = load_catalog(args)
    if not catalog.packs:
        return fail("no pack could be loaded (problems above)", 1)
    store = open_store_or_warn(args)
    if store is not None and getattr(args, "new_per_day", None) is not None:
        store.new_per_day = args.new_per_day
    try:
        session = Session(
            catalog,
            mode=args.mode,
            concept_ids=args.concepts,
            types=parse_types(args.types),
            count=args.count,
            seed=args.seed,
            store=store,
            focus_weak=args.weak_first,
        )
    except StudyregError as error:
        return fail(str(error))
    title = "review" if args.mode == "review" else "quiz"
    try:
        return PlainQuiz(session, sys.stdin, sys.stdout, title=title).run()
    finally:
        if store is not None:
            store.close()
