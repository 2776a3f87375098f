"""The Textual face of studyreg: screens, widgets and dialogs over ``studyreg.study``.

``StudyApp`` and ``create_app`` are imported lazily so that ``import studyreg.tui`` stays
cheap for callers that only need the factory's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyreg.tui.app import StudyApp
    from studyreg.tui.factory import create_app

__all__ = ["StudyApp", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "StudyApp":
        from studyreg.tui.app import StudyApp

        return StudyApp
    if name == "create_app":
        from studyreg.tui.factory import create_app

        return create_app
    raise AttributeError(name)
