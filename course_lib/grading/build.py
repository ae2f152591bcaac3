"""Source notebook -> student exercise + instructor solution, deterministically.

A pipeline of small pure transforms on an ``nbformat`` notebook (each returns a
new notebook and leaves its input alone)::

    exercise = clear_outputs(remove_hidden(stub_solutions(source)))
    solution = clear_outputs(remove_hidden(keep_solutions(source)))

`build_all` writes ``exercises/NAME.ipynb`` and ``solutions/NAME.ipynb`` for
every ``notebooks/**/NAME.ipynb``; `check_up_to_date` lists generated files that
differ from what a build would write (CI runs ``course build --check``).
Output bytes depend only on the source notebook: keys sorted, one-space
indentation (nbformat's own format), cell ids derived from positions when the
source has none, volatile metadata (execution timings, widget state) dropped.
"""

from __future__ import annotations

import copy
import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_lib.errors import GradingError
from course_lib.grading.markers import (
    find_regions,
    notebook_roles,
    remove_hidden_tests,
    replace_solutions,
    strip_solution_markers,
    whole_cell_stub,
)

_VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")
_VOLATILE_NOTEBOOK_METADATA = ("widgets",)


def read_notebook(path: str | Path) -> Any:
    """Read an ``.ipynb`` file as an nbformat v4 notebook.

    Raises:
        GradingError: the file is missing or is not a valid notebook.
    """
    import nbformat

    path = Path(path)
    try:
        return nbformat.read(str(path), as_version=4)
    except FileNotFoundError as exc:
        raise GradingError(
            f"Notebook not found. Received: path={str(path)!r}",
            hint="check the path (relative paths start from the current folder)",
        ) from exc
    except Exception as exc:
        raise GradingError(
            f"{path.name}: not a readable Jupyter notebook ({type(exc).__name__}: {exc})",
            hint="open it in JupyterLab and save it again, or restore it from git",
        ) from exc


def notebook_bytes(nb: Any) -> bytes:
    """The canonical file content of ``nb`` (nbformat's JSON, sorted keys, final newline)."""
    import nbformat

    text = nbformat.writes(nb, version=4)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _cell_source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def normalize(nb: Any, name: str = "notebook") -> Any:
    """Copy of ``nb`` with stable cell ids and volatile metadata removed."""
    nb = copy.deepcopy(nb)
    nb["nbformat"], nb["nbformat_minor"] = 4, max(int(nb.get("nbformat_minor", 5)), 5)
    for key in _VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    for index, cell in enumerate(nb.cells):
        if not cell.get("id"):
            digest = hashlib.sha1(f"{name}:{index}".encode()).hexdigest()[:8]
            cell["id"] = f"cell-{digest}"
        cell["source"] = _cell_source(cell)
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    return nb


