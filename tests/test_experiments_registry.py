"""The registry: names, parameter checks, result contract, determinism, docs."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from studyreg.errors import StudyregError
from studyreg.experiments import (
    ExperimentError,
    ParameterError,
    Series,
    experiment_names,
    get_experiment,
    param_bounds,
    run_experiment,
    validate_params,
)
from studyreg.experiments.reference import render_markdown
from studyreg.experiments.registry import _LOCATIONS, builtin_names

NAMES = builtin_names()
DOCS = Path(__file__).resolve().parent.parent / "docs" / "experiments.md"
TOOLBOX = Path(__file__).resolve().parent.parent / "studyreg" / "experiments" / "toolbox"


@pytest.fixture(scope="module")
def default_runs() -> dict:
    return {name: run_experiment(name) for name in NAMES}


def test_the_built_ins_come_first_one_module_each_beside_the_toolbox() -> None:
    assert len(NAMES) >= 6
    assert experiment_names()[: len(NAMES)] == NAMES
    toolbox = {path.stem for path in TOOLBOX.glob("*.py")}
    for name in NAMES:
        assert _LOCATIONS[name] == f"studyreg.experiments.{name}:EXPERIMENT", name
        assert name not in toolbox, name
        assert get_experiment(name).name == name


def test_no_experiment_needs_a_type_ignore_to_register() -> None:
    # Experiment is generic over its parameters model: run(params: Params, seed) fits.
    for name in NAMES:
        source = (TOOLBOX.parent / f"{name}.py").read_text()
        assert "type: ignore" not in source, name


def test_unknown_experiment_names_the_close_match_and_the_known_ones() -> None:
    with pytest.raises(
        ExperimentError,
        match=r"unknown experiment 'l1_vs_l3'; did you mean 'l1_vs_l2'\? known: l1_vs_l2, reg_path",
    ):
        get_experiment("l1_vs_l3")


def test_unknown_parameter_suggests_the_right_one() -> None:
    with pytest.raises(ParameterError) as caught:
        validate_params("l1_vs_l2", {"alpah_l1": 0.1})
    assert str(caught.value).startswith(
        "unknown parameter 'alpah_l1' for l1_vs_l2; did you mean 'alpha_l1'? known: n_samples,"
    )


def test_out_of_range_value_names_the_key_the_value_and_the_range() -> None:
    with pytest.raises(
        ParameterError,
        match=r"^alpha_l1 = 50 is out of range: must be a number between 1e-05 and 10$",
    ):
        validate_params("l1_vs_l2", {"alpha_l1": 50})


def test_wrong_type_names_the_expected_type() -> None:
    with pytest.raises(
        ParameterError,
        match=r"n_samples = 'many' is not valid: must be an integer between 20 and 2000",
    ):
        validate_params("l1_vs_l2", {"n_samples": "many"})
    with pytest.raises(ParameterError, match="n_samples = 2.5 is not valid"):
        validate_params("l1_vs_l2", {"n_samples": 2.5})


def test_non_finite_value_is_rejected() -> None:
    with pytest.raises(ParameterError, match="noise = nan is not a finite number"):
        validate_params("l1_vs_l2", {"noise": float("nan")})


def test_cross_parameter_rule_is_explained() -> None:
    with pytest.raises(
        ParameterError, match=r"n_informative \(30\) must be at most n_features \(20\)"
    ):
        validate_params("l1_vs_l2", {"n_informative": 30})


def test_parameter_error_is_an_experiment_error_and_a_domain_error() -> None:
    assert issubclass(ParameterError, ExperimentError)
    assert issubclass(ExperimentError, StudyregError)
    assert not issubclass(ExperimentError, ValueError)


def test_strings_are_converted_to_the_declared_types() -> None:
    params = validate_params("l1_vs_l2", {"n_samples": "60", "alpha_l1": "0.25"})
    assert params.n_samples == 60 and isinstance(params.n_samples, int)
    assert params.alpha_l1 == 0.25


def test_param_bounds_lists_every_parameter() -> None:
    bounds = param_bounds("l1_vs_l2")
    assert bounds["alpha_l1"] == (1e-5, 10.0)
    assert bounds["n_samples"] == (20, 2000)
    assert set(bounds) == set(get_experiment("l1_vs_l2").params_model.model_fields)


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_has_a_default_bounds_and_a_description(name: str) -> None:
    model = get_experiment(name).params_model
    assert model.model_config.get("extra") == "forbid"
    defaults = model()
    for key, info in model.model_fields.items():
        low, high = param_bounds(name)[key]
        assert low is not None and high is not None, key
        assert low <= getattr(defaults, key) <= high, key
        assert info.description, key


@pytest.mark.parametrize("name", NAMES)
def test_outputs_are_plain_finite_scalars_and_all_described(name: str, default_runs: dict) -> None:
    experiment, result = get_experiment(name), default_runs[name]
    assert list(result.outputs) == list(experiment.outputs)
    assert set(experiment.key_outputs) <= set(experiment.outputs)
    for key, value in result.outputs.items():
        assert type(value) in (int, float, bool), key
        if isinstance(value, float):
            assert math.isfinite(value), key
    assert result.params == experiment.params_model().model_dump()
    assert all(isinstance(series, Series) for series in result.series.values())
    assert all(isinstance(array, np.ndarray) for array in result.arrays.values())


def test_counts_are_ints_and_flags_are_bools(default_runs: dict) -> None:
    outputs = default_runs["l1_vs_l2"].outputs
    assert type(outputs["lasso.n_zero"]) is int
    assert type(outputs["lasso.support_recovered"]) is bool
    assert type(outputs["lasso.val_mse"]) is float
    assert outputs["lasso.n_zero"] + outputs["lasso.n_nonzero"] == outputs["n_features"]


def test_l1_vs_l2_has_the_arrays_packs_and_the_cli_promise(default_runs: dict) -> None:
    arrays = default_runs["l1_vs_l2"].arrays
    expected = {
        "X_train",
        "y_train",
        "X_val",
        "y_val",
        "true_coef",
        "lasso.coef",
        "lasso.intercept",
        "ridge.coef",
        "ridge.intercept",
    }
    assert expected <= set(arrays)
    assert arrays["X_train"].shape == (70, 20)
    assert (
        np.count_nonzero(arrays["lasso.coef"] == 0.0)
        == default_runs["l1_vs_l2"].outputs["lasso.n_zero"]
    )


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_gives_bit_identical_results(name: str, default_runs: dict) -> None:
    again = run_experiment(name, seed=0)
    first = default_runs[name]
    assert again.outputs == first.outputs
    assert again.arrays.keys() == first.arrays.keys()
    for key in first.arrays:
        assert np.array_equal(again.arrays[key], first.arrays[key]), key


@pytest.mark.parametrize("name", NAMES)
def test_another_seed_gives_other_data(name: str, default_runs: dict) -> None:
    other = run_experiment(name, seed=1)
    first = default_runs[name]
    data_key = next(key for key in ("X_train", "X") if key in first.arrays)
    assert not np.array_equal(other.arrays[data_key], first.arrays[data_key])


def test_negative_seed_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="seed"):
        run_experiment("l1_vs_l2", seed=-1)


def test_numpy_integer_seed_is_accepted() -> None:
    assert run_experiment("weight_decay", seed=np.int64(3)).seed == 3


def test_importing_the_package_loads_no_experiment_module_and_no_textual() -> None:
    code = (
        "import sys, studyreg.experiments as e; e.experiment_names();"
        "print(sorted(m for m in sys.modules if m.startswith(('studyreg.experiments.', 'textual', 'studyreg.content', 'studyreg.study', 'studyreg.tui', 'studyreg.grading'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == (
        "['studyreg.experiments.base', 'studyreg.experiments.registry', 'studyreg.experiments.spec']"
    )


def test_running_every_experiment_imports_no_other_part_of_studyreg() -> None:
    code = (
        "import sys, studyreg.experiments as e\n"
        "for name in e.experiment_names(): e.get_experiment(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('textual', 'studyreg.content', 'studyreg.study', 'studyreg.tui', 'studyreg.grading', 'sklearn'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_docs_reference_matches_the_registry() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), (
        "docs/experiments.md is stale: run `python -m studyreg.experiments.reference > docs/experiments.md`"
    )


@pytest.mark.parametrize("name", NAMES)
def test_docs_name_every_output_and_parameter(name: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
    experiment = get_experiment(name)
    for key in [*experiment.outputs, *experiment.params_model.model_fields]:
        assert f"| `{key}` |" in section, key


def test_built_in_experiments_use_the_public_sdk_for_what_an_author_uses() -> None:
    import ast
    from pathlib import Path

    import studyreg.experiments as sdk
    from studyreg.experiments import experiment_names
    from studyreg.experiments.registry import _LOCATIONS

    for name in experiment_names():
        module = _LOCATIONS[name].partition(":")[0]
        path = Path(sdk.__file__).parent / f"{module.rsplit('.', 1)[1]}.py"
        imports = [
            node
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom)
        ]
        # Experiment, Series, make_result and the errors come from the SDK, as in a pack;
        # the rest of what they import is the numerical toolbox beside them.
        assert all(node.module != "studyreg.experiments.base" for node in imports), name
        assert any(node.module == "studyreg.experiments" for node in imports), name


def test_the_cost_budget_refuses_with_the_estimate_the_limit_and_the_advice() -> None:
    from studyreg.experiments import check_cost

    check_cost(1e9, 2e9, "lower n")
    with pytest.raises(ValueError) as caught:
        check_cost(3.2e9, 2e9, "lower n_epochs")
    assert str(caught.value) == (
        "this combination is too large to run quickly (about 3.2e+09 multiply-adds, "
        "limit 2e+09); lower n_epochs"
    )
    check_cost(1e9, 2e9, "lower n", stored=1e6, stored_limit=1e7)
    with pytest.raises(ValueError, match=r"and 2e\+07 stored numbers, limits 2e\+09 and 1e\+07"):
        check_cost(1e9, 2e9, "lower n", stored=2e7, stored_limit=1e7)


@pytest.mark.parametrize(
    ("name", "params", "advice"),
    [
        (
            "dropout",
            {"n_epochs": 2000, "n_train": 2000, "n_hidden": 256, "eval_every": 1},
            "n_hidden",
        ),
        ("cnn_dropout", {"n_epochs": 2000, "eval_every": 1}, "n_filters"),
        ("early_stopping", {"n_epochs": 20000, "n_features": 1000, "n_val": 2000}, "n_features"),
    ],
)
def test_too_costly_parameters_are_a_parameter_error_naming_what_to_lower(
    name: str, params: dict, advice: str
) -> None:
    bounds = param_bounds(name)
    params = {key: min(value, bounds[key][1] or value) for key, value in params.items()}
    with pytest.raises(ParameterError, match=f"^{name}: this combination is too large") as caught:
        validate_params(name, params)
    assert advice in str(caught.value)
