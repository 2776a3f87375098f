"""The example pack examples/optimization: its own experiments and the claims it makes.

The experiments are loaded straight from their files (as the sandbox child does) and
compared with closed forms or independent computations; the pack's fact checks are
evaluated over many seeds at every parameter combination its computed questions draw.

``python tests/test_example_optimization.py`` prints every fact's hold counts over
seeds 1000-1049 and 5000-5049 and each experiment's run time.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studyreg.content import load_pack
from studyreg.experiments import Experiment
from studyreg.study.facts import check_fact, evaluation_env
from studyreg.study.verify import combinations

PACK = Path(__file__).resolve().parent.parent / "examples" / "optimization"
NAMES = ("lr_sweep", "heavy_ball", "adam_scaling", "lr_schedule", "gradient_noise")
SEED_BLOCKS = (range(1000, 1050), range(5000, 5050))


@cache
def experiment(name: str) -> Experiment:
    """``EXPERIMENT`` of ``experiments/NAME.py``, imported from its file like the sandbox does."""
    path = PACK / "experiments" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"optimization_pack_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.EXPERIMENT


def run(name: str, seed: int = 0, **params: Any):
    exp = experiment(name)
    return exp.run(exp.params_model(**params), seed)


def fact_holds(concept, params: dict[str, Any], seeds) -> dict[str, int]:
    """Fact id -> on how many of ``seeds`` its check holds at ``params``."""
    exp = experiment(concept.experiment.name)
    model = exp.params_model(**params)
    checked = [fact for fact in concept.facts if fact.check]
    held = dict.fromkeys((fact.id for fact in checked), 0)
    for seed in seeds:
        env = evaluation_env(exp.run(model, seed))
        for fact in checked:
            outcome = check_fact(fact, env)
            assert outcome.passed is not None
            held[fact.id] += bool(outcome.passed)
    return held


# --- the experiment files ---------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_file_defines_its_experiment_with_documented_params(name):
    exp = experiment(name)
    assert exp.name == name
    assert exp.objective and exp.summary
    assert set(exp.key_outputs) <= set(exp.outputs)
    for field, info in exp.params_model.model_fields.items():
        assert info.description, f"{name}.{field} has no description"
        assert not info.is_required(), f"{name}.{field} has no default"
    assert exp.params_model.model_config.get("extra") == "forbid"


@pytest.mark.parametrize("name", NAMES)
def test_pack_code_imports_only_the_public_sdk(name):
    source = (PACK / "experiments" / f"{name}.py").read_text()
    imports = [
        line.split()[1]
        for line in source.splitlines()
        if line.startswith(("import ", "from ")) and line.split()[1] != "__future__"
    ]
    assert imports, "no imports found"
    for module in imports:
        assert module in {"numpy", "pydantic", "math", "studyreg.experiments"}, module


@pytest.mark.parametrize("name", NAMES)
def test_run_is_deterministic_declared_and_finite(name):
    first, second = run(name, 7), run(name, 7)
    assert first.outputs == second.outputs
    assert first.outputs.keys() == experiment(name).outputs.keys()
    assert first.arrays.keys() == second.arrays.keys()
    for key, array in first.arrays.items():
        assert np.array_equal(array, second.arrays[key]), key
        if array.dtype.kind == "f":
            assert np.isfinite(array).all(), key
    for key, series in first.series.items():
        assert np.array_equal(series.y, second.series[key].y), key
        assert np.isfinite(series.x).all() and np.isfinite(series.y).all(), key
    for key, value in first.outputs.items():
        assert isinstance(value, bool) or math.isfinite(value), key
    assert run(name, 8).outputs != first.outputs


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("lr_sweep", {"n_samples": 20, "n_features": 30}, "must exceed n_features"),
        ("adam_scaling", {"n_samples": 40, "n_features": 40}, "must exceed n_features"),
        ("lr_schedule", {"n_steps": 100, "query_step": 100}, "must be below n_steps"),
        ("lr_schedule", {"n_samples": 50, "batch_size": 64}, "exceeds n_samples"),
    ],
)
def test_impossible_parameters_are_refused_with_a_reason(name, params, message):
    with pytest.raises(ValueError, match=message):
        experiment(name).params_model(**params)


def test_lr_sweep_threshold_is_two_over_the_largest_eigenvalue():
    result = run("lr_sweep", 3)
    X = result.arrays["X"]
    lam = np.linalg.eigvalsh(X.T @ X / len(X))
    assert result.outputs["stability.theory_threshold"] == pytest.approx(2 / lam[-1], rel=1e-12)
    assert result.outputs["stability.measured_threshold"] == pytest.approx(2 / lam[-1], rel=0.02)
    stable, grid = result.arrays["sweep.stable"], result.arrays["sweep.lr"]
    # Every rate below 2/λ_max converged and every rate above it did not.
    assert stable[grid < 0.99 * 2 / lam[-1]].all()
    assert not stable[grid > 1.01 * 2 / lam[-1]].any()


def test_lr_sweep_good_rate_reaches_the_least_squares_solution():
    result = run("lr_sweep", 4)
    X, y = result.arrays["X"], result.arrays["y"]
    w_opt = np.linalg.solve(X.T @ X, X.T @ y)
    assert np.allclose(result.arrays["good.w"], w_opt, atol=1e-8)
    assert result.outputs["large.diverged"] is True


def test_heavy_ball_tuning_matches_polyak():
    result = run("heavy_ball", 2, condition_number=50.0, dim=8)
    H = result.arrays["hessian"]
    lam = np.linalg.eigvalsh(H)
    assert lam[0] == pytest.approx(1.0, rel=1e-9) and lam[-1] == pytest.approx(50.0, rel=1e-9)
    root = math.sqrt(50.0)
    assert result.outputs["momentum.beta"] == pytest.approx(((root - 1) / (root + 1)) ** 2)
    assert result.outputs["momentum.lr"] == pytest.approx(4 / (root + 1) ** 2)
    assert result.outputs["gd.lr"] == pytest.approx(2 / 51)
    w_star = result.arrays["w_star"]
    start = np.linalg.norm(w_star)
    for key in ("gd.w", "momentum.w"):
        assert np.linalg.norm(result.arrays[key] - w_star) <= 1e-6 * start


def test_heavy_ball_gd_step_count_matches_its_contraction():
    # Along each eigenvector GD multiplies the error by 1 − lr·λ; the step count follows.
    result = run("heavy_ball", 5, condition_number=20.0, dim=6, tol=1e-5)
    H, w_star = result.arrays["hessian"], result.arrays["w_star"]
    lam, Q = np.linalg.eigh(H)
    coeffs = Q.T @ (-w_star)
    factors = 1 - result.outputs["gd.lr"] * lam
    t = np.arange(5000)[:, None]
    errors = np.linalg.norm(coeffs * factors**t, axis=1) / np.linalg.norm(w_star)
    assert result.outputs["gd.steps"] == int(np.flatnonzero(errors <= 1e-5)[0])


def test_adam_first_step_matches_a_hand_computation():
    result = run("adam_scaling", 1, adam_lr=0.02)
    X, y = result.arrays["X"], result.arrays["y"]
    g = -X.T @ y / len(y)
    # m̂ = g, v̂ = g² after bias correction, so the step is lr·g/(|g| + ε).
    expected = 0.02 * g / (np.abs(g) + 1e-8)
    assert np.allclose(result.arrays["adam.first_step"], expected, rtol=1e-12, atol=0)
    assert result.outputs["gradient.scale_spread"] == pytest.approx(
        np.abs(g).max() / np.abs(g).min()
    )


def test_adam_scaling_condition_numbers_match_eigvalsh():
    result = run("adam_scaling", 2, scale_ratio=30.0)
    X = result.arrays["X"]
    lam = np.linalg.eigvalsh(X.T @ X / len(X))
    Z = X / X.std(axis=0)
    lam_std = np.linalg.eigvalsh(Z.T @ Z / len(Z))
    assert result.outputs["hessian.condition_number"] == pytest.approx(lam[-1] / lam[0])
    assert result.outputs["hessian.condition_number_standardized"] == pytest.approx(
        lam_std[-1] / lam_std[0]
    )
    assert np.allclose(result.arrays["adam.w"], result.arrays["w_opt"], atol=1e-4)


def test_schedule_rates_follow_their_formulas():
    result = run(
        "lr_schedule", 0, n_steps=400, warmup_steps=20, step_every=100, peak_lr=0.04, query_step=210
    )
    t = np.arange(400)
    cosine = np.where(t < 20, 0.04 * (t + 1) / 20, 0.02 * (1 + np.cos(np.pi * (t - 20) / 380)))
    assert np.allclose(result.arrays["cosine.lr"], cosine, rtol=1e-12)
    assert np.allclose(result.arrays["step.lr"], 0.04 * 0.3 ** (t // 100), rtol=1e-12)
    assert result.outputs["cosine.lr_at_query"] == pytest.approx(0.02)  # halfway down


def test_schedule_sgd_steps_are_reproduced_by_hand():
    result = run("lr_schedule", 6, n_steps=60, query_step=10, warmup_steps=5)
    X, y, batches = result.arrays["X"], result.arrays["y"], result.arrays["batches"]
    w = np.zeros(X.shape[1])
    for t, rows in enumerate(batches):
        w = w - result.arrays["cosine.lr"][t] * X[rows].T @ (X[rows] @ w - y[rows]) / len(rows)
    assert np.allclose(result.arrays["cosine.w"], w, rtol=1e-10, atol=1e-12)


def test_gradient_noise_variance_scales_like_one_over_b():
    result = run("gradient_noise", 1)
    G, g = result.arrays["per_example_gradients"], result.arrays["gradient"]
    X, y, w = result.arrays["X"], result.arrays["y"], result.arrays["w"]
    assert np.allclose(g, X.T @ (X @ w - y) / len(y))
    sigma2 = ((G - g) ** 2).sum(axis=1).mean()
    assert result.outputs["noise.per_example_variance"] == pytest.approx(sigma2)
    sizes = result.series["noise.measured"].x
    measured = result.series["noise.measured"].y
    n = len(y)
    expected = sigma2 / sizes * (n - sizes) / (n - 1)
    assert np.allclose(measured / expected, 1, atol=0.2)
    assert measured[0] / measured[-1] == pytest.approx(sizes[-1] / sizes[0], rel=0.3)


# --- the pack -----------------------------------------------------------------------


def test_pack_loads_with_five_concepts_each_backed_by_its_own_experiment():
    pack = load_pack(PACK)
    assert [c.experiment.name for c in pack.concepts] == list(NAMES)
    for concept in pack.concepts:
        types = {question.type for question in concept.questions}
        assert "computed" in types, concept.id
        assert any(fact.check for fact in concept.facts), concept.id
    assert sum(len(c.questions) for c in pack.concepts) >= 25


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_facts_hold_at_every_combination(name):
    pack = load_pack(PACK)
    (concept,) = [c for c in pack.concepts if c.experiment.name == name]
    for params in combinations(concept):
        held = fact_holds(concept, params, range(1000, 1050))
        failing = {fact: count for fact, count in held.items() if count < 48}
        assert not failing, f"{params}: {failing} of 50"


def _report() -> None:
    pack = load_pack(PACK)
    for concept in pack.concepts:
        name = concept.experiment.name
        exp = experiment(name)
        model = exp.params_model(**concept.experiment.params)
        exp.run(model, 0)
        times = []
        for seed in range(20):
            start = time.perf_counter()
            exp.run(model, seed)
            times.append(time.perf_counter() - start)
        print(
            f"\n{concept.id} ({name}): median {1000 * np.median(times):.1f} ms, "
            f"max {1000 * max(times):.1f} ms per run at the concept's params"
        )
        for params in combinations(concept):
            changed = {k: v for k, v in params.items() if concept.experiment.params.get(k) != v}
            counts = [fact_holds(concept, params, seeds) for seeds in SEED_BLOCKS]
            cells = ", ".join(
                f"{fact} {counts[0][fact]}/50 + {counts[1][fact]}/50" for fact in counts[0]
            )
            print(f"  {changed or 'concept params'}: {cells}")


if __name__ == "__main__":
    _report()
