"""A screen not restyled the first time it is shown.

Textual restyles every node of a screen each time it is shown (its ScreenResume), so
that a screen shown again picks up what changed while it was hidden. The first time,
every node was styled as it was mounted a moment before: that pass restyles all of them
again for nothing (a quarter of what building the concept screen cost in style work).
"""

from __future__ import annotations

from textual import events


class StyledAtMount:
    """Mixed into a ``Screen``: skips the restyle of its first ScreenResume only."""

    _shown_before = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._shown_before:
            self._shown_before = True
            event.refresh_styles = False
