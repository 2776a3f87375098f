"""What a verification found: rates of fact checks, ranges of computed truths.

The statistics live here too: the Wilson score lower bound a check is judged by and
the rounding-boundary test for computed answers. :mod:`studyreg.study.verify` fills
these reports; validate, the benchmarks and the app read them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from studyreg.content import models

Z95 = 1.959963984540054  # two-sided 95% normal quantile
BOUNDARY_SLACK = 0.01  # in units of the last kept digit; see near_rounding_boundary


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


def params_key(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """A hashable, type-aware key of a parameter set (``1`` and ``1.0`` differ)."""
    return tuple(sorted((k, (type(v).__name__, v)) for k, v in params.items()))


# --- the report -----------------------------------------------------------------------


class HoldRate:
    """The rate and its 95% Wilson lower bound, for anything with ``held`` and ``seeds``."""

    held: int
    seeds: int

    @property
    def rate(self) -> float:
        return self.held / self.seeds

    @property
    def lower_bound(self) -> float:
        return wilson_lower_bound(self.held, self.seeds)


@dataclass(frozen=True)
class ClaimRate(HoldRate):
    """A fact's check held on ``held`` of ``seeds`` seeds at one parameter set."""

    held: int
    seeds: int


@dataclass(frozen=True)
class CheckAtParams(HoldRate):
    """One check at one parameter set: held on ``held`` of ``seeds`` seeds."""

    params: dict[str, Any]
    label: str
    held: int
    seeds: int
    failing_seed: int | None = None  # the first seed where it does not hold
    failing_detail: str = ""

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
        return next((r for r in self.results if params_key(r.params) == params_key(params)), None)

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
    workers: int = 0  # pool processes that ran the built-in experiments (0: none)

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
