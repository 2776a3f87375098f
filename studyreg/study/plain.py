"""Plain line mode: the quiz on stdin/stdout, one question at a time.

Deterministic for a given seed and input: nothing time-dependent is printed.
Lines starting with ``:`` are commands (``:undo``, ``:skip``, ``:quit``). In review, each
answer is followed by the four ratings with the interval each would give (Enter keeps the
one the verdict suggests); the summary lists when each question comes back.
"""

from __future__ import annotations

import textwrap
import time
from collections.abc import Iterator
from typing import IO, Any

from studyreg.grading import AnswerParseError, Verdict, parse_index_list
from studyreg.study.feedback import (
    experiment_command,
    format_points,
    verdict_message,
)
from studyreg.study.items import FreeResponseAnswer, QuestionItem
from studyreg.study.scheduling import RATING_NAMES
from studyreg.study.session import Answer, Session

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
        command = experiment_command(item)
        if command:
            self.say(
                "  this variant's experiment (run it to explore; its output gives the answer):"
            )
            self.say(f"    {command}")
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
            if s.mode == "review":
                self.schedule(s.answers[-1])
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
            undone = self.session.undo_last()
            if undone is not None:
                self.session.ask_again(item, 1)
                self.say("  undone: the last answer is taken back and will be asked again")
                said = undone.item.response_text(undone.response)
                if undone.item.kind.self_graded:
                    said = undone.response.text
                if said:
                    self.say(_wrap(f"(you had answered: {said})", indent="  "))
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
        while True:
            rating = self._ask_until(f"  rate yourself ({RATINGS}) > ", _parse_rating)
            if covered or not q.key_points or rating < 3:
                break
            n = len(q.key_points)
            sure = self.ask(
                f"  you covered none of the {n} key points; rate it {RATING_NAMES[rating]} "
                "anyway? (y/N) > "
            )
            if sure.strip().lower() in ("y", "yes"):
                break
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
        message = verdict_message(verdict)
        self.say(f"  {head}: {message}" if message else f"  {head}")
        if not item.kind.self_graded:
            self.say(f"answer: {item.answer_value()}")
            rows = item.kind.marked_rows(item, response) or item.answer_lines()
            if rows != [item.answer_value()]:
                for row in rows:
                    self.say(f"  {row}" if len(rows) > 1 else f"  ({row})")
        for note in item.feedback(response):
            self.say(_wrap(note, indent="  "))
        if item.question.explanation:
            self.say(_wrap("explanation: " + item.question.explanation, indent="  "))

    def schedule(self, answer: Answer) -> None:
        """Review: offer Again/Hard/Good/Easy with each one's interval; Enter keeps the
        suggested rating. Says when the question comes back."""
        if not answer.previews:  # no progress store: nothing is scheduled
            return
        default = answer.rating
        buttons = "  ".join(f"{n} {name} {answer.interval(n)}" for n, name in RATING_NAMES.items())
        self.say(f"  next review: {buttons}")
        if answer.item.type == "free_response":  # its self-rating was the rating: not twice
            self.say(f"  comes back in {answer.returns_in} ({RATING_NAMES[answer.rating]})")
            return
        prompt = f"  rate 1–4 (Enter: {default} {RATING_NAMES[default]}) > "
        while True:
            try:
                text = self.ask(prompt)
            except EndOfInput:
                self.say(f"  comes back in {answer.returns_in}")
                raise
            if not text.strip():
                break
            try:
                self.session.rate(_parse_rating(text))
                break
            except AnswerParseError as error:
                self.say(f"  ⚠ {error}")
        self.say(f"  comes back in {answer.returns_in} ({RATING_NAMES[answer.rating]})")

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
            self.say(f"points: {format_points(s.score)}/{s.answered}")
        for concept_id, (right, total) in s.results_by_concept().items():
            self.say(f"  {concept_id}: {right}/{total}")
        comes_back = s.comes_back()
        if s.mode == "review" and comes_back:
            self.say("comes back:")
            for answer in comes_back:
                item = answer.item
                when, rating = answer.returns_in, RATING_NAMES[answer.rating]
                self.say(f"  in {when:<5} {rating:<5} {item.concept.id}/{item.question.id}")


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
