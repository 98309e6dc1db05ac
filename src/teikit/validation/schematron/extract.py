"""Read ISO Schematron into a small model, ready to compile.

Sources: a standalone ``.sch`` (root ``sch:schema``), or any XML file (a
RelaxNG grammar, typically) with Schematron elements embedded in it.
Both the ISO namespace and the old Schematron 1.5 namespace are read.

Resolved here, before compiling: ``include`` (relative to the including
file), abstract patterns (``is-a`` with ``param``), abstract rules
(``extends``) and the phase (``phase``/``active``, ``defaultPhase``,
``#ALL``).  ``title`` and ``p`` are ignored.  Everything else that is not
supported raises :class:`~teikit.problems.SchemaError` with the file,
line and column of the construct: nothing is skipped silently.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ... import corpus, xmlio
from ...problems import SchemaError

ISO = "http://purl.oclc.org/dsdl/schematron"
OLD = "http://www.ascc.net/xml/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
SCH = (ISO, OLD)

XPATH1 = {"xslt", "xslt1", "xpath", "xpath1"}
XPATH3 = {"xslt2", "xslt3", "xpath2", "xpath3", "xpath31", "xslt3.0", "xslt2.0"}
#: ``role`` values that make a failure a warning (compared case-insensitively).
WARNING_ROLES = {"warning", "warn", "info", "information", "nonfatal"}
_IGNORED = {"title", "p"}
_UNSUPPORTED_ATTRS = {"documents": "pattern/@documents (rules on other documents)",
                      "visit-each": "rule/@visit-each"}


@dataclass
class Let:
    name: str
    value: str
    as_: str | None
    where: str


@dataclass
class Check:
    kind: str                      # "assert" or "report"
    test: str
    content: etree._Element        # the assert/report element: its message
    severity: str                  # "error" or "warning"
    id: str | None
    diagnostics: list[str]
    properties: list[str]
    subject: str | None
    where: str
    index: int = -1                # set by the compiler


@dataclass
class Rule:
    context: str
    id: str | None
    lets: list[Let]
    checks: list[Check]
    subject: str | None
    where: str
    label: str = ""                # rule id, or pattern label + "/" + position


@dataclass
class Pattern:
    id: str | None
    label: str
    lets: list[Let]
    rules: list[Rule]
    where: str
    group: bool = False            # sch:group: every matching rule fires


@dataclass
class Schema:
    path: Path
    query_binding: str
    xpath1: bool
    namespaces: dict[str, str] = field(default_factory=dict)
    lets: list[Let] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)
    diagnostics: dict[str, etree._Element] = field(default_factory=dict)
    properties: dict[str, etree._Element] = field(default_factory=dict)
    xslt: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    embedded: bool = False

    @property
    def rules(self) -> list[Rule]:
        return [r for p in self.patterns for r in p.rules]


def local(el) -> str | None:
    """The local name of a Schematron element, else None."""
    if not isinstance(el.tag, str):
        return None
    q = etree.QName(el)
    return q.localname if q.namespace in SCH else None


class Reader:
    """Walks one Schematron source (with its includes) into a :class:`Schema`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.docs: dict[int, xmlio.ParsedDoc] = {}
        self.origin: dict[int, etree._Element] = {}   # copies -> originals, for locations
        self.files: list[Path] = []
        self.abstract_patterns: dict[str, etree._Element] = {}
        self.abstract_rules: dict[str, etree._Element] = {}
        self.pattern_elems: list[etree._Element] = []
        self.phase_elems: dict[str, etree._Element] = {}
        self._including: list[Path] = []

    # -- files and locations ------------------------------------------------
    def load(self, path: Path, where: str | None = None) -> etree._Element:
        path = Path(path)
        try:
            doc = xmlio.parse_bytes(path.read_bytes(), path, corpus.display_name(path))
        except OSError as exc:
            raise SchemaError(f"{where or 'Error'}: cannot read Schematron {path}: {exc.strerror or exc}") from None
        except xmlio.XMLError as exc:
            raise SchemaError(f"{exc.problem.location()}: Schematron file is not well-formed: {exc.problem.message}") from None
        self.docs[id(doc.root)] = doc
        self.files.append(path)
        return doc.root

    def where(self, el) -> str:
        el = self.origin.get(id(el), el)
        root = el.getroottree().getroot()
        doc = self.docs.get(id(root))
        if doc is None:
            return f"{corpus.display_name(self.path)}:{el.sourceline or 1}:1"
        line, col = doc.locate(el)
        return f"{doc.display}:{line}:{col or 1}"

    def fail(self, el, message: str):
        raise SchemaError(f"{self.where(el)}: {message}")

    # -- the walk -------------------------------------------------------------
    def children(self, el):
        """Child elements, with ``include`` replaced by what it points at."""
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if local(child) == "include":
                yield from self._include(child)
            else:
                yield child

    def _include(self, inc):
        href = inc.get("href")
        if not href:
            self.fail(inc, "sch:include needs an href")
        base = Path(self.where_file(inc))
        target, _, frag = href.partition("#")
        path = (base.parent / target).resolve() if target else base
        if path in self._including:
            self.fail(inc, f"sch:include of {href} is circular")
        if not path.is_file():
            self.fail(inc, f"sch:include: {href} not found (looked for {corpus.display_name(path)})")
        self._including.append(path)
        try:
            root = self.load(path, self.where(inc))
            el = root
            if frag:
                found = [e for e in root.iter() if e.get("id") == frag or e.get("{http://www.w3.org/XML/1998/namespace}id") == frag]
                if not found:
                    self.fail(inc, f"sch:include: no element with id {frag!r} in {target or href}")
                el = found[0]
            if local(el) == "schema":   # lenient: include a whole schema's contents
                yield from list(self.children(el))
            elif local(el) is None:
                self.fail(inc, f"sch:include: {href} is not a Schematron element")
            else:
                yield el
        finally:
            self._including.pop()

    def where_file(self, el) -> str:
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
            tops = [e for e in root.iter() if local(e) and not _inside_sch(e)]
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
            self.fail(binding_el if binding_el is not None else root,
                      f"unsupported queryBinding {qb!r} (supported: xslt, xslt2, xslt3, xpath2, xpath3)")
        schema = Schema(self.path, qb, qb in XPATH1, embedded=embedded)
        default_phase = binding_el.get("defaultPhase") if binding_el is not None else None
        if default_phase is not None:
            default_phase = default_phase.strip()
        self._top(tops, schema)
        schema.files = list(dict.fromkeys(self.files))
        return schema, self.phase_elems, default_phase

    def _top(self, tops, schema: Schema) -> None:
        for el in tops:
            name = local(el)
            if name is None:
                q = etree.QName(el)
                if q.namespace == XSL and q.localname in ("function", "key"):
                    schema.xslt.append(etree.tostring(el, encoding="unicode", with_tail=False))
                elif q.namespace == XSL:
                    self.fail(el, f"xsl:{q.localname} in a Schematron schema is not supported (only xsl:function and xsl:key)")
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
                if el.get("abstract") == "true":
                    if not el.get("id"):
                        self.fail(el, "an abstract pattern needs an id")
                    self.abstract_patterns[el.get("id")] = el
                else:
                    self.pattern_elems.append(el)
                for r in self.children(el):
                    if local(r) == "rule" and r.get("abstract") == "true" and r.get("id"):
                        self.abstract_rules.setdefault(r.get("id"), r)
            elif name == "rules":
                for r in self.children(el):
                    if local(r) == "rule" and r.get("abstract") == "true" and r.get("id"):
                        self.abstract_rules.setdefault(r.get("id"), r)
                    elif local(r) not in _IGNORED and local(r) != "let":
                        self.fail(r, "only abstract rules may appear in sch:rules")
            elif name == "phase":
                pid = el.get("id")
                if not pid:
                    self.fail(el, "sch:phase needs an id")
                if pid in self.phase_elems:
                    self.fail(el, f"phase {pid!r} is defined twice")
                self.phase_elems[pid] = el
            elif name == "diagnostics":
                for d in self.children(el):
                    if local(d) == "diagnostic":
                        schema.diagnostics[d.get("id", "")] = d
                    elif local(d) not in _IGNORED:
                        self.fail(d, f"unexpected sch:{local(d)} in sch:diagnostics")
            elif name == "properties":
                for d in self.children(el):
                    if local(d) == "property":
                        schema.properties[d.get("id", "")] = d
                    elif local(d) not in _IGNORED:
                        self.fail(d, f"unexpected sch:{local(d)} in sch:properties")
            elif name == "key" and etree.QName(el).namespace == OLD:
                if not (el.get("name") and el.get("match") and el.get("path")):
                    self.fail(el, "sch:key needs name, match and path")
                schema.xslt.append(f'<xsl:key xmlns:xsl="{XSL}" name="{_esc(el.get("name"))}" '
                                   f'match="{_esc(el.get("match"))}" use="{_esc(el.get("path"))}"/>')
            else:
                self.fail(el, f"sch:{name} is not supported here")

    # -- pieces -------------------------------------------------------------------
    def let(self, el) -> Let:
        name, value = el.get("name"), el.get("value")
        if not name:
            self.fail(el, "sch:let needs a name")
        if value is None:
            self.fail(el, f"sch:let {name!r} without @value (element content as value) is not supported")
        return Let(name, value, el.get("as"), self.where(el))

    def expand_abstract(self, el) -> etree._Element:
        """An ``is-a`` pattern instance: a copy of the abstract pattern with
        ``$param`` replaced in every attribute value (as ISO specifies)."""
        name = el.get("is-a")
        abstract = self.abstract_patterns.get(name)
        if abstract is None:
            self.fail(el, f"pattern is-a={name!r}: no abstract pattern with that id")
        params = {}
        for p in self.children(el):
            if local(p) == "param":
                if not p.get("name") or p.get("value") is None:
                    self.fail(p, "sch:param needs name and value")
                params[p.get("name")] = p.get("value")
            elif local(p) not in _IGNORED:
                self.fail(p, f"sch:{local(p)} is not allowed in a pattern instance (is-a)")
        inst = copy.deepcopy(abstract)
        for orig, new in zip(abstract.iter(), inst.iter()):
            self.origin[id(new)] = self.origin.get(id(orig), orig)
        self._keep = getattr(self, "_keep", []) + [inst]
        if params:
            rx = re.compile(r"\$(" + "|".join(re.escape(k) for k in sorted(params, key=len, reverse=True)) + r")(?![\w.\-])")
            for node in inst.iter():
                if isinstance(node.tag, str):
                    for k, v in node.attrib.items():
                        node.set(k, rx.sub(lambda m: params[m.group(1)], v))
        inst.attrib.pop("abstract", None)
        if el.get("id"):
            inst.set("id", el.get("id"))
        else:
            inst.attrib.pop("id", None)
        return inst

    def rule_parts(self, rule, seen=()) -> list:
        """The rule's let/assert/report children with ``extends`` expanded."""
        out = []
        for c in self.children(rule):
            name = local(c)
            if name == "extends":
                if c.get("href"):
                    self.fail(c, "sch:extends/@href (rules in other documents) is not supported")
                rid = c.get("rule")
                target = self.abstract_rules.get(rid)
                if target is None:
                    self.fail(c, f"sch:extends rule={rid!r}: no abstract rule with that id")
                if rid in seen:
                    self.fail(c, f"sch:extends rule={rid!r} is circular")
                out += self.rule_parts(target, (*seen, rid))
            elif name in ("let", "assert", "report"):
                out.append(c)
            elif name is None or name in _IGNORED:
                continue
            else:
                self.fail(c, f"sch:{name} is not allowed in sch:rule")
        return out


