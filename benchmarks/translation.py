"""Translation at (stated) scale: LSTM vs Transformer on English→French, BLEU/chrF on test pairs.

Both translators are trained by :func:`course_lib.translation.models.train_translator`
(the code the notebooks and the lecture script use) on the same seeded subset of
``fra_eng`` (pairs whose cleaned sentences have at most ``--max-words`` tokens, a random
sample of ``--pairs`` of them, split 70/15/15 by pair), with early stopping on the
validation loss, then score greedy translations of the test pairs with sacrebleu
(corpus BLEU and chrF, one reference, lower-cased and punctuation split off).

Timing: "CPU s/epoch" is process CPU time (all threads) per epoch, the fairer measure
on a shared machine; wall time per epoch and the load average are given too.

Usage:
    COURSE_DATA_MIRROR=/work/shared/data python benchmarks/translation.py \
        [--pairs 20000] [--max-words 6] [--epochs 6] [--fast]

Writes benchmarks/results/translation.md and translation.json (``--fast``: a smoke
test, written to the temp dir).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=20000)
    parser.add_argument("--max-words", type=int, default=6)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--fast", action="store_true")
    args = parser.parse_args(argv)

    from course_lib.data import load_fra_eng
    from course_lib.translation.data import prepare_translation_data
    from course_lib.translation.models import FULL_SETTINGS, train_translator

    settings = dict(FULL_SETTINGS)
    settings.update({"max_words": args.max_words, "max_pairs": args.pairs,
                     "epochs": args.epochs})
    if args.fast:
        settings.update({"max_pairs": 1500, "epochs": 1})
    pairs = load_fra_eng()
    data = prepare_translation_data(pairs, settings["max_words"], settings["max_pairs"],
                                    settings["source_tokens"], settings["target_tokens"])
    rows = []
    for kind in ("lstm", "transformer"):
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        translator, history = train_translator(kind, settings=settings, data=data)
        c = translator.config
        rows.append({
            "model": kind, "parameters": c["parameters"], "epochs": c["epochs_run"],
            "cpu_s_per_epoch": round(c["cpu_s_per_epoch"], 1),
            "wall_s_per_epoch": round(c["wall_s_per_epoch"], 1),
            "val_loss": round(c["val_loss"], 3),
            "bleu": round(c["scores"]["bleu"], 2), "chrf": round(c["scores"]["chrf"], 2),
            "test_pairs": c["test_pairs"], "train_pairs": c["train_pairs"],
            "total_s": round(time.perf_counter() - started, 1),
            "load_avg": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        })
        print(json.dumps(rows[-1]), flush=True)
    result = {
        "subset": f"{settings['max_pairs']} random pairs of fra_eng with <= "
                  f"{settings['max_words']} tokens per side (of 142,787), split 70/15/15",
        "settings": settings, "rows": rows, "machine": platform.machine(),
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    out = Path(tempfile.gettempdir()) if args.fast else HERE / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "translation.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    lines = [
        "# Translation benchmark: LSTM vs Transformer (English → French)", "",
        f"Data: {result['subset']}. Greedy decoding, corpus BLEU and chrF (sacrebleu, one "
        "reference, lower-cased, punctuation split off) on the test pairs. Early stopping "
        f"(patience 2) within {settings['epochs']} epochs. {result['date']}, "
        f"{result['cpus']} CPUs (shared; load average before/after each row).", "",
        "| model | parameters | epochs | CPU s/epoch | wall s/epoch | val loss | BLEU | chrF "
        "| test pairs | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(f"| {r['model']} | {r['parameters']:,} | {r['epochs']} | "
                     f"{r['cpu_s_per_epoch']} | {r['wall_s_per_epoch']} | {r['val_loss']} | "
                     f"{r['bleu']} | {r['chrf']} | {r['test_pairs']:,} | "
                     f"{r['load_avg'][0]} → {r['load_avg'][1]} |")
    (out / "translation.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
