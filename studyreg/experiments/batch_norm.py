"""``batch_norm``: batch normalization's mini-batch noise, and dropout's variance shift.

A batch-norm layer normalizes each unit over the mini-batch in training,
``x̂ = (a − μ_B)/√(σ_B² + eps)``, then outputs ``γ·x̂ + β``; it keeps running averages of
``μ_B`` and ``σ_B²`` (momentum ``m``: ``r ← (1 − m)·r + m·stat``) and normalizes with them
at evaluation time. The experiment puts one such layer (``γ = 1``, ``β = 0``) after a
random ReLU layer ``h = ReLU(XW + b)`` and measures:

* the **forward pass** against its definition: zero mean and unit variance per unit over
  the batch (the variance is ``σ²/(σ² + eps)``, a hair below 1), and no change when the
  incoming weights are scaled by a positive constant;
* the **mini-batch noise** that makes batch norm a mild regularizer: in training mode one
  example's output depends on which other examples share its batch, and that noise
  shrinks as the batch grows; in evaluation mode it is gone;
* the **variance shift** (Li et al., 2019) when inverted dropout of rate ``p`` comes
  before the layer: in training the layer sees ``h·mask/(1 − p)``, whose variance is
  ``E[h²]/(1 − p) − E[h]²``, but at test time dropout is off and the variance is
  ``Var(h)``. The running variance remembers the training value, so at test time the
  layer's outputs have variance ``Var(h)/(E[h²]/(1 − p) − E[h]²)``, below 1.

Nothing is trained: the layer's statistics are what is studied, so the experiment
minimizes no loss (the running averages are the only state that is updated).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result
from studyreg.experiments.toolbox.mlp import init_mlp, inverted_dropout_mask

# Numbers touched per run above which it would take more than about a second.
WORK_BUDGET = 5e7
BATCH_SIZES = (2, 4, 8, 16, 32, 64, 128)
SWEEP_RATES = (0.0, 0.2, 0.4, 0.6, 0.8)


class Params(BaseModel):
    """Parameters of ``batch_norm``."""

    model_config = ConfigDict(extra="forbid")

    n_features: int = Field(10, ge=1, le=100, description="inputs to the random ReLU layer")
    n_units: int = Field(32, ge=1, le=256, description="ReLU units, each normalized by the layer")
    n_pool: int = Field(
        2000, ge=300, le=20000, description="examples in the data set that batches are drawn from"
    )
    batch_size: int = Field(64, ge=4, le=256, description="training mini-batch size")
    small_batch: int = Field(
        4, ge=2, le=64, description="a small mini-batch size, to compare its noise with batch_size"
    )
    p: float = Field(
        0.5, ge=0.0, le=0.9, description="rate of the inverted dropout placed before the layer"
    )
    momentum: float = Field(
        0.1,
        ge=0.001,
        le=1.0,
        description="running-average weight of each new batch (PyTorch's momentum)",
    )
    n_steps: int = Field(
        300, ge=10, le=5000, description="training-mode batches that update the running averages"
    )
    n_probes: int = Field(
        8, ge=1, le=64, description="probe examples whose train-mode output noise is measured"
    )
    n_probe_batches: int = Field(
        60, ge=10, le=2000, description="random batches each probe example is normalized in"
    )
    eps: float = Field(
        1e-5, ge=1e-12, le=0.1, description="constant added to the variance before the square root"
    )

    @model_validator(mode="after")
    def _feasible(self) -> Params:
        if self.small_batch >= self.batch_size:
            raise ValueError(
                f"small_batch ({self.small_batch}) must be smaller than batch_size ({self.batch_size})"
            )
        work = self.n_units * (
            self.n_pool * (self.n_features + 2)
            + self.n_steps * self.batch_size * (1 + len(SWEEP_RATES))
            + self.n_probes
            * self.n_probe_batches
            * (sum(BATCH_SIZES) + 2 * self.batch_size + self.small_batch)
        )
        if work > WORK_BUDGET:
            raise ValueError(
                f"this combination is too large to run quickly (about {work:.2g} numbers, limit "
                f"{WORK_BUDGET:.0g}); lower n_pool, n_steps, n_probe_batches or n_units"
            )
        return self


OUTPUTS = {
    "bn.max_abs_mean": "forward pass on one training batch: largest |mean over the batch| of a unit's output (0)",
    "bn.max_var_error": "forward pass: largest |variance over the batch − 1| of a unit's output (about eps/σ²)",
    "bn.rescale_max_diff": "largest change of the layer's output when the incoming weights are multiplied by 10",
    "noise.small_batch": "std of a probe example's train-mode output across random batches of size small_batch, mean over probes and units",
    "noise.large_batch": "the same at batch_size",
    "noise.ratio": "noise.small_batch / noise.large_batch",
    "noise.eval": "std of the probes' eval-mode outputs across the same batches (0 up to rounding: eval mode ignores the batch)",
    "eval.gap_small": "mean |train-mode − eval-mode output| of the probes in batches of size small_batch",
    "eval.gap_large": "the same at batch_size",
    "shift.train_var": "variance the layer sees in training (dropout on): mean over steps of each unit's batch variance, relative to Var(h), mean over units",
    "shift.closed_form": "(E[h²]/(1 − p) − E[h]²)/Var(h) from the data's moments, mean over units",
    "shift.test_output_var": "dropout before the layer: variance of the layer's test-time output (running statistics, dropout off), mean over units",
    "shift.running_var": "running variance at the end of training (dropout on) relative to Var(h), mean over units",
    "shift.mean_ratio": (
        "mean the layer sees in training (dropout on; mean over steps of each unit's batch mean) "
        "/ the data's mean of h, mean over units (dropout keeps the mean: about 1)"
    ),
    "shift.no_dropout_test_var": "the same test-time output variance when no dropout precedes the layer (about 1)",
}


def batch_norm_train(
    a: np.ndarray,
    gamma: np.ndarray | float = 1.0,
    beta: np.ndarray | float = 0.0,
    eps: float = 1e-5,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Training-mode batch normalization of each column over the rows.

    Parameters
    ----------
    a : ndarray of shape (..., batch, n_units)
        Pre-normalization activations; leading axes are independent batches.
    gamma, beta : float or ndarray of shape (n_units,)
        Scale and shift applied after normalizing.
    eps : float

    Returns
    -------
    out : ndarray, same shape as ``a``
        ``gamma·(a − μ_B)/√(σ_B² + eps) + beta``.
    mean : ndarray of shape (..., n_units)
        ``μ_B``, the batch mean.
    var : ndarray of shape (..., n_units)
        ``σ_B²``, the biased batch variance used to normalize.
    """
    mean, var = batch_statistics(a)
    out = batch_norm_eval(a, mean[..., None, :], var[..., None, :], gamma, beta, eps)
    return out, mean, var


