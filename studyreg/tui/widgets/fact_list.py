"""Must-know facts, each with its live check and how often that check holds.

Beside each fact: this run's ✓/✗ with the numbers that decided it, and the claim's
measured rate at the run's parameters ("holds on 49/50 seeds"). The rate is measured
over the pack's ``verify.seeds`` seeds in a thread worker and cached on disk per pack
version (``studyreg.study.claim_cache``). A ✗ is explained, not hidden: either this
run is one of the few seeds where the effect does not show, or the claim does not
hold at these parameters.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, get_current_worker

from studyreg.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from studyreg.content.models import Concept, Pack

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
    """The fact list as text: mark, fact, the deciding numbers, then the measured rate."""
    if not facts:
        return Text("No must-know facts in this concept.", style="dim")
    by_fact = {id(check.fact): check for check in checks}
    out = Text()
    for n, fact in enumerate(facts):
        if n:
            out.append("\n")
        check = by_fact.get(id(fact))
        if check is not None:
            mark, style = MARKS[check.passed]
            detail = check.detail
        elif fact.check and locked:
            mark, style = "🔒", "yellow"
            detail = f"checked live ({fact.check}) once you trust this pack's code"
        elif fact.check and pending:
            mark, style, detail = "…", "dim", f"checking {fact.check}"
        else:
            mark, style, detail = MARKS[None][0], MARKS[None][1], ""
        out.append(f"{mark} ", style=style)
        out.append(fact.text)
        if detail:
            passed = check.passed if check else None
            out.append(
                f"\n  {detail}",
                style="green" if passed else ("red" if passed is False else "dim"),
            )
        if not fact.check or check is None:
            continue
        rate = (rates or {}).get(n)
        if rate is not None and check.passed and rate.rate >= min_rate:
            # The usual case takes no line of its own, so the facts fit at 80x24.
            out.append(f"  · holds on {rate.held}/{rate.seeds} seeds", style="dim")
        elif rate is not None:
            line = rate_text(rate, check.passed, min_rate)
            weak = rate.rate < min_rate
            out.append(f"\n  {line}", style="yellow" if weak else "dim")
        elif measuring:
            out.append(f"\n  {measuring}", style="dim italic")
    return out


class FactList(ReportsWorkerErrors, Static):
    """Facts as text; ``show_checks`` fills in each check once an experiment has run and,
    given the pack, starts measuring how often each check holds at those parameters."""

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
    ) -> None:
        super().__init__(id=id)
        self.facts = list(facts)
        self.pack, self.concept = pack, concept
        self.checks: list[Any] = []
        self.rates: dict[int, Any] | None = None
        self.rates_params: dict[str, Any] | None = None
        self.measuring = ""
        self.locked = False

    @property
    def min_rate(self) -> float:
        return float(self.pack.verify.min_rate) if self.pack is not None else 0.9

    def on_mount(self) -> None:
        self._redraw(pending=True)

    def show_checks(self, checks: Sequence[Any], params: Mapping[str, Any] | None = None) -> None:
        """This run's checks; with ``params`` (the run's), also the rates at those params."""
        self.checks = list(checks)
        wanted = dict(params) if params is not None else None
        if wanted != self.rates_params:
            self.rates, self.rates_params = None, wanted
            if wanted is not None and self._can_measure():
                self.measuring = "measuring how often it holds…"
                self.measure(wanted)
        self._redraw(pending=False)

    def show_locked(self) -> None:
        """The experiment is untrusted pack code: say how each check will be proven."""
        self.locked = True
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
        self.update(
            render_facts(
                self.facts,
                self.checks,
                self.rates,
                pending=pending,
                measuring=self.measuring,
                min_rate=self.min_rate,
                locked=self.locked,
            )
        )

    # --- the measuring worker ------------------------------------------------------------

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
