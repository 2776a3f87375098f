"""The linear solvers: closed forms, optimality conditions and scikit-learn agreement."""

from __future__ import annotations

import numpy as np
import pytest

from studyreg.experiments.toolbox.coordinate_descent import solve_enet_gram
from studyreg.experiments.toolbox.homotopy import lasso_homotopy
from studyreg.experiments.toolbox.linear import (
    fit_elastic_net,
    fit_lasso,
    fit_ridge,
    lasso_alpha_max,
    lasso_path,
    ridge_path,
)

sklearn_linear = pytest.importorskip("sklearn.linear_model")
# scikit-learn warns that a 1e-14 tolerance is not reached; its answer is still the reference.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

# (n_samples, n_features, seed): tall, wide (more features than rows), tiny, correlated.
PROBLEMS = [(200, 50, 0), (40, 100, 1), (15, 6, 2), (80, 30, 3)]


def make_problem(n: int, p: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3.0, p) + rng.normal(0, 2, p)
    if seed == 3:  # correlated columns
        X[:, 1] = X[:, 0] + 0.1 * rng.standard_normal(n)
    w = np.zeros(p)
    w[: min(5, p)] = rng.normal(0, 2, min(5, p))
    return X, X @ w + 3.0 + rng.standard_normal(n)


@pytest.mark.parametrize("n,p,seed", PROBLEMS)
def test_ridge_matches_its_closed_form(n: int, p: int, seed: int) -> None:
    X, y = make_problem(n, p, seed)
    alpha = 2.5
    coef, intercept = fit_ridge(X, y, alpha)
    Xc, yc = X - X.mean(0), y - y.mean()
    expected = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(p), Xc.T @ yc)
    np.testing.assert_allclose(coef, expected, atol=1e-10, rtol=1e-9)
    assert intercept == pytest.approx(y.mean() - X.mean(0) @ expected, abs=1e-9)


@pytest.mark.parametrize("n,p,seed", PROBLEMS)
def test_ridge_matches_sklearn(n: int, p: int, seed: int) -> None:
    X, y = make_problem(n, p, seed)
    for alpha in (0.01, 1.0, 100.0):
        reference = sklearn_linear.Ridge(alpha=alpha).fit(X, y)
        coef, intercept = fit_ridge(X, y, alpha)
        np.testing.assert_allclose(coef, reference.coef_, atol=1e-6)
        assert intercept == pytest.approx(reference.intercept_, abs=1e-6)


def test_ridge_path_rows_equal_single_fits() -> None:
    X, y = make_problem(40, 100, 1)
    alphas = np.array([100.0, 0.1, 3.0])
    coefs, intercepts = ridge_path(X, y, alphas)
    for row, alpha in enumerate(alphas):
        coef, intercept = fit_ridge(X, y, alpha)
        np.testing.assert_allclose(coefs[row], coef, atol=1e-9)
        assert intercepts[row] == pytest.approx(intercept, abs=1e-9)


@pytest.mark.parametrize("n,p,seed", PROBLEMS)
def test_lasso_satisfies_kkt_conditions(n: int, p: int, seed: int) -> None:
    X, y = make_problem(n, p, seed)
    alpha = 0.3
    coef, intercept = fit_lasso(X, y, alpha)
    residual = y - X @ coef - intercept
    correlation = X.T @ residual / n
    support = coef != 0.0
    assert support.any() and not support.all()
    # Off the support |Xᵀr|/n <= alpha; on it Xᵀr/n = alpha·sign(w).
    assert np.all(np.abs(correlation[~support]) <= alpha + 1e-9)
    np.testing.assert_allclose(correlation[support], alpha * np.sign(coef[support]), atol=1e-9)
    assert residual.sum() == pytest.approx(0.0, abs=1e-8)


@pytest.mark.parametrize("n,p,seed", PROBLEMS)
def test_lasso_matches_sklearn(n: int, p: int, seed: int) -> None:
    X, y = make_problem(n, p, seed)
    for alpha in (0.01, 0.2, 1.0):
        reference = sklearn_linear.Lasso(alpha=alpha, tol=1e-14, max_iter=1_000_000).fit(X, y)
        coef, intercept = fit_lasso(X, y, alpha)
        np.testing.assert_allclose(coef, reference.coef_, atol=1e-6)
        assert intercept == pytest.approx(reference.intercept_, abs=1e-6)


