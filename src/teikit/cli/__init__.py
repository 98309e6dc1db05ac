"""The ``teikit`` command: a click group in :mod:`._app`, one module per command."""

from __future__ import annotations

from . import build, deposit, odd, report, validate  # noqa: F401  (each registers its commands on the group)
from ._app import cli, main

__all__ = ["cli", "main"]
