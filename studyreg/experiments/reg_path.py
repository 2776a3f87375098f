"""``reg_path``: sweep the penalty strength; validation error traces a U."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result
from studyreg.experiments.toolbox.datasets import sparse_regression, split
from studyreg.experiments.toolbox.linear import lasso_alpha_max, lasso_path, ridge_path


class Params(BaseModel):
    """Parameters of ``reg_path``."""

    model_config = ConfigDict(extra="forbid")

    n_train: int = Field(50, ge=10, le=500, description="training rows")
    n_val: int = Field(
        200, ge=10, le=2000, description="validation rows (many, so the curve is smooth)"
    )
    n_features: int = Field(
        40,
        ge=2,
        le=200,
        description="number of features; close to n_train, least squares overfits badly",
    )
    n_informative: int = Field(
        8, ge=1, le=200, description="features the target really depends on; at most n_features"
    )
    noise: float = Field(
        2.0, ge=0.0, le=10.0, description="standard deviation of the noise added to the target"
    )
    n_alphas: int = Field(
        30, ge=3, le=100, description="number of strengths on each log-spaced grid"
    )
    alpha_min: float = Field(
        1e-3, ge=1e-5, le=1.0, description="weakest lasso strength (sklearn's Lasso alpha)"
    )
    alpha_max: float = Field(10.0, ge=1e-3, le=1000.0, description="strongest lasso strength")
    ridge_alpha_min: float = Field(
        1e-2, ge=1e-5, le=100.0, description="weakest ridge strength (sklearn's Ridge alpha)"
    )
    ridge_alpha_max: float = Field(1e5, ge=1e-2, le=1e7, description="strongest ridge strength")

    @model_validator(mode="after")
    def _consistent(self) -> Params:
        if self.n_informative > self.n_features:
            raise ValueError(
                f"n_informative ({self.n_informative}) must be at most n_features ({self.n_features})"
            )
        if self.alpha_min >= self.alpha_max:
            raise ValueError(
                f"alpha_min ({self.alpha_min:g}) must be below alpha_max ({self.alpha_max:g})"
            )
        if self.ridge_alpha_min >= self.ridge_alpha_max:
            raise ValueError(
                f"ridge_alpha_min ({self.ridge_alpha_min:g}) must be below ridge_alpha_max ({self.ridge_alpha_max:g})"
            )
        return self


def _model_outputs(model: str, zero_note: str) -> dict[str, str]:
    return {
        f"{model}.best_alpha": f"{model} strength with the lowest validation error on the grid",
        f"{model}.best_index": f"position of {model}.best_alpha on the grid (0 = weakest)",
        f"{model}.val_mse_at_best": f"{model} validation error at the best strength",
        f"{model}.val_mse_at_min": f"{model} validation error at the weakest strength (overfits)",
        f"{model}.val_mse_at_max": f"{model} validation error at the strongest strength (underfits)",
        f"{model}.train_mse_at_best": f"{model} training error at the best strength",
        f"{model}.train_mse_at_min": f"{model} training error at the weakest strength (lowest)",
        f"{model}.train_mse_at_max": f"{model} training error at the strongest strength (highest)",
        f"{model}.n_zero_at_min": f"{model} weights exactly zero at the weakest strength{zero_note}",
        f"{model}.n_zero_at_best": f"{model} weights exactly zero at the best strength{zero_note}",
        f"{model}.n_zero_at_max": f"{model} weights exactly zero at the strongest strength{zero_note}",
        f"{model}.u_shape": f"true when {model}'s validation error at the best strength is below both ends",
    }


OUTPUTS = {
    "n_features": "number of features (weights)",
    "n_informative": "number of features the true target depends on",
    "n_alphas": "strengths on each grid",
    "lasso.alpha_zero": "smallest lasso alpha that makes every weight zero: max|Xᵀ(y − ȳ)|/n",
    **_model_outputs("lasso", ""),
    **_model_outputs("ridge", " (ridge almost surely has none)"),
    "u_shape": "true when both lasso and ridge show the U (best strictly inside, below both ends)",
}


def _summarize(
    name: str, alphas: np.ndarray, coefs: np.ndarray, train: np.ndarray, val: np.ndarray
) -> dict:
    best = int(np.argmin(val))
    weakest, strongest = int(np.argmin(alphas)), int(np.argmax(alphas))
    zeros = (coefs == 0.0).sum(axis=1)
    return {
        f"{name}.best_alpha": float(alphas[best]),
        f"{name}.best_index": int(np.argsort(alphas).tolist().index(best)),
        f"{name}.val_mse_at_best": float(val[best]),
        f"{name}.val_mse_at_min": float(val[weakest]),
        f"{name}.val_mse_at_max": float(val[strongest]),
        f"{name}.train_mse_at_best": float(train[best]),
        f"{name}.train_mse_at_min": float(train[weakest]),
        f"{name}.train_mse_at_max": float(train[strongest]),
        f"{name}.n_zero_at_min": int(zeros[weakest]),
        f"{name}.n_zero_at_best": int(zeros[best]),
        f"{name}.n_zero_at_max": int(zeros[strongest]),
        f"{name}.u_shape": bool(val[best] < val[weakest] and val[best] < val[strongest]),
    }


def _errors(X: np.ndarray, y: np.ndarray, coefs: np.ndarray, intercepts: np.ndarray) -> np.ndarray:
    residuals = y[None, :] - coefs @ X.T - intercepts[:, None]  # (n_alphas, n_samples)
    return np.mean(residuals * residuals, axis=1)


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    n = params.n_train + params.n_val
    X, y, true_coef = sparse_regression(
        rng, n, params.n_features, params.n_informative, params.noise
    )
    train, val = split(n, params.n_val)
    X_train, y_train, X_val, y_val = X[train], y[train], X[val], y[val]

    # Strongest first: warm starts then move from all-zero towards the full fit.
    grids = {
        "lasso": np.geomspace(params.alpha_max, params.alpha_min, params.n_alphas),
        "ridge": np.geomspace(params.ridge_alpha_max, params.ridge_alpha_min, params.n_alphas),
    }
    paths = {
        "lasso": lasso_path(X_train, y_train, grids["lasso"]),
        "ridge": ridge_path(X_train, y_train, grids["ridge"]),
    }
    outputs: dict = {
        "n_features": params.n_features,
        "n_informative": params.n_informative,
        "n_alphas": params.n_alphas,
        "lasso.alpha_zero": lasso_alpha_max(X_train, y_train),
    }
    arrays: dict[str, np.ndarray] = {
        "X_train": X_train,
        "y_train": y_train,
        "X_val": X_val,
        "y_val": y_val,
        "true_coef": true_coef,
    }
    series: dict[str, Series] = {}
    shown = sorted(
        set(range(params.n_informative)) | set(range(params.n_features)[params.n_informative :][:3])
    )
    for name, (coefs, intercepts) in paths.items():
        alphas = grids[name]
        train_mse = _errors(X_train, y_train, coefs, intercepts)
        val_mse = _errors(X_val, y_val, coefs, intercepts)
        outputs.update(_summarize(name, alphas, coefs, train_mse, val_mse))
        arrays.update(
            {
                f"{name}.alphas": alphas,
                f"{name}.coefs": coefs,
                f"{name}.intercepts": intercepts,
                f"{name}.train_mse": train_mse,
                f"{name}.val_mse": val_mse,
            }
        )
        title = name.capitalize()
        errors = f"{title}: error vs strength"
        for split_name, values in (("train", train_mse), ("val", val_mse)):
            series[f"path.{name}.{split_name}_mse"] = Series(
                errors,
                f"{name} {split_name}",
                alphas,
                values,
                "alpha",
                "mean squared error",
                xscale="log",
            )
        series[f"path.{name}.n_nonzero"] = Series(
            f"{title}: non-zero weights vs strength",
            f"{name} non-zero",
            alphas,
            (coefs != 0.0).sum(axis=1).astype(float),
            "alpha",
            "non-zero weights",
            xscale="log",
        )
        for j in shown:
            kind = "informative" if j < params.n_informative else "noise"
            series[f"path.{name}.coef.{j}"] = Series(
                f"{title}: weights vs strength",
                f"w{j} ({kind})",
                alphas,
                coefs[:, j],
                "alpha",
                "weight",
                xscale="log",
            )
    outputs["u_shape"] = outputs["lasso.u_shape"] and outputs["ridge.u_shape"]
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="reg_path",
    summary="Sweep the penalty strength: validation error is high at both ends (overfit, underfit), lowest between.",
    objective=(
        "for each alpha on a log grid — lasso: (1/(2n))·||y − Xw − b||² + alpha·||w||₁;  "
        "ridge: ||y − Xw − b||² + alpha·||w||²  (intercept b unpenalized)"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "lasso.best_alpha",
        "lasso.val_mse_at_min",
        "lasso.val_mse_at_best",
        "lasso.val_mse_at_max",
        "ridge.best_alpha",
        "ridge.val_mse_at_best",
    ),
)
