"""``data_augmentation``: random label-preserving shifts help a small MLP learn from few images.

Three small MLPs (one ReLU hidden layer, softmax output) learn to tell four kinds of
stroke apart in noisy ``image_size × image_size`` images (horizontal bar, vertical bar,
diagonal, anti-diagonal; see :func:`~studyreg.experiments.toolbox.datasets.bar_images`) from
only ``n_train`` examples. Each minimises the mean cross-entropy of its (augmented)
training batch by full-batch Adam::

    −(1/n)·Σᵢ log softmax(f(T_t(xᵢ)))[yᵢ]

where ``T_t`` is drawn afresh for every image at every epoch ``t``:

* ``plain``: no augmentation, ``T`` is the identity;
* ``shift``: ``T`` moves the image by a random (dy, dx) in ``[−max_shift, max_shift]²``,
  filling with zeros. A bar moved by a pixel is still the same kind of bar, so the label
  is kept: a *label-preserving* augmentation (bars never lie on the border, so a one-pixel
  shift keeps them whole; with ``max_shift = 2`` a bar next to the border is now and then
  pushed out of the picture);
* ``flip``: the same shifts, and half of the images are also turned upside down. That
  keeps horizontal and vertical bars what they are but turns a diagonal into an
  anti-diagonal, while the label stays "diagonal": an augmentation that breaks the label
  of two classes out of four.

The three networks start from the same weights on the same images, in ``n_repeats``
independent repeats (own images and weights), trained as stacked members of one
computation. Outputs are means over the repeats.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result
from studyreg.experiments.toolbox.datasets import BAR_CLASSES, bar_images, split
from studyreg.experiments.toolbox.mlp import (
    accuracy,
    cross_entropy,
    init_mlp,
    mlp_logits,
    mlp_loss_and_grad,
)
from studyreg.experiments.toolbox.optim import Adam

VARIANTS = ("plain", "shift", "flip")
N_CLASSES = len(BAR_CLASSES)
DIAGONALS = (2, 3)  # the classes an upside-down flip exchanges
# Multiply-adds over the run above which it would take more than about half a second.
WORK_BUDGET = 1e9
EVALUATIONS = 20


class Params(BaseModel):
    """Parameters of ``data_augmentation``."""

    model_config = ConfigDict(extra="forbid")

    n_train: int = Field(24, ge=8, le=400, description="training images (few: about six per class)")
    n_val: int = Field(400, ge=50, le=4000, description="validation images")
    image_size: int = Field(8, ge=6, le=16, description="images are image_size × image_size pixels")
    noise: float = Field(
        0.3, ge=0.0, le=2.0, description="standard deviation of the Gaussian noise on every pixel"
    )
    max_shift: int = Field(
        1, ge=1, le=2, description="augmentation shifts images by up to this many pixels each way"
    )
    n_hidden: int = Field(32, ge=4, le=256, description="units in the hidden ReLU layer")
    n_epochs: int = Field(150, ge=20, le=2000, description="full-batch Adam steps")
    lr: float = Field(0.015, ge=1e-4, le=0.1, description="Adam learning rate")
    n_repeats: int = Field(
        4,
        ge=1,
        le=16,
        description="independent repeats (own images and initial weights); outputs are their means",
    )

    @model_validator(mode="after")
    def _feasible(self) -> Params:
        pixels = self.image_size**2
        per_image = (
            len(VARIANTS) * self.n_repeats * (pixels * self.n_hidden + self.n_hidden * N_CLASSES)
        )
        evaluations = min(self.n_epochs, EVALUATIONS)
        work = per_image * (
            3 * self.n_epochs * self.n_train + evaluations * (self.n_train + self.n_val)
        )
        if work > WORK_BUDGET:
            raise ValueError(
                f"this combination is too large to run quickly (about {work:.2g} multiply-adds, "
                f"limit {WORK_BUDGET:.0g}); lower n_epochs, n_repeats, n_train, n_val, n_hidden "
                "or image_size"
            )
        return self


def _variant_outputs(variant: str, what: str) -> dict[str, str]:
    mean = "mean over the repeats"
    return {
        f"{variant}.train_acc": f"{what}: accuracy on the original training images, {mean}",
        f"{variant}.val_acc": f"{what}: validation accuracy, {mean}",
        f"{variant}.gap": f"{what}: train_acc − val_acc, {mean}",
        f"{variant}.val_loss": f"{what}: validation cross-entropy, {mean}",
        f"{variant}.val_acc_bars": f"{what}: validation accuracy on horizontal and vertical bars, {mean}",
        f"{variant}.val_acc_diagonals": f"{what}: validation accuracy on diagonals and anti-diagonals, {mean}",
        f"{variant}.consistency": (
            f"{what}: share of validation images whose predicted class stays the same when the "
            f"image is moved by one pixel (each of the four directions), {mean}"
        ),
    }


OUTPUTS = {
    "n_repeats": "independent repeats averaged",
    "n_shifts": "distinct shifts the augmentation draws from, (2·max_shift + 1)²",
    **_variant_outputs("plain", "no augmentation"),
    **_variant_outputs("shift", "random shifts (label-preserving)"),
    **_variant_outputs("flip", "random shifts and upside-down flips (breaks the diagonal labels)"),
    "gain": "shift.val_acc − plain.val_acc: what label-preserving augmentation adds, mean over the repeats",
    "gain.se": "standard error of gain over the repeats (0 with one repeat)",
    "gain.min": "smallest gain of any single repeat",
    "flip_cost": "shift.val_acc − flip.val_acc: what the label-breaking flips take away again",
}


def shifted(images: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Images moved down by ``dy`` and right by ``dx`` pixels, zeros shifted in.

    Parameters
    ----------
    images : ndarray of shape (..., size, size)
    dy, dx : int
        Negative values move up and left. ``|dy|`` and ``|dx|`` below ``size``.

    Returns
    -------
    moved : ndarray of the same shape
    """
    size = images.shape[-1]
    moved = np.zeros_like(images)
    rows_to = slice(max(dy, 0), size + min(dy, 0))
    rows_from = slice(max(-dy, 0), size + min(-dy, 0))
    cols_to = slice(max(dx, 0), size + min(dx, 0))
    cols_from = slice(max(-dx, 0), size + min(-dx, 0))
    moved[..., rows_to, cols_to] = images[..., rows_from, cols_from]
    return moved


