"""moduleRef/@url: an external RELAX NG grammar copied in, its pattern names prefixed."""

from __future__ import annotations

import copy
from pathlib import Path
from urllib.parse import urlparse

from lxml import etree

from ..problems import SchemaError
from .ns import RNG, Element, attrs, is_rng, kids, nsmap, r, tei_kids
from .source import DATA, parser

BUNDLED_GRAMMARS = DATA / "exemplars"


def locate(url: str, base: Path) -> Path:
    """A local copy of the grammar: beside the ODD, else bundled with teikit (no network)."""
    parsed = urlparse(url)
    if parsed.scheme in ("", "file"):
        path = (base.parent / (parsed.path if parsed.scheme else url)).resolve()
        if path.exists():
            return path
    name = Path(parsed.path).name
    for candidate in (base.parent / name, BUNDLED_GRAMMARS / name):
        if candidate.exists():
            return candidate
    raise SchemaError(f"moduleRef url {url}: no local copy found (looked beside the ODD and among teikit's grammars)")


def import_module(ref: Element, base: str) -> list[Element]:
    url = ref.get("url", "")
    path = locate(url, Path(base))
    div = _grammar_div(path, ref.get("prefix", ""), 0)
    for content in tei_kids(ref, "content"):
        for c in kids(content):
            d = copy.deepcopy(c)
            d.tail = None
            div.append(d)
    return [etree.Comment(f"Start of import of {url}"), div, etree.Comment(f"End of import of {url}")]


def _grammar_div(path: Path, prefix: str, depth: int) -> Element:
    if depth > 20:
        raise SchemaError(f"{path}: includes nested too deep")
    try:
        grammar = etree.parse(str(path), parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise SchemaError(f"{path}: cannot read the grammar: {exc}") from exc
    div = etree.Element(r("div"), attrs(grammar), nsmap=nsmap(grammar.nsmap))
    for c in kids(grammar):
        div.extend(_expand(c, prefix, path, depth))
    return div


def _expand(el: Element, prefix: str | None, path: Path, depth: int) -> list[Element]:
    if is_rng(el, "start"):
        return []
    if is_rng(el, "include"):
        inner = _grammar_div((path.parent / el.get("href", "")).resolve(), prefix or "", depth + 1)
        parts = [inner]
        for c in kids(el):
            parts.extend(_expand(c, None, path, depth))
        return parts
    # Keep the namespace declarations: QNames in name attributes (xlink:href) need them.
    parent = el.getparent()
    declared = el.nsmap if parent is None or parent.nsmap != el.nsmap else None
    out = etree.Element(el.tag, attrs(el), nsmap=nsmap(declared) if declared else None)
    out.text = el.text
    if is_rng(el, "define", "ref", "parentRef"):
        own = prefix or ""
        if el.get("name") is not None:
            out.set("name", own + el.get("name", ""))
        child_prefix: str | None = own
    else:
        child_prefix = "erng_" if prefix is None else prefix
    for c in kids(el):
        out.extend(_expand(c, child_prefix, path, depth))
    return [out]


__all__ = ["RNG", "import_module"]
