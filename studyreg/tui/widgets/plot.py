"""One experiment figure drawn with textual-plotext; imported only by screens that plot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot


def figures_of(series: dict[str, Any]) -> list[str]:
    """The distinct ``Series.figure`` titles, in the order the experiment gave them."""
    seen: list[str] = []
    for s in series.values():
        if s.figure not in seen:
            seen.append(s.figure)
    return seen


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
