"""``studyreg review``: the spaced-repetition queue (due questions, then new ones)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.cli import add_common_options
    from studyreg.commands.quiz import add_session_options

    parser = subparsers.add_parser(
        "review",
        help="review what is due (FSRS), in the app or --plain",
        description="Serve the questions that are due, most overdue first, then new ones "
        "within the daily limit. ':undo' takes back the last answer.",
    )
    add_common_options(parser)
    add_session_options(parser)
    parser.set_defaults(handler=run, mode="review")


def run(args: argparse.Namespace) -> int:
    from studyreg.commands.quiz import run as run_quiz

    return run_quiz(args)