def batch_statistics(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each column's mean and biased variance over the rows (the batch axis, ``-2``).

    Parameters
    ----------
    a : ndarray of shape (..., batch, n_units)

    Returns
    -------
    mean, var : ndarray of shape (..., n_units)
    """
    mean = a.mean(axis=-2)
    centred = a - mean[..., None, :]
    return mean, np.mean(centred * centred, axis=-2)


def batch_norm_eval(
    a: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    gamma: np.ndarray | float = 1.0,
    beta: np.ndarray | float = 0.0,
    eps: float = 1e-5,
) -> np.ndarray:
    """Evaluation-mode batch normalization: the running statistics, not the batch's.

    Parameters
    ----------
    a : ndarray of shape (..., n_units)
    running_mean, running_var : ndarray of shape (n_units,)
        Or any shape that broadcasts against ``a``.

    Returns
    -------
    out : ndarray, same shape as ``a``
        ``gamma·(a − running_mean)/√(running_var + eps) + beta``; each row independently.
    """
    return gamma * (a - running_mean) / np.sqrt(running_var + eps) + beta


def running_statistics(
    batches: np.ndarray, momentum: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Running mean and variance after a sequence of training batches, as PyTorch keeps them.

    Starting from ``mean = 0``, ``var = 1``, each batch updates
    ``r ← (1 − momentum)·r + momentum·stat`` with the batch mean and the *unbiased* batch
    variance.

    Parameters
    ----------
    batches : ndarray of shape (n_steps, batch, n_units)

    Returns
    -------
    running_mean, running_var : ndarray of shape (n_units,)
    batch_means, batch_vars : ndarray of shape (n_steps, n_units)
        Each step's batch mean and unbiased batch variance.
    """
    means = batches.mean(axis=1)
    variances = batches.var(axis=1, ddof=1)
    running_mean = np.zeros(batches.shape[-1])
    running_var = np.ones(batches.shape[-1])
    for mean, var in zip(means, variances, strict=True):
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var
    return running_mean, running_var, means, variances


def probe_batches(
    rng: np.random.Generator, pool: np.ndarray, n_probes: int, size: int, n_batches: int
) -> np.ndarray:
    """Batches around each of the first ``n_probes`` rows of ``pool`` (the probes).

    Returns
    -------
    batches : ndarray of shape (n_probes, n_batches, size, n_units)
        ``batches[k, j, 0]`` is probe ``k``; the other ``size − 1`` rows of each batch are
        drawn uniformly (with replacement) from the rest of the pool.
    """
    others = rng.integers(n_probes, len(pool), (n_probes, n_batches, size - 1))
    probes = np.broadcast_to(np.arange(n_probes)[:, None, None], (n_probes, n_batches, 1))
    return pool[np.concatenate([probes, others], axis=2)]


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    layer = init_mlp(rng, (params.n_features, params.n_units))
    X = rng.standard_normal((params.n_pool, params.n_features))
    h = np.maximum(X @ layer["W0"] + layer["b0"], 0.0)  # (n_pool, n_units)
    eps = params.eps

    # The forward pass on one batch, and again with the incoming weights scaled by 10.
    rows = rng.choice(params.n_pool, params.batch_size, replace=False)
    out, _, _ = batch_norm_train(h[rows], eps=eps)
    scaled, _, _ = batch_norm_train(np.maximum(X[rows] @ (10 * layer["W0"]), 0.0), eps=eps)

    # Running statistics from n_steps training batches, with and without dropout first.
    batches = h[rng.integers(0, params.n_pool, (params.n_steps, params.batch_size))]
    mask = inverted_dropout_mask(rng, batches.shape, params.p)
    r_mean, r_var, batch_means, batch_vars = running_statistics(batches * mask, params.momentum)
    plain_mean, plain_var, _, _ = running_statistics(batches, params.momentum)
    pool_mean, pool_var = h.mean(axis=0), h.var(axis=0)
    pool_sq = np.mean(h**2, axis=0)
    alive = pool_var > 0  # a unit that never fires has nothing to normalize
    test_out = batch_norm_eval(h, r_mean, r_var, eps=eps)
    plain_out = batch_norm_eval(h, plain_mean, plain_var, eps=eps)

    # One probe example, normalized inside many random batches of each size.
    def probe(size: int) -> tuple[np.ndarray, np.ndarray]:
        drawn = probe_batches(rng, h, params.n_probes, size, params.n_probe_batches)
        # Training mode normalizes with the batch's own statistics; only the probe's
        # output is needed: (n_probes, n_probe_batches, n_units), and the batches.
        mean, var = batch_statistics(drawn)
        return batch_norm_eval(drawn[:, :, 0], mean, var, eps=eps), drawn

    def noise(outputs: np.ndarray) -> float:
        """Std across batches, mean over probes and units."""
        return float(outputs.std(axis=1).mean())

    probe_eval = batch_norm_eval(h[: params.n_probes], plain_mean, plain_var, eps=eps)[:, None]
    small, _ = probe(params.small_batch)
    large, large_batches = probe(params.batch_size)
    eval_in_batches = batch_norm_eval(large_batches[:, :, 0], plain_mean, plain_var, eps=eps)
    noise_by_size = np.array([noise(probe(size)[0]) for size in BATCH_SIZES])

    outputs = {
        "bn.max_abs_mean": float(np.abs(out.mean(axis=0)).max()),
        "bn.max_var_error": float(np.abs(out.var(axis=0) - 1).max()),
        "bn.rescale_max_diff": float(np.abs(scaled - out).max()),
        "noise.small_batch": noise(small),
        "noise.large_batch": noise(large),
        "noise.ratio": noise(small) / noise(large),
        "noise.eval": noise(eval_in_batches),
        "eval.gap_small": float(np.abs(small - probe_eval).mean()),
        "eval.gap_large": float(np.abs(large - probe_eval).mean()),
        "shift.train_var": float(np.mean(batch_vars.mean(axis=0)[alive] / pool_var[alive])),
        "shift.closed_form": float(
            np.mean((pool_sq[alive] / (1 - params.p) - pool_mean[alive] ** 2) / pool_var[alive])
        ),
        "shift.test_output_var": float(np.mean(test_out.var(axis=0)[alive])),
        "shift.running_var": float(np.mean(r_var[alive] / pool_var[alive])),
        "shift.mean_ratio": float(np.mean(batch_means.mean(axis=0)[alive] / pool_mean[alive])),
        "shift.no_dropout_test_var": float(np.mean(plain_out.var(axis=0)[alive])),
    }

    # The variance shift against the dropout rate: closed form and measured.
    rates = np.array(SWEEP_RATES)
    closed = [
        float(np.mean((pool_sq[alive] / (1 - rate) - pool_mean[alive] ** 2) / pool_var[alive]))
        for rate in rates
    ]
    measured = []
    for rate in rates:
        dropped = batches * inverted_dropout_mask(rng, batches.shape, float(rate))
        measured.append(
            float(np.mean(dropped.var(axis=1, ddof=1).mean(axis=0)[alive] / pool_var[alive]))
        )
    shift_figure = "Variance shift: train-time / test-time variance"
    sizes = np.array(BATCH_SIZES, dtype=float)
    series = {
        "shift.closed_form": Series(
            shift_figure, "closed form", rates, np.array(closed), "dropout rate p", "variance ratio"
        ),
        "shift.measured": Series(
            shift_figure,
            "measured",
            rates,
            np.array(measured),
            "dropout rate p",
            "variance ratio",
            kind="scatter",
        ),
        "noise.by_batch_size": Series(
            "Mini-batch noise of one example's output",
            "train mode",
            sizes,
            noise_by_size,
            "batch size",
            "std across batches",
            xscale="log",
            yscale="log",
        ),
    }
    arrays = {
        "X": X,
        "W": layer["W0"],
        "h": h,
        "running_mean": r_mean,
        "running_var": r_var,
        "running_mean.no_dropout": plain_mean,
        "running_var.no_dropout": plain_var,
        "probe.small_batch": small,
        "probe.large_batch": large,
        "noise.batch_sizes": sizes,
        "noise.by_batch_size": noise_by_size,
    }
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="batch_norm",
    summary=(
        "A batch-norm layer measured: zero mean and unit variance per batch, noise that "
        "shrinks with the batch size, and the variance shift when dropout comes before it."
    ),
    objective=(
        "none: nothing is trained; a batch-norm layer (γ = 1, β = 0) after a random ReLU layer "
        "h = ReLU(XW + b) normalizes mini-batches, (h − μ_B)/√(σ_B² + eps), and updates its running "
        "mean and variance r ← (1 − momentum)·r + momentum·stat; test time uses the running values"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "noise.small_batch",
        "noise.large_batch",
        "shift.closed_form",
        "shift.train_var",
        "shift.test_output_var",
        "shift.no_dropout_test_var",
    ),
)
