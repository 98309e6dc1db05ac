"""Read a RelaxNG schema (XML syntax) and every file it includes, as one grammar.

This is RELAX NG's simplification (ISO/IEC 19757-2, section 4) as far as
the XML goes, done once per schema and independent of any document:

* each file is checked against the syntax of section 3 (which elements,
  attributes and children are allowed), annotations (foreign elements
  and attributes, comments) are removed and whitespace is normalised
  (4.1, 4.2);
* ``datatypeLibrary`` and ``ns`` are made explicit where they matter
  (4.3, 4.4, 4.9), prefixed names are resolved in their own file's
  namespace context (4.8, 4.10), and data types are checked
  (:mod:`rngtypes`);
* ``externalRef`` and ``include`` are replaced by what they name,
  resolved against the file that names them, never against a copy
  (4.5-4.7), and ``div`` disappears (4.11);
* ``combine`` is applied and nested grammars are merged into one, with
  every ``define`` renamed so that names are unique and ``parentRef``
  becomes ``ref`` (4.17, 4.18).

The result is a self-contained grammar (no ``include``, no
``externalRef``, no nested ``grammar``), which libxml2 compiles and the
explanation engine reads, and the list of files read with their
digests (the cache key).  Every error is a :class:`SchemaError` naming
the user's file and line.  The remaining rules (4.12-4.21) and the
restrictions of section 7 are checked by :mod:`rngcheck`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from .. import xmlio
from ..problems import SchemaError
from ..reproducible import sha256_file
from ..xmltree import remove_keeping_tail
from . import rngsyntax, rngtypes, rngvalues
from .rngsyntax import AT, _local  # AT: where an element came from, an index into Loader.places

RNG = "http://relaxng.org/ns/structure/1.0"
R = f"{{{RNG}}}"

_TRIMMED = ("name", "type", "combine")
_WS = " \t\r\n"


@dataclass
class Loaded:
    """A schema as one self-contained grammar, and what it was read from."""

    tree: etree._ElementTree
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, sha256)
    places: list[tuple[str, int]] = field(default_factory=list)  # AT index -> (path, line)


def digest_files(files: list[tuple[str, str]]) -> str:
    """One key for a list of (path, digest) pairs."""
    return hashlib.sha256("\n".join(f"{p}\0{d}" for p, d in files).encode()).hexdigest()


def file_digest(path: str) -> str | None:
    """The file's SHA-256, or None if it cannot be read (a cache entry naming it is then stale)."""
    try:
        return sha256_file(path)
    except OSError:
        return None


