"""Every environment variable the workbook reads, in one place.

=====================  =====================================================
``COURSE_FAST``        ``1``: small data and few epochs along the same code
                       path (CI, quick checks). Unset or ``0``: the real lesson.
``COURSE_DATA_MIRROR`` a local directory laid out like ``shared/data`` that is
                       searched before downloading. Never written to.
``COURSE_CACHE_DIR``   where verified datasets are kept
                       (default ``$XDG_CACHE_HOME/course-workbook``).
``COURSE_OFFLINE``     ``1``: never try the network; missing files fail at once.
``COURSE_SEED``        the seed used by :func:`seed_everything` (default 42).
``COURSE_VIEWS``       ``auto`` (default): widgets inside a Jupyter kernel,
                       static figures elsewhere; ``static`` forces figures
                       (nbval, HTML export); ``interactive`` forces widgets.
``KERAS_HOME``         Keras' own cache; Keras datasets are placed there.
=====================  =====================================================
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path
from typing import TypeVar

from course_lib.errors import ConfigError

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}
DEFAULT_SEED = 42


def _flag(name: str) -> bool:
    raw = os.environ.get(name, "")
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(
        f"Expected {name} to be 1 or 0. Received: {name}={raw!r}",
        hint=f"export {name}=1 to switch it on, or unset it.",
    )


def fast_mode() -> bool:
    """Return True when ``COURSE_FAST`` asks for the quick, small-scale run.

    Example:
        >>> epochs = 2 if fast_mode() else 20
    """
    return _flag("COURSE_FAST")


def scaled(full: T, fast: T) -> T:
    """Pick the full-scale value, or the fast one when ``COURSE_FAST=1``.

    Notebooks size every knob through this so fast mode runs the same code
    with smaller numbers.

    Args:
        full: the value for the real lesson.
        fast: the value for CI and quick checks.

    Returns:
        ``fast`` if :func:`fast_mode` else ``full``.

    Example:
        >>> epochs = scaled(full=20, fast=2)
    """
    return fast if fast_mode() else full


_VIEW_MODES = ("auto", "static", "interactive")


def view_mode() -> str:
    """How views display: ``"static"`` or ``"interactive"`` (``auto`` resolved).

    ``auto`` means interactive inside a Jupyter kernel (JupyterLab, Voila) and
    static everywhere else (scripts, tests). nbval and HTML export runs set
    ``COURSE_VIEWS=static`` so each view leaves a plain figure behind.
    """
    raw = os.environ.get("COURSE_VIEWS", "auto").strip().lower() or "auto"
    if raw not in _VIEW_MODES:
        raise ConfigError(
            f"Expected COURSE_VIEWS to be one of {_VIEW_MODES}. Received: COURSE_VIEWS={raw!r}",
            hint="export COURSE_VIEWS=static for figures only, or unset it.",
        )
    if raw != "auto":
        return raw
    return "interactive" if _in_jupyter_kernel() else "static"


def _in_jupyter_kernel() -> bool:
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def offline() -> bool:
    """True when ``COURSE_OFFLINE=1`` forbids any download attempt."""
    return _flag("COURSE_OFFLINE")


def data_mirror() -> Path | None:
    """The read-only mirror directory from ``COURSE_DATA_MIRROR``, if set.

    Raises:
        ConfigError: the variable names something that is not a directory.
    """
    raw = os.environ.get("COURSE_DATA_MIRROR", "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser().resolve()
    if not path.is_dir():
        raise ConfigError(
            f"Expected COURSE_DATA_MIRROR to be a directory. Received: "
            f"COURSE_DATA_MIRROR={raw!r} (resolved to {path}, which "
            f"{'is a file' if path.exists() else 'does not exist'}).",
            hint="point it at a copy of shared/data, or unset it to download.",
        )
    return path


def cache_dir() -> Path:
    """Directory holding the workbook's verified dataset files."""
    raw = os.environ.get("COURSE_CACHE_DIR", "").strip()
    if raw:
        return Path(raw).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return (base / "course-workbook").resolve()


def keras_home() -> Path:
    """The directory Keras uses as its cache (``$KERAS_HOME`` or ``~/.keras``).

    Once Keras is imported its own answer wins, since it froze the value then.
    """
    if "keras" in sys.modules:
        from course_lib import keras_compat

        return Path(keras_compat.keras_home()).expanduser().resolve()
    raw = os.environ.get("KERAS_HOME", "").strip()
    if raw:
        return Path(raw).expanduser().resolve()
    home = Path.home()
    base = home if os.access(home, os.W_OK) else Path("/tmp")
    return (base / ".keras").resolve()


def seed() -> int:
    """The course seed: ``COURSE_SEED`` or 42."""
    raw = os.environ.get("COURSE_SEED", "").strip()
    if not raw:
        return DEFAULT_SEED
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(
            f"Expected COURSE_SEED to be an integer. Received: COURSE_SEED={raw!r}",
            hint="export COURSE_SEED=42, or unset it.",
        ) from None


def seed_everything(value: int | None = None) -> int:
    """Seed Python, NumPy and Keras/TensorFlow so runs repeat.

    Args:
        value: the seed; defaults to :func:`seed`.

    Returns:
        The seed that was used.

    Example:
        >>> seed_everything()  # doctest: +SKIP
        42
    """
    import numpy as np

    value = seed() if value is None else int(value)
    random.seed(value)
    np.random.seed(value)
    import keras  # lazy: only notebooks that train pay for TensorFlow

    keras.utils.set_random_seed(value)
    return value
