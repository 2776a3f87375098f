"""``noise_injection``: Gaussian noise on the inputs of least squares is ridge in disguise.

Objective minimised by the noise-trained model (``n`` training rows, ``K`` noisy copies
of each, ``εᵢₖ ~ N(0, σ²·I)`` drawn once)::

    (1/(n·K))·Σₖ Σᵢ (yᵢ − (xᵢ + εᵢₖ)ᵀw − b)²

Its expectation over the noise is ``(1/n)·||y − Xw − b||² + σ²·||w||²``, because the
cross term ``2·(yᵢ − xᵢᵀw − b)·εᵢₖᵀw`` has mean zero and ``E[(εᵀw)²] = σ²·||w||²``.
Multiplied by ``n`` that is ridge in scikit-learn's convention,
``||y − Xw − b||² + alpha·||w||²``, with ``alpha = n·σ²`` and the intercept unpenalised.
As ``K`` grows the noise-trained weights converge to that ridge fit.

The experiment measures the equivalence three ways, none of which restates it: the
Monte Carlo average of the noisy loss against the clean loss plus ``σ²·||w||²``; the
distance between the noise-trained and the ridge weights (shrinking as copies are
added); and the ridge strength whose fit lies closest to the noise-trained weights,
found by a search over a grid of strengths. As a contrast, noise of the same size added
to the *targets* leaves the expected least-squares fit unchanged: it does not
regularise.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result
from studyreg.experiments.toolbox.datasets import sparse_regression, split
from studyreg.experiments.toolbox.linear import fit_ridge, mse, ridge_path

# Noisy rows (copies × training rows × features) above which a run takes over ~0.2 s.
WORK_BUDGET = 2e6
# Strengths searched for the best-matching ridge fit: this factor either side of n·σ².
SEARCH_SPAN = 30.0
SEARCH_POINTS = 241


class Params(BaseModel):
    """Parameters of ``noise_injection``."""

    model_config = ConfigDict(extra="forbid")

    n_train: int = Field(36, ge=10, le=500, description="training rows")
    n_val: int = Field(500, ge=10, le=5000, description="validation rows")
    n_features: int = Field(
        32,
        ge=1,
        le=100,
        description="input features; fewer than n_train so least squares is unique",
    )
    n_informative: int = Field(
        5, ge=1, le=100, description="features the target really depends on; at most n_features"
    )
    noise: float = Field(
        2.0,
        ge=0.0,
        le=10.0,
        description="standard deviation of the noise in the targets themselves",
    )
    sigma: float = Field(
        0.3,
        ge=0.01,
        le=3.0,
        description="σ: standard deviation of the Gaussian noise added to every input",
    )
    n_copies: int = Field(
        1000,
        ge=10,
        le=5000,
        description="K: noisy copies of the training set the model is trained on",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Params:
        if self.n_informative > self.n_features:
            raise ValueError(
                f"n_informative ({self.n_informative}) must be at most n_features ({self.n_features})"
            )
        if self.n_features >= self.n_train:
            raise ValueError(
                f"n_features ({self.n_features}) must be below n_train ({self.n_train}), "
                "so that plain least squares has one solution to compare with"
            )
        work = self.n_copies * self.n_train * self.n_features
        if work > WORK_BUDGET:
            raise ValueError(
                f"this combination is too large to run quickly ({work:.2g} noisy numbers, limit "
                f"{WORK_BUDGET:.0g}); lower n_copies, n_train or n_features"
            )
        return self


OUTPUTS = {
    "n_train": "training rows n",
    "n_copies": "noisy copies K of the training set",
    "alpha_equivalent": "n·σ²: the ridge strength the theory says input noise is worth (formula)",
    "alpha_fitted": (
        "measured: the ridge strength whose fit lies closest to the noise-trained weights "
        "(searched on a fine log grid)"
    ),
    "alpha_ratio": "alpha_fitted / alpha_equivalent (about 1)",
    "noisy.coef_gap": "||w_noisy − w_ridge|| / ||w_ridge||: noise-trained against ridge(n·σ²), all K copies",
    "noisy.coef_gap_few": "the same distance when only the first K/10 copies are used",
    "noisy.coef_norm": "||w|| of the noise-trained fit",
    "ridge.coef_norm": "||w|| of the ridge fit with alpha = n·σ²",
    "ols.coef_norm": "||w|| of plain least squares (no noise, no penalty)",
    "loss.noisy": (
        "measured: mean squared error of the ridge fit on the K noisy copies of the training "
        "inputs (a Monte Carlo estimate of the expected noisy loss)"
    ),
    "loss.clean": "mean squared error of the same fit on the clean training inputs",
    "loss.penalty": "σ²·||w||² of the same fit",
    "loss.ratio": "loss.noisy / (loss.clean + loss.penalty): about 1 if the expectation identity holds",
    "targetnoise.coef_gap": (
        "||w − w_ols|| / ||w_ols|| for least squares on K copies whose targets (not inputs) "
        "carry noise of standard deviation σ: no shrinkage, only Monte Carlo error"
    ),
    "targetnoise.coef_norm": "||w|| of that target-noise fit",
    "ols.train_mse": "plain least squares: training mean squared error",
    "ols.val_mse": "plain least squares: validation mean squared error",
    "noisy.train_mse": "noise-trained fit: mean squared error on the clean training rows",
    "noisy.val_mse": "noise-trained fit: validation mean squared error",
    "ridge.val_mse": "ridge(n·σ²): validation mean squared error",
    "val_improvement": "ols.val_mse − noisy.val_mse: how much input noise lowered the validation error",
}


def noisy_copies(
    rng: np.random.Generator, X: np.ndarray, sigma: float, n_copies: int
) -> np.ndarray:
    """``n_copies`` copies of ``X`` with independent ``N(0, σ²)`` noise on every entry.

    Parameters
    ----------
    rng : numpy.random.Generator
    X : ndarray of shape (n_samples, n_features)
    sigma : float
        Standard deviation of the noise.
    n_copies : int

    Returns
    -------
    noisy : ndarray of shape (n_copies, n_samples, n_features)
    """
    return X + sigma * rng.standard_normal((n_copies, *X.shape))


def fit_on_copies(noisy: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Least squares on every copy at once: minimises ``Σₖ Σᵢ (yᵢ − x̃ᵢₖᵀw − b)²``.

    Parameters
    ----------
    noisy : ndarray of shape (n_copies, n_samples, n_features)
    y : ndarray of shape (n_samples,)
        The targets, shared by every copy.

    Returns
    -------
    coef : ndarray of shape (n_features,)
    intercept : float
    """
    n_copies, n_samples, n_features = noisy.shape
    stacked = noisy.reshape(n_copies * n_samples, n_features)
    return fit_ridge(stacked, np.tile(y, n_copies), 0.0)


