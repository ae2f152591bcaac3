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
# Figures presented while a cell runs are shown when it ends (like the inline backend
# does for pyplot), so that ``ax = view(); ax.set_title(...)`` shows the title too.
_in_cell = False
_pending: list[Any] = []


def _shell() -> Any:
    """The running IPython shell, or ``None`` (scripts, plain pytest)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    shell = ipython.get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return None
    if id(shell) not in _registered_shells:
        global _in_cell
        shell.events.register("pre_execute", _cell_starts)
        shell.events.register("post_execute", _cell_ends)
        _registered_shells.add(id(shell))
        _in_cell = True  # first use is almost always from a cell; it ends with post_execute
    return shell


def _cell_starts(*_args: Any) -> None:
    global _cell_counter, _in_cell
    _cell_counter += 1
    _in_cell = True


def _cell_ends(*_args: Any) -> None:
    global _in_cell
    _in_cell = False
    flush()


def flush() -> None:
    """Show the figures presented in the current cell now (normally done when it ends)."""
    while _pending:
        _show_now(_pending.pop(0))


def current_cell() -> int:
    """A number that changes with every cell run (``pre_execute``); 0 outside IPython."""
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
    return require_axes(ax, what=what), False


def _brief(value: Any) -> str:
    import reprlib

    short = reprlib.Repr()  # keyword arguments need Python 3.12
    short.maxstring = short.maxother = 40
    short.maxlist = short.maxtuple = short.maxdict = 4
    return short.repr(value)


def require_axes(ax: Any, *, what: str = "this view", name: str = "ax") -> Axes:
    """``ax`` if it is a matplotlib Axes; else a ViewError naming it and the fix.

    An array of Axes (``fig, axes = plt.subplots(1, 2)``) is the usual mistake; the
    message says to pick one.

    Raises:
        ViewError: ``ax`` is not an Axes.
    """
    if hasattr(ax, "figure") and hasattr(ax, "plot"):
        return ax
    many = hasattr(ax, "flat") or (isinstance(ax, list | tuple) and ax and hasattr(ax[0], "plot"))
    raise ViewError(
        f"Expected a matplotlib Axes for {name}= of {what}. Received: {name}={_brief(ax)} "
        f"(a {type(ax).__name__}).",
        hint=(f"pick one Axes, e.g. {name}={name}es[0]" if many and name == "ax"
              else "pass ax=fig.add_subplot() (or one of plt.subplots())")
        + ", or leave it out for a new figure.",
    )


def require_figure(fig: Any, *, what: str = "this view") -> Figure:
    """``fig`` if it is a matplotlib Figure; else a ViewError naming it and the fix.

    Raises:
        ViewError: ``fig`` is not a Figure (an Axes is the usual mistake).
    """
    from matplotlib.figure import Figure

    if isinstance(fig, Figure):
        return fig
    hint = ("pass its figure: fig=ax.figure" if _is_axes(fig)
            else "pass fig=plt.figure() (or the fig of plt.subplots())")
    raise ViewError(
        f"Expected a matplotlib Figure for fig= of {what}. Received: fig={_brief(fig)} "
        f"(a {type(fig).__name__}).",
        hint=hint + ", or leave fig=None for a new one.",
    )


def require_numbers(value: Any, *, name: str, what: str, hint: str, ndim: int | None = None,
                    shape: str = "") -> Any:
    """``value`` as a float NumPy array; a ViewError naming it when it is not numbers.

    Args:
        value: array-like.
        name, what: the argument and the function, for the message.
        hint: how to fix it.
        ndim: the number of dimensions wanted (``shape`` says them in words).

    Raises:
        ViewError: ``value`` is not numeric, or has another number of dimensions.
    """
    import numpy as np

    try:
        array = np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        array = None
    if array is None or array.dtype == object or isinstance(value, str) or array.ndim == 0:
        raise ViewError(
            f"Expected {name} of {what} to be an array of numbers. Received: "
            f"{name}={_brief(value)} (a {type(value).__name__}).",
            hint=hint,
        )
    if ndim is not None and array.ndim != ndim:
        raise ViewError(
            f"Expected {name} of {what} to be {shape or f'{ndim}-D'}. Received: {name} of "
            f"shape {array.shape}.",
            hint=hint,
        )
    return array


def require(value: Any, kind: type | tuple[type, ...], *, name: str, what: str,
            hint: str) -> Any:
    """``value`` if it is a ``kind``; else a ViewError quoting it, with the fix.

    Views call it first, so a wrong argument fails at their surface with its name,
    not as an ``AttributeError`` deep inside.

    Example:
        >>> require("oops", dict, name="maps", what="show_x", hint="use y")  # doctest: +SKIP
        ViewError: Expected maps of show_x to be a dict. Received: maps='oops' (a str).
    """
    if isinstance(value, kind):
        return value
    kinds = kind if isinstance(kind, tuple) else (kind,)
    raise ViewError(
        f"Expected {name} of {what} to be a {' or '.join(k.__name__ for k in kinds)}. "
        f"Received: {name}={_brief(value)} (a {type(value).__name__}).",
        hint=hint,
    )


def figure_png(fig: Figure, dpi: int | None = None) -> bytes:
    """PNG bytes of ``fig`` (one draw, fast zlib level).

    Args:
        fig: the figure (any canvas; an Agg canvas is attached when needed).
        dpi: render at this resolution; the figure's own dpi is left unchanged.

    Returns:
        The PNG file as bytes (RGB, or RGBA when the figure has transparency).

    Raises:
        ViewError: ``fig`` is not a matplotlib Figure.
    """
    import numpy as np
    from PIL import Image

    require_figure(fig, what="figure_png")
    if not hasattr(fig.canvas, "buffer_rgba"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    old_dpi = fig.dpi
    if dpi is not None and dpi != old_dpi:
        fig.set_dpi(dpi)
    try:
        fig.canvas.draw()
        rgba = np.asarray(fig.canvas.buffer_rgba())
    finally:
        if fig.dpi != old_dpi:
            fig.set_dpi(old_dpi)
    opaque = bool(rgba[..., 3].min() == 255)
    buffer = io.BytesIO()
    Image.fromarray(rgba[..., :3] if opaque else rgba).save(buffer, format="png",
                                                            compress_level=1)
    return buffer.getvalue()


def canvas_png(fig: Figure) -> bytes:
    """PNG bytes of what ``fig``'s Agg canvas holds now, without drawing again.

    For renderers that blit (restore a background, draw the changing artists)
    and then encode the result.
    """
    import numpy as np
    from PIL import Image

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


def static_views() -> bool:
    """True when views should leave plain figures (``COURSE_VIEWS=static``, scripts, nbval)."""
    from course_lib.config import view_mode

    return view_mode() == "static"


# ---------------------------------------------------------------- show once
_SHOWN = "_course_shown_in"  # attribute: the cell an object was last shown in


def _is_axes(obj: Any) -> bool:
    if "matplotlib.axes" not in sys.modules:
        return False
    from matplotlib.axes import Axes

    return isinstance(obj, Axes)


def _bundle(obj: Any) -> dict[str, Any] | None:
    """A raw MIME bundle for objects this module encodes itself (figures, Axes)."""
    from matplotlib.figure import Figure

    if _is_axes(obj):
        obj = obj.figure
    if isinstance(obj, Figure):
        return {"image/png": base64.b64encode(figure_png(obj)).decode("ascii"),
                "text/plain": f"<Figure {obj.get_figwidth():.1f}x{obj.get_figheight():.1f} in>"}
    return None


def _show_now(obj: Any) -> None:
    """Send ``obj`` to the front end once, bypassing the show-once hooks."""
    bundle = _bundle(obj)
    if bundle is not None:
        _display(bundle, raw=True)
    elif isinstance(obj, Presentable):
        obj._show()
    elif isinstance(getattr(obj, "widget", None), _widget_type()):
        _display(obj.widget)
    else:
        hook = vars(obj).pop("_ipython_display_", None) if hasattr(obj, "__dict__") else None
        try:
            _display(obj)
        finally:
            if hook is not None:
                obj._ipython_display_ = hook


def _widget_type() -> type:
    try:
        from ipywidgets import DOMWidget
    except ImportError:  # pragma: no cover - ipywidgets is a dependency
        return type(None)
    return DOMWidget


def _mark(obj: Any, cell: int) -> None:
    """Remember where ``obj`` was shown; plain objects get a display hook that shows
    them again only in a later cell."""
    with contextlib.suppress(AttributeError, TypeError):
        setattr(obj, _SHOWN, cell)
        if not isinstance(obj, Presentable) and "_ipython_display_" not in vars(obj):
            obj._ipython_display_ = _once_per_cell_hook(obj)


def _once_per_cell_hook(obj: Any) -> Callable[[], None]:
    def _ipython_display_() -> None:
        cell = current_cell()
        if getattr(obj, _SHOWN, None) == cell:
            return
        _show_now(obj)
        setattr(obj, _SHOWN, cell)

    return _ipython_display_


def present(obj: T) -> T:
    """Show ``obj`` now, once, and return it so that showing it again is a no-op.

    Works for matplotlib Figures, Axes (their figure is shown), :class:`Presentable`
    views and anything IPython can display. In the same cell the returned object
    displays nothing more (as the cell's value, after ``;``, or through
    ``display``) and a second ``present`` of it is a no-op; in a later cell ``obj``
    alone shows it again. Outside IPython nothing happens.

    Figures and Axes presented while a cell runs appear when the cell ends (as
    pyplot's inline backend does), so drawing more on a returned Axes in the same
    cell still shows; widgets appear at once. Call :func:`flush` to show pending
    figures earlier.

    Args:
        obj: what the view made itself (never a figure the caller passed in).

    Returns:
        ``obj`` itself.
    """
    from matplotlib.figure import Figure

    figure = obj.figure if _is_axes(obj) else obj
    if isinstance(figure, Figure):
        close_in_pyplot(figure)
    if _shell() is None:
        return obj
    cell = current_cell()
    if getattr(obj, _SHOWN, None) == cell:
        return obj
    if isinstance(figure, Figure) and _in_cell:
        _pending.append(obj)  # shown when the cell ends, with whatever was drawn since
    else:
        _show_now(obj)  # widgets at once; figures at once from widget callbacks
    _mark(obj, cell)
    if figure is not obj:
        _mark(figure, cell)
    return obj


class Presentable:
    """Mixin for views that display themselves: shown by :func:`present`, once per cell.

    Subclasses set ``self.widget`` (an ipywidget) or override :meth:`_show`.
    """

    widget: Any = None

    def _show(self) -> None:
        _display(self.widget)

    def _ipython_display_(self) -> None:
        cell = current_cell()
        if getattr(self, _SHOWN, None) == cell:
            return
        setattr(self, _SHOWN, cell)
        self._show()


# -------------------------------------------------------- image + status line
_STATUS_STYLE = {
    "info": "color:#444",
    "note": "color:#8a5a00",  # something was changed from what the user asked
    "error": "color:#b00020;font-weight:bold",
}


class ImageView(Presentable):
    """An image widget with a status line: the picture of every interactive view.

    The image is updated in place (no flicker, works in Voila); the status line
    says what is shown (``info``), what was changed from the request (``note``)
    and what went wrong (``error``), the same way in every view. Displaying the
    view (or :func:`present`) shows :attr:`widget` once per cell.

    Args:
        width: display width of the image in pixels (``None``: natural size).
        status_first: put the status line above the image.

    Attributes:
        image: the ``ipywidgets.Image``.
        status: the ``ipywidgets.HTML`` status line.
        widget: the box holding both (put it in your own layout, or display the view).
        last_status: ``(message, kind)`` of the last :meth:`say`.

    Example:
        >>> view = ImageView()                     # doctest: +SKIP
        >>> view.show_figure(fig)                  # doctest: +SKIP
        >>> view.say("steps capped at 500", "note")  # doctest: +SKIP
    """

    def __init__(self, width: int | None = None, *, status_first: bool = False) -> None:
        import ipywidgets as widgets

        layout = widgets.Layout(width=f"{width}px") if width else widgets.Layout()
        self.image = widgets.Image(format="png", layout=layout)
        self.status = widgets.HTML(value="")
        parts = [self.status, self.image] if status_first else [self.image, self.status]
        self.widget = widgets.VBox(parts)
        self.last_status: tuple[str, str] = ("", "info")

    def show_png(self, png: bytes) -> None:
        """Replace the picture with these PNG bytes."""
        self.image.value = png

    def show_figure(self, fig: Figure, dpi: int | None = None) -> None:
        """Replace the picture with ``fig`` rendered to PNG."""
        self.show_png(figure_png(fig, dpi=dpi))

    def say(self, message: str, kind: str = "info") -> None:
        """Set the status line.

        Args:
            message: plain text (escaped; new lines become line breaks).
            kind: ``"info"`` (what is shown), ``"note"`` (a request was changed,
                e.g. a value clamped) or ``"error"``.

        Raises:
            ViewError: unknown ``kind``.
        """
        if kind not in _STATUS_STYLE:
            raise ViewError(f"Expected kind in {tuple(_STATUS_STYLE)}. Received: kind={kind!r}.",
                            hint='use "info", "note" or "error".')
        self.last_status = (message, kind)
        text = html.escape(message).replace("\n", "<br>")
        self.status.value = f'<span style="{_STATUS_STYLE[kind]}">{text}</span>' if text else ""

    def show_error(self, error: BaseException) -> None:
        """Show ``error`` in the status line (the picture stays as it was)."""
        if isinstance(error, CourseError):
            self.say(str(error), "error")
        else:
            self.say(f"{type(error).__name__}: {error}", "error")

    def guard(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a widget callback so its errors appear in the status line.

        A :class:`CourseError` (bad input) is shown and swallowed: the widget stays
        usable and nothing is lost. Any other exception is a bug: it is shown too,
        then re-raised so it also reaches the kernel log. A successful call clears
        an error left by an earlier one.
        """

        def guarded(*args: Any, **kwargs: Any) -> Any:
            before = self.last_status
            try:
                result = callback(*args, **kwargs)
            except CourseError as error:
                self.show_error(error)
                return None
            except Exception as error:
                self.show_error(error)
                raise
            if self.last_status is before and before[1] == "error":
                self.say("")
            return result

        guarded.__wrapped__ = callback  # type: ignore[attr-defined]
        return guarded
