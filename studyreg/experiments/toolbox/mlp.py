"""A small fully connected ReLU network with softmax output and inverted dropout.

Parameters live in a dict ``{"W0", "b0", "W1", "b1", ...}``; layer ``i`` maps
``h_i @ W_i + b_i``. Dropout masks are *arguments* (drawn by the caller from its own
``Generator``), so the loss is a deterministic function of the parameters and the
gradient can be checked by finite differences.

Every array may carry the same leading *member* axes (``W_i`` of shape
``(*members, n_in, n_out)``, ``b_i`` of ``(*members, n_out)``, inputs of
``(*members, n_samples, n_features)``): then each member is an independent network on
its own data, trained in the same NumPy calls. The loss is the *sum* of the members'
mean cross-entropies, so each member's gradient is that of its own loss.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "accuracy",
    "cross_entropy",
    "dropout_masks",
    "init_mlp",
    "inverted_dropout_mask",
    "mlp_logits",
    "mlp_loss_and_grad",
    "softmax_cross_entropy",
]


def init_mlp(
    rng: np.random.Generator, sizes: Sequence[int], members: tuple[int, ...] = ()
) -> dict[str, np.ndarray]:
    """He-initialized weights and zero biases for layer sizes ``(n_in, hidden..., n_out)``.

    Returns
    -------
    params : dict of str to ndarray
        ``W{i}`` of shape (*members, sizes[i], sizes[i+1]) and ``b{i}`` of shape
        (*members, sizes[i+1]); each member drawn independently.
    """
    if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
        raise ValueError(f"sizes must list at least two positive layer sizes, got {list(sizes)}")
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        params[f"W{i}"] = rng.standard_normal((*members, fan_in, fan_out)) * np.sqrt(2.0 / fan_in)
        params[f"b{i}"] = np.zeros((*members, fan_out))
    return params


def _n_layers(params: dict[str, np.ndarray]) -> int:
    return len(params) // 2


def inverted_dropout_mask(
    rng: np.random.Generator, shape: tuple[int, ...], rate: float
) -> np.ndarray:
    """A mask that drops each unit with probability ``rate`` and scales survivors by ``1/(1 − rate)``.

    Multiplying an activation by this mask leaves its expectation unchanged, so
    nothing needs rescaling at evaluation time.

    Returns
    -------
    mask : ndarray of shape ``shape``
        Entries ``0`` or ``1/(1 − rate)``.
    """
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"dropout rate must be in [0, 1), got {rate!r}")
    if rate == 0.0:
        return np.ones(shape)
    keep = rng.random(shape) >= rate
    return keep / (1.0 - rate)


def dropout_masks(
    rng: np.random.Generator, params: dict[str, np.ndarray], n_samples: int, rate: float
) -> list[np.ndarray]:
    """One inverted-dropout mask per hidden layer, each of shape (*members, n_samples, width)."""
    masks = []
    for i in range(_n_layers(params) - 1):
        weights = params[f"W{i}"]
        masks.append(
            inverted_dropout_mask(rng, (*weights.shape[:-2], n_samples, weights.shape[-1]), rate)
        )
    return masks


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def cross_entropy(logits: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each member's mean cross-entropy ``−mean_i log softmax(logits_i)[y_i]``.

    Parameters
    ----------
    logits : ndarray of shape (*members, n_samples, n_classes)
    y : ndarray of shape (*members, n_samples)
        Integer class labels.

    Returns
    -------
    loss : ndarray of shape members (a 0-d array without member axes)
    """
    picked = np.take_along_axis(_log_softmax(logits), y[..., None], axis=-1)[..., 0]
    return -picked.mean(axis=-1)


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of integer labels under ``softmax(logits)`` and its gradient.

    Parameters
    ----------
    logits : ndarray of shape (*members, n_samples, n_classes)
    y : ndarray of shape (*members, n_samples)
        Integer class labels.

    Returns
    -------
    loss : float
        ``−mean_i log softmax(logits_i)[y_i]``, summed over the members.
    dlogits : ndarray of shape (*members, n_samples, n_classes)
        Gradient of the loss with respect to ``logits``.
    """
    log_probs = _log_softmax(logits)
    picked = np.take_along_axis(log_probs, y[..., None], axis=-1)[..., 0]
    loss = -float(picked.mean(axis=-1).sum())
    dlogits = np.exp(log_probs)
    dlogits -= y[..., None] == np.arange(logits.shape[-1])
    return loss, dlogits / y.shape[-1]


def mlp_logits(params: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """Class scores at evaluation time (no dropout).

    Parameters
    ----------
    params : dict of str to ndarray
    X : ndarray of shape (*members, n_samples, n_features)

    Returns
    -------
    logits : ndarray of shape (*members, n_samples, n_classes)
    """
    h = X
    last = _n_layers(params) - 1
    for i in range(last):
        h = np.maximum(h @ params[f"W{i}"] + params[f"b{i}"][..., None, :], 0.0)
    return h @ params[f"W{last}"] + params[f"b{last}"][..., None, :]


def mlp_loss_and_grad(
    params: dict[str, np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    masks: Sequence[np.ndarray] | None = None,
) -> tuple[float, dict[str, np.ndarray]]:
    """Cross-entropy of the network on ``(X, y)`` and its gradient by backpropagation.

    The loss minimized in training is ``−mean_i log softmax(f(x_i))[y_i]``, where ``f``
    applies ``ReLU(h @ W + b)`` per hidden layer, multiplied by that layer's dropout
    mask when ``masks`` is given.

    Parameters
    ----------
    params : dict of str to ndarray
    X : ndarray of shape (*members, n_samples, n_features)
    y : ndarray of shape (*members, n_samples)
        Integer labels.
    masks : sequence of ndarray, optional
        One mask per hidden layer, of shape (*members, n_samples, width); see
        :func:`dropout_masks`.

    Returns
    -------
    loss : float
    grads : dict of str to ndarray
        Same keys and shapes as ``params``.
    """
    last = _n_layers(params) - 1
    if masks is not None and len(masks) != last:
        raise ValueError(f"need {last} dropout masks (one per hidden layer), got {len(masks)}")
    inputs = [X]
    pre_activations = []
    h = X
    for i in range(last):
        z = h @ params[f"W{i}"] + params[f"b{i}"][..., None, :]
        pre_activations.append(z)
        h = np.maximum(z, 0.0)
        if masks is not None:
            h = h * masks[i]
        inputs.append(h)
    logits = h @ params[f"W{last}"] + params[f"b{last}"][..., None, :]
    loss, delta = softmax_cross_entropy(logits, y)
    grads: dict[str, np.ndarray] = {}
    for i in range(last, -1, -1):
        grads[f"W{i}"] = np.swapaxes(inputs[i], -1, -2) @ delta
        grads[f"b{i}"] = delta.sum(axis=-2)
        if i == 0:
            break
        delta = delta @ np.swapaxes(params[f"W{i}"], -1, -2)
        if masks is not None:
            delta = delta * masks[i - 1]
        delta = delta * (pre_activations[i - 1] > 0.0)
    return loss, grads


def accuracy(logits: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each member's fraction of rows whose largest score is at the true label.

    Parameters
    ----------
    logits : ndarray of shape (*members, n_samples, n_classes)
    y : ndarray of shape (*members, n_samples)

    Returns
    -------
    accuracy : ndarray of shape members (a 0-d array without member axes)
    """
    return np.mean(np.argmax(logits, axis=-1) == y, axis=-1)