@pytest.mark.parametrize("n,p,seed", PROBLEMS)
def test_elastic_net_matches_sklearn(n: int, p: int, seed: int) -> None:
    X, y = make_problem(n, p, seed)
    reference = sklearn_linear.ElasticNet(
        alpha=0.2, l1_ratio=0.4, tol=1e-14, max_iter=1_000_000
    ).fit(X, y)
    coef, intercept = fit_elastic_net(X, y, 0.2, 0.4)
    np.testing.assert_allclose(coef, reference.coef_, atol=1e-6)
    assert intercept == pytest.approx(reference.intercept_, abs=1e-6)


@pytest.mark.parametrize("n,p,seed", PROBLEMS)
def test_lasso_path_matches_sklearn(n: int, p: int, seed: int) -> None:
    X, y = make_problem(n, p, seed)
    Xc, yc = X - X.mean(0), y - y.mean()
    top = lasso_alpha_max(X, y)
    alphas = np.geomspace(top, top * 1e-3, 25)
    _, reference, _ = sklearn_linear.lasso_path(
        Xc, yc, alphas=alphas, tol=1e-14, max_iter=1_000_000
    )
    coefs, intercepts = lasso_path(X, y, alphas)
    np.testing.assert_allclose(coefs, reference.T, atol=1e-6)
    np.testing.assert_allclose(intercepts, y.mean() - coefs @ X.mean(0), atol=1e-12)


def test_lasso_path_keeps_the_given_order() -> None:
    X, y = make_problem(80, 30, 3)
    alphas = np.array([0.05, 2.0, 0.5])
    coefs, _ = lasso_path(X, y, alphas)
    for row, alpha in enumerate(alphas):
        np.testing.assert_allclose(coefs[row], fit_lasso(X, y, alpha)[0], atol=1e-8)


def test_lasso_at_alpha_max_is_all_zero_and_just_below_is_not() -> None:
    X, y = make_problem(200, 50, 0)
    top = lasso_alpha_max(X, y)
    assert np.count_nonzero(fit_lasso(X, y, top)[0]) == 0
    assert np.count_nonzero(fit_lasso(X, y, top * 0.99)[0]) == 1


def test_lasso_zeros_are_exact_zeros() -> None:
    X, y = make_problem(200, 50, 0)
    coef, _ = fit_lasso(X, y, 0.2)
    zeros = np.abs(coef) < 1e-12
    assert zeros.sum() > 10
    assert np.all(coef[zeros] == 0.0)


def test_plain_coordinate_descent_reaches_the_same_minimum_as_the_exact_finish() -> None:
    X, y = make_problem(40, 100, 1)
    Xc, yc = X - X.mean(0), y - y.mean()
    n = len(y)
    G, c, yy = Xc.T @ Xc, Xc.T @ yc, float(yc @ yc)
    start = np.zeros(X.shape[1])
    plain = solve_enet_gram(
        G, c, yy, n * 0.1, 0.0, start, tol=1e-12, max_iter=100_000, exact_finish=False
    )
    exact = solve_enet_gram(G, c, yy, n * 0.1, 0.0, start, tol=1e-12, max_iter=100_000)
    np.testing.assert_allclose(plain, exact, atol=1e-6)


def test_warm_start_gives_the_same_fit() -> None:
    X, y = make_problem(80, 30, 3)
    cold = fit_lasso(X, y, 0.1)[0]
    warm = fit_lasso(X, y, 0.1, coef_init=fit_lasso(X, y, 1.0)[0])[0]
    np.testing.assert_allclose(warm, cold, atol=1e-9)


