"""Must-know facts, each with its live check and how often that check holds.

One line per fact (this run's ✓/✗, the claim's measured rate at the run's parameters
such as "49/50", the start of the fact), so every mark shows at 80×24; below the list,
the highlighted fact in full with the numbers that decided its check and what its rate
says ("holds on 49/50 seeds ..."). The rate is measured
over the pack's ``verify.seeds`` seeds in a thread worker and cached on disk per pack
version (``studyreg.study.claim_cache``). A ✗ is explained, not hidden: either this
run is one of the few seeds where the effect does not show, or the claim does not
hold at these parameters.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.worker import Worker, get_current_worker

from studyreg.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from studyreg.content.models import Concept, Pack

NO_FACTS = "No must-know facts in this concept."
# Seconds on a concept before its claims are measured (tests set 0: at once).
MEASURE_AFTER_S = 0.8
MARKS = {True: ("✓", "bold green"), False: ("✗", "bold red"), None: ("·", "dim")}


class _Cancelled(Exception):
    """The measuring worker was cancelled (a newer run, or the screen closed)."""


def rate_text(rate: Any, passed: bool | None, min_rate: float) -> str:
    """What the measured rate says about this run, e.g. "holds on 49/50 seeds ..."."""
    counts = f"holds on {rate.held}/{rate.seeds} seeds at these parameters"
    if passed is not False:
        return counts
    if rate.rate >= min_rate:
        missed = rate.seeds - rate.held
        if missed == 0:
            share = f"rare seeds (none of the {rate.seeds} measured)"
        else:
            share = f"{max(1, round(100 * missed / rate.seeds))}%"
        return f"{counts}: this run is one of the {share} where the effect does not show"
    return f"{counts}: this claim does not hold at these parameters"


@dataclass
class FactView:
    """What one fact shows: its mark, short rate, check line and rate sentence."""

    fact: Any
    mark: str = MARKS[None][0]
    mark_style: str = MARKS[None][1]
    short: str = ""  # "50/50", "…" while measuring, "" without a check
    short_style: str = "dim"
    detail: str = ""  # the numbers that decided this run's check
    detail_style: str = "dim"
    rate_line: str = ""  # the rate sentence, or "measuring…"
    rate_style: str = "dim"
    solid: bool = False  # the check held and the claim holds at these parameters


def fact_views(
    facts: Sequence[Any],
    checks: Sequence[Any],
    rates: Mapping[int, Any] | None,
    *,
    pending: bool,
    measuring: str = "",
    min_rate: float = 0.9,
    locked: bool = False,
) -> list[FactView]:
    """Each fact's mark, short rate, deciding numbers and rate sentence."""
    by_fact = {id(check.fact): check for check in checks}
    views = []
    for n, fact in enumerate(facts):
        view = FactView(fact)
        views.append(view)
        check = by_fact.get(id(fact))
        if check is not None:
            view.mark, view.mark_style = MARKS[check.passed]
            view.detail = check.detail
            passed = check.passed
            view.detail_style = "green" if passed else ("red" if passed is False else "dim")
        elif fact.check and locked:
            view.mark, view.mark_style = "🔒", "yellow"
            view.detail = f"checked live ({fact.check}) once you trust this pack's code"
        elif fact.check and pending:
            view.mark, view.mark_style = "…", "dim"
            view.detail = f"checking {fact.check}"
            view.short = "…"
        if not fact.check or check is None:
            continue
        rate = (rates or {}).get(n)
        if rate is not None:
            weak = rate.rate < min_rate
            view.short = f"{rate.held}/{rate.seeds}"
            view.short_style = "yellow" if weak else ("dim" if check.passed else "red")
            view.rate_line = rate_text(rate, check.passed, min_rate)
            view.rate_style = "yellow" if weak else "dim"
            view.solid = bool(check.passed) and not weak
        elif measuring:
            view.short = "…"
            view.rate_line, view.rate_style = measuring, "dim italic"
    return views


