"""How RelaxNG problems are worded and located (for :mod:`relaxng`).

Names as the document writes them (``"p"``, ``"html:b"``, ``"b" (in no
namespace)``), lists of expected names cut to a readable length, what a
datatype accepts in words, and the exact line and column of a start
tag, an attribute, an end tag or a run of text.  jing's wording is the
model.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from lxml import etree

from .. import xmlio
from ..problems import ERROR, Problem
from ..xmlio import ParsedDoc
from . import rngsupport
from .rngindex import Grammar
from .rngsupport import ANY, listing

El = etree._Element
Name = tuple[str, str]

_LIMIT_ELEMENTS = 20
_LIMIT_ATTRIBUTES = 40
_KNOWN_PREFIXES = {xmlio.XML_NS: "xml", "http://www.w3.org/2001/XMLSchema-instance": "xsi"}
_XSD = "http://www.w3.org/2001/XMLSchema-datatypes"


_TYPES = {
    "date": "a date (YYYY-MM-DD)",
    "gYear": "a year (YYYY)",
    "gYearMonth": "a year and month (YYYY-MM)",
    "dateTime": "a date and time (YYYY-MM-DDThh:mm:ss)",
    "time": "a time (hh:mm:ss)",
    "gMonthDay": "a month and day (--MM-DD)",
    "gMonth": "a month (--MM)",
    "gDay": "a day of the month (---DD)",
    "anyURI": "a URI",
    "boolean": "a boolean (true, false, 1 or 0)",
    "integer": "an integer",
    "nonNegativeInteger": "an integer greater than or equal to 0",
    "positiveInteger": "an integer greater than 0",
    "double": "a number",
    "float": "a number",
    "decimal": "a decimal number",
    "NCName": "an XML name without colons",
    "ID": "an XML name without colons",
    "IDREF": "an XML name without colons",
    "Name": "an XML name",
    "language": "a language tag (BCP 47, e.g. en or de-AT)",
    "duration": "a duration (e.g. P1Y2M)",
    "NMTOKEN": "a name token",
    "QName": "a qualified name",
}


def _data_words(c: El) -> str:
    t = c.get("type", "")
    lib = rngsupport._inherited(c, "datatypeLibrary") or ""
    word = _TYPES.get(t, f"a value of type {t}") if lib == _XSD else f"a {t}"
    params = {p.get("name"): (p.text or "") for p in c.iter(rngsupport.R + "param")}
    if t in ("token", "string", "normalizedString"):
        word = "text"
    if "pattern" in params:
        word = f'{"a string" if word == "text" else word} matching the regular expression "{params["pattern"]}"'
    facets = []
    for k, v in params.items():
        if k == "minInclusive":
            facets.append(f"greater than or equal to {v}")
        elif k == "maxInclusive":
            facets.append(f"less than or equal to {v}")
        elif k in ("minLength", "length", "maxLength"):
            facets.append(f"of {k} {v}")
    return " ".join([word, " and ".join(facets)] if facets else [word])


def describe(g: Grammar, node: El) -> str:
    """What an attribute or data element accepts, e.g. 'a date (YYYY-MM-DD) or a year (YYYY)'."""
    items: list[str] = []
    values: list[str] = []
    is_list = [False]
    seen: set[str] = set()

    def walk(nodes: Iterable[El]) -> None:
        for c in nodes:
            if not isinstance(c.tag, str) or not c.tag.startswith(rngsupport.R):
                continue
            tag = c.tag[len(rngsupport.R) :]
            if tag == "value":
                values.append(f'"{c.text or ""}"')
            elif tag == "data":
                items.append(_data_words(c))
            elif tag == "list":
                is_list[0] = True
                walk(c)
            elif tag == "ref":
                name = c.get("name", "")
                if name not in seen:
                    seen.add(name)
                    for d in g.defines.get(name, []):
                        walk(d)
            elif tag == "text":
                items.append("text")
            elif tag not in (
                "name",
                "anyName",
                "nsName",
                "element",
                "attribute",
                "param",
                "except",
                "empty",
                "notAllowed",
            ):
                walk(c)

    body = [c for c in node if isinstance(c.tag, str)]
    walk(body if node.get("name") is not None else body[1:])
    parts = list(dict.fromkeys(items))
    if values:
        parts.append(("one of " + ", ".join(values[:-1]) + " or " + values[-1]) if len(values) > 1 else values[0])
    text = " or ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
    if is_list[0] and text:
        text = f"a space-separated list of items, each {text}"
    return text


@functools.lru_cache(maxsize=4096)
def _tag_name(tag: str) -> Name:
    if tag[:1] == "{":
        ns, local = tag[1:].split("}", 1)
        return (ns, local)
    return ("", tag)


def _name(el: El) -> Name:
    return _tag_name(el.tag)


def _attr_name(attr: str) -> Name:
    if attr.startswith("{"):
        ns, local = attr[1:].split("}", 1)
        return (ns, local)
    return ("", attr)


def _ns(el: El) -> str:
    return etree.QName(el).namespace or ""


def _show(el: El) -> str:
    """An instance element's name as written: "p", "html:b", "b" (in no namespace)."""
    q = etree.QName(el)
    parent = el.getparent()
    pns = etree.QName(parent).namespace if parent is not None else q.namespace
    if q.namespace is None:
        return f'"{q.localname}"' if pns is None else f'"{q.localname}" (in no namespace)'
    if q.namespace in (xmlio.TEI_NS, pns):
        return f'"{q.localname}"'
    if el.prefix:
        return f'"{el.prefix}:{q.localname}"'
    return f'"{q.localname}" (namespace {q.namespace})'


