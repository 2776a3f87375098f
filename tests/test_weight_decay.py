"""The weight_decay experiment and its concept: the update order, rounding and measured decay."""

from __future__ import annotations

import numpy as np
import pytest

from studyreg.content import bundled_pack_path
from studyreg.experiments import ExperimentError, run_experiment
from studyreg.experiments import weight_decay as wd
from studyreg.experiments.toolbox.optim import SGD, Adam
from studyreg.study.facts import check_fact, evaluation_env
from studyreg.study.packs import load_pack


@pytest.fixture(scope="module")
def concept():
    pack = load_pack(bundled_pack_path())
    return next(c for c in pack.concepts if c.id == "weight-decay")


def fact(concept, fact_id: str):
    return next(f for f in concept.facts if f.id == fact_id)


def item_index(items: list[str], *words: str) -> int:
    (index,) = [i for i, item in enumerate(items) if all(w in item for w in words)]
    return index


def test_order_update_shrinks_before_the_adaptive_step_as_adamw_does(concept) -> None:
    question = next(q for q in concept.questions if q.id == "order-update")
    shrink = item_index(question.items, "shrink")
    step = item_index(question.items, "adaptive step")
    gradient = item_index(question.items, "gradient of the data loss")
    assert gradient < shrink < step
    assert question.partial_credit is True

    # The optimizer applies the same order: shrink, then the adaptive step from the
    # data gradient alone; the reverse order gives a different number.
    w0, g, lr, lam = np.array([2.0, -1.0]), np.array([0.5, 3.0]), 0.1, 0.5
    params = {"w": w0.copy()}
    Adam(lr=lr, weight_decay=lam, decoupled=True).step(params, {"w": g})
    adaptive = lr * g / (np.abs(g) + 1e-8)  # Adam's first step: m̂ = g, √v̂ = |g|
    np.testing.assert_allclose(params["w"], (1 - lr * lam) * w0 - adaptive, rtol=1e-14)
    assert np.abs(params["w"] - (1 - lr * lam) * (w0 - adaptive)).max() > 1e-3


def test_a_diverging_run_is_an_error_that_names_what_to_lower() -> None:
    with pytest.raises(ExperimentError, match=r"diverged.*lower lr or raise batch_size"):
        run_experiment("weight_decay", params={"lr": 0.8, "batch_size": 5, "n_steps": 50}, seed=0)


def test_sgd_l2_and_decoupled_agree_within_the_rounding_bound_on_random_settings() -> None:
    rng = np.random.default_rng(2024)
    checked = 0
    for seed in range(150):
        n = int(rng.integers(2, 200))
        params = {
            "n_samples": n,
            "n_features": int(rng.integers(1, 40)),
            "batch_size": int(rng.integers(1, n + 1)),
            "n_steps": int(rng.integers(1, 150)),
            "lr": float(np.exp(rng.uniform(np.log(1e-4), 0.0))),
            "weight_decay": float(rng.uniform(0.0, 1.0)),
        }
        try:
            outputs = run_experiment("weight_decay", params=params, seed=seed).outputs
        except ExperimentError:
            continue  # diverged: reported as an error, not as "not equivalent"
        checked += 1
        assert outputs["sgd.equivalent"], (params, outputs["sgd.max_abs_diff"])
        assert outputs["sgd.max_abs_diff"] <= outputs["sgd.rounding_bound"]
    assert checked >= 120


def test_rounding_bound_scales_with_the_weights_and_the_steps() -> None:
    small = np.ones((3, 2))
    assert wd._rounding_bound(small, small, 10) == pytest.approx(16 * np.finfo(float).eps * 10)
    large = 1e6 * small
    assert wd._rounding_bound(large, small, 10) == pytest.approx(
        1e6 * 16 * np.finfo(float).eps * 10
    )


def test_measured_decay_equals_one_minus_lr_lambda_at_the_question_variants(concept) -> None:
    for lr in (0.01, 0.05, 0.1):
        for lam in (0.01, 0.1, 0.5):
            result = run_experiment("weight_decay", params={"lr": lr, "weight_decay": lam}, seed=3)
            assert result.outputs["sgd.decay_measured"] == pytest.approx(1 - lr * lam, abs=1e-12)
            assert result.outputs["adamw.decay_measured"] == pytest.approx(1 - lr * lam, abs=1e-12)
            assert check_fact(fact(concept, "decay-factor"), evaluation_env(result)).passed


class _ShrinkAfterStepSGD(SGD):
    """A wrong decoupled SGD: steps first, then shrinks."""

    def step(self, params, grads) -> None:
        if not self.decoupled:
            return super().step(params, grads)
        for key, w in params.items():
            w -= self.lr * grads[key]
            w *= 1.0 - self.lr * self.weight_decay


class _WrongFactorAdam(Adam):
    """A wrong AdamW: shrinks by (1 − λ) instead of (1 − lr·λ)."""

    def step(self, params, grads) -> None:
        if self.decoupled:
            for w in params.values():
                w *= 1.0 - self.weight_decay
            self.decoupled, weight_decay = False, self.weight_decay
            self.weight_decay = 0.0
            try:
                super().step(params, grads)
            finally:
                self.decoupled, self.weight_decay = True, weight_decay
        else:
            super().step(params, grads)


@pytest.mark.parametrize(
    "attribute,wrong", [("SGD", _ShrinkAfterStepSGD), ("Adam", _WrongFactorAdam)]
)
def test_decay_factor_check_fails_when_the_decay_is_implemented_wrongly(
    concept, monkeypatch, attribute: str, wrong: type
) -> None:
    right = wd.run(wd.Params(), seed=0)
    assert check_fact(fact(concept, "decay-factor"), evaluation_env(right)).passed
    monkeypatch.setattr(wd, attribute, wrong)
    broken = wd.run(wd.Params(), seed=0)
    assert check_fact(fact(concept, "decay-factor"), evaluation_env(broken)).passed is False


def test_adam_and_adamw_differ_far_beyond_rounding() -> None:
    outputs = run_experiment("weight_decay", seed=0).outputs
    assert outputs["adam.max_abs_diff"] > 1e6 * outputs["adam.rounding_bound"]
    assert outputs["adam.equivalent"] is False
    assert outputs["sgd.equivalent"] is True
