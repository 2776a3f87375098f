"""Moodle's GIFT format -> a studyreg pack (plain data, ready to validate and write).

Supported: multiple choice with feedback and weights, true/false, numeric with a
tolerance (``#v:t``) or a range (``#a..b``), short answer with several accepted answers,
matching, essay (becomes free response), titles, ``$CATEGORY`` (becomes concepts),
comments, escapes, ``[html]``/``[markdown]`` formats and missing-word questions. What
cannot be mapped is reported with its line number, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from studyreg.errors import StudyregError

_TAG = re.compile(r"<[^>]+>")
_FORMAT = re.compile(r"^\[(html|moodle|markdown|plain)\]\s*", re.I)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


@dataclass
class GiftResult:
    concepts: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def question_count(self) -> int:
        return sum(len(c["questions"]) for c in self.concepts)


class GiftError(StudyregError):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}")


def slugify(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return slug or fallback


def _unescape(text: str) -> str:
    return re.sub(r"\\([~=#{}:n\\])", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _clean(text: str) -> str:
    return " ".join(_TAG.sub("", _unescape(text)).split())


def _find_unescaped(text: str, chars: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in chars:
            return i
        i += 1
    return -1


def _split_answers(body: str) -> list[str]:
    """``=a#f ~b`` -> ``["=a#f", "~b"]`` on unescaped = and ~."""
    parts: list[str] = []
    i = _find_unescaped(body, "=~")
    while i != -1:
        j = _find_unescaped(body, "=~", i + 1)
        parts.append(body[i : j if j != -1 else len(body)].strip())
        i = j
    return parts


def _split_feedback(text: str) -> tuple[str, str | None]:
    k = _find_unescaped(text, "#")
    if k == -1:
        return _clean(text), None
    return _clean(text[:k]), _clean(text[k + 1 :]) or None


