"""Errors raised by the translation tools in :mod:`course_lib.translation`.

Each one is a :class:`~course_lib.errors.CourseError` that quotes the bad value
and says the fix.
"""

from __future__ import annotations

from course_lib.errors import CourseError


class TranslationError(CourseError):
    """Bad input to the translation data, decoding or attention tools."""


class EmptySentenceError(TranslationError):
    """The sentence to translate is empty (or only spaces and punctuation)."""


class UnknownWordsError(TranslationError):
    """Every word of the sentence is outside the source vocabulary."""


class VocabularyError(TranslationError):
    """A vocabulary lacks a token the tools need (``[start]``, ``[end]``, padding)."""


class BeamWidthError(TranslationError):
    """A beam width (or top-k, or maximum length) that is not a positive integer."""


class NotADistributionError(TranslationError):
    """A model's output is not a probability distribution over the target vocabulary."""


class AttentionLayerError(TranslationError):
    """An attention layer name that the translator does not have."""
