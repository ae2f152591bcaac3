"""Attention maps of a trained translator: encoder self-, decoder self- and cross-attention.

For the Transformer (:func:`~course_lib.translation.models.transformer_translator`)
the forward pass is replayed layer by layer — embeddings, each
``TransformerEncoder`` with ``return_attention_scores=True``, then each
``TransformerDecoder``'s self-attention, cross-attention and feed-forward
blocks — and the replay's probabilities are checked against the model's own, so
the maps are the ones the model used. For the LSTM with attention
(``lstm_translator(attention=True)``) the ``cross_attention`` layer is called on
the model's own decoder and encoder outputs.

Every map is an :class:`~course_lib.models.attention.AttentionMaps`
(``layers × heads × queries × keys``) with words as labels, drawn by
:mod:`course_lib.views.attention`.

Example:
    >>> att = translator_attention(translator, "the cat is sleeping .")  # doctest: +SKIP
    >>> att.cross.scores.shape  # (layers, heads, target words, source words)  # doctest: +SKIP
    (2, 4, 6, 5)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from course_lib.models.attention import AttentionMaps
from course_lib.translation.data import START
from course_lib.translation.errors import AttentionLayerError, TranslationError

__all__ = [
    "TranslatorAttention",
    "attention_layer_names",
    "crop_maps",
    "cross_attention_of",
    "translator_attention",
]


@dataclass(frozen=True)
class TranslatorAttention:
    """The attention of one translated sentence.

    Attributes:
        source_tokens: the English words.
        target_tokens: the decoder's input words (``[start]`` then the translation).
        encoder: encoder self-attention (source × source), or ``None`` (LSTM).
        decoder: decoder self-attention (target × target, causal), or ``None`` (LSTM).
        cross: cross-attention (target × source): which English word each French word reads.
        text: the translation.
    """

    source_tokens: list[str]
    target_tokens: list[str]
    encoder: AttentionMaps | None
    decoder: AttentionMaps | None
    cross: AttentionMaps
    text: str

    def maps(self, kind: str) -> AttentionMaps:
        """``"encoder"``, ``"decoder"`` or ``"cross"``.

        Raises:
            AttentionLayerError: unknown kind, or this translator has no such attention.
        """
        found = {"encoder": self.encoder, "decoder": self.decoder, "cross": self.cross}
        if kind not in found or found[kind] is None:
            have = [k for k, v in found.items() if v is not None]
            raise AttentionLayerError(
                f"Expected one of {have}. Received: kind={kind!r}.",
                hint="an LSTM translator has only cross-attention." if kind in found else
                     "encoder: source self-attention, decoder: target self-attention, "
                     "cross: target → source.",
            )
        return found[kind]


def _layer(model: Any, name: str) -> Any:
    try:
        return model.get_layer(name)
    except ValueError:
        raise AttentionLayerError(
            f"Expected a layer named {name!r} in model {model.name!r}. Received: no such layer "
            f"(layers: {[la.name for la in model.layers]}).",
            hint="build the translator with transformer_translator() or "
                 "lstm_translator(attention=True), which name their layers.",
        ) from None


def _np(x: Any) -> Any:
    import keras
    import numpy as np

    return np.asarray(keras.ops.convert_to_numpy(x), dtype="float64")


def _replay_decoder(layer: Any, x: Any, encoded: Any, target_mask: Any,
                    source_mask: Any) -> tuple[Any, Any, Any]:
    """One TransformerDecoder call, block by block, keeping both attention scores."""
    self_mask = layer._compute_self_attention_mask(
        decoder_sequence=x, decoder_padding_mask=target_mask, decoder_attention_mask=None,
        use_causal_mask=True, self_attention_cache=None, self_attention_cache_update_index=None)
    first = layer.normalize_first

    def block(x: Any, attention: Any, norm: Any, value: Any, mask: Any) -> tuple[Any, Any]:
        residual = x
        if first:
            x = norm(x)
        out, scores = attention(query=x, value=x if value is None else value,
                                attention_mask=mask, return_attention_scores=True,
                                training=False)
        x = out + residual
        if not first:
            x = norm(x)
        return x, scores

    x, self_scores = block(x, layer._self_attention_layer, layer._self_attention_layer_norm,
                           None, self_mask)
    cross_mask = None if source_mask is None else source_mask[:, None, :]
    x, cross_scores = block(x, layer._cross_attention_layer,
                            layer._cross_attention_layer_norm, encoded, cross_mask)
    residual = x
    if first:
        x = layer._feedforward_layer_norm(x)
    x = layer._feedforward_output_dense(layer._feedforward_intermediate_dense(x))
    x = x + residual
    if not first:
        x = layer._feedforward_layer_norm(x)
    return x, self_scores, cross_scores


def _transformer_maps(model: Any, source: Any, prefix: Any) -> tuple[Any, Any, Any, list,
                                                                     list, Any]:
    import keras

    encoders = sorted((la for la in model.layers if la.name.startswith("encoder_")),
                      key=lambda la: int(la.name.split("_")[1]))
    decoders = sorted((la for la in model.layers if la.name.startswith("decoder_")),
                      key=lambda la: int(la.name.split("_")[1]))
    if not encoders or not decoders:
        raise AttentionLayerError(
            f"Expected TransformerEncoder/Decoder layers named encoder_0…/decoder_0… in model "
            f"{model.name!r}. Received: layers {[la.name for la in model.layers]}.",
            hint="build the translator with transformer_translator().",
        )
    source_mask = keras.ops.not_equal(source, 0)
    target_mask = keras.ops.not_equal(prefix, 0)
    x = _layer(model, "source_embedding")(source)
    encoder_scores = []
    for layer in encoders:
        x, scores = layer(x, padding_mask=source_mask, training=False,
                          return_attention_scores=True)
        encoder_scores.append(_np(scores)[0])
    y = _layer(model, "target_embedding")(prefix)
    self_scores, cross_scores = [], []
    for layer in decoders:
        y, s, c = _replay_decoder(layer, y, x, target_mask, source_mask)
        self_scores.append(_np(s)[0])
        cross_scores.append(_np(c)[0])
    probs = _layer(model, "next_word")(y)
    return (encoder_scores, self_scores, cross_scores, [la.name for la in encoders],
            [la.name for la in decoders], probs)


def translator_attention(translator: Any, sentence: str,
                         translation: Sequence[str] | None = None, beam_width: int = 1,
                         atol: float = 1e-4) -> TranslatorAttention:
    """Every attention map of a translator for one sentence and its translation.

    Args:
        translator: a :class:`~course_lib.translation.models.Translator`.
        sentence: English text.
        translation: French words to attend with (default: the translator's own
            translation, found with ``beam_width``).
        beam_width: for that translation.
        atol: tolerance of the replay check (Transformer).

    Returns:
        :class:`TranslatorAttention`; query labels are the decoder's inputs
        (``[start]``, then the words), so row *t* shows what the decoder read while
        choosing word *t*.

    Raises:
        EmptySentenceError, UnknownWordsError: from the sentence.
        AttentionLayerError: the model has no attention layers this function knows.
        TranslationError: the replay does not reproduce the model's output.

    Example:
        >>> att = translator_attention(translator, "hello world")  # doctest: +SKIP
        >>> show_attention(att.cross)  # doctest: +SKIP
    """
    import numpy as np

    model = translator.model
    ids, source_tokens = translator.encode(sentence)
    if translation is None:
        decoded = translator.translate(sentence, beam_width=beam_width)
        words = list(decoded.tokens)
    else:
        words = [str(w) for w in translation]
    index = {w: i for i, w in enumerate(translator.target_vocabulary)}
    target_tokens = [START, *words][: translator.target_length]  # the decoder's input length
    prefix = np.array([[index.get(w, 1) for w in target_tokens]], dtype="int32")
    source = np.array([ids], dtype="int32")
    names = [la.name for la in model.layers]
    text = " ".join(words)
    if "encoder_0" in names:
        enc, dec, cross, enc_names, dec_names, probs = _transformer_maps(model, source, prefix)
        expected = _np(model([source, prefix], training=False))
        difference = float(np.max(np.abs(_np(probs) - expected)))
        if not difference <= atol:
            raise TranslationError(
                f"Expected the replayed layers to reproduce the model's output. Received: "
                f"max difference {difference:.2e} (tolerance {atol:.0e}).",
                hint="this model's layers differ from transformer_translator()'s.",
            )
        return TranslatorAttention(
            source_tokens, target_tokens,
            AttentionMaps(np.stack(enc), source_tokens, source_tokens, enc_names),
            AttentionMaps(np.stack(dec), target_tokens, target_tokens,
                          [f"{n} self-attention" for n in dec_names]),
            AttentionMaps(np.stack(cross), target_tokens, source_tokens,
                          [f"{n} cross-attention" for n in dec_names]),
            text)
    import keras

    layer = _layer(model, "cross_attention")
    probe = keras.Model(model.inputs, [_layer(model, "decoder").output,
                                       _layer(model, "encoder").output[0]])
    decoded_seq, encoded = probe([source, prefix], training=False)
    _, scores = layer(decoded_seq, encoded, return_attention_scores=True, training=False)
    return TranslatorAttention(
        source_tokens, target_tokens, None, None,
        AttentionMaps(_np(scores)[:1], target_tokens, source_tokens, ["cross_attention"]),
        text)


def attention_layer_names(translator: Any) -> list[str]:
    """Names of the attention-bearing layers of a translator (for messages and menus)."""
    return [la.name for la in translator.model.layers
            if la.name.startswith(("encoder_", "decoder_")) or la.name == "cross_attention"]


def cross_attention_of(attention: TranslatorAttention, layer: str | int) -> AttentionMaps:
    """One decoder layer's cross-attention, by index or name (``"decoder_1"``).

    Raises:
        AttentionLayerError: no such layer.
    """
    names = [n.split(" ")[0] for n in attention.cross.layer_names]
    if isinstance(layer, str):
        if layer not in names:
            raise AttentionLayerError(
                f"Expected an attention layer name in {names}. Received: {layer!r}.",
                hint="use one of the names listed, or an index.",
            )
        layer = names.index(layer)
    if not isinstance(layer, int) or not 0 <= layer < len(names):
        raise AttentionLayerError(
            f"Expected a layer index in 0..{len(names) - 1}. Received: {layer!r}.")
    cross = attention.cross
    return AttentionMaps(cross.scores[layer:layer + 1], cross.query_tokens, cross.key_tokens,
                         [cross.layer_names[layer]])


def crop_maps(maps: AttentionMaps, max_tokens: int = 24, query_start: int = 0,
              key_start: int = 0) -> AttentionMaps:
    """A window of at most ``max_tokens`` queries × keys, so long sentences stay readable.

    The weights are not renormalised: a cropped row sums to less than 1 when it
    attends outside the window (the view shows how much is missing).

    Args:
        maps: any :class:`AttentionMaps`.
        max_tokens: window size on each axis.
        query_start: first query position shown.
        key_start: first key position shown.

    Returns:
        The cropped :class:`AttentionMaps` (labels cropped too).

    Raises:
        TranslationError: ``max_tokens`` < 1 or a start outside the sequence.

    Example:
        >>> crop_maps(maps, max_tokens=20, query_start=40).scores.shape[2]  # doctest: +SKIP
        20
    """
    nq, nk = len(maps.query_tokens), len(maps.key_tokens)
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
        raise TranslationError(
            f"Expected max_tokens to be an integer >= 1. Received: max_tokens={max_tokens!r}.")
    if not (0 <= query_start < nq and 0 <= key_start < nk):
        raise TranslationError(
            f"Expected query_start in 0..{nq - 1} and key_start in 0..{nk - 1}. Received: "
            f"query_start={query_start}, key_start={key_start}.",
            hint="the window must start inside the sentence.",
        )
    q = slice(query_start, query_start + max_tokens)
    k = slice(key_start, key_start + max_tokens)
    return AttentionMaps(maps.scores[:, :, q, k], maps.query_tokens[q], maps.key_tokens[k],
                         list(maps.layer_names))
