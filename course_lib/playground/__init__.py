"""Decision-boundary playground: TensorFlow Playground ideas on real Keras models.

Compute only (no drawing; see :mod:`course_lib.views.playground`). Importing
this package does not import TensorFlow.

Example:
    >>> from course_lib.playground import Playground, PlaygroundConfig
    >>> pg = Playground(PlaygroundConfig(hidden=(4,)), dataset="xor")  # doctest: +SKIP
    >>> pg.step(epochs=20)                                             # doctest: +SKIP
"""

from course_lib.playground.datasets import (
    BOUNDS,
    DATASET_NAMES,
    PlaygroundData,
    check_points,
    custom_data,
    load_playground_data,
    make_dataset,
    train_test_split,
)
from course_lib.playground.features import (
    FEATURE_LABELS,
    FEATURE_NAMES,
    canonical_feature,
    check_features,
    feature_matrix,
)
from course_lib.playground.grid import (
    DecisionGrid,
    decision_grid,
    feature_maps,
    grid_points,
    neuron_activation_maps,
)
from course_lib.playground.model import (
    ACTIVATIONS,
    OPTIMIZERS,
    Playground,
    PlaygroundConfig,
    binary_cross_entropy,
    build_model,
    check_compiled,
)
from course_lib.playground.perceptron import (
    GATES,
    PerceptronRun,
    XorSolution,
    perceptron_on_gate,
    solve_xor_with_hidden_layer,
    train_perceptron,
    truth_table,
)

__all__ = [
    "ACTIVATIONS",
    "BOUNDS",
    "DATASET_NAMES",
    "FEATURE_LABELS",
    "FEATURE_NAMES",
    "GATES",
    "OPTIMIZERS",
    "DecisionGrid",
    "PerceptronRun",
    "Playground",
    "PlaygroundConfig",
    "PlaygroundData",
    "XorSolution",
    "binary_cross_entropy",
    "build_model",
    "canonical_feature",
    "check_compiled",
    "check_features",
    "check_points",
    "custom_data",
    "decision_grid",
    "feature_maps",
    "feature_matrix",
    "grid_points",
    "load_playground_data",
    "make_dataset",
    "neuron_activation_maps",
    "perceptron_on_gate",
    "solve_xor_with_hidden_layer",
    "train_perceptron",
    "train_test_split",
    "truth_table",
]
