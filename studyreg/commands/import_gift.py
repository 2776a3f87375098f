"""``studyreg import-gift``: a Moodle GIFT file becomes a studyreg pack."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import-gift",
        help="import a Moodle GIFT file as a pack",
        description="Convert GIFT questions into a folder pack: each $CATEGORY becomes a "
        "concept, and each question is graded as Moodle grades it. A question that cannot "
        "be imported is reported as FILE:LINE and nothing is written (see --skip-errors). "
        "The pack is validated whole before anything is written; see docs/import-gift.md.",
    )
    parser.add_argument("file", metavar="FILE", help="the .gift file")
    parser.add_argument(
        "-o", "--output", metavar="PACKDIR", required=True, help="the pack folder to write"
    )
    parser.add_argument("--id", dest="pack_id", help="the pack's id (default: from PACKDIR)")
    parser.add_argument("--title", help="the pack's title")
    parser.add_argument("--force", action="store_true", help="write into a non-empty folder")
    parser.add_argument(
        "--skip-errors",
        action="store_true",
        help="import the questions that can be imported, leaving out (and listing) the rest",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import shutil
    import tempfile
    from pathlib import Path

    import yaml

    from studyreg.commands.errors import fail
    from studyreg.content import PackError
    from studyreg.content.ids import slugify
    from studyreg.interop.gift import parse_gift
    from studyreg.study.packs import load_pack

    source, target = Path(args.file), Path(args.output)
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except OSError as error:
        return fail(f"cannot read {source}: {error.strerror or error}", 1)
    except UnicodeDecodeError:
        return fail(f"{source} is not UTF-8 text; save it as UTF-8", 1)
    if target.exists() and any(target.iterdir()) and not args.force:
        return fail(f"{target} is not empty; choose a new folder or pass --force")
    result = parse_gift(text, default_concept=source.stem)
    for line, message in sorted(result.warnings):
        print(f"{source}:{line}: note: {message}", file=sys.stderr)
    for line, message in sorted(result.errors):
        print(f"{source}:{line}: error: {message}", file=sys.stderr)
    if result.errors and not args.skip_errors:
        n = len(result.errors)
        return fail(
            f"{n} question{'s' if n != 1 else ''} in {source} cannot be imported (listed above); "
            f"nothing was written (fix {'them' if n != 1 else 'it'}, or pass --skip-errors)",
            1,
        )
    if not result.concepts:
        return fail(f"no question in {source} could be imported", 1)
    pack_id = args.pack_id or slugify(target.name)
    meta = {
        "id": pack_id,
        "title": args.title or source.stem.replace("_", " ").replace("-", " ").capitalize(),
        "version": "1.0",
        "description": f"Imported from {source.name}.",
        "concept_files": [f"{c['id']}.yaml" for c in result.concepts],
    }
    # Validate the whole pack in memory first; then write it in a fresh folder beside the
    # target, load it back as a learner would, and move it into place: a pack that does not
    # validate, or a failed write, leaves nothing behind.
    invalid = _invalid(meta, result.concepts)
    if invalid:
        return fail(f"the imported pack does not validate: {invalid}; {target} was not written", 1)
    dump = {"sort_keys": False, "allow_unicode": True, "width": 100}
    blocking = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        return fail(f"cannot write {target}: {blocking} is a file, not a folder", 1)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    except OSError as error:
        return fail(f"cannot write {target}: {error.strerror or error}", 1)
    try:
        (staging / "pack.yaml").write_text(yaml.safe_dump(meta, **dump), encoding="utf-8")
        for concept in result.concepts:
            (staging / f"{concept['id']}.yaml").write_text(
                yaml.safe_dump(concept, **dump), encoding="utf-8"
            )
        try:
            load_pack(staging)
        except PackError as error:
            for problem in error.problems:
                print(problem.format().replace(str(staging), str(target)), file=sys.stderr)
            return fail(
                f"the imported pack does not validate (problems above); {target} was not written", 1
            )
        _move_into_place(staging, target)
    except OSError as error:
        return fail(f"cannot write {target}: {error.strerror or error}", 1)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    skipped = f", {len(result.errors)} left out" if result.errors else ""
    notes = f" ({_count(len(result.warnings), 'note')} above)" if result.warnings else ""
    questions = _count(result.question_count, "question")
    concepts = _count(len(result.concepts), "concept")
    print(f"imported {questions} in {concepts} to {target}{skipped}{notes}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _invalid(meta: dict, concepts: list[dict]) -> str | None:
    """The first problem of the pack as a whole, or None."""
    from pydantic import ValidationError

    from studyreg.content import models

    try:
        models.Pack.model_validate({**meta, "concepts": concepts})
    except ValidationError as error:
        detail = error.errors()[0]
        where = ".".join(str(part) for part in detail["loc"])
        return f"{where}: {str(detail['msg']).removeprefix('Value error, ')}"
    return None


def _move_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` (absent, empty, or forced) by the validated ``staging`` folder."""
    import shutil

    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)  # put the forced-over folder back as it was
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
