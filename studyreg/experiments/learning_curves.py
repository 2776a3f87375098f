"""``learning_curves``: training and validation error against the training-set size.

Two polynomial least-squares models learn the same noisy 1-D target,
``y = sin(3x) + noise·ε`` with ``x`` uniform on [−1, 1]: a *simple* one (low degree,
high bias) and a *flexible* one (high degree, high variance). Each is fitted at several
training-set sizes, ``n_repeats`` times on fresh data, and its error is measured on the
training set and on fresh data. The fresh-data (validation) error is computed exactly,
by Gauss–Legendre quadrature of ``(f(x) − sin 3x)²`` plus the noise variance, so the
curves carry no validation-sampling noise and the noise floor is exactly ``noise²``.

The closed forms the curves are compared with:

* the **noise floor** ``noise²``: no model can do better on fresh data;
* the **bias floor** of a degree-``d`` model: ``noise² + min_p E[(p(x) − sin 3x)²]`` over
  polynomials ``p`` of degree ``d``, the error of the best model of that class (the
  target's Legendre projection), which a high-bias model's validation error levels at;
* the **expected training error** of least squares with ``k`` weights on ``n`` points
  when the model class holds the target: ``noise²·(1 − k/n)`` (the fit absorbs ``k`` of
  the ``n`` noise dimensions).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result
from studyreg.experiments.toolbox.datasets import wavy_regression
from studyreg.experiments.toolbox.polynomial import (
    fit_polynomial,
    legendre_features,
    mean_square,
    projection_error,
)

# Size of the fitting work (rows × weights², summed) above which a run is too slow.
WORK_BUDGET = 5e8


class Params(BaseModel):
    """Parameters of ``learning_curves``."""

    model_config = ConfigDict(extra="forbid")

    noise: float = Field(
        0.5, ge=0.05, le=3.0, description="standard deviation of the noise on the target"
    )
    simple_degree: int = Field(
        1, ge=0, le=5, description="degree of the simple (high-bias) polynomial model"
    )
    flexible_degree: int = Field(
        12, ge=2, le=20, description="degree of the flexible (high-variance) polynomial model"
    )
    n_min: int = Field(30, ge=5, le=500, description="smallest training-set size")
    n_max: int = Field(960, ge=10, le=5000, description="largest training-set size")
    n_sizes: int = Field(
        6, ge=2, le=12, description="training-set sizes, spaced evenly on a log scale"
    )
    n_repeats: int = Field(
        20,
        ge=1,
        le=100,
        description="independent training sets per size; errors are averaged over them",
    )
    alpha: float = Field(
        1e-6,
        ge=0.0,
        le=1.0,
        description="tiny ridge strength that keeps the flexible fit well-posed (sklearn's Ridge alpha)",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Params:
        if self.simple_degree >= self.flexible_degree:
            raise ValueError(
                f"simple_degree ({self.simple_degree}) must be below flexible_degree "
                f"({self.flexible_degree})"
            )
        if self.n_max <= self.n_min:
            raise ValueError(f"n_max ({self.n_max}) must be larger than n_min ({self.n_min})")
        if self.n_min <= self.flexible_degree + 1:
            raise ValueError(
                f"n_min ({self.n_min}) must exceed the flexible model's weight count "
                f"(flexible_degree + 1 = {self.flexible_degree + 1}), or its training error "
                "is exactly zero at every size"
            )
        sizes = np.geomspace(self.n_min, self.n_max, self.n_sizes)
        work = self.n_repeats * float(sizes.sum()) * (self.flexible_degree + 1) ** 2 * 2
        if work > WORK_BUDGET:
            raise ValueError(
                f"this combination is too large to run quickly (about {work:.2g} operations, "
                f"limit {WORK_BUDGET:.0g}); lower n_repeats, n_max or flexible_degree"
            )
        return self


def _model_outputs(model: str, what: str) -> dict[str, str]:
    mean = "mean over the repeats"
    return {
        f"{model}.degree": f"degree of the {what} polynomial",
        f"{model}.n_weights": f"weights the {what} model fits (degree + 1, with the intercept)",
        f"{model}.train_at_min": f"{what} model: training MSE at the smallest size, {mean}",
        f"{model}.val_at_min": f"{what} model: validation MSE (exact) at the smallest size, {mean}",
        f"{model}.gap_at_min": f"{what} model: validation − training MSE at the smallest size",
        f"{model}.train_at_max": f"{what} model: training MSE at the largest size, {mean}",
        f"{model}.val_at_max": f"{what} model: validation MSE (exact) at the largest size, {mean}",
        f"{model}.gap_at_max": f"{what} model: validation − training MSE at the largest size",
        f"{model}.bias_floor": (
            f"closed form: noise² + the squared error of the best degree-d polynomial "
            f"(Legendre projection of sin 3x): the {what} model's lowest possible validation MSE"
        ),
        f"{model}.gap_shrinks": f"{what} model: the gap is smaller at every larger size than at the one before",
    }


OUTPUTS = {
    "noise_floor": "noise²: the validation MSE of the true function, the best any model can do",
    "n_min": "smallest training-set size",
    "n_max": "largest training-set size",
    **_model_outputs("simple", "simple"),
    **_model_outputs("flexible", "flexible"),
    "flexible.expected_train_at_min": (
        "closed form noise²·(1 − k/n) at the smallest size (k = flexible weights): the expected "
        "training MSE of least squares when the model class holds the target"
    ),
    "crossover_n": (
        "smallest training-set size at which the flexible model's validation MSE is below the "
        "simple model's (0 if it never is)"
    ),
}


def target(x: np.ndarray) -> np.ndarray:
    """The noise-free target ``sin(3x)``."""
    return np.sin(3.0 * x)


def best_approximation_error(degree: int) -> float:
    """``min_p E[(p(x) − sin 3x)²]`` over polynomials of ``degree``, ``x`` uniform on [−1, 1].

    The error of the Legendre projection of ``sin 3x``
    (:func:`~studyreg.experiments.toolbox.polynomial.projection_error`); for ``degree`` 0
    it is ``E[sin² 3x] = 1/2 − sin(6)/12``.
    """
    return projection_error(target, degree)


def fit_errors(
    rng: np.random.Generator, n: int, degree: int, noise: float, alpha: float, n_repeats: int
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Fit a degree-``degree`` polynomial to ``n_repeats`` fresh training sets of size ``n``.

    Each fit minimizes ``||y − Φw − b||² + alpha·||w||²`` over the Legendre features
    ``Φ`` (:func:`~studyreg.experiments.toolbox.polynomial.fit_polynomial`).

    Returns
    -------
    train_mse : ndarray of shape (n_repeats,)
        Mean squared error on each training set.
    val_mse : ndarray of shape (n_repeats,)
        Expected squared error on fresh data, ``E_x[(f(x) − sin 3x)²] + noise²`` with ``x``
        uniform on [−1, 1], by Gauss–Legendre quadrature.
    last : tuple of ndarray of shape (n,)
        ``(x, y)`` of the last training set.
    """
    train, val = np.empty(n_repeats), np.empty(n_repeats)
    for r in range(n_repeats):
        x, y = wavy_regression(rng, n, noise)
        coef, intercept = fit_polynomial(x, y, degree, alpha)
        train[r] = np.mean((legendre_features(x, degree) @ coef + intercept - y) ** 2)

        def error(points: np.ndarray, coef: np.ndarray = coef, b: float = intercept) -> np.ndarray:
            return legendre_features(points, degree) @ coef + b - target(points)

        val[r] = mean_square(error) + noise**2
    return train, val, (x, y)


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    sizes = np.unique(np.round(np.geomspace(params.n_min, params.n_max, params.n_sizes)))
    sizes = sizes.astype(int)
    floor = params.noise**2
    models = {"simple": params.simple_degree, "flexible": params.flexible_degree}
    curves: dict[str, dict[str, np.ndarray]] = {}
    for name, degree in models.items():
        train = np.empty((len(sizes), params.n_repeats))
        val = np.empty_like(train)
        for i, n in enumerate(sizes):
            train[i], val[i], last = fit_errors(
                rng, int(n), degree, params.noise, params.alpha, params.n_repeats
            )
        curves[name] = {"train": train, "val": val}

    outputs: dict = {"noise_floor": floor, "n_min": int(sizes[0]), "n_max": int(sizes[-1])}
    means: dict[str, dict[str, np.ndarray]] = {}
    for name, degree in models.items():
        train = curves[name]["train"].mean(axis=1)
        val = curves[name]["val"].mean(axis=1)
        gap = val - train
        means[name] = {"train": train, "val": val, "gap": gap}
        outputs.update(
            {
                f"{name}.degree": degree,
                f"{name}.n_weights": degree + 1,
                f"{name}.train_at_min": train[0],
                f"{name}.val_at_min": val[0],
                f"{name}.gap_at_min": gap[0],
                f"{name}.train_at_max": train[-1],
                f"{name}.val_at_max": val[-1],
                f"{name}.gap_at_max": gap[-1],
                f"{name}.bias_floor": floor + best_approximation_error(degree),
                f"{name}.gap_shrinks": bool(np.all(np.diff(gap) < 0)),
            }
        )
    k = params.flexible_degree + 1
    outputs["flexible.expected_train_at_min"] = floor * (1 - k / sizes[0])
    better = np.flatnonzero(means["flexible"]["val"] < means["simple"]["val"])
    outputs["crossover_n"] = int(sizes[better[0]]) if better.size else 0

    series: dict[str, Series] = {}
    n_axis = sizes.astype(float)
    for name, degree in models.items():
        figure = f"Learning curve: {name} model (degree {degree})"
        for split, label in (("train", "training"), ("val", "validation")):
            series[f"{name}.{split}"] = Series(
                figure,
                label,
                n_axis,
                means[name][split],
                "training-set size n",
                "mean squared error",
                xscale="log",
                yscale="log",
            )
        series[f"{name}.floor"] = Series(
            figure,
            "noise floor σ²",
            n_axis,
            np.full(len(sizes), floor),
            "training-set size n",
            "mean squared error",
            xscale="log",
            yscale="log",
        )
    x_last, y_last = last  # the flexible model's last training set at the largest size
    arrays = {
        "x_train": x_last,
        "y_train": y_last,
        "X_train": legendre_features(x_last, params.flexible_degree),
        "sizes": sizes,
        **{f"{name}.{split}_mse": curves[name][split] for name in models for split in curves[name]},
    }
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="learning_curves",
    summary=(
        "Training and validation error against training-set size for a high-bias and a "
        "high-variance polynomial model: two different diagnoses."
    ),
    objective=(
        "||y − Φw − b||² + alpha·||w||² (least squares with a tiny ridge) over the weights w "
        "of Legendre-polynomial features Φ(x) of degree simple_degree or flexible_degree, on "
        "y = sin(3x) + noise·ε; refitted for each training-set size and repeat"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "noise_floor",
        "simple.val_at_max",
        "simple.bias_floor",
        "flexible.gap_at_min",
        "flexible.gap_at_max",
        "crossover_n",
    ),
)
