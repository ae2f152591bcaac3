"""Confusion matrix, per-class scores, confident mistakes and telling n-grams (numpy only)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix as sk_confusion
from sklearn.metrics import precision_recall_fscore_support

from course_lib.models.classification import (
    ClassificationInputError,
    confusion_matrix,
    most_confidently_wrong,
    top_ngrams_per_class,
)


@pytest.fixture
def labels():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, 500)
    y_pred = np.where(rng.random(500) < 0.6, y_true, rng.integers(0, 4, 500))
    y_pred[y_pred == 3] = 2          # class 3 is never predicted: precision 0/0
    return y_true, y_pred


def test_counts_and_scores_match_sklearn(labels):
    y_true, y_pred = labels
    cm = confusion_matrix(y_true, y_pred, class_names=["a", "b", "c", "d"])
    np.testing.assert_array_equal(cm.counts, sk_confusion(y_true, y_pred, labels=range(4)))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=range(4), zero_division=0)
    np.testing.assert_allclose(cm.precision, p)
    np.testing.assert_allclose(cm.recall, r)
    np.testing.assert_allclose(cm.f1, f)
    np.testing.assert_array_equal(cm.support, s)
    assert cm.precision[3] == 0 and cm.accuracy == pytest.approx(np.mean(y_true == y_pred))
    report = cm.report()
    assert [row["class"] for row in report] == ["a", "b", "c", "d", "macro avg"]
    assert report[-1]["f1"] == pytest.approx(f.mean())


def test_normalized_rows_columns_all(labels):
    cm = confusion_matrix(*labels)
    rows = cm.normalized("true")
    np.testing.assert_allclose(rows.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.diag(rows), cm.recall)
    cols = cm.normalized("pred")
    np.testing.assert_allclose(np.diag(cols), cm.precision)
    assert cols[:, 3].sum() == 0                      # never predicted: zeros, not NaN
    assert cm.normalized("all").sum() == pytest.approx(1.0)
    np.testing.assert_allclose(
        rows, sk_confusion(*labels, labels=range(4), normalize="true"))
    with pytest.raises(ClassificationInputError, match="by='rows'"):
        cm.normalized("rows")


def test_cell_indices_and_largest_confusions():
    y_true = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 2, 2, 0, 0, 0])
    cm = confusion_matrix(y_true, y_pred, class_names=["x", "y", "z"])
    assert cm.cell_indices("z", "x").tolist() == [6, 7, 8]
    assert cm.cell_indices(1, 2).tolist() == [3, 4]
    assert cm.largest_confusions(2) == [(2, 0, 3), (1, 2, 2)]
    with pytest.raises(ClassificationInputError, match="'w'"):
        cm.cell_indices("w", "x")
    with pytest.raises(ClassificationInputError, match="pred=5"):
        cm.cell_indices(0, 5)


def test_confusion_bad_input():
    with pytest.raises(ClassificationInputError, match="3 and 2 labels"):
        confusion_matrix([0, 1, 1], [0, 1])
    with pytest.raises(ClassificationInputError, match="0 and 0"):
        confusion_matrix([], [])
    with pytest.raises(ClassificationInputError, match="argmax"):
        confusion_matrix([0, 1], np.array([[0.9, 0.1], [0.2, 0.8]]))
    with pytest.raises(ClassificationInputError, match=r"0\.3"):
        confusion_matrix([0, 1], [0.3, 0.9])
    with pytest.raises(ClassificationInputError, match="labels from 0 to 3"):
        confusion_matrix([0, 1, 3], [0, 1, 1], class_names=["a", "b", "c"])
    with pytest.raises(ClassificationInputError, match="n_classes=2"):
        confusion_matrix([0, 1], [0, 1], n_classes=2, class_names=["a", "b", "c"])
    assert confusion_matrix([0.0, 1.0], [1.0, 1.0]).counts.tolist() == [[0, 1], [0, 1]]


def test_most_confidently_wrong_order_and_binary():
    probs = np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.04, 0.04, 0.92], [0.4, 0.35, 0.25]])
    y = np.array([1, 1, 0, 2])
    mistakes = most_confidently_wrong(probs, y, k=5)
    assert [m.index for m in mistakes] == [2, 0, 3]
    assert (mistakes[0].true, mistakes[0].pred) == (0, 2)
    assert mistakes[0].confidence == pytest.approx(0.92)
    binary = most_confidently_wrong(np.array([[0.95], [0.2], [0.6], [0.01]]), [0, 0, 1, 1], k=2)
    assert [(m.index, m.pred) for m in binary] == [(3, 0), (0, 1)]
    assert binary[0].confidence == pytest.approx(0.99)
    assert most_confidently_wrong(np.eye(3), [0, 1, 2]) == []


def test_most_confidently_wrong_bad_input():
    with pytest.raises(ClassificationInputError, match="logits"):
        most_confidently_wrong(np.array([[3.0, -1.0]]), [0])
    with pytest.raises(ClassificationInputError, match="2 labels"):
        most_confidently_wrong(np.eye(3), [0, 1])
    with pytest.raises(ClassificationInputError, match="k=0"):
        most_confidently_wrong(np.eye(3), [0, 1, 2], k=0)


def test_top_ngrams_recover_planted_words():
    texts = (["rose herz liebe nacht"] * 10 + ["zug büro steuer amt"] * 10
             + ["mond meer welle stern"] * 10)
    texts = [t + f" w{i}" for i, t in enumerate(texts)]
    y = np.repeat([0, 1, 2], 10)
    vec = TfidfVectorizer(ngram_range=(1, 2))
    x = vec.fit_transform(texts)
    clf = LogisticRegression(max_iter=500).fit(x, y)
    tops = top_ngrams_per_class(clf.coef_, vec.get_feature_names_out(), ["G", "T", "H"], n=8)
    assert set(tops) == {"G", "T", "H"}
    assert {"rose", "herz"} <= {w for w, _ in tops["G"]}
    assert {"steuer", "amt"} <= {w for w, _ in tops["T"]}
    weights = [w for _, w in tops["H"]]
    assert weights == sorted(weights, reverse=True) and weights[0] > 0


def test_top_ngrams_binary_and_bad_shapes():
    coef = np.array([[2.0, -3.0, 0.5, -0.1]])
    tops = top_ngrams_per_class(coef, ["free", "meeting", "win", "ok"], ["ham", "spam"], n=2)
    assert tops["spam"] == [("free", 2.0), ("win", 0.5)]
    assert tops["ham"] == [("meeting", -3.0), ("ok", -0.1)]
    with pytest.raises(ClassificationInputError, match=r"coef.shape=\(1, 4\), 3 feature"):
        top_ngrams_per_class(coef, ["a", "b", "c"], ["ham", "spam"])
    with pytest.raises(ClassificationInputError, match="3 classes"):
        top_ngrams_per_class(np.zeros((2, 4)), list("abcd"), ["x", "y", "z"])
