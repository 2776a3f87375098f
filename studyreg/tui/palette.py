"""The command palette's concept commands: open any concept by its title, open its
experiment, or start learn / quiz / exam / review on just that concept.

Typing part of a title ("drop") finds every command for that concept; an empty palette
lists "Open …" for each concept, in pack order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from studyreg.errors import StudyregError


@dataclass(frozen=True)
class ConceptCommand:
    name: str
    help: str
    run: Callable[[], None]
    discover: bool = False


def concept_commands(app: Any) -> Iterator[ConceptCommand]:
    """Every concept command for the loaded catalog (none before the packs load)."""
    catalog = getattr(app, "catalog", None)
    if catalog is None:
        return
    for pack in catalog.packs:
        for concept in pack.concepts:
            ref = f"{pack.id}/{concept.id}"
            title = concept.title
            yield ConceptCommand(
                f"Open {title}",
                f"Definition, facts and experiment · {pack.title}",
                partial(open_concept, app, pack, concept, None),
                discover=True,
            )
            if concept.experiment is not None:
                yield ConceptCommand(
                    f"Experiment: {title}",
                    f"Run {concept.experiment.name}: change parameters, see outputs and plots",
                    partial(open_concept, app, pack, concept, "experiment"),
                )
            if not concept.questions:
                continue
            yield ConceptCommand(
                f"Learn {title}",
                "Its questions; missed ones come back",
                partial(app.start_session, "learn", [ref]),
            )
            yield ConceptCommand(
                f"Quiz on {title}",
                "Mixed questions from this concept only",
                partial(app.start_session, "quiz", [ref]),
            )
            yield ConceptCommand(
                f"Exam on {title}",
                "N questions from this concept, feedback at the end",
                partial(start_exam_on, app, ref),
            )
            yield ConceptCommand(
                f"Review {title}",
                "This concept's questions that are due",
                partial(app.start_session, "review", [ref]),
            )


def open_concept(app: Any, pack: Any, concept: Any, tab: str | None) -> None:
    from studyreg.tui.screens.concept import ConceptScreen

    app.push_screen(ConceptScreen(pack, concept, tab=tab))


def start_exam_on(app: Any, ref: str) -> None:
    """The exam dialog, then an exam over the questions of one concept."""
    if app.catalog is None:
        return
    from dataclasses import replace

    from studyreg.tui.dialogs.exam_setup import ExamSettings, ExamSetupDialog

    def begin(settings: ExamSettings | None) -> None:
        if settings is None:
            return
        from studyreg.study.session import Session
        from studyreg.tui.screens.exam import ExamScreen

        if settings.seed is None and app.session_seed is not None:
            settings = replace(settings, seed=app.session_seed)
        try:
            session = Session(
                app.catalog,
                mode="exam",
                concept_ids=[ref],
                count=settings.count,
                seed=settings.seed,
                store=app.store,
            )
            if not session.queue:
                raise StudyregError("No questions to ask.")
        except StudyregError as error:
            app.notify(str(error), severity="warning")
            return
        app.push_screen(ExamScreen(session, settings.minutes))

    app.push_screen(ExamSetupDialog(), begin)


class ConceptCommands(Provider):
    """Concepts by title in the command palette."""

    async def discover(self) -> Hits:
        for command in concept_commands(self.app):
            if command.discover:
                yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in concept_commands(self.app):
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
