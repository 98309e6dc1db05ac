"""RelaxNG's XML syntax (ISO/IEC 19757-2, section 3), for :mod:`rngload`.

Which elements may stand where, with which attributes and how many
children, and the form of the values of ``name``, ``type``,
``combine`` and ``datatypeLibrary``; run on each file after its
annotations are removed.
"""

from __future__ import annotations

import unicodedata
from typing import Protocol

from lxml import etree

from . import rngtypes

RNG = "http://relaxng.org/ns/structure/1.0"
AT = "{urn:teikit:rng}at"
_WS = " \t\r\n"


class _Reporter(Protocol):
    def fail(self, el: etree._Element, message: str) -> Exception: ...


_NAME_START = {"Ll", "Lu", "Lo", "Lt", "Nl"}
_NAME_MORE = _NAME_START | {"Lm", "Mc", "Mn", "Me", "Nd"}


class _NCName:
    """XML's NCName: a letter or "_" first, then letters, digits, marks, ".", "-", "_", "·"."""

    @staticmethod
    def match(s: str) -> bool:
        if not s or not (s[0] == "_" or unicodedata.category(s[0]) in _NAME_START):
            return False
        return all(c in "._-\u00b7" or unicodedata.category(c) in _NAME_MORE for c in s[1:])


_NCNAME = _NCName()
PATTERN = {
    "element",
    "attribute",
    "group",
    "interleave",
    "choice",
    "optional",
    "zeroOrMore",
    "oneOrMore",
    "list",
    "mixed",
    "ref",
    "parentRef",
    "empty",
    "text",
    "value",
    "data",
    "notAllowed",
    "externalRef",
    "grammar",
}
_NAMECLASS = {"name", "anyName", "nsName", "choice"}
_GRAMMAR_CONTENT = {"start", "define", "div", "include"}
_ATTRS = {
    "element": {"name"},
    "attribute": {"name"},
    "ref": {"name"},
    "parentRef": {"name"},
    "define": {"name", "combine"},
    "start": {"combine"},
    "value": {"type"},
    "data": {"type"},
    "param": {"name"},
    "externalRef": {"href"},
    "include": {"href"},
}
_COMMON = {"ns", "datatypeLibrary"}
TEXT_CONTENT = {"value", "param", "name"}

_WANTED = {
    "pattern": "a pattern",
    "nameclass": "a name class (name, anyName, nsName or choice)",
    "grammar": "start, define, div or include",
    "include": "start, define or div",
    "param": "param",
    "except": "except",
    "except-pattern": "except",
}


def check(r: _Reporter, el: etree._Element, want: str) -> None:
    """Raise the reporter's error where ``el`` and what is inside it break the syntax of section 3."""
    local = _local(el)
    if not _fits(local, want):
        raise r.fail(el, f'element "{local}" not allowed here; expected {_WANTED[want]}')
    allowed = _ATTRS.get(local, set()) | _COMMON
    for a in [str(k) for k in el.attrib.keys()]:
        if a != AT and a not in allowed:
            raise r.fail(el, f'attribute "{a}" not allowed on element "{local}"')
    _attribute_values(r, el, local)
    kids = [c for c in el if isinstance(c.tag, str)]
    text = (el.text or "") + "".join(c.tail or "" for c in el)
    if text.strip(_WS) and local not in TEXT_CONTENT:
        raise r.fail(el, f'text not allowed in element "{local}"')
    if local in TEXT_CONTENT:
        if kids:
            raise r.fail(kids[0], f'element "{_local(kids[0])}" not allowed in element "{local}"')
        return
    for c, w in zip(kids, _shape(r, el, local, kids, want), strict=False):
        check(r, c, w)


def _fits(local: str, want: str) -> bool:
    if want == "pattern":
        return local in PATTERN
    if want == "nameclass":
        return local in _NAMECLASS
    if want == "grammar":
        return local in _GRAMMAR_CONTENT
    if want == "include":
        return local in ("start", "define", "div")
    if want == "except-pattern":
        return local == "except"
    return local == want


