"""The README's measured rows, rendered from ``benchmarks/results/``.

Every speed figure in the README comes from a results file written by a
``make bench`` script, and so does every full-scale result (the accuracy table from
``accuracy.py`` and ``bert.py``, with each text model placed above or below its TF-IDF
baseline; the translation and hyperparameter-search tables); this renders those rows
so they are copied, never typed.
``tests/benchmarks/test_readme_rows.py`` fails when the README and the results
disagree.

Usage::

    .venv/bin/python benchmarks/readme_rows.py           # print the speed rows
    .venv/bin/python benchmarks/readme_rows.py --tables  # accuracy, translation, search tables
    .venv/bin/python benchmarks/readme_rows.py --check   # exit 1 if README.md differs

Rows for results that are not there yet are left out (a fresh clone before
``make bench``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"


def _json(name: str) -> dict | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.is_file() else None


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def import_row() -> str | None:
    data = _json("import_time.json")
    if data is None:
        return None
    lib, tf = data["import course_lib"], data["import tensorflow (for scale)"]
    return (f"| `import course_lib` (TensorFlow not imported) | {lib['median_s']:.3f} s median "
            f"(`import tensorflow`: {tf['median_s']:.1f} s) | ≤ 1 s: "
            f"{_verdict(lib['median_s'] <= 1.0)} |")


def playground_row() -> str | None:
    data = _json("playground_redraw.json")
    if data is None:
        return None
    meta, res = data["meta"], data["results"]
    changes = {name.split(":", 1)[1].split("(")[0].strip(): st
               for name, st in res.items() if name.startswith("control change")}
    if not changes:
        return None
    if "worst_control_change" not in meta:  # earlier results judged the redraw instead
        meta["goal_met_by_median"] = max(st["median_ms"] for st in changes.values()) <= 100.0
        meta["goal_met_by_cpu_median"] = max(
            st["cpu_median_ms"] for st in changes.values()) <= 100.0
    parts = ", ".join(f"{name} {st['median_ms']:.0f} ms ({st['cpu_median_ms']:.0f} ms CPU)"
                      for name, st in changes.items())
    load = meta["load_average_before"][0]
    return (f"| playground: a control change → new picture (median) | {parts}; redraw after a "
            f"training step {res['redraw']['median_ms']:.0f} ms (load {load:.1f}) | ≤ 100 ms: "
            f"{_verdict(meta['goal_met_by_median'])} by wall time, "
            f"{_verdict(meta['goal_met_by_cpu_median'])} by CPU time |")


def projector_row() -> str | None:
    data = _json("projector_speed.json")
    if data is None:
        return None
    if "show_projector_interactive_s" not in data:  # earlier results: the page alone
        data["show_projector_interactive_s"] = data["interactive_page_s"]
        data["meets_target"] = data["interactive_page_s"]["median"] <= data["target_s"]
        data["meets_target_by_cpu"] = data["interactive_page_s"]["cpu_median"] <= data["target_s"]
    shown, static = data["show_projector_interactive_s"], data["pca_projection_and_draw_s"]
    page = data.get("browser_ms")
    browser = (f"; then the page in headless Chromium: loads and draws in "
               f"{page['load_median_ms'] / 1000:.1f} s, a chosen point's neighbours in "
               f"{page['choose_median_ms']:.0f} ms" if page else "")
    in_browser = page and shown["median"] + page["load_median_ms"] / 1000 <= data["target_s"]
    return (f"| projector: `show_projector` of 10,000 × 64 (PCA) in Jupyter (interactive view) "
            f"| {shown['median']:.2f} s median ({shown['cpu_median']:.2f} s CPU, load "
            f"{data['load_average_1min_at_end']:.1f}); static figure {static['median']:.2f} s"
            f"{browser} | ≤ 1 s: {_verdict(data['meets_target'])} by wall time, "
            f"{_verdict(data['meets_target_by_cpu'])} by CPU time"
            + (f" for `show_projector`; {_verdict(in_browser)} with the page's load in the "
               "browser" if page else "") + " |")


def optimizer_row() -> str | None:
    data = _json("optimizer_paths.json")
    if data is None:
        return None
    times = [p["200_steps_s"] for p in data["paths"]]
    return (f"| optimizer path, 200 steps with a real `keras.optimizers` optimizer "
            f"| {min(times):.2f}–{max(times):.2f} s; explorer slider move "
            f"{data['explorer_update_s']:.2f} s | – |")


def monitor_row() -> str | None:
    data = _json("monitor_overhead.json")
    if data is None:
        return None
    if "goal" not in data["meta"]:
        return _monitor_row_one_process(data)
    meta, rows = data["meta"], {row["condition"]: row for row in data["results"]}

    def cpu(name: str) -> str:
        row = rows.get(name)
        if row is None:
            return "–"
        spread, wall = row["cpu_overhead"], row["wall_overhead"]
        return (f"CPU {spread['median']:+.1%} ({spread['min']:+.1%} … {spread['max']:+.1%}), "
                f"wall {wall['median']:+.0%} ({wall['min']:+.0%} … {wall['max']:+.0%}), "
                f"{row['hooks_share']['median']:.1%} of CPU in its hooks")

    goal = meta["goal"]
    return (f"| live monitor: whole-`fit` CPU and wall overhead (median, range), MNIST dense, "
            f"{meta['rounds']} rounds, fresh pinned processes (load "
            f"{meta['load_min']:.0f}–{meta['load_max']:.0f}) "
            f"| throttled {cpu('LiveMonitor() live, throttled')}; per-batch "
            f"{cpu('LiveMonitor(per_batch=True) live')}; livelossplot "
            f"{cpu('livelossplot PlotLossesKeras()')} | ≤ 3 % CPU: {_verdict(goal['met'])} "
            f"(its hooks alone: {goal['worst_hooks_share']:.1%}) |")


def _monitor_row_one_process(data: dict) -> str:
    """Results of the earlier method (all fits in one process): its whole-fit CPU overheads."""
    meta, rows = data["meta"], data["results"]
    live = [row for row in rows if row["condition"].startswith("LiveMonitor")]
    lossplot = [row for row in rows if row["condition"].startswith("livelossplot")]
    low = min(row["cpu_overhead"] for row in live)
    high = max(row["cpu_overhead"] for row in live)
    other = f"; livelossplot {lossplot[0]['cpu_overhead']:+.1%}" if lossplot else ""
    return (f"| live monitor: whole-`fit` CPU overhead, MNIST dense, {meta['epochs']} epochs, "
            f"{meta['repeats']} repeats in one process | LiveMonitor {low:+.1%} to {high:+.1%}"
            f"{other} | ≤ 3 %: {_verdict(high <= 0.03)} |")


def dashboards_row() -> str | None:
    path = RESULTS / "dashboards.md"
    if not path.is_file():
        return None
    preheated = {}
    for line in path.read_text().splitlines():
        match = re.match(r"\| (\w+) \| ([\d.]+) s [✓✗] \|", line)
        if match:
            preheated[match.group(1)] = float(match.group(2))
    if not preheated:
        return None
    slow = {name: t for name, t in preheated.items() if t > 5.0}
    fast = [t for name, t in preheated.items() if name not in slow]
    text = f"{min(fast):.1f}–{max(fast):.1f} s" if fast else ""
    misses = "; ".join(f"{name.replace('_', ' ')} {t:.1f} s" for name, t in slow.items())
    which = f" ({', '.join(name.replace('_', ' ') for name in slow)})" if slow else ""
    if fast and "optimizer_comparison" in preheated and "optimizer_comparison" not in slow:
        text += f", optimizer comparison {preheated['optimizer_comparison']:.1f} s"
    load = re.search(r"load average ([\d.]+)", path.read_text())
    where = f" (load {float(load.group(1)):.1f})" if load else ""
    return (f"| dashboards: first widget visible, preheated (`course lecture`) | "
            f"{text}{'; ' if text and misses else ''}{misses}{where} | ≤ 5 s: "
            f"{_verdict(not slow)}{which} |")


def _markdown(name: str) -> str | None:
    path = RESULTS / name
    return path.read_text(encoding="utf-8") if path.is_file() else None


def grading_row() -> str | None:
    """``grading_throughput.py``'s table (a Markdown file): course grade vs nbgrader autograde."""
    text = _markdown("grading_throughput.md")
    if text is None:
        return None
    row = r"^\| (course grade --jobs \d|nbgrader autograde)[^|]*\| [\d.]+ \| ([\d.]+) \|"
    rate = {m.group(1): float(m.group(2)) for m in re.finditer(row, text, re.M)}
    n = re.search(r"^(\d+) submissions of", text, re.M)
    when = re.search(r"(\d{4}-\d{2}-\d{2}) \d{2}:\d{2} UTC", text)
    speedup = re.search(r"Speed-up over nbgrader[^*]*\*\*([\d.]+)x\*\* with --jobs 2", text)
    if "course grade --jobs 2" not in rate or "nbgrader autograde" not in rate or not n:
        return None
    ratio = (float(speedup.group(1)) if speedup
             else rate["course grade --jobs 2"] / rate["nbgrader autograde"])
    return (f"| grading {n.group(1)} submissions (`course grade --jobs 2`, sandboxed) vs nbgrader "
            f"0.9.6 autograde | {rate['course grade --jobs 2']:.0f} vs "
            f"{rate['nbgrader autograde']:.0f} submissions/min: {ratio:.2f}× "
            f"({when.group(1) if when else 'date not recorded'}) | ≥ 2×: {_verdict(ratio >= 2)} |")


