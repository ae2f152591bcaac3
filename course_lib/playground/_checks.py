"""Small validation helpers shared by the playground modules."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable

from course_lib.errors import ConfigError


def suggest(value: object, choices: Iterable[str]) -> str:
    """Return a " Did you mean 'x'?" sentence, or "" when nothing is close."""
    close = difflib.get_close_matches(str(value).strip().lower(), list(choices), n=1, cutoff=0.5)
    return f" Did you mean {close[0]!r}?" if close else ""


def choose(value: object, choices: Iterable[str], what: str) -> str:
    """Return ``value`` lower-cased if it is one of ``choices``.

    Raises:
        ConfigError: ``value`` is not a string among ``choices``; the message
            lists the choices and suggests the closest one.
    """
    options = tuple(choices)
    if isinstance(value, str) and value.strip().lower() in options:
        return value.strip().lower()
    raise ConfigError(
        f"Unknown {what}. Expected one of {options}. Received: {what}={value!r}."
        + suggest(value, options),
        hint=f"pass one of: {', '.join(options)}.",
    )


def positive_float(value: object, what: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float that is > 0 (or >= 0 with ``allow_zero``).

    Raises:
        ConfigError: not a finite number, or out of range.
    """
    bound = ">= 0" if allow_zero else "> 0"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    ok = math.isfinite(number) and (number >= 0 if allow_zero else number > 0)
    if isinstance(value, bool) or not ok:
        raise ConfigError(
            f"Expected {what} to be a finite number {bound}. Received: {what}={value!r}.",
            hint=f"use a value {bound}, e.g. {what}={0.0 if allow_zero else 0.03}.",
        )
    return number


def positive_int(value: object, what: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int >= ``minimum``.

    Raises:
        ConfigError: not an integer, or below ``minimum``.
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise ConfigError(
            f"Expected {what} to be an integer >= {minimum}. Received: {what}={value!r}.",
            hint=f"use a whole number such as {what}={max(minimum, 1) * 10}.",
        )
    if int(value) < minimum:
        raise ConfigError(
            f"Expected {what} to be an integer >= {minimum}. Received: {what}={value!r}.",
            hint=f"use {what}={minimum} or more.",
        )
    return int(value)
