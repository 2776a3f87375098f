"""Misbehaving pack code for the isolation tests: loops forever or grabs memory."""

import time

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from studyreg.experiments import Experiment, make_result


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    megabytes: int = Field(0, ge=0, le=1_000_000, description="memory to allocate; 0 loops forever")


def run(params: Params, seed: int):
    if params.megabytes:
        block = np.ones(params.megabytes * 1024 * 128)  # 8 bytes each
        return make_result(EXPERIMENT, params, seed, {"total": float(block.sum())})
    while True:
        time.sleep(0.01)


EXPERIMENT = Experiment(
    name="hang",
    summary="Never finishes, or asks for too much memory.",
    objective="none",
    params_model=Params,
    outputs={"total": "sum of the allocated block"},
    run=run,
)
