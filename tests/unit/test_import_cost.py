"""`import course_lib` (and its light modules) must not pull in TensorFlow or Keras."""

from __future__ import annotations

import subprocess
import sys

LIGHT_MODULES = ["course_lib", "course_lib.config", "course_lib.data", "course_lib.cli"]


def test_importing_the_library_does_not_import_tensorflow():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in LIGHT_MODULES)
        + "heavy = sorted(m for m in ('tensorflow', 'keras', 'keras_hub', 'matplotlib.pyplot')"
        " if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
