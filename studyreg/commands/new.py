"""``studyreg new PATH``: scaffold a pack with one example of everything."""

from __future__ import annotations

import argparse
import json
import re
from importlib import resources
from importlib.resources.abc import Traversable
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
    parser.add_argument(
        "--experiment",
        metavar="NAME",
        default=None,
        help="also write experiments/NAME.py (the pack's own experiment, on the public SDK), "
        "a concept using it and a test file for it",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studyreg.commands.errors import fail
    from studyreg.content.ids import ID_RULE, is_valid_id, slugify
    from studyreg.content.schema import pack_schema

    target = Path(args.path)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        return fail(f"{target} already exists and is not an empty folder; choose a new path")
    experiment = args.experiment
    if experiment is not None:
        problem = _experiment_name_problem(experiment)
        if problem:
            return fail(problem)
    pack_id = args.pack_id or slugify(target.name)
    if not is_valid_id(pack_id):
        return fail(f"--id {pack_id!r} is not a valid id: {ID_RULE}")
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
                if experiment is not None:
                    text = text.replace(
                        "concept_files: [sparsity.yaml]",
                        f"concept_files: [sparsity.yaml, {experiment}.yaml]",
                    )
            (target / name).write_text(text, encoding="utf-8")
        if experiment is not None:
            _write_experiment(target, experiment, templates / "with_experiment")
        for part in ("concept", "pack-meta"):
            (target / f"{part}.schema.json").write_text(
                json.dumps(pack_schema(part), indent=2) + "\n", encoding="utf-8"
            )
    except OSError as error:
        return fail(f"cannot write {target}: {error.strerror or error}", 1)
    written = list(TEMPLATE_FILES)
    if experiment is not None:
        written += [
            f"{experiment}.yaml",
            f"experiments/{experiment}.py",
            f"tests/test_{experiment}.py",
        ]
    print(f"created {target}/ with {', '.join(written)} (and JSON Schemas for your editor)")
    if experiment is not None:
        print(f"its code runs only once you trust it:  studyreg trust {target}")
    print(f"next: edit it, then run  studyreg validate --strict {target}")
    return 0


def _experiment_name_problem(name: str) -> str | None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,63}", name) or name.startswith("_"):
        return (
            f"--experiment {name!r} is not a valid name: use lowercase letters, digits and '_', "
            "starting with a letter (it becomes experiments/NAME.py)"
        )
    from studyreg.experiments import experiment_names

    if name in experiment_names():
        return f"--experiment {name!r} is a built-in experiment's name; choose another"
    return None


def _write_experiment(target: Path, name: str, templates: Traversable) -> None:
    files = {
        f"experiments/{name}.py": "experiment.py",
        f"{name}.yaml": "concept.yaml",
        f"tests/test_{name}.py": "test_experiment.py",
    }
    for destination, template in files.items():
        path = target / destination
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (templates / template).read_text(encoding="utf-8").replace("{name}", name)
        path.write_text(text, encoding="utf-8")


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
