"""Validated packs kept on disk, so that the app shows them before pydantic is imported.

One JSON file per pack in the cache directory (``studyreg.paths.cache_dir``) holds the
validated pack (its ``model_dump``), where each concept, fact and question was written,
and a plain summary of what Home lists. An entry is used only while its *key* still
matches: the studyreg version, the Python version, the size and mtime of every module
of studyreg itself, and the SHA-256 of every file of the pack (YAML and code). Anything
else (another key, a newer or older format, a file that is not JSON, a dump that no
longer validates) is a miss: the pack is loaded from its files and the entry written
again, atomically. So an edited pack is never shown from the cache.

Two ways in:

- :func:`preview` (the app's first frame): the Home summaries of every pack whose
  entry is up to date, read with ``json`` alone; no pydantic, no numpy.
- :func:`load_catalog` (the app's loading worker, or anyone): the :class:`Catalog`,
  rebuilt from up-to-date entries without reading YAML or checking experiment
  references again, when nothing those checks depend on outside the pack has changed
  either (the installed experiment plugins and, for a pack with code, whether it is
  trusted); otherwise loaded from the files like :meth:`Catalog.load`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import studyreg
from studyreg.atomic import write_atomically

if TYPE_CHECKING:
    from studyreg.content.models import Pack
    from studyreg.study.catalog import Catalog

FORMAT = 1
MAX_FILES = 5_000
MAX_BYTES = 64 * 1024 * 1024  # a pack larger than this is not cached (hashing would cost)
_SKIP_DIRS = ("__pycache__",)
# = studyreg.experiments.registry.PLUGIN_GROUP, which imports numpy (tests check they agree)
PLUGIN_GROUP = "studyreg.experiments"


# --- the key ---------------------------------------------------------------------


def _pack_files(path: Path) -> list[Path] | None:
    """Every file of the pack at ``path`` (hidden files and ``__pycache__`` left out),
    sorted; None when it is too big to hash quickly or cannot be listed."""
    if path.is_file():
        return [path]
    files: list[Path] = []
    try:
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
            files.extend(Path(folder) / name for name in names if not name.startswith("."))
            if len(files) > MAX_FILES:
                return None
    except OSError:
        return None
    return sorted(files)


def _own_code_stamp() -> list[Any]:
    """Size and mtime of every module of studyreg: an edited checkout is another version."""
    package = Path(studyreg.__file__).parent
    stamp: list[Any] = []
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(names):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                stamp.append([name, info.st_size, info.st_mtime_ns])
    return stamp


def pack_key(path: str | Path) -> dict[str, Any] | None:
    """What an entry for the pack at ``path`` must match; None: do not cache this pack."""
    resolved = Path(path).expanduser().resolve()
    files = _pack_files(resolved)
    if files is None:
        return None
    hashes: dict[str, str] = {}
    total = 0
    base = resolved if resolved.is_dir() else resolved.parent
    try:
        for file in files:
            data = file.read_bytes()
            total += len(data)
            if total > MAX_BYTES:
                return None
            hashes[file.relative_to(base).as_posix()] = hashlib.sha256(data).hexdigest()
    except OSError:
        return None
    return {
        "format": FORMAT,
        "studyreg": studyreg.__version__,
        "python": sys.version,
        "code": _own_code_stamp(),
        "path": str(resolved),
        "files": hashes,
    }


def entry_path(directory: str | Path, pack_path: str | Path) -> Path:
    """The cache file of one pack: named after a hash of its resolved path."""
    resolved = str(Path(pack_path).expanduser().resolve())
    name = hashlib.sha256(resolved.encode()).hexdigest()[:24]
    return Path(directory) / "catalog" / f"{name}.json"


def _read_entry(
    directory: str | Path, pack_path: Path, key: dict[str, Any]
) -> dict[str, Any] | None:
    try:
        entry = json.loads(entry_path(directory, pack_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    if not isinstance(entry.get("summary"), dict) or not isinstance(entry.get("pack"), dict):
        return None
    return entry


# --- the preview: what Home lists, without pydantic -------------------------------------


# NamedTuples rather than dataclasses: this module is imported before the first frame,
# and a NamedTuple class costs a sixth of a dataclass to create.


class ExperimentPreview(NamedTuple):
    name: str
    scope: str | None


class ItemPreview(NamedTuple):
    id: str | None


class ConceptPreview(NamedTuple):
    """The attributes of a Concept that Home reads, from the cache."""

    id: str
    title: str
    definition: str
    summary: str | None
    experiment: ExperimentPreview | None
    facts: list[ItemPreview]
    questions: list[ItemPreview]


class PackPreview(NamedTuple):
    """The attributes of a Pack that Home reads, from the cache."""

    id: str
    title: str
    course: str | None
    description: str | None
    version: str
    authors: list[str]
    concepts: list[ConceptPreview]

    @property
    def question_count(self) -> int:
        return sum(len(c.questions) for c in self.concepts)


class CatalogPreview(NamedTuple):
    """Packs as Home lists them before the real catalog is loaded (no problems known)."""

    packs: list[PackPreview]
    problems: list[Any]


def _summary(pack: Pack) -> dict[str, Any]:
    return {
        "id": pack.id,
        "title": pack.title,
        "course": pack.course,
        "description": pack.description,
        "version": pack.version,
        "authors": list(pack.authors),
        "concepts": [
            {
                "id": c.id,
                "title": c.title,
                "definition": c.definition,
                "summary": c.summary,
                "experiment": None
                if c.experiment is None
                else {"name": c.experiment.name, "scope": c.experiment.scope},
                "facts": [f.id for f in c.facts],
                "questions": [q.id for q in c.questions],
            }
            for c in pack.concepts
        ],
    }


def _pack_preview(data: dict[str, Any]) -> PackPreview:
    concepts = [
        ConceptPreview(
            id=c["id"],
            title=c["title"],
            definition=c["definition"],
            summary=c["summary"],
            experiment=None
            if c["experiment"] is None
            else ExperimentPreview(c["experiment"]["name"], c["experiment"]["scope"]),
            facts=[ItemPreview(i) for i in c["facts"]],
            questions=[ItemPreview(i) for i in c["questions"]],
        )
        for c in data["concepts"]
    ]
    return PackPreview(
        id=data["id"],
        title=data["title"],
        course=data["course"],
        description=data["description"],
        version=data["version"],
        authors=list(data["authors"]),
        concepts=concepts,
    )


def _resolve(paths: Sequence[str | Path] | None) -> list[Path]:
    from studyreg.content.discovery import resolve_pack_paths

    return resolve_pack_paths([str(p) for p in paths] if paths else None)


def preview(paths: Sequence[str | Path] | None, directory: str | Path) -> CatalogPreview | None:
    """Home's view of the packs at ``paths``, if every one of them has an up-to-date
    entry (else None: the app waits for the real catalog). Never raises."""
    try:
        result = CatalogPreview(packs=[], problems=[])
        for path in _resolve(paths):
            key = pack_key(path)
            entry = None if key is None else _read_entry(directory, path, key)
            if entry is None:
                return None
            pack = _pack_preview(entry["summary"])
            if any(p.id == pack.id for p in result.packs):
                continue  # Catalog.load skips a second pack with the same id
            result.packs.append(pack)
        return result
    except Exception:  # a cache must never stop the app: the real load follows anyway
        return None


# --- the catalog --------------------------------------------------------------------------


def _environment(root: str | None) -> dict[str, Any]:
    """What the experiment-reference checks depend on outside the pack's own files."""
    from importlib.metadata import entry_points

    plugins = sorted(
        f"{p.name}={p.value}@{p.dist.version if p.dist else ''}"
        for p in entry_points(group=PLUGIN_GROUP)
    )
    trusted: bool | None = None
    if root is not None:
        from studyreg.sandbox.files import code_files

        if code_files(root):
            from studyreg.study.trust import current_trust_store

            trusted = current_trust_store().status(root).trusted
    return {"plugins": plugins, "trusted": trusted}


