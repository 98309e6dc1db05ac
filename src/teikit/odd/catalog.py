"""The TEI's published schema URLs, resolved offline to schemas teikit compiles from its bundled ODDs."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .source import BUNDLED, DATA

EXEMPLARS = DATA / "exemplars"
_EDITION = re.compile(rb"<edition>(.*?)</edition>", re.S)
_NUMBER = re.compile(r"\d+\.\d+\.\d+[a-z]?")


@lru_cache(maxsize=1)
def tei_edition() -> str:
    """The bundled p5subset's edition statement, e.g. "P5 Version 4.10.0a. Last updated on ..."."""
    with BUNDLED.open("rb") as fh:
        head = fh.read(16_384)
    found = _EDITION.search(head)
    return " ".join(re.sub(rb"<[^>]+>", b"", found.group(1)).decode().split()) if found else "unknown"


def tei_version() -> str:
    found = _NUMBER.search(tei_edition())
    return found.group(0) if found else "unknown"


def official_names() -> list[str]:
    return sorted(p.stem for p in EXEMPLARS.glob("*.odd"))


def _pattern() -> re.Pattern[str]:
    version = re.escape(tei_version())
    releases = rf"(?:release|Vault/P5/(?:current|{version}|{version.rstrip('a-z')}))"
    return re.compile(rf"^https?://(?:www\.)?tei-c\.org/{releases}/xml/tei/custom/schema/relaxng/([\w.-]+)\.(rng|rnc)$")


def official_odd(href: str) -> Path | None:
    """The bundled Exemplar ODD behind an official schema URL, if ``href`` is one."""
    found = _pattern().match(href.strip())
    if not found:
        return None
    odd = EXEMPLARS / f"{found.group(1)}.odd"
    return odd if odd.is_file() else None


def official_schema(href: str) -> Path | None:
    """The compiled schema (XML syntax, Schematron embedded) for an official TEI URL, or None."""
    odd = official_odd(href)
    if odd is None:
        return None
    from .cache import compiled_rng

    return compiled_rng(odd)
