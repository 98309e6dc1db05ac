"""The ``teikit`` command: a click group in :mod:`._app`, one module per command."""

from __future__ import annotations

from ._app import cli, main

# each module registers its commands on the group when first asked for one
cli.load_lazily(
    {
        "validate": "validate",
        "build": "build",
        "deposit": "deposit",
        "verify": "deposit",
        "odd": "odd",
        "report": "report",
    }
)

__all__ = ["cli", "main"]
