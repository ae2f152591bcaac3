"""Embedding projector: neighbours and analogies with known answers, projections, export."""

from __future__ import annotations

import base64
import json
import math
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib.errors import ConfigError, EmbeddingError, ModelError, ViewError
from course_lib.models.projector import (
    analogy,
    export_tensorboard,
    from_array,
    from_embedding_layer,
    nearest_neighbors,
    neighbor_table,
    project,
    search,
)
from course_lib.views.projector import (
    ProjectorView,
    draw_analogy,
    draw_projection,
    show_projector,
)


@pytest.fixture
def compass():
    """Unit vectors at known angles in a 2-D plane, padded to 4-D with zeros."""
    angles = {"a0": 0, "a10": 10, "a25": 25, "a90": 90, "a180": 180, "a270": 270}
    vectors = [[math.cos(math.radians(d)), math.sin(math.radians(d)), 0, 0]
               for d in angles.values()]
    return from_array(np.array(vectors) * np.arange(1, 7)[:, None], labels=list(angles))


@pytest.fixture
def royals():
    """king = royal + male, queen = royal + female, ... (orthogonal base directions)."""
    royal, male, female, person, fruit = np.eye(5)
    words = {
        "king": royal + male, "queen": royal + female, "man": person + male,
        "woman": person + female, "prince": 0.9 * royal + male + 0.3 * person,
        "apple": fruit, "pear": fruit + 0.1 * person,
    }
    return from_array(np.array(list(words.values())), labels=list(words))


def test_cosine_neighbours_ignore_length_and_exclude_the_query(compass):
    result = nearest_neighbors(compass, "a0", k=3)
    assert [n.label for n in result] == ["a10", "a25", "a90"]
    assert [n.similarity for n in result] == pytest.approx(
        [math.cos(math.radians(10)), math.cos(math.radians(25)), 0.0], abs=1e-6)
    opposite = nearest_neighbors(compass, np.array([-1.0, 0, 0, 0]), k=1)[0]
    assert (opposite.label, opposite.similarity) == ("a180", pytest.approx(1.0))


def test_analogy_finds_queen_and_excludes_inputs(royals):
    assert analogy(royals, "king", "man", "woman")[0].label == "queen"
    # woman - man + king: the nearest vector overall is "king" (an input), so it must be skipped.
    answers = [n.label for n in analogy(royals, "woman", "man", "king", k=2)]
    assert "king" not in answers and "woman" not in answers and "man" not in answers
    assert answers[0] == "queen"


def test_unknown_word_error_suggests_close_labels(royals):
    with pytest.raises(EmbeddingError, match=r"'princ'.*\n.*prince"):
        nearest_neighbors(royals, "princ")
    with pytest.raises(EmbeddingError, match="k=0"):
        nearest_neighbors(royals, "king", k=0)
    with pytest.raises(EmbeddingError, match="length 3"):
        nearest_neighbors(royals, np.ones(3))


def test_search_puts_exact_match_first():
    space = from_array(np.random.default_rng(0).random((4, 3)),
                       labels=["concatenate", "Cat", "cats", "dog"])
    assert [space.labels[i] for i in search(space, "cat")] == ["Cat", "concatenate", "cats"]


def test_neighbor_table_matches_brute_force():
    rng = np.random.default_rng(0)
    space = from_array(rng.normal(size=(300, 8)))
    table = neighbor_table(space, k=5, chunk=64)
    units = space.vectors / np.linalg.norm(space.vectors, axis=1, keepdims=True)
    sims = units @ units.T
    np.fill_diagonal(sims, -np.inf)
    expected = np.argsort(-sims, axis=1)[:, :5]
    assert (table == expected).mean() > 0.99  # ties may swap order
    assert all(i not in row for i, row in enumerate(table))


def test_pca_projection_matches_known_variance():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(500, 3)) * [10.0, 2.0, 0.1]
    projection = project(from_array(x), "pca", dims=2)
    assert projection.explained_variance[0] == pytest.approx(100 / 104.01, abs=0.02)
    assert projection.explained_variance[1] == pytest.approx(4 / 104.01, abs=0.01)
    assert abs(np.corrcoef(projection.coords[:, 0], x[:, 0])[0, 1]) > 0.999
    assert projection.axis_labels()[0].startswith("PC1 (96%")


