"""What a convnet sees: intermediate activations, first-layer filters, filter patterns.

Compute only; :mod:`course_lib.views.feature_maps` draws the results.

Example:
    >>> import keras, numpy as np
    >>> from course_lib.models.feature_maps import feature_maps
    >>> model = keras.Sequential([keras.Input((28, 28, 1)),
    ...                           keras.layers.Conv2D(4, 3, name="conv"),
    ...                           keras.layers.MaxPooling2D(name="pool")])
    >>> maps = feature_maps(model, np.zeros((28, 28)))
    >>> [(m.layer_name, m.activations.shape) for m in maps]
    [('conv', (26, 26, 4)), ('pool', (13, 13, 4))]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course_lib.errors import FeatureMapError, ModelError

__all__ = [
    "FeatureMap",
    "conv_layers",
    "feature_maps",
    "filter_pattern",
    "first_layer_filters",
]


@dataclass(frozen=True)
class FeatureMap:
    """The activations of one layer for one input image.

    Attributes:
        layer_name: the layer's name.
        layer_type: its class name (``"Conv2D"``, ``"MaxPooling2D"``, ...).
        activations: ``(height, width, channels)`` float array.
    """

    layer_name: str
    layer_type: str
    activations: Any

    @property
    def n_channels(self) -> int:
        """Number of feature maps (channels)."""
        return int(self.activations.shape[-1])


def _check_model(model: Any) -> None:
    import keras

    if not isinstance(model, keras.Model):
        raise ModelError(
            f"Expected a keras.Model. Received: {type(model).__name__}.",
            hint="pass the convnet itself, e.g. feature_maps(model, image).",
        )
    if not model.built or not getattr(model, "inputs", None):
        raise ModelError(
            f"Expected a model with a known input. Received: model {model.name!r} "
            "without inputs (not built, or subclassed).",
            hint="start the model with keras.Input(shape=(28, 28, 1)).",
        )


def conv_layers(model: Any) -> list[Any]:
    """The 2-D convolution and pooling layers of a model, in order.

    Args:
        model: a built Keras model.

    Returns:
        The layers whose outputs are 4-D ``(batch, h, w, channels)`` feature maps.

    Raises:
        ModelError: the model has none (e.g. a dense network).

    Example:
        >>> [layer.name for layer in conv_layers(model)]  # doctest: +SKIP
        ['conv', 'pool']
    """
    import keras

    _check_model(model)
    kinds = (keras.layers.Conv2D, keras.layers.MaxPooling2D, keras.layers.AveragePooling2D,
             keras.layers.SeparableConv2D, keras.layers.DepthwiseConv2D)
    found = [layer for layer in model.layers if isinstance(layer, kinds)]
    if not found:
        raise ModelError(
            f"Expected a convnet with Conv2D or pooling layers. Received: model "
            f"{model.name!r} with layers {[la.name for la in model.layers]}.",
            hint="feature maps exist only for convolutional layers; add keras.layers.Conv2D.",
        )
    return found


def _output_shape(layer: Any) -> tuple | None:
    try:
        return tuple(layer.output.shape)
    except (AttributeError, ValueError):  # a layer never called on a symbolic input
        return None


def _single_input(model: Any) -> Any:
    if len(model.inputs) != 1:
        raise ModelError(
            f"Expected a model with one image input. Received: {len(model.inputs)} inputs "
            f"({[t.name for t in model.inputs]}).",
            hint="build a single-input model that ends at the convnet part.",
        )
    return model.inputs[0]


def _as_batch(model: Any, image: Any) -> Any:
    import numpy as np

    x = np.asarray(image, dtype="float32")
    expected = tuple(model.inputs[0].shape[1:])
    if x.ndim == len(expected) - 1 and expected[-1] == 1:
        x = x[..., None]
    if x.ndim == len(expected):
        x = x[None]
    if x.ndim != len(expected) + 1 or x.shape[0] != 1 or any(
        e is not None and e != g for e, g in zip(expected, x.shape[1:], strict=True)
    ):
        raise FeatureMapError(
            f"Expected one image shaped {expected} (or without the channel axis). "
            f"Received: image with shape {np.asarray(image).shape}.",
            hint="pass a single image, e.g. x_test[0] (scale it like the training data).",
        )
    return x


def feature_maps(model: Any, image: Any, layers: list[str] | None = None) -> list[FeatureMap]:
    """Run one image through the model and keep each conv/pool layer's output.

    Args:
        model: a built convnet (Sequential or functional).
        image: one image, ``(h, w)``, ``(h, w, c)`` or ``(1, h, w, c)``, scaled like
            the training data.
        layers: names of the layers to keep; default every conv/pool layer.

    Returns:
        One :class:`FeatureMap` per layer, in model order.

    Raises:
        ModelError: not a built convnet, or an unknown layer name.
        FeatureMapError: a named layer has no image-shaped output (e.g. ``"dense"``),
            or the image shape does not fit the model.

    Example:
        >>> maps = feature_maps(model, x_test[0] / 255.0)  # doctest: +SKIP
    """
    import keras
    import numpy as np

    candidates = conv_layers(model)
    if layers is not None:
        by_name = {layer.name: layer for layer in model.layers}
        unknown = [name for name in layers if name not in by_name]
        if unknown:
            raise ModelError(
                f"Expected layer names of model {model.name!r}. Received: {unknown}.",
                hint=f"choose from {[la.name for la in candidates]}.",
            )
        flat = [f"{name!r} ({type(by_name[name]).__name__}, output {_output_shape(by_name[name])})"
                for name in layers if len(_output_shape(by_name[name]) or ()) != 4]
        if flat or not layers:
            raise FeatureMapError(
                "Expected layers with image-shaped outputs (batch, height, width, channels). "
                f"Received: {', '.join(flat) if flat else 'layers=[]'}.",
                hint=f"choose from {[la.name for la in candidates]} (or leave layers=None).",
            )
        candidates = [by_name[name] for name in layers]
    x = _as_batch(model, image)
    probe = keras.Model(_single_input(model), [layer.output for layer in candidates])
    outputs = probe(x, training=False)
    if not isinstance(outputs, list | tuple):
        outputs = [outputs]
    return [
        FeatureMap(layer.name, type(layer).__name__, np.asarray(out)[0])
        for layer, out in zip(candidates, outputs, strict=True)
    ]


def first_layer_filters(model: Any) -> Any:
    """The kernel of the first Conv2D layer, ``(kh, kw, in_channels, filters)``.

    Args:
        model: a built convnet.

    Returns:
        A numpy array copy of the kernel.

    Raises:
        ModelError: the model has no Conv2D layer.

    Example:
        >>> first_layer_filters(model).shape  # doctest: +SKIP
        (3, 3, 1, 32)
    """
    import keras
    import numpy as np

    for layer in conv_layers(model):
        if isinstance(layer, keras.layers.Conv2D):
            return np.array(layer.kernel.numpy())
    raise ModelError(
        f"Expected a Conv2D layer in model {model.name!r}. Received: only pooling layers.",
        hint="add keras.layers.Conv2D(filters, kernel_size) as the first layer.",
    )


def filter_pattern(model: Any, layer_name: str, filter_index: int, steps: int = 30,
                   step_size: float = 0.1, seed: int = 0) -> Any:
    """The input that excites one filter most, found by gradient ascent.

    Starts from faint noise around grey and repeatedly adds the normalised
    gradient of the filter's mean activation (border excluded, as in
    Chollet's *Deep Learning with Python*). Few, small steps keep it cheap.
    A ReLU filter that is zero for every grey-ish input has no gradient and
    stays noise: that is a "dead" filter, not a bug.

    Args:
        model: a built convnet.
        layer_name: the conv layer to probe.
        filter_index: which filter (channel) of that layer.
        steps: gradient-ascent steps.
        step_size: learning rate of each step (inputs are assumed scaled to 0..1).
        seed: seed of the starting noise.

    Returns:
        ``(h, w, c)`` array scaled to 0..1 for display.

    Raises:
        ModelError: unknown layer, or ``filter_index`` outside ``0..filters-1``.

    Example:
        >>> pattern = filter_pattern(model, "conv2d", 3)  # doctest: +SKIP
    """
    import keras
    import numpy as np

    layer = next((la for la in conv_layers(model) if la.name == layer_name), None)
    if layer is None:
        raise ModelError(
            f"Expected the name of a conv layer. Received: layer_name={layer_name!r}.",
            hint=f"choose from {[la.name for la in conv_layers(model)]}.",
        )
    channels = int(layer.output.shape[-1])
    if not 0 <= filter_index < channels:
        raise ModelError(
            f"Expected filter_index in 0..{channels - 1} for layer {layer_name!r}. "
            f"Received: filter_index={filter_index}.",
            hint=f"this layer has {channels} filters.",
        )
    if keras.backend.backend() != "tensorflow":
        raise ModelError(
            f"Expected the TensorFlow backend for gradient ascent. Received: "
            f"{keras.backend.backend()!r}.",
            hint="export KERAS_BACKEND=tensorflow before importing keras.",
        )
    import tensorflow as tf

    probe = keras.Model(_single_input(model), layer.output)
    shape = (1, *model.inputs[0].shape[1:])
    rng = np.random.default_rng(seed)
    image = tf.Variable(0.5 + 0.05 * rng.standard_normal(shape).astype("float32"))
    for _ in range(steps):
        with tf.GradientTape() as tape:
            activation = probe(image, training=False)
            border = 1 if activation.shape[1] > 4 else 0
            core = activation[:, border: activation.shape[1] - border,
                              border: activation.shape[2] - border, filter_index]
            loss = tf.reduce_mean(core)
        grads = tape.gradient(loss, image)
        grads = grads / (tf.norm(grads) + 1e-8)
        image.assign_add(step_size * grads * np.sqrt(np.prod(shape)))
    pattern = image.numpy()[0]
    pattern = pattern - pattern.mean()
    pattern = pattern / (pattern.std() + 1e-8) * 0.15 + 0.5
    return np.clip(pattern, 0.0, 1.0)