def image_row() -> str | None:
    """``scripts/image-test.sh``'s results (a Markdown file): image size and start time."""
    text = _markdown("image.md")
    if text is None:
        return None
    size = re.search(r"^\| image size[^|]*\| ([\d.]+) GB \|", text, re.M)
    start = re.search(r"^\| `run` → `/api/status` 200, median of (\d+) starts \| ([\d.]+) s",
                      text, re.M)
    load = re.search(r"load average ([\d.]+) at the end", text)
    if not size or not start:
        return None
    gb, seconds = float(size.group(1)), float(start.group(2))
    at = f"load {load.group(1)}" if load else "load not recorded"
    return (f"| Docker image (`make image-test`) | {gb:.2f} GB; `run` → `/api/status` 200 in "
            f"{seconds:.1f} s, median of {start.group(1)} starts ({at}) "
            f"| ≤ 3 GB: {_verdict(gb <= 3)}; ≤ 10 s: {_verdict(seconds <= 10)} |")


def translation_view_row() -> str | None:
    """``translation_view.py``: the per-step probability view, beam 4, one 10-word sentence."""
    data = _json("translation_view.json")
    if data is None:
        return None
    return (f"| translation view: per-step word probabilities, beam {data['beam_width']}, "
            f"{data['sentence_words']} words ({data['translator']}) | {data['total']:.2f} s "
            f"median (decoding {data['decode']:.2f} s, {data['model_calls']} model calls; drawing "
            f"{data['draw']:.2f} s; load {data['load_avg']}) | < 1 s: "
            f"{_verdict(data['total'] < 1.0)} |")


