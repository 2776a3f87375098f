"""A tiny convolutional network: conv 3×3 → ReLU → 2×2 max-pool → dense → ReLU → dropout → softmax.

Images are single-channel, shape (n_samples, height, width) with even ``height − 2``
and ``width − 2``; with a leading *member* axis, (n_members, n_samples, height, width)
and every parameter with the same leading axis, each member is an independent network
on its own images (the loss is the sum of the members' mean cross-entropies). Convolution is an im2col matrix product over
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

from studyreg.experiments.toolbox.mlp import inverted_dropout_mask, softmax_cross_entropy

__all__ = ["cnn_dropout_masks", "cnn_logits", "cnn_loss_and_grad", "init_cnn"]

KERNEL = 3


def _check_images(images: np.ndarray) -> tuple[int, int]:
    if images.ndim != 4:
        raise ValueError(
            "images must have shape (n_samples, height, width) or "
            f"(n_members, n_samples, height, width), got {images.shape}"
        )
    height, width = images.shape[-2] - KERNEL + 1, images.shape[-1] - KERNEL + 1
    if height < 2 or width < 2 or height % 2 or width % 2:
        raise ValueError(
            f"image sides minus 2 must be even and >= 2 for 2×2 pooling, got {images.shape[-2:]}"
        )
    return height, width


def init_cnn(
    rng: np.random.Generator,
    image_size: int,
    n_filters: int,
    n_hidden: int,
    n_classes: int,
    members: tuple[int, ...] = (),
) -> dict[str, np.ndarray]:
    """He-initialized weights and zero biases for ``image_size × image_size`` inputs.

    With ``members = (m,)`` every array gets a leading axis of length ``m``.
    """
    side = (image_size - KERNEL + 1) // 2
    n_pooled = n_filters * side * side
    return {
        "K": rng.standard_normal((*members, n_filters, KERNEL, KERNEL)) * np.sqrt(2.0 / KERNEL**2),
        "c": np.zeros((*members, n_filters)),
        "W1": rng.standard_normal((*members, n_pooled, n_hidden)) * np.sqrt(2.0 / n_pooled),
        "b1": np.zeros((*members, n_hidden)),
        "W2": rng.standard_normal((*members, n_hidden, n_classes)) * np.sqrt(2.0 / n_hidden),
        "b2": np.zeros((*members, n_classes)),
    }


def cnn_dropout_masks(
    rng: np.random.Generator, params: dict[str, np.ndarray], n_samples: int, rate: float
) -> list[np.ndarray]:
    """The single inverted-dropout mask, after the dense layer: shape (*members, n_samples, n_hidden)."""
    weights = params["W1"]
    return [inverted_dropout_mask(rng, (*weights.shape[:-2], n_samples, weights.shape[-1]), rate)]


def _with_members(
    params: dict[str, np.ndarray], images: np.ndarray
) -> tuple[dict[str, np.ndarray], np.ndarray, bool]:
    """Give unbatched parameters and images a member axis of length 1."""
    single = params["K"].ndim == 3
    if single:
        return {key: value[None] for key, value in params.items()}, images[None], True
    return params, images, False


def _convolve(params: dict[str, np.ndarray], images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """im2col columns of shape (m, n·h·w, 9) and convolution output of shape (m, n, h, w, n_filters)."""
    height, width = _check_images(images)
    m, n, n_filters = images.shape[0], images.shape[1], params["K"].shape[1]
    patches = sliding_window_view(
        images, (KERNEL, KERNEL), axis=(2, 3)
    )  # (m, n, h, w, 3, 3), a view
    columns = patches.reshape(m, n * height * width, KERNEL * KERNEL)
    kernels = np.ascontiguousarray(params["K"].reshape(m, n_filters, -1).transpose(0, 2, 1))
    conv = columns @ kernels + params["c"][:, None, :]
    return columns, conv.reshape(m, n, height, width, n_filters)


def _pool(activated: np.ndarray) -> np.ndarray:
    """2×2 max-pooling of (..., h, w, F) into (..., h/2, w/2, F)."""
    return np.maximum(
        np.maximum(activated[..., 0::2, 0::2, :], activated[..., 0::2, 1::2, :]),
        np.maximum(activated[..., 1::2, 0::2, :], activated[..., 1::2, 1::2, :]),
    )


def cnn_logits(params: dict[str, np.ndarray], images: np.ndarray) -> np.ndarray:
    """Class scores at evaluation time (no dropout).

    Parameters
    ----------
    params : dict of str to ndarray
    images : ndarray of shape (*members, n_samples, height, width)

    Returns
    -------
    logits : ndarray of shape (*members, n_samples, n_classes)
    """
    params, images, single = _with_members(params, images)
    m, n = images.shape[:2]
    flat = _pool(np.maximum(_convolve(params, images)[1], 0.0)).reshape(m, n, -1)
    hidden = np.maximum(flat @ params["W1"] + params["b1"][:, None, :], 0.0)
    logits = hidden @ params["W2"] + params["b2"][:, None, :]
    return logits[0] if single else logits


def cnn_loss_and_grad(
    params: dict[str, np.ndarray],
    images: np.ndarray,
    y: np.ndarray,
    masks: Sequence[np.ndarray] | None = None,
) -> tuple[float, dict[str, np.ndarray]]:
    """Cross-entropy of the network on ``(images, y)`` and its gradient by backpropagation.

    The loss minimized in training is ``−mean_i log softmax(f(x_i))[y_i]`` (summed over
    members); with ``masks`` the dense layer's ReLU output is multiplied by ``masks[0]``.

    Parameters
    ----------
    params : dict of str to ndarray
    images : ndarray of shape (*members, n_samples, height, width)
    y : ndarray of shape (*members, n_samples)
        Integer labels.
    masks : sequence of one ndarray of shape (*members, n_samples, n_hidden), optional

    Returns
    -------
    loss : float
    grads : dict of str to ndarray
        Same keys and shapes as ``params``.
    """
    params, images, single = _with_members(params, images)
    if single:
        y = y[None]
        masks = None if masks is None else [masks[0][None]]
    columns, conv = _convolve(params, images)
    m, n, height, width, n_filters = conv.shape
    activated = np.maximum(conv, 0.0)
    pooled = _pool(activated)
    flat = pooled.reshape(m, n, -1)
    pre_hidden = flat @ params["W1"] + params["b1"][:, None, :]
    hidden = np.maximum(pre_hidden, 0.0)
    if masks is not None:
        hidden = hidden * masks[0]
    logits = hidden @ params["W2"] + params["b2"][:, None, :]
    loss, delta = softmax_cross_entropy(logits, y)

    grads = {"W2": hidden.transpose(0, 2, 1) @ delta, "b2": delta.sum(axis=1)}
    delta = delta @ params["W2"].transpose(0, 2, 1)
    if masks is not None:
        delta = delta * masks[0]
    delta = delta * (pre_hidden > 0.0)
    grads["W1"] = flat.transpose(0, 2, 1) @ delta
    grads["b1"] = delta.sum(axis=1)
    delta_pooled = (delta @ params["W1"].transpose(0, 2, 1)).reshape(pooled.shape)

    # Route each pooled gradient back to the pixel that won its 2×2 window (ties between
    # distinct positive pixels have probability 0; an all-zero window passes no gradient
    # through the ReLU below anyway).
    delta_conv = np.zeros_like(activated)
    for row in (0, 1):
        for col in (0, 1):
            corner = (..., slice(row, None, 2), slice(col, None, 2), slice(None))
            delta_conv[corner] = (activated[corner] == pooled) * delta_pooled
    delta_conv = delta_conv.reshape(m, -1, n_filters) * (conv.reshape(m, -1, n_filters) > 0.0)
    grads["K"] = (delta_conv.transpose(0, 2, 1) @ columns).reshape(params["K"].shape)
    grads["c"] = delta_conv.sum(axis=1)
    if single:
        grads = {key: value[0] for key, value in grads.items()}
    return loss, grads
