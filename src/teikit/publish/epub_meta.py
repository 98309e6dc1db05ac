"""EPUB package metadata taken from a TEI header, never invented.

Mapping (``th`` = ``teiHeader``, ``fd`` = ``th/fileDesc``):

==========================  ==================================================
``dc:identifier``           ``fd/publicationStmt/idno`` (first non-empty; as
                            written if it is a URI, else ``urn:teikit:IDNO``),
                            else ``urn:teikit:`` + ``TEI/@xml:id``
``dc:title``                ``fd/titleStmt/title`` (``@type='main'``, else
                            ``@level='a'`` or ``'m'``, else the first title
                            that is not a series/journal/sub title)
``dc:language``             ``TEI/@xml:lang``, else ``TEI/text/@xml:lang``, else
                            ``th/profileDesc/langUsage/language/@ident``
                            (ISO 639-2 codes such as ``eng`` become ``en``)
``dc:creator`` (``aut``)    ``fd/titleStmt/author``
``dc:contributor`` (``trl``) ``titleStmt/editor[@role='translator']`` and
                            ``respStmt`` whose ``resp/@key`` is ``trl`` or (no
                            key) whose ``resp`` says translat-/Übersetz-
``dc:contributor`` (role)   other ``titleStmt/respStmt`` with a MARC relator
                            code in ``resp/@key`` (``edt``, ``mrk``, ...), and
                            ``titleStmt/editor`` (``edt``)
``dc:publisher``            ``fd/publicationStmt/publisher``
``dc:rights``               ``availability/licence``: its text and ``@target``,
                            then the other ``availability`` paragraphs
``dc:date`` (at most one)   ``fd/publicationStmt/date`` (``@when`` or text)
``belongs-to-collection``   ``fd/seriesStmt/title``, else
                            ``fd/titleStmt/title[@level='s']`` (as a series)
``dcterms:modified``        ``SOURCE_DATE_EPOCH``, else the latest
                            ``th/revisionDesc//change/@when``, else the
                            publication date
==========================  ==================================================

What the header lacks gets a fallback, each with a warning naming the
header field (``--meta NAME=VALUE`` gives a value instead, and wins over
the header): ``dc:identifier`` ``urn:uuid:`` from the SHA-256 of the
file's bytes (stable while the file is); ``dcterms:modified`` the newest
date anywhere in the header, else the time of the build; ``dc:language``
``und``; ``dc:title`` the first ``head`` of the text, else the file name.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from ..problems import ERROR, WARNING, Problem, TeikitError, UsageError
from ..reproducible import source_date_epoch
from ..xmlio import TEI_NS, XML_NS, ParsedDoc

NS = {"t": TEI_NS}
FD = "t:teiHeader/t:fileDesc"


class EpubError(TeikitError):
    """The header lacks something an EPUB requires; ``problem`` says what."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def missing(doc: ParsedDoc, field_path: str, needs: str, hint: str = "") -> EpubError:
    """The error for a header field the EPUB cannot do without."""
    header = doc.root.find(f"{{{TEI_NS}}}teiHeader")
    line, col = doc.locate(header if header is not None else doc.root)
    msg = f"{field_path} is missing: an EPUB needs {needs}" + (f" ({hint})" if hint else "")
    return EpubError(Problem(doc.display, line, col, ERROR, "build", msg, rule="epub-metadata"))


META_FIELDS = ("identifier", "title", "language", "date")  # what --meta may give


def fallback(doc: ParsedDoc, warnings: list[Problem] | None, lacking: str, needs: str, value: str, name: str) -> str:
    """``value``, the fallback for a header field the document lacks, with a warning saying so."""
    if warnings is not None:
        header = doc.root.find(f"{{{TEI_NS}}}teiHeader")
        line, col = doc.locate(header if header is not None else doc.root)
        msg = f"{lacking}: the EPUB's {needs} is {value} (give --meta {name}=... to set it)"
        warnings.append(Problem(doc.display, line, col, WARNING, "build", msg, rule="epub-metadata"))
    return value


