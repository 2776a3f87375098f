"""Run time of every experiment at defaults, and our lasso path against scikit-learn's.

Run: python benchmarks/bench_experiments.py [--rounds N]

Prints, per experiment, the median of N runs at default parameters (targets: under
50 ms for the linear ones, under 1 s for the networks), then times ``lasso_path`` on
200×50 centred data with 50 strengths against ``sklearn.linear_model.lasso_path`` on the
same data in the same process (median of N), with the largest coefficient difference.
scikit-learn is timed at its default tolerance and at a tight one, since only the tight
one agrees with an exact solution to 1e-6.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np

from studyreg.experiments import experiment_names, run_experiment
from studyreg.experiments.coordinate_descent import solve_enet_gram
from studyreg.experiments.linear import lasso_alpha_max, lasso_path

TARGETS_MS = {
    "l1_vs_l2": 50,
    "reg_path": 50,
    "weight_decay": 50,
    "early_stopping": 1000,
    "dropout": 1000,
    "cnn_dropout": 1000,
}


def median_seconds(call: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_experiments(rounds: int) -> None:
    print(f"experiments at default parameters (median of {rounds}):")
    for name in experiment_names():
        run_experiment(name)  # import and warm up
        seconds = median_seconds(lambda name=name: run_experiment(name, seed=1), rounds)
        target = TARGETS_MS[name]
        verdict = "ok" if seconds * 1e3 < target else "SLOW"
        print(f"  {name:<15} {seconds * 1e3:8.1f} ms   target < {target} ms  {verdict}")


def plain_cd_path(X: np.ndarray, y: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    """Working-set Gram coordinate descent with warm starts but no exact finish."""
    n = len(y)
    G, c, yy = X.T @ X, X.T @ y, float(y @ y)
    w = np.zeros(X.shape[1])
    rows = []
    for alpha in alphas:
        w = solve_enet_gram(
            G, c, yy, n * alpha, 0.0, w, tol=1e-10, max_iter=100_000, exact_finish=False
        )
        rows.append(w)
    return np.array(rows)


def bench_lasso_path(rounds: int) -> None:
    from sklearn.linear_model import lasso_path as sklearn_lasso_path

    rng = np.random.default_rng(0)
    n, p, n_alphas = 200, 50, 50
    X = rng.standard_normal((n, p))
    coef = np.zeros(p)
    coef[:10] = rng.normal(0, 2, 10)
    y = X @ coef + rng.standard_normal(n)
    X, y = X - X.mean(0), y - y.mean()
    top = lasso_alpha_max(X, y)
    alphas = np.geomspace(top, top * 1e-3, n_alphas)  # decreasing, as scikit-learn orders them

    ours, _ = lasso_path(X, y, alphas)
    our_time = median_seconds(lambda: lasso_path(X, y, alphas), rounds)
    print(
        f"\nlasso path, {n}×{p}, {n_alphas} strengths from alpha_max to 1e-3·alpha_max (median of {rounds}):"
    )
    print(f"  studyreg lasso_path (tol 1e-10 duality gap)      {our_time * 1e3:7.2f} ms")
    cd_time = median_seconds(lambda: plain_cd_path(X, y, alphas), max(3, rounds // 3))
    cd_diff = np.abs(plain_cd_path(X, y, alphas) - ours).max()
    print(
        f"  same, coordinate descent only (no exact finish)  {cd_time * 1e3:7.2f} ms   max |Δcoef| vs exact finish {cd_diff:.1e}"
    )
    for tol in (1e-4, 1e-8, 1e-12):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, reference, _ = sklearn_lasso_path(X, y, alphas=alphas, tol=tol, max_iter=100_000)
            seconds = median_seconds(
                lambda tol=tol: sklearn_lasso_path(X, y, alphas=alphas, tol=tol, max_iter=100_000),
                rounds,
            )
        diff = np.abs(ours - reference.T).max()
        print(
            f"  sklearn lasso_path tol={tol:<6g}                   {seconds * 1e3:7.2f} ms   "
            f"ratio ours/sklearn {our_time / seconds:5.2f}   max |Δcoef| {diff:.1e}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="repeats per measurement (median)")
    args = parser.parse_args()
    bench_experiments(max(3, args.rounds // 3))
    bench_lasso_path(args.rounds)


if __name__ == "__main__":
    main()
