"""The readiness check: is every file fit for an archive?

Cheapest rules first, as bagit-python validates: names and sizes (no
reading), then bytes (encoding, DOCTYPE, external entities), then the
parse and the header rules of the profile, then validation (RelaxNG,
Schematron, references, and the profile's extra schema).  Every problem
is collected; nothing stops at the first one.  Each problem has engine
``deposit`` and ``rule`` = the readiness rule's name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import elementpath
from lxml import etree

from .. import corpus, xmlio
from ..problems import ERROR, Problem
from .metadata import compiled
from .profiles import Profile

if TYPE_CHECKING:
    from ..validation import Validator

_DOCTYPE = re.compile(rb"<!DOCTYPE\b")
_EXT_ENTITY = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s>]+)\s+(SYSTEM|PUBLIC)\b")
_DECL_ENC = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']+)[\"']")


def _p(file: str, line: int | None, col: int | None, rule: str, message: str, severity: str = ERROR) -> Problem:
    return Problem(file, line, col, severity, "deposit", message, rule=rule)


def _pos(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


# -- cheap: names and sizes (stat only) --------------------------------------
def file_rules(path: Path, rel: Path, display: str, profile: Profile) -> list[Problem]:
    out = []
    bad = [part for part in rel.parts if not profile.name_pattern.match(part)]
    if bad:
        out.append(
            _p(
                display,
                None,
                None,
                "file-name",
                f"file name is not ASCII-safe: {'/'.join(bad)!r} (allowed: {profile.name_hint})",
            )
        )
    if profile.max_bytes:
        size = path.stat().st_size
        if size > profile.max_bytes:
            out.append(
                _p(
                    display,
                    None,
                    None,
                    "file-size",
                    f"file is {size} bytes; the {profile.name} profile allows at most {profile.max_bytes} bytes per file",
                )
            )
    return out


# -- bytes: encoding, DOCTYPE, external entities ------------------------------
def byte_rules(data: bytes, display: str, profile: Profile) -> list[Problem]:
    out = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [_p(display, 1, 1, "encoding", "file is UTF-16 (byte-order mark); archives expect UTF-8")]
    if data.startswith(b"\xef\xbb\xbf") and not profile.allow_bom:
        out.append(
            _p(
                display,
                1,
                1,
                "encoding",
                f"file starts with a UTF-8 byte-order mark; the {profile.name} profile asks for UTF-8 without BOM",
            )
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _pos(data, exc.start)
        out.append(
            _p(display, line, col, "encoding", f"file is not UTF-8: byte 0x{data[exc.start]:02X} is not valid UTF-8")
        )
    m = _DECL_ENC.match(data.removeprefix(b"\xef\xbb\xbf"))
    if m and m.group(1).decode("ascii", "replace").lower() not in ("utf-8", "utf8"):
        out.append(
            _p(
                display,
                1,
                1,
                "encoding",
                f'the XML declaration says encoding="{m.group(1).decode("ascii", "replace")}"; archives expect UTF-8',
            )
        )
    m = _DOCTYPE.search(data)
    if m:
        line, col = _pos(data, m.start())
        out.append(
            _p(
                display,
                line,
                col,
                "doctype",
                "DOCTYPE declaration: an archived file must not depend on a DTD; remove it",
            )
        )
    for m in _EXT_ENTITY.finditer(data):
        line, col = _pos(data, m.start())
        name = m.group(1).decode("utf-8", "replace")
        out.append(
            _p(
                display,
                line,
                col,
                "external-entity",
                f"external entity {name!r} is declared ({m.group(2).decode()}): an archived file must be self-contained",
            )
        )
    return out


# -- header rules from the profile --------------------------------------------
def _holds(expr: str, root: etree._Element) -> bool:
    try:
        result = compiled(expr).get_results(elementpath.XPathContext(root, item=root))
    except elementpath.ElementPathError:
        return False
    if not isinstance(result, list):
        result = [result]
    return any(v is not False and v is not None and v != "" for v in result)


def _steps(path: str) -> list[str]:
    steps, depth, cur = [], 0, ""
    for ch in path:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "/" and depth == 0:
            steps.append(cur)
            cur = ""
        else:
            cur += ch
    return [*steps, cur]


def _anchor(doc: xmlio.ParsedDoc, where: str) -> etree._Element | None:
    steps = _steps(where)
    while steps:
        try:
            found = compiled("/".join(steps)).get_results(elementpath.XPathContext(doc.root, item=doc.root))
        except elementpath.ElementPathError:
            found = []
        found = found if isinstance(found, list) else [found]
        for node in found:
            if isinstance(node, etree._Element):
                return node
        steps.pop()
    return doc.root


_TEI_ROOTS = (f"{{{xmlio.TEI_NS}}}TEI", f"{{{xmlio.TEI_NS}}}teiCorpus")


def header_rules(doc: xmlio.ParsedDoc, profile: Profile) -> list[Problem]:
    if doc.root.tag not in _TEI_ROOTS:  # nothing to look for the header in
        line, col = doc.locate(doc.root)
        return [
            _p(
                doc.display,
                line,
                col,
                "tei",
                f"the root element is <{etree.QName(doc.root).localname}> in namespace "
                f'"{etree.QName(doc.root).namespace or ""}", not TEI or teiCorpus in {xmlio.TEI_NS}; '
                f"the header rules were not checked",
            )
        ]
    out = []
    for rule in profile.rules:
        compiled(rule.test)  # a bad expression is a usage error, raised in the main process
        if not _holds(rule.test, doc.root):
            line, col = doc.locate(_anchor(doc, rule.where))
            out.append(_p(doc.display, line, col, rule.name, rule.message, rule.severity))
    return out


# -- validation ------------------------------------------------------------------
def validity(doc: xmlio.ParsedDoc, validator: Validator, rule: str, label: str = "") -> list[Problem]:
    out = []
    for p in validator.check(doc):
        out.append(
            Problem(
                doc.display,
                p.line,
                p.column,
                p.severity,
                "deposit",
                f"{label}{p.message} ({p.tag})",
                rule=rule,
                path=p.path,
            )
        )
    return out


def check_document(
    path: Path, display: str, profile: Profile, validator: Validator | None, extra: Validator | None
) -> list[Problem]:
    """Byte rules, parse, header rules, validation: one document."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [_p(display, None, None, "readable", f"cannot read file: {exc.strerror or exc}")]
    out = byte_rules(data, display, profile)
    try:
        doc = xmlio.parse_bytes(data, path, display)
    except xmlio.XMLError as exc:
        p = exc.problem
        return [*out, _p(display, p.line, p.column, "well-formed", p.message)]
    out += header_rules(doc, profile)
    if validator is not None:
        out += validity(doc, validator, "valid")
    if extra is not None:
        out += validity(doc, extra, f"valid-{profile.schema_name or 'schema'}", f"{profile.schema_name or 'schema'}: ")
    return out


def _order(p: Problem) -> tuple[int, int]:
    return (p.line or 0, p.column or 0)


def check(
    files: list[Path],
    rels: list[Path],
    profile: Profile,
    validator: Validator | None,
    extra: Validator | None,
    jobs: int = 1,
) -> list[Problem]:
    """Every readiness problem of every file, grouped by file, in line order."""
    for rule in profile.rules:  # compile (and reject bad XPath) before forking
        compiled(rule.test)
        compiled(rule.where)
    displays = [corpus.display_name(f) for f in files]
    cheap = [file_rules(f, r, d, profile) for f, r, d in zip(files, rels, displays, strict=True)]

    def work(item: tuple[Path, str]) -> list[Problem]:
        path, display = item
        return check_document(path, display, profile, validator, extra)

    rest = list(corpus.run_jobs(work, list(zip(files, displays, strict=True)), jobs=jobs, label="Checking"))
    problems: list[Problem] = []
    for a, b in zip(cheap, rest, strict=True):
        problems += a + sorted(b, key=_order)
    return problems
