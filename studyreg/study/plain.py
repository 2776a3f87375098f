"""Plain line mode: the quiz on stdin/stdout, one question at a time.

Deterministic for a given seed and input: nothing time-dependent is printed.
Lines starting with ``:`` are commands (``:undo``, ``:skip``, ``:quit``).
"""

from __future__ import annotations

import textwrap
import time
from collections.abc import Iterator
from typing import IO, Any

from studyreg.grading import AnswerParseError, Verdict, parse_index_list
from studyreg.study.items import FreeResponseAnswer, QuestionItem
from studyreg.study.session import Session

WIDTH = 78
RATINGS = "1 Again, 2 Hard, 3 Good, 4 Easy"
SYMBOL = {"correct": "✓ correct", "partial": "~ partly correct", "incorrect": "✗ incorrect"}


class EndOfInput(Exception):
    """Standard input ran out: finish cleanly with what was answered."""


class PlainQuiz:
    def __init__(
        self, session: Session, stdin: IO[str], stdout: IO[str], *, title: str = "quiz"
    ) -> None:
        self.session = session
        self.out = stdout
        self.lines = self._lines(stdin)
        self.title = title
        self.quit = False

    @staticmethod
    def _lines(stream: IO[str]) -> Iterator[str]:
        for line in stream:
            yield line.rstrip("\r\n")

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def ask(self, prompt: str) -> str:
        print(prompt, end="", file=self.out, flush=True)
        try:
            line = next(self.lines)
        except StopIteration:
            self.say()
            raise EndOfInput from None
        return line

    # --- the run ---------------------------------------------------------------

    def run(self) -> int:
        s = self.session
        total = len(s.queue)
        self.say(f"studyreg {self.title}: {total} question{'s' * (total != 1)} (seed {s.seed})")
        try:
            while not self.quit:
                item = s.next_item()
                if item is None:
                    break
                self.serve(item)
        except EndOfInput:
            self.say("(end of input)")
        self.summary()
        return 0

    def serve(self, item: QuestionItem) -> None:
        s = self.session
        number = s.answered + 1
        tag = " [again]" if item.requeued else ""
        self.say()
        self.say(f"[{number}] {item.concept.title} · {item.kind.title}{tag}")
        self.say(_wrap(item.prompt))
        for line in item.option_lines():
            self.say(line)
        if item.question.hint:
            self.say(f"  hint: {item.question.hint}")
        self.say(f"  (answer with {item.how_to_answer()})")
        started = time.monotonic()
        while True:
            line = self.ask("> ")
            if line.strip().startswith(":"):
                if self.command(line.strip(), item):
                    return
                continue
            try:
                response = self.read_response(item, line)
            except AnswerParseError as error:
                self.say(f"  ⚠ {error} (not counted; try again)")
                continue
            verdict = s.submit(item, response, seconds=time.monotonic() - started)
            if not verdict.counts:
                self.say(f"  ⚠ {verdict.message} (not counted; try again)")
                continue
            self.report(item, response, verdict)
            return

    def command(self, line: str, item: QuestionItem) -> bool:
        """Handle ``:undo``, ``:skip`` and ``:quit``; True when the question is done with."""
        word = line[1:].strip().lower()
        if word in ("q", "quit", "exit"):
            self.quit = True
            return True
        if word in ("s", "skip"):
            self.say("  skipped")
            return True
        if word in ("u", "undo"):
            if self.session.undo_last():
                self.session.queue.insert(1, _entry_for(item))
                self.say("  undone: the last answer is taken back and will be asked again")
                return True
            self.say("  nothing to undo")
            return False
        self.say("  commands: :undo, :skip, :quit")
        return False

    def read_response(self, item: QuestionItem, line: str) -> Any:
        if not item.kind.self_graded:
            return item.parse_response(line)
        q = item.question
        self.say("  model answer:")
        self.say(_wrap(q.model_answer, indent="    "))
        self.say("  key points:")
        for i, point in enumerate(q.key_points):
            self.say(f"    {i + 1}. {point}")
        covered = self._ask_until(
            "  which key points did you cover? (e.g. 1,3; 0 for none) > ",
            lambda text: _parse_covered(text, len(q.key_points)),
        )
        rating = self._ask_until(f"  rate yourself ({RATINGS}) > ", _parse_rating)
        return FreeResponseAnswer(frozenset(covered), rating, line.strip())

    def _ask_until(self, prompt: str, parse: Any) -> Any:
        while True:
            try:
                return parse(self.ask(prompt))
            except AnswerParseError as error:
                self.say(f"  ⚠ {error}")

    def report(self, item: QuestionItem, response: Any, verdict: Verdict) -> None:
        head = SYMBOL.get(verdict.status, verdict.status)
        if verdict.status == "partial":
            head += f" ({verdict.score:.0%})"
        self.say(f"  {head}: {verdict.message}")
        if not item.kind.self_graded:
            self.say(f"answer: {item.answer_value()}")
            if item.answer_text() != item.answer_value():
                self.say(f"  ({item.answer_text()})")
        for note in item.feedback(response):
            self.say(_wrap(note, indent="  "))
        if item.question.explanation:
            self.say(_wrap("explanation: " + item.question.explanation, indent="  "))
        if item.experiment is not None and item.live:
            from studyreg.study.lab import command_line

            scope = item.concept.experiment.scope if item.concept.experiment else None
            self.say(f"  reproduce: {command_line(*item.experiment, scope=scope)}")

    def summary(self) -> None:
        s = self.session
        self.say()
        for problem in s.skipped:
            if problem.message.startswith("locked: "):
                self.say(f"not asked (needs the pack's own code): {problem.format()}")
            else:
                self.say(f"skipped a question that could not be built: {problem.format()}")
        self.say(f"score: {s.correct_count}/{s.answered}")
        if s.answered:
            self.say(f"points: {s.score:g}/{s.answered}")
        for concept_id, (right, total) in s.results_by_concept().items():
            self.say(f"  {concept_id}: {right}/{total}")


def _entry_for(item: QuestionItem) -> Any:
    from studyreg.study.session import Entry

    return Entry(item.pack, item.concept, item.question, item.requeued)


def _parse_covered(text: str, n: int) -> list[int]:
    if text.strip().lower() in ("0", "none", "-", ""):
        return []
    return parse_index_list(text, n)


def _parse_rating(text: str) -> int:
    words = {"again": 1, "hard": 2, "good": 3, "easy": 4}
    word = text.strip().lower()
    if word in words:
        return words[word]
    if word in ("1", "2", "3", "4"):
        return int(word)
    raise AnswerParseError(f"rate with a number 1–4 ({RATINGS})")


def _wrap(text: str, indent: str = "") -> str:
    paragraphs = [p for p in text.strip().split("\n\n")]
    return "\n".join(
        textwrap.fill(" ".join(p.split()), WIDTH, initial_indent=indent, subsequent_indent=indent)
        for p in paragraphs
    )
