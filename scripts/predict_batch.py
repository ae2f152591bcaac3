"""Predict a text file with a saved raw-string classifier: one line in, one TSV row out.

Usage: python scripts/predict_batch.py MODEL.keras INPUT.txt [--output OUT.tsv]

Each non-empty line of INPUT.txt is one text. The output (stdout or --output) has
the columns ``probability<TAB>label<TAB>text``. The model must take raw strings
(a ``TextVectorization`` layer inside), as the one saved in notebook 19.
Errors (missing file, other Keras version) are printed with their fix; exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="a .keras file")
    parser.add_argument("input", help="text file, one sentence per line")
    parser.add_argument("--output", help="write the TSV here instead of stdout")
    args = parser.parse_args(argv)

    from course_lib.errors import CourseError
    from course_lib.production import predict_file

    try:
        predictions = predict_file(args.model, args.input)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    rows = [f"{p.probability:.4f}\t{p.label}\t{p.text}" for p in predictions]
    text = "probability\tlabel\ttext\n" + "\n".join(rows) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote {len(rows)} predictions to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
