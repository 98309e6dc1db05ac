"""What validation asks of the ODD compiler: an ODD turned into a grammar file, an official URL resolved."""

from __future__ import annotations

from pathlib import Path

from .catalog import official_odd, official_schema

__all__ = ["is_odd", "official_odd", "official_schema", "schema_file"]


def is_odd(path: Path) -> bool:
    return path.suffix.lower() == ".odd"


def schema_file(path: Path) -> Path:
    """``path`` itself, or for an ODD the grammar compiled from it (cached by content)."""
    if not is_odd(path):
        return path
    from ..problems import SchemaError
    from .cache import compiled_rng

    if not path.is_file():
        raise SchemaError(f"ODD {path} not found")
    return compiled_rng(path)
