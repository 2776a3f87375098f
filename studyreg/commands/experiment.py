"""``studyreg experiment``: list, describe and run the NumPy mini-experiments."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.commands._common import add_common_options

    parser = subparsers.add_parser(
        "experiment",
        help="run a NumPy mini-experiment and print its outputs",
        description="Run a mini-experiment and print its outputs. Same parameters and seed, "
        "same numbers. Use --list to see the experiments and NAME --params to see a "
        "parameter's default, bounds and meaning.",
        epilog="example: studyreg experiment l1_vs_l2 --set alpha_l1=0.2 --seed 3 --json; "
        "a pack's own experiment: studyreg experiment NAME --pack PATH (after studyreg trust PATH)",
    )
    add_common_options(parser)
    parser.add_argument("name", nargs="?", metavar="NAME", help="the experiment to run")
    parser.add_argument(
        "--list", action="store_true", help="list the experiments with a one-line summary"
    )
    parser.add_argument(
        "--params",
        action="store_true",
        help="show NAME's parameters (default, bounds, meaning) and outputs",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="assignments",
        help="set a parameter (repeatable), e.g. --set alpha_l1=0.2",
    )
    parser.add_argument(
        "--seed", default="0", metavar="N", help="random seed, a non-negative integer (default 0)"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: experiment, params, seed, outputs",
    )
    parser.add_argument(
        "--npz", metavar="PATH", help="also write every named array to PATH (numpy .npz)"
    )
    parser.set_defaults(handler=run)


def _format_value(value: Any) -> str:
    from studyreg.study.values import display_value

    return display_value(value)


def _table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def _scopes(args: argparse.Namespace) -> list[str]:
    """The folders of the packs studyreg would load (--pack, else the bundled pack, and
    $STUDYREG_PACKS): where pack-local experiments are looked up."""
    from studyreg.content import resolve_pack_paths

    paths = resolve_pack_paths(getattr(args, "packs", None) or None)
    return [str(p.resolve()) for p in paths if p.is_dir()]


def _list_experiments(scopes: list[str]) -> int:
    from studyreg.experiments import experiment_names, experiment_spec, plugin_problems
    from studyreg.study import lab

    rows = [("name", "source", "summary")]
    for name in experiment_names():
        try:
            spec = experiment_spec(name)
            rows.append((name, spec.source, spec.summary))
        except lab.ExperimentError as error:
            rows.append((name, "plugin (broken)", str(error)))
    for scope in scopes:
        for name in lab.pack_experiment_names(scope):
            where = f"pack {scope}/experiments/{name}.py"
            try:
                rows.append((name, where, lab.spec(name, scope).summary))
            except lab.ExperimentError as error:
                rows.append((name, where, f"[not run: {error}]"))
    print(_table(rows))
    for problem in plugin_problems():
        print(f"note: {problem}", file=sys.stderr)
    print(
        "\nrun one: studyreg experiment NAME [--set KEY=VALUE ...] [--seed N]; see NAME --params"
        "\na pack's own experiments: add --pack PATH"
    )
    return 0


def _describe(spec: Any) -> int:
    print(f"{spec.name}: {spec.summary}")
    print(f"source: {spec.source}" + (f" ({spec.location})" if spec.location else ""))
    print(f"objective: {spec.objective}\n")
    print("parameters:")
    rows = [("  name", "type", "default", "range", "meaning")]
    for param in spec.params:
        span = f"[{_format_value(param.lower)}, {_format_value(param.upper)}]"
        rows.append(
            (f"  {param.name}", param.kind, _format_value(param.default), span, param.description)
        )
    print(_table(rows))
    print("\noutputs:")
    print(_table([(f"  {key}", text) for key, text in spec.outputs.items()]))
    return 0


def _resolve(name: str, scopes: list[str]) -> tuple[Any, str | None]:
    """The experiment ``name`` from the first --pack that has it, else a built-in/plugin."""
    from studyreg.study import lab

    for scope in scopes:
        if name in lab.pack_experiment_names(scope):
            return lab.resolve(name, scope), scope
    return lab.resolve(name, scopes[0] if scopes else None), None


def _parse_assignments(assignments: list[str]) -> dict[str, str] | str:
    params: dict[str, str] = {}
    for item in assignments:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            return f"--set needs KEY=VALUE, got {item!r}"
        params[key] = value.strip()
    return params


def run(args: argparse.Namespace) -> int:
    from studyreg.commands.errors import fail

    scopes = _scopes(args)
    if args.list:
        return _list_experiments(scopes)
    if not args.name:
        return fail("name an experiment (see `studyreg experiment --list`)")

    from studyreg.study import lab

    try:
        handle, scope = _resolve(args.name, scopes)
    except lab.ExperimentError as error:
        return fail(str(error))
    experiment = handle.spec
    if args.params:
        return _describe(experiment)
    params = _parse_assignments(args.assignments)
    if isinstance(params, str):
        return fail(params)
    seed_text = str(args.seed).strip()
    if not seed_text.isdigit():
        return fail(f"--seed must be a non-negative integer, got {args.seed!r}")
    try:
        result = lab.run(args.name, params, int(seed_text), scope=scope)
    except lab.ExperimentError as error:
        return fail(str(error))

    if args.npz:
        written = _write_npz(args.npz, result.arrays)
        if written is not None:
            return fail(written)
    if args.json:
        payload = {
            "experiment": result.experiment,
            "params": result.params,
            "seed": result.seed,
            "outputs": result.outputs,
        }
        print(json.dumps(payload, indent=2))
    else:
        _print_result(experiment, result)
    if args.npz:
        print(f"wrote {len(result.arrays)} arrays to {args.npz}", file=sys.stderr)
    return 0


def _write_npz(path: str, arrays: dict) -> str | None:
    import numpy as np

    try:
        with open(path, "wb") as handle:
            np.savez(handle, **arrays)
    except OSError as error:
        return f"cannot write {path}: {error.strerror or error}"
    return None


def _print_result(experiment: Any, result: Any) -> None:
    settings = " ".join(f"{key}={_format_value(value)}" for key, value in result.params.items())
    print(f"{result.experiment} (seed {result.seed}): {experiment.summary}")
    print(f"params: {settings}\n")
    rows = [("output", "value", "meaning")]
    rows += [
        (key, _format_value(value), experiment.outputs.get(key, ""))
        for key, value in result.outputs.items()
    ]
    print(_table(rows))
