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

import sys as _sys
from typing import TYPE_CHECKING, Any

if "lxml.etree" not in _sys.modules and "rnc2rng" not in _sys.modules:
    # lxml.etree imports rnc2rng, if installed, for a method teikit never calls
    # (RelaxNG.from_rnc_string): 40 ms of a 50 ms import.  teikit converts
    # compact syntax with rnc2rng itself (validation.schemas), importing it then.
    _sys.modules["rnc2rng"] = None  # type: ignore[assignment]
    try:
        __import__("lxml.etree")
    finally:
        del _sys.modules["rnc2rng"]

if TYPE_CHECKING:
    from .api import build, check, deposit_bag, is_valid, iter_errors, iter_results, validate, verify
    from .problems import Problem, Report, SchemaError, TeikitError, UsageError, ValidationError
    from .validation import Validator

#: the public names, each imported on first use, so that ``teikit --help`` or a
#: submodule's import does not load the validation and publishing engines
_LAZY = {
    **dict.fromkeys(
        ("build", "check", "deposit_bag", "is_valid", "iter_errors", "iter_results", "validate", "verify"), "api"
    ),
    **dict.fromkeys(("Problem", "Report", "SchemaError", "TeikitError", "UsageError", "ValidationError"), "problems"),
    "Validator": "validation",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'teikit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
