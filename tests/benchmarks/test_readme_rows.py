"""The README's speed figures are the ones in benchmarks/results/, copied verbatim."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rows():
    path = ROOT / "benchmarks" / "readme_rows.py"
    spec = importlib.util.spec_from_file_location("readme_rows", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_rendered_row_is_in_the_readme(rows):
    missing = rows.missing_from_readme()
    assert not missing, (
        "README.md 'Library speed' rows differ from benchmarks/results/; paste the output of "
        f"`python benchmarks/readme_rows.py`. Expected these rows verbatim: {missing}"
    )


def test_a_changed_result_is_caught(rows, tmp_path, monkeypatch):
    """The check fails when a results file says something else than the README."""
    data = json.loads((ROOT / "benchmarks" / "results" / "import_time.json").read_text())
    data["import course_lib"]["median_s"] += 0.5
    (tmp_path / "import_time.json").write_text(json.dumps(data))
    monkeypatch.setattr(rows, "RESULTS", tmp_path)
    rendered = rows.import_row()
    assert rendered is not None and rendered not in (ROOT / "README.md").read_text()
    assert rows.missing_from_readme() == [rendered]


def test_goal_misses_are_stated(rows, tmp_path, monkeypatch):
    (tmp_path / "dashboards.md").write_text(
        "| dashboard | preheated | cold |\n|---|---|---|\n"
        "| fast_one | 2.0 s ✓ | 9.0 s |\n| slow_one | 7.5 s ✗ | 30.0 s |\n")
    monkeypatch.setattr(rows, "RESULTS", tmp_path)
    row = rows.dashboards_row()
    assert "slow one 7.5 s" in row and "**missed** (slow one)" in row, row


def test_image_and_grading_rows_come_from_their_markdown_results(rows, tmp_path, monkeypatch):
    """image-test and grading_throughput write Markdown; a size or ratio over its goal says so."""
    (tmp_path / "image.md").write_text(
        "Measured by `scripts/image-test.sh` (podman 4.3.1,\n2 CPU cores, load average 0.80 at the"
        " end\n\n| measure | value | goal |\n|---|---|---|\n"
        "| image size (uncompressed, `podman image inspect`) | 3.20 GB | ≤ 3 GB |\n"
        "| `run` → `/api/status` 200, median of 3 starts | 2.4 s (min 2.2, max 2.9) | ≤ 10 s |\n")
    (tmp_path / "grading_throughput.md").write_text(
        "Measured on 2026-12-02 05:10 UTC.\n\n20 submissions of `x.ipynb`\n\n"
        "| grader | best wall s | submissions/minute | every run, wall s |\n|---|---|---|---|\n"
        "| course grade --jobs 2 (sandboxed) | 20.0 | 60.0 | 20.0 |\n"
        "| nbgrader autograde (sequential, no limits) | 24.0 | 50.0 | 24.0 |\n\n"
        "Speed-up over nbgrader (best wall time): **1.19x** with --jobs 2, 1.0x with --jobs 1.\n")
    monkeypatch.setattr(rows, "RESULTS", tmp_path)
    image = rows.image_row()
    assert "3.20 GB" in image and "≤ 3 GB: **missed**" in image and "≤ 10 s: met" in image, image
    assert "load 0.80" in image, image
    grading = rows.grading_row()
    assert "60 vs 50 submissions/min: 1.19×" in grading and "≥ 2×: **missed**" in grading, grading
    assert "(2026-12-02)" in grading, grading


def _accuracy_entry(dataset: str, model: str, values: list[float], batch: int = 32) -> dict:
    runs = [{"test_metric": v, "val_metric": v, "epochs": 15, "epochs_run": 10,
             "cpu_s_per_epoch": 2.0, "load_avg": 3.0} for v in values]
    if not batch:
        for run in runs:
            run.pop("epochs_run")
            run["epochs"] = 1
    return {"dataset": dataset, "model": model, "metric": "accuracy", "reference": "-",
            "reference_value": None, "batch_size": batch, "runs": runs}


def test_accuracy_table_states_a_neural_model_below_its_baseline(rows, tmp_path, monkeypatch):
    data = {"poems_tfidf_logreg": _accuracy_entry("Poems (3 authors)", "tfidf", [0.8] * 3, 0),
            "poems_word_conv": _accuracy_entry("Poems (3 authors)", "conv", [0.7, 0.72, 0.74]),
            "poems_cnn_rnn": _accuracy_entry("Poems (3 authors)", "gru", [0.85, 0.86, 0.87])}
    (tmp_path / "accuracy.json").write_text(json.dumps(data))
    monkeypatch.setattr(rows, "RESULTS", tmp_path)
    table = rows.accuracy_table()
    assert "| Poems (3 authors) | conv | ≤ 15 (early stop, ran 10) | accuracy 72.00 ± 2.00 % " \
           "(3 seeds) | – | 2.00 | 3.0 |" in table
    assert "accuracy 80.00 % (deterministic, 3 seeds)" in "\n".join(table)
    verdict = next(line for line in table if line.startswith("- Poems (3 authors), test"))
    assert "above: gru 86.00 %" in verdict and "**not above**" in verdict
    assert "conv 72.00 %" in verdict.split("**not above**")[1], verdict
    missing = next(line for line in table if line.startswith("- Not measured yet"))
    assert "poems_char_conv" in missing and "poems_word_conv" not in missing


def test_a_changed_accuracy_result_is_caught(rows, tmp_path, monkeypatch):
    data = json.loads((ROOT / "benchmarks" / "results" / "accuracy.json").read_text())
    data["mnist_dense"]["runs"][0]["test_metric"] -= 0.05
    (tmp_path / "accuracy.json").write_text(json.dumps(data))
    monkeypatch.setattr(rows, "RESULTS", tmp_path)
    changed = [line for line in rows.accuracy_table() if line.startswith("| MNIST | Dense 512")]
    assert changed and changed[0] in rows.missing_from_readme()


def test_translation_and_search_tables_come_from_their_results(rows, tmp_path, monkeypatch):
    monkeypatch.setattr(rows, "RESULTS", tmp_path)
    assert rows.translation_table() == [] and rows.tuning_table() == []
    (tmp_path / "translation.json").write_text(json.dumps({
        "subset": "100 random pairs", "settings": {"epochs": 6}, "date": "2026-12-02 04:00 UTC",
        "rows": [{"model": "lstm", "parameters": 1234567, "epochs": 5, "cpu_s_per_epoch": 40.5,
                  "wall_s_per_epoch": 120.0, "bleu": 12.34, "chrf": 30.1, "test_pairs": 1500,
                  "load_avg": [11.0, 12.5]}]}))
    (tmp_path / "tuning.json").write_text(json.dumps({
        "meta": {"train": 20000, "val": 5000, "trials": 20, "epochs": 10, "load_before": 9.5},
        "rows": [{"search": "random", "trials": 20, "epochs_trained": 200,
                  "best_val_accuracy": 0.88, "test_accuracy": 0.8712, "cpu_s": 301.4,
                  "wall_s": 900.2, "load_after": 12.25}]}))
    translation, tuning = rows.translation_table(), rows.tuning_table()
    assert "| lstm | 1,234,567 | 5 | 40.5 | 120.0 | 12.34 | 30.1 | 1,500 | 11.0 → 12.5 |" \
        in translation
    assert "100 random pairs" in translation[0] and "at most 6 epochs" not in translation[0]
    assert "| random | 20 | 200 | 0.8800 | 0.8712 | 301 | 900 | 12.2 |" in tuning
    assert rows.render_tables()[-1] == tuning[-1]
