"""Read ISO Schematron into a small model, ready to compile.

Sources: a standalone ``.sch`` (root ``sch:schema``), or any XML file (a
RelaxNG grammar, typically) with Schematron elements embedded in it.
Both the ISO namespace and the old Schematron 1.5 namespace are read.

Resolved here: ``include`` (relative to the including file), abstract
patterns (``is-a`` with ``param``: a copy with ``$param`` replaced in
every attribute) and abstract rules (``extends``); :mod:`.assemble`
builds the patterns and applies the phase.  ``title`` and ``p`` are
ignored.  Everything else that is not
supported raises :class:`~teikit.problems.SchemaError` with the file,
line and column of the construct: nothing is skipped silently.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from lxml import etree

from ... import corpus, xmlio
from ...problems import SchemaError
from .model import (
    _IGNORED,
    ISO,
    OLD,
    XML_LANG,
    XPATH1,
    XPATH3,
    XSL,
    XSLT_DECLARATIONS,
    Let,
    Schema,
    Where,
    local,
)
from .templates import XML_ID, rule_id


class Reader:
    """Walks one Schematron source (with its includes) into a :class:`Schema`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.docs: dict[int, xmlio.ParsedDoc] = {}
        self.origin: dict[int, etree._Element] = {}  # copies -> originals, for locations
        self.files: list[Path] = []
        self.abstract_patterns: dict[str, etree._Element] = {}
        self.abstract_rules: dict[str, etree._Element] = {}  # in patterns: for the error message
        self.global_rules: dict[str, etree._Element] = {}  # in sch:rules: usable from any pattern
        self.pattern_elems: list[etree._Element] = []
        self.phase_elems: dict[str, etree._Element] = {}
        self._including: list[tuple[Path, str]] = []
        self.alive: list[etree._Element] = []
        self._imports = 0

    # -- files and locations ------------------------------------------------
    def load(self, path: Path, where: str | None = None) -> etree._Element:
        path = Path(path)
        try:
            doc = xmlio.parse_bytes(path.read_bytes(), path, corpus.display_name(path))
        except OSError as exc:
            raise SchemaError(f"{where or 'Error'}: cannot read Schematron {path}: {exc.strerror or exc}") from None
        except xmlio.XMLError as exc:
            raise SchemaError(
                f"{exc.problem.location()}: Schematron file is not well-formed: {exc.problem.message}"
            ) from None
        self.docs[id(doc.root)] = doc
        self.files.append(path)
        return doc.root

    def where(self, el: etree._Element) -> Where:
        """The location of ``el``, worked out when it is first shown."""
        return Where(lambda: self._where(el))

    def _where(self, el: etree._Element) -> str:
        el = self.origin.get(id(el), el)
        root = el.getroottree().getroot()
        doc = self.docs.get(id(root))
        if doc is None:
            return f"{corpus.display_name(self.path)}:{el.sourceline or 1}:1"
        line, col = doc.locate(el)
        return f"{doc.display}:{line}:{col or 1}"

    def fail(self, el: etree._Element, message: str) -> NoReturn:
        raise SchemaError(f"{self.where(el)}: {message}")

    # -- the walk -------------------------------------------------------------
    def children(self, el: etree._Element) -> Iterator[etree._Element]:
        """Child elements, with ``include`` replaced by what it points at."""
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if local(child) == "include":
                yield from self._include(child)
            else:
                yield child

    def _include(self, inc: etree._Element) -> Iterator[etree._Element]:
        el = self.fetch(inc, "sch:include")
        try:
            if local(el) == "schema":  # lenient: include a whole schema's contents
                yield from list(self.children(el))
            elif local(el) is None:
                self.fail(inc, f"sch:include: {inc.get('href')} is not a Schematron element")
            else:
                yield el
        finally:
            self._including.pop()

    def fetch(self, inc: etree._Element, what: str) -> etree._Element:
        """The element that ``inc/@href`` points at (a file, or an element of
        it by id): relative hrefs resolve against the file that holds
        ``inc``, and so do the hrefs inside what is fetched.  The caller
        pops ``self._including`` when done with it."""
        href = inc.get("href")
        if not href:
            self.fail(inc, f"{what} needs an href")
        base = Path(self.where_file(inc))
        target, _, frag = href.partition("#")
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) and not target.startswith("file:"):
            self.fail(inc, f"{what}: {href} is not a local file (Schematron is never fetched over a network)")
        if target.startswith("file:"):
            from urllib.parse import unquote, urlparse

            target = unquote(urlparse(target).path)
        path = (base.parent / target).resolve() if target else base.resolve()
        if (path, frag) in self._including:
            self.fail(inc, f"{what} of {href} is circular")
        if not path.is_file():
            self.fail(inc, f"{what}: {href} not found (looked for {corpus.display_name(path)})")
        self._including.append((path, frag))
        try:
            root = self.load(path, str(self.where(inc)))
            el = root
            if frag:
                found = [e for e in root.iter() if e.get("id") == frag or e.get(XML_ID) == frag]
                if not found:
                    self.fail(inc, f"{what}: no element with id {frag!r} in {target or href}")
                el = found[0]
        except BaseException:
            self._including.pop()
            raise
        return el

    def where_file(self, el: etree._Element) -> str:
        el = self.origin.get(id(el), el)
        doc = self.docs.get(id(el.getroottree().getroot()))
        return str(doc.path if doc else self.path)

    def read(self) -> tuple[Schema, dict[str, etree._Element], str | None]:
        root = self.load(self.path)
        schema_el = root if local(root) == "schema" else None
        if local(root) is not None and schema_el is None:
            self.fail(root, f"a Schematron file must have sch:schema as its root, not sch:{local(root)}")
        if schema_el is None:
            # Embedded: collect the Schematron elements that are not inside others.
            tops = [e for e in root.iter(f"{{{ISO}}}*", f"{{{OLD}}}*") if not _inside_sch(e)]
            inner = [e for e in tops if local(e) == "schema"]
            if inner:
                schema_el = inner[0]
            binding_el = schema_el
            tops = [t for e in tops for t in (self.children(e) if local(e) == "schema" else [e])]
        else:
            binding_el = schema_el
            tops = list(self.children(schema_el))
        embedded = local(root) != "schema"
        if binding_el is not None:
            qb = binding_el.get("queryBinding")
            qb = qb.strip().lower() if qb else "xslt"
        else:
            # Schematron embedded in RelaxNG without an sch:schema: ISO rules
            # are XPath 2+ (as TEI and Oxygen assume), Schematron 1.5 is XPath 1.
            iso = any(etree.QName(e).namespace == ISO for e in tops)
            qb = "xslt2" if iso else "xslt"
        if qb not in XPATH1 | XPATH3:
            self.fail(
                binding_el if binding_el is not None else root,
                f"unsupported queryBinding {qb!r} (supported: xslt, xslt2, xslt3, xpath2, xpath3)",
            )
        schema = Schema(self.path, qb, qb in XPATH1, embedded=embedded)
        if binding_el is not None:
            schema.version = binding_el.get("schemaVersion")
            title = next((t for t in binding_el if local(t) == "title"), None)
            if title is not None:
                schema.title = " ".join("".join(str(t) for t in title.itertext()).split())
        default_phase = binding_el.get("defaultPhase") if binding_el is not None else None
        if default_phase is not None:
            default_phase = default_phase.strip()
        self._top(tops, schema)
        schema.files = list(dict.fromkeys(self.files))
        return schema, self.phase_elems, default_phase

    def _top(self, tops: list[etree._Element], schema: Schema) -> None:
        for el in tops:
            name = local(el)
            if name is None:
                q = etree.QName(el)
                if q.namespace == XSL:
                    self._xslt(el, q.localname, schema)
                continue
            if name in _IGNORED:
                continue
            if name == "include":
                self._top(list(self._include(el)), schema)
            elif name == "ns":
                prefix, uri = el.get("prefix"), el.get("uri")
                if not prefix or uri is None:
                    self.fail(el, "sch:ns needs prefix and uri")
                old = schema.namespaces.get(prefix)
                if old is not None and old != uri:
                    self.fail(el, f"sch:ns binds prefix {prefix!r} twice ({old} and {uri})")
                schema.namespaces[prefix] = uri
            elif name == "let":
                schema.lets.append(self.let(el))
            elif name in ("pattern", "group"):
                self._pattern_el(el)
            elif name == "rules":
                self._rules_el(el)
            elif name == "phase":
                pid = el.get("id")
                if not pid:
                    self.fail(el, "sch:phase needs an id")
                if pid in self.phase_elems:
                    self.fail(el, f"phase {pid!r} is defined twice")
                self.phase_elems[pid] = el
            elif name in ("diagnostics", "properties"):
                self._items(el, name, schema.diagnostics if name == "diagnostics" else schema.properties)
            elif name == "key" and etree.QName(el).namespace == OLD:
                if not (el.get("name") and el.get("match") and el.get("path")):
                    self.fail(el, "sch:key needs name, match and path")
                schema.xslt.append(
                    (
                        f'<xsl:key xmlns:xsl="{XSL}" name="{_esc(el.get("name", ""))}" '
                        f'match="{_esc(el.get("match", ""))}" use="{_esc(el.get("path", ""))}"/>',
                        self.where(el),
                    )
                )
            else:
                self.fail(el, f"sch:{name} is not supported here")

    def _pattern_el(self, el: etree._Element) -> None:
        if el.get("abstract") == "true":
            if not el.get("id"):
                self.fail(el, "an abstract pattern needs an id")
            if el.get("id", "") in self.abstract_patterns:
                self.fail(el, f"abstract pattern id {el.get('id')!r} is used twice")
            self.abstract_patterns[el.get("id", "")] = el
        else:
            self.pattern_elems.append(el)
        mine: set[str] = set()
        for r in self.children(el):
            rid = rule_id(r)
            if local(r) == "rule" and r.get("abstract") == "true" and rid:
                if rid in mine:
                    self.fail(r, f"abstract rule id {rid!r} is used twice in this pattern")
                mine.add(rid)
                self.abstract_rules.setdefault(rid, r)

    def _rules_el(self, el: etree._Element) -> None:
        for r in self.children(el):
            rid = rule_id(r)
            if local(r) == "rule" and r.get("abstract") == "true" and rid:
                if rid in self.global_rules:
                    self.fail(r, f"abstract rule id {rid!r} is used twice in sch:rules")
                self.global_rules[rid] = r
            elif local(r) not in _IGNORED and local(r) != "let":
                self.fail(r, "only abstract rules may appear in sch:rules")

    def _items(self, el: etree._Element, name: str, found: dict[str, etree._Element]) -> None:
        """The diagnostics or properties of ``el``, by id."""
        item = "diagnostic" if name == "diagnostics" else "property"
        for d in self.children(el):
            if local(d) == item:
                if d.get("id") and d.get("id", "") in found:
                    self.fail(d, f"{item} id {d.get('id')!r} is used twice")
                found[d.get("id", "")] = d
            elif local(d) not in _IGNORED:
                self.fail(d, f"unexpected sch:{local(d)} in sch:{name}")

    def _xslt(self, el: etree._Element, name: str, schema: Schema) -> None:
        """An XSLT declaration at the top of the schema, copied into the stylesheet."""
        if name not in XSLT_DECLARATIONS:
            allowed = ", ".join(f"xsl:{n}" for n in XSLT_DECLARATIONS)
            self.fail(el, f"xsl:{name} in a Schematron schema is not supported (only {allowed})")
        qb = schema.query_binding
        if name in ("include", "import") and qb.startswith("xpath"):
            self.fail(el, f"xsl:{name} is not allowed with queryBinding {qb!r} (an XPath binding has no XSLT)")
        if name == "accumulator" and (qb.startswith("xpath") or schema.xpath1):
            self.fail(el, f"xsl:accumulator needs XSLT 3.0; it is not allowed with queryBinding {qb!r}")
        if name in ("include", "import"):
            href = el.get("href")
            if not href:
                self.fail(el, f"xsl:{name} needs an href")
            path = (Path(self.where_file(el)).parent / href).resolve()
            if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href):
                self.fail(el, f"xsl:{name}: {href} is not a local file (nothing is fetched over a network)")
            if not path.is_file():
                self.fail(el, f"xsl:{name}: {href} not found (looked for {corpus.display_name(path)})")
            el = copy.copy(el)
            el.set("href", path.as_uri())
        text = etree.tostring(el, encoding="unicode", with_tail=False)
        if name == "import":  # imports come first in a stylesheet
            schema.xslt.insert(self._imports, (text, self.where(el)))
            self._imports += 1
        else:
            schema.xslt.append((text, self.where(el)))

    # -- pieces -------------------------------------------------------------------
    def let(self, el: etree._Element) -> Let:
        name, value = el.get("name"), el.get("value")
        if not name:
            self.fail(el, "sch:let needs a name")
        if value is None:
            return Let(name, None, el.get("as"), self.where(el), content=el)
        if len(el) or (el.text or "").strip():
            self.fail(el, f"sch:let {name!r} has both @value and content")
        return Let(name, value, el.get("as"), self.where(el))

    def lang(self, el: etree._Element) -> str | None:
        """The xml:lang in scope for ``el`` (through the originals of copies)."""
        node: etree._Element | None = el
        while node is not None:
            value = node.get(XML_LANG)
            if value is not None:
                return value
            node = self.origin.get(id(node), node).getparent()
        return None


def _inside_sch(el: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if local(parent) is not None:
            return True
        parent = parent.getparent()
    return False


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
        .replace("\r", "&#13;")
    )
