"""Typed access to the running :class:`~studyreg.tui.app.StudyApp` from a screen or widget.

Textual types ``node.app`` as ``App[object]``; the screens call the study app's own
actions (``start_session``, ``action_start_exam``…). ``study_app(self)`` says which app
that is, once, instead of a ``type: ignore`` at every call. Nothing is imported at run
time, so screens stay importable (and testable) on their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from studyreg.tui.app import StudyApp


def study_app(node: MessagePump) -> StudyApp:
    """The app ``node`` (a screen or widget) runs in: studyreg's ``StudyApp``."""
    return cast("StudyApp", node.app)
