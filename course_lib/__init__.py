"""course_lib: the Deep Learning Workbook's teaching library.

Importing this package is cheap: TensorFlow and Keras are imported only inside
the functions that need them (see ``benchmarks/import_time.py``).
"""

from course_lib.config import fast_mode, scaled, seed_everything
from course_lib.errors import (
    ConfigError,
    CourseError,
    DataError,
    GradingError,
    ModelError,
    ViewError,
)

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "CourseError",
    "DataError",
    "GradingError",
    "ModelError",
    "ViewError",
    "__version__",
    "fast_mode",
    "scaled",
    "seed_everything",
]
