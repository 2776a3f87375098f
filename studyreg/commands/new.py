"""``studyreg new PATH``: scaffold a pack with one example of everything."""

from __future__ import annotations

import argparse
import json
import re
from importlib import resources
from pathlib import Path

TEMPLATE_FILES = ("pack.yaml", "sparsity.yaml")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "new",
        help="scaffold a new pack (one example of every question type)",
        description="Create a folder pack with pack.yaml and a concept showing every question "
        "type, a fact with a live check and a computed question. It passes "
        "'studyreg validate --strict' as written; edit from there.",
    )
    parser.add_argument("path", metavar="PATH", help="the folder to create")
    parser.add_argument("--title", default=None, help="the pack's title")
    parser.add_argument(
        "--id", dest="pack_id", default=None, help="the pack's id (default: from PATH)"
    )
    parser.set_defaults(handler=run)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64]
    return slug or "my-pack"


def run(args: argparse.Namespace) -> int:
    from studyreg.commands.errors import fail
    from studyreg.commands.schema import pack_schema

    target = Path(args.path)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        return fail(f"{target} already exists and is not an empty folder; choose a new path")
    pack_id = args.pack_id or slugify(target.name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", pack_id):
        return fail(
            f"--id {pack_id!r} is not a valid id: use lowercase letters, digits, '-' and '_'"
        )
    title = (
        args.title
        or target.name.replace("-", " ").replace("_", " ").strip().capitalize()
        or "My pack"
    )
    try:
        target.mkdir(parents=True, exist_ok=True)
        templates = resources.files("studyreg.content") / "templates"
        for name in TEMPLATE_FILES:
            text = (templates / name).read_text(encoding="utf-8")
            if name == "pack.yaml":
                text = text.replace("{pack_id}", pack_id).replace("{title}", _yaml_text(title))
            (target / name).write_text(text, encoding="utf-8")
        for part in ("concept", "pack-meta"):
            (target / f"{part}.schema.json").write_text(
                json.dumps(pack_schema(part), indent=2) + "\n", encoding="utf-8"
            )
    except OSError as error:
        return fail(f"cannot write {target}: {error.strerror or error}", 1)
    print(f"created {target}/ with {', '.join(TEMPLATE_FILES)} (and JSON Schemas for your editor)")
    print(f"next: edit it, then run  studyreg validate --strict {target}")
    return 0


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
