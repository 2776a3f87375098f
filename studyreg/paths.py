"""Every path studyreg reads or writes, in one place."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP_NAME = "studyreg"
HOME_ENV = "STUDYREG_HOME"
DB_FILENAME = "progress.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``override`` (``--data-dir``), else ``$STUDYREG_HOME``, else the
    platform's user data directory."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False))


def progress_db_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The SQLite file that holds every attempt and review card."""
    return data_dir(override) / DB_FILENAME


def cache_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Recomputable data (measured claim rates): ``DIR/cache`` when the data directory is
    given (``--data-dir`` or ``$STUDYREG_HOME``), else the platform's user cache directory."""
    if override:
        return Path(override).expanduser() / "cache"
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser() / "cache"
    return Path(user_cache_dir(APP_NAME, appauthor=False))
