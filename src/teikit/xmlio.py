"""The one gate for untrusted XML, and atomic writes.

* :func:`parse` is the only place that builds an lxml parser.  It never
  loads a DTD, never resolves an external entity, never touches the
  network, and relies on libxml2's amplification limit against
  billion-laughs input.  Internal entities are expanded (they are
  harmless and common in older TEI).
* :func:`to_saxon_text` hands a parsed tree to Saxon as text without a
  DOCTYPE, so Saxon's own parser has nothing external to resolve.
* :func:`write_atomic` (from :mod:`teikit.atomic`, re-exported here) writes
  to a temporary file beside the target and renames it into place.
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

# re-exported: callers import them from here
from .atomic import STALE_AGE as STALE_AGE
from .atomic import sweep_stale as sweep_stale
from .atomic import write_atomic as write_atomic
from .problems import BAD_ID, DUPLICATE_ID, ERROR, Problem


def url2pathname(pathname: str) -> str:
    """The local path of a ``file:`` URL's path, as urllib.request's
    url2pathname gives it (without importing http.client)."""
    if os.name == "nt":  # pragma: no cover - what urllib.request uses there
        from nturl2path import url2pathname as nt_path

        return str(nt_path(pathname))
    from urllib.parse import unquote

    return unquote(pathname)


TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# libxml2 reports these two at parse time; they are validity problems
# (jing reports them while validating), so they must not stop the parse.
_ID_ERRORS = {"DTD_ID_REDEFINED", "DTD_XMLID_VALUE"}


# libxml2's size limits, without and with XML_PARSE_HUGE (``--huge``); its entity
# amplification limit holds either way, so --huge never lets billion laughs through.
LIMITS = {"depth": (256, 2048), "text": (10_000_000, 1_000_000_000), "name": (50_000, 1_000_000_000)}
_HUGE = [False]


def allow_huge(on: bool = True) -> None:
    """Lift libxml2's size limits (nesting depth, text and name length) for every later parse."""
    _HUGE[0] = on


def _parser(recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities="internal",  # type: ignore[arg-type]  # lxml-stubs know only bool; lxml 5 takes "internal"
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=_HUGE[0],
        recover=recover,
        remove_comments=False,
        remove_pis=False,
    )


class XMLError(Exception):
    """The file is not well-formed or not safe; ``problem`` says where."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


@dataclass
class ParsedDoc:
    """A document parsed once and handed to every engine."""

    path: Path
    display: str
    tree: etree._ElementTree
    source: bytes
    id_problems: list[Problem] = field(default_factory=list)
    _tags: _Offsets | None = field(default=None, repr=False)
    _text: str | None = field(default=None, repr=False)
    _lines: _Offsets | None = field(default=None, repr=False)
    _order_cache: dict[etree._Element, int] | None = field(default=None, repr=False)
    _order_lookups: int = field(default=0, repr=False)
    _names: frozenset[str] | None = field(default=None, repr=False)
    # top elements of included subtrees -> (line, column) of the xi:include they replace
    included: dict[etree._Element, tuple[int | None, int | None]] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    def names(self) -> frozenset[str]:
        """The local names of the document's elements (found once)."""
        if self._names is None:
            self.survey(0)
        assert self._names is not None
        return self._names

    def survey(self, width: int) -> list[etree._Element]:
        """One pass over the elements: remembers their local names (see
        :meth:`names`) and returns those with more than ``width`` children
        (none for a width of 0)."""
        tags: set[str] = set()
        wide: list[etree._Element] = []
        for el in self.root.iter(tag=etree.Element):
            tags.add(el.tag)
            if width and len(el) > width:
                wide.append(el)
        self._names = frozenset(t.rsplit("}", 1)[-1] for t in tags)
        return wide

    # -- locations -------------------------------------------------------
    # Locating a problem must not cost a pass over the whole document in
    # Python: the indexes below grow only as far as the problems reach.
    def _index(self) -> _Offsets:
        """Start-tag offsets in source order, one per element of the tree."""
        if self._tags is None:
            self._tags = _Offsets(m.start() for m in _TOKEN.finditer(self.text) if m.group("name"))
        return self._tags

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.source.decode(_encoding(self.source), errors="replace")
        return self._text

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in the source text."""
        if self._lines is None:
            self._lines = _Offsets((m.end() for m in re.finditer("\n", self.text)), first=[0])
        starts = self._lines.through(offset)
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def locate(self, node: Any, attribute: str | None = None) -> tuple[int | None, int | None]:
        """(line, column) of an element's start tag, or of one of its attributes
        (for included content: of the xi:include that brought it in)."""
        if node is None:
            return None, None
        if self.included and isinstance(node, etree._Element):
            for el in itertools.chain((node,), node.iterancestors()):
                if el in self.included:
                    return self.included[el]
        if not isinstance(node, etree._Element) or not isinstance(node.tag, str):
            return getattr(node, "sourceline", None), None
        offset = self.offset(node)
        if offset is None:
            return getattr(node, "sourceline", None), None
        if attribute:
            tag_end = self.text.find(">", offset)
            if attribute.startswith("{"):
                ns, local = attribute[1:].split("}", 1)
                prefixes = ["xml"] if ns == XML_NS else [p for p, u in node.nsmap.items() if u == ns and p]
                name = "(?:" + "|".join(re.escape(p) for p in prefixes) + "):" + re.escape(local) if prefixes else None
            else:
                name = re.escape(attribute)
            m = (
                re.compile(r"\s(" + name + r")\s*=").search(
                    self.text, offset, tag_end if tag_end > 0 else len(self.text)
                )
                if name
                else None
            )
            if m:
                offset = m.start(1)
        return self.position(offset)

    def offset(self, node: etree._Element) -> int | None:
        """Character offset of an element's start tag in :attr:`text`, or None."""
        try:
            index = self._order(node)
            if index is None:
                return None
            tags = self._index().count(index + 1)
            return tags[index]
        except (IndexError, TypeError, ValueError):
            return None

    def keep_order(self) -> None:
        """Remember each element's place in source order now, before the
        tree changes (XInclude), so positions stay those of the source."""
        self._order_cache = {el: i for i, el in enumerate(self.root.iter(tag=etree.Element))}

    def _order(self, node: etree._Element) -> int | None:
        """The element's position in document order (0 for the root).

        The first few lookups ask libxml2 (C speed, no index); a document
        with many problems gets a dictionary of every element instead."""
        if self._order_cache is None and self._order_lookups < _XPATH_LOOKUPS:
            self._order_lookups += 1
            if node.getroottree().getroot() is not self.root:
                return None
            return int(_DOC_ORDER(node))  # type: ignore[arg-type]  # count() is always a number
        if self._order_cache is None:
            self._order_cache = {el: i for i, el in enumerate(self.root.iter(tag=etree.Element))}
        return self._order_cache.get(node)

    def node_at(self, xpath: str) -> Any:
        """The node at an lxml-style XPath (as in libxml2's error paths)."""
        try:
            found = self.tree.xpath(xpath)
        except etree.XPathError:
            return None
        return found[0] if isinstance(found, list) and found else None


