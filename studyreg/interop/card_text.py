"""Pack text as flash-card HTML: inline Markdown, cloze deletions and numeric answers.

Pack text is plain text with a little inline Markdown (```code```, ``**bold**``, ``*italic*``
or ``_italic_``). Anki fields are HTML, so the text is escaped and those spans become
``<code>``, ``<b>`` and ``<i>``.

A fact becomes a cloze deletion: the part to recall (``recall:`` in the pack, or a guess:
the first emphasised term, else the first number, else the longest word) is wrapped in
``{{c1::…}}``, which Anki hides on the front and reveals on the back.
"""

from __future__ import annotations

import html
import re
from typing import Any

from studyreg import grading

# Private-use characters mark the recall span while the Markdown is converted around it.
_OPEN, _CLOSE = "\ue000", "\ue001"

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_UNDERSCORE = re.compile(
    r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"
)  # "____" is a blank, not emphasis
# Emphasised spans in the raw text, for guessing the recall part.
_EMPHASIS = (_CODE, _BOLD, _STAR, _UNDERSCORE)
# A number standing on its own (not the 1 of "L1"), with decimals or a percent sign.
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*%?(?![\w])")
_WORD = re.compile(r"[^\W\d_][\w’'-]*[^\W_]")


def flat(text: str) -> str:
    """``text`` with every run of whitespace (YAML line breaks included) as one space."""
    return " ".join(text.split())


def markdown_html(text: str) -> str:
    """Escape ``text`` for HTML and render its inline Markdown (code, bold, italic)."""
    text = flat(text)
    parts = []
    last = 0
    for match in _CODE.finditer(text):
        parts.append(_emphasis(html.escape(text[last : match.start()], quote=False)))
        parts.append(f"<code>{html.escape(match.group(1), quote=False)}</code>")
        last = match.end()
    parts.append(_emphasis(html.escape(text[last:], quote=False)))
    return "".join(parts)


def _emphasis(escaped: str) -> str:
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    escaped = _STAR.sub(r"<i>\1</i>", escaped)
    return _UNDERSCORE.sub(r"<i>\1</i>", escaped)


def recall_part(text: str, recall: str | None = None) -> str:
    """The words of a fact to hide: ``recall`` if given, else the first emphasised term,
    else the first number, else the longest word; the first of these that appears only once
    in the text wins. Returned exactly as written in ``text`` (whitespace flattened), so it can be
    found again."""
    text = flat(text)
    if recall:
        return flat(recall)
    folded = text.casefold()
    spans = sorted(
        (m for pattern in _EMPHASIS for m in pattern.finditer(text)), key=lambda m: m.start()
    )
    words = sorted(_WORD.findall(text), key=len, reverse=True)  # stable: first among equals
    candidates = [m.group(0) for m in spans] + _NUMBER.findall(text) + words
    # A part that also shows elsewhere would give the answer away on the front.
    for candidate in candidates:
        if folded.count(candidate.casefold()) == 1:
            return candidate
    return candidates[0] if candidates else text


def cloze_html(text: str, recall: str | None = None) -> str:
    """The fact as Anki cloze HTML, with its recall part as deletion ``c1``."""
    text = flat(text)
    part = recall_part(text, recall)
    start = text.find(part)
    if start < 0:  # the model validates recall; a guess always comes from the text
        raise ValueError(f"{part!r} does not appear in {text!r}")
    marked = text[:start] + _OPEN + part + _CLOSE + text[start + len(part) :]
    rendered = markdown_html(marked)
    before, rest = rendered.split(_OPEN, 1)
    hidden, after = rest.split(_CLOSE, 1)
    # "}}" would end the deletion early and "::" would start a hint.
    hidden = hidden.replace("}}", "}&#125;").replace("::", ":&#58;")
    return f"{before}{{{{c1::{hidden}}}}}{after}"


def tolerance_words(question: Any) -> str:
    """How close a numeric or computed answer must be: "±0.1%", "to 3 significant figures"."""
    if question.integer:
        return "a whole number, exactly"
    tol = question.tolerance
    if tol.sigfigs is not None:
        return grading.Tolerance(mode="sigfig", digits=tol.sigfigs).describe(1.0)
    if tol.decimals is not None:
        return grading.Tolerance(mode="decdig", digits=tol.decimals).describe(1.0)
    if tol.rtol > 0:
        relative = f"±{tol.rtol * 100:g}%"
        return relative if tol.atol <= 1e-8 else f"{relative} or ±{tol.atol:g}"
    return f"±{tol.atol:g}"
