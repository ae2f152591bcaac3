"""BERT room: the bundled MiniLM encoder, sentence embeddings, semantic search,
masked-word prediction, a tiny masked LM and WordPiece vocabularies.

Compute only (drawing: :mod:`course_lib.views.similarity`, :mod:`course_lib.views.masked`).
Nothing here imports TensorFlow at import time.

Example:
    >>> from course_lib.bert import load_encoder, embed, similarity_matrix
    >>> encoder = load_encoder()                                   # doctest: +SKIP
    >>> emb = embed(encoder, ["I love it", "I adore it", "Taxes are due"])  # doctest: +SKIP
    >>> similarity_matrix(emb).round(2)                            # doctest: +SKIP
"""

from __future__ import annotations

from course_lib.bert.encoder import (
    Encoder,
    SearchHit,
    SentenceEmbeddings,
    embed,
    load_encoder,
    semantic_search,
    similarity_matrix,
    token_count,
)
from course_lib.bert.errors import (
    BertError,
    EmptyInputError,
    EncoderWeightsMissingError,
    NoMaskError,
    TruncationWarning,
)
from course_lib.bert.masked import (
    MaskedPrediction,
    mask_statistics,
    masked_lm_dataset,
    predict_masked,
    tiny_masked_lm,
)
from course_lib.bert.transfer import encode_batch, sentence_classifier
from course_lib.bert.wordpiece import (
    SPECIAL_TOKENS,
    split_words,
    train_wordpiece,
    wordpiece_tokenizer,
)

__all__ = [
    "BertError",
    "EmptyInputError",
    "Encoder",
    "EncoderWeightsMissingError",
    "MaskedPrediction",
    "NoMaskError",
    "SPECIAL_TOKENS",
    "SearchHit",
    "SentenceEmbeddings",
    "TruncationWarning",
    "embed",
    "encode_batch",
    "load_encoder",
    "mask_statistics",
    "masked_lm_dataset",
    "predict_masked",
    "semantic_search",
    "sentence_classifier",
    "similarity_matrix",
    "split_words",
    "tiny_masked_lm",
    "token_count",
    "train_wordpiece",
    "wordpiece_tokenizer",
]
