"""teikit: validate, publish and deposit TEI P5 editions."""

from __future__ import annotations

__version__ = "0.1.0"

from .problems import Problem, Report, TeikitError, UsageError, ValidationError
from .validation import is_valid, iter_errors, validate

__all__ = [
    "Problem",
    "Report",
    "TeikitError",
    "UsageError",
    "ValidationError",
    "__version__",
    "is_valid",
    "iter_errors",
    "validate",
]
