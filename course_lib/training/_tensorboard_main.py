"""``python -m course_lib.training._tensorboard_main ARGS``: TensorBoard without TensorFlow.

TensorBoard imports TensorFlow when it can, which costs tens of seconds on a
busy machine and adds nothing for scalars, histograms, images and the
projector. Blocking the import makes it use its own reduced implementation.
"""

from __future__ import annotations

import sys


def main() -> None:
    sys.modules["tensorflow"] = None  # type: ignore[assignment]  # import tensorflow -> ImportError
    from tensorboard.main import run_main

    sys.argv[0] = "tensorboard"
    run_main()


if __name__ == "__main__":
    main()
