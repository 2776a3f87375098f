"""Must-know facts, each with its live check: ✓/✗ and the numbers that decided it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

MARKS = {True: ("✓", "bold green"), False: ("✗", "bold red"), None: ("·", "dim")}


class FactList(Static):
    """Facts as text; ``show_checks`` fills in each check once an experiment has run."""

    def __init__(self, facts: Sequence[Any], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.facts = list(facts)
        self.checks: list[Any] = []

    def on_mount(self) -> None:
        self.update(self._render_facts(pending=True))

    def show_checks(self, checks: Sequence[Any]) -> None:
        self.checks = list(checks)
        self.update(self._render_facts(pending=False))

    def _render_facts(self, *, pending: bool) -> Text:
        if not self.facts:
            return Text("No must-know facts in this concept.", style="dim")
        by_fact = {id(check.fact): check for check in self.checks}
        out = Text()
        for n, fact in enumerate(self.facts):
            if n:
                out.append("\n")
            check = by_fact.get(id(fact))
            if check is not None:
                mark, style = MARKS[check.passed]
                detail = check.detail
            elif fact.check and pending:
                mark, style, detail = "…", "dim", f"checking {fact.check}"
            else:
                mark, style, detail = MARKS[None][0], MARKS[None][1], ""
            out.append(f"{mark} ", style=style)
            out.append(fact.text)
            if detail:
                out.append(
                    f"\n  {detail}",
                    style="green"
                    if check and check.passed
                    else ("red" if check and check.passed is False else "dim"),
                )
        return out

    @property
    def summary(self) -> str:
        """``"2/3 checks hold"`` for tests and the title line."""
        checked = [c for c in self.checks if c.passed is not None]
        return f"{sum(bool(c.passed) for c in checked)}/{len(checked)} checks hold"
