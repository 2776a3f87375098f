"""NumPy mini-experiments: pure, seeded, fast functions behind every concept.

This module is the public experiment SDK (docs/experiment-sdk.md): an author writes an
:class:`Experiment` with a pydantic parameters model, declared outputs and a
``run(params, seed)`` that returns :func:`make_result`; :class:`Series` are plots and
arrays travel with the result. The built-in experiments use nothing else.

Import is cheap: the registry maps names to modules and imports an experiment only
when it is asked for. Nothing here imports Textual or any other part of studyreg.
"""

from studyreg.experiments.base import (
    Experiment,
    ExperimentError,
    ParameterError,
    Result,
    Series,
    check_cost,
    make_result,
)
from studyreg.experiments.registry import (
    PLUGIN_GROUP,
    experiment_names,
    experiment_spec,
    get_experiment,
    param_bounds,
    plugin_problems,
    refresh_plugins,
    run_experiment,
    validate_params,
)
from studyreg.experiments.spec import ExperimentSpec, ParamSpec, describe

__all__ = [
    "PLUGIN_GROUP",
    "Experiment",
    "ExperimentError",
    "ExperimentSpec",
    "ParamSpec",
    "ParameterError",
    "Result",
    "Series",
    "check_cost",
    "describe",
    "experiment_names",
    "experiment_spec",
    "get_experiment",
    "make_result",
    "param_bounds",
    "plugin_problems",
    "refresh_plugins",
    "run_experiment",
    "validate_params",
]
