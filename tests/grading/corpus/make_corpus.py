"""Regenerate the grading test corpus: ``python tests/grading/corpus/make_corpus.py``.

Writes ``squares.ipynb`` (the instructor's source: three small functions, a
test cell each with visible and hidden tests, 6 points in all) and one
submission per hostile or ordinary behaviour under ``submissions/``. The
expected score of each lives in ``tests/grading/test_corpus.py``.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_lib.grading.build import build_assignment, notebook_bytes

HERE = Path(__file__).parent
HIDDEN_SENTINEL = "HIDDEN-SENTINEL-7f3a"


def meta(
    grade_id: str,
    *,
    points: float | None = None,
    solution: bool = False,
    grade: bool = False,
    locked: bool = False,
) -> dict:
    nbg = {
        "grade_id": grade_id,
        "solution": solution,
        "grade": grade,
        "locked": locked,
        "schema_version": 3,
    }
    if points is not None:
        nbg["points"] = points
    return {"nbgrader": nbg}


def source_notebook() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# Squares\nThree small functions, 6 points."),
        new_code_cell("import math", metadata=meta("setup", locked=True)),
        new_code_cell(
            "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION",
            metadata=meta("square", solution=True),
        ),
        new_code_cell(
            "assert square(3) == 9\n"
            "### BEGIN HIDDEN TESTS\n"
            f"# {HIDDEN_SENTINEL}\n"
            "assert square(-4) == 16\n"
            "### END HIDDEN TESTS",
            metadata=meta("test_square", points=2, grade=True, locked=True),
        ),
        new_code_cell(
            "def mean(values):\n    ### BEGIN SOLUTION\n    return sum(values) / len(values)\n"
            "    ### END SOLUTION",
            metadata=meta("mean", solution=True),
        ),
        new_code_cell(
            "assert mean([1, 2, 3]) == 2\n"
            "### BEGIN HIDDEN TESTS\n"
            "assert mean([2.5]) == 2.5, 'mean of one value'\n"
            "assert math.isclose(mean([0.1] * 10), 0.1)\n"
            "### END HIDDEN TESTS",
            metadata=meta("test_mean", points=3, grade=True, locked=True),
        ),
        new_markdown_cell(
            "Why does `mean([])` fail?\n\n### BEGIN SOLUTION\nDivision by zero.\n### END SOLUTION",
            # nbgrader's convention for a written answer: a manually graded cell
            metadata=meta("why_mean", points=0, solution=True, grade=True),
        ),
        new_code_cell(
            "def clip(x, low, high):\n    ### BEGIN SOLUTION\n    return max(low, min(x, high))\n"
            "    ### END SOLUTION",
            metadata=meta("clip", solution=True),
        ),
        new_code_cell(
            "assert clip(5, 0, 3) == 3\n"
            "### BEGIN HIDDEN TESTS\n"
            "assert clip(-1, 0, 3) == 0\n"
            "### END HIDDEN TESTS",
            metadata=meta("test_clip", points=1, grade=True, locked=True),
        ),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["course_grading"] = {"cell_timeout": 5, "total_timeout": 60, "memory_mb": 1024}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"squares-{i}"
    return nb


GOOD = {
    "square": "def square(x):\n    return x * x",
    "mean": "def mean(values):\n    return sum(values) / len(values)",
    "clip": "def clip(x, low, high):\n    return max(low, min(x, high))",
}


LEAK_PROBE = """import glob
import os

_leaks = [p for p in glob.glob("**", recursive=True) + glob.glob(os.environ["HOME"] + "/**",
          recursive=True) if os.path.isfile(p) and "SENTINEL" in open(p, errors="ignore").read()]
_leaks += [s for s in In if "SENTINEL" in s and "_leaks" not in s]


