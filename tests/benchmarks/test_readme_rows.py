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
