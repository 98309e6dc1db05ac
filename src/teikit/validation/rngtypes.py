"""Datatypes in a RelaxNG schema: which libraries, types and parameters exist.

RelaxNG knows the built-in library (``""``: ``string`` and ``token``, no
parameters) and, as every validator does, the XML Schema datatypes
(``http://www.w3.org/2001/XMLSchema-datatypes``, used as the RelaxNG
guidelines for it say: no ``enumeration`` or ``whiteSpace`` parameter).
Any other library is an error, as in jing.  A ``value`` must be a valid
value of its type, and a parameter a facet of its type with a valid
value.  libxml2 checks only some of this when it compiles (not the
facets), so it is checked here, once per schema.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol

from lxml import etree

XSD = "http://www.w3.org/2001/XMLSchema-datatypes"
_RNG = "http://relaxng.org/ns/structure/1.0"

_STRINGS = {
    "string",
    "normalizedString",
    "token",
    "language",
    "Name",
    "NCName",
    "NMTOKEN",
    "NMTOKENS",
    "ID",
    "IDREF",
    "IDREFS",
    "ENTITY",
    "ENTITIES",
    "anyURI",
    "QName",
    "NOTATION",
    "hexBinary",
    "base64Binary",
}
_INTEGERS = {
    "integer",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "positiveInteger",
}
_ORDERED = {
    "float",
    "double",
    "duration",
    "dateTime",
    "time",
    "date",
    "gYearMonth",
    "gYear",
    "gMonthDay",
    "gDay",
    "gMonth",
}
_LENGTHS = {"length", "minLength", "maxLength"}
_BOUNDS = {"minInclusive", "maxInclusive", "minExclusive", "maxExclusive"}
_DIGITS = {"totalDigits", "fractionDigits"}


def facets(t: str) -> set[str]:
    """The parameters a type of the XML Schema library takes."""
    if t in ("QName", "NOTATION"):
        return {"pattern"}  # as jing: no length facets on names in a namespace context
    if t in _STRINGS:
        return _LENGTHS | {"pattern"}
    if t == "boolean":
        return {"pattern"}
    if t in _INTEGERS or t == "decimal":
        return _BOUNDS | _DIGITS | {"pattern"}
    if t in ("float", "double"):
        return _BOUNDS | {"pattern"}
    if t in _ORDERED:  # dates, times and durations: jing takes length facets too
        return _BOUNDS | _LENGTHS | {"pattern"}
    return set()


XSD_TYPES = _STRINGS | _INTEGERS | _ORDERED | {"boolean", "decimal"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def is_library_uri(uri: str) -> bool:
    """An absolute URI without a fragment identifier (RFC 2396: something
    must follow the scheme)."""
    m = _SCHEME.match(uri)
    if not m or len(uri) <= m.end() or "#" in uri or re.search(r"[\s<>\"{}|\\^`]", uri):
        return False
    return not re.search(r"%(?![0-9A-Fa-f]{2})", uri)


class _Reporter(Protocol):
    def fail(self, el: etree._Element, message: str) -> Exception: ...


def check(loader: _Reporter, el: etree._Element, library: str) -> None:
    """Raise the loader's error if a ``data`` or ``value`` element names a
    type that does not exist, a parameter its type does not take, or a
    value its type does not allow."""
    t = el.get("type", "")
    kind = el.tag.rsplit("}", 1)[-1]
    params = [c for c in el if isinstance(c.tag, str) and c.tag == f"{{{_RNG}}}param"]
    if library == "":
        if t not in ("string", "token"):
            raise loader.fail(el, f'datatype "{t}" is not in the built-in library (only "string" and "token")')
        if params:
            raise loader.fail(params[0], f'datatype "{t}" of the built-in library takes no parameters')
        return
    if library != XSD:
        raise loader.fail(el, f'datatype library "{library}" is not supported (only XML Schema datatypes, {XSD})')
    if t not in XSD_TYPES:
        raise loader.fail(el, f'datatype "{t}" is not an XML Schema datatype')
    allowed = facets(t)
    for p in params:
        name = p.get("name", "")
        if name not in allowed:
            raise loader.fail(p, f'datatype "{t}" takes no parameter "{name}"')
        problem = _facet_problem(t, name, p.text or "")
        if problem:
            raise loader.fail(p, problem)
    if kind == "value":
        text = el.text or ""
        if t in ("QName", "NOTATION"):
            prefix = text.strip().split(":", 1)[0] if ":" in text else None
            if not _is_qname(text.strip()) or (prefix and prefix != "xml" and prefix not in el.nsmap):
                raise loader.fail(el, f'"{text}" is not a valid value of datatype "{t}" here')
        elif not lexical_ok(t, text):
            raise loader.fail(el, f'"{text}" is not a valid value of datatype "{t}"')


def _facet_problem(t: str, name: str, value: str) -> str | None:
    v = value.strip()
    if name in _LENGTHS or name in _DIGITS:
        if not re.fullmatch(r"\+?\d+", v) or (name == "totalDigits" and int(v) == 0):
            return f'parameter "{name}" must be a {"positive" if name == "totalDigits" else "non-negative"} integer, not "{value}"'
        return None
    if name == "pattern":
        return None if pattern_ok(value) else f'parameter "pattern" is not a valid regular expression: "{value}"'
    if name in _BOUNDS and not lexical_ok(t, value):
        return f'parameter "{name}" must be a value of datatype "{t}", not "{value}"'
    return None


def _is_qname(s: str) -> bool:
    return bool(re.fullmatch(r"[^\W\d][\w.\-]*(:[^\W\d][\w.\-]*)?", s))


@functools.lru_cache(maxsize=1024)
def lexical_ok(t: str, value: str) -> bool:
    """Whether ``value`` is a valid value of the XML Schema type ``t``."""
    return bool(_type_schema(t).validate(_holder(value)))


@functools.lru_cache(maxsize=256)
def _type_schema(t: str) -> etree.RelaxNG:
    return etree.RelaxNG(
        etree.fromstring(f'<element xmlns="{_RNG}" name="x" datatypeLibrary="{XSD}"><data type="{t}"/></element>')
    )


def _holder(value: str) -> etree._Element:
    x = etree.Element("x")
    x.text = value
    return x


@functools.lru_cache(maxsize=1024)
def pattern_ok(regex: str) -> bool:
    """Whether libxml2 compiles ``regex`` as an XML Schema regular expression."""
    xs = "http://www.w3.org/2001/XMLSchema"
    schema = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    st = etree.SubElement(schema, f"{{{xs}}}simpleType", name="t")
    r = etree.SubElement(st, f"{{{xs}}}restriction", base="xs:string")
    etree.SubElement(r, f"{{{xs}}}pattern", value=regex)
    try:
        etree.XMLSchema(schema)
    except etree.XMLSchemaParseError:
        return False
    return True
