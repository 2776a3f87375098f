"""``studyreg quiz --plain`` driven by a subprocess with scripted stdin."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACK = str(Path(__file__).parent / "data" / "study_pack.yaml")


def quiz(
    tmp_path: Path, answers: str, *args: str, command: str = "quiz"
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "studyreg",
            command,
            "--plain",
            "--pack",
            PACK,
            "--data-dir",
            str(tmp_path),
            *args,
        ],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_numeric_answers_are_graded_and_scored(tmp_path: Path) -> None:
    out = quiz(
        tmp_path,
        "1/4\n0.3\n",
        "--concept",
        "basics",
        "--types",
        "numeric",
        "--count",
        "2",
        "--seed",
        "1",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("answer: 0.25") == 2
    assert "✓ correct" in out.stdout and "✗ incorrect" in out.stdout
    assert "explanation: 1/4 = 0.25." in out.stdout
    assert re.search(r"^score: 1/2$", out.stdout, re.M)
    assert re.search(r"^  basics: 1/2$", out.stdout, re.M)


def test_unreadable_answer_is_explained_and_asked_again(tmp_path: Path) -> None:
    out = quiz(
        tmp_path,
        "a quarter\n25%\n",
        "--concept",
        "basics",
        "--types",
        "numeric",
        "--count",
        "1",
        "--seed",
        "1",
    )
    assert "not counted; try again" in out.stdout
    assert re.search(r"^score: 1/1$", out.stdout, re.M)


def test_end_of_input_ends_cleanly_with_the_score_so_far(tmp_path: Path) -> None:
    out = quiz(
        tmp_path,
        "0.25\n",
        "--concept",
        "basics",
        "--types",
        "numeric",
        "--count",
        "3",
        "--seed",
        "1",
    )
    assert out.returncode == 0 and "Traceback" not in out.stderr
    assert "(end of input)" in out.stdout
    assert re.search(r"^score: 1/1$", out.stdout, re.M)


def test_free_response_asks_for_key_points_and_a_rating(tmp_path: Path) -> None:
    out = quiz(
        tmp_path,
        "it limits weights\n1\n3\n",
        "--concept",
        "basics",
        "--types",
        "free",
        "--count",
        "1",
        "--seed",
        "2",
    )
    assert (
        "model answer:" in out.stdout
        and "1. penalty" in out.stdout
        and "2. generalization" in out.stdout
    )
    assert "~ partly correct (50%)" in out.stdout
    assert re.search(r"^score: 0/1$", out.stdout, re.M)
    assert re.search(r"^points: 0.5/1$", out.stdout, re.M)


def test_same_seed_and_answers_give_the_same_transcript(tmp_path: Path) -> None:
    args = ("--count", "5", "--seed", "9")
    answers = "0.25\nA\ntrue\nParis\n1 2 3\n"
    first = quiz(tmp_path / "a", answers, *args)
    second = quiz(tmp_path / "b", answers, *args)
    other = quiz(tmp_path / "c", answers, "--count", "5", "--seed", "10")
    assert first.stdout == second.stdout
    assert first.stdout != other.stdout


def test_computed_answer_line_typed_back_is_correct(tmp_path: Path) -> None:
    args = ("--concept", "lasso", "--count", "1", "--seed", "3")
    wrong = quiz(tmp_path, "-1\n", *args)
    assert re.search(r"^score: 0/1$", wrong.stdout, re.M)
    value = re.search(r"^answer: (\S+)$", wrong.stdout, re.M).group(1)
    assert "reproduce: studyreg experiment l1_vs_l2" in wrong.stdout
    right = quiz(tmp_path, value + "\n", *args)
    assert re.search(r"^score: 1/1$", right.stdout, re.M)


def test_answers_are_recorded_in_the_progress_store(tmp_path: Path) -> None:
    quiz(
        tmp_path,
        "1/4\n0.3\n",
        "--concept",
        "basics",
        "--types",
        "numeric",
        "--count",
        "2",
        "--seed",
        "1",
    )
    stats = subprocess.run(
        [sys.executable, "-m", "studyreg", "stats", "--json", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    import json

    data = json.loads(stats.stdout)
    assert data["attempts"] == 2 and data["correct"] == 1


def test_bad_options_exit_2_without_traceback(tmp_path: Path) -> None:
    for args in (("--types", "numbr"), ("--concept", "nope"), ("--count", "0")):
        out = quiz(tmp_path, "", *args)
        assert out.returncode == 2, args
        assert "Traceback" not in out.stderr and "studyreg: error:" in out.stderr


def test_review_serves_new_questions_within_the_daily_limit(tmp_path: Path) -> None:
    out = quiz(tmp_path, "", "--concept", "basics", "--new-per-day", "3", command="review")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("studyreg review: 3 questions")
    again = quiz(tmp_path, "0.25\n", "--concept", "basics", "--types", "numeric", command="review")
    assert re.search(r"^score: 1/1$", again.stdout, re.M)
    after = quiz(tmp_path, "", "--concept", "basics", "--types", "numeric", command="review")
    assert after.stdout.splitlines()[0].startswith("studyreg review: 0 questions")


def test_options_past_z_are_numbered_like_feedback_names_them(tmp_path: Path) -> None:
    distractors = ", ".join(f"extra {n}" for n in range(1, 26))
    pack = tmp_path / "many.yaml"
    pack.write_text(
        "id: many\ntitle: Many\nconcepts:\n  - id: c\n    title: C\n    definition: D.\n"
        "    questions:\n      - id: pairs\n        type: matching\n"
        "        prompt: Match them.\n        pairs:\n"
        "          - {left: one, right: uno}\n          - {left: two, right: dos}\n"
        f"        distractors: [{distractors}]\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "studyreg", "quiz", "--plain", "--pack", str(pack),
         "--data-dir", str(tmp_path)],
        input="A B\n", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    labels = re.findall(r"^ +(\S+)\) ", done.stdout, re.M)
    assert labels[-2:] == ["Z", "27"], labels
    assert "[)" not in done.stdout