def _show_attr(el: El, attr: str) -> str:
    if not attr.startswith("{"):
        return f'"{attr}"'
    ns, local = attr[1:].split("}", 1)
    prefix = _KNOWN_PREFIXES.get(ns) or next((p for p, u in (el.nsmap or {}).items() if u == ns and p), None)
    return f'"{prefix}:{local}"' if prefix else f'"{{{ns}}}{local}"'


_PREFIXES = {
    xmlio.TEI_NS: "tei",
    "http://www.tei-c.org/ns/Examples": "teix",
    xmlio.XML_NS: "xml",
    "http://www.w3.org/1999/xlink": "xlink",
    "http://www.w3.org/2001/XMLSchema-instance": "xsi",
}


@functools.lru_cache(maxsize=4096)
def _names(names: tuple[Name, ...], ctx: str, limit: int, attributes: bool = False) -> str:
    """Quoted names as the reader writes them, sorted, with the namespace
    prefixes used explained once: '"a", "b" or "teix:egXML" (teix = ...)'."""
    shown: list[str] = []
    bound: dict[str, str] = {}
    wild: list[str] = []
    for ns, local in names:
        if local == ANY:
            wild.append(f"any {'attribute' if attributes else 'element'}" + (f" in namespace {ns}" if ns else ""))
            continue
        if ns == ctx or (attributes and ns == ""):
            shown.append(local)
        elif ns == "":
            shown.append(f"{local} (in no namespace)")
        else:
            prefix = _PREFIXES.get(ns, "ns")
            if ns != xmlio.XML_NS:
                bound[prefix] = ns
            shown.append(f"{prefix}:{local}")
    shown = sorted(shown, key=str.lower)
    items = [f'"{s}"' if " " not in s else f'"{s.split()[0]}" {" ".join(s.split()[1:])}' for s in shown]
    text = listing(items + wild, limit)
    used = {s.split(":")[0] for s in shown[:limit] if ":" in s}
    bound = {p: u for p, u in bound.items() if p in used}
    if bound:
        text += " (" + ", ".join(f"{p} = {u}" for p, u in sorted(bound.items())) + ")"
    return text


def _expected_text(names: tuple[Name, ...], text: bool, end: bool, ctx: str) -> str:
    parts = []
    if end:
        parts.append("the end of the element")
    if text:
        parts.append("text")
    if names:
        parts.append("element " + _names(names, ctx, _LIMIT_ELEMENTS))
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def _text_at(el: El, pos: int, tokens: tuple[Any, ...], nodes: list[El | None]) -> str:
    prev = next((nodes[i] for i in range(pos - 1, -1, -1) if nodes[i] is not None), None)
    if prev is None:
        text = el.text or ""
        for child in el:
            if isinstance(child.tag, str):
                break
            text += child.tail or ""
        return text.strip()
    text = prev.tail or ""
    nxt = prev.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        text += nxt.tail or ""
        nxt = nxt.getnext()
    return text.strip()


