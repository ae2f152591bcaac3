"""Greedy decoding and beam search that keep every step's candidates.

Works with any Keras model that maps ``[source_ids, target_prefix]`` to
next-token probabilities: an output shaped ``(batch, prefix_length, vocab)``
(a decoder trained with teacher forcing; the last position is read) or
``(batch, vocab)``. Each step records the top-k candidate words and their
probabilities, and which word was chosen, so a view can draw the whole search.

Drawing: :mod:`course_lib.views.decoding`.

Example:
    >>> result = beam_search(model, source_ids, target_vocabulary, beam_width=4)  # doctest: +SKIP
    >>> result.text, [s.chosen for s in result.steps]  # doctest: +SKIP
    ('salut le monde', ['salut', 'le', 'monde', '[end]'])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from course_lib.translation.data import END, START
from course_lib.translation.errors import (
    BeamWidthError,
    NotADistributionError,
    TranslationError,
    VocabularyError,
)

__all__ = [
    "DecodeStep",
    "Decoding",
    "Hypothesis",
    "beam_search",
    "greedy_decode",
    "next_token_probabilities",
]


@dataclass(frozen=True)
class DecodeStep:
    """One output position: the model's best candidates and the word that was kept.

    Attributes:
        position: 0 for the first word after ``[start]``.
        candidates: the ``top_k`` most probable words, most probable first.
        probabilities: their probabilities (same order).
        chosen: the word the decoder kept (for beam search not always ``candidates[0]``).
        chosen_probability: its probability.
    """

    position: int
    candidates: tuple[str, ...]
    probabilities: tuple[float, ...]
    chosen: str
    chosen_probability: float

    @property
    def chosen_rank(self) -> int | None:
        """0 if the chosen word was the most probable; ``None`` if outside the top-k."""
        return self.candidates.index(self.chosen) if self.chosen in self.candidates else None


@dataclass(frozen=True)
class Hypothesis:
    """One finished (or cut-off) output sequence of a search.

    Attributes:
        tokens: output words, ``[end]`` excluded.
        log_probability: sum of the natural logs of the chosen words' probabilities
            (``[end]`` included when it was produced).
        finished: whether the sequence ended with ``[end]`` (not cut at ``max_length``).
        steps: a :class:`DecodeStep` per output position.
    """

    tokens: tuple[str, ...]
    log_probability: float
    finished: bool
    steps: tuple[DecodeStep, ...]

    @property
    def probability(self) -> float:
        return math.exp(self.log_probability)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class Decoding:
    """The result of :func:`greedy_decode` or :func:`beam_search`.

    Attributes:
        method: ``"greedy"`` or ``"beam"``.
        beam_width: 1 for greedy.
        source_tokens: the source words the model read (``None`` if only ids were given).
        hypotheses: the final beam, best first (one for greedy).
        top_k: candidates kept per step.
    """

    method: str
    beam_width: int
    source_tokens: tuple[str, ...] | None
    hypotheses: tuple[Hypothesis, ...]
    top_k: int
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def best(self) -> Hypothesis:
        return self.hypotheses[0]

    @property
    def steps(self) -> tuple[DecodeStep, ...]:
        """The steps of the best hypothesis."""
        return self.best.steps

    @property
    def tokens(self) -> tuple[str, ...]:
        return self.best.tokens

    @property
    def text(self) -> str:
        return self.best.text

    @property
    def log_probability(self) -> float:
        return self.best.log_probability


def _check_positive(value: Any, name: str, hint: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BeamWidthError(
            f"Expected {name} to be an integer >= 1. Received: {name}={value!r}.",
            hint=hint,
        )
    return value


def _special_ids(vocabulary: Sequence[str]) -> tuple[int, int]:
    vocabulary = list(vocabulary)
    missing = [t for t in (START, END) if t not in vocabulary]
    if missing:
        raise VocabularyError(
            f"Expected the target vocabulary to contain {START!r} and {END!r}. Received: "
            f"a vocabulary of {len(vocabulary)} words without {missing} "
            f"(first words: {vocabulary[:6]}).",
            hint="adapt the target vectorizer on sentences wrapped by with_markers(), "
                 "e.g. '[start] salut le monde [end]'.",
        )
    return vocabulary.index(START), vocabulary.index(END)


def next_token_probabilities(model: Any, source_ids: Any, prefixes: Any) -> Any:
    """The model's distribution over the next word for each prefix.

    Args:
        model: maps ``[source_ids, prefixes]`` to ``(batch, length, vocab)`` or
            ``(batch, vocab)`` probabilities.
        source_ids: ``(batch, source_length)`` int array.
        prefixes: ``(batch, length)`` int array, starting with the ``[start]`` id.

    Returns:
        ``(batch, vocab)`` float64 array; each row sums to 1.

    Raises:
        NotADistributionError: negative values, NaN, or rows not summing to 1
            (e.g. a model that outputs logits).
    """
    import warnings

    import keras
    import numpy as np

    with warnings.catch_warnings():
        # a one-word prefix attends over one key: Keras warns that softmax(1 value) is 1
        warnings.filterwarnings("ignore", message="You are using a softmax over axis")
        out = model([np.asarray(source_ids, dtype="int32"),
                     np.asarray(prefixes, dtype="int32")], training=False)
    if isinstance(out, dict | list | tuple):
        raise NotADistributionError(
            f"Expected the model to return one tensor of probabilities. Received: "
            f"{type(out).__name__} of {len(out)} outputs.",
            hint="pass a model whose single output is the softmax over the target vocabulary.",
        )
    probs = np.asarray(keras.ops.convert_to_numpy(out), dtype="float64")
    if probs.ndim == 3:
        probs = probs[:, -1, :]
    if probs.ndim != 2 or probs.shape[0] != len(prefixes):
        raise NotADistributionError(
            f"Expected model output shaped (batch, length, vocab) or (batch, vocab). "
            f"Received: shape {probs.shape}.",
            hint="the model must map [source_ids, target_prefix] to next-word probabilities.",
        )
    sums = probs.sum(axis=1)
    if not np.all(np.isfinite(probs)) or probs.min() < -1e-6 or np.abs(sums - 1).max() > 1e-3:
        raise NotADistributionError(
            f"Expected a probability distribution (non-negative, rows summing to 1). "
            f"Received: values in [{np.nanmin(probs):.3g}, {np.nanmax(probs):.3g}], row sums "
            f"{np.round(sums[:3], 4).tolist()}.",
            hint="end the model with Dense(vocab_size, activation='softmax'), or wrap logits "
                 "in keras.layers.Softmax().",
        )
    return probs


def _top(probs: Any, vocabulary: Sequence[str], k: int) -> tuple[tuple[str, ...],
                                                                 tuple[float, ...]]:
    import numpy as np

    order = np.argsort(-probs, kind="stable")[:k]
    return tuple(vocabulary[i] for i in order), tuple(float(probs[i]) for i in order)


def _source_batch(source_ids: Any) -> Any:
    import numpy as np

    source = np.asarray(source_ids)
    if source.ndim == 1:
        source = source[None]
    if source.ndim != 2 or source.shape[0] != 1 or source.shape[1] == 0:
        raise TranslationError(
            f"Expected one source sentence as ids shaped (length,) or (1, length). "
            f"Received: shape {source.shape}.",
            hint="decode one sentence at a time, e.g. source_ids[0].",
        )
    return source.astype("int32")


def greedy_decode(model: Any, source_ids: Any, target_vocabulary: Sequence[str],
                  max_length: int = 20, top_k: int = 5, min_length: int = 1,
                  source_tokens: Sequence[str] | None = None) -> Decoding:
    """Translate by taking the most probable word at every step.

    The loop: start from ``[start]``; ask the model for the next word's
    distribution; append the argmax; stop at ``[end]`` or after ``max_length`` words.

    Args:
        model: maps ``[source_ids, target_prefix]`` to next-word probabilities.
        source_ids: one sentence's ids, ``(length,)`` or ``(1, length)``.
        target_vocabulary: the target vectorizer's ``get_vocabulary()``.
        max_length: most decoding steps (``[end]`` included); a translation cut
            there is marked ``finished=False``.
        top_k: candidates recorded per step.
        source_tokens: labels of the source words (kept for the views).

    Returns:
        :class:`Decoding` with one hypothesis.

    Raises:
        VocabularyError: no ``[start]``/``[end]`` in the vocabulary.
        BeamWidthError: ``max_length`` or ``top_k`` < 1.
        NotADistributionError: the model's output is not a distribution.

    Example:
        >>> greedy_decode(model, src[0], target_vocabulary).text  # doctest: +SKIP
        'salut le monde'
    """
    return beam_search(model, source_ids, target_vocabulary, beam_width=1,
                       max_length=max_length, top_k=top_k, min_length=min_length,
                       source_tokens=source_tokens)


def beam_search(model: Any, source_ids: Any, target_vocabulary: Sequence[str],
                beam_width: int = 4, max_length: int = 20, top_k: int = 5,
                length_penalty: float = 0.0, min_length: int = 1,
                source_tokens: Sequence[str] | None = None) -> Decoding:
    """Keep the ``beam_width`` most probable partial translations at every step.

    Each step extends every kept prefix by each of its ``beam_width`` most
    probable next words, and keeps the ``beam_width`` best of all these by total
    log-probability :math:`\\sum_t \\log p(y_t \\mid y_{<t}, x)`. A prefix that
    emits ``[end]`` is finished. The search stops when no open prefix can still
    beat the best finished one (log-probabilities only fall as words are added)
    or after ``max_length`` words. ``beam_width=1`` is greedy decoding.

    Args:
        model: maps ``[source_ids, target_prefix]`` to next-word probabilities.
        source_ids: one sentence's ids, ``(length,)`` or ``(1, length)``.
        target_vocabulary: the target vectorizer's ``get_vocabulary()``.
        beam_width: prefixes kept per step (>= 1).
        max_length: most decoding steps (``[end]`` included); a translation cut
            there is marked ``finished=False``.
        top_k: candidates recorded per step (for the views; independent of the beam).
        length_penalty: rank finished hypotheses by ``log p / length**length_penalty``
            (0: plain log-probability).
        min_length: ``[end]`` is not taken before this many words (1: no empty
            translation; 0 allows it).
        source_tokens: labels of the source words (kept for the views).

    Returns:
        :class:`Decoding`, hypotheses best first.

    Raises:
        VocabularyError: no ``[start]``/``[end]`` in the vocabulary.
        BeamWidthError: ``beam_width``, ``max_length`` or ``top_k`` < 1.
        NotADistributionError: the model's output is not a distribution.

    Example:
        >>> result = beam_search(model, src[0], target_vocabulary, beam_width=4)  # doctest: +SKIP
        >>> [round(s.chosen_probability, 2) for s in result.steps]  # doctest: +SKIP
        [0.65, 0.84, 0.98, 0.99]
    """
    import numpy as np

    _check_positive(beam_width, "beam_width", "use beam_width=1 for greedy decoding, "
                                              "or e.g. beam_width=4.")
    _check_positive(max_length, "max_length", "e.g. max_length=20 words.")
    _check_positive(top_k, "top_k", "e.g. top_k=5 candidates per step.")
    if isinstance(min_length, bool) or not isinstance(min_length, int) or min_length < 0:
        raise BeamWidthError(
            f"Expected min_length to be an integer >= 0. Received: min_length={min_length!r}.",
            hint="min_length=1 forbids the empty translation; 0 allows it.")
    vocabulary = [str(t) for t in target_vocabulary]
    start_id, end_id = _special_ids(vocabulary)
    source = _source_batch(source_ids)

    def score(h: tuple[list[int], float, list[DecodeStep], bool]) -> float:
        length = max(1, len(h[0]) - 1)
        return h[1] / (length ** length_penalty) if length_penalty else h[1]

    # an open hypothesis: (ids including [start], log p, steps)
    beams: list[tuple[list[int], float, list[DecodeStep]]] = [([start_id], 0.0, [])]
    finished: list[tuple[list[int], float, list[DecodeStep], bool]] = []
    calls = 0
    for position in range(max_length):
        prefixes = np.array([b[0] for b in beams], dtype="int32")
        probs = next_token_probabilities(model, np.repeat(source, len(beams), axis=0), prefixes)
        calls += 1
        expansions = []
        for (ids, logp, steps), row in zip(beams, probs, strict=True):
            names, values = _top(row, vocabulary, top_k)
            order = np.argsort(-row, kind="stable")
            if position < min_length:
                order = order[order != end_id]
            for token in order[:beam_width]:
                p = float(row[token])
                step = DecodeStep(position, names, values, vocabulary[token], p)
                expansions.append((ids + [int(token)], logp + math.log(max(p, 1e-300)),
                                   steps + [step]))
        expansions.sort(key=lambda e: -e[1])
        beams = []
        for rank, (ids, logp, steps) in enumerate(expansions):
            if ids[-1] == end_id:
                if rank < beam_width:  # [end] among the best: this translation is complete
                    finished.append((ids, logp, steps, True))
            elif len(beams) < beam_width:
                beams.append((ids, logp, steps))
        finished = sorted(finished, key=lambda f: -score(f))[:beam_width]
        if not beams:
            break
        if len(finished) >= beam_width and (
                length_penalty or beams[0][1] < finished[-1][1]):
            break  # log p only falls as words are added: no open prefix can enter the beam
    finished += [(ids, logp, steps, False) for ids, logp, steps in beams]
    ranked = sorted(finished, key=lambda f: (not f[3], -score(f)))[:beam_width]
    hypotheses = tuple(
        Hypothesis(tuple(vocabulary[i] for i in (ids[1:-1] if done else ids[1:])),
                   logp, done, tuple(steps))
        for ids, logp, steps, done in ranked)
    return Decoding("greedy" if beam_width == 1 else "beam", beam_width,
                    None if source_tokens is None else tuple(source_tokens),
                    hypotheses, top_k, extra={"model_calls": calls})