ROWS: tuple[Callable[[], str | None], ...] = (
    import_row, playground_row, projector_row, optimizer_row, monitor_row, dashboards_row,
    translation_view_row, grading_row, image_row,
)


# ------------------------------------------- full-scale results: accuracy, translation, search
# accuracy.py's rows in README order (images, SMS, sentiment, poems); bert.py's after sentiment.
ACCURACY_ORDER = (
    "mnist_dense", "mnist_convnet", "boston_dense", "fashion_dense", "sms_logreg",
    "sms_tfidf_logreg", "sms_dense", "sentiment_tfidf_logreg", "sentiment_bilstm",
    "poems_tfidf_logreg", "poems_char_conv", "poems_word_conv", "poems_multi_kernel",
    "poems_cnn_rnn",
)
BASELINES = {"SMS spam": "sms_tfidf_logreg", "Sentiment sentences": "sentiment_tfidf_logreg",
             "Poems (3 authors)": "poems_tfidf_logreg"}
BERT_MODELS = {"tfidf": "TF-IDF 1-2-grams + logistic regression (`bert.py`)",
               "conv1d": "TextVectorization 64 tokens + Embedding 64 + Conv1D 128x5 + "
                         "GlobalMaxPool",
               "frozen": "MiniLM (all-MiniLM-L6-v2) frozen: embed once + Dense(1)",
               "finetuned": "MiniLM fine-tuned: top {layers} layers + head"}
