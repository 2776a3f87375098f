"""``bagging``: averaging bootstrap-trained models lowers the variance, never the bias.

A flexible polynomial (Legendre features, a small ridge penalty) is fitted to few noisy
points of ``y = sin(3x) + noise·ε``: a high-variance model. Bagging fits ``n_members``
copies, each to a bootstrap resample of the training set (``n`` rows drawn with
replacement), and predicts with their average. The experiment repeats this on
``n_repeats`` independent training sets and measures, on a fixed grid of test points:

* the **ambiguity decomposition** (Krogh & Vedelsby, 1995): for squared error and the
  plain average ``f̄`` of members ``f_m``, at every point
  ``(f̄ − y)² = mean_m (f_m − y)² − mean_m (f_m − f̄)²``, so the ensemble's error is the
  members' average error minus their spread, and never above it;
* the **variance of an average of correlated models**: members with variance ``σ²`` and
  pairwise correlation ``ρ`` average to variance ``ρσ² + (1 − ρ)σ²/M``, which falls to
  ``ρσ²`` (not to zero) as ``M`` grows; checked once by simulation with a known ``ρ`` and
  ``σ``, and measured on the bagged polynomials over the independent training sets.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result
from studyreg.experiments.toolbox.datasets import wavy_regression
from studyreg.experiments.toolbox.polynomial import fit_polynomial, legendre_features

# Fits (rows × weights², summed) above which a run would take more than about a second.
WORK_BUDGET = 2e8


class Params(BaseModel):
    """Parameters of ``bagging``."""

    model_config = ConfigDict(extra="forbid")

    n_train: int = Field(30, ge=10, le=500, description="training points in each training set")
    noise: float = Field(
        0.5, ge=0.0, le=3.0, description="standard deviation of the noise on the target"
    )
    degree: int = Field(
        12, ge=1, le=20, description="degree of each member's polynomial (high = high variance)"
    )
    alpha: float = Field(
        0.01,
        ge=0.0,
        le=100.0,
        description="ridge strength of each member's fit (sklearn's Ridge alpha)",
    )
    n_members: int = Field(25, ge=2, le=200, description="bootstrap members averaged by the bag")
    n_repeats: int = Field(
        30,
        ge=3,
        le=200,
        description="independent training sets; errors are averaged and variances taken over them",
    )
    n_test: int = Field(101, ge=10, le=1000, description="evenly spaced test points on [−1, 1]")
    n_models: int = Field(
        10, ge=2, le=200, description="simulated models averaged in the closed-form check (M)"
    )
    rho: float = Field(
        0.3,
        ge=0.0,
        le=0.99,
        description="correlation between the simulated models in the closed-form check",
    )
    n_draws: int = Field(
        20000, ge=1000, le=200000, description="simulated draws for the closed-form check"
    )

    @model_validator(mode="after")
    def _feasible(self) -> Params:
        work = self.n_repeats * (self.n_members + 1) * self.n_train * (self.degree + 1) ** 2
        if work > WORK_BUDGET:
            raise ValueError(
                f"this combination is too large to run quickly (about {work:.2g} operations, "
                f"limit {WORK_BUDGET:.0g}); lower n_repeats, n_members, n_train or degree"
            )
        return self


OUTPUTS = {
    "n_members": "bootstrap members in the bag (M)",
    "members.test_mse": (
        "squared error against sin 3x on the test points of a single bootstrap member, "
        "mean over members, points and repeats"
    ),
    "bag.test_mse": "squared error against sin 3x of the bag's averaged prediction, mean over points and repeats",
    "full.test_mse": "squared error against sin 3x of one model fitted to the whole training set, mean over points and repeats",
    "ambiguity": "spread of the members around their average, mean_m (f_m − f̄)², mean over test points and repeats",
    "ambiguity.identity_error": (
        "largest |bag MSE − (member MSE − ambiguity)| over the repeats: the decomposition's "
        "error (rounding only)"
    ),
    "bag.improvement": "members.test_mse − bag.test_mse: what averaging gained",
    "variance.member": "σ²: variance of one member's prediction across training sets, mean over members and test points",
    "variance.rho": "ρ: mean pairwise correlation of two members' predictions across training sets",
    "variance.bag": "variance of the bag's prediction across training sets, mean over test points",
    "variance.formula": "ρσ² + (1 − ρ)σ²/M from the measured σ² and ρ",
    "variance.floor": "ρσ²: the bag's variance as M grows without bound",
    "sim.var_measured": "simulation: variance of the average of n_models models with correlation rho and variance 1",
    "sim.var_closed_form": "simulation: closed form rho + (1 − rho)/n_models",
    "sim.var_single": "simulation: measured variance of one of the models (about 1)",
}


def fit_members(
    rng: np.random.Generator,
    x: np.ndarray,
    y: np.ndarray,
    grid: np.ndarray,
    degree: int,
    alpha: float,
    n_members: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit one polynomial to all of ``(x, y)`` and ``n_members`` to bootstrap resamples.

    Each fit minimizes ``||y − Φw − b||² + alpha·||w||²`` over Legendre features
    (:func:`~studyreg.experiments.toolbox.polynomial.fit_polynomial`).

    Parameters
    ----------
    x, y : ndarray of shape (n_train,)
    grid : ndarray of shape (n_test,)
        Points to predict at.

    Returns
    -------
    members : ndarray of shape (n_members, n_test)
        Each bootstrap member's predictions on ``grid``.
    full : ndarray of shape (n_test,)
        Predictions of the model fitted to all of the training set.
    """
    grid_features = legendre_features(grid, degree)
    n = len(x)
    members = np.empty((n_members, len(grid)))
    for m in range(n_members):
        rows = rng.integers(0, n, n)
        coef, intercept = fit_polynomial(x[rows], y[rows], degree, alpha)
        members[m] = grid_features @ coef + intercept
    coef, intercept = fit_polynomial(x, y, degree, alpha)
    return members, grid_features @ coef + intercept


