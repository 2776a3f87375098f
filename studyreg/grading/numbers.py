"""Reading a number the way people type it: ``0.25``, ``1/4``, ``25%``, ``2.5e-1``, ``1,000``.

Decisions (see the tests): a minus may be ``-`` or ``−`` (U+2212); thousands may be
grouped by commas or by single spaces, in groups of exactly three (``1,000``,
``1 000 000``), never mixed; a denominator may carry a sign (``3/-4`` is -0.75);
a fraction takes no ``%``; underscores (``1_000``), hexadecimal, ``nan`` and ``inf``
are refused. Values are computed exactly, then rounded once to the nearest float.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from studyreg.grading.verdict import AnswerParseError, quote

MAX_LENGTH = 100
MAX_EXPONENT = 1000  # beyond any float; keeps exact arithmetic cheap
EXAMPLES = "for example 0.25, 1/4, 25%, 2.5e-1, -3 or 1,000"
TYPE_A_NUMBER = f"type a number, {EXAMPLES}"

_GROUP_SPACES = "\u00a0\u2009\u202f"  # no-break, thin and narrow no-break spaces group like ' '
_MINUSES = "\u2212\u2012\u2013\ufe63\uff0d"  # minus sign, figure and en dashes, small/full-width
_UNSIGNED = r"""
    (?P<int{i}>[0-9]{{1,3}}(?:,[0-9]{{3}})+ | [0-9]{{1,3}}(?:\ [0-9]{{3}})+ | [0-9]+)?
    (?:\.(?P<frac{i}>[0-9]*))?
    (?:[eE](?P<exp{i}>[+-]?[0-9]+))?
"""
_SIGNED = r"(?P<sign{i}>[+-]?)" + _UNSIGNED
_NUMBER = re.compile(
    rf"""^{_SIGNED.format(i=1)}
    (?: \ *(?P<percent>%) | \ */\ *{_SIGNED.format(i=2)} )?$""",
    re.VERBOSE | re.ASCII,
)
_BAD_COMMA = re.compile(r"[0-9],(?![0-9]{3}(?![0-9]))")
_NON_FINITE = re.compile(r"^[+-]?(nan|inf|infinity)$", re.IGNORECASE)


class NumberParseError(AnswerParseError):
    """Text that is not a number we accept; the message says what was typed and what works."""


@dataclass(frozen=True)
class ReadNumber:
    """A parsed number and the place value of its last typed digit (None for fractions)."""

    value: float
    quantum: float | None


def parse_number(text: str) -> float:
    """Read ``text`` as a finite float, or raise ``NumberParseError`` (and nothing else).

    Accepted: ``0.25``, ``.5``, ``5.``, ``1/4``, ``-1/4``, ``25%``, ``2.5e-1``, ``-3``,
    ``−3``, ``+7``, ``1,000``, ``1 000``, with spaces around.
    """
    return read_number(text).value


def read_number(text: str) -> ReadNumber:
    """Like ``parse_number``, also reporting the precision the learner typed."""
    if not isinstance(text, str):
        raise NumberParseError(f"expected typed text, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise NumberParseError(f"The answer is empty: type a number, {EXAMPLES}.")
    if len(stripped) > MAX_LENGTH:
        raise _cannot(
            stripped, f"it is too long ({len(stripped)} characters; at most {MAX_LENGTH})"
        )
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in stripped):
        raise _cannot(stripped, "it contains a control character")
    cleaned = stripped
    for dash in _MINUSES:
        cleaned = cleaned.replace(dash, "-")
    for space in _GROUP_SPACES:
        cleaned = cleaned.replace(space, " ")
    _diagnose(stripped, cleaned)
    match = _NUMBER.match(cleaned)
    if match is None or not _has_digits(match, 1):
        raise _cannot(stripped, TYPE_A_NUMBER)
    if match["percent"]:
        value = _exact(match, 1) / 100
        quantum = _quantum(match, 1, shift=-2)
    elif match["sign2"] is not None:
        if not _has_digits(match, 2):
            raise _cannot(stripped, TYPE_A_NUMBER)
        denominator = _exact(match, 2)
        if denominator == 0:
            raise _cannot(stripped, "division by zero")
        value = _exact(match, 1) / denominator
        quantum = None
    else:
        value = _exact(match, 1)
        quantum = _quantum(match, 1)
    return ReadNumber(_to_float(value, stripped), quantum)


def _cannot(typed: str, why: str) -> NumberParseError:
    return NumberParseError(f"I can't read {quote(typed)} as a number: {why}.")


def _diagnose(typed: str, cleaned: str) -> None:
    """Refuse the common near-misses with a specific hint."""
    if _NON_FINITE.match(cleaned):
        raise _cannot(typed, "only finite numbers are accepted")
    if cleaned.count("%") > 1:
        raise _cannot(typed, "use at most one '%'")
    if cleaned.count("/") > 1:
        raise _cannot(typed, "use at most one '/', as in 1/4")
    if "%" in cleaned and "/" in cleaned:
        raise _cannot(typed, "write a fraction (1/4) or a percentage (25%), not both")
    if "_" in cleaned:
        raise _cannot(typed, "underscores are not accepted; write 1000 or 1,000")
    if re.match(r"^[+-]?0[xXbBoO]", cleaned):
        raise _cannot(typed, "only decimal numbers are accepted, as in 16 or 0.25")
    if "," in cleaned and " " in re.sub(r" *[%/] *", "", cleaned):
        raise _cannot(typed, "group thousands with commas or with spaces, not both")
    if _BAD_COMMA.search(cleaned) or re.search(r"\.[0-9]*,", cleaned):
        raise _cannot(
            typed, "decimals use a point (1.5), and commas only group thousands in threes (1,000)"
        )


def _has_digits(match: re.Match[str], i: int) -> bool:
    return bool(match[f"int{i}"] or match[f"frac{i}"])


def _exponent(match: re.Match[str], i: int) -> int:
    exp = int(match[f"exp{i}"] or 0)
    if abs(exp) > MAX_EXPONENT:
        raise NumberParseError(
            f"I can't read {quote(match.string)} as a number: the exponent {exp} is out of range."
        )
    return exp


def _exact(match: re.Match[str], i: int) -> Fraction:
    whole = (match[f"int{i}"] or "").replace(",", "").replace(" ", "")
    frac = match[f"frac{i}"] or ""
    value = Fraction(int(whole + frac or "0"), 10 ** len(frac)) * Fraction(10) ** _exponent(
        match, i
    )
    return -value if match[f"sign{i}"] == "-" else value


def _quantum(match: re.Match[str], i: int, shift: int = 0) -> float | None:
    places = _exponent(match, i) - len(match[f"frac{i}"] or "") + shift
    return 10.0**places if abs(places) < 300 else None


def _to_float(value: Fraction, typed: str) -> float:
    try:
        result = float(value)
    except OverflowError:
        raise _cannot(typed, "it is too large to work with") from None
    if result == 0.0 and value != 0:
        raise _cannot(typed, "it is too close to zero to work with")
    if result != result or result in (float("inf"), float("-inf")):
        raise _cannot(typed, "it is too large to work with")
    return result
