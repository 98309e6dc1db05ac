"""The edition's pages around the documents: index.html, register.html, teikit.css.

Also tells a register file (is_register, referenced_files) and merges several into one.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from .. import xmlio
from ..problems import ERROR, WARNING, Problem, Report, TeikitError
from ..resources import data_dir
from . import xslt
from .formats import FORMATS

TEI = xmlio.TEI_NS
TK = "urn:teikit"
_LISTS = {"listPerson", "listPlace", "listOrg", "listEvent", "listBibl", "listNym", "listObject", "head", "p"}
# the stylesheets around the formats' own (teikit.publish.formats)
_STYLESHEETS = {"meta": "common/meta.xsl", "site": "html/site.xsl"}


def stylesheet(kind: str) -> Path:
    return data_dir("xslt") / _STYLESHEETS[kind]


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def is_register(doc: xmlio.ParsedDoc) -> bool:
    """A TEI file whose body holds only lists of persons, places, organisations, ..."""
    body = doc.root.find(f"{{{TEI}}}text/{{{TEI}}}body")
    stand_off = doc.root.find(f"{{{TEI}}}standOff")
    if (
        stand_off is not None
        and any(_local(k).startswith("list") for k in stand_off)
        and (body is None or not "".join(str(t) for t in body.itertext()).strip())
    ):
        return True
    if body is None:
        return False
    kids = [k for k in body if isinstance(k.tag, str)]
    while len(kids) >= 1 and all(_local(k) in ("div", "head") for k in kids):
        kids = [g for k in kids for g in k if isinstance(g.tag, str)]
    return any(_local(k).startswith("list") for k in kids) and all(_local(k) in _LISTS for k in kids)


def referenced_files(docs: Iterable[xmlio.ParsedDoc]) -> set[str]:
    """The file names the documents' ``@ref`` attributes point to (a file
    with a listPerson that another points to is a register)."""
    names: set[str] = set()
    for d in docs:
        for el in d.root.iterfind(f"{{{TEI}}}text//*[@ref]"):
            ref = el.get("ref", "").split()[0] if el.get("ref", "").split() else ""
            head = ref.split("#", 1)[0]
            if head and "://" not in head and ":" not in head:
                names.add(Path(head).name)
    return names


def merge_registers(registers: list[xmlio.ParsedDoc]) -> xmlio.ParsedDoc | None:
    """One register document: the file itself, or a teiCorpus of several."""
    if not registers:
        return None
    if len(registers) == 1:
        return registers[0]
    tei_default: Any = {None: TEI}  # lxml's stubs allow no None key, lxml does
    corpus = etree.Element(f"{{{TEI}}}teiCorpus", nsmap=tei_default)
    for r in registers:
        corpus.append(copy.deepcopy(r.root))
    source = etree.tostring(corpus, encoding="utf-8")
    return xmlio.parse_bytes(source, registers[0].path.with_name("register.xml"), "register")


def write_site(
    html_dir: Path,
    built: list[tuple[Any, str, str]],
    register_doc: xmlio.ParsedDoc | None,
    register_node: Any,
    params: dict[str, str],
    formats: dict[str, set[str]],
    report: Report,
    failed: list[str],
) -> list[Path]:
    """index.html, register.html (when there is a register) and teikit.css.

    ``built`` holds (document, output name, its metadata XML); ``formats``
    the formats written for each output name."""
    site = xslt.compile_xslt(stylesheet("site"))
    written: list[Path] = []
    metas = [(d, n, etree.fromstring(m.encode("utf-8"))) for d, n, m in built]
    edition = etree.Element(f"{{{TK}}}edition", nsmap={"tk": TK})
    edition.set("title", params.get("edition-title") or _edition_title(register_doc, metas))
    langs = [lang for _, _, m in metas if (lang := m.get("lang"))]
    edition.set("lang", max(langs, key=langs.count) if langs else "")
    for _doc, name, meta in metas:
        entry = etree.SubElement(
            edition, f"{{{TK}}}doc", html=f"{name}.html", title=meta.get("title") or "", lang=meta.get("lang") or ""
        )
        if "text" in formats[name]:  # the formats written for this document
            entry.set("text", f"../text/{name}.txt")
        if "epub" in formats[name]:
            entry.set("epub", f"../epub/{name}.epub")
        for a in meta.iterfind(f"{{{TK}}}author"):
            etree.SubElement(entry, f"{{{TK}}}author").text = a.text
    if register_doc is not None:
        etree.SubElement(edition, f"{{{TK}}}register", href="register.html")
    nodes = {"register": register_node}
    pages: list[tuple[Path, str | bytes]] = []
    try:
        pages.append((html_dir / "index.html", xslt.transform(site, edition, {}, nodes=nodes)))
        if register_doc is not None:
            mentions = etree.Element("mentions")
            for _doc, name, meta in metas:
                for m in meta.iterfind(f"{{{TK}}}m"):
                    part = m.get("part") or "1"
                    page = f"{name}.html" if part == "1" else f"{name}-part{part}.html"
                    etree.SubElement(
                        mentions,
                        "m",
                        entry=m.get("ref") or "",
                        href=f"{page}#{m.get('id')}",
                        label=meta.get("title") or "",
                    )
            nodes["mentions"] = mentions
            choice = {k: v for k, v in params.items() if k in ("choice", "view", "lines")}
            main, extra = transform_pages(site, register_doc, choice, nodes, "register-")
            pages.append((html_dir / "register.html", main))
            pages.extend((html_dir / name, text) for name, text in extra.items())
    except TeikitError as exc:
        report.add(
            [
                Problem(
                    "register" if register_doc is None else register_doc.display,
                    None,
                    None,
                    ERROR,
                    "build",
                    f"cannot build the edition pages: {exc}",
                )
            ]
        )
        failed.append("index.html")
        return written
    for asset in ("teikit.css", "teikit.js"):
        pages.append((html_dir / asset, FORMATS["html"].stylesheet_path.with_name(asset).read_bytes()))
    for target, data in pages:
        xmlio.write_atomic(target, data)
        written.append(target)
    return written


# a relative path to a file in a format browsers show (as xslt/html/documentary.xsl's tk:image-src)
_IMAGE_URL = re.compile(r"^\w[\w./\-%]*\.(png|jpe?g|gif|svg|webp|avif)$", re.IGNORECASE)


def images(doc: xmlio.ParsedDoc) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """The local image files a document's graphic/@url name (the HTML shows them, so the
    build copies each beside the page, at the same relative path), and a warning for
    each one that is missing.  URLs with ".." or a scheme are not local files."""
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    folder = doc.path.parent.resolve()
    seen: set[str] = set()
    for g in doc.root.iter(f"{{{TEI}}}graphic"):
        url = (g.get("url") or "").strip()
        if not _IMAGE_URL.match(url) or ".." in url or url in seen:
            continue
        seen.add(url)
        source = folder / url
        if source.is_file():
            found.append((source, url))
        else:
            line = g.sourceline if isinstance(g.sourceline, int) else None
            problems.append(Problem(doc.display, line, None, WARNING, "build", f"image file {url} is missing"))
    return found, problems


_PAGES_BASE = "file:///teikit-pages/"


def transform_pages(
    executable: Any, doc: Any, params: dict[str, str], nodes: dict[str, Any], prefix: str
) -> tuple[str, dict[str, str]]:
    """A page, and the further pages the stylesheet gives as result documents: {file name: HTML}.

    A split register's pages (site.xsl) and a long document's parts
    (html.xsl) come this way, each already serialised as HTML; they are
    captured here, never written by Saxon, so the build writes them
    atomically like every other page.  Every name must start with ``prefix``.
    """
    # Capture stays on for the executable: turning it off frees the captured
    # values under the Python objects still holding them (a crash when they go).
    executable.set_capture_result_documents(True, False)
    executable.set_base_output_uri(_PAGES_BASE)
    main = xslt.transform(executable, doc, params, nodes=nodes)
    documents = executable.get_result_documents() or {}
    captured = {str(uri): value.head.string_value for uri, value in documents.items()}
    extra = {}
    for uri, value in captured.items():
        name = uri.rsplit("/", 1)[-1]
        if (
            not name.startswith(prefix)
            or not name.endswith(".html")
            or not uri.startswith(_PAGES_BASE.replace("///", "/"))
        ):
            raise TeikitError(f"unexpected page {uri}")
        extra[name] = value
    return main, dict(sorted(extra.items()))


def _edition_title(register_doc: xmlio.ParsedDoc | None, metas: list[tuple[Any, str, etree._Element]]) -> str:
    """The same title as the edition EPUB's: a shared series title, else
    the documents' titles joined (see :func:`teikit.publish.epub.edition_title`)."""
    from .epub import edition_title

    if not metas:
        return "Contents"
    return edition_title(
        [], None, titles=[m.get("title") or "" for _, _, m in metas], series=[d.series for d, _, _ in metas]
    )
