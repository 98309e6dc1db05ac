"""Values whose meaning depends on the instance's namespace context.

The XML Schema datatypes ``QName`` and ``NOTATION`` are names with a
prefix, and the prefix means whatever the element holding the value
binds it to.  libxml2 checks them without that context: it refuses a
valid ``e:x`` and cannot compare ``<value type="QName">`` with the
instance at all (it even refuses to compile a schema whose value's
prefix is declared on the ``value`` element).  So teikit gives libxml2
these patterns as plain tokens (:func:`neutralise`) and checks them
here, with the instance element's in-scope namespaces, for the pattern
that holds them (``choice``, ``list``, ``group``, repetitions and
``ref`` around them; every other datatype in such a pattern is checked
by libxml2, one ``data`` element at a time).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from lxml import etree

from .rngtypes import XSD, lexical_ok

R = "{http://relaxng.org/ns/structure/1.0}"
URI = "{urn:teikit:rng}uri"  # a QName value's namespace, resolved where the schema wrote it
CONTEXT_TYPES = ("QName", "NOTATION")
_QNAME = re.compile(r"^[^\W\d][\w.\-]*(?::[^\W\d][\w.\-]*)?$")

Defines = dict[str, list[etree._Element]]


def is_context_type(el: etree._Element) -> bool:
    return el.tag in (R + "data", R + "value") and el.get("datatypeLibrary") == XSD and el.get("type") in CONTEXT_TYPES


def uses_context(root: etree._Element) -> bool:
    return any(is_context_type(el) for el in root.iter(R + "data", R + "value"))


def neutralise(tree: etree._ElementTree) -> etree._ElementTree:
    """A copy for libxml2 in which QName and NOTATION patterns accept any token."""
    out = copy.deepcopy(tree)
    for el in list(out.getroot().iter(R + "data", R + "value")):
        if is_context_type(el):
            repl = etree.Element(R + "data", type="token", datatypeLibrary="")
            repl.tail = el.tail
            parent = el.getparent()
            assert parent is not None  # data and value are never the root
            parent.replace(el, repl)
    return out


def expanded(text: str, nsmap: dict[str | None, str], default: str | None) -> tuple[str, str] | None:
    """The (namespace, local name) of a QName, or None if it is not one here."""
    text = text.strip()
    if not _QNAME.match(text):
        return None
    if ":" in text:
        prefix, local = text.split(":", 1)
        uri = "http://www.w3.org/XML/1998/namespace" if prefix == "xml" else nsmap.get(prefix)
        return None if uri is None else (uri, local)
    return (default if default is not None else (nsmap.get(None) or ""), text)


class Matcher:
    """Whether a string matches a value pattern, in an instance's context."""

    def __init__(self, defines: Defines, other: Callable[[etree._Element, str], bool]):
        self.defines = defines
        self.other = other  # checks a data/value element of any other type

    def matches(self, patterns: list[etree._Element], value: str, nsmap: dict[str | None, str]) -> bool:
        self.nsmap = nsmap
        return 1 in self._seq(patterns, [value], 0, False)

    def _seq(self, pats: list[etree._Element], toks: list[str], i: int, in_list: bool) -> set[int]:
        ends = {i}
        for p in pats:
            nxt: set[int] = set()
            for j in ends:
                nxt |= self._one(p, toks, j, in_list)
            ends = nxt
            if not ends:
                break
        return ends

    def _one(self, p: etree._Element, toks: list[str], i: int, in_list: bool) -> set[int]:
        tag = p.tag[len(R) :] if isinstance(p.tag, str) else ""
        kids = [c for c in p if isinstance(c.tag, str) and c.tag.startswith(R)]
        if tag in ("group", "define"):
            return self._seq(kids, toks, i, in_list)
        if tag in ("choice", "interleave", "except"):
            out: set[int] = set()
            for c in kids:
                out |= self._one(c, toks, i, in_list)
            return out
        if tag in ("optional", "zeroOrMore", "oneOrMore"):
            out = set() if tag == "oneOrMore" else {i}
            frontier = self._seq(kids, toks, i, in_list)
            while frontier - out:
                new = frontier - out
                out |= new
                frontier = (
                    set().union(*(self._seq(kids, toks, j, in_list) for j in new)) if tag != "optional" else set()
                )
            return out
        if tag == "ref":
            out = set()
            for d in self.defines.get(p.get("name", ""), []):
                out |= self._seq([c for c in d if isinstance(c.tag, str)], toks, i, in_list)
            return out
        if tag == "list":
            if i >= len(toks):
                return set()
            items = toks[i].split()
            return {i + 1} if len(items) in self._seq(kids, items, 0, True) else set()
        if tag in ("empty", "attribute"):  # an element's attributes are checked on their own
            return {i}
        if tag in ("value", "data", "text"):
            if i >= len(toks):
                return {i} if tag == "text" else set()
            return {i + 1} if tag == "text" or self._atom(p, toks[i]) else set()
        return set()

    def _atom(self, p: etree._Element, text: str) -> bool:
        if not is_context_type(p):
            return self.other(p, text)
        got = expanded(text, self.nsmap, None)
        if got is None:
            return False
        if p.tag == R + "data":
            exc = next((c for c in p if c.tag == R + "except"), None)
            return exc is None or not self._one(exc, [text], 0, False) - {0}
        want = p.get(URI)
        if want is None:
            want = p.get("ns", "") if ":" not in (p.text or "") else None
        local = (p.text or "").strip().split(":")[-1]
        return got == (want, local)


def other_checker() -> Callable[[etree._Element, str], bool]:
    """Checks one data or value element of a context-free type with libxml2."""
    cache: dict[tuple[int, str], bool] = {}
    schemas: dict[int, etree.RelaxNG] = {}

    def check(p: etree._Element, text: str) -> bool:
        key = (id(p), text)
        got = cache.get(key)
        if got is None:
            if p.tag == R + "value" and p.get("datatypeLibrary") == XSD and p.get("type") != "string":
                got = lexical_ok(p.get("type", ""), text) and _schema(p, schemas).validate(_holder(text))
            else:
                got = bool(_schema(p, schemas).validate(_holder(text)))
            cache[key] = got
        return got

    return check


def _schema(p: etree._Element, schemas: dict[int, etree.RelaxNG]) -> etree.RelaxNG:
    got = schemas.get(id(p))
    if got is None:
        el = etree.Element(R + "element", name="x")
        c = copy.deepcopy(p)
        c.tail = None
        el.append(c)
        got = schemas[id(p)] = etree.RelaxNG(el)
    return got


def _holder(text: str) -> etree._Element:
    x = etree.Element("x")
    x.text = text
    return x
