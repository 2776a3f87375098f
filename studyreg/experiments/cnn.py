"""A tiny convolutional network: conv 3×3 → ReLU → 2×2 max-pool → dense → ReLU → dropout → softmax.

Images are single-channel, shape (n_samples, height, width) with even ``height − 2``
and ``width − 2``. Convolution is an im2col matrix product over
``numpy.lib.stride_tricks.sliding_window_view`` (a view: no copy of the patches until
the product). The dropout mask is an argument, so the loss is deterministic and the
gradient can be checked by finite differences.

Parameters (dict): ``K`` (n_filters, 3, 3), ``c`` (n_filters,), ``W1`` (n_pooled,
n_hidden), ``b1`` (n_hidden,), ``W2`` (n_hidden, n_classes), ``b2`` (n_classes,), where
``n_pooled = n_filters·(height − 2)/2·(width − 2)/2``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from studyreg.experiments.mlp import inverted_dropout_mask, softmax_cross_entropy

__all__ = ["cnn_dropout_masks", "cnn_logits", "cnn_loss_and_grad", "init_cnn"]

KERNEL = 3


def _check_images(images: np.ndarray) -> tuple[int, int]:
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n_samples, height, width), got {images.shape}")
    height, width = images.shape[1] - KERNEL + 1, images.shape[2] - KERNEL + 1
    if height < 2 or width < 2 or height % 2 or width % 2:
        raise ValueError(
            f"image sides minus 2 must be even and >= 2 for 2×2 pooling, got {images.shape[1:]}"
        )
    return height, width


def init_cnn(
    rng: np.random.Generator, image_size: int, n_filters: int, n_hidden: int, n_classes: int
) -> dict[str, np.ndarray]:
    """He-initialized weights and zero biases for ``image_size × image_size`` inputs."""
    side = (image_size - KERNEL + 1) // 2
    n_pooled = n_filters * side * side
    return {
        "K": rng.standard_normal((n_filters, KERNEL, KERNEL)) * np.sqrt(2.0 / KERNEL**2),
        "c": np.zeros(n_filters),
        "W1": rng.standard_normal((n_pooled, n_hidden)) * np.sqrt(2.0 / n_pooled),
        "b1": np.zeros(n_hidden),
        "W2": rng.standard_normal((n_hidden, n_classes)) * np.sqrt(2.0 / n_hidden),
        "b2": np.zeros(n_classes),
    }


def cnn_dropout_masks(
    rng: np.random.Generator, params: dict[str, np.ndarray], n_samples: int, rate: float
) -> list[np.ndarray]:
    """The single inverted-dropout mask, after the dense layer: shape (n_samples, n_hidden)."""
    return [inverted_dropout_mask(rng, (n_samples, params["W1"].shape[1]), rate)]


def _convolve(params: dict[str, np.ndarray], images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """im2col columns of shape (n·h·w, 9) and convolution output of shape (n, h, w, n_filters)."""
    height, width = _check_images(images)
    n, n_filters = len(images), len(params["K"])
    patches = sliding_window_view(images, (KERNEL, KERNEL), axis=(1, 2))  # (n, h, w, 3, 3), a view
    columns = patches.reshape(n * height * width, KERNEL * KERNEL)
    conv = columns @ np.ascontiguousarray(params["K"].reshape(n_filters, -1).T) + params["c"]
    return columns, conv.reshape(n, height, width, n_filters)


def _pool(activated: np.ndarray) -> np.ndarray:
    """2×2 max-pooling of (n, h, w, F) into (n, h/2, w/2, F)."""
    return np.maximum(
        np.maximum(activated[:, 0::2, 0::2], activated[:, 0::2, 1::2]),
        np.maximum(activated[:, 1::2, 0::2], activated[:, 1::2, 1::2]),
    )


def cnn_logits(params: dict[str, np.ndarray], images: np.ndarray) -> np.ndarray:
    """Class scores at evaluation time (no dropout).

    Parameters
    ----------
    params : dict of str to ndarray
    images : ndarray of shape (n_samples, height, width)

    Returns
    -------
    logits : ndarray of shape (n_samples, n_classes)
    """
    flat = _pool(np.maximum(_convolve(params, images)[1], 0.0)).reshape(len(images), -1)
    hidden = np.maximum(flat @ params["W1"] + params["b1"], 0.0)
    return hidden @ params["W2"] + params["b2"]


def cnn_loss_and_grad(
    params: dict[str, np.ndarray],
    images: np.ndarray,
    y: np.ndarray,
    masks: Sequence[np.ndarray] | None = None,
) -> tuple[float, dict[str, np.ndarray]]:
    """Cross-entropy of the network on ``(images, y)`` and its gradient by backpropagation.

    The loss minimized in training is ``−mean_i log softmax(f(x_i))[y_i]``; with
    ``masks`` the dense layer's ReLU output is multiplied by ``masks[0]``.

    Parameters
    ----------
    params : dict of str to ndarray
    images : ndarray of shape (n_samples, height, width)
    y : ndarray of shape (n_samples,)
        Integer labels.
    masks : sequence of one ndarray of shape (n_samples, n_hidden), optional

    Returns
    -------
    loss : float
    grads : dict of str to ndarray
        Same keys and shapes as ``params``.
    """
    columns, conv = _convolve(params, images)
    n, height, width, n_filters = conv.shape
    activated = np.maximum(conv, 0.0)
    windows = activated.reshape(n, height // 2, 2, width // 2, 2, n_filters)
    windows = windows.transpose(0, 1, 3, 5, 2, 4).reshape(n, height // 2, width // 2, n_filters, 4)
    winner = windows.argmax(axis=-1)  # which of the 4 pixels each pooled value came from
    flat = np.take_along_axis(windows, winner[..., None], axis=-1).reshape(n, -1)
    pre_hidden = flat @ params["W1"] + params["b1"]
    hidden = np.maximum(pre_hidden, 0.0)
    if masks is not None:
        hidden = hidden * masks[0]
    logits = hidden @ params["W2"] + params["b2"]
    loss, delta = softmax_cross_entropy(logits, y)

    grads = {"W2": hidden.T @ delta, "b2": delta.sum(axis=0)}
    delta = delta @ params["W2"].T
    if masks is not None:
        delta = delta * masks[0]
    delta = delta * (pre_hidden > 0.0)
    grads["W1"] = flat.T @ delta
    grads["b1"] = delta.sum(axis=0)
    delta_pooled = (delta @ params["W1"].T).reshape(winner.shape)  # (n, h/2, w/2, F)

    # Route each pooled gradient back to the pixel that won its 2×2 window.
    half_h, half_w = winner.shape[1], winner.shape[2]
    windows = np.zeros((*winner.shape, 4))
    np.put_along_axis(windows, winner[..., None], delta_pooled[..., None], axis=-1)
    delta_conv = windows.reshape(n, half_h, half_w, n_filters, 2, 2).transpose(0, 1, 4, 2, 5, 3)
    delta_conv = delta_conv.reshape(-1, n_filters) * (conv.reshape(-1, n_filters) > 0.0)
    grads["K"] = (delta_conv.T @ columns).reshape(params["K"].shape)
    grads["c"] = delta_conv.sum(axis=0)
    return loss, grads
