"""Marker parsing and cell metadata: the happy path and every loud failure."""

from __future__ import annotations

import pytest

from course_lib.errors import GradingError
from course_lib.grading.markers import (
    Region,
    cell_role,
    find_regions,
    notebook_roles,
    remove_hidden_tests,
    replace_solutions,
    strip_hidden_markers,
    strip_solution_markers,
)

from .grading_nb import make_nb, nbg


def test_regions_found_with_lines_and_indent():
    src = "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\ny = 1"
    assert find_regions(src) == [Region("solution", 1, 3, "    ")]


def test_two_regions_of_both_kinds_in_order():
    src = (
        "### BEGIN SOLUTION\na = 1\n### END SOLUTION\n"
        "### BEGIN HIDDEN TESTS\nassert a\n### END HIDDEN TESTS"
    )
    assert [(r.kind, r.begin, r.end) for r in find_regions(src)] == [
        ("solution", 0, 2),
        ("hidden_tests", 3, 5),
    ]


def test_stub_keeps_indentation_and_surrounding_code():
    src = "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\nprint(f)"
    out = replace_solutions(src, find_regions(src), "code")
    assert out == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\nprint(f)"


def test_markdown_stub_and_solution_kept():
    src = "Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"
    assert replace_solutions(src, find_regions(src), "markdown") == "Why?\nYOUR ANSWER HERE"
    assert strip_solution_markers(src, find_regions(src)) == "Why?\nBecause."


def test_hidden_tests_removed_or_unwrapped():
    src = "assert f(1)\n### BEGIN HIDDEN TESTS\nassert f(2)\n### END HIDDEN TESTS\nassert f(3)"
    regions = find_regions(src)
    assert remove_hidden_tests(src, regions) == "assert f(1)\nassert f(3)"
    assert strip_hidden_markers(src, regions) == "assert f(1)\nassert f(2)\nassert f(3)"


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        (
            "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION",
            2,
            "nested marker '### BEGIN SOLUTION' inside the SOLUTION block opened at line 1",
        ),
        (
            "### BEGIN SOLUTION\n### BEGIN HIDDEN TESTS\n",
            2,
            "nested marker '### BEGIN HIDDEN TESTS'",
        ),
        ("x = 1\n### BEGIN SOLUTION\nx = 2", 2, "'### BEGIN SOLUTION' is never closed"),
        ("x = 1\n### END SOLUTION", 2, "has no matching '### BEGIN SOLUTION'"),
        (
            "### BEGIN SOLUTION\nx\n### END HIDDEN TESTS",
            3,
            "closes the SOLUTION block opened at line 1",
        ),
        ("## BEGIN SOLUTION\nx\n### END SOLUTION", 1, "malformed marker"),
        ("### BEGIN SOLUTIONS\nx\n### END SOLUTION", 1, "malformed marker"),
        ("x = 1  ### BEGIN SOLUTION\n### END SOLUTION", 1, "malformed marker"),
        ("# end hidden tests", 1, "malformed marker"),
    ],
)
def test_marker_errors_name_notebook_cell_and_line(source, line, words):
    with pytest.raises(GradingError) as info:
        find_regions(source, "hw1.ipynb", 7)
    message = str(info.value)
    assert message.startswith(f"hw1.ipynb: cell 7, line {line}: ")
    assert words in message
    assert "Fix:" in message


def test_ordinary_comments_mentioning_solutions_are_fine():
    assert find_regions("# the solution begins below\nx = 1  # end of solution") == []


def _role_error(cell_source, metadata, cell_type="code"):
    nb = make_nb(("code" if cell_type == "code" else "md", cell_source, metadata))
    with pytest.raises(GradingError) as info:
        cell_role(nb.cells[0], "hw.ipynb", 3)
    return str(info.value)


def test_hidden_tests_outside_a_test_cell_are_misplaced():
    msg = _role_error("### BEGIN HIDDEN TESTS\nassert 1\n### END HIDDEN TESTS", nbg("a"))
    assert msg.startswith("hw.ipynb: cell 3, line 1: hidden tests outside a test cell")
    msg = _role_error("### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS", {}, cell_type="md")
    assert "hidden tests outside a test cell" in msg


def test_solution_markers_in_a_test_cell_are_misplaced():
    msg = _role_error(
        "x = 1\n### BEGIN SOLUTION\ny\n### END SOLUTION", nbg("t", grade=True, points=1)
    )
    assert msg.startswith("hw.ipynb: cell 3, line 2: solution markers in a test cell")


@pytest.mark.parametrize(
    ("metadata", "words"),
    [
        (nbg("t", grade=True), "needs points >= 0. Received: points=None"),
        (nbg("t", grade=True, points=-1), "Received: points=-1"),
        (nbg("t", grade=True, points="2"), "Received: points='2'"),
        (nbg(None, grade=True, points=1), "needs a grade_id"),
        (nbg(None, locked=True), "a locked cell needs a grade_id"),
        (nbg("t", grade="yes", points=1), "grade must be true or false"),
        (nbg("", solution=True), "grade_id must be a non-empty string"),
        ({"nbgrader": ["grade"]}, "metadata.nbgrader must be an object"),
    ],
)
def test_bad_metadata_is_reported(metadata, words):
    msg = _role_error("assert True", metadata)
    assert msg.startswith("hw.ipynb: cell 3: ")
    assert words in msg


def test_roles_of_a_valid_notebook(simple_source):
    roles = notebook_roles(simple_source, "double.ipynb")
    assert [(r.grade_id, r.solution, r.grade, r.points) for r in roles] == [
        (None, False, False, 0.0),
        ("double", True, False, 0.0),
        ("test_double", False, True, 2.0),
    ]
    assert roles[2].has_hidden_tests and roles[2].locked


def test_unmarked_cell_with_solution_markers_is_a_solution_cell():
    nb = make_nb(("code", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"))
    assert cell_role(nb.cells[0]).solution


def test_duplicate_grade_id_names_both_cells():
    nb = make_nb(
        ("code", "x = 1", nbg("same", solution=True)),
        ("code", "y = 1", nbg("same", solution=True)),
    )
    expected = r"nb: cell 1: grade_id 'same' is already used by cell 0"
    with pytest.raises(GradingError, match=expected):
        notebook_roles(nb, "nb")
