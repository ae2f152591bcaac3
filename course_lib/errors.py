"""The workbook's exceptions: one root, a few families.

Every error a student or instructor can trigger derives from `CourseError` and
says what was wrong (quoting the bad value) and how to fix it, following
Keras' "Expected ... Received: x=..." style.
"""

from __future__ import annotations


class CourseError(Exception):
    """Root of every error raised on purpose by `course_lib`.

    Args:
        message: what went wrong, quoting the offending value.
        hint: how to fix it; appended as a "Fix:" line when given.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message}\nFix: {hint}")


class ConfigError(CourseError):
    """A setting (environment variable, argument) has an unusable value."""


class DataError(CourseError):
    """A dataset cannot be found, fetched or verified."""


class ModelError(CourseError):
    """A Keras model is not in the state a tool needs (e.g. not compiled)."""


class ViewError(CourseError):
    """Input to a view has the wrong shape, type or content."""


class GradingError(CourseError):
    """An assignment or submission cannot be built, checked or graded."""


class TextError(CourseError):
    """Text input cannot be vectorized as asked (empty corpus, vocabulary, lengths)."""
