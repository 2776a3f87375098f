"""``adam_scaling``: Adam shrugs off badly scaled features; gradient descent does not.

Least squares on features whose scales span ``scale_ratio``: the Hessian's condition
number grows like ``scale_ratio²``, so gradient descent, whose step is capped by the
stiffest direction, barely moves along the small-scale features. Adam divides each
coordinate's step by a running RMS of its own gradient, which undoes a per-feature
scaling: its first step moves every weight by (almost exactly) ``lr``. Standardizing the
features fixes gradient descent too, which shows the problem was the scaling.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result

EPS = 1e-8  # Adam's ε


class Params(BaseModel):
    """Parameters of ``adam_scaling``."""

    model_config = ConfigDict(extra="forbid")

    n_samples: int = Field(200, ge=20, le=2000, description="rows of the regression problem")
    n_features: int = Field(5, ge=2, le=50, description="weights being fitted")
    scale_ratio: float = Field(
        100.0, ge=1.0, le=10_000.0, description="largest / smallest feature scale (log-spaced)"
    )
    noise: float = Field(0.1, ge=0.0, le=5.0, description="std of the label noise")
    n_steps: int = Field(300, ge=10, le=3000, description="steps of every optimizer")
    adam_lr: float = Field(0.05, ge=1e-5, le=1.0, description="Adam's learning rate")
    beta1: float = Field(0.9, ge=0.0, le=0.999, description="Adam's first-moment decay")
    beta2: float = Field(0.999, ge=0.0, le=0.99999, description="Adam's second-moment decay")

    @model_validator(mode="after")
    def _more_rows_than_weights(self) -> Params:
        # With n ≤ d the Hessian XᵀX/n is singular: λ_min = 0 and κ is infinite.
        if self.n_samples <= self.n_features:
            raise ValueError(
                f"n_samples ({self.n_samples}) must exceed n_features ({self.n_features}), "
                "so that the least-squares problem has a unique minimizer"
            )
        return self


OUTPUTS = {
    "hessian.condition_number": "λ_max / λ_min of XᵀX/n on the raw features",
    "hessian.condition_number_standardized": "the same after scaling every column to unit std",
    "gd.lr": "gradient descent's step, 1/λ_max of the raw Hessian",
    "gd.excess_fraction": "(loss − optimum)/(initial − optimum) after GD on the raw features",
    "gd_standardized.excess_fraction": "the same for GD (lr = 1/λ_max) on standardized features",
    "adam.excess_fraction": "the same for Adam on the raw features",
    "adam.first_step_min": "smallest |Δw_i| / lr over the weights in Adam's first step",
    "adam.first_step_max": "largest |Δw_i| / lr over the weights in Adam's first step",
    "gradient.scale_spread": "largest / smallest |∂f/∂w_i| at w = 0 (the spread of GD's first step)",
}


def _loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    residual = X @ w - y
    return 0.5 * float(residual @ residual) / len(y)


def _gd(X: np.ndarray, y: np.ndarray, lr: float, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent from 0; returns the final weights (d,) and the losses (n_steps + 1,)."""
    n = len(y)
    H, b = X.T @ X / n, X.T @ y / n
    w = np.zeros(X.shape[1])
    losses = [_loss(w, X, y)]
    for _ in range(n_steps):
        w = w - lr * (H @ w - b)
        losses.append(_loss(w, X, y))
    return w, np.array(losses)


