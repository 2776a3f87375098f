"""The experiment behind a concept: parameters, a threaded Run, key outputs and figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, LoadingIndicator, Static, Tab, Tabs
from textual.worker import Worker, get_current_worker

from studyreg.errors import StudyregError
from studyreg.study.values import display_value
from studyreg.tui.widgets.param_form import ParamForm, format_value
from studyreg.tui.widgets.plot import FigurePlot, figures_of
from studyreg.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from studyreg.study.lab import ExperimentSpec, Result


class ExperimentPanel(ReportsWorkerErrors, Vertical):
    """Runs ``concept.experiment`` in a thread worker and shows what came out.

    Posts ``RunFinished`` (with the fact checks) after every successful run so the
    screen can update what depends on it.
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
    ) -> None:
        super().__init__(id=id)
        ref = concept.experiment
        self.concept = concept
        self.name_ = ref.name
        self.scope: str | None = ref.scope
        self.params: dict[str, Any] = {**ref.params, **(params or {})}
        self.seed: int = ref.seed if seed is None else int(seed)
        self.experiment: ExperimentSpec | None = None
        self.result: Result | None = None
        self.figures: list[str] = []
        self.figure_index = 0
        self.can_focus = False

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Experiment {self.name_}", style="bold"), id="exp-title")
        yield Static("", id="exp-summary")
        with Horizontal(id="exp-top"):
            yield Vertical(id="form-slot")
            table: DataTable[Any] = DataTable(id="outputs", cursor_type="row", zebra_stripes=True)
            table.add_columns("output", "value")
            yield table
        yield LoadingIndicator(id="exp-loading")
        yield Static("", id="exp-error")
        yield Tabs(id="figures")
        yield FigurePlot(id="plot")

    def on_mount(self) -> None:
        self.prepare()

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

    def on_worker_failed(self, worker: Worker, message: str) -> None:
        self._loading(False)
        error = self.query_one("#exp-error", Static)
        error.update(Text(f"✗ {message}", style="bold red"))
        error.add_class("shown")

    # --- results ------------------------------------------------------------------

    def on_experiment_panel_locked(self, message: Locked) -> None:
        self._loading(False)
        for selector in ("#exp-top", "#figures", "#plot"):
            self.query_one(selector).display = False
        notice = self.query_one("#exp-error", Static)
        notice.update(Text(f"🔒 Locked. {message.reason}", style="bold yellow"))
        notice.add_class("shown")

    def on_experiment_panel_described(self, message: Described) -> None:
        self.experiment = message.experiment
        self.query_one("#exp-summary", Static).update(message.experiment.summary)
        form = ParamForm(message.experiment, message.check, self.params, self.seed, id="params")
        self.query_one("#form-slot").mount(form)

    def on_experiment_panel_run_finished(self, message: RunFinished) -> None:
        result = message.result
        self.result = result
        self.params, self.seed = dict(result.params), result.seed
        self._loading(False)
        self.query_one("#exp-error", Static).remove_class("shown")
        self._fill_outputs(result)
        self._fill_figures(result)

    def _fill_outputs(self, result: Any) -> None:
        table = self.query_one("#outputs", DataTable)
        table.clear()
        key = list(getattr(self.experiment, "key_outputs", ()) or ())
        rest = [name for name in result.outputs if name not in key]
        for name in key + rest:
            if name not in result.outputs:
                continue
            style = "bold" if name in key else ""
            table.add_row(
                Text(name, style=style),
                Text(display_value(result.outputs[name]), style=style),
                key=name,
            )

    def _fill_figures(self, result: Any) -> None:
        figures = figures_of(result.series)
        tabs = self.query_one("#figures", Tabs)
        if figures != self.figures:
            current = self.figures[self.figure_index] if self.figures else None
            self.figures = figures
            tabs.clear()
            for n, title in enumerate(figures):
                tabs.add_tab(Tab(title, id=f"figure-{n}"))
            self.figure_index = figures.index(current) if current in figures else 0
            if figures:
                tabs.active = f"figure-{self.figure_index}"
        tabs.display = bool(figures)
        self.query_one("#plot").display = bool(figures)
        self._draw()

    def _draw(self) -> None:
        if not self.figures or self.result is None:
            return
        title = self.figures[self.figure_index]
        series = [s for s in self.result.series.values() if s.figure == title]
        self.query_one("#plot", FigurePlot).show_figure(title, series)

    @on(Tabs.TabActivated, "#figures")
    def _tab(self, event: Tabs.TabActivated) -> None:
        event.stop()
        tab_id = event.tab.id or ""
        if tab_id.startswith("figure-"):
            self.figure_index = int(tab_id.removeprefix("figure-"))
            self._draw()

    # --- actions --------------------------------------------------------------------

    def _form(self) -> ParamForm | None:
        forms = self.query(ParamForm)
        return forms.first() if forms else None

    def _loading(self, on: bool) -> None:
        self.query_one("#exp-loading").display = on

    def output(self, name: str) -> Any:
        """The value of an output in the last finished run (for tests and captions)."""
        return None if self.result is None else self.result.outputs.get(name)

    def action_run(self) -> None:
        form = self._form()
        if form is None:
            return
        if form.check():
            self.notify("Fix the parameters first: " + form.check(), severity="warning")
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
        if not self.figures:
            return
        self.figure_index = (self.figure_index + step) % len(self.figures)
        self.query_one("#figures", Tabs).active = f"figure-{self.figure_index}"
        self._draw()


__all__ = ["ExperimentPanel", "format_value"]
