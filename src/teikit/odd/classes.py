"""Model classes: their patterns, and references to them with @expand, @include, @except and occurrences."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from lxml import etree

from .ns import ANN, Element, include_member, local, r, t, tei_kids, tokens
from .values import occurs, owe_name

if TYPE_CHECKING:
    from .tangle import Tangler

PATTERNS = ("NULL", "alternation", "sequence", "sequenceOptional", "sequenceOptionalRepeatable", "sequenceRepeatable")
WRAPPERS = {
    "sequenceOptional": "optional",
    "sequenceRepeatable": "oneOrMore",
    "sequenceOptionalRepeatable": "zeroOrMore",
}
MAXINT = 400


def R(name: str, attrib: dict[str, str] | None = None) -> Element:
    return etree.Element(r(name), attrib or {})


def class_member(tg: Tangler, member: Element, the_class: str, suffix: str) -> list[Element]:
    """How one member appears in a class pattern (an element's memberOf/@min and @max honoured)."""
    prefix = tg.spec_prefix(member)
    if local(member) == "classSpec":
        name = prefix + member.get("ident", "")
        if suffix and suffix != "NULL":
            name += "_" + suffix
        return [R("ref", {"name": name})]
    memberships = [m for c in tei_kids(member, "classes") for m in tei_kids(c, "memberOf") if m.get("key") == the_class]
    lo_text = memberships[0].get("min") if memberships else None
    hi_text = memberships[0].get("max") if memberships else None
    lo = int(lo_text) if lo_text is not None and lo_text.strip().lstrip("-").isdigit() else 1
    name = prefix + member.get("ident", "")
    out = [R("ref", {"name": name}) for _ in range(lo)]
    if hi_text == "unbounded":
        z = R("zeroOrMore")
        z.append(R("ref", {"name": name}))
        out.append(z)
    else:
        hi = int(hi_text) if hi_text is not None and hi_text.strip().lstrip("-").isdigit() else 1
        for _ in range(lo + 1, hi + 1):
            o = R("optional")
            o.append(R("ref", {"name": name}))
            out.append(o)
    return out


def class_patterns(tg: Tangler, spec: Element) -> list[Element]:
    """The defines of one model class: the class itself and its expansions."""
    ident = spec.get("ident", "")
    prefix = tg.spec_prefix(spec)
    wanted = tokens(spec.get("generate")) if spec.get("generate") is not None else list(PATTERNS)
    if not wanted:
        wanted = ["NULL"]
    members = tg.members.get(ident, [])
    out: list[Element] = []
    for kind in wanted:
        define = R("define", {"name": prefix + ident + ("" if kind == "NULL" else "_" + kind)})
        if not members:
            define.append(
                R("empty" if kind in ("sequence", "sequenceOptional", "sequenceOptionalRepeatable") else "notAllowed")
            )
        elif kind == "sequence":
            for m in members:
                define.extend(class_member(tg, m, ident, kind))
        elif kind in WRAPPERS:
            for m in members:
                w = etree.SubElement(define, r(WRAPPERS[kind]))
                w.extend(class_member(tg, m, ident, kind))
        else:
            choice = etree.SubElement(define, r("choice"))
            for m in members:
                choice.extend(class_member(tg, m, ident, kind))
        out.append(define)
    return out


def _members(tg: Tangler, el: Element, check_idents: bool) -> list[Element]:
    key = el.get("key", "")
    exc, inc = el.get("except"), el.get("include")
    found = []
    for m in tg.members.get(key, []):
        if check_idents and m.get("prefix", "") + m.get("ident", "") not in tg.idents:
            continue
        if include_member(m.get("ident", ""), exc, inc):
            found.append(m)
    return found


def expand_reference(tg: Tangler, el: Element) -> list[Element]:
    """elementRef, classRef or macroRef in a content model."""
    expand = el.get("expand")
    key = el.get("key", "")
    c: list[Element]
    if expand is None and (el.get("include") is not None or el.get("except") is not None):
        c = [x for m in _members(tg, el, True) for x in class_member(tg, m, key, "")]
    elif expand is None:
        c = [R("ref", {"name": tg.ref_name(el)})]
    elif expand == "sequence":
        c = [x for m in _members(tg, el, False) for x in class_member(tg, m, key, "")]
    elif expand in WRAPPERS:
        c = []
        for m in _members(tg, el, False):
            w = R(WRAPPERS[expand])
            w.extend(class_member(tg, m, key, ""))
            c.append(w)
    else:
        choice = R("choice")
        for m in _members(tg, el, False):
            choice.extend(class_member(tg, m, key, ""))
        c = [choice]
    return with_occurrences(c, el.get("minOccurs"), el.get("maxOccurs"))


def _copies(c: list[Element]) -> list[Element]:
    return [copy.deepcopy(x) for x in c]


def with_occurrences(c: list[Element], min_occurs: str | None, max_occurs: str | None) -> list[Element]:
    lo, hi = occurs(min_occurs, max_occurs)
    if lo == 1 and hi == 1:
        return c
    if lo in (0, 1) and hi in (1, -1):
        w = R(owe_name(min_occurs, max_occurs))
        w.extend(c)
        return [w]
    group = R("group")
    if lo == 0:
        o = etree.SubElement(group, r("optional"))
        o.extend(_copies(c))
    else:
        for _ in range(min(lo, MAXINT)):
            group.extend(_copies(c))
    count = hi - lo
    if hi == -1:
        z = etree.SubElement(group, r("zeroOrMore"))
        if lo > MAXINT:
            etree.SubElement(z, f"{{{ANN}}}documentation").text = f" ODD calls for a minimum of {lo} occurrences "
        z.extend(_copies(c))
    elif count >= MAXINT:
        z = etree.SubElement(group, r("zeroOrMore"))
        doc = f" ODD calls for {lo} required followed by {count} optional occurrences "
        etree.SubElement(z, f"{{{ANN}}}documentation").text = doc
        z.extend(_copies(c))
    else:
        parent = group
        for _ in range(count):
            parent = etree.SubElement(parent, r("optional"))
            parent.extend(_copies(c))
    return [group]


__all__ = ["class_patterns", "expand_reference", "t"]
