"""``label_smoothing``: soft targets cap the confidence a classifier can learn.

Label smoothing replaces the one-hot target of a K-class example by
``q = (1 − ε)·onehot(y) + ε/K``. The objective minimised is the mean cross-entropy
against these targets::

    −(1/n)·Σᵢ Σₖ qᵢₖ·log softmax(f(xᵢ))ₖ

Its gradient with respect to the logits is ``softmax(z) − q``, so wherever the model
can set an example's logits freely the optimum is ``softmax(z) = q``: the labelled class
gets probability ``1 − ε + ε/K``, every other class ``ε/K``, and the logit of the label
exceeds each other logit by ``log((1 − ε + ε/K)/(ε/K)) = log(1 + K·(1 − ε)/ε)``. Without
smoothing (ε = 0) there is no finite optimum on separable data: the logits grow without
bound and the model becomes ever more confident.

The experiment measures this three ways: it minimises the smoothed loss over one free
logit vector by Newton's method; it trains a softmax regression (one linear layer) on
few noisy examples drawn as Gaussian class clouds, which can fit the logits of every training example and so should reach
the closed form on each of them; and it compares the trained models' confidence on
held-out examples with their accuracy (overconfidence, expected calibration error, and
validation cross-entropy), with and without smoothing, averaged over independent repeats.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result
from studyreg.experiments.toolbox.datasets import split
from studyreg.experiments.toolbox.mlp import mlp_logits
from studyreg.experiments.toolbox.training import train_classifier

# Multiply-adds over the run above which it would take more than about a quarter second.
WORK_BUDGET = 3e8
# Newton steps at most for the free logit vector (it needs about ten).
FREE_STEPS = 200
# Largest change of any logit in one Newton step (keeps far-off starts from overshooting).
MAX_LOGIT_STEP = 1.0
CALIBRATION_BINS = 10
# Points on the learning curves.
EVALUATIONS = 40


class Params(BaseModel):
    """Parameters of ``label_smoothing``."""

    model_config = ConfigDict(extra="forbid")

    epsilon: float = Field(
        0.1, ge=0.01, le=0.5, description="ε: share of each target spread evenly over the classes"
    )
    n_classes: int = Field(4, ge=2, le=10, description="K: number of classes")
    n_features: int = Field(
        200, ge=2, le=500, description="inputs per example (many: the training set is separable)"
    )
    n_train: int = Field(
        32,
        ge=4,
        le=501,
        description="training examples; at most n_features + 1, so that their logits can be fitted exactly",
    )
    n_val: int = Field(300, ge=50, le=5000, description="validation examples")
    separation: float = Field(
        3.0,
        ge=0.0,
        le=10.0,
        description="distance of each class mean from the origin, in noise standard deviations",
    )
    n_epochs: int = Field(150, ge=50, le=3000, description="full-batch Adam steps")
    lr: float = Field(0.05, ge=1e-3, le=0.5, description="Adam learning rate")
    n_repeats: int = Field(
        3,
        ge=1,
        le=16,
        description="independent repeats (own examples and initial weights); outputs are their means",
    )

    @model_validator(mode="after")
    def _feasible(self) -> Params:
        if self.n_train > self.n_features + 1:
            raise ValueError(
                f"n_train ({self.n_train}) must be at most n_features + 1 ({self.n_features + 1}), "
                "so that a linear model can fit the logits of every training example"
            )
        per_row = 2 * self.n_repeats * self.n_features * self.n_classes  # both models
        evaluations = min(self.n_epochs, EVALUATIONS)
        work = per_row * (
            3 * self.n_epochs * self.n_train + evaluations * (self.n_train + self.n_val)
        )
        if work > WORK_BUDGET:
            raise ValueError(
                f"this combination is too large to run quickly (about {work:.2g} multiply-adds, "
                f"limit {WORK_BUDGET:.0g}); lower n_epochs, n_repeats, n_train, n_val, n_features or n_classes"
            )
        return self


def _model_outputs(model: str, what: str) -> dict[str, str]:
    mean = "mean over the repeats"
    return {
        f"{model}.train_p_true": f"{what}: probability given to the label, mean over training examples, {mean}",
        f"{model}.logit_gap": (
            f"{what}: logit of the label minus the mean of the other logits, mean over training examples, {mean}"
        ),
        f"{model}.train_acc": f"{what}: training accuracy, {mean}",
        f"{model}.val_acc": f"{what}: validation accuracy, {mean}",
        f"{model}.val_conf": f"{what}: largest predicted probability, mean over validation examples, {mean}",
        f"{model}.overconfidence": f"{what}: val_conf − val_acc (positive: more confident than accurate), {mean}",
        f"{model}.ece": (
            f"{what}: expected calibration error on validation ({CALIBRATION_BINS} confidence bins), {mean}"
        ),
        f"{model}.val_nll": f"{what}: validation cross-entropy against the true (hard) labels, {mean}",
    }


OUTPUTS = {
    "n_classes": "number of classes K",
    "n_repeats": "independent repeats averaged",
    "target.p_true": "1 − ε + ε/K: the smoothed target of the labelled class (formula)",
    "target.p_other": "ε/K: the smoothed target of every other class (formula)",
    "target.logit_gap": "log((1 − ε + ε/K)/(ε/K)): the logit gap at the optimum (formula)",
    "free.p_true": "measured: probability of the label after minimising the smoothed loss over free logits",
    "free.p_other_max": "measured: largest probability of another class at that minimum",
    "free.logit_gap": "measured: logit of the label minus each other logit there (their mean)",
    "smooth.p_true_max_error": (
        "largest |p(label) − (1 − ε + ε/K)| over every training example of every repeat, smoothed model"
    ),
    **_model_outputs("plain", "without smoothing"),
    **_model_outputs("smooth", "with label smoothing ε"),
    "overconfidence_reduction": "plain.overconfidence − smooth.overconfidence, mean over the repeats",
}


def gaussian_classes(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    n_features: int,
    n_classes: int,
    separation: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Classes as Gaussian clouds: ``x = μ_y + N(0, I)`` with a uniformly drawn label ``y``.

    Each group of examples (every index of ``shape`` but the last) gets its own class
    means ``μ_k``: random directions scaled to length ``separation``.

    Returns
    -------
    X : ndarray of shape (*shape, n_features)
    y : ndarray of shape shape
        Integer labels in ``0..n_classes − 1``.
    """
    groups = shape[:-1]
    means = rng.standard_normal((*groups, n_classes, n_features))
    means *= separation / np.linalg.norm(means, axis=-1, keepdims=True)
    y = rng.integers(0, n_classes, shape)
    centres = np.take_along_axis(means, y[..., None], axis=-2)
    return centres + rng.standard_normal((*shape, n_features)), y


