"""The screen's keys on the bottom line, drawn as one widget.

Textual's Footer is a scrolling container with a widget per key, rebuilt (every key
composed, styled and laid out afresh) on each ``bindings_updated`` signal. On a new
screen its keys were about a fifth of the cost of showing it (a header and a footer
cost a bare screen more than 40 lines of text), and a single answer check sends several
signals. This footer is one line of text: the keys are links, a change of keys is a
repaint of one line, and the signals of a frame are coalesced into one look at the keys.

It shows what Textual's shows, in its colours: each shown binding (one per action) as
key and description, a disabled one dimmed, and the command palette's key at the right.
A click on a key presses it; on a disabled key it rings the bell. Not kept: binding
groups (no studyreg screen uses them), per-key tooltips, and horizontal scrolling (at
80 columns no screen's keys overflow; if they did the line ends in an ellipsis, the
palette key still shown).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from textual.app import RenderResult
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen
from textual.widget import Widget


class Key(NamedTuple):
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    enabled: bool


def key_content(key: Key, *, palette: bool = False) -> Content:
    """A key as Textual's FooterKey draws it (" esc Back ", the palette's "^p palette"),
    a link that presses it."""
    action = f"app.simulate_key({key.key!r})" if key.enabled else "app.bell"
    pad = "" if palette else " "
    text = (
        f"[b $footer-key-foreground on $footer-key-background]{pad}{escape(key.display)}{pad}[/]"
        f"[$footer-description-foreground on $footer-description-background]"
        f"{' ' if palette else ''}{escape(key.description)}{pad}[/]"
    )
    content = Content.from_markup(f"[@click={action}]{text}[/]")
    return content if key.enabled else content.stylize("dim")


class Footer(Widget, can_focus=False):
    """A drop-in for ``textual.widgets.Footer``: the current screen's keys, one line."""

    ALLOW_SELECT = False
    auto_links = False  # links in the keys' own colours, not underlined in the link colour
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.shown: tuple[tuple[Key, ...], Key | None] | None = None  # as last drawn
        self._pending = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        # While the terminal has lost focus Textual clears the focus, and with it the
        # focused widget's keys: they come back with the focus, so nothing is redrawn.
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._refresh_if_changed)

    def _refresh_if_changed(self) -> None:
        self._pending = False
        if self.is_attached and self.keys() != self.shown:
            self.refresh()

    def keys(self) -> tuple[tuple[Key, ...], Key | None]:
        """The shown keys (the first binding of each action, in the screen's order) and
        the command palette's key, if it is offered."""
        app = self.app
        active = self.screen.active_bindings
        keys: dict[str, Key] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = Key(
                    binding.key, app.get_key_display(binding), binding.description, enabled
                )
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = Key(binding.key, app.get_key_display(binding), binding.description, enabled)
        return tuple(keys.values()), palette

    def render(self) -> RenderResult:
        self.shown = shown = self.keys()
        keys, palette = shown
        line = Content("").join(key_content(key) for key in keys)
        if palette is None:
            return line
        # The palette key at the right edge, after a thin rule, as Textual docks it.
        right = Content.assemble(
            Content.from_markup("[$foreground 20%]▏[/]"),
            key_content(palette, palette=True),
            " ",
        )
        room = max(0, self.size.width - right.cell_length)
        if line.cell_length > room:
            line = line.truncate(room, ellipsis=True)
        return Content.assemble(line, " " * (room - line.cell_length), right)
