"""Neural machine translation (English → French): data, decoding, scores, models, attention.

Compute only (no drawing, no TensorFlow at import): views live in
:mod:`course_lib.views.decoding` and :mod:`course_lib.views.attention`.
"""
