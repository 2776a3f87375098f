"""Property test: whatever the text, GIFT import gives questions that validate, or located errors."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyreg.content import models
from studyreg.interop.gift import parse_gift

# GIFT's own characters, so that the generated text exercises the parser, not just prose
PIECES = st.sampled_from(
    ["{", "}", "=", "~", "#", "####", "%50%", "%-100%", "%abc%", "->", "::", "\\", "\\n",
     ":", "..", "T", "FALSE", "[html]", "[plain]", "<br/>", "&amp;", "*", "1.5", "-2",
     "// c", "$CATEGORY: a/b", "[id:x]", "[tag:y]", " ", "\n", "\n\n", "a", "é"]
)  # fmt: skip
TEXTS = st.lists(PIECES | st.text(max_size=5), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_gives_valid_questions_or_located_errors(text: str) -> None:
    result = parse_gift(text)
    n_lines = max(1, len(text.splitlines()))
    for line, message in result.errors + result.warnings:
        assert 1 <= line <= n_lines and message and "\n" not in message
    if result.concepts:
        pack = {"id": "fuzz", "title": "Fuzz", "concepts": result.concepts}
        assert models.Pack.model_validate(pack).question_count == result.question_count
