"""Synthetic data sets, each drawn from a caller's ``numpy.random.Generator``."""

from __future__ import annotations

import numpy as np

__all__ = [
    "BAR_CLASSES",
    "bar_images",
    "flip_labels",
    "noisy_classes",
    "sparse_regression",
    "split",
    "wavy_regression",
]


def sparse_regression(
    rng: np.random.Generator, n_samples: int, n_features: int, n_informative: int, noise: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A linear target that depends on only a few features.

    ``y = X·w + 0.5 + noise·ε`` with standard normal X and ε; the first
    ``n_informative`` weights are ±(1 to 3) with random signs, the rest exactly zero.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    true_coef : ndarray of shape (n_features,)
    """
    if not 1 <= n_informative <= n_features:
        raise ValueError(
            f"n_informative must be between 1 and n_features ({n_features}), got {n_informative}"
        )
    true_coef = np.zeros(n_features)
    magnitudes = rng.uniform(1.0, 3.0, n_informative)
    signs = rng.choice([-1.0, 1.0], n_informative)
    true_coef[:n_informative] = magnitudes * signs
    X = rng.standard_normal((n_samples, n_features))
    y = X @ true_coef + 0.5 + noise * rng.standard_normal(n_samples)
    return X, y, true_coef


def split(n_samples: int, n_val: int) -> tuple[slice, slice]:
    """Training rows first, validation rows last (the rows are already in random order)."""
    if not 1 <= n_val < n_samples:
        raise ValueError(f"need 1 <= n_val < n_samples, got n_val={n_val}, n_samples={n_samples}")
    return slice(0, n_samples - n_val), slice(n_samples - n_val, n_samples)


def noisy_classes(
    rng: np.random.Generator, n_samples: int, n_features: int, label_noise: float
) -> tuple[np.ndarray, np.ndarray]:
    """Two classes split by a curved boundary in the first two of ``n_features`` inputs.

    The label is ``1`` when ``x₁ > sin(2·x₀)``; the other inputs are pure noise. Then a
    fraction ``label_noise`` of labels is flipped at random.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Labels in {0, 1}.
    """
    X = rng.standard_normal((n_samples, n_features))
    y = (X[:, 1] > np.sin(2.0 * X[:, 0])).astype(int)
    flip = rng.random(n_samples) < label_noise
    return X, np.where(flip, 1 - y, y)


def flip_labels(
    rng: np.random.Generator, y: np.ndarray, fraction: float, n_classes: int
) -> np.ndarray:
    """Replace a fraction of labels by a different class, chosen uniformly."""
    flip = rng.random(len(y)) < fraction
    shift = rng.integers(1, n_classes, len(y))
    return np.where(flip, (y + shift) % n_classes, y)


BAR_CLASSES = ("horizontal bar", "vertical bar", "diagonal", "anti-diagonal")


def bar_images(
    rng: np.random.Generator, n_samples: int, size: int, noise: float
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy ``size×size`` images of one of four strokes at a random offset.

    Classes (see ``BAR_CLASSES``): a horizontal bar at a random row, a vertical bar
    at a random column, a diagonal and an anti-diagonal shifted by up to 2 pixels.
    Pixels are the stroke (intensity 1) plus Gaussian noise of standard deviation
    ``noise``.

    Returns
    -------
    images : ndarray of shape (n_samples, size, size)
    labels : ndarray of shape (n_samples,)
        Integers in 0..3.
    """
    labels = rng.integers(0, len(BAR_CLASSES), n_samples)
    offsets = rng.integers(1, size - 1, n_samples)
    shifts = rng.integers(-2, 3, n_samples)
    rows, cols = np.indices((size, size))[:, None]  # each (1, size, size)
    at = offsets[:, None, None]
    shift = shifts[:, None, None]
    strokes = np.stack(
        [
            rows == at,
            cols == at,
            cols - rows == shift,
            cols + rows == size - 1 + shift,
        ]
    )  # (4, n, size, size)
    images = strokes[labels, np.arange(n_samples)].astype(float)
    images += noise * rng.standard_normal(images.shape)
    return images, labels


def wavy_regression(
    rng: np.random.Generator, n_samples: int, noise: float
) -> tuple[np.ndarray, np.ndarray]:
    """A smooth 1-D target with noise: ``y = sin(3x) + noise·ε``, ``x`` uniform on [−1, 1].

    Returns
    -------
    x : ndarray of shape (n_samples,)
    y : ndarray of shape (n_samples,)
    """
    x = rng.uniform(-1.0, 1.0, n_samples)
    return x, np.sin(3.0 * x) + noise * rng.standard_normal(n_samples)
