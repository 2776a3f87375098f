"""Reading GIFT the way Moodle's importer reads it, into plain records.

This module only reads: it decides question types, answer weights, feedback and
formats exactly as Moodle's ``qformat_gift`` does (questions split on blank lines,
``//`` comment lines, ``\\`` escapes, first ``{`` and first ``}``, ``####`` general
feedback, ``%weight%`` prefixes, ``[format]`` markers). Turning the records into
studyreg questions is ``gift_map``'s job.

Where Moodle itself refuses a question, ``GiftError`` names the line and says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studyreg.errors import StudyregError

FORMATS = ("moodle", "html", "plain", "markdown")

# Escaped control characters become private-use placeholders while the text is
# split, and are put back when a piece of text is finished (Moodle does the same
# with "&&058;"-style placeholders).
_ESCAPABLE = ":#={}~"
_PLACEHOLDER = {c: chr(0xE000 + i) for i, c in enumerate(_ESCAPABLE)}
_PLACEHOLDER["n"] = chr(0xE000 + len(_ESCAPABLE))
_RESTORE = str.maketrans(
    {p: ("\n" if c == "n" else c) for c, p in _PLACEHOLDER.items()},
)
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
# Moodle's weight pattern: "%", any minus signs, 1-2 digits, then digits/one dot.
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
# What PHP's is_numeric accepts (decimal only; PHP 7+ has no hex strings).
_PHP_NUMBER = re.compile(r"^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$")
_TRUE_FALSE = ("T", "TRUE", "F", "FALSE")
# "[id:...]" and "[tag:...]" in a question's comment lines: Moodle's idnumber and tags.
_IDNUMBER = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")
# Moodle's Cloze (embedded answers) syntax, e.g. {1:MULTICHOICE:=a~b}: not GIFT.
_CLOZE = re.compile(r"^\d*:[A-Z_]+:")


class GiftError(StudyregError):
    """A question Moodle would refuse (or that cannot be read), with its first line."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


@dataclass(frozen=True)
class GiftText:
    """A piece of text and the format Moodle would display it in."""

    text: str
    format: str = "moodle"


@dataclass
class GiftAnswer:
    """One answer of a choice, short-answer or numerical question.

    ``fraction`` is Moodle's weight (1.0 for 100%). For numerical answers ``value`` is
    the number (``None`` for the catch-all ``*``) and ``tolerance`` the margin.
    """

    text: GiftText
    fraction: float
    feedback: GiftText
    value: float | None = None
    tolerance: float = 0.0


@dataclass
class GiftQuestion:
    line: int
    qtype: str  # description, essay, multichoice, match, truefalse, shortanswer, numerical
    name: str | None
    text: GiftText
    general_feedback: GiftText
    category: str | None = None
    answers: list[GiftAnswer] = field(default_factory=list)
    single: bool = True  # multichoice: one answer (radio) or several (checkboxes)
    pairs: list[tuple[GiftText, str]] = field(default_factory=list)  # match: left, right
    correct: bool = True  # truefalse
    feedback_true: GiftText = GiftText("")
    feedback_false: GiftText = GiftText("")
    notes: list[str] = field(default_factory=list)  # what a reader should know
    idnumber: str = ""  # from "[id:...]" in the comment lines
    tags: list[str] = field(default_factory=list)  # from "[tag:...]" in the comment lines


@dataclass
class GiftCategory:
    line: int
    name: str
    notes: list[str] = field(default_factory=list)


def split_blocks(text: str) -> list[tuple[int, list[str]]]:
    """Moodle's split: trimmed lines, a blank line (or a lone ``0``) ends a question."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line in ("", "0"):  # PHP's empty() is also true for "0"
            if current:
                blocks.append((start, current))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


def read_gift(text: str) -> list[GiftQuestion | GiftCategory | GiftError]:
    """Every question and category switch of a GIFT file, in order.

    A question Moodle refuses comes back as a ``GiftError`` in its place, so the caller
    can report every one of them.
    """
    items: list[GiftQuestion | GiftCategory | GiftError] = []
    for line, lines in split_blocks(text.lstrip("\ufeff")):
        try:
            item = read_question(lines, line)
        except GiftError as error:
            items.append(error)
            continue
        if item is not None:
            items.append(item)
    return items


def idnumber_and_tags(comments: str) -> tuple[str, list[str]]:
    """Moodle's ``[id:...]`` (the first) and ``[tag:...]`` (all) from comment lines."""
    found = _IDNUMBER.search(comments)
    idnumber = found.group(1).strip().replace("\\]", "]") if found else ""
    tags = [m.group(1).strip().replace("\\]", "]") for m in _TAG.finditer(comments)]
    return idnumber, tags


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _escape(text: str) -> str:
    return _ESCAPE.sub(lambda m: "\\" if m.group(1) == "\\" else _PLACEHOLDER[m.group(1)], text)