def smoothed_targets(y: np.ndarray, n_classes: int, epsilon: float | np.ndarray) -> np.ndarray:
    """``(1 − ε)·onehot(y) + ε/K`` for integer labels.

    Parameters
    ----------
    y : ndarray of shape (*members, n_samples)
        Integer labels in ``0..n_classes − 1``.
    n_classes : int
    epsilon : float or ndarray broadcastable to (*members, 1, 1)
        Smoothing; ``0`` gives the one-hot targets.

    Returns
    -------
    targets : ndarray of shape (*members, n_samples, n_classes)
        Each row sums to 1.
    """
    onehot = (y[..., None] == np.arange(n_classes)).astype(float)
    return (1.0 - epsilon) * onehot + epsilon / n_classes


def soft_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy against soft targets and its gradient with respect to the logits.

    Parameters
    ----------
    logits : ndarray of shape (*members, n_samples, n_classes)
    targets : ndarray of the same shape
        Rows of probabilities.

    Returns
    -------
    loss : float
        ``−mean_i Σ_k targets_ik·log softmax(logits_i)_k``, summed over the members.
    dlogits : ndarray of shape (*members, n_samples, n_classes)
        ``(softmax(logits) − targets) / n_samples``.
    """
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    loss = -float((targets * log_probs).sum(axis=-1).mean(axis=-1).sum())
    return loss, (np.exp(log_probs) - targets) / logits.shape[-2]


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax over the last axis."""
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def minimise_free_logits(
    rng: np.random.Generator, target: np.ndarray, max_steps: int = FREE_STEPS
) -> np.ndarray:
    """Minimise ``−Σₖ targetₖ·log softmax(z)ₖ`` over a free logit vector ``z``.

    Newton's method with step halving and no logit moved by more than
    ``MAX_LOGIT_STEP`` per step, from standard normal logits drawn from ``rng``.
    The Hessian ``diag(p) − ppᵀ`` is singular along ``(1, …, 1)`` (adding a constant to
    every logit changes nothing), so each step solves with ``11ᵀ/K`` added, which
    leaves that direction alone. Stops when the gradient is below 1e-12 or no step
    lowers the loss any more.

    Parameters
    ----------
    rng : numpy.random.Generator
    target : ndarray of shape (n_classes,)
        A probability vector with no zero entry.
    max_steps : int

    Returns
    -------
    z : ndarray of shape (n_classes,)
    """
    K = target.size
    z = rng.standard_normal(K)

    def loss_grad(logits: np.ndarray) -> tuple[float, np.ndarray]:
        loss, grad = soft_cross_entropy(logits[None, None], target[None, None])
        return loss, grad[0, 0]

    loss, grad = loss_grad(z)
    for _ in range(max_steps):
        if np.abs(grad).max() < 1e-12:
            break
        p = softmax(z)
        hessian = np.diag(p) - np.outer(p, p) + 1.0 / K
        step = np.linalg.lstsq(hessian, grad, rcond=None)[0]
        size = min(1.0, MAX_LOGIT_STEP / np.abs(step).max())
        while size > 1e-6:
            trial_loss, trial_grad = loss_grad(z - size * step)
            # Near the minimum the loss stops resolving the progress; the gradient still does.
            if trial_loss < loss or np.abs(trial_grad).max() < np.abs(grad).max():
                break
            size /= 2
        else:  # no descent left at this precision: done
            break
        z, loss, grad = z - size * step, trial_loss, trial_grad
    return z


