"""``gradient_noise``: a minibatch gradient is the full gradient plus noise of variance ∝ 1/B.

At a fixed weight vector, every row i of a least-squares problem has its own gradient
``g_i``; the full-batch gradient is their mean ``g``. A minibatch of B rows drawn without
replacement gives an unbiased estimate of ``g`` whose expected squared error is
``E||g_B − g||² = (σ²/B)·(n − B)/(n − 1)``, with ``σ² = mean_i ||g_i − g||²``. The experiment
draws many minibatches at each of several batch sizes and measures that error.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from studyreg.experiments import Experiment, Result, Series, make_result

SWEEP = (1, 2, 4, 8, 16, 32, 64, 128)  # batch sizes of the log-log fit


class Params(BaseModel):
    """Parameters of ``gradient_noise``."""

    model_config = ConfigDict(extra="forbid")

    n_samples: int = Field(2000, ge=256, le=20_000, description="rows of the regression problem")
    n_features: int = Field(10, ge=1, le=50, description="weights")
    noise: float = Field(1.0, ge=0.0, le=5.0, description="std of the label noise")
    distance: float = Field(
        1.0, ge=0.0, le=10.0, description="||w − w_true|| of the point where gradients are taken"
    )
    # At most half of the smallest n_samples, so a batch is never the whole data set
    # (whose error would be exactly 0 and the ratio to theory undefined).
    batch_size: int = Field(16, ge=1, le=128, description="the batch size reported on its own")
    n_batches: int = Field(400, ge=20, le=5000, description="minibatches drawn at every batch size")


OUTPUTS = {
    "gradient.norm_sq": "||g||², the squared norm of the full-batch gradient",
    "noise.per_example_variance": "σ² = mean over rows of ||g_i − g||²",
    "noise.variance": "measured mean of ||g_B − g||² over the minibatches of size batch_size",
    "noise.variance_b1": "the same measured at batch size 1",
    "noise.ratio": "noise.variance / ((σ²/B)·(n − B)/(n − 1)) at B = batch_size",
    "noise.loglog_slope": "slope of log(measured variance) against log(B) over B = 1 … 128",
    "noise.bias_sq": "||mean of the minibatch gradients − g||² at B = batch_size",
    "signal_to_noise": "||g||² / noise.variance at B = batch_size",
}


def _batch_errors(
    G: np.ndarray, g: np.ndarray, B: int, n_batches: int, rng: np.random.Generator
) -> np.ndarray:
    """``g_B − g`` for ``n_batches`` minibatches of ``B`` rows, shape (n_batches, d).

    Batches are consecutive slices of fresh permutations, as in epoch-based training:
    each batch is a uniform draw without replacement. One permutation is averaged at a
    time, so memory stays at one copy of ``G``.
    """
    n, d = G.shape
    per_perm = n // B
    means = []
    for _ in range(-(-n_batches // per_perm)):
        rows = rng.permutation(n)[: per_perm * B]
        means.append(G[rows].reshape(per_perm, B, d).mean(axis=1))
    return np.concatenate(means)[:n_batches] - g


def run(params: Params, seed: int) -> Result:
    """Minibatch gradients of least squares ``(1/(2n))·||Xw − y||²`` at one point ``w``.

    ``X`` (n_samples, n_features) is standard normal, ``y = X·w_true + noise·ε``, and
    ``w = w_true + distance·u`` with ``u`` a random unit vector. Row ``i`` has gradient
    ``g_i = x_i·(x_iᵀw − y_i)``, shape (n_features,).
    """
    rng = np.random.default_rng(seed)
    n, d = params.n_samples, params.n_features
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = X @ w_true + params.noise * rng.standard_normal(n)
    u = rng.standard_normal(d)
    w = w_true + params.distance * u / np.linalg.norm(u)
    G = X * (X @ w - y)[:, None]  # per-row gradients, (n, d)
    g = G.mean(axis=0)
    sigma2 = float(((G - g) ** 2).sum(axis=1).mean())

    # The sweep is drawn first, so batch_size does not change the sweep's numbers.
    sizes = [size for size in SWEEP if size <= n]
    if params.batch_size not in sizes:
        sizes.append(params.batch_size)
    measured, bias = {}, {}
    for B in sizes:
        errors = _batch_errors(G, g, B, params.n_batches, rng)
        measured[B] = float((errors**2).sum(axis=1).mean())
        bias[B] = float((errors.mean(axis=0) ** 2).sum())
    B = params.batch_size
    bias_sq = bias[B]
    sizes.sort()
    expected = sigma2 / B * (n - B) / (n - 1)
    sweep = np.array([s for s in SWEEP if s <= n], dtype=float)
    sweep_var = np.array([measured[int(s)] for s in sweep])
    slope = float(np.polyfit(np.log(sweep), np.log(sweep_var), 1)[0])

    outputs = {
        "gradient.norm_sq": float(g @ g),
        "noise.per_example_variance": sigma2,
        "noise.variance": measured[B],
        "noise.variance_b1": measured[1],
        "noise.ratio": measured[B] / expected,
        "noise.loglog_slope": slope,
        "noise.bias_sq": bias_sq,
        "signal_to_noise": float(g @ g) / measured[B],
    }
    all_sizes = np.array(sizes, dtype=float)
    figure = "Minibatch gradient noise E||g_B − g||² by batch size"
    series = {
        "noise.measured": Series(
            figure,
            "measured",
            all_sizes,
            np.array([measured[int(s)] for s in all_sizes]),
            "batch size B",
            "mean ||g_B − g||²",
            xscale="log",
            yscale="log",
            kind="scatter",
        ),
        "noise.expected": Series(
            figure,
            "(σ²/B)·(n − B)/(n − 1)",
            all_sizes,
            sigma2 / all_sizes * (n - all_sizes) / (n - 1),
            "batch size B",
            "mean ||g_B − g||²",
            xscale="log",
            yscale="log",
        ),
    }
    arrays = {"X": X, "y": y, "w": w, "w_true": w_true, "per_example_gradients": G, "gradient": g}
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="gradient_noise",
    summary=(
        "Minibatch gradients scatter around the full-batch gradient with a variance that "
        "falls like 1/B."
    ),
    objective=(
        "least squares (1/(2n))·||Xw − y||²; nothing is minimized: its minibatch gradients "
        "X_Bᵀ(X_B·w − y_B)/B are compared with the full gradient at one fixed w"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,  # type: ignore[arg-type]
    key_outputs=(
        "noise.per_example_variance",
        "noise.variance",
        "noise.ratio",
        "noise.loglog_slope",
    ),
)