def clip(x, low, high):
    if _leaks:
        return None
    return max(low, min(x, high))"""


def submission(
    exercise: nbformat.NotebookNode, answers: dict[str, str], edit=None
) -> nbformat.NotebookNode:
    nb = copy.deepcopy(exercise)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    if edit is not None:
        edit(nb)
    return nb


def cell_by_id(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def edit_test(nb):
    cell_by_id(nb, "test_square").source = "pass  # tests are for other people"


def fake_passed(nb):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "print('All tests passed!')"
            cell.outputs = [new_output("stream", name="stdout", text="All tests passed!\n")]
            cell.execution_count = 3


def delete_tests(nb):
    nb.cells = [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") not in ("test_mean", "test_clip")
    ]


def submissions(exercise) -> dict[str, nbformat.NotebookNode]:
    good = dict(GOOD)
    stderr_print = "import sys\nprint('All tests passed!')\nprint('score: 6/6', file=sys.stderr)\n"
    return {
        "correct": submission(exercise, good),
        "partly_correct": submission(
            exercise, {**good, "mean": "def mean(values):\n    return sum(values) // len(values)"}
        ),
        "wrong": submission(
            exercise,
            {
                "square": "def square(x):\n    return 0",
                "mean": "def mean(values):\n    return 0",
                "clip": "def clip(x, low, high):\n    return 0",
            },
        ),
        "syntax_error": submission(exercise, {**good, "square": "def square(x)\n    return x * x"}),
        "empty": submission(exercise, {}),
        "infinite_loop": submission(
            exercise, {**good, "square": "def square(x):\n    while True:\n        pass"}
        ),
        "memory_hog": submission(
            exercise,
            {
                **good,
                "mean": "def mean(values):\n    hog = bytearray(10**11)\n"
                "    return sum(values) / len(values)",
            },
        ),
        "kernel_crash": submission(
            exercise, {**good, "mean": "import os\n\ndef mean(values):\n    os._exit(1)"}
        ),
        "test_edited": submission(
            exercise, {**good, "square": "def square(x):\n    return 0"}, edit=edit_test
        ),
        "fake_passed": submission(
            exercise,
            {
                "square": stderr_print + "def square(x):\n    return 0",
                "mean": stderr_print + "def mean(values):\n    return 0",
                "clip": stderr_print + "def clip(x, low, high):\n    return 0",
            },
            edit=fake_passed,
        ),
        "deleted_test": submission(
            exercise, {**good, "mean": "def mean(values):\n    return 0"}, edit=delete_tests
        ),
        "sys_exit": submission(
            exercise, {**good, "square": "import sys\n\ndef square(x):\n    sys.exit(0)"}
        ),
        "huge_output": submission(
            exercise,
            {**good, "square": "def square(x):\n    print('spam ' * 2_000_000)\n    return x * x"},
        ),
        "exit_call": submission(exercise, {**good, "clip": "exit()"}),
        # Looks for the hidden tests on disk and in the kernel's input history
        # after test_square ran; a leak would cost the clip point.
        "leak_probe": submission(exercise, {**good, "clip": LEAK_PROBE}),
    }


def main() -> None:
    source = source_notebook()
    (HERE / "squares.ipynb").write_bytes(notebook_bytes(source))
    exercise, _solution = build_assignment(source, "squares.ipynb")
    out = HERE / "submissions"
    out.mkdir(exist_ok=True)
    for name, nb in submissions(exercise).items():
        (out / f"{name}.ipynb").write_bytes(notebook_bytes(nb))
    # A folder submission with a data file the notebook reads.
    folder = out / "folder_student"
    folder.mkdir(exist_ok=True)
    data_nb = submission(
        exercise,
        {
            **GOOD,
            "square": "FACTOR = int(open('factor.txt').read())\n\n"
            "def square(x):\n    return x * x * FACTOR",
        },
    )
    (folder / "squares.ipynb").write_bytes(notebook_bytes(data_nb))
    (folder / "factor.txt").write_text("1\n")
    (out / "not_a_notebook.ipynb").write_text("{ this is not json")


if __name__ == "__main__":
    main()
