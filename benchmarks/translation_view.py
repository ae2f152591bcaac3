"""Speed of the per-step probability view: a 10-word sentence, beam search width 4.

Measures separately (median of ``--repeats`` runs after one warm-up):

* decode: ``Translator.translate(sentence, beam_width=4, top_k=5)`` (model calls);
* draw: :func:`course_lib.views.decoding.draw_decoding` on a new figure + PNG encoding
  (what the widget does on every change);
* both together, the widget's full redraw.

The translator is the lecture one saved by ``scripts/train_translator.py`` when the
cache has it; otherwise an untrained Transformer with the full lecture sizes (it
never says ``[end]`` early, so every decode runs to the length limit: the worst case).

Usage: python benchmarks/translation_view.py [--repeats 5]
Writes benchmarks/results/translation_view.{md,json}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
SENTENCE = "i think that we should go to the beach tomorrow ."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    from course_lib.translation.errors import TranslationError
    from course_lib.translation.models import (
        FULL_SETTINGS,
        Translator,
        load_translator,
        transformer_translator,
    )
    from course_lib.views.decoding import draw_decoding
    from course_lib.views.display import figure_png, new_figure

    try:
        translator = load_translator("transformer")
        which = "saved lecture Transformer"
    except TranslationError:
        s = FULL_SETTINGS
        words = SENTENCE.split()
        source_vocab = ["", "[UNK]", *words, *[f"w{i}" for i in range(s["source_tokens"])]]
        target_vocab = ["", "[UNK]", "[start]", "[end]",
                        *[f"m{i}" for i in range(s["target_tokens"])]]
        model = transformer_translator(len(source_vocab), len(target_vocab), 10, 12,
                                       s["embed_dim"], s["heads"], s["intermediate_dim"],
                                       s["layers"])
        translator = Translator(model, source_vocab, target_vocab, 10, 12, {})
        which = "untrained Transformer, full lecture sizes (worst case: runs to the limit)"

    def decode():
        return translator.translate(SENTENCE, beam_width=4, top_k=5)

    def draw(decoding):
        fig = new_figure((12, 3))
        draw_decoding(decoding, ax=fig.add_subplot())
        return figure_png(fig)

    decoding = decode()
    draw(decoding)
    times = {"decode": [], "draw": [], "total": [], "decode_cpu": [], "draw_cpu": []}
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        decoding = decode()
        t1, c1 = time.perf_counter(), time.process_time()
        draw(decoding)
        t2, c2 = time.perf_counter(), time.process_time()
        times["decode"].append(t1 - t0)
        times["draw"].append(t2 - t1)
        times["total"].append(t2 - t0)
        times["decode_cpu"].append(c1 - c0)  # all threads: on a loaded machine the fair figure
        times["draw_cpu"].append(c2 - c1)
    result = {k: round(statistics.median(v), 3) for k, v in times.items()}
    result.update({"translator": which, "steps": len(decoding.steps),
                   "model_calls": decoding.extra.get("model_calls"),
                   "sentence_words": len(SENTENCE.split()), "beam_width": 4,
                   "load_avg": round(os.getloadavg()[0], 1), "cpus": os.cpu_count()})
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "translation_view.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    md = (f"# Per-step probability view: 10-word sentence, beam 4\n\n"
          f"Translator: {which}; {result['steps']} output steps, {result['model_calls']} model "
          f"calls. Median of {args.repeats} runs, load average {result['load_avg']} on "
          f"{result['cpus']} CPUs.\n\n| decode (s) | draw + PNG (s) | total (s) | decode CPU (s) "
          "| draw CPU (s) |\n|---:|---:|---:|---:|---:|\n"
          f"| {result['decode']} | {result['draw']} | {result['total']} | "
          f"{result['decode_cpu']} | {result['draw_cpu']} |\n")
    (out / "translation_view.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
