"""Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer recomposes (a new widget per key, each styled afresh) on every
``bindings_updated`` signal, and a single answer check sends several (focus moves,
buttons shown and hidden, ``refresh_bindings``): about a third of the CPU of a check
went there. This one coalesces the signals of a frame into one look at the keys and
recomposes only if what it would show is different.

Each key is also built in the footer's compact style, not restyled into it: a
``FooterKey`` starts compact and its binding to the footer's ``compact`` then turns that
off once it is mounted, each a restyle of the key (two per key, every screen).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    """A drop-in ``textual.widgets.Footer`` that skips rebuilds which change nothing."""

    def __init__(self, *args: Any, keys_at_once: bool = False, **kwargs: Any) -> None:
        """``keys_at_once``: for a screen whose keys are known as it is built (its
        ``check_action`` does not wait for something to load)."""
        super().__init__(*args, **kwargs)
        self._shown: tuple[Any, ...] | None = None
        self._pending = False
        self._keys_at_once = keys_at_once

    def compose(self) -> ComposeResult:
        # With keys_at_once, the keys are in the screen's first frame: Textual's Footer
        # shows nothing until the first bindings signal, then builds every key a frame
        # later (a second layout and repaint of the screen). The signal then finds the
        # same keys and rebuilds nothing. A screen whose keys change once its content
        # loads would build them twice: it keeps the default.
        if self._keys_at_once:
            self._bindings_ready = True
            self._shown = self._keys_shown()
        for widget in super().compose():
            if isinstance(widget, FooterKey):  # (keys in a binding group keep the default)
                if widget.has_class("-command-palette"):  # not bound: keeps its default
                    widget.add_class("-compact", update=False)
                else:
                    widget.set_reactive(FooterKey.compact, self.compact)
                    widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        shown = self._keys_shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _keys_shown(self) -> tuple[Any, ...]:
        """Everything ``compose`` reads: the shown bindings, enabled or not, and their
        labels, plus the palette key."""
        app = self.app
        keys = tuple(
            (
                binding.key,
                binding.action,
                binding.description,
                app.get_key_display(binding),
                enabled,
                tooltip,
                binding.group,
            )
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )
        return (self.show_command_palette, app.ENABLE_COMMAND_PALETTE, keys)