def ambiguity_decomposition(members: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Ensemble error, average member error and ambiguity of ``members`` against ``truth``.

    Parameters
    ----------
    members : ndarray of shape (n_members, n_points)
    truth : ndarray of shape (n_points,)

    Returns
    -------
    parts : dict of str to float
        ``ensemble`` (MSE of the average prediction), ``members`` (mean member MSE)
        and ``ambiguity`` (mean squared spread around the average), all averaged over
        the points; ``ensemble == members − ambiguity`` up to rounding.
    """
    average = members.mean(axis=0)
    return {
        "ensemble": float(np.mean((average - truth) ** 2)),
        "members": float(np.mean((members - truth) ** 2)),
        "ambiguity": float(np.mean((members - average) ** 2)),
    }


def correlated_average_variance(
    rng: np.random.Generator, n_models: int, rho: float, n_draws: int
) -> tuple[float, float]:
    """Simulate ``n_models`` unit-variance models with pairwise correlation ``rho``.

    Each draw is ``√rho·z + √(1 − rho)·e_m`` with a shared ``z`` and own ``e_m``, all
    standard normal.

    Returns
    -------
    var_average : float
        Sample variance of the models' average over the draws.
    var_single : float
        Sample variance of one model.
    """
    shared = rng.standard_normal(n_draws)
    own = rng.standard_normal((n_draws, n_models))
    models = np.sqrt(rho) * shared[:, None] + np.sqrt(1.0 - rho) * own
    return float(models.mean(axis=1).var(ddof=1)), float(models[:, 0].var(ddof=1))


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    grid = np.linspace(-1.0, 1.0, params.n_test)
    truth = np.sin(3.0 * grid)  # the noise-free target of wavy_regression
    R, M = params.n_repeats, params.n_members
    members = np.empty((R, M, params.n_test))
    full = np.empty((R, params.n_test))
    x_all, y_all = np.empty((R, params.n_train)), np.empty((R, params.n_train))
    for r in range(R):
        x, y = wavy_regression(rng, params.n_train, params.noise)
        x_all[r], y_all[r] = x, y
        members[r], full[r] = fit_members(
            rng, x, y, grid, params.degree, params.alpha, params.n_members
        )
    # Test error against the noise-free target: the noise adds the same noise² to each.
    parts = [ambiguity_decomposition(members[r], truth) for r in range(R)]
    bag_mse = np.array([p["ensemble"] for p in parts])
    member_mse = np.array([p["members"] for p in parts])
    ambiguity = np.array([p["ambiguity"] for p in parts])
    full_mse = np.mean((full - truth) ** 2, axis=1)

    # Across training sets: each member's variance and the members' pairwise correlation.
    centred = members - members.mean(axis=0)  # (R, M, n_test)
    cov = np.einsum("rit,rjt->ijt", centred, centred) / (R - 1)  # (M, M, n_test)
    variances = np.einsum("iit->it", cov)  # (M, n_test)
    sigma2 = variances.mean(axis=0)  # per test point
    off_diagonal = (cov.sum(axis=(0, 1)) - variances.sum(axis=0)) / (M * (M - 1))
    rho_t = off_diagonal / sigma2
    bag = members.mean(axis=1)  # (R, n_test)
    var_bag = bag.var(axis=0, ddof=1)
    formula = rho_t * sigma2 + (1 - rho_t) * sigma2 / M

    sim_var, sim_single = correlated_average_variance(
        rng, params.n_models, params.rho, params.n_draws
    )
    outputs = {
        "n_members": M,
        "members.test_mse": float(member_mse.mean()),
        "bag.test_mse": float(bag_mse.mean()),
        "full.test_mse": float(full_mse.mean()),
        "ambiguity": float(ambiguity.mean()),
        "ambiguity.identity_error": float(np.max(np.abs(bag_mse - (member_mse - ambiguity)))),
        "bag.improvement": float(member_mse.mean() - bag_mse.mean()),
        "variance.member": float(sigma2.mean()),
        "variance.rho": float(np.mean(rho_t)),
        "variance.bag": float(var_bag.mean()),
        "variance.formula": float(formula.mean()),
        "variance.floor": float(np.mean(rho_t * sigma2)),
        "sim.var_measured": sim_var,
        "sim.var_closed_form": params.rho + (1 - params.rho) / params.n_models,
        "sim.var_single": sim_single,
    }

    # Test MSE of the average of the first k members, for k = 1..M (mean over repeats).
    running = np.cumsum(members, axis=1) / np.arange(1, M + 1)[None, :, None]
    by_size = np.mean((running - truth) ** 2, axis=(0, 2))
    ks = np.arange(1, M + 1, dtype=float)
    size_figure = "Test error vs ensemble size"
    series = {
        "bag.by_size": Series(
            size_figure, "bag of k members", ks, by_size, "members averaged k", "test MSE"
        ),
        "full.by_size": Series(
            size_figure,
            "one model on all the data",
            ks,
            np.full(M, full_mse.mean()),
            "members averaged k",
            "test MSE",
        ),
    }
    fit_figure = "Members and their average (first training set)"
    for m in range(min(M, 5)):
        series[f"fit.member{m}"] = Series(
            fit_figure, f"member {m + 1}", grid, members[0, m], "x", "y"
        )
    series["fit.bag"] = Series(fit_figure, "bag average", grid, bag[0], "x", "y")
    series["fit.truth"] = Series(fit_figure, "sin 3x", grid, truth, "x", "y")
    series["fit.train"] = Series(
        fit_figure, "training points", x_all[0], y_all[0], "x", "y", kind="scatter"
    )
    arrays = {
        "x_train": x_all,
        "y_train": y_all,
        "X_train": legendre_features(x_all.ravel(), params.degree).reshape(R, params.n_train, -1),
        "grid": grid,
        "members.pred": members,
        "full.pred": full,
        "repeats.bag_mse": bag_mse,
        "repeats.member_mse": member_mse,
        "repeats.ambiguity": ambiguity,
    }
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="bagging",
    summary=(
        "Bootstrap aggregation of high-variance polynomial fits: the average beats its "
        "members by exactly their spread, and its variance falls toward ρσ²."
    ),
    objective=(
        "each member minimizes ||y_b − Φ_b w − c||² + alpha·||w||² over a bootstrap resample "
        "(y_b, Φ_b) of the training set, Φ the Legendre features of degree `degree`; the bag "
        "predicts with the plain average of the n_members fits (no joint objective)"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "members.test_mse",
        "bag.test_mse",
        "ambiguity",
        "variance.rho",
        "variance.bag",
        "variance.formula",
    ),
)
