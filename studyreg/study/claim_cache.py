"""Measured rates of a pack's claims, kept on disk so the app measures each once.

The Concept screen shows beside each fact how often its check holds over the
pack's ``verify.seeds`` seeds at the parameters of the run on screen. Measuring
takes up to a minute for the networks, so the counts are cached per pack version:
the key is the pack's id and version, a hash of its files (concept YAML,
``pack.yaml``, its own experiment code), the studyreg version and the number of
seeds. Any edit to the pack gives a new key; stale files are simply never read.

The cache lives in ``<data dir>/cache`` when a data directory is given
(``--data-dir`` or ``$STUDYREG_HOME``), else in the platform's user cache directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from studyreg.atomic import write_atomically
from studyreg.content import models
from studyreg.sandbox import code_files
from studyreg.study.verify_report import ClaimRate

CACHE_FOLDER = "claims"


def cache_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where measured rates are kept: ``studyreg.paths.cache_dir``."""
    from studyreg.paths import cache_dir as studyreg_cache_dir

    return studyreg_cache_dir(data_dir)


def pack_files(pack: models.Pack) -> list[Path]:
    """The files a pack is made of: its concept files, ``pack.yaml`` and its own code."""
    files = {Path(c.source.file) for c in pack.concepts if c.source.file != "<memory>"}
    if pack.root is not None:
        root = Path(pack.root)
        files.add(root / "pack.yaml")
        files.update(code_files(root))
    return sorted(files)


def pack_key(pack: models.Pack, seeds: int) -> str:
    """A hex digest naming this exact pack, studyreg version and number of seeds."""
    from studyreg import __version__

    digest = hashlib.sha256()
    for part in (pack.id, pack.version, __version__, str(seeds)):
        digest.update(part.encode() + b"\0")
    files = pack_files(pack)
    for path in files:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            files = []
            break
    if not files:  # a pack built in memory (or gone from disk): its content stands in
        digest.update(pack.model_dump_json().encode())
    return digest.hexdigest()[:32]


def params_key(params: Mapping[str, Any]) -> str:
    return json.dumps(dict(sorted(params.items())), sort_keys=True)


class ClaimCache:
    """Counts per (concept, parameter set, fact), read from and written to one JSON file."""

    def __init__(self, pack: models.Pack, directory: Path, seeds: int | None = None) -> None:
        self.pack = pack
        self.seeds = int(seeds or pack.verify.seeds)
        self.path = directory / CACHE_FOLDER / f"{pack.id}-{pack_key(pack, self.seeds)}.json"
        self._lock = threading.Lock()
        self._data: dict[str, dict[str, dict[str, list[int]]]] | None = None

    def _load(self) -> dict[str, dict[str, dict[str, list[int]]]]:
        if self._data is None:
            try:
                self._data = json.loads(self.path.read_text(encoding="utf-8"))["concepts"]
            except (OSError, ValueError, KeyError, TypeError):
                self._data = {}
        return self._data

    def get(self, concept_id: str, params: Mapping[str, Any]) -> dict[int, ClaimRate] | None:
        """Cached rates per fact index at these (validated) parameters, or None."""
        with self._lock:
            found = self._load().get(concept_id, {}).get(params_key(params))
        if found is None:
            return None
        return {int(i): ClaimRate(held, seeds) for i, (held, seeds) in found.items()}

    def measure(
        self,
        concept: models.Concept,
        params: Mapping[str, Any],
        *,
        workers: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        offload: bool = False,
    ) -> dict[int, ClaimRate]:
        """Rates per fact index at ``params``: from the cache, else measured and stored."""
        cached = self.get(concept.id, params)
        if cached is not None:
            return cached
        from studyreg.study.verify import verify_pack

        report = verify_pack(
            self.pack,
            seeds=self.seeds,
            workers=workers,
            progress=progress,
            concept_ids=[concept.id],
            params=params,
            offload=offload,
        )
        rates = {
            check.fact_index: ClaimRate(check.results[0].held, check.results[0].seeds)
            for check in report.checks
        }
        self._store(concept.id, params, rates)
        return rates

    def _store(
        self, concept_id: str, params: Mapping[str, Any], rates: dict[int, ClaimRate]
    ) -> None:
        with self._lock:
            data = self._load()
            data.setdefault(concept_id, {})[params_key(params)] = {
                str(i): [r.held, r.seeds] for i, r in rates.items()
            }
            text = json.dumps({"pack": self.pack.id, "seeds": self.seeds, "concepts": data})
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(self.path, text.encode("utf-8"))
            except OSError:
                pass  # a read-only cache only means measuring again next time