def _inside_sch(el) -> bool:
    parent = el.getparent()
    while parent is not None:
        if local(parent) is not None:
            return True
        parent = parent.getparent()
    return False


def _esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\t", "&#9;").replace("\r", "&#13;"))


# ---------------------------------------------------------------------------
def read_schema(path: Path, phase: str | None = None) -> Schema:
    """The model of the Schematron in ``path``, restricted to ``phase``."""
    reader = Reader(path)
    schema, phases, default_phase = reader.read()
    patterns: list[Pattern] = []
    for n, el in enumerate(reader.pattern_elems, 1):
        if el.get("is-a"):
            el = reader.expand_abstract(el)
        patterns.append(_pattern(reader, schema, el, n))
    ids = [p.id for p in patterns if p.id]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SchemaError(f"Error: {corpus.display_name(path)}: pattern id {sorted(dup)[0]!r} is used twice")
    chosen = phase if phase not in (None, "#DEFAULT") else (default_phase or "#ALL")
    if chosen != "#ALL":
        el = phases.get(chosen)
        if el is None:
            known = ", ".join([*phases, "#ALL"])
            if phase in (None, "#DEFAULT"):
                raise SchemaError(f"Error: {corpus.display_name(path)}: defaultPhase {chosen!r} is not defined (phases: {known})")
            raise SchemaError(f"Error: Schematron phase {chosen!r} is not defined in {corpus.display_name(path)} (phases: {known})")
        active: list[str] = []
        phase_lets: list[Let] = []
        by_id = {p.id: p for p in patterns if p.id}
        for a in reader.children(el):
            name = local(a)
            if name == "active":
                pid = a.get("pattern")
                if pid not in by_id:
                    reader.fail(a, f"phase {chosen!r}: active pattern={pid!r} is not a pattern id")
                active.append(pid)
            elif name == "let":
                phase_lets.append(reader.let(a))
            elif name is not None and name not in _IGNORED:
                reader.fail(a, f"sch:{name} is not allowed in sch:phase")
        patterns = [p for p in patterns if p.id in active]
        _no_duplicates(phase_lets, "phase")
        shadowed = {let.name for let in phase_lets}  # phase variables shadow schema-level ones
        schema.lets = [x for x in schema.lets if x.name not in shadowed] + phase_lets
    schema.patterns = patterns
    names = [let.name for let in schema.lets]
    for let in schema.lets:
        if names.count(let.name) > 1:
            raise SchemaError(f"{let.where}: variable {let.name!r} is defined twice at schema level")
    for key, el in [*schema.diagnostics.items(), *schema.properties.items()]:
        if not key:
            reader.fail(el, f"sch:{local(el)} needs an id")
    schema.files = list(dict.fromkeys(reader.files))
    schema.reader = reader  # keeps copies (and their locations) alive for the compiler
    return schema


