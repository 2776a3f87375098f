"""``studyreg trust``: agree to run a pack's own experiment code, list or revoke that."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyreg.study.trust import TrustStore


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "trust",
        help="allow a pack's own experiment code (experiments/*.py) to run",
        description="A pack may hold experiments/*.py. They never run until you trust the "
        "pack: this shows which files would run and their hash, asks, and records the hash. "
        "Any later edit of the code makes the pack untrusted again.",
    )
    parser.add_argument("path", nargs="?", metavar="PATH", help="the pack folder")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask (scripts, CI)")
    parser.add_argument("--list", action="store_true", help="list trusted packs and their state")
    parser.add_argument("--revoke", action="store_true", help="forget the trust given to PATH")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studyreg.commands.errors import fail
    from studyreg.study.trust import current_trust_store

    store = current_trust_store()
    if args.list:
        return _list(store)
    if not args.path:
        return fail("name a pack folder: studyreg trust PATH (or --list)")
    root = Path(args.path)
    if not root.is_dir():
        return fail(f"{args.path}: not a folder; only folder packs can hold experiment code")
    if args.revoke:
        if store.revoke(root):
            print(f"{root.resolve()}: no longer trusted; its code will not run")
        else:
            print(f"{root.resolve()}: was not trusted")
        return 0
    status = store.status(root)
    if not status.has_code:
        print(f"{status.root}: has no experiments/*.py, so there is nothing to trust")
        return 0
    if status.trusted:
        print(f"{status.root}: already trusted (sha256 {status.digest[:16]}…)")
        return 0
    print(f"{status.root} holds code that will run on this computer when you study it:")
    for name in status.files:
        print(f"  {name}")
    print(f"sha256 of these files: {status.digest}")
    if status.changed_since_trusted:
        print("(you trusted an earlier version of this code; it has changed since)")
    if not args.yes:
        if not sys.stdin.isatty():
            return fail("not confirmed: read the files, then run again with --yes")
        answer = input("Read them first. Trust this pack? [y/N] ").strip().casefold()
        if answer not in ("y", "yes"):
            print("not trusted")
            return 1
    store.trust(root)
    print(f"trusted {status.root}; editing any of these files revokes it")
    return 0


def _list(store: TrustStore) -> int:
    entries = store.entries()
    if store.notice:
        print(store.notice, file=sys.stderr)
    if not entries:
        print("no pack is trusted")
        return 0
    for entry in entries:
        if not Path(entry.root).is_dir():
            state = "missing"
        else:
            state = "trusted" if store.status(entry.root).trusted else "CHANGED since trusted"
        print(f"{state:22} {entry.root}  ({len(entry.files)} files, since {entry.trusted_at})")
    return 0
