"""Checks that tie a pack to its experiments and the expression language.

Experiment names, parameter names and ranges, fact checks, computed answers and
prompt templates are all checked at load time, so a typo shows up in
``studyreg validate`` with its file and line rather than in the middle of a quiz.
A pack's own experiments are described by their isolated worker, and only when
the pack is trusted: an untrusted pack's references to its code are checked by
name only (its code is never imported to learn more).
"""

from __future__ import annotations

import difflib
from typing import Any

from studyreg.content import models
from studyreg.content.loader import ConceptSource, LoadedPack
from studyreg.content.problems import Problem
from studyreg.experiments import ExperimentError, ExperimentSpec
from studyreg.study import lab


def check_pack_references(loaded: LoadedPack) -> list[Problem]:
    problems: list[Problem] = []
    root = loaded.pack.root
    for name in lab.shadowing(root):
        problems.append(
            Problem(
                f"{root}/experiments/{name}.py",
                1,
                1,
                "",
                f"a pack experiment may not shadow the built-in experiment {name!r}; rename "
                "the file and its EXPERIMENT.name",
            )
        )
    for concept, where in zip(loaded.pack.concepts, loaded.concept_sources, strict=True):
        problems.extend(_check_concept(concept, where))
    return problems


def _check_concept(concept: models.Concept, where: ConceptSource) -> list[Problem]:
    problems: list[Problem] = []
    known: set[str] | None = None
    experiment: ExperimentSpec | None = None
    ref = concept.experiment
    if ref is not None:
        try:
            experiment = lab.spec(ref.name, ref.scope)
        except lab.LockedExperiment:
            pass  # text and other questions still load; the experiment shows as locked
        except ExperimentError as error:
            problems.append(where.problem(("experiment", "name"), str(error)))
        if experiment is not None:
            known = set(experiment.outputs) | set(experiment.param_names)
            try:
                lab.validate(ref.name, ref.params, ref.scope)
            except ExperimentError as error:
                problems.append(where.problem(("experiment", "params"), str(error)))

    def need_experiment(path: tuple[str | int, ...], what: str) -> bool:
        if concept.experiment is None:
            problems.append(where.problem(path, f"{what} needs the concept to name an experiment"))
            return False
        return known is not None

    for i, fact in enumerate(concept.facts):
        if fact.check is not None and need_experiment(("facts", i, "check"), "a fact check"):
            problems.extend(
                _check_expression(fact.check, known or set(), where, ("facts", i, "check"))
            )
    for i, question in enumerate(concept.questions):
        if not isinstance(question, (models.Computed, models.Cloze)) or not question.live:
            continue
        base: tuple[str | int, ...] = ("questions", i)
        answers = question.live_answers()
        first = answers[0][0] if answers else ("vary",)
        if not need_experiment((*base, *first), f"a {question.type} question"):
            continue
        assert experiment is not None and ref is not None
        for path, source in answers:
            problems.extend(_check_expression(source, known or set(), where, (*base, *path)))
        problems.extend(_check_template(question.prompt, known or set(), where, (*base, "prompt")))
        problems.extend(_check_vary(question.vary, experiment, ref, where, base))
    return problems


def _unknown_names(names: set[str] | frozenset[str], known: set[str]) -> list[str]:
    messages = []
    for name in sorted(names - known):
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        messages.append(f"unknown output {name!r}{hint}")
    return messages


def _check_expression(
    source: str, known: set[str], where: ConceptSource, path: tuple[str | int, ...]
) -> list[Problem]:
    from studyreg.expr import ExpressionError, parse_expression

    try:
        expression = parse_expression(source)
    except ExpressionError as error:
        return [where.problem(path, f"in {source!r}: {error}")]
    return [where.problem(path, message) for message in _unknown_names(expression.names, known)]


def _check_template(
    source: str, known: set[str], where: ConceptSource, path: tuple[str | int, ...]
) -> list[Problem]:
    from studyreg.expr import TemplateError, parse_template

    try:
        template = parse_template(source)
    except TemplateError as error:
        return [where.problem(path, f"template: {error}")]
    return [where.problem(path, message) for message in _unknown_names(template.names, known)]


def _check_vary(
    vary: dict[str, Any],
    experiment: ExperimentSpec,
    ref: models.ExperimentRef,
    where: ConceptSource,
    base: tuple[str | int, ...],
) -> list[Problem]:
    problems: list[Problem] = []
    fields = experiment.param_names
    for name, spec in vary.items():
        path = (*base, "vary", name)
        if name not in fields:
            close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(
                where.problem(path, f"{experiment.name} has no parameter {name!r}{hint}", key=True)
            )
            continue
        if isinstance(spec, models.VaryChoices):
            candidates = list(spec.choices)
        else:
            candidates = [spec.low, spec.high]
            if spec.integer:
                candidates = [int(round(v)) for v in (spec.low, spec.high)]
        for value in candidates:
            try:
                lab.validate(experiment.name, {**ref.params, name: value}, ref.scope)
            except ExperimentError as error:
                problems.append(where.problem(path, f"value {value!r}: {error}"))
                break
    return problems
