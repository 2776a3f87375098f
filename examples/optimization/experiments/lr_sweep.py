"""``lr_sweep``: gradient descent is slow with a small learning rate and diverges above 2/λ_max.

Full-batch gradient descent on least squares, whose Hessian ``H = XᵀX/n`` is constant.
Along the eigenvector of eigenvalue λ the error is multiplied by ``1 − lr·λ`` at every
step, so it shrinks only while ``|1 − lr·λ| < 1``: the run diverges once ``lr > 2/λ_max``.
The experiment finds that threshold by *running* gradient descent on a fine grid of
learning rates and compares it with ``2/λ_max`` from ``np.linalg.eigvalsh``.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result

GRID_POINTS = 300  # learning rates in the sweep, log-spaced
BLOWUP = 1e8  # a curve is cut once its loss exceeds this multiple of the start


class Params(BaseModel):
    """Parameters of ``lr_sweep``."""

    model_config = ConfigDict(extra="forbid")

    n_samples: int = Field(100, ge=20, le=2000, description="rows of the regression problem")
    n_features: int = Field(10, ge=2, le=50, description="weights being fitted")
    noise: float = Field(0.5, ge=0.0, le=5.0, description="std of the label noise")
    n_steps: int = Field(200, ge=20, le=2000, description="gradient steps of every run")
    lr_small: float = Field(0.01, ge=1e-5, le=10.0, description="a learning rate that is too small")
    lr_good: float = Field(0.5, ge=1e-5, le=10.0, description="a well-chosen learning rate")
    lr_large: float = Field(2.0, ge=1e-5, le=10.0, description="a learning rate that is too large")

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
    "hessian.lambda_max": "largest eigenvalue of the Hessian XᵀX/n (eigvalsh)",
    "hessian.lambda_min": "smallest eigenvalue of the Hessian",
    "hessian.condition_number": "λ_max / λ_min",
    "stability.theory_threshold": "2 / λ_max: the largest stable learning rate in theory",
    "stability.measured_threshold": (
        "geometric midpoint of the largest learning rate on the grid whose loss ended below its "
        "start and the smallest whose loss did not"
    ),
    "stability.ratio": "measured threshold / theory threshold",
    "stability.grid_step": "ratio between neighbouring learning rates of the sweep",
    "loss.initial": "loss at w = 0",
    "loss.optimum": "loss at the least-squares solution",
    "small.excess_fraction": "(loss − optimum) / (initial loss − optimum) after the lr_small run",
    "good.excess_fraction": "the same after the lr_good run",
    "large.excess_fraction": "the same after the lr_large run, capped at 1e8 (diverged runs)",
    "large.diverged": "true when the lr_large run ended above its initial loss",
    "small.lr_over_threshold": "lr_small · λ_max / 2",
    "good.lr_over_threshold": "lr_good · λ_max / 2",
    "large.lr_over_threshold": "lr_large · λ_max / 2",
}


def _losses(W: np.ndarray, H: np.ndarray, b: np.ndarray, c: float) -> np.ndarray:
    """Loss ``½wᵀHw − bᵀw + c`` of each row of ``W`` (shape (k, d)) -> shape (k,)."""
    return 0.5 * np.einsum("kd,de,ke->k", W, H, W) - W @ b + c


def _descend(
    lrs: np.ndarray, H: np.ndarray, b: np.ndarray, c: float, n_steps: int, *, curves: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent from w = 0 at every learning rate at once.

    Returns the losses, shape (n_steps + 1, k) (only the first and last rows when
    ``curves`` is false), and the final weights, shape (k, d). Diverged rows turn into
    inf/nan, which callers treat as diverged.
    """
    W = np.zeros((len(lrs), len(b)))
    losses = [_losses(W, H, b, c)]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_steps):
            W = W - lrs[:, None] * (W @ H - b)
            if curves:
                losses.append(_losses(W, H, b, c))
        if not curves:
            losses.append(_losses(W, H, b, c))
    return np.array(losses), W