def calibration_error(
    probs: np.ndarray, y: np.ndarray, n_bins: int = CALIBRATION_BINS
) -> np.ndarray:
    """Expected calibration error: Σ_b (n_b/n)·|accuracy_b − confidence_b| over confidence bins.

    Parameters
    ----------
    probs : ndarray of shape (*members, n_samples, n_classes)
    y : ndarray of shape (*members, n_samples)
    n_bins : int
        Equal-width bins of the largest probability on [0, 1].

    Returns
    -------
    ece : ndarray of shape members
    """
    confidence = probs.max(axis=-1)
    correct = probs.argmax(axis=-1) == y
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    onehot = bins[..., None] == np.arange(n_bins)  # (*members, n, n_bins)
    gap = ((confidence - correct)[..., None] * onehot).sum(axis=-2)  # Σ over each bin
    return np.abs(gap).sum(axis=-1) / y.shape[-1]


def reliability(
    probs: np.ndarray, y: np.ndarray, n_bins: int = CALIBRATION_BINS
) -> tuple[np.ndarray, np.ndarray]:
    """Mean confidence and accuracy in each non-empty confidence bin, pooling every member.

    Parameters
    ----------
    probs : ndarray of shape (*members, n_samples, n_classes)
    y : ndarray of shape (*members, n_samples)

    Returns
    -------
    confidence, accuracy : ndarray of shape (n_non_empty_bins,)
    """
    confidence = probs.max(axis=-1).ravel()
    correct = (probs.argmax(axis=-1) == y).ravel()
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    used = counts > 0
    mean_conf = np.bincount(bins, confidence, n_bins)[used] / counts[used]
    return mean_conf, np.bincount(bins, correct, n_bins)[used] / counts[used]


