"""``cnn_dropout``: dropout after the dense layer of a tiny CNN narrows its train/val gap.

Averaged over ``n_repeats`` independent pairs of networks, as in ``dropout`` (see
:mod:`studyreg.experiments.toolbox.variants`). The outputs also say where the parameters
sit: in this tiny network and in VGG-16 most are in the dense layers, in ResNet-50 (global
average pooling, then one classifier) few are (exact counts,
:mod:`studyreg.experiments.toolbox.architectures`).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, check_cost, make_result
from studyreg.experiments.toolbox.architectures import resnet50_params, vgg16_params
from studyreg.experiments.toolbox.cnn import (
    cnn_dropout_masks,
    cnn_logits,
    cnn_loss_and_grad,
    init_cnn,
)
from studyreg.experiments.toolbox.datasets import BAR_CLASSES, bar_images, flip_labels
from studyreg.experiments.toolbox.variants import (
    comparison_outputs,
    curve_series,
    model_arrays,
    per_repeat,
    spread_outputs,
    train_both,
)

# Multiply-adds summed over the run above which it would take more than about a second.
WORK_BUDGET = 2e9


class Params(BaseModel):
    """Parameters of ``cnn_dropout``."""

    model_config = ConfigDict(extra="forbid")

    image_size: int = Field(
        6, ge=6, le=16, description="images are image_size × image_size pixels (an even number)"
    )
    n_train: int = Field(
        200, ge=8, le=400, description="training images (few, so the network can memorize them)"
    )
    n_val: int = Field(600, ge=40, le=2000, description="validation images")
    noise: float = Field(0.4, ge=0.0, le=3.0, description="standard deviation of the pixel noise")
    label_noise: float = Field(
        0.2, ge=0.0, le=0.5, description="fraction of training labels replaced by a wrong class"
    )
    n_filters: int = Field(6, ge=1, le=16, description="3×3 convolution filters")
    n_hidden: int = Field(
        32, ge=4, le=256, description="units in the dense layer before the output"
    )
    p: float = Field(0.6, ge=0.0, le=0.9, description="dropout rate after the dense layer")
    n_epochs: int = Field(150, ge=10, le=1000, description="full-batch Adam steps")
    n_repeats: int = Field(
        2,
        ge=1,
        le=32,
        description="independent repeats (own images, initial weights and masks); outputs are their means",
    )
    lr: float = Field(0.01, ge=1e-4, le=0.1, description="Adam learning rate")
    eval_every: int = Field(
        10, ge=1, le=100, description="evaluate the learning curves every this many epochs"
    )

    @model_validator(mode="after")
    def _feasible(self) -> Params:
        if self.image_size % 2:
            raise ValueError(
                f"image_size must be even (3×3 convolution then 2×2 pooling), got {self.image_size}"
            )
        side = self.image_size - 2
        per_image = (
            side * side * self.n_filters * 9 + (side // 2) ** 2 * self.n_filters * self.n_hidden
        )
        evaluated = (self.n_train + self.n_val) / self.eval_every
        work = (
            2 * self.n_repeats * self.n_epochs * (4 * self.n_train + evaluated) * per_image
        )  # backprop costs ~3 passes
        check_cost(
            work,
            WORK_BUDGET,
            "lower n_epochs, n_train, n_hidden, n_filters or image_size, or raise eval_every",
        )
        return self


def _split_outputs(model: str, what: str) -> dict[str, str]:
    mean = "mean over the repeats"
    return {
        f"{model}.train_loss": f"{what}: cross-entropy on the training images after training, {mean}",
        f"{model}.val_loss": f"{what}: cross-entropy on the validation images, {mean}",
        f"{model}.train_acc": f"{what}: training accuracy (against the noisy training labels), {mean}",
        f"{model}.val_acc": f"{what}: validation accuracy, {mean}",
        f"{model}.gap": f"{what}: train_acc − val_acc, {mean}",
        f"{model}.best_val_acc": f"{what}: best validation accuracy over the evaluated epochs, {mean}",
    }


OUTPUTS = {
    "n_classes": "number of image classes (horizontal, vertical, diagonal, anti-diagonal stroke)",
    "n_params": "number of trainable weights and biases of one network",
    "n_repeats": "independent repeats averaged",
    **_split_outputs("plain", "without dropout"),
    **_split_outputs("dropout", "with dropout of rate p after the dense layer"),
    "gap_reduction": "plain.gap − dropout.gap: how much dropout narrows the accuracy gap, mean over the repeats",
    **spread_outputs(),
    "val_acc_change": "dropout.val_acc − plain.val_acc, mean over the repeats",
    "dense_fraction": "share of this network's parameters in its two dense layers (exact)",
    "vgg16.n_params": "trainable parameters of VGG-16 for 224×224 images and 1000 classes (exact)",
    "vgg16.fc_fraction": "share of VGG-16's parameters in its three fully connected layers",
    "resnet50.n_params": "trainable parameters of ResNet-50 for 1000 classes (exact)",
    "resnet50.fc_fraction": (
        "share of ResNet-50's parameters in its one fully connected layer (after global "
        "average pooling)"
    ),
}


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    n_classes = len(BAR_CLASSES)
    repeats, n = params.n_repeats, params.n_train + params.n_val
    size = params.image_size
    images, labels = bar_images(rng, repeats * n, size, params.noise)
    images, labels = images.reshape(repeats, n, size, size), labels.reshape(repeats, n)
    X_train, X_val = images[:, : params.n_train], images[:, params.n_train :]
    y_val = labels[:, params.n_train :]
    clean = labels[:, : params.n_train]
    y_train = flip_labels(rng, clean.ravel(), params.label_noise, n_classes).reshape(clean.shape)
    initial = init_cnn(rng, size, params.n_filters, params.n_hidden, n_classes, members=(repeats,))
    train_seed = int(rng.integers(2**63))

    def masks(generator: np.random.Generator, weights: dict, n_rows: int) -> list[np.ndarray]:
        return cnn_dropout_masks(generator, weights, n_rows, params.p)

    curves, trained = train_both(
        initial,
        (X_train, y_train, X_val, y_val),
        loss_and_grad=cnn_loss_and_grad,
        logits=cnn_logits,
        masks=masks,
        train_seed=train_seed,
        n_epochs=params.n_epochs,
        lr=params.lr,
        eval_every=params.eval_every,
    )

    values = per_repeat(curves)
    n_params = sum(value[0].size for value in initial.values())
    dense = sum(initial[key][0].size for key in ("W1", "b1", "W2", "b2"))
    vgg, resnet = vgg16_params(), resnet50_params()
    outputs: dict = {
        "n_classes": n_classes,
        "n_params": n_params,
        "n_repeats": repeats,
        "dense_fraction": dense / n_params,
        "vgg16.n_params": vgg.total,
        "vgg16.fc_fraction": vgg.fc_fraction,
        "resnet50.n_params": resnet.total,
        "resnet50.fc_fraction": resnet.fc_fraction,
    }
    outputs.update(comparison_outputs(values, [k for k in OUTPUTS if k in values]))

    series = curve_series(curves)
    arrays = {
        "X_train": X_train,
        "y_train": y_train,
        "X_val": X_val,
        "y_val": y_val,
        "y_train_clean": clean,
        "repeats.gap_reduction": values["gap_reduction"],
    }
    arrays.update(model_arrays(curves, trained))
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="cnn_dropout",
    summary="A tiny CNN on noisy stroke images: dropout after the dense layer narrows the train/val gap.",
    objective=(
        "mean cross-entropy −(1/n)·Σ log softmax(f(xᵢ))[yᵢ] of conv 3×3 → ReLU → 2×2 max-pool → "
        "dense → ReLU → dropout → softmax, full-batch Adam; with dropout each dense unit is zeroed "
        "with probability p and the survivors scaled by 1/(1 − p) at every step; n_repeats "
        "independent pairs of networks (own images and initial weights; within a pair only "
        "dropout differs)"
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
    ),
)
