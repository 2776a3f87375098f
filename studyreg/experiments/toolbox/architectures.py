"""Where the parameters of two reference ImageNet CNNs sit: VGG-16 and ResNet-50.

Exact counts of trainable weights and biases from the published layer tables (224×224×3
inputs, 1000 classes), as ``torchvision.models.vgg16()`` and ``resnet50()`` build them:

- VGG-16 (Simonyan & Zisserman, 2015): thirteen 3×3 convolutions with biases, then three
  fully connected layers on the 7×7×512 feature map: 138,357,544 parameters, of which the
  fully connected layers hold 123,642,856 (89%).
- ResNet-50 (He et al., 2016): a 7×7 stem, sixteen bottleneck blocks (1×1, 3×3, 1×1
  convolutions without biases, each followed by batch norm with a scale and a shift per
  channel; a 1×1 projection on the first block of each stage), global average pooling and
  one fully connected classifier: 25,557,032 parameters, of which the classifier holds
  2,049,000 (8%).

Batch norm's running mean and variance are statistics, not trained, so they are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LayerCount", "ParamCount", "resnet50_params", "vgg16_params"]

N_CLASSES = 1000
VGG16_CONVS = (
    64,
    64,
    "M",
    128,
    128,
    "M",
    256,
    256,
    256,
    "M",
    512,
    512,
    512,
    "M",
    512,
    512,
    512,
    "M",
)
RESNET50_STAGES = ((64, 3), (128, 4), (256, 6), (512, 3))  # (bottleneck width, blocks)
EXPANSION = 4


@dataclass(frozen=True)
class LayerCount:
    """One layer: its name, ``"conv"``, ``"norm"`` or ``"fc"``, and its trainable parameters."""

    name: str
    kind: str
    params: int


@dataclass(frozen=True)
class ParamCount:
    """A network's layers; totals by kind."""

    layers: tuple[LayerCount, ...]

    @property
    def total(self) -> int:
        return sum(layer.params for layer in self.layers)

    def of(self, kind: str) -> int:
        """Parameters in the layers of one kind."""
        return sum(layer.params for layer in self.layers if layer.kind == kind)

    @property
    def fc_fraction(self) -> float:
        """Share of the parameters in fully connected layers."""
        return self.of("fc") / self.total


def _conv(name: str, k: int, c_in: int, c_out: int, *, bias: bool) -> LayerCount:
    return LayerCount(name, "conv", k * k * c_in * c_out + (c_out if bias else 0))


def _fc(name: str, n_in: int, n_out: int) -> LayerCount:
    return LayerCount(name, "fc", n_in * n_out + n_out)


def _norm(name: str, channels: int) -> LayerCount:
    return LayerCount(name, "norm", 2 * channels)  # scale γ and shift β per channel


def vgg16_params() -> ParamCount:
    """VGG-16's layers; 224×224 inputs leave a 7×7×512 map after five 2×2 poolings."""
    layers, c_in, i = [], 3, 0
    for spec in VGG16_CONVS:
        if spec == "M":
            continue
        i += 1
        layers.append(_conv(f"conv{i}", 3, c_in, int(spec), bias=True))
        c_in = int(spec)
    layers += [
        _fc("fc6", 7 * 7 * 512, 4096),
        _fc("fc7", 4096, 4096),
        _fc("fc8", 4096, N_CLASSES),
    ]
    return ParamCount(tuple(layers))


def resnet50_params() -> ParamCount:
    """ResNet-50's layers (torchvision's v1.5 puts the stride on the 3×3; counts are the same)."""
    layers = [_conv("stem", 7, 3, 64, bias=False), _norm("stem.bn", 64)]
    c_in = 64
    for stage, (width, blocks) in enumerate(RESNET50_STAGES, start=1):
        c_out = width * EXPANSION
        for block in range(blocks):
            name = f"stage{stage}.block{block + 1}"
            layers += [
                _conv(f"{name}.conv1", 1, c_in, width, bias=False),
                _norm(f"{name}.bn1", width),
                _conv(f"{name}.conv2", 3, width, width, bias=False),
                _norm(f"{name}.bn2", width),
                _conv(f"{name}.conv3", 1, width, c_out, bias=False),
                _norm(f"{name}.bn3", c_out),
            ]
            if block == 0:  # the projection shortcut matches channels (and stride)
                layers += [
                    _conv(f"{name}.project", 1, c_in, c_out, bias=False),
                    _norm(f"{name}.project.bn", c_out),
                ]
            c_in = c_out
    layers.append(_fc("fc", c_in, N_CLASSES))  # after global average pooling: 2048 features
    return ParamCount(tuple(layers))