def check_given(given: Mapping[str, str]) -> dict[str, str]:
    """``--meta`` values, checked: known names, a date in ISO form, a language tag."""
    from .langtags import bcp47

    unknown = sorted(set(given) - set(META_FIELDS))
    if unknown:
        raise UsageError(f"unknown --meta {', '.join(unknown)}; known: {', '.join(META_FIELDS)}")
    out = {k: v.strip() for k, v in given.items()}
    if "date" in out and not _timestamp(out["date"]):
        raise UsageError(f"--meta date={out['date']}: expected an ISO date (YYYY, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)")
    if "language" in out:
        tag = bcp47(out["language"])
        if not tag:
            raise UsageError(f"--meta language={out['language']}: not a known BCP 47 language tag")
        out["language"] = tag
    if "identifier" in out and not out["identifier"]:
        raise UsageError("--meta identifier= needs a value")
    return out


@dataclass
class Metadata:
    identifier: str
    title: str
    language: str
    modified: str
    creators: list[str] = field(default_factory=list)
    contributors: list[tuple[str, str]] = field(default_factory=list)  # (name, MARC relator)
    publisher: str | None = None
    rights: str | None = None
    date: str | None = None
    series: str | None = None


def _els(node: etree._Element, path: str) -> list[etree._Element]:
    """The elements an XPath selects from ``node``."""
    found = node.xpath(path, namespaces=NS)
    return [n for n in found if isinstance(n, etree._Element)] if isinstance(found, list) else []


def _vals(node: etree._Element, path: str) -> list[str]:
    """The string values (attributes, text nodes) an XPath selects from ``node``."""
    found = node.xpath(path, namespaces=NS)
    return [str(v) for v in found] if isinstance(found, list) else []


def text(node: etree._Element | str | None) -> str:
    """Normalised string value of an element (or attribute value)."""
    if node is None:
        return ""
    value = node if isinstance(node, str) else "".join(str(t) for t in node.itertext())
    return " ".join(value.split())


def _first(doc: ParsedDoc, *paths: str) -> str:
    for p in paths:
        for node in doc.root.xpath(p, namespaces=NS):  # type: ignore[union-attr]
            value = text(node if isinstance(node, etree._Element) else str(node))
            if value:
                return value
    return ""


# ISO 639-2 (bibliographic and terminological) codes whose ISO 639-1 form
# BCP 47 prefers.  Others pass through unchanged.
_ISO639_2 = {
    "eng": "en",
    "ger": "de",
    "deu": "de",
    "fre": "fr",
    "fra": "fr",
    "ita": "it",
    "spa": "es",
    "por": "pt",
    "dut": "nl",
    "nld": "nl",
    "lat": "la",
    "gre": "el",
    "ell": "el",
    "rus": "ru",
    "pol": "pl",
    "cze": "cs",
    "ces": "cs",
    "slo": "sk",
    "slk": "sk",
    "slv": "sl",
    "hun": "hu",
    "rum": "ro",
    "ron": "ro",
    "swe": "sv",
    "nor": "no",
    "dan": "da",
    "fin": "fi",
    "srp": "sr",
    "hrv": "hr",
    "ukr": "uk",
    "heb": "he",
    "ara": "ar",
    "tur": "tr",
    "gle": "ga",
    "wel": "cy",
    "cym": "cy",
    "lit": "lt",
    "lav": "lv",
    "est": "et",
    "bul": "bg",
    "yid": "yi",
}
_BCP47 = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def bcp47(tag: str) -> str:
    """``eng`` -> ``en``, ``eng-GB`` -> ``en-GB``; other well-formed tags unchanged."""
    head, _, rest = tag.strip().partition("-")
    head = _ISO639_2.get(head.lower(), head)
    return f"{head}-{rest}" if rest else head