def _adam(
    X: np.ndarray, y: np.ndarray, params: Params
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adam from 0 with bias correction; returns final weights, losses and the first step."""
    n = len(y)
    H, b = X.T @ X / n, X.T @ y / n
    w = np.zeros(X.shape[1])
    m, v = np.zeros_like(w), np.zeros_like(w)
    losses = [_loss(w, X, y)]
    first = np.zeros_like(w)
    for t in range(1, params.n_steps + 1):
        g = H @ w - b
        m = params.beta1 * m + (1 - params.beta1) * g
        v = params.beta2 * v + (1 - params.beta2) * g * g
        m_hat, v_hat = m / (1 - params.beta1**t), v / (1 - params.beta2**t)
        step = params.adam_lr * m_hat / (np.sqrt(v_hat) + EPS)
        if t == 1:
            first = step.copy()
        w = w - step
        losses.append(_loss(w, X, y))
    return w, np.array(losses), first


def run(params: Params, seed: int) -> Result:
    """Least squares ``(1/(2n))·||Xw − y||²`` with columns of ``X`` scaled from 1 to ``scale_ratio``.

    ``X = Z·diag(s)`` with ``Z`` standard normal of shape (n_samples, n_features) and ``s``
    log-spaced; ``y = X·w_true + noise·ε`` with ``w_true = v / s`` so that every feature
    carries a comparable share of the signal.
    """
    rng = np.random.default_rng(seed)
    n, d = params.n_samples, params.n_features
    scales = np.geomspace(1.0, params.scale_ratio, d)
    X = rng.standard_normal((n, d)) * scales
    w_true = rng.standard_normal(d) / scales
    y = X @ w_true + params.noise * rng.standard_normal(n)
    w_opt = np.linalg.lstsq(X, y, rcond=None)[0]
    loss_opt, loss_0 = _loss(w_opt, X, y), _loss(np.zeros(d), X, y)

    col_std = X.std(axis=0)
    X_std = X / col_std
    eig = np.linalg.eigvalsh(X.T @ X / n)
    eig_std = np.linalg.eigvalsh(X_std.T @ X_std / n)
    lr_gd = 1.0 / eig[-1]
    w_gd, loss_gd = _gd(X, y, lr_gd, params.n_steps)
    w_gds, loss_gds = _gd(X_std, y, 1.0 / eig_std[-1], params.n_steps)
    w_adam, loss_adam, first = _adam(X, y, params)
    grad0 = -X.T @ y / n

    def excess(losses: np.ndarray) -> np.ndarray:
        # Rounding can put a converged run a hair below the lstsq optimum; that is 0.
        return np.maximum(losses - loss_opt, 0.0) / (loss_0 - loss_opt)

    outputs = {
        "hessian.condition_number": float(eig[-1] / eig[0]),
        "hessian.condition_number_standardized": float(eig_std[-1] / eig_std[0]),
        "gd.lr": float(lr_gd),
        "gd.excess_fraction": float(excess(loss_gd)[-1]),
        "gd_standardized.excess_fraction": float(excess(loss_gds)[-1]),
        "adam.excess_fraction": float(excess(loss_adam)[-1]),
        "adam.first_step_min": float(np.abs(first).min() / params.adam_lr),
        "adam.first_step_max": float(np.abs(first).max() / params.adam_lr),
        "gradient.scale_spread": float(np.abs(grad0).max() / np.abs(grad0).min()),
    }
    steps = np.arange(params.n_steps + 1, dtype=float)
    figure = "Excess loss (loss − optimum) / (initial − optimum)"
    series = {
        f"excess.{key}": Series(
            figure,
            label,
            steps,
            np.maximum(excess(losses), 1e-300),
            "step",
            "excess loss",
            yscale="log",
        )
        for key, label, losses in (
            ("gd", "GD, raw features", loss_gd),
            ("gd_standardized", "GD, standardized features", loss_gds),
            ("adam", "Adam, raw features", loss_adam),
        )
    }
    # Standardized weights act on X/σ: convert them back to compare with w_opt.
    arrays = {
        "X": X,
        "y": y,
        "feature_scales": scales,
        "w_opt": w_opt,
        "gd.w": w_gd,
        "gd_standardized.w": w_gds / col_std,
        "adam.w": w_adam,
        "adam.first_step": first,
    }
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="adam_scaling",
    summary=(
        "Adam against gradient descent on badly scaled features: Adam's per-weight step "
        "undoes the scaling; GD crawls unless the features are standardized."
    ),
    objective=(
        "least squares (1/(2n))·||Xw − y||² over w, from w = 0, by gradient descent "
        "(lr = 1/λ_max) on raw and on standardized features, and by Adam on raw features"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,  # type: ignore[arg-type]
    key_outputs=(
        "hessian.condition_number",
        "gd.excess_fraction",
        "adam.excess_fraction",
        "gd_standardized.excess_fraction",
        "adam.first_step_min",
    ),
)
