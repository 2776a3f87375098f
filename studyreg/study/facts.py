"""Fact checks: each fact's claim evaluated live over its concept's experiment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studyreg.content.models import Concept, Fact
from studyreg.expr import ExpressionError, parse_expression


@dataclass(frozen=True)
class FactCheck:
    """The outcome of one fact's check: ``passed`` is None when the fact has no check."""

    fact: Fact
    passed: bool | None
    detail: str


def evaluation_env(result: Any) -> dict[str, Any]:
    """Names an expression may use: the run's outputs and its parameters."""
    return {**result.params, **result.outputs}


def check_fact(fact: Fact, env: dict[str, Any]) -> FactCheck:
    if fact.check is None:
        return FactCheck(fact, None, "")
    try:
        expression = parse_expression(fact.check)
        value = expression.evaluate(env)
        detail = expression.explain(env)
    except ExpressionError as error:
        return FactCheck(
            fact, False, f"cannot evaluate {fact.check!r} ({fact.source.format()}): {error}"
        )
    return FactCheck(fact, bool(value), detail)


def check_facts(concept: Concept, result: Any) -> list[FactCheck]:
    """Check every fact of ``concept`` against an experiment ``result``."""
    env = evaluation_env(result)
    return [check_fact(fact, env) for fact in concept.facts]
