"""Writing an EPUB 3 container: OPF, navigation document, reproducible zip.

The content documents come in as XHTML text (from ``xslt/epub/``).
:func:`tidy` makes every package-internal link resolvable and every
``id`` a unique XML name, so no input, however odd its pointers, can
give EPUBCheck a dangling link.  :func:`package` writes the zip with
``mimetype`` first and stored, then fixed file order, timestamps and
permissions: the same input gives the same bytes.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from .. import xmlio
from ..reproducible import source_date_epoch
from .epub_meta import Metadata

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
H = f"{{{XHTML}}}"
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
HEADINGS = {f"{H}h{i}": i for i in range(1, 7)}
# Zip timestamps: SOURCE_DATE_EPOCH, else this fixed default (zip cannot go below 1980).
DEFAULT_EPOCH = 315532800 + 86400  # 1980-01-02T00:00:00Z


@dataclass
class Part:
    """One content document of the package."""

    name: str  # e.g. "text/L00001.xhtml" (relative to OEBPS/)
    xhtml: str | bytes  # serialised XHTML from the stylesheet
    label: str  # its entry in the table of contents
    role: str = "bodymatter"  # or "backmatter"
    tree: etree._ElementTree | None = field(default=None, repr=False)
    ids: set[str] = field(default_factory=set, repr=False)


# XHTML as the default namespace (lxml's stubs allow no None key, lxml does)
_NSMAP: Any = {None: XHTML, "epub": EPUB_NS}


def _tree(part: Part) -> etree._ElementTree:
    assert part.tree is not None, "parsed by tidy() first"
    return part.tree


def _parse(part: Part) -> None:
    """Parse the stylesheet's output; elements in no namespace go into XHTML's."""
    data = part.xhtml.encode("utf-8") if isinstance(part.xhtml, str) else part.xhtml
    tree = xmlio.parse_bytes(data, Path(part.name), part.name).tree
    for el in tree.iter(etree.Element):
        if not etree.QName(el).namespace:
            el.tag = H + etree.QName(el).localname
    root = tree.getroot()
    nsmap: dict[Any, str] = dict(root.nsmap)
    if EPUB_NS not in nsmap.values() or None not in nsmap:
        attrib: dict[Any, Any] = dict(root.attrib)
        new = root.makeelement(root.tag, attrib, nsmap=_NSMAP)
        new.text = root.text
        new.extend(list(root))
        tree = etree.ElementTree(new)
    etree.cleanup_namespaces(tree, top_nsmap=_NSMAP)
    part.tree = tree


def _rel(src: str, dst: str) -> str:
    """Relative href from package file ``src`` to package file ``dst``."""
    a, b = src.split("/")[:-1], dst.split("/")
    i = 0
    while i < len(a) and i < len(b) - 1 and a[i] == b[i]:
        i += 1
    return "/".join([".."] * (len(a) - i) + b[i:])


def _resolve(src: str, href: str) -> str:
    base = src.split("/")[:-1]
    for seg in href.split("/"):
        if seg == "..":
            base = base[:-1]
        elif seg not in ("", "."):
            base.append(seg)
    return "/".join(base)


def _unwrap(el: etree._Element) -> None:
    """Replace a link with its content (keeping text and children)."""
    span = el.makeelement(f"{H}span", {})
    for name in ("id", "class", "lang"):  # the id may be a link target (a mention, a note reference)
        value = el.get(name)
        if value:
            span.set(name, value)
    span.text, span.tail = el.text, el.tail
    span.extend(list(el))
    parent = el.getparent()
    assert parent is not None  # a link inside a body
    parent.replace(el, span)


def tidy(parts: list[Part], language: str, css: str | None) -> None:
    """Fix ids and links across the package in place, then serialise each part."""
    names = {p.name for p in parts}
    stems = {Path(p.name).stem: p.name for p in parts}
    renames: dict[tuple[str, str], str] = {}
    for part in parts:
        _parse(part)
        seen: set[str] = set()
        for n, el in enumerate(_tree(part).iter(etree.Element)):
            old = el.get("id")
            if old is None:
                continue
            new = old if NCNAME.match(old) else "x" + re.sub(r"[^A-Za-z0-9_.\-]", "_", old)
            while new in seen:
                new = f"{new}_{n}"
            if new != old:
                el.set("id", new)
                renames.setdefault((part.name, old), new)
            seen.add(new)
        part.ids = seen
    targets = {p.name: p.ids for p in parts}
    for part in parts:
        root = _tree(part).getroot()
        if not root.get("lang"):
            root.set("lang", language)
        root.set(f"{{{xmlio.XML_NS}}}lang", root.get("lang") or language)
        head = root.find(f"{H}head")
        for link in list(root.iter(f"{H}link")):
            link_parent = link.getparent()
            if link_parent is not None:
                link_parent.remove(link)
        if css and head is not None:
            head.append(
                head.makeelement(f"{H}link", {"rel": "stylesheet", "type": "text/css", "href": _rel(part.name, css)})
            )
        for a in list(root.iter(f"{H}a")):
            href = a.get("href")
            if href is None:
                continue
            url = urlsplit(href)
            if url.scheme or href.startswith("//"):
                continue  # external: kept as written
            path, frag = unquote(url.path), unquote(url.fragment)
            dst = _resolve(part.name, path) if path else part.name
            if dst not in names and Path(dst).suffix in (".html", ".htm") and Path(dst).stem in stems:
                dst = stems[Path(dst).stem]
            frag = renames.get((dst, frag), frag)
            if dst in names and (not frag or frag in targets[dst]):
                a.set(
                    "href",
                    (_rel(part.name, dst) if dst != part.name or not frag else "") + (f"#{frag}" if frag else ""),
                )
            else:
                _unwrap(a)
        part.xhtml = _serialise(_tree(part))


def _serialise(tree: etree._ElementTree) -> bytes:
    body = etree.tostring(tree.getroot(), encoding="utf-8", method="xml")
    return b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + body + b"\n"


# ---------------------------------------------------------------- navigation
def _headings(part: Part) -> list[tuple[int, str, str]]:
    """(level, id, text) of the headings of a part, giving ids where needed."""
    out: list[tuple[int, str, str]] = []
    body = _tree(part).getroot().find(f"{H}body")
    if body is None:
        return out
    for n, el in enumerate(body.iter(*HEADINGS)):
        label = " ".join("".join(str(t) for t in el.itertext()).split())
        if not label:
            continue
        hid = el.get("id")
        if hid is None:
            hid = f"toc-{n}"
            while hid in part.ids:
                hid += "_"
            el.set("id", hid)
            part.ids.add(hid)
        out.append((HEADINGS[str(el.tag)], hid, label))
    return out


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _nest(entries: list[tuple[int, str, str]], indent: str) -> str:
    """Nested <ol> of (level, href, label) entries.

    Levels may jump (h2 then h4) or start deep: each entry goes one level
    below the nearest earlier entry of a lower level, so every <ol> holds
    <li>s that each start with a link.
    """
    depths: list[int] = []
    stack: list[int] = []
    for level, _, _ in entries:
        while stack and stack[-1] >= level:
            stack.pop()
        depths.append(len(stack))
        stack.append(level)
    out, open_depth = [], -1
    for (_level, href, label), depth in zip(entries, depths, strict=True):
        pad = indent + "  " * (2 * depth)
        if depth > open_depth:
            out.append(f"\n{pad}<ol>")
        else:
            out.append("</li>")
            for d in range(open_depth, depth, -1):
                out.append(f"\n{indent}{'  ' * (2 * d)}</ol></li>")
        out.append(f'\n{pad}  <li><a href="{_esc(href)}">{_esc(label)}</a>')
        open_depth = depth
    if open_depth >= 0:
        out.append("</li>")
        for d in range(open_depth, 0, -1):
            out.append(f"\n{indent}{'  ' * (2 * d)}</ol></li>")
        out.append(f"\n{indent}</ol>")
    return "".join(out)


def _page_breaks(part: Part) -> list[tuple[str, str]]:
    """(href, page label) of the page breaks the stylesheet marked (role="doc-pagebreak")."""
    out: list[tuple[str, str]] = []
    for el in _tree(part).getroot().iter(f"{H}span", f"{H}a"):
        if el.get("role") == "doc-pagebreak" and el.get("id"):
            label = " ".join((el.get("data-n") or "".join(str(t) for t in el.itertext())).split())
            out.append((f"{part.name}#{el.get('id')}", label))
    return out


def _page_list(parts: list[Part]) -> str:
    """The page-list nav (EPUB 3: the print edition's pages), or '' when no part marks a page."""
    pages = [pb for part in parts for pb in _page_breaks(part)]
    if not pages:
        return ""
    items = "\n".join(f'      <li><a href="{_esc(href)}">{_esc(label)}</a></li>' for href, label in pages)
    return (
        '  <nav epub:type="page-list" id="page-list" hidden="hidden" aria-label="Pages">\n'
        f"    <ol>\n{items}\n    </ol>\n  </nav>\n"
    )


def nav(parts: list[Part], meta: Metadata) -> bytes:
    """The EPUB navigation document: table of contents, landmarks and, when pages are marked, the page-list."""
    entries: list[tuple[int, str, str]] = []
    for part in parts:
        heads = _headings(part)
        first_top = heads[0][0] == 1 if heads else False
        entries.append((1, part.name, part.label))
        same = " ".join(part.label.split()).casefold()
        for level, hid, label in heads[1 if first_top else 0 :]:
            if label.casefold() != same:  # a heading repeating the title adds no entry
                entries.append((max(level, 2), f"{part.name}#{hid}", label))
        part.xhtml = _serialise(_tree(part))
    marks = [f'      <li><a epub:type="bodymatter" href="{_esc(parts[0].name)}">{_esc(parts[0].label)}</a></li>']
    back = [p for p in parts if p.role == "backmatter"]
    if back:
        marks.append(f'      <li><a epub:type="backmatter" href="{_esc(back[0].name)}">{_esc(back[0].label)}</a></li>')
    lang = _esc(meta.language)
    pages = _page_list(parts)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML}" xmlns:epub="{EPUB_NS}" lang="{lang}" xml:lang="{lang}">\n'
        f'<head>\n  <meta charset="utf-8"/>\n  <title>{_esc(meta.title)}</title>\n</head>\n<body>\n'
        f'  <nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">\n'
        f'    <h1 id="toc-title">{_esc(meta.title)}</h1>{_nest(entries, "    ")}\n  </nav>\n'
        f'  <nav epub:type="landmarks" id="landmarks" hidden="hidden" aria-label="Landmarks">\n    <ol>\n'
        + "\n".join(marks)
        + "\n    </ol>\n  </nav>\n"
        + pages
        + "</body>\n</html>\n"
    ).encode("utf-8")


