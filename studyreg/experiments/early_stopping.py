"""``early_stopping``: gradient descent on an over-parameterized model; stop at the best epoch."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, check_cost, make_result
from studyreg.experiments.toolbox.datasets import wavy_regression

# Multiply-adds and stored numbers (the weight path and the error curves) above which a
# run would take more than about a second or 100 MB.
WORK_BUDGET = 3e9
STORAGE_BUDGET = 1e7


class Params(BaseModel):
    """Parameters of ``early_stopping``."""

    model_config = ConfigDict(extra="forbid")

    n_train: int = Field(
        30, ge=5, le=200, description="training points (fewer than features: over-parameterized)"
    )
    n_val: int = Field(200, ge=10, le=2000, description="validation points")
    n_features: int = Field(200, ge=10, le=1000, description="random Fourier features (weights)")
    bandwidth: float = Field(
        8.0,
        ge=0.1,
        le=50.0,
        description="spread of the feature frequencies; higher = wigglier fits",
    )
    noise: float = Field(
        0.4, ge=0.0, le=3.0, description="standard deviation of the noise on the target"
    )
    n_epochs: int = Field(3000, ge=10, le=20000, description="full-batch gradient-descent steps")
    lr_fraction: float = Field(
        1.9,
        ge=0.01,
        le=1.9,
        description="step size as a fraction of 1/L, L the largest curvature (stable below 2)",
    )
    patience: int = Field(
        500, ge=1, le=5000, description="epochs without improvement before early stopping stops"
    )

    @model_validator(mode="after")
    def _feasible(self) -> Params:
        p = self.n_features
        work = self.n_epochs * p * (min(p, 2 * self.n_train) + self.n_train + self.n_val)
        stored = self.n_epochs * (p + self.n_train + self.n_val)
        check_cost(
            work,
            WORK_BUDGET,
            "lower n_epochs, n_features or n_val",
            stored=stored,
            stored_limit=STORAGE_BUDGET,
        )
        return self


OUTPUTS = {
    "n_epochs": "gradient-descent steps taken",
    "n_features": "weights in the model",
    "n_train": "training points",
    "best_epoch": "epoch with the lowest validation error (0 = before training)",
    "val_mse_at_start": "validation error at epoch 0 (all weights zero)",
    "val_mse_at_best": "lowest validation error over the epochs",
    "val_mse_at_end": "validation error after the last epoch",
    "train_mse_at_best": "training error at the best epoch",
    "train_mse_at_end": "training error after the last epoch (near 0: the noise is memorized)",
    "val_increase": "val_mse_at_end − val_mse_at_best: what training too long costs",
    "early_stopping_helps": "true when val_mse_at_best < val_mse_at_end",
    "stopped_epoch": "epoch at which early stopping with the given patience stops",
    "val_mse_at_stopped": "validation error of the weights early stopping keeps (its best so far)",
    "lr": "the step size used: lr_fraction / L",
    "noise_variance": "noise² on the targets: the lowest validation error any model can expect",
}


def random_fourier_features(
    x: np.ndarray, frequencies: np.ndarray, phases: np.ndarray
) -> np.ndarray:
    """``√(2/p)·cos(ω_j·x + φ_j)`` for each of ``p`` features.

    Parameters
    ----------
    x : ndarray of shape (n_samples,)
    frequencies, phases : ndarray of shape (n_features,)

    Returns
    -------
    features : ndarray of shape (n_samples, n_features)
    """
    return np.sqrt(2.0 / len(frequencies)) * np.cos(np.outer(x, frequencies) + phases)


def gradient_descent_path(Phi: np.ndarray, y: np.ndarray, lr: float, n_epochs: int) -> np.ndarray:
    """Weights after each full-batch gradient step on ``(1/(2n))·||Φw − y||²`` from ``w = 0``.

    Parameters
    ----------
    Phi : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    lr : float
    n_epochs : int

    Returns
    -------
    path : ndarray of shape (n_epochs + 1, n_features)
        Row ``t`` holds the weights after ``t`` steps.
    """
    n, p = Phi.shape
    path = np.zeros((n_epochs + 1, p))
    w = path[0].copy()
    if p <= 2 * n:
        # Gradient Φᵀ(Φw − y)/n in Gram form: one (p, p) product per step.
        gram = Phi.T @ Phi / n
        target = Phi.T @ y / n
        for epoch in range(1, n_epochs + 1):
            w -= lr * (gram @ w - target)
            path[epoch] = w
    else:
        # Many more features than samples: two thin products are cheaper than the Gram one.
        for epoch in range(1, n_epochs + 1):
            w -= lr * (Phi.T @ (Phi @ w - y)) / n
            path[epoch] = w
    return path


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    x, y = wavy_regression(rng, params.n_train + params.n_val, params.noise)
    frequencies = rng.normal(0.0, params.bandwidth, params.n_features)
    phases = rng.uniform(0.0, 2 * np.pi, params.n_features)
    Phi = random_fourier_features(x, frequencies, phases)
    Phi_train, Phi_val = Phi[: params.n_train], Phi[params.n_train :]
    y_train, y_val = y[: params.n_train], y[params.n_train :]

    curvature = float(np.linalg.eigvalsh(Phi_train.T @ Phi_train / params.n_train)[-1])
    lr = params.lr_fraction / curvature
    path = gradient_descent_path(Phi_train, y_train, lr, params.n_epochs)
    train_mse = np.mean((path @ Phi_train.T - y_train) ** 2, axis=1)  # (n_epochs + 1,)
    val_mse = np.mean((path @ Phi_val.T - y_val) ** 2, axis=1)

    best = int(np.argmin(val_mse))
    running_best = np.minimum.accumulate(val_mse)
    improved = np.r_[True, val_mse[1:] < running_best[:-1]]
    last_improvement = np.maximum.accumulate(np.where(improved, np.arange(len(val_mse)), 0))
    waited = np.arange(len(val_mse)) - last_improvement
    stops = np.flatnonzero(waited >= params.patience)
    stopped = int(stops[0]) if stops.size else params.n_epochs

    outputs = {
        "n_epochs": params.n_epochs,
        "n_features": params.n_features,
        "n_train": params.n_train,
        "best_epoch": best,
        "val_mse_at_start": float(val_mse[0]),
        "val_mse_at_best": float(val_mse[best]),
        "val_mse_at_end": float(val_mse[-1]),
        "train_mse_at_best": float(train_mse[best]),
        "train_mse_at_end": float(train_mse[-1]),
        "val_increase": float(val_mse[-1] - val_mse[best]),
        "early_stopping_helps": bool(val_mse[best] < val_mse[-1]),
        "stopped_epoch": stopped,
        "val_mse_at_stopped": float(running_best[stopped]),
        "lr": lr,
        "noise_variance": params.noise**2,
    }
    epochs = np.arange(1, params.n_epochs + 1, dtype=float)
    figure = "Error vs epoch"
    series = {
        "curve.train_mse": Series(
            figure,
            "train",
            epochs,
            train_mse[1:],
            "epoch",
            "mean squared error",
            xscale="log",
            yscale="log",
        ),
        "curve.val_mse": Series(
            figure,
            "validation",
            epochs,
            val_mse[1:],
            "epoch",
            "mean squared error",
            xscale="log",
            yscale="log",
        ),
    }
    grid = np.linspace(-1.0, 1.0, 200)
    Phi_grid = random_fourier_features(grid, frequencies, phases)
    fit_figure = "Fitted function"
    series["fit.best"] = Series(
        fit_figure, f"epoch {best} (best)", grid, Phi_grid @ path[best], "x", "y"
    )
    series["fit.end"] = Series(
        fit_figure, f"epoch {params.n_epochs} (end)", grid, Phi_grid @ path[-1], "x", "y"
    )
    series["fit.train"] = Series(
        fit_figure, "training points", x[: params.n_train], y_train, "x", "y", kind="scatter"
    )
    arrays = {
        "x_train": x[: params.n_train],
        "y_train": y_train,
        "x_val": x[params.n_train :],
        "y_val": y_val,
        "X_train": Phi_train,
        "X_val": Phi_val,
        "frequencies": frequencies,
        "phases": phases,
        "train_mse": train_mse,
        "val_mse": val_mse,
        "coef.best": path[best],
        "coef.end": path[-1],
    }
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="early_stopping",
    summary="Gradient descent on more features than points: validation error falls, then rises; stop at the best epoch.",
    objective=(
        "(1/(2n))·||Φw − y||² over the weights w of n_features random Fourier features "
        "Φ(x) = √(2/p)·cos(ωx + φ), by full-batch gradient descent from w = 0 (no penalty: "
        "the number of epochs is the regularizer)"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "best_epoch",
        "val_mse_at_best",
        "val_mse_at_end",
        "train_mse_at_end",
        "stopped_epoch",
    ),
)
