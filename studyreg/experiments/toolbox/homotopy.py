"""The lasso path followed exactly, kink by kink (homotopy / LARS-lasso).

Coordinate descent slows to a crawl when the strength is tiny and the Gram matrix is
(nearly) singular — more features than samples, or about as many. The lasso solution
is piecewise linear in the strength, so it can instead be followed exactly from a known
solution: between kinks the active weights move along ``d = G_AA⁻¹·s_A``; a kink is
where an inactive correlation reaches the strength (the feature joins) or an active
weight reaches zero (it leaves). :mod:`studyreg.experiments.toolbox.linear` uses this as the
fallback for the lasso and the elastic net (whose ridge part only adds ``β`` to the
diagonal of ``G``), then confirms the result with the duality gap.

Notation as in :mod:`studyreg.experiments.toolbox.coordinate_descent`: centred data, ``G = XᵀX``,
``c = Xᵀy``, ``t = n·alpha``, correlations ``g = c − G·w``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["lasso_homotopy"]

_TINY = 1e-12
# A joining feature whose Schur complement is below this share of its G_jj is (numerically)
# a combination of the active ones.
_SINGULAR = 1e-10
_REFRESH = 50
_FLOAT_TINY = float(np.finfo(float).tiny)


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
    ``n_samples``) by continuation in ``t``. With ``G = XᵀX + β·I`` this is the elastic
    net (times ``n_samples``, ``β = n·alpha·(1 − l1_ratio)``): the ridge term only adds
    ``β`` to the diagonal, and makes every active system positive definite.

    Parameters
    ----------
    G : ndarray of shape (n_features, n_features)
        ``XᵀX`` of the centred data, or ``XᵀX + β·I`` for the elastic net.
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
    active = _ActiveInverse(G, np.flatnonzero(sign))
    for _ in range(20 * p + 100):
        d = active.inverse @ sign[active.index]
        if not np.all(np.isfinite(d)) or (d.size and np.abs(d).max() > 1e12):
            # Rounding made the active Gram matrix singular: the newest feature cannot join.
            newest = int(active.index[-1])
            active.remove(active.index.size - 1)
            sign[newest], w[newest] = 0.0, 0.0
            blocked[newest] = True
            g = c - G @ w
            continue
        a = d @ G[active.index]  # G is symmetric: rows of the active set, = G[:, A]·d
        free = (sign == 0) & ~blocked
        join_step, joiner = _first_event(g, a, t, free)
        w_active = w[active.index]
        with np.errstate(divide="ignore", invalid="ignore"):
            leave = np.where(d * w_active < 0, -w_active / d, np.inf)
        leave_index = int(np.argmin(leave)) if leave.size else 0
        leave_step = float(leave[leave_index]) if leave.size else np.inf
        remaining = t - t_target
        step = min(join_step, leave_step, remaining)
        w[active.index] += step * d
        g -= step * a
        t -= step
        if step == remaining:
            break
        if leave_step <= join_step:
            leaver = int(active.index[leave_index])
            active.remove(leave_index)
            w[leaver], sign[leaver] = 0.0, 0.0
        elif active.add(joiner):
            sign[joiner] = np.sign(g[joiner])
        else:
            blocked[joiner] = True  # it would make the active Gram matrix singular
    w[sign == 0] = 0.0
    return w


class _ActiveInverse:
    """The active set (in joining order) and the inverse of ``G`` restricted to it.

    Joining and leaving update the inverse by its Schur complement in O(k²) instead of
    a new O(k³) solve per kink; every ``_REFRESH`` updates it is recomputed, so rounding
    cannot build up. Features whose Schur complement is (numerically) zero are refused:
    with them the active Gram matrix would be singular.
    """

    def __init__(self, G: np.ndarray, index: np.ndarray) -> None:
        self.G = G
        self.index = np.asarray(index, dtype=np.intp)
        self.inverse = np.linalg.pinv(G[np.ix_(self.index, self.index)], hermitian=True)
        self.updates = 0

    def add(self, j: int) -> bool:
        h = self.G[self.index, j]
        u = self.inverse @ h
        schur = float(self.G[j, j] - h @ u)
        if not schur > _SINGULAR * max(float(self.G[j, j]), _FLOAT_TINY):
            return False
        k = self.index.size
        grown = np.empty((k + 1, k + 1))
        grown[:k, :k] = self.inverse + np.outer(u, u) / schur
        grown[:k, k] = grown[k, :k] = -u / schur
        grown[k, k] = 1.0 / schur
        self.index = np.append(self.index, j)
        self.inverse = grown
        self._count()
        return True

    def remove(self, position: int) -> None:
        keep = np.arange(self.index.size) != position
        column = self.inverse[keep, position]
        self.inverse = (
            self.inverse[np.ix_(keep, keep)]
            - np.outer(column, column) / self.inverse[position, position]
        )
        self.index = self.index[keep]
        self._count()

    def _count(self) -> None:
        self.updates += 1
        if self.updates % _REFRESH == 0 and self.index.size:
            self.inverse = np.linalg.pinv(self.G[np.ix_(self.index, self.index)], hermitian=True)