# ---------------------------------------------------------------------- OPF
A11Y_SUMMARY = (
    "Text only, with headings for every division, a navigation document, "
    "footnotes linked to their references and back, and the register as back matter."
)


def opf(parts: list[Part], meta: Metadata, languages: list[str], css: str | None) -> bytes:
    m = [
        f'    <dc:identifier id="pub-id">{_esc(meta.identifier)}</dc:identifier>',
        f'    <dc:title id="title">{_esc(meta.title)}</dc:title>',
    ]
    m += [f"    <dc:language>{_esc(lang)}</dc:language>" for lang in languages]
    for i, name in enumerate(meta.creators, 1):
        m.append(f'    <dc:creator id="creator{i}">{_esc(name)}</dc:creator>')
        m.append(f'    <meta refines="#creator{i}" property="role" scheme="marc:relators">aut</meta>')
    for i, (name, role) in enumerate(meta.contributors, 1):
        m.append(f'    <dc:contributor id="contributor{i}">{_esc(name)}</dc:contributor>')
        m.append(f'    <meta refines="#contributor{i}" property="role" scheme="marc:relators">{role}</meta>')
    if meta.publisher:
        m.append(f"    <dc:publisher>{_esc(meta.publisher)}</dc:publisher>")
    if meta.date:
        m.append(f"    <dc:date>{_esc(meta.date)}</dc:date>")
    if meta.rights:
        m.append(f"    <dc:rights>{_esc(meta.rights)}</dc:rights>")
    if meta.series:
        m.append(f'    <meta property="belongs-to-collection" id="series">{_esc(meta.series)}</meta>')
        m.append('    <meta refines="#series" property="collection-type">series</meta>')
    m.append(f'    <meta property="dcterms:modified">{meta.modified}</meta>')
    m += [
        '    <meta property="schema:accessMode">textual</meta>',
        '    <meta property="schema:accessModeSufficient">textual</meta>',
        '    <meta property="schema:accessibilityFeature">structuralNavigation</meta>',
        '    <meta property="schema:accessibilityFeature">tableOfContents</meta>',
        '    <meta property="schema:accessibilityFeature">readingOrder</meta>',
        '    <meta property="schema:accessibilityHazard">none</meta>',
        f'    <meta property="schema:accessibilitySummary">{A11Y_SUMMARY}</meta>',
    ]
    items = ['    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>']
    if css:
        items.append(f'    <item id="css" href="{css}" media-type="text/css"/>')
    spine = []
    for i, part in enumerate(parts, 1):
        items.append(f'    <item id="c{i}" href="{_esc(part.name)}" media-type="application/xhtml+xml"/>')
        spine.append(f'    <itemref idref="c{i}"/>')
    lang = _esc(languages[0])
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<package xmlns="{OPF_NS}" version="3.0" unique-identifier="pub-id" xml:lang="{lang}">\n'
        f'  <metadata xmlns:dc="{DC_NS}">\n' + "\n".join(m) + "\n  </metadata>\n"
        "  <manifest>\n" + "\n".join(items) + "\n  </manifest>\n"
        "  <spine>\n" + "\n".join(spine) + "\n  </spine>\n</package>\n"
    ).encode("utf-8")


