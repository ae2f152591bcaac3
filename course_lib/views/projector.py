"""Draw embedding projections: a static matplotlib scatter and an interactive HTML one.

The interactive projector is a small self-contained HTML/JavaScript page (no
CDN, works offline, in JupyterLab, Voila and exported HTML) shown in an
``<iframe>``: hover a point for its label, type a word to find it and
highlight its k nearest neighbours (cosine, computed in the page from the
embedded float32 unit vectors when a point is chosen: the page opens without
an all-pairs neighbour table), click a point to do the same, drag to rotate
3-D projections. Under
``COURSE_VIEWS=static`` (nbval, HTML export of lessons) :func:`show_projector`
returns the matplotlib figure instead.

Example:
    >>> from course_lib.models.projector import from_array
    >>> from course_lib.views.projector import show_projector
    >>> space = from_array(np.random.rand(200, 16), classes=[i % 4 for i in range(200)])
    >>> view = show_projector(space, method="pca")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
import json
from functools import cached_property
from pathlib import Path
from typing import Any

from course_lib.errors import ViewError
from course_lib.models.projector import (
    EmbeddingSpace,
    Projection,
    analogy,
    nearest_neighbors,
    neighbor_table,
    project,
)
from course_lib.views.display import axes_or_new, new_figure, present, require

__all__ = [
    "ProjectorView",
    "draw_analogy",
    "draw_projection",
    "show_projector",
]

_HIGHLIGHT, _QUERY = "#ff7f0e", "#d62728"


def _space(space: Any, what: str) -> EmbeddingSpace:
    return require(space, EmbeddingSpace, name="space", what=what,
                   hint="make one with from_embedding_layer(layer, vocabulary) or "
                        "from_array(vectors, labels=...).")


def _projection(projection: Any, what: str) -> Projection:
    return require(projection, Projection, name="projection", what=what,
                   hint="pass project(space, 'pca') (or 'tsne', 'umap').")


def _class_colors(classes: list[str] | None) -> tuple[list[str], list[Any]]:
    """Unique classes in first-seen order and a colour for each."""
    import matplotlib

    if classes is None:
        return [], []
    names = sorted(set(classes), key=lambda c: (len(c), c))
    cmap = matplotlib.colormaps["tab10" if len(names) <= 10 else "tab20"]
    return names, [cmap(i % cmap.N) for i in range(len(names))]


def draw_projection(projection: Projection, space: EmbeddingSpace | None = None, ax: Any = None,
                    highlight: str | list[str] | None = None, k: int = 8,
                    annotate: bool | None = None, title: str | None = None) -> Any:
    """Scatter a projection, coloured by class, optionally around a query word.

    Args:
        projection: from :func:`course_lib.models.projector.project`.
        space: the projected space (labels, classes; needed for ``highlight``).
        ax: Axes to draw into (a 3-D Axes for 3-D projections); new figure if ``None``.
        highlight: a label whose ``k`` nearest neighbours are marked and named,
            or a list of labels to mark and name.
        k: neighbours shown for a single highlighted label.
        annotate: write every label next to its point (default: only when n <= 60).
        title: Axes title (default: method and point count).

    Returns:
        The Axes.

    Raises:
        ViewError: 3-D projection into a 2-D Axes, sizes that disagree, or an
            unknown highlight label.

    Example:
        >>> draw_projection(project(space), space, highlight="king")  # doctest: +SKIP
    """
    import numpy as np
    from matplotlib.lines import Line2D

    coords = np.asarray(_projection(projection, "draw_projection").coords)
    n, dims = coords.shape
    if space is not None:
        _space(space, "draw_projection")
    if space is not None and len(space) != n:
        raise ViewError(
            f"Expected a projection of this space ({len(space)} points). Received: {n} points.",
            hint="project(space) the same space you pass here.",
        )
    new = ax is None
    if new:
        ax = new_figure((7.5, 6)).add_subplot(projection="3d" if dims == 3 else None)
    else:
        ax, _ = axes_or_new(ax, (7.5, 6), what="draw_projection")
    is_3d = getattr(ax, "name", "") == "3d"
    if dims == 3 and not is_3d:
        raise ViewError(
            "Expected a 3-D Axes for a 3-D projection. Received: a 2-D Axes.",
            hint="create it with fig.add_subplot(projection='3d'), or project(..., dims=2).",
        )
    points = [coords[:, i] for i in range(dims)]
    size = 6 if n > 2000 else 16 if n > 300 else 30
    classes = space.classes if space is not None else None
    names, colors = _class_colors(classes)
    if names:
        lookup = {name: i for i, name in enumerate(names)}
        color_of = np.array([colors[lookup[c]] for c in classes])
        ax.scatter(*points, s=size, c=color_of, alpha=0.75, linewidths=0, rasterized=n > 2000)
        handles = [Line2D([], [], ls="", marker="o", color=colors[i], label=name)
                   for i, name in enumerate(names[:20])]
        ax.legend(handles=handles, title="class", fontsize=8, title_fontsize=8,
                  loc="best", markerscale=1.2)
    else:
        ax.scatter(*points, s=size, c="#4c72b0", alpha=0.6, linewidths=0, rasterized=n > 2000)

    marked: list[int] = []
    query: int | None = None
    if highlight is not None:
        if space is None:
            raise ViewError("Expected space= together with highlight=. Received: space=None.",
                            hint="draw_projection(projection, space, highlight='word').")
        if isinstance(highlight, str):
            query = space.index(highlight)
            marked = [nb.index for nb in nearest_neighbors(space, highlight, k=k)]
        else:
            marked = [space.index(label) for label in highlight]
    if marked:
        sub = [p[marked] for p in points]
        ax.scatter(*sub, s=70, facecolors="none", edgecolors=_HIGHLIGHT, linewidths=1.8)
    if query is not None:
        ax.scatter(*[p[[query]] for p in points], s=160, marker="*", c=_QUERY, zorder=5)
    show_all = annotate if annotate is not None else (space is not None and n <= 60)
    to_label = list(range(n)) if show_all else marked + ([query] if query is not None else [])
    for i in to_label:
        position = [p[i] for p in points]
        weight = "bold" if i == query else "normal"
        ax.text(*position, " " + space.labels[i], fontsize=8, fontweight=weight,
                color="#222")
    axis_labels = projection.axis_labels()
    ax.set_xlabel(axis_labels[0], fontsize=9)
    ax.set_ylabel(axis_labels[1], fontsize=9)
    if is_3d:
        ax.set_zlabel(axis_labels[2], fontsize=9)
    default = f"{projection.method.upper()} of {n:,} points"
    if query is not None:
        default += f" — {space.labels[query]!r} and its {len(marked)} nearest neighbours (cosine)"
    ax.set_title(title or default, fontsize=10)
    return present(ax) if new else ax


def draw_analogy(space: EmbeddingSpace, a: str, b: str, c: str,
                 projection: Projection | None = None, ax: Any = None) -> Any:
    """Draw a − b + c: the four words and the two parallel arrows b→a and c→answer.

    Args:
        space: the embedding space.
        a: start word (e.g. "king"). b: subtracted word ("man"). c: added word ("woman").
        projection: a 2-D projection of ``space`` (default: PCA of the whole space).
        ax: Axes to draw into; new figure when ``None``.

    Returns:
        The Axes; its title names the answer.

    Example:
        >>> draw_analogy(space, "king", "man", "woman")  # doctest: +SKIP
    """
    _space(space, "draw_analogy")
    for name, word in (("a", a), ("b", b), ("c", c)):
        require(word, str, name=name, what="draw_analogy",
                hint="give three words of the space, e.g. ('king', 'man', 'woman').")
    if projection is not None:
        _projection(projection, "draw_analogy")
    answer = analogy(space, a, b, c, k=1)[0]
    projection = projection or project(space, "pca", dims=2)
    if projection.dims != 2:
        raise ViewError(f"Expected a 2-D projection. Received: dims={projection.dims}.",
                        hint="project(space, dims=2).")
    ax, new = axes_or_new(ax, (6, 5), what="draw_analogy")
    xy = projection.coords
    ax.scatter(xy[:, 0], xy[:, 1], s=8, c="#c8c8c8", linewidths=0)
    idx = {w: space.index(w) for w in (a, b, c)}
    idx[answer.label] = answer.index
    for start, end, color in ((b, a, "#4c72b0"), (c, answer.label, _HIGHLIGHT)):
        ax.annotate("", xy=xy[idx[end]], xytext=xy[idx[start]],
                    arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2})
    for word, i in idx.items():
        ax.scatter(*xy[i], s=60, c=_QUERY if word == answer.label else "#222", zorder=4)
        ax.text(*xy[i], f"  {word}", fontsize=10, fontweight="bold")
    ax.set_title(f"{a} − {b} + {c} ≈ {answer.label} (cosine {answer.similarity:.2f})",
                 fontsize=10)
    labels = projection.axis_labels()
    ax.set_xlabel(labels[0], fontsize=9)
    ax.set_ylabel(labels[1], fontsize=9)
    return present(ax) if new else ax


_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
body{font-family:DejaVu Sans,Arial,sans-serif;margin:0;font-size:13px;color:#222}
#bar{display:flex;gap:8px;align-items:center;padding:6px 8px;background:#f4f4f4}
#bar input[type=text]{width:180px} #wrap{display:flex}
canvas{border:1px solid #ddd;cursor:crosshair}
#side{padding:6px 10px;width:260px;max-height:560px;overflow:auto}
#side li{cursor:pointer} #tip{position:absolute;pointer-events:none;background:#222;
color:#fff;padding:2px 6px;border-radius:3px;font-size:12px;display:none}
.legend span{display:inline-block;width:10px;height:10px;margin-right:4px}
</style></head><body>
<div id="bar"><b id="title"></b>
<input id="q" type="text" placeholder="search a label…" list="labels">
<datalist id="labels"></datalist>
<label>k <input id="k" type="number" min="1" value="8" style="width:48px"></label>
<button id="clear">clear</button><span id="msg"></span></div>
<div id="wrap"><canvas id="c" width="640" height="560"></canvas>
<div id="side"><div id="legend" class="legend"></div><ol id="nb"></ol></div></div>
<div id="tip"></div>
<script id="data" type="application/json">__DATA__</script>
<script id="vectors" type="text/plain">__VECTORS__</script>
<script>
const D = JSON.parse(document.getElementById("data").textContent);
const cv = document.getElementById("c"), ctx = cv.getContext("2d");
const tip = document.getElementById("tip"), W = cv.width, H = cv.height, P = 24;
let yaw = 0.6, pitch = 0.35, sel = -1, marked = [], screen = [];
document.getElementById("title").textContent = D.title;
const dl = document.getElementById("labels");
// the search suggestions are built when the search box is first used, not at open
document.getElementById("q").addEventListener("focus", () => { if (dl.childElementCount) return;
  const all = document.createDocumentFragment();
  D.labels.slice(0, 5000).forEach(l => { const o = document.createElement("option");
    o.value = l; all.appendChild(o); }); dl.appendChild(all); });
const lg = document.getElementById("legend");
D.class_names.forEach((n, i) => { lg.innerHTML += `<div><span style="background:${D.palette[i]}">` +
  `</span>${n.replace(/</g, "&lt;")}</div>`; });
function place() {
  const n = D.labels.length, dims = D.coords[0].length; screen = new Array(n);
  let pts = D.coords;
  if (dims === 3) { const cy = Math.cos(yaw), sy = Math.sin(yaw), cp = Math.cos(pitch),
      sp = Math.sin(pitch);
    pts = D.coords.map(([x, y, z]) => { const x1 = cy * x + sy * z, z1 = -sy * x + cy * z;
      return [x1, cp * y - sp * z1, sp * y + cp * z1]; }); }
  let lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  const r = D.radius;
  for (const p of pts) for (let j = 0; j < 2; j++) { lo[j] = Math.min(lo[j], p[j]);
    hi[j] = Math.max(hi[j], p[j]); }
  if (dims === 3) { lo = [-r, -r]; hi = [r, r]; }
  const s = Math.min((W - 2 * P) / (hi[0] - lo[0] || 1), (H - 2 * P) / (hi[1] - lo[1] || 1));
  for (let i = 0; i < n; i++) screen[i] = [P + (pts[i][0] - lo[0]) * s,
    H - P - (pts[i][1] - lo[1]) * s, pts[i][2] || 0];
}
function draw() {
  place(); ctx.clearRect(0, 0, W, H); const n = D.labels.length;
  const rad = n > 3000 ? 1.6 : n > 300 ? 2.6 : 4; ctx.globalAlpha = marked.length ? 0.25 : 0.8;
  const byColor = new Map();  // one path per colour: a few fills, not one per point
  for (let i = 0; i < n; i++) { let path = byColor.get(D.colors[i]);
    if (!path) { path = new Path2D(); byColor.set(D.colors[i], path); }
    const [x, y] = screen[i]; path.moveTo(x + rad, y); path.arc(x, y, rad, 0, 7); }
  for (const [color, path] of byColor) { ctx.fillStyle = color; ctx.fill(path); }
  ctx.globalAlpha = 1; ctx.font = "12px sans-serif";
  for (const i of marked) { ctx.strokeStyle = "#ff7f0e"; ctx.lineWidth = 2; ctx.beginPath();
    ctx.arc(screen[i][0], screen[i][1], 6, 0, 7); ctx.stroke(); ctx.fillStyle = "#222";
    ctx.fillText(D.labels[i], screen[i][0] + 7, screen[i][1] - 5); }
  if (sel >= 0) { ctx.fillStyle = "#d62728"; ctx.beginPath();
    ctx.arc(screen[sel][0], screen[sel][1], 7, 0, 7); ctx.fill(); ctx.font = "bold 13px sans-serif";
    ctx.fillStyle = "#000"; ctx.fillText(D.labels[sel], screen[sel][0] + 9, screen[sel][1] - 7); }
}
let V = null;  // the unit vectors, decoded on the first choice
function vectors() { if (V) return V;
  const b = atob(document.getElementById("vectors").textContent), u = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) u[i] = b.charCodeAt(i);
  V = new Float32Array(u.buffer); return V; }
// [cosine, index] of the k points most similar to point i, largest first (ties: lower index).
function nearestTo(i, k) { const v = vectors(), d = D.dims, n = D.labels.length, top = [];
  const a = i * d;
  for (let j = 0; j < n; j++) { if (j === i) continue; let s = 0; const b = j * d;
    for (let t = 0; t < d; t++) s += v[a + t] * v[b + t];
    if (top.length === k && s <= top[k - 1][0]) continue;
    let p = top.length; while (p > 0 && top[p - 1][0] < s) p--;
    top.splice(p, 0, [s, j]); if (top.length > k) top.pop(); }
  return top; }
function choose(i) {
  sel = i; const k = Math.max(1, parseInt(document.getElementById("k").value) || 8);
  const ol = document.getElementById("nb"); ol.innerHTML = "";
  if (i < 0) { marked = []; document.getElementById("msg").textContent = ""; draw(); return; }
  const found = nearestTo(i, Math.min(k, D.k)); marked = found.map(f => f[1]);
  document.getElementById("msg").textContent = `${D.labels[i]}: ${marked.length} nearest (cosine)`;
  found.forEach(([s, j]) => { const li = document.createElement("li");
    li.textContent = `${D.labels[j]}  (${s.toFixed(3)})`;
    li.onclick = () => choose(j); ol.appendChild(li); });
  draw();
}
function nearest(mx, my, limit) { let best = -1, bd = limit * limit;
  for (let i = 0; i < screen.length; i++) { const dx = screen[i][0] - mx, dy = screen[i][1] - my,
    d = dx * dx + dy * dy; if (d < bd) { bd = d; best = i; } } return best; }
let drag = null;
cv.onmousedown = e => { drag = [e.offsetX, e.offsetY, false]; };
cv.onmouseup = e => { if (drag && !drag[2]) choose(nearest(e.offsetX, e.offsetY, 8));
  drag = null; };
cv.onmousemove = e => {
  if (drag && D.coords[0].length === 3) { const dx = e.offsetX - drag[0], dy = e.offsetY - drag[1];
    if (Math.abs(dx) + Math.abs(dy) > 2) { drag[2] = true; yaw += dx * 0.01; pitch += dy * 0.01;
      drag[0] = e.offsetX; drag[1] = e.offsetY; draw(); } return; }
  const i = nearest(e.offsetX, e.offsetY, 8);
  if (i < 0) { tip.style.display = "none"; return; }
  tip.style.display = "block"; tip.style.left = (e.pageX + 12) + "px";
  tip.style.top = (e.pageY + 12) + "px";
  tip.textContent = D.labels[i] + (D.classes ? `  [${D.classes[i]}]` : ""); };
cv.onmouseleave = () => { tip.style.display = "none"; };
document.getElementById("q").onchange = e => { const v = e.target.value.toLowerCase();
  let i = D.labels.findIndex(l => l.toLowerCase() === v);
  if (i < 0) i = D.labels.findIndex(l => l.toLowerCase().includes(v));
  if (i < 0) document.getElementById("msg").textContent = `no label contains "${e.target.value}"`;
  else choose(i); };
document.getElementById("k").onchange = () => { if (sel >= 0) choose(sel); };
document.getElementById("clear").onclick = () => choose(-1);
draw(); if (D.query >= 0) choose(D.query);
</script></body></html>
"""


