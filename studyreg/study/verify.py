"""Verification: every fact check and computed answer measured over many seeds.

A claim that holds on the seeds an author happened to try may still fail for a
learner. :func:`verify_pack` runs each concept's experiment at every parameter
combination its questions can draw, over ``seeds`` consecutive seeds, and reports

- per fact check and combination: on how many seeds it holds, the rate and the
  95% Wilson score lower bound of that rate (:func:`wilson_lower_bound`); a check is
  judged by its worst combination;
- per computed question and combination: the range of the truth, non-finite
  truths, a sign that changes, and truths near a rounding boundary
  (:func:`near_rounding_boundary`).

Runs of built-in and plugin experiments are spread over a process pool (each
worker calls ``studyreg.experiments.run_experiment`` and returns only the scalar
outputs and parameters); a pack's own experiments run one after another through
``lab.run``. Every run is a pure function of (experiment, parameters, seed), so the
report does not depend on how the work was split. No ``textual`` here: the CLI
and the TUI only call this module.
"""

from __future__ import annotations

import itertools
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from studyreg.content import models
from studyreg.expr import ExpressionError, parse_expression
from studyreg.study.facts import check_fact

Z95 = 1.959963984540054  # two-sided 95% normal quantile
DEFAULT_SEEDS = 50
DEFAULT_MIN_RATE = 0.9
BOUNDARY_SLACK = 0.01  # in units of the last kept digit; see near_rounding_boundary

Progress = Callable[[int, int], None]
Env = dict[str, Any]


# --- statistics and rounding ---------------------------------------------------------


def wilson_lower_bound(held: int, trials: int, z: float = Z95) -> float:
    """Lower end of the Wilson score interval for a rate of ``held`` out of ``trials``.

    ``(p + z²/2n - z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)`` with ``p = held/n``:
    unlike ``p - z·sqrt(p(1-p)/n)`` it stays inside [0, 1] and is not 1 at 50/50.
    """
    if trials <= 0 or not 0 <= held <= trials:
        raise ValueError(f"need 0 <= held <= trials and trials > 0, got {held}/{trials}")
    p, n, z2 = held / trials, trials, z * z
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, (p + z2 / (2 * n) - margin) / (1 + z2 / n))


def bound_text(lower: float, min_rate: float) -> str:
    """``lower`` to 2 decimals, or more when 2 would blur its side of ``min_rate`` (0.895)."""
    for digits in range(2, 7):
        text = f"{lower:.{digits}f}"
        if (float(text) >= min_rate) == (lower >= min_rate):
            return text
    return f"{lower:.6f}"


def seeds_needed(min_rate: float) -> int:
    """The fewest seeds at which a check holding on all of them reaches ``min_rate``."""
    n = 1
    while wilson_lower_bound(n, n) < min_rate and n < 100_000:
        n += 1
    return n


def rounding_quantum(truth: float, tolerance: models.Tolerance, integer: bool) -> float | None:
    """Place value of the last digit shown for ``truth`` (None: the answer is not rounded)."""
    if integer:
        return 1.0
    if tolerance.decimals is not None:
        return 10.0**-tolerance.decimals
    if tolerance.sigfigs is not None:
        exponent = math.floor(math.log10(abs(truth))) if truth else 0
        return 10.0 ** (exponent - tolerance.sigfigs + 1)
    return None


def near_rounding_boundary(
    truth: float, tolerance: models.Tolerance, integer: bool = False
) -> bool:
    """True when ``truth`` lies within ``BOUNDARY_SLACK`` of a digit of a rounding boundary.

    With ``sigfigs``/``decimals`` (or ``integer``) the answer key shows ``truth`` rounded to
    a quantum ``q`` (the place of the last kept digit). The boundaries are the odd
    multiples of ``q/2``. Closer than ``0.01·q`` to one, the grader (which accepts
    ``|answer - truth| < 0.51·q``) takes both neighbours, and the shown answer flips
    under a change of 1% of the last digit (another BLAS, another platform, a learner
    rounding a value printed to fewer digits). ``rtol``/``atol`` answers are not rounded.
    """
    if not math.isfinite(truth):
        return False
    quantum = rounding_quantum(truth, tolerance, integer)
    if quantum is None:
        return False
    offset = (abs(truth) / quantum) % 1.0
    return abs(offset - 0.5) < BOUNDARY_SLACK