def test_tsne_keeps_separated_clusters_apart():
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.normal(size=(25, 10)) + 8, rng.normal(size=(25, 10)) - 8])
    x[:, 1] += np.r_[np.zeros(25), np.full(25, 16)]
    coords = project(x, "tsne", dims=2, perplexity=10, max_iter=250).coords
    centre_a, centre_b = coords[:25].mean(0), coords[25:].mean(0)
    closer_to_own = (np.linalg.norm(coords[:25] - centre_a, axis=1)
                     < np.linalg.norm(coords[:25] - centre_b, axis=1))
    assert closer_to_own.all()


def test_umap_missing_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "umap", None)  # import umap -> ImportError
    with pytest.raises(ConfigError, match="pip install umap-learn"):
        project(np.random.default_rng(0).random((20, 4)), "umap")


def test_projection_argument_errors():
    x = np.random.default_rng(0).random((20, 4))
    with pytest.raises(EmbeddingError, match="'svd'"):
        project(x, "svd")
    with pytest.raises(EmbeddingError, match="dims=4"):
        project(x, dims=4)
    with pytest.raises(EmbeddingError, match=r"\(5,\)"):
        from_array(np.ones(5))
    bad = x.copy()
    bad[3, 1] = np.nan
    with pytest.raises(EmbeddingError, match="1 rows with NaN"):
        from_array(bad)
    with pytest.raises(EmbeddingError, match="3 labels"):
        from_array(x, labels=["a", "b", "c"])


def test_embedding_layer_with_text_vectorization_vocabulary():
    import keras

    vectorizer = keras.layers.TextVectorization(max_tokens=20)
    vectorizer.adapt(["the cat sat", "the dog sat", "a cat ran"])
    vocabulary = vectorizer.get_vocabulary()
    embedding = keras.layers.Embedding(len(vocabulary), 4)
    embedding.build((None,))
    space = from_embedding_layer(embedding, vocabulary)
    assert space.labels == vocabulary[2:]  # "" and "[UNK]" dropped
    np.testing.assert_allclose(space.vectors, embedding.embeddings.numpy()[2:])
    assert set(space.labels) == {"the", "cat", "sat", "dog", "a", "ran"}
    with pytest.raises(EmbeddingError, match="at most 8"):
        from_embedding_layer(embedding, vocabulary + ["x"])
    with pytest.raises(ModelError, match="Dense"):
        from_embedding_layer(keras.layers.Dense(2), vocabulary)


def test_tensorboard_export(tmp_path):
    space = from_array(np.array([[1.0, 2.0], [3.5, -4.0], [0.0, 1e-7]]),
                       labels=["plain", "tab\there", ""], classes=["x", "y", "x"])
    vectors, metadata = export_tensorboard(space, tmp_path / "tb")
    rows = [line.split("\t") for line in vectors.read_text().splitlines()]
    assert np.array(rows, float).tolist() == [[1.0, 2.0], [3.5, -4.0], [0.0, 1e-7]]
    assert metadata.read_text().splitlines() == ["label\tclass", "plain\tx", "tab here\ty",
                                                 "(empty)\tx"]
    plain = from_array(np.eye(2), labels=["a", "b"])
    _, no_classes = export_tensorboard(plain, tmp_path / "plain")
    assert no_classes.read_text() == "a\nb\n"  # one column: no header row


def test_static_scatter_colours_by_class_and_labels_neighbours(royals):
    space = from_array(royals.vectors, royals.labels, classes=["royal", "royal", "person",
                                                               "person", "royal", "fruit",
                                                               "fruit"])
    projection = project(space, "pca")
    ax = draw_projection(projection, space, highlight="king", k=2, annotate=False)
    np.testing.assert_allclose(ax.collections[0].get_offsets(), projection.coords)
    assert len(set(map(tuple, ax.collections[0].get_facecolors()))) == 3
    labelled = sorted(t.get_text().strip() for t in ax.texts)
    expected = sorted(["king"] + [n.label for n in nearest_neighbors(space, "king", k=2)])
    assert labelled == expected
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["fruit", "royal", "person"]
    assert "'king' and its 2 nearest" in ax.get_title()


