"""The lasso path followed exactly, kink by kink (homotopy / LARS-lasso).

Coordinate descent slows to a crawl when the strength is tiny and the Gram matrix is
(nearly) singular — more features than samples, or about as many. The lasso solution
is piecewise linear in the strength, so it can instead be followed exactly from a known
solution: between kinks the active weights move along ``d = G_AA⁻¹·s_A``; a kink is
where an inactive correlation reaches the strength (the feature joins) or an active
weight reaches zero (it leaves). :mod:`studyreg.experiments.linear` uses this as the
fallback, then confirms the result with the duality gap.

Notation as in :mod:`studyreg.experiments.coordinate_descent`: centred data, ``G = XᵀX``,
``c = Xᵀy``, ``t = n·alpha``, correlations ``g = c − G·w``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["lasso_homotopy"]

_TINY = 1e-12


def _first_event(g: np.ndarray, a: np.ndarray, t: float, free: np.ndarray) -> tuple[float, int]:
    """Smallest positive step at which an inactive, unblocked correlation reaches ``±(t − step)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.where(free & (1.0 - a > _TINY), (t - g) / (1.0 - a), np.inf)
        down = np.where(free & (1.0 + a > _TINY), (t + g) / (1.0 + a), np.inf)
    steps = np.minimum(up, down)
    steps[~(steps > _TINY * max(t, 1.0))] = np.inf
    j = int(np.argmin(steps))
    return float(steps[j]), j


def lasso_homotopy(
    G: np.ndarray,
    c: np.ndarray,
    t_target: float,
    w_start: np.ndarray | None = None,
    t_start: float | None = None,
) -> np.ndarray:
    """Follow the lasso path down to ``t_target``; returns the weights there.

    Minimizes ``½·wᵀGw − cᵀw + t_target·||w||₁`` (the lasso objective times
    ``n_samples``) by continuation in ``t``.

    Parameters
    ----------
    G : ndarray of shape (n_features, n_features)
        ``XᵀX`` of the centred data.
    c : ndarray of shape (n_features,)
        ``Xᵀy`` of the centred data.
    t_target : float
        ``n·alpha`` to stop at, ``> 0``.
    w_start : ndarray of shape (n_features,), optional
        An exact solution at ``t_start >= t_target`` to start from; default: start at
        ``max|c|``, where all weights are zero.
    t_start : float, optional
        The strength ``w_start`` solves.

    Returns
    -------
    w : ndarray of shape (n_features,)
        Exactly ``0.0`` outside the final active set.
    """
    p = len(c)
    if w_start is None or t_start is None or t_start < t_target:
        w = np.zeros(p)
        t = float(np.max(np.abs(c))) if p else 0.0
        if t_target >= t:
            return w
        j = int(np.argmax(np.abs(c)))
        sign = np.zeros(p)
        sign[j] = np.sign(c[j])
    else:
        w, t = np.array(w_start, dtype=float), float(t_start)
        sign = np.sign(w)
    g = c - G @ w
    blocked = np.zeros(p, dtype=bool)
    for _ in range(20 * p + 100):
        active = np.flatnonzero(sign)
        try:
            d = np.linalg.solve(G[active[:, None], active], sign[active])
        except np.linalg.LinAlgError:
            d = None
        if d is None or not np.all(np.isfinite(d)) or np.abs(d).max() > 1e12:
            # The newest feature made the active Gram matrix singular: it cannot join.
            newest = active[np.argmin(np.abs(w[active]))]
            sign[newest], w[newest] = 0.0, 0.0
            blocked[newest] = True
            g = c - G @ w
            continue
        a = G[:, active] @ d
        free = (sign == 0) & ~blocked
        join_step, joiner = _first_event(g, a, t, free)
        with np.errstate(divide="ignore", invalid="ignore"):
            leave = np.where(d * w[active] < 0, -w[active] / d, np.inf)
        leave_index = int(np.argmin(leave)) if leave.size else 0
        leave_step = float(leave[leave_index]) if leave.size else np.inf
        remaining = t - t_target
        step = min(join_step, leave_step, remaining)
        w[active] += step * d
        g -= step * a
        t -= step
        if step == remaining:
            break
        if leave_step <= join_step:
            leaver = active[leave_index]
            w[leaver], sign[leaver] = 0.0, 0.0
        else:
            sign[joiner] = np.sign(g[joiner])
    w[sign == 0] = 0.0
    return w
