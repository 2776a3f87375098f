"""The pack loader: located problems for every kind of bad input, plain data for good input."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from studyreg.content import PackError, load_pack
from studyreg.content.problems import Problem

META = "id: demo\ntitle: Demo pack\nversion: 1.0\n"
CONCEPT = """\
id: alpha
title: Alpha
definition: The first letter.
facts:
  - id: f1
    text: Alpha comes first.
questions:
  - id: q1
    type: true_false
    prompt: Alpha comes first.
    answer: true
"""


def write_pack(
    root: Path, concept: str = CONCEPT, meta: str = META, name: str = "alpha.yaml"
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(meta, encoding="utf-8")
    (root / name).write_text(textwrap.dedent(concept), encoding="utf-8")
    return root


def problems_of(path: Path, **kwargs) -> list[Problem]:
    with pytest.raises(PackError) as caught:
        load_pack(path, **kwargs)
    return caught.value.problems


def test_folder_pack_loads_with_sources(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "p"))
    assert pack.id == "demo"
    assert pack.version == "1.0"  # a YAML float read as the label it is
    concept = pack.concept("alpha")
    assert concept.questions[0].answer is True
    assert concept.questions[0].source.line == 8
    assert concept.questions[0].source.file.endswith("alpha.yaml")


def test_single_file_pack_loads(tmp_path: Path) -> None:
    body = (
        META
        + "concepts:\n"
        + textwrap.indent(CONCEPT, "  ").replace("  id: alpha", "- id: alpha", 1)
    )
    path = tmp_path / "pack.yaml"
    path.write_text(body, encoding="utf-8")
    pack = load_pack(path)
    assert [c.id for c in pack.concepts] == ["alpha"]
    assert pack.concepts[0].questions[0].source.line == 12


def test_unknown_key_is_located_with_suggestion(tmp_path: Path) -> None:
    concept = CONCEPT.replace("    prompt: Alpha", "    promt: Alpha")
    (missing, problem) = sorted(
        problems_of(write_pack(tmp_path / "p", concept)), key=lambda p: p.message
    )
    assert missing.message == "missing required field 'prompt'"
    assert (problem.line, problem.column) == (10, 5)
    assert problem.path == "questions[0].promt"
    assert "unknown key 'promt'" in problem.message and "did you mean 'prompt'" in problem.message
    assert problem.format().endswith("alpha.yaml:10:5: questions[0].promt: " + problem.message)


def test_wrong_type_is_located_at_the_value(tmp_path: Path) -> None:
    concept = CONCEPT.replace("answer: true", "answer: maybe")
    [problem] = problems_of(write_pack(tmp_path / "p", concept))
    assert (problem.line, problem.column, problem.path) == (11, 13, "questions[0].answer")
    assert "boolean" in problem.message and "'maybe'" in problem.message


def test_missing_field_is_located_at_its_mapping(tmp_path: Path) -> None:
    concept = CONCEPT.replace("definition: The first letter.\n", "")
    [problem] = problems_of(write_pack(tmp_path / "p", concept))
    assert (problem.line, problem.column, problem.path) == (1, 1, "definition")
    assert problem.message == "missing required field 'definition'"


def test_unknown_question_type_names_the_known_ones(tmp_path: Path) -> None:
    concept = CONCEPT.replace("type: true_false", "type: truefalse")
    [problem] = problems_of(write_pack(tmp_path / "p", concept))
    assert (problem.line, problem.column, problem.path) == (9, 11, "questions[0].type")
    assert "unknown question type 'truefalse'" in problem.message
    assert "true_false" in problem.message


def test_duplicate_question_id_points_at_the_second(tmp_path: Path) -> None:
    concept = CONCEPT + "  - id: q1\n    type: true_false\n    prompt: Again.\n    answer: false\n"
    [problem] = problems_of(write_pack(tmp_path / "p", concept))
    assert (problem.line, problem.column, problem.path) == (12, 9, "questions[1].id")
    assert "duplicate question id 'q1'" in problem.message and "line 8" in problem.message


def test_duplicate_concept_id_across_files(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p")
    (root / "beta.yaml").write_text(CONCEPT, encoding="utf-8")
    [problem] = problems_of(root)
    assert problem.file.endswith("beta.yaml") and (problem.line, problem.column) == (1, 5)
    assert "duplicate concept id 'alpha'" in problem.message


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    concept = CONCEPT.replace("title: Alpha\n", "title: Alpha\ntitle: Again\n")
    [problem] = problems_of(write_pack(tmp_path / "p", concept))
    assert (problem.line, problem.column) == (3, 1)
    assert "duplicate key 'title' (first at line 2)" in problem.message


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    [problem] = problems_of(write_pack(tmp_path / "p", "id: alpha\ntitle: [unclosed\n"))
    assert problem.line == 3 and "YAML syntax error" in problem.message


def test_empty_file(tmp_path: Path) -> None:
    [problem] = problems_of(write_pack(tmp_path / "p", "  \n"))
    assert (problem.line, problem.column) == (1, 1) and "file is empty" in problem.message


def test_non_utf8_file_names_the_byte(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p")
    (root / "alpha.yaml").write_bytes(b"id: alpha\ntitle: caf\xe9\n")
    [problem] = problems_of(root)
    assert (problem.line, problem.column) == (2, 11)
    assert "not UTF-8" in problem.message and "0xe9" in problem.message


def test_folder_without_pack_yaml(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "alpha.yaml").write_text(CONCEPT)
    [problem] = problems_of(root)
    assert "has no pack.yaml" in problem.message


def test_all_problems_reported_at_once_across_files(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p", CONCEPT.replace("answer: true", "answer: 3"))
    (root / "beta.yaml").write_text("id: Beta Bad\ntitle: B\ndefinition: d\nextra: 1\n")
    problems = problems_of(root)
    assert [(p.file.rsplit("/", 1)[1], p.line) for p in problems] == [
        ("alpha.yaml", 11),
        ("beta.yaml", 1),
        ("beta.yaml", 4),
    ]


def test_a_list_instead_of_a_mapping(tmp_path: Path) -> None:
    [problem] = problems_of(write_pack(tmp_path / "p", "- a\n- b\n"))
    assert "expected a YAML mapping" in problem.message


def test_python_tags_are_refused_not_executed(tmp_path: Path) -> None:
    concept = CONCEPT.replace("title: Alpha", "title: !!python/object/apply:os.system ['echo hi']")
    problems = problems_of(write_pack(tmp_path / "p", concept))
    assert any("unsupported YAML tag" in p.message and p.line == 2 for p in problems)


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    started = time.perf_counter()
    problems = problems_of(write_pack(tmp_path / "p", "\n".join(lines) + "\n"))
    assert time.perf_counter() - started < 5
    assert any("too many aliases" in p.message for p in problems)


def test_absurd_nesting_is_refused(tmp_path: Path) -> None:
    problems = problems_of(write_pack(tmp_path / "p", "id: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert len(problems) == 1
    assert "nesting" in problems[0].message or "depth" in problems[0].message


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    root = write_pack(tmp_path / "p")
    (root / "alpha.yaml").write_text("id: alpha\ndefinition: " + "x" * 6_000_000 + "\n")
    [problem] = problems_of(root)
    assert "capped at" in problem.message


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    problems = problems_of(write_pack(tmp_path / "p", "a: &a [*a]\n"))
    assert len(problems) == 1


def test_bad_id_explains_the_rule(tmp_path: Path) -> None:
    [problem] = problems_of(
        write_pack(tmp_path / "p", CONCEPT.replace("id: alpha", "id: Alpha One"))
    )
    assert (problem.line, problem.column, problem.path) == (1, 5, "id")
    assert "not a valid id" in problem.message and "lowercase" in problem.message
