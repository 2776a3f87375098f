"""What the subcommands share: the common options, loading packs, opening the progress
store, and how notices and warnings reach stderr.

Kept light: importing it loads neither NumPy nor pydantic (``studyreg --help`` stays
fast); each helper imports what it needs when called.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyreg.content import Pack, Problem
    from studyreg.study.catalog import Catalog
    from studyreg.study.store import ProgressStore

__all__ = [
    "add_common_options",
    "load_catalog",
    "load_packs",
    "notice",
    "open_store",
    "open_store_or_warn",
    "print_problems",
    "warn",
]


def add_common_options(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """Add ``--pack`` and ``--data-dir``; usable before or after the subcommand."""
    # On subparsers the defaults are suppressed so they never clobber a value
    # given before the subcommand name.
    default_packs: list[str] | str = [] if top_level else argparse.SUPPRESS
    default_dir: str | None = None if top_level else argparse.SUPPRESS
    parser.add_argument(
        "--pack",
        action="append",
        dest="packs",
        metavar="PATH",
        default=default_packs,
        help="a pack folder or YAML file (repeatable); replaces the bundled pack, "
        "name 'bundled' to keep it alongside",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default_dir,
        help="where progress is stored (default: $STUDYREG_HOME or the user data directory)",
    )


def notice(text: str) -> None:
    """``studyreg: notice: TEXT`` on stderr (something the user may want to know)."""
    print(f"studyreg: notice: {text}", file=sys.stderr)


def warn(text: str) -> None:
    """``studyreg: warning: TEXT`` on stderr (something went wrong; the command goes on)."""
    print(f"studyreg: warning: {text}", file=sys.stderr)


def print_problems(problems: list[Problem]) -> None:
    """Every pack problem, one located line each, on stderr."""
    for problem in problems:
        print(problem.format(), file=sys.stderr)


def load_packs(args: argparse.Namespace) -> tuple[list[Pack], list[Problem]]:
    """The packs named by ``--pack`` (else the bundled one) and the problems of those
    that did not load; the problems are printed to stderr."""
    from studyreg.content import PackError, resolve_pack_paths
    from studyreg.study.packs import load_pack

    packs, problems = [], []
    for path in resolve_pack_paths(getattr(args, "packs", None)):
        try:
            packs.append(load_pack(path))
        except PackError as error:
            problems.extend(error.problems)
    print_problems(problems)
    return packs, problems


def load_catalog(args: argparse.Namespace) -> Catalog:
    """The catalogue of ``--pack`` (else the bundled pack and ``$STUDYREG_PACKS``); the
    problems of packs that did not load are printed to stderr."""
    from studyreg.study.catalog import Catalog

    catalog = Catalog.load(getattr(args, "packs", None) or None)
    print_problems(catalog.problems)
    return catalog


def open_store(args: argparse.Namespace) -> ProgressStore:
    """The progress store of ``--data-dir``, its notices printed; raises ``StoreError``.

    Close it (or use it as a context manager) when done.
    """
    from studyreg.study.store import ProgressStore

    store = ProgressStore.open_default(getattr(args, "data_dir", None))
    for text in store.notices:
        notice(text)
    return store


def open_store_or_warn(args: argparse.Namespace) -> ProgressStore | None:
    """:func:`open_store`, or None with a warning when it cannot be opened (the command
    goes on without saving progress)."""
    from studyreg.study.store import StoreError

    try:
        return open_store(args)
    except StoreError as error:
        warn(f"progress will not be saved: {error}")
        return None
