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


# Errors of the compute rooms. Until 0.1 some of these were ViewError subclasses
# (HistoryError; the projector, attention and feature-map errors were plain ViewError).
# They now belong to the room that raises them: code that caught them with
# ``except ViewError`` should catch ``CourseError`` (or the room's error) instead.
class TrainingError(CourseError):
    """Input to the training tools (histories, monitors, replays) is unusable."""


class EmbeddingError(ModelError):
    """An embedding space or its projection cannot be built as asked (models.projector)."""


class AttentionError(ModelError):
    """Attention maps cannot be computed or selected as asked (models.attention)."""


class FeatureMapError(ModelError):
    """Feature maps cannot be taken from the layers asked for (models.feature_maps)."""


class PlaygroundError(ConfigError):
    """A playground model or grid does not fit the two-class picture (course_lib.playground)."""
