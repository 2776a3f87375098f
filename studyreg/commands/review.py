"""``studyreg review``: the spaced-repetition queue (due questions, then new ones)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.commands._common import add_common_options
    from studyreg.commands.quiz import add_session_options

    parser = subparsers.add_parser(
        "review",
        help="review what is due (FSRS), in the app or --plain",
        description="Serve the questions that are due, most overdue first, then new ones "
        "within the daily limit. After each answer, rate it 1 Again, 2 Hard, 3 Good or 4 Easy "
        "(each shown with the interval it gives; Enter keeps the one the verdict suggests); "
        "the summary lists when each question comes back. ':undo' takes back the last answer.",
    )
    add_common_options(parser)
    add_session_options(parser)
    parser.add_argument(
        "--new-per-day",
        type=int,
        metavar="N",
        help="how many never-seen questions a day may introduce (saved; default 20)",
    )
    parser.set_defaults(handler=run, mode="review")


def run(args: argparse.Namespace) -> int:
    from studyreg.commands.errors import fail
    from studyreg.commands.quiz import run as run_quiz

    if args.new_per_day is not None and args.new_per_day < 0:
        return fail("--new-per-day must be 0 or more")
    return run_quiz(args)
