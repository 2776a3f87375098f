"""Parameter counts of VGG-16 and ResNet-50 against their published totals and by hand."""

from __future__ import annotations

from studyreg.content import bundled_pack_path
from studyreg.experiments.toolbox.architectures import resnet50_params, vgg16_params
from studyreg.study.packs import load_pack


def test_vgg16_matches_the_published_count_and_its_fc_layers_by_hand() -> None:
    vgg = vgg16_params()
    assert vgg.total == 138_357_544  # torchvision.models.vgg16(): sum of p.numel()
    fc = {layer.name: layer.params for layer in vgg.layers if layer.kind == "fc"}
    assert fc == {
        "fc6": 7 * 7 * 512 * 4096 + 4096,
        "fc7": 4096 * 4096 + 4096,
        "fc8": 4096 * 1000 + 1000,
    }
    assert sum(layer.kind == "conv" for layer in vgg.layers) == 13
    assert vgg.of("conv") == 14_714_688  # VGG-16's convolutional part (its "features")
    assert 0.89 < vgg.fc_fraction < 0.90


def test_resnet50_matches_the_published_count_and_its_classifier_by_hand() -> None:
    resnet = resnet50_params()
    assert resnet.total == 25_557_032  # torchvision.models.resnet50(): sum of p.numel()
    assert resnet.of("fc") == 2048 * 1000 + 1000
    assert (
        sum(layer.kind == "conv" for layer in resnet.layers) == 1 + 16 * 3 + 4
    )  # stem, blocks, projections
    # the first bottleneck: 1×1 64→64, 3×3 64→64, 1×1 64→256, projection 1×1 64→256
    first = {x.name: x.params for x in resnet.layers if x.name.startswith("stage1.block1.")}
    assert first["stage1.block1.conv1"] == 64 * 64
    assert first["stage1.block1.conv2"] == 9 * 64 * 64
    assert first["stage1.block1.conv3"] == 64 * 256
    assert first["stage1.block1.project"] == 64 * 256
    assert 0.08 < resnet.fc_fraction < 0.081


def test_the_pack_question_on_vgg_fc6_uses_the_counted_layer() -> None:
    question = load_pack(bundled_pack_path()).concept("cnn-dropout").question("vgg-fc6-params")
    fc6 = next(layer.params for layer in vgg16_params().layers if layer.name == "fc6")
    assert question.answer == fc6 == 102_764_544
