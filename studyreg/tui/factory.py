"""The one way to build the app: the CLI, ``studyreg serve`` and the tests all come here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from studyreg.tui.app import OPEN_DEFAULT_STORE, StudyApp

if TYPE_CHECKING:
    from studyreg.study.store import ProgressStore


def create_app(
    pack_paths: Sequence[str | Path] | None = None,
    data_dir: str | Path | None = None,
    theme: str | None = None,
    store: ProgressStore | None = OPEN_DEFAULT_STORE,
) -> StudyApp:
    """Build the study app.

    ``pack_paths`` None means the bundled pack (plus ``$STUDYREG_PACKS``); ``data_dir``
    None means ``$STUDYREG_HOME`` or the user data directory. ``store`` may be an open
    progress store, ``None`` for no store, or left alone to open the one in ``data_dir``.
    Packs are loaded and the store opened in a worker once the first screen shows.
    """
    return StudyApp(pack_paths=pack_paths, data_dir=data_dir, theme=theme, store=store)
