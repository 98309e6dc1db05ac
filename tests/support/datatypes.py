"""Values for RelaxNG ``data`` patterns: the XML Schema datatypes with their facets, and the built-in library.

``generate`` returns a lexical form that the type and every ``param`` accept; ``accepts`` is the matching
check (used for ``except`` clauses and to make sure a spoiled value really is outside the type).
"""

from __future__ import annotations

import random
import re
from decimal import Decimal, InvalidOperation

from support import xsdregex

XSD = "http://www.w3.org/2001/XMLSchema-datatypes"

# A few plain lexical forms per type, drawn from; every one is in the type's lexical space.
_SAMPLES: dict[str, tuple[str, ...]] = {
    "string": ("text", "Some words", "x"),
    "normalizedString": ("text", "two words"),
    "token": ("token", "two words", "x1"),
    "NMTOKEN": ("nm1", "a-b", "x.y"),
    "NMTOKENS": ("nm1 nm2", "a"),
    "Name": ("name", "a:b", "x1"),
    "NCName": ("ncname", "a-b", "x1"),
    "QName": ("qname", "xml:lang"),
    "ID": ("id",),
    "IDREF": ("id",),
    "IDREFS": ("id",),
    "ENTITY": ("ent",),
    "language": ("en", "de-AT", "la", "fr"),
    "anyURI": ("http://example.org/a", "#id", "file.xml", "urn:x:1"),
    "boolean": ("true", "false", "1", "0"),
    "decimal": ("1.5", "0", "42", "0.25"),
    "integer": ("0", "3", "-2", "17"),
    "nonNegativeInteger": ("0", "1", "7", "12"),
    "positiveInteger": ("1", "2", "9"),
    "nonPositiveInteger": ("0", "-1", "-5"),
    "negativeInteger": ("-1", "-3"),
    "long": ("5", "-5"),
    "int": ("5", "-5"),
    "short": ("5",),
    "byte": ("5",),
    "unsignedLong": ("5",),
    "unsignedInt": ("5",),
    "unsignedShort": ("5",),
    "unsignedByte": ("5",),
    "double": ("0.5", "1", "0", "2.5E3", "0.75"),
    "float": ("0.5", "1", "3.25"),
    "date": ("2017-11-05", "1917-10-25", "2001-01-31"),
    "dateTime": ("2017-11-05T10:30:00", "2001-01-31T23:59:59Z"),
    "time": ("10:30:00", "23:59:59"),
    "gYear": ("1917", "2017", "2001"),
    "gYearMonth": ("1917-10", "2017-11"),
    "gMonth": ("--10", "--01"),
    "gMonthDay": ("--10-25", "--01-31"),
    "gDay": ("---25", "---01"),
    "duration": ("P1Y2M", "PT3H", "P5D"),
    "hexBinary": ("0fa3",),
    "base64Binary": ("aGVsbG8=",),
}

_INT_TYPES = {"integer", "long", "int", "short", "byte"} | {t for t in _SAMPLES if "Integer" in t or "unsigned" in t}
_NUMERIC = _INT_TYPES | {"decimal", "double", "float"}
_D = r"-?\d{4,}"
_TZ = r"(Z|[+-]\d\d:\d\d)?"
_LEXICAL = {
    "date": rf"{_D}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]){_TZ}",
    "dateTime": rf"{_D}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?{_TZ}",
    "time": rf"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?{_TZ}",
    "gYear": rf"{_D}{_TZ}",
    "gYearMonth": rf"{_D}-(0[1-9]|1[0-2]){_TZ}",
    "gMonth": rf"--(0[1-9]|1[0-2]){_TZ}",
    "gMonthDay": rf"--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]){_TZ}",
    "gDay": rf"---(0[1-9]|[12]\d|3[01]){_TZ}",
    "boolean": r"true|false|1|0",
    "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    "double": r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN",
    "float": r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN",
    "NCName": r"[^\W\d][\w.\-]*",
    "ID": r"[^\W\d][\w.\-]*",
    "IDREF": r"[^\W\d][\w.\-]*",
    "Name": r"[^\W\d:]?[\w.\-:]+",
    "NMTOKEN": r"[\w.\-:]+",
    "language": r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*",
    "duration": r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?",
}
_LEXICAL.update({t: r"[+-]?\d+" for t in _INT_TYPES})
_WS_COLLAPSED = set(_SAMPLES) - {"string", "normalizedString"}


class Unsatisfiable(ValueError):
    """No value was found for a data pattern (its facets exclude every candidate)."""


def normalise(type_: str, value: str) -> str:
    return " ".join(value.split()) if type_ in _WS_COLLAPSED else value


def _number(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _facets_ok(type_: str, params: tuple[tuple[str, str], ...], value: str) -> bool:
    for name, arg in params:
        if name == "pattern":
            if not xsdregex.matches(arg, value):
                return False
        elif name in ("length", "minLength", "maxLength"):
            size = len(value.split()) if type_ in ("NMTOKENS", "IDREFS", "ENTITIES") else len(value)
            limit = int(arg)
            if (name == "length" and size != limit) or (name == "minLength" and size < limit):
                return False
            if name == "maxLength" and size > limit:
                return False
        elif name.startswith(("min", "max")) and type_ in _NUMERIC:
            number, bound = _number(value), _number(arg)
            if number is None or bound is None:
                return False
            op = {"minInclusive": number >= bound, "maxInclusive": number <= bound}
            op.update({"minExclusive": number > bound, "maxExclusive": number < bound})
            if not op.get(name, True):
                return False
    return True


def accepts(type_: str, params: tuple[tuple[str, str], ...], value: str) -> bool:
    """True if ``value`` is in the type's lexical space and satisfies the facets."""
    value = normalise(type_, value)
    lexical = _LEXICAL.get(type_)
    if lexical is not None and re.fullmatch(lexical, value) is None:
        return False
    if type_ in ("positiveInteger",) and not int(value) > 0:
        return False
    if type_ == "nonNegativeInteger" and int(value) < 0:
        return False
    return _facets_ok(type_, params, value)


def _numeric_candidates(params: tuple[tuple[str, str], ...]) -> list[str]:
    out = []
    for name, arg in params:
        if name in ("minInclusive", "maxInclusive"):
            out.append(arg)
        elif name in ("minExclusive", "maxExclusive"):
            bound = _number(arg) or Decimal(0)
            out.append(str(bound + 1 if name == "minExclusive" else bound - 1))
    return out


def generate(type_: str, params: tuple[tuple[str, str], ...], rnd: random.Random) -> str:
    """A value of the type that satisfies the facets; ``Unsatisfiable`` if none is found."""
    samples = list(_SAMPLES.get(type_, ("value",)))
    rnd.shuffle(samples)
    samples += _numeric_candidates(params)
    for value in samples:
        if accepts(type_, params, value):
            return value
    for pattern in [arg for name, arg in params if name == "pattern"]:
        for _ in range(12):
            value = xsdregex.generate(pattern, rnd)
            if accepts(type_, params, value):
                return value
    raise Unsatisfiable(f"no value found for xsd:{type_} with {params}")
