"""The catalog cache: a hit rebuilds the same packs without reading YAML; any edit, another
version, a corrupt or foreign file, or a changed environment is a miss that reloads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import studyreg
from studyreg.content import bundled_pack_path
from studyreg.study import catalog_cache, packs
from studyreg.study.catalog import Catalog
from studyreg.study.catalog_cache import entry_path, load_catalog, preview

STUDY_PACK = Path(__file__).parent / "data" / "study_pack.yaml"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A copy of the bundled folder pack that the test may edit."""
    target = tmp_path / "pack"
    shutil.copytree(bundled_pack_path(), target)
    return target


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every pack read from its files (a cache hit reads none)."""
    calls: list[Path] = []
    real = packs.load_pack

    def counting(path):
        calls.append(Path(path))
        return real(path)

    monkeypatch.setattr(packs, "load_pack", counting)
    return calls


def _sources(catalog: Catalog) -> list[tuple[str, int, int]]:
    refs = []
    for pack in catalog.packs:
        for concept in pack.concepts:
            for item in (concept, *concept.facts, *concept.questions):
                refs.append((item.source.file, item.source.line, item.source.column))
    return refs


def test_a_hit_rebuilds_the_same_packs_without_reading_the_files(
    pack_dir: Path, tmp_path: Path, loads: list[Path]
) -> None:
    cache = tmp_path / "cache"
    first = load_catalog([pack_dir], cache)
    assert loads == [pack_dir]
    second = load_catalog([pack_dir], cache)
    assert loads == [pack_dir]  # not read again
    assert second.packs == first.packs == Catalog.load([pack_dir]).packs
    assert second.problems == []
    assert _sources(second) == _sources(first)
    assert second.packs[0].root == first.packs[0].root == str(pack_dir.resolve())
    scopes = [c.experiment.scope for c in second.packs[0].concepts if c.experiment]
    assert scopes and set(scopes) == {str(pack_dir.resolve())}


def test_a_single_file_pack_round_trips_too(tmp_path: Path, loads: list[Path]) -> None:
    first = load_catalog([STUDY_PACK], tmp_path)
    second = load_catalog([STUDY_PACK], tmp_path)
    assert len(loads) == 1
    assert second.packs == first.packs
    assert _sources(second) == _sources(first)
    assert second.packs[0].root is None


def test_preview_lists_what_home_shows_only_once_the_entry_exists(
    pack_dir: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert preview([pack_dir], cache) is None
    catalog = load_catalog([pack_dir], cache)
    shown = preview([pack_dir], cache)
    assert shown is not None
    pack, real = shown.packs[0], catalog.packs[0]
    assert (pack.id, pack.title, pack.version, pack.question_count) == (
        real.id,
        real.title,
        real.version,
        real.question_count,
    )
    assert [c.title for c in pack.concepts] == [c.title for c in real.concepts]
    assert [[q.id for q in c.questions] for c in pack.concepts] == [
        [q.id for q in c.questions] for c in real.concepts
    ]
    assert [c.experiment and c.experiment.name for c in pack.concepts] == [
        c.experiment and c.experiment.name for c in real.concepts
    ]


def test_editing_a_concept_file_reloads_it(
    pack_dir: Path, tmp_path: Path, loads: list[Path]
) -> None:
    cache = tmp_path / "cache"
    load_catalog([pack_dir], cache)
    concept_file = pack_dir / "dropout.yaml"
    text = concept_file.read_text(encoding="utf-8")
    old_title = next(line for line in text.splitlines() if line.startswith("title:"))
    concept_file.write_text(text.replace(old_title, "title: Dropout, edited"), encoding="utf-8")
    assert preview([pack_dir], cache) is None  # never the old title
    catalog = load_catalog([pack_dir], cache)
    assert len(loads) == 2
    assert "Dropout, edited" in [c.title for c in catalog.packs[0].concepts]
    shown = preview([pack_dir], cache)
    assert shown is not None and "Dropout, edited" in [c.title for c in shown.packs[0].concepts]


def test_adding_a_file_to_the_pack_is_a_miss(
    pack_dir: Path, tmp_path: Path, loads: list[Path]
) -> None:
    cache = tmp_path / "cache"
    load_catalog([pack_dir], cache)
    (pack_dir / "experiments").mkdir()
    (pack_dir / "experiments" / "helper_notes.txt").write_text("x", encoding="utf-8")
    assert preview([pack_dir], cache) is None
    load_catalog([pack_dir], cache)
    assert len(loads) == 2


def test_another_studyreg_version_is_a_miss(
    pack_dir: Path, tmp_path: Path, loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    load_catalog([pack_dir], cache)
    monkeypatch.setattr(studyreg, "__version__", "99.0")
    assert preview([pack_dir], cache) is None
    load_catalog([pack_dir], cache)
    assert len(loads) == 2


@pytest.mark.parametrize(
    "garbage",
    [b"", b"{not json", b"[1, 2]", b'{"key": 1}', b"\xff\xfe\x00"],
    ids=["empty", "truncated", "a-list", "foreign", "binary"],
)
def test_a_corrupt_entry_is_rebuilt_silently(
    pack_dir: Path, tmp_path: Path, loads: list[Path], garbage: bytes
) -> None:
    cache = tmp_path / "cache"
    first = load_catalog([pack_dir], cache)
    entry = entry_path(cache, pack_dir)
    entry.write_bytes(garbage)
    assert preview([pack_dir], cache) is None
    again = load_catalog([pack_dir], cache)
    assert len(loads) == 2 and again.packs == first.packs
    assert json.loads(entry.read_text(encoding="utf-8"))["key"]["format"] == catalog_cache.FORMAT


def test_an_entry_whose_dump_no_longer_validates_is_a_miss(
    pack_dir: Path, tmp_path: Path, loads: list[Path]
) -> None:
    cache = tmp_path / "cache"
    first = load_catalog([pack_dir], cache)
    entry = entry_path(cache, pack_dir)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["pack"]["concepts"][0]["questions"][0]["type"] = "no_such_type"
    entry.write_text(json.dumps(data), encoding="utf-8")
    again = load_catalog([pack_dir], cache)
    assert len(loads) == 2 and again.packs == first.packs


def test_a_changed_environment_rechecks_the_pack(
    pack_dir: Path, tmp_path: Path, loads: list[Path]
) -> None:
    """The experiment-reference checks depend on the installed plugins: a different
    plugin list (here written into the entry) means the pack is loaded and checked again."""
    cache = tmp_path / "cache"
    load_catalog([pack_dir], cache)
    entry = entry_path(cache, pack_dir)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["environment"]["plugins"] = ["gone=somewhere:EXPERIMENT@1.0"]
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert preview([pack_dir], cache) is not None  # the text is still the pack's own
    load_catalog([pack_dir], cache)
    assert len(loads) == 2


def test_plugin_group_matches_the_registry() -> None:
    from studyreg.experiments.registry import PLUGIN_GROUP

    assert catalog_cache.PLUGIN_GROUP == PLUGIN_GROUP


def test_a_broken_pack_is_reported_like_catalog_load_and_not_cached(
    pack_dir: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\ntitle: Broken\nconcepts: [{id: x}]\n", encoding="utf-8")
    paths = [pack_dir, broken, STUDY_PACK, pack_dir / "pack.yaml"]
    catalog = load_catalog(paths, cache)
    expected = Catalog.load(paths)
    assert [p.id for p in catalog.packs] == [p.id for p in expected.packs]
    assert catalog.problems == expected.problems and catalog.problems
    assert not entry_path(cache, broken).exists()
    assert preview(paths, cache) is None  # one pack has no entry: wait for the real load


def test_an_unwritable_cache_directory_costs_nothing_but_time(
    pack_dir: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    catalog = load_catalog([pack_dir], blocker)
    assert catalog.packs and not catalog.problems
    assert preview([pack_dir], blocker) is None


def test_the_entry_is_written_whole(pack_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_catalog([pack_dir], cache)
    folder = entry_path(cache, pack_dir).parent
    assert [p.name for p in folder.iterdir()] == [entry_path(cache, pack_dir).name]  # no temp left


def test_preview_needs_no_pydantic(pack_dir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    cache = tmp_path / "cache"
    load_catalog([pack_dir], cache)
    code = (
        "import sys\n"
        "from studyreg.study.catalog_cache import preview\n"
        f"shown = preview([{str(pack_dir)!r}], {str(cache)!r})\n"
        "assert shown is not None and shown.packs[0].concepts\n"
        "print(sorted(m for m in ('pydantic', 'numpy', 'yaml') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
