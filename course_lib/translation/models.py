"""Translator models, the :class:`Translator` bundle, training, and save/load in the course cache.

Two architectures, both mapping ``[source_ids, target_prefix]`` to next-word
probabilities ``(batch, prefix_length, target_vocab)`` so the same decoding
code (:mod:`course_lib.translation.decoding`) serves both:

* :func:`lstm_translator`: an LSTM encoder whose final state starts an LSTM
  decoder (optionally with a cross-attention layer, notebook 16);
* :func:`transformer_translator`: keras-hub ``TokenAndPositionEmbedding`` +
  ``TransformerEncoder`` / ``TransformerDecoder`` layers with explicit padding
  masks (the decoder adds the causal mask itself).

Weights are saved with their vocabularies and config under
``course_lib.config.cache_dir() / "models"`` — never in the repository.

Example:
    >>> translator, history = train_translator("transformer", fast=True)  # doctest: +SKIP
    >>> translator.translate("hello world", beam_width=4).text  # doctest: +SKIP
    'salut le monde'
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_lib.translation.data import (
    TranslationData,
    clean_sentence,
    label_weights,
    prepare_translation_data,
)
from course_lib.translation.decoding import Decoding, beam_search, next_token_probabilities
from course_lib.translation.errors import (
    EmptySentenceError,
    TranslationError,
    UnknownWordsError,
)

__all__ = [
    "FAST_SETTINGS",
    "FULL_SETTINGS",
    "Translator",
    "lecture_translator",
    "load_translator",
    "lstm_translator",
    "padding_difference",
    "save_translator",
    "train_translator",
    "transformer_translator",
    "translator_dir",
]

KINDS = ("lstm", "transformer")

# Data and model sizes of the saved translators. Fast: CI and first start; full: the lecture.
FAST_SETTINGS: dict[str, Any] = {
    "max_words": 5, "max_pairs": 4000, "source_tokens": 2000, "target_tokens": 2500,
    "embed_dim": 64, "units": 128, "heads": 2, "intermediate_dim": 128, "layers": 1,
    "epochs": 10, "batch_size": 64, "learning_rate": 2e-3,
}
FULL_SETTINGS: dict[str, Any] = {
    "max_words": 8, "max_pairs": 60000, "source_tokens": 8000, "target_tokens": 12000,
    "embed_dim": 128, "units": 256, "heads": 4, "intermediate_dim": 256, "layers": 2,
    "epochs": 12, "batch_size": 64, "learning_rate": 1e-3,
}


def lstm_translator(source_vocab_size: int, target_vocab_size: int, embed_dim: int = 128,
                    units: int = 256, attention: bool = False, dropout: float = 0.2,
                    name: str = "lstm_translator") -> Any:
    """An LSTM encoder–decoder for teacher forcing.

    The encoder reads the source and hands its final ``(h, c)`` state to the
    decoder, which reads the target prefix. With ``attention=True`` each decoder
    output also attends over all encoder outputs (``MultiHeadAttention`` named
    ``"cross_attention"``, one head) before the softmax, so the decoder is not
    limited to the fixed-size state.

    Args:
        source_vocab_size: English vocabulary size (padding and ``[UNK]`` included).
        target_vocab_size: French vocabulary size.
        embed_dim: embedding size.
        units: LSTM units.
        attention: add cross-attention over the encoder outputs.
        dropout: before the output layer.
        name: model name.

    Returns:
        An uncompiled functional ``keras.Model``: ``[source, target_prefix]`` →
        ``(batch, prefix_length, target_vocab_size)`` probabilities.
    """
    import keras

    source = keras.Input(shape=(None,), dtype="int32", name="source")
    prefix = keras.Input(shape=(None,), dtype="int32", name="target_prefix")
    x = keras.layers.Embedding(source_vocab_size, embed_dim, mask_zero=True,
                               name="source_embedding")(source)
    encoded, h, c = keras.layers.LSTM(units, return_sequences=True, return_state=True,
                                      name="encoder")(x)
    y = keras.layers.Embedding(target_vocab_size, embed_dim, mask_zero=True,
                               name="target_embedding")(prefix)
    decoded = keras.layers.LSTM(units, return_sequences=True, name="decoder")(
        y, initial_state=[h, c])
    if attention:
        context = keras.layers.MultiHeadAttention(num_heads=1, key_dim=units,
                                                  name="cross_attention")(decoded, encoded)
        decoded = keras.layers.Concatenate(name="with_context")([decoded, context])
    decoded = keras.layers.Dropout(dropout, name="dropout")(decoded)
    out = keras.layers.Dense(target_vocab_size, activation="softmax", name="next_word")(decoded)
    return keras.Model([source, prefix], out, name=name)


def transformer_translator(source_vocab_size: int, target_vocab_size: int,
                           source_length: int, target_length: int, embed_dim: int = 128,
                           heads: int = 4, intermediate_dim: int = 256, layers: int = 2,
                           dropout: float = 0.1, padding_masks: bool = True,
                           name: str = "transformer_translator") -> Any:
    """A Transformer encoder–decoder from keras-hub layers.

    Masks: the encoder's self-attention and the decoder's cross-attention get the
    **source padding mask** (``source != 0``), the decoder's self-attention gets
    the target padding mask and, inside ``TransformerDecoder``, the causal mask.
    ``padding_masks=False`` builds the classic bug (no padding masks anywhere) for
    comparison: its outputs change when the source is padded.

    Args:
        source_vocab_size: English vocabulary size.
        target_vocab_size: French vocabulary size.
        source_length: longest source (position embeddings).
        target_length: longest target prefix.
        embed_dim: model width.
        heads: attention heads per layer.
        intermediate_dim: feed-forward width.
        layers: encoder layers (and as many decoder layers).
        dropout: dropout rate inside the layers.
        padding_masks: pass padding masks (keep ``True``).
        name: model name.

    Returns:
        An uncompiled functional ``keras.Model``: ``[source, target_prefix]`` →
        ``(batch, prefix_length, target_vocab_size)`` probabilities. Layers are
        named ``source_embedding``, ``encoder_0``…, ``target_embedding``,
        ``decoder_0``…, ``next_word`` (the attention tools rely on these names).
    """
    import keras
    import keras_hub

    source = keras.Input(shape=(None,), dtype="int32", name="source")
    prefix = keras.Input(shape=(None,), dtype="int32", name="target_prefix")
    x = keras_hub.layers.TokenAndPositionEmbedding(
        source_vocab_size, source_length, embed_dim, name="source_embedding")(source)
    source_mask = keras.ops.not_equal(source, 0) if padding_masks else None
    for i in range(layers):
        x = keras_hub.layers.TransformerEncoder(intermediate_dim, heads, dropout=dropout,
                                                name=f"encoder_{i}")(
            x, padding_mask=source_mask)
    y = keras_hub.layers.TokenAndPositionEmbedding(
        target_vocab_size, target_length, embed_dim, name="target_embedding")(prefix)
    target_mask = keras.ops.not_equal(prefix, 0) if padding_masks else None
    for i in range(layers):
        y = keras_hub.layers.TransformerDecoder(intermediate_dim, heads, dropout=dropout,
                                                name=f"decoder_{i}")(
            y, x, decoder_padding_mask=target_mask, encoder_padding_mask=source_mask)
    y = keras.layers.Dropout(dropout, name="dropout")(y)
    out = keras.layers.Dense(target_vocab_size, activation="softmax", name="next_word")(y)
    return keras.Model([source, prefix], out, name=name)


def padding_difference(model: Any, source_ids: Any, prefix_ids: Any, extra: int = 4) -> float:
    """How much the decoder output changes when ``extra`` padding ids are appended to the source.

    A correctly masked translator gives (numerically) the same probabilities
    for ``"hello world"`` and ``"hello world <pad> <pad> ..."``.

    Args:
        model: maps ``[source_ids, target_prefix]`` to probabilities.
        source_ids: ``(batch, length)`` ids without trailing padding.
        prefix_ids: ``(batch, prefix_length)`` target prefix.
        extra: padding positions to add.

    Returns:
        The largest absolute difference of the output probabilities.

    Example:
        >>> padding_difference(model, src[:4, :3], tgt_in[:4, :5]) < 1e-5  # doctest: +SKIP
        True
    """
    import keras
    import numpy as np

    source_ids = np.asarray(source_ids, dtype="int32")
    prefix_ids = np.asarray(prefix_ids, dtype="int32")
    padded = np.pad(source_ids, ((0, 0), (0, extra)))
    a = keras.ops.convert_to_numpy(model([source_ids, prefix_ids], training=False))
    b = keras.ops.convert_to_numpy(model([padded, prefix_ids], training=False))
    return float(np.max(np.abs(a - b)))


@dataclass
class Translator:
    """A trained model with its vocabularies: sentence in, :class:`Decoding` out.

    Attributes:
        model: ``[source_ids, target_prefix]`` → next-word probabilities.
        source_vocabulary: the English vectorizer's ``get_vocabulary()``.
        target_vocabulary: the French vectorizer's ``get_vocabulary()``.
        source_length: longest source the model was trained on (longer input is cut).
        target_length: most decoding steps.
        config: how it was built and trained (kind, sizes, scores).
    """

    model: Any
    source_vocabulary: list[str]
    target_vocabulary: list[str]
    source_length: int
    target_length: int
    config: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._source_index = {w: i for i, w in enumerate(self.source_vocabulary)}

    def encode(self, sentence: str) -> tuple[list[int], list[str]]:
        """Source ids and tokens of one English sentence (same mapping as the vectorizer).

        Raises:
            EmptySentenceError: nothing left after cleaning.
            UnknownWordsError: every word is outside the vocabulary.
        """
        cleaned = clean_sentence(sentence)
        tokens = cleaned.split()[: self.source_length]
        if not tokens:
            raise EmptySentenceError(
                f"Expected an English sentence with at least one word. Received: {sentence!r}.",
                hint="type a short sentence, e.g. 'I am hungry.'",
            )
        ids = [self._source_index.get(t, 1) for t in tokens]
        if all(i == 1 for i in ids):
            raise UnknownWordsError(
                f"Expected at least one word the translator knows. Received: {sentence!r} "
                f"(all of {tokens} are outside its {len(self.source_vocabulary):,}-word "
                "English vocabulary).",
                hint="use common words from short everyday sentences, e.g. 'we are happy'.",
            )
        return ids, tokens

    def translate(self, sentence: str, beam_width: int = 1, top_k: int = 5,
                  length_penalty: float = 0.0) -> Decoding:
        """Translate one sentence, keeping every step's top-k candidates.

        Args:
            sentence: English text.
            beam_width: 1 for greedy decoding.
            top_k: candidates recorded per step.
            length_penalty: see :func:`~course_lib.translation.decoding.beam_search`.

        Returns:
            :class:`~course_lib.translation.decoding.Decoding`.

        Raises:
            EmptySentenceError, UnknownWordsError, BeamWidthError.
        """
        ids, tokens = self.encode(sentence)
        return beam_search(self.model, ids, self.target_vocabulary, beam_width=beam_width,
                           max_length=self.target_length, top_k=top_k,
                           length_penalty=length_penalty, source_tokens=tokens)

    def translate_many(self, sentences: Sequence[str], batch_size: int = 256) -> list[str]:
        """Greedy translations of many sentences, batched (for BLEU on a test split).

        Unknown-only or empty sentences translate to ``""`` rather than raising.
        """
        import numpy as np

        from course_lib.translation.data import END, START

        start, end = self.target_vocabulary.index(START), self.target_vocabulary.index(END)
        results: list[str] = []
        for first in range(0, len(sentences), batch_size):
            chunk = [clean_sentence(s).split()[: self.source_length]
                     for s in sentences[first:first + batch_size]]
            width = max(1, max(len(c) for c in chunk))
            source = np.zeros((len(chunk), width), dtype="int32")
            for row, words in enumerate(chunk):
                source[row, :len(words)] = [self._source_index.get(w, 1) for w in words]
            prefix = np.full((len(chunk), 1), start, dtype="int32")
            done = np.zeros(len(chunk), dtype=bool)
            for _ in range(self.target_length):
                probs = next_token_probabilities(self.model, source, prefix)
                token = np.where(done, 0, probs.argmax(axis=1)).astype("int32")
                done |= token == end
                prefix = np.concatenate([prefix, token[:, None]], axis=1)
                if done.all():
                    break
            for row in prefix[:, 1:]:
                words = []
                for t in row:
                    if t in (end, 0):
                        break
                    words.append(self.target_vocabulary[t])
                results.append(" ".join(words))
        return results


def translator_dir(kind: str = "transformer", fast: bool = False) -> Path:
    """Where :func:`save_translator` keeps a translator.

    ``cache_dir()/models/translator_<kind>`` (``_fast`` appended for the fast settings).
    """
    from course_lib.config import cache_dir

    _check_kind(kind)
    return cache_dir() / "models" / f"translator_{kind}{'_fast' if fast else ''}"


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise TranslationError(
            f"Expected kind in {KINDS}. Received: kind={kind!r}.",
            hint="train_translator('transformer') or train_translator('lstm').",
        )


def _build(kind: str, settings: dict[str, Any], source_vocab: int, target_vocab: int,
           source_length: int, target_length: int) -> Any:
    if kind == "lstm":
        return lstm_translator(source_vocab, target_vocab, settings["embed_dim"],
                               settings["units"], attention=bool(settings.get("attention")))
    return transformer_translator(source_vocab, target_vocab, source_length, target_length,
                                  settings["embed_dim"], settings["heads"],
                                  settings["intermediate_dim"], settings["layers"])


def train_translator(kind: str = "transformer", fast: bool = False,
                     settings: dict[str, Any] | None = None, pairs: Any = None,
                     data: TranslationData | None = None, verbose: int = 0,
                     evaluate: bool = True) -> tuple[Translator, Any]:
    """Prepare the data, build, compile and fit a translator; score it on the test pairs.

    Args:
        kind: ``"transformer"`` or ``"lstm"`` (``settings={"attention": True}``: with
            cross-attention).
        fast: use :data:`FAST_SETTINGS` (seconds on 2 cores) instead of :data:`FULL_SETTINGS`.
        settings: overrides of the chosen settings (e.g. ``{"epochs": 3}``).
        pairs: raw pairs (default :func:`course_lib.data.load_fra_eng`).
        data: already prepared data (then ``pairs`` and the data settings are ignored).
        verbose: Keras ``fit`` verbosity.
        evaluate: compute BLEU/chrF on the test pairs into ``translator.config["scores"]``.

    Returns:
        ``(translator, history)`` with the Keras ``History``.
    """
    import keras

    from course_lib.config import seed_everything

    _check_kind(kind)
    chosen = dict(FAST_SETTINGS if fast else FULL_SETTINGS)
    chosen.update(settings or {})
    seed_everything()
    if data is None:
        if pairs is None:
            from course_lib.data import load_fra_eng

            pairs = load_fra_eng()
        data = prepare_translation_data(pairs, chosen["max_words"], chosen["max_pairs"],
                                        chosen["source_tokens"], chosen["target_tokens"])
    model = _build(kind, chosen, len(data.source_vocabulary), len(data.target_vocabulary),
                   data.source_length, data.target_length)
    model.compile(optimizer=keras.optimizers.Adam(chosen["learning_rate"]),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    (source, decoder_inputs), labels = data.arrays("train")
    (val_source, val_inputs), val_labels = data.arrays("val")
    callbacks = [keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)]
    started = time.process_time(), time.perf_counter()
    history = model.fit([source, decoder_inputs], labels, sample_weight=label_weights(labels),
                        validation_data=([val_source, val_inputs], val_labels,
                                         label_weights(val_labels)),
                        epochs=chosen["epochs"], batch_size=chosen["batch_size"],
                        verbose=verbose, callbacks=callbacks)
    epochs = len(history.history["loss"])
    config = {
        "kind": kind, "fast": fast, "settings": chosen, "epochs_run": epochs,
        "train_pairs": len(data.split.train), "parameters": int(model.count_params()),
        "cpu_s_per_epoch": (time.process_time() - started[0]) / epochs,
        "wall_s_per_epoch": (time.perf_counter() - started[1]) / epochs,
        "val_loss": float(min(history.history["val_loss"])),
    }
    translator = Translator(model, data.source_vocabulary, data.target_vocabulary,
                            data.source_length, data.target_length, config)
    if evaluate:
        from course_lib.translation.scores import corpus_scores

        test = data.split.test
        hypotheses = translator.translate_many([e for e, _ in test])
        config["scores"] = corpus_scores(hypotheses, [f for _, f in test])
        config["test_pairs"] = len(test)
    return translator, history


def save_translator(translator: Translator, directory: str | Path | None = None) -> Path:
    """Write weights, vocabularies and config to ``directory`` (default :func:`translator_dir`).

    Returns:
        The directory.
    """
    config = translator.config
    kind = config.get("kind", "transformer")
    path = Path(directory) if directory is not None else translator_dir(
        kind, bool(config.get("fast")))
    path.mkdir(parents=True, exist_ok=True)
    translator.model.save_weights(path / "model.weights.h5")
    meta = {"config": config, "source_length": translator.source_length,
            "target_length": translator.target_length,
            "source_vocabulary": translator.source_vocabulary,
            "target_vocabulary": translator.target_vocabulary}
    (path / "translator.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return path


def load_translator(kind: str = "transformer", fast: bool = False,
                    directory: str | Path | None = None) -> Translator:
    """Rebuild a translator saved by :func:`save_translator` (or ``scripts/train_translator.py``).

    Raises:
        TranslationError: nothing saved there yet (the message says the command to run).
    """
    path = Path(directory) if directory is not None else translator_dir(kind, fast)
    meta_file = path / "translator.json"
    if not meta_file.is_file():
        flag = " --fast" if fast else ""
        raise TranslationError(
            f"Expected a saved translator in {path}. Received: no translator.json there.",
            hint=f"run `python scripts/train_translator.py --kind {kind}{flag}` first.",
        )
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    config = meta["config"]
    model = _build(config["kind"], config["settings"], len(meta["source_vocabulary"]),
                   len(meta["target_vocabulary"]), meta["source_length"], meta["target_length"])
    model.load_weights(path / "model.weights.h5")
    return Translator(model, meta["source_vocabulary"], meta["target_vocabulary"],
                      meta["source_length"], meta["target_length"], config)


def lecture_translator(kind: str = "transformer") -> tuple[Translator, str]:
    """The translator the lecture dashboard shows, and a sentence saying where it came from.

    Loads the full translator saved by ``scripts/train_translator.py``; without it, the
    fast one; without that, trains the fast one now (about a minute on 2 cores) with
    :func:`train_translator` — the same function the script runs — and saves it.

    Returns:
        ``(translator, message)``.

    Example:
        >>> translator, message = lecture_translator()  # doctest: +SKIP
    """
    for fast in (False, True):
        try:
            translator = load_translator(kind, fast=fast)
        except TranslationError:
            continue
        scores = translator.config.get("scores", {})
        size = "fast-mode (tiny)" if fast else "full"
        return translator, (
            f"Loaded the {size} {kind} translator from {translator_dir(kind, fast)}: "
            f"{translator.config.get('train_pairs', 0):,} training pairs, test BLEU "
            f"{scores.get('bleu', float('nan')):.1f}, chrF {scores.get('chrf', float('nan')):.1f}.")
    translator, _ = train_translator(kind, fast=True)
    path = save_translator(translator)
    return translator, (
        f"No saved translator found, so the tiny fast-mode {kind} translator was trained just "
        f"now and saved to {path} (run `python scripts/train_translator.py` for the full one).")
