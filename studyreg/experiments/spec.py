"""What an experiment is, as plain data: its parameters, outputs and where it comes from.

A :class:`~studyreg.experiments.base.Experiment` holds live objects (a pydantic model,
a run function). An :class:`ExperimentSpec` is the same description as plain data, so
it can cross a process boundary as JSON (pack-local experiments are described by their
isolated worker) and be shown by the CLI, the app's parameter form and the docs alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import annotated_types
from pydantic import BaseModel

from studyreg.experiments.base import Experiment

__all__ = ["ExperimentSpec", "ParamSpec", "describe"]

_KINDS: dict[Any, str] = {int: "int", float: "float", bool: "bool", str: "str"}


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: its type, default, bounds (``None``: unbounded) and meaning."""

    name: str
    kind: str
    default: Any
    lower: float | None = None
    upper: float | None = None
    description: str = ""
    required: bool = False  # no default: a contract violation validate --strict reports

    def convert(self, value: Any) -> Any:
        """``value`` (or its text) as this parameter's type, within bounds; ParameterError."""
        from studyreg.experiments.base import ParameterError

        converted = _convert(self.kind, value)
        if converted is None:
            raise ParameterError(f"{self.name} = {value!r} is not valid: {self.range_text()}")
        numeric = isinstance(converted, int | float) and not isinstance(converted, bool)
        if numeric and (
            not math.isfinite(converted)
            or (self.lower is not None and converted < self.lower)
            or (self.upper is not None and converted > self.upper)
        ):
            raise ParameterError(f"{self.name} = {value} is out of range: {self.range_text()}")
        return converted

    def range_text(self) -> str:
        kind = {"int": "an integer", "float": "a number", "bool": "true or false"}.get(
            self.kind, "a value"
        )
        low, high = _number_text(self.lower), _number_text(self.upper)
        if self.lower is not None and self.upper is not None:
            return f"must be {kind} between {low} and {high}"
        if self.lower is not None:
            return f"must be {kind} >= {low}"
        if self.upper is not None:
            return f"must be {kind} <= {high}"
        return f"must be {kind}"


def _number_text(value: float | None) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _convert(kind: str, value: Any) -> Any:
    text = value.strip() if isinstance(value, str) else None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        return {"true": True, "false": False, "1": True, "0": False}.get((text or "").casefold())
    if kind == "int":
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(text) if text is not None else None
        except ValueError:
            return None
    if kind == "float":
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return float(value)
        try:
            return float(text) if text is not None else None
        except ValueError:
            return None
    return value if text is None else text


@dataclass(frozen=True)
class ExperimentSpec:
    """Everything a front end needs to show and run an experiment, as plain data.

    ``source`` says where the experiment comes from: ``"built-in"``,
    ``"plugin <distribution>"`` or ``"pack <folder>"``.
    """

    name: str
    summary: str
    objective: str
    params: tuple[ParamSpec, ...]
    outputs: dict[str, str]
    key_outputs: tuple[str, ...] = ()
    source: str = "built-in"
    location: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str) -> ParamSpec:
        for spec in self.params:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def param_names(self) -> list[str]:
        return [spec.name for spec in self.params]

    @property
    def bounds(self) -> dict[str, tuple[float | None, float | None]]:
        return {spec.name: (spec.lower, spec.upper) for spec in self.params}

    def check(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """``params`` (values may be typed text) converted and checked against each
        parameter's type and bounds, defaults filled in.

        This is what can be known without the experiment's own code: a check across
        parameters (a model validator) is left to the run. Raises ParameterError.
        """
        from studyreg.experiments.base import ParameterError

        known = {spec.name: spec for spec in self.params}
        for key in params:
            if key not in known:
                raise ParameterError(
                    f"unknown parameter {key!r} for {self.name} known: {', '.join(known)}"
                )
        checked = dict(self.defaults)
        for key, value in params.items():
            checked[key] = known[key].convert(value)
        return checked

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExperimentSpec:
        values = dict(data)
        values["params"] = tuple(ParamSpec(**p) for p in values.get("params", ()))
        values["key_outputs"] = tuple(values.get("key_outputs", ()))
        return cls(**values)


def field_bounds(info: Any) -> tuple[float | None, float | None]:
    """Lower and upper bound of a pydantic field (``ge``/``gt``, ``le``/``lt``)."""
    lower: Any = None
    upper: Any = None
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge | annotated_types.Gt):
            lower = item.ge if isinstance(item, annotated_types.Ge) else item.gt
        elif isinstance(item, annotated_types.Le | annotated_types.Lt):
            upper = item.le if isinstance(item, annotated_types.Le) else item.lt
    return lower, upper


def kind_of(annotation: Any) -> str:
    """``"int"``, ``"float"``, ``"bool"``, ``"str"`` or the annotation's name."""
    if annotation in _KINDS:
        return _KINDS[annotation]
    return str(getattr(annotation, "__name__", "value"))


def param_specs(model: type[BaseModel]) -> tuple[ParamSpec, ...]:
    """The parameters of a pydantic parameters model, in declaration order."""
    specs = []
    for name, info in model.model_fields.items():
        lower, upper = field_bounds(info)
        specs.append(
            ParamSpec(
                name=name,
                kind=kind_of(info.annotation),
                default=None if info.is_required() else info.get_default(call_default_factory=True),
                required=info.is_required(),
                lower=lower,
                upper=upper,
                description=info.description or "",
            )
        )
    return tuple(specs)


def describe(
    experiment: Experiment, source: str = "built-in", location: str = ""
) -> ExperimentSpec:
    """The plain-data description of ``experiment``."""
    params = param_specs(experiment.params_model)
    return ExperimentSpec(
        name=experiment.name,
        summary=experiment.summary,
        objective=experiment.objective,
        params=params,
        outputs=dict(experiment.outputs),
        key_outputs=tuple(experiment.key_outputs),
        source=source,
        location=location,
        defaults={spec.name: spec.default for spec in params},
    )
