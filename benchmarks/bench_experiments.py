"""Run time of every experiment at defaults, and our lasso path against scikit-learn's.

Run: python benchmarks/bench_experiments.py [--rounds N]

Prints, per experiment, the median of N runs at default parameters (targets: under
50 ms for the linear ones, under 1 s for the networks), then times ``lasso_path`` on
200×50 (tall) and 40×200 (wide) centred data with 50 strengths against ``sklearn.linear_model.lasso_path`` on the
same data in the same process (median of N), with the largest coefficient difference.
scikit-learn is timed at its default tolerance and at a tight one, since only the tight
one agrees with an exact solution to 1e-6.

Then fits ``fit_elastic_net`` on N random wide (more features than rows) and N random
tall problems (alpha log-uniform in [1e-5, 1], l1_ratio uniform in [0.05, 0.95]) and
prints the failures, the total time against ``sklearn.linear_model.ElasticNet`` at its
default tolerance and at 1e-8, and how often our objective is above scikit-learn's.
Everything runs with one BLAS thread (as the CLI and the sandbox do), for both libraries.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np
from threadpoolctl import threadpool_limits

from studyreg.experiments import experiment_names, run_experiment
from studyreg.experiments.toolbox.coordinate_descent import solve_enet_gram
from studyreg.experiments.toolbox.linear import (
    ConvergenceError,
    fit_elastic_net,
    lasso_alpha_max,
    lasso_path,
)

TARGETS_MS = {
    "l1_vs_l2": 50,
    "reg_path": 50,
    "weight_decay": 50,
    "early_stopping": 1000,
    "dropout": 1000,
    "cnn_dropout": 1000,
    "noise_injection": 300,
    "label_smoothing": 300,
    "data_augmentation": 300,
    "batch_norm": 300,
    "bagging": 300,
    "learning_curves": 300,
}
DEFAULT_TARGET_MS = 300  # an experiment checked over 50 seeds by validate --strict


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
        target = TARGETS_MS.get(name, DEFAULT_TARGET_MS)
        verdict = "ok" if seconds * 1e3 < target else "SLOW"
        print(f"  {name:<17} {seconds * 1e3:8.1f} ms   target < {target} ms  {verdict}")


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


def bench_lasso_path(rounds: int, n: int = 200, p: int = 50) -> None:
    from sklearn.linear_model import lasso_path as sklearn_lasso_path

    rng = np.random.default_rng(0)
    n_alphas = 50
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


def random_enet_problem(seed: int, wide: bool) -> tuple[np.ndarray, np.ndarray, float, float]:
    rng = np.random.default_rng(seed)
    if wide:
        n = int(rng.integers(10, 60))
        p = int(rng.integers(n + 10, 300))
    else:
        p = int(rng.integers(2, 60))
        n = int(rng.integers(p + 5, 400))
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3, p) + rng.normal(0, 2, p)
    if p > 1 and rng.random() < 0.3:
        X[:, 1] = X[:, 0] + 0.05 * rng.standard_normal(n)
    w = np.zeros(p)
    w[: min(5, p)] = rng.normal(0, 2, min(5, p))
    y = X @ w + 1 + rng.standard_normal(n)
    return X, y, float(10 ** rng.uniform(-5, 0)), float(rng.uniform(0.05, 0.95))


def enet_objective(X, y, coef, intercept, alpha: float, l1_ratio: float) -> float:
    residual = y - X @ coef - intercept
    return float(
        residual @ residual / (2 * len(y))
        + alpha * l1_ratio * np.abs(coef).sum()
        + 0.5 * alpha * (1 - l1_ratio) * coef @ coef
    )


def bench_elastic_net(n_problems: int) -> None:
    from sklearn.linear_model import ElasticNet

    print(f"\nelastic net, {n_problems} random problems of each shape (seeds 0..{n_problems - 1}):")
    for wide in (True, False):
        failures, worse = 0, {1e-4: 0, 1e-8: 0}
        seconds = {"ours": 0.0, 1e-4: 0.0, 1e-8: 0.0}
        for seed in range(n_problems):
            X, y, alpha, l1_ratio = random_enet_problem(seed, wide)
            started = time.perf_counter()
            try:
                coef, intercept = fit_elastic_net(X, y, alpha, l1_ratio)
            except ConvergenceError:
                failures += 1
                coef = None
            seconds["ours"] += time.perf_counter() - started
            for tol in (1e-4, 1e-8):
                model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=tol, max_iter=5000)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    started = time.perf_counter()
                    model.fit(X, y)
                    seconds[tol] += time.perf_counter() - started
                theirs = enet_objective(X, y, model.coef_, model.intercept_, alpha, l1_ratio)
                if coef is not None:
                    ours = enet_objective(X, y, coef, intercept, alpha, l1_ratio)
                    worse[tol] += ours > theirs * (1 + 1e-12)
        shape = "wide" if wide else "tall"
        print(
            f"  {shape}: failures {failures}/{n_problems}   studyreg (tol 1e-10 gap) "
            f"{seconds['ours']:6.2f} s   sklearn tol=1e-4 {seconds[1e-4]:6.2f} s "
            f"(ratio {seconds['ours'] / seconds[1e-4]:4.2f})   sklearn tol=1e-8 "
            f"{seconds[1e-8]:6.2f} s (ratio {seconds['ours'] / seconds[1e-8]:4.2f})   "
            f"our objective above sklearn's: {worse[1e-4]} / {worse[1e-8]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="repeats per measurement (median)")
    parser.add_argument(
        "--enet-problems", type=int, default=147, help="random elastic-net problems per shape"
    )
    args = parser.parse_args()
    with threadpool_limits(limits=1):
        bench_experiments(max(3, args.rounds // 3))
        bench_lasso_path(args.rounds)
        bench_lasso_path(args.rounds, n=40, p=200)  # wide: more features than rows
        bench_elastic_net(args.enet_problems)


if __name__ == "__main__":
    main()
