"""Transfer learning with the encoder: a classifier on top of it, frozen or partly fine-tuned.

Two ways to use a pretrained encoder for a new task:

* **frozen**: embed every sentence once (:func:`course_lib.bert.embed`) and train a
  small head on the vectors — cheap, runs in seconds;
* **fine-tuned**: :func:`sentence_classifier` puts the head on the backbone inside one
  Keras model and lets the top ``trainable_layers`` transformer layers train too —
  better, but every epoch runs the whole encoder (about 4 minutes per 2,000 sentences
  on 2 CPU cores).

Both pool the same way (mean over real tokens, unit length), so with
``trainable_layers=0`` the model computes exactly ``head(embed(...))``.

Example:
    >>> model = sentence_classifier(encoder, trainable_layers=2)       # doctest: +SKIP
    >>> model.fit(encode_batch(encoder, texts), labels, epochs=1)      # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from course_lib.bert.encoder import Encoder, _check_sentences
from course_lib.bert.errors import BertError
from course_lib.bert.masked import tokenize_batch

__all__ = ["encode_batch", "sentence_classifier"]


def encode_batch(encoder: Encoder, texts: list[str], sequence_length: int = 64) -> dict[str, Any]:
    """Token ids, padding mask and segment ids for :func:`sentence_classifier` (cut to length).

    Returns:
        ``{"token_ids", "padding_mask", "segment_ids"}``, each ``(n, sequence_length)`` int32.
    """
    import numpy as np

    texts = _check_sentences(texts, "texts")
    tok = encoder.tokenizer
    rows = []
    for ids in tokenize_batch(tok, texts):
        ids = [tok.cls_token_id, *ids[: sequence_length - 2], tok.sep_token_id]
        rows.append(ids + [tok.pad_token_id] * (sequence_length - len(ids)))
    token_ids = np.array(rows, dtype="int32")
    return {"token_ids": token_ids,
            "padding_mask": (token_ids != tok.pad_token_id).astype("int32"),
            "segment_ids": np.zeros_like(token_ids)}


def sentence_classifier(encoder: Encoder, trainable_layers: int = 0, sequence_length: int = 64,
                        learning_rate: float = 5e-5, head_weights: list[Any] | None = None,
                        name: str = "bert_classifier") -> Any:
    """Backbone → mean pooling → L2 norm → ``Dense(1, "sigmoid")``, compiled.

    Args:
        encoder: from :func:`course_lib.bert.load_encoder` (its backbone is changed in place
            when ``trainable_layers > 0``: load a fresh encoder for each fine-tuning run).
        trainable_layers: how many of the top transformer layers train (0 = frozen encoder,
            only the head trains).
        sequence_length: input length (as in :func:`encode_batch`).
        learning_rate: Adam's rate (small: large steps destroy the pretrained weights).
        head_weights: ``[kernel (hidden, 1), bias (1,)]`` of a head already trained on frozen
            embeddings (``Dense(1)`` on ``embed(...).vectors``): fine-tuning then starts
            from a working classifier instead of a random head.
        name: model name.

    Returns:
        A compiled binary classifier taking the dict of :func:`encode_batch`.

    Raises:
        BertError: ``trainable_layers`` outside 0..num_layers.
    """
    import keras

    backbone = encoder.backbone
    layers = backbone.transformer_layers
    if not 0 <= trainable_layers <= len(layers):
        raise BertError(
            f"Expected trainable_layers in 0..{len(layers)}. Received: "
            f"trainable_layers={trainable_layers}.",
            hint="2 fine-tunes the top two layers; 0 keeps the encoder frozen.",
        )
    backbone.trainable = trainable_layers > 0
    if trainable_layers:
        for layer in backbone.layers:
            layer.trainable = False
        for layer in layers[len(layers) - trainable_layers:]:
            layer.trainable = True
    inputs = {key: keras.Input((sequence_length,), dtype="int32", name=key)
              for key in ("token_ids", "padding_mask", "segment_ids")}
    hidden = backbone(inputs)["sequence_output"]
    weights = keras.ops.expand_dims(keras.ops.cast(inputs["padding_mask"], hidden.dtype), -1)
    mean = keras.ops.sum(hidden * weights, axis=1) / keras.ops.maximum(
        keras.ops.sum(weights, axis=1), 1.0)
    pooled = keras.layers.UnitNormalization(name="l2_norm")(mean)
    head = keras.layers.Dense(1, activation="sigmoid", name="head")
    outputs = head(pooled)
    if head_weights is not None:
        head.set_weights(head_weights)
    model = keras.Model(inputs, outputs, name=name)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy",
                  metrics=["accuracy"], jit_compile=False)
    return model
