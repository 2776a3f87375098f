"""Prompt templates: text with ``{name}`` and ``{name:spec}`` fields over named values.

Fields hold a dotted name and an optional standard format spec, nothing else: no
indexing, no ``!r`` conversions, no nested fields, no segment starting with ``_``.
``{{`` and ``}}`` are literal braces. Rendering looks the name up and calls
``format(value, spec)``; the template never reaches into an object.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from studyreg.expr.errors import TemplateError, error_at

MAX_SOURCE = 20_000
MAX_WIDTH = 50
_SEGMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPEC = re.compile(
    r"""(?:(?P<fill>[^{}])?(?P<align>[<>=^]))?
    (?P<sign>[-+ ])?z?\#?0?
    (?P<width>[0-9]+)?
    [,_]?
    (?:\.(?P<precision>[0-9]+))?
    [bcdeEfFgGnosxX%]?""",
    re.VERBOSE | re.ASCII,
)
_SPEC_EXAMPLES = "for example :.3f, :.1%, :,d or :>8"


@dataclass(frozen=True)
class _Field:
    name: str
    spec: str
    at: int  # offset of the '{'


@dataclass(frozen=True)
class Template:
    """A parsed template; ``fields`` lists (dotted name, format spec) per placeholder."""

    source: str
    fields: tuple[tuple[str, str], ...]
    names: frozenset[str]
    _parts: tuple[str | _Field, ...] = field(repr=False, compare=False)

    def render(self, env: Mapping[str, Any]) -> str:
        """The text with every field formatted from ``env``.

        Raises ``TemplateError`` for a name missing from ``env`` or a value the spec cannot
        format.
        """
        out = []
        for part in self._parts:
            if isinstance(part, str):
                out.append(part)
                continue
            if part.name not in env:
                known = [key for key in env if isinstance(key, str)]
                close = difflib.get_close_matches(part.name, known, n=3, cutoff=0.6)
                hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
                raise _error(self.source, part.at, f"unknown name {part.name!r}{hint}")
            value = env[part.name]
            try:
                out.append(format(value, part.spec))
            except (ValueError, TypeError) as error:
                shown = repr(value) if len(repr(value)) <= 30 else repr(value)[:29] + "…"
                raise _error(
                    self.source,
                    part.at,
                    f"cannot format {part.name} (= {shown}) with ':{part.spec}': {error}",
                ) from None
        return "".join(out)


def parse_template(source: str) -> Template:
    """Parse ``source``, or raise ``TemplateError`` pointing at the column of the problem."""
    if not isinstance(source, str):
        raise TemplateError(f"a template must be text, got {type(source).__name__}")
    if len(source) > MAX_SOURCE:
        raise _error(
            source,
            MAX_SOURCE,
            f"the template is too long ({len(source)} characters; at most {MAX_SOURCE})",
        )
    parts: list[str | _Field] = []
    literal: list[str] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char in "{}" and source[i + 1 : i + 2] == char:
            literal.append(char)
            i += 2
            continue
        if char == "}":
            raise _error(source, i, "a lone '}'; write '}}' for a literal brace")
        if char != "{":
            literal.append(char)
            i += 1
            continue
        close = i + 1
        while close < n and source[close] not in "{}":
            close += 1
        if close == n:
            raise _error(source, i, "this '{' is never closed; write '{{' for a literal brace")
        if source[close] == "{":
            raise _error(source, close, "nested fields such as {x:{y}} are not allowed")
        if literal:
            parts.append("".join(literal))
            literal = []
        parts.append(_parse_field(source, i, close))
        i = close + 1
    if literal:
        parts.append("".join(literal))
    fields = tuple((p.name, p.spec) for p in parts if isinstance(p, _Field))
    return Template(source, fields, frozenset(name for name, _ in fields), tuple(parts))


def _parse_field(source: str, start: int, close: int) -> _Field:
    """The field between the '{' at ``start`` and the '}' at ``close``."""
    body = source[start + 1 : close]
    name, colon, spec = body.partition(":")
    bang = name.find("!")
    if bang >= 0:
        raise _error(
            source, start + 1 + bang, "conversions such as !r are not allowed; use a format spec"
        )
    if not name:
        raise _error(source, start, "an empty field {}; put a name inside, as in {alpha}")
    offset = start + 1
    for segment in name.split("."):
        if not segment:
            raise _error(source, offset, "a name has an empty part between dots")
        match = _SEGMENT.match(segment)
        end = match.end() if match else 0
        if segment.startswith("_"):
            raise _error(source, offset, f"names may not start with '_' ({segment!r})")
        if end < len(segment):
            raise _error(source, offset + end, _bad_name_char(segment[end], end == 0))
        offset += len(segment) + 1
    if colon:
        spec_at = start + 1 + len(name) + 1
        match = _SPEC.fullmatch(spec)
        if match is None:
            raise _error(
                source, spec_at, f"the format spec ':{spec}' is not one I accept; {_SPEC_EXAMPLES}"
            )
        for part in ("width", "precision"):
            if match[part] is not None and int(match[part]) > MAX_WIDTH:
                raise _error(source, spec_at, f"the {part} in ':{spec}' is more than {MAX_WIDTH}")
    return _Field(name, spec, start)


def _bad_name_char(char: str, first: bool) -> str:
    if char == "[":
        return "indexing such as {x[0]} is not allowed"
    if char.isspace():
        return "spaces are not allowed in a field name"
    if first and char.isdigit():
        return "a name may not start with a digit"
    return f"unexpected character {char!r} in a field name"


def _error(source: str, offset: int, message: str) -> TemplateError:
    error = error_at(TemplateError, source, offset, message)
    assert isinstance(error, TemplateError)
    return error
