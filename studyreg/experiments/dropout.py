"""``dropout``: inverted dropout narrows the train/validation gap of a small MLP.

One pair of networks (with and without dropout) on one small data set gives a noisy
gap, so the experiment trains ``n_repeats`` independent pairs and reports means with
their spread (see :mod:`studyreg.experiments.toolbox.variants`).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, check_cost, make_result
from studyreg.experiments.toolbox.datasets import noisy_classes, split
from studyreg.experiments.toolbox.mlp import (
    dropout_masks,
    init_mlp,
    inverted_dropout_mask,
    mlp_logits,
    mlp_loss_and_grad,
)
from studyreg.experiments.toolbox.variants import (
    comparison_outputs,
    curve_series,
    model_arrays,
    per_repeat,
    spread_outputs,
    train_both,
)

# Multiply-adds summed over the run above which it would take more than about a second.
WORK_BUDGET = 8e9


class Params(BaseModel):
    """Parameters of ``dropout``."""

    model_config = ConfigDict(extra="forbid")

    n_train: int = Field(
        60, ge=10, le=500, description="training examples (few, so the network can memorize them)"
    )
    n_val: int = Field(500, ge=50, le=5000, description="validation examples")
    n_features: int = Field(
        8, ge=2, le=100, description="inputs; only the first two carry signal, the rest are noise"
    )
    label_noise: float = Field(
        0.15, ge=0.0, le=0.4, description="fraction of labels flipped at random"
    )
    n_hidden: int = Field(
        32, ge=4, le=512, description="units in each of the two hidden ReLU layers"
    )
    p: float = Field(
        0.6, ge=0.0, le=0.9, description="dropout rate: probability that a hidden unit is dropped"
    )
    n_epochs: int = Field(150, ge=10, le=2000, description="full-batch Adam steps")
    lr: float = Field(0.01, ge=1e-4, le=0.1, description="Adam learning rate")
    n_repeats: int = Field(
        6,
        ge=1,
        le=32,
        description="independent repeats (own data, initial weights and masks); outputs are their means",
    )
    n_masks: int = Field(
        10000, ge=100, le=50000, description="random masks drawn for the expectation check"
    )
    n_units: int = Field(
        64, ge=1, le=256, description="size of the activation vector in the expectation check"
    )
    eval_every: int = Field(
        10, ge=1, le=100, description="evaluate the learning curves every this many epochs"
    )

    @model_validator(mode="after")
    def _feasible(self) -> Params:
        per_sample = (
            self.n_features * self.n_hidden + self.n_hidden * self.n_hidden + 2 * self.n_hidden
        )
        evaluated = (self.n_train + self.n_val) / self.eval_every
        work = 2 * self.n_repeats * self.n_epochs * (3 * self.n_train + evaluated) * per_sample
        check_cost(
            work, WORK_BUDGET, "lower n_epochs, n_val, n_train or n_hidden, or raise eval_every"
        )
        return self


def _split_outputs(model: str, what: str) -> dict[str, str]:
    mean = "mean over the repeats"
    return {
        f"{model}.train_loss": f"{what}: cross-entropy on the training set after training, {mean}",
        f"{model}.val_loss": f"{what}: cross-entropy on the validation set, {mean}",
        f"{model}.train_acc": f"{what}: training accuracy (against the noisy labels), {mean}",
        f"{model}.val_acc": f"{what}: validation accuracy, {mean}",
        f"{model}.gap": f"{what}: train_acc − val_acc (how much it overfits), {mean}",
        f"{model}.loss_gap": f"{what}: val_loss − train_loss, {mean}",
        f"{model}.best_val_acc": f"{what}: best validation accuracy over the evaluated epochs, {mean}",
    }


OUTPUTS = {
    "n_repeats": "independent repeats averaged",
    **_split_outputs("plain", "without dropout"),
    **_split_outputs("dropout", "with inverted dropout of rate p"),
    "gap_reduction": "plain.gap − dropout.gap: how much dropout narrows the accuracy gap, mean over the repeats",
    **spread_outputs(),
    "val_acc_change": "dropout.val_acc − plain.val_acc, mean over the repeats",
    "mask.keep_fraction": "measured fraction of units the random masks kept (about 1 − p)",
    "mask.scale": (
        "measured factor the dropout layer applied to the surviving units: mean of "
        "output / input over them (0 if none survived)"
    ),
    "mask.scale_spread": "largest minus smallest output / input over the surviving units (0 when all are scaled alike)",
    "mask.mean_ratio": "mean output over masks divided by the input, averaged over units (about 1)",
    "mask.max_abs_error": "largest |mean output / input − 1| over the units",
}


def measure_dropout(activation: np.ndarray, dropped: np.ndarray) -> dict[str, float]:
    """Measure what a dropout layer did, from its input and its outputs.

    Parameters
    ----------
    activation : ndarray of shape (n_units,)
        The layer's input, all entries non-zero.
    dropped : ndarray of shape (n_masks, n_units)
        The layer's output for each of ``n_masks`` random masks.

    Returns
    -------
    measured : dict of str to float
        ``mask.keep_fraction`` (non-zero outputs), ``mask.scale`` and
        ``mask.scale_spread`` (mean and range of output / input over the surviving
        units), ``mask.mean_ratio`` (mean over units of the mean output / input) and
        ``mask.max_abs_error`` (largest ``|mean output / input − 1|``).
    """
    ratio = dropped / activation
    kept = dropped != 0.0
    survivors = ratio[kept]
    per_unit = ratio.mean(axis=0)
    return {
        "mask.keep_fraction": float(kept.mean()),
        "mask.scale": float(survivors.mean()) if survivors.size else 0.0,
        "mask.scale_spread": float(np.ptp(survivors)) if survivors.size else 0.0,
        "mask.mean_ratio": float(per_unit.mean()),
        "mask.max_abs_error": float(np.abs(per_unit - 1.0).max()),
    }


def mask_expectation(
    rng: np.random.Generator, activation: np.ndarray, p: float, n_masks: int
) -> dict[str, float]:
    """Apply inverted dropout to ``activation`` under ``n_masks`` random masks and measure it.

    The layer's operation is the one training uses: multiply by
    :func:`~studyreg.experiments.toolbox.mlp.inverted_dropout_mask`. See :func:`measure_dropout`.

    Parameters
    ----------
    rng : numpy.random.Generator
    activation : ndarray of shape (n_units,)
        Positive activations.
    p : float
        Dropout rate.
    n_masks : int
        Number of masks drawn.
    """
    dropped = activation * inverted_dropout_mask(rng, (n_masks, activation.size), p)
    return measure_dropout(activation, dropped)


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    repeats, n = params.n_repeats, params.n_train + params.n_val
    X, y = noisy_classes(rng, repeats * n, params.n_features, params.label_noise)
    X, y = X.reshape(repeats, n, params.n_features), y.reshape(repeats, n)
    train, val = split(n, params.n_val)
    data = (X[:, train], y[:, train], X[:, val], y[:, val])
    sizes = (params.n_features, params.n_hidden, params.n_hidden, 2)
    initial = init_mlp(rng, sizes, members=(repeats,))
    train_seed = int(rng.integers(2**63))

    def masks(generator: np.random.Generator, weights: dict, n_rows: int) -> list[np.ndarray]:
        return dropout_masks(generator, weights, n_rows, params.p)

    curves, trained = train_both(
        initial,
        data,
        loss_and_grad=mlp_loss_and_grad,
        logits=mlp_logits,
        masks=masks,
        train_seed=train_seed,
        n_epochs=params.n_epochs,
        lr=params.lr,
        eval_every=params.eval_every,
    )

    values = per_repeat(curves)
    outputs: dict = {"n_repeats": repeats}
    outputs.update(comparison_outputs(values, [k for k in OUTPUTS if k in values]))
    activation = rng.uniform(0.5, 2.0, params.n_units)
    outputs.update(mask_expectation(rng, activation, params.p, params.n_masks))

    series = curve_series(curves)
    arrays = {
        "X_train": data[0],
        "y_train": data[1],
        "X_val": data[2],
        "y_val": data[3],
        "mask.activation": activation,
        "repeats.gap_reduction": values["gap_reduction"],
    }
    arrays.update(model_arrays(curves, trained))
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="dropout",
    summary=(
        "Inverted dropout in a small MLP, averaged over independent repeats: a smaller "
        "train/val gap on few, noisy examples."
    ),
    objective=(
        "mean cross-entropy −(1/n)·Σ log softmax(f(xᵢ))[yᵢ] of a 2-hidden-layer ReLU network, "
        "full-batch Adam; with dropout each hidden unit is zeroed with probability p and the "
        "survivors scaled by 1/(1 − p) at every step; n_repeats independent pairs of networks "
        "(own data and initial weights; within a pair only dropout differs)"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "plain.gap",
        "dropout.gap",
        "gap_reduction",
        "gap_reduction.se",
        "plain.val_acc",
        "dropout.val_acc",
        "mask.mean_ratio",
    ),
)
