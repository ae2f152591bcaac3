"""Embedding spaces: projections (PCA, t-SNE, UMAP), cosine neighbours, analogies.

Compute half of the embedding projector (drawing: :mod:`course_lib.views.projector`).
An :class:`EmbeddingSpace` holds ``n`` vectors with a text label each and an
optional class; build one from a Keras ``Embedding`` layer and its vocabulary
(:func:`from_embedding_layer`) or from any array (:func:`from_array`).

Example:
    >>> import numpy as np
    >>> from course_lib.models.projector import from_array, nearest_neighbors, analogy
    >>> space = from_array(np.eye(3), labels=["a", "b", "c"])
    >>> nearest_neighbors(space, "a", k=1)[0].label in {"b", "c"}
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_lib.errors import ConfigError, DataError, EmbeddingError, ModelError

__all__ = [
    "EmbeddingSpace",
    "Neighbor",
    "Projection",
    "analogy",
    "embed_sentences",
    "export_tensorboard",
    "from_array",
    "from_embedding_layer",
    "nearest_neighbors",
    "neighbor_table",
    "project",
    "search",
]

_METHODS = ("pca", "tsne", "umap")


@dataclass(frozen=True)
class EmbeddingSpace:
    """``n`` vectors with labels (and optional classes) to project and search.

    Attributes:
        vectors: ``(n, d)`` float32 array.
        labels: ``n`` strings (words, image ids, sentences...).
        classes: optional ``n`` class names/ids for colouring.
    """

    vectors: Any
    labels: list[str]
    classes: list[str] | None = None

    def __len__(self) -> int:
        return len(self.labels)

    def index(self, label: str) -> int:
        """Position of ``label`` (exact match).

        Raises:
            EmbeddingError: the label is not in the space.
        """
        lookup = self._lookup()
        if label not in lookup:
            close = search(self, label, limit=5)
            raise EmbeddingError(
                f"Expected a label of this embedding. Received: {label!r}, which is not "
                "in the vocabulary.",
                hint=(f"similar labels: {[self.labels[i] for i in close]}" if close
                      else "check the spelling, or search(space, text) for substrings."),
            )
        return lookup[label]

    def _lookup(self) -> dict[str, int]:
        cache = self.__dict__.get("_lookup_cache")
        if cache is None:
            cache = {}
            for i, label in enumerate(self.labels):
                cache.setdefault(label, i)
            object.__setattr__(self, "_lookup_cache", cache)
        return cache

    def unit_vectors(self) -> Any:
        """Rows scaled to length 1 (zero rows stay zero), for cosine similarity."""
        cache = self.__dict__.get("_unit_cache")
        if cache is None:
            import numpy as np

            norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
            cache = self.vectors / np.where(norms == 0, 1.0, norms)
            object.__setattr__(self, "_unit_cache", cache)
        return cache


def from_array(vectors: Any, labels: list[str] | None = None,
               classes: list[Any] | None = None) -> EmbeddingSpace:
    """Wrap any ``(n, d)`` array (e.g. a keras-hub text embedder's outputs).

    Args:
        vectors: ``(n, d)`` numbers, d >= 2.
        labels: ``n`` labels; default ``"0"``, ``"1"``, ...
        classes: optional ``n`` class values, used for colour.

    Returns:
        An :class:`EmbeddingSpace`.

    Raises:
        EmbeddingError: not 2-D, non-finite values, or labels/classes of the wrong length.

    Example:
        >>> space = from_array(np.random.rand(100, 16), classes=[i % 3 for i in range(100)])
    """
    import numpy as np

    try:
        array = np.asarray(vectors, dtype="float32")
    except (TypeError, ValueError):
        raise EmbeddingError(
            f"Expected an (n, d) array of numbers. Received: vectors of type "
            f"{type(vectors).__name__} ({str(vectors)[:40]!r}).",
            hint="stack one embedding vector per row, e.g. np.stack(vectors).",
        ) from None
    if array.ndim != 2 or array.shape[0] < 2 or array.shape[1] < 2:
        raise EmbeddingError(
            f"Expected an (n, d) array with n >= 2 points and d >= 2 dimensions. "
            f"Received: shape {array.shape}.",
            hint="stack one embedding vector per row, e.g. np.stack(vectors).",
        )
    if not np.isfinite(array).all():
        bad = int((~np.isfinite(array)).any(axis=1).sum())
        raise EmbeddingError(
            f"Expected finite numbers. Received: {bad} rows with NaN or inf.",
            hint="drop or fix those rows (a diverged training run produces NaN).",
        )
    n = array.shape[0]
    labels = [str(i) for i in range(n)] if labels is None else [str(x) for x in labels]
    for name, values in (("labels", labels), ("classes", classes)):
        if values is not None and len(values) != n:
            raise EmbeddingError(
                f"Expected one of {name} per vector ({n}). Received: {len(values)} {name}.",
                hint=f"pass {name} with the same length as vectors.",
            )
    return EmbeddingSpace(array, labels, None if classes is None else [str(c) for c in classes])


def from_embedding_layer(layer: Any, vocabulary: list[str], skip_special: bool = True,
                         classes: list[Any] | None = None) -> EmbeddingSpace:
    """An embedding space from a Keras ``Embedding`` layer and its vocabulary.

    Args:
        layer: a built ``keras.layers.Embedding`` (or a layer with ``embeddings``).
        vocabulary: token per row, e.g. ``TextVectorization.get_vocabulary()``.
        skip_special: drop the padding ``""`` and ``"[UNK]"`` rows.
        classes: optional class per vocabulary entry.

    Returns:
        An :class:`EmbeddingSpace` with one row per (kept) token.

    Raises:
        ModelError: the layer has no embedding matrix (not built).
        EmbeddingError: the vocabulary is longer than the matrix, or ``classes`` is
            not one per vocabulary entry.

    Example:
        >>> space = from_embedding_layer(model.get_layer("embedding"),
        ...                              vectorizer.get_vocabulary())  # doctest: +SKIP
    """
    import numpy as np

    matrix = getattr(layer, "embeddings", None)
    if matrix is None:
        raise ModelError(
            f"Expected a built Embedding layer. Received: {type(layer).__name__} "
            f"{getattr(layer, 'name', '')!r} without an embeddings matrix.",
            hint="pass model.get_layer('embedding') after the model is built or trained.",
        )
    matrix = np.asarray(matrix)
    if len(vocabulary) > matrix.shape[0]:
        raise EmbeddingError(
            f"Expected at most {matrix.shape[0]} vocabulary entries (rows of the embedding). "
            f"Received: {len(vocabulary)}.",
            hint="use the vocabulary of the TextVectorization that fed this layer.",
        )
    if classes is not None and len(classes) != len(vocabulary):
        raise EmbeddingError(
            f"Expected one class per vocabulary entry ({len(vocabulary)}). "
            f"Received: {len(classes)} classes.",
            hint="pass classes=[class_of(token) for token in vocabulary], or leave classes=None.",
        )
    keep = [i for i, token in enumerate(vocabulary)
            if not (skip_special and token in ("", "[UNK]", "[PAD]"))]
    kept_classes = None if classes is None else [classes[i] for i in keep]
    return from_array(matrix[keep], [vocabulary[i] for i in keep], kept_classes)


@dataclass(frozen=True)
class Projection:
    """Low-dimensional coordinates of an embedding space.

    Attributes:
        coords: ``(n, dims)`` array.
        method: ``"pca"``, ``"tsne"`` or ``"umap"``.
        explained_variance: PCA only: fraction of variance per axis.
    """

    coords: Any
    method: str
    explained_variance: Any = None

    @property
    def dims(self) -> int:
        """2 or 3."""
        return int(self.coords.shape[1])

    def axis_labels(self) -> list[str]:
        """Axis captions, with explained variance for PCA."""
        if self.explained_variance is not None:
            return [f"PC{i + 1} ({v:.0%} of variance)"
                    for i, v in enumerate(self.explained_variance)]
        return [f"{self.method.upper()} {i + 1}" for i in range(self.dims)]


def project(space: EmbeddingSpace | Any, method: str = "pca", dims: int = 2,
            seed: int = 0, perplexity: float = 30.0, max_iter: int = 1000) -> Projection:
    """Project to 2 or 3 dimensions.

    PCA is an exact linear map (eigendecomposition of the covariance, fast);
    t-SNE (scikit-learn) and UMAP (``umap-learn``, if installed) keep
    neighbourhoods but distort distances.

    Args:
        space: an :class:`EmbeddingSpace` or an ``(n, d)`` array.
        method: ``"pca"``, ``"tsne"`` or ``"umap"``.
        dims: 2 or 3.
        seed: random state of t-SNE/UMAP.
        perplexity: t-SNE's neighbourhood size (reduced automatically for small n).
        max_iter: t-SNE optimisation steps (at least 250; fewer is faster, rougher).

    Returns:
        A :class:`Projection`.

    Raises:
        EmbeddingError: unknown method or dims. ConfigError: UMAP asked for but not installed.

    Example:
        >>> project(space, "pca").coords.shape  # doctest: +SKIP
        (100, 2)
    """
    x = space.vectors if isinstance(space, EmbeddingSpace) else from_array(space).vectors
    if method not in _METHODS:
        raise EmbeddingError(f"Expected method in {_METHODS}. Received: method={method!r}.",
                        hint="use 'pca' (fast, linear) or 'tsne' (clusters).")
    if dims not in (2, 3):
        raise EmbeddingError(f"Expected dims=2 or dims=3. Received: dims={dims!r}.",
                        hint="pick 2 for a flat scatter or 3 for a rotatable one.")
    if dims > x.shape[1]:
        raise EmbeddingError(f"Expected dims <= vector size {x.shape[1]}. Received: dims={dims}.",
                        hint="use dims=2.")
    if x.shape[0] < max(dims, 2):
        raise EmbeddingError(
            f"Expected at least {max(dims, 2)} points to project to {dims} dimensions. "
            f"Received: {x.shape[0]} point(s).",
            hint="add more words/vectors to the space, or use dims=2.",
        )
    with _few_threads(x.shape[0]):
        return _project(x, method, dims, seed, perplexity, max_iter)


def _few_threads(n: int) -> Any:
    """One BLAS/OpenMP thread for small problems.

    On a busy 2-core machine, spin-waiting thread pools made t-SNE on 50 points
    take 1.8-7 s instead of 0.06-0.15 s (benchmarks/results/projector_speed.md);
    one thread is as fast for problems this small.
    """
    import contextlib

    if n > 2000:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def _project(x: Any, method: str, dims: int, seed: int, perplexity: float,
             max_iter: int) -> Projection:
    import numpy as np

    if method == "pca":
        centred = x - x.mean(axis=0)
        if centred.shape[1] <= centred.shape[0]:
            # d x d covariance + eigh: ~10x faster than an SVD of the n x d data.
            cov = (centred.T @ centred).astype("float64")
            eigenvalues, eigenvectors = np.linalg.eigh(cov)
            variances = np.clip(eigenvalues[::-1], 0.0, None)
            axes = eigenvectors[:, ::-1][:, :dims].astype("float32")
        else:
            _, s, vt = np.linalg.svd(centred, full_matrices=False)
            variances, axes = s**2, vt[:dims].T
        coords = centred @ axes
        total = float(variances.sum()) or 1.0
        # Fix the sign so that results do not flip between runs/platforms.
        signs = np.sign(coords[np.abs(coords).argmax(axis=0), range(dims)])
        coords = coords * np.where(signs == 0, 1, signs)
        return Projection(coords.astype("float32"), "pca", variances[:dims] / total)
    if method == "tsne":
        from sklearn.manifold import TSNE

        n = x.shape[0]
        tsne = TSNE(n_components=dims, perplexity=min(perplexity, max((n - 1) / 3, 1.0)),
                    init="pca", random_state=seed, metric="cosine", max_iter=max(max_iter, 250))
        return Projection(tsne.fit_transform(x).astype("float32"), "tsne")
    try:
        import umap
    except ImportError:
        raise ConfigError(
            "Expected the optional package umap-learn for method='umap'. Received: "
            "ImportError (it is not installed).",
            hint="pip install umap-learn, or use method='tsne' or 'pca'.",
        ) from None
    reducer = umap.UMAP(n_components=dims, random_state=seed, metric="cosine")
    return Projection(np.asarray(reducer.fit_transform(x), dtype="float32"), "umap")


@dataclass(frozen=True)
class Neighbor:
    """One search result: label, its row index and cosine similarity."""

    label: str
    index: int
    similarity: float


def _query_vector(space: EmbeddingSpace, query: str | Any) -> tuple[Any, set[int]]:
    import numpy as np

    if isinstance(query, str):
        i = space.index(query)
        return space.unit_vectors()[i], {i}
    v = np.asarray(query, dtype="float32").reshape(-1)
    if v.shape[0] != space.vectors.shape[1]:
        raise EmbeddingError(
            f"Expected a label or a vector of length {space.vectors.shape[1]}. "
            f"Received: vector of length {v.shape[0]}.",
            hint="pass a word from the vocabulary, or a vector from the same embedding.",
        )
    norm = np.linalg.norm(v)
    return (v / norm if norm else v), set()


def _top_k(space: EmbeddingSpace, unit_query: Any, k: int, exclude: set[int]) -> list[Neighbor]:
    import numpy as np

    if k < 1:
        raise EmbeddingError(f"Expected k >= 1. Received: k={k}.", hint="e.g. k=5.")
    sims = space.unit_vectors() @ unit_query
    if exclude:
        sims = sims.copy()
        sims[list(exclude)] = -np.inf
    k = min(k, len(space) - len(exclude))
    top = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
    top = top[np.argsort(-sims[top], kind="stable")]
    return [Neighbor(space.labels[i], int(i), float(sims[i])) for i in top[:k]]


def nearest_neighbors(space: EmbeddingSpace, query: str | Any, k: int = 5) -> list[Neighbor]:
    """The ``k`` labels most similar to ``query`` by cosine similarity.

    Args:
        space: the embedding space.
        query: a label (itself excluded from the answer) or a raw vector.
        k: how many neighbours.

    Returns:
        :class:`Neighbor` items, most similar first.

    Raises:
        EmbeddingError: unknown label, wrong vector length, or k < 1.

    Example:
        >>> [n.label for n in nearest_neighbors(space, "king", k=3)]  # doctest: +SKIP
        ['queen', 'prince', 'monarch']
    """
    unit, exclude = _query_vector(space, query)
    return _top_k(space, unit, k, exclude)


def analogy(space: EmbeddingSpace, a: str, b: str, c: str, k: int = 1) -> list[Neighbor]:
    """Solve "a is to b as ? is to c" the word2vec way: nearest to a − b + c.

    ``analogy(space, "king", "man", "woman")`` looks for the word nearest to
    king − man + woman (hopefully "queen"). The three input words are excluded.

    Args:
        space: the embedding space.
        a: the word to start from.
        b: the word to subtract.
        c: the word to add.
        k: how many answers.

    Returns:
        :class:`Neighbor` items, best first.

    Raises:
        EmbeddingError: a word is not in the vocabulary.

    Example:
        >>> analogy(space, "king", "man", "woman")[0].label  # doctest: +SKIP
        'queen'
    """
    import numpy as np

    ia, ib, ic = (space.index(w) for w in (a, b, c))
    units = space.unit_vectors()
    target = units[ia] - units[ib] + units[ic]
    norm = np.linalg.norm(target)
    return _top_k(space, target / norm if norm else target, k, {ia, ib, ic})


def search(space: EmbeddingSpace, text: str, limit: int = 20) -> list[int]:
    """Indices of labels containing ``text`` (case-insensitive), exact matches first.

    Example:
        >>> [space.labels[i] for i in search(space, "cat")]  # doctest: +SKIP
        ['cat', 'cats', 'concatenate']
    """
    needle = text.lower()
    exact = [i for i, label in enumerate(space.labels) if label.lower() == needle]
    partial = [i for i, label in enumerate(space.labels)
               if needle in label.lower() and label.lower() != needle]
    return (exact + partial)[:limit]


def neighbor_table(space: EmbeddingSpace, k: int = 10, chunk: int = 2048) -> Any:
    """Cosine ``k``-nearest neighbours of every point, ``(n, k)`` int array.

    Computed in chunks so 10,000 points need only ``chunk × n`` floats at a time.
    The interactive projector embeds this table instead of the raw vectors.

    Example:
        >>> neighbor_table(space, k=5).shape  # doctest: +SKIP
        (10000, 5)
    """
    import numpy as np

    units = space.unit_vectors().astype("float32")  # ranks only: float32 halves the matmul
    n = len(space)
    k = min(k, n - 1)
    table = np.empty((n, k), dtype="int32")
    for start in range(0, n, chunk):
        sims = units[start: start + chunk] @ units.T
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = -np.inf
        table[start: start + chunk] = _top_k_columns(sims, k)
    return table


def _top_k_columns(sims: Any, k: int) -> Any:
    """Column indices of the ``k`` largest entries of every row, largest first
    (ties: lower column first).

    A full ``argpartition`` of every row costs ~15 ns per entry (1.5 s for
    10,000 x 10,000). Instead: split each row into blocks of about sqrt(n)
    entries; the k-th largest block maximum is a value that at least k entries
    reach, so every top-k entry is among the entries at or above it, usually a
    few dozen per row. Only those are sorted. Exact, about 5x faster.
    """
    import numpy as np

    r, n = sims.shape
    block = max(int(np.sqrt(n)), 1)
    full = n // block
    if full + (n % block > 0) < 2 * k:  # short rows (n < ~4k^2): sort them whole
        return np.argsort(-sims, axis=1, kind="stable")[:, :k]
    maxima = sims[:, : full * block].reshape(r, full, block).max(axis=2)
    if n % block:
        maxima = np.concatenate([maxima, sims[:, full * block:].max(axis=1, keepdims=True)],
                                axis=1)
    threshold = np.partition(maxima, maxima.shape[1] - k, axis=1)[:, maxima.shape[1] - k]
    rows, cols = np.nonzero(sims >= threshold[:, None])
    order = np.lexsort((cols, -sims[rows, cols], rows))  # by row, then value, then column
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, np.arange(r))
    return cols[first[:, None] + np.arange(k)]


def _clean(text: str) -> str:
    # TensorBoard counts lines, so an empty or multi-line label would shift every row after it.
    cleaned = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return cleaned if cleaned.strip() else "(empty)"


def export_tensorboard(space: EmbeddingSpace, directory: str | Path) -> tuple[Path, Path]:
    """Write ``vectors.tsv`` and ``metadata.tsv`` for projector.tensorflow.org.

    Load both files at https://projector.tensorflow.org ("Load") or point
    TensorBoard's projector at them. Tabs/newlines inside labels become spaces.
    With classes, metadata has a header row ``label\\tclass`` (TensorBoard's rule
    for several columns); without, one label per line and no header.

    Args:
        space: the embedding space.
        directory: created if missing.

    Returns:
        ``(vectors_path, metadata_path)``.

    Raises:
        DataError: the directory cannot be created or written.

    Example:
        >>> export_tensorboard(space, "projector/")  # doctest: +SKIP
    """
    import numpy as np

    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        vectors_path = directory / "vectors.tsv"
        metadata_path = directory / "metadata.tsv"
        np.savetxt(vectors_path, space.vectors, delimiter="\t", fmt="%.6g")
        if space.classes is None:
            rows = [_clean(label) for label in space.labels]
        else:
            rows = ["label\tclass"] + [f"{_clean(label)}\t{_clean(cls)}"
                                       for label, cls in zip(space.labels, space.classes,
                                                             strict=True)]
        metadata_path.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    except OSError as error:
        raise DataError(
            f"Expected a writable directory. Received: {str(directory)!r} ({error}).",
            hint="choose a folder in your home or the current directory.",
        ) from error
    return vectors_path, metadata_path


def embed_sentences(backbone: Any, tokenizer: Any, sentences: list[str],
                    sequence_length: int = 64, batch_size: int = 32) -> Any:
    """Sentence vectors from a keras-hub BERT backbone: mean of token outputs, L2-normalised.

    This is how sentence-transformers' all-MiniLM-L6-v2 builds its embeddings
    (mean pooling over real tokens, then unit length), so cosine similarities
    match the published model.

    Args:
        backbone: a ``keras_hub.models.BertBackbone``.
        tokenizer: its ``BertTokenizer``.
        sentences: the texts.
        sequence_length: pad/truncate to this many tokens (with ``[CLS]``/``[SEP]``).
        batch_size: sentences per forward pass.

    Returns:
        ``(len(sentences), hidden_dim)`` float32 array of unit vectors; pass it to
        :func:`from_array` with ``labels=sentences``.

    Raises:
        EmbeddingError: ``sentences`` is empty or not a list of strings.

    Example:
        >>> vectors = embed_sentences(backbone, tokenizer, ["I love it", "I hate it"])
        ...                                                   # doctest: +SKIP
        >>> space = from_array(vectors, labels=sentences)    # doctest: +SKIP
    """
    import numpy as np

    if not sentences or not all(isinstance(t, str) for t in sentences):
        raise EmbeddingError(
            f"Expected a non-empty list of strings. Received: {sentences!r:.80}.",
            hint="pass e.g. ['a first sentence', 'a second one'].",
        )
    cls, sep, pad = tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id
    rows = []
    for text in sentences:
        ids = [int(i) for i in np.asarray(tokenizer(text)).reshape(-1)][: sequence_length - 2]
        ids = [cls, *ids, sep]
        rows.append(ids + [pad] * (sequence_length - len(ids)))
    token_ids = np.array(rows, dtype="int32")
    mask = (token_ids != pad).astype("int32")
    outputs = []
    for start in range(0, len(rows), batch_size):
        batch = slice(start, start + batch_size)
        hidden = backbone({"token_ids": token_ids[batch], "padding_mask": mask[batch],
                           "segment_ids": np.zeros_like(token_ids[batch])},
                          training=False)["sequence_output"]
        hidden = np.asarray(hidden)
        weights = mask[batch][..., None].astype("float32")
        mean = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        outputs.append(mean / np.linalg.norm(mean, axis=1, keepdims=True))
    return np.concatenate(outputs).astype("float32")
