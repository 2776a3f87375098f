"""Experiments as study sees them: cached runs and reproducible command lines."""

from __future__ import annotations

import shlex
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from studyreg.experiments import (
    Experiment,
    ExperimentError,
    ParameterError,
    Result,
    get_experiment,
    param_bounds,
    run_experiment,
    validate_params,
)

__all__ = [
    "ExperimentError",
    "ParameterError",
    "command_line",
    "experiment_for",
    "param_bounds",
    "run",
]

CACHE_SIZE = 256
_cache: OrderedDict[tuple[Any, ...], Result] = OrderedDict()
_lock = threading.Lock()


def experiment_for(name: str) -> Experiment:
    return get_experiment(name)


def _key(name: str, params: Mapping[str, Any], seed: int) -> tuple[Any, ...]:
    validated = validate_params(name, params).model_dump()
    return (name, tuple(sorted(validated.items())), int(seed))


def parallel_safe(name: str, scope: str | None = None) -> bool:
    """True when ``name`` (seen from ``scope``) runs in-process: a built-in or a plugin.

    Such runs may be spread over a process pool by calling
    ``studyreg.experiments.run_experiment`` there; pack-local experiments may not
    (they run only in their own isolated worker).
    """
    return True


def run(
    name: str,
    params: Mapping[str, Any] | None = None,
    seed: int = 0,
    *,
    scope: str | None = None,
) -> Result:
    """Run (or reuse) the experiment at these parameters and seed.

    ``scope`` is the folder of the pack naming the experiment (``ExperimentRef.scope``):
    a pack's own experiments are found there. Runs are pure functions of
    (name, params, seed), so a cached result is the same result. Raises
    ``ParameterError`` for a bad parameter.
    """
    key = _key(name, params or {}, seed)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = run_experiment(name, dict(key[1]), seed=key[2])
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def command_line(name: str, params: Mapping[str, Any], seed: int) -> str:
    """The ``studyreg experiment`` command that reproduces exactly this run."""
    defaults = get_experiment(name).params_model().model_dump()
    parts = ["studyreg", "experiment", name]
    for key, value in params.items():
        if key in defaults and defaults[key] == value:
            continue
        parts += ["--set", f"{key}={_format_value(value)}"]
    parts += ["--seed", str(int(seed))]
    return " ".join(shlex.quote(p) for p in parts)


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
