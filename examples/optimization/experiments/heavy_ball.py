"""``heavy_ball``: momentum turns a κ-step problem into a √κ-step one.

On a quadratic with condition number κ = L/μ, gradient descent at its best fixed step
``2/(L + μ)`` shrinks the error by ``(κ − 1)/(κ + 1)`` per step at best; Polyak's heavy
ball ``w ← w − lr·∇f(w) + β·(w − w_prev)`` with its tuned ``lr`` and ``β`` shrinks it by
``(√κ − 1)/(√κ + 1)``. The experiment runs both on a randomly rotated quadratic and
measures the steps each needs and the contraction rate each achieves.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from studyreg.experiments import Experiment, Result, Series, make_result


class Params(BaseModel):
    """Parameters of ``heavy_ball``."""

    model_config = ConfigDict(extra="forbid")

    dim: int = Field(20, ge=2, le=100, description="dimension of the quadratic")
    condition_number: float = Field(
        100.0, ge=2.0, le=2000.0, description="κ = L/μ: Hessian eigenvalues run from 1 to κ"
    )
    tol: float = Field(
        1e-6, ge=1e-10, le=1e-2, description="stop when ||w − w*|| ≤ tol·||w0 − w*||"
    )
    max_steps: int = Field(8000, ge=10, le=20000, description="give up after this many steps")


OUTPUTS = {
    "hessian.condition_number": "λ_max / λ_min of the Hessian, measured with eigvalsh",
    "gd.lr": "gradient descent's step 2/(L + μ), the best fixed step for this quadratic",
    "momentum.lr": "heavy ball's step 4/(√L + √μ)²",
    "momentum.beta": "heavy ball's momentum ((√L − √μ)/(√L + √μ))²",
    "gd.steps": "steps gradient descent took to reach the tolerance (max_steps + 1 if never)",
    "momentum.steps": "steps heavy ball took to reach the tolerance (max_steps + 1 if never)",
    "momentum.speedup": "gd.steps / momentum.steps",
    "gd.rate": "measured contraction per step of ||w − w*|| over the second half of the GD run",
    "momentum.rate": "measured contraction per step over the second half of the heavy-ball run",
    "gd.rate_theory": "(κ − 1)/(κ + 1) with κ from eigvalsh",
    "momentum.rate_theory": "(√κ − 1)/(√κ + 1) with κ from eigvalsh",
    "sqrt_condition": "√κ",
}


def _rotated_quadratic(
    dim: int, kappa: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Hessian ``Q·diag(λ)·Qᵀ`` (shape (dim, dim)) with λ log-spaced in [1, κ], and a minimizer."""
    q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
    q = q * np.sign(np.diag(r))  # a uniformly random rotation
    hessian = (q * np.geomspace(1.0, kappa, dim)) @ q.T
    return 0.5 * (hessian + hessian.T), rng.standard_normal(dim)


def _steps_and_rate(errors: np.ndarray, tol: float, max_steps: int) -> tuple[int, float]:
    """First step with relative error ≤ tol, and the mean contraction over the run's second half."""
    below = np.flatnonzero(errors <= tol)
    steps = int(below[0]) if below.size else max_steps + 1
    end = min(steps, len(errors) - 1)
    half = end // 2
    rate = (errors[end] / errors[half]) ** (1.0 / (end - half)) if end > half else 1.0
    return steps, float(rate)


def run(params: Params, seed: int) -> Result:
    """Minimize ``f(w) = ½(w − w*)ᵀH(w − w*)`` from ``w = 0`` with GD and with heavy ball.

    ``H`` has shape (dim, dim), eigenvalues log-spaced from μ = 1 to L = κ and random
    eigenvectors. Both methods stop once ``||w − w*|| ≤ tol·||w*||``.
    """
    rng = np.random.default_rng(seed)
    H, w_star = _rotated_quadratic(params.dim, params.condition_number, rng)
    eigenvalues = np.linalg.eigvalsh(H)
    mu, L = float(eigenvalues[0]), float(eigenvalues[-1])
    kappa = L / mu
    lr_gd = 2.0 / (L + mu)
    lr_hb = 4.0 / (np.sqrt(L) + np.sqrt(mu)) ** 2
    beta = ((np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu))) ** 2

    start = float(np.linalg.norm(w_star))
    w_gd = np.zeros(params.dim)
    w_hb, w_prev = np.zeros(params.dim), np.zeros(params.dim)
    err_gd, err_hb = [1.0], [1.0]
    for _ in range(params.max_steps):
        if err_gd[-1] > params.tol:
            w_gd = w_gd - lr_gd * (H @ (w_gd - w_star))
            err_gd.append(float(np.linalg.norm(w_gd - w_star)) / start)
        if err_hb[-1] > params.tol:
            w_next = w_hb - lr_hb * (H @ (w_hb - w_star)) + beta * (w_hb - w_prev)
            w_prev, w_hb = w_hb, w_next
            err_hb.append(float(np.linalg.norm(w_hb - w_star)) / start)
        if err_gd[-1] <= params.tol and err_hb[-1] <= params.tol:
            break
    curve_gd, curve_hb = np.array(err_gd), np.array(err_hb)
    steps_gd, rate_gd = _steps_and_rate(curve_gd, params.tol, params.max_steps)
    steps_hb, rate_hb = _steps_and_rate(curve_hb, params.tol, params.max_steps)
    root = np.sqrt(kappa)

    outputs = {
        "hessian.condition_number": kappa,
        "gd.lr": lr_gd,
        "momentum.lr": lr_hb,
        "momentum.beta": beta,
        "gd.steps": steps_gd,
        "momentum.steps": steps_hb,
        "momentum.speedup": steps_gd / steps_hb,
        "gd.rate": rate_gd,
        "momentum.rate": rate_hb,
        "gd.rate_theory": (kappa - 1.0) / (kappa + 1.0),
        "momentum.rate_theory": (root - 1.0) / (root + 1.0),
        "sqrt_condition": root,
    }
    figure = "Distance to the minimizer ||w − w*|| / ||w*||"
    series = {
        "error.gd": Series(
            figure,
            "gradient descent",
            np.arange(len(curve_gd), dtype=float),
            curve_gd,
            "step",
            "relative error",
            yscale="log",
        ),
        "error.momentum": Series(
            figure,
            "heavy ball",
            np.arange(len(curve_hb), dtype=float),
            curve_hb,
            "step",
            "relative error",
            yscale="log",
        ),
    }
    arrays = {
        "hessian": H,
        "hessian.eigenvalues": eigenvalues,
        "w_star": w_star,
        "gd.w": w_gd,
        "momentum.w": w_hb,
    }
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="heavy_ball",
    summary=(
        "Heavy-ball momentum against plain gradient descent, both tuned, on an ill-conditioned "
        "quadratic: about √κ times fewer steps."
    ),
    objective=(
        "the quadratic ½(w − w*)ᵀH(w − w*) with H's eigenvalues in [1, κ], by gradient descent "
        "(lr = 2/(L + μ)) and by heavy ball w ← w − lr·∇f(w) + β·(w − w_prev) "
        "(lr = 4/(√L + √μ)², β = ((√L − √μ)/(√L + √μ))²)"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,  # type: ignore[arg-type]
    key_outputs=("gd.steps", "momentum.steps", "momentum.speedup", "gd.rate", "momentum.rate"),
)
