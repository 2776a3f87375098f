"""NumPy mini-experiments: pure, seeded, fast functions behind every concept.

Import is cheap: the registry maps names to modules and imports an experiment only
when it is asked for. Nothing here imports Textual or any other part of studyreg.
"""

from studyreg.experiments.base import (
    Experiment,
    ExperimentError,
    ParameterError,
    Result,
    Series,
)
from studyreg.experiments.registry import (
    experiment_names,
    get_experiment,
    param_bounds,
    run_experiment,
    validate_params,
)

__all__ = [
    "Experiment",
    "ExperimentError",
    "ParameterError",
    "Result",
    "Series",
    "experiment_names",
    "get_experiment",
    "param_bounds",
    "run_experiment",
    "validate_params",
]
