"""What a document means beyond its own bytes, applied as Debian's jing does:
XInclude (W3C XInclude 1.0) and the attribute defaults of the internal DTD subset.

Reached through :func:`teikit.xmlio.load`, never on its own.  Every file
is read through :func:`teikit.xmlio.parse`, so the gate's rules hold: no
external DTD or entity, no network.  XInclude targets must lie inside the
run's folders; a missing target (with no ``xi:fallback``), a cycle, a
target outside those folders, or an unsupported ``xpointer`` is one
located error, as a file that is not well-formed is.

Like Xerces (jing's parser), each included element gets ``xml:base`` (the
href) and, when its language differs from the include's parent,
``xml:lang``; DTD defaults are added to elements that lack the attribute,
including a defaulted ``xmlns``, which puts unprefixed elements in that
namespace.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from lxml import etree

from . import xmlio
from .problems import ERROR, Problem

XI_NS = "http://www.w3.org/2001/XInclude"
XI_NAMESPACES = (XI_NS, "http://www.w3.org/2003/XInclude")
XML_BASE = f"{{{xmlio.XML_NS}}}base"
XML_LANG = f"{{{xmlio.XML_NS}}}lang"
XML_ID = f"{{{xmlio.XML_NS}}}id"
MAX_DEPTH = 32  # nested inclusions, far beyond any real edition


def includes(root: etree._Element) -> list[etree._Element]:
    """The ``xi:include`` elements of a tree, outermost first."""
    return [el for ns in XI_NAMESPACES for el in root.iter(f"{{{ns}}}include") if not _inside_include(el)]


def _inside_include(el: etree._Element) -> bool:
    return any(etree.QName(a).namespace in XI_NAMESPACES for a in el.iterancestors())


def target_path(el: etree._Element, doc_path: Path) -> Path | None:
    """The local file an ``xi:include`` names, or None (no href, a network URI)."""
    href = el.get("href", "")
    if not href:
        return None
    parent = el.getparent()
    base = parent.base if parent is not None else None
    url = urlparse(urljoin(base or doc_path.resolve().as_uri(), href))
    if url.scheme not in ("file", ""):
        return None
    return Path(xmlio.url2pathname(unquote(url.path)))


def expand(doc: xmlio.ParsedDoc, roots: Sequence[Path], chain: tuple[Path, ...] = ()) -> None:
    """Replace the ``xi:include`` elements of ``doc`` in place (its tree is
    fresh from the parser).  Raises :class:`~teikit.xmlio.XMLError`."""
    found = includes(doc.root)
    if not found:
        return
    doc.keep_order()  # the source positions of what stays, taken before the tree changes
    chain = (*chain, doc.path.resolve())
    for _ in range(MAX_DEPTH):  # a fallback may hold includes of its own
        for el in found:
            where = doc.locate(el)
            try:
                nodes = _target(doc, el, where, roots, chain)
            except _Missing as exc:
                fallback = next((c for ns in XI_NAMESPACES for c in el.iterchildren(f"{{{ns}}}fallback")), None)
                if fallback is None:
                    raise _fail(doc, where, f"{exc}, and the xi:include has no xi:fallback") from None
                nodes = [fallback.text or "", *(_copy(c) for c in fallback)]
            _replace(doc, el, nodes, where)
        found = includes(doc.root)
        if not found:
            return
    raise _fail(doc, doc.locate(found[0]), f"xi:fallback nested more than {MAX_DEPTH} levels deep")


def _fail(doc: xmlio.ParsedDoc, where: tuple[int | None, int | None], message: str) -> xmlio.XMLError:
    return xmlio.XMLError(Problem(doc.display, where[0], where[1], ERROR, "xinclude", message))


_Node = str | etree._Element | tuple[etree._Element, str]  # text, a fallback's element, an included one


class _Missing(Exception):
    """A target that does not exist: the fallback, if any, is used."""


def _target(
    doc: xmlio.ParsedDoc,
    el: etree._Element,
    where: tuple[int | None, int | None],
    roots: Sequence[Path],
    chain: tuple[Path, ...],
) -> list[_Node]:
    href = el.get("href", "")
    parse = el.get("parse", "xml")
    if parse not in ("xml", "text"):
        raise _fail(doc, where, f'xi:include parse="{parse}" is not XInclude 1.0 (use "xml" or "text")')
    path = target_path(el, doc.path)
    if path is None:
        if not href:
            raise _fail(doc, where, "xi:include without href (an include from the same document) is not supported")
        raise _fail(doc, where, f'xi:include href "{href}" is not a local file: teikit never fetches from the network')
    resolved = path.resolve()
    if not any(resolved.is_relative_to(r.resolve()) for r in roots):
        folders = ", ".join(str(r) for r in roots)
        raise _fail(
            doc, where, f'xi:include href "{href}" is outside the folders of this run ({folders}); name its folder too'
        )
    if not resolved.is_file():
        raise _Missing(f'xi:include href "{href}" not found (looked for {resolved})')
    if parse == "text":
        return [_read_text(doc, resolved, el.get("encoding") or "utf-8", where, href)]
    if resolved in chain:
        raise _fail(doc, where, f'xi:include href "{href}" includes a file that includes it (a cycle)')
    if len(chain) >= MAX_DEPTH:
        raise _fail(doc, where, f"xi:include nested more than {MAX_DEPTH} levels deep")
    try:
        sub = xmlio.load(resolved, str(resolved), roots, chain)
    except xmlio.XMLError as exc:
        inner = exc.problem
        raise _fail(doc, where, f'xi:include href "{href}": {inner.location()}: {inner.message}') from None
    return _select(doc, sub, el.get("xpointer"), where, href)


def _read_text(doc: xmlio.ParsedDoc, path: Path, encoding: str, where: tuple[int | None, int | None], href: str) -> str:
    try:
        return path.read_bytes().decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise _fail(doc, where, f'xi:include href "{href}" cannot be read as {encoding} text: {exc}') from None


def _select(
    doc: xmlio.ParsedDoc, sub: xmlio.ParsedDoc, pointer: str | None, where: tuple[int | None, int | None], href: str
) -> list[_Node]:
    if not pointer:
        return [_top(sub.root)]
    m = re.fullmatch(r"element\(([^/)]*)((?:/\d+)*)\)", pointer.strip())
    ident, steps = (m.group(1), m.group(2)) if m else (pointer.strip(), "")
    if not m and not re.fullmatch(r"[\w.-]+", ident):
        raise _fail(doc, where, f'xi:include xpointer "{pointer}" is not supported (use an id or element(...))')
    node: etree._Element | None = sub.root if not ident else _by_id(sub.root, ident)
    if not ident and steps:  # element(/1/...): the first step names the root
        first, *rest = steps.strip("/").split("/")
        node = sub.root if first == "1" else None
        steps = "".join(f"/{s}" for s in rest)
    for step in steps.strip("/").split("/") if steps else []:
        kids = [c for c in node if isinstance(c.tag, str)] if node is not None else []
        node = kids[int(step) - 1] if 0 < int(step) <= len(kids) else None
    if node is None:
        raise _fail(doc, where, f'xi:include xpointer "{pointer}" matches nothing in {href}')
    return [_top(node)]


def _by_id(root: etree._Element, ident: str) -> etree._Element | None:
    return next((el for el in root.iter(tag=etree.Element) if el.get(XML_ID) == ident), None)


def _top(el: etree._Element) -> tuple[etree._Element, str]:
    """A copy of an included element, and the language in scope where it was."""
    return _copy(el), str(el.xpath("string(ancestor-or-self::*[@xml:lang][1]/@xml:lang)"))


def _copy(el: etree._Element) -> etree._Element:
    from copy import deepcopy

    return deepcopy(el)


def _replace(
    doc: xmlio.ParsedDoc, el: etree._Element, nodes: list[_Node], where: tuple[int | None, int | None]
) -> None:
    parent = el.getparent()
    if parent is None:
        raise _fail(doc, where, "xi:include as the root element is not supported")
    href = el.get("href", "")
    parent_lang = str(parent.xpath("string(ancestor-or-self::*[@xml:lang][1]/@xml:lang)"))
    index = parent.index(el)
    tail = el.tail or ""
    parent.remove(el)
    text_before = ""
    pieces: list[etree._Element] = []
    for node in nodes:
        if isinstance(node, str):
            if pieces:
                pieces[-1].tail = (pieces[-1].tail or "") + node
            else:
                text_before += node
            continue
        node, lang = node if isinstance(node, tuple) else (node, None)
        if isinstance(node.tag, str) and etree.QName(node).namespace not in XI_NAMESPACES:
            if href and lang is not None and XML_BASE not in node.keys():
                node.set(XML_BASE, href)
            if lang is not None and lang != parent_lang and XML_LANG not in node.keys():
                node.set(XML_LANG, lang)
            doc.included[node] = where
        pieces.append(node)
    _put_text(parent, index, text_before)
    for i, node in enumerate(pieces):
        parent.insert(index + i, node)
    if pieces:
        pieces[-1].tail = (pieces[-1].tail or "") + tail
    else:
        _put_text(parent, index, tail)


def _put_text(parent: etree._Element, index: int, text: str) -> None:
    """Append text where a child at ``index`` was (after its previous sibling, or as the parent's text)."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + text


# -- attribute defaults of the internal DTD subset ---------------------------
_DOCTYPE = re.compile(r"<!DOCTYPE\s[^\[>]*\[(?P<subset>.*?)\]\s*>", re.S)
_ATTLIST = re.compile(r"<!ATTLIST\s+(?P<element>[^\s>]+)(?P<body>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_ATTDEF = re.compile(
    r"\s*(?P<name>[^\s>]+)\s+(?P<type>\([^)]*\)|NOTATION\s*\([^)]*\)|[A-Z]+)\s+"
    r"(?P<default>#REQUIRED|#IMPLIED|(?:#FIXED\s+)?(?:\"(?P<v1>[^\"]*)\"|'(?P<v2>[^']*)'))",
    re.S,
)


def dtd_defaults(text: str) -> dict[str, dict[str, str]]:
    """Element qname -> {attribute qname: default value}, from the internal
    subset (the first declaration of an attribute wins, as in XML 1.0)."""
    m = _DOCTYPE.search(text)
    if not m:
        return {}
    subset = re.sub(r"<!--.*?-->", "", m.group("subset"), flags=re.S)
    found: dict[str, dict[str, str]] = {}
    for decl in _ATTLIST.finditer(subset):
        attrs = found.setdefault(decl.group("element"), {})
        for d in _ATTDEF.finditer(decl.group("body")):
            value = d.group("v1") if d.group("v1") is not None else d.group("v2")
            if value is None or d.group("name") in attrs:
                continue
            value = html.unescape(re.sub(r"[\t\n\r]", " ", value))
            attrs[d.group("name")] = value if d.group("type") == "CDATA" else " ".join(value.split())
    return {k: v for k, v in found.items() if v}


def apply_dtd_defaults(doc: xmlio.ParsedDoc) -> None:
    """Add the internal subset's attribute defaults to ``doc``'s fresh tree."""
    if b"<!ATTLIST" not in doc.source and "<!ATTLIST" not in doc.text[:65536]:
        return
    defaults = dtd_defaults(doc.text)
    if not defaults:
        return
    for el in list(doc.root.iter(tag=etree.Element)):
        qname = f"{el.prefix}:{etree.QName(el).localname}" if el.prefix else etree.QName(el).localname
        for name, value in defaults.get(qname, {}).items():
            _default(el, name, value)


def _default(el: etree._Element, name: str, value: str) -> None:
    if name == "xmlns":
        if None not in el.nsmap and etree.QName(el).namespace is None:
            _renamespace(el, value)
        return
    if name.startswith("xmlns:"):
        return  # a prefix in use is declared in the document, or it would not have parsed
    prefix, _, local = name.rpartition(":")
    if prefix == "xml":
        key = f"{{{xmlio.XML_NS}}}{local}"
    elif prefix:
        ns = el.nsmap.get(prefix)
        if ns is None:
            return
        key = f"{{{ns}}}{local}"
    else:
        key = local
    if key not in el.keys():  # "in el.attrib" would see the DTD's default itself
        el.set(key, value)


def _renamespace(el: etree._Element, ns: str) -> None:
    """Put ``el`` and its unprefixed descendants without a namespace in ``ns``
    (what a defaulted ``xmlns`` declaration means)."""
    stack = [el]
    while stack:
        node = stack.pop()
        if etree.QName(node).namespace is not None or (node is not el and None in node.nsmap):
            continue
        node.tag = f"{{{ns}}}{etree.QName(node).localname}"
        stack.extend(c for c in node if isinstance(c.tag, str))
