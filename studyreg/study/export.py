"""Every attempt, as CSV or JSON, to a stream or (atomically) to a file.

Columns/keys: ``id``, ``answered_at`` (ISO 8601 UTC), ``day`` (the learner's local
date), ``pack_id``, ``pack_version``, ``concept_id``, ``question_id``,
``question_type``, ``mode``, ``response``, ``status``, ``score``, ``seconds``,
``params`` (an object in JSON, JSON text in CSV), ``seed``, ``rating`` (empty/null when
none). JSON is one array of objects, oldest attempt first.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO

from studyreg.atomic import atomic_output
from studyreg.study.store import ProgressStore

FORMATS = ("csv", "json")
COLUMNS = (
    "id",
    "answered_at",
    "day",
    "pack_id",
    "pack_version",
    "concept_id",
    "question_id",
    "question_type",
    "mode",
    "response",
    "status",
    "score",
    "seconds",
    "params",
    "seed",
    "rating",
)


def write_csv(store: ProgressStore, out: IO[str]) -> int:
    """Write every attempt as CSV (header first); the number of attempts."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in store.attempts():
        record["params"] = json.dumps(record["params"], sort_keys=True, ensure_ascii=False)
        writer.writerow(record)
        count += 1
    return count


def write_json(store: ProgressStore, out: IO[str]) -> int:
    """Write every attempt as a JSON array of objects; the number of attempts."""
    count = 0
    out.write("[")
    for record in store.attempts():
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps({k: record[k] for k in COLUMNS}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def export(store: ProgressStore, fmt: str, out: IO[str]) -> int:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")
    return write_csv(store, out) if fmt == "csv" else write_json(store, out)


def export_to_file(store: ProgressStore, fmt: str, path: Path) -> int:
    """Export to ``path`` via a temporary file renamed over it: never half a file."""
    with atomic_output(path, text=True) as out:
        return export(store, fmt, out)