_XPATH_LOOKUPS = 32
_DOC_ORDER = etree.XPath("count(preceding::*) + count(ancestor::*)")


class _Offsets:
    """Offsets produced by an iterator, taken only as far as asked."""

    def __init__(self, offsets: Iterable[int], first: Iterable[int] = ()) -> None:
        self._more = iter(offsets)
        self.found: list[int] = list(first)
        self._done = False

    def _grow(self) -> None:
        before = len(self.found)
        self.found.extend(itertools.islice(self._more, max(256, before)))
        self._done = len(self.found) == before

    def count(self, n: int) -> list[int]:
        """At least the first ``n`` offsets (fewer if there are not so many)."""
        while len(self.found) < n and not self._done:
            self._grow()
        return self.found

    def through(self, offset: int) -> list[int]:
        """Every offset up to ``offset``, and the first one after it."""
        while (not self.found or self.found[-1] <= offset) and not self._done:
            self._grow()
        return self.found


_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|<(?P<name>[^\s/>!?][^\s/>]*)",
    re.S,
)


def _encoding(source: bytes) -> str:
    if source.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if source[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    m = re.match(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._\-]+)", source)
    return m.group(1).decode("ascii") if m else "utf-8"


def _problem(display: str, line: int | None, col: int | None, message: str) -> Problem:
    return Problem(display, line or None, col or None, ERROR, "xml", message)


def _limit(kind: str, what: str) -> str:
    normal, huge = LIMITS[kind]
    if _HUGE[0]:
        return f"{what.format(n=f'{huge:,}')}, the parser's limit even with --huge"
    return f"{what.format(n=f'{normal:,}')}, the parser's limit (--huge raises it to {huge:,})"


_LIMIT_MESSAGES = (
    ("Excessive depth in document", "depth", "elements are nested more than {n} deep"),
    ("Text node too long", "text", "a text node is longer than {n} characters"),
    ("Buffer size limit exceeded", "text", "an attribute value or other string is longer than {n} characters"),
    ("Name too long", "name", "a name is longer than {n} characters"),
)


def one_line(message: str, width: int = 60) -> str:
    """A libxml2 message on one line: its first line, and what follows (often the unparsed
    text) as a quotation with newlines escaped, cut short past ``width`` characters."""
    first, _, rest = message.strip().partition("\n")
    first = first.strip()
    if not rest.strip():
        return first
    quoted = repr(rest[:width]) + ("…" if len(rest) > width else "")
    return f"{first}: {quoted}"


