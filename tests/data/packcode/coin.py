"""A pack-local experiment for the tests: coin flips (written only against the public SDK)."""

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from studyreg.experiments import Experiment, Series, make_result


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    n: int = Field(2000, ge=1, le=100_000, description="number of flips")
    p: float = Field(0.5, ge=0.0, le=1.0, description="probability of heads")


OUTPUTS = {
    "heads": "number of heads",
    "rate": "share of heads",
    "error": "|rate - p|: how far the share is from the probability",
}


def run(params: Params, seed: int):
    rng = np.random.default_rng(seed)
    flips = rng.random(params.n) < params.p
    counts = np.arange(1, params.n + 1, dtype=float)
    series = {
        "running": Series(
            "share of heads", "running share", counts, np.cumsum(flips) / counts, xscale="log"
        )
    }
    rate = float(flips.mean())
    outputs = {"heads": int(flips.sum()), "rate": rate, "error": abs(rate - params.p)}
    return make_result(
        EXPERIMENT, params, seed, outputs, series, {"flips": flips}, declared=OUTPUTS
    )


EXPERIMENT = Experiment(
    name="coin",
    summary="Flip a biased coin: the share of heads approaches p.",
    objective="none: a simulation (no loss is minimized)",
    params_model=Params,
    outputs=OUTPUTS,
    run=run,
    key_outputs=("rate",),
)
