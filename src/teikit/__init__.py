"""teikit: validate, publish and deposit TEI P5 editions."""
from __future__ import annotations

__version__ = "0.1.0"

from .problems import Problem, Report, TeikitError, UsageError, ValidationError  # noqa: E402
from .validation import is_valid, iter_errors, validate  # noqa: E402

__all__ = ["Problem", "Report", "TeikitError", "UsageError", "ValidationError",
           "validate", "is_valid", "iter_errors", "__version__"]
