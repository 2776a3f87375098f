"""A screen's scrolling body whose focus restyles the body alone."""

from __future__ import annotations

from textual.containers import VerticalScroll


class ScrollBody(VerticalScroll):
    """A ``VerticalScroll`` that restyles only itself as it gains or loses focus.

    Textual restyles a widget and everything in it on each focus change, in case a
    rule styles descendants by their ancestor's focus. No rule here does, and a screen's
    body holds all of the screen: a new quiz focused its body first (Textual's auto
    focus) and then its answer field, two restyles of every widget in the quiz, ~19 ms
    of opening it."""

    def watch_has_focus(self, has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)
