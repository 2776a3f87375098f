"""``StudyApp``: loads packs and the progress store in a worker, then serves the screens.

Start-up stays light: nothing here imports numpy, the experiments or plotext. Home's
first frame lists the packs from the catalog cache when it is up to date
(``studyreg.study.catalog_cache``: plain JSON, no pydantic); the validated catalog and
the store come from a worker, and then a second worker imports what the first concept,
quiz or exam will need (``studyreg.study.warmup``) while the learner reads Home.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker

from studyreg.errors import StudyregError
from studyreg.tui import gc_tuning
from studyreg.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from studyreg.content.models import ExperimentRef
    from studyreg.study.catalog import Catalog
    from studyreg.study.catalog_cache import ExperimentPreview
    from studyreg.study.session import Mode
    from studyreg.study.store import ProgressStore
    from studyreg.tui.screens.home import HomeScreen

DARK, LIGHT = "textual-dark", "textual-light"


def _concept_commands() -> type[Provider]:
    from studyreg.tui.palette import ConceptCommands  # concepts by title in ctrl+p

    return ConceptCommands


class _OpenDefaultStore:
    def __repr__(self) -> str:
        return "OPEN_DEFAULT_STORE"


OPEN_DEFAULT_STORE: Any = _OpenDefaultStore()


@dataclass
class Loaded:
    """What the start-up worker produced."""

    catalog: Catalog
    store: ProgressStore | None = None
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class StudyApp(ReportsWorkerErrors, App[None]):
    """Study packs, take quizzes and exams, and run the experiments behind them."""

    TITLE = "studyreg"
    CSS_PATH = "studyreg.tcss"
    COMMANDS = App.COMMANDS | {_concept_commands}
    BINDINGS = [
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("ctrl+t", "toggle_theme", "Theme", id="app.toggle_theme", show=False),  # in ? help
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    class CatalogLoaded(Message):
        def __init__(self, loaded: Loaded) -> None:
            super().__init__()
            self.loaded = loaded

    def __init__(
        self,
        pack_paths: Sequence[str | Path] | None = None,
        data_dir: str | Path | None = None,
        theme: str | None = None,
        store: ProgressStore | None = OPEN_DEFAULT_STORE,
    ) -> None:
        super().__init__()
        gc_tuning.tune()
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # Sliding tab underlines and smooth scrolls keep a screen busy for 300 ms
            # after every plot switch; TEXTUAL_ANIMATIONS=full brings them back.
            self.animation_level = "none"
        self.pack_paths = list(pack_paths) if pack_paths else None
        self.data_dir = data_dir
        self._requested_theme = theme
        self._given_store = store
        self.catalog: Catalog | None = None
        self.store: ProgressStore | None = None if store is OPEN_DEFAULT_STORE else store
        self.home: HomeScreen | None = None
        self._trust_store_set = False
        self.session_seed: int | None = (
            None  # fixed variants (tests, --seed); None: fresh each time
        )

    # --- start-up -------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from studyreg.tui.screens.home import HomeScreen

        self.home = HomeScreen()
        return self.home

    def on_mount(self) -> None:
        theme = self._requested_theme
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                known = ", ".join(sorted(self.available_themes))
                self.notify(f"unknown theme {theme!r}; known: {known}", severity="warning")

    def on_ready(self) -> None:
        # Home's first frame lists the packs from the catalog cache (plain JSON, no
        # pydantic; see ``show_preview``); the validated catalog and the store follow
        # from the worker, started once that frame is drawn: its imports would hold
        # the GIL while the frame is being drawn.
        self.call_after_refresh(self.load_catalog)

    def _use_trust_store(self) -> None:
        """Trust in pack code is kept beside the progress it belongs to (once)."""
        if self.data_dir is not None and not self._trust_store_set:
            from studyreg.study.trust import TrustStore, use_trust_store

            use_trust_store(TrustStore(self.data_dir))
        self._trust_store_set = True

    def locked_reason(self, ref: ExperimentRef | ExperimentPreview | None) -> str | None:
        """Why a concept's experiment cannot run yet (its pack's code is untrusted), or
        None. A built-in experiment needs no trust: nothing is imported for it, which
        keeps the trust store out of Home's first frame."""
        if ref is None or not ref.scope:
            return None
        self._use_trust_store()
        from studyreg.study.trust import locked_reason

        return locked_reason(ref)  # type: ignore[arg-type]

    def show_preview(self, home: HomeScreen) -> None:
        """List the packs on ``home`` from the catalog cache when it is up to date (called
        from Home's mount, so that they are in its first frame)."""
        from studyreg.paths import cache_dir
        from studyreg.study.catalog_cache import preview

        found = preview(self.pack_paths, cache_dir(self.data_dir))
        if found is not None and self.catalog is None:
            # Only a head start: a preview Home cannot show is dropped, never a crash.
            with contextlib.suppress(Exception):
                home.show_catalog(found, None)  # type: ignore[arg-type]

    @work(thread=True, exclusive=True, exit_on_error=False, group="catalog")
    def load_catalog(self) -> None:
        from studyreg.paths import cache_dir
        from studyreg.study.catalog_cache import load_catalog

        self._use_trust_store()  # the cache's key holds whether pack code is trusted
        loaded = Loaded(load_catalog(self.pack_paths, cache_dir(self.data_dir)))
        if self._given_store is OPEN_DEFAULT_STORE:
            loaded.store, loaded.notices, loaded.warnings = _open_store(self.data_dir)
        else:
            loaded.store = self._given_store
        self.post_message(self.CatalogLoaded(loaded))

    def on_study_app_catalog_loaded(self, message: CatalogLoaded) -> None:
        loaded = message.loaded
        self.catalog = loaded.catalog
        self.store = loaded.store
        for text in loaded.warnings:
            self.notify(text, title="Progress will not be saved", severity="warning", timeout=10)
        for text in loaded.notices:
            self.notify(text, title="Progress store")
        if self.home is not None and self.home.is_mounted:
            self.home.show_catalog(loaded.catalog, self.store)  # else Home shows it on mount
        self.call_after_refresh(self.warm_up, loaded.catalog)

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm-up")
    def warm_up(self, catalog: Catalog) -> None:
        """Import what the first concept, quiz or exam needs while the learner reads Home."""
        with contextlib.suppress(Exception):  # only a head start: the screens import it anyway
            from studyreg.study.warmup import warm_up

            warm_up(catalog)
            from studyreg.tui.dialogs import exam_setup  # noqa: F401
            from studyreg.tui.screens import concept, exam, quiz, stats, summary  # noqa: F401
        gc_tuning.freeze_startup()  # all start-up will keep is loaded now
        from studyreg.study import helper

        helper.start()  # experiments then run in another process, not on the UI's GIL

    def on_worker_failed(self, worker: Worker, message: str) -> None:
        if worker.group == "catalog" and self.home is not None:
            self.home.show_load_error(message)

    def on_unmount(self) -> None:
        from studyreg.study import helper

        helper.stop()
        close = getattr(self.store, "close", None)
        if close is not None and self._given_store is OPEN_DEFAULT_STORE:
            close()

    # --- actions anyone can reach (keys, command palette) ----------------------

    def _catalog_ready(self) -> bool:
        if self.catalog is None or not self.catalog.packs:
            self.notify("No pack is loaded yet.", severity="warning")
            return False
        return True

    def start_session(self, mode: Mode, concept_ids: list[str] | None = None) -> None:
        """Open a quiz, learn or review session (exams go through their dialog)."""
        if not self._catalog_ready():
            return
        from studyreg.tui.screens.quiz import QuizScreen

        assert self.catalog is not None
        try:
            screen = QuizScreen.for_mode(
                self.catalog, self.store, mode, concept_ids, self.session_seed
            )
        except StudyregError as error:
            self.notify(str(error), severity="warning")
            return
        self.push_screen(screen)

    def action_start_quiz(self) -> None:
        self.start_session("quiz")

    def action_start_review(self) -> None:
        self.start_session("review")

    def action_start_exam(self) -> None:
        if not self._catalog_ready():
            return
        from studyreg.tui.dialogs.exam_setup import ExamSettings, ExamSetupDialog

        def begin(settings: ExamSettings | None) -> None:
            if settings is None:
                return
            from studyreg.tui.screens.exam import ExamScreen

            assert self.catalog is not None
            if settings.seed is None and self.session_seed is not None:
                settings = replace(settings, seed=self.session_seed)
            try:
                screen = ExamScreen.create(self.catalog, self.store, settings)
            except StudyregError as error:
                self.notify(str(error), severity="warning")
                return
            self.push_screen(screen)

        self.push_screen(ExamSetupDialog(), begin)

    def action_open_stats(self) -> None:
        from studyreg.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.store))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    def action_help(self) -> None:
        from studyreg.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Start quiz", "Ten mixed questions from every concept", self.action_start_quiz
        )
        yield SystemCommand(
            "Start exam", "N questions, no feedback until the end", self.action_start_exam
        )
        yield SystemCommand(
            "Start review", "The questions due for review", self.action_start_review
        )
        yield SystemCommand(
            "Open stats", "Accuracy over days and reviews due", self.action_open_stats
        )
        yield SystemCommand(
            "Toggle dark/light theme",
            "Switch textual-dark / textual-light",
            self.action_toggle_theme,
        )
        yield SystemCommand("Keys", "This screen's keys first, then the app's", self.action_help)
        # Textual's own "Keys" (a widget help panel) would be a second, different "Keys".
        yield from (c for c in super().get_system_commands(screen) if c.title != "Keys")


def _open_store(
    data_dir: str | Path | None,
) -> tuple[ProgressStore | None, list[str], list[str]]:
    """(store or None, notices, warnings). The app runs without a store when it cannot open."""
    from studyreg.study.store import ProgressStore, StoreError

    try:
        store = ProgressStore.open_default(data_dir)
    except StoreError as error:
        return None, [], [str(error)]
    return store, list(getattr(store, "notices", []) or []), []
