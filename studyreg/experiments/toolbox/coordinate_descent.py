"""Elastic-net coordinate descent on the Gram matrix, with an exact active-set finish.

Everything here works on centred data through ``G = XᵀX`` and ``c = Xᵀy``, computed
once per data set, so a coordinate update costs O(n_features) whatever the number of
samples. The public wrappers (with input checks) are in :mod:`studyreg.experiments.toolbox.linear`.

Notes
-----
In the scale used here (multiplied by ``n_samples``) the objective is ::

    F(w) = ½·wᵀGw − cᵀw + ½·yᵀy + t·||w||₁ + ½·β·||w||²

with ``t = n·alpha·l1_ratio`` and ``β = n·alpha·(1 − l1_ratio)``; ``F / n`` is
scikit-learn's ElasticNet objective ``(1/(2n))·||y − Xw||² + alpha·l1_ratio·||w||₁
+ ½·alpha·(1 − l1_ratio)·||w||²``.

Three ideas make the pure-NumPy loop fast:

* **Working set.** A sweep visits only the coordinates that can move: those that are
  non-zero or whose correlation ``|g_j|`` (``g = c − (G + βI)w``) exceeds ``t``. A zero
  coordinate with ``|g_j| ≤ t`` stays zero under soft-thresholding, so skipping it changes
  nothing; coordinates that become violated mid-sweep are picked up by the next one.
  With warm starts along a path this is the strong-rule screening in its simplest form.
* **Exact finish.** Once the sign pattern ``s`` of the support ``A`` is right, the
  optimum solves ``(G + βI)_AA · w_A = c_A − t·s_A`` exactly. Each round tries that
  solve (adding violated coordinates, dropping sign flips) before sweeping; it is
  accepted only when the duality gap confirms it.
* **Duality gap.** The stopping rule is scikit-learn's duality gap, computed in
  O(p²) from the Gram matrix, and required to be below ``tol·||y||²``.
"""

from __future__ import annotations

import numpy as np

from studyreg.experiments.base import ExperimentError

__all__ = ["ConvergenceError", "duality_gap", "solve_enet_gram"]

_EXACT_TRIES = 4


class ConvergenceError(ExperimentError):
    """Coordinate descent did not reach the requested duality gap (at these parameters)."""


def duality_gap(
    w: np.ndarray, H: np.ndarray, c: np.ndarray, yy: float, t: float, beta: float
) -> float:
    """Duality gap of the elastic net at ``w`` (n-scaled objective, see module notes).

    Parameters
    ----------
    w : ndarray of shape (n_features,)
        Candidate coefficients.
    H : ndarray of shape (n_features, n_features)
        ``XᵀX + β·I`` of the centred data.
    c : ndarray of shape (n_features,)
        ``Xᵀy`` of the centred data.
    yy : float
        ``yᵀy`` of the centred target.
    t, beta : float
        L1 and L2 penalty weights, already multiplied by ``n_samples``.

    Returns
    -------
    gap : float
        Primal minus dual objective, ``>= 0`` up to rounding; zero at the optimum.
    """
    Hw = H @ w
    xta = c - Hw  # Xᵀ(y − Xw) − βw
    w_norm2 = float(w @ w)
    r_norm2 = yy + float(w @ Hw) - beta * w_norm2 - 2.0 * float(c @ w)
    dual_norm = float(np.max(np.abs(xta))) if xta.size else 0.0
    if dual_norm > t:
        const = t / dual_norm
        gap = 0.5 * (r_norm2 + r_norm2 * const * const)
    else:
        const = 1.0
        gap = r_norm2
    gap += t * float(np.abs(w).sum()) - const * (yy - float(c @ w))
    gap += 0.5 * beta * (1.0 + const * const) * w_norm2
    return gap


