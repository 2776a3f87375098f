"""Train one network with and without dropout, in several independent repeats at once:
the shared core of the ``dropout`` and ``cnn_dropout`` experiments.

A single run's gap between the two networks is noisy (one small training set, one
initialization), so each experiment trains ``n_repeats`` independent pairs, each on its
own data and from its own initial weights, and reports the mean over the repeats with
its spread. Within a pair both networks start from the same weights and see the same
data, so only dropout differs. All ``2·n_repeats`` networks are stacked along a leading
member axis and trained by the same NumPy calls.
"""

from __future__ import annotations

import numpy as np

from studyreg.experiments.base import Series
from studyreg.experiments.toolbox.training import (
    Curves,
    Logits,
    LossAndGrad,
    Masks,
    train_classifier,
)

MODELS = ("plain", "dropout")
CURVES = ("train_loss", "val_loss", "train_acc", "val_acc")
Weights = dict[str, np.ndarray]
Data = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def train_both(
    initial: Weights,
    data: Data,
    *,
    loss_and_grad: LossAndGrad,
    logits: Logits,
    masks: Masks,
    train_seed: int,
    n_epochs: int,
    lr: float,
    eval_every: int,
) -> tuple[dict[str, Curves], dict[str, Weights]]:
    """Train each repeat twice from the same start, without and with dropout.

    Parameters
    ----------
    initial : dict of str to ndarray
        Initial weights of the ``n_repeats`` networks, each with a leading repeat axis.
    data : tuple
        ``(X_train, y_train, X_val, y_val)``, each with a leading repeat axis.
    masks : callable
        ``masks(rng, weights, n_rows)`` draws the dropout masks of the networks in
        ``weights`` (those trained with dropout).

    Returns
    -------
    curves : dict of str to Curves
        ``"plain"`` and ``"dropout"``, each curve of shape (n_points, n_repeats).
    trained : dict of str to weights
        The trained weights of each model, with the leading repeat axis.
    """
    n_repeats = data[1].shape[0]
    doubled = {key: np.concatenate([value, value]) for key, value in initial.items()}
    both_data = tuple(np.concatenate([part, part]) for part in data)

    def drawn(rng: np.random.Generator, weights: Weights, n_rows: int) -> list[np.ndarray]:
        dropped = masks(rng, {key: value[n_repeats:] for key, value in weights.items()}, n_rows)
        return [np.concatenate([np.ones_like(mask), mask]) for mask in dropped]

    together = train_classifier(
        doubled,
        both_data,  # type: ignore[arg-type]
        loss_and_grad=loss_and_grad,
        logits=logits,
        masks=drawn,
        rng=np.random.default_rng(train_seed),
        n_epochs=n_epochs,
        lr=lr,
        eval_every=eval_every,
    )
    halves = {"plain": slice(0, n_repeats), "dropout": slice(n_repeats, 2 * n_repeats)}
    curves = {
        model: Curves(
            together.epochs,
            *(getattr(together, name)[:, part] for name in CURVES),
        )
        for model, part in halves.items()
    }
    trained = {
        model: {key: value[part] for key, value in doubled.items()}
        for model, part in halves.items()
    }
    return curves, trained


def final_values(model: str, curves: Curves) -> dict[str, np.ndarray]:
    """Each repeat's final losses, accuracies and gap, shape (n_repeats,) each."""
    return {
        f"{model}.train_loss": curves.train_loss[-1],
        f"{model}.val_loss": curves.val_loss[-1],
        f"{model}.train_acc": curves.train_acc[-1],
        f"{model}.val_acc": curves.val_acc[-1],
        f"{model}.gap": curves.train_acc[-1] - curves.val_acc[-1],
        f"{model}.loss_gap": curves.val_loss[-1] - curves.train_loss[-1],
        f"{model}.best_val_acc": curves.val_acc.max(axis=0),
    }


def per_repeat(curves: dict[str, Curves]) -> dict[str, np.ndarray]:
    """Every repeat's final values of both models and their differences, shape (n_repeats,)."""
    values = {
        **final_values("plain", curves["plain"]),
        **final_values("dropout", curves["dropout"]),
    }
    values["gap_reduction"] = values["plain.gap"] - values["dropout.gap"]
    values["val_acc_change"] = values["dropout.val_acc"] - values["plain.val_acc"]
    return values


def comparison_outputs(repeats: dict[str, np.ndarray], names: list[str]) -> dict[str, float]:
    """The mean over repeats of each value in ``names``, plus the spread of ``gap_reduction``.

    ``gap_reduction.std`` is the sample standard deviation over repeats (0 for a single
    repeat), ``gap_reduction.se`` the standard error of the mean ``std/√n_repeats``, and
    ``gap_reduction.narrowed`` the fraction of repeats in which dropout narrowed the gap.
    """
    outputs = {name: float(np.mean(repeats[name])) for name in names}
    reductions = repeats["gap_reduction"]
    n = len(reductions)
    std = float(np.std(reductions, ddof=1)) if n > 1 else 0.0
    outputs["gap_reduction.std"] = std
    outputs["gap_reduction.se"] = std / np.sqrt(n)
    outputs["gap_reduction.narrowed"] = float(np.mean(reductions > 0))
    return outputs


def spread_outputs() -> dict[str, str]:
    """Descriptions of the spread outputs added by :func:`comparison_outputs`."""
    return {
        "gap_reduction.std": "standard deviation of gap_reduction over the repeats (0 for one repeat)",
        "gap_reduction.se": "standard error of the mean gap_reduction: std / √n_repeats",
        "gap_reduction.narrowed": "fraction of the repeats in which dropout narrowed the gap",
    }


def curve_series(curves: dict[str, Curves]) -> dict[str, Series]:
    """Training and validation loss and accuracy against epoch, both models, mean over repeats."""
    series = {}
    for model in MODELS:
        for metric, label, axis in (
            ("loss", "loss", "cross-entropy"),
            ("acc", "accuracy", "accuracy"),
        ):
            for part in ("train", "val"):
                series[f"curve.{model}.{part}_{metric}"] = Series(
                    f"{label.capitalize()} vs epoch (mean over repeats)",
                    f"{model} {part}",
                    curves[model].epochs,
                    getattr(curves[model], f"{part}_{metric}").mean(axis=1),
                    "epoch",
                    axis,
                )
    return series


def model_arrays(curves: dict[str, Curves], trained: dict[str, Weights]) -> dict[str, np.ndarray]:
    """Each model's trained weights and learning curves, named ``plain.W1``, ``dropout.val_acc``…

    Weights keep their leading repeat axis; curves have shape (n_points, n_repeats).
    """
    arrays: dict[str, np.ndarray] = {}
    for model in MODELS:
        arrays.update({f"{model}.{key}": value for key, value in trained[model].items()})
        arrays[f"{model}.epochs"] = curves[model].epochs
        arrays.update({f"{model}.{name}": getattr(curves[model], name) for name in CURVES})
    return arrays
