"""Polynomial regression on [−1, 1] in the Legendre basis.

The Legendre polynomials are orthogonal under the uniform distribution on [−1, 1], so a
fit in this basis stays well conditioned at high degree, and the best approximation of a
function by a polynomial of given degree (its Legendre projection) has a closed form.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.polynomial import legendre

from studyreg.experiments.toolbox.linear import fit_ridge

__all__ = ["N_NODES", "fit_polynomial", "legendre_features", "mean_square", "projection_error"]

# Gauss–Legendre nodes for integrals over [−1, 1]: exact for polynomials up to degree
# 2·N_NODES − 1, and to machine precision for smooth functions like sin(3x).
N_NODES = 64


def legendre_features(x: np.ndarray, degree: int) -> np.ndarray:
    """Legendre polynomials ``P_1(x) … P_degree(x)`` (the constant is a fit's intercept).

    Parameters
    ----------
    x : ndarray of shape (n_samples,)
        Points in [−1, 1].
    degree : int

    Returns
    -------
    features : ndarray of shape (n_samples, degree)
    """
    return legendre.legvander(x, degree)[:, 1:]


def fit_polynomial(
    x: np.ndarray, y: np.ndarray, degree: int, alpha: float
) -> tuple[np.ndarray, float]:
    """Least squares with a ridge penalty on the Legendre features.

    Minimizes ``||y − Φw − b||² + alpha·||w||²`` with ``Φ = legendre_features(x, degree)``
    and an unpenalized intercept ``b`` (:func:`~studyreg.experiments.toolbox.linear.fit_ridge`);
    degree 0 is the constant model, whose fit is the mean of ``y``.

    Returns
    -------
    coef : ndarray of shape (degree,)
    intercept : float
    """
    if degree == 0:
        return np.zeros(0), float(np.mean(y))
    return fit_ridge(legendre_features(x, degree), y, alpha)


def mean_square(values: Callable[[np.ndarray], np.ndarray]) -> float:
    """``E[g(x)²]`` for ``x`` uniform on [−1, 1], by Gauss–Legendre quadrature."""
    nodes, weights = legendre.leggauss(N_NODES)
    return 0.5 * float(weights @ values(nodes) ** 2)


def projection_error(target: Callable[[np.ndarray], np.ndarray], degree: int) -> float:
    """``min_p E[(p(x) − f(x))²]`` over polynomials ``p`` of ``degree``, ``x`` uniform on [−1, 1].

    The minimizer is the Legendre projection of ``f``: with
    ``c_k = (2k + 1)/2 · ∫ f(x)·P_k(x) dx``, ``E[p²] = Σ c_k²/(2k + 1)``, so the error is
    ``E[f²] − Σ_{k≤degree} c_k²/(2k + 1)``.
    """
    nodes, weights = legendre.leggauss(N_NODES)
    basis = legendre.legvander(nodes, degree)  # (N_NODES, degree + 1)
    k = np.arange(degree + 1)
    coef = (2 * k + 1) / 2 * (basis.T @ (weights * target(nodes)))
    return float(max(mean_square(target) - np.sum(coef**2 / (2 * k + 1)), 0.0))
