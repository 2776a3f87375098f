"""One experiment figure drawn with textual-plotext; imported only by screens that plot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual.content import Content
from textual.markup import escape
from textual.message import Message
from textual.widgets import Static
from textual_plotext import PlotextPlot


def figures_of(series: dict[str, Any]) -> list[str]:
    """The distinct ``Series.figure`` titles, in the order the experiment gave them."""
    seen: list[str] = []
    for s in series.values():
        if s.figure not in seen:
            seen.append(s.figure)
    return seen


class FigureBar(Static):
    """An experiment's figures on one line, the one drawn highlighted; a click picks one.

    One widget, not a Tabs row: a Tab each (with their underline bar and its animation)
    cost a screen more to build, style and lay out than the plot they switch.
    """

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, titles: Sequence[str] = (), *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.titles: list[str] = []
        self.active = 0
        self.show_titles(titles, 0)

    def show_titles(self, titles: Sequence[str], active: int) -> None:
        self.titles, self.active = list(titles), active
        self.display = bool(self.titles)
        self.update(self.content_for(self.titles, active))

    @staticmethod
    def content_for(titles: Sequence[str], active: int) -> Content:
        """ "Plots ([ ]):  1 <its title>  2  3": the figure drawn reversed with its title,
        the others by number (one line however many), each a link."""
        if not titles:
            return Content("")
        keys = f" [dim]({escape('[ ]')})[/dim]" if len(titles) > 1 else ""
        chips = " ".join(
            f"[@click=choose({n})][reverse b] {n + 1} {escape(title)} [/][/]"
            if n == active
            else f"[@click=choose({n})] [u]{n + 1}[/u] [/]"
            for n, title in enumerate(titles)
        )
        return Content.from_markup(f"[b]Plots[/b]{keys}: {chips}")

    def action_choose(self, index: int) -> None:
        if 0 <= index < len(self.titles):
            self.post_message(self.Chosen(index))


class FigurePlot(PlotextPlot):
    """Draws every series of one figure on shared axes."""

    def __init__(self, *args: Any, blank_until_shown: bool = False, **kwargs: Any) -> None:
        """``blank_until_shown``: draw nothing (not an empty canvas, which costs as much
        as a full one) until ``show_figure`` is first called."""
        super().__init__(*args, **kwargs)
        self._blank = blank_until_shown

    def on_unmount(self) -> None:
        # PlotextPlot subscribes to theme changes with a callback that holds the widget,
        # in a signal that forgets removed widgets only when the theme next changes:
        # without this every plot ever shown (and what it holds) stays in memory, and
        # the garbage collector's full passes grow slower all session.
        self.app.theme_changed_signal.unsubscribe(self)

    def render(self) -> RenderResult:
        # plotext fails on tiny canvases (log of a zero span); a plot is never worth a crash.
        if self.size.width < 10 or self.size.height < 5 or self._blank:
            return Text("")
        try:
            return super().render()
        except (ValueError, ArithmeticError, IndexError) as error:
            return Text(f"cannot draw this figure here: {error}", style="dim")

    def show_figure(self, title: str, series: Sequence[Any]) -> None:
        plt = self.plt
        self._blank = False
        plt.clear_figure()
        plt.title(title)
        if not series:
            self.refresh()
            return
        first = series[0]
        xlog = first.xscale == "log" and all((s.x > 0).all() for s in series)
        ylog = first.yscale == "log" and all((s.y > 0).all() for s in series)
        for s in series:
            x, y = s.x.tolist(), s.y.tolist()
            if s.kind == "scatter":
                plt.scatter(x, y, label=s.label)
            elif s.kind == "bar":
                plt.bar(x, y, label=s.label)
            else:
                plt.plot(x, y, label=s.label)
        if xlog:
            plt.xscale("log")
        if ylog:
            plt.yscale("log")
        if first.xlabel:
            plt.xlabel(first.xlabel)
        if first.ylabel:
            plt.ylabel(first.ylabel)
        self.refresh()
