"""Text in the bundled pack and the code's docs that measurement proved wrong, kept right."""

from __future__ import annotations

import inspect

from studyreg.content import bundled_pack_path
from studyreg.experiments import optim, run_experiment
from studyreg.study.packs import load_pack


def test_a_longer_patience_can_keep_better_weights_and_the_es_order_text_says_so() -> None:
    # Measured: seed 24 stops early at epoch 55 with patience 50, while patience 1000 waits
    # out the bump and keeps better weights. Restoring the best weights does not make the
    # result independent of the patience.
    short = run_experiment("early_stopping", {"patience": 50}, 24).outputs
    long = run_experiment("early_stopping", {"patience": 1000}, 24).outputs
    assert long["val_mse_at_stopped"] < short["val_mse_at_stopped"] * 0.999
    assert long["stopped_epoch"] > short["stopped_epoch"]
    concept = load_pack(bundled_pack_path()).concept("early-stopping")
    explanation = " ".join(concept.question("es-order").explanation.split())
    assert "does not make the result independent of the patience" in explanation
    assert "a longer patience can wait out a bump" in explanation


def test_optim_docs_say_pytorch_sgd_couples_weight_decay_as_l2() -> None:
    doc = " ".join((inspect.getdoc(optim) or "").replace("``", "").split())
    assert "as PyTorch's SGD and AdamW do" not in doc  # SGD's weight_decay is L2, not decoupled
    assert "as PyTorch's SGD and Adam do with their weight_decay argument" in doc
    assert "as PyTorch's AdamW does" in doc