def _label_gap(logits: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logit of the label minus the mean of the other logits, per example."""
    own = np.take_along_axis(logits, y[..., None], axis=-1)[..., 0]
    others = (logits.sum(axis=-1) - own) / (logits.shape[-1] - 1)
    return own - others


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    eps, K, R = params.epsilon, params.n_classes, params.n_repeats
    n, d = params.n_train + params.n_val, params.n_features

    # 1. The closed form, by descent on one free logit vector.
    target = smoothed_targets(np.array([0]), K, eps)[0]
    z = minimise_free_logits(rng, target)
    p_free = softmax(z)

    # 2. Softmax regression on few noisy examples; member axes (variant, repeat), where
    #    variant 0 learns from one-hot targets and variant 1 from smoothed ones.
    X, y = gaussian_classes(rng, (R, n), d, K, params.separation)
    train, val = split(n, params.n_val)
    both = np.stack([X, X]), np.stack([y, y])
    data = (both[0][:, :, train], both[1][:, :, train], both[0][:, :, val], both[1][:, :, val])
    epsilons = np.array([0.0, eps])[:, None, None, None]
    targets = smoothed_targets(data[1], K, epsilons)
    # Zero initial weights, as usual for a convex model: the weights then stay in the span
    # of the training inputs, and no untrained random part adds noise to unseen examples.
    weights = {"W0": np.zeros((2, R, d, K)), "b0": np.zeros((2, R, K))}

    def loss_and_grad(
        p: dict[str, np.ndarray], X_: np.ndarray, y_: np.ndarray, masks: object
    ) -> tuple[float, dict[str, np.ndarray]]:
        loss, delta = soft_cross_entropy(mlp_logits(p, X_), targets)
        return loss, {"W0": np.swapaxes(X_, -1, -2) @ delta, "b0": delta.sum(axis=-2)}

    curves = train_classifier(
        weights,
        data,
        loss_and_grad=loss_and_grad,
        logits=mlp_logits,
        masks=None,
        rng=rng,
        n_epochs=params.n_epochs,
        lr=params.lr,
        eval_every=max(1, params.n_epochs // EVALUATIONS),
    )
    train_logits = mlp_logits(weights, data[0])
    val_logits = mlp_logits(weights, data[2])
    train_probs, val_probs = softmax(train_logits), softmax(val_logits)
    p_label = np.take_along_axis(train_probs, data[1][..., None], axis=-1)[..., 0]
    val_conf = val_probs.max(axis=-1).mean(axis=-1)  # (2, R)
    val_acc = curves.val_acc[-1]
    per_model = {
        "train_p_true": p_label.mean(axis=-1),
        "logit_gap": _label_gap(train_logits, data[1]).mean(axis=-1),
        "train_acc": curves.train_acc[-1],
        "val_acc": val_acc,
        "val_conf": val_conf,
        "overconfidence": val_conf - val_acc,
        "ece": calibration_error(val_probs, data[3]),
        "val_nll": curves.val_loss[-1],
    }

    outputs: dict[str, float | int | bool] = {
        "n_classes": K,
        "n_repeats": R,
        "target.p_true": float(target[0]),
        "target.p_other": float(target[1]),
        "target.logit_gap": math.log(target[0] / target[1]),
        "free.p_true": float(p_free[0]),
        "free.p_other_max": float(p_free[1:].max()),
        "free.logit_gap": float(z[0] - z[1:].mean()),
        "smooth.p_true_max_error": float(np.abs(p_label[1] - target[0]).max()),
    }
    for index, model in enumerate(("plain", "smooth")):
        for key, values in per_model.items():
            outputs[f"{model}.{key}"] = float(values[index].mean())
    outputs["overconfidence_reduction"] = float(
        (per_model["overconfidence"][0] - per_model["overconfidence"][1]).mean()
    )

    epochs = curves.epochs
    series: dict[str, Series] = {}
    for index, model in enumerate(("plain", "smooth")):
        label = "one-hot targets" if index == 0 else f"smoothed, ε = {eps:g}"
        series[f"val_loss.{model}"] = Series(
            "Validation cross-entropy",
            label,
            epochs,
            curves.val_loss[:, index].mean(axis=-1),
            "epoch",
            "cross-entropy",
        )
        series[f"train_loss.{model}"] = Series(
            "Training cross-entropy (hard labels)",
            label,
            epochs,
            curves.train_loss[:, index].mean(axis=-1),
            "epoch",
            "cross-entropy",
            yscale="log",
        )
    figure = "Reliability on validation (accuracy against confidence)"
    diagonal = np.array([1.0 / K, 1.0])
    series["reliability.ideal"] = Series(
        figure, "perfect calibration", diagonal, diagonal, "confidence", "accuracy"
    )
    for index, model in enumerate(("plain", "smooth")):
        confidence, accuracy = reliability(val_probs[index], data[3][index])
        series[f"reliability.{model}"] = Series(
            figure, model, confidence, accuracy, "confidence", "accuracy", kind="scatter"
        )
    arrays = {
        "X_train": data[0][0],
        "y_train": data[1][0],
        "X_val": data[2][0],
        "y_val": data[3][0],
        "plain.W": weights["W0"][0],
        "smooth.W": weights["W0"][1],
        "smooth.train_p_true": p_label[1],
        "plain.train_p_true": p_label[0],
        "free.logits": z,
    }
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="label_smoothing",
    summary=(
        "Smoothed targets (1 − ε)·onehot + ε/K bound the logits: p(label) → 1 − ε + ε/K, "
        "and the classifier is less overconfident on unseen examples."
    ),
    objective=(
        "−(1/n)·Σᵢ Σₖ qᵢₖ·log softmax(xᵢᵀW + b)ₖ with qᵢ = (1 − ε)·onehot(yᵢ) + ε/K (plain: ε = 0), "
        "softmax regression on Gaussian class clouds by full-batch Adam from W = 0, b = 0; "
        "free logits: −Σₖ qₖ·log softmax(z)ₖ by Newton's method"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "target.p_true",
        "smooth.train_p_true",
        "plain.train_p_true",
        "smooth.logit_gap",
        "plain.logit_gap",
        "plain.overconfidence",
        "smooth.overconfidence",
    ),
)
