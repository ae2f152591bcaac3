"""Draw a masked LM's guesses: for each ``[MASK]``, its top-k tokens as probability bars.

Drawing only; the guesses come from :func:`course_lib.bert.predict_masked` (the
tiny masked LM of notebook 18, or any model with a masked-LM head).

Example:
    >>> from course_lib.bert import predict_masked
    >>> from course_lib.views.masked import draw_masked_predictions
    >>> guess = predict_masked(model, tokenizer, "i [MASK] you .")  # doctest: +SKIP
    >>> draw_masked_predictions(guess, answer="love")              # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from course_lib.errors import ViewError
from course_lib.views.display import present, require, require_axes, subplots

__all__ = ["draw_masked_predictions"]


def draw_masked_predictions(prediction: Any, answer: str | list[str] | None = None,
                            ax: Any = None, title: str | None = None) -> Any:
    """One bar chart per ``[MASK]``: candidate tokens (best on top) and their probabilities.

    Args:
        prediction: a ``MaskedPrediction``.
        answer: the true word (one per mask); its bar is drawn in orange when it is among
            the candidates, and the title says its rank or that it is missing.
        ax: an Axes (only for a single mask) or a sequence of Axes, one per mask;
            a new figure when ``None`` (presented).
        title: figure/Axes title (default: the query).

    Returns:
        The Axes (single mask) or the array of Axes.

    Raises:
        ViewError: ``prediction`` is not a MaskedPrediction; answers or Axes that do not
            match the number of masks.
    """
    import numpy as np

    from course_lib.bert.masked import MaskedPrediction

    require(prediction, MaskedPrediction, name="prediction", what="draw_masked_predictions",
            hint="pass predict_masked(model, tokenizer, 'a [MASK] sentence').")
    n = len(prediction.candidates)
    answers = [answer] * n if isinstance(answer, str) and n == 1 else answer
    if answers is not None and len(answers) != n:
        raise ViewError(
            f"Expected one answer per [MASK] ({n}). Received: {answers!r}.",
            hint="pass answer='word' for one mask, or a list with one word per mask.",
        )
    k = max(len(c) for c in prediction.candidates)
    new = ax is None
    if new:
        fig, axes = subplots(1, n, figsize=(3.6 * n + 1.2, 0.38 * k + 1.6), layout="constrained",
                             squeeze=False)
        axes = axes[0]
    else:
        axes = np.atleast_1d(np.asarray(ax, dtype=object))
        if len(axes) != n:
            raise ViewError(f"Expected {n} Axes (one per [MASK]). Received: {len(axes)}.",
                            hint="leave ax=None to get a new figure.")
        for axis in axes:
            require_axes(axis, what="draw_masked_predictions")
        fig = axes[0].figure
    for i, (axis, candidates) in enumerate(zip(axes, prediction.candidates, strict=True)):
        tokens = [t for t, _ in candidates][::-1]
        probs = [p for _, p in candidates][::-1]
        truth = answers[i].lower() if answers is not None else None
        colors = ["#dd8452" if truth is not None and t == truth else "#4c72b0" for t in tokens]
        axis.barh(range(len(tokens)), probs, color=colors, height=0.65)
        for y, p in enumerate(probs):
            axis.text(p, y, f" {p:.1%}", va="center", fontsize=8)
        axis.set_yticks(range(len(tokens)), tokens, fontsize=9)
        axis.set_xlim(0, max(max(probs) * 1.3, 0.05))
        axis.set_xlabel("probability", fontsize=9)
        heading = f"[MASK] #{i + 1}" if n > 1 else "[MASK]"
        if truth is not None:
            ranked = [t for t, _ in candidates]
            heading += (f" — true word {truth!r}: rank {ranked.index(truth) + 1}"
                        if truth in ranked else f" — true word {truth!r} not in top {k}")
        axis.set_title(heading, fontsize=9)
    fig.suptitle(title or f"top-{k} guesses for: {prediction.text}", fontsize=10)
    if new:
        present(fig)
    return axes[0] if n == 1 else axes