def _syntax_problem(display: str, entry: etree._LogEntry) -> Problem:
    msg = one_line(entry.message)
    for needle, kind, what in _LIMIT_MESSAGES:
        if needle in msg:
            msg = _limit(kind, what)
            break
    else:
        if "Entity" in msg and "not defined" in msg:
            msg += " (external entities and DTDs are never loaded)"
        elif "amplification" in msg or ("entity" in msg.lower() and "loop" in msg.lower()):
            msg = (
                "entity expansion exceeds the safety limit (billion-laughs attack?): the entities expand "
                "to far more than the document's own size; --huge does not lift this limit"
            )
        elif "XML_PARSE_HUGE" in msg:
            msg = msg.split(", use XML_PARSE_HUGE")[0].split(", try XML_PARSE_HUGE")[0]
            msg += " (the parser's limit" + (", even with --huge)" if _HUGE[0] else "; --huge lifts it)")
    return _problem(display, entry.line, entry.column, msg)


def parse_bytes(source: bytes, path: Path, display: str | None = None) -> ParsedDoc:
    display = display or str(path)
    parser = _parser()
    base = path.resolve().as_uri() if path else ""
    try:
        tree = etree.fromstring(source, parser, base_url=base).getroottree()
        return ParsedDoc(path, display, tree, source)
    except etree.XMLSyntaxError as exc:
        entries = list(parser.error_log)
        fatal = [e for e in entries if e.type_name not in _ID_ERRORS]
        if fatal or not entries:
            entry = fatal[0] if fatal else None
            if entry is None:
                raise XMLError(_problem(display, exc.lineno, exc.offset, one_line(str(exc)))) from None
            raise XMLError(_syntax_problem(display, entry)) from None
    # Only xml:id problems: parse again in recovery mode and keep them as
    # validity problems, as jing would report them.
    parser = _parser(recover=True)
    tree = etree.fromstring(source, parser, base_url=base).getroottree()
    seen = set()
    id_problems = []
    for e in parser.error_log:
        if e.type_name in _ID_ERRORS and (e.line, e.message) not in seen:
            seen.add((e.line, e.message))
            msg = e.message.strip()
            kind: str | None = None
            names: tuple[str, ...] = ()
            m = re.match(r"ID (\S+) already defined", msg)
            if m:
                msg = f'duplicate xml:id "{m.group(1)}": the same identifier is already used in this document'
                kind, names = DUPLICATE_ID, (m.group(1),)
            m = re.match(r"xml:id : attribute value (\S*) is not an NCName", msg)
            if m:
                msg = f'xml:id "{m.group(1)}" is not a valid NCName (an identifier must start with a letter or "_" and contain no spaces or colons)'
                kind, names = BAD_ID, (m.group(1),)
            id_problems.append(Problem(display, e.line, e.column or None, ERROR, "rng", msg, kind=kind, names=names))
    return ParsedDoc(path, display, tree, source, id_problems)


def parse(path: Path, display: str | None = None) -> ParsedDoc:
    """Parse a file safely.  Raises :class:`XMLError` or ``OSError``."""
    path = Path(path)
    source = path.read_bytes()
    return parse_bytes(source, path, display)


def load(
    path: Path, display: str | None = None, roots: Sequence[Path] | None = None, chain: tuple[Path, ...] = ()
) -> ParsedDoc:
    """Parse a file safely, as jing reads it: attribute defaults from the
    internal DTD subset applied, then XInclude expanded within ``roots``
    (the run's folders; default: the file's own folder).  Raises
    :class:`XMLError` (a bad inclusion is located like a syntax error) or
    ``OSError``."""
    from . import xmlexpand

    doc = parse(path, display)
    xmlexpand.apply_dtd_defaults(doc)
    if b"XInclude" in doc.source:
        xmlexpand.expand(doc, roots if roots is not None else [Path(path).resolve().parent], chain)
    return doc


def root_name(path: Path) -> tuple[str | None, str] | None:
    """(namespace, local name) of a file's root element, reading no further
    than its start tag; None if the file cannot be read or parsed that far."""
    parser = etree.XMLPullParser(
        events=("start",), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(16384):
                parser.feed(chunk)
                for _, el in parser.read_events():
                    q = etree.QName(el)  # type: ignore[arg-type]  # "start" events give elements
                    return q.namespace, q.localname
    except (OSError, etree.XMLSyntaxError):
        return None
    return None


def parse_trusted(path: Path) -> etree._ElementTree:
    """Parse one of our own or a user-named schema / stylesheet file.

    Same safe settings: schemas come from users too.
    """
    parser = _parser()
    return etree.parse(str(path), parser)


def to_saxon_text(doc: ParsedDoc | etree._ElementTree | etree._Element) -> str:
    """Serialise for Saxon: the root element only, so no DOCTYPE reaches it."""
    root = doc.root if isinstance(doc, ParsedDoc) else (doc.getroot() if hasattr(doc, "getroot") else doc)
    return etree.tostring(root, encoding="unicode")
