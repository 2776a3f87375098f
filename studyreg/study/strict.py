"""``validate --strict``: run what a pack only names.

Every fact check is measured over many seeds at every parameter combination its
concept's questions can draw (:mod:`studyreg.study.verify`); a check whose 95% lower
bound on the rate it holds at is below the pack's ``verify.min_rate`` is an error at
the check. Every computed question is drawn several times and must render, with
finite truths; truths that change sign or sit on a rounding boundary are warnings.
Each experiment's run time is reported.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass, field
from typing import Any

from studyreg.content.loader import ConceptSource, LoadedPack
from studyreg.content.models import Concept
from studyreg.content.problems import Problem
from studyreg.study.verify import (
    BOUNDARY_SLACK,
    Progress,
    QuestionReport,
    VerifyReport,
    describe_params,
    seeds_needed,
    verify_pack,
    wilson_lower_bound,
)

VARIANT_DRAWS = 4


@dataclass
class StrictResult:
    problems: list[Problem] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    verification: dict[str, Any] = field(default_factory=dict)  # VerifyReport.to_dict()


def _problem(
    where: ConceptSource, path: tuple[str | int, ...], message: str, severity: str = "error"
) -> Problem:
    problem = where.problem(path, message)
    return Problem(problem.file, problem.line, problem.column, problem.path, message, severity)


def strict_check(
    loaded: LoadedPack,
    *,
    draws: int = VARIANT_DRAWS,
    seeds: int | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> StrictResult:
    """Verify ``loaded`` over ``seeds`` seeds (default: the pack's ``verify.seeds``)."""
    result = StrictResult()
    if loaded.pack.root is not None:  # the pack's own experiments keep the contract
        from studyreg.study.contract import check_pack_experiments

        contract = check_pack_experiments(loaded.pack.root)
        result.problems.extend(contract.problems)
        result.report.extend(contract.report)
    report = verify_pack(loaded.pack, seeds=seeds, workers=workers, progress=progress)
    result.verification = report.to_dict()
    if report.checks and wilson_lower_bound(report.seeds, report.seeds) < report.min_rate:
        result.problems.append(
            Problem(
                str(loaded.path),
                1,
                1,
                "verify.seeds",
                f"with {report.seeds} seeds no check can pass: even {report.seeds}/"
                f"{report.seeds} has a 95% lower bound of "
                f"{wilson_lower_bound(report.seeds, report.seeds):.2f} < min_rate "
                f"{report.min_rate:g}; use at least {seeds_needed(report.min_rate)} seeds",
                "warning",
            )
        )
    sources = {
        concept.id: (concept, where)
        for concept, where in zip(loaded.pack.concepts, loaded.concept_sources, strict=True)
    }
    _report_claims(report, sources, result)
    broken = {entry.concept_id for entry in report.concepts if entry.error}
    for concept, where in sources.values():
        if concept.experiment is not None and concept.id not in broken:
            _draw_variants(loaded, concept, where, result, draws)
    timings: dict[str, list[float]] = {}
    for entry in report.concepts:
        timings.setdefault(entry.experiment, []).extend(entry.run_times)
    for name, times in sorted(timings.items()):
        if times:
            result.report.append(
                f"experiment {name}: median {statistics.median(times) * 1e3:.0f} ms, "
                f"max {max(times) * 1e3:.0f} ms over {len(times)} runs"
            )
    result.report.append(
        f"verified {len(report.checks)} checks over {report.seeds} seeds "
        f"({sum(c.runs for c in report.concepts)} runs, {report.seconds:.1f} s, "
        + (f"{report.workers} worker processes)" if report.workers else "no process pool)")
    )
    return result


def _report_claims(
    report: VerifyReport,
    sources: dict[str, tuple[Concept, ConceptSource]],
    result: StrictResult,
) -> None:
    for entry in report.concepts:
        concept, where = sources[entry.concept_id]
        if entry.error:
            result.problems.append(_problem(where, ("experiment",), entry.error))
            continue
        if entry.run_errors:
            params, seed, message = entry.run_errors[0]
            label = describe_params(params, entry.base)
            result.problems.append(
                _problem(
                    where,
                    ("experiment",),
                    f"{len(entry.run_errors)} of {entry.runs} runs failed; "
                    f"first at {label}, seed {seed}: {message}",
                )
            )
        for check in entry.checks:
            at = ("facts", check.fact_index, "check")
            summary = check.summary(report.min_rate)
            if not check.passes(report.min_rate):
                worst = check.worst
                example = (
                    f"; e.g. seed {worst.failing_seed}: {worst.failing_detail}"
                    if worst.failing_seed is not None
                    else ""
                )
                result.problems.append(_problem(where, at, summary + example))
            if "seeds" in check.fact.model_fields_set:
                result.problems.append(
                    _problem(
                        where,
                        ("facts", check.fact_index, "seeds"),
                        "a fact's 'seeds' is no longer used: checks are measured over the "
                        "pack's verify.seeds (pack.yaml) or validate --seeds; remove it",
                        "warning",
                    )
                )
            name = check.fact.id or check.fact_index + 1
            result.report.append(f"{entry.concept_id}: fact {name}: check {summary}")
        for question in entry.questions:
            _report_truths(question, where, result)


def _report_truths(question: QuestionReport, where: ConceptSource, result: StrictResult) -> None:
    at = ("questions", question.question_index, "answer")
    if question.error:
        result.problems.append(_problem(where, at, f"cannot evaluate: {question.error}"))
    elif question.non_finite:
        bad = next(r for r in question.results if r.non_finite)
        result.problems.append(
            _problem(
                where,
                at,
                f"truth is not finite on {question.non_finite} runs (first at {bad.label})",
            )
        )
    if question.sign_changes:
        finite = [r for r in question.results if math.isfinite(r.low)]
        low = min(finite, key=lambda r: r.low)
        high = max(finite, key=lambda r: r.high)
        result.problems.append(
            _problem(
                where,
                at,
                f"the truth changes sign: from {low.low:.4g} to {high.high:.4g} "
                + (
                    f"over the seeds at {low.label}; "
                    if low.label == high.label
                    else f"(at {low.label}; at {high.label}); "
                )
                + "a prompt that assumes a direction is wrong for some learners",
                "warning",
            )
        )
    if question.near_boundary:
        runs = sum(r.seeds for r in question.results)
        result.problems.append(
            _problem(
                where,
                at,
                f"the truth is within {BOUNDARY_SLACK:g} of a digit of a rounding boundary on "
                f"{question.near_boundary}/{runs} runs: the answer shown may flip between "
                "machines; ask for one more digit or use rtol",
                "warning",
            )
        )


def _draw_variants(
    loaded: LoadedPack, concept: Concept, where: ConceptSource, result: StrictResult, draws: int
) -> None:
    from studyreg.study.items import build_item

    for i, question in enumerate(concept.questions):
        if not question.live:
            continue
        for draw in range(draws):
            rng = random.Random(f"strict:{question.id}:{draw}")
            try:
                item = build_item(loaded.pack, concept, question, rng)
            except Exception as error:  # noqa: BLE001 - report anything a pack can provoke
                result.problems.append(
                    _problem(where, ("questions", i), f"variant {draw + 1}: {error}")
                )
                break
            if not item.truths() or not all(math.isfinite(t) for t in item.truths()):
                result.problems.append(
                    _problem(
                        where,
                        ("questions", i, "answer"),
                        f"variant {draw + 1}: truth is not finite",
                    )
                )
                break
