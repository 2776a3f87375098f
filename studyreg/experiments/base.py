"""What every experiment is made of: its description, its result, its errors.

An experiment is a pure function ``run(params, seed) -> Result``: same parameters and
seed, same numbers. Outputs are plain Python scalars (``int`` counts, ``bool`` flags,
finite ``float`` everything else) so that expressions in packs, JSON and tables all see
the same values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np
from pydantic import BaseModel

from studyreg.errors import StudyregError

__all__ = [
    "Experiment",
    "P",
    "check_cost",
    "ExperimentError",
    "ParameterError",
    "Result",
    "Series",
    "make_result",
    "scalar",
]


class ExperimentError(StudyregError):
    """An experiment cannot be run as asked (e.g. its name is unknown)."""


class ParameterError(ExperimentError):
    """A parameter is unknown, of the wrong type or out of range."""


@dataclass(frozen=True)
class Series:
    """One line (or set of points, or bars) of a plot.

    Attributes
    ----------
    figure : str
        Title of the plot this series belongs to; series sharing it share axes.
    label : str
        Legend label.
    x, y : ndarray of shape (n_points,)
        Coordinates.
    """

    figure: str
    label: str
    x: np.ndarray
    y: np.ndarray
    xlabel: str = ""
    ylabel: str = ""
    xscale: str = "linear"
    yscale: str = "linear"
    kind: str = "line"

    def __post_init__(self) -> None:
        if self.x.shape != self.y.shape or self.x.ndim != 1:
            raise ValueError(
                f"series {self.label!r}: x and y must be 1-D of equal length, "
                f"got shapes {self.x.shape} and {self.y.shape}"
            )
        if self.kind not in ("line", "scatter", "bar"):
            raise ValueError(f"series {self.label!r}: unknown kind {self.kind!r}")
        for scale in (self.xscale, self.yscale):
            if scale not in ("linear", "log"):
                raise ValueError(f"series {self.label!r}: unknown scale {scale!r}")


@dataclass(frozen=True)
class Result:
    """Everything one run produced.

    Attributes
    ----------
    experiment : str
        The experiment's registered name.
    params : dict
        The validated parameters (``model_dump()``), defaults filled in.
    seed : int
        The seed the run's ``np.random.default_rng`` was built from.
    outputs : dict of str to int, float or bool
        Named scalar outputs with dotted names, e.g. ``"lasso.n_zero"``.
    series : dict of str to Series
        Named plot series, e.g. ``"path.lasso.val_mse"``.
    arrays : dict of str to ndarray
        Named arrays: data and fitted weights, e.g. ``"X_train"``, ``"lasso.coef"``.
    """

    experiment: str
    params: dict[str, Any]
    seed: int
    outputs: dict[str, float | int | bool]
    series: dict[str, Series] = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


P = TypeVar("P", bound=BaseModel)
"""The parameters model of an experiment (its pydantic ``Params`` class)."""


@dataclass(frozen=True)
class Experiment(Generic[P]):
    """A registered experiment: what it shows, its parameters and its outputs.

    Generic over its parameters model: ``Experiment(params_model=Params, run=run, ...)``
    is an ``Experiment[Params]``, and a type checker holds ``run`` to taking a ``Params``.

    Attributes
    ----------
    name : str
        The registered name, e.g. ``"l1_vs_l2"``.
    summary : str
        One line saying what the experiment shows.
    objective : str
        The objective(s) minimized, in words and maths.
    params_model : type of pydantic.BaseModel
        Parameters: ``extra="forbid"``, every field with a default, bounds and a description.
    outputs : dict of str to str
        Every scalar output name and a one-line description of it.
    run : callable
        ``run(params, seed) -> Result`` with ``params`` an instance of ``params_model``.
    key_outputs : tuple of str
        The few outputs a UI should show first.
    """

    name: str
    summary: str
    objective: str
    params_model: type[P]
    outputs: dict[str, str]
    run: Callable[[P, int], Result]
    key_outputs: tuple[str, ...] = ()


def check_cost(
    work: float,
    work_limit: float,
    advice: str,
    *,
    stored: float | None = None,
    stored_limit: float | None = None,
) -> None:
    """Refuse parameters whose run would be too slow (or too big) for a study session.

    Call it from the parameters model's ``model_validator(mode="after")`` with an estimate
    of the run's cost; the refusal becomes a ``ParameterError`` naming the experiment.

    Parameters
    ----------
    work : float
        Estimated multiply-adds of one run at these parameters.
    work_limit : float
        The most multiply-adds allowed (a few seconds of NumPy, one thread).
    advice : str
        Which parameters to change, e.g. ``"lower n_epochs or n_hidden"``.
    stored, stored_limit : float, optional
        Estimated numbers kept in memory (curves, snapshots) and their limit.

    Raises
    ------
    ValueError
        With the estimate, the limit and ``advice`` (a ``ValueError``, as pydantic's
        validators need).
    """
    if stored is None or stored_limit is None:
        if work > work_limit:
            raise ValueError(
                f"this combination is too large to run quickly (about {work:.2g} "
                f"multiply-adds, limit {work_limit:.0g}); {advice}"
            )
        return
    if work > work_limit or stored > stored_limit:
        raise ValueError(
            f"this combination is too large to run quickly (about {work:.2g} multiply-adds "
            f"and {stored:.2g} stored numbers, limits {work_limit:.0g} and "
            f"{stored_limit:.0g}); {advice}"
        )


def scalar(value: Any) -> float | int | bool:
    """One output value as a plain Python ``bool``, ``int`` or finite ``float``."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    number = float(value)
    if not math.isfinite(number):
        raise ExperimentError(f"an output is not finite ({number}); the run diverged")
    return number


def make_result(
    experiment: Experiment | str,
    params: BaseModel,
    seed: int,
    outputs: Mapping[str, Any],
    series: Mapping[str, Series] | None = None,
    arrays: Mapping[str, Any] | None = None,
    *,
    declared: Mapping[str, str] | None = None,
) -> Result:
    """Build a :class:`Result`, converting outputs to plain scalars.

    When ``declared`` (an experiment's output descriptions) is given, the outputs
    must match it exactly, so the documentation never drifts from the numbers, and
    they are kept in its order.
    """
    name = experiment if isinstance(experiment, str) else experiment.name
    if declared is not None and set(outputs) != set(declared):
        missing = sorted(set(declared) - set(outputs))
        extra = sorted(set(outputs) - set(declared))
        raise ExperimentError(
            f"{name}: outputs do not match their descriptions: missing {missing}, undeclared {extra}"
        )
    order = list(declared) if declared is not None else list(outputs)
    converted = {key: scalar(outputs[key]) for key in order}
    return Result(
        experiment=name,
        params=params.model_dump(),
        seed=int(seed),
        outputs=converted,
        series=dict(series or {}),
        arrays={key: np.asarray(value) for key, value in (arrays or {}).items()},
    )
