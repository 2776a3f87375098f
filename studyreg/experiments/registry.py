"""Experiments by name, imported only when one is asked for.

Two sources: the built-ins below and installed plugins, which register through the
entry-point group ``studyreg.experiments`` (``name = "module:EXPERIMENT"``; installing
a package is the user's consent to run it). The TUI imports this module at start-up,
so it maps each name to ``"module:attribute"`` and imports the (heavier) experiment
module lazily. Pack-local experiments are not here: they never run in this process
(see ``studyreg.study.pack_code``).
"""

from __future__ import annotations

import difflib
import importlib
import math
import operator
import threading
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from studyreg.experiments.base import Experiment, ExperimentError, P, ParameterError, Result
from studyreg.experiments.spec import ExperimentSpec, describe, field_bounds, kind_of

__all__ = [
    "PLUGIN_GROUP",
    "builtin_names",
    "experiment_names",
    "experiment_spec",
    "plugin_problems",
    "refresh_plugins",
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
    "batch_norm": "studyreg.experiments.batch_norm:EXPERIMENT",
    "bagging": "studyreg.experiments.bagging:EXPERIMENT",
    "learning_curves": "studyreg.experiments.learning_curves:EXPERIMENT",
    "noise_injection": "studyreg.experiments.noise_injection:EXPERIMENT",
    "label_smoothing": "studyreg.experiments.label_smoothing:EXPERIMENT",
    "data_augmentation": "studyreg.experiments.data_augmentation:EXPERIMENT",
}

PLUGIN_GROUP = "studyreg.experiments"

_loaded: dict[str, Experiment] = {}
_lock = threading.Lock()
# name -> (distribution, "module:attribute"); found once, on first need.
_plugins: dict[str, tuple[str, str]] | None = None
_plugin_problems: list[str] = []


def _discover_plugins() -> dict[str, tuple[str, str]]:
    global _plugins
    if _plugins is not None:
        return _plugins
    from importlib.metadata import entry_points

    found: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    for point in sorted(entry_points(group=PLUGIN_GROUP), key=lambda p: p.name):
        dist = point.dist.name if point.dist is not None else "unknown distribution"
        if point.name in _LOCATIONS:
            problems.append(
                f"plugin {dist}: {point.name!r} would shadow the built-in experiment; ignored"
            )
        elif point.name in found:
            problems.append(
                f"plugin {dist}: {point.name!r} is already registered by {found[point.name][0]}; ignored"
            )
        else:
            found[point.name] = (dist, point.value)
    _plugins = found
    _plugin_problems[:] = problems
    return found


def refresh_plugins() -> None:
    """Forget the discovered plugins (after installing one in this process)."""
    global _plugins
    with _lock:
        _plugins = None
        for name in [n for n in _loaded if n not in _LOCATIONS]:
            del _loaded[name]


def plugin_problems() -> list[str]:
    """Entry points that were ignored, and why."""
    _discover_plugins()
    return list(_plugin_problems)


def builtin_names() -> list[str]:
    """Names of the built-in experiments (one module each), in curriculum order."""
    return list(_LOCATIONS)


def experiment_names() -> list[str]:
    """Names of every registered experiment: built-ins in curriculum order, then plugins."""
    return [*_LOCATIONS, *sorted(_discover_plugins())]


def _origin(name: str) -> tuple[str, str]:
    if name in _LOCATIONS:
        return "built-in", _LOCATIONS[name]
    dist, location = _discover_plugins()[name]
    return f"plugin {dist}", location


def experiment_spec(name: str) -> ExperimentSpec:
    """The plain-data description of experiment ``name``, naming where it comes from."""
    source, location = _origin(get_experiment(name).name)
    return describe(get_experiment(name), source, location)


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
    # Built-ins first: finding plugins scans every installed distribution (~30 ms).
    builtin = isinstance(name, str) and name in _LOCATIONS
    known = list(_LOCATIONS) if builtin else experiment_names()
    if not isinstance(name, str) or name not in known:
        hint = _suggestion(name, known) if isinstance(name, str) else ""
        raise ExperimentError(f"unknown experiment {name!r}{hint} known: {', '.join(known)}")
    with _lock:
        if name not in _loaded:
            source, location = _origin(name)
            _loaded[name] = _import_experiment(name, source, location)
        return _loaded[name]


def _import_experiment(name: str, source: str, location: str) -> Experiment:
    module_name, _, attribute = location.partition(":")
    try:
        experiment = getattr(importlib.import_module(module_name), attribute or "EXPERIMENT")
    except Exception as error:  # noqa: BLE001 - a broken plugin must not take the app down
        raise ExperimentError(
            f"{source}: cannot load experiment {name!r} from {location}: "
            f"{type(error).__name__}: {error}"
        ) from None
    if not isinstance(experiment, Experiment):
        raise ExperimentError(
            f"{source}: {location} is a {type(experiment).__name__}, not a studyreg Experiment"
        )
    if experiment.name != name:
        raise ExperimentError(f"{source}: entry {name!r} points at experiment {experiment.name!r}")
    return experiment


def _format_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if abs(value) >= 1 or value == 0 else repr(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def param_bounds(name: str) -> dict[str, tuple[float | None, float | None]]:
    """Lower and upper bound of every parameter of experiment ``name`` (``None``: unbounded)."""
    model = get_experiment(name).params_model
    return {key: field_bounds(info) for key, info in model.model_fields.items()}


def _range_text(model: type[BaseModel], key: str) -> str:
    info = model.model_fields[key]
    lower, upper = field_bounds(info)
    kind = {"int": "an integer", "float": "a number", "bool": "true or false"}.get(
        kind_of(info.annotation), "a value"
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
    return check_params(get_experiment(name), params)


def check_params(experiment: Experiment[P], params: Mapping[str, Any] | None) -> P:
    """:func:`validate_params` for an experiment object (registered or not)."""
    name = experiment.name
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


def check_seed(seed: Any) -> int:
    """``seed`` as a non-negative ``int``; ParameterError otherwise."""
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
    return int(seed)


def run_experiment(name: str, params: Mapping[str, Any] | None = None, seed: int = 0) -> Result:
    """Run experiment ``name`` at ``params`` (defaults for the rest) with ``seed``.

    Deterministic: the same name, parameters and seed give bit-identical outputs and
    arrays.

    Raises
    ------
    ExperimentError, ParameterError
        For an unknown experiment, a bad parameter or a negative seed.
    """
    seed = check_seed(seed)
    return run_with(get_experiment(name), params, seed)


def run_with(experiment: Experiment[P], params: Mapping[str, Any] | None, seed: int) -> Result:
    """:func:`run_experiment` for an experiment object (registered or not)."""
    seed = check_seed(seed)
    validated = check_params(experiment, params)
    import numpy as np

    # A diverging run (say lr = 1) is reported once, as a clear ExperimentError from
    # make_result; NumPy's overflow warnings on the way there would only be noise.
    # One BLAS thread, as the CLI sets before NumPy loads, so that a notebook gets the
    # same bits as `studyreg experiment` (threaded BLAS may sum in another order).
    with _one_blas_thread(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return experiment.run(validated, seed)


_controller: Any = None


def _one_blas_thread() -> Any:
    global _controller
    from threadpoolctl import ThreadpoolController

    if _controller is None:
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")
