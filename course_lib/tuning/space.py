"""A ``build(hp)`` function's search space: list it, sample it, check it is not empty.

keras-tuner learns the search space by calling ``build(hp)``: every
``hp.Int``/``hp.Float``/``hp.Choice``/``hp.Boolean`` call declares one
hyperparameter. :func:`sample_search_space` does what a random search does
without training anything: draw values, build the model with them, and return
both, so a test can check that the space is what it should be and that every
sampled model builds.

Example:
    >>> import keras_tuner as kt  # doctest: +SKIP
    >>> def build(hp):  # doctest: +SKIP
    ...     units = hp.Int("units", 16, 64, step=16)
    ...     return keras.Sequential([keras.Input((4,)), keras.layers.Dense(units)])
    >>> [s.values["units"] for s in sample_search_space(build, n=3)]  # doctest: +SKIP
    [48, 16, 64]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from course_lib.tuning.errors import EmptySearchSpaceError, TuningError


@dataclass
class SpaceSample:
    """One draw from a search space.

    Attributes:
        values: hyperparameter name -> the value drawn (active ones only).
        model: what ``build(hp)`` returned for these values.
    """

    values: dict[str, Any]
    model: Any


def _build_with(build: Callable[[Any], Any], hp: Any) -> Any:
    builder = getattr(build, "build", build)  # a HyperModel or a plain function
    if not callable(builder):
        raise TuningError(
            f"Expected a build(hp) function or a keras_tuner.HyperModel. Received: "
            f"{type(build).__name__}.",
            hint="def build_model(hp): ...; return model   (then pass build_model).",
        )
    return builder(hp)


def _require_space(hp: Any, build: Any) -> None:
    if not hp.space:
        name = getattr(build, "__name__", type(build).__name__)
        raise EmptySearchSpaceError(
            f"Expected {name}(hp) to declare at least one hyperparameter. Received: an empty "
            f"search space (no hp.Int/hp.Float/hp.Choice/hp.Boolean call).",
            hint='ask hp for the values you want searched, e.g. units = hp.Int("units", 16, 128, '
                 'step=16) instead of units = 64.',
        )


def search_space_table(build_or_hp: Any) -> list[dict[str, Any]]:
    """One row per hyperparameter: name, type, and its range or choices.

    Args:
        build_or_hp: a ``build(hp)`` function, a ``HyperModel``, or a
            ``keras_tuner.HyperParameters`` that is already filled.

    Returns:
        ``[{"name": ..., "type": "Int", "range": "16 ... 64 (step 16)", "default": 16}, ...]``.

    Raises:
        EmptySearchSpaceError: nothing to search.
    """
    import keras_tuner as kt

    if isinstance(build_or_hp, kt.HyperParameters):
        hp = build_or_hp
    else:
        hp = kt.HyperParameters()
        _build_with(build_or_hp, hp)
    _require_space(hp, build_or_hp)
    rows = []
    for param in hp.space:
        config = param.get_config()
        kind = type(param).__name__
        if "values" in config:
            described = ", ".join(repr(v) for v in config["values"])
        elif "min_value" in config:
            step = config.get("step")
            described = f"{config['min_value']} ... {config['max_value']}"
            if config.get("sampling") not in (None, "linear"):
                described += f" ({config['sampling']})"
            if step:
                described += f" (step {step})"
        else:
            described = "True, False"
        rows.append({"name": param.name, "type": kind, "range": described,
                     "default": param.default})
    return rows


def sample_search_space(build: Any, n: int = 5, seed: int = 0) -> list[SpaceSample]:
    """Draw ``n`` random points of ``build``'s search space and build each model.

    Conditional hyperparameters (declared only for some values of another)
    are found as they appear, as keras-tuner's random search does.

    Args:
        build: a ``build(hp)`` function or a ``keras_tuner.HyperModel``.
        n: number of samples (at least 1).
        seed: the sampling seed (same seed, same samples).

    Returns:
        ``n`` :class:`SpaceSample` (values and the model built from them).

    Raises:
        EmptySearchSpaceError: ``build`` declares no hyperparameter.
        TuningError: ``n`` below 1, or ``build`` is not callable.

    Example:
        >>> samples = sample_search_space(build_model, n=10)  # doctest: +SKIP
        >>> sorted({s.values["units"] for s in samples})  # doctest: +SKIP
        [32, 64, 96, 128]
    """
    import keras_tuner as kt

    if not isinstance(n, int) or n < 1:
        raise TuningError(f"Expected n >= 1 samples. Received: n={n!r}.", hint="use n=5.")
    space = kt.HyperParameters()
    _build_with(build, space)  # the first call declares the space (with default values)
    _require_space(space, build)
    samples = []
    seed_state = seed
    for _ in range(n):
        hp = kt.HyperParameters()
        for param in space.space:
            hp.merge([param])
            if hp.is_active(param):
                hp.values[param.name] = param.random_sample(seed_state)
                seed_state += 1
        model = _build_with(build, hp)
        # conditional hyperparameters first declared in this build (merging the known ones
        # again would append duplicates, and the next sample would walk each of them again)
        known = {param.name for param in space.space}
        fresh = [param for param in hp.space if param.name not in known]
        if fresh:
            space.merge(fresh)
        samples.append(SpaceSample({k: v for k, v in hp.values.items() if hp.is_active(k)}, model))
    return samples
