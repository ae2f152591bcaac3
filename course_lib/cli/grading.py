"""``course build``, ``course check``, ``course grade``: thin wrappers over `course_lib.grading`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course_lib.errors import GradingError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the grading commands to the ``course`` parser."""
    build = subparsers.add_parser(
        "build",
        help="generate exercises/ and solutions/ from notebooks/",
        description="Turn every notebook in notebooks/ into exercises/NAME.ipynb (solution "
        "stubs, no hidden tests, no outputs) and solutions/NAME.ipynb.",
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if exercises/ or solutions/ are out of date",
    )
    build.add_argument(
        "--notebooks", default="notebooks", help="source folder (default: notebooks)"
    )
    build.add_argument("--exercises", default="exercises", help="default: exercises")
    build.add_argument("--solutions", default="solutions", help="default: solutions")
    build.set_defaults(handler=run_build)

    check = subparsers.add_parser(
        "check",
        help="run your notebook as the grader will and see the visible tests",
        description="Run NOTEBOOK top to bottom in a fresh kernel, as the grader will, and "
        "report visible test results, errors and out-of-order execution.",
    )
    check.add_argument("notebook", metavar="NOTEBOOK")
    _limit_options(check)
    check.set_defaults(handler=run_check)

    grade = subparsers.add_parser(
        "grade",
        help="grade a folder of submissions: gradebook CSV and feedback files",
        description="Grade every submission (one sub-folder or .ipynb per student) against "
        "the instructor's source notebook ASSIGNMENT (a path, or a name in notebooks/).",
    )
    grade.add_argument("assignment", metavar="ASSIGNMENT")
    grade.add_argument("submissions", metavar="SUBMISSIONS_DIR")
    grade.add_argument("--out", default=None, help="output folder (default: grades/ASSIGNMENT)")
    grade.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    grade.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="grade on a Dask cluster: its scheduler's address, e.g. tcp://host:8786 "
        "(each worker grades one submission at a time; --jobs is ignored)",
    )
    grade.add_argument(
        "--regrade",
        action="store_true",
        help="grade again even where the gradebook has an up-to-date result",
    )
    grade.add_argument(
        "--manual",
        default=None,
        metavar="FILE",
        help="merge manual scores and comments (the filled-in OUT/manual_todo.csv: columns "
        "student, grade_id, points, comment); kept for later runs",
    )
    _limit_options(grade)
    grade.set_defaults(handler=run_grade)

    export = subparsers.add_parser(
        "export",
        help="write a gradebook as a Canvas or Moodle grade-import CSV",
        description="Turn GRADES_DIR/gradebook.csv (from `course grade`) into an LMS "
        "grade-import file. The roster maps submission names (column 'student') to the "
        "LMS: Canvas needs 'Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section' (its "
        "own gradebook export with a 'student' column added); Moodle needs "
        "'Email address' or 'ID number'.",
    )
    export.add_argument("grades", metavar="GRADES_DIR")
    export.add_argument("--lms", choices=("canvas", "moodle"), required=True)
    export.add_argument("--roster", required=True, metavar="FILE", help="roster CSV")
    export.add_argument(
        "--title",
        required=True,
        help='the grade column: Canvas "Assignment Name (ID)", Moodle the grade item name',
    )
    export.add_argument("--out", default=None, help="default: GRADES_DIR/LMS_import.csv")
    export.add_argument(
        "--scale", type=float, default=None, help="export total/max*SCALE (e.g. 100) not points"
    )
    export.set_defaults(handler=run_export)


def _limit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="S",
        help="seconds per cell (default: notebook metadata, else 30)",
    )
    parser.add_argument(
        "--total-timeout",
        type=float,
        default=None,
        metavar="S",
        help="seconds per notebook (default: notebook metadata, else 600)",
    )
    parser.add_argument(
        "--memory",
        type=int,
        default=None,
        metavar="MB",
        help="memory limit per kernel process in MiB (default 2048; TensorFlow needs about 4096)",
    )