_START_TAG = re.compile(r"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")
_SKIP = re.compile(r"(?:\s+|<!--.*?-->|<\?.*?\?>)*", re.S)


def _text_position(
    doc: ParsedDoc, el: El, pos: int, tokens: tuple[Any, ...], nodes: list[El | None]
) -> tuple[int | None, int | None]:
    """Line and column of the first non-blank character of a text token:
    after the end of the preceding child, or after the parent's start tag."""
    prev = next((nodes[i] for i in range(pos - 1, -1, -1) if nodes[i] is not None), None)
    at = _after_end(doc, prev) if prev is not None else _after_start(doc, el)
    if at is None:
        return doc.locate(el)
    skip = _SKIP.match(doc.text, at)
    return doc.position(skip.end() if skip else at)


def _after_start(doc: ParsedDoc, node: El) -> int | None:
    start = doc.offset(node)
    m = _START_TAG.match(doc.text, start) if start is not None else None
    return m.end() if m else None


def _after_end(doc: ParsedDoc, node: El) -> int | None:
    """Offset just after an element's end tag (or its empty-element tag)."""
    start = doc.offset(node)
    m = _START_TAG.match(doc.text, start) if start is not None else None
    if m is None:
        return None
    if m.group(1):  # <x/>
        return m.end()
    span = _end_tag(doc, node)
    return span[1] if span else None


def _end_tag(doc: ParsedDoc, node: El) -> tuple[int, int] | None:
    """(start, end) offsets of an element's end tag, searched between its last
    descendant's start tag and the next element after it; None if not found."""
    lo = doc.offset(list(node.iter(tag=etree.Element))[-1])
    if lo is None:
        return None
    nxt: El | None = None
    following: El | None = node
    while nxt is None and following is not None:
        nxt = next(following.itersiblings(tag=etree.Element), None)
        following = following.getparent()
    hi = doc.offset(nxt) if nxt is not None else None
    close = re.compile(
        r"</" + re.escape((node.prefix + ":" if node.prefix else "") + etree.QName(node).localname) + r"\s*>"
    )
    last = None  # the last end tag before the next element: the node's own
    for match in close.finditer(doc.text, lo, len(doc.text) if hi is None else hi):
        last = match
    return last.span() if last else None


def _where(doc: ParsedDoc, node: El, attribute: str | None, end: bool) -> tuple[int | None, int | None]:
    """The start tag (or attribute) of ``node``; with ``end``, its end tag."""
    if end and len(node):
        span = _end_tag(doc, node)
        if span:
            return doc.position(span[0])
    return doc.locate(node, attribute)


def _clip(s: str, n: int = 40) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _pretty(node: El | None) -> str:
    """A readable XPath (/TEI/text[1]/body[1]/p[3]) for a node."""
    steps = []
    while node is not None and isinstance(node.tag, str):
        parent = node.getparent()
        q = etree.QName(node)
        name = q.localname if q.namespace in (xmlio.TEI_NS, None) else f"{node.prefix or '*'}:{q.localname}"
        if parent is None:
            steps.append(f"/{name}")
        else:
            before = sum(1 for _ in node.itersiblings(node.tag, preceding=True))
            steps.append(f"/{name}[{before + 1}]")
        node = parent
    return "".join(reversed(steps))


def _fallback(doc: ParsedDoc, raw: list[tuple[Any, ...]]) -> list[Problem]:
    """libxml2's own messages, located as well as its paths allow."""
    out = []
    for _t, msg, path, line in raw:
        node = doc.node_at(path) if path else None
        ln, col = doc.locate(node) if node is not None else (line or None, None)
        out.append(Problem(doc.display, ln or line or None, col, ERROR, "rng", msg.strip(), path=path or None))
        break
    return out
