"""EPUB 3 output: one EPUB per document, one for the whole edition.

The content documents are XHTML from ``xslt/epub/epub.xsl`` (which
imports the HTML stylesheets and overrides the XHTML serialisation, the
note references and the notes).  This module adds the package: the
metadata from the TEI header (``epub_meta``), the navigation document,
the register as back matter, and the reproducible zip
(``epub_package``).

Layout of every EPUB (all content flat in ``OEBPS/``)::

    mimetype                      stored, first
    META-INF/container.xml
    OEBPS/content.opf             package: metadata, manifest, spine
    OEBPS/nav.xhtml               table of contents and landmarks
    OEBPS/style.css               xslt/epub/epub.css
    OEBPS/NAME.xhtml ...          one per TEI document (body matter)
    OEBPS/register.xhtml          the register (back matter), when given

A document's metadata comes from its header (see ``epub_meta``).  The
edition's: ``dc:identifier`` ``urn:uuid:`` (uuid5 of the documents'
identifiers), ``dc:title`` the ``edition-title`` parameter, else the
series title every header shares, else the documents' titles joined by
"; "; creators, contributors, languages and licences of all documents;
``dcterms:modified`` the latest of theirs; ``dc:date`` the latest
publication date.  One document's register keeps only the entries its
names point to; the edition's keeps every entry.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from .. import xmlio
from ..problems import ERROR, Problem
from . import epub_meta, langtags
from .epub_meta import EpubError, Metadata
from .epub_package import Part, package
from .formats import FORMATS
from .xslt import compile_xslt, node, transform

__all__ = ["EpubBuilder", "EpubError", "edition_title"]

REGISTER = "register"
XHTML = "http://www.w3.org/1999/xhtml"


def stylesheet() -> Path:
    return FORMATS["epub"].stylesheet_path


def _slug(stem: str) -> str:
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-") or "text"
    return s if s[0].isalpha() else f"t{s}"


def _names(docs: list[xmlio.ParsedDoc]) -> list[str]:
    """A unique content file name per document (never the register's or nav's)."""
    taken, out = {REGISTER, "nav", "style", "content"}, []
    for doc in docs:
        base = _slug(Path(doc.path).stem if doc.path else "text")
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        out.append(name)
    return out


class EpubBuilder:
    """Compiles the EPUB stylesheet once per process, on first use."""

    def __init__(self, params: dict[str, str] | None = None):
        self.params = dict(params or {})
        self.fallback_language = self.params.get("epub-language") or None
        css = stylesheet().with_name("epub.css")
        self.css = css.read_bytes() if css.is_file() else None
        self._nodes: dict[int, tuple[Any, Any]] = {}

    @property
    def executable(self) -> Any:
        """The compiled stylesheet, compiled on first use in each process:
        Saxon must not be started before worker processes fork."""
        return compile_xslt(stylesheet())

    # ------------------------------------------------------------ rendering
    def _node(self, register: Any) -> Any:
        """The register as a Saxon node, made once per register (it may be megabytes)."""
        if register is None:
            return None
        cached = self._nodes.get(id(register))
        if cached is None or cached[0] is not register:
            cached = self._nodes[id(register)] = (register, node(register))
        return cached[1]

    def _render(
        self,
        doc: Any,
        part: str,
        register: xmlio.ParsedDoc | None = None,
        mentions: etree._Element | None = None,
        extra: dict[str, str] | None = None,
    ) -> str:
        params = dict(self.params)
        params.update(extra or {})
        # pop-up footnotes need every note in one place: the HTML footnote style is not for EPUB
        params.update(
            {
                "register-href": f"{REGISTER}.xhtml" if register is not None else "",
                "epub-part": part,
                "notes": "endnotes",
            }
        )
        nodes: dict[str, Any] = {"register": self._node(register)}
        if mentions is not None:
            nodes["epub-mentions"] = mentions
        return transform(self.executable, doc, params, nodes=nodes)

    def _register_part(self, register: xmlio.ParsedDoc, parts: list[Part], entries: str) -> Part | None:
        """The register as back matter, linking back to the mentions in this EPUB.

        ``entries`` is ``all`` (the edition) or ``mentioned`` (one document:
        only the entries its names point to; no back matter when there are none).
        """
        mentions = etree.Element("mentions")
        for part in parts:
            assert part.tree is not None  # parsed by _parts
            for a in part.tree.iter("a", f"{{{XHTML}}}a"):
                href, mid = a.get("href") or "", a.get("id")
                if mid and href.startswith(f"{REGISTER}.xhtml#"):
                    etree.SubElement(
                        mentions, "m", entry=href.split("#", 1)[1], href=f"{part.name}#{mid}", label=part.label
                    )
        if entries == "mentioned" and not len(mentions):
            return None
        extra = {"epub-entries": entries, **_lang_param(register)}
        xhtml = self._render(self._node(register), REGISTER, register=register, mentions=mentions, extra=extra)
        label = _register_label(xhtml)
        return Part(f"{REGISTER}.xhtml", xhtml, label, role="backmatter")

    def _parts(
        self, docs: list[xmlio.ParsedDoc], metas: list[Metadata], register: xmlio.ParsedDoc | None
    ) -> list[Part]:
        parts = []
        for doc, meta, name in zip(docs, metas, _names(docs), strict=True):
            xhtml = self._render(doc, "text", register=register, extra=_lang_param(doc))
            part = Part(f"{name}.xhtml", xhtml, meta.title)
            part.tree = xmlio.parse_bytes(xhtml.encode("utf-8"), Path(part.name), part.name).tree
            parts.append(part)
        return parts

    # ------------------------------------------------------------ public API
    def document(
        self,
        doc: xmlio.ParsedDoc,
        target: Path,
        *,
        register: xmlio.ParsedDoc | None = None,
        given: dict[str, str] | None = None,
    ) -> list[Problem]:
        """One EPUB for one document, written atomically.  ``given`` are
        ``--meta`` values; returns the warnings for header fields that
        took a fallback."""
        warnings: list[Problem] = []
        meta = epub_meta.read(doc, fallback_language=self.fallback_language, given=given, warnings=warnings)
        parts = self._parts([doc], [meta], register)
        if register is not None:
            back = self._register_part(register, parts, "mentioned")
            parts += [back] if back is not None else []
        package(Path(target), parts, meta, [meta.language], self.css)
        return warnings

    def edition(
        self,
        docs: list[xmlio.ParsedDoc],
        target: Path,
        *,
        register: xmlio.ParsedDoc | None = None,
        given: dict[str, str] | None = None,
    ) -> None:
        """One EPUB for the whole edition, written atomically."""
        if not docs:
            raise EpubError(
                Problem(
                    "(edition)",
                    None,
                    None,
                    ERROR,
                    "build",
                    "no documents: an EPUB of the edition needs at least one",
                )
            )
        given = given or {}
        per_doc = {k: v for k, v in given.items() if k != "identifier"}  # the edition's, not each document's
        metas = [epub_meta.read(d, fallback_language=self.fallback_language, given=per_doc) for d in docs]
        meta = self.edition_metadata(docs, metas, register)
        if given.get("identifier"):
            meta.identifier = given["identifier"]
        languages = list(dict.fromkeys(m.language for m in metas))
        parts = self._parts(docs, metas, register)
        back = self._register_part(register, parts, "all") if register is not None else None
        if back is not None:  # with entries "all" there always is one
            parts.append(back)
        package(Path(target), parts, meta, languages, self.css)

    def edition_metadata(
        self, docs: list[xmlio.ParsedDoc], metas: list[Metadata], register: xmlio.ParsedDoc | None = None
    ) -> Metadata:
        """The edition's metadata: what its documents' headers share."""
        ids = [m.identifier for m in metas]
        title = edition_title(docs, self.params, [m.title for m in metas])
        rights = list(dict.fromkeys(m.rights for m in metas if m.rights))
        publishers = list(dict.fromkeys(m.publisher for m in metas if m.publisher))
        dates = sorted(m.date for m in metas if m.date)
        series = _common_title(docs)
        return Metadata(
            identifier="urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "teikit-edition:" + "\n".join(sorted(ids)))),
            title=title,
            language=metas[0].language,
            modified=max(m.modified for m in metas),
            creators=list(dict.fromkeys(c for m in metas for c in m.creators)),
            contributors=list(dict.fromkeys(c for m in metas for c in m.contributors)),
            publisher="; ".join(publishers) or None,
            rights="; ".join(rights) or None,
            date=dates[-1] if dates else None,
            series=(series or None) if series != title else None,
        )


def edition_title(
    docs: list[xmlio.ParsedDoc],
    params: dict[str, str] | None = None,
    titles: list[str] | None = None,
    series: Iterable[list[str]] | None = None,
) -> str:
    """The edition's title: the ``edition-title`` parameter, else the series
    title every header shares, else the documents' own titles joined by "; "
    (never a made-up name).  Raises :class:`EpubError` if a document has no title."""
    if params and params.get("edition-title"):
        return params["edition-title"]
    titles = titles if titles is not None else [epub_meta.title(d) for d in docs]
    common = common_series(series) if series is not None else _common_title(docs)
    return common or "; ".join(dict.fromkeys(titles))


def _register_label(xhtml: str) -> str:
    """The register's title, as its page heading gives it."""
    m = re.search(r"<h1[^>]*>(.*?)</h1>", xhtml, re.S)
    label = " ".join(html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).split()) if m else ""
    return label or "Register"


