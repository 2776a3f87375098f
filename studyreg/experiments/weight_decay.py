"""``weight_decay``: with plain SGD (no momentum) an L2 penalty *is* weight decay; with Adam
it is not (AdamW). With momentum the two differ too: the penalty's gradient is accumulated in
the velocity, decoupled decay is not."""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, ExperimentError, Result, Series, make_result
from studyreg.experiments.toolbox.optim import SGD, Adam

EPS = float(np.finfo(float).eps)
# Rounding allowance per step and unit of weight. The two SGD forms round differently;
# max|Δw| / (eps·max(1, |w|)·n_steps) was at most 0.9 over 1,923 random non-diverged
# settings (notes/numerics.md), so 16 leaves a wide margin.
ROUNDING_ULPS = 16.0
# A run whose data loss grows this many times above its starting loss has diverged.
DIVERGED_GROWTH = 100.0
# Largest |measured − (1 − lr·λ)| the decay-factor measurements may show (rounding only).
DECAY_TOLERANCE = 1e-9


class Params(BaseModel):
    """Parameters of ``weight_decay``."""

    model_config = ConfigDict(extra="forbid")

    n_samples: int = Field(50, ge=2, le=2000, description="rows of the least-squares problem")
    n_features: int = Field(10, ge=1, le=200, description="weights being trained")
    batch_size: int = Field(
        10, ge=1, le=2000, description="rows per (stochastic) gradient step; at most n_samples"
    )
    n_steps: int = Field(
        20, ge=1, le=1000, description="optimizer steps taken by each of the four runs"
    )
    lr: float = Field(0.05, ge=1e-4, le=1.0, description="learning rate")
    weight_decay: float = Field(
        0.1, ge=0.0, le=1.0, description="λ: L2 penalty λ/2·||w||², or decay of lr·λ·w per step"
    )
    beta1: float = Field(0.9, ge=0.0, le=0.999, description="Adam's first-moment decay")
    beta2: float = Field(0.999, ge=0.0, le=0.99999, description="Adam's second-moment decay")

    @model_validator(mode="after")
    def _batch_fits(self) -> Params:
        if self.batch_size > self.n_samples:
            raise ValueError(
                f"batch_size ({self.batch_size}) must be at most n_samples ({self.n_samples})"
            )
        return self


OUTPUTS = {
    "n_steps": "optimizer steps taken by each run",
    "decay_factor": "1 − lr·λ: the factor decoupled decay is meant to multiply the weights by (formula)",
    "sgd.decay_measured": (
        "factor f fitted by least squares to the decoupled SGD run, w_{t+1} + lr·g_t ≈ f·w_t, "
        "with g_t the data gradient recomputed from the data (measured)"
    ),
    "sgd.decay_fit_residual": (
        "largest |w_{t+1} + lr·g_t − f·w_t| of that fit: rounding level when the decay is a "
        "pure factor applied before the gradient step"
    ),
    "adamw.decay_measured": (
        "mean ratio w_{t+1}·w_t / w_t·w_t over n_steps AdamW steps with zero gradient (pure "
        "decay, measured)"
    ),
    "sgd.max_abs_diff": "largest |w_L2 − w_decoupled| over all SGD steps and weights (rounding level)",
    "sgd.rounding_bound": (
        "rounding allowance for the SGD comparison: 16·eps·max(1, largest |w| of both runs)·n_steps"
    ),
    "sgd.equivalent": "true when sgd.max_abs_diff <= sgd.rounding_bound",
    "adam.max_abs_diff": "largest |w_Adam+L2 − w_AdamW| over all steps and weights",
    "adam.rounding_bound": (
        "the same allowance for Adam: 16·eps·max(1, largest |w| of both runs)·n_steps"
    ),
    "adam.relative_diff": "||w_Adam+L2 − w_AdamW|| / ||w_AdamW|| after the last step",
    "adam.equivalent": "true when adam.max_abs_diff <= adam.rounding_bound",
    "sgd.loss_l2": "data loss (no penalty) after SGD with the L2 penalty",
    "sgd.loss_decoupled": "data loss after SGD with decoupled weight decay",
    "adam.loss_l2": "data loss after Adam with the L2 penalty",
    "adamw.loss": "data loss after AdamW (decoupled weight decay)",
    "sgd.weight_norm": "||w|| after SGD with the L2 penalty",
    "adam.weight_norm_l2": "||w|| after Adam with the L2 penalty",
    "adamw.weight_norm": "||w|| after AdamW",
}


