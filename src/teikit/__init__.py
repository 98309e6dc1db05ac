"""teikit: validate, publish and deposit TEI P5 editions.

The library surface is this package's ``__all__`` (see :mod:`teikit.api`)::

    import teikit

    report = teikit.check(["tei"])                 # validate; the report, valid or not
    teikit.validate(["tei"], jobs=2)               # raises teikit.ValidationError if invalid
    result = teikit.build(["tei"], out="out", formats=["html"])
    result = teikit.deposit_bag(["tei"], out="out/deposit", profile="clarin")
    report = teikit.verify("out/deposit/teikit-edition")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import build, check, deposit_bag, is_valid, iter_errors, iter_results, validate, verify
from .problems import Problem, Report, SchemaError, TeikitError, UsageError, ValidationError
from .validation import Validator

__all__ = [
    "Problem",
    "Report",
    "SchemaError",
    "TeikitError",
    "UsageError",
    "ValidationError",
    "Validator",
    "__version__",
    "build",
    "check",
    "deposit_bag",
    "is_valid",
    "iter_errors",
    "iter_results",
    "validate",
    "verify",
]
