"""``data_augmentation``: the shifts and flips on hand-built images (which keep labels and
which break them), the invariance measure, reproducibility and parameter errors."""

from __future__ import annotations

import numpy as np
import pytest

from studyreg.content import bundled_pack_path
from studyreg.experiments import ParameterError, run_experiment
from studyreg.experiments.data_augmentation import _consistency, all_shifts, shifted
from studyreg.experiments.toolbox.datasets import bar_images


def test_shifted_moves_pixels_and_fills_with_zeros() -> None:
    image = np.arange(1.0, 10.0).reshape(3, 3)
    np.testing.assert_array_equal(shifted(image, 1, 0), [[0, 0, 0], [1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(shifted(image, 0, -1), [[2, 3, 0], [5, 6, 0], [8, 9, 0]])
    np.testing.assert_array_equal(shifted(image, -1, 1), [[0, 4, 5], [0, 7, 8], [0, 0, 0]])
    np.testing.assert_array_equal(shifted(image, 0, 0), image)


def test_all_shifts_lists_every_move_with_the_original_in_the_middle() -> None:
    images = np.random.default_rng(0).standard_normal((2, 5, 6, 6))
    for m in (1, 2):
        versions = all_shifts(images, m)
        assert versions.shape == ((2 * m + 1) ** 2, 2, 5, 6, 6)
        np.testing.assert_array_equal(versions[len(versions) // 2], images)
        assert len({v.tobytes() for v in versions}) == len(versions)
    np.testing.assert_array_equal(all_shifts(images, 1)[0], shifted(images, -1, -1))


def kind(image: np.ndarray) -> str:
    """Which stroke a noise-free bar image shows, read off its lit pixels."""
    rows, cols = np.nonzero(image > 0.5)
    if len(set(rows)) == 1:
        return "horizontal"
    if len(set(cols)) == 1:
        return "vertical"
    if len(set(cols - rows)) == 1:
        return "diagonal"
    assert len(set(cols + rows)) == 1
    return "anti-diagonal"


def test_one_pixel_shifts_keep_every_label_and_the_flip_swaps_the_diagonals() -> None:
    images, labels = bar_images(np.random.default_rng(1), 200, 8, 0.0)
    names = ["horizontal", "vertical", "diagonal", "anti-diagonal"]
    swapped = {"diagonal": "anti-diagonal", "anti-diagonal": "diagonal"}
    for image, label in zip(images, labels, strict=True):
        assert kind(image) == names[label]
        for version in all_shifts(image, 1):
            assert kind(version) == names[label]  # label-preserving
            assert (version > 0.5).sum() >= 4  # the stroke stays in the picture
            flipped = kind(version[::-1, :])
            assert flipped == swapped.get(names[label], names[label])  # label-breaking for two


def test_a_constant_classifier_is_perfectly_consistent_under_shifts() -> None:
    images = np.random.default_rng(2).standard_normal((3, 10, 8, 8))
    weights = {"W0": np.zeros((3, 64, 4)), "b0": np.tile([0.0, 1.0, 0.0, 0.0], (3, 1))}
    np.testing.assert_array_equal(_consistency(weights, images), [1.0, 1.0, 1.0])


def test_a_classifier_reading_one_pixel_is_inconsistent_under_shifts() -> None:
    # Class 1 when pixel (3, 3) is lit, else class 0; the images light only that pixel,
    # so every one-pixel move changes the prediction.
    images = np.zeros((1, 5, 8, 8))
    images[..., 3, 3] = 1.0
    W = np.zeros((1, 64, 2))
    W[0, 3 * 8 + 3, 1] = 1.0
    weights = {"W0": W, "b0": np.array([[0.5, 0.0]])}
    np.testing.assert_array_equal(_consistency(weights, images), [0.0])


def test_the_run_reports_consistent_numbers() -> None:
    result = run_experiment("data_augmentation", {"max_shift": 2, "n_repeats": 2}, seed=4)
    out = result.outputs
    assert out["n_shifts"] == 25
    assert out["gain"] == pytest.approx(out["shift.val_acc"] - out["plain.val_acc"])
    assert out["flip_cost"] == pytest.approx(out["shift.val_acc"] - out["flip.val_acc"])
    for variant in ("plain", "shift", "flip"):
        assert out[f"{variant}.gap"] == pytest.approx(
            out[f"{variant}.train_acc"] - out[f"{variant}.val_acc"]
        )
        assert 0 <= out[f"{variant}.consistency"] <= 1
    flips = result.arrays["example_shifts"]
    np.testing.assert_array_equal(flips[25:], flips[:25, ::-1, :])
    np.testing.assert_array_equal(flips[12], result.arrays["X_train"][0, 0])


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    first = run_experiment("data_augmentation", {"n_repeats": 2}, seed=5)
    again = run_experiment("data_augmentation", {"n_repeats": 2}, seed=5)
    other = run_experiment("data_augmentation", {"n_repeats": 2}, seed=6)
    assert first.outputs == again.outputs
    for key, value in first.arrays.items():
        np.testing.assert_array_equal(value, again.arrays[key])
    assert first.outputs["plain.val_acc"] != other.outputs["plain.val_acc"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_epochs": 2000, "n_repeats": 16}, "too large to run quickly"),
        ({"max_shift": 3}, r"^max_shift = 3 is out of range: must be an integer between 1 and 2$"),
        ({"image_size": 5}, "image_size = 5 is out of range"),
        ({"max_shfit": 1}, "did you mean 'max_shift'"),
    ],
)
def test_bad_parameters_are_clear_errors(params: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        run_experiment("data_augmentation", params)


@pytest.mark.slow
def test_every_fact_holds_on_48_of_50_fresh_seeds_at_every_variant() -> None:
    from studyreg.study.packs import load_pack
    from studyreg.study.verify import verify_pack

    pack = load_pack(bundled_pack_path())
    report = verify_pack(
        pack, seeds=50, seed_base=9000, concept_ids=["data-augmentation"], workers=1
    )
    (concept,) = report.concepts
    assert not concept.error and not concept.run_errors
    assert len(concept.checks) == len(
        [f for f in pack.concept("data-augmentation").facts if f.check]
    )
    short = {c.fact.id: (c.worst.held, c.worst.label) for c in concept.checks if c.worst.held < 48}
    assert not short, short
