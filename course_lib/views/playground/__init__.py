"""Decision-boundary playground views: surface, neuron maps, losses, widget, perceptron.

Drawing only; the numbers come from :mod:`course_lib.playground`. One module per
kind of picture:

* :mod:`.plots` — :func:`plot_decision_surface`, :func:`plot_loss_curves`,
  :func:`plot_neuron_maps` (draw into a caller's Axes/Figure, or show their own once);
* :mod:`.renderer` — :class:`PlaygroundFigure`, the whole picture redrawn in place
  by blitting, and :func:`plot_playground`, its static figure;
* :mod:`.app` — :class:`PlaygroundApp` (ipywidgets) and :func:`show_playground`,
  which gives the app, or a static figure when ``course_lib.config.view_mode()``
  is ``"static"`` (nbval, HTML export);
* :mod:`.perceptron` — :func:`plot_perceptron_run`, :func:`plot_perceptron_gates`,
  :func:`plot_xor_solution`, :class:`PerceptronApp`, :func:`show_perceptron`;
* :mod:`.style` — colours shared by all of them.

Every name stays importable from ``course_lib.views.playground``.

Example:
    >>> from course_lib.views.playground import show_playground
    >>> show_playground(dataset="xor", hidden=(4,), activation="tanh")  # doctest: +SKIP
"""

from course_lib.views.display import figure_png
from course_lib.views.playground.app import PlaygroundApp, show_playground
from course_lib.views.playground.perceptron import (
    PerceptronApp,
    plot_perceptron_gates,
    plot_perceptron_run,
    plot_xor_solution,
    show_perceptron,
)
from course_lib.views.playground.plots import (
    plot_decision_surface,
    plot_loss_curves,
    plot_neuron_maps,
)
from course_lib.views.playground.renderer import PlaygroundFigure, plot_playground
from course_lib.views.playground.style import (
    CLASS_COLORS,
    LEARNING_RATES,
    REGULARIZATION_RATES,
)

__all__ = [
    "CLASS_COLORS",
    "LEARNING_RATES",
    "REGULARIZATION_RATES",
    "PerceptronApp",
    "PlaygroundApp",
    "PlaygroundFigure",
    "figure_png",
    "plot_decision_surface",
    "plot_loss_curves",
    "plot_neuron_maps",
    "plot_perceptron_gates",
    "plot_perceptron_run",
    "plot_playground",
    "plot_xor_solution",
    "show_perceptron",
    "show_playground",
]
