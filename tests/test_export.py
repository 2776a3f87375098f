"""``studyreg export``: every attempt with every field, as CSV or JSON, written whole."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyreg.cli import main
from studyreg.study import export as export_module
from studyreg.study.export import COLUMNS, export, export_to_file
from studyreg.study.store import Attempt, ProgressStore

WHEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> ProgressStore:
    store = ProgressStore(tmp_path / "progress.sqlite3", now=lambda: WHEN, tz=UTC)
    store.record(
        Attempt(
            "p",
            "1.0",
            "lasso",
            "n-zero",
            "numeric",
            "quiz",
            "1,000",
            "correct",
            1.0,
            12.5,
            params={"alpha": 0.1, "n": 50},
            seed=7,
        )
    )
    store.record(
        Attempt(
            "p",
            "1.1",
            "ridge",
            "why",
            "free_response",
            "learn",
            'shrinks, "never" zero\nsecond line',
            "partial",
            0.5,
            40.0,
            rating=2,
        )
    )
    yield store
    store.close()


def test_csv_has_every_field_and_params_as_json_text(store: ProgressStore) -> None:
    out = io.StringIO()
    assert export(store, "csv", out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == COLUMNS
    first, second = rows
    assert first["id"] == "1" and first["pack_version"] == "1.0" and first["response"] == "1,000"
    assert json.loads(first["params"]) == {"alpha": 0.1, "n": 50}
    assert first["seed"] == "7" and first["rating"] == "" and first["score"] == "1.0"
    assert first["answered_at"] == "2025-03-01T12:00:00.000000+00:00"
    assert first["day"] == "2025-03-01" and first["mode"] == "quiz"
    assert second["response"] == 'shrinks, "never" zero\nsecond line'
    assert second["rating"] == "2" and second["status"] == "partial"
    assert second["question_type"] == "free_response" and json.loads(second["params"]) == {}


def test_json_is_an_array_of_attempt_objects(store: ProgressStore) -> None:
    out = io.StringIO()
    export(store, "json", out)
    records = json.loads(out.getvalue())
    assert [tuple(r) for r in records] == [COLUMNS, COLUMNS]
    assert records[0]["params"] == {"alpha": 0.1, "n": 50} and records[0]["seconds"] == 12.5
    assert records[1]["rating"] == 2 and records[1]["seed"] is None


def test_empty_store_exports_valid_empty_documents(tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3") as empty:
        as_json, as_csv = io.StringIO(), io.StringIO()
        export(empty, "json", as_json)
        export(empty, "csv", as_csv)
    assert json.loads(as_json.getvalue()) == []
    assert as_csv.getvalue() == ",".join(COLUMNS) + "\n"


def test_export_reads_past_one_batch(store: ProgressStore, monkeypatch) -> None:
    monkeypatch.setattr("studyreg.study.store._EXPORT_BATCH", 1)
    assert [r["id"] for r in store.attempts()] == [1, 2]


def test_unknown_format_is_refused(store: ProgressStore) -> None:
    with pytest.raises(ValueError, match="csv, json"):
        export(store, "xml", io.StringIO())


def test_a_failed_export_leaves_the_old_file_and_no_temp(
    store: ProgressStore, tmp_path: Path, monkeypatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("previous export\n")

    def explode(store, out):
        out.write("half a file")
        raise OSError("disk full")

    monkeypatch.setattr(export_module, "write_csv", explode)
    with pytest.raises(OSError, match="disk full"):
        export_to_file(store, "csv", target)
    assert target.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


def test_export_command_writes_a_file(store: ProgressStore, tmp_path: Path, capsys) -> None:
    target = tmp_path / "attempts.json"
    assert main(["export", "--data-dir", str(tmp_path), "-o", str(target)]) == 0
    assert len(json.loads(target.read_text())) == 2  # format taken from the extension
    assert "exported 2 attempts" in capsys.readouterr().err
    assert main(["export", "--data-dir", str(tmp_path), "--format", "csv", "-o", str(target)]) == 0
    assert target.read_text().startswith("id,answered_at,")


def test_export_command_prints_to_stdout(store: ProgressStore, tmp_path: Path, capsys) -> None:
    assert main(["export", "--data-dir", str(tmp_path), "--format", "json"]) == 0
    assert [r["question_id"] for r in json.loads(capsys.readouterr().out)] == ["n-zero", "why"]


def test_export_command_into_a_missing_directory_fails_cleanly(
    store: ProgressStore, tmp_path: Path, capsys
) -> None:
    code = main(["export", "--data-dir", str(tmp_path), "-o", str(tmp_path / "no" / "x.csv")])
    assert code == 1
    assert capsys.readouterr().err.startswith("studyreg: error: cannot write")


def test_every_export_file_is_an_ordinary_file_not_a_private_one(tmp_path) -> None:
    import os
    import stat
    import subprocess
    import sys

    old = os.umask(0o022)
    try:
        out = tmp_path / "pack.csv"
        subprocess.run(
            [sys.executable, "-m", "studyreg", "export-pack", "--format", "csv", "-o", str(out)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
