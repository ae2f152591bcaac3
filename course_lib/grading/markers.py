"""Solution and hidden-test markers, and the cell metadata that drives grading.

Markers (nbgrader's syntax, each alone on its line, indentation allowed)::

    ### BEGIN SOLUTION          in code or Markdown cells: the instructor's answer
    ### END SOLUTION
    ### BEGIN HIDDEN TESTS      in test cells only: run when grading, never shown
    ### END HIDDEN TESTS

Cell metadata is nbgrader's schema version 3 (``cell.metadata["nbgrader"]``,
https://nbgrader.readthedocs.io/en/stable/contributor_guide/metadata.html)::

    {"grade_id": "sigmoid-tests",   # unique name of the cell: letters, digits, _ and -
     "points": 2,                   # a number >= 0, for grade (and task) cells
     "solution": false,             # true: the student writes this cell
     "grade": true,                 # true: the cell is graded
     "locked": true,                # true: the grader restores the instructor's copy
     "task": false,                 # true: a manually graded task (Markdown)
     "schema_version": 3,           # optional; when present it must be 3
     "checksum": "...",             # written by nbgrader into student copies
     "cell_type": "code"}           # idem; both are accepted and ignored in sources

The cell kinds, with nbgrader's meaning:

- An **autograder test cell** has ``grade: true`` and ``solution: false`` (a
  code cell with ``grade_id`` and ``points``). It earns its points when it
  runs without raising an exception; what it prints does not matter. It is
  always restored from the instructor's copy. Hidden tests may only appear
  in test cells.
- An **autograded answer** (solution cell) has ``solution: true`` and
  ``grade: false`` (cells with solution markers and no metadata count as
  solution cells). The student's version runs; tests below it grade it. A
  solution cell without markers becomes the stub as a whole in the exercise.
- A **manually graded answer** has ``grade: true`` **and** ``solution: true``
  (code or Markdown). The student's answer is kept, earns no automatic
  points, and is listed for a person to grade (`course grade --manual`);
  an answer left as the exercise's stub gets 0, as in nbgrader (so does a
  blank or deleted answer, which nbgrader leaves to a person).
- A **manually graded task** (``task: true``) is a Markdown cell describing
  work a person grades; its ``points`` go to manual grading.
- A **read-only cell** (``locked: true``, e.g. setup code) needs a
  ``grade_id``; it is replaced by the instructor's copy when grading.
  Solution cells are never locked (nbgrader's ``is_locked``).

Not supported, and rejected with an error naming the cell: nbgrader's
``### AUTOTEST`` / ``### HASHED AUTOTEST`` lines (they need an
``autotests.yml``; write the asserts in the test cell instead), schema
versions other than 3 (run ``nbgrader update`` first), unknown metadata keys,
Markdown grade cells that are not solution cells and Markdown solution cells
that are not grade cells (nbgrader rejects both). nbgrader's partial credit
(a test cell whose value is a number) is not used: a test cell earns all its
points or none.

Every marker or metadata problem raises `GradingError` naming the notebook,
the cell index (0-based, as ``nbformat`` counts) and the 1-based line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from course_lib.errors import GradingError

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN_TESTS = "### BEGIN HIDDEN TESTS"
END_HIDDEN_TESTS = "### END HIDDEN TESTS"

_MARKERS = {
    BEGIN_SOLUTION: ("begin", "solution"),
    END_SOLUTION: ("end", "solution"),
    BEGIN_HIDDEN_TESTS: ("begin", "hidden_tests"),
    END_HIDDEN_TESTS: ("end", "hidden_tests"),
}
# Anything that looks like a marker but is not exactly one (typos, wrong number
# of '#', trailing text, code before it) is an error rather than silently ignored.
_LOOKS_LIKE_MARKER = re.compile(r"#+\s*(BEGIN|END)\s+(SOLUTIONS?|HIDDEN\s*TESTS?)\b", re.IGNORECASE)
_KIND_NAMES = {"solution": "SOLUTION", "hidden_tests": "HIDDEN TESTS"}
_AUTOTEST = re.compile(r"^\s*#.*\bAUTOTEST\b")  # nbgrader: a comment line with the word
_GRADE_ID = re.compile(r"[A-Za-z0-9_\-]+")
_NBGRADER_KEYS = frozenset(
    {
        "grade_id",
        "points",
        "solution",
        "grade",
        "locked",
        "task",
        "schema_version",
        "checksum",
        "cell_type",
    }
)


@dataclass(frozen=True)
class Region:
    """A marked block of lines in one cell.

    Attributes:
        kind: ``"solution"`` or ``"hidden_tests"``.
        begin: 0-based index of the BEGIN marker line.
        end: 0-based index of the END marker line.
        indent: whitespace before the BEGIN marker (used for the stub).
    """

    kind: str
    begin: int
    end: int
    indent: str


@dataclass(frozen=True)
class CellRole:
    """What the grader does with one cell.

    Attributes:
        index: position in the notebook.
        cell_type: ``"code"``, ``"markdown"`` or ``"raw"``.
        grade_id: the cell's name, or ``None``.
        points: points of a test cell (0.0 otherwise).
        solution: the student's answer goes here.
        grade: graded (a test cell, or with ``solution`` a manual answer).
        locked: restored from the instructor's notebook when grading.
        regions: marked blocks, in order.
        task: a manually graded task cell.
    """

    index: int
    cell_type: str
    grade_id: str | None
    points: float
    solution: bool
    grade: bool
    locked: bool
    regions: tuple[Region, ...]
    task: bool = False

    @property
    def has_hidden_tests(self) -> bool:
        return any(r.kind == "hidden_tests" for r in self.regions)

    @property
    def is_test(self) -> bool:
        """An autograder test cell: graded by running it."""
        return self.grade and not self.solution and self.cell_type == "code"

    @property
    def is_manual(self) -> bool:
        """Graded by a person: a manually graded answer or task."""
        return (self.grade and self.solution) or self.task


def _where(notebook: str, index: int, line: int | None = None) -> str:
    where = f"{notebook}: cell {index}"
    return where if line is None else f"{where}, line {line + 1}"


def find_regions(source: str, notebook: str = "<notebook>", index: int = 0) -> list[Region]:
    """Find the marked blocks in one cell's source.

    Args:
        source: the cell's source text.
        notebook: notebook name for error messages.
        index: cell index for error messages.

    Returns:
        The regions in order of appearance.

    Raises:
        GradingError: a marker is malformed, not alone on its line, nested,
            unterminated or an END without its BEGIN.

    Example:
        >>> find_regions("def f():\\n    ### BEGIN SOLUTION\\n    return 1\\n    ### END SOLUTION")
        [Region(kind='solution', begin=1, end=3, indent='    ')]
    """
    regions: list[Region] = []
    open_kind: str | None = None
    open_line = 0
    open_indent = ""
    for number, line in enumerate(source.splitlines()):
        stripped = line.strip()
        marker = _MARKERS.get(stripped)
        if marker is None:
            if _LOOKS_LIKE_MARKER.search(line):
                raise GradingError(
                    f"{_where(notebook, index, number)}: malformed marker. Received: {line!r}",
                    hint=f"write markers exactly as {BEGIN_SOLUTION!r}, {END_SOLUTION!r}, "
                    f"{BEGIN_HIDDEN_TESTS!r} or {END_HIDDEN_TESTS!r}, alone on their line",
                )
            continue
        action, kind = marker
        if action == "begin":
            if open_kind is not None:
                raise GradingError(
                    f"{_where(notebook, index, number)}: nested marker {stripped!r} inside the "
                    f"{_KIND_NAMES[open_kind]} block opened at line {open_line + 1}",
                    hint=f"close the open block with '### END {_KIND_NAMES[open_kind]}' first",
                )
            open_kind, open_line = kind, number
            open_indent = line[: len(line) - len(line.lstrip())]
        else:
            if open_kind is None:
                raise GradingError(
                    f"{_where(notebook, index, number)}: {stripped!r} has no matching "
                    f"'### BEGIN {_KIND_NAMES[kind]}' before it",
                    hint="add the BEGIN marker above it or delete this END marker",
                )
            if open_kind != kind:
                raise GradingError(
                    f"{_where(notebook, index, number)}: {stripped!r} closes the "
                    f"{_KIND_NAMES[open_kind]} block opened at line {open_line + 1}",
                    hint=f"close it with '### END {_KIND_NAMES[open_kind]}'",
                )
            regions.append(Region(kind, open_line, number, open_indent))
            open_kind = None
    if open_kind is not None:
        raise GradingError(
            f"{_where(notebook, index, open_line)}: '### BEGIN {_KIND_NAMES[open_kind]}' "
            "is never closed",
            hint=f"add '### END {_KIND_NAMES[open_kind]}' at the end of the block",
        )
    return regions


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def cell_role(cell: Any, notebook: str = "<notebook>", index: int = 0) -> CellRole:
    """Read a cell's grading metadata and markers, checking they agree.

    Args:
        cell: an nbformat cell (dict-like).
        notebook: notebook name for error messages.
        index: cell index for error messages.

    Returns:
        The cell's `CellRole`.

    Raises:
        GradingError: bad metadata types or keys, a graded cell without
            ``grade_id`` or ``points``, hidden tests outside a test cell,
            solution markers in a test cell, a schema version other than 3,
            nbgrader's AUTOTEST lines, a Markdown cell that is graded but not
            a solution (or the reverse), or any marker error from `find_regions`.
    """
    cell_type = cell.get("cell_type", "code")
    meta = cell.get("metadata", {}).get("nbgrader", {})
    where = _where(notebook, index)
    if not isinstance(meta, dict):
        raise GradingError(
            f"{where}: metadata.nbgrader must be an object. Received: {meta!r}",
            hint='use {"grade_id": "...", "points": 1, "grade": true, ...}',
        )
    unknown = sorted(set(meta) - _NBGRADER_KEYS)
    if unknown:
        raise GradingError(
            f"{where}: unknown metadata.nbgrader keys {unknown}",
            hint=f"nbgrader's schema 3 has only {sorted(_NBGRADER_KEYS)}; remove the others",
        )
    if "schema_version" in meta and meta["schema_version"] != 3:
        raise GradingError(
            f"{where}: nbgrader metadata schema {meta['schema_version']!r} is not supported. "
            "Expected schema_version=3",
            hint="upgrade the notebook with `nbgrader update NOTEBOOK` (nbgrader 0.6 or later)",
        )
    for key in ("solution", "grade", "locked", "task"):
        if key in meta and not isinstance(meta[key], bool):
            raise GradingError(
                f"{where}: metadata.nbgrader.{key} must be true or false. "
                f"Received: {key}={meta[key]!r}",
                hint=f'write "{key}": true or "{key}": false',
            )
    grade_id = meta.get("grade_id")
    if grade_id is not None and (not isinstance(grade_id, str) or not grade_id.strip()):
        raise GradingError(
            f"{where}: metadata.nbgrader.grade_id must be a non-empty string. "
            f"Received: grade_id={grade_id!r}",
            hint='name the cell, e.g. "grade_id": "sigmoid-tests"',
        )
    if grade_id is not None and not _GRADE_ID.fullmatch(grade_id):
        raise GradingError(
            f"{where}: grade_id may only contain letters, digits, '_' and '-' (nbgrader's "
            f"rule). Received: grade_id={grade_id!r}",
            hint="rename it, e.g. " + repr(re.sub(r"[^A-Za-z0-9_\-]+", "-", grade_id)),
        )
    source = _source(cell)
    for number, line in enumerate(source.splitlines()):
        if _AUTOTEST.match(line):
            raise GradingError(
                f"{_where(notebook, index, number)}: nbgrader's AUTOTEST lines are not "
                f"supported. Received: {line.strip()!r}",
                hint="write the checks as assert statements in the test cell",
            )
    grade = bool(meta.get("grade", False))
    task = bool(meta.get("task", False))
    regions = tuple(find_regions(source, notebook, index))
    has_solution = any(r.kind == "solution" for r in regions)
    solution = bool(meta.get("solution", False)) or (has_solution and not grade)
    if task and (cell_type != "markdown" or grade or solution):
        raise GradingError(
            f"{where}: a task cell (task: true) must be a Markdown cell with grade and "
            f"solution false. Received: cell_type={cell_type!r}, grade={grade}, "
            f"solution={solution}",
            hint="make it a Markdown cell, or use grade+solution for a manually graded answer",
        )
    if cell_type == "markdown" and not task and grade != solution and (grade or meta):
        kind = "graded but not a solution cell" if grade else "a solution cell but not graded"
        raise GradingError(
            f"{where}: a Markdown cell that is {kind} (nbgrader rejects it). Received: "
            f"grade={grade}, solution={solution}",
            hint='a written answer needs "grade": true and "solution": true and "points"',
        )
    points = 0.0
    if grade or (task and "points" in meta):
        raw = meta.get("points")
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not raw >= 0:
            kind = "a task cell" if task else "a graded cell (grade: true)"
            raise GradingError(
                f"{where}: {kind} needs points >= 0. Received: points={raw!r}",
                hint='add e.g. "points": 1 to metadata.nbgrader (a number, not a string)',
            )
        points = float(raw)
    if (grade or task) and grade_id is None:
        raise GradingError(
            f"{where}: a graded cell (grade: true or task: true) needs a grade_id",
            hint='add e.g. "grade_id": "exercise1-tests" to metadata.nbgrader',
        )
    locked = (bool(meta.get("locked", False)) or (grade and not solution)) and not solution
    if locked and grade_id is None:
        raise GradingError(
            f"{where}: a locked cell needs a grade_id so the grader can restore it",
            hint='add e.g. "grade_id": "setup" to metadata.nbgrader',
        )
    if "schema_version" in meta and solution and grade_id is None:
        raise GradingError(
            f"{where}: an nbgrader solution cell needs a grade_id",
            hint='add e.g. "grade_id": "answer1" to metadata.nbgrader',
        )
    for region in regions:
        line = region.begin
        if region.kind == "hidden_tests" and (not grade or solution or cell_type != "code"):
            raise GradingError(
                f"{_where(notebook, index, line)}: hidden tests outside a test cell",
                hint="move them into a code cell with metadata.nbgrader "
                '{"grade": true, "grade_id": ..., "points": ...}',
            )
        if region.kind == "solution" and grade and not meta.get("solution", False):
            raise GradingError(
                f"{_where(notebook, index, line)}: solution markers in a test cell "
                f"(grade_id={grade_id!r})",
                hint="put the solution in its own cell above the tests, or mark the cell "
                '"solution": true to make it a manually graded answer',
            )
    return CellRole(
        index=index,
        cell_type=cell_type,
        grade_id=grade_id,
        points=points,
        solution=solution,
        grade=grade,
        locked=locked,
        regions=regions,
        task=task,
    )


def nbgrader_checksum(cell: Any) -> str:
    """nbgrader's ``compute_checksum`` of a cell (``nbgrader/utils.py``).

    An MD5 of the source, cell type, grade/solution/locked flags (with
    nbgrader's ``is_locked``), grade_id and, for grade cells, the points as
    a float. nbgrader writes it into the student version; an answer whose
    checksum still matches was left unchanged.
    """
    meta = cell.get("metadata", {}).get("nbgrader", {})
    grade, solution = bool(meta.get("grade", False)), bool(meta.get("solution", False))
    locked = False if solution else (True if grade else bool(meta.get("locked", False)))
    digest = hashlib.md5(usedforsecurity=False)
    for part in (_source(cell), cell.get("cell_type", "code"), str(grade), str(solution)):
        digest.update(part.encode("utf-8"))
    digest.update(str(locked).encode("utf-8"))
    digest.update(str(meta.get("grade_id", "")).encode("utf-8"))
    if grade:
        digest.update(str(float(meta.get("points", 0))).encode("utf-8"))
    return digest.hexdigest()


def notebook_roles(nb: Any, notebook: str = "<notebook>") -> list[CellRole]:
    """`cell_role` for every cell, also checking that grade_ids are unique.

    Args:
        nb: an nbformat notebook.
        notebook: its name for error messages.

    Returns:
        One `CellRole` per cell, in order.

    Raises:
        GradingError: any cell's error, or a grade_id used twice.
    """
    roles = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(nb.get("cells", [])):
        role = cell_role(cell, notebook, index)
        if role.grade_id is not None:
            if role.grade_id in seen:
                raise GradingError(
                    f"{_where(notebook, index)}: grade_id {role.grade_id!r} is already used "
                    f"by cell {seen[role.grade_id]}",
                    hint="give every cell its own grade_id",
                )
            seen[role.grade_id] = index
        roles.append(role)
    return roles


def replace_solutions(
    source: str, regions: tuple[Region, ...] | list[Region], cell_type: str
) -> str:
    """Replace each solution block (markers included) by the student's stub.

    Code gets ``# YOUR CODE HERE`` and ``raise NotImplementedError()`` at the
    marker's indentation; Markdown gets ``YOUR ANSWER HERE``.
    """
    stub = whole_cell_stub(cell_type).splitlines()
    return _rewrite(source, regions, "solution", lambda r: [r.indent + s for s in stub])


def whole_cell_stub(cell_type: str) -> str:
    """nbgrader's stub: ``# YOUR CODE HERE`` + ``raise NotImplementedError()``, or
    ``YOUR ANSWER HERE`` in Markdown."""
    if cell_type == "code":
        return "# YOUR CODE HERE\nraise NotImplementedError()"
    return "YOUR ANSWER HERE"


def strip_solution_markers(source: str, regions: tuple[Region, ...] | list[Region]) -> str:
    """Keep the solutions but drop their marker lines."""
    lines = source.splitlines()

    def body(region: Region) -> list[str]:
        return lines[region.begin + 1 : region.end]

    return _rewrite(source, regions, "solution", body)


def remove_hidden_tests(source: str, regions: tuple[Region, ...] | list[Region]) -> str:
    """Delete each hidden-test block, markers included."""
    return _rewrite(source, regions, "hidden_tests", lambda r: [])


def strip_hidden_markers(source: str, regions: tuple[Region, ...] | list[Region]) -> str:
    """Keep the hidden tests (for grading) but drop their marker lines."""
    lines = source.splitlines()
    return _rewrite(source, regions, "hidden_tests", lambda r: lines[r.begin + 1 : r.end])


def _rewrite(source: str, regions: Any, kind: str, replacement: Any) -> str:
    lines = source.splitlines()
    out: list[str] = []
    position = 0
    for region in regions:
        if region.kind != kind:
            continue
        out.extend(lines[position : region.begin])
        out.extend(replacement(region))
        position = region.end + 1
    out.extend(lines[position:])
    return "\n".join(out).rstrip("\n") if out else ""
