"""``validate --strict`` on a pack's own experiments: do they keep the experiment contract?

Every experiment promises: the same parameters and seed give the same numbers; the
outputs are exactly the declared ones, and finite; every parameter has a default,
bounds (numbers) and a description; and a run at the defaults is quick enough for a
study session. Built-ins are held to this by the project's tests; pack code is held
to it here, by running it (in its sandbox, so only for a trusted pack).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from studyreg.content import Problem
from studyreg.experiments import ExperimentError, Result
from studyreg.study import lab

SLOW_SECONDS = 2.0


@dataclass
class ContractReport:
    problems: list[Problem] = field(default_factory=list)
    report: list[str] = field(default_factory=list)


def check_pack_experiments(root: str | Path) -> ContractReport:
    """Check every ``experiments/NAME.py`` of the (trusted) pack folder ``root``."""
    scope = str(Path(root).resolve())
    out = ContractReport()
    for name in lab.pack_experiment_names(scope):
        where = f"{scope}/experiments/{name}.py"

        def problem(message: str, severity: str = "error", where: str = where) -> None:
            out.problems.append(Problem(where, 1, 1, "EXPERIMENT", message, severity))

        try:
            handle = lab.resolve(name, scope)
        except lab.LockedExperiment:
            return out  # validate already says to trust the pack
        except ExperimentError as error:
            problem(str(error))
            continue
        for message in _param_problems(handle.spec):
            problem(message)
        if any(p.required for p in handle.spec.params):
            continue  # cannot run at defaults
        try:
            started = time.perf_counter()
            first = handle.run(handle.spec.defaults, 0)
            seconds = time.perf_counter() - started
            second = handle.run(handle.spec.defaults, 0)
        except ExperimentError as error:
            problem(f"a run at the default parameters failed: {error}")
            continue
        for message in _result_problems(handle.spec.outputs, first, second):
            problem(message)
        out.report.append(f"experiment {name} (pack): {seconds * 1e3:.0f} ms at its defaults")
        if seconds > SLOW_SECONDS:
            problem(
                f"a run at the defaults takes {seconds:.1f} s (over {SLOW_SECONDS:g} s): "
                "students wait for every variant; make it cheaper",
                "warning",
            )
    return out


def _param_problems(spec: lab.ExperimentSpec) -> list[str]:
    messages = []
    for param in spec.params:
        missing = []
        if param.required:
            missing.append("a default")
        if param.kind in ("int", "float") and (param.lower is None or param.upper is None):
            missing.append("both bounds (Field(ge=..., le=...))")
        if not param.description.strip():
            missing.append("a description")
        if missing:
            messages.append(f"parameter {param.name!r} needs {' and '.join(missing)}")
    return messages


def _result_problems(declared: dict[str, str], first: Result, second: Result) -> list[str]:
    messages = []
    missing = sorted(set(declared) - set(first.outputs))
    extra = sorted(set(first.outputs) - set(declared))
    if missing or extra:
        messages.append(
            f"outputs do not match their declaration: missing {missing}, undeclared {extra}"
        )
    for key, value in first.outputs.items():
        if isinstance(value, float) and not math.isfinite(value):
            messages.append(f"output {key!r} is not finite ({value})")
    if first.outputs != second.outputs:
        differing = sorted(k for k in first.outputs if first.outputs[k] != second.outputs.get(k))
        messages.append(
            f"two runs with the same parameters and seed differ in {differing}: draw every "
            "random number from np.random.default_rng(seed)"
        )
    elif not _same_arrays(first, second):
        messages.append(
            "two runs with the same parameters and seed give different arrays: draw every "
            "random number from np.random.default_rng(seed)"
        )
    return messages


def _same_arrays(first: Result, second: Result) -> bool:
    if set(first.arrays) != set(second.arrays) or set(first.series) != set(second.series):
        return False
    arrays = all(np.array_equal(first.arrays[k], second.arrays[k]) for k in first.arrays)
    series = all(
        np.array_equal(first.series[k].x, second.series[k].x)
        and np.array_equal(first.series[k].y, second.series[k].y)
        for k in first.series
    )
    return arrays and series
