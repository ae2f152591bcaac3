"""Regenerate the nbgrader-format corpus: ``python tests/grading/corpus/make_nbgrader_corpus.py``.

Writes, under ``nbgrader/``, an assignment in nbgrader's own layout and
metadata (schema version 3, as nbgrader's "Create Assignment" toolbar writes
it; https://nbgrader.readthedocs.io/en/stable/user_guide/creating_and_grading_assignments.html):

- ``source/ps1.ipynb``: the instructor's notebook with every cell kind:
  read-only, autograded answer, autograder tests (with hidden tests), a
  manually graded code answer without markers, a manually graded Markdown
  answer with ``### BEGIN SOLUTION`` markers, and a manually graded task;
- ``release/ps1.ipynb``: the student version as ``nbgrader generate_assignment``
  makes it (stubs, no hidden tests, ``checksum`` and ``cell_type`` written by
  its ``ComputeChecksums`` step, locked cells not deletable);
- ``submitted/STUDENT/ps1.ipynb``: what students handed in.

Checked against nbgrader 0.9.6 itself: its ``MetadataValidator`` accepts every
file, its ``compute_checksum`` equals `markers.nbgrader_checksum` on every
cell, ``nbgrader generate_assignment`` writes the same release (sources,
metadata, checksums), and ``nbgrader autograde`` of ``submitted/`` gives the
same automatic points and manual-grading flags as ``course grade``, except
that ``course grade`` also marks a blank or deleted manual answer as
unanswered (0) where nbgrader leaves it to a person.

The expected grades live in ``tests/grading/test_grading_nbgrader.py``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_lib.grading.build import build_assignment, notebook_bytes
from course_lib.grading.markers import nbgrader_checksum

HERE = Path(__file__).parent / "nbgrader"


def nbgrader(grade_id, *, grade=False, solution=False, locked=False, task=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
    }
    if task:
        meta["task"] = True
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# Problem set 1\nSquares, a written answer and a task."),
        new_code_cell("import math", metadata=nbgrader("setup", locked=True)),
        new_code_cell(
            "def squares(n):\n    ### BEGIN SOLUTION\n    return [i * i for i in range(1, n + 1)]"
            "\n    ### END SOLUTION",
            metadata=nbgrader("squares", solution=True),
        ),
        new_code_cell(
            "assert squares(3) == [1, 4, 9]\n### BEGIN HIDDEN TESTS\nassert squares(0) == []\n"
            "### END HIDDEN TESTS",
            metadata=nbgrader("test_squares", grade=True, locked=True, points=2),
        ),
        new_code_cell(
            "def describe(values):\n    return f'{len(values)} values, mean {sum(values) / "
            "len(values):g}'",
            metadata=nbgrader("describe", grade=True, solution=True, points=3),
        ),
        new_markdown_cell(
            "Why does a model that fits the training set perfectly often do worse on new data?\n\n"
            "### BEGIN SOLUTION\nIt learned the noise of the training set (overfitting).\n"
            "### END SOLUTION",
            metadata=nbgrader("explain", grade=True, solution=True, points=2),
        ),
        new_markdown_cell(
            "Plot `squares(10)` below and say what kind of curve it is.",
            metadata=nbgrader("plot-task", task=True, locked=True, points=1),
        ),
        new_code_cell("print(math.sqrt(16))"),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["course_grading"] = {"cell_timeout": 10, "total_timeout": 60, "memory_mb": 1024}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"ps1-{i}"
    return nb


def release(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """nbgrader's student version: our build, then ComputeChecksums and LockCells."""
    exercise, _solution = build_assignment(source, "ps1.ipynb")
    del exercise.metadata["course_check"]  # ours, not nbgrader's
    for cell in exercise.cells:
        meta = cell.metadata.get("nbgrader")
        if not meta:
            continue
        meta["checksum"] = nbgrader_checksum(cell)
        meta["cell_type"] = cell.cell_type
        if meta.get("locked") or meta.get("grade") or meta.get("solution"):
            cell.metadata["deletable"] = False
        if meta.get("locked") and not meta.get("solution"):
            cell.metadata["editable"] = False
    return exercise


def submissions(student_nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    def edit(changes: dict[str, str | None]) -> nbformat.NotebookNode:
        nb = copy.deepcopy(student_nb)
        kept = []
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in changes:
                if changes[gid] is None:
                    continue
                cell.source = changes[gid]
            kept.append(cell)
        nb.cells = kept
        return nb

    good = {
        "squares": "def squares(n):\n    return [i * i for i in range(1, n + 1)]",
        "describe": "def describe(values):\n    return f'{len(values)} values'",
        "explain": "Why does it do worse?\n\nBecause it memorised the training examples.",
    }
    return {
        # Everything answered: 2 automatic points, 6 wait for a person.
        "complete": edit(good),
        # The release as handed out: the test fails, both answers are unanswered.
        "untouched": copy.deepcopy(student_nb),
        # Wrong code, and the test commented out so that "nothing fails".
        "commented_test": edit(
            {
                "squares": "def squares(n):\n    return list(range(n))",
                "test_squares": "# assert squares(3) == [1, 4, 9]",
                "describe": good["describe"],
            }
        ),
        # Correct code; the Markdown answer cell was deleted, the code answer emptied.
        "deleted_answer": edit({"squares": good["squares"], "explain": None, "describe": ""}),
    }


def main() -> None:
    source = source_notebook()
    student = release(source)
    files = {"source/ps1.ipynb": source, "release/ps1.ipynb": student}
    for name, nb in submissions(student).items():
        files[f"submitted/{name}/ps1.ipynb"] = nb
    for rel, nb in files.items():
        path = HERE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(notebook_bytes(nb))


if __name__ == "__main__":
    main()