def test_constant_feature_gets_zero_weight() -> None:
    X, y = make_problem(50, 5, 2)
    X[:, 2] = 4.0
    assert fit_lasso(X, y, 0.01)[0][2] == 0.0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda X, y: fit_lasso(X, y, 0.0), "alpha must be a finite number > 0"),
        (lambda X, y: fit_lasso(X, y, float("nan")), "alpha must be a finite number > 0"),
        (lambda X, y: fit_ridge(X, y, -1.0), "alpha must be a finite number >= 0"),
        (lambda X, y: fit_lasso(X[:, 0], y, 0.1), "X must be 2-D"),
        (lambda X, y: fit_lasso(X, y[:-1], 0.1), "X has 15 samples but y has 14"),
        (lambda X, y: fit_lasso(X, np.c_[y, y], 0.1), "y must be 1-D"),
        (lambda X, y: fit_elastic_net(X, y, 0.1, 1.5), "l1_ratio must be in (0, 1]"),
        (lambda X, y: lasso_path(X, y, []), "alphas must be a non-empty"),
        (lambda X, y: lasso_path(X, y, [0.1, -1.0]), "every alpha must be a finite number > 0"),
        (
            lambda X, y: fit_lasso(X, y, 0.1, coef_init=np.zeros(2)),
            "coef_init must be finite of shape (6,)",
        ),
    ],
)
def test_bad_input_raises_value_error_saying_what_is_wrong(call, message: str) -> None:
    X, y = make_problem(15, 6, 2)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(X, y)


def test_nan_in_data_is_rejected() -> None:
    X, y = make_problem(15, 6, 2)
    X[3, 2] = np.nan
    with pytest.raises(ValueError, match="finite"):
        fit_ridge(X, y, 1.0)


@pytest.mark.parametrize(
    "n,p,alpha", [(20, 200, 1e-5), (150, 200, 1e-4), (100, 100, 1e-4), (40, 40, 1e-4)]
)
def test_tiny_alpha_on_near_singular_data_is_solved_exactly(n: int, p: int, alpha: float) -> None:
    # Coordinate descent alone crawls here; the homotopy fallback must still give the optimum.
    rng = np.random.default_rng(n + p)
    X = rng.standard_normal((n, p))
    y = X[:, :5] @ np.array([2.0, -1.0, 1.5, 3.0, -2.0]) + rng.standard_normal(n)
    coef, intercept = fit_lasso(X, y, alpha)
    correlation = X.T @ (y - X @ coef - intercept) / n
    support = coef != 0.0
    assert np.all(np.abs(correlation[~support]) <= alpha * (1 + 1e-6) + 1e-9)
    np.testing.assert_allclose(
        correlation[support], alpha * np.sign(coef[support]), rtol=1e-6, atol=1e-9
    )
    assert support.sum() <= min(n - 1, p)


def test_homotopy_reaches_the_same_fit_as_coordinate_descent() -> None:
    X, y = make_problem(80, 30, 3)
    Xc, yc = X - X.mean(0), y - y.mean()
    n = len(y)
    followed = lasso_homotopy(Xc.T @ Xc, Xc.T @ yc, n * 0.05)
    np.testing.assert_allclose(followed, fit_lasso(X, y, 0.05)[0], atol=1e-8)


def random_enet_problem(seed: int, wide: bool) -> tuple[np.ndarray, np.ndarray, float, float]:
    """A random elastic-net problem: shapes, scales, a correlated pair, alpha and l1_ratio."""
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
    k = min(5, p)
    w[:k] = rng.normal(0, 2, k)
    y = X @ w + 1 + rng.standard_normal(n)
    return X, y, float(10 ** rng.uniform(-5, 0)), float(rng.uniform(0.05, 0.95))


def enet_objective(X, y, coef, intercept, alpha: float, l1_ratio: float) -> float:
    residual = y - X @ coef - intercept
    return float(
        residual @ residual / (2 * len(y))
        + alpha * l1_ratio * np.abs(coef).sum()
        + 0.5 * alpha * (1 - l1_ratio) * coef @ coef
    )


def assert_enet_optimal(X, y, coef, intercept, alpha: float, l1_ratio: float) -> None:
    """KKT conditions of the elastic net, scaled to the data."""
    n = len(y)
    residual = y - X @ coef - intercept
    correlation = X.T @ residual / n - alpha * (1 - l1_ratio) * coef
    scale = np.abs(X.T @ (y - y.mean())).max() / n
    support = coef != 0.0
    slack = 1e-7 * scale
    assert np.all(np.abs(correlation[~support]) <= alpha * l1_ratio + slack)
    np.testing.assert_allclose(
        correlation[support], alpha * l1_ratio * np.sign(coef[support]), atol=slack
    )


