"""The one display layer every view goes through.

A view computes nothing here; it asks this module for a figure, draws on it, and
hands it back through :func:`present`, which shows it **exactly once** in a
Jupyter front end (JupyterLab, Voila, nbval, HTML export) however the call is
written: as the cell's value, assigned to a name, followed by ``;``, or inside a
loop or a function. Outside IPython (scripts, tests) nothing is displayed and
the object is simply returned.

Rules a view follows:

* make its own figures with :func:`new_figure` / :func:`subplots` (never
  ``pyplot``: a pyplot figure would be shown a second time by the inline backend);
* when the caller passes ``ax=``, draw into it and do *not* present (the caller
  owns that figure);
* widgets show their picture in an :class:`ImageView` (image + status line) and
  report errors and silent changes through its status line;
* return ``present(result)`` for anything it made itself.

Example:
    >>> from course_lib.views.display import new_figure, present
    >>> fig = new_figure((3, 2))
    >>> _ = fig.add_subplot().plot([0, 1], [1, 0])
    >>> present(fig) is fig
    True
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from course_lib.errors import CourseError, ViewError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

T = TypeVar("T")

DEFAULT_DPI = 80

# ------------------------------------------------------------- the IPython side
_cell_counter = 0
_registered_shells: set[int] = set()


def _shell() -> Any:
    """The running IPython shell, or ``None`` (scripts, plain pytest)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    shell = ipython.get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return None
    if id(shell) not in _registered_shells:
        shell.events.register("pre_run_cell", _next_cell)
        _registered_shells.add(id(shell))
    return shell


def _next_cell(*_args: Any) -> None:
    global _cell_counter
    _cell_counter += 1


def current_cell() -> int:
    """A number that changes with every cell run (``pre_run_cell``); 0 outside IPython."""
    return _cell_counter if _shell() is not None else 0


def _display(obj: Any, raw: bool = False) -> None:
    """The single place that calls IPython's ``display`` (tests replace it)."""
    from IPython.display import display

    display(obj, raw=raw)


# ------------------------------------------------------------------- figures
def new_figure(figsize: tuple[float, float], *, dpi: int = DEFAULT_DPI,
               layout: str | None = None, facecolor: str = "white") -> Figure:
    """A matplotlib Figure with an Agg canvas that pyplot does not know about.

    Such a figure never shows by itself; :func:`present` shows it once.

    Args:
        figsize: (width, height) in inches.
        dpi: dots per inch of the canvas.
        layout: ``None``, ``"constrained"`` or ``"tight"``.
        facecolor: background colour.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout=layout, facecolor=facecolor)
    FigureCanvasAgg(fig)
    return fig


def subplots(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float],
             dpi: int = DEFAULT_DPI, layout: str | None = None, squeeze: bool = True,
             **kwargs: Any) -> tuple[Figure, Any]:
    """Like ``plt.subplots`` but on a :func:`new_figure` (not registered with pyplot)."""
    fig = new_figure(figsize, dpi=dpi, layout=layout)
    return fig, fig.subplots(nrows, ncols, squeeze=squeeze, **kwargs)


def axes_or_new(ax: Any, figsize: tuple[float, float], *, what: str = "this view",
                layout: str | None = None) -> tuple[Axes, bool]:
    """The caller's Axes (validated) or a new one; the flag says whether it is new.

    Raises:
        ViewError: ``ax`` is neither ``None`` nor a matplotlib Axes.
    """
    if ax is None:
        return new_figure(figsize, layout=layout).add_subplot(), True
    if not hasattr(ax, "figure") or not hasattr(ax, "plot"):
        raise ViewError(
            f"Expected a matplotlib Axes for ax= of {what}. Received: {type(ax).__name__}.",
            hint="pass ax=fig.add_subplot() (or one of plt.subplots()), or leave ax=None.",
        )
    return ax, False


def figure_png(fig: Figure, dpi: int | None = None) -> bytes:
    """PNG bytes of ``fig`` (one draw, fast zlib level)."""
    import numpy as np
    from PIL import Image

    if dpi is not None:
        fig.set_dpi(dpi)
    if not hasattr(fig.canvas, "buffer_rgba"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    buffer = io.BytesIO()
    Image.fromarray(rgba[..., :3]).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def figure_svg(fig: Figure) -> str:
    """SVG text of ``fig``."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    return buffer.getvalue()


