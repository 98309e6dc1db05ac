"""The Schematron model: what :mod:`.extract` reads and :mod:`.compile` compiles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

ISO = "http://purl.oclc.org/dsdl/schematron"
OLD = "http://www.ascc.net/xml/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"

XPATH1 = {"xslt", "xslt1", "xpath", "xpath1"}
XPATH3 = {"xslt2", "xslt3", "xpath2", "xpath3", "xpath31", "xslt3.0", "xslt2.0"}
#: ``role`` values that make a failure a warning (compared case-insensitively).
WARNING_ROLES = {"warning", "warn", "info", "information", "nonfatal"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_IGNORED = {"title", "p"}
#: XSLT declarations a schema may hold at its top (ISO Schematron 2020, the XSLT bindings).
XSLT_DECLARATIONS = ("function", "key", "accumulator", "include", "import")


@dataclass
class Let:
    name: str
    value: str | None  # None: the element content is the value
    as_: str | None
    where: str | Where
    content: etree._Element | None = None  # the let element, when its content is the value


@dataclass
class Check:
    kind: str  # "assert" or "report"
    test: str
    content: etree._Element  # the assert/report element: its message
    severity: str  # "error" or "warning"
    id: str | None
    diagnostics: list[str]
    properties: list[str]
    subject: str | None
    where: str | Where
    index: int = -1  # set by the compiler
    role: str | None = None  # as written (an attribute value template)
    flag: str | None = None  # as written (an attribute value template)
    lang: str | None = None  # the xml:lang in scope
    see: str | None = None
    icon: str | None = None
    fpi: str | None = None
    params: dict[str, str] = field(default_factory=dict)  # abstract-pattern parameters, for diagnostics and properties


@dataclass
class Rule:
    context: str
    id: str | None
    lets: list[Let]
    checks: list[Check]
    subject: str | None
    where: str | Where
    label: str = ""  # rule id, or pattern label + "/" + position
    role: str | None = None
    flag: str | None = None
    visit_each: str | None = None
    properties: list[str] = field(default_factory=list)  # the rule's own, shared by its asserts and reports


@dataclass
class Pattern:
    id: str | None
    label: str
    lets: list[Let]
    rules: list[Rule]
    where: str | Where
    group: bool = False  # sch:group: every matching rule fires
    documents: str | None = None  # subordinate documents: an expression giving their URIs
    role: str | None = None
    title: str | None = None  # sch:title, the SVRL's active-pattern/@name


@dataclass
class Schema:
    path: Path
    query_binding: str
    xpath1: bool
    namespaces: dict[str, str] = field(default_factory=dict)
    lets: list[Let] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    diagnostics: dict[str, etree._Element] = field(default_factory=dict)
    properties: dict[str, etree._Element] = field(default_factory=dict)
    xslt: list[tuple[str, str | Where]] = field(default_factory=list)  # (xsl:function/key text, where)
    files: list[Path] = field(default_factory=list)
    embedded: bool = False
    globals: list[Let] = field(default_factory=list)  # schema, phase and pattern lets: all global (ISO 2020)
    phase: str = "#ALL"  # the phase in force
    start: str | None = None  # phase/@from: where validation starts
    title: str | None = None
    version: str | None = None  # sch:schema/@schemaVersion
    reader: Any = None  # keeps the reader's copies (and their locations) alive for the compiler

    @property
    def rules(self) -> list[Rule]:
        return [r for p in self.patterns for r in p.rules]


_ISO_OPEN = "{" + ISO + "}"
_OLD_OPEN = "{" + OLD + "}"


def local(el: etree._Element) -> str | None:
    """The local name of a Schematron element, else None."""
    tag = el.tag
    if not isinstance(tag, str):
        return None
    if tag.startswith(_ISO_OPEN):
        return tag[len(_ISO_OPEN) :]
    if tag.startswith(_OLD_OPEN):
        return tag[len(_OLD_OPEN) :]
    return None


class Where:
    """A location, ``file:line:column``, worked out when first shown: the
    column needs an index of the whole file (tei_all.rng is 1 MB), and
    locations are shown only in errors."""

    __slots__ = ("_find", "_text")

    def __init__(self, find: Callable[[], str]) -> None:
        self._find: Callable[[], str] | None = find
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None and self._find is not None:
            self._text, self._find = self._find(), None
        return self._text or ""

    def __repr__(self) -> str:
        return f"Where({str(self)!r})"