@pytest.mark.parametrize("wide", [True, False], ids=["wide", "tall"])
def test_elastic_net_is_optimal_and_at_least_as_good_as_sklearn_on_random_problems(
    wide: bool,
) -> None:
    for seed in range(30):
        X, y, alpha, l1_ratio = random_enet_problem(seed, wide)
        coef, intercept = fit_elastic_net(X, y, alpha, l1_ratio)
        assert_enet_optimal(X, y, coef, intercept, alpha, l1_ratio)
        ours = enet_objective(X, y, coef, intercept, alpha, l1_ratio)
        for tol in (1e-4, 1e-8):
            reference = sklearn_linear.ElasticNet(
                alpha=alpha, l1_ratio=l1_ratio, tol=tol, max_iter=5000
            ).fit(X, y)
            theirs = enet_objective(X, y, reference.coef_, reference.intercept_, alpha, l1_ratio)
            assert ours <= theirs * (1 + 1e-12) + 1e-15, (seed, tol, ours, theirs)
            # The objective is alpha·(1 − l1_ratio)-strongly convex, so the minimizer is
            # unique and any w with F(w) − F* = δ lies within sqrt(2δ/μ) of it (δ allowing
            # for rounding in evaluating F).
            delta = max(theirs - ours, 0.0) + 1e-12 * abs(ours)
            radius = np.sqrt(2 * delta / (alpha * (1 - l1_ratio)))
            assert np.linalg.norm(reference.coef_ - coef) <= radius


@pytest.mark.parametrize("seed", range(3))
def test_elastic_net_converges_on_wide_data_at_tiny_alpha(seed: int) -> None:
    # 30×200, alpha 1e-4, l1_ratio 0.5: coordinate descent alone raised ConvergenceError
    # on each of these seeds (scikit-learn converges at its default tolerance).
    X, y = make_problem(30, 200, seed)
    coef, intercept = fit_elastic_net(X, y, 1e-4, 0.5)
    assert_enet_optimal(X, y, coef, intercept, 1e-4, 0.5)
    reference = sklearn_linear.ElasticNet(alpha=1e-4, l1_ratio=0.5, max_iter=5000).fit(X, y)
    assert enet_objective(X, y, coef, intercept, 1e-4, 0.5) <= enet_objective(
        X, y, reference.coef_, reference.intercept_, 1e-4, 0.5
    )


def test_elastic_net_path_on_wide_data_equals_single_fits() -> None:
    X, y, _, _ = random_enet_problem(7, wide=True)
    alphas = np.geomspace(1.0, 1e-4, 8)
    coefs, intercepts = lasso_path(X, y, alphas, l1_ratio=0.3)
    for row, alpha in enumerate(alphas):
        coef, intercept = fit_elastic_net(X, y, alpha, 0.3)
        np.testing.assert_allclose(coefs[row], coef, atol=1e-8)
        assert intercepts[row] == pytest.approx(intercept, abs=1e-8)


@pytest.mark.parametrize("alpha", [0.0, 7e-37, 1e-20])
def test_ridge_with_a_vanishing_alpha_on_rank_deficient_data_is_the_min_norm_fit(
    alpha: float,
) -> None:
    # A bootstrap sample of 10 points with repeats, degree-5 features: XᵀX is singular and
    # alpha = 7e-37 (found by the bagging fuzz test) made np.linalg.solve raise.
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 4)[rng.integers(0, 4, 10)]  # 10 rows, 4 distinct points
    X = np.vander(x, 6, increasing=True)[:, 1:]
    y = np.sin(3 * x)
    coef, intercept = fit_ridge(X, y, alpha)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    expected = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    np.testing.assert_allclose(coef, expected, rtol=1e-6, atol=1e-8)
    assert intercept == pytest.approx(y.mean() - X.mean(axis=0) @ coef)


def test_ridge_with_a_real_alpha_still_matches_its_closed_form_on_rank_deficient_data() -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, 3)[rng.integers(0, 3, 12)]
    X = np.vander(x, 8, increasing=True)[:, 1:]
    y = x**2
    coef, _ = fit_ridge(X, y, 0.5)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    np.testing.assert_allclose(coef, np.linalg.solve(Xc.T @ Xc + 0.5 * np.eye(7), Xc.T @ yc))