ACCURACY_HEADER = ("| dataset | model | epochs | test metric | reference | CPU s/epoch "
                   "| load avg |")


def _spread(values: list[float], scale: float, unit: str, deterministic: bool) -> str:
    mean = sum(values) / len(values)
    if len(values) == 1:
        return f"{scale * mean:.2f}{unit}"
    if deterministic:
        return f"{scale * mean:.2f}{unit} (deterministic, {len(values)} seeds)"
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return f"{scale * mean:.2f} ± {scale * var ** 0.5:.2f}{unit} ({len(values)} seeds)"


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _accuracy_reference(entry: dict, mean: float) -> str:
    text = entry["reference"].split(" (")[0].replace(">= ", "≥ ").replace("~", "≈ ")
    value = entry.get("reference_value")
    if value is None:
        return "–" if text in ("-", "") else text
    if entry["metric"] == "accuracy":
        verdict = "meets" if mean >= value else "**below**"
    else:
        verdict = ("meets" if mean <= value else
                   "within 5 %" if mean <= 1.05 * value else "**above**")
    return f"{text} — {verdict}"


def _accuracy_row(entry: dict) -> str:
    runs = entry["runs"]
    values = [r["test_metric"] for r in runs]
    sklearn = not entry.get("batch_size")
    if entry["metric"] == "accuracy":
        metric = "accuracy " + _spread(values, 100, " %", sklearn)
    else:
        metric = "MAE " + _spread(values, 1, " k$", sklearn)
    cpu = _mean([r["cpu_s_per_epoch"] for r in runs])
    if sklearn:
        epochs, cpu_text = "1 fit", f"{cpu:.2f} s fit"
    elif "epochs_run" in runs[0]:
        ran = _mean([r["epochs_run"] for r in runs])
        epochs, cpu_text = f"≤ {runs[0]['epochs']} (early stop, ran {ran:.0f})", f"{cpu:.2f}"
    else:
        epochs, cpu_text = str(runs[0]["epochs"]), f"{cpu:.2f}"
    load = _mean([r["load_avg"] for r in runs])
    return (f"| {entry['dataset']} | {entry['model']} | {epochs} | {metric} | "
            f"{_accuracy_reference(entry, _mean(values))} | {cpu_text} | {load:.1f} |")


def _bert_rows(bert: dict, skip_tfidf: bool) -> list[str]:
    rows, settings = [], bert.get("settings", {})
    epochs = {"tfidf": "1 fit", "conv1d": "10 (best val)", "frozen": "200 (head)",
              "finetuned": f"{settings.get('epochs', '?')} (after the frozen head)"}
    for key, title in BERT_MODELS.items():
        row = bert["rows"].get(key)
        if row is None or (key == "tfidf" and skip_tfidf):
            continue
        metric = "accuracy " + _spread(row["accuracies"], 100, " %", key == "tfidf")
        cpu = f"{row['cpu_s_mean']:.0f} s per seed"
        if key == "frozen" and "embed_cpu_s" in bert:
            cpu += f" + {bert['embed_cpu_s']:.0f} s embedding once"
        load = bert.get("load_by_row", {}).get(key)
        if load is None:  # earlier runs: one "1-min 5-min 15-min" string at the end of the run
            first = str(bert["load"]).split()[0]
            load = first if first.replace(".", "", 1).isdigit() else bert["load"]
        rows.append(f"| Sentiment sentences | {title.format(**settings)} | {epochs[key]} | "
                    f"{metric} | – | {cpu} | {load} |")
    return rows