CONTAINER = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">\n'
    b'  <rootfiles>\n    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>\n'
    b"  </rootfiles>\n</container>\n"
)


def zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = source_date_epoch()
    epoch = DEFAULT_EPOCH if epoch is None else max(epoch, DEFAULT_EPOCH)
    return time.gmtime(epoch)[:6]


def package(target: Path, parts: list[Part], meta: Metadata, languages: list[str], css: bytes | None) -> None:
    """Write the EPUB atomically; byte-identical for the same input."""
    css_name = "style.css" if css else None
    tidy(parts, meta.language, f"{css_name}" if css_name else None)
    nav_doc = nav(parts, meta)
    files = [
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", opf(parts, meta, languages, css_name)),
        ("OEBPS/nav.xhtml", nav_doc),
    ]
    if css:
        files.append((f"OEBPS/{css_name}", css))
    files += [(f"OEBPS/{p.name}", p.xhtml if isinstance(p.xhtml, bytes) else p.xhtml.encode("utf-8")) for p in parts]
    stamp = zip_time()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data, method in [("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)] + [
            (n, d, zipfile.ZIP_DEFLATED) for n, d in files
        ]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = method
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data, compress_type=method, compresslevel=9 if method == zipfile.ZIP_DEFLATED else None)
    xmlio.write_atomic(target, buf.getvalue())
