"""Compute side of the model and representation views.

Each module here turns a Keras model (or arrays) into plain data that the
matching module in :mod:`course_lib.views` draws:

- :mod:`course_lib.models.diagram`: layer graph, layered layout, dense-net weights.
- :mod:`course_lib.models.feature_maps`: convnet activations, filters, filter patterns.
- :mod:`course_lib.models.projector`: embedding projections, neighbours, analogies.
- :mod:`course_lib.models.attention`: attention scores from MultiHeadAttention and BERT.

Nothing here imports Keras at import time.
"""