def _source_list(items: Sequence[Any]) -> list[list[Any]]:
    return [[i.source.file, i.source.line, i.source.column] for i in items]


def _entry(key: dict[str, Any], pack: Pack) -> dict[str, Any]:
    return {
        "key": key,
        "environment": _environment(pack.root),
        "summary": _summary(pack),
        "pack": pack.model_dump(mode="json"),
        "root": pack.root,
        "scopes": [None if c.experiment is None else c.experiment.scope for c in pack.concepts],
        "sources": [
            {
                "concept": _source_list([c])[0],
                "facts": _source_list(c.facts),
                "questions": _source_list(c.questions),
            }
            for c in pack.concepts
        ],
    }


def _rebuild(entry: dict[str, Any]) -> Pack:
    """The pack of an entry: validated again from its dump, with its private attributes."""
    from studyreg.content.models import Pack, SourceRef

    pack = Pack.model_validate(entry["pack"])
    pack._root = entry["root"]
    sources, scopes = entry["sources"], entry["scopes"]
    if len(sources) != len(pack.concepts) or len(scopes) != len(pack.concepts):
        raise ValueError("the entry's sources do not match its concepts")

    def ref(where: list[Any]) -> SourceRef:
        file, line, column = where
        return SourceRef(file=file, line=line, column=column)

    for concept, where, scope in zip(pack.concepts, sources, scopes, strict=True):
        concept._source = ref(where["concept"])
        for fact, at in zip(concept.facts, where["facts"], strict=True):
            fact._source = ref(at)
        for question, at in zip(concept.questions, where["questions"], strict=True):
            question._source = ref(at)
        if concept.experiment is not None:
            concept.experiment._scope = scope
    return pack


def _load_one(path: Path, directory: str | Path) -> Pack:
    """The pack at ``path``: from its entry when up to date, else from its files (PackError
    lists the problems), writing the entry again."""
    key = pack_key(path)
    if key is not None:
        entry = _read_entry(directory, path, key)
        if entry is not None:
            try:
                if entry.get("environment") == _environment(entry.get("root")):
                    return _rebuild(entry)
            except Exception:  # noqa: S110 - an unusable entry is a miss; the files decide
                pass
    from studyreg.study.packs import load_pack  # imports the experiments, hence numpy

    pack = load_pack(path)
    if key is not None:
        _write(directory, path, _entry(key, pack))
    return pack


def _write(directory: str | Path, path: Path, entry: dict[str, Any]) -> None:
    target = entry_path(directory, path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, json.dumps(entry, separators=(",", ":")).encode("utf-8"))
    except (OSError, TypeError, ValueError):
        pass  # a read-only or full cache directory only costs the next start-up time


def load_catalog(paths: Sequence[str | Path] | None, directory: str | Path) -> Catalog:
    """Like :meth:`Catalog.load`, through the cache in ``directory``."""
    from studyreg.content import PackError, Problem
    from studyreg.study.catalog import Catalog

    catalog = Catalog()
    seen: set[str] = set()
    for path in _resolve(paths):
        try:
            pack = _load_one(path, directory)
        except PackError as error:
            catalog.problems.extend(error.problems)
            continue
        if pack.id in seen:
            catalog.problems.append(
                Problem(
                    str(path), 1, 1, "id", f"a pack with id {pack.id!r} is already loaded; skipped"
                )
            )
            continue
        seen.add(pack.id)
        catalog.packs.append(pack)
    return catalog
