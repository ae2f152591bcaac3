"""Where a classifier goes wrong: confusion matrix, per-class scores, mistakes, telling n-grams.

Pure computation on labels, probabilities and fitted linear models (numpy only);
:mod:`course_lib.views.confusion` draws it.

- :func:`confusion_matrix` → :class:`ConfusionMatrix` (counts, normalized rates,
  precision / recall / F1 per class, and the sample indices behind every cell);
- :func:`most_confidently_wrong`: the mistakes the model was surest about;
- :func:`top_ngrams_per_class`: the features with the largest weights per class of a
  linear model on TF-IDF (or count) features.

Example:
    >>> cm = confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], class_names=["a", "b", "c"])
    >>> cm.counts.tolist()
    [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    >>> [round(float(r), 2) for r in cm.recall]
    [1.0, 0.5, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from course_lib.errors import CourseError

__all__ = [
    "ClassificationInputError",
    "ConfusionMatrix",
    "Mistake",
    "confusion_matrix",
    "most_confidently_wrong",
    "top_ngrams_per_class",
]


class ClassificationInputError(CourseError):
    """Labels, predictions or probabilities that do not fit together."""


def _labels(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim == 2 and array.shape[1] > 1:
        raise ClassificationInputError(
            f"Expected {name} as integer class labels, shape (n,). Received: shape {array.shape} "
            f"(probabilities or one-hot rows?).",
            hint=f"use {name}.argmax(axis=1) to turn probabilities/one-hot rows into labels.",
        )
    array = array.reshape(-1)
    if array.size and not np.issubdtype(array.dtype, np.integer):
        if np.issubdtype(array.dtype, np.floating) and np.all(array == np.round(array)):
            array = array.astype(np.int64)
        else:
            raise ClassificationInputError(
                f"Expected {name} as integer class labels. Received: dtype {array.dtype}, "
                f"first values {array[:3].tolist()}.",
                hint="threshold sigmoid outputs (p > 0.5).astype(int), or argmax softmax rows.",
            )
    return array.astype(np.int64)


@dataclass(frozen=True)
class ConfusionMatrix:
    """A confusion matrix with the samples behind it.

    Attributes:
        counts: ``(K, K)`` integers; ``counts[i, j]`` = samples of true class ``i``
            predicted as ``j``.
        class_names: one name per class.
        y_true, y_pred: the labels it was counted from (to find a cell's samples).
    """

    counts: np.ndarray
    class_names: tuple[str, ...]
    y_true: np.ndarray = field(repr=False)
    y_pred: np.ndarray = field(repr=False)

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.counts) / self.total) if self.total else 0.0

    def normalized(self, by: str = "true") -> np.ndarray:
        """Rates instead of counts.

        Args:
            by: ``"true"`` (rows sum to 1: the diagonal is the recall), ``"pred"``
                (columns sum to 1: the diagonal is the precision) or ``"all"``.

        Raises:
            ClassificationInputError: unknown ``by``.
        """
        counts = self.counts.astype("float64")
        if by == "true":
            sums = counts.sum(axis=1, keepdims=True)
        elif by == "pred":
            sums = counts.sum(axis=0, keepdims=True)
        elif by == "all":
            sums = np.array(counts.sum())
        else:
            raise ClassificationInputError(
                f"Expected by in ('true', 'pred', 'all'). Received: by={by!r}.",
                hint="'true' divides each row by the number of samples of that class.",
            )
        return np.divide(counts, sums, out=np.zeros_like(counts), where=sums > 0)

    @property
    def support(self) -> np.ndarray:
        """Samples per true class (row sums)."""
        return self.counts.sum(axis=1)

    @property
    def precision(self) -> np.ndarray:
        """:math:`C_{kk}/\\sum_i C_{ik}` per class; 0 where the class is never predicted."""
        predicted = self.counts.sum(axis=0).astype("float64")
        hits = np.diag(self.counts).astype("float64")
        return np.divide(hits, predicted, out=np.zeros_like(hits), where=predicted > 0)

    @property
    def recall(self) -> np.ndarray:
        """:math:`C_{kk}/\\sum_j C_{kj}` per class; 0 where the class never occurs."""
        actual = self.support.astype("float64")
        hits = np.diag(self.counts).astype("float64")
        return np.divide(hits, actual, out=np.zeros_like(hits), where=actual > 0)

    @property
    def f1(self) -> np.ndarray:
        """Harmonic mean of precision and recall per class (0 where both are 0)."""
        p, r = self.precision, self.recall
        return np.divide(2 * p * r, p + r, out=np.zeros_like(p), where=(p + r) > 0)

    def report(self) -> list[dict[str, Any]]:
        """One row per class (and a macro average): precision, recall, f1, support."""
        rows = [{"class": name, "precision": float(p), "recall": float(r), "f1": float(f),
                 "support": int(s)}
                for name, p, r, f, s in zip(self.class_names, self.precision, self.recall,
                                            self.f1, self.support, strict=True)]
        rows.append({"class": "macro avg", "precision": float(self.precision.mean()),
                     "recall": float(self.recall.mean()), "f1": float(self.f1.mean()),
                     "support": self.total})
        return rows

    def _index(self, value: int | str, what: str) -> int:
        if isinstance(value, str):
            if value not in self.class_names:
                raise ClassificationInputError(
                    f"Expected {what} to be one of {list(self.class_names)}. "
                    f"Received: {what}={value!r}.",
                    hint="use a class name from cm.class_names, or its index.")
            return self.class_names.index(value)
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or not (
                0 <= int(value) < self.n_classes):
            raise ClassificationInputError(
                f"Expected {what} in 0..{self.n_classes - 1}. Received: {what}={value!r}.",
                hint=f"use a class index 0..{self.n_classes - 1} or a name from "
                     "cm.class_names.")
        return int(value)

    def cell_indices(self, true: int | str, pred: int | str) -> np.ndarray:
        """Indices of the samples of true class ``true`` predicted as ``pred``."""
        i, j = self._index(true, "true"), self._index(pred, "pred")
        return np.flatnonzero((self.y_true == i) & (self.y_pred == j))

    def largest_confusions(self, k: int = 3) -> list[tuple[int, int, int]]:
        """The ``k`` off-diagonal cells with the most samples: ``(true, pred, count)``."""
        off = self.counts.copy()
        np.fill_diagonal(off, 0)
        order = np.argsort(-off, axis=None, kind="stable")[:k]
        cells = [(int(a), int(b)) for a, b in zip(*np.unravel_index(order, off.shape), strict=True)]
        return [(i, j, int(off[i, j])) for i, j in cells if off[i, j] > 0]


def confusion_matrix(y_true: Any, y_pred: Any, n_classes: int | None = None,
                     class_names: Sequence[str] | None = None) -> ConfusionMatrix:
    """Count every (true class, predicted class) pair.

    :math:`C_{ij} = \\#\\{n : y_n = i,\\ \\hat y_n = j\\}`.

    Args:
        y_true: integer labels ``(n,)``.
        y_pred: integer predictions ``(n,)`` (argmax of probabilities first).
        n_classes: number of classes (default: from ``class_names``, else the largest label + 1).
        class_names: one name per class (default ``"0"``, ``"1"``, ...).

    Returns:
        :class:`ConfusionMatrix`.

    Raises:
        ClassificationInputError: empty or unequal lengths, non-integer labels, labels out of
            range, or ``n_classes`` and ``class_names`` disagreeing.
    """
    t, p = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if t.size == 0 or t.size != p.size:
        raise ClassificationInputError(
            f"Expected y_true and y_pred of the same, non-zero length. "
            f"Received: {t.size} and {p.size} labels.",
            hint="predict on exactly the samples whose labels you pass.",
        )
    if class_names is not None:
        class_names = tuple(str(c) for c in class_names)
        if n_classes is not None and n_classes != len(class_names):
            raise ClassificationInputError(
                f"Expected n_classes == len(class_names). Received: n_classes={n_classes}, "
                f"{len(class_names)} class names.")
        n_classes = len(class_names)
    if n_classes is None:
        n_classes = int(max(t.max(), p.max())) + 1
    low, high = min(t.min(), p.min()), max(t.max(), p.max())
    if low < 0 or high >= n_classes:
        raise ClassificationInputError(
            f"Expected labels in 0..{n_classes - 1}. Received: labels from {low} to {high}.",
            hint="encode classes as 0..K-1 and pass one class name per class.",
        )
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (t, p), 1)
    names = class_names or tuple(str(k) for k in range(n_classes))
    return ConfusionMatrix(counts, names, t, p)


@dataclass(frozen=True)
class Mistake:
    """One misclassified sample: where it is, what it was, what the model said and how surely."""

    index: int
    true: int
    pred: int
    confidence: float


def most_confidently_wrong(probs: Any, y_true: Any, k: int = 10) -> list[Mistake]:
    """The ``k`` mistakes with the highest probability on the (wrong) predicted class.

    Args:
        probs: ``(n, K)`` class probabilities, or ``(n,)`` / ``(n, 1)`` sigmoid outputs
            (probability of class 1).
        y_true: integer labels ``(n,)``.
        k: how many to return.

    Returns:
        Up to ``k`` :class:`Mistake`, most confident first (fewer if there are fewer mistakes).

    Raises:
        ClassificationInputError: shapes disagree, ``k < 1``, or rows are not probabilities.
    """
    probs = np.asarray(probs, dtype="float64")
    if probs.ndim == 2 and probs.shape[1] == 1:
        probs = probs[:, 0]
    if probs.ndim == 1:
        probs = np.stack([1 - probs, probs], axis=1)
    t = _labels(y_true, "y_true")
    if probs.ndim != 2 or len(probs) != len(t) or len(t) == 0 or k < 1:
        raise ClassificationInputError(
            f"Expected probs of shape (n, K) for n = len(y_true) > 0 and k >= 1. "
            f"Received: probs.shape={probs.shape}, {len(t)} labels, k={k}.",
            hint="pass model.predict(x) and the labels of the same x.",
        )
    if probs.min() < -1e-6 or probs.max() > 1 + 1e-6:
        raise ClassificationInputError(
            f"Expected probabilities in [0, 1]. Received: values from {probs.min():.3g} "
            f"to {probs.max():.3g} (logits?).",
            hint="apply a softmax (or use a model whose last layer has activation='softmax').",
        )
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != t)
    confidence = probs[wrong, pred[wrong]]
    order = wrong[np.argsort(-confidence, kind="stable")][:k]
    return [Mistake(int(i), int(t[i]), int(pred[i]), float(probs[i, pred[i]])) for i in order]


def top_ngrams_per_class(coef: Any, feature_names: Sequence[str],
                         class_names: Sequence[str], n: int = 10
                         ) -> dict[str, list[tuple[str, float]]]:
    """The features with the largest weights for each class of a linear model.

    For a multinomial logistic regression the score of class :math:`k` is
    :math:`z_k = \\mathbf w_k^\\top \\mathbf x + b_k`; the features with the largest
    :math:`w_{k,j}` push a text towards class :math:`k`. A binary model has one weight
    row: large positive weights speak for class 1, large negative ones for class 0.

    Args:
        coef: ``(K, features)`` weights (``LogisticRegression.coef_``), or ``(1, features)``
            / ``(features,)`` for two classes.
        feature_names: one name per feature (``TfidfVectorizer.get_feature_names_out()``).
        class_names: one name per class.
        n: how many features per class.

    Returns:
        ``{class name: [(feature, weight), ...]}``, largest weight first (for class 0 of a
        binary model: most negative first, weights as given).

    Raises:
        ClassificationInputError: shapes or names do not fit.
    """
    coef = np.asarray(coef, dtype="float64")
    if coef.ndim == 1:
        coef = coef[None]
    names = list(feature_names)
    classes = [str(c) for c in class_names]
    binary = coef.shape[0] == 1 and len(classes) == 2
    rows_fit = binary or coef.shape[0] == len(classes)
    if coef.ndim != 2 or coef.shape[1] != len(names) or not rows_fit:
        raise ClassificationInputError(
            f"Expected coef of shape ({len(classes)}, {len(names)}) (or (1, {len(names)}) for "
            f"two classes). Received: coef.shape={coef.shape}, {len(names)} feature names, "
            f"{len(classes)} classes.",
            hint="pass classifier.coef_ and vectorizer.get_feature_names_out() of the same fit.",
        )
    if n < 1:
        raise ClassificationInputError(f"Expected n >= 1. Received: n={n}.")
    rows = [-coef[0], coef[0]] if binary else list(coef)
    result = {}
    for name, weights in zip(classes, rows, strict=True):
        order = np.argsort(-weights, kind="stable")[:n]
        sign = -1.0 if binary and name == classes[0] else 1.0
        result[name] = [(names[j], float(sign * weights[j])) for j in order]
    return result
