"""Full-batch training of a small classifier, recording its learning curves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from studyreg.experiments.toolbox.mlp import accuracy, cross_entropy
from studyreg.experiments.toolbox.optim import Adam

__all__ = ["Curves", "train_classifier"]

Params = dict[str, np.ndarray]
LossAndGrad = Callable[
    [Params, np.ndarray, np.ndarray, Sequence[np.ndarray] | None], tuple[float, Params]
]
Logits = Callable[[Params, np.ndarray], np.ndarray]
Masks = Callable[[np.random.Generator, Params, int], list[np.ndarray]]


@dataclass(frozen=True)
class Curves:
    """Per-epoch evaluation (no dropout) of a trained classifier.

    Attributes
    ----------
    epochs : ndarray of shape (n_points,)
        The epochs (1-based) after which the network was evaluated; the last is the
        final epoch.
    train_loss, val_loss, train_acc, val_acc : ndarray of shape (n_points, *members)
        Mean cross-entropy and accuracy at those epochs (of each member when the
        networks carry member axes).
    """

    epochs: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_acc: np.ndarray
    val_acc: np.ndarray


def train_classifier(
    params: Params,
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    loss_and_grad: LossAndGrad,
    logits: Logits,
    masks: Masks | None,
    rng: np.random.Generator,
    n_epochs: int,
    lr: float,
    eval_every: int = 1,
) -> Curves:
    """Train ``params`` in place with full-batch Adam on the mean cross-entropy.

    Each epoch draws fresh dropout masks (when ``masks`` is given) from ``rng`` and
    takes one Adam step; every ``eval_every`` epochs (and after the last) the network
    is evaluated *without* dropout on both sets.

    Parameters
    ----------
    params : dict of str to ndarray
        Initial weights; updated in place.
    data : tuple
        ``(X_train, y_train, X_val, y_val)``; X arrays of shape (*members, n_samples, ...),
        y arrays of shape (*members, n_samples) with integer labels.
    loss_and_grad, logits, masks : callable
        The model: loss and gradient given masks, evaluation logits, and mask drawing.
    rng : numpy.random.Generator
    n_epochs : int
    lr : float
        Adam's learning rate.
    eval_every : int
        Evaluation period in epochs.
    """
    X_train, y_train, X_val, y_val = data
    optimizer = Adam(lr=lr)
    checkpoints = np.unique(np.r_[np.arange(eval_every, n_epochs + 1, eval_every), n_epochs])
    members = y_train.shape[:-1]
    # One evaluation pass for both sets: join them along the samples axis.
    X_both = np.concatenate([X_train, X_val], axis=len(members))
    n_train = y_train.shape[-1]
    curves = np.empty((4, len(checkpoints), *members))
    point = 0
    for epoch in range(1, n_epochs + 1):
        drawn = masks(rng, params, n_train) if masks is not None else None
        _, grads = loss_and_grad(params, X_train, y_train, drawn)
        optimizer.step(params, grads)
        if epoch != checkpoints[point]:
            continue
        both = logits(params, X_both)
        train_logits, val_logits = both[..., :n_train, :], both[..., n_train:, :]
        curves[:, point] = (
            cross_entropy(train_logits, y_train),
            cross_entropy(val_logits, y_val),
            accuracy(train_logits, y_train),
            accuracy(val_logits, y_val),
        )
        point += 1
    return Curves(checkpoints.astype(float), *curves)
