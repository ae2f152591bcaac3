"""Errors raised by the optimizer-path tools in :mod:`course_lib.optim`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from course_lib.errors import CourseError


class OptimError(CourseError):
    """Bad input to a loss surface, optimizer path or gradient-descent demo."""


class UnknownSurfaceError(OptimError):
    """A loss-surface name that is not in the registry."""


class UnknownOptimizerError(OptimError):
    """An optimizer name (or optimizer argument) that the path tools do not know."""


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A "Did you mean ...?" sentence for a mistyped name, or "" if nothing is close.

    Example:
        >>> did_you_mean("adma", ["adam", "sgd"])
        "Did you mean 'adam'? "
    """
    close = difflib.get_close_matches(str(value).lower(), list(choices), n=2, cutoff=0.5)
    if not close:
        return ""
    return "Did you mean " + " or ".join(repr(c) for c in close) + "? "
