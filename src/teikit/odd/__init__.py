"""The ODD compiler: TEI customisations compiled natively to RelaxNG and Schematron."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import CompiledSchema, compile_odd

__all__ = ["CompiledSchema", "compile_odd"]


def __getattr__(name: str) -> Any:
    # the compiler is imported on first use: validation imports .hook and
    # .catalog for every run, and most runs compile no ODD
    if name not in __all__:
        raise AttributeError(f"module 'teikit.odd' has no attribute {name!r}")
    from . import api

    return getattr(api, name)
