"""The entry point of the ODD compiler."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree


@dataclass(frozen=True)
class CompiledSchema:
    """A compiled ODD: RelaxNG (with Schematron embedded) and standalone Schematron."""

    rng: etree._ElementTree
    sch: etree._ElementTree


def compile_odd(odd_path: str | Path, source: str | Path | None = None) -> CompiledSchema:
    """Compile ``odd_path`` against ``source`` (default: the bundled p5subset)."""
    raise NotImplementedError("the ODD compiler is being written")
