"""Reading a typed list of choices or items: ``1,3``, ``1 3``, ``a,c``, ``1-3``, ``b-d``."""

from __future__ import annotations

import re

from studyreg.grading.verdict import AnswerParseError, letter, quote

MAX_LENGTH = 1000
_TOKEN = re.compile(r"^(?:(?P<num>[0-9]+)|(?P<let>[a-z]))\)?$")


def parse_index_list(text: str, n: int, *, one_based: bool = True) -> list[int]:
    """Read ``text`` as 0-based indices into ``n`` choices, in the order typed.

    Tokens are separated by commas, semicolons or spaces. A token is a number (1..n when
    ``one_based``, else 0..n-1), a letter ``a``.. (any case, for up to 26 choices; ``a`` is
    index 0) or an ascending range of either (``1-3``, ``b–d``). Repeats are kept.
    Raises ``AnswerParseError`` naming the bad token and the valid range.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if len(text) > MAX_LENGTH:
        raise AnswerParseError(
            f"The answer is too long ({len(text)} characters; at most {MAX_LENGTH})."
        )
    valid = _valid_range(n, one_based)
    spaced = re.sub(r"\s*[-–—]\s*", "-", text.strip())
    tokens = [t for t in re.split(r"[\s,;]+", spaced) if t]
    if not tokens:
        raise AnswerParseError(
            f"The answer is empty: type {valid}, e.g. '{_example(n, one_based)}'."
        )
    indices: list[int] = []
    for token in tokens:
        first, dash, last = token.partition("-")
        start = _index(first, token, n, one_based, valid)
        if not dash:
            indices.append(start)
            continue
        stop = _index(last, token, n, one_based, valid)
        if first.isdigit() != last.isdigit():
            raise AnswerParseError(
                f"In {quote(token)}, use numbers or letters on both sides of the range."
            )
        if stop < start:
            raise AnswerParseError(
                f"The range {quote(token)} runs backwards; write it low to high."
            )
        indices.extend(range(start, stop + 1))
    return indices


def _index(part: str, token: str, n: int, one_based: bool, valid: str) -> int:
    match = _TOKEN.match(part.casefold())
    if match is None:
        raise AnswerParseError(f"I can't read {quote(token)} as a choice: use {valid}.")
    if match["let"] is not None:
        index = ord(match["let"]) - ord("a")
        if n > 26:
            raise AnswerParseError(
                f"I can't read {quote(token)}: there are {n} choices, so use numbers, {valid}."
            )
    else:
        index = int(match["num"]) - (1 if one_based else 0)
    if not 0 <= index < n:
        raise AnswerParseError(f"{quote(token)} is out of range: use {valid}.")
    return index


def _valid_range(n: int, one_based: bool) -> str:
    low = 1 if one_based else 0
    numbers = f"numbers {low}–{n - 1 + low}"
    return f"{numbers} or letters A–{letter(n - 1)}" if n <= 26 else numbers


def _example(n: int, one_based: bool) -> str:
    low = 1 if one_based else 0
    return f"{low}" if n == 1 else f"{low},{low + 1}"
