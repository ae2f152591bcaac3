"""Errors raised by the model-serving tools in :mod:`course_lib.production`."""

from __future__ import annotations

from course_lib.errors import ModelError


class ServingError(ModelError):
    """A saved model or an input file cannot be used for prediction."""


class KerasVersionError(ServingError):
    """A ``.keras`` file was saved by a Keras version other than the running one."""