def closest_ridge_alpha(
    X: np.ndarray, y: np.ndarray, coef: np.ndarray, centre: float
) -> tuple[float, np.ndarray, np.ndarray]:
    """The ridge strength whose fit on ``(X, y)`` is closest to ``coef``, by grid search.

    Strengths from ``centre / SEARCH_SPAN`` to ``centre · SEARCH_SPAN``, log-spaced;
    the best grid point is refined by a parabola through it and its neighbours in
    ``log(alpha)``.

    Returns
    -------
    alpha : float
    alphas : ndarray of shape (SEARCH_POINTS,)
        The grid.
    distances : ndarray of shape (SEARCH_POINTS,)
        ``||w_ridge(alpha) − coef||`` on the grid.
    """
    alphas = np.geomspace(centre / SEARCH_SPAN, centre * SEARCH_SPAN, SEARCH_POINTS)
    coefs, _ = ridge_path(X, y, alphas)
    distances = np.linalg.norm(coefs - coef, axis=1)
    best = int(np.argmin(distances))
    if best in (0, len(alphas) - 1):
        return float(alphas[best]), alphas, distances
    d0, d1, d2 = distances[best - 1 : best + 2] ** 2
    step = np.log(alphas[1] / alphas[0])
    curvature = d0 - 2 * d1 + d2
    offset = 0.5 * (d0 - d2) / curvature if curvature > 0 else 0.0
    return float(alphas[best] * np.exp(step * offset)), alphas, distances


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    n, K, sigma = params.n_train, params.n_copies, params.sigma
    X, y, true_coef = sparse_regression(
        rng, n + params.n_val, params.n_features, params.n_informative, params.noise
    )
    train, val = split(n + params.n_val, params.n_val)
    X_train, y_train, X_val, y_val = X[train], y[train], X[val], y[val]

    noisy = noisy_copies(rng, X_train, sigma, K)
    w_noisy, b_noisy = fit_on_copies(noisy, y_train)
    few = max(1, K // 10)
    w_few, _ = fit_on_copies(noisy[:few], y_train)
    alpha = n * sigma**2
    w_ridge, b_ridge = fit_ridge(X_train, y_train, alpha)
    w_ols, b_ols = fit_ridge(X_train, y_train, 0.0)
    alpha_fitted, alphas, distances = closest_ridge_alpha(X_train, y_train, w_noisy, alpha)

    # The expectation identity, measured at the ridge fit on the same noisy copies.
    residuals = y_train - noisy @ w_ridge - b_ridge  # (K, n)
    loss_noisy = float(np.mean(residuals**2))
    loss_clean = mse(X_train, y_train, w_ridge, b_ridge)
    penalty = sigma**2 * float(w_ridge @ w_ridge)

    # Contrast: the same amount of noise on the targets instead of the inputs.
    noisy_targets = y_train + sigma * rng.standard_normal((K, n))
    w_target, _ = fit_ridge(np.tile(X_train, (K, 1)), noisy_targets.reshape(K * n), 0.0)

    outputs = {
        "n_train": n,
        "n_copies": K,
        "alpha_equivalent": alpha,
        "alpha_fitted": alpha_fitted,
        "alpha_ratio": alpha_fitted / alpha,
        "noisy.coef_gap": _relative(w_noisy, w_ridge),
        "noisy.coef_gap_few": _relative(w_few, w_ridge),
        "noisy.coef_norm": float(np.linalg.norm(w_noisy)),
        "ridge.coef_norm": float(np.linalg.norm(w_ridge)),
        "ols.coef_norm": float(np.linalg.norm(w_ols)),
        "loss.noisy": loss_noisy,
        "loss.clean": loss_clean,
        "loss.penalty": penalty,
        "loss.ratio": loss_noisy / (loss_clean + penalty),
        "targetnoise.coef_gap": _relative(w_target, w_ols),
        "targetnoise.coef_norm": float(np.linalg.norm(w_target)),
        "ols.train_mse": mse(X_train, y_train, w_ols, b_ols),
        "ols.val_mse": mse(X_val, y_val, w_ols, b_ols),
        "noisy.train_mse": mse(X_train, y_train, w_noisy, b_noisy),
        "noisy.val_mse": mse(X_val, y_val, w_noisy, b_noisy),
        "ridge.val_mse": mse(X_val, y_val, w_ridge, b_ridge),
    }
    outputs["val_improvement"] = outputs["ols.val_mse"] - outputs["noisy.val_mse"]

    index = np.arange(params.n_features, dtype=float)
    weights = "Weights by feature"
    series = {
        "coef.ols": Series(weights, "least squares", index, w_ols, "feature", "weight", kind="scatter"),
        "coef.noisy": Series(weights, f"noisy inputs (σ={sigma:g})", index, w_noisy, "feature", "weight", kind="scatter"),
        "coef.ridge": Series(weights, f"ridge (alpha=n·σ²={alpha:g})", index, w_ridge, "feature", "weight", kind="scatter"),
        "search": Series(
            "Distance from the noise-trained weights to ridge(alpha)", "||w_ridge(alpha) − w_noisy||",
            alphas, distances, "alpha", "distance", xscale="log", yscale="log",
        ),
    }  # fmt: skip
    arrays = {
        "X_train": X_train,
        "y_train": y_train,
        "X_val": X_val,
        "y_val": y_val,
        "true_coef": true_coef,
        "noisy.coef": w_noisy,
        "ridge.coef": w_ridge,
        "ols.coef": w_ols,
        "targetnoise.coef": w_target,
    }
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="noise_injection",
    summary=(
        "Least squares on inputs with Gaussian noise σ behaves like ridge with alpha = n·σ²; "
        "noise on the targets does not regularise."
    ),
    objective=(
        "noise-trained: (1/(n·K))·Σₖ Σᵢ (yᵢ − (xᵢ + εᵢₖ)ᵀw − b)², εᵢₖ ~ N(0, σ²I), whose "
        "expectation is (1/n)·||y − Xw − b||² + σ²·||w||²;  ridge: ||y − Xw − b||² + "
        "alpha·||w||² with alpha = n·σ²;  least squares: ||y − Xw − b||²  (b unpenalised)"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "alpha_equivalent",
        "alpha_fitted",
        "noisy.coef_gap",
        "loss.ratio",
        "ols.val_mse",
        "noisy.val_mse",
    ),
)