def text_with_format(raw: str, default: str = "moodle") -> GiftText:
    """Moodle's ``parse_text_with_format``: a leading ``[html]`` etc. sets the format."""
    text, fmt = raw, default
    if raw.startswith("["):
        end = raw.find("]")
        name = raw[1:end] if end != -1 else raw[1:]
        if end != -1 and name in FORMATS:
            fmt, text = name, raw[end + 1 :]
    return GiftText(_restore(text).strip(), fmt)


def _comment(raw: str, default: str) -> tuple[GiftText, GiftText]:
    text, sep, feedback = raw.partition("#")
    return text_with_format(text.strip(), default), text_with_format(
        feedback.strip() if sep else "", default
    )


def _weight(answer: str, line: int) -> tuple[float, str] | None:
    """``%50%rest`` -> ``(0.5, "rest")``; None when there is no weight."""
    if not _WEIGHT.match(answer):
        return None
    end = answer.index("%", 1)
    number = answer[1:end]
    if not _PHP_NUMBER.match(number):
        raise GiftError(line, f"cannot read the weight %{number}% as a percentage")
    return float(number) / 100, answer[end + 1 :]


def _drop_empty_first(parts: list[str]) -> list[str]:
    if parts:
        parts[0] = parts[0].strip()
        if parts[0] in ("", "0"):
            parts = parts[1:]
    return parts


def read_question(lines: list[str], line: int) -> GiftQuestion | GiftCategory | None:
    """One blank-line-separated block, as Moodle's ``readquestion`` reads it."""
    comments = "".join(e.strip() + "\n" for e in lines if e.strip().startswith("//"))
    kept = [" " if entry.strip().startswith("//") else entry for entry in lines]
    text = "\n".join(kept).strip()
    if not text:
        return None
    text = _escape(text)
    if text.startswith("$CATEGORY:"):
        written = _restore(text[len("$CATEGORY:") :]).strip()
        category = GiftCategory(line, written.splitlines()[0].strip() if written else "")
        if "\n" in written:
            category.notes.append(
                "the lines after $CATEGORY are read as part of the category (as Moodle does): "
                "put a blank line after it; those lines were not imported"
            )
        return category

    name: str | None = None
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        if end != -1:
            name = _restore(text[:end]).strip()
            text = text[end + 2 :].strip()

    start, finish = text.find("{"), text.find("}")
    description = start == -1 and finish == -1
    if description:
        answer_text = ""
        question_text = text
    elif start == -1 or finish == -1:
        raise GiftError(line, "a '{' or '}' is missing (write \\{ or \\} for a literal brace)")
    elif finish < start:
        raise GiftError(line, "a '}' comes before the first '{' (write \\} for a literal brace)")
    else:
        answer_text = text[start + 1 : finish].strip()
        blank = "" if text.endswith("}") else "_____"
        question_text = text[:start] + blank + text[finish + 1 :]

    notes: list[str] = []
    if not description and ("{" in text[finish + 1 :] or "}" in text[finish + 1 :]):
        notes.append(
            "only the first {...} is an answer block (as in Moodle); the rest stays in the text"
        )

    if _CLOZE.match(answer_text):
        notes.append(
            "this looks like Cloze (embedded answers) syntax, which GIFT does not have: "
            "it is read as plain GIFT, as Moodle's GIFT import reads it"
        )

    general = ""
    cut = answer_text.rfind("####")
    if cut != -1:
        general = answer_text[cut + 4 :]
        answer_text = answer_text[:cut].strip()

    qtext = text_with_format(question_text.strip())
    question = GiftQuestion(
        line=line,
        qtype="",
        name=name,
        text=qtext,
        general_feedback=text_with_format(general.strip(), qtext.format),
        notes=notes,
    )
    question.idnumber, question.tags = idnumber_and_tags(comments)
    fmt = qtext.format
    if description:
        question.qtype = "description"
    elif answer_text == "":
        question.qtype = "essay"
    elif answer_text.startswith("#"):
        question.qtype = "numerical"
        _numerical(question, answer_text[1:], fmt)
    elif "~" in answer_text:
        question.qtype = "multichoice"
        _multichoice(question, answer_text, fmt)
    elif "=" in answer_text and "->" in answer_text:
        question.qtype = "match"
        _match(question, answer_text, fmt)
    else:
        check = answer_text
        if answer_text.find("#") > 0:
            check = answer_text[: answer_text.find("#")].strip()
        if check in _TRUE_FALSE:
            question.qtype = "truefalse"
            _truefalse(question, answer_text, fmt)
        else:
            question.qtype = "shortanswer"
            _shortanswer(question, answer_text, fmt)
    return question


