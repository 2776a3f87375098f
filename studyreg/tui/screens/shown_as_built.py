"""A screen shown as it was built, without a second styling or a second layout.

Textual, showing a screen for the first time, redoes two things it has just done:
- its ScreenResume restyles every node, so that a screen shown *again* picks up what
  changed while it was hidden; the first time, every node was styled as it mounted a
  moment before (about a quarter of the style work of building the concept screen);
- its first layout tells the screen its own size with a Resize, which the screen answers
  with another layout at that same size (13 ms of the concept screen's ~146 once the
  restyle above is skipped; cheap only while that restyle had just run).
A resize of the terminal, or showing the screen again, still does both.
"""

from __future__ import annotations

from textual import events


class ShownAsBuilt:
    """Mixed into a ``Screen``: skips the restyle of its first ScreenResume and any
    Resize to the size it is already laid out at."""

    _shown_before = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._shown_before:
            self._shown_before = True
            event.refresh_styles = False

    def on_resize(self, event: events.Resize) -> None:
        if event.size == self.outer_size:  # type: ignore[attr-defined]
            event.prevent_default()