def language(doc: ParsedDoc, fallback_tag: str | None = None, warnings: list[Problem] | None = None) -> str:
    from .langtags import bcp47 as normalise

    candidates = [doc.root.get(f"{{{XML_NS}}}lang") or ""]
    candidates += _vals(doc.root, "t:text/@xml:lang")
    candidates += _vals(doc.root, "t:teiHeader/t:profileDesc/t:langUsage/t:language/@ident")
    for c in candidates:
        tag = normalise(c) if c.strip() else None
        if tag:
            return tag
    if fallback_tag:
        return normalise(fallback_tag) or bcp47(fallback_tag)
    lacking = "no known language in TEI/@xml:lang, text/@xml:lang or teiHeader/profileDesc/langUsage/language/@ident"
    return fallback(doc, warnings, lacking, "dc:language", "und", "language")


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")


def identifier(doc: ParsedDoc, warnings: list[Problem] | None = None) -> str:
    idno = _first(doc, f"{FD}/t:publicationStmt/t:idno")
    if idno:
        return idno if _URI.match(idno) else "urn:teikit:" + "-".join(idno.split())
    xml_id = (doc.root.get(f"{{{XML_NS}}}id") or "").strip()
    if xml_id:
        return f"urn:teikit:{xml_id}"
    digest = hashlib.sha256(doc.source).hexdigest()
    value = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"teikit:sha256:{digest}"))
    lacking = "no teiHeader/fileDesc/publicationStmt/idno or TEI/@xml:id"
    return fallback(doc, warnings, lacking, "dc:identifier (from the SHA-256 of the file)", value, "identifier")


def title(doc: ParsedDoc, warnings: list[Problem] | None = None, *, required: bool = False) -> str:
    ts = f"{FD}/t:titleStmt/t:title"
    value = _first(
        doc,
        f"{ts}[@type='main']",
        f"{ts}[@level='a']",
        f"{ts}[@level='m']",
        f"{ts}[not(@type) and not(@level)]",
        f"{ts}[not(@level='s' or @level='j' or @type='sub' or @type='iso-date')]",
        ts,
    )
    if value:
        return value
    if required:
        raise missing(doc, "teiHeader/fileDesc/titleStmt/title", "dc:title")
    head = _first(doc, "t:text//t:head", "t:sourceDoc//t:head") or doc.path.stem
    return fallback(doc, warnings, "no teiHeader/fileDesc/titleStmt/title", "dc:title", head, "title")


_TRANSLATOR = re.compile(r"transl|übersetz|uebersetz|traduc|tradu|перев", re.I)


def _names(nodes: list[etree._Element]) -> list[str]:
    out: list[str] = []
    for n in nodes:
        parts = _els(n, "t:persName|t:name|t:orgName")
        for v in (text(p) for p in (parts or [n])):
            if v and v not in out:
                out.append(v)
    return out


def people(doc: ParsedDoc) -> tuple[list[str], list[tuple[str, str]]]:
    """Authors, and contributors with their MARC relator role.

    Translators: ``editor[@role='translator']``, or a ``respStmt`` whose
    ``resp/@key`` is ``trl`` or (with no relator key) whose ``resp`` says
    translat-/Übersetz-.
    Other ``respStmt``s count when ``resp/@key`` is a MARC relator code
    (``edt``, ``mrk``, ...); ``editor`` elements are ``edt``.
    """
    ts = f"{FD}/t:titleStmt"
    creators = _names(_els(doc.root, f"{ts}/t:author"))
    contributors: list[tuple[str, str]] = []

    def add(names: list[str], role: str) -> None:
        for name in names:
            if (name, role) not in contributors and name not in creators:
                contributors.append((name, role))

    add(_names(_els(doc.root, f"{ts}/t:editor[@role='translator' or @role='trl']")), "trl")
    for resp in _els(doc.root, f"{ts}/t:respStmt"):
        keys = [(r.get("key") or "").strip().lower() for r in _els(resp, "t:resp")]
        label = " ".join(text(r) for r in _els(resp, "t:resp"))
        coded = [k for k in keys if re.fullmatch(r"[a-z]{3}", k)]
        role = ("trl" if "trl" in coded else coded[0]) if coded else ("trl" if _TRANSLATOR.search(label) else None)
        if role:
            add(_names([resp]), role)
    add(_names(_els(doc.root, f"{ts}/t:editor[not(@role='translator' or @role='trl')]")), "edt")
    contributors.sort(key=lambda c: c[1] != "trl")  # translators first
    return creators, contributors


