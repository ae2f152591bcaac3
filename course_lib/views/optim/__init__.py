"""Pictures of gradient descent: contour plots, animations and an explorer widget.

Drawing only: every number comes from :mod:`course_lib.optim` (paths computed by
the real ``keras.optimizers``). One module per kind of picture:

* :mod:`.surfaces` — :func:`plot_surface`, :func:`plot_paths`, :func:`plot_loss_curves`,
  :func:`plot_optimizer_comparison`, :func:`plot_paths_side_by_side`;
* :mod:`.player` — :func:`animate_paths` (matplotlib) and :func:`animation_html`,
  a small self-contained HTML/JS player, with :func:`save_animation_html`;
* :mod:`.explorer` — :class:`OptimizerExplorer` and :func:`optimizer_explorer`;
* :mod:`.one_d` — :func:`plot_learning_rates_1d`, :func:`plot_regression_gd`;
* :mod:`.style` — colours and markers shared by all of them.

Each ``plot_*`` function draws into caller Axes when given (``ax=`` / ``axes=``)
and otherwise makes its own figure and shows it once. Every name stays importable
from ``course_lib.views.optim``.

Example:
    >>> from course_lib.optim import compare_optimizers
    >>> from course_lib.views.optim import plot_paths, animation_html
    >>> paths = compare_optimizers("rosenbrock", ["sgd", "momentum", "adam"], steps=150)
    >>> ax = plot_paths(paths)  # doctest: +SKIP
    >>> html = animation_html(paths)  # doctest: +SKIP
"""

from course_lib.views.optim.explorer import (
    MOMENTUM_ARGUMENT,
    OptimizerExplorer,
    optimizer_explorer,
)
from course_lib.views.optim.one_d import plot_learning_rates_1d, plot_regression_gd
from course_lib.views.optim.player import (
    _frame_steps,
    animate_paths,
    animation_html,
    save_animation_html,
)
from course_lib.views.optim.style import (
    GAP_FLOOR,
    MINIMUM_STYLE,
    OPTIMIZER_COLORS,
    PANEL_SIZE,
    SADDLE_STYLE,
    START_STYLE,
)
from course_lib.views.optim.surfaces import (
    plot_loss_curves,
    plot_optimizer_comparison,
    plot_paths,
    plot_paths_side_by_side,
    plot_surface,
)

__all__ = [
    "GAP_FLOOR",
    "MINIMUM_STYLE",
    "MOMENTUM_ARGUMENT",
    "OPTIMIZER_COLORS",
    "PANEL_SIZE",
    "SADDLE_STYLE",
    "START_STYLE",
    "OptimizerExplorer",
    "_frame_steps",
    "animate_paths",
    "animation_html",
    "optimizer_explorer",
    "plot_learning_rates_1d",
    "plot_loss_curves",
    "plot_optimizer_comparison",
    "plot_paths",
    "plot_paths_side_by_side",
    "plot_regression_gd",
    "plot_surface",
    "save_animation_html",
]
