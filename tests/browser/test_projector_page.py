"""The interactive projector page finds a chosen point's neighbours itself, as Python does."""

from __future__ import annotations

import numpy as np

from course_lib.models.projector import from_array, nearest_neighbors, project
from course_lib.views.projector import ProjectorView


def _space():
    rng = np.random.default_rng(5)
    return from_array(
        rng.normal(size=(400, 12)),
        labels=[f"w{i}" for i in range(400)],
        classes=[i % 3 for i in range(400)],
    )


def _listed(page) -> list[tuple[str, float]]:
    items = page.locator("#nb li")
    items.first.wait_for(state="visible")
    rows = []
    for text in items.all_inner_texts():
        label, _, similarity = text.rpartition("(")
        rows.append((label.strip(), float(similarity.rstrip(")"))))
    return rows


def test_query_and_typed_word_list_the_python_neighbours(page, tmp_path):
    space = _space()
    path = ProjectorView(space, project(space), k=6, query="w7").save(tmp_path / "p.html")
    page.goto(path.as_uri())
    expected = nearest_neighbors(space, "w7", k=6)
    listed = _listed(page)
    assert [label for label, _ in listed] == [n.label for n in expected]
    assert [s for _, s in listed] == [round(n.similarity, 3) for n in expected]

    page.fill("#k", "3")
    page.fill("#q", "w123")
    page.press("#q", "Enter")
    page.wait_for_function("document.getElementById('msg').textContent.startsWith('w123:')")
    assert [label for label, _ in _listed(page)] == [
        n.label for n in nearest_neighbors(space, "w123", k=3)
    ]
    assert page.console_errors == []
