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
from typing import Any

from studyreg.content import models
from studyreg.expr import ExpressionError, parse_expression
from studyreg.study.facts import check_fact
from studyreg.study.verify_report import (
    BOUNDARY_SLACK,
    CheckAtParams,
    CheckReport,
    ConceptReport,
    QuestionReport,
    TruthAtParams,
    VerifyReport,
    bound_text,
    near_rounding_boundary,
    seeds_needed,
    wilson_lower_bound,
)
from studyreg.study.verify_report import params_key as _key

DEFAULT_SEEDS = 50
DEFAULT_MIN_RATE = 0.9

Progress = Callable[[int, int], None]
Env = dict[str, Any]


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
    from studyreg.study.kinds.numbers import tidy  # the item builder's own 3-s.f. rule

    if spec.integer:
        return int(min(max(round(value), math.ceil(spec.low)), math.floor(spec.high)))
    return round(value, spec.round) if spec.round is not None else tidy(value)


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
        if isinstance(question, (models.Computed, models.Cloze)):  # they draw parameters
            found += question_combinations(base, question.vary)
    unique: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}
    for combo in found:
        unique.setdefault(_key(combo), combo)
    return list(unique.values())


def describe_params(params: Mapping[str, Any], base: Mapping[str, Any]) -> str:
    """``"p=0.2, n_train=60"``: what differs from ``base``; else "the concept's parameters"."""
    changed = [f"{k}={v}" for k, v in params.items() if base.get(k) != v]
    return ", ".join(changed) if changed else "the concept's parameters"


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
    offload: bool = False,
) -> VerifyReport:
    """Measure every fact check and computed answer of ``pack`` over ``seeds`` seeds.

    ``seeds``/``min_rate`` default to the pack's ``verify`` setting; seeds run from
    ``seed_base`` (default: each concept's ``experiment.seed``). ``workers`` processes
    (default ``os.cpu_count()``; 1 = no pool) share the built-in experiments' runs.
    ``concept_ids`` limits the work to those concepts; ``params`` replaces the
    combinations by this one parameter set (merged over the concept's). ``progress``
    is called with (runs done, runs in total); an exception it raises stops the work.
    ``offload`` runs built-in experiments in pool processes even with one worker (for
    a caller whose UI thread must keep the interpreter).
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
    outcomes, report.workers = execute(jobs, report.workers, progress, offload=offload)
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
    "bound_text",
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
