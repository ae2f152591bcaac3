"""Hostile submissions that change how the kernel runs code: a failing test stays failing."""

from __future__ import annotations

import copy

import nbformat
import pytest

from course_lib.grading.autograde import grade_submissions
from course_lib.grading.build import build_assignment

from .grading_nb import make_nb, nbg

WRONG = "def add(a, b):\n    return a - b"
RIGHT = "def add(a, b):\n    return a + b"
# Each puts the wrong `add` in place and then tries to make the tests pass anyway.
HOSTILE = {
    "input_transformer": "get_ipython().input_transformers_post.append(\n"
    "    lambda lines: [l.replace('assert ', 'assert True or ') for l in lines])",
    "ast_transformer": "import ast\n"
    "class NoAsserts(ast.NodeTransformer):\n"
    "    def visit_Assert(self, node):\n"
    "        return ast.Pass()\n"
    "get_ipython().ast_transformers.append(NoAsserts())",
    "post_run_hook": "get_ipython().events.register(\n"
    "    'post_run_cell', lambda result: setattr(result, 'error_in_exec', None))",
    "library_function": "import sys, course_lib.grading.tables\n"
    "sys.modules['course_lib.grading.tables'].parse_number = lambda *a: 4.0",
    "builtins_patch": "import builtins, math\nbuiltins.abs = lambda x: 4\n"
    "math.isclose = lambda *a, **k: True",
    "fake_runner": "get_ipython().user_expressions = lambda exprs: {\n"
    "    k: {'status': 'ok', 'data': {'text/plain': repr('{}')}} for k in exprs}",
}


def _source():
    return make_nb(
        ("code", "import math", nbg("setup", locked=True)),
        (
            "code",
            "def add(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION",
            nbg("add", solution=True),
        ),
        ("code", "assert add(2, 2) == 4", nbg("t_plain", grade=True, points=1)),
        (
            "code",
            "assert abs(add(-2, -2)) == 4\nassert math.isclose(add(1, 1), 2)",
            nbg("t_builtins", grade=True, points=1),
        ),
        (
            "code",
            "from course_lib.grading.tables import parse_number\n"
            "assert parse_number(str(add(2, 2)), 'x') == 4",
            nbg("t_library", grade=True, points=1),
        ),
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("tamper")
    source = _source()
    source.metadata["course_grading"] = {"cell_timeout": 20, "memory_mb": 2048}
    nbformat.write(source, root / "adder.ipynb")
    exercise, _ = build_assignment(source, "adder.ipynb")
    subs = root / "subs"
    subs.mkdir()
    for name, attack in {"correct": "", **HOSTILE}.items():
        nb = copy.deepcopy(exercise)
        nb.cells[1].source = RIGHT if name == "correct" else WRONG
        if attack:
            nb.cells.insert(2, nbformat.v4.new_code_cell(attack))
        nbformat.write(nb, subs / f"{name}.ipynb")
    return grade_submissions(root / "adder.ipynb", subs, root / "out", jobs=2)


def test_the_correct_submission_passes_without_tampering_reports(graded):
    correct = graded.results["correct"]
    assert correct.total == 3 and correct.status == "ok" and correct.tampering == []


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_failing_tests_stay_failing(graded, name):
    result = graded.results[name]
    assert [t.points for t in result.tests] == [0, 0, 0], [t.reason for t in result.tests]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("input_transformer", "input_transformers_post were changed"),
        ("ast_transformer", "ast_transformers were changed"),
        ("library_function", "course_lib.grading.tables.parse_number was replaced"),
        ("builtins_patch", "builtins.abs was replaced"),
        ("fake_runner", "test runner was replaced"),
    ],
)
def test_tampering_is_reported(graded, name, words):
    result = graded.results[name]
    assert "tampering" in result.status
    assert any(words in t for t in result.tampering), result.tampering
    feedback = (graded.feedback_dir / f"{name}.md").read_text()
    assert "Changes to the grader found in your notebook" in feedback


@pytest.mark.parametrize("name", ["input_transformer", "ast_transformer", "post_run_hook"])
def test_the_attacks_are_real_without_the_guard(tmp_path, name):
    """Run through IPython as an ordinary cell, the same failing test passes."""
    from course_lib.grading.sandbox import SandboxKernel, SandboxLimits

    with SandboxKernel(tmp_path, SandboxLimits(cell_timeout=20)) as kernel:
        assert kernel.run(WRONG).status == "ok"
        assert kernel.run(HOSTILE[name]).status == "ok"
        assert kernel.run("assert add(2, 2) == 4", store_history=False).status == "ok"
        guarded = kernel.run_guarded("assert add(2, 2) == 4")
        assert (guarded.status, guarded.ename) == ("error", "AssertionError")