class Loader:
    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.places: list[tuple[str, int]] = []
        self._given = ""

    # -- errors --------------------------------------------------------------
    def where(self, el: etree._Element) -> tuple[str, int | None]:
        at = el.get(AT)
        if at is not None:
            path, line = self.places[int(at)]
            return path, line
        return self.places[0][0] if self.places else "schema", None

    def fail(self, el: etree._Element, message: str) -> SchemaError:
        from .schemas import schema_error

        path, line = self.where(el)
        return schema_error(path, line, None, message)

    # -- files -----------------------------------------------------------------
    def load(self, path: Path) -> Loaded:
        self._given = str(path)  # the schema is named as the user named it
        url = path.resolve().as_uri()
        root = self._read(url, None, (), "")
        if root.tag != R + "grammar":
            grammar = etree.Element(R + "grammar", nsmap={None: RNG})  # type: ignore[dict-item]
            grammar.set(AT, root.get(AT, "0"))
            start = etree.SubElement(grammar, R + "start")
            start.append(root)
            root = grammar
        from .rngcheck import Checker  # 4.12-4.21 and section 7
        from .rngmerge import drop_unreachable, merge  # the grammar-level rules, 4.17 and 4.18

        merge(self, root)
        Checker(self, root).run()
        drop_unreachable(root)
        for el in root.iter(R + "*"):
            if AT in el.attrib:
                del el.attrib[AT]
        etree.cleanup_namespaces(root)
        return Loaded(etree.ElementTree(root), sorted(self.files.items()), self.places)

    def _read(self, url: str, by: etree._Element | None, stack: tuple[str, ...], ns: str) -> etree._Element:
        """The pattern or grammar in the file at ``url``, simplified as far as
        4.11, with ``ns`` the namespace inherited at the place it is used."""
        if url in stack and by is not None:
            raise self.fail(by, f"{_show_url(url)} includes or refers to itself")
        path = _url_path(url)
        shown = self._given if by is None else _shown(path)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            if by is None:
                raise SchemaError(f"Error: cannot read schema {path}: {exc.strerror or exc}") from None
            raise self.fail(by, f"cannot read {path}: {exc.strerror or exc}") from None
        self.files[path] = hashlib.sha256(data).hexdigest()
        from .schemas import schema_error, xml_syntax_error

        try:
            parser = xmlio._parser()
            root = etree.fromstring(data, parser, base_url=url)
        except etree.XMLSyntaxError as exc:
            raise xml_syntax_error(Path(shown), exc, "schema") from None
        if (not isinstance(root.tag, str) or not root.tag.startswith(R)) and by is None:
            raise SchemaError(f"Error: {path} is not a RelaxNG schema (XML syntax); root element is {root.tag}")
        if not isinstance(root.tag, str) or not root.tag.startswith(R):
            raise schema_error(
                shown, _line(root), None, f"not a RelaxNG schema (XML syntax): the root element is {root.tag}"
            )
        self._prepare(root, shown, url)
        kind = _local(root)
        if kind not in rngsyntax.PATTERN:
            raise self.fail(root, f'element "{kind}" cannot be the top of a schema; expected a pattern')
        rngsyntax.check(self, root, "pattern")
        self._annotate(root, ns, "")
        root = self._expand(root, (*stack, url))
        _drop_divs(root)
        return root

    def _prepare(self, root: etree._Element, path: str, url: str) -> None:
        """4.1, 4.2: record places, resolve hrefs while xml:base still holds,
        drop annotations, normalise whitespace."""
        for el in list(root.iter()):
            if not isinstance(el.tag, str) or not el.tag.startswith(R):
                parent = el.getparent()
                if isinstance(el.tag, str) and parent is not None and _local(parent) in rngsyntax.TEXT_CONTENT:
                    if parent.tag.startswith(R):
                        raise self.fail_at(path, el, f'element "{el.tag}" not allowed in element "{_local(parent)}"')
                if el is not root and parent is not None:
                    remove_keeping_tail(el)
                continue
            self.places.append((path, _line(el) or 0))
            if el.tag in (R + "include", R + "externalRef") and el.get("href") is not None:
                href = el.get("href", "")
                if "#" in href:
                    raise self.fail_at(path, el, f'href "{href}" must not have a fragment identifier')
                el.set("href", urljoin(el.base or url, _escape_href(href.strip(_WS))))
            el.set(AT, str(len(self.places) - 1))
        for el in root.iter(R + "*"):
            for a in [str(k) for k in el.attrib.keys()]:
                if a.startswith(R):
                    raise self.fail(el, f'attribute "{a[len(R) :]}" in the RelaxNG namespace not allowed')
                if a.startswith("{") and a != AT:
                    del el.attrib[a]  # foreign attributes (and xml:base, now used)
            for a in _TRIMMED:
                v = el.get(a)
                if v is not None:
                    el.set(a, v.strip(_WS))
            local = _local(el)
            if local not in ("value", "param"):
                if el.text is not None and not el.text.strip(_WS) and local != "name":
                    el.text = None
                for c in el:
                    if c.tail is not None and not c.tail.strip(_WS):
                        c.tail = None
            if local == "name" and el.text is not None:
                el.text = el.text.strip(_WS)

    def fail_at(self, path: str, el: etree._Element, message: str) -> SchemaError:
        from .schemas import schema_error

        return schema_error(path, _line(el), None, message)

    # -- 4.3, 4.4, 4.8-4.10: explicit libraries and namespaces ----------------------
    def _annotate(self, root: etree._Element, ns: str, library: str) -> None:
        stack = [(root, ns, library)]
        while stack:
            el, ns, library = stack.pop()
            ns = el.get("ns", ns)
            library = el.get("datatypeLibrary", library)
            local = _local(el)
            if local in ("data", "value"):
                if local == "value" and el.get("type") is None:
                    el.set("type", "token")
                    library = ""
                el.set("datatypeLibrary", library)
                rngtypes.check(self, el, library)
                if local == "value" and rngvalues.is_context_type(el):
                    text = (el.text or "").strip()
                    prefix = text.split(":", 1)[0] if ":" in text else None
                    el.set(rngvalues.URI, ns if prefix is None else self._qname(el, text, ns)[0])
            elif "datatypeLibrary" in el.attrib:
                del el.attrib["datatypeLibrary"]
            if local in ("element", "attribute") and el.get("name") is not None:
                own = el.get("ns") if local == "attribute" else ns
                uri, name = self._qname(el, el.get("name", ""), own or "")
                el.set("name", name)
                el.set("ns", uri)
            elif local == "name":
                parent = el.getparent()
                uri, name = self._qname(el, el.text or "", ns)
                el.text = name
                el.set("ns", uri)
                del parent  # the parent's own kind does not matter here
            elif local in ("nsName", "value"):
                el.set("ns", ns)
            elif "ns" in el.attrib and local not in ("include", "externalRef", "grammar", "div"):
                del el.attrib["ns"]
            if local in ("include", "externalRef"):
                el.set("ns", ns)  # what the file it names inherits
            for c in el:
                if isinstance(c.tag, str):
                    stack.append((c, ns, library))

    def _qname(self, el: etree._Element, text: str, ns: str) -> tuple[str, str]:
        if ":" not in text:
            return ns, text
        prefix, local = text.split(":", 1)
        if prefix == "xml":
            return xmlio.XML_NS, local
        uri = el.nsmap.get(prefix)
        if uri is None:
            raise self.fail(el, f'prefix "{prefix}" of "{text}" is not declared')
        return uri, local

    # -- 4.5-4.7: externalRef and include ---------------------------------------------
    def _expand(self, root: etree._Element, stack: tuple[str, ...]) -> etree._Element:
        for el in list(root.iter(R + "externalRef", R + "include")):
            url = el.get("href", "")
            if urlsplit(url).scheme not in ("file", ""):
                raise self.fail(el, f"{url} is not a local file: teikit never fetches schemas from the network")
            ns = el.get("ns", "")
            target = self._read(url, el, stack, ns)
            if el is root:
                return target
            if el.tag == R + "externalRef":
                _replace(el, target)
            else:
                self._include(el, target)
        return root

    def _include(self, el: etree._Element, grammar: etree._Element) -> None:
        if grammar.tag != R + "grammar":
            raise self.fail(el, f"{_show_url(el.get('href', ''))} is not a grammar, so it cannot be included")
        own = list(_components(el))
        if any(c.tag == R + "start" for c in own):
            starts = [c for c in _components(grammar) if c.tag == R + "start"]
            if not starts:
                raise self.fail(el, f"the included grammar {_show_url(el.get('href', ''))} has no start to replace")
            for s in starts:
                _detach(s)
        for name in dict.fromkeys(c.get("name") for c in own if c.tag == R + "define"):
            found = [c for c in _components(grammar) if c.tag == R + "define" and c.get("name") == name]
            if not found:
                raise self.fail(
                    el, f'the included grammar {_show_url(el.get("href", ""))} has no define "{name}" to replace'
                )
            for d in found:
                _detach(d)
        div = etree.Element(R + "div")
        div.set(AT, el.get(AT, "0"))
        grammar.tag = R + "div"
        div.append(grammar)
        for c in list(el):
            div.append(c)
        _replace(el, div)


