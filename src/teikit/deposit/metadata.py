"""Metadata taken from the TEI headers: Dublin Core, DataCite-style JSON
and bag-info.txt values.

The crosswalk is data: each field is an XPath 3.1 expression in the
profile, evaluated with elementpath over the parsed document (context
item: the root element).  A value the header lacks is left out and
reported as a warning; nothing is ever invented.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import elementpath
from elementpath.xpath31 import XPath31Parser
from elementpath.xpath_nodes import XPathNode
from lxml import etree

from .. import xmlio
from ..problems import WARNING, Problem, UsageError
from .profiles import Field, Profile

NAMESPACES = {"tei": xmlio.TEI_NS, "xml": xmlio.XML_NS}
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


@cache
def compiled(expr: str) -> Any:
    """Parse an XPath 3.1 expression once.  Bad syntax is a usage error."""
    try:
        return XPath31Parser(namespaces=NAMESPACES).parse(expr)
    except elementpath.ElementPathError as exc:
        raise UsageError(f"bad XPath in the deposit profile: {expr!r}: {exc}") from None


def evaluate(expr: str, root: etree._Element) -> list[Any]:
    """The result of ``expr`` as a flat list of Python values."""
    token = compiled(expr)
    try:
        context = elementpath.XPathContext(root, item=root)
        result = token.get_results(context)
    except elementpath.ElementPathError as exc:
        raise UsageError(f"the deposit profile's XPath {expr!r} failed: {exc}") from None
    if not isinstance(result, list):
        result = [result]
    return [_plain(v) for v in result if v is not None]


def _text(el: etree._Element) -> str:
    return " ".join("".join(str(t) for t in el.itertext()).split())


def _plain(value: Any) -> Any:
    """elementpath values as JSON-ready Python values.  An element is its
    text, whitespace-normalised (lxml's itertext, in document order)."""
    if isinstance(value, XPathNode):
        elem = getattr(value, "elem", None)
        if isinstance(elem, etree._Element):
            return _text(elem)
        return " ".join(str(value.string_value).split())
    if isinstance(value, etree._Element):  # before the map test: elements have items() too
        return _text(value)
    if hasattr(value, "items") and hasattr(value, "keys"):  # XPathMap or dict
        return {str(k): _entry(v) for k, v in value.items()}
    if hasattr(value, "items") and callable(value.items):  # XPathArray
        return [_plain(v) for v in value.items()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, int, float)):
        return value
    return str(value)


def _entry(value: Any) -> Any:
    """A map entry: a one-item sequence is that item (an array stays a list)."""
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        return items[0] if len(items) == 1 else items
    return _plain(value)


def _empty(value: Any) -> bool:
    return value in ("", [], {}, None)


def _clean(value: Any) -> Any:
    """Drop empty strings / lists from maps (a missing value is left out)."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not _empty(_clean(v))}
    if isinstance(value, list):
        return [_clean(v) for v in value if not _empty(_clean(v))]
    return value


@dataclass
class Metadata:
    """Values merged over every document, and warnings for gaps."""

    dc: list[tuple[str, list[Any]]] = field(default_factory=list)
    datacite: dict[str, Any] = field(default_factory=dict)
    bag_info: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _collect(
    fields: list[Field], table: str, docs: list[xmlio.ParsedDoc], problems: list[Problem]
) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for f in fields:
        values: list[Any] = []
        seen: set[str] = set()
        for doc in docs:
            got = [_clean(v) for v in evaluate(f.xpath, doc.root)]
            got = [v for v in got if not _empty(v)]
            if not got and f.report_missing:
                header = doc.root.find(f"{{{xmlio.TEI_NS}}}teiHeader")
                line, col = doc.locate(header if header is not None else doc.root)
                problems.append(
                    Problem(
                        doc.display,
                        line,
                        col,
                        WARNING,
                        "deposit",
                        f"the header gives no value for {table}{f.key}; left out of the metadata",
                        rule="metadata",
                    )
                )
            for v in got:
                key = json.dumps(v, sort_keys=True, ensure_ascii=False)
                if key not in seen:
                    seen.add(key)
                    values.append(v)
        out[f.key] = values
    return out


def extract(profile: Profile, docs: list[xmlio.ParsedDoc]) -> Metadata:
    meta = Metadata()
    dc = _collect(profile.dc, "dc:", docs, meta.problems)
    for key, values in dc.items():
        strings = [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values]
        if strings:
            meta.dc.append((key, strings))
    dcite = _collect(profile.datacite, "DataCite ", docs, meta.problems)
    for f in profile.datacite:
        values = dcite[f.key]
        if values:
            meta.datacite[f.key] = values[0] if f.single else values
    info = _collect(profile.bag_info, "bag-info ", docs, meta.problems)
    for key, values in info.items():
        strings = [" ".join(str(v).split()) for v in values if isinstance(v, (str, int, float))]
        if strings:
            meta.bag_info[key] = strings
    return meta


def dublin_core(meta: Metadata) -> bytes:
    """``oai_dc:dc``: every value of every mapped element, in profile order."""
    E = etree.Element
    root = E(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    for key, values in meta.dc:
        for v in values:
            el = etree.SubElement(root, f"{{{DC_NS}}}{key}")
            el.text = v
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def datacite_json(meta: Metadata) -> bytes:
    return (json.dumps(meta.datacite, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