# --- parameter combinations -----------------------------------------------------------


def vary_points(spec: models.VaryChoices | models.VaryRange) -> list[Any]:
    """Values a varied parameter can take: every choice, or a range's low, mid and high.

    The mid point is geometric for ``log: true``; values are rounded as
    ``items.draw_params`` rounds a drawn one.
    """
    if isinstance(spec, models.VaryChoices):
        points = list(spec.choices)
    else:
        mid = math.sqrt(spec.low * spec.high) if spec.log else (spec.low + spec.high) / 2
        points = [_as_drawn(spec, value) for value in (spec.low, mid, spec.high)]
    return list(dict.fromkeys(points))


def _as_drawn(spec: models.VaryRange, value: float) -> Any:
    from studyreg.study.items import _tidy  # the item builder's own 3-significant-figure rule

    if spec.integer:
        return int(min(max(round(value), math.ceil(spec.low)), math.floor(spec.high)))
    return round(value, spec.round) if spec.round is not None else _tidy(value)


def question_combinations(base: Mapping[str, Any], vary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every parameter set a question can draw: the product of its ``vary`` points over ``base``."""
    names = sorted(vary)
    return [
        {**base, **dict(zip(names, values, strict=True))}
        for values in itertools.product(*(vary_points(vary[name]) for name in names))
    ]


def combinations(concept: models.Concept) -> list[dict[str, Any]]:
    """The concept's parameters, then every combination its computed questions can draw.

    Identical combinations (as written) appear once; :func:`verify_pack` also merges
    those that only differ by a default written out.
    """
    assert concept.experiment is not None
    base = dict(concept.experiment.params)
    found = [base]
    for question in concept.questions:
        if isinstance(question, models.Computed):
            found += question_combinations(base, question.vary)
    unique: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}
    for combo in found:
        unique.setdefault(_key(combo), combo)
    return list(unique.values())


def _key(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, (type(v).__name__, v)) for k, v in params.items()))


def describe_params(params: Mapping[str, Any], base: Mapping[str, Any]) -> str:
    """``"p=0.2, n_train=60"``: what differs from ``base``; else "the concept's parameters"."""
    changed = [f"{k}={v}" for k, v in params.items() if base.get(k) != v]
    return ", ".join(changed) if changed else "the concept's parameters"


# --- the report -----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckAtParams:
    """One check at one parameter set: held on ``held`` of ``seeds`` seeds."""

    params: dict[str, Any]
    label: str
    held: int
    seeds: int
    failing_seed: int | None = None  # the first seed where it does not hold
    failing_detail: str = ""

    @property
    def rate(self) -> float:
        return self.held / self.seeds

    @property
    def lower_bound(self) -> float:
        return wilson_lower_bound(self.held, self.seeds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "params": self.params,
            "label": self.label,
            "held": self.held,
            "seeds": self.seeds,
            "rate": round(self.rate, 6),
            "lower_bound": round(self.lower_bound, 6),
            "failing_seed": self.failing_seed,
            "failing_detail": self.failing_detail,
        }


@dataclass
class CheckReport:
    """A fact's check over every combination; judged by the worst one."""

    concept_id: str
    fact_index: int
    fact: models.Fact
    results: list[CheckAtParams] = field(default_factory=list)

    @property
    def worst(self) -> CheckAtParams:
        return min(self.results, key=lambda r: (r.lower_bound, r.rate))

    def passes(self, min_rate: float) -> bool:
        return self.worst.lower_bound >= min_rate

    def at(self, params: Mapping[str, Any]) -> CheckAtParams | None:
        """The result at exactly these (validated) parameters, if they were measured."""
        return next((r for r in self.results if _key(r.params) == _key(params)), None)

    def summary(self, min_rate: float) -> str:
        """``holds on 41/50 seeds at p=0.2 (95% lower bound 0.70 < 0.9)``."""
        w = self.worst
        relation = ">=" if self.passes(min_rate) else "<"
        return (
            f"holds on {w.held}/{w.seeds} seeds at {w.label} "
            f"(95% lower bound {bound_text(w.lower_bound, min_rate)} {relation} {min_rate:g})"
        )

    def to_dict(self, min_rate: float) -> dict[str, Any]:
        w = self.worst
        return {
            "concept": self.concept_id,
            "fact": self.fact.id or self.fact_index + 1,
            "fact_index": self.fact_index,
            "check": self.fact.check,
            "source": self.fact.source.format(),
            "passes": self.passes(min_rate),
            "held": w.held,
            "seeds": w.seeds,
            "rate": round(w.rate, 6),
            "lower_bound": round(w.lower_bound, 6),
            "worst": w.to_dict(),
            "combinations": [r.to_dict() for r in self.results],
        }


@dataclass(frozen=True)
class TruthAtParams:
    """A computed question's truth at one parameter set, over the seeds."""

    params: dict[str, Any]
    label: str
    low: float
    high: float
    seeds: int
    non_finite: int = 0
    near_boundary: int = 0
    error: str = ""  # the answer expression could not be evaluated

    def to_dict(self) -> dict[str, Any]:
        def number(x: float) -> float | None:
            return x if math.isfinite(x) else None

        return {
            "params": self.params,
            "label": self.label,
            "min": number(self.low),
            "max": number(self.high),
            "seeds": self.seeds,
            "non_finite": self.non_finite,
            "near_boundary": self.near_boundary,
            "error": self.error,
        }


@dataclass
class QuestionReport:
    concept_id: str
    question_index: int
    question: models.Computed
    results: list[TruthAtParams] = field(default_factory=list)

    @property
    def sign_changes(self) -> bool:
        """True when the truth is positive for some variant or seed and negative for another."""
        finite = [r for r in self.results if math.isfinite(r.low) and math.isfinite(r.high)]
        return any(r.low < 0 for r in finite) and any(r.high > 0 for r in finite)

    @property
    def non_finite(self) -> int:
        return sum(r.non_finite for r in self.results)

    @property
    def near_boundary(self) -> int:
        return sum(r.near_boundary for r in self.results)

    @property
    def error(self) -> str:
        return next((r.error for r in self.results if r.error), "")

    def to_dict(self) -> dict[str, Any]:
        finite = [r for r in self.results if math.isfinite(r.low)]
        return {
            "concept": self.concept_id,
            "question": self.question.id,
            "answer": self.question.answer,
            "source": self.question.source.format(),
            "min": min((r.low for r in finite), default=None),
            "max": max((r.high for r in finite), default=None),
            "sign_changes": self.sign_changes,
            "non_finite": self.non_finite,
            "near_boundary": self.near_boundary,
            "error": self.error,
            "combinations": [r.to_dict() for r in self.results],
        }


@dataclass
class ConceptReport:
    concept_id: str
    experiment: str
    seeds: list[int]
    base: dict[str, Any] = field(default_factory=dict)  # the concept's own parameters, in full
    combinations: list[dict[str, Any]] = field(default_factory=list)
    checks: list[CheckReport] = field(default_factory=list)
    questions: list[QuestionReport] = field(default_factory=list)
    run_times: list[float] = field(default_factory=list)
    run_errors: list[tuple[dict[str, Any], int, str]] = field(default_factory=list)
    error: str = ""  # the experiment could not be set up at all (unknown, locked, bad params)

    @property
    def runs(self) -> int:
        return len(self.run_times) + len(self.run_errors)


@dataclass
class VerifyReport:
    pack_id: str
    seeds: int
    min_rate: float
    concepts: list[ConceptReport] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1  # processes that ran the built-in experiments (1: no pool)

    @property
    def checks(self) -> list[CheckReport]:
        return [check for concept in self.concepts for check in concept.checks]

    @property
    def failing(self) -> list[CheckReport]:
        return [check for check in self.checks if not check.passes(self.min_rate)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack_id,
            "seeds": self.seeds,
            "min_rate": self.min_rate,
            "seconds": round(self.seconds, 3),
            "runs": sum(c.runs for c in self.concepts),
            "checks": [c.to_dict(self.min_rate) for c in self.checks],
            "questions": [q.to_dict() for c in self.concepts for q in c.questions],
            "concepts": [
                {
                    "concept": c.concept_id,
                    "experiment": c.experiment,
                    "combinations": len(c.combinations),
                    "runs": c.runs,
                    "error": c.error,
                }
                for c in self.concepts
            ],
        }


def verify_pack(
    pack: models.Pack,
    *,
    seeds: int | None = None,
    seed_base: int | None = None,
    min_rate: float | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    concept_ids: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
) -> VerifyReport:
    """Measure every fact check and computed answer of ``pack`` over ``seeds`` seeds.

    ``seeds``/``min_rate`` default to the pack's ``verify`` setting; seeds run from
    ``seed_base`` (default: each concept's ``experiment.seed``). ``workers`` processes
    (default ``os.cpu_count()``; 1 = no pool) share the built-in experiments' runs.
    ``concept_ids`` limits the work to those concepts; ``params`` replaces the
    combinations by this one parameter set (merged over the concept's). ``progress``
    is called with (runs done, runs in total).
    """
    from studyreg.study import lab
    from studyreg.study.verify_runs import Job, execute

    setting = pack.verify
    n = int(seeds if seeds is not None else setting.seeds)
    if n < 1:
        raise ValueError(f"seeds must be at least 1, got {n}")
    report = VerifyReport(
        pack.id,
        n,
        float(min_rate if min_rate is not None else setting.min_rate),
        workers=max(1, int(workers or os.cpu_count() or 1)),
    )
    started = time.perf_counter()
    planned: list[tuple[models.Concept, ConceptReport, list[set[Any]]]] = []
    jobs: list[Job] = []
    for concept in pack.concepts:
        ref = concept.experiment
        if ref is None or (concept_ids is not None and concept.id not in concept_ids):
            continue
        base = ref.seed if seed_base is None else int(seed_base)
        entry = ConceptReport(concept.id, ref.name, list(range(base, base + n)))
        report.concepts.append(entry)
        raw = [{**ref.params, **params}] if params is not None else combinations(concept)
        try:
            entry.base = lab.validate(ref.name, ref.params, ref.scope)
            raw_keys = _validate_combinations(entry, raw, ref)
        except lab.ExperimentError as error:
            entry.error = str(error)
            continue
        parallel = lab.parallel_safe(ref.name, ref.scope)
        for combo in entry.combinations:
            jobs.append(Job(ref.name, combo, tuple(entry.seeds), ref.scope, parallel))
        planned.append((concept, entry, raw_keys))
    outcomes, report.workers = execute(jobs, report.workers, progress)
    at = 0
    for concept, entry, raw_keys in planned:
        envs = []
        for combo in entry.combinations:
            runs = outcomes[at]
            at += 1
            envs.append([env for env, _ in runs])
            for seed, (env, seconds) in zip(entry.seeds, runs, strict=True):
                if isinstance(env, dict):
                    entry.run_times.append(seconds)
                else:
                    entry.run_errors.append((combo, seed, env))
        evaluate(concept, entry, envs, raw_keys)
    report.seconds = time.perf_counter() - started
    return report


def _validate_combinations(
    entry: ConceptReport, raw: list[dict[str, Any]], ref: models.ExperimentRef
) -> list[set[Any]]:
    """Fill ``entry.combinations`` with validated parameter sets (defaults filled in),
    merging those that validate alike; return the written forms behind each."""
    from studyreg.study import lab

    merged: dict[Any, int] = {}
    raw_keys: list[set[Any]] = []
    for combo in raw:
        try:
            full = lab.validate(ref.name, combo, ref.scope)
        except lab.ParameterError as error:
            label = describe_params(combo, ref.params)
            raise lab.ExperimentError(f"at {label}: {error}") from None
        key = _key(full)
        if key not in merged:
            merged[key] = len(entry.combinations)
            entry.combinations.append(full)
            raw_keys.append(set())
        raw_keys[merged[key]].add(_key(combo))
    return raw_keys


def evaluate(
    concept: models.Concept,
    report: ConceptReport,
    envs: list[list[Any]],
    raw_keys: list[set[Any]],
) -> None:
    """Fill ``report`` from ``envs[combination][seed]`` (an env dict, or an error string);
    ``raw_keys[combination]`` are the written parameter sets behind each combination."""
    assert concept.experiment is not None
    labels = [describe_params(combo, report.base) for combo in report.combinations]
    for i, fact in enumerate(concept.facts):
        if not fact.check:
            continue
        check = CheckReport(concept.id, i, fact)
        for combo, label, runs in zip(report.combinations, labels, envs, strict=True):
            held, failing_seed, failing_detail = 0, None, ""
            for seed, env in zip(report.seeds, runs, strict=True):
                outcome = check_fact(fact, env) if isinstance(env, dict) else _failed(fact, env)
                if outcome.passed:
                    held += 1
                elif failing_seed is None:
                    failing_seed, failing_detail = seed, outcome.detail
            check.results.append(
                CheckAtParams(combo, label, held, len(runs), failing_seed, failing_detail)
            )
        report.checks.append(check)
    for i, question in enumerate(concept.questions):
        if isinstance(question, models.Computed):
            report.questions.append(_truths(concept, report, i, question, labels, envs, raw_keys))


def _failed(fact: models.Fact, error: str) -> Any:
    from studyreg.study.facts import FactCheck

    return FactCheck(fact, False, f"the run failed: {error}")


def _truths(
    concept: models.Concept,
    report: ConceptReport,
    index: int,
    question: models.Computed,
    labels: list[str],
    envs: list[list[Any]],
    raw_keys: list[set[Any]],
) -> QuestionReport:
    out = QuestionReport(concept.id, index, question)
    wanted = {_key(c) for c in question_combinations(concept.experiment.params, question.vary)}  # type: ignore[union-attr]
    expression = parse_expression(question.answer)
    for combo, raw, label, runs in zip(report.combinations, raw_keys, labels, envs, strict=True):
        if not wanted & raw:
            continue
        values, error = [], ""
        for env in runs:
            if not isinstance(env, dict):
                values.append(math.nan)
                continue
            try:
                values.append(float(expression.evaluate(env)))
            except (ExpressionError, TypeError, ValueError) as exc:
                values.append(math.nan)
                error = error or str(exc)
        finite = [v for v in values if math.isfinite(v)]
        out.results.append(
            TruthAtParams(
                combo,
                label,
                min(finite, default=math.nan),
                max(finite, default=math.nan),
                len(values),
                len(values) - len(finite),
                sum(
                    near_rounding_boundary(v, question.tolerance, question.integer) for v in finite
                ),
                error,
            )
        )
    return out


__all__ = [
    "BOUNDARY_SLACK",
    "DEFAULT_MIN_RATE",
    "DEFAULT_SEEDS",
    "CheckAtParams",
    "CheckReport",
    "ConceptReport",
    "QuestionReport",
    "TruthAtParams",
    "VerifyReport",
    "combinations",
    "describe_params",
    "near_rounding_boundary",
    "seeds_needed",
    "verify_pack",
    "vary_points",
    "wilson_lower_bound",
]