def png_data_url(png: bytes) -> str:
    """``data:image/png;base64,...`` for embedding a PNG in HTML."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def close_in_pyplot(fig: Figure) -> Figure:
    """Forget ``fig`` in pyplot (if it was made there) so the inline backend skips it."""
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        plt.close(fig)  # a no-op for figures pyplot never managed
    return fig


# ---------------------------------------------------------------- show once
def _bundle(obj: Any) -> dict[str, Any] | None:
    """A raw MIME bundle for objects this module encodes itself (figures, SVG views)."""
    from matplotlib.figure import Figure

    if isinstance(obj, Figure):
        return {"image/png": base64.b64encode(figure_png(obj)).decode("ascii"),
                "text/plain": f"<Figure {obj.get_figwidth():.1f}x{obj.get_figheight():.1f} in>"}
    return None


def _shown_once_hook(obj: Any, shown_in: int) -> Callable[[], None]:
    def _ipython_display_() -> None:
        if current_cell() != shown_in:  # asked for again in a later cell: show again
            _show_now(obj)

    return _ipython_display_


def _show_now(obj: Any) -> int:
    bundle = _bundle(obj)
    if bundle is not None:
        _display(bundle, raw=True)
    elif hasattr(obj, "widget"):
        _display(obj.widget)
    else:
        _display(obj)
    return current_cell()


def present(obj: T) -> T:
    """Show ``obj`` now, once, and return it so that showing it again is a no-op.

    Works for matplotlib Figures, :class:`Presentable` views and anything IPython
    can display. In the same cell the returned object displays nothing more (as
    the cell's value or through ``display``); in a later cell ``obj`` alone shows
    it again. Outside IPython nothing happens.

    Returns:
        ``obj`` itself.
    """
    from matplotlib.figure import Figure

    if isinstance(obj, Figure):
        close_in_pyplot(obj)
    if _shell() is None:
        return obj
    shown_in = _show_now(obj)
    if isinstance(obj, Presentable):
        obj._shown_in = shown_in
    else:
        # slots or read-only objects keep their own display (IPython may show them twice)
        with contextlib.suppress(AttributeError):
            obj._ipython_display_ = _shown_once_hook(obj, shown_in)  # type: ignore[attr-defined]
    return obj


class Presentable:
    """Mixin for views that display themselves: shown by :func:`present`, once per cell.

    Subclasses set ``self.widget`` (an ipywidget) or override :meth:`_show`.
    """

    _shown_in: int | None = None
    widget: Any = None

    def _show(self) -> None:
        _display(self.widget)

    def _ipython_display_(self) -> None:
        if self._shown_in is not None and self._shown_in == current_cell():
            return
        self._shown_in = current_cell()
        self._show()


# -------------------------------------------------------- image + status line
_STATUS_STYLE = {
    "info": "color:#444",
    "note": "color:#8a5a00",  # something was changed from what the user asked
    "error": "color:#b00020;font-weight:bold",
}


class ImageView:
    """An image widget with a status line: the picture of every interactive view.

    The image is updated in place (no flicker, works in Voila); the status line
    says what is shown, what was changed from the request (``note``) and errors
    (``error``), the same way in every view.

    Example:
        >>> view = ImageView()                     # doctest: +SKIP
        >>> view.show_figure(fig)                  # doctest: +SKIP
        >>> view.say("steps capped at 500", "note")  # doctest: +SKIP
    """

    def __init__(self, width: int | None = None) -> None:
        import ipywidgets as widgets

        layout = widgets.Layout(width=f"{width}px") if width else widgets.Layout()
        self.image = widgets.Image(format="png", layout=layout)
        self.status = widgets.HTML(value="")
        self.widget = widgets.VBox([self.image, self.status])
        self.last_status: tuple[str, str] = ("", "info")

    def show_png(self, png: bytes) -> None:
        self.image.value = png

    def show_figure(self, fig: Figure, dpi: int | None = None) -> None:
        self.show_png(figure_png(fig, dpi=dpi))

    def say(self, message: str, kind: str = "info") -> None:
        """Set the status line; ``kind`` is ``"info"``, ``"note"`` or ``"error"``."""
        if kind not in _STATUS_STYLE:
            raise ViewError(f"Expected kind in {tuple(_STATUS_STYLE)}. Received: kind={kind!r}.")
        self.last_status = (message, kind)
        text = html.escape(message).replace("\n", "<br>")
        self.status.value = f'<span style="{_STATUS_STYLE[kind]}">{text}</span>' if text else ""

    def show_error(self, error: BaseException) -> None:
        self.say(str(error), "error")

    def guard(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a widget callback: a :class:`CourseError` goes to the status line."""

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except CourseError as error:
                self.show_error(error)
                return None

        return guarded
