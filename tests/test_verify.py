"""The verification engine: claims measured over many seeds, judged by a Wilson bound."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from studyreg.cli import main
from studyreg.content import models
from studyreg.experiments import run_experiment
from studyreg.study import verify_runs
from studyreg.study.packs import load_pack
from studyreg.study.verify import (
    QuestionReport,
    TruthAtParams,
    combinations,
    near_rounding_boundary,
    seeds_needed,
    vary_points,
    verify_pack,
    wilson_lower_bound,
)

FRAGILE = Path(__file__).parent / "data" / "fragile_claims.yaml"


def ridge_beats_ols(seeds: range) -> int:
    """How often the fragile claim holds, measured here without the engine."""
    outs = [run_experiment("l1_vs_l2", {}, s).outputs for s in seeds]
    return sum(o["ridge.val_mse"] < o["ols.val_mse"] for o in outs)


# --- the Wilson bound -------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "trials", "expected"),
    [
        (5, 10, 0.23659),  # the textbook 5/10 interval is [0.2366, 0.7634]
        (10, 10, 0.72247),  # n / (n + z^2)
        (50, 50, 0.92865),
        (49, 50, 0.89505),
        (0, 20, 0.0),
        (81, 263, 0.25529),
    ],
)
def test_wilson_lower_bound_matches_known_values(held, trials, expected) -> None:
    assert wilson_lower_bound(held, trials) == pytest.approx(expected, abs=5e-5)


def test_wilson_lower_bound_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError, match="held <= trials"):
        wilson_lower_bound(6, 5)
    with pytest.raises(ValueError):
        wilson_lower_bound(0, 0)


def test_seeds_needed_is_the_first_perfect_record_that_clears_the_bar() -> None:
    n = seeds_needed(0.9)
    assert wilson_lower_bound(n, n) >= 0.9 > wilson_lower_bound(n - 1, n - 1)
    assert n == 35


# --- parameter combinations ---------------------------------------------------------


def concept_with(*varies: dict) -> models.Concept:
    return models.Concept.model_validate(
        {
            "id": "c",
            "title": "C",
            "definition": "d",
            "experiment": {"name": "l1_vs_l2", "params": {"alpha_l1": 0.1}},
            "questions": [
                {"id": f"q{i}", "type": "computed", "prompt": "?", "answer": "1", "vary": vary}
                for i, vary in enumerate(varies)
            ],
        }
    )


def test_combinations_are_the_product_of_each_questions_choices_deduplicated() -> None:
    concept = concept_with(
        {"alpha_l1": {"choices": [0.1, 0.2]}, "n_features": {"choices": [20, 30]}},
        {"alpha_l1": {"choices": [0.2]}},  # already drawn by q0 (with n_features default)
    )
    assert combinations(concept) == [
        {"alpha_l1": 0.1},
        {"alpha_l1": 0.1, "n_features": 20},
        {"alpha_l1": 0.1, "n_features": 30},
        {"alpha_l1": 0.2, "n_features": 20},
        {"alpha_l1": 0.2, "n_features": 30},
        {"alpha_l1": 0.2},
    ]


def test_a_range_gives_low_mid_and_high_rounded_as_drawn() -> None:
    assert vary_points(models.VaryRange(low=0.1, high=0.5)) == [0.1, 0.3, 0.5]
    assert vary_points(models.VaryRange(low=0.01, high=1.0, log=True)) == [0.01, 0.1, 1.0]
    assert vary_points(models.VaryRange(low=0.001, high=0.5, log=True)) == [0.001, 0.0224, 0.5]
    assert vary_points(models.VaryRange(low=10, high=15, integer=True)) == [10, 12, 15]
    assert vary_points(models.VaryRange(low=0.0, high=1.0, round=1)) == [0.0, 0.5, 1.0]
    assert vary_points(models.VaryRange(low=2, high=2)) == [2.0]


def test_combinations_that_only_write_out_a_default_run_once() -> None:
    pack = models.Pack.model_validate(
        {"id": "p", "title": "P", "verify": {"seeds": 2}, "concepts": [concept_with({})]}
    )
    pack.concepts[0].questions[0].vary["alpha_l2"] = models.VaryChoices(choices=[1.0])
    report = verify_pack(pack, workers=1)
    [entry] = report.concepts
    assert len(entry.combinations) == 1  # alpha_l2 = 1.0 is the default
    assert entry.runs == 2


# --- the engine on a pack -----------------------------------------------------------


@pytest.fixture(scope="module")
def fragile_report():
    return verify_pack(load_pack(FRAGILE), workers=1)


def test_a_claim_that_holds_about_half_the_time_fails_and_one_that_always_holds_passes(
    fragile_report,
) -> None:
    solid, fragile = fragile_report.checks
    assert (solid.worst.held, solid.worst.seeds) == (50, 50)
    assert solid.passes(0.9)
    held = ridge_beats_ols(range(50))
    assert 10 < held < 40
    assert (fragile.worst.held, fragile.worst.seeds) == (held, 50)
    assert fragile.worst.lower_bound == pytest.approx(wilson_lower_bound(held, 50))
    assert not fragile.passes(0.9)
    assert fragile_report.failing == [fragile]
    assert fragile.summary(0.9) == (
        f"holds on {held}/50 seeds at the concept's parameters "
        f"(95% lower bound {wilson_lower_bound(held, 50):.2f} < 0.9)"
    )


def test_the_seed_base_moves_the_window_of_seeds() -> None:
    report = verify_pack(load_pack(FRAGILE), seeds=20, seed_base=100, workers=1)
    assert report.concepts[0].seeds == list(range(100, 120))
    assert report.checks[1].worst.held == ridge_beats_ols(range(100, 120))


def test_a_truth_whose_sign_depends_on_the_seed_is_flagged(fragile_report) -> None:
    [question] = fragile_report.concepts[0].questions
    [at] = question.results
    assert at.low < 0 < at.high
    assert question.sign_changes
    assert (question.non_finite, question.near_boundary) == (0, 0)


def truths(*ranges: tuple[float, float]) -> QuestionReport:
    question = models.Computed.model_validate(
        {"id": "q", "type": "computed", "prompt": "?", "answer": "x"}
    )
    report = QuestionReport("c", 0, question)
    report.results = [TruthAtParams({}, "here", lo, hi, 5) for lo, hi in ranges]
    return report


def test_sign_change_needs_a_negative_and_a_positive_truth() -> None:
    assert truths((-1.0, -0.5), (0.5, 1.0)).sign_changes
    assert not truths((0.0, 0.5), (0.5, 1.0)).sign_changes
    assert not truths((-2.0, -1.0)).sign_changes
    assert not truths((math.nan, math.nan), (0.5, 1.0)).sign_changes


def test_truths_near_a_rounding_boundary() -> None:
    three = models.Tolerance(sigfigs=3)
    assert near_rounding_boundary(0.123501, three)  # 0.123|5: 0.123 or 0.124
    assert not near_rounding_boundary(0.12355, three)
    assert near_rounding_boundary(-4235.02, three)
    two_dp = models.Tolerance(decimals=2)
    assert near_rounding_boundary(0.41499, two_dp)
    assert not near_rounding_boundary(0.4140, two_dp)
    assert near_rounding_boundary(2.5, models.Tolerance(), integer=True)
    assert not near_rounding_boundary(0.1235, models.Tolerance(rtol=0.01))  # not rounded


def test_the_engine_is_deterministic_with_or_without_a_pool(monkeypatch) -> None:
    pack = load_pack(FRAGILE)
    alone = verify_pack(pack, seeds=12, workers=1)
    assert alone.workers == 0
    serial = alone.to_dict()
    monkeypatch.setattr(verify_runs, "POOL_THRESHOLD_S", 0.0)
    calls: list[tuple[int, int]] = []
    pooled = verify_pack(pack, seeds=12, workers=2, progress=lambda d, t: calls.append((d, t)))
    assert pooled.workers == 2
    pooled_dict = pooled.to_dict()
    for report in (serial, pooled_dict):
        report.pop("seconds")
    assert pooled_dict == serial
    assert calls[-1] == (12, 12)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_offloaded_the_runs_all_happen_in_the_pool_the_first_seeds_too(monkeypatch) -> None:
    """The TUI's measurement leaves this process's interpreter to the UI: not one run
    here, not even the first seed that prices the rest; the report is the same."""
    import studyreg.experiments as experiments

    pack = load_pack(FRAGILE)
    alone = verify_pack(pack, seeds=6, workers=1).to_dict()
    original = experiments.run_experiment
    here: list[str] = []

    def counted(name, params=None, seed=0):
        here.append(name)
        return original(name, params, seed)

    monkeypatch.setattr(experiments, "run_experiment", counted)
    offloaded = verify_pack(pack, seeds=6, workers=1, offload=True)
    assert here == [] and offloaded.workers == 1
    report = offloaded.to_dict()
    for each in (alone, report):
        each.pop("seconds")
    assert report == alone


def test_chunks_are_short_enough_that_a_cancel_waits_little() -> None:
    """A chunk under way runs to its end: a network's runs (~0.3 s) go one by one; cheap
    runs still go ~CHUNKS_PER_WORKER chunks per worker, every seed exactly once."""
    from studyreg.study.verify_runs import CHUNK_S, Job, plan_chunks

    jobs = [Job("cnn_dropout", {}, tuple(range(200))), Job("l1_vs_l2", {}, tuple(range(200)))]
    per_run = {0: 0.3, 1: 0.002}
    chunks = plan_chunks(jobs, [0, 1], per_run, workers=1)
    for j in (0, 1):
        seeds = sorted(s for job, _, part in chunks if job == j for s in part)
        assert seeds == list(range(1, 200))  # the first seed is the probe's
        for job, first, part in chunks:
            assert jobs[job].seeds[first : first + len(part)] == part
    assert all(len(part) * per_run[job] <= CHUNK_S for job, _, part in chunks)
    assert max(len(part) for job, _, part in chunks if job == 0) == 1
    assert sorted(len(part) for job, _, part in chunks if job == 1) == [65, 67, 67]
    assert chunks[0][0] == 0  # the longest-priced chunk first
    assert [len(part) for _, _, part in plan_chunks(jobs, [1], per_run, workers=0)] == [1] * 199


def test_a_measurement_stopped_early_cancels_the_chunks_not_started(monkeypatch) -> None:
    """The learner leaves, the app closes: what is queued in the pool must not run on.
    ``shutdown(cancel_futures=True)`` alone left it all running, as the executor was
    collected before its manager thread looked (the app's exit waited ~15 s)."""
    from concurrent.futures import ProcessPoolExecutor

    submitted: list = []

    class Recording(ProcessPoolExecutor):  # keeps the futures, never the executor
        def submit(self, *args, **kwargs):
            future = super().submit(*args, **kwargs)
            submitted.append(future)
            return future

    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        if done > 1:  # the probe and then the first chunk
            raise Stop

    monkeypatch.setattr(verify_runs, "ProcessPoolExecutor", Recording)
    job = verify_runs.Job("l1_vs_l2", {}, tuple(range(3000)))
    with pytest.raises(Stop):
        verify_runs.execute([job], 1, progress, offload=True)
    assert len(submitted) > 20
    started = [f for f in submitted if not f.cancelled()]
    # The probe and the first chunk (done), the chunk the worker had taken and the two
    # in the pool's call queue (marked running once queued): nothing of the rest.
    assert len(started) <= 5


def test_params_replace_the_combinations_by_one_parameter_set() -> None:
    report = verify_pack(load_pack(FRAGILE), seeds=3, workers=1, params={"alpha_l1": 0.5})
    [entry] = report.concepts
    assert entry.combinations == [dict(entry.base, alpha_l1=0.5)]
    assert report.checks[0].results[0].label == "alpha_l1=0.5"


# --- validate --strict --------------------------------------------------------------


def test_validate_strict_rejects_the_fragile_check_at_its_location(capsys) -> None:
    held = ridge_beats_ols(range(50))
    assert main(["validate", "--strict", str(FRAGILE)]) == 1
    out = capsys.readouterr().out
    bound = wilson_lower_bound(held, 50)
    assert (
        f"fragile_claims.yaml:21:16: concepts[0].facts[1].check: holds on {held}/50 seeds at "
        f"the concept's parameters (95% lower bound {bound:.2f} < 0.9); e.g. seed 0: "
        "ridge.val_mse (=" in out
    )
    assert "sparsity: fact lasso-zeros: check holds on 50/50 seeds" in out
    assert "fragile_claims.yaml:26:17: warning: concepts[0].questions[0].answer: " in out
    assert "the truth changes sign" in out


def test_validate_strict_json_gives_counts_rate_bound_and_worst_combination(capsys) -> None:
    assert main(["validate", "--strict", "--seeds", "40", "--json", str(FRAGILE)]) == 1
    report = json.loads(capsys.readouterr().out)
    verification = report["packs"][0]["verification"]
    assert (verification["seeds"], verification["min_rate"]) == (40, 0.9)
    solid, fragile = verification["checks"]
    held = ridge_beats_ols(range(40))
    assert fragile["fact"] == "ridge-beats-ols"
    assert fragile["check"] == "ridge.val_mse < ols.val_mse"
    assert (fragile["held"], fragile["seeds"], fragile["passes"]) == (held, 40, False)
    assert fragile["rate"] == pytest.approx(held / 40)
    assert fragile["lower_bound"] == pytest.approx(wilson_lower_bound(held, 40), abs=1e-6)
    assert fragile["worst"]["label"] == "the concept's parameters"
    assert fragile["worst"]["params"]["alpha_l1"] == 0.1
    assert fragile["worst"]["failing_seed"] == 0
    assert (solid["held"], solid["passes"]) == (40, True)
    [question] = verification["questions"]
    assert question["sign_changes"] is True
    assert question["min"] < 0 < question["max"]
    [error] = report["errors"]
    assert error["path"] == "concepts[0].facts[1].check"


def test_a_facts_own_seeds_is_accepted_but_warned_about(tmp_path: Path, capsys) -> None:
    old = tmp_path / "old.yaml"
    text = FRAGILE.read_text().replace(
        "check: lasso.n_zero > 0 and ridge.n_zero == 0",
        "check: lasso.n_zero > 0 and ridge.n_zero == 0\n        seeds: 5",
    )
    old.write_text(text)
    assert main(["validate", "--strict", "--seeds", "3", "--json", str(old)]) == 1
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    [seeds] = [w for w in warnings if w["path"] == "concepts[0].facts[0].seeds"]
    assert "no longer used" in seeds["message"]
    assert seeds["line"] == 19  # the line after the check
