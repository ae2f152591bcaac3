"""Errors raised by the hyperparameter-search tools in :mod:`course_lib.tuning`."""

from __future__ import annotations

from course_lib.errors import CourseError


class TuningError(CourseError):
    """Bad input to a search-space or trials tool."""


class EmptySearchSpaceError(TuningError):
    """A ``build(hp)`` function that declares no hyperparameter: there is nothing to search."""


class NoFinishedTrialsError(TuningError):
    """A trials table or view that has no completed trial with a score."""