def _pattern(reader: Reader, schema: Schema, el, n: int) -> Pattern:
    for attr, what in _UNSUPPORTED_ATTRS.items():
        if el.get(attr) is not None:
            reader.fail(el, f"{what} is not supported")
    pid = el.get("id")
    pat = Pattern(pid, pid or f"pattern{n}", [], [], reader.where(el), group=local(el) == "group")
    pos = 0
    for c in reader.children(el):
        name = local(c)
        if name == "let":
            pat.lets.append(reader.let(c))
        elif name == "rule":
            if c.get("abstract") == "true":
                continue
            pos += 1
            pat.rules.append(_rule(reader, schema, c, pat, pos))
        elif name is None or name in _IGNORED:
            continue
        else:
            reader.fail(c, f"sch:{name} is not allowed in sch:{local(el)}")
    _no_duplicates(pat.lets, "pattern")
    return pat


def _rule(reader: Reader, schema: Schema, el, pat: Pattern, pos: int) -> Rule:
    for attr, what in _UNSUPPORTED_ATTRS.items():
        if el.get(attr) is not None:
            reader.fail(el, f"{what} is not supported")
    context = el.get("context")
    if not context or not context.strip():
        reader.fail(el, "sch:rule needs a context")
    rule = Rule(context, el.get("id"), [], [], el.get("subject"), reader.where(el))
    rule.label = rule.id or f"{pat.label}/{pos}"
    rule_role = el.get("role")
    rule_props = (el.get("properties") or "").split()
    for c in reader.rule_parts(el):
        name = local(c)
        if name == "let":
            rule.lets.append(reader.let(c))
            continue
        test = c.get("test")
        if test is None or not test.strip():
            reader.fail(c, f"sch:{name} needs a test")
        role = c.get("role") or rule_role or ""
        diags = (c.get("diagnostics") or "").split()
        props = rule_props + (c.get("properties") or "").split()
        for d in diags:
            if d not in schema.diagnostics:
                reader.fail(c, f"sch:{name} refers to diagnostic {d!r}, which is not defined")
        for d in props:
            if d not in schema.properties:
                reader.fail(c, f"sch:{name} refers to property {d!r}, which is not defined")
        severity = "warning" if role.strip().lower() in WARNING_ROLES else "error"
        rule.checks.append(Check(name, test, c, severity, c.get("id"), diags, props,
                                 c.get("subject"), reader.where(c)))
    _no_duplicates(rule.lets, "rule")
    return rule


def _no_duplicates(lets: list[Let], level: str) -> None:
    seen = set()
    for let in lets:
        if let.name in seen:
            raise SchemaError(f"{let.where}: variable {let.name!r} is defined twice in the same {level}")
        seen.add(let.name)
