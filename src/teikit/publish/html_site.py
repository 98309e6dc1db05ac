"""The edition's pages around the documents: index.html, register.html, teikit.css.

Also tells a register file (is_register, referenced_files) and merges several into one.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from .. import xmlio
from ..problems import ERROR, Problem, TeikitError
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


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def is_register(doc: xmlio.ParsedDoc) -> bool:
    """A TEI file whose body holds only lists of persons, places, organisations, ..."""
    body = doc.root.find(f"{{{TEI}}}text/{{{TEI}}}body")
    stand_off = doc.root.find(f"{{{TEI}}}standOff")
    if (
        stand_off is not None
        and any(_local(k).startswith("list") for k in stand_off)
        and (body is None or not "".join(body.itertext()).strip())
    ):
        return True
    if body is None:
        return False
    kids = [k for k in body if isinstance(k.tag, str)]
    while len(kids) >= 1 and all(_local(k) in ("div", "head") for k in kids):
        kids = [g for k in kids for g in k if isinstance(g.tag, str)]
    return any(_local(k).startswith("list") for k in kids) and all(_local(k) in _LISTS for k in kids)


def referenced_files(docs) -> set[str]:
    """The file names the documents' ``@ref`` attributes point to (a file
    with a listPerson that another points to is a register)."""
    names = set()
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
    corpus = etree.Element(f"{{{TEI}}}teiCorpus", nsmap={None: TEI})
    for r in registers:
        corpus.append(copy.deepcopy(r.root))
    source = etree.tostring(corpus, encoding="utf-8")
    return xmlio.parse_bytes(source, registers[0].path.with_name("register.xml"), "register")


def write_site(html_dir: Path, built, register_doc, register_node, params, formats, report, failed) -> list[Path]:
    """index.html, register.html (when there is a register) and teikit.css."""
    site = xslt.compile_xslt(stylesheet("site"))
    written = []
    metas = [(d, n, etree.fromstring(m.encode("utf-8"))) for d, n, m in built]
    edition = etree.Element(f"{{{TK}}}edition", nsmap={"tk": TK})
    edition.set("title", params.get("edition-title") or _edition_title(register_doc, metas))
    langs = [m.get("lang") for _, _, m in metas if m.get("lang")]
    edition.set("lang", max(langs, key=langs.count) if langs else "")
    for _doc, name, meta in metas:
        entry = etree.SubElement(
            edition, f"{{{TK}}}doc", html=f"{name}.html", title=meta.get("title"), lang=meta.get("lang") or ""
        )
        if "text" in formats:
            entry.set("text", f"../text/{name}.txt")
        if "epub" in formats:
            entry.set("epub", f"../epub/{name}.epub")
        for a in meta.iterfind(f"{{{TK}}}author"):
            etree.SubElement(entry, f"{{{TK}}}author").text = a.text
    if register_doc is not None:
        etree.SubElement(edition, f"{{{TK}}}register", href="register.html")
    nodes = {"register": register_node}
    pages = []
    try:
        pages.append((html_dir / "index.html", xslt.transform(site, edition, {}, nodes=nodes)))
        if register_doc is not None:
            mentions = etree.Element("mentions")
            for _doc, name, meta in metas:
                for m in meta.iterfind(f"{{{TK}}}m"):
                    etree.SubElement(
                        mentions, "m", entry=m.get("ref"), href=f"{name}.html#{m.get('id')}", label=meta.get("title")
                    )
            nodes["mentions"] = mentions
            choice = {k: v for k, v in params.items() if k == "choice"}
            pages.append((html_dir / "register.html", xslt.transform(site, register_doc, choice, nodes=nodes)))
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
    css = FORMATS["html"].stylesheet_path.with_name("teikit.css")
    pages.append((html_dir / "teikit.css", css.read_bytes()))
    for target, data in pages:
        xmlio.write_atomic(target, data)
        written.append(target)
    return written


def _edition_title(register_doc, metas) -> str:
    """The same title as the edition EPUB's: a shared series title, else
    the documents' titles joined (see :func:`teikit.publish.epub.edition_title`)."""
    from .epub import edition_title

    if not metas:
        return "Contents"
    return edition_title(
        [], None, titles=[m.get("title") or "" for _, _, m in metas], series=[d.series for d, _, _ in metas]
    )