def series_titles(doc: xmlio.ParsedDoc) -> list[str]:
    """A document's series titles (``seriesStmt/title``, else
    ``titleStmt/title[@level='s' or @level='j']``)."""
    hits = doc.root.xpath(
        "t:teiHeader/t:fileDesc/t:seriesStmt/t:title | "
        "t:teiHeader/t:fileDesc/t:titleStmt/t:title[@level='s' or @level='j']",
        namespaces=epub_meta.NS,
    )
    found = [epub_meta.text(t) for t in hits if isinstance(t, etree._Element)] if isinstance(hits, list) else []
    return [f for f in found if f]


def common_series(series: Iterable[list[str]]) -> str:
    """The first series title every list in ``series`` holds, or ''."""
    common = None
    for found in series:
        common = list(found) if common is None else [t for t in common if t in found]
    return (common or [""])[0]


def _common_title(docs: list[xmlio.ParsedDoc]) -> str:
    """The series title every document's header shares, or ''."""
    return common_series(series_titles(d) for d in docs)


def _lang_param(doc: xmlio.ParsedDoc) -> dict[str, str]:
    """The stylesheets' map of the document's xml:lang values to BCP 47 tags,
    as the HTML gets it (its warnings are the HTML build's to report)."""
    return {langtags.PARAM: langtags.as_param(langtags.language_map(doc)[0])}
