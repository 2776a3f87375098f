"""The experiment behind a concept: parameters, a threaded Run, key outputs and figures.

Problems are shown where they are, never as toasts that outlive them: a parameter that
cannot run is named under the form, a failed run under the table, and both clear on the
next good run. A status line numbers the runs, so a run with unchanged parameters still
shows that it happened, and marks the table stale while the form no longer matches it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.markup import escape
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from studyreg.errors import StudyregError
from studyreg.study.values import display_value
from studyreg.tui.widgets.output_table import OutputRow, OutputTable
from studyreg.tui.widgets.param_form import ParamForm, format_value
from studyreg.tui.widgets.plot import FigureBar, FigurePlot, figure_series, figures_of
from studyreg.tui.workers import describe_error

if TYPE_CHECKING:
    from studyreg.study.lab import ExperimentSpec, Result


RUNNING = Text("running…", style="dim italic")
# Seconds a run is shown before its other figures are drawn ahead: drawing them as the
# screen is built took turns with building it. Tests set 0: at once.
DRAW_AHEAD_AFTER_S = 0.3


class ExperimentPanel(Vertical):
    """Runs ``concept.experiment`` in a thread worker and shows what came out.

    Posts ``RunFinished`` (with the fact checks) after every successful run so the
    screen can update what depends on it. A run found already computed is shown as the
    panel is built, with no message: ``result`` and ``checks`` are set when it mounts.
    """

    class Described(Message):
        def __init__(self, experiment: ExperimentSpec, check: Any) -> None:
            super().__init__()
            self.experiment, self.check = experiment, check

    class Locked(Message):
        """The experiment is a pack's own code and the pack is not trusted."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    class RunFinished(Message):
        def __init__(self, result: Result, checks: list[Any]) -> None:
            super().__init__()
            self.result, self.checks = result, checks

    def __init__(
        self,
        concept: Any,
        *,
        params: Mapping[str, Any] | None = None,
        seed: int | None = None,
        id: str | None = None,
        hide: Collection[str] = (),
    ) -> None:
        super().__init__(id=id)
        self._check: Any = None
        # Outputs shown as "hidden" (a computed question's answer, before it is answered).
        self.hide = frozenset(hide)
        ref = concept.experiment
        self.concept = concept
        self.name_ = ref.name
        self.scope: str | None = ref.scope
        self.params: dict[str, Any] = {**ref.params, **(params or {})}
        self.seed: int = ref.seed if seed is None else int(seed)
        self.experiment: ExperimentSpec | None = None
        self.result: Result | None = None
        self.checks: list[Any] = []  # the facts checked against ``result``
        self.figures: list[str] = []
        self.figure_index = 0
        self.runs = 0
        self.stale = False
        self.can_focus = False

    def compose(self) -> ComposeResult:
        from studyreg.study import lab

        # A run already computed (a quiz warmed it, or it was shown before) is built
        # complete in one pass: described, form, outputs and plot in the first frame,
        # not three layouts and repaints as the worker's messages arrive.
        ready = lab.cached(self.name_, self.params, self.seed, scope=self.scope)
        if ready is not None:
            handle, self._ready = ready
            self.experiment, self._check = handle.spec, handle.check_locally
            self.figures = figures_of(self._ready.series)
        spec = self.experiment
        yield Static(self._heading(spec), id="exp-summary")
        with Horizontal(id="exp-top"):
            with Vertical(id="form-slot"):
                if spec is not None:
                    yield self._new_form(spec)
            yield OutputTable(id="outputs")
        yield Static(RUNNING if self._ready is None else "", id="exp-status")
        yield Static("", id="exp-error")
        yield FigureBar(self.figures, id="figures")
        yield FigurePlot(id="plot", blank_until_shown=True)

    _ready: Result | None = None

    def _heading(self, spec: ExperimentSpec | None) -> Content:
        """ "Experiment NAME" in bold, and (muted) what it shows once it is described."""
        summary = f"\n{escape(spec.summary)}" if spec is not None and spec.summary else ""
        return Content.from_markup(f"[b $foreground]Experiment {escape(self.name_)}[/]{summary}")

    def on_mount(self) -> None:
        if self._ready is None:
            self.prepare()
            return
        from studyreg.study.facts import check_facts

        result, self._ready = self._ready, None
        self._show_result(result, check_facts(self.concept, result))

    # --- workers: every run happens off the UI thread --------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="experiment")
    def prepare(self) -> None:
        from studyreg.study import lab

        try:
            handle = lab.resolve(self.name_, self.scope)
        except lab.LockedExperiment as locked:  # never imported: shown as an instruction
            self.post_message(self.Locked(str(locked)))
            return
        self.post_message(self.Described(handle.spec, handle.check_locally))
        self._run_and_post(self.params, self.seed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="experiment")
    def run_experiment(self, params: dict[str, Any], seed: int) -> None:
        self._run_and_post(params, seed)

    def _run_and_post(self, params: dict[str, Any], seed: int) -> None:
        from studyreg.study import lab
        from studyreg.study.facts import check_facts

        result = lab.run(self.name_, params, seed, scope=self.scope)
        checks = check_facts(self.concept, result)
        if get_current_worker().is_cancelled:  # a newer run took over
            return
        self.post_message(self.RunFinished(result, checks))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.on_worker_failed(event.worker, describe_error(event.worker.error))

    def on_worker_failed(self, worker: Worker, message: str) -> None:
        """A failed run is said under the table (no toast); the next good run clears it."""
        self._loading(False)
        error = self.query_one("#exp-error", Static)
        error.update(Text(f"✗ Could not run: {message}", style="bold red"))
        error.add_class("shown")
        self._show_status()

    # --- results ------------------------------------------------------------------

    def on_experiment_panel_locked(self, message: Locked) -> None:
        self._loading(False)
        for selector in ("#exp-top", "#figures", "#plot"):
            self.query_one(selector).display = False
        notice = self.query_one("#exp-error", Static)
        notice.update(Text(f"🔒 Locked. {message.reason}", style="bold yellow"))
        notice.add_class("shown")

    def on_experiment_panel_described(self, message: Described) -> None:
        self.experiment, self._check = message.experiment, message.check
        self.query_one("#exp-summary", Static).update(self._heading(message.experiment))
        self.query_one("#form-slot").mount(self._new_form(message.experiment))

    def _new_form(self, spec: ExperimentSpec) -> ParamForm:
        return ParamForm(spec, self._check, self.params, self.seed, id="params")

    def on_experiment_panel_run_finished(self, message: RunFinished) -> None:
        self._show_result(message.result, message.checks)

    def _show_result(self, result: Result, checks: list[Any]) -> None:
        same = self.result is not None and (
            dict(self.result.params) == dict(result.params) and self.result.seed == result.seed
        )
        self.result, self.checks = result, checks
        self.params, self.seed = dict(result.params), result.seed
        self.runs += 1
        self._loading(False)
        self.query_one("#exp-error", Static).remove_class("shown")
        self._fill_outputs(result)
        self._fill_figures(result)
        self._show_status(same_as_before=same)
        self._draw_ahead(result)

    def _draw_ahead(self, result: Result) -> None:
        """Draw this run's other figures in a thread while the learner reads, so the
        first switch to each does not draw it (the one shown is drawn as it shows)."""
        from studyreg.tui.widgets.plot import plotext_theme

        plot_size = getattr(self.screen, "plot_size", None)  # screens that know it
        theme = plotext_theme(self.app)
        if plot_size is None or theme is None or len(self.figures) < 2:
            return
        others = [title for n, title in enumerate(self.figures) if n != self.figure_index]
        if DRAW_AHEAD_AFTER_S <= 0:
            self.draw_figures(result, others, plot_size(), theme)
            return

        def start() -> None:
            if self.result is result and self.is_attached:  # still the run shown
                self.draw_figures(result, others, plot_size(), theme)

        self.set_timer(DRAW_AHEAD_AFTER_S, start)

    @work(thread=True, exclusive=True, exit_on_error=False, group="prefetch")
    def draw_figures(
        self, result: Result, titles: list[str], size: tuple[int, int], theme: str
    ) -> None:
        from studyreg.tui.widgets.plot import draw_ahead

        worker = get_current_worker()
        draw_ahead(result, titles, size, theme, cancelled=lambda: worker.is_cancelled)

    # --- the status line: which run the table shows, and whether it is stale ---------

    def _form_state(self) -> tuple[str, bool]:
        """(why the form cannot run or "", whether it differs from the shown run)."""
        form = self._form()
        if form is None or self.result is None:
            return "", False
        try:
            params, seed = form.read()
        except (ValueError, StudyregError) as error:
            return str(error), True
        except NoMatches:  # the form is still composing its fields
            return "", False
        # Compared as the form shows them: a value with more digits than the form
        # displays is not "changed" just because it was shown rounded.
        shown = {k: format_value(v) for k, v in params.items()}
        ran = {k: format_value(v) for k, v in self.result.params.items()}
        return "", (shown != ran or seed != self.result.seed)

    def _show_status(self, *, same_as_before: bool = False) -> None:
        status = self.query_one("#exp-status", Static)
        if self.result is None:
            status.update("")
            return
        problem, changed = self._form_state()
        self.stale = changed
        self.query_one("#outputs").set_class(changed, "-stale")
        if problem:
            text = Text("⚠ stale: ", style="bold yellow")
            text.append(f"outputs of run {self.runs}; the parameters now cannot run", style="")
        elif changed:
            text = Text("⚠ stale: ", style="bold yellow")
            text.append(f"outputs of run {self.runs}; r or enter runs the new values", style="")
        else:
            text = Text(f"● run {self.runs}", style="bold green")
            text.append(f", seed {self.result.seed}", style="")
            if same_as_before:
                text.append(": same parameters and seed as before, same numbers", style="dim")
        status.update(text)

    @on(ParamForm.Edited)
    def _edited(self, event: ParamForm.Edited) -> None:
        event.stop()
        self._show_status()

    def _fill_outputs(self, result: Any) -> None:
        key = list(getattr(self.experiment, "key_outputs", ()) or ())
        rest = [name for name in result.outputs if name not in key]
        self.query_one("#outputs", OutputTable).show(
            [
                OutputRow(
                    name,
                    display_value(result.outputs[name]),
                    key=name in key,
                    hidden=name in self.hide,
                )
                for name in key + rest
                if name in result.outputs
            ]
        )

    def _fill_figures(self, result: Any) -> None:
        figures = figures_of(result.series)
        if figures != self.figures:
            current = self.figures[self.figure_index] if self.figures else None
            self.figures = figures
            self.figure_index = figures.index(current) if current in figures else 0
        self.query_one("#figures", FigureBar).show_titles(figures, self.figure_index)
        self.query_one("#plot").display = bool(figures)
        self._draw()

    def _draw(self) -> None:
        if not self.figures or self.result is None:
            return
        title = self.figures[self.figure_index]
        series = figure_series(self.result.series, title)
        self.query_one("#plot", FigurePlot).show_figure(title, series)

    @on(FigureBar.Chosen)
    def _chosen(self, event: FigureBar.Chosen) -> None:
        event.stop()
        if event.index != self.figure_index:
            self._show_figure(event.index)

    # --- actions --------------------------------------------------------------------

    def _form(self) -> ParamForm | None:
        forms = self.query(ParamForm)
        return forms.first() if forms else None

    def _loading(self, on: bool) -> None:
        """Say a run is under way on the status line (the next result replaces it)."""
        if on:
            self.query_one("#exp-status", Static).update(RUNNING)

    def output(self, name: str) -> Any:
        """The value of an output in the last finished run (for tests and captions)."""
        return None if self.result is None else self.result.outputs.get(name)

    def problem(self) -> str:
        """Why the parameters in the form cannot run ("" when they can, or no form yet)."""
        form = self._form()
        try:
            return form.check() if form is not None else ""
        except NoMatches:  # the form is still composing its fields
            return ""

    def action_run(self) -> None:
        form = self._form()
        if form is None:  # not built yet: run again at the parameters shown
            if self.experiment is not None:
                self._loading(True)
                self.run_experiment(dict(self.params), self.seed)
            return
        if form.check():  # the reason is shown under the form; take the learner there
            form.focus_first_invalid()
            self.app.bell()
            return
        params, seed = form.read()
        self._loading(True)
        self.run_experiment(params, seed)

    @on(ParamForm.Submitted)
    def _submitted(self) -> None:
        self.action_run()

    def action_copy_command(self) -> None:
        from studyreg.study import lab

        form = self._form()
        if form is None:
            return
        try:
            params, seed = form.read()
        except (ValueError, StudyregError) as error:
            self.notify(str(error), title="Cannot copy", severity="warning")
            return
        command = lab.command_line(self.name_, params, seed, scope=self.scope)
        self.app.copy_to_clipboard(command)
        self.notify(command, title="Copied to clipboard")

    def action_figure(self, step: int) -> None:
        if len(self.figures) < 2:
            what = f"one plot ({self.figures[0]})" if self.figures else "no plot"
            self.notify(f"This experiment draws {what}.", timeout=3)
            return
        self._show_figure((self.figure_index + step) % len(self.figures))

    def _show_figure(self, index: int) -> None:
        self.figure_index = index
        self.query_one("#figures", FigureBar).show_titles(self.figures, index)
        self._draw()


__all__ = ["ExperimentPanel", "format_value"]
