"""Grading a typed number against a computed truth, as PrairieLearn's number input does.

Tolerance modes (``s`` the answer, ``t`` the truth):

- ``relabs``: correct when ``|s - t| <= atol + rtol * |t|`` (``numpy.allclose``).
- ``sigfig``: correct when ``|s - t| < 0.51 * 10**(e - digits + 1)``, ``e = floor(log10|t|)``
  (``e = 0`` when ``t == 0``), PrairieLearn's ``is_correct_scalar_sf``.
- ``decdig``: correct when ``|s - t| < 0.51 * 10**-digits``, PrairieLearn's
  ``is_correct_scalar_dd``.
- ``exact``: correct when ``s == t``.

In every mode ``s == t`` is correct, even where the window is below float resolution.
An answer outside tolerance that rounds to the truth at the precision it was typed in
(``0.12`` for 0.1234 needing 0.1%) is ``imprecise``: asked again, without penalty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Literal

from studyreg.grading.numbers import MAX_LENGTH, NumberParseError, ReadNumber, read_number
from studyreg.grading.verdict import CORRECT, Verdict, incorrect, invalid, quote

Mode = Literal["relabs", "sigfig", "decdig", "exact"]
MODES: tuple[Mode, ...] = ("relabs", "sigfig", "decdig", "exact")
MAX_DIGITS = 17


@dataclass(frozen=True)
class Tolerance:
    """How close a numeric answer must be; ``digits`` is used by ``sigfig`` and ``decdig``."""

    mode: Mode = "relabs"
    rtol: float = 1e-2
    atol: float = 1e-8
    digits: int = 2

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown tolerance mode {self.mode!r}; expected one of {MODES}")
        for name in ("rtol", "atol"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        lowest = 1 if self.mode == "sigfig" else 0
        if not (isinstance(self.digits, int) and lowest <= self.digits <= MAX_DIGITS):
            raise ValueError(
                f"digits must be an int in {lowest}..{MAX_DIGITS}, got {self.digits!r}"
            )

    def accepts(self, answer: float, truth: float) -> bool:
        """True when ``answer`` is within this tolerance of ``truth``."""
        if answer == truth:
            return True
        error = abs(answer - truth)
        if self.mode == "relabs":
            return error <= self.atol + self.rtol * abs(truth)
        if self.mode == "sigfig":
            exponent = _exponent10(truth) if truth != 0 else 0
            return error < 0.51 * 10.0 ** (exponent - self.digits + 1)
        if self.mode == "decdig":
            return error < 0.51 * 10.0**-self.digits
        return False

    def describe(self, truth: float) -> str:
        """The tolerance in words, e.g. 'within 1% of the answer'."""
        if self.mode == "sigfig":
            return f"to {self.digits} significant figure{'s' if self.digits != 1 else ''}"
        if self.mode == "decdig":
            return f"to {self.digits} decimal place{'s' if self.digits != 1 else ''}"
        if self.mode == "exact":
            return "exactly"
        if self.rtol * abs(truth) >= self.atol:
            return f"within {self.rtol * 100:g}% of the answer"
        return f"within ±{self.atol:g} of the answer"


def grade_number(
    text: str, truth: float, tolerance: Tolerance = Tolerance(), *, integer: bool = False
) -> Verdict:
    """Grade a typed number against ``truth``.

    Unreadable text is ``invalid``; a right answer with too few digits is ``imprecise``.
    With ``integer=True`` the answer must be the whole number nearest ``truth``, exactly.
    Raises ``ValueError`` only when ``truth`` is not finite (a bug upstream, not the learner's).
    """
    if not math.isfinite(truth):
        raise ValueError(f"the truth must be a finite number, got {truth!r}")
    try:
        read = read_number(text)
    except NumberParseError as error:
        return invalid(str(error))
    typed = quote(text.strip())
    if integer:
        return _grade_integer(read.value, round(truth), typed)
    if tolerance.accepts(read.value, truth):
        return CORRECT
    if _is_imprecise(read, truth):
        return Verdict("imprecise", 0.0, _ask_for_digits(typed, truth, tolerance))
    return incorrect(_how_far(read.value, truth, typed, tolerance))


# PHP's default ``precision``: Moodle widens every numerical answer's margin by
# 1e-14 * max(margin, |value|, 1e-14), so both ends of a range are inside it.
_MOODLE_EPSILON = 1e-14


def match_number_answer(value: float, answers: Sequence[tuple[float | None, float]]) -> int | None:
    """The index of the first ``(value, margin)`` that accepts ``value``, or None.

    An answer accepts ``value - margin .. value + margin``, both ends included, widened
    by Moodle's rounding allowance; a ``None`` value accepts any number. First match
    wins, as in Moodle's numerical question type.
    """
    for index, (truth, margin) in enumerate(answers):
        if truth is None:
            return index
        margin = abs(margin)
        reach = margin + _MOODLE_EPSILON * max(margin, abs(truth), _MOODLE_EPSILON)
        if truth - reach <= value <= truth + reach:
            return index
    return None


def grade_number_answers(
    text: str, answers: Sequence[tuple[float | None, float, float]]
) -> tuple[Verdict, int | None]:
    """Grade a typed number against ``(value, margin, credit)`` answers, Moodle's way.

    The first answer that accepts the number (see ``match_number_answer``) gives its
    credit; none gives 0. Returns the verdict and the index of the matching answer.
    Unreadable text is ``invalid``.
    """
    try:
        read = read_number(text)
    except NumberParseError as error:
        return invalid(str(error)), None
    index = match_number_answer(read.value, [(v, m) for v, m, _ in answers])
    credit = answers[index][2] if index is not None else 0.0
    if not 0.0 <= credit <= 1.0:
        raise ValueError(f"an answer's credit must be in 0..1, got {credit!r}")
    typed = quote(text.strip())
    if credit >= 1.0:
        return CORRECT, index
    if credit > 0:
        return Verdict(
            "partial", credit, f"Partly right ({credit:.0%}): {typed} earns part of the mark."
        ), index
    return incorrect(f"Not quite: {typed} is not an accepted answer."), index


def format_truth(truth: float, tolerance: Tolerance = Tolerance(), *, integer: bool = False) -> str:
    """``truth`` as text that ``grade_number`` grades correct under ``tolerance``.

    Whole numbers print as ints; ``sigfig`` and ``decdig`` print the digits asked for
    (``0.10``, ``1200``); ``relabs`` prints at least 4 significant figures, more when needed;
    ``exact`` prints the shortest text that reads back as the same float.
    """
    if not math.isfinite(truth):
        raise ValueError(f"the truth must be a finite number, got {truth!r}")
    if integer:
        return str(round(truth))
    if tolerance.mode == "sigfig":
        candidates = [_round_sig(truth, tolerance.digits, keep_zeros=True)]
    elif tolerance.mode == "decdig":
        candidates = [_round_dec(truth, tolerance.digits)]
    elif tolerance.mode == "relabs":
        candidates = [_round_sig(truth, p, keep_zeros=False) for p in range(4, MAX_DIGITS + 1)]
    else:
        candidates = []
    for text in candidates:
        if len(text) <= MAX_LENGTH and grade_number(text, truth, tolerance).correct:
            return text
    return _shortest(truth)


def _grade_integer(answer: float, truth: int, typed: str) -> Verdict:
    if not answer.is_integer():
        return incorrect(f"Not quite: the answer is a whole number, and {typed} is not.")
    if answer == truth:
        return CORRECT
    if answer != 0 and answer == -truth:
        return incorrect(f"Not quite: {typed} has the wrong sign.")
    # A count is off by so many units, not by a percentage ("25 too low", not "off by 38%").
    gap = abs(answer - truth)
    way = "too low" if answer < truth else "too high"
    return incorrect(f"Not quite: {typed} is {gap:,.0f} {way}.")


def _is_imprecise(read: ReadNumber, truth: float) -> bool:
    """True when the answer is ``truth`` rounded at the place of its last typed digit.

    A one-digit answer is a guess, not a rounding, and a truth exactly half-way
    between two typed values is ambiguous: both are graded as they stand.
    """
    if read.quantum is None or read.value == 0 or (read.value > 0) != (truth > 0):
        return False
    typed_digits = math.floor(math.log10(abs(read.value))) - round(math.log10(read.quantum)) + 1
    if typed_digits < 2:
        return False
    return abs(read.value - truth) < 0.5 * read.quantum * (1 - 1e-9)


def _ask_for_digits(typed: str, truth: float, tolerance: Tolerance) -> str:
    if tolerance.mode == "exact":
        need = "give the exact value (a fraction such as 1/3 works)"
    elif tolerance.mode in ("sigfig", "decdig"):
        need = f"give it {tolerance.describe(truth)}"
    else:
        need = f"give more digits: it must be {tolerance.describe(truth)}"
    return f"{typed} is close, but {need}. Not counted; try again."


def _how_far(answer: float, truth: float, typed: str, tolerance: Tolerance) -> str:
    if answer != 0 and tolerance.accepts(-answer, truth):
        return f"Not quite: {typed} has the wrong sign."
    for k in (1, 2, 3, -1, -2, -3):
        if tolerance.accepts(answer / 10.0**k, truth):
            way = "too large" if k > 0 else "too small"
            hint = "percent versus fraction?" if abs(k) == 2 else "check the units?"
            return f"Not quite: {typed} is {way} by a factor of {10 ** abs(k):,} ({hint})."
    if truth != 0:
        off = abs(answer - truth) / abs(truth) * 100
        if math.isfinite(off):
            shown = f"{off:.0f}" if off >= 10 else f"{off:.2g}"
            return f"Not quite: {typed} is off by {shown}%."
    return f"Not quite: {typed} is not {tolerance.describe(truth)}."


def _exponent10(x: float) -> int:
    """floor(log10|x|) in floating point, as PrairieLearn computes it, for a finite nonzero x.

    Not the exact exponent of the binary value: the double nearest 1e-6 lies just below
    10**-6, and its exact exponent (-7) would make the window 10x narrower than the digits
    a person reads ("1.0e-6"). log10 rounds it to exactly -6.0.
    """
    return math.floor(math.log10(abs(x)))


def _round_sig(x: float, digits: int, *, keep_zeros: bool) -> str:
    rounded = Context(prec=digits, rounding=ROUND_HALF_EVEN).create_decimal(x)
    return _decimal_text(rounded, keep_zeros=keep_zeros)


def _round_dec(x: float, digits: int) -> str:
    context = Context(prec=400, rounding=ROUND_HALF_EVEN)
    rounded = Decimal(x).quantize(Decimal(1).scaleb(-digits), context=context)
    return _decimal_text(rounded, keep_zeros=True)


def _decimal_text(value: Decimal, *, keep_zeros: bool) -> str:
    if value == 0:
        value = abs(value)  # no '-0.00'
    positional = -5 <= value.adjusted() < 16
    text = format(value, "f" if positional else "e")
    if keep_zeros:
        return text
    mantissa, _, exponent = text.partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + ("e" + exponent if exponent else "")


def _shortest(x: float) -> str:
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)
