"""``validate --strict``: run what a pack only names.

Every fact check is evaluated over a sample of seeds and its pass rate reported
(never passing is an error, sometimes failing a warning); every computed question
is drawn several times and must give finite truths and prompts that render; each
experiment's run time is reported.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from dataclasses import dataclass, field

from studyreg.content.loader import ConceptSource, LoadedPack
from studyreg.content.models import Computed, Concept
from studyreg.content.problems import Problem
from studyreg.study.facts import check_fact, evaluation_env

VARIANT_DRAWS = 4


@dataclass
class StrictResult:
    problems: list[Problem] = field(default_factory=list)
    report: list[str] = field(default_factory=list)


def _problem(
    where: ConceptSource, path: tuple[str | int, ...], message: str, severity: str = "error"
) -> Problem:
    problem = where.problem(path, message)
    return Problem(problem.file, problem.line, problem.column, problem.path, message, severity)


def strict_check(loaded: LoadedPack, *, draws: int = VARIANT_DRAWS) -> StrictResult:
    result = StrictResult()
    timings: dict[str, list[float]] = {}
    for concept, where in zip(loaded.pack.concepts, loaded.concept_sources, strict=True):
        if concept.experiment is not None:
            _check_concept(loaded, concept, where, result, timings, draws)
    for name, times in sorted(timings.items()):
        result.report.append(
            f"experiment {name}: median {statistics.median(times) * 1e3:.0f} ms, "
            f"max {max(times) * 1e3:.0f} ms over {len(times)} runs"
        )
    return result


def _check_concept(
    loaded: LoadedPack,
    concept: Concept,
    where: ConceptSource,
    result: StrictResult,
    timings: dict[str, list[float]],
    draws: int,
) -> None:
    from studyreg.experiments import ExperimentError
    from studyreg.study import lab
    from studyreg.study.items import build_item

    ref = concept.experiment
    assert ref is not None
    n_seeds = max([fact.seeds for fact in concept.facts if fact.check] or [1])
    envs = []
    for seed in range(ref.seed, ref.seed + n_seeds):
        started = time.perf_counter()
        try:
            run = lab.run(ref.name, ref.params, seed)
        except ExperimentError as error:
            result.problems.append(_problem(where, ("experiment",), f"seed {seed}: {error}"))
            return
        timings.setdefault(ref.name, []).append(time.perf_counter() - started)
        envs.append(evaluation_env(run))
    for i, fact in enumerate(concept.facts):
        if not fact.check:
            continue
        outcomes = [check_fact(fact, env) for env in envs[: fact.seeds]]
        passed = sum(bool(o.passed) for o in outcomes)
        rate = f"{passed}/{len(outcomes)} seeds"
        at = ("facts", i, "check")
        if passed == 0:
            detail = outcomes[0].detail
            result.problems.append(_problem(where, at, f"never holds ({rate}): {detail}"))
        elif passed < len(outcomes):
            failing = next(o for o in outcomes if not o.passed)
            result.problems.append(
                _problem(where, at, f"holds on {rate} only; e.g. {failing.detail}", "warning")
            )
        result.report.append(f"{concept.id}: fact {fact.id or i + 1}: check holds on {rate}")
    for i, question in enumerate(concept.questions):
        if not isinstance(question, Computed):
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
            if item.truth is None or not math.isfinite(item.truth):
                result.problems.append(
                    _problem(
                        where,
                        ("questions", i, "answer"),
                        f"variant {draw + 1}: truth is not finite",
                    )
                )
                break