def _baseline_lines(acc: dict, bert: dict | None) -> list[str]:
    """Per text dataset: which neural models are above and which below the TF-IDF baseline."""
    lines = []
    for dataset, base_key in BASELINES.items():
        if base_key in acc:
            base = _mean([r["test_metric"] for r in acc[base_key]["runs"]])
        elif dataset == "Sentiment sentences" and bert and "tfidf" in bert["rows"]:
            base = bert["rows"]["tfidf"]["mean"]  # the same split and model in bert.py
        else:
            continue
        neural = {acc[k]["model"]: _mean([r["test_metric"] for r in acc[k]["runs"]])
                  for k in ACCURACY_ORDER if k in acc and k != base_key
                  and acc[k]["dataset"] == dataset and acc[k].get("batch_size")
                  and "val_metric" in acc[k]["runs"][0]}
        if dataset == "Sentiment sentences" and bert:
            settings = bert.get("settings", {})
            neural.update({BERT_MODELS[k].format(**settings): bert["rows"][k]["mean"]
                           for k in ("conv1d", "frozen", "finetuned") if k in bert["rows"]})
        if not neural:
            continue
        above = [f"{name} {100 * m:.2f} %" for name, m in neural.items() if m > base]
        below = [f"{name} {100 * m:.2f} %" for name, m in neural.items() if m <= base]
        text = (f"- {dataset}, test accuracy against the TF-IDF + logistic regression baseline "
                f"({100 * base:.2f} %): ")
        text += "; ".join(part for part in (
            f"above: {', '.join(above)}" if above else "",
            f"**not above** (a miss for the neural model): {', '.join(below)}" if below else "",
        ) if part) + "."
        lines.append(text)
    return lines


def accuracy_table() -> list[str]:
    """The README accuracy table (accuracy.py and bert.py results) and its notes, or []."""
    acc, bert = _json("accuracy.json"), _json("bert.json")
    if acc is None:
        return []
    lines = [ACCURACY_HEADER, "|---|---|---|---|---|---:|---:|"]
    for key in ACCURACY_ORDER:
        if key in acc:
            lines.append(_accuracy_row(acc[key]))
        if key == "sentiment_bilstm" and bert:
            lines += _bert_rows(bert, skip_tfidf="sentiment_tfidf_logreg" in acc)
    lines += [""] + _baseline_lines(acc, bert)
    missing = [k for k in ACCURACY_ORDER if k not in acc]
    if bert is not None and "finetuned" not in bert["rows"]:
        missing.append("bert.py finetuned")
    if missing:
        lines.append(f"- Not measured yet: {', '.join(missing)}.")
    return lines


