"""Gradient-descent optimizers with the two kinds of weight decay.

Each optimizer updates a dict of arrays in place. ``weight_decay`` (λ) is applied
either as an **L2 penalty** (``λ/2·||w||²`` added to the loss, so ``λ·w`` is added to
the gradient before the update rule sees it, as PyTorch's ``SGD`` and ``Adam`` do with
their ``weight_decay`` argument) or **decoupled** (the weights are first multiplied by
``1 − lr·λ``, then the update rule runs on the data gradient alone, as PyTorch's
``AdamW`` does). For plain SGD the two are the same update; for Adam they are not,
because Adam rescales the penalty's gradient coordinate by coordinate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["SGD", "Adam"]

Params = dict[str, np.ndarray]


def _check(lr: float, weight_decay: float) -> None:
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"learning rate must be a finite number > 0, got {lr!r}")
    if not (math.isfinite(weight_decay) and weight_decay >= 0):
        raise ValueError(f"weight_decay must be a finite number >= 0, got {weight_decay!r}")


@dataclass
class SGD:
    """Plain gradient descent: ``w ← w − lr·g``.

    With ``decoupled=False``: ``g ← g + λ·w`` first (the L2 penalty). With
    ``decoupled=True``: ``w ← (1 − lr·λ)·w − lr·g``.
    """

    lr: float
    weight_decay: float = 0.0
    decoupled: bool = False

    def __post_init__(self) -> None:
        _check(self.lr, self.weight_decay)

    def step(self, params: Params, grads: Params) -> None:
        """Update ``params`` in place from ``grads`` (same keys and shapes)."""
        for key, w in params.items():
            g = grads[key]
            if self.weight_decay and not self.decoupled:
                g = g + self.weight_decay * w
            if self.weight_decay and self.decoupled:
                w *= 1.0 - self.lr * self.weight_decay
            w -= self.lr * g


@dataclass
class Adam:
    """Adam (Kingma & Ba) with bias correction; ``decoupled=True`` makes it AdamW.

    ``m ← β₁m + (1−β₁)g``, ``v ← β₂v + (1−β₂)g²``,
    ``w ← w − lr·m̂/(√v̂ + ε)`` with ``m̂ = m/(1−β₁ᵗ)``, ``v̂ = v/(1−β₂ᵗ)``.
    L2 (``decoupled=False``) adds ``λ·w`` to ``g``. AdamW (``decoupled=True``) first
    shrinks ``w ← (1 − lr·λ)·w``, then updates the moments and takes the adaptive step,
    in the order of PyTorch's ``AdamW`` (the moments do not depend on ``w``, so only
    "shrink before the step" matters).
    """

    lr: float = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    weight_decay: float = 0.0
    decoupled: bool = False
    t: int = 0
    _m: Params = field(default_factory=dict, repr=False)
    _v: Params = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        _check(self.lr, self.weight_decay)
        if not (0 <= self.beta1 < 1 and 0 <= self.beta2 < 1 and self.eps > 0):
            raise ValueError("Adam needs 0 <= beta1, beta2 < 1 and eps > 0")

    def step(self, params: Params, grads: Params) -> None:
        """Update ``params`` in place from ``grads`` (same keys and shapes)."""
        self.t += 1
        correction1 = 1.0 - self.beta1**self.t
        correction2 = 1.0 - self.beta2**self.t
        for key, w in params.items():
            g = grads[key]
            if self.weight_decay and not self.decoupled:
                g = g + self.weight_decay * w
            if self.weight_decay and self.decoupled:
                w *= 1.0 - self.lr * self.weight_decay
            if key not in self._m:
                self._m[key] = np.zeros_like(w)
                self._v[key] = np.zeros_like(w)
            m, v = self._m[key], self._v[key]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            w -= self.lr * (m / correction1) / (np.sqrt(v / correction2) + self.eps)