class ProjectorView:
    """Interactive embedding projector as a self-contained HTML page.

    Displays itself in notebooks through ``_repr_html_`` (an ``<iframe>``),
    and can be saved with :meth:`save` to open in any browser.

    Args:
        space: the embedding space.
        projection: its 2-D or 3-D projection.
        k: the most neighbours the page shows for a chosen point.
        query: a label to select when the page opens.

    Raises:
        ViewError: the projection and the space have different sizes, or the query
            label is unknown.

    Example:
        >>> view = ProjectorView(space, project(space, "tsne"), query="good")  # doctest: +SKIP
        >>> view.save("projector.html")                                      # doctest: +SKIP
    """

    def __init__(self, space: EmbeddingSpace, projection: Projection, k: int = 10,
                 query: str | None = None) -> None:
        import matplotlib.colors as mcolors
        import numpy as np

        _space(space, "ProjectorView")
        _projection(projection, "ProjectorView")
        if len(space) != projection.coords.shape[0]:
            raise ViewError(
                f"Expected a projection of this space ({len(space)} points). Received: "
                f"{projection.coords.shape[0]} points.",
                hint="project(space) the same space you pass here.",
            )
        self.space = space
        self.projection = projection
        self.k = k
        # The page finds neighbours itself from these (float32, as neighbor_table ranks):
        # an all-pairs table would cost n² work before the page could open.
        units = np.ascontiguousarray(space.unit_vectors(), dtype="<f4")
        names, palette = _class_colors(space.classes)
        hex_palette = [mcolors.to_hex(c) for c in palette]
        if names:
            lookup = {name: hex_palette[i] for i, name in enumerate(names)}
            colors = [lookup[c] for c in space.classes]
        else:
            colors = ["#4c72b0"] * len(space)
        coords = np.asarray(projection.coords, dtype="float64")
        coords = coords - coords.mean(axis=0)
        self.query_index = -1 if query is None else space.index(query)
        self.data = {
            "title": f"{projection.method.upper()} of {len(space):,} points",
            "labels": list(space.labels),
            "classes": space.classes,
            "class_names": names,
            "palette": hex_palette,
            "colors": colors,
            "coords": np.round(coords, 4).tolist(),
            # 98th percentile: one outlier should not shrink the whole 3-D cloud.
            "radius": float(np.percentile(np.linalg.norm(coords, axis=1), 98) or 1.0),
            "dims": int(units.shape[1]),
            "k": min(k, len(space) - 1),
            "query": self.query_index,
        }
        # Base64 needs no JSON or HTML escaping, so the page splices it in as it is.
        self.vectors_base64 = base64.b64encode(units.tobytes()).decode("ascii")

    @cached_property
    def neighbors(self) -> Any:
        """The ``(n, k)`` cosine neighbour table the page shows (computed when first asked)."""
        return neighbor_table(self.space, k=self.k)

    @property
    def html(self) -> str:
        """The standalone HTML document."""
        head, tail = self._parts()
        return head + self.vectors_base64 + tail

    def _parts(self) -> tuple[str, str]:
        """The page before and after the vectors (base64 is spliced in as it is)."""
        payload = json.dumps(self.data, ensure_ascii=False).replace("</", "<\\/")
        head, tail = _PAGE.split("__VECTORS__")
        return head.replace("__DATA__", payload), tail

    def _repr_html_(self) -> str:
        head, tail = (html.escape(part, quote=True) for part in self._parts())
        return (f'<iframe srcdoc="{head}{self.vectors_base64}{tail}" width="960" '
                'height="640" style="border:none" sandbox="allow-scripts"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (``.html``) and return the path."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path


def show_projector(space: EmbeddingSpace, method: str = "pca", dims: int = 2,
                   query: str | None = None, k: int = 8, seed: int = 0) -> Any:
    """Project and show an embedding: interactive page, or a static figure.

    Args:
        space: from :func:`course_lib.models.projector.from_embedding_layer` or
            :func:`~course_lib.models.projector.from_array`.
        method: ``"pca"``, ``"tsne"`` or ``"umap"``.
        dims: 2 or 3.
        query: a label to select (its neighbours are highlighted).
        k: neighbours to highlight.
        seed: random state for t-SNE/UMAP.

    Returns:
        A :class:`ProjectorView` when ``view_mode()`` is ``"interactive"``,
        otherwise the matplotlib Figure of :func:`draw_projection`; either is
        shown once.

    Raises:
        ViewError: bad method/dims or an unknown query label.
        ConfigError: ``method="umap"`` without umap-learn installed.

    Example:
        >>> show_projector(space, method="tsne", query="excellent")  # doctest: +SKIP
    """
    from course_lib.config import view_mode

    _space(space, "show_projector")
    projection = project(space, method=method, dims=dims, seed=seed)
    if view_mode() == "interactive":
        return present(ProjectorView(space, projection, k=max(k, 10), query=query))
    return present(draw_projection(projection, space, highlight=query, k=k).figure)