def _components(el: etree._Element) -> Iterator[etree._Element]:
    """The start and define children of a grammar or include, through divs."""
    for c in el:
        if not isinstance(c.tag, str):
            continue
        if c.tag == R + "div":
            yield from _components(c)
        elif c.tag in (R + "start", R + "define"):
            yield c


def _drop_divs(root: etree._Element) -> None:
    for div in list(root.iter(R + "div")):
        parent = div.getparent()
        if parent is None:
            continue
        i = list(parent).index(div)
        for c in reversed(list(div)):
            parent.insert(i, c)
        parent.remove(div)


def _detach(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _replace(old: etree._Element, new: etree._Element) -> None:
    parent = old.getparent()
    assert parent is not None  # the caller handles a root of its own
    new.tail = old.tail
    parent.replace(old, new)


def _line(el: etree._Element) -> int | None:
    line = el.sourceline
    return line if isinstance(line, int) else None


def _escape_href(href: str) -> str:
    """4.5: characters not allowed in a URI are escaped as UTF-8 (XLink 5.4)."""
    out = []
    for ch in href:
        if ord(ch) > 0x7E or ch in ' <>"{}|\\^`':
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)


def _shown(path: str) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _url_path(url: str) -> str:
    parts = urlsplit(url)
    return unquote(parts.path)


def _show_url(url: str) -> str:
    return _url_path(url) if url.startswith("file:") else url