def _multichoice(question: GiftQuestion, body: str, fmt: str) -> None:
    line = question.line
    question.single = "=" in body
    answers = _drop_empty_first(body.replace("=", "~=").split("~"))
    if len(answers) < 2:
        raise GiftError(line, "a choice question needs at least two answers")
    for raw in answers:
        answer = raw.strip()
        weighted = _weight(answer, line)
        if answer.startswith("="):
            fraction, answer = 1.0, answer[1:]
            if _WEIGHT.match(answer.strip()):
                question.notes.append(
                    f"'={_restore(answer.strip())[:30]}': '=' already means full marks, so "
                    "the weight stays in the choice's text (as in Moodle); write '~%n%' instead"
                )
        elif weighted is not None:
            fraction, answer = weighted
        else:
            fraction = 0.0
        text, feedback = _comment(answer, fmt)
        if not text.text:
            # Moodle skips a blank choice when it saves the question.
            question.notes.append("a blank choice was skipped (as Moodle does)")
            continue
        question.answers.append(GiftAnswer(text, fraction, feedback))


def _match(question: GiftQuestion, body: str, fmt: str) -> None:
    line = question.line
    answers = _drop_empty_first(body.split("="))
    if len(answers) < 2:
        raise GiftError(line, "a matching question needs at least two '=... -> ...' lines")
    for raw in answers:
        answer = raw.strip()
        if "->" not in answer:
            raise GiftError(
                line, f"the matching line {_restore(answer)[:40]!r} has no '->' between its sides"
            )
        left, _, right = answer.partition("->")
        question.pairs.append((text_with_format(left.strip(), fmt), _restore(right).strip()))


def _truefalse(question: GiftQuestion, body: str, fmt: str) -> None:
    bits = body.split("#", 2)
    answer = text_with_format(bits[0].strip(), fmt)
    wrong = text_with_format(bits[1].strip() if len(bits) > 1 else "", fmt)
    right = text_with_format(bits[2].strip() if len(bits) > 2 else "", fmt)
    question.correct = answer.text in ("T", "TRUE")
    # The first feedback is for a wrong answer, the second for a right one.
    if question.correct:
        question.feedback_true, question.feedback_false = right, wrong
    else:
        question.feedback_true, question.feedback_false = wrong, right


def _shortanswer(question: GiftQuestion, body: str, fmt: str) -> None:
    answers = _drop_empty_first(body.split("="))
    if not answers:
        raise GiftError(question.line, "a short-answer question needs at least one answer")
    for raw in answers:
        answer = raw.strip()
        weighted = _weight(answer, question.line)
        fraction, answer = weighted if weighted is not None else (1.0, answer)
        text, feedback = _comment(answer, fmt)
        if not text.text:
            question.notes.append("a blank answer was skipped (as Moodle does)")
            continue
        question.answers.append(GiftAnswer(text, fraction, feedback))


def _number(text: str, what: str, line: int) -> float:
    if not _PHP_NUMBER.match(text):
        raise GiftError(line, f"cannot read {text!r} as a number ({what})")
    return float(text)


def _numerical(question: GiftQuestion, body: str, fmt: str) -> None:
    line = question.line
    wrong_feedback = ""
    cut = body.find("~")
    if cut != -1:
        body, wrong_feedback = body[:cut], body[cut:]
    answers = _drop_empty_first(body.split("="))
    if not answers:
        raise GiftError(line, "a numerical question needs at least one answer")
    for raw in answers:
        answer = raw.strip()
        weighted = _weight(answer, line)
        fraction, answer = weighted if weighted is not None else (1.0, answer)
        text, feedback = _comment(answer, fmt)
        spec = text.text
        if spec.find("..") > 0:
            low_text, _, high_text = spec.partition("..")
            low = _number(low_text.strip(), "the low end of a range", line)
            high = _number(high_text.strip(), "the high end of a range", line)
            value: float | None = (low + high) / 2
            tolerance = high - (low + high) / 2
        elif spec.find(":") > 0:
            value_text, _, tol_text = spec.partition(":")
            value = (
                None if value_text.strip() == "*" else _number(value_text.strip(), "answer", line)
            )
            tolerance = _number(tol_text.strip(), "the margin after ':'", line)
        else:
            value = None if spec == "*" else _number(spec, "answer", line)
            tolerance = 0.0
        question.answers.append(GiftAnswer(text, fraction, feedback, value, abs(tolerance)))
    if wrong_feedback:
        _, feedback = _comment(wrong_feedback, fmt)
        question.answers.append(GiftAnswer(GiftText("*"), 0.0, feedback, None, 0.0))
