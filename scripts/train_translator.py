"""Train the lecture's English→French translator and save it in the course cache.

The dashboard ``dashboards/translation_steps.ipynb`` loads what this writes
(weights + vocabularies + config under ``course_lib.config.cache_dir()/models``,
never in the repository). The Docker image build runs it once.

Usage:
    COURSE_DATA_MIRROR=/work/shared/data python scripts/train_translator.py \
        [--kind transformer|lstm] [--fast] [--epochs N]

``--fast``: the tiny fast-mode translator (4,000 short pairs, about a minute on
2 cores); without it the full lecture settings (60,000 pairs of up to 8 words).
"""

from __future__ import annotations

import argparse
import sys
import time

from course_lib.translation.models import save_translator, train_translator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("transformer", "lstm"), default="transformer")
    parser.add_argument("--fast", action="store_true", help="tiny fast-mode translator")
    parser.add_argument("--epochs", type=int, default=None, help="override the epochs")
    args = parser.parse_args(argv)
    settings = {"epochs": args.epochs} if args.epochs else None
    started = time.perf_counter()
    translator, _ = train_translator(args.kind, fast=args.fast, settings=settings, verbose=2)
    path = save_translator(translator)
    scores = translator.config.get("scores", {})
    print(f"saved {args.kind} translator to {path} after {time.perf_counter() - started:.0f} s: "
          f"{translator.config['epochs_run']} epochs, BLEU {scores.get('bleu', 0):.1f}, "
          f"chrF {scores.get('chrf', 0):.1f} on {translator.config.get('test_pairs')} test pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
