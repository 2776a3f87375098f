"""Experiments by name, imported only when one is asked for.

The TUI imports this module at start-up, so it maps each name to
``"module:attribute"`` and imports the (heavier) experiment module lazily.
"""

from __future__ import annotations

import difflib
import importlib
import math
import operator
import threading
from collections.abc import Mapping
from typing import Any

import annotated_types
from pydantic import BaseModel, ValidationError

from studyreg.experiments.base import Experiment, ExperimentError, ParameterError, Result

__all__ = [
    "experiment_names",
    "get_experiment",
    "param_bounds",
    "run_experiment",
    "validate_params",
]

# Curriculum order: what `studyreg experiment --list` shows.
_LOCATIONS: dict[str, str] = {
    "l1_vs_l2": "studyreg.experiments.l1_vs_l2:EXPERIMENT",
    "reg_path": "studyreg.experiments.reg_path:EXPERIMENT",
    "dropout": "studyreg.experiments.dropout:EXPERIMENT",
    "cnn_dropout": "studyreg.experiments.cnn_dropout:EXPERIMENT",
    "weight_decay": "studyreg.experiments.weight_decay:EXPERIMENT",
    "early_stopping": "studyreg.experiments.early_stopping:EXPERIMENT",
}

_loaded: dict[str, Experiment] = {}
_lock = threading.Lock()


def experiment_names() -> list[str]:
    """Names of every registered experiment, in curriculum order."""
    return list(_LOCATIONS)


def _suggestion(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def get_experiment(name: str) -> Experiment:
    """The experiment registered under ``name``.

    Raises
    ------
    ExperimentError
        If no experiment has that name; the message lists the known names.
    """
    if not isinstance(name, str) or name not in _LOCATIONS:
        known = experiment_names()
        hint = _suggestion(name, known) if isinstance(name, str) else ""
        raise ExperimentError(f"unknown experiment {name!r}{hint} known: {', '.join(known)}")
    with _lock:
        if name not in _loaded:
            module_name, _, attribute = _LOCATIONS[name].partition(":")
            experiment = getattr(importlib.import_module(module_name), attribute)
            if experiment.name != name:
                raise ExperimentError(
                    f"registry entry {name!r} points at experiment {experiment.name!r}"
                )
            _loaded[name] = experiment
        return _loaded[name]


def _format_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if abs(value) >= 1 or value == 0 else repr(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _field_bounds(info: Any) -> tuple[float | None, float | None]:
    lower = upper = None
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge | annotated_types.Gt):
            lower = item.ge if isinstance(item, annotated_types.Ge) else item.gt
        elif isinstance(item, annotated_types.Le | annotated_types.Lt):
            upper = item.le if isinstance(item, annotated_types.Le) else item.lt
    return lower, upper


def param_bounds(name: str) -> dict[str, tuple[float | None, float | None]]:
    """Lower and upper bound of every parameter of experiment ``name`` (``None``: unbounded)."""
    model = get_experiment(name).params_model
    return {key: _field_bounds(info) for key, info in model.model_fields.items()}


def _range_text(model: type[BaseModel], key: str) -> str:
    info = model.model_fields[key]
    lower, upper = _field_bounds(info)
    kind = {int: "an integer", float: "a number", bool: "true or false"}.get(
        info.annotation, "a value"
    )
    if lower is not None and upper is not None:
        return f"must be {kind} between {_format_number(lower)} and {_format_number(upper)}"
    if lower is not None:
        return f"must be {kind} >= {_format_number(lower)}"
    if upper is not None:
        return f"must be {kind} <= {_format_number(upper)}"
    return f"must be {kind}"


def _describe_errors(name: str, model: type[BaseModel], error: ValidationError) -> str:
    messages = []
    for item in error.errors():
        loc = item.get("loc") or ()
        key = str(loc[0]) if loc else ""
        if key in model.model_fields:
            value = item.get("input")
            out_of_range = item["type"] in _RANGE_ERRORS
            if isinstance(value, int | float):
                shown = _format_number(value)
            else:  # a typed string is shown as typed when it parsed but is out of range
                shown = str(value) if out_of_range else repr(value)
            what = "is out of range" if out_of_range else "is not valid"
            messages.append(f"{key} = {shown} {what}: {_range_text(model, key)}")
        else:
            # A check across parameters (a model validator): its own words.
            text = str(item.get("msg", "invalid parameters")).removeprefix("Value error, ")
            messages.append(f"{name}: {text}")
    return "; ".join(messages)


_RANGE_ERRORS = {
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "finite_number",
}


def validate_params(name: str, params: Mapping[str, Any] | None) -> BaseModel:
    """Parameters for experiment ``name``, checked and with defaults filled in.

    Values may be strings (as typed on a command line); they are converted to the
    type each parameter needs.

    Raises
    ------
    ExperimentError
        If the experiment is unknown.
    ParameterError
        If a key is unknown (with a suggestion) or a value is invalid or out of range
        (naming the key, the value and the allowed range).
    """
    experiment = get_experiment(name)
    model = experiment.params_model
    params = dict(params or {})
    known = list(model.model_fields)
    for key in params:
        if key not in model.model_fields:
            hint = _suggestion(str(key), known) if isinstance(key, str) else ""
            raise ParameterError(
                f"unknown parameter {key!r} for {name}{hint} known: {', '.join(known)}"
            )
    for key, value in params.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise ParameterError(
                f"{key} = {value} is not a finite number: {_range_text(model, key)}"
            )
    try:
        return model.model_validate(params)
    except ValidationError as error:
        raise ParameterError(_describe_errors(name, model, error)) from None


def run_experiment(name: str, params: Mapping[str, Any] | None = None, seed: int = 0) -> Result:
    """Run experiment ``name`` at ``params`` (defaults for the rest) with ``seed``.

    Deterministic: the same name, parameters and seed give bit-identical outputs and
    arrays.

    Raises
    ------
    ExperimentError, ParameterError
        For an unknown experiment, a bad parameter or a negative seed.
    """
    try:
        if isinstance(seed, bool):
            raise TypeError
        seed = operator.index(seed)
    except TypeError:
        raise ParameterError(
            f"seed = {seed!r} is not valid: must be a non-negative integer"
        ) from None
    if seed < 0:
        raise ParameterError(f"seed = {seed} is out of range: must be a non-negative integer")
    validated = validate_params(name, params)
    experiment = get_experiment(name)
    import numpy as np

    # A diverging run (say lr = 1) is reported once, as a clear ExperimentError from
    # make_result; NumPy's overflow warnings on the way there would only be noise.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return experiment.run(validated, seed)
