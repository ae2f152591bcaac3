"""``course workspace [DIR] [--solutions]``: copy the exercises and dashboards for a student."""

from __future__ import annotations

import argparse

from course_lib.workspace import default_workspace, prepare_workspace


def register(sub: argparse._SubParsersAction) -> None:
    workspace = sub.add_parser(
        "workspace",
        help="copy the exercises and dashboards into a student workspace (never overwrites)",
        description="Copy exercises/ and dashboards/ into DIR (default $COURSE_WORKSPACE or "
        "./workspace). Files already in DIR are kept as they are. The instructor source "
        "notebooks/ is never copied; solutions only with --solutions.",
    )
    workspace.add_argument("dir", nargs="?", help="workspace folder (default: ./workspace)")
    workspace.add_argument(
        "--solutions", action="store_true", help="also copy the worked solutions (solutions/)"
    )
    workspace.add_argument(
        "--source", help="course source folder (default: $COURSE_SOURCE_DIR or the checkout)"
    )
    workspace.set_defaults(handler=_workspace)


def _workspace(args: argparse.Namespace) -> int:
    report = prepare_workspace(
        args.dir or default_workspace(), source=args.source, solutions=args.solutions
    )
    print(report.summary())
    if not args.solutions:
        print("Solutions: `course workspace --solutions` (or `make solutions`) adds them.")
    return 0