def render_facts(
    facts: Sequence[Any],
    checks: Sequence[Any],
    rates: Mapping[int, Any] | None,
    *,
    pending: bool,
    measuring: str = "",
    min_rate: float = 0.9,
    locked: bool = False,
) -> Text:
    """Every fact as text: mark, fact, the deciding numbers, then the measured rate.

    The screen shows one line per fact and the highlighted fact's detail; this is the
    whole of it at once (for tests, and anything that wants the facts as text)."""
    if not facts:
        return Text(NO_FACTS, style="dim")
    views = fact_views(
        facts,
        checks,
        rates,
        pending=pending,
        measuring=measuring,
        min_rate=min_rate,
        locked=locked,
    )
    out = Text()
    for n, view in enumerate(views):
        if n:
            out.append("\n")
        out.append(f"{view.mark} ", style=view.mark_style)
        out.append(view.fact.text)
        if view.detail:
            out.append(f"\n  {view.detail}", style=view.detail_style)
        if view.solid:
            rate = view.short
            out.append(f"  · holds on {rate} seeds", style="dim")
        elif view.rate_line:
            out.append(f"\n  {view.rate_line}", style=view.rate_style)
    return out


def option_line(view: FactView, rate_width: int = 5) -> Text:
    """One fact on one line: mark, short rate, then its text (cut with … by the list)."""
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append(view.mark, style=view.mark_style)
    line.append(" " if view.mark != "🔒" else "")
    line.append(f"{view.short:>{rate_width}}  ", style=view.short_style)
    line.append(" ".join(view.fact.text.split()))
    return line


def detail_text(view: FactView) -> Text:
    """One fact in full: its text, the numbers that decided its check, its rate sentence."""
    out = Text()
    out.append(f"{view.mark} ", style=view.mark_style)
    out.append(view.fact.text)
    if view.detail:
        out.append(f"\n  {view.detail}", style=view.detail_style)
    if view.rate_line:
        out.append(f"\n  {view.rate_line}", style=view.rate_style)
    elif not view.fact.check:
        out.append("\n  no live check: this fact is not tested by the experiment", style="dim")
    return out


