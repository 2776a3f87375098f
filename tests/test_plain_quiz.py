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
    assert "\n    studyreg experiment l1_vs_l2" in wrong.stdout
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


# --- issue 14: the study loop in plain mode ----------------------------------------------


def _blocks(stdout: str) -> list[str]:
    """Each question as printed: its header line up to the answer prompt."""
    return re.findall(r"^\[\d+\] .*?(?=^  \(answer with)", stdout, re.M | re.S)


def test_a_computed_prompt_comes_with_its_experiment_command_before_the_answer(
    tmp_path: Path,
) -> None:
    out = quiz(tmp_path, "-1\n", "--concept", "lasso", "--count", "1", "--seed", "3")
    before, _, after = out.stdout.partition("\n> ")
    command = re.search(r"^    (studyreg experiment l1_vs_l2 .*--seed \d+)$", before, re.M)
    assert command is not None, out.stdout
    # The command reproduces the variant asked: run it and its n_zero is the answer.
    truth = re.search(r"^answer: (\S+)$", after, re.M).group(1)
    argv = command.group(1).split()[1:]
    ran = subprocess.run(
        [sys.executable, "-m", "studyreg", *argv, "--json"], capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    import json

    assert json.loads(ran.stdout)["outputs"]["lasso.n_zero"] == int(truth)


def test_undo_with_a_seed_asks_the_same_variants(tmp_path: Path) -> None:
    args = ("--concept", "lasso", "--count", "3", "--seed", "4")
    plain = quiz(tmp_path / "a", "0\n0\n0\n", *args)
    undone = quiz(tmp_path / "b", "0\n:undo\n0\n0\n0\n", *args)

    def shown(stdout: str) -> list[str]:  # prompt and experiment command (its seed)
        return [re.sub(r"^\[\d+\] ", "", b) for b in _blocks(stdout)]

    p1, p2, p3 = shown(plain.stdout)
    assert len({p1, p2, p3}) == 3  # three variants, told apart by their commands' seeds
    # 1 answered, 2 shown, :undo -> 1 again (the same variant), then 2 and 3 as without undo.
    assert shown(undone.stdout) == [p1, p2, p1, p2, p3]


def test_review_offers_four_ratings_with_fsrs_intervals_and_says_when_it_returns(
    tmp_path: Path,
) -> None:
    args = ("--concept", "basics", "--types", "numeric")
    out = quiz(tmp_path, "0.3\n\n", *args, command="review")
    assert out.returncode == 0, out.stderr
    # A new card: fsrs's default learning steps.
    assert "  next review: 1 Again 1m  2 Hard 6m  3 Good 10m  4 Easy 8d" in out.stdout
    assert "rate 1–4 (Enter: 1 Again) > " in out.stdout  # wrong -> Again
    assert "  comes back in 1m (Again)" in out.stdout
    assert re.search(r"^comes back:\n  in 1m    Again basics/quarter$", out.stdout, re.M)


def test_review_rating_chosen_overrides_the_verdict(tmp_path: Path) -> None:
    args = ("--concept", "basics", "--types", "numeric")
    out = quiz(tmp_path, "0.25\n4\n", *args, command="review")
    assert "rate 1–4 (Enter: 3 Good) > " in out.stdout  # right -> Good, never Easy by speed
    assert "  comes back in 8d (Easy)" in out.stdout
    # It is not due again now: the store has the Easy schedule.
    after = quiz(tmp_path, "", *args, command="review")
    assert after.stdout.splitlines()[0].startswith("studyreg review: 0 questions")


def test_free_response_with_no_key_point_rated_easy_asks_to_confirm(tmp_path: Path) -> None:
    args = ("--concept", "basics", "--types", "free", "--count", "1", "--seed", "2")
    out = quiz(tmp_path, "no idea\n0\n4\nn\n1\n", *args)
    assert "you covered none of the 2 key points; rate it Easy anyway? (y/N)" in out.stdout
    assert "you rated it Again" in out.stdout
    sure = quiz(tmp_path / "b", "no idea\n0\n4\ny\n", *args)
    assert "you rated it Easy" in sure.stdout


def test_feedback_never_doubles_words(tmp_path: Path) -> None:
    out = quiz(
        tmp_path,
        "0.25\n",
        "--concept",
        "basics",
        "--types",
        "numeric",
        "--count",
        "1",
        "--seed",
        "1",
    )
    assert re.search(r"^>   ✓ correct$", out.stdout, re.M), out.stdout
    assert "Correct." not in out.stdout


def test_review_of_a_free_response_takes_its_self_rating_once(tmp_path: Path) -> None:
    args = ("--concept", "basics", "--types", "free")
    out = quiz(tmp_path, "it keeps weights small\n1,2\n2\n", *args, command="review")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("rate yourself") == 1 and "rate 1–4" not in out.stdout
    assert "  next review: 1 Again 1m  2 Hard 6m  3 Good 10m  4 Easy 8d" in out.stdout
    assert "  comes back in 6m (Hard)" in out.stdout


def test_points_are_rounded_not_raw_floats(tmp_path: Path) -> None:
    pack = tmp_path / "thirds.yaml"
    pack.write_text(
        "id: thirds\ntitle: Thirds\nconcepts:\n  - id: c\n    title: C\n    definition: D.\n"
        "    questions:\n      - id: why\n        type: free_response\n"
        "        prompt: Why?\n        model_answer: Because.\n"
        "        key_points: [one, two, three]\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "studyreg", "quiz", "--plain", "--pack", str(pack),
         "--data-dir", str(tmp_path)],
        input="because\n1\n3\n", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert re.search(r"^points: 0.33/1$", done.stdout, re.M), done.stdout
