"""Errors and warnings raised by the BERT tools in :mod:`course_lib.bert`."""

from __future__ import annotations

from course_lib.errors import ConfigError, CourseError


class BertError(CourseError):
    """Bad input to a sentence-embedding, search, masked-word or WordPiece tool."""


class EncoderWeightsMissingError(BertError, ConfigError):
    """The offline encoder weights package (or a package it needs) is not installed."""


class EmptyInputError(BertError):
    """An empty list of sentences (or an empty query) where at least one is needed."""


class NoMaskError(BertError):
    """A masked-word query without a ``[MASK]`` token."""


class TruncationWarning(UserWarning):
    """Some sentences were longer than the encoder's sequence length and were cut."""
