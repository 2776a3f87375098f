"""Packs on disk -> validated models, with every problem located.

A pack is a folder holding ``pack.yaml`` and one YAML file per concept, or a
single YAML file holding the pack's fields and a ``concepts`` list. Loading
reports *all* problems at once as :class:`~studyreg.content.problems.Problem`
objects (``FILE:LINE:COL: field.path: message``) inside a
:class:`~studyreg.content.problems.PackError`; it never executes anything.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from studyreg.content import models
from studyreg.content.problems import PackError, Problem, format_path
from studyreg.content.yaml_source import SourceMap, YamlProblems, gc_paused, read_yaml

PACK_FILE = "pack.yaml"
MAX_CONCEPT_FILES = 2_000
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class ConceptSource:
    """Where a concept's data lives: its file's source map and its path inside that file."""

    source: SourceMap
    base: tuple[str | int, ...]

    def problem(self, path: tuple[str | int, ...], message: str, *, key: bool = False) -> Problem:
        full = (*self.base, *path)
        return self.source.problem(full, message, key=key, shown_path=format_path(full))


@dataclass
class LoadedPack:
    """A validated pack and where each of its concepts came from."""

    pack: models.Pack
    path: Path
    concept_sources: list[ConceptSource]


Checks = Callable[["LoadedPack"], list[Problem]]


def load_pack(path: str | Path, *, checks: Checks | None = None) -> models.Pack:
    """Load and validate the pack at ``path``; raise :class:`PackError` listing every problem.

    ``checks`` runs on a pack that is valid on its own and adds problems (study passes
    the checks that tie a pack to its experiments: ``studyreg.study.packs``).
    """
    return load_pack_with_sources(path, checks=checks).pack


def read_pack_meta(folder: str | Path) -> models.PackMeta:
    """Only ``pack.yaml`` of a folder pack, validated; PackError lists what is wrong."""
    problems: list[Problem] = []
    read = _read(Path(folder) / PACK_FILE, problems)
    if read is not None and _expect_mapping(read[0], read[1], problems):
        meta = _validate(models.PackMeta, read[0], ConceptSource(read[1], ()), problems)
        if meta is not None and not problems:
            return meta
    raise PackError(problems or [Problem(str(folder), 1, 1, "", "cannot read pack.yaml")])


def load_pack_with_sources(path: str | Path, *, checks: Checks | None = None) -> LoadedPack:
    with gc_paused():
        return _load(Path(path), checks)


def _load(path: Path, checks: Checks | None) -> LoadedPack:
    problems: list[Problem] = []
    if path.is_dir():
        loaded = _load_folder(path, problems)
    elif path.is_file():
        loaded = _load_single_file(path, problems)
    else:
        raise PackError([Problem(str(path), 1, 1, "", "no such pack: not a file or folder")])
    if loaded is not None:
        problems.extend(_duplicate_ids(loaded))
        if checks is not None and not problems:
            problems.extend(checks(loaded))
    errors = [p for p in problems if p.severity == "error"]
    if errors or loaded is None:
        raise PackError(problems)
    for where in loaded.concept_sources:
        where.source.release()
    return loaded


# --- reading ------------------------------------------------------------------


def _read(path: Path, problems: list[Problem]) -> tuple[Any, SourceMap] | None:
    try:
        return read_yaml(path)
    except YamlProblems as error:
        problems.extend(error.problems)
        return None


def _expect_mapping(data: Any, source: SourceMap, problems: list[Problem]) -> bool:
    if isinstance(data, dict):
        return True
    kind = type(data).__name__ if data is not None else "nothing"
    problems.append(source.problem((), f"expected a YAML mapping of keys to values, found {kind}"))
    return False


def _load_folder(folder: Path, problems: list[Problem]) -> LoadedPack | None:
    meta_path = folder / PACK_FILE
    if not meta_path.is_file():
        alt = folder / "pack.yml"
        hint = f" (found {alt.name}: rename it to {PACK_FILE})" if alt.is_file() else ""
        problems.append(
            Problem(str(folder), 1, 1, "", f"folder has no {PACK_FILE}, so it is not a pack{hint}")
        )
        return None
    read = _read(meta_path, problems)
    meta = None
    if read is not None and _expect_mapping(read[0], read[1], problems):
        data, source = read
        meta = _validate(models.PackMeta, data, ConceptSource(source, ()), problems)
    files = _concept_files(folder, meta, meta_path, problems)
    concepts: list[models.Concept] = []
    sources: list[ConceptSource] = []
    for file in files:
        read = _read(file, problems)
        if read is None or not _expect_mapping(read[0], read[1], problems):
            continue
        where = ConceptSource(read[1], ())
        concept = _validate(models.Concept, read[0], where, problems)
        if concept is not None:
            concepts.append(concept)
            sources.append(where)
    if meta is None or problems:
        return None
    # Attributes, not model_dump(): nested settings stay models under model_construct.
    fields = {name: getattr(meta, name) for name in models.PackMeta.model_fields}
    fields.pop("concept_files")
    pack = models.Pack.model_construct(
        **fields, concept_files=meta.concept_files, concepts=concepts
    )
    for concept, where in zip(concepts, sources, strict=True):
        _attach_sources(concept, where)
    root = str(folder.resolve())
    pack._root = root
    for concept in concepts:
        if concept.experiment is not None:
            concept.experiment._scope = root
    return LoadedPack(pack, folder, sources)


def _concept_files(
    folder: Path, meta: models.PackMeta | None, meta_path: Path, problems: list[Problem]
) -> list[Path]:
    if meta is not None and meta.concept_files is not None:
        files = []
        for i, name in enumerate(meta.concept_files):
            file = (folder / name).resolve()
            if folder.resolve() not in file.parents or not file.is_file():
                problems.append(
                    Problem(
                        str(meta_path),
                        1,
                        1,
                        f"concept_files[{i}]",
                        f"no such file in the pack: {name!r}",
                    )
                )
            else:
                files.append(file)
        return files
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix in YAML_SUFFIXES and p.name not in (PACK_FILE, "pack.yml")
    )
    if len(files) > MAX_CONCEPT_FILES:
        problems.append(
            Problem(
                str(folder),
                1,
                1,
                "",
                f"{len(files):,} concept files; a pack holds at most {MAX_CONCEPT_FILES:,}",
            )
        )
        return []
    if not files:
        problems.append(
            Problem(
                str(meta_path), 1, 1, "", "the pack has no concept files (*.yaml beside pack.yaml)"
            )
        )
    return files


def _load_single_file(path: Path, problems: list[Problem]) -> LoadedPack | None:
    read = _read(path, problems)
    if read is None or not _expect_mapping(read[0], read[1], problems):
        return None
    data, source = read
    pack = _validate(models.Pack, data, ConceptSource(source, ()), problems)
    if pack is None:
        return None
    sources = [ConceptSource(source, ("concepts", i)) for i in range(len(pack.concepts))]
    for concept, where in zip(pack.concepts, sources, strict=True):
        _attach_sources(concept, where)
    return LoadedPack(pack, path, sources)


def _attach_sources(concept: models.Concept, where: ConceptSource) -> None:
    def ref(path: tuple[str | int, ...]) -> models.SourceRef:
        line, column = where.source.locate((*where.base, *path))
        return models.SourceRef(file=where.source.file, line=line, column=column)

    concept._source = ref(())
    for i, fact in enumerate(concept.facts):
        fact._source = ref(("facts", i))
    for i, question in enumerate(concept.questions):
        question._source = ref(("questions", i))


# --- validation errors -> located problems -------------------------------------


def _validate(
    model: type[BaseModel], data: Any, where: ConceptSource, problems: list[Problem]
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        data_at_base = data
        for error_detail in error.errors(include_url=False):
            problems.append(_problem_from_error(error_detail, data_at_base, where))
        return None


def _has(node: Any, part: Any) -> bool:
    """True when ``part`` is a key of the mapping or an index of the list ``node``."""
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)


def _problem_from_error(detail: Any, data: Any, where: ConceptSource) -> Problem:
    loc = detail["loc"]
    kind = detail["type"]
    real: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        if _has(current, part):
            real.append(part)
            current = current[part]
        elif kind == "missing" and i == len(loc) - 1:
            real.append(part)
        # anything else is a union tag or validator name that is not in the file
    path = tuple(real)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        return where.problem(path, _unknown_key_message(key), key=True)
    if kind == "missing":
        return where.problem(path, f"missing required field {str(loc[-1])!r}")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tag = current.get("type") if isinstance(current, dict) else None
        known = ", ".join(models.QUESTION_TYPES)
        if tag is None:
            return where.problem(path, f"a question needs a 'type': one of {known}")
        suggestion = _suggest(str(tag), models.QUESTION_TYPES)
        return where.problem(
            (*path, "type"), f"unknown question type {tag!r}{suggestion}; expected one of {known}"
        )
    if kind == "string_pattern_mismatch" and path and path[-1] == "id":
        return where.problem(
            path,
            f"{current!r} is not a valid id: use lowercase letters, digits, '-' and '_' (at most 64)",
        )
    message = str(detail["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if (
        kind not in ("value_error", "assertion_error")
        and "input" in detail
        and not isinstance(detail["input"], dict | list)
    ):
        message = f"{message} (got {_show(detail['input'])})"
    return where.problem(path, message)


@functools.cache
def _all_field_names() -> frozenset[str]:
    names: set[str] = set()
    stack: list[type[BaseModel]] = [models.Pack]
    seen: set[type[BaseModel]] = set()
    for cls in vars(models).values():
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            stack.append(cls)
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        names.update(cls.model_fields)
    return frozenset(names)


def _unknown_key_message(key: str) -> str:
    return f"unknown key {key!r}{_suggest(key, _all_field_names())}"


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- cross-field checks --------------------------------------------------------


def _duplicate_ids(loaded: LoadedPack) -> list[Problem]:
    problems: list[Problem] = []
    first_concept: dict[str, models.SourceRef] = {}
    for concept, where in zip(loaded.pack.concepts, loaded.concept_sources, strict=True):
        if concept.id in first_concept:
            problems.append(
                where.problem(
                    ("id",),
                    f"duplicate concept id {concept.id!r} (first at {first_concept[concept.id].format()})",
                )
            )
        else:
            first_concept[concept.id] = concept.source
        for field, items in (("questions", concept.questions), ("facts", concept.facts)):
            seen: dict[str, int] = {}
            for i, item in enumerate(items):
                if item.id is None:
                    continue
                if item.id in seen:
                    first = where.source.locate((*where.base, field, seen[item.id], "id"))
                    problems.append(
                        where.problem(
                            (field, i, "id"),
                            f"duplicate {field[:-1]} id {item.id!r} in concept {concept.id!r} (first at line {first[0]})",
                        )
                    )
                else:
                    seen[item.id] = i
    return problems
