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

A missing title, language or identifier source raises
:class:`EpubError` naming the header field.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from ..problems import ERROR, Problem, TeikitError
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


def text(node) -> str:
    """Normalised string value of an element (or attribute value)."""
    if node is None:
        return ""
    value = node if isinstance(node, str) else "".join(node.itertext())
    return " ".join(value.split())


def _first(doc: ParsedDoc, *paths: str) -> str:
    for p in paths:
        for node in doc.root.xpath(p, namespaces=NS):
            value = text(node)
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


def language(doc: ParsedDoc, fallback: str | None = None) -> str:
    candidates = [doc.root.get(f"{{{XML_NS}}}lang") or ""]
    candidates += doc.root.xpath("t:text/@xml:lang", namespaces=NS)
    candidates += doc.root.xpath("t:teiHeader/t:profileDesc/t:langUsage/t:language/@ident", namespaces=NS)
    for c in candidates:
        c = c.strip()
        if c and _BCP47.match(c):
            return bcp47(c)
    if fallback:
        return bcp47(fallback)
    raise missing(
        doc,
        "TEI/@xml:lang or teiHeader/profileDesc/langUsage/language/@ident",
        "dc:language",
        "or give --param epub-language=TAG",
    )


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")


def identifier(doc: ParsedDoc) -> str:
    idno = _first(doc, f"{FD}/t:publicationStmt/t:idno")
    if idno:
        return idno if _URI.match(idno) else "urn:teikit:" + "-".join(idno.split())
    xml_id = (doc.root.get(f"{{{XML_NS}}}id") or "").strip()
    if xml_id:
        return f"urn:teikit:{xml_id}"
    raise missing(doc, "teiHeader/fileDesc/publicationStmt/idno or TEI/@xml:id", "a stable dc:identifier")


def title(doc: ParsedDoc) -> str:
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
    if not value:
        raise missing(doc, "teiHeader/fileDesc/titleStmt/title", "dc:title")
    return value


_TRANSLATOR = re.compile(r"transl|übersetz|uebersetz|traduc|tradu|перев", re.I)


def _names(nodes) -> list[str]:
    out = []
    for n in nodes:
        parts = n.xpath("t:persName|t:name|t:orgName", namespaces=NS)
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
    creators = _names(doc.root.xpath(f"{ts}/t:author", namespaces=NS))
    contributors: list[tuple[str, str]] = []

    def add(names, role):
        for name in names:
            if (name, role) not in contributors and name not in creators:
                contributors.append((name, role))

    add(_names(doc.root.xpath(f"{ts}/t:editor[@role='translator' or @role='trl']", namespaces=NS)), "trl")
    for resp in doc.root.xpath(f"{ts}/t:respStmt", namespaces=NS):
        keys = [(r.get("key") or "").strip().lower() for r in resp.xpath("t:resp", namespaces=NS)]
        label = " ".join(text(r) for r in resp.xpath("t:resp", namespaces=NS))
        coded = [k for k in keys if re.fullmatch(r"[a-z]{3}", k)]
        role = ("trl" if "trl" in coded else coded[0]) if coded else ("trl" if _TRANSLATOR.search(label) else None)
        if role:
            add(_names([resp]), role)
    add(_names(doc.root.xpath(f"{ts}/t:editor[not(@role='translator' or @role='trl')]", namespaces=NS)), "edt")
    contributors.sort(key=lambda c: c[1] != "trl")  # translators first
    return creators, contributors


def rights(doc: ParsedDoc) -> str | None:
    """The licence (its text and ``@target``), then what else ``availability`` says.

    Every ``availability`` counts (the first ``licence`` of each), so a
    statement that the licence does not cover the text is not lost.
    """
    parts: list[str] = []
    for av in doc.root.xpath(f"{FD}/t:publicationStmt/t:availability", namespaces=NS):
        for lic in av.xpath("t:licence", namespaces=NS):
            words, target = text(lic), (lic.get("target") or "").strip()
            parts.append(f"{words} ({target})" if words and target else words or target)
        parts += [text(p) for p in av.xpath("*[not(self::t:licence)]", namespaces=NS)]
        if not av.xpath("*", namespaces=NS):
            parts.append(text(av))
    parts = list(dict.fromkeys(p for p in parts if p))
    return " ".join(parts) or None


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def pub_date(doc: ParsedDoc) -> str | None:
    for node in doc.root.xpath(f"{FD}/t:publicationStmt/t:date", namespaces=NS):
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
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


def modified(doc: ParsedDoc) -> str:
    epoch = source_date_epoch()
    if epoch is not None:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    stamps = [_timestamp(w) for w in doc.root.xpath("t:teiHeader/t:revisionDesc//t:change/@when", namespaces=NS)]
    stamps = [s for s in stamps if s]
    if stamps:
        return max(stamps)
    date = pub_date(doc)
    if date:
        return _timestamp(date)
    raise missing(doc, "teiHeader/revisionDesc/change/@when", "dcterms:modified", "or set SOURCE_DATE_EPOCH")


def read(doc: ParsedDoc, *, fallback_language: str | None = None) -> Metadata:
    """All package metadata of one document; raises :class:`EpubError`."""
    creators, contributors = people(doc)
    return Metadata(
        identifier=identifier(doc),
        title=title(doc),
        language=language(doc, fallback_language),
        modified=modified(doc),
        creators=creators,
        contributors=contributors,
        publisher=_first(doc, f"{FD}/t:publicationStmt/t:publisher") or None,
        rights=rights(doc),
        date=pub_date(doc),
        series=_first(doc, f"{FD}/t:seriesStmt/t:title", f"{FD}/t:titleStmt/t:title[@level='s']") or None,
    )