def rights(doc: ParsedDoc) -> str | None:
    """The licence (its text and ``@target``), then what else ``availability`` says.

    Every ``availability`` counts (the first ``licence`` of each), so a
    statement that the licence does not cover the text is not lost.
    """
    parts: list[str] = []
    for av in _els(doc.root, f"{FD}/t:publicationStmt/t:availability"):
        for lic in _els(av, "t:licence"):
            words, target = text(lic), (lic.get("target") or "").strip()
            parts.append(f"{words} ({target})" if words and target else words or target)
        parts += [text(p) for p in _els(av, "*[not(self::t:licence)]")]
        if not _els(av, "*"):
            parts.append(text(av))
    parts = list(dict.fromkeys(p for p in parts if p))
    return " ".join(parts) or None


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def pub_date(doc: ParsedDoc) -> str | None:
    for node in _els(doc.root, f"{FD}/t:publicationStmt/t:date"):
        for value in (node.get("when") or "", text(node)):
            if _DATE.match(value.strip()):
                return value.strip()
    return None


_WHEN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?)?)?")


def _timestamp(value: str) -> str | None:
    m = _WHEN.match(value.strip())
    if not m:
        return None
    y, mo, d, h, mi, s = (g or dflt for g, dflt in zip(m.groups(), ("", "01", "01", "00", "00", "00"), strict=True))
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31 and int(h) < 24 and int(mi) < 60 and int(s) < 60):
        return None  # headers do hold dates such as 2009-14-01: never copied into the package
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


def modified(doc: ParsedDoc, warnings: list[Problem] | None = None, given: str | None = None) -> str:
    if given:  # --meta date wins, as what the user said
        return _timestamp(given) or given
    epoch = source_date_epoch()
    if epoch is not None:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    stamps = [t for t in (_timestamp(w) for w in _vals(doc.root, "t:teiHeader/t:revisionDesc//t:change/@when")) if t]
    if stamps:
        return max(stamps)
    date = pub_date(doc)
    stamp = _timestamp(date) if date else None
    if stamp:
        return stamp
    dates = _vals(
        doc.root,
        "t:teiHeader//@when | t:teiHeader//@notAfter | t:teiHeader//@to | t:teiHeader//@notBefore"
        " | t:teiHeader//@from | t:teiHeader//t:date[not(@*)]/text()",
    )
    found = [t for t in (_timestamp(d) for d in dates) if t]
    lacking = "no teiHeader/revisionDesc/change/@when or publicationStmt/date"
    if found:
        return fallback(doc, warnings, lacking, "dcterms:modified (the newest date in the header)", max(found), "date")
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    needs = "dcterms:modified (the time of the build, as the header has no date; or set SOURCE_DATE_EPOCH)"
    return fallback(doc, warnings, lacking, needs, now, "date")


def read(
    doc: ParsedDoc,
    *,
    fallback_language: str | None = None,
    given: Mapping[str, str] | None = None,
    warnings: list[Problem] | None = None,
) -> Metadata:
    """All package metadata of one document: ``given`` (``--meta``) first,
    then the header, then the documented fallbacks (each adds a warning)."""
    given = given or {}
    creators, contributors = people(doc)
    return Metadata(
        identifier=given.get("identifier") or identifier(doc, warnings),
        title=given.get("title") or title(doc, warnings),
        language=given.get("language") or language(doc, fallback_language, warnings),
        modified=modified(doc, warnings, given.get("date")),
        creators=creators,
        contributors=contributors,
        publisher=_first(doc, f"{FD}/t:publicationStmt/t:publisher") or None,
        rights=rights(doc),
        date=given.get("date") or pub_date(doc),
        series=_first(doc, f"{FD}/t:seriesStmt/t:title", f"{FD}/t:titleStmt/t:title[@level='s']") or None,
    )
