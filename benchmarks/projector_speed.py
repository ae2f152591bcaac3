"""Embedding projector speed: PCA projection + draw of 10,000 × 64 points, and t-SNE.

Target (issue 5): PCA projection + draw of 10,000 points × 64 dims in ≤ 1 s.
"Draw" means building the matplotlib scatter with ``draw_projection`` and
rendering it once on the Agg canvas (what a notebook does before showing it).
t-SNE is far slower, so it is timed on fewer points (``--tsne-points``).

Run:  .venv/bin/python benchmarks/projector_speed.py [--repeats 5] [--tsne-points 1000]
Writes benchmarks/results/projector_speed.md (and .json) and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from course_lib.models.projector import from_array, project  # noqa: E402
from course_lib.views.projector import ProjectorView, draw_projection  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def clustered_points(n: int, d: int, classes: int = 10, seed: int = 0):
    """n points around `classes` random centres: a stand-in for a word embedding."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(classes, d)) * 3
    labels = rng.integers(0, classes, n)
    vectors = centres[labels] + rng.normal(size=(n, d))
    return from_array(vectors, labels=[f"w{i}" for i in range(n)],
                      classes=[f"class {c}" for c in labels])


def timed(fn, repeats: int) -> list[float]:
    """Wall-clock seconds of each of `repeats` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--dims", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tsne-points", type=int, default=1_000)
    args = parser.parse_args()

    space = clustered_points(args.points, args.dims)
    project(space, "pca")  # warm-up: imports, BLAS threads

    def pca_only():
        project(space, "pca")

    def pca_and_draw():
        projection = project(space, "pca")
        ax = draw_projection(projection, space, highlight="w0", k=8)
        ax.figure.canvas.draw()
        plt.close(ax.figure)

    projection = project(space, "pca")

    def interactive_page():
        ProjectorView(space, projection, k=10).html  # noqa: B018 (builds the page)

    pca = timed(pca_only, args.repeats)
    total = timed(pca_and_draw, args.repeats)
    page = timed(interactive_page, max(1, args.repeats // 2))
    small = clustered_points(args.tsne_points, args.dims, seed=1)
    tsne = timed(lambda: project(small, "tsne"), 1)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    result = {
        "points": args.points,
        "dims": args.dims,
        "repeats": args.repeats,
        "pca_projection_s": {"median": statistics.median(pca), "min": min(pca)},
        "pca_projection_and_draw_s": {"median": statistics.median(total), "min": min(total)},
        "target_s": 1.0,
        "meets_target": statistics.median(total) <= 1.0,
        "interactive_page_s": {"median": statistics.median(page), "min": min(page)},
        "tsne_points": args.tsne_points,
        "tsne_s": tsne[0],
        "cpu_count": os.cpu_count(),
        "load_average_1min_at_end": load,
        "machine": platform.platform(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "projector_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Embedding projector speed",
        "",
        f"Measured {result['date']} on {result['machine']}, Python {result['python']}, "
        f"{result['cpu_count']} CPUs; 1-min load average at the end: {load:.1f}.",
        f"Data: {args.points:,} points × {args.dims} dims in 10 clusters; "
        f"{args.repeats} repeats (median, best).",
        "",
        "| step | median (s) | best (s) |",
        "|---|---:|---:|",
        f"| PCA projection only | {result['pca_projection_s']['median']:.3f} "
        f"| {result['pca_projection_s']['min']:.3f} |",
        f"| **PCA projection + draw** (scatter, 10 classes, 8 neighbours labelled, Agg render) "
        f"| **{result['pca_projection_and_draw_s']['median']:.3f}** "
        f"| {result['pca_projection_and_draw_s']['min']:.3f} |",
        f"| interactive HTML page (cosine 10-NN table for all points + JSON) "
        f"| {result['interactive_page_s']['median']:.3f} "
        f"| {result['interactive_page_s']['min']:.3f} |",
        f"| t-SNE (scikit-learn, 2-D) on **{args.tsne_points:,} points** × {args.dims} dims, "
        f"one run | {tsne[0]:.1f} | — |",
        "",
        f"Target: PCA projection + draw ≤ 1 s → "
        f"{'met' if result['meets_target'] else 'NOT met'} (median).",
        "",
        "Regenerate: `.venv/bin/python benchmarks/projector_speed.py`.",
        "",
    ]
    (RESULTS / "projector_speed.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
