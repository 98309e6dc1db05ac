"""Namespaces and small element helpers shared by the ODD compiler."""

from __future__ import annotations

from typing import Any

from lxml import etree

TEI = "http://www.tei-c.org/ns/1.0"
RNG = "http://relaxng.org/ns/structure/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
ANN = "http://relaxng.org/ns/compatibility/annotations/1.0"
TEIX = "http://www.tei-c.org/ns/Examples"
XML = "http://www.w3.org/XML/1998/namespace"
XSD = "http://www.w3.org/2001/XMLSchema-datatypes"

SPEC_NAMES = ("elementSpec", "classSpec", "macroSpec", "dataSpec")
SPEC_TAGS = frozenset(f"{{{TEI}}}{n}" for n in SPEC_NAMES)
NSMAP_RNG: Any = {None: RNG, "a": ANN, "sch": SCH}

Element = etree._Element


def t(name: str) -> str:
    """The Clark name of a TEI element."""
    return f"{{{TEI}}}{name}"


def r(name: str) -> str:
    """The Clark name of a RELAX NG element."""
    return f"{{{RNG}}}{name}"


_SPLIT: dict[str, tuple[str, str]] = {}


def _split(tag: object) -> tuple[str, str]:
    if not isinstance(tag, str):
        return ("", "")
    found = _SPLIT.get(tag)
    if found is None:
        if tag.startswith("{"):
            ns, _, name = tag[1:].partition("}")
            found = (ns, name)
        else:
            found = ("", tag)
        _SPLIT[tag] = found
    return found


def local(el: Element) -> str:
    """Local name of an element ('' for comments and processing instructions)."""
    return _split(el.tag)[1]


def ns_of(el: Element) -> str:
    return _split(el.tag)[0]


def is_tei(el: Element, *names: str) -> bool:
    ns, name = _split(el.tag)
    return ns == TEI and (not names or name in names)


def is_rng(el: Element, *names: str) -> bool:
    ns, name = _split(el.tag)
    return ns == RNG and (not names or name in names)


def is_spec(el: Element) -> bool:
    return el.tag in SPEC_TAGS


def kids(el: Element) -> list[Element]:
    """Element children only."""
    return list(el.iterchildren(etree.Element))


def tei_kids(el: Element, *names: str) -> list[Element]:
    if names:
        return list(el.iterchildren(*[f"{{{TEI}}}{n}" for n in names]))
    return list(el.iterchildren(f"{{{TEI}}}*"))


def first(el: Element, name: str) -> Element | None:
    for c in el:
        if isinstance(c.tag, str) and c.tag == t(name):
            return c
    return None


def nsmap(mapping: dict[str | None, str]) -> Any:
    """A namespace map for lxml (its stubs do not admit the None key of a default namespace)."""
    return mapping


def attrs(el: Element) -> dict[str, str]:
    """An element's attributes as a plain dict of text."""
    return {str(k): str(v) for k, v in el.attrib.items()}


def text_of(el: Element) -> str:
    """The element's text content."""
    return "".join(str(x) for x in el.itertext())


def rng_el(name: str, attrib: dict[str, str] | None = None) -> Element:
    return etree.Element(r(name), attrib or {}, nsmap=nsmap({None: RNG}))


def sub(parent: Element, name: str, attrib: dict[str, str] | None = None) -> Element:
    return etree.SubElement(parent, r(name), attrib or {})


def tokens(value: str | None) -> list[str]:
    return (value or "").split()


def include_member(ident: str, exc: str | None, inc: str | None) -> bool:
    """The Stylesheets' rule for @include/@except on moduleRef, classRef and friends."""
    if not exc and not inc:
        return True
    if inc:
        return ident in tokens(inc)
    return ident not in tokens(exc)