def clear_outputs(nb: Any) -> Any:
    """Copy of ``nb`` with outputs, execution counts and attachments' outputs removed."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def _rewrite_cells(nb: Any, name: str, kind: str, rewrite: Any) -> Any:
    """Copy of ``nb``; each cell with a ``kind`` region gets ``rewrite(source, regions, cell)``."""
    nb = copy.deepcopy(nb)
    for index, cell in enumerate(nb.cells):
        source = _cell_source(cell)
        regions = find_regions(source, name, index)
        if any(r.kind == kind for r in regions):
            cell.source = rewrite(source, regions, cell)
    return nb


def stub_solutions(nb: Any, name: str = "notebook") -> Any:
    """Copy of ``nb`` with every solution block replaced by the student's stub.

    A solution cell (``solution: true``) without markers becomes the stub as a
    whole, as nbgrader's ``ClearSolutions`` does.
    """
    unmarked = [
        index
        for index, cell in enumerate(nb.cells)
        if isinstance(meta := cell.get("metadata", {}).get("nbgrader", {}), dict)
        and meta.get("solution") is True
        and not any(r.kind == "solution" for r in find_regions(_cell_source(cell), name, index))
    ]
    nb = _rewrite_cells(
        nb,
        name,
        "solution",
        lambda src, regions, cell: replace_solutions(src, regions, cell.cell_type),
    )
    for index in unmarked:
        nb.cells[index].source = whole_cell_stub(nb.cells[index].cell_type)
    return nb


def keep_solutions(nb: Any, name: str = "notebook") -> Any:
    """Copy of ``nb`` with solution markers removed and the solutions kept."""
    return _rewrite_cells(
        nb, name, "solution", lambda src, regions, _: strip_solution_markers(src, regions)
    )


def remove_hidden(nb: Any, name: str = "notebook") -> Any:
    """Copy of ``nb`` without hidden-test blocks."""
    return _rewrite_cells(
        nb, name, "hidden_tests", lambda src, regions, _: remove_hidden_tests(src, regions)
    )


def build_assignment(src_nb: Any, name: str = "notebook") -> tuple[Any, Any]:
    """Make the student's and the instructor's notebooks from one source.

    Args:
        src_nb: the instructor's source notebook (nbformat v4).
        name: its name, used in error messages and for stable cell ids.

    Returns:
        ``(exercise_nb, solution_nb)``: the exercise has ``# YOUR CODE HERE`` /
        ``raise NotImplementedError()`` stubs; both have hidden tests removed
        and outputs cleared. The source is not modified.

    Raises:
        GradingError: a marker or metadata problem (see `markers`).

    Example:
        >>> exercise, solution = build_assignment(nbformat.read("notebooks/01.ipynb", 4), "01")
    """
    roles = notebook_roles(src_nb, name)  # validate everything before transforming anything
    base = clear_outputs(normalize(src_nb, name))
    exercise = remove_hidden(stub_solutions(base, name), name)
    solution = remove_hidden(keep_solutions(base, name), name)
    tests = visible_tests(exercise, roles)
    if tests:
        exercise.metadata["course_check"] = {"tests": tests}
    return exercise, solution


def visible_tests(exercise: Any, roles: list[Any]) -> list[dict[str, Any]]:
    """The exercise's test cells as ``course check`` restores them.

    ``course check`` runs these copies in place of test cells a student
    edited, emptied or deleted, as the grader runs the instructor's copies,
    so the two agree on the visible tests. Each entry: ``grade_id``,
    ``points``, ``source`` (hidden tests removed) and ``after`` (the
    grade_id of the nearest cell above that has one, where a deleted test
    goes back; ``None`` for the top).
    """
    tests = []
    after = None
    for role in roles:
        if role.is_test:
            tests.append(
                {
                    "grade_id": role.grade_id,
                    "points": role.points,
                    "source": _cell_source(exercise.cells[role.index]),
                    "after": after,
                }
            )
        if role.grade_id is not None:
            after = role.grade_id
    return tests


@dataclass
class BuildReport:
    """What `build_all` or `check_up_to_date` found.

    Attributes:
        written: generated files that were (or would be) written.
        unchanged: generated files already up to date.
        stale: generated files that differ from a fresh build or are missing.
        orphans: generated notebooks whose source no longer exists.
    """

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        return not self.stale and not self.orphans


def _sources(notebooks_dir: Path) -> list[Path]:
    if not notebooks_dir.is_dir():
        return []
    return sorted(
        p
        for p in notebooks_dir.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts and not p.name.startswith(".")
    )


def _generated(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _plan(
    notebooks_dir: Path, exercises_dir: Path, solutions_dir: Path
) -> tuple[dict[Path, bytes], list[Path]]:
    """Every generated file's expected bytes, and the orphans."""
    expected: dict[Path, bytes] = {}
    for src in _sources(notebooks_dir):
        rel = src.relative_to(notebooks_dir)
        exercise, solution = build_assignment(read_notebook(src), rel.as_posix())
        expected[exercises_dir / rel] = notebook_bytes(exercise)
        expected[solutions_dir / rel] = notebook_bytes(solution)
    orphans = [
        p for p in _generated(exercises_dir) + _generated(solutions_dir) if p not in expected
    ]
    return expected, orphans


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_all(
    notebooks_dir: str | Path = "notebooks",
    exercises_dir: str | Path = "exercises",
    solutions_dir: str | Path = "solutions",
) -> BuildReport:
    """Build every source notebook; remove generated notebooks without a source.

    A missing or empty ``notebooks_dir`` builds nothing. Sources are all
    validated before any file is written, so a marker error leaves the
    generated folders untouched.

    Args:
        notebooks_dir: folder of source notebooks (searched recursively).
        exercises_dir: where student notebooks go.
        solutions_dir: where instructor solutions go.

    Returns:
        A `BuildReport` (``written``, ``unchanged``, ``orphans`` removed).

    Raises:
        GradingError: a source notebook is unreadable or has marker errors.
    """
    report, expected = _compare(notebooks_dir, exercises_dir, solutions_dir)
    for path in report.stale:
        _atomic_write(path, expected[path])
    report.written, report.stale = report.stale, []
    for path in report.orphans:
        path.unlink()
    return report


def check_up_to_date(
    notebooks_dir: str | Path = "notebooks",
    exercises_dir: str | Path = "exercises",
    solutions_dir: str | Path = "solutions",
) -> BuildReport:
    """Compare the generated folders with a fresh build, writing nothing.

    Returns:
        A `BuildReport` whose ``stale`` lists files that are missing or differ,
        and ``orphans`` generated files without a source; ``up_to_date`` is
        true when both are empty.

    Raises:
        GradingError: a source notebook is unreadable or has marker errors.
    """
    return _compare(notebooks_dir, exercises_dir, solutions_dir)[0]


def _compare(
    notebooks_dir: str | Path, exercises_dir: str | Path, solutions_dir: str | Path
) -> tuple[BuildReport, dict[Path, bytes]]:
    """A fresh build in memory against the files on disk: unchanged vs stale, and the bytes."""
    expected, orphans = _plan(Path(notebooks_dir), Path(exercises_dir), Path(solutions_dir))
    report = BuildReport(orphans=orphans)
    for path, data in expected.items():
        same = path.is_file() and path.read_bytes() == data
        (report.unchanged if same else report.stale).append(path)
    return report, expected
