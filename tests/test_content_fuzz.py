"""Property tests: whatever the bytes, loading gives a pack or located problems, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyreg.content import PackError, load_pack
from studyreg.content.models import Pack

SEED_PACK = """\
id: fuzz
title: Fuzz pack
version: 1.0
concepts:
  - id: alpha
    title: Alpha
    definition: The first letter.
    facts:
      - id: f1
        text: Alpha comes first.
    questions:
      - id: q1
        type: single_choice
        prompt: Which comes first?
        choices:
          - {text: Alpha, correct: true}
          - {text: Beta, feedback: Beta is second.}
      - id: q2
        type: numeric
        prompt: What is 1/4?
        answer: 0.25
        tolerance: {rtol: 0.01}
      - id: q3
        type: matching
        prompt: Match.
        pairs:
          - {left: a, right: b}
          - {left: c, right: d}
      - &shared
        id: q4
        type: free_response
        prompt: Explain.
        model_answer: Because.
        key_points: [one, two]
"""

_dir = Path(tempfile.mkdtemp(prefix="studyreg-fuzz-"))


def load_text(data: bytes) -> Pack | list:
    path = _dir / "pack.yaml"
    path.write_bytes(data)
    try:
        return load_pack(path)
    except PackError as error:
        assert error.problems, "a PackError always lists its problems"
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1
            assert problem.format().startswith(str(path))
        return error.problems


def test_the_seed_pack_is_valid() -> None:
    pack = load_text(SEED_PACK.encode())
    assert isinstance(pack, Pack) and pack.question_count == 4


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_give_a_pack_or_problems(data: bytes) -> None:
    load_text(data)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"# \n\t0129.,?%@`~")), max_size=300))
def test_random_yaml_like_text_gives_a_pack_or_problems(text: str) -> None:
    load_text(text.encode("utf-8"))


edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert", "swap", "truncate"]),
        st.integers(min_value=0, max_value=10_000),
        st.text(alphabet=st.sampled_from(list("xyz:-[]{}&*!|>#0 .\"'")), min_size=1, max_size=6),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_mutated_pack_gives_a_pack_or_problems(operations) -> None:
    lines = SEED_PACK.splitlines()
    for op, where, text in operations:
        if not lines:
            break
        i = where % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][2:]
        elif op == "insert":
            col = where % (len(lines[i]) + 1)
            lines[i] = lines[i][:col] + text + lines[i][col:]
        elif op == "swap":
            j = (i + 1) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines = lines[: i + 1]
    load_text(("\n".join(lines) + "\n").encode("utf-8"))
