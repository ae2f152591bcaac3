"""Loss surfaces and optimizer paths computed with the real ``keras.optimizers``.

Compute only: the pictures live in :mod:`course_lib.views.optim`.

Example:
    >>> from course_lib.optim import compare_optimizers
    >>> paths = compare_optimizers("rosenbrock", ["sgd", "adam"], steps=100)
"""

from course_lib.optim.errors import OptimError, UnknownOptimizerError, UnknownSurfaceError
from course_lib.optim.one_d import (
    LOSSES_1D,
    Loss1D,
    Path1D,
    get_loss_1d,
    gradient_descent_1d,
    learning_rate_examples,
)
from course_lib.optim.paths import (
    OPTIMIZERS,
    OptimizerPath,
    compare_optimizers,
    make_optimizer,
    optimizer_names,
    optimizer_path,
)
from course_lib.optim.regression_gd import (
    RegressionPath,
    RegressionProblem,
    compare_batch_sizes,
    gradient_descent_regression,
    make_regression_problem,
    normal_equation,
)
from course_lib.optim.surfaces import SURFACES, Surface, get_surface, surface_names

__all__ = [
    "LOSSES_1D",
    "Loss1D",
    "Path1D",
    "RegressionPath",
    "RegressionProblem",
    "compare_batch_sizes",
    "get_loss_1d",
    "gradient_descent_1d",
    "gradient_descent_regression",
    "learning_rate_examples",
    "make_regression_problem",
    "normal_equation",
    "OPTIMIZERS",
    "SURFACES",
    "OptimError",
    "OptimizerPath",
    "Surface",
    "UnknownOptimizerError",
    "UnknownSurfaceError",
    "compare_optimizers",
    "get_surface",
    "make_optimizer",
    "optimizer_names",
    "optimizer_path",
    "surface_names",
]
