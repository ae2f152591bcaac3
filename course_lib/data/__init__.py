"""The course's datasets: registry, verified cache with mirror and download, loaders.

Example:
    >>> from course_lib.data import load_mnist
    >>> (x_train, y_train), (x_test, y_test) = load_mnist()   # doctest: +SKIP
"""

from __future__ import annotations

from course_lib.data.loaders import (
    BOSTON_FEATURES,
    FASHION_MNIST_CLASSES,
    Poem,
    imdb_word_index,
    load_boston_housing,
    load_fashion_mnist,
    load_fra_eng,
    load_imdb,
    load_mnist,
    load_poems,
    load_reuters,
    load_sentiment_sentences,
    load_sms_spam,
    read_idx,
    reuters_word_index,
)
from course_lib.data.registry import REGISTRY, DatasetSpec, FileSpec, dataset_names, get_spec
from course_lib.data.store import DatasetStatus, DataStore, FileStatus, file_digest

__all__ = [
    "BOSTON_FEATURES",
    "FASHION_MNIST_CLASSES",
    "REGISTRY",
    "DataStore",
    "DatasetSpec",
    "DatasetStatus",
    "FileSpec",
    "FileStatus",
    "Poem",
    "dataset_names",
    "fetch",
    "file_digest",
    "get_spec",
    "imdb_word_index",
    "load",
    "load_boston_housing",
    "load_fashion_mnist",
    "load_fra_eng",
    "load_imdb",
    "load_mnist",
    "load_poems",
    "load_reuters",
    "load_sentiment_sentences",
    "load_sms_spam",
    "read_idx",
    "reuters_word_index",
    "status",
]


def fetch(name: str, store: DataStore | None = None) -> dict[str, object]:
    """Put every file of dataset ``name`` into the cache, verified."""
    return dict((store or DataStore.from_env()).ensure(name))


def status(verify: bool = True, store: DataStore | None = None) -> list[DatasetStatus]:
    """Where every dataset is (cache / mirror / missing) and whether it verified."""
    return (store or DataStore(progress=None)).status(verify=verify)


def load(name: str, **kwargs):
    """Load a dataset by its registry name, e.g. ``load("mnist")``.

    Raises:
        DataError: unknown name (with suggestions) or unavailable files.
    """
    spec = get_spec(name)
    return globals()[spec.loader](**kwargs)
