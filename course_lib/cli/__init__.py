"""The ``course`` command: a thin layer that parses arguments, calls library
functions and prints their results.

Each command group lives in its own module (``data``, ``grading``, ...) with a
``register(subparsers)`` function; nothing in the library imports this package.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from course_lib import __version__
from course_lib.errors import CourseError

# Command groups, in the order `course --help` lists them. A module that does
# not exist yet is skipped so the CLI works while groups are being added.
_GROUPS = ("data", "grading", "lecture", "workspace")


def build_parser() -> argparse.ArgumentParser:
    """The full ``course`` argument parser (used by ``main`` and the tests)."""
    parser = argparse.ArgumentParser(
        prog="course",
        description="Deep Learning Workbook: datasets, exercises, grading and lectures.",
    )
    parser.add_argument("--version", action="version", version=f"course {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for group in _GROUPS:
        try:
            module = importlib.import_module(f"course_lib.cli.{group}")
        except ModuleNotFoundError as exc:
            if exc.name != f"course_lib.cli.{group}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``course`` console script.

    Returns:
        The process exit code: 0 on success, 1 when a command reports
        failure, 2 for a ``CourseError`` (bad input, missing data, ...).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except CourseError as exc:
        print(f"course: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("course: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