def _blocks(text: str) -> list[tuple[int, str]]:
    """Questions separated by blank lines, with their first line number; comments dropped."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def parse_gift(text: str, *, default_concept: str = "imported") -> GiftResult:
    result = GiftResult()
    concepts: dict[str, dict[str, Any]] = {}
    current = default_concept
    ids: set[str] = set()

    def concept_for(name: str) -> dict[str, Any]:
        if name not in concepts:
            title = name.strip().split("/")[-1].strip() or name
            concept_id = slugify(title, f"concept-{len(concepts) + 1}")
            while any(c["id"] == concept_id for c in concepts.values()):
                concept_id += "-2"
            concepts[name] = {
                "id": concept_id,
                "title": title,
                "definition": f"Imported from GIFT category {name.strip()}.",
                "questions": [],
            }
        return concepts[name]

    for line, block in _blocks(text):
        stripped = block.strip()
        if stripped.startswith("$CATEGORY:"):
            first, _, rest = stripped.partition("\n")
            current = first[len("$CATEGORY:") :].strip() or default_concept
            if not rest.strip():
                continue
            stripped = rest.strip()
        try:
            question = _parse_question(stripped, line, result)
        except GiftError as error:
            result.warnings.append(
                (error.line, f"not imported: {error}".replace(f"line {error.line}: ", ""))
            )
            continue
        if question is None:
            continue
        base = question["id"]
        n = 2
        while question["id"] in ids:
            question["id"] = f"{base}-{n}"
            n += 1
        ids.add(question["id"])
        concept_for(current)["questions"].append(question)
    result.concepts = [c for c in concepts.values() if c["questions"]]
    return result


def _parse_question(block: str, line: int, result: GiftResult) -> dict[str, Any] | None:
    title = None
    text = block
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            raise GiftError(line, "a title starts with '::' but never ends")
        title = _clean(text[2:end])
        text = text[end + 2 :].strip()
    text = _FORMAT.sub("", text)
    open_at = _find_unescaped(text, "{")
    if open_at == -1:
        if _find_unescaped(text, "}") != -1:
            raise GiftError(line, "a stray '}' without an opening '{'")
        result.warnings.append(
            (line, "a description without answers has no studyreg equivalent; skipped")
        )
        return None
    close_at = _find_unescaped(text, "}", open_at + 1)
    if close_at == -1:
        raise GiftError(line, "'{' is never closed with '}'")
    before, body, after = text[:open_at], text[open_at + 1 : close_at], text[close_at + 1 :]
    if _find_unescaped(after, "{}") != -1:
        raise GiftError(line, "more than one answer block in a question")
    prompt = _clean(before)
    if after.strip():
        prompt = f"{prompt} ___ {_clean(after)}".strip()
    if not prompt:
        raise GiftError(line, "the question has no text")
    question: dict[str, Any] = {"id": slugify(title or prompt[:40], f"q{line}"), "prompt": prompt}
    general = body.find("####")
    if general != -1:
        question["explanation"] = _clean(body[general + 4 :])
        body = body[:general]
    body = body.strip()
    question.update(_answers(body, line, result))
    return question


def _answers(body: str, line: int, result: GiftResult) -> dict[str, Any]:
    if not body:
        result.warnings.append(
            (line, "essay imported as free response: write its model answer and key points")
        )
        return {
            "type": "free_response",
            "model_answer": "(to be written by the instructor)",
            "key_points": ["(to be written by the instructor)"],
        }
    head, feedback = _split_feedback(body)
    if head.upper() in ("T", "TRUE", "F", "FALSE"):
        data: dict[str, Any] = {"type": "true_false", "answer": head.upper().startswith("T")}
        if feedback:
            data["feedback_true" if data["answer"] else "feedback_false"] = feedback.split("#")[
                0
            ].strip()
        return data
    if body.startswith("#"):
        return _numeric(body[1:].strip(), line, result)
    answers = _split_answers(body)
    if not answers:
        raise GiftError(line, f"cannot read the answers {{{body[:40]}}}")
    if all(a.startswith("=") and "->" in a for a in answers):
        pairs = []
        for a in answers:
            left, _, right = a[1:].partition("->")
            pairs.append({"left": _clean(left), "right": _clean(right)})
        if len(pairs) < 2:
            raise GiftError(line, "matching needs at least two pairs")
        return {"type": "matching", "pairs": pairs}
    if all(a.startswith("=") for a in answers):
        accepted = []
        for a in answers:
            text, _ = _split_feedback(a[1:])
            weight = _WEIGHT.match(text)
            if weight and float(weight.group(1)) < 100:
                result.warnings.append((line, f"partial-credit short answer {text!r} dropped"))
                continue
            accepted.append(_WEIGHT.sub("", text).strip())
        return {"type": "short_answer", "answers": accepted}
    return _choices(answers, line, result)


def _choices(answers: list[str], line: int, result: GiftResult) -> dict[str, Any]:
    choices = []
    weighted = False
    for a in answers:
        text, feedback = _split_feedback(a[1:])
        weight = _WEIGHT.match(text)
        correct = a.startswith("=")
        if weight:
            weighted = True
            correct = float(weight.group(1)) > 0
            text = text[weight.end() :].strip()
        choice: dict[str, Any] = {"text": text, "correct": correct}
        if feedback:
            choice["feedback"] = feedback
        choices.append(choice)
    n_correct = sum(c["correct"] for c in choices)
    if n_correct == 0:
        raise GiftError(line, "a multiple-choice question with no right answer")
    if weighted:
        result.warnings.append((line, "answer weights became right/wrong with net partial credit"))
    if n_correct == 1 and not weighted:
        return {"type": "single_choice", "choices": choices}
    return {"type": "multiple_choice", "choices": choices, "partial_credit": "net"}


def _numeric(body: str, line: int, result: GiftResult) -> dict[str, Any]:
    options = _split_answers(body) if body.startswith("=") else ["=" + body]
    chosen = None
    for option in options:
        text, _ = _split_feedback(option[1:])
        weight = _WEIGHT.match(text)
        if weight and float(weight.group(1)) < 100:
            result.warnings.append((line, f"partial-credit numeric answer {text!r} dropped"))
            continue
        if chosen is None:
            chosen = _WEIGHT.sub("", text).strip()
        else:
            result.warnings.append(
                (line, f"extra numeric answer {text!r} dropped (studyreg keeps one)")
            )
    if chosen is None:
        raise GiftError(line, "a numeric question with no full-credit answer")
    try:
        if ".." in chosen:
            low, high = (float(v) for v in chosen.split(".."))
            return {
                "type": "numeric",
                "answer": (low + high) / 2,
                "tolerance": {"rtol": 0.0, "atol": abs(high - low) / 2},
            }
        value, _, tol = chosen.partition(":")
        tolerance = {"rtol": 0.0, "atol": abs(float(tol))} if tol else {"rtol": 0.0, "atol": 1e-9}
        return {"type": "numeric", "answer": float(value), "tolerance": tolerance}
    except ValueError:
        raise GiftError(line, f"cannot read {chosen!r} as a number or range") from None
