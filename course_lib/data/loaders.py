"""Loaders: dataset name -> arrays or texts, through the verified cache.

Each loader first makes sure its files are in the cache (see
:class:`course_lib.data.store.DataStore`), then reads them. Datasets that Keras
ships a loader for are read by that loader from the Keras cache.
"""

from __future__ import annotations

import csv
import html
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from course_lib.data.registry import get_spec
from course_lib.data.store import DataStore
from course_lib.errors import DataError

Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _files(name: str, store: DataStore | None) -> dict[str, Path]:
    return (store or DataStore.from_env()).ensure(name)


def read_idx(path: Path) -> np.ndarray:
    """Read an (uncompressed) idx file of unsigned bytes, as used by MNIST.

    Raises:
        DataError: the file is not a ubyte idx file.
    """
    data = path.read_bytes()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise DataError(
            f"Expected an idx file of unsigned bytes (magic 0x0000 08 ..). "
            f"Received: {path} starting with {data[:4].hex()!r}.",
            hint=f"delete {path} and load the dataset again to re-fetch it.",
        )
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_mnist(store: DataStore | None = None) -> Split:
    """MNIST digits, exactly as ``keras.datasets.mnist.load_data()`` returns them.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,).

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_mnist()   # doctest: +SKIP
    """
    f = _files("mnist", store)
    return (
        (read_idx(f["train-images-idx3-ubyte"]), read_idx(f["train-labels-idx1-ubyte"])),
        (read_idx(f["t10k-images-idx3-ubyte"]), read_idx(f["t10k-labels-idx1-ubyte"])),
    )


FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def load_fashion_mnist(store: DataStore | None = None) -> Split:
    """Fashion-MNIST via ``keras.datasets.fashion_mnist.load_data()``.

    The four files are placed (verified) in the Keras cache first, so Keras'
    own loader reads them without a download. Class names are in
    ``FASHION_MNIST_CLASSES``.
    """
    _files("fashion_mnist", store)
    import keras

    return keras.datasets.fashion_mnist.load_data()


def load_boston_housing(
    test_split: float = 0.2, seed: int = 113, store: DataStore | None = None
) -> Split:
    """Boston housing prices, split like ``keras.datasets.boston_housing``.

    Args:
        test_split: fraction of the 506 rows held out for testing.
        seed: shuffling seed (113 is Keras' default).

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` with 13 float features and
        the median value in k$ as target.
    """
    if not 0 <= test_split < 1:
        raise DataError(
            f"Expected test_split between 0 and 1 (1 excluded). Received: test_split={test_split}",
            hint="use e.g. test_split=0.2",
        )
    (path,) = _files("boston_housing", store).values()
    table = np.loadtxt(path)
    x, y = table[:, :13], table[:, 13]
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    x, y = x[order], y[order]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


BOSTON_FEATURES = (
    "CRIM",
    "ZN",
    "INDUS",
    "CHAS",
    "NOX",
    "RM",
    "AGE",
    "DIS",
    "RAD",
    "TAX",
    "PTRATIO",
    "B",
    "LSTAT",
)


def _keras_dataset(name: str, file_index: int, function: str, store: DataStore | None, **kwargs):
    """Place one verified file in the Keras cache, then call ``keras.datasets.NAME.FUNCTION``.

    Raises:
        DataError: an argument ``keras.datasets.NAME.FUNCTION`` does not take (checked
            before any file is fetched).
    """
    import difflib
    import inspect

    import keras

    loader = getattr(getattr(keras.datasets, name), function)
    accepted = [p for p in inspect.signature(loader).parameters if p not in ("args", "kwargs")]
    for key in kwargs:
        if key not in accepted:
            close = difflib.get_close_matches(key, accepted, n=1)
            raise DataError(
                f"Expected arguments of keras.datasets.{name}.{function} among {accepted}. "
                f"Received: {key}={kwargs[key]!r}.",
                hint=(f"did you mean {close[0]}=...? " if close else "")
                + f"see help(keras.datasets.{name}.{function}).",
            )
    spec = get_spec(name)
    (store or DataStore.from_env()).ensure_file(spec, spec.files[file_index])
    return loader(**kwargs)


def load_imdb(store: DataStore | None = None, **kwargs):
    """IMDB reviews via ``keras.datasets.imdb.load_data(**kwargs)`` (needs the network)."""
    return _keras_dataset("imdb", 0, "load_data", store, **kwargs)


def imdb_word_index(store: DataStore | None = None) -> dict[str, int]:
    """The IMDB word index (word -> rank), via ``keras.datasets.imdb.get_word_index()``."""
    return _keras_dataset("imdb", 1, "get_word_index", store)


def load_reuters(store: DataStore | None = None, **kwargs):
    """Reuters newswires via ``keras.datasets.reuters.load_data(**kwargs)`` (needs the network)."""
    return _keras_dataset("reuters", 0, "load_data", store, **kwargs)


def reuters_word_index(store: DataStore | None = None) -> dict[str, int]:
    """The Reuters word index, via ``keras.datasets.reuters.get_word_index()``."""
    return _keras_dataset("reuters", 1, "get_word_index", store)


def _tsv_rows(path: Path) -> list[list[str]]:
    # Quotes are data in these corpora, never CSV quoting.
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_sms_spam(store: DataStore | None = None) -> tuple[list[str], np.ndarray]:
    """SMS Spam Collection.

    Returns:
        ``(texts, labels)`` with labels 1 = spam, 0 = ham (5574 messages).
    """
    (path,) = _files("sms_spam", store).values()
    rows = _tsv_rows(path)
    labels = np.array([1 if r[0] == "spam" else 0 for r in rows], dtype=np.int64)
    return [r[1] for r in rows], labels


def load_sentiment_sentences(
    store: DataStore | None = None,
) -> tuple[list[str], np.ndarray, list[str]]:
    """Sentiment Labelled Sentences.

    Returns:
        ``(texts, labels, sources)``: 3000 sentences, labels 1 = positive,
        sources in ``amazon``, ``imdb``, ``yelp``.
    """
    (path,) = _files("sentiment_sentences", store).values()
    rows = _tsv_rows(path)[1:]
    return (
        [r[1] for r in rows],
        np.array([int(r[2]) for r in rows], dtype=np.int64),
        [r[0] for r in rows],
    )


@dataclass(frozen=True)
class Poem:
    """One poem of the German poems corpus."""

    author: str
    title: str
    text: str


def load_poems(unescape: bool = True, store: DataStore | None = None) -> list[Poem]:
    """German poems by Goethe, Heine and Tucholsky (2362 poems).

    Args:
        unescape: turn the few HTML entities left in the corpus (``&#228;``)
            into characters.
    """
    (path,) = _files("poems", store).values()
    poems = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = html.unescape(record["text"]) if unescape else record["text"]
            poems.append(Poem(record["author"], record["title"], text))
    return poems


def load_fra_eng(
    max_pairs: int | None = None, store: DataStore | None = None
) -> list[tuple[str, str]]:
    """English-French sentence pairs, shortest first as in the source file.

    Args:
        max_pairs: keep only the first ``max_pairs`` pairs (None: all 142,787).
    """
    if max_pairs is not None and max_pairs <= 0:
        raise DataError(
            f"Expected max_pairs to be a positive integer or None. Received: max_pairs={max_pairs}",
            hint="use e.g. max_pairs=10000",
        )
    (path,) = _files("fra_eng", store).values()
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            en, fr = line.rstrip("\n").split("\t")[:2]
            pairs.append((en, fr))
            if max_pairs is not None and len(pairs) >= max_pairs:
                break
    return pairs
