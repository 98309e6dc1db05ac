"""The ODD compiler: TEI customisations compiled natively to RelaxNG and Schematron."""

from __future__ import annotations

from .api import CompiledSchema, compile_odd

__all__ = ["CompiledSchema", "compile_odd"]
