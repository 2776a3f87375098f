"""``{name}``: the average of n noisy draws misses the true mean by about sigma / sqrt(n).

A pack-local experiment, written only against studyreg's public SDK
(docs/experiment-sdk.md). It runs once you trust the pack (`studyreg trust PATH`),
in a separate process with the time and memory limits of pack.yaml.
"""

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from studyreg.experiments import Experiment, Series, make_result


class Params(BaseModel):
    """Every parameter has a default, bounds and a description (validate --strict checks)."""

    model_config = ConfigDict(extra="forbid")

    n_small: int = Field(10, ge=1, le=10_000, description="draws averaged by the small sample")
    n_large: int = Field(1000, ge=1, le=10_000, description="draws averaged by the large sample")
    sigma: float = Field(1.0, gt=0.0, le=100.0, description="standard deviation of one draw")
    repeats: int = Field(
        200, ge=10, le=2000, description="independent samples per size, averaged in one run"
    )


OUTPUTS = {
    "error_small": "mean |sample mean - true mean| over the repeats, small sample",
    "error_large": "mean |sample mean - true mean| over the repeats, large sample",
    "error_small_se": "standard error of error_small (spread over the repeats / sqrt(repeats))",
    "theory_small": "sigma * sqrt(2 / (pi * n_small)): the expected |error| of a normal mean",
}


def mean_abs_error(rng: np.random.Generator, n: int, sigma: float, repeats: int) -> np.ndarray:
    """|mean of n draws - 0| for each of ``repeats`` samples, shape (repeats,)."""
    draws = rng.normal(0.0, sigma, size=(repeats, n))
    return np.abs(draws.mean(axis=1))


def run(params: Params, seed: int):
    rng = np.random.default_rng(seed)  # all randomness from the seed: same seed, same numbers
    small = mean_abs_error(rng, params.n_small, params.sigma, params.repeats)
    large = mean_abs_error(rng, params.n_large, params.sigma, params.repeats)
    sizes = np.unique(np.geomspace(1, params.n_large, 12).astype(int))
    curve = np.array([mean_abs_error(rng, int(n), params.sigma, 50).mean() for n in sizes])
    outputs = {
        "error_small": small.mean(),
        "error_large": large.mean(),
        "error_small_se": small.std(ddof=1) / np.sqrt(params.repeats),
        "theory_small": params.sigma * np.sqrt(2 / (np.pi * params.n_small)),
    }
    series = {
        "measured": Series(
            "error of the mean", "measured", sizes.astype(float), curve,
            xlabel="n", ylabel="mean |error|", xscale="log", yscale="log",
        ),
        "theory": Series(
            "error of the mean", "sigma·sqrt(2/(pi·n))", sizes.astype(float),
            params.sigma * np.sqrt(2 / (np.pi * sizes)),
            xlabel="n", ylabel="mean |error|", xscale="log", yscale="log",
        ),
    }  # fmt: skip
    arrays = {"errors_small": small, "errors_large": large}
    return make_result(EXPERIMENT, params, seed, outputs, series, arrays, declared=OUTPUTS)


EXPERIMENT = Experiment(
    name="{name}",
    summary="Averaging more draws shrinks the error of the mean like 1/sqrt(n).",
    objective="none: a simulation; the sample mean minimizes the squared error Σ(xᵢ − m)² over m",
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=("error_small", "error_large"),
)
