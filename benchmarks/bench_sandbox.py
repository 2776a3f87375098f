"""What isolation costs: a pack experiment run in its sandbox vs the same code in-process.

Run: python benchmarks/bench_sandbox.py [--rounds N]

Builds a temporary pack holding two experiments (a tiny one, whose time is nearly all
overhead, and one that returns 1 MB of arrays), then times, in one process, each run
in-process (``run_with`` on the imported module) and through a warm ``PackWorker``
(request, run, JSON header and raw arrays back). Prints medians and the overhead per
warm run (target: under 20 ms), and the cold start of a worker process.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

from studyreg.experiments.registry import run_with
from studyreg.sandbox.worker import PackWorker

TINY = """
import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from studyreg.experiments import Experiment, make_result

class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    n: int = Field(100, ge=1, le=10_000_000, description="values")

def run(params, seed):
    x = np.random.default_rng(seed).random(params.n)
    return make_result(EXPERIMENT, params, seed, {"mean": x.mean()}, arrays={"x": x})

EXPERIMENT = Experiment(name="NAME", summary="s", objective="none", params_model=Params,
                        outputs={"mean": "mean"}, run=run)
"""


def median_ms(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "experiments").mkdir()
        cases = {"tiny": {"n": 100}, "one_mb": {"n": 131_072}}
        for name in cases:
            (root / "experiments" / f"{name}.py").write_text(TINY.replace("NAME", name))
        started = time.perf_counter()
        worker = PackWorker(root)
        worker.ping()
        cold = (time.perf_counter() - started) * 1e3
        print(f"cold start of a pack worker: {cold:.0f} ms (once per pack and session)")
        print(f"{'experiment':10} {'in-process':>12} {'sandboxed':>12} {'overhead':>10}")
        for name, params in cases.items():
            spec = importlib.util.spec_from_file_location(name, root / "experiments" / f"{name}.py")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            worker.run(name, params, 0)  # import it in the worker first
            direct = median_ms(lambda m=module, p=params: run_with(m.EXPERIMENT, p, 0), rounds)
            boxed = median_ms(lambda n=name, p=params: worker.run(n, p, 0), rounds)
            print(f"{name:10} {direct:10.2f} ms {boxed:10.2f} ms {boxed - direct:8.2f} ms")
        worker.close()
    print("target: overhead under 20 ms per warm run", file=sys.stderr)


if __name__ == "__main__":
    main()
