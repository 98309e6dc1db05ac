"""What the pattern engine (:mod:`teikit.validation.rngindex`) reads of a
checked grammar besides its patterns: which patterns it models, and the
names and name classes of elements and attributes."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from lxml import etree

RNG = "http://relaxng.org/ns/structure/1.0"
R = f"{{{RNG}}}"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ANY = "*"
El = etree._Element


class SchemaUnsupported(Exception):
    """A construct this explainer does not model (verdicts are unaffected)."""


_PATTERNS = {
    R + t
    for t in (
        "grammar",
        "start",
        "define",
        "div",
        "ref",
        "element",
        "attribute",
        "group",
        "choice",
        "interleave",
        "mixed",
        "optional",
        "zeroOrMore",
        "oneOrMore",
        "text",
        "data",
        "value",
        "list",
        "empty",
        "notAllowed",
        "param",
        "except",
        "name",
        "anyName",
        "nsName",
    )
}


def _check_supported(root: El, defines: dict[Any, Any]) -> None:
    """Raise SchemaUnsupported now for what building would meet later:
    unknown constructs, undefined refs, a define that reaches itself
    without passing through an element."""
    for el in root.iter(R + "*"):
        if el.tag not in _PATTERNS:
            raise SchemaUnsupported(el.tag)
    direct: dict[str, set[Any]] = {}
    for name, items in defines.items():
        refs: set[Any] = set()
        stack = [c for d in items for c in d.iterchildren(R + "*")]
        while stack:
            node = stack.pop()
            if node.tag == R + "element":
                continue
            if node.tag == R + "ref":
                refs.add(node.get("name"))
            stack.extend(node.iterchildren(R + "*"))
        direct[name] = refs
    for ref in root.iter(R + "ref"):
        if ref.get("name") not in defines:
            raise SchemaUnsupported(f"undefined {ref.get('name')}")
    done: set[Any] = set()
    for name in direct:  # depth-first search for a cycle among element-free refs
        path: list[Any] = [(name, iter(direct[name]))]
        on_path = {name}
        while path:
            current, rest = path[-1]
            nxt = next(rest, None)
            if nxt is None:
                path.pop()
                on_path.discard(current)
                done.add(current)
            elif nxt in on_path:
                raise SchemaUnsupported(f"recursive define {nxt} outside an element")
            elif nxt not in done:
                on_path.add(nxt)
                path.append((nxt, iter(direct[nxt])))


def _inherited(node: El | None, attr: str) -> str | None:
    while node is not None:
        v = node.get(attr)
        if v is not None:
            return v
        node = node.getparent()
    return None


def _qname(node: El, text: str, attribute: bool) -> tuple[Any, ...]:
    text = text.strip()
    if ":" in text:
        prefix, local = text.split(":", 1)
        uri = XML_NS if prefix == "xml" else node.nsmap.get(prefix, "")
        return ("name", uri, local)
    ns = node.get("ns") if attribute else _inherited(node, "ns")
    return ("name", ns or "", text)


def _name_class(node: El, attribute: bool) -> tuple[Any, ...]:
    if node.get("name") is not None:
        return _qname(node, node.get("name", ""), attribute)
    for c in node:
        if isinstance(c.tag, str) and c.tag.startswith(R):
            return _nc(c, attribute)
    return ("any", None)


def _nc(node: El, attribute: bool) -> tuple[Any, ...]:
    tag = node.tag[len(R) :]
    if tag == "name":
        return _qname(node, node.text or "", attribute)
    if tag in ("anyName", "nsName"):
        exc = None
        for c in node:
            if isinstance(c.tag, str) and c.tag == R + "except":
                parts = [_nc(x, attribute) for x in c if isinstance(x.tag, str)]
                exc = parts[0]
                for x in parts[1:]:
                    exc = ("or", exc, x)
        if tag == "anyName":
            return ("any", exc)
        return ("ns", _inherited(node, "ns") or "", exc)
    if tag == "choice":
        parts = [_nc(x, attribute) for x in node if isinstance(x.tag, str)]
        out = parts[0]
        for x in parts[1:]:
            out = ("or", out, x)
        return out
    raise SchemaUnsupported(tag)


def _nc_match(nc: tuple[Any, ...], name: tuple[Any, ...]) -> bool:
    k = nc[0]
    if k == "name":
        return bool(nc[1] == name[0] and nc[2] == name[1])
    if k == "any":
        return nc[1] is None or not _nc_match(nc[1], name)
    if k == "ns":
        return nc[1] == name[0] and (nc[2] is None or not _nc_match(nc[2], name))
    return _nc_match(nc[1], name) or _nc_match(nc[2], name)


def _nc_names(nc: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """(namespace, local) names a name class lists; ANY for wildcards."""
    k = nc[0]
    if k == "name":
        return [(nc[1], nc[2])]
    if k == "any":
        return [("", ANY)]
    if k == "ns":
        return [(nc[1], ANY)]
    return _nc_names(nc[1]) + _nc_names(nc[2])


def _sort_key(name: tuple[Any, ...]) -> tuple[Any, ...]:
    return (name[1] == ANY, name[1].lower() != name[1] and False, name[1], name[0])


def listing(items: Iterable[str], limit: int = 10) -> str:
    """'a, b or c' (at most ``limit`` items, then 'and N more')."""
    items = list(items)
    if not items:
        return ""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return str(items[0]) if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# -- value schemas ------------------------------------------------------------
def value_schema(defines: dict[str, list[Any]], node: El, attribute: bool) -> etree._ElementTree:
    """A small grammar checking one attribute's value (``<x a="..."/>``)
    or one data element's text (``<x>...</x>``) with libxml2."""
    g = etree.Element(R + "grammar", nsmap={None: RNG})  # type: ignore[dict-item]
    start = etree.SubElement(g, R + "start")
    holder = etree.SubElement(start, R + "element", name="x")
    if attribute:
        holder = etree.SubElement(holder, R + "attribute", name="a")
    body = [c for c in node if isinstance(c.tag, str) and c.tag.startswith(R)]
    if node.get("name") is None and body:
        body = body[1:]
    refs: set[str] = set()
    for c in body:
        holder.append(_copy(c, refs, strip=not attribute))
    if not len(holder):
        etree.SubElement(holder, R + "text")
    done: set[str] = set()
    while refs - done:
        name = sorted(refs - done)[0]
        done.add(name)
        for d in defines.get(name, []):
            g.append(_copy(d, refs, strip=not attribute))
    return etree.ElementTree(g)


def _copy(node: El, refs: set[Any], strip: bool) -> El:
    c = copy.deepcopy(node)
    for junk in [x for x in c.iter() if not isinstance(x.tag, str) or not x.tag.startswith(R)]:
        up = junk.getparent()
        if junk is not c and up is not None:
            up.remove(junk)
    lib = _inherited(node, "datatypeLibrary")
    if lib is not None and c.get("datatypeLibrary") is None:
        c.set("datatypeLibrary", lib)
    if strip:  # a data element's text: its attributes are checked elsewhere
        for a in list(c.iter(R + "attribute")):
            if a is c:
                return etree.Element(R + "empty")
            up = a.getparent()
            if up is not None:
                up.replace(a, etree.Element(R + "empty"))
    for r in c.iter(R + "ref"):
        refs.add(r.get("name"))
    return c
