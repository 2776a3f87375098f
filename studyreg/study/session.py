"""Study sessions: which questions come next, grading, requeueing and recording.

One class serves the plain quiz, the review queue and every TUI mode, so a
learner's answers are graded and stored the same way everywhere.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from studyreg.content import models
from studyreg.content.problems import Problem
from studyreg.errors import StudyregError
from studyreg.grading import Verdict
from studyreg.study.catalog import Catalog
from studyreg.study.items import QuestionItem, build_item, item_key
from studyreg.study.kinds import type_aliases

if TYPE_CHECKING:
    from studyreg.study.store import ProgressStore

Mode = Literal["quiz", "learn", "exam", "review"]
TYPE_ALIASES = type_aliases()  # --types words, from every kind's aliases
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
    """A question waiting in the queue. ``slot`` (its place in the plan) and ``requeued``
    choose its variant, so taking an answer back and asking again draws the same one."""

    pack: models.Pack
    concept: models.Concept
    question: Any
    requeued: int = 0
    slot: int = 0

    @property
    def key(self) -> str:
        return item_key(self.pack, self.concept, self.question)


@dataclass
class Answer:
    """A counted answer. With a progress store, ``rating`` is the FSRS rating it was
    scheduled with, ``previews`` when each rating 1..4 would bring it back (from the card
    as it was before this answer), and ``due`` when it comes back."""

    item: QuestionItem
    response: Any
    verdict: Verdict
    seconds: float
    attempt_id: int | None = None
    rating: int = 3
    answered_at: datetime | None = None
    previews: dict[int, datetime] = field(default_factory=dict)
    due: datetime | None = None
    attempt: Any = None
    chosen: bool = False  # the learner gave the rating (else it follows the verdict)

    def default_rating(self, *, quick_is_easy: bool = True) -> int:
        """The rating the verdict suggests: wrong -> Again, partial -> Hard, right -> Good
        (Easy when quick, if ``quick_is_easy``); a free response's own self-rating."""
        from studyreg.study.scheduling import rating_for

        explicit = self.response.rating if self.item.kind.self_graded else None
        seconds = self.seconds if quick_is_easy else 0.0
        return int(rating_for(self.verdict.status, seconds, rating=explicit))

    def interval(self, rating: int) -> str:
        """How long until the item returns after ``rating``, e.g. ``10m`` or ``3d``."""
        from studyreg.study.scheduling import format_interval

        if rating not in self.previews or self.answered_at is None:
            return ""
        return format_interval(self.previews[rating] - self.answered_at)

    @property
    def returns_in(self) -> str:
        """How long until the item returns with the rating it has now (``""`` without a store)."""
        return self.interval(self.rating)


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
    only: Sequence[Entry] | None = None  # ask exactly these (Retry mistakes)

    def __post_init__(self) -> None:
        if self.seed is None:
            self.seed = random.SystemRandom().randrange(2**31)
        self._rng = random.Random(f"studyreg-session:{self.seed}")
        self._entries: dict[int, tuple[QuestionItem, Entry]] = {}
        if self.only is not None:
            self.queue = [
                Entry(e.pack, e.concept, e.question, slot=n) for n, e in enumerate(self.only)
            ]
        else:
            self.queue = [
                Entry(e.pack, e.concept, e.question, slot=n) for n, e in enumerate(self._plan())
            ]

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
            self.served += 1
            try:
                item = build_item(
                    entry.pack, entry.concept, entry.question, self._variant_rng(entry)
                )
            except (ExperimentError, ExpressionError, TemplateError, ArithmeticError) as error:
                src = entry.question.source
                # Untrusted pack code is not a broken question: it waits for the user's consent.
                what = "locked" if isinstance(error, LockedExperiment) else "skipped"
                self.skipped.append(
                    Problem(src.file, src.line, src.column, entry.question.id, f"{what}: {error}")
                )
                continue
            item.requeued = entry.requeued
            self._entries[id(item)] = (item, entry)
            return item
        return None

    def _variant_rng(self, entry: Entry) -> random.Random:
        """The variant depends on the seed and the entry's place in the plan only: an undo,
        a skip or a requeue before it never changes what it draws."""
        draw = f"{entry.slot}" if not entry.requeued else f"{entry.slot}r{entry.requeued}"
        return random.Random(f"studyreg-item:{self.seed}:{entry.key}:{draw}")

    def warm_next(self) -> QuestionItem | None:
        """Draw the next question's variant ahead of time, changing nothing: its
        experiment run lands in ``lab``'s cache, so ``next_item`` finds it there. Call
        it off the UI thread while the learner reads the current question. Returns the
        variant drawn (``next_item`` will serve an equal one), or None."""
        from studyreg.experiments import ExperimentError
        from studyreg.expr import ExpressionError, TemplateError

        if not self.queue:
            return None
        entry = self.queue[0]
        try:
            return build_item(entry.pack, entry.concept, entry.question, self._variant_rng(entry))
        except (ExperimentError, ExpressionError, TemplateError, ArithmeticError):
            return None  # next_item reports it when the question is served

    def entry_for(self, item: QuestionItem) -> Entry:
        """The queue entry ``item`` was drawn from (put it back to ask the same variant)."""
        served = self._entries.get(id(item))
        if served is not None and served[0] is item:
            return Entry(item.pack, item.concept, item.question, item.requeued, served[1].slot)
        return Entry(item.pack, item.concept, item.question, item.requeued)

    def ask_again(self, item: QuestionItem, position: int = 0) -> None:
        """Put ``item``'s question back in the queue; it will draw the same variant."""
        self.queue.insert(position, self.entry_for(item))

    def submit(
        self, item: QuestionItem, response: Any, *, seconds: float = 0.0, rating: int | None = None
    ) -> Verdict:
        """Grade a response; a counted verdict is recorded (one transaction) and, in learn
        mode, a missed question comes back later. Invalid answers change nothing."""
        verdict = item.grade(response)
        if not verdict.counts:
            return verdict
        answer = Answer(item, response, verdict, seconds)
        # Review shows the four buttons with this one picked: speed alone never picks Easy.
        default = answer.default_rating(quick_is_easy=self.mode != "review")
        answer.rating = rating if rating is not None else default
        answer.chosen = rating is not None or item.kind.self_graded
        if self.store is not None:
            self._record(self.store, answer)
        self.answers.append(answer)
        if self.mode == "learn" and not verdict.correct:
            requeued = item.requeued
            if requeued < MAX_REQUEUES:
                slot = self.entry_for(item).slot
                entry = Entry(item.pack, item.concept, item.question, requeued + 1, slot)
                self.queue.insert(min(REQUEUE_GAP, len(self.queue)), entry)
        return verdict

    def _record(self, store: ProgressStore, answer: Answer) -> None:
        """Store ``answer`` with its rating; note the previews and the new due date."""
        from dataclasses import replace

        from studyreg.study import scheduling

        item = answer.item
        if answer.attempt is None:
            when = scheduling.to_utc(store.now())
            card = store.card(item.key) or scheduling.new_card(item.key, when)
            answer.answered_at = when
            answer.previews = scheduling.preview(card, when)
            answer.attempt = self._attempt(
                item, answer.response, answer.verdict, answer.seconds, _stored_rating(answer)
            )
            answer.attempt = replace(answer.attempt, answered_at=when)
        else:
            answer.attempt = replace(answer.attempt, rating=_stored_rating(answer))
        answer.attempt_id = store.record(answer.attempt)
        stored = store.card(item.key)
        answer.due = None if stored is None else stored.due

    def rate(self, rating: int) -> Answer | None:
        """Reschedule the last answer with ``rating`` (1 Again .. 4 Easy), as Anki's
        buttons do after the answer is shown; the verdict and score stay. None when
        there is no answer to rate."""
        from studyreg.study.scheduling import rating_for

        if not self.answers:
            return None
        rating = int(rating_for("correct", 0, rating=rating))  # validates 1..4
        answer = self.answers[-1]
        if rating == answer.rating:
            return answer
        answer.rating, answer.chosen = rating, True
        if self.store is not None and answer.attempt_id is not None:
            self.store.undo_last()
            self._record(self.store, answer)
        return answer

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

    def undo_last(self) -> Answer | None:
        """Take back the last counted answer (and its stored attempt); it is asked again
        next, with the same variant. The answer taken back, or None when there is none."""
        if not self.answers:
            return None
        answer = self.answers.pop()
        if self.store is not None and answer.attempt_id is not None:
            self.store.undo_last()
        if self.mode == "learn" and not answer.verdict.correct:
            self.queue = [
                e for e in self.queue if e.question is not answer.item.question or e.requeued == 0
            ]
        self.queue.insert(0, self.entry_for(answer.item))
        return answer

    def retry_mistakes(self) -> Session:
        """A new quiz of the questions answered wrong or partly here, with fresh variants."""
        seen: set[str] = set()
        entries = []
        for answer in self.mistakes:
            if answer.item.key not in seen:
                seen.add(answer.item.key)
                entries.append(Entry(answer.item.pack, answer.item.concept, answer.item.question))
        if not entries:
            raise StudyregError("no mistakes to retry")
        seed = random.Random(f"studyreg-retry:{self.seed}").randrange(2**31)
        return Session(self.catalog, mode="quiz", seed=seed, store=self.store, only=entries)

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

    def comes_back(self) -> list[Answer]:
        """Each question's last answer that was scheduled, soonest due first."""
        last: dict[str, Answer] = {}
        for answer in self.answers:
            last[answer.item.key] = answer
        scheduled = [a for a in last.values() if a.due is not None and a.answered_at is not None]
        return sorted(scheduled, key=lambda a: (a.due, a.item.key))

    def results_by_concept(self) -> dict[str, tuple[int, int]]:
        """concept id -> (correct, answered), in the order concepts were first met."""
        results: dict[str, tuple[int, int]] = {}
        for a in self.answers:
            right, total = results.get(a.item.concept.id, (0, 0))
            results[a.item.concept.id] = (right + a.verdict.correct, total + 1)
        return results


def _stored_rating(answer: Answer) -> int | None:
    """The rating column: the learner's own choice, or None when it is the one the store
    would derive from the verdict and time anyway."""
    return None if answer.rating == answer.default_rating() and not answer.chosen else answer.rating
