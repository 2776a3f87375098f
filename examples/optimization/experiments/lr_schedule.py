"""``lr_schedule``: with a constant learning rate SGD stalls at a noise floor; decay removes it.

Minibatch SGD on a noisy least-squares problem. At a constant learning rate the iterate
never settles: the minibatch noise keeps it bouncing around the optimum, at an excess
loss roughly proportional to the learning rate. Step decay and cosine decay (after a
linear warmup) keep the large early steps for fast progress and then shrink them, so the
noise averages out. All schedules see the same minibatches.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result

SCHEDULES = ("constant", "constant_half", "step", "cosine")


class Params(BaseModel):
    """Parameters of ``lr_schedule``."""

    model_config = ConfigDict(extra="forbid")

    n_samples: int = Field(500, ge=50, le=5000, description="rows of the regression problem")
    n_features: int = Field(10, ge=1, le=50, description="weights being fitted")
    noise: float = Field(1.0, ge=0.0, le=5.0, description="std of the label noise")
    batch_size: int = Field(8, ge=1, le=256, description="rows per SGD step")
    n_steps: int = Field(800, ge=50, le=5000, description="SGD steps of every schedule")
    peak_lr: float = Field(0.05, ge=1e-4, le=0.2, description="the largest learning rate")
    warmup_steps: int = Field(
        40, ge=0, le=1000, description="cosine: steps of linear warmup from peak_lr/warmup_steps"
    )
    step_every: int = Field(
        200, ge=1, le=5000, description="step decay: multiply the rate by step_gamma this often"
    )
    step_gamma: float = Field(0.3, ge=0.01, le=1.0, description="step decay's factor")
    query_step: int = Field(
        400, ge=0, le=5000, description="a step at which the schedules' rates are reported"
    )

    @model_validator(mode="after")
    def _fits(self) -> Params:
        if self.batch_size > self.n_samples:
            raise ValueError(f"batch_size ({self.batch_size}) exceeds n_samples ({self.n_samples})")
        if self.warmup_steps >= self.n_steps:
            raise ValueError(f"warmup_steps ({self.warmup_steps}) must be below n_steps")
        if self.query_step >= self.n_steps:
            raise ValueError(f"query_step ({self.query_step}) must be below n_steps")
        return self


OUTPUTS = {
    "loss.optimum": "full-data loss at the least-squares solution",
    "constant.floor": "mean excess loss over the second half of the run at constant peak_lr",
    "constant_half.floor": "the same at constant peak_lr / 2",
    "floor_ratio": "constant.floor / constant_half.floor",
    "constant.final_excess": "excess loss (loss − optimum) after the last step, constant rate",
    "step.final_excess": "excess loss after the last step, step decay",
    "cosine.final_excess": "excess loss after the last step, warmup + cosine decay",
    "cosine.lr_at_query": "warmup + cosine rate used at step query_step",
    "step.lr_at_query": "step-decay rate used at step query_step",
    "hessian.lambda_max": "largest eigenvalue of XᵀX/n",
}


def schedule(kind: str, params: Params) -> np.ndarray:
    """The learning rate of every step, shape (n_steps,), for one schedule.

    ``cosine``: ``peak·(t + 1)/W`` for ``t < W`` (the warmup), then
    ``peak·½·(1 + cos(π·(t − W)/(T − W)))``. ``step``: ``peak·γ^⌊t/step_every⌋``.
    """
    t = np.arange(params.n_steps, dtype=float)
    peak = params.peak_lr
    if kind == "constant":
        return np.full(params.n_steps, peak)
    if kind == "constant_half":
        return np.full(params.n_steps, peak / 2)
    if kind == "step":
        return peak * params.step_gamma ** np.floor(t / params.step_every)
    warm = params.warmup_steps
    decay = 0.5 * peak * (1 + np.cos(math.pi * (t - warm) / (params.n_steps - warm)))
    return np.where(t < warm, peak * (t + 1) / max(warm, 1), decay)


def run(params: Params, seed: int) -> Result:
    """Minibatch SGD on least squares ``(1/(2n))·||Xw − y||²`` from ``w = 0``, four schedules.

    ``X`` has shape (n_samples, n_features), standard normal; ``y = X·w_true + noise·ε``.
    Each step uses the gradient ``X_Bᵀ(X_B·w − y_B)/B`` of ``B = batch_size`` rows drawn
    independently and uniformly (with replacement); the excess loss is measured on all rows.
    """
    rng = np.random.default_rng(seed)
    n, d, B = params.n_samples, params.n_features, params.batch_size
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = X @ w_true + params.noise * rng.standard_normal(n)
    # Independent draws (with replacement), the textbook model of SGD noise. Reshuffled
    # epochs would cancel the noise over each epoch and lower the floor to O(lr²).
    batches = rng.integers(0, n, size=(params.n_steps, B))

    H, b, c = X.T @ X / n, X.T @ y / n, float(y @ y) / (2 * n)
    w_opt = np.linalg.lstsq(X, y, rcond=None)[0]
    loss_opt = 0.5 * float(w_opt @ H @ w_opt) - float(b @ w_opt) + c
    rates = np.stack([schedule(kind, params) for kind in SCHEDULES])  # (4, n_steps)
    W = np.zeros((len(SCHEDULES), d))
    path = np.empty((params.n_steps + 1, len(SCHEDULES), d))
    path[0] = W
    for t in range(params.n_steps):
        Xb, yb = X[batches[t]], y[batches[t]]
        grads = (W @ Xb.T - yb) @ Xb / B
        W = W - rates[:, t, None] * grads
        path[t + 1] = W
    # For least squares, loss(w) − loss(w_opt) = ½(w − w_opt)ᵀH(w − w_opt) exactly; this
    # form avoids the cancellation of subtracting two nearly equal losses.
    offset = path - w_opt
    excess = 0.5 * np.einsum("tkd,de,tke->tk", offset, H, offset)

    # The constant runs reach their floor well within the first half; averaging the
    # whole second half makes the floor estimate steady from seed to seed.
    second_half = excess[-(params.n_steps // 2) :]
    floor, floor_half = second_half[:, 0].mean(), second_half[:, 1].mean()
    outputs = {
        "loss.optimum": loss_opt,
        "constant.floor": float(floor),
        "constant_half.floor": float(floor_half),
        "floor_ratio": float(floor / floor_half),
        "constant.final_excess": float(excess[-1, 0]),
        "step.final_excess": float(excess[-1, 2]),
        "cosine.final_excess": float(excess[-1, 3]),
        "cosine.lr_at_query": float(rates[3, params.query_step]),
        "step.lr_at_query": float(rates[2, params.query_step]),
        "hessian.lambda_max": float(np.linalg.eigvalsh(H)[-1]),
    }
    steps = np.arange(params.n_steps + 1, dtype=float)
    labels = {
        "constant": f"constant {params.peak_lr:g}",
        "constant_half": f"constant {params.peak_lr / 2:g}",
        "step": "step decay",
        "cosine": "warmup + cosine",
    }
    series = {}
    for column, kind in enumerate(SCHEDULES):
        series[f"excess.{kind}"] = Series(
            "Excess loss (loss − optimum) on all rows",
            labels[kind],
            steps,
            np.maximum(excess[:, column], 1e-300),
            "step",
            "excess loss",
            yscale="log",
        )
        series[f"lr.{kind}"] = Series(
            "Learning rate by step", labels[kind], steps[:-1], rates[column], "step", "lr"
        )
    arrays = {"X": X, "y": y, "w_true": w_true, "w_opt": w_opt, "batches": batches}
    arrays.update({f"{kind}.w": W[k] for k, kind in enumerate(SCHEDULES)})
    arrays.update({f"{kind}.lr": rates[k] for k, kind in enumerate(SCHEDULES)})
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="lr_schedule",
    summary=(
        "Minibatch SGD: a constant learning rate stalls at a noise floor that scales with the "
        "rate; step and cosine decay go below it."
    ),
    objective=(
        "least squares (1/(2n))·||Xw − y||² over w, by minibatch SGD from w = 0 with a constant "
        "rate (peak_lr and peak_lr/2), step decay, and linear warmup followed by cosine decay"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,  # type: ignore[arg-type]
    key_outputs=(
        "constant.floor",
        "constant_half.floor",
        "step.final_excess",
        "cosine.final_excess",
    ),
)
