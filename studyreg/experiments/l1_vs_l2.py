"""``l1_vs_l2``: lasso sets weights exactly to zero, ridge only shrinks them."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from studyreg.experiments import Experiment, Result, Series, make_result
from studyreg.experiments.toolbox.datasets import sparse_regression, split
from studyreg.experiments.toolbox.linear import fit_lasso, fit_ridge, mse


class Params(BaseModel):
    """Parameters of ``l1_vs_l2``."""

    model_config = ConfigDict(extra="forbid")

    n_samples: int = Field(
        100, ge=20, le=2000, description="rows of data, training and validation together"
    )
    n_features: int = Field(20, ge=2, le=200, description="number of input features")
    n_informative: int = Field(
        5,
        ge=1,
        le=200,
        description="features the target really depends on (the first ones); at most n_features",
    )
    noise: float = Field(
        1.0, ge=0.0, le=10.0, description="standard deviation of the noise added to the target"
    )
    alpha_l1: float = Field(
        0.1, ge=1e-5, le=10.0, description="lasso strength, as in sklearn's Lasso(alpha)"
    )
    alpha_l2: float = Field(
        1.0, ge=1e-5, le=10000.0, description="ridge strength, as in sklearn's Ridge(alpha)"
    )
    val_fraction: float = Field(
        0.3, ge=0.1, le=0.5, description="share of the rows held out for validation"
    )

    @model_validator(mode="after")
    def _informative_fit(self) -> Params:
        if self.n_informative > self.n_features:
            raise ValueError(
                f"n_informative ({self.n_informative}) must be at most n_features ({self.n_features})"
            )
        return self


OUTPUTS = {
    "n_features": "number of features (weights) each model fits",
    "n_informative": "number of features the true target depends on",
    "n_train": "training rows",
    "n_val": "validation rows",
    "lasso.n_zero": "lasso weights exactly equal to 0.0",
    "lasso.n_nonzero": "lasso weights different from 0.0",
    "lasso.train_mse": "lasso mean squared error on the training rows",
    "lasso.val_mse": "lasso mean squared error on the validation rows",
    "lasso.l1_norm": "sum of absolute lasso weights",
    "lasso.l2_norm": "Euclidean norm of the lasso weights",
    "lasso.intercept": "lasso intercept (unpenalized)",
    "lasso.coef_error": "Euclidean distance between lasso weights and the true weights",
    "lasso.support_recovered": "true when the non-zero lasso weights are exactly the informative features",
    "lasso.true_positives": "informative features with a non-zero lasso weight",
    "lasso.false_positives": "uninformative features with a non-zero lasso weight",
    "lasso.false_negatives": "informative features whose lasso weight is zero",
    "ridge.n_zero": "ridge weights exactly equal to 0.0 (almost surely none)",
    "ridge.n_nonzero": "ridge weights different from 0.0",
    "ridge.train_mse": "ridge mean squared error on the training rows",
    "ridge.val_mse": "ridge mean squared error on the validation rows",
    "ridge.l1_norm": "sum of absolute ridge weights",
    "ridge.l2_norm": "Euclidean norm of the ridge weights",
    "ridge.intercept": "ridge intercept (unpenalized)",
    "ridge.coef_error": "Euclidean distance between ridge weights and the true weights",
    "ridge.min_abs_coef": "smallest absolute ridge weight: small, but not zero",
    "ols.train_mse": "least squares (no penalty; minimum-norm if underdetermined) training error",
    "ols.val_mse": "least squares (no penalty) validation error",
    "true.l1_norm": "sum of absolute true weights",
}


def run(params: Params, seed: int) -> Result:
    rng = np.random.default_rng(seed)
    X, y, true_coef = sparse_regression(
        rng, params.n_samples, params.n_features, params.n_informative, params.noise
    )
    n_val = max(1, round(params.n_samples * params.val_fraction))
    train, val = split(params.n_samples, n_val)
    X_train, y_train, X_val, y_val = X[train], y[train], X[val], y[val]

    fits = {
        "lasso": fit_lasso(X_train, y_train, params.alpha_l1),
        "ridge": fit_ridge(X_train, y_train, params.alpha_l2),
        "ols": fit_ridge(X_train, y_train, 0.0),
    }
    informative = true_coef != 0
    outputs: dict[str, float | int | bool] = {
        "n_features": params.n_features,
        "n_informative": params.n_informative,
        "n_train": len(y_train),
        "n_val": n_val,
        "true.l1_norm": float(np.abs(true_coef).sum()),
    }
    for name, (coef, intercept) in fits.items():
        outputs[f"{name}.train_mse"] = mse(X_train, y_train, coef, intercept)
        outputs[f"{name}.val_mse"] = mse(X_val, y_val, coef, intercept)
        if name == "ols":
            continue
        nonzero = coef != 0.0
        outputs[f"{name}.n_zero"] = int((~nonzero).sum())
        outputs[f"{name}.n_nonzero"] = int(nonzero.sum())
        outputs[f"{name}.l1_norm"] = float(np.abs(coef).sum())
        outputs[f"{name}.l2_norm"] = float(np.linalg.norm(coef))
        outputs[f"{name}.intercept"] = intercept
        outputs[f"{name}.coef_error"] = float(np.linalg.norm(coef - true_coef))
    lasso_nonzero = fits["lasso"][0] != 0.0
    outputs["lasso.support_recovered"] = bool(np.array_equal(lasso_nonzero, informative))
    outputs["lasso.true_positives"] = int((lasso_nonzero & informative).sum())
    outputs["lasso.false_positives"] = int((lasso_nonzero & ~informative).sum())
    outputs["lasso.false_negatives"] = int((~lasso_nonzero & informative).sum())
    outputs["ridge.min_abs_coef"] = float(np.abs(fits["ridge"][0]).min())

    index = np.arange(params.n_features, dtype=float)
    figure = "Weights by feature"
    series = {
        f"coef.{name}": Series(
            figure, label, index, coef, "feature index", "weight", kind="scatter"
        )
        for name, label, coef in (
            ("true", "true", true_coef),
            ("lasso", f"lasso (alpha={params.alpha_l1:g})", fits["lasso"][0]),
            ("ridge", f"ridge (alpha={params.alpha_l2:g})", fits["ridge"][0]),
        )
    }
    arrays = {
        "X_train": X_train,
        "y_train": y_train,
        "X_val": X_val,
        "y_val": y_val,
        "true_coef": true_coef,
    }
    for name in ("lasso", "ridge"):
        arrays[f"{name}.coef"] = fits[name][0]
        arrays[f"{name}.intercept"] = np.asarray(fits[name][1])
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="l1_vs_l2",
    summary="Lasso (L1) sets weights exactly to zero; ridge (L2) only shrinks them.",
    objective=(
        "lasso: (1/(2n))·||y − Xw − b||² + alpha_l1·||w||₁;  "
        "ridge: ||y − Xw − b||² + alpha_l2·||w||²  (n training rows, intercept b unpenalized)"
    ),
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=(
        "lasso.n_zero",
        "ridge.n_zero",
        "lasso.val_mse",
        "ridge.val_mse",
        "lasso.support_recovered",
    ),
)