def _loss_and_grad(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Least squares ``(1/(2m))·||Xw − y||²`` over ``m`` rows and its gradient ``Xᵀ(Xw − y)/m``."""
    residual = X @ w - y
    return 0.5 * float(residual @ residual) / len(y), X.T @ residual / len(y)


def _trajectory(
    optimizer: SGD | Adam, w_init: np.ndarray, X: np.ndarray, y: np.ndarray, batches: np.ndarray
) -> np.ndarray:
    """Weights after each step, shape (n_steps + 1, n_features); row 0 is the start."""
    params = {"w": w_init.copy()}
    path = [params["w"].copy()]
    for rows in batches:
        _, grad = _loss_and_grad(params["w"], X[rows], y[rows])
        optimizer.step(params, {"w": grad})
        path.append(params["w"].copy())
    return np.array(path)


def _losses(path: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Full-data loss ``(1/(2n))·||Xw − y||²`` at every row of ``path``, shape (n_steps + 1,)."""
    residuals = path @ X.T - y  # (n_steps + 1, n_samples)
    return 0.5 * np.mean(residuals * residuals, axis=1)


def _check_not_diverged(
    paths: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, params: Params
) -> None:
    for key, path in paths.items():
        with np.errstate(over="ignore", invalid="ignore"):
            losses = _losses(path, X, y)
        peak = float(np.max(losses)) if np.isfinite(losses).all() else math.inf
        if peak > DIVERGED_GROWTH * max(float(losses[0]), EPS):
            raise ExperimentError(
                f"the {key} run diverged: its data loss grew from {losses[0]:.3g} to {peak:.3g} "
                f"within {params.n_steps} steps (lr={params.lr:g}, batch_size={params.batch_size}); "
                "lower lr or raise batch_size"
            )


def _fitted_decay(
    path: np.ndarray, X: np.ndarray, y: np.ndarray, batches: np.ndarray, lr: float
) -> tuple[float, float]:
    """Fit ``w_{t+1} + lr·g_t = f·w_t`` over a decoupled SGD run; returns ``(f, largest residual)``.

    ``g_t`` is the minibatch data gradient at ``w_t``, recomputed here from the data, so a
    decay applied after the gradient step, or by another factor, shows in ``f`` and in the
    residual.
    """
    before = path[:-1]
    target = path[1:].copy()
    for t, rows in enumerate(batches):
        target[t] += lr * _loss_and_grad(before[t], X[rows], y[rows])[1]
    norm2 = float(np.sum(before * before))
    factor = float(np.sum(target * before)) / norm2 if norm2 > 0 else 1.0
    return factor, float(np.abs(target - factor * before).max())


def _pure_decay(optimizer: Adam, w_init: np.ndarray, n_steps: int) -> float:
    """Mean ratio ``w_{t+1}·w_t / w_t·w_t`` over ``n_steps`` steps with zero gradient."""
    params = {"w": w_init.copy()}
    ratios = []
    for _ in range(n_steps):
        before = params["w"].copy()
        optimizer.step(params, {"w": np.zeros_like(before)})
        norm2 = float(before @ before)
        if norm2 == 0.0:
            break
        ratios.append(float(params["w"] @ before) / norm2)
    return float(np.mean(ratios))


def _rounding_bound(a: np.ndarray, b: np.ndarray, n_steps: int) -> float:
    scale = max(1.0, float(np.abs(a).max()), float(np.abs(b).max()))
    return ROUNDING_ULPS * EPS * scale * n_steps


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((params.n_samples, params.n_features))
    y = X @ rng.standard_normal(params.n_features) + 0.5 * rng.standard_normal(params.n_samples)
    w_init = rng.standard_normal(params.n_features)
    # The same minibatches for every run, so only the form of the decay differs.
    batches = np.array(
        [
            rng.choice(params.n_samples, params.batch_size, replace=False)
            for _ in range(params.n_steps)
        ]
    )
    lam, lr = params.weight_decay, params.lr

    def adam(decoupled: bool) -> Adam:
        return Adam(
            lr=lr, beta1=params.beta1, beta2=params.beta2, weight_decay=lam, decoupled=decoupled
        )

    paths = {
        "sgd.l2": _trajectory(SGD(lr, lam, decoupled=False), w_init, X, y, batches),
        "sgd.decoupled": _trajectory(SGD(lr, lam, decoupled=True), w_init, X, y, batches),
        "adam.l2": _trajectory(adam(decoupled=False), w_init, X, y, batches),
        "adamw": _trajectory(adam(decoupled=True), w_init, X, y, batches),
    }
    _check_not_diverged(paths, X, y, params)
    sgd_diff = np.abs(paths["sgd.l2"] - paths["sgd.decoupled"]).max(axis=1)
    adam_diff = np.abs(paths["adam.l2"] - paths["adamw"]).max(axis=1)
    sgd_bound = _rounding_bound(paths["sgd.l2"], paths["sgd.decoupled"], params.n_steps)
    adam_bound = _rounding_bound(paths["adam.l2"], paths["adamw"], params.n_steps)
    sgd_decay, sgd_residual = _fitted_decay(paths["sgd.decoupled"], X, y, batches, lr)
    final = {key: path[-1] for key, path in paths.items()}

    def loss(key: str) -> float:
        return _loss_and_grad(final[key], X, y)[0]

    outputs = {
        "n_steps": params.n_steps,
        "decay_factor": 1.0 - lr * lam,
        "sgd.decay_measured": sgd_decay,
        "sgd.decay_fit_residual": sgd_residual,
        "adamw.decay_measured": _pure_decay(adam(decoupled=True), w_init, params.n_steps),
        "sgd.max_abs_diff": float(sgd_diff.max()),
        "sgd.rounding_bound": sgd_bound,
        "sgd.equivalent": bool(sgd_diff.max() <= sgd_bound),
        "adam.max_abs_diff": float(adam_diff.max()),
        "adam.rounding_bound": adam_bound,
        "adam.relative_diff": float(
            np.linalg.norm(final["adam.l2"] - final["adamw"])
            / max(float(np.linalg.norm(final["adamw"])), 1e-300)
        ),
        "adam.equivalent": bool(adam_diff.max() <= adam_bound),
        "sgd.loss_l2": loss("sgd.l2"),
        "sgd.loss_decoupled": loss("sgd.decoupled"),
        "adam.loss_l2": loss("adam.l2"),
        "adamw.loss": loss("adamw"),
        "sgd.weight_norm": float(np.linalg.norm(final["sgd.l2"])),
        "adam.weight_norm_l2": float(np.linalg.norm(final["adam.l2"])),
        "adamw.weight_norm": float(np.linalg.norm(final["adamw"])),
    }
    steps = np.arange(params.n_steps + 1, dtype=float)
    figure = "Largest weight difference, L2 penalty vs decoupled decay"
    series = {
        "diff.sgd": Series(figure, "SGD", steps, sgd_diff, "step", "max |Δw|"),
        "diff.adam": Series(figure, "Adam vs AdamW", steps, adam_diff, "step", "max |Δw|"),
    }
    for key, label in (("sgd.l2", "SGD + L2"), ("adam.l2", "Adam + L2"), ("adamw", "AdamW")):
        series[f"norm.{key}"] = Series(
            "Weight norm vs step", label, steps, np.linalg.norm(paths[key], axis=1), "step", "||w||"
        )
    arrays = {"X": X, "y": y, "w_init": w_init, "batches": batches}
    arrays.update({f"{key}.weights": path for key, path in paths.items()})
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="weight_decay",
    summary="An L2 penalty equals weight decay under SGD, but not under Adam: that is why AdamW exists.",
    objective=(
        "least squares (1/(2m))·||X_B·w − y_B||² on each minibatch B; the L2 runs add λ/2·||w||² "
        "to it (gradient + λ·w), the decoupled runs instead multiply w by (1 − lr·λ) each step"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "sgd.max_abs_diff",
        "adam.max_abs_diff",
        "adam.relative_diff",
        "sgd.decay_measured",
    ),
)
