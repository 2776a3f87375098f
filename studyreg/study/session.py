"""Study sessions: which questions come next, grading, requeueing and recording.

One class serves the plain quiz, the review queue and every TUI mode, so a
learner's answers are graded and stored the same way everywhere.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from studyreg.content import models
from studyreg.content.problems import Problem
from studyreg.errors import StudyregError
from studyreg.grading import Verdict
from studyreg.study.catalog import Catalog
from studyreg.study.items import QuestionItem, build_item, item_key

if TYPE_CHECKING:
    from studyreg.study.store import ProgressStore

Mode = Literal["quiz", "learn", "exam", "review"]
TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    "choice": ("single_choice", "multiple_choice"),
    "single": ("single_choice",),
    "multiple": ("multiple_choice",),
    "numeric": ("numeric", "computed"),
    "number": ("numeric", "computed"),
    "tf": ("true_false",),
    "truefalse": ("true_false",),
    "short": ("short_answer",),
    "free": ("free_response",),
    "essay": ("free_response",),
    "order": ("ordering",),
    "match": ("matching",),
}
DEFAULT_COUNT = 10
MAX_REQUEUES = 2
REQUEUE_GAP = 3


def parse_types(text: str | Sequence[str] | None) -> set[str] | None:
    """``"numeric,choice"`` -> the question types it names; raises ``StudyregError`` on unknown ones."""
    if not text:
        return None
    words = text.split(",") if isinstance(text, str) else list(text)
    types: set[str] = set()
    for word in (w.strip().lower().replace("-", "_") for w in words):
        if not word:
            continue
        if word in TYPE_ALIASES:  # first: "numeric" also means computed numeric questions
            types.update(TYPE_ALIASES[word])
        elif word in models.QUESTION_TYPES:
            types.add(word)
        else:
            known = ", ".join([*models.QUESTION_TYPES, *TYPE_ALIASES])
            raise StudyregError(f"unknown question type {word!r}; use one of {known}")
    return types


@dataclass
class Entry:
    pack: models.Pack
    concept: models.Concept
    question: Any
    requeued: int = 0

    @property
    def key(self) -> str:
        return item_key(self.pack, self.concept, self.question)


@dataclass
class Answer:
    item: QuestionItem
    response: Any
    verdict: Verdict
    seconds: float
    attempt_id: int | None = None


@dataclass
class Session:
    """A run of questions. ``next_item`` may run an experiment: call it off the UI thread."""

    catalog: Catalog
    mode: Mode = "quiz"
    concept_ids: Sequence[str] | None = None
    types: set[str] | None = None
    count: int | None = None
    seed: int | None = None
    store: ProgressStore | None = None
    focus_weak: bool = False
    queue: list[Entry] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    served: int = 0

    def __post_init__(self) -> None:
        if self.seed is None:
            self.seed = random.SystemRandom().randrange(2**31)
        self._rng = random.Random(f"studyreg-session:{self.seed}")
        self.queue = self._plan()

    # --- planning ------------------------------------------------------------

    def _candidates(self) -> list[Entry]:
        concepts = self.catalog.concepts()
        if self.concept_ids:
            wanted = [self.catalog.find_concept(cid) for cid in self.concept_ids]
            concepts = [pc for pc in concepts if pc in wanted]
        entries = [
            Entry(pack, concept, question)
            for pack, concept in concepts
            for question in concept.questions
            if self.types is None or question.type in self.types
        ]
        if not entries:
            raise StudyregError("no questions match: check --concept and --types")
        return entries

    def _plan(self) -> list[Entry]:
        entries = self._candidates()
        if self.mode == "review":
            return self._review_plan(entries)
        if self.mode == "learn":
            return entries if self.count is None else entries[: self.count]
        self._rng.shuffle(entries)
        if self.mode == "exam" or self.focus_weak:
            entries = self._spread(entries)
        count = self.count if self.count is not None else min(DEFAULT_COUNT, len(entries))
        # Asked for more than there are: go round again with fresh variants.
        plan = [entries[i % len(entries)] for i in range(count)]
        return [Entry(e.pack, e.concept, e.question) for e in plan]

    def _spread(self, entries: list[Entry]) -> list[Entry]:
        """Interleave concepts (weakest first when a store says which are weak)."""
        by_concept: dict[str, list[Entry]] = {}
        for entry in entries:
            by_concept.setdefault(f"{entry.pack.id}/{entry.concept.id}", []).append(entry)
        order = list(by_concept)
        if self.focus_weak and self.store is not None:
            weakest = self.store.weakest_concepts([k.split("/", 1)[1] for k in order])
            rank = {cid: i for i, cid in enumerate(weakest)}
            order.sort(key=lambda k: rank.get(k.split("/", 1)[1], len(rank)))
        spread: list[Entry] = []
        while any(by_concept.values()):
            for key in order:
                if by_concept[key]:
                    spread.append(by_concept[key].pop(0))
        return spread

    def _review_plan(self, entries: list[Entry]) -> list[Entry]:
        if self.store is None:
            return entries[: self.count or DEFAULT_COUNT]
        by_key = {e.key: e for e in entries}
        due = self.store.due(list(by_key), limit=self.count or DEFAULT_COUNT * 2)
        return [by_key[key] for key in due if key in by_key]

    # --- serving -------------------------------------------------------------

    @property
    def remaining(self) -> int:
        return len(self.queue)

    def next_item(self) -> QuestionItem | None:
        """Build the next question's variant, or ``None`` when the session is over."""
        from studyreg.experiments import ExperimentError
        from studyreg.expr import ExpressionError, TemplateError
        from studyreg.study.lab import LockedExperiment

        while self.queue:
            entry = self.queue.pop(0)
            rng = random.Random(f"studyreg-item:{self.seed}:{entry.key}:{self.served}")
            self.served += 1
            try:
                item = build_item(entry.pack, entry.concept, entry.question, rng)
            except (ExperimentError, ExpressionError, TemplateError, ArithmeticError) as error:
                src = entry.question.source
                # Untrusted pack code is not a broken question: it waits for the user's consent.
                what = "locked" if isinstance(error, LockedExperiment) else "skipped"
                self.skipped.append(
                    Problem(src.file, src.line, src.column, entry.question.id, f"{what}: {error}")
                )
                continue
            item.requeued = entry.requeued
            return item
        return None

    def submit(
        self, item: QuestionItem, response: Any, *, seconds: float = 0.0, rating: int | None = None
    ) -> Verdict:
        """Grade a response; a counted verdict is recorded (one transaction) and, in learn
        mode, a missed question comes back later. Invalid answers change nothing."""
        verdict = item.grade(response)
        if not verdict.counts:
            return verdict
        answer = Answer(item, response, verdict, seconds)
        if rating is None and item.type == "free_response":
            rating = response.rating
        if self.store is not None:
            answer.attempt_id = self.store.record(
                self._attempt(item, response, verdict, seconds, rating)
            )
        self.answers.append(answer)
        if self.mode == "learn" and not verdict.correct:
            requeued = item.requeued
            if requeued < MAX_REQUEUES:
                entry = Entry(item.pack, item.concept, item.question, requeued + 1)
                self.queue.insert(min(REQUEUE_GAP, len(self.queue)), entry)
        return verdict

    def _attempt(
        self,
        item: QuestionItem,
        response: Any,
        verdict: Verdict,
        seconds: float,
        rating: int | None,
    ) -> Any:
        from studyreg.study.store import Attempt

        return Attempt(
            pack_id=item.pack.id,
            pack_version=item.pack.version,
            concept_id=item.concept.id,
            question_id=item.question.id,
            question_type=item.type,
            mode=self.mode,
            response=item.response_text(response),
            status=verdict.status,
            score=verdict.score,
            seconds=seconds,
            params=item.params,
            seed=item.seed,
            rating=rating,
        )

    def undo_last(self) -> bool:
        """Take back the last counted answer (and its stored attempt)."""
        if not self.answers:
            return False
        answer = self.answers.pop()
        if self.store is not None and answer.attempt_id is not None:
            self.store.undo_last()
        if self.mode == "learn" and not answer.verdict.correct:
            self.queue = [
                e for e in self.queue if e.question is not answer.item.question or e.requeued == 0
            ]
        entry = Entry(answer.item.pack, answer.item.concept, answer.item.question)
        self.queue.insert(0, entry)
        return True

    # --- results -------------------------------------------------------------

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def correct_count(self) -> int:
        return sum(a.verdict.correct for a in self.answers)

    @property
    def score(self) -> float:
        return sum(a.verdict.score for a in self.answers)

    @property
    def mistakes(self) -> list[Answer]:
        return [a for a in self.answers if not a.verdict.correct]

    def results_by_concept(self) -> dict[str, tuple[int, int]]:
        """concept id -> (correct, answered), in the order concepts were first met."""
        results: dict[str, tuple[int, int]] = {}
        for a in self.answers:
            right, total = results.get(a.item.concept.id, (0, 0))
            results[a.item.concept.id] = (right + a.verdict.correct, total + 1)
        return results
