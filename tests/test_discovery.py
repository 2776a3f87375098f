"""Which packs load: the bundled default, --pack replacing it, STUDYREG_PACKS adding more."""

from __future__ import annotations

import os
from pathlib import Path

from studyreg.content import bundled_pack_path, resolve_pack_paths


def test_bundled_pack_is_the_default() -> None:
    assert resolve_pack_paths(None, environ={}) == [bundled_pack_path()]
    assert (bundled_pack_path() / "pack.yaml").is_file()


def test_pack_option_replaces_the_bundled_pack() -> None:
    assert resolve_pack_paths(["mine"], environ={}) == [Path("mine")]


def test_bundled_keyword_keeps_it_alongside() -> None:
    assert resolve_pack_paths(["bundled", "mine"], environ={}) == [
        bundled_pack_path(),
        Path("mine"),
    ]


def test_environment_adds_packs_in_order_without_duplicates() -> None:
    env = {"STUDYREG_PACKS": os.pathsep.join(["a", "", "b", "a"])}
    assert resolve_pack_paths(None, environ=env) == [bundled_pack_path(), Path("a"), Path("b")]