def _shape(r: _Reporter, el: etree._Element, local: str, kids: list[etree._Element], want: str) -> list[str]:
    """What each child must be; raises for a wrong number of children."""
    n = len(kids)

    def need(count_ok: bool, what: str) -> None:
        if not count_ok:
            raise r.fail(el, f'element "{local}" {what}')

    named = el.get("name") is not None
    if local in ("element", "attribute"):
        need(named or n >= 1, "needs a name attribute or a name class")
        head = [] if named else ["nameclass"]
        rest = n - len(head)
        if local == "element":
            need(rest >= 1, "needs at least one pattern for its content")
        else:
            need(rest <= 1, "takes at most one pattern")
        return head + ["pattern"] * rest
    if local == "choice" and want == "nameclass":
        need(n >= 1, "needs at least one name class")
        return ["nameclass"] * n
    if local in ("group", "interleave", "choice", "optional", "zeroOrMore", "oneOrMore", "list", "mixed"):
        need(n >= 1, "needs at least one pattern")
        return ["pattern"] * n
    if local in ("define",):
        need(named, "needs a name attribute")
        need(n >= 1, "needs at least one pattern")
        return ["pattern"] * n
    if local == "start":
        need(n == 1, "needs exactly one pattern")
        return ["pattern"]
    if local in ("ref", "parentRef", "empty", "text", "notAllowed", "externalRef"):
        need(n == 0, "must be empty")
        if local in ("ref", "parentRef"):
            need(named, "needs a name attribute")
        if local == "externalRef":
            need(el.get("href") is not None, "needs an href attribute")
        return []
    return _shape_rest(r, el, local, kids, want)


def _shape_rest(r: _Reporter, el: etree._Element, local: str, kids: list[etree._Element], want: str) -> list[str]:
    """_shape for data, except, anyName, nsName, grammar, div and include."""
    n = len(kids)

    def need(count_ok: bool, what: str) -> None:
        if not count_ok:
            raise r.fail(el, f'element "{local}" {what}')

    if local == "data":
        need(el.get("type") is not None, "needs a type attribute")
        shape = []
        for i, c in enumerate(kids):
            if _local(c) == "param" and all(_local(k) == "param" for k in kids[:i]):
                shape.append("param")
            elif _local(c) == "except" and i == n - 1:
                shape.append("except-pattern")
            else:
                raise r.fail(c, f'element "{_local(c)}" not allowed in element "data"')
        return shape
    if local == "except":
        need(n >= 1, "needs at least one " + ("pattern" if want == "except-pattern" else "name class"))
        return ["pattern" if want == "except-pattern" else "nameclass"] * n
    if local in ("anyName", "nsName"):
        need(n <= 1 and all(_local(c) == "except" for c in kids), "may contain only one except")
        return ["except"] * n
    if local == "grammar":
        return ["grammar"] * n
    if local == "div":
        parent = el.getparent()
        inside_include = False
        while parent is not None and _local(parent) == "div":
            parent = parent.getparent()
        inside_include = parent is not None and _local(parent) == "include"
        return ["include" if inside_include else "grammar"] * n
    if local == "include":
        need(el.get("href") is not None, "needs an href attribute")
        return ["include"] * n
    return []


def _attribute_values(r: _Reporter, el: etree._Element, local: str) -> None:
    for a in ("name",):
        v = el.get(a)
        if v is None:
            continue
        if local in ("define", "ref", "parentRef", "param"):
            if not _NCNAME.match(v):
                raise r.fail(el, f'"{v}" is not a valid name (an NCName) in the name attribute of "{local}"')
        elif not _is_qname(v):
            raise r.fail(el, f'"{v}" is not a valid qualified name in the name attribute of "{local}"')
    combine = el.get("combine")
    if combine is not None and combine not in ("choice", "interleave"):
        raise r.fail(el, f'combine must be "choice" or "interleave", not "{combine}"')
    t = el.get("type")
    if t is not None and not _NCNAME.match(t):
        raise r.fail(el, f'"{t}" is not a valid datatype name')
    lib = el.get("datatypeLibrary")
    if lib is not None and lib != "" and not rngtypes.is_library_uri(lib):
        raise r.fail(el, f'datatypeLibrary "{lib}" must be an absolute URI without a fragment identifier')
    if local == "name" and not _is_qname(el.text or ""):
        raise r.fail(el, f'"{el.text or ""}" is not a valid qualified name')


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_qname(s: str) -> bool:
    parts = s.split(":")
    return 1 <= len(parts) <= 2 and all(_NCNAME.match(p) for p in parts)
