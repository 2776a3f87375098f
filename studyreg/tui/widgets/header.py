"""Textual's Header, with a title that never asks for a layout.

Textual's Header fills its title from four watchers (the app's and the screen's title
and sub-title), each firing once as the header mounts, and each ``Static.update`` of
the title asks for a layout of the whole screen (as a screen opens that request joins
the layout Textual makes once the screen is mounted; later, every title change costs a
layout of its own). The title is 100% of a one-line header, so its text never changes
its size: it is composed with its text and only repainted when the text does change.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.visual import VisualType
from textual.widgets import Header as TextualHeader
from textual.widgets._header import HeaderClockSpace, HeaderIcon, HeaderTitle


class FixedSizeTitle(HeaderTitle):
    """A header title whose updates repaint it, and only when its text changes."""

    def __init__(self, content: VisualType) -> None:
        super().__init__(content)
        self._shown = content

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        if content != self._shown:
            self._shown = content
            super().update(content, layout=False)


class Header(TextualHeader):
    """A drop-in ``textual.widgets.Header`` (no clock) whose title costs no layout."""

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(TextualHeader.icon)
        yield FixedSizeTitle(self.format_title())
        yield HeaderClockSpace()
