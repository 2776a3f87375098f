"""Train one network twice, without and with dropout, from the same start: the shared
core of the ``dropout`` and ``cnn_dropout`` experiments."""

from __future__ import annotations

import numpy as np

from studyreg.experiments.base import Series
from studyreg.experiments.training import Curves, Logits, LossAndGrad, Masks, train_classifier

MODELS = ("plain", "dropout")
Weights = dict[str, np.ndarray]


def train_both(
    initial: Weights,
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    loss_and_grad: LossAndGrad,
    logits: Logits,
    masks: Masks,
    train_seed: int,
    n_epochs: int,
    lr: float,
    eval_every: int,
) -> tuple[dict[str, Curves], dict[str, Weights]]:
    """Train from copies of ``initial`` with the same seed, so only dropout differs."""
    curves: dict[str, Curves] = {}
    trained: dict[str, Weights] = {}
    for model, drawer in zip(MODELS, (None, masks), strict=True):
        weights = {key: value.copy() for key, value in initial.items()}
        curves[model] = train_classifier(
            weights,
            data,
            loss_and_grad=loss_and_grad,
            logits=logits,
            masks=drawer,
            rng=np.random.default_rng(train_seed),
            n_epochs=n_epochs,
            lr=lr,
            eval_every=eval_every,
        )
        trained[model] = weights
    return curves, trained


def summary(model: str, curves: Curves, *, loss_gap: bool = False) -> dict[str, float]:
    """Final losses, accuracies and the generalization gap of one trained model."""
    outputs = {
        f"{model}.train_loss": float(curves.train_loss[-1]),
        f"{model}.val_loss": float(curves.val_loss[-1]),
        f"{model}.train_acc": float(curves.train_acc[-1]),
        f"{model}.val_acc": float(curves.val_acc[-1]),
        f"{model}.gap": float(curves.train_acc[-1] - curves.val_acc[-1]),
    }
    if loss_gap:
        outputs[f"{model}.loss_gap"] = float(curves.val_loss[-1] - curves.train_loss[-1])
    outputs[f"{model}.best_val_acc"] = float(curves.val_acc.max())
    return outputs


def comparison_outputs(curves: dict[str, Curves], *, loss_gap: bool = False) -> dict[str, float]:
    outputs = {**summary("plain", curves["plain"], loss_gap=loss_gap)}
    outputs.update(summary("dropout", curves["dropout"], loss_gap=loss_gap))
    outputs["gap_reduction"] = outputs["plain.gap"] - outputs["dropout.gap"]
    outputs["val_acc_change"] = outputs["dropout.val_acc"] - outputs["plain.val_acc"]
    return outputs


def curve_series(curves: dict[str, Curves]) -> dict[str, Series]:
    """Training and validation loss and accuracy against epoch, both models."""
    series = {}
    for model in MODELS:
        for metric, label, axis in (
            ("loss", "loss", "cross-entropy"),
            ("acc", "accuracy", "accuracy"),
        ):
            for part in ("train", "val"):
                series[f"curve.{model}.{part}_{metric}"] = Series(
                    f"{label.capitalize()} vs epoch",
                    f"{model} {part}",
                    curves[model].epochs,
                    getattr(curves[model], f"{part}_{metric}"),
                    "epoch",
                    axis,
                )
    return series


def model_arrays(curves: dict[str, Curves], trained: dict[str, Weights]) -> dict[str, np.ndarray]:
    """Each model's trained weights and learning curves, named ``plain.W1``, ``dropout.val_acc``…"""
    arrays: dict[str, np.ndarray] = {}
    for model in MODELS:
        arrays.update({f"{model}.{key}": value for key, value in trained[model].items()})
        arrays.update(
            {
                f"{model}.{name}": getattr(curves[model], name)
                for name in ("epochs", "train_loss", "val_loss", "train_acc", "val_acc")
            }
        )
    return arrays
