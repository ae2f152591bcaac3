"""Text to numbers in NumPy: the steps of ``keras.layers.TextVectorization``, written out.

Every function here is pure (no TensorFlow) so a notebook can show each step and
a test can compare it with Keras and scikit-learn:

* :func:`standardize` and :func:`tokenize` follow TextVectorization's defaults
  (``standardize="lower_and_strip_punctuation"``, ``split="whitespace"``,
  ``ngrams``);
* :func:`build_vocabulary` orders tokens as Keras does (most frequent first,
  ties by the token in reverse order) with ``""`` (padding) and ``"[UNK]"``
  (out of vocabulary) in front;
* :func:`one_hot_rows`, :func:`multi_hot`, :func:`count_vectors` and
  :func:`tf_idf_vectors` make the vectors of the ``output_mode`` s;
* :func:`idf_weights` has three variants — the lecture's ``log N / N_w``, Keras'
  and scikit-learn's — and :func:`term_frequency` the lecture's
  ``#(w, D) / max_v #(v, D)``;
* :func:`hash_tokens` and :func:`collision_rate` are the hashing trick;
* :func:`to_sequences` and :func:`pad_sequences` make padded integer sequences.

The TF-IDF variants (``N`` documents, ``N_w`` of them contain ``w``):

==============  ==========================  ===============================================
variant         tf                          idf
==============  ==========================  ===============================================
``"course"``    count / largest count in D  :math:`\\log(N / N_w)`
``"keras"``     count                       :math:`\\log(1 + N / (1 + N_w))`; ``[UNK]``
                                            gets the mean idf of the vocabulary
``"sklearn"``   count                       :math:`\\ln((1 + N) / (1 + N_w)) + 1`, then
                                            each row scaled to unit length (L2)
==============  ==========================  ===============================================

Example:
    >>> vocab = build_vocabulary(["the cat sat", "the dog"])
    >>> vocab
    ['', '[UNK]', 'the', 'sat', 'dog', 'cat']
    >>> to_sequences(["The cat!"], vocab, max_length=4).tolist()
    [[2, 5, 0, 0]]
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from course_lib.errors import TextError

__all__ = [
    "MASK_TOKEN",
    "OOV_TOKEN",
    "STRIP_PUNCTUATION",
    "build_vocabulary",
    "collision_rate",
    "count_vectors",
    "document_frequencies",
    "expected_collision_rate",
    "hash_tokens",
    "idf_weights",
    "lookup",
    "make_ngrams",
    "multi_hot",
    "one_hot_rows",
    "pad_sequences",
    "standardize",
    "term_frequency",
    "tf_idf_vectors",
    "to_sequences",
    "tokenize",
]

MASK_TOKEN = ""
OOV_TOKEN = "[UNK]"
#: The characters Keras' ``lower_and_strip_punctuation`` removes (its DEFAULT_STRIP_REGEX).
STRIP_PUNCTUATION = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'
_STRIP = re.compile(STRIP_PUNCTUATION)
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation", None)
_SPLIT = ("whitespace", "character", None)
_IDF_KINDS = ("course", "keras", "sklearn")


# ------------------------------------------------------------------ tokens
def _check_texts(texts: Any, what: str = "texts") -> list[str]:
    if isinstance(texts, str):
        raise TextError(
            f"Expected a list of texts for {what}. Received: one string {texts[:40]!r}.",
            hint=f"wrap it in a list: [{texts[:20]!r}].",
        )
    texts = list(texts)
    if not texts:
        raise TextError(
            f"Expected at least one text in {what}. Received: an empty list.",
            hint="check the data loading or the split that produced this list.",
        )
    bad = [t for t in texts if not isinstance(t, str)]
    if bad:
        raise TextError(
            f"Expected every entry of {what} to be a str. Received: {type(bad[0]).__name__} "
            f"{bad[0]!r}.",
            hint="decode bytes with .decode('utf-8') and turn numbers into str first.",
        )
    return texts


def standardize(text: str, mode: str | Callable[[str], str] | None = "lower_and_strip_punctuation"
                ) -> str:
    """Standardize one text as TextVectorization's ``standardize=`` does.

    Args:
        text: the text.
        mode: ``"lower_and_strip_punctuation"`` (Keras' default), ``"lower"``,
            ``"strip_punctuation"``, ``None`` (unchanged) or your own function.

    Returns:
        The standardized text.

    Raises:
        TextError: an unknown mode.

    Example:
        >>> standardize("Don't panic!")
        'dont panic'
    """
    if callable(mode):
        return mode(text)
    if mode not in _STANDARDIZE:
        raise TextError(f"Expected standardize in {_STANDARDIZE} or a function. Received: "
                        f"standardize={mode!r}.",
                        hint='use the default "lower_and_strip_punctuation".')
    if mode in ("lower_and_strip_punctuation", "lower"):
        text = text.lower()
    if mode in ("lower_and_strip_punctuation", "strip_punctuation"):
        text = _STRIP.sub("", text)
    return text


def make_ngrams(tokens: Sequence[str], ngrams: int | tuple[int, ...] | None,
                separator: str = " ") -> list[str]:
    """Token n-grams as TextVectorization makes them: all 1-grams, then 2-grams, ...

    Args:
        tokens: the tokens of one text.
        ngrams: ``None`` (tokens unchanged), ``n`` (every width 1..n) or a tuple of widths.
        separator: what joins the tokens of an n-gram (Keras: a space).

    Returns:
        The n-grams in Keras' order.

    Example:
        >>> make_ngrams(["a", "b", "c"], 2)
        ['a', 'b', 'c', 'a b', 'b c']
    """
    if ngrams is None:
        return list(tokens)
    widths = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else tuple(ngrams)
    if not widths or min(widths) < 1:
        raise TextError(f"Expected ngrams to be a positive int or tuple of them. Received: "
                        f"ngrams={ngrams!r}.", hint="ngrams=2 gives words and word pairs.")
    out: list[str] = []
    for n in widths:
        out.extend(separator.join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


def tokenize(text: str, standardize_mode: str | Callable[[str], str] | None =
             "lower_and_strip_punctuation", split: str | Callable[[str], list[str]] | None =
             "whitespace", ngrams: int | tuple[int, ...] | None = None) -> list[str]:
    """The tokens of one text: standardize, split, n-grams (TextVectorization's order).

    Args:
        text: one text.
        standardize_mode: as :func:`standardize`.
        split: ``"whitespace"`` (runs of spaces, tabs, newlines), ``"character"``
            (every character, spaces included, as Keras does), ``None`` (the whole
            text is one token) or your own function.
        ngrams: as :func:`make_ngrams`.

    Returns:
        The list of tokens.

    Raises:
        TextError: ``text`` is not a str, or an unknown mode.

    Example:
        >>> tokenize("The cat, the hat.")
        ['the', 'cat', 'the', 'hat']
    """
    if not isinstance(text, str):
        raise TextError(f"Expected one text (str). Received: {type(text).__name__} {text!r}.",
                        hint="for several texts, call tokenize on each of them.")
    text = standardize(text, standardize_mode)
    if callable(split):
        tokens = list(split(text))
    elif split == "whitespace":
        tokens = text.split()
    elif split == "character":
        tokens = list(text)
    elif split is None:
        tokens = [text]
    else:
        raise TextError(f"Expected split in {_SPLIT} or a function. Received: split={split!r}.",
                        hint='use split="whitespace" for words or "character" for characters.')
    return make_ngrams(tokens, ngrams)


def _tokenized(texts: Any, **options: Any) -> list[list[str]]:
    return [tokenize(t, **options) for t in _check_texts(texts)]


# -------------------------------------------------------------- vocabulary
def build_vocabulary(texts: Iterable[str], max_tokens: int | None = None, *, mask: bool = True,
                     strict: bool = True, **options: Any) -> list[str]:
    """The vocabulary TextVectorization's ``adapt`` builds, in the same order.

    Tokens are sorted by how often they occur in all texts (most frequent first);
    ties go to the token that sorts *last* (Keras' order). Index 0 is ``""``
    (padding, ``mask=True``, as in ``output_mode="int"``) and the next is
    ``"[UNK]"`` for every token not in the vocabulary; ``multi_hot``, ``count``
    and ``tf_idf`` have no padding entry (``mask=False``).

    Args:
        texts: the corpus.
        max_tokens: size of the vocabulary *including* the special entries
            (as in Keras); ``None`` keeps every token.
        mask: put ``""`` first (int sequences) or not (bag-of-words vectors).
        strict: raise when ``max_tokens`` is larger than the corpus can fill
            (Keras silently returns a smaller vocabulary).
        **options: ``standardize_mode``, ``split``, ``ngrams`` of :func:`tokenize`.

    Returns:
        The vocabulary: index → token.

    Raises:
        TextError: empty corpus, ``max_tokens`` too small for the special entries,
            or (``strict``) larger than the corpus.

    Example:
        >>> build_vocabulary(["b a b", "c"], mask=False)
        ['[UNK]', 'b', 'c', 'a']
    """
    docs = _tokenized(texts, **options)
    counts = Counter(token for doc in docs for token in doc)
    specials = [MASK_TOKEN, OOV_TOKEN] if mask else [OOV_TOKEN]
    ordered = sorted(counts, key=lambda t: (counts[t], t), reverse=True)
    if max_tokens is not None:
        if max_tokens <= len(specials):
            raise TextError(
                f"Expected max_tokens > {len(specials)} (the entries {specials} come first). "
                f"Received: max_tokens={max_tokens}.", hint="use e.g. max_tokens=10_000.")
        available = len(ordered) + len(specials)
        if strict and max_tokens > available:
            raise TextError(
                f"Expected max_tokens <= {available}: the corpus has only {len(ordered)} distinct "
                f"tokens (+ {len(specials)} special). Received: max_tokens={max_tokens}.",
                hint=f"use max_tokens=None (all tokens) or at most {available}, or strict=False "
                     "to accept a smaller vocabulary as Keras does.")
        ordered = ordered[:max_tokens - len(specials)]
    return specials + ordered


def _index(vocabulary: Sequence[str]) -> dict[str, int]:
    if not vocabulary or OOV_TOKEN not in vocabulary[:2]:
        raise TextError(
            f"Expected a vocabulary from build_vocabulary (starting with '' and/or '[UNK]'). "
            f"Received: {list(vocabulary[:3])!r}...",
            hint="build it with build_vocabulary(texts) or layer.get_vocabulary().")
    return {token: i for i, token in enumerate(vocabulary)}


def lookup(tokens: Sequence[str], vocabulary: Sequence[str]) -> np.ndarray:
    """Token → index; tokens not in the vocabulary get the index of ``"[UNK]"``.

    Example:
        >>> lookup(["cat", "zebra"], ["", "[UNK]", "cat"]).tolist()
        [2, 1]
    """
    index = _index(vocabulary)
    oov = index[OOV_TOKEN]
    return np.array([index.get(t, oov) for t in tokens], dtype=np.int64)


# ---------------------------------------------------------------- vectors
def one_hot_rows(indices: Sequence[int], vocab_size: int) -> np.ndarray:
    """One row per token, with a single 1 at its index: shape ``(len(indices), vocab_size)``.

    Example:
        >>> one_hot_rows([2, 0], 3).tolist()
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    indices = np.asarray(indices, dtype=np.int64)
    if indices.size and (indices.min() < 0 or indices.max() >= vocab_size):
        raise TextError(f"Expected indices in 0..{vocab_size - 1}. Received: {indices.tolist()}.",
                        hint="use the vocabulary size len(vocabulary) as vocab_size.")
    rows = np.zeros((len(indices), vocab_size), dtype=np.float32)
    rows[np.arange(len(indices)), indices] = 1.0
    return rows


def count_vectors(texts: Iterable[str], vocabulary: Sequence[str], **options: Any) -> np.ndarray:
    """How often each vocabulary entry occurs in each text (``output_mode="count"``).

    Padding ``""`` (if present) never counts; unknown tokens count at ``"[UNK]"``.

    Returns:
        float32 array of shape ``(len(texts), len(vocabulary))``.
    """
    docs = _tokenized(texts, **options)
    out = np.zeros((len(docs), len(vocabulary)), dtype=np.float32)
    for row, doc in enumerate(docs):
        np.add.at(out[row], lookup(doc, vocabulary), 1.0)
    return out


def multi_hot(texts: Iterable[str], vocabulary: Sequence[str], **options: Any) -> np.ndarray:
    """1 where a vocabulary entry occurs in a text, else 0 (``output_mode="multi_hot"``)."""
    return (count_vectors(texts, vocabulary, **options) > 0).astype(np.float32)


def document_frequencies(texts: Iterable[str], vocabulary: Sequence[str], **options: Any
                         ) -> np.ndarray:
    """``N_w``: in how many texts each vocabulary entry occurs (``[UNK]``: any unknown token)."""
    return multi_hot(texts, vocabulary, **options).sum(axis=0)


def term_frequency(counts: np.ndarray, kind: str = "max") -> np.ndarray:
    """Term frequency from counts, one row per document.

    Args:
        counts: ``(n_docs, vocab)`` counts from :func:`count_vectors`.
        kind: ``"max"``: :math:`\\#(w,D) / \\max_v \\#(v,D)` (the lecture's);
            ``"raw"``: the counts themselves (Keras and scikit-learn);
            ``"length"``: counts / number of tokens.

    Returns:
        float array of the same shape (an empty document stays all zeros).
    """
    counts = np.asarray(counts, dtype=np.float64)
    if kind == "raw":
        return counts
    if kind == "max":
        scale = counts.max(axis=1, keepdims=True)
    elif kind == "length":
        scale = counts.sum(axis=1, keepdims=True)
    else:
        raise TextError(f"Expected kind in ('max', 'raw', 'length'). Received: kind={kind!r}.",
                        hint='kind="max" is the formula of the lecture.')
    return np.divide(counts, scale, out=np.zeros_like(counts), where=scale > 0)


def idf_weights(texts: Iterable[str], vocabulary: Sequence[str], kind: str = "keras",
                **options: Any) -> np.ndarray:
    """Inverse document frequency of every vocabulary entry.

    Args:
        texts: the corpus the idf is learned from (the training texts).
        vocabulary: from :func:`build_vocabulary` (with or without ``""``).
        kind: ``"course"`` :math:`\\log(N/N_w)` (``inf`` for entries in no text),
            ``"keras"`` :math:`\\log(1 + N/(1+N_w))` with ``[UNK]`` set to the mean
            over the vocabulary, ``"sklearn"`` :math:`\\ln((1+N)/(1+N_w)) + 1`.
        **options: tokenizer options as in :func:`tokenize`.

    Returns:
        float64 array aligned with ``vocabulary`` (padding ``""`` gets 0).

    Raises:
        TextError: empty corpus or unknown kind.
    """
    texts = _check_texts(texts)
    if kind not in _IDF_KINDS:
        raise TextError(f"Expected kind in {_IDF_KINDS}. Received: kind={kind!r}.",
                        hint='"keras" matches TextVectorization(output_mode="tf_idf").')
    n = len(texts)
    df = document_frequencies(texts, vocabulary, **options).astype(np.float64)
    index = _index(vocabulary)
    oov = index[OOV_TOKEN]
    words = np.array([i for i in range(len(vocabulary)) if i != oov and vocabulary[i] != ""],
                     dtype=np.int64)
    if kind == "course":
        with np.errstate(divide="ignore"):
            idf = np.log(n / df)
    elif kind == "keras":
        idf = np.log1p(n / (1.0 + df))
        idf[oov] = idf[words].mean() if words.size else 0.0
    else:
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    if MASK_TOKEN in index:
        idf[index[MASK_TOKEN]] = 0.0
    return idf


def tf_idf_vectors(texts: Iterable[str], vocabulary: Sequence[str], idf: np.ndarray,
                   kind: str = "keras", **options: Any) -> np.ndarray:
    """TF-IDF vectors of ``texts`` with a learned ``idf`` (from :func:`idf_weights`).

    Args:
        kind: ``"keras"`` (raw counts × idf), ``"sklearn"`` (raw counts × idf,
            rows scaled to unit L2 norm) or ``"course"`` (max-normalized tf × idf;
            entries with infinite idf, i.e. in no training text, give 0).

    Returns:
        float32 array ``(len(texts), len(vocabulary))``.
    """
    counts = count_vectors(texts, vocabulary, **options)
    idf = np.asarray(idf, dtype=np.float64)
    if idf.shape != (len(vocabulary),):
        raise TextError(f"Expected idf of shape ({len(vocabulary)},) like the vocabulary. "
                        f"Received: {idf.shape}.",
                        hint="idf = idf_weights(train_texts, vocabulary).")
    if kind == "course":
        tf = term_frequency(counts, "max")
        finite = np.where(np.isfinite(idf), idf, 0.0)
        return (tf * finite).astype(np.float32)
    if kind not in ("keras", "sklearn"):
        raise TextError(f"Expected kind in {_IDF_KINDS}. Received: kind={kind!r}.",
                        hint='"keras" matches TextVectorization(output_mode="tf_idf").')
    out = counts * idf
    if kind == "sklearn":
        norm = np.linalg.norm(out, axis=1, keepdims=True)
        out = np.divide(out, norm, out=np.zeros_like(out), where=norm > 0)
    return out.astype(np.float32)


# ------------------------------------------------------------ hashing trick
def hash_tokens(tokens: Sequence[str], num_buckets: int, salt: str = "") -> np.ndarray:
    """Bucket of every token by hashing (the hashing trick, no vocabulary needed).

    BLAKE2b (8 bytes) is used because it is stable across runs and machines
    (Python's ``hash`` is salted per process) and behaves like a random function
    (CRC32 would spread similar words like ``word1, word2, ...`` too evenly).
    Keras' ``Hashing`` layer uses FarmHash instead, so its buckets differ, but the
    collision rate behaves the same.

    Raises:
        TextError: ``num_buckets < 1``.

    Example:
        >>> hash_tokens(["cat", "cat"], 8).tolist()[0] == hash_tokens(["cat"], 8).tolist()[0]
        True
    """
    if not isinstance(num_buckets, int | np.integer) or num_buckets < 1:
        raise TextError(f"Expected num_buckets to be a positive int. Received: "
                        f"num_buckets={num_buckets!r}.", hint="use e.g. num_buckets=2**12.")
    digests = (hashlib.blake2b((salt + t).encode("utf-8"), digest_size=8).digest()
               for t in tokens)
    return np.array([int.from_bytes(d, "little") % num_buckets for d in digests], dtype=np.int64)


def collision_rate(tokens: Sequence[str], buckets: Sequence[int]) -> float:
    """Fraction of distinct tokens that share their bucket with another distinct token.

    Args:
        tokens: the tokens (duplicates are counted once).
        buckets: the bucket of each token (same length).

    Returns:
        A number in [0, 1]; 0 means the hashing lost nothing.
    """
    if len(tokens) != len(buckets):
        raise TextError(f"Expected one bucket per token. Received: {len(tokens)} tokens, "
                        f"{len(buckets)} buckets.", hint="buckets = hash_tokens(tokens, m).")
    bucket_of = dict(zip(tokens, (int(b) for b in buckets), strict=True))
    if not bucket_of:
        return 0.0
    per_bucket = Counter(bucket_of.values())
    shared = sum(1 for b in bucket_of.values() if per_bucket[b] > 1)
    return shared / len(bucket_of)


def expected_collision_rate(n_tokens: int, num_buckets: int) -> float:
    """Expected :func:`collision_rate` for ``n_tokens`` random tokens: :math:`1-(1-1/m)^{n-1}`."""
    return 1.0 - (1.0 - 1.0 / num_buckets) ** max(n_tokens - 1, 0)


# ---------------------------------------------------------------- sequences
def pad_sequences(sequences: Sequence[Sequence[int]], max_length: int | None = None, *,
                  truncate: str | None = None, padding: str = "post", value: int = 0
                  ) -> np.ndarray:
    """Integer sequences padded to one length; truncating only when asked.

    Args:
        sequences: lists of token indices.
        max_length: the length of every row (``None``: the longest sequence).
        truncate: what to do with a longer sequence: ``None`` raises (so nothing is
            cut silently), ``"post"`` keeps the start (what TextVectorization's
            ``output_sequence_length`` does), ``"pre"`` keeps the end (the old
            ``pad_sequences`` default).
        padding: ``"post"`` (zeros after, as TextVectorization) or ``"pre"``.
        value: the padding index.

    Returns:
        int64 array ``(len(sequences), max_length)``.

    Raises:
        TextError: a sequence is longer than ``max_length`` and ``truncate`` is None,
            or a bad option.
    """
    if truncate not in (None, "pre", "post") or padding not in ("pre", "post"):
        raise TextError(f"Expected truncate in (None, 'pre', 'post') and padding in ('pre', "
                        f"'post'). Received: truncate={truncate!r}, padding={padding!r}.",
                        hint='truncate="post", padding="post" is what TextVectorization does.')
    sequences = [list(s) for s in sequences]
    longest = max((len(s) for s in sequences), default=0)
    length = longest if max_length is None else max_length
    if length < 1:
        raise TextError(f"Expected max_length >= 1. Received: max_length={max_length!r}.",
                        hint="use e.g. max_length=50.")
    if longest > length and truncate is None:
        which = next(i for i, s in enumerate(sequences) if len(s) > length)
        raise TextError(
            f"Expected sequences of at most max_length={length} tokens. Received: sequence "
            f"{which} with {len(sequences[which])} tokens (the longest has {longest}).",
            hint=f'pass truncate="post" to keep the first {length} tokens (as TextVectorization '
                 f'does), truncate="pre" to keep the last, or max_length={longest}.')
    out = np.full((len(sequences), length), value, dtype=np.int64)
    for row, seq in enumerate(sequences):
        seq = seq[:length] if truncate == "post" else seq[-length:]
        if padding == "post":
            out[row, :len(seq)] = seq
        else:
            out[row, length - len(seq):] = seq
    return out


def to_sequences(texts: Iterable[str], vocabulary: Sequence[str], max_length: int | None = None,
                 *, truncate: str | None = "post", **options: Any) -> np.ndarray:
    """Texts → padded integer sequences (``output_mode="int"``, ``output_sequence_length``).

    Args:
        texts: the texts.
        vocabulary: with ``""`` at index 0 (``build_vocabulary(..., mask=True)``).
        max_length: row length; ``None`` pads to the longest text.
        truncate: ``"post"`` (default, TextVectorization's behaviour), ``"pre"``,
            or ``None`` to raise on a text longer than ``max_length``.
        **options: tokenizer options as in :func:`tokenize`.

    Raises:
        TextError: see :func:`pad_sequences`; the vocabulary has no padding entry.
    """
    if not vocabulary or vocabulary[0] != MASK_TOKEN:
        raise TextError(f"Expected a vocabulary with '' (padding) at index 0. Received: "
                        f"{list(vocabulary[:3])!r}...",
                        hint="build it with build_vocabulary(texts, mask=True).")
    docs = _tokenized(texts, **options)
    return pad_sequences([lookup(d, vocabulary) for d in docs], max_length, truncate=truncate)
