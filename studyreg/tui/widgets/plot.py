"""One experiment figure drawn with textual-plotext; imported only by screens that plot.

Drawing a figure (plotext's build and its ANSI read back) is ~15 ms of opening a
concept. Figures drawn are kept, a few, by what was drawn (title, series, canvas size
and theme), and a quiz draws the figure its question's experiment will open on ahead of
need, in its prefetch thread (``prerender``): ``e`` then opens with it drawn.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual.content import Content
from textual.markup import escape
from textual.message import Message
from textual.widgets import Static
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

DRAWN_KEEP = 16  # figures kept drawn: a quiz's next few, the concept open now
_drawn: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], Text]] = OrderedDict()
_drawn_lock = threading.Lock()


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


def _key(title: str, series: Sequence[Any], size: tuple[int, int], theme: str) -> tuple[Any, ...]:
    return (title, tuple(id(s) for s in series), size, theme)


def figure_series(series: dict[str, Any], title: str) -> list[Any]:
    """The series drawn in the figure ``title``, in the experiment's order."""
    return [s for s in series.values() if s.figure == title]


def drawn(title: str, series: Sequence[Any], size: tuple[int, int], theme: str) -> Text | None:
    """The figure as drawn before at this size and theme, if it is kept."""
    key = _key(title, series, size, theme)
    with _drawn_lock:
        kept = _drawn.get(key)
        if kept is None:
            return None
        # The entry holds the series themselves, so the ids in its key were not reused.
        held, text = kept
        if len(held) != len(series) or any(a is not b for a, b in zip(held, series, strict=True)):
            return None
        _drawn.move_to_end(key)
        return text


def draw(title: str, series: Sequence[Any], size: tuple[int, int], theme: str) -> Text:
    """Draw every series of one figure on shared axes (any thread), and keep it.

    Raises what plotext raises on data it cannot draw."""
    plt = Plot()
    plt.title(title)
    if series:
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
    width, height = size
    plt.plotsize(width, height)
    plt._set_size(width, height)  # as PlotextPlot.render does (textual-plotext issue 5)
    plt.theme(theme)
    text = Text.from_ansi(plt.build())
    with _drawn_lock:
        _drawn[_key(title, series, size, theme)] = (tuple(series), text)
        while len(_drawn) > DRAWN_KEEP:
            _drawn.popitem(last=False)
    return text


def draw_ahead(
    result: Any,
    titles: Sequence[str],
    size: tuple[int, int],
    theme: str,
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    """Draw these figures of ``result`` not drawn yet, off the UI thread, so a plot
    finds them drawn. Data plotext cannot draw is left for the plot to report."""
    for title in titles:
        if cancelled():
            return
        series = figure_series(result.series, title)
        if drawn(title, series, size, theme) is None:
            with contextlib.suppress(ValueError, ArithmeticError, IndexError):
                draw(title, series, size, theme)


def prerender(result: Any, size: tuple[int, int], theme: str) -> None:
    """Draw the figure an experiment panel opens on for ``result`` (its first)."""
    draw_ahead(result, figures_of(result.series)[:1], size, theme)


def plotext_theme(app: Any) -> str | None:
    """The plotext theme a plot of ``app`` draws with now, if a plot has registered it
    (each registers the app's theme as it mounts): a thread can then draw with it."""
    from plotext._dict import themes

    name = f"textual-auto-{app.theme}"
    return name if name in themes else None


class FigurePlot(PlotextPlot):
    """One figure of an experiment (``show_figure``), or, drawn through ``plt``
    directly, any plotext chart."""

    def __init__(self, *args: Any, blank_until_shown: bool = False, **kwargs: Any) -> None:
        """``blank_until_shown``: draw nothing (not an empty canvas, which costs as much
        as a full one) until ``show_figure`` is first called."""
        super().__init__(*args, **kwargs)
        self._blank = blank_until_shown
        self._figure: tuple[str, list[Any]] | None = None

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
            if self._figure is None:
                return super().render()
            title, series = self._figure
            size = (self.size.width, self.size.height)
            theme = self._get_plotext_theme_name(self.app.theme)
            text = drawn(title, series, size, theme)
            return text if text is not None else draw(title, series, size, theme)
        except (ValueError, ArithmeticError, IndexError) as error:
            return Text(f"cannot draw this figure here: {error}", style="dim")

    def show_figure(self, title: str, series: Sequence[Any]) -> None:
        """Show one figure: every series in ``series`` on shared axes."""
        self._blank = False
        self._figure = (title, list(series))
        self.refresh()
