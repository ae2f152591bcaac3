"""Masked-language modelling: BERT's masking rule, a tiny masked LM, top-k guesses for ``[MASK]``.

* :func:`masked_lm_dataset` packs sentences as ``[CLS] ... [SEP] [PAD]...`` and
  masks them with ``keras_hub.layers.MaskedLMMaskGenerator`` (15 % of the real
  tokens selected; of those 80 % become ``[MASK]``, 10 % a random token, 10 % stay).
* :func:`mask_statistics` measures those rates on a masked batch.
* :func:`tiny_masked_lm` builds a small encoder (``TokenAndPositionEmbedding`` +
  ``TransformerEncoder`` + ``MaskedLMHead``) to train from scratch.
* :func:`predict_masked` asks any model with a masked-LM head (the tiny one, or
  a ``keras_hub.models.BertMaskedLM``) for its top-k words at each ``[MASK]``.

Example:
    >>> model = tiny_masked_lm(vocabulary_size=2000, sequence_length=24)       # doctest: +SKIP
    >>> x, y, w = masked_lm_dataset(tokenizer, sentences, sequence_length=24)   # doctest: +SKIP
    >>> model.fit(x, y, sample_weight=w, epochs=5)                              # doctest: +SKIP
    >>> predict_masked(model, tokenizer, "i [MASK] you .").candidates[0][:3]    # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course_lib.bert.errors import BertError, EmptyInputError, NoMaskError

__all__ = [
    "MASK",
    "MaskedPrediction",
    "mask_statistics",
    "masked_lm_dataset",
    "pack",
    "pack_batch",
    "predict_masked",
    "tiny_masked_lm",
    "tokenize_batch",
]

MASK = "[MASK]"


def _special_id(tokenizer: Any, token: str) -> int | None:
    try:
        value = tokenizer.token_to_id(token)
    except (KeyError, ValueError):
        return None
    return None if value is None else int(value)


def _ids(tokenizer: Any, text: str) -> list[int]:
    import numpy as np

    if not text.strip():
        return []
    return [int(i) for i in np.asarray(tokenizer(text)).reshape(-1)]


def tokenize_batch(tokenizer: Any, texts: list[str], batch_size: int = 1024) -> list[list[int]]:
    """Token ids of many texts, one tokenizer call per ``batch_size`` texts (fast)."""
    import numpy as np

    out: list[list[int]] = []
    for start in range(0, len(texts), batch_size):
        ragged = tokenizer(list(texts[start:start + batch_size]))
        if hasattr(ragged, "to_list"):
            out.extend([int(i) for i in row] for row in ragged.to_list())
        else:
            out.extend([int(i) for i in np.asarray(row).reshape(-1)] for row in ragged)
    return out


def pack(tokenizer: Any, text: str, sequence_length: int | None = None) -> list[int]:
    """``[CLS] tokens [SEP]`` (when the vocabulary has them), padded with ``[PAD]`` = 0.

    ``[MASK]`` written in the text becomes the mask token whatever the tokenizer's settings.

    Raises:
        BertError: the packed text is longer than ``sequence_length``.
    """
    mask_id = _special_id(tokenizer, MASK)
    pieces = text.split(MASK)
    ids: list[int] = []
    for i, piece in enumerate(pieces):
        if i:
            ids.append(mask_id if mask_id is not None else 0)
        ids.extend(_ids(tokenizer, piece))
    cls, sep = _special_id(tokenizer, "[CLS]"), _special_id(tokenizer, "[SEP]")
    if cls is not None and sep is not None:
        ids = [cls, *ids, sep]
    if sequence_length is not None:
        if len(ids) > sequence_length:
            raise BertError(
                f"Expected at most {sequence_length} tokens (the model's sequence length). "
                f"Received: {len(ids)} tokens for {text!r:.60}.",
                hint="shorten the text, or keep the [MASK] within the first tokens.",
            )
        ids = ids + [0] * (sequence_length - len(ids))
    return ids


def pack_batch(tokenizer: Any, texts: list[str], sequence_length: int) -> Any:
    """``[CLS] tokens [SEP] [PAD]...`` rows for many texts, cut to ``sequence_length``.

    The unmasked input of :func:`masked_lm_dataset` (same packing, same cut).

    Returns:
        ``(len(texts), sequence_length)`` int32 array.
    """
    import numpy as np

    cls, sep = _special_id(tokenizer, "[CLS]"), _special_id(tokenizer, "[SEP]")
    rows = []
    for ids in tokenize_batch(tokenizer, [str(t) for t in texts]):
        ids = [cls, *ids[: sequence_length - 2], sep]
        rows.append(ids + [0] * (sequence_length - len(ids)))
    return np.array(rows, dtype="int32")


def masked_lm_dataset(tokenizer: Any, texts: list[str], sequence_length: int,
                      mask_selection_rate: float = 0.15, mask_selection_length: int | None = None,
                      mask_token_rate: float = 0.8, random_token_rate: float = 0.1
                      ) -> tuple[dict[str, Any], Any, Any]:
    """Tokenise, pack and mask ``texts`` for masked-LM training (BERT's rule).

    Texts longer than ``sequence_length`` are cut before ``[SEP]``. Call it again
    for a fresh random masking (RoBERTa re-masks every epoch).

    Args:
        tokenizer: a keras-hub WordPiece/BERT tokenizer whose vocabulary has the
            special tokens (``[PAD]`` = 0, ``[CLS]``, ``[SEP]``, ``[MASK]``).
        texts: the sentences.
        sequence_length: tokens per packed sentence.
        mask_selection_rate: share of real tokens selected for prediction.
        mask_selection_length: most selected tokens per sentence (default:
            ``ceil(rate × sequence_length) + 2``).
        mask_token_rate: share of the selected tokens replaced by ``[MASK]``.
        random_token_rate: share replaced by a random token (the rest stay as they are).

    Returns:
        ``(x, y, sample_weight)``: ``x = {"token_ids": (n, L), "mask_positions": (n, P)}``,
        ``y`` the original ids at those positions ``(n, P)``, ``sample_weight`` 1 for a real
        selection and 0 for padding of the position list.

    Raises:
        EmptyInputError: no texts. BertError: the vocabulary lacks ``[MASK]``.
    """
    import math

    import keras_hub
    import numpy as np

    if isinstance(texts, str) or not list(texts):
        raise EmptyInputError(f"Expected a non-empty list of texts. Received: {texts!r:.60}.",
                              hint="pass a list of sentences.")
    mask_id = _special_id(tokenizer, MASK)
    if mask_id is None:
        raise BertError(
            f"Expected the tokenizer's vocabulary to contain {MASK}. Received: a vocabulary of "
            f"{tokenizer.vocabulary_size()} entries without it.",
            hint="train the vocabulary with course_lib.bert.train_wordpiece (it reserves [MASK]).",
        )
    cls, sep = _special_id(tokenizer, "[CLS]"), _special_id(tokenizer, "[SEP]")
    token_ids = pack_batch(tokenizer, texts, sequence_length)
    length = mask_selection_length or math.ceil(mask_selection_rate * sequence_length) + 2
    masker = keras_hub.layers.MaskedLMMaskGenerator(
        vocabulary_size=tokenizer.vocabulary_size(), mask_selection_rate=mask_selection_rate,
        mask_token_id=mask_id, mask_selection_length=length,
        unselectable_token_ids=[0, cls, sep], mask_token_rate=mask_token_rate,
        random_token_rate=random_token_rate)
    out = masker(token_ids)
    x = {"token_ids": np.asarray(out["token_ids"], dtype="int32"),
         "mask_positions": np.asarray(out["mask_positions"], dtype="int32")}
    return x, np.asarray(out["mask_ids"], dtype="int32"), np.asarray(out["mask_weights"],
                                                                       dtype="float32")


def mask_statistics(original_ids: Any, x: dict[str, Any], sample_weight: Any,
                    mask_token_id: int, special_ids: tuple[int, ...] = (0,)) -> dict[str, float]:
    """What the masking did: selection rate and the 80/10/10 split, measured.

    Args:
        original_ids: ``(n, L)`` token ids before masking.
        x: the ``x`` of :func:`masked_lm_dataset` (masked ``token_ids``, ``mask_positions``).
        sample_weight: its weights (1 = real selection).
        mask_token_id: id of ``[MASK]``.
        special_ids: ids that can never be selected (padding, ``[CLS]``, ``[SEP]``).

    Returns:
        ``selected`` (share of real tokens selected), ``mask`` / ``random`` / ``unchanged``
        (shares of the selected tokens), ``n_selected``. A random replacement that happens
        to draw the original token counts as unchanged.
    """
    import numpy as np

    original = np.asarray(original_ids)
    masked = np.asarray(x["token_ids"])
    positions = np.asarray(x["mask_positions"])
    weights = np.asarray(sample_weight) > 0
    rows = np.repeat(np.arange(original.shape[0])[:, None], positions.shape[1], axis=1)
    before = original[rows, positions][weights]
    after = masked[rows, positions][weights]
    eligible = int((~np.isin(original, special_ids)).sum())
    n = int(weights.sum())
    if n == 0:
        return {"selected": 0.0, "mask": 0.0, "random": 0.0, "unchanged": 0.0, "n_selected": 0}
    is_mask = after == mask_token_id
    unchanged = after == before
    return {"selected": n / max(eligible, 1), "mask": float(is_mask.mean()),
            "random": float((~is_mask & ~unchanged).mean()),
            "unchanged": float((unchanged & ~is_mask).mean()), "n_selected": n}


def tiny_masked_lm(vocabulary_size: int, sequence_length: int,
                   mask_selection_length: int | None = None,
                   embedding_dim: int = 64, num_heads: int = 4, intermediate_dim: int = 128,
                   num_layers: int = 2, dropout: float = 0.1, mask_selection_rate: float = 0.15,
                   name: str = "tiny_masked_lm") -> Any:
    """A small BERT-style masked LM to train from scratch (compiled, Adam, tied output embedding).

    ``TokenAndPositionEmbedding`` → ``num_layers × TransformerEncoder`` → ``MaskedLMHead``
    (a dense + layer-norm, then the token embedding used backwards to score every
    vocabulary entry; softmax).

    Args:
        vocabulary_size: tokenizer vocabulary size.
        sequence_length: tokens per input.
        mask_selection_length: positions predicted per input (as in :func:`masked_lm_dataset`).
        embedding_dim: width of the token vectors.
        num_heads: attention heads per layer.
        intermediate_dim: width of each feed-forward block.
        num_layers: encoder layers.
        dropout: dropout inside the encoder.
        mask_selection_rate: used for the default ``mask_selection_length``.
        name: model name.

    Returns:
        A compiled ``keras.Model`` with inputs ``{"token_ids", "mask_positions"}`` and output
        ``(batch, positions, vocabulary_size)`` probabilities.

    Example:
        >>> model = tiny_masked_lm(2000, 24)  # doctest: +SKIP
        >>> model.summary()                   # doctest: +SKIP
    """
    import math

    import keras
    import keras_hub

    length = mask_selection_length or math.ceil(mask_selection_rate * sequence_length) + 2
    token_ids = keras.Input((sequence_length,), dtype="int32", name="token_ids")
    positions = keras.Input((length,), dtype="int32", name="mask_positions")
    embedding = keras_hub.layers.TokenAndPositionEmbedding(
        vocabulary_size, sequence_length, embedding_dim, name="embedding")
    # An explicit padding mask (not mask_zero): Keras' implicit masks would warn at
    # the position embedding and the head, which do not use them.
    padding_mask = keras.ops.not_equal(token_ids, 0)
    x = embedding(token_ids)
    x = keras.layers.LayerNormalization(name="embedding_norm")(x)
    for i in range(num_layers):
        x = keras_hub.layers.TransformerEncoder(intermediate_dim, num_heads, dropout=dropout,
                                                name=f"encoder_{i}")(x, padding_mask=padding_mask)
    outputs = keras_hub.layers.MaskedLMHead(token_embedding=embedding.token_embedding,
                                            activation="softmax", name="mlm_head")(
        x, mask_positions=positions)
    model = keras.Model({"token_ids": token_ids, "mask_positions": positions}, outputs,
                        name=name)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  weighted_metrics=["sparse_categorical_accuracy"], jit_compile=False)
    return model


@dataclass(frozen=True)
class MaskedPrediction:
    """A model's top-k guesses for each ``[MASK]`` of a text.

    Attributes:
        text: the query.
        tokens: the packed input as tokens (``[CLS]``, pieces, ``[MASK]``, ``[SEP]``).
        mask_positions: index of each ``[MASK]`` in ``tokens``.
        candidates: per mask, ``k`` ``(token, probability)`` pairs, most likely first.
    """

    text: str
    tokens: list[str]
    mask_positions: list[int]
    candidates: list[list[tuple[str, float]]]

    def best(self) -> list[str]:
        """The most likely token at each mask."""
        return [c[0][0] for c in self.candidates]

    def filled(self) -> str:
        """The text with each ``[MASK]`` replaced by the best guess."""
        out = self.text
        for word in self.best():
            out = out.replace(MASK, word.removeprefix("##"), 1)
        return out


def _input_names(model: Any) -> list[str]:
    spec = getattr(model, "input", None)
    if isinstance(spec, dict):
        return list(spec)
    names = [getattr(t, "name", "") for t in (getattr(model, "inputs", None) or [])]
    return [n.split(":")[0] for n in names]


def _input_length(model: Any, name: str) -> int | None:
    spec = getattr(model, "input", None)
    tensor = spec.get(name) if isinstance(spec, dict) else None
    if tensor is None:
        return None
    return tensor.shape[1]


def predict_masked(model: Any, tokenizer: Any, text: str, k: int = 5,
                   sequence_length: int | None = None) -> MaskedPrediction:
    """Top-``k`` tokens with probabilities at every ``[MASK]`` of ``text``.

    Works with any Keras model taking ``token_ids`` and ``mask_positions`` (plus
    ``padding_mask``/``segment_ids`` if it asks for them) and returning scores over
    the vocabulary at those positions: :func:`tiny_masked_lm`, or a
    ``keras_hub.models.BertMaskedLM(backbone, preprocessor=None)``. Logits are turned into
    probabilities with a softmax; probabilities are used as they are.

    Args:
        model: the masked LM.
        tokenizer: its tokenizer.
        text: a sentence containing ``[MASK]`` one or more times.
        k: candidates per mask.
        sequence_length: pad to this length (default: the model's input length, or the
            text's own).

    Returns:
        A :class:`MaskedPrediction`.

    Raises:
        NoMaskError: ``text`` has no ``[MASK]``.
        BertError: ``k < 1``, or more masks / tokens than the model takes.

    Example:
        >>> predict_masked(model, tokenizer, "he [MASK] to school .").best()  # doctest: +SKIP
        ['went']
    """
    import numpy as np

    if not isinstance(text, str) or MASK not in text:
        raise NoMaskError(
            f"Expected a text with at least one {MASK}. Received: {text!r:.80}.",
            hint=f"write {MASK} where the model should guess a word, e.g. "
                 f"'the cat sat on the {MASK} .'",
        )
    if not isinstance(k, int) or k < 1:
        raise BertError(f"Expected k >= 1. Received: k={k!r}.", hint="e.g. k=5.")
    names = _input_names(model)
    length = sequence_length or _input_length(model, "token_ids")
    ids = pack(tokenizer, text, length)
    mask_id = _special_id(tokenizer, MASK)
    where = [i for i, t in enumerate(ids) if t == mask_id]
    slots = _input_length(model, "mask_positions") or len(where)
    if len(where) > slots:
        raise BertError(
            f"Expected at most {slots} {MASK} tokens (the model's mask_positions). Received: "
            f"{len(where)}.",
            hint="mask fewer words at a time.",
        )
    token_ids = np.array([ids], dtype="int32")
    feed = {"token_ids": token_ids,
            "mask_positions": np.array([where + [0] * (slots - len(where))], dtype="int32"),
            "padding_mask": (token_ids != 0).astype("int32"),
            "segment_ids": np.zeros_like(token_ids)}
    if names:
        feed = {name: value for name, value in feed.items() if name in names}
    scores = np.asarray(model(feed, training=False), dtype="float64")[0, : len(where)]
    if scores.min() < 0 or not np.allclose(scores.sum(axis=-1), 1.0, atol=1e-3):
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
    candidates = []
    for row in scores:
        top = np.argsort(-row, kind="stable")[:k]
        candidates.append([(tokenizer.id_to_token(int(i)), float(row[i])) for i in top])
    shown = [tokenizer.id_to_token(t) for t in ids if t != 0 or not length]
    return MaskedPrediction(text, shown, where, candidates)
