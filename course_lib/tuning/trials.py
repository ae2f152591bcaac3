"""A hyperparameter search as a table: one row per trial, its values, its score.

:func:`trials_from_tuner` reads a keras-tuner run (``tuner.oracle.trials``),
:func:`trials_from_records` any list of dicts (a search written by hand, a grid
loop, a saved JSON). The :class:`TrialTable` answers the questions a search
raises: which trial won, how the best score improved with the trial number,
which values the good trials share. :func:`track_histories` keeps each trial's
training curves (keras-tuner itself keeps only the best value per metric).

Example:
    >>> table = trials_from_records([{"hyperparameters": {"lr": 0.1}, "score": 0.5},
    ...                              {"hyperparameters": {"lr": 0.01}, "score": 0.3}],
    ...                             objective="val_loss")
    >>> table.best().trial_id, table.best_so_far()
    ('1', [0.5, 0.3])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from course_lib.training.history import TrainingHistory, from_keras_history, metric_mode
from course_lib.tuning.errors import NoFinishedTrialsError, TuningError

COMPLETED = "COMPLETED"
# Hyperband bookkeeping (tuner/epochs, tuner/round, ...): not a hyperparameter of the model.
_TUNER_PREFIX = "tuner/"


@dataclass
class TrialRecord:
    """One trial of a search.

    Attributes:
        trial_id: the tuner's id (a string) or the position in a list.
        number: 1-based order in which the trial was run.
        hyperparameters: name -> value of the hyperparameters the trial used.
        score: the objective value (``None`` when the trial did not finish).
        status: ``"COMPLETED"``, ``"FAILED"``, ``"INVALID"``, ``"RUNNING"``, ...
        history: the trial's training curves, when they were recorded.
        extra: bookkeeping values (Hyperband's ``tuner/epochs`` ...).
    """

    trial_id: str
    number: int
    hyperparameters: dict[str, Any]
    score: float | None
    status: str = COMPLETED
    history: TrainingHistory | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        """True for a completed trial with a finite score."""
        return (self.status == COMPLETED and self.score is not None
                and not math.isnan(self.score))


@dataclass
class TrialTable:
    """Every trial of a search, with the objective it was judged by.

    Args:
        trials: the trials in the order they ran.
        objective: the name of the score (``"val_accuracy"``, ``"val_loss"``).
        direction: ``"max"`` or ``"min"``; default from the objective's name.

    Raises:
        TuningError: an unknown direction.
    """

    trials: list[TrialRecord]
    objective: str = "score"
    direction: str = ""

    def __post_init__(self) -> None:
        if not self.direction:
            self.direction = metric_mode(self.objective)
        if self.direction not in ("min", "max"):
            raise TuningError(
                f"Expected direction 'min' or 'max'. Received: direction={self.direction!r}.",
                hint="use 'max' for accuracy-like objectives, 'min' for losses.",
            )

    # ----------------------------------------------------------------- queries
    def __len__(self) -> int:
        return len(self.trials)

    @property
    def finished(self) -> list[TrialRecord]:
        """The completed trials with a score."""
        return [t for t in self.trials if t.finished]

    @property
    def hyperparameter_names(self) -> list[str]:
        """Every hyperparameter name, in the order they first appear."""
        names: list[str] = []
        for trial in self.trials:
            names.extend(n for n in trial.hyperparameters if n not in names)
        return names

    def _better(self, a: float, b: float) -> bool:
        return a > b if self.direction == "max" else a < b

    def require_finished(self, what: str = "this") -> list[TrialRecord]:
        """The finished trials, or raise when there is none.

        Raises:
            NoFinishedTrialsError: no trial completed with a score.
        """
        done = self.finished
        if not done:
            statuses = sorted({t.status for t in self.trials})
            raise NoFinishedTrialsError(
                f"Expected at least one finished trial for {what}. Received: {len(self.trials)} "
                f"trial(s), statuses {statuses or '[]'}.",
                hint="run tuner.search(...) first (with max_trials >= 1), and check the trials "
                     "that failed: tuner.oracle.trials[trial_id].message.",
            )
        return done

    def best(self) -> TrialRecord:
        """The finished trial with the best score (the first one on ties).

        Raises:
            NoFinishedTrialsError: no finished trial.
        """
        done = self.require_finished("best()")
        best = done[0]
        for trial in done[1:]:
            if self._better(trial.score, best.score):  # type: ignore[arg-type]
                best = trial
        return best

    def best_so_far(self) -> list[float]:
        """The best score among trials ``1..n``, for every trial number ``n``.

        Unfinished trials repeat the previous best (NaN before the first finished one).

        Example:
            >>> trials_from_records([{"score": 0.2}, {"score": 0.1}, {"score": 0.4}],
            ...                     objective="accuracy").best_so_far()
            [0.2, 0.2, 0.4]
        """
        best = math.nan
        out = []
        for trial in self.trials:
            if trial.finished and (math.isnan(best) or self._better(trial.score, best)):
                best = float(trial.score)  # type: ignore[arg-type]
            out.append(best)
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One dict per trial: number, id, each hyperparameter, score, best so far, status."""
        names = self.hyperparameter_names
        rows = []
        for trial, best in zip(self.trials, self.best_so_far(), strict=True):
            row: dict[str, Any] = {"trial": trial.number, "trial_id": trial.trial_id}
            row.update({n: trial.hyperparameters.get(n) for n in names})
            row[self.objective] = trial.score
            row["best so far"] = best
            row["status"] = trial.status
            rows.append(row)
        return rows

    def to_dataframe(self, sort: bool = False) -> Any:
        """The table as a pandas DataFrame indexed by trial number.

        Args:
            sort: order by score, best first (unfinished trials last).

        Example:
            >>> trials_from_records([{"hyperparameters": {"u": 8}, "score": 0.7}],
            ...                     objective="val_accuracy").to_dataframe().columns.tolist()
            ['trial_id', 'u', 'val_accuracy', 'best so far', 'status']
        """
        import pandas as pd

        frame = pd.DataFrame(self.rows(), columns=["trial", "trial_id", *self.hyperparameter_names,
                                                   self.objective, "best so far", "status"])
        frame = frame.set_index("trial")
        if sort:
            frame = frame.sort_values(self.objective, ascending=self.direction == "min",
                                      na_position="last")
        return frame

    def numeric_columns(self) -> tuple[list[str], list[list[float]], dict[str, list[Any]]]:
        """The finished trials as numbers, one column per hyperparameter plus the score.

        Categorical values (strings, booleans) become their index in the sorted
        list of values seen, for a parallel-coordinates plot.

        Returns:
            ``(names, rows, categories)``: column names (hyperparameters, then the
            objective), one row of floats per finished trial (NaN where a trial
            lacks a conditional hyperparameter), and the value list of each
            categorical column.

        Raises:
            NoFinishedTrialsError: no finished trial.
        """
        done = self.require_finished("numeric_columns()")
        names = [n for n in self.hyperparameter_names
                 if any(n in t.hyperparameters for t in done)]
        categories: dict[str, list[Any]] = {}
        for name in names:
            values = [t.hyperparameters[name] for t in done if name in t.hyperparameters]
            if any(isinstance(v, (str, bool)) or v is None for v in values):
                categories[name] = sorted(set(values), key=str)
        rows = []
        for trial in done:
            row = []
            for name in names:
                if name not in trial.hyperparameters:
                    row.append(math.nan)
                elif name in categories:
                    row.append(float(categories[name].index(trial.hyperparameters[name])))
                else:
                    row.append(float(trial.hyperparameters[name]))
            row.append(float(trial.score))  # type: ignore[arg-type]
            rows.append(row)
        return [*names, self.objective], rows, categories


# ------------------------------------------------------------------ builders
def _score(value: Any, where: str) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TuningError(
            f"Expected a number (or None) as the score of {where}. Received: {value!r}.",
            hint="store the objective's value, e.g. the best val_accuracy of the trial.",
        ) from None


def trials_from_records(records: Iterable[Mapping[str, Any]], objective: str = "score",
                        direction: str = "") -> TrialTable:
    """A table from plain dicts: ``{"hyperparameters": {...}, "score": x, "history": ...}``.

    Optional keys: ``trial_id``, ``status`` (default ``"COMPLETED"``) and
    ``history`` (a keras ``History``, its dict or a :class:`TrainingHistory`).

    Args:
        records: one mapping per trial, in the order they ran.
        objective: name of the score.
        direction: ``"min"``/``"max"``; default from the objective's name.

    Returns:
        The :class:`TrialTable`.

    Raises:
        TuningError: a record that is not a mapping or has a non-numeric score.

    Example:
        >>> len(trials_from_records([{"hyperparameters": {"u": 8}, "score": 0.7}]))
        1
    """
    trials = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            raise TuningError(
                f"Expected each trial as a dict with 'hyperparameters' and 'score'. "
                f"Received: trial {number} = {record!r}.",
                hint='use {"hyperparameters": {"units": 32}, "score": 0.81}.',
            )
        history = record.get("history")
        values = dict(record.get("hyperparameters", {}))
        trials.append(TrialRecord(
            trial_id=str(record.get("trial_id", number - 1)),
            number=number,
            hyperparameters={k: v for k, v in values.items() if not k.startswith(_TUNER_PREFIX)},
            score=_score(record.get("score"), f"trial {number}"),
            status=str(record.get("status", COMPLETED)),
            history=(None if history is None
                     else from_keras_history(history, name=f"trial {number}")),
            extra={k: v for k, v in values.items() if k.startswith(_TUNER_PREFIX)},
        ))
    return TrialTable(trials, objective=objective, direction=direction)


def _objective(oracle: Any) -> tuple[str, str]:
    objective = oracle.objective
    if isinstance(objective, Sequence) or not hasattr(objective, "name"):
        objective = getattr(objective, "objectives", [objective])[0]  # MultiObjective: first one
    return str(objective.name), str(getattr(objective, "direction", "")) or ""


def trials_from_tuner(tuner: Any, histories: Mapping[str, Any] | None = None) -> TrialTable:
    """A table from a keras-tuner tuner (or its oracle) after ``search``.

    Args:
        tuner: a ``keras_tuner`` tuner (``RandomSearch``, ``BayesianOptimization``,
            ``Hyperband``, ...) or its ``oracle``.
        histories: trial id -> training history, e.g. what :func:`track_histories`
            returned; by default the histories tracked on this tuner, if any.

    Returns:
        The :class:`TrialTable`, trials in the order they started.

    Raises:
        TuningError: ``tuner`` is neither a tuner nor an oracle.

    Example:
        >>> table = trials_from_tuner(tuner)  # doctest: +SKIP
        >>> table.to_dataframe(sort=True).head()  # doctest: +SKIP
    """
    oracle = getattr(tuner, "oracle", tuner)
    if not hasattr(oracle, "trials") or not hasattr(oracle, "objective"):
        raise TuningError(
            f"Expected a keras_tuner tuner or oracle. Received: {type(tuner).__name__}.",
            hint="pass the tuner you called .search() on, e.g. trials_from_tuner(tuner).",
        )
    if histories is None:
        histories = getattr(tuner, "_course_histories", {})
    objective, direction = _objective(oracle)
    ordered = sorted(oracle.trials.values(), key=lambda t: _start_order(oracle, t.trial_id))
    records = []
    for trial in ordered:
        status = str(trial.status)
        score = trial.score if status == COMPLETED else None
        records.append({"trial_id": trial.trial_id,
                        "hyperparameters": dict(trial.hyperparameters.values),
                        "score": score, "status": status,
                        "history": histories.get(trial.trial_id)})
    return trials_from_records(records, objective=objective, direction=direction)


def _start_order(oracle: Any, trial_id: str) -> tuple[int, str]:
    # keras-tuner ids are zero-padded counters ("00", "01", ...); fall back to the text.
    return (int(trial_id), "") if str(trial_id).isdigit() else (1 << 30, str(trial_id))


def track_histories(tuner: Any) -> dict[str, TrainingHistory]:
    """Keep every trial's training curves while ``tuner.search`` runs.

    keras-tuner stores only the best value of each metric per trial; this
    wraps the tuner's ``run_trial`` so the ``History`` each trial's ``fit``
    returns is kept (the first execution when ``executions_per_trial > 1``).
    Call it once, before ``search``; :func:`trials_from_tuner` then attaches
    the curves to the trials.

    Args:
        tuner: a keras-tuner ``Tuner``.

    Returns:
        The dict trial id -> :class:`TrainingHistory`, filled as trials finish.

    Raises:
        TuningError: not a tuner with ``run_trial``.

    Example:
        >>> curves = track_histories(tuner)  # doctest: +SKIP
        >>> tuner.search(x, y, validation_split=0.2, epochs=5)  # doctest: +SKIP
        >>> trials_from_tuner(tuner).best().history.n_epochs  # doctest: +SKIP
        5
    """
    existing = getattr(tuner, "_course_histories", None)
    if existing is not None:
        return existing
    run_trial = getattr(tuner, "run_trial", None)
    if run_trial is None or not hasattr(tuner, "oracle"):
        raise TuningError(
            f"Expected a keras_tuner tuner. Received: {type(tuner).__name__}.",
            hint="create the tuner first, e.g. keras_tuner.RandomSearch(build_model, ...).",
        )
    histories: dict[str, TrainingHistory] = {}

    def run_and_keep(trial: Any, *args: Any, **kwargs: Any) -> Any:
        results = run_trial(trial, *args, **kwargs)
        first = results[0] if isinstance(results, list) and results else results
        if hasattr(first, "history") and first.history:
            histories[trial.trial_id] = from_keras_history(dict(first.history),
                                                           name=f"trial {trial.trial_id}")
        return results

    tuner.run_trial = run_and_keep
    tuner._course_histories = histories
    return histories
