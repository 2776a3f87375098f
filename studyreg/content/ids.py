"""The rules for ids in packs (pack, concept, fact and question ids) and how a free
text (a folder or file name) becomes one."""

from __future__ import annotations

import re

__all__ = ["ID_PATTERN", "ID_RULE", "is_valid_id", "slugify"]

ID_PATTERN = r"[a-z0-9][a-z0-9_-]{0,63}"
"""An id: 1 to 64 of lowercase letters, digits, '-' and '_', starting with a letter or digit."""

ID_RULE = "use lowercase letters, digits, '-' and '_'"
"""The rule in words, for messages."""

_ID = re.compile(ID_PATTERN)


def is_valid_id(text: str) -> bool:
    """Whether ``text`` is a valid id (:data:`ID_PATTERN`, the whole text)."""
    return _ID.fullmatch(text) is not None


def slugify(text: str, fallback: str = "my-pack") -> str:
    """``"My Pack (v2)"`` -> ``"my-pack-v2"``: a valid id made of ``text``, else ``fallback``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].strip("-")
    return slug or fallback
