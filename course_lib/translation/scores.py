"""BLEU and chrF with sacrebleu, per corpus and per sentence.

Hypotheses and references are compared after :func:`~course_lib.translation.data.clean_sentence`
(lower case, punctuation split off), so sacrebleu scores them with ``tokenize="none"``
(they are already split into words).

Example:
    >>> corpus_scores(["le chat dort ."], ["le chat dort ."])["bleu"]
    100.0
"""

from __future__ import annotations

from collections.abc import Sequence

from course_lib.translation.data import clean_sentence
from course_lib.translation.errors import TranslationError

__all__ = ["corpus_scores", "sentence_scores"]


def _check(hypotheses: Sequence[str], references: Sequence[str]) -> tuple[list[str], list[str]]:
    if isinstance(hypotheses, str) or isinstance(references, str):
        raise TranslationError(
            "Expected lists of sentences. Received: a single string.",
            hint="wrap one sentence in a list: corpus_scores([hyp], [ref]).",
        )
    if len(hypotheses) != len(references) or not hypotheses:
        raise TranslationError(
            f"Expected as many hypotheses as references (at least one). Received: "
            f"{len(hypotheses)} hypotheses, {len(references)} references.",
            hint="translate every source sentence of the split, in order.",
        )
    return [clean_sentence(h) for h in hypotheses], [clean_sentence(r) for r in references]


def corpus_scores(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """Corpus BLEU and chrF (0–100) of translations against one reference each.

    Args:
        hypotheses: the model's translations.
        references: the human translations, same order.

    Returns:
        ``{"bleu": ..., "chrf": ...}``.

    Raises:
        TranslationError: different lengths, or empty lists.
    """
    import sacrebleu

    hyps, refs = _check(hypotheses, references)
    return {"bleu": float(sacrebleu.corpus_bleu(hyps, [refs], tokenize="none",
                                                   force=True).score),
            "chrf": float(sacrebleu.corpus_chrf(hyps, [refs]).score)}


def sentence_scores(hypotheses: Sequence[str],
                    references: Sequence[str]) -> list[dict[str, float]]:
    """Sentence BLEU (smoothed, as sacrebleu does by default) and chrF of each pair."""
    import sacrebleu

    hyps, refs = _check(hypotheses, references)
    return [{"bleu": float(sacrebleu.sentence_bleu(h, [r], tokenize="none").score),
             "chrf": float(sacrebleu.sentence_chrf(h, [r]).score)}
            for h, r in zip(hyps, refs, strict=True)]
