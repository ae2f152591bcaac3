"""Frames for replaying a recorded run as an animation (data only; drawing is in views)."""

from __future__ import annotations

from dataclasses import dataclass

from course_lib.errors import TrainingError
from course_lib.training.history import HistoryError, TrainingHistory


@dataclass(frozen=True)
class ReplayFrame:
    """One animation frame: the run as it looked at x position ``upto`` (in epochs).

    Attributes:
        index: frame number, from 0.
        upto: x position in epochs (epoch ``k`` ends at ``k``; batches lie in between).
        n_epochs: epochs visible in this frame.
        n_batches: batch records visible in this frame.
    """

    index: int
    upto: float
    n_epochs: int
    n_batches: int

    def history(self, run: TrainingHistory) -> TrainingHistory:
        """The part of ``run`` this frame shows.

        Example:
            >>> frame.history(run).n_epochs == frame.n_epochs  # doctest: +SKIP
            True
        """
        return run.head(self.upto)


def replay_frames(
    history: TrainingHistory, *, per_batch: bool = False, max_frames: int = 60
) -> list[ReplayFrame]:
    """Cut a recorded run into animation frames, ending with the complete run.

    Without ``per_batch`` there is one frame per epoch; with it, one per batch
    record (plus each epoch end). Long runs are thinned evenly to ``max_frames``,
    always keeping the first and the last frame.

    Args:
        history: the recorded run.
        per_batch: step through batch records rather than epochs.
        max_frames: the most frames to return (>= 1).

    Returns:
        Frames in time order; the last shows the whole run.

    Raises:
        HistoryError: empty history, or ``per_batch`` on a run recorded without batches.
        TrainingError: ``max_frames < 1``.

    Example:
        >>> run = TrainingHistory({"loss": [1.0, 0.6, 0.4]})
        >>> [f.n_epochs for f in replay_frames(run)]
        [1, 2, 3]
    """
    history.validate()
    if int(max_frames) < 1:
        raise TrainingError(
            f"Expected max_frames >= 1. Received: max_frames={max_frames!r}.",
            hint="use max_frames=60 (about 10 s at 150 ms per frame).",
        )
    if per_batch and not history.batch_positions:
        raise HistoryError(
            f"Run {history.name or '<unnamed>'} was recorded without per-batch values, "
            "so it cannot be replayed per batch.",
            hint="record with LiveMonitor(per_batch=True), or replay with per_batch=False.",
        )
    positions = [float(x) for x in history.x]
    if per_batch:
        positions = sorted(set(positions) | set(history.batch_positions))
    if len(positions) > max_frames:
        last = len(positions) - 1
        picks = sorted({round(i * last / max(int(max_frames) - 1, 1)) for i in range(max_frames)})
        positions = [positions[i] for i in picks]
    frames = []
    for index, upto in enumerate(positions):
        n_epochs = sum(1 for x in history.x if x <= upto + 1e-9)
        n_batches = sum(1 for p in history.batch_positions if p <= upto + 1e-9)
        frames.append(ReplayFrame(index, upto, n_epochs, n_batches))
    return frames
