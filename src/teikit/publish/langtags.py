"""``xml:lang`` values as BCP 47 tags for HTML and EPUB ``lang``.

TEI projects write ``xml:lang`` as BCP 47 tags (``en``, ``grc``,
``la-x-medieval``), as ISO 639-2/3 codes (``eng``, ``ger``, ``lat``) and
sometimes as language names (``greek``, ``French``).  Each value is
mapped with langcodes: a well-formed, registered tag in its shortest
form (``eng`` -> ``en``, ``deu-Latn`` -> ``de``), else a language name
looked up by name (``greek`` -> ``el``).  A value that is neither is
omitted from the output, with one warning per value, so no invalid
``lang`` attribute is ever written (the stylesheets leave out a value
mapped to ""; ``xml:lang=""``, no language, stays ``lang=""``).
"""

from __future__ import annotations

import json
from functools import cache

from lxml import etree

from ..problems import WARNING, Problem
from ..xmlio import TEI_NS, XML_NS, ParsedDoc

XML_LANG = f"{{{XML_NS}}}lang"
PARAM = "lang-map"  # the stylesheets' parameter: a JSON object, value -> tag ("" to omit)


@cache
def bcp47(value: str) -> str | None:
    """The BCP 47 tag for an ``xml:lang`` value, or None if it names no known language."""
    import langcodes

    value = value.strip()
    if not value:
        return ""
    try:
        tag = langcodes.standardize_tag(value)
    except (ValueError, LookupError):
        tag = None
    if tag is not None:
        return tag if langcodes.tag_is_valid(tag) else None
    try:
        return str(langcodes.find(value).to_tag())  # a language name, in English or in the language itself
    except (LookupError, ValueError):
        return None


def language_map(doc: ParsedDoc) -> tuple[dict[str, str], list[Problem]]:
    """Each distinct ``xml:lang`` value (and ``langUsage/language/@ident``)
    of the document -> its tag ("" when unknown), and a warning for each
    unknown value, at its first use."""
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    idents = doc.root.iter(f"{{{TEI_NS}}}language")
    carriers = [(el, XML_LANG) for el in doc.root.iter(tag=etree.Element) if el.get(XML_LANG) is not None]
    carriers += [(el, "ident") for el in idents if el.get("ident")]
    for el, attr in carriers:
        value = el.get(attr) or ""
        if value in mapping:
            continue
        tag = bcp47(value)
        mapping[value] = tag or ""
        if tag is None:
            line, col = doc.locate(el, attr)
            name = "xml:lang" if attr == XML_LANG else "@ident"
            message = f'{name}="{value}" is not a known language (BCP 47); no lang attribute is written for it'
            problems.append(Problem(doc.display, line, col, WARNING, "build", message, rule="lang"))
    return mapping, problems


def as_param(mapping: dict[str, str]) -> str:
    """The map as the stylesheets' ``lang-map`` parameter."""
    return json.dumps(mapping, ensure_ascii=False, sort_keys=True)
