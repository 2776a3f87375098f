"""The header line (icon and title), drawn as one widget.

Textual's Header is a container of three widgets (icon, title, clock space) whose title
is filled in by four watchers once it mounts, each ``Static.update`` asking for a
layout of the whole screen. This one draws the same line itself: the title is read as
it is drawn, and a change of title or sub-title is a repaint of one line.

It looks as Textual's does without a clock: the icon in the first eight columns (a
click opens the command palette), the title centred between it and the clock's empty
ten columns. Not kept: the icon's hover shade and tooltip, and the click that makes
the header three lines tall.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

ICON_WIDTH = 8  # as Textual's HeaderIcon: " ⭘" and its padding
CLOCK_WIDTH = 10  # the space Textual keeps for the clock, so titles sit where they did


class Header(Widget):
    """A drop-in for ``textual.widgets.Header`` (no clock): one line, one widget."""

    DEFAULT_CSS = """
    Header {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        text-wrap: nowrap;
    }
    """
    auto_links = False  # the icon is a link, not drawn as one

    ICON = "⭘"

    def on_mount(self) -> None:
        app, screen = self.app, self.screen
        for node, attribute in (
            (app, "title"),
            (app, "sub_title"),
            (screen, "title"),
            (screen, "sub_title"),
        ):
            self.watch(node, attribute, self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()  # the same line: a repaint, no layout

    def format_title(self) -> Content:
        """The screen's title and sub-title (else the app's), as the app formats them."""
        app, screen = self.app, self.screen
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def render(self) -> RenderResult:
        width = self.size.width
        icon = Content.from_markup(
            f"[@click=app.command_palette] {self.ICON}{' ' * (ICON_WIDTH - 2)}[/]"
            if self.app.ENABLE_COMMAND_PALETTE
            else f" {self.ICON}{' ' * (ICON_WIDTH - 2)}"
        )
        room = max(0, width - ICON_WIDTH - CLOCK_WIDTH)
        title = self.format_title().rstrip().truncate(room, ellipsis=True)
        left = (room - title.cell_length) // 2
        return Content.assemble(
            icon,
            " " * left,
            title,
            " " * (width - ICON_WIDTH - left - title.cell_length),
        )
