"""Concept: the definition, must-know facts proven live, and the experiment behind them.

Three tabs, one key each (d, f, e), so the facts and their checks are never below the
fold: the Facts tab holds nothing else and fits 80×24. The experiment runs as soon as
the screen opens, whichever tab shows, so the checks are ready when Facts is opened.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Markdown, Static

from studyreg.tui.screens.shown_as_built import ShownAsBuilt
from studyreg.tui.typed import study_app
from studyreg.tui.widgets import fact_list
from studyreg.tui.widgets.experiment_panel import ExperimentPanel
from studyreg.tui.widgets.fact_list import FactList
from studyreg.tui.widgets.footer import Footer
from studyreg.tui.widgets.header import Header
from studyreg.tui.widgets.scroll_body import ScrollBody
from studyreg.tui.widgets.tab_bar import Tab, TabBar

TABS = ("definition", "facts", "experiment")
# The tabs whose content is built when first shown, or BUILD_HIDDEN_AFTER_S after the
# screen opens, whichever comes first: the first frame holds only what it shows. The
# Experiment tab is always built with the screen: its panel runs what the facts check.
LAZY_TABS = ("definition", "facts")
BODIES = {"definition": "concept-text", "facts": "concept-facts", "experiment": "concept-lab"}
BUILD_HIDDEN_AFTER_S = 0.3
# What takes the keys on each tab: on Facts the list, so ↑/↓ move through the facts at once.
FOCUS = {"definition": "#concept-text", "facts": "#fact-options", "experiment": "#concept-lab"}


def experiment_plot_size(screen: Size) -> tuple[int, int]:
    """The Experiment tab's plot on a screen this size: the tab's width less its padding
    (1 each side) and the scrollbar's room kept (2), by the plot's 18 rows (see
    studyreg.tcss; a test holds this to the real plot)."""
    return (screen.width - 4, 18)


class TabBody(ScrollBody):
    """A tab's scrolling body (the Experiment tab's holds dozens of widgets)."""


def checks_caption(params: Mapping[str, Any], seed: int, defaults: Mapping[str, Any]) -> str:
    """Which run the checks come from: "Checked on the last run: seed 0, alpha=0.5 (e: change)"."""
    from studyreg.study.values import display_value

    changed = [
        f"{name}={display_value(value)}"
        for name, value in params.items()
        if name in defaults and defaults[name] != value
    ]
    where = ", ".join(changed) if changed else "the pack's parameters"
    return f"Checked on the last run: seed {seed}, {where} (e: change)"


class ConceptScreen(ShownAsBuilt, Screen[None]):
    """One concept. ``params``/``seed`` preset the experiment (e.g. a question's variant);
    ``tab`` picks the first tab (default: Experiment when preset, else Definition)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="concept.back"),
        Binding("d", "show_tab('definition')", "Definition", id="concept.definition", show=False),
        Binding("f", "show_tab('facts')", "Facts", id="concept.facts", show=False),
        Binding("e", "show_tab('experiment')", "Experiment", id="concept.experiment", show=False),
        Binding("r", "run", "Run", id="concept.run"),
        Binding("c", "copy_command", "Copy cmd", id="concept.copy"),
        Binding("right_square_bracket", "figure(1)", "Next plot", id="concept.next_figure"),
        Binding(
            "left_square_bracket", "figure(-1)", "Prev plot", id="concept.prev_figure", show=False
        ),
        Binding("l", "learn", "Learn", id="concept.learn"),
    ]

    AUTO_FOCUS = ""  # none: on_mount focuses the first tab's body

    def __init__(
        self,
        pack: Any,
        concept: Any,
        *,
        params: Mapping[str, Any] | None = None,
        seed: int | None = None,
        tab: str | None = None,
    ) -> None:
        super().__init__()
        self.pack = pack
        self.concept = concept
        self.preset_params = dict(params or {})
        self.preset_seed = seed
        has_lab = concept.experiment is not None
        if tab not in TABS or (tab == "experiment" and not has_lab):
            preset = has_lab and (params or seed is not None)
            tab = "experiment" if preset else "definition"
        self.first_tab = tab
        self.sub_title = f"{pack.title} · {concept.title}"
        self._built = {tab, "experiment"}
        self._opened = time.monotonic()
        self._run_shown: tuple[Any, list[Any]] | None = None  # (result, checks) for Facts
        self._locked = False
        self._facts: FactList | None = None  # the Facts tab's, once built
        self._facts_caption: Static | None = None

    def compose(self) -> ComposeResult:
        concept = self.concept
        yield Header()
        checked = sum(1 for fact in concept.facts if fact.check)
        facts_name = f"Facts {len(concept.facts)}" + (f" ({checked}✓)" if checked else "")
        tabs = [Tab("definition", "d", "Definition"), Tab("facts", "f", facts_name)]
        if concept.experiment is not None:
            tabs.append(Tab("experiment", "e", "Experiment"))
        yield TabBar(tabs, self.first_tab, id="concept-tab-bar")
        with ContentSwitcher(id="concept-tabs", initial=BODIES[self.first_tab]):
            with TabBody(id=BODIES["definition"], classes="tab-body"):
                if "definition" in self._built:
                    yield from self._tab_content("definition")
            with TabBody(id=BODIES["facts"], classes="tab-body"):
                if "facts" in self._built:
                    yield from self._tab_content("facts")
            if concept.experiment is not None:
                lab = TabBody(id=BODIES["experiment"], classes="tab-body")
                # It nearly always scrolls: its scrollbar is laid out with it (its room
                # is kept, see studyreg.tcss), not in a layout of its own after.
                lab.set_reactive(Widget.show_vertical_scrollbar, True)
                with lab:
                    yield ExperimentPanel(
                        concept,
                        params=self.preset_params,
                        seed=self.preset_seed,
                        id="experiment",
                    )
        yield Footer()

    def _tab_content(self, tab: str) -> Iterator[Widget]:
        concept = self.concept
        if tab == "definition":
            yield Static(Text(concept.title, style="bold"), classes="section-title")
            yield Markdown(concept.definition, id="definition")
            yield Static(self._pointer(), id="concept-pointer")
        else:
            self._facts_caption = Static("", id="facts-caption")
            yield self._facts_caption
            # The claims are measured a moment after the screen opened, not after this
            # tab was built (so not just as the learner's next key comes).
            waited = time.monotonic() - self._opened
            self._facts = FactList(
                concept.facts,
                pack=self.pack,
                concept=concept,
                id="facts",
                measure_after=max(0.0, fact_list.MEASURE_AFTER_S - waited),
            )
            yield self._facts

    def _build_tab(self, tab: str) -> None:
        """Build a lazy tab's content, once. Not awaited: a screen left while its tab is
        being mounted must not wait on that mount. The screen talks to what it built
        through references, never a query: a screen being taken down (its timer can fire
        as the learner leaves) mounts nothing, and a query would then find nothing."""
        if tab in self._built or tab not in LAZY_TABS:
            return
        bodies = self.query(f"#{BODIES[tab]}")
        if not bodies:  # taken down already
            return
        self._built.add(tab)
        bodies.first().mount_all(list(self._tab_content(tab)))
        if tab == "facts" and self._facts is not None:
            if self._locked:
                self._facts.show_locked()
            if self._run_shown is not None:
                self._show_checks(*self._run_shown)

    def _build_hidden(self) -> None:
        for tab in LAZY_TABS:
            self._build_tab(tab)

    def _pointer(self) -> Text:
        concept = self.concept
        checked = sum(1 for fact in concept.facts if fact.check)
        text = Text()
        if concept.facts:
            text.append("f", style="bold")
            text.append(f"  {len(concept.facts)} must-know facts")
            if checked:
                text.append(f", {checked} checked live by the experiment")
        if concept.experiment is not None:
            text.append("\n" if concept.facts else "")
            text.append("e", style="bold")
            text.append(f"  experiment {concept.experiment.name}: change parameters, run, plot")
        return text

    def on_mount(self) -> None:
        panel = self.panel
        if panel is not None and panel.result is not None:  # built showing a computed run
            self._show_checks(panel.result, panel.checks)
        # Focused before the first frame, once: a focus moved after it (or a default
        # focus then moved) restyles the whole tab.
        target = self.query(FOCUS[self.first_tab])
        if target:
            self.set_focus(target.first())
        else:  # the Facts list is composed a moment later
            self._focus_tab(self.first_tab)
        if BUILD_HIDDEN_AFTER_S <= 0:
            self.call_after_refresh(self._build_hidden)
        else:
            self.set_timer(BUILD_HIDDEN_AFTER_S, self._build_hidden)

    _panel: ExperimentPanel | None = None

    @property
    def panel(self) -> ExperimentPanel | None:
        """The experiment panel, looked up once: the footer asks for it on every refresh."""
        if self._panel is None or not self._panel.is_attached:
            panels = self.query(ExperimentPanel)
            self._panel = panels.first() if panels else None
        return self._panel

    def plot_size(self) -> tuple[int, int]:
        """The size the Experiment tab's plot is drawn at (figures are drawn ahead)."""
        return experiment_plot_size(self.app.size)

    @property
    def active_tab(self) -> str:
        shown = self.query_one("#concept-tabs", ContentSwitcher).current
        return next(tab for tab, body in BODIES.items() if body == shown)

    def _switch_to(self, tab: str) -> None:
        self.query_one("#concept-tabs", ContentSwitcher).current = BODIES[tab]
        self.query_one(TabBar).show(tab)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # From the concept, not from the panel: the footer reads these as the screen is
        # built, before the panel is mounted.
        has_lab = self.concept.experiment is not None
        if action in ("run", "copy_command", "figure"):
            return has_lab
        if action == "show_tab" and parameters == ("experiment",):
            return has_lab
        return True

    def action_show_tab(self, tab: str) -> None:
        self._switch_to(tab)
        self._build_tab(tab)
        self._focus_tab(tab)

    def _focus_tab(self, tab: str, tries: int = 10) -> None:
        """Focus the tab's body after a refresh; a tab just built may need a few more."""

        def focus() -> None:
            target = self.query(FOCUS[tab])
            if target:
                target.first().focus()
            elif tries:
                self._focus_tab(tab, tries - 1)

        self.call_after_refresh(focus)

    def on_experiment_panel_locked(self, message: ExperimentPanel.Locked) -> None:
        self._locked = True
        if self._facts is not None:
            self._facts.show_locked()

    def on_experiment_panel_run_finished(self, message: ExperimentPanel.RunFinished) -> None:
        self._show_checks(message.result, message.checks)

    def _show_checks(self, result: Any, checks: list[Any]) -> None:
        """The facts checked against ``result``, and which run that was."""
        self._run_shown = (result, checks)
        if self._facts is None or self._facts_caption is None:  # shown when Facts is built
            return
        self._facts.show_checks(checks, result.params)
        defaults = dict(getattr(self.concept.experiment, "params", {}) or {})
        spec = getattr(self.panel, "experiment", None)
        if spec is not None:
            defaults = {p.name: p.default for p in spec.params} | defaults
        self._facts_caption.update(
            Text(checks_caption(result.params, result.seed, defaults), style="dim")
        )

    def action_run(self) -> None:
        panel = self.panel
        if panel is None:
            return
        if panel.problem() and self.active_tab != "experiment":
            # The reason is shown under the form: go there (the panel focuses the field).
            self._switch_to("experiment")
        panel.action_run()

    def action_copy_command(self) -> None:
        if self.panel is not None:
            self.panel.action_copy_command()

    def action_figure(self, step: int) -> None:
        if self.panel is not None:
            if self.active_tab != "experiment":
                self.action_show_tab("experiment")
            self.panel.action_figure(step)

    def action_learn(self) -> None:
        study_app(self).start_session("learn", [f"{self.pack.id}/{self.concept.id}"])