def translation_table() -> list[str]:
    """The README translation table (benchmarks/translation.py), or []."""
    data = _json("translation.json")
    if data is None:
        return []
    lines = [f"Translation (`benchmarks/translation.py`): {data['subset']}; "
             f"{data['settings']['epochs']} epochs at most (early stopping), greedy decoding, "
             f"sacrebleu BLEU and chrF on the test pairs; {data['date']}.",
             "",
             "| model | parameters | epochs | CPU s/epoch | wall s/epoch | BLEU | chrF "
             "| test pairs | load avg before → after |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in data["rows"]:
        lines.append(f"| {r['model']} | {r['parameters']:,} | {r['epochs']} | "
                     f"{r['cpu_s_per_epoch']} | {r['wall_s_per_epoch']} | {r['bleu']} | "
                     f"{r['chrf']} | {r['test_pairs']:,} | "
                     f"{r['load_avg'][0]} → {r['load_avg'][1]} |")
    return lines


def tuning_table() -> list[str]:
    """The README hyperparameter-search table (benchmarks/tuning.py), or []."""
    data = _json("tuning.json")
    if data is None:
        return []
    meta = data["meta"]
    lines = [f"Hyperparameter search (`benchmarks/tuning.py`, notebook 14's search space): "
             f"Fashion-MNIST dense nets, {meta['train']:,} training / {meta['val']:,} validation "
             f"images, {meta['trials']} trials of {meta['epochs']} epochs (Hyperband: max_epochs "
             f"{meta['epochs']}), the best model's test accuracy measured once per search; load "
             f"average {meta['load_before']} at the start.",
             "",
             "| search | trials | epochs trained | best val accuracy | its test accuracy "
             "| CPU s | wall s | load avg after |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in data["rows"]:
        lines.append(f"| {r['search']} | {r['trials']} | {r['epochs_trained']} | "
                     f"{r['best_val_accuracy']:.4f} | {r['test_accuracy']:.4f} | "
                     f"{r['cpu_s']:.0f} | {r['wall_s']:.0f} | {r['load_after']:.1f} |")
    return lines


def grading_cluster_table() -> list[str]:
    """The README table of grading on a Dask cluster (benchmarks/grading_cluster.py), or []."""
    data = _json("grading_cluster.json")
    if data is None:
        return []
    meta = data["meta"]
    lines = [f"Throughput (`benchmarks/grading_cluster.py --n {meta['n']}`, {meta['started']}): "
             f"{meta['n']} submissions of `{meta['notebook']}` (Keras on TensorFlow, "
             f"COURSE_FAST={meta['course_fast'] or 'unset'}; {meta['mix']}), each condition once, "
             f"on {meta['cpus']} cores shared with other jobs:",
             "",
             "| grader | submissions/min | vs `--jobs 1` | CPU s | totals = `--jobs 1` "
             "| load avg before → after |",
             "|---|---:|---:|---:|---:|---|"]
    for name, r in data["results"].items():
        lines.append(f"| {name} | {r['submissions_per_min']:.2f} | "
                     f"{r['speedup_vs_jobs1']:.2f}× | {r['cpu_s']:.0f} | "
                     f"{r['totals_agree_with_jobs1']}/{meta['n']} | "
                     f"{r['load_before']:.1f} → {r['load_after']:.1f} |")
    return lines


TABLES: tuple[Callable[[], list[str]], ...] = (accuracy_table, translation_table, tuning_table,
                                               grading_cluster_table)


def render() -> list[str]:
    """The rows whose results exist, in README order."""
    return [row for row in (make() for make in ROWS) if row is not None]


def render_tables() -> list[str]:
    """The full-scale result tables (accuracy, translation, search) whose results exist."""
    lines: list[str] = []
    for make in TABLES:
        table = make()
        if table:
            lines += ([""] if lines else []) + table
    return lines


def missing_from_readme(readme: str | None = None) -> list[str]:
    """Rendered rows and table lines that the README does not contain verbatim."""
    text = README.read_text() if readme is None else readme
    lines = text.splitlines()
    return [row for row in render() + render_tables() if row and row not in lines]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--tables", action="store_true",
                        help="print the accuracy, translation, search and grading-cluster tables "
                        "instead")
    args = parser.parse_args()
    if args.check:
        missing = missing_from_readme()
        for row in missing:
            sys.stdout.write(f"not in README.md: {row}\n")
        return 1 if missing else 0
    if args.tables:
        sys.stdout.write("\n".join(render_tables()) + "\n")
        return 0
    sys.stdout.write("\n".join(render()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