def all_shifts(images: np.ndarray, max_shift: int) -> np.ndarray:
    """Every shift of every image by up to ``max_shift`` pixels each way.

    Returns
    -------
    versions : ndarray of shape ((2·max_shift + 1)², *images.shape)
        Index ``(dy + max_shift)·(2·max_shift + 1) + (dx + max_shift)``; the middle one
        is the images themselves.
    """
    steps = range(-max_shift, max_shift + 1)
    return np.stack([shifted(images, dy, dx) for dy in steps for dx in steps])


def _consistency(params: dict[str, np.ndarray], images: np.ndarray) -> np.ndarray:
    """Share of images whose predicted class survives each one-pixel move (mean of four)."""
    flat = images.reshape(*images.shape[:-2], -1)
    base = np.argmax(mlp_logits(params, flat), axis=-1)
    same = []
    for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        moved = shifted(images, dy, dx).reshape(flat.shape)
        same.append(np.argmax(mlp_logits(params, moved), axis=-1) == base)
    return np.mean(same, axis=(0, -1))


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    R, size, m = params.n_repeats, params.image_size, params.max_shift
    n = params.n_train + params.n_val
    pixels = size * size
    images, labels = bar_images(rng, R * n, size, params.noise)
    images, labels = images.reshape(R, n, size, size), labels.reshape(R, n)
    train, val = split(n, params.n_val)
    train_images, y_train = images[:, train], labels[:, train]
    val_images, y_val = images[:, val], labels[:, val]

    # Candidates for each training image: all shifts, then all shifts turned upside down.
    versions = all_shifts(train_images, m)  # (n_shifts, R, n_train, size, size)
    n_shifts = len(versions)
    versions = np.concatenate([versions, versions[..., ::-1, :]]).reshape(
        2 * n_shifts, R, params.n_train, pixels
    )
    middle = n_shifts // 2
    V = len(VARIANTS)
    weights = init_mlp(rng, (pixels, params.n_hidden, N_CLASSES), members=(R,))
    weights = {key: np.stack([value] * V) for key, value in weights.items()}
    y_members = np.broadcast_to(y_train, (V, R, params.n_train))
    X_original = versions[middle]  # (R, n_train, pixels)
    X_eval = np.broadcast_to(
        np.concatenate([X_original, val_images.reshape(R, params.n_val, pixels)], axis=1),
        (V, R, n, pixels),
    )
    y_val_members = np.broadcast_to(y_val, (V, *y_val.shape))
    optimizer = Adam(lr=params.lr)
    rows = np.arange(R)[:, None], np.arange(params.n_train)[None, :]
    every = max(1, params.n_epochs // EVALUATIONS)
    epochs, curves = [], []
    for epoch in range(1, params.n_epochs + 1):
        pick_shift = rng.integers(0, n_shifts, (R, params.n_train))
        pick_flip = pick_shift + n_shifts * (rng.random((R, params.n_train)) < 0.5)
        X = np.stack([X_original, versions[(pick_shift, *rows)], versions[(pick_flip, *rows)]])
        _, grads = mlp_loss_and_grad(weights, X, y_members)
        optimizer.step(weights, grads)
        if epoch % every == 0 or epoch == params.n_epochs:
            logits = mlp_logits(weights, X_eval)
            val_logits = logits[..., params.n_train :, :]  # the last one is kept
            epochs.append(epoch)
            curves.append(
                (
                    accuracy(logits[..., : params.n_train, :], y_members),
                    accuracy(val_logits, y_val_members),
                    cross_entropy(val_logits, y_val_members),
                )
            )
    train_acc, val_acc, val_loss = curves[-1]  # each (V, R)
    correct = np.argmax(val_logits, axis=-1) == y_val  # (V, R, n_val)
    diagonal = np.isin(y_val, DIAGONALS)
    per_variant = {
        "train_acc": train_acc,
        "val_acc": val_acc,
        "gap": train_acc - val_acc,
        "val_loss": val_loss,
        "val_acc_bars": (correct & ~diagonal).sum(axis=-1)
        / np.maximum((~diagonal).sum(axis=-1), 1),
        "val_acc_diagonals": (correct & diagonal).sum(axis=-1)
        / np.maximum(diagonal.sum(axis=-1), 1),
        "consistency": _consistency(weights, np.broadcast_to(val_images, (V, *val_images.shape))),
    }
    outputs: dict[str, float | int | bool] = {"n_repeats": R, "n_shifts": n_shifts}
    for index, variant in enumerate(VARIANTS):
        for key, values in per_variant.items():
            outputs[f"{variant}.{key}"] = float(values[index].mean())
    gains = val_acc[1] - val_acc[0]
    outputs["gain"] = float(gains.mean())
    outputs["gain.se"] = float(gains.std(ddof=1) / np.sqrt(R)) if R > 1 else 0.0
    outputs["gain.min"] = float(gains.min())
    outputs["flip_cost"] = float((val_acc[1] - val_acc[2]).mean())

    steps = np.array(epochs, dtype=float)
    history = np.array([[c[0], c[1]] for c in curves])  # (points, 2, V, R)
    series: dict[str, Series] = {}
    for index, variant in enumerate(VARIANTS):
        series[f"val_acc.{variant}"] = Series(
            "Validation accuracy",
            variant,
            steps,
            history[:, 1, index].mean(axis=-1),
            "epoch",
            "accuracy",
        )
        series[f"train_acc.{variant}"] = Series(
            "Training accuracy (original images)",
            variant,
            steps,
            history[:, 0, index].mean(axis=-1),
            "epoch",
            "accuracy",
        )
    arrays = {
        "X_train": train_images,
        "y_train": y_train,
        "X_val": val_images,
        "y_val": y_val,
        "example_shifts": versions[:, 0, 0].reshape(2 * n_shifts, size, size),
        "repeats.gain": gains,
    }
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="data_augmentation",
    summary=(
        "A small MLP learns from few images far better with random label-preserving shifts; "
        "flips that swap two classes take part of the gain back."
    ),
    objective=(
        "mean cross-entropy −(1/n)·Σᵢ log softmax(f(T(xᵢ)))[yᵢ] of a one-hidden-layer ReLU "
        "network, full-batch Adam; T drawn per image and epoch: identity (plain), a random "
        "shift by up to max_shift pixels with zero fill (shift), or such a shift and, with "
        "probability 1/2, an upside-down flip (flip); n_repeats independent triples from "
        "shared initial weights"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "plain.val_acc",
        "shift.val_acc",
        "flip.val_acc",
        "gain",
        "gain.se",
        "plain.consistency",
        "shift.consistency",
    ),
)
