"""A screen's tabs, drawn as one widget."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from textual.app import RenderResult
from textual.content import Content
from textual.markup import escape
from textual.widget import Widget


class Tab(NamedTuple):
    name: str  # what the screen's ``show_tab`` action is given
    key: str  # the key that shows it, drawn first in bold
    label: str


class TabBar(Widget):
    """Tabs as Textual draws them ("d Definition  f Facts  e Experiment" over a rule
    whose stretch under the shown tab is lit); a click runs the screen's ``show_tab``
    action, as the tab's key does.

    One widget over the screen's ``ContentSwitcher``, not a ``TabbedContent``: that
    builds a dozen widgets (a scrolling row of tabs, an animated underline, a pane per
    tab), and opening a screen with it took ~28 ms longer to build and lay out
    (a bare screen pushed in a running app, with and without, in one run).
    """

    DEFAULT_CSS = """
    TabBar { height: 2; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    auto_links = False  # the tabs' own colours, not underlined as links

    def __init__(self, tabs: Sequence[Tab], active: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs = list(tabs)
        self.active = active

    def show(self, active: str) -> None:
        if active != self.active:
            self.active = active
            self.refresh()  # the same two lines: a repaint, no layout

    def render(self) -> RenderResult:
        faces, rule = [], []
        for tab in self.tabs:
            face = f" [b]{escape(tab.key)}[/b] {escape(tab.label)} "
            width = Content.from_markup(face).cell_length
            if tab.name == self.active:
                faces.append(f"[@click=screen.show_tab({tab.name!r})][$foreground]{face}[/][/]")
                # lit under the label, with half-bar ends as Textual's underline has
                lit = "━" * (width - 2)
                rule.append(
                    f"[$foreground 10%]╸[/][$block-cursor-background]{lit}[/][$foreground 10%]╺[/]"
                )
            else:
                faces.append(f"[@click=screen.show_tab({tab.name!r})][$foreground 50%]{face}[/][/]")
                rule.append(f"[$foreground 10%]{'━' * width}[/]")
        used = sum(Content.from_markup(face).cell_length for face in faces)
        rest = max(0, self.size.width - used)
        rule.append(f"[$foreground 10%]{'━' * rest}[/]")
        return Content.from_markup("".join(faces) + "\n" + "".join(rule))