def run(params: Params, seed: int) -> Result:
    """Least squares ``f(w) = (1/(2n))·||Xw − y||²`` by gradient descent from ``w = 0``.

    ``X`` has shape (n_samples, n_features) with standard normal entries and
    ``y = X·w_true + noise·ε``. With ``H = XᵀX/n``, ``b = Xᵀy/n`` and ``c = yᵀy/(2n)``
    the loss is ``½wᵀHw − bᵀw + c`` and its gradient ``Hw − b``.
    """
    rng = np.random.default_rng(seed)
    n, d = params.n_samples, params.n_features
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = X @ w_true + params.noise * rng.standard_normal(n)
    H, b, c = X.T @ X / n, X.T @ y / n, float(y @ y) / (2 * n)
    eigenvalues = np.linalg.eigvalsh(H)
    lam_min, lam_max = float(eigenvalues[0]), float(eigenvalues[-1])
    w_opt = np.linalg.lstsq(X, y, rcond=None)[0]
    loss_opt = float(_losses(w_opt[None, :], H, b, c)[0])

    # The grid is placed by the trace alone (λ_max lies in [tr/d, tr]), so the sweep
    # knows nothing of the eigenvalue it is measuring.
    trace = float(np.trace(H))
    grid = np.geomspace(0.5 / trace, 4.0 * d / trace, GRID_POINTS)
    curves, _ = _descend(grid, H, b, c, params.n_steps, curves=False)
    final = curves[-1]
    stable = np.isfinite(final) & (final < curves[0])
    first_bad = int(np.argmin(stable)) if not stable.all() else len(grid) - 1
    measured = float(np.sqrt(grid[max(first_bad - 1, 0)] * grid[first_bad]))

    named = np.array([params.lr_small, params.lr_good, params.lr_large])
    runs, W = _descend(named, H, b, c, params.n_steps)
    initial = float(runs[0, 0])
    with np.errstate(invalid="ignore"):  # diverged runs hold inf/nan
        excess = np.maximum(runs - loss_opt, 0.0) / (initial - loss_opt)
    capped = np.where(np.isfinite(excess[-1]), np.minimum(excess[-1], BLOWUP), BLOWUP)

    outputs = {
        "hessian.lambda_max": lam_max,
        "hessian.lambda_min": lam_min,
        "hessian.condition_number": lam_max / lam_min,
        "stability.theory_threshold": 2.0 / lam_max,
        "stability.measured_threshold": measured,
        "stability.ratio": measured * lam_max / 2.0,
        "stability.grid_step": float(grid[1] / grid[0]),
        "loss.initial": initial,
        "loss.optimum": loss_opt,
        "small.excess_fraction": float(capped[0]),
        "good.excess_fraction": float(capped[1]),
        "large.excess_fraction": float(capped[2]),
        "large.diverged": bool(not np.isfinite(runs[-1, 2]) or runs[-1, 2] > initial),
        "small.lr_over_threshold": params.lr_small * lam_max / 2.0,
        "good.lr_over_threshold": params.lr_good * lam_max / 2.0,
        "large.lr_over_threshold": params.lr_large * lam_max / 2.0,
    }

    steps = np.arange(params.n_steps + 1, dtype=float)
    figure = "Excess loss (loss − optimum) / (initial − optimum)"
    series = {}
    for column, key in enumerate(("small", "good", "large")):
        curve = excess[:, column]
        keep = np.isfinite(curve) & (curve < BLOWUP)
        keep &= np.cumprod(keep).astype(bool)  # stop at the first blow-up
        curve = np.maximum(curve[keep], 1e-300)
        lr = named[column]
        series[f"excess.{key}"] = Series(
            figure, f"lr = {lr:g}", steps[keep], curve, "step", "excess loss", yscale="log"
        )
    ends = np.where(np.isfinite(final), np.minimum(final / curves[0], BLOWUP), BLOWUP)
    series["sweep.final"] = Series(
        "Loss after all steps / initial loss, by learning rate",
        "gradient descent",
        grid,
        ends,
        "learning rate",
        "final / initial loss",
        xscale="log",
        yscale="log",
    )
    series["sweep.threshold"] = Series(
        "Loss after all steps / initial loss, by learning rate",
        "2 / λ_max",
        np.array([2.0 / lam_max, 2.0 / lam_max]),
        np.array([float(ends.min()), BLOWUP]),
        "learning rate",
        "final / initial loss",
        xscale="log",
        yscale="log",
    )
    arrays = {
        "X": X,
        "y": y,
        "w_true": w_true,
        "w_opt": w_opt,
        "hessian.eigenvalues": eigenvalues,
        "sweep.lr": grid,
        "sweep.stable": stable,
        "small.w": W[0],
        "good.w": W[1],
    }
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="lr_sweep",
    summary=(
        "Gradient descent on least squares: too small a learning rate crawls, too large "
        "diverges, and the edge sits at 2/λ_max of the Hessian."
    ),
    objective=(
        "least squares (1/(2n))·||Xw − y||² over w, by full-batch gradient descent "
        "w ← w − lr·Xᵀ(Xw − y)/n from w = 0"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,  # type: ignore[arg-type]
    key_outputs=(
        "stability.measured_threshold",
        "stability.theory_threshold",
        "small.excess_fraction",
        "good.excess_fraction",
        "large.diverged",
    ),
)