def _exact_on_support(
    w: np.ndarray, g: np.ndarray, H: np.ndarray, c: np.ndarray, t: float
) -> np.ndarray | None:
    """Solve the KKT system on a guessed support and signs; ``None`` if no guess fits.

    The guess starts from the support of ``w`` (and its signs) plus any coordinate
    whose correlation ``|g_j|`` exceeds ``t`` (with the sign of ``g_j``); a few rounds
    drop coordinates whose sign flips and add new violators.
    """
    sign = np.sign(w)
    violators = (sign == 0) & (np.abs(g) > t)
    sign[violators] = np.sign(g[violators])
    for _ in range(_EXACT_TRIES):
        support = np.flatnonzero(sign)
        if support.size == 0:
            return np.zeros_like(w)
        try:
            w_support = np.linalg.solve(
                H[support[:, None], support], c[support] - t * sign[support]
            )
        except np.linalg.LinAlgError:
            return None
        flipped = np.sign(w_support) != sign[support]
        candidate = np.zeros_like(w)
        candidate[support] = w_support
        if flipped.any():
            sign[support[flipped]] = 0.0
            continue
        g_candidate = c - H @ candidate
        new = (sign == 0) & (np.abs(g_candidate) > t * (1.0 + 1e-12))
        if not new.any():
            return candidate
        sign[new] = np.sign(g_candidate[new])
    return None


def _sweep(w: np.ndarray, g: np.ndarray, H: np.ndarray, diag: np.ndarray, t: float) -> float:
    """One cyclic pass over the working set, in place; returns the largest weight change."""
    working = np.flatnonzero((w != 0.0) | (np.abs(g) > t))
    largest = 0.0
    for j in working.tolist():
        old = w[j]
        z = g[j] + diag[j] * old
        if z > t:
            new = (z - t) / diag[j]
        elif z < -t:
            new = (z + t) / diag[j]
        else:
            new = 0.0
        delta = new - old
        if delta != 0.0:
            w[j] = new
            g -= delta * H[j]  # H is symmetric: row j is column j, and contiguous
            largest = max(largest, abs(delta))
    return largest


def solve_enet_gram(
    H: np.ndarray,
    c: np.ndarray,
    yy: float,
    t: float,
    beta: float,
    w_init: np.ndarray,
    *,
    tol: float,
    max_iter: int,
    exact_finish: bool = True,
) -> np.ndarray:
    """Minimize the n-scaled elastic-net objective ``F(w)`` (see module notes).

    Parameters
    ----------
    H : ndarray of shape (n_features, n_features)
        ``XᵀX + β·I`` of the centred data (symmetric, C-contiguous).
    c : ndarray of shape (n_features,)
        ``Xᵀy`` of the centred data.
    yy : float
        ``yᵀy`` of the centred target.
    t, beta : float
        L1 and L2 penalty weights multiplied by ``n_samples`` (``t > 0``).
    w_init : ndarray of shape (n_features,)
        Warm start; not modified.
    tol : float
        Stop when the duality gap is at most ``tol·max(yy, tiny)``.
    max_iter : int
        Maximum number of sweeps.
    exact_finish : bool
        Try the exact solve on the guessed support every other sweep (default). Off,
        the loop is plain working-set coordinate descent (used to test one against
        the other).

    Returns
    -------
    w : ndarray of shape (n_features,)
        The minimizer; coordinates outside the support are exactly ``0.0``.

    Raises
    ------
    ConvergenceError
        If the gap is still above the tolerance after ``max_iter`` sweeps.
    """
    w = np.array(w_init, dtype=float, copy=True)
    diag = np.diag(H).copy()
    # A feature with zero variance can never enter the model.
    dead = diag <= 0.0
    w[dead] = 0.0
    diag[dead] = np.inf
    threshold = tol * max(yy, np.finfo(float).tiny)
    g = c - H @ w
    for sweep in range(max_iter):
        if exact_finish and sweep % 2 == 0:
            exact = _exact_on_support(w, g, H, c, t)
            if exact is not None and duality_gap(exact, H, c, yy, t, beta) <= threshold:
                return exact
        change = _sweep(w, g, H, diag, t)
        if change == 0.0 or (sweep % 5 == 4 and duality_gap(w, H, c, yy, t, beta) <= threshold):
            g = c - H @ w
            if duality_gap(w, H, c, yy, t, beta) <= threshold or change == 0.0:
                return w
        if sweep % 50 == 49:
            g = c - H @ w  # refresh: the running updates accumulate rounding
    gap = duality_gap(w, H, c, yy, t, beta)
    raise ConvergenceError(
        f"coordinate descent did not converge in {max_iter} sweeps "
        f"(duality gap {gap:.3g} > {threshold:.3g}); raise max_iter or tol"
    )
