"""Ridge, lasso and elastic net with scikit-learn's conventions.

Every fit has an unpenalized intercept (X and y are centred, X is *not* scaled), so a
learner can cross-check any number with ``sklearn.linear_model``:

* ``fit_ridge``        — ``Ridge(alpha)``:      ``||y − Xw − b||² + alpha·||w||²``
* ``fit_lasso``        — ``Lasso(alpha)``:      ``(1/(2n))·||y − Xw − b||² + alpha·||w||₁``
* ``fit_elastic_net``  — ``ElasticNet(alpha, l1_ratio)``
* ``lasso_path``, ``ridge_path`` — the same fits over many strengths.

A lasso weight counts as zero when it is exactly ``0.0``; the solver produces exact
zeros by soft-thresholding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from studyreg.experiments.toolbox.coordinate_descent import ConvergenceError, solve_enet_gram
from studyreg.experiments.toolbox.homotopy import lasso_homotopy

__all__ = [
    "ConvergenceError",
    "fit_elastic_net",
    "fit_lasso",
    "fit_ridge",
    "lasso_alpha_max",
    "lasso_path",
    "mse",
    "ridge_path",
]

DEFAULT_MAX_ITER = 10_000


def _check_data(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D of shape (n_samples, n_features), got shape {X.shape}")
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D of shape (n_samples,), got shape {y.shape}")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} samples but y has {y.shape[0]}")
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X needs at least one sample and one feature, got shape {X.shape}")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError("X and y must contain only finite numbers (no NaN or inf)")
    return X, y


def _check_alpha(alpha: object, *, positive: bool, name: str = "alpha") -> float:
    try:
        value = float(alpha)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {alpha!r}") from None
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        bound = "> 0" if positive else ">= 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {alpha!r}")
    return value


def _centre(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    x_mean = X.mean(axis=0)
    y_mean = float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean


def mse(X: np.ndarray, y: np.ndarray, coef: np.ndarray, intercept: float) -> float:
    """Mean squared error ``mean((y − Xw − b)²)``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    coef : ndarray of shape (n_features,)
    intercept : float
    """
    residual = y - X @ coef - intercept
    return float(residual @ residual) / len(y)


def fit_ridge(X: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    """Ridge regression with an unpenalized intercept (scikit-learn's ``Ridge``).

    Minimizes ``||y − Xw − b||² + alpha·||w||²`` over ``w`` and ``b``; X is centred,
    not scaled.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    alpha : float
        Penalty strength, ``>= 0``; ``0`` gives the minimum-norm least-squares fit.

    Returns
    -------
    coef : ndarray of shape (n_features,)
    intercept : float

    Notes
    -----
    Closed form ``w = (XcᵀXc + alpha·I)⁻¹ Xcᵀyc`` on centred data, solved in the dual
    form ``w = Xcᵀ(XcXcᵀ + alpha·I)⁻¹yc`` when there are more features than samples;
    ``b = ȳ − x̄ᵀw``. When ``alpha`` is below 1e-8 of ``||Xc||²`` (the largest eigenvalue
    of ``XcᵀXc`` at most) that matrix may be numerically singular (a bootstrap sample
    with repeated points and a vanishing ``alpha``), so the fit comes from the SVD
    ``Xc = U·diag(s)·Vᵀ`` instead: ``w = V·diag(s/(s² + alpha))·Uᵀyc``, singular values
    below ``lstsq``'s cut-off counted as zero (``alpha = 0``: the minimum-norm fit).
    """
    X, y = _check_data(X, y)
    alpha = _check_alpha(alpha, positive=False)
    Xc, yc, x_mean, y_mean = _centre(X, y)
    n, p = Xc.shape
    if alpha > 1e-8 * float(np.einsum("ij,ij->", Xc, Xc)):  # condition number <= 1 + 1e8
        if p <= n:
            coef = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(p), Xc.T @ yc)
        else:
            coef = Xc.T @ np.linalg.solve(Xc @ Xc.T + alpha * np.eye(n), yc)
    else:
        U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
        kept = s > s.max(initial=0.0) * max(n, p) * np.finfo(float).eps
        shrink = np.divide(s, s**2 + alpha, out=np.zeros_like(s), where=kept)
        coef = Vt.T @ (shrink * (U.T @ yc))
    return coef, y_mean - float(x_mean @ coef)


def ridge_path(
    X: np.ndarray, y: np.ndarray, alphas: Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Ridge fits for many strengths at once, through one SVD of the centred X.

    Each row minimizes ``||y − Xw − b||² + alpha·||w||²`` for its ``alpha``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    alphas : array-like of shape (n_alphas,)
        Strengths ``> 0``, in any order; rows follow this order.

    Returns
    -------
    coefs : ndarray of shape (n_alphas, n_features)
    intercepts : ndarray of shape (n_alphas,)
    """
    X, y = _check_data(X, y)
    alphas = _check_alphas(alphas)
    Xc, yc, x_mean, y_mean = _centre(X, y)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    shrink = s / (s * s + alphas[:, None])  # (n_alphas, rank)
    coefs = (shrink * (U.T @ yc)) @ Vt
    return coefs, y_mean - coefs @ x_mean


def _check_alphas(alphas: object) -> np.ndarray:
    values = np.asarray(alphas, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"alphas must be a non-empty 1-D sequence, got shape {values.shape}")
    if not (np.isfinite(values).all() and (values > 0).all()):
        raise ValueError("every alpha must be a finite number > 0")
    return values


def lasso_alpha_max(X: np.ndarray, y: np.ndarray) -> float:
    """The smallest lasso ``alpha`` at which every weight is zero: ``max|Xcᵀyc| / n``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    """
    X, y = _check_data(X, y)
    Xc, yc, _, _ = _centre(X, y)
    return float(np.max(np.abs(Xc.T @ yc))) / len(y)


# Sweeps of coordinate descent before a lasso fit switches to following the path exactly.
FAST_SWEEPS = 30


class _GramProblem:
    """Centred data reduced to its Gram matrix, shared by every strength of a path.

    Lasso fits try coordinate descent with the exact finish for ``FAST_SWEEPS`` sweeps;
    if that is not enough (tiny strengths on near-singular data), they follow the path
    exactly (:func:`lasso_homotopy`) from the last solution found, then confirm by the
    duality gap. After one such switch the rest of a path goes straight to the homotopy.
    On wide data (more features than samples) the path is followed from the start.
    Elastic-net fits do the same on ``H = G + βI`` (see :func:`fit_elastic_net`).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray) -> None:
        Xc, yc, self.x_mean, self.y_mean = _centre(X, y)
        self.n = Xc.shape[0]
        self.G = np.ascontiguousarray(Xc.T @ Xc)
        self.c = Xc.T @ yc
        self.yy = float(yc @ yc)
        self.last: tuple[float, np.ndarray] | None = None  # (t, w) of the last lasso solution
        self.prefer_homotopy = False

    def solve(
        self, alpha: float, l1_ratio: float, w_init: np.ndarray, tol: float, max_iter: int
    ) -> tuple[np.ndarray, float]:
        t = self.n * alpha * l1_ratio
        beta = self.n * alpha * (1.0 - l1_ratio)
        if beta:
            coef = self._solve_enet(t, beta, w_init, tol, max_iter)
        else:
            coef = self._solve_lasso(t, w_init, tol, max_iter)
        return coef, self.y_mean - float(self.x_mean @ coef)

    def _solve_enet(
        self, t: float, beta: float, w_init: np.ndarray, tol: float, max_iter: int
    ) -> np.ndarray:
        H = self.G + beta * np.eye(len(self.c))
        if not self.prefer_homotopy and self.n > len(self.c):
            try:
                return solve_enet_gram(
                    H,
                    self.c,
                    self.yy,
                    t,
                    beta,
                    w_init,
                    tol=tol,
                    max_iter=min(max_iter, FAST_SWEEPS),
                )
            except ConvergenceError:
                self.prefer_homotopy = True
        # On wide data H = G + βI has n_features − n_samples eigenvalues equal to β, so at
        # small strengths coordinate descent crawls; and wherever it fails it is slower than
        # the path. So wide data (and tall data once coordinate descent has failed) follow
        # the path from alpha_max exactly, whose cost grows with the support, not with the
        # conditioning. The ridge part only adds β to the diagonal: it is the lasso's
        # homotopy on H, then confirmed by the duality gap.
        start = lasso_homotopy(H, self.c, t)
        return solve_enet_gram(H, self.c, self.yy, t, beta, start, tol=tol, max_iter=max_iter)

    def _solve_lasso(self, t: float, w_init: np.ndarray, tol: float, max_iter: int) -> np.ndarray:
        if not self.prefer_homotopy and self.n > len(self.c):
            try:
                coef = solve_enet_gram(
                    self.G,
                    self.c,
                    self.yy,
                    t,
                    0.0,
                    w_init,
                    tol=tol,
                    max_iter=min(max_iter, FAST_SWEEPS),
                )
            except ConvergenceError:
                self.prefer_homotopy = True
            else:
                self.last = (t, coef)
                return coef
        t_start, w_start = self.last if self.last is not None else (None, None)
        start = lasso_homotopy(self.G, self.c, t, w_start, t_start)
        coef = solve_enet_gram(self.G, self.c, self.yy, t, 0.0, start, tol=tol, max_iter=max_iter)
        self.last = (t, coef)
        return coef


def _initial(coef_init: object, n_features: int) -> np.ndarray:
    if coef_init is None:
        return np.zeros(n_features)
    init = np.asarray(coef_init, dtype=float)
    if init.shape != (n_features,) or not np.isfinite(init).all():
        raise ValueError(
            f"coef_init must be finite of shape ({n_features},), got shape {init.shape}"
        )
    return init


def _check_solver(tol: float, max_iter: int) -> None:
    if not (isinstance(tol, int | float) and math.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a finite number > 0, got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"max_iter must be an integer >= 1, got {max_iter!r}")


def fit_elastic_net(
    X: np.ndarray,
    y: np.ndarray,
    alpha: float,
    l1_ratio: float = 0.5,
    *,
    tol: float = 1e-10,
    max_iter: int = DEFAULT_MAX_ITER,
    coef_init: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """Elastic net with an unpenalized intercept (scikit-learn's ``ElasticNet``).

    Minimizes ``(1/(2n))·||y − Xw − b||² + alpha·l1_ratio·||w||₁
    + ½·alpha·(1 − l1_ratio)·||w||²``; X is centred, not scaled.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    alpha : float
        Overall strength, ``> 0``.
    l1_ratio : float
        Share of the L1 penalty, in ``(0, 1]``; ``1`` is the lasso.
    tol : float
        Stop when the duality gap is at most ``tol·||y − ȳ||²`` (n-scaled objective).
    max_iter : int
        Maximum number of coordinate-descent sweeps.
    coef_init : ndarray of shape (n_features,), optional
        Warm start.

    Returns
    -------
    coef : ndarray of shape (n_features,)
        Exactly ``0.0`` outside the support.
    intercept : float

    Raises
    ------
    ValueError
        For bad input. ``ConvergenceError`` (an ``ExperimentError``) if the gap is not reached.

    Notes
    -----
    With ``H = XcᵀXc + n·alpha·(1 − l1_ratio)·I`` the problem is a lasso on ``H``. On
    wide data (more features than samples) ``H`` has eigenvalues as small as the ridge
    term, where coordinate descent crawls, so the path is followed exactly from
    ``alpha_max`` (:mod:`studyreg.experiments.toolbox.homotopy`); on tall data coordinate descent
    runs first, for ``FAST_SWEEPS`` sweeps, and falls back to the path. Either way the
    result is confirmed by the duality gap.
    """
    X, y = _check_data(X, y)
    alpha = _check_alpha(alpha, positive=True)
    l1_ratio = _check_alpha(l1_ratio, positive=True, name="l1_ratio")
    if l1_ratio > 1:
        raise ValueError(f"l1_ratio must be in (0, 1], got {l1_ratio!r}")
    _check_solver(tol, max_iter)
    problem = _GramProblem(X, y)
    return problem.solve(alpha, l1_ratio, _initial(coef_init, X.shape[1]), tol, max_iter)


def fit_lasso(
    X: np.ndarray,
    y: np.ndarray,
    alpha: float,
    *,
    tol: float = 1e-10,
    max_iter: int = DEFAULT_MAX_ITER,
    coef_init: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """Lasso with an unpenalized intercept (scikit-learn's ``Lasso``).

    Minimizes ``(1/(2n))·||y − Xw − b||² + alpha·||w||₁`` over ``w`` and ``b``; X is
    centred, not scaled.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    alpha : float
        Penalty strength, ``> 0``.
    tol : float
        Stop when the duality gap is at most ``tol·||y − ȳ||²`` (n-scaled objective).
    max_iter : int
        Maximum number of coordinate-descent sweeps.
    coef_init : ndarray of shape (n_features,), optional
        Warm start.

    Returns
    -------
    coef : ndarray of shape (n_features,)
        Exactly ``0.0`` outside the support.
    intercept : float

    Notes
    -----
    Cyclic coordinate descent on the Gram matrix with soft-thresholding
    ``w_j ← S(w_j + g_j/G_jj, n·alpha/G_jj)``, stopped by the duality gap, and finished
    by an exact solve on the support once its signs are known (see
    :mod:`studyreg.experiments.toolbox.coordinate_descent`). When that has not converged after
    ``FAST_SWEEPS`` sweeps (tiny ``alpha`` on near-singular data), and always on wide
    data (more features than samples), the path is followed exactly from ``alpha_max``
    (:mod:`studyreg.experiments.toolbox.homotopy`) and the result is confirmed by the same
    duality gap.
    """
    return fit_elastic_net(X, y, alpha, 1.0, tol=tol, max_iter=max_iter, coef_init=coef_init)


def lasso_path(
    X: np.ndarray,
    y: np.ndarray,
    alphas: Sequence[float] | np.ndarray,
    *,
    l1_ratio: float = 1.0,
    tol: float = 1e-10,
    max_iter: int = DEFAULT_MAX_ITER,
) -> tuple[np.ndarray, np.ndarray]:
    """Lasso (or elastic-net) fits over many strengths, warm-started in the given order.

    Each row minimizes ``(1/(2n))·||y − Xw − b||² + alpha·||w||₁`` for its ``alpha``
    (with ``l1_ratio < 1``, the elastic-net objective of :func:`fit_elastic_net`).
    X is centred and reduced to its Gram matrix once; each fit starts from the previous
    one, so a decreasing grid is the fast order.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    alphas : array-like of shape (n_alphas,)
        Strengths ``> 0``; rows of the result follow this order.
    l1_ratio : float
        Share of the L1 penalty, in ``(0, 1]``.
    tol, max_iter
        As in :func:`fit_lasso`.

    Returns
    -------
    coefs : ndarray of shape (n_alphas, n_features)
    intercepts : ndarray of shape (n_alphas,)
    """
    X, y = _check_data(X, y)
    alphas = _check_alphas(alphas)
    l1_ratio = _check_alpha(l1_ratio, positive=True, name="l1_ratio")
    if l1_ratio > 1:
        raise ValueError(f"l1_ratio must be in (0, 1], got {l1_ratio!r}")
    _check_solver(tol, max_iter)
    problem = _GramProblem(X, y)
    coefs = np.empty((len(alphas), X.shape[1]))
    intercepts = np.empty(len(alphas))
    w = np.zeros(X.shape[1])
    for i, alpha in enumerate(alphas.tolist()):
        w, intercepts[i] = problem.solve(alpha, l1_ratio, w, tol, max_iter)
        coefs[i] = w
    return coefs, intercepts