def test_3d_projection_needs_3d_axes(royals):
    projection = project(royals, "pca", dims=3)
    ax = draw_projection(projection, royals)
    assert ax.name == "3d"
    _, flat = plt.subplots()
    with pytest.raises(ViewError, match="3-D Axes"):
        draw_projection(projection, royals, ax=flat)


def test_draw_analogy_names_the_answer(royals):
    ax = draw_analogy(royals, "king", "man", "woman")
    assert ax.get_title().startswith("king − man + woman ≈ queen")


def test_interactive_page_carries_labels_neighbours_and_query():
    rng = np.random.default_rng(3)
    space = from_array(rng.normal(size=(50, 6)), labels=[f"w{i}" for i in range(50)],
                       classes=[i % 2 for i in range(50)])
    view = ProjectorView(space, project(space), k=4, query="w7")
    start = view.html.index('type="application/json">') + len('type="application/json">')
    data = json.loads(view.html[start: view.html.index("</script>", start)])
    assert data["labels"] == space.labels and data["query"] == 7 and data["k"] == 4
    # The page ranks neighbours from these vectors: the float32 unit vectors, row-major.
    marker = 'id="vectors" type="text/plain">'
    start = view.html.index(marker) + len(marker)
    encoded = view.html[start: view.html.index("</script>", start)]
    assert encoded in view._repr_html_()  # base64 needs no escaping inside srcdoc
    vectors = np.frombuffer(base64.b64decode(encoded), dtype="<f4")
    units = vectors.reshape(len(space), data["dims"])
    np.testing.assert_allclose(units, space.unit_vectors(), atol=1e-6)
    sims = units @ units[7]
    sims[7] = -np.inf
    assert list(np.argsort(-sims)[:4]) == [n.index for n in nearest_neighbors(space, "w7", k=4)]
    assert (view.neighbors == neighbor_table(space, k=4)).all()
    assert data["class_names"] == ["0", "1"] and len(data["coords"][0]) == 2
    assert view._repr_html_().startswith("<iframe srcdoc=")
    with pytest.raises(EmbeddingError, match="'w99'"):
        ProjectorView(space, project(space), query="w99")


def test_labels_cannot_break_out_of_the_script_tag():
    space = from_array(np.eye(3), labels=["</script><b>x", "a", "b"])
    assert "</script><b>" not in ProjectorView(space, project(space)).html


def test_show_projector_static_and_interactive(royals, monkeypatch):
    monkeypatch.setenv("COURSE_VIEWS", "static")
    fig = show_projector(royals, query="king")
    assert fig.axes[0].get_title().startswith("PCA of 7 points — 'king'")
    assert not plt.get_fignums()  # closed: a notebook shows it once, as the result
    monkeypatch.setenv("COURSE_VIEWS", "interactive")
    assert isinstance(show_projector(royals, query="king"), ProjectorView)


def test_sentence_embeddings_from_bert_put_paraphrases_together(bert):
    backbone, tokenizer = bert
    from course_lib.models.projector import embed_sentences

    sentences = ["A man is playing a guitar.", "Someone plays an instrument.",
                 "The stock market fell sharply today.", "Shares dropped a lot this morning."]
    vectors = embed_sentences(backbone, tokenizer, sentences, sequence_length=16)
    assert vectors.shape == (4, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    space = from_array(vectors, labels=sentences)
    assert nearest_neighbors(space, sentences[0], k=1)[0].label == sentences[1]
    assert nearest_neighbors(space, sentences[2], k=1)[0].label == sentences[3]
    with pytest.raises(EmbeddingError, match="non-empty list"):
        embed_sentences(backbone, tokenizer, [])


@pytest.mark.parametrize("n, k", [(300, 5), (2000, 10), (37, 8), (12, 11)])
def test_top_k_columns_is_exact_with_ties(n, k):
    """The block-threshold top-k equals a full stable sort, ties included (lower column first)."""
    from course_lib.models.projector import _top_k_columns

    rng = np.random.default_rng(n)
    sims = rng.integers(-5, 6, size=(23, n)).astype(float)  # many ties
    sims[np.arange(23), rng.integers(0, n, 23)] = -np.inf
    expected = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    np.testing.assert_array_equal(_top_k_columns(sims, k), expected)