def run_build(args: argparse.Namespace) -> int:
    from course_lib.grading.build import build_all, check_up_to_date

    if args.check:
        report = check_up_to_date(args.notebooks, args.exercises, args.solutions)
        for path in report.stale:
            print(f"out of date: {path}")
        for path in report.orphans:
            print(f"no source notebook for: {path}")
        if report.up_to_date:
            print(f"up to date: {len(report.unchanged)} generated notebooks")
            return 0
        print("run `course build` and commit exercises/ and solutions/", file=sys.stderr)
        return 1
    report = build_all(args.notebooks, args.exercises, args.solutions)
    for path in report.written:
        print(f"wrote {path}")
    for path in report.orphans:
        print(f"removed {path} (its source notebook is gone)")
    print(
        f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.orphans)} removed"
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    from course_lib.grading.check import check_notebook

    print(f"running {args.notebook} in a fresh kernel, top to bottom ...", flush=True)
    report = check_notebook(
        args.notebook,
        cell_timeout=args.timeout,
        total_timeout=args.total_timeout,
        memory_mb=args.memory,
    )
    for test in report.tests:
        mark = "PASS" if test.passed else "FAIL"
        line = f"  {mark}  {test.grade_id} ({test.points:g} pt)"
        print(line + ("" if test.passed else f": {test.reason}"))
    for error in report.cell_errors:
        print(f"  error in {error}")
    for incident in report.incidents:
        print(f"  note: {incident}")
    for problem in report.order_problems:
        print(f"  out of order: {problem}")
    for note in report.restored:
        print(f"  restored: {note}")
    for found in report.tampering:
        print(f"  tampering: {found}")
    print(
        f"visible tests: {report.points:g} / {report.max_points:g} points "
        "(hidden tests are graded too)"
    )
    if report.order_problems:
        print("restart the kernel and run all cells, then save, before submitting")
    return 0 if report.ok else 1


def run_grade(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from course_lib.grading.autograde import (
        Progress,
        assignment_limits,
        grade_submissions,
        load_assignment,
    )

    source = Path(args.assignment)
    if not source.is_file() and (Path("notebooks") / f"{args.assignment}.ipynb").is_file():
        source = Path("notebooks") / f"{args.assignment}.ipynb"
    if not source.is_file():
        raise GradingError(
            f"Assignment notebook not found. Received: {args.assignment!r}",
            hint="pass the instructor's source notebook, e.g. notebooks/03_mlp.ipynb",
        )
    assignment = load_assignment(source)
    out = Path(args.out) if args.out else Path("grades") / assignment.name
    limits = assignment_limits(
        assignment,
        cell_timeout=args.timeout,
        total_timeout=args.total_timeout,
        memory_mb=args.memory,
    )
    bar = tqdm(total=None, unit="submission", desc=f"grading {assignment.name}")

    def progress(event: Progress) -> None:
        bar.total = event.total
        bar.update(1)
        if event.result is None:
            bar.write(f"  {event.student}: kept earlier result")
        else:
            r = event.result
            extra = "" if r.status == "ok" else f"  [{r.status}]"
            bar.write(f"  {r.student}: {r.total:g}/{r.max_points:g} in {r.duration:.1f}s{extra}")

    try:
        summary = grade_submissions(
            source,
            args.submissions,
            out,
            jobs=args.jobs,
            limits=limits,
            regrade=args.regrade,
            progress=progress,
            scheduler=args.scheduler,
            manual=args.manual,
        )
    finally:
        bar.close()
    errors = [r.student for r in summary.results.values() if r.status == "grader-error"]
    print(
        f"graded {len(summary.graded)}, kept {len(summary.skipped)}; "
        f"gradebook: {summary.gradebook}; feedback: {summary.feedback_dir}"
    )
    pending = sorted(r.student for r in summary.results.values() if r.ungraded)
    if pending:
        todo = summary.gradebook.with_name("manual_todo.csv")
        print(
            f"{len(pending)} student(s) have manually graded cells waiting: fill in {todo} "
            "and run again with --manual FILE"
        )
    tampered = sorted(r.student for r in summary.results.values() if r.tampering)
    if tampered:
        print(f"tampering found (see their feedback): {', '.join(tampered)}")
    if errors:
        print(f"grader errors (run again to retry): {', '.join(sorted(errors))}", file=sys.stderr)
        return 1
    return 0


def run_export(args: argparse.Namespace) -> int:
    from course_lib.grading.export import write_export

    out = Path(args.out) if args.out else Path(args.grades) / f"{args.lms}_import.csv"
    warnings = write_export(args.grades, args.roster, args.lms, args.title, out, args.scale)
    for warning in warnings:
        print(f"  not final: {warning}")
    print(f"wrote {out}")
    return 0
