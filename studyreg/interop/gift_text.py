"""GIFT text in Moodle's formats -> the plain text studyreg shows.

``[moodle]`` (the default) and ``[html]`` text is HTML: tags are removed, ``<br>`` and
paragraphs become line breaks, entities are decoded. In ``[moodle]`` text a line
break in the file is a line break on screen, as Moodle shows it; in ``[html]`` it is
a space. ``[plain]`` and ``[markdown]`` text is kept as written.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from studyreg.interop.gift_parse import GiftText

_BREAK_TAGS = {"br"}
_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
_MEDIA_TAGS = {"img", "audio", "video", "iframe", "object", "embed", "a"}


class _Text(HTMLParser):
    def __init__(self, keep_newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_newlines = keep_newlines
        self.parts: list[str] = []
        self.media: list[str] = []
        self.pre = 0  # inside <pre>: line breaks are kept

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self.pre += 1
            self.parts.append("\n")
        if tag in _BREAK_TAGS:
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag != "li" else "\n- ")
        if tag in _MEDIA_TAGS:
            target = dict(attrs).get("src") or dict(attrs).get("href") or ""
            self.media.append(f"<{tag}> {target}".strip())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.parts.append("\n")
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.keep_newlines or self.pre:
            self.parts.append(re.sub(r"[^\S\n]+", " ", data))
        else:
            self.parts.append(re.sub(r"\s+", " ", data))


def plain_text(text: GiftText) -> tuple[str, list[str]]:
    """The text as studyreg shows it, and the media or links that were dropped from it."""
    if text.format in ("plain", "markdown"):
        return text.text.strip(), []
    parser = _Text(keep_newlines=text.format == "moodle")
    parser.feed(text.text)
    parser.close()
    joined = html.unescape("".join(parser.parts))  # entities a lenient parser left alone
    lines = [" ".join(line.split()) for line in joined.split("\n")]
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return result, parser.media