class FactOptions(OptionList):
    """The facts, one line each; ↑/↓ or j/k move the highlight."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class FactList(ReportsWorkerErrors, Vertical):
    """Facts one line each (mark, rate, text) above the highlighted fact in full.

    ``show_checks`` fills in each check once an experiment has run and, given the pack,
    starts measuring how often each check holds at those parameters."""

    class RatesMeasured(Message):
        def __init__(self, params: dict[str, Any], rates: dict[int, Any]) -> None:
            super().__init__()
            self.params, self.rates = params, rates

    class Progress(Message):
        def __init__(self, params: dict[str, Any], done: int, total: int) -> None:
            super().__init__()
            self.params, self.done, self.total = params, done, total

    def __init__(
        self,
        facts: Sequence[Any],
        *,
        pack: Pack | None = None,
        concept: Concept | None = None,
        id: str | None = None,
        measure_after: float | None = None,
    ) -> None:
        """``measure_after``: seconds before claims are measured (default MEASURE_AFTER_S;
        less for a list built after its screen opened, so the wait counts from then)."""
        super().__init__(id=id)
        self._measure_after = MEASURE_AFTER_S if measure_after is None else measure_after
        self.facts = list(facts)
        self.pack, self.concept = pack, concept
        self.checks: list[Any] = []
        self.rates: dict[int, Any] | None = None
        self.rates_params: dict[str, Any] | None = None
        self.measuring = ""
        self.locked = False
        self.pending = True
        self.views: list[FactView] = []
        self._measure_timer: Timer | None = None
        # Checks given before the list is mounted (it was just built): shown on mount.
        self._early: tuple[list[Any], Mapping[str, Any] | None] | None = None
        self._drawable = False  # its list is composed (set first thing in on_mount)

    def compose(self) -> ComposeResult:
        yield FactOptions(id="fact-options", compact=True)
        yield Static("", id="fact-detail")

    @property
    def options(self) -> FactOptions:
        return self.query_one("#fact-options", FactOptions)

    @property
    def highlighted(self) -> int:
        """The index of the fact shown in full below the list."""
        index = self.options.highlighted
        return index if index is not None else 0

    @property
    def min_rate(self) -> float:
        return float(self.pack.verify.min_rate) if self.pack is not None else 0.9

    def on_mount(self) -> None:
        self._drawable = True
        self.options.display = bool(self.facts)
        if self._early is not None:
            self.show_checks(*self._early)
        else:
            self._redraw(pending=not self.locked)

    def as_text(self) -> Text:
        """Every fact in full, as the detail shows them one at a time."""
        return render_facts(
            self.facts,
            self.checks,
            self.rates,
            pending=self.pending,
            measuring=self.measuring,
            min_rate=self.min_rate,
            locked=self.locked,
        )

    def option_text(self, index: int) -> str:
        """Fact ``index``'s line in the list, as plain text."""
        return str(self.options.get_option_at_index(index).prompt)

    def detail_of(self, index: int) -> Text:
        """Fact ``index`` in full, as the detail area shows it when highlighted."""
        return detail_text(self.views[index])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_detail()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()

    def _show_detail(self) -> None:
        detail = self.query_one("#fact-detail", Static)
        if not self.views:
            detail.update(Text(NO_FACTS, style="dim"))
        else:
            detail.update(self.detail_of(min(self.highlighted, len(self.views) - 1)))

    def show_checks(self, checks: Sequence[Any], params: Mapping[str, Any] | None = None) -> None:
        """This run's checks; with ``params`` (the run's), also the rates at those params."""
        if not self._drawable:  # built a moment ago: shown when it mounts
            self._early = (list(checks), params)
            return
        self.checks = list(checks)
        wanted = dict(params) if params is not None else None
        if wanted != self.rates_params:
            self.rates, self.rates_params = None, wanted
            if wanted is not None and self._can_measure():
                self.measuring = "measuring how often it holds…"
                self._measure_soon(wanted)
        self._redraw(pending=False)

    def show_locked(self) -> None:
        """The experiment is untrusted pack code: say how each check will be proven."""
        self.locked = True
        if not self._drawable:  # drawn when it mounts
            return
        self._redraw(pending=False)

    def _can_measure(self) -> bool:
        concept = self.concept
        return (
            self.pack is not None
            and concept is not None
            and concept.experiment is not None
            and any(fact.check for fact in self.facts)
        )

    def _redraw(self, *, pending: bool) -> None:
        self.pending = pending
        self.views = fact_views(
            self.facts,
            self.checks,
            self.rates,
            pending=pending,
            measuring=self.measuring,
            min_rate=self.min_rate,
            locked=self.locked,
        )
        options = self.options
        keep = options.highlighted
        width = max([5, *(len(view.short) for view in self.views)])
        with self.app.batch_update():
            options.clear_options()
            options.add_options([option_line(view, width) for view in self.views])
            if self.views:
                options.highlighted = min(keep or 0, len(self.views) - 1)
        self._show_detail()

    # --- the measuring worker ------------------------------------------------------------

    def _measure_soon(self, params: dict[str, Any]) -> None:
        """Measure after ``MEASURE_AFTER_S`` on this screen, not while it is being built:
        the measurement starts worker processes, which would slow the screen's first
        frames, and a screen left at once needs no measurement."""
        if self._measure_timer is not None:
            self._measure_timer.stop()
            self._measure_timer = None
        delay = min(MEASURE_AFTER_S, self._measure_after)
        if delay <= 0:
            self.measure(params)
            return

        def start() -> None:
            self._measure_timer = None
            if params == self.rates_params and self.rates is None:
                self.measure(params)

        self._measure_timer = self.set_timer(delay, start)

    @work(thread=True, exclusive=True, exit_on_error=False, group="claims")
    def measure(self, params: dict[str, Any]) -> None:
        from studyreg.study.claim_cache import ClaimCache, cache_dir

        if self.pack is None or self.concept is None:  # nothing to measure the claims of
            return
        concept = self.concept
        worker = get_current_worker()
        cache = ClaimCache(self.pack, cache_dir(getattr(self.app, "data_dir", None)))
        step = {"next": 0}

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise _Cancelled
            if done >= step["next"]:
                step["next"] = done + max(1, total // 20)
                self.post_message(self.Progress(params, done, total))

        try:
            # One core stays free for the app and the experiment panel; the runs go to
            # another process, so this process's interpreter stays with the UI.
            rates = cache.measure(
                concept,
                params,
                workers=max(1, (os.cpu_count() or 1) - 1),
                progress=progress,
                offload=True,
            )
        except _Cancelled:
            return
        if not worker.is_cancelled:
            self.post_message(self.RatesMeasured(params, rates))

    def on_fact_list_progress(self, message: Progress) -> None:
        message.stop()
        if message.params == self.rates_params and self.rates is None:
            self.measuring = f"measuring how often it holds… {message.done}/{message.total} runs"
            self._redraw(pending=False)

    def on_fact_list_rates_measured(self, message: RatesMeasured) -> None:
        message.stop()
        if message.params == self.rates_params:
            self.rates, self.measuring = message.rates, ""
            self._redraw(pending=False)

    def on_worker_failed(self, worker: Worker, message: str) -> None:
        self.measuring = f"could not measure how often it holds: {message}"
        self._redraw(pending=False)
