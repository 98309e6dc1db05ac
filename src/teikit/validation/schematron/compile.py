"""Generate XSLT 3.0 from the Schematron model, and compile it with saxonche.

The generated stylesheet (one per schema and phase) writes an ISO SVRL
report (ISO/IEC 19757-3:2020, Annex D), from which :mod:`.run` takes
the problems:

* it binds the XSLT, SVRL and teikit namespaces to prefixes the schema
  does not use, so a schema may bind any prefix (``xsl`` included);
  ``xs``, ``fn``, ``map``, ``array`` and ``math`` are declared unless the
  schema binds those prefixes itself, then every ``sch:ns``;
* copies the XSLT declarations of the schema (``xsl:function``,
  ``xsl:key``, ``xsl:accumulator``, ``xsl:include``, ``xsl:import``);
* has one global ``xsl:variable`` per schema, phase and pattern ``let``
  (all global in ISO Schematron 2020), evaluated with the document node
  as context; a ``let`` without ``@value`` has its content as value;
* has one mode per pattern.  Each rule is a template in that mode with a
  priority that falls in document order, so for a given node only the
  first matching rule of a pattern fires (``sch:group``: one mode per
  rule, so every matching rule fires).  Templates are applied only to
  candidate nodes (see :mod:`.candidates`), in document order, and with
  ``phase/@from`` only to the nodes below those it selects;
* a pattern with ``@documents`` runs on each subordinate document, which
  :mod:`.run` parses safely and passes in (``$documents``: a first run
  with ``$stage = 'documents'`` lists their URIs);
* ``rule/@visit-each`` makes each of its items the context of the
  rule's variables and assertions;
* evaluates each assert/report inside ``xsl:try``: a dynamic error in a
  test is reported as a problem on that node instead of stopping the run
  (a ``t:error`` element in the report; :mod:`.svrl` leaves them out of
  the SVRL it writes, as comments).

``queryBinding="xslt"`` (XPath 1) runs in XSLT's backwards-compatible
mode (``version="1.0"``): first-item semantics for strings and numbers,
as in XPath 1.  Remaining differences from an XSLT 1.0 processor:
numbers are formatted the XPath 2 way (``string(1e20)`` is ``1.0E20``)
and XPath 2+ functions are also available.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ... import saxon
from ...problems import SchemaError
from .candidates import union
from .extract import _esc as escape
from .extract import substitute
from .model import XSL, Check, Let, Pattern, Rule, Schema, Where, local

T = "urn:teikit:schematron"
SVRL = "http://purl.oclc.org/dsdl/svrl"
ERR = "http://www.w3.org/2005/xqt-errors"
DEFAULT_PREFIXES = {
    "xs": "http://www.w3.org/2001/XMLSchema",
    "fn": "http://www.w3.org/2005/xpath-functions",
    "map": "http://www.w3.org/2005/xpath-functions/map",
    "array": "http://www.w3.org/2005/xpath-functions/array",
    "math": "http://www.w3.org/2005/xpath-functions/math",
}
#: parameters of the generated stylesheet
BASE, DOCUMENTS, STAGE = f"Q{{{T}}}base", f"Q{{{T}}}documents", f"Q{{{T}}}stage"


class Writer:
    """The stylesheet text, one construct per line, with each line's origin."""

    def __init__(self, taken: set[str]) -> None:
        self.lines: list[str] = []
        self.origin: dict[int, tuple[str | Where, str]] = {}
        self.x = _free("xsl", taken)
        self.s = _free("svrl", taken | {self.x})
        self.t = _free("t", taken | {self.x, self.s})

    def add(self, text: str, origin: tuple[str | Where, str] | None = None) -> None:
        # "%X", "%S", "%T" stand for the prefixes; "%" in anything from the
        # schema is written as a character reference (see _esc, _text)
        self.lines.append(text.replace("%X", self.x).replace("%S", self.s).replace("%T", self.t))
        if origin:
            self.origin[len(self.lines)] = origin

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _free(prefix: str, taken: set[str]) -> str:
    """``prefix``, or ``prefix1``, ``prefix2``... whichever the schema does not bind."""
    n, out = 0, prefix
    while out in taken:
        n += 1
        out = f"{prefix}{n}"
    return out


def _text(s: str) -> str:
    return (
        s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;").replace("%", "&#37;")
    )


def _esc(s: str) -> str:
    return escape(s).replace("%", "&#37;")


def _lit(s: str) -> str:
    """An attribute value written as it is (braces are not a template)."""
    return _esc(s).replace("{", "{{").replace("}", "}}")


def _attrs(**values: str | None) -> str:
    """Literal attributes (``name_`` for names with a hyphen or colon: see :data:`_NAMES`)."""
    return "".join(f' {_NAMES.get(k, k)}="{_lit(v)}"' for k, v in values.items() if v is not None)


def _avts(**values: str | None) -> str:
    """Attributes whose values are attribute value templates (role, flag)."""
    return "".join(f' {k}="{_esc(v)}"' for k, v in values.items() if v is not None)


_NAMES = {"lang": "xml:lang", "schema_version": "schemaVersion"}


def generate(schema: Schema) -> tuple[str, Writer, list[Check], list[Rule]]:
    """The XSLT text for ``schema``, its line origins, the numbered checks and rules."""
    ns = dict(DEFAULT_PREFIXES)
    ns.update(schema.namespaces)
    w = Writer(set(ns))
    decls = " ".join(f'xmlns:{p}="{_esc(u)}"' for p, u in ns.items())
    version = "1.0" if schema.xpath1 else "3.0"
    w.add(
        f'<%X:stylesheet xmlns:{w.x}="{XSL}" xmlns:{w.s}="{SVRL}" xmlns:{w.t}="{T}" {decls} '
        f'version="{version}" exclude-result-prefixes="#all">'
    )
    w.add('<%X:output method="xml" indent="no" encoding="UTF-8"/>')
    w.add(f'<%X:param name="{BASE}" select="\'\'"/>')
    w.add(f'<%X:param name="{DOCUMENTS}" select="()"/>')
    w.add(f'<%X:param name="{STAGE}" select="\'check\'"/>')
    if any("accumulator" in frag.split(">", 1)[0] for frag, _ in schema.xslt):
        w.add('<%X:mode use-accumulators="#all"/>')
    for frag, where in schema.xslt:  # verbatim (line by line, so errors map back)
        name = re.match(r"<[^\s>]*?:?(\w+)[\s>/]", frag)
        kind = name.group(1) if name else "declaration"
        what = "this xsl:function or xsl:key" if kind in ("function", "key") else f"this xsl:{kind}"
        for line in frag.split("\n"):
            w.lines.append(line)
            w.origin[len(w.lines)] = (where, what)
    for let in schema.globals:
        _let(w, let, f"let {let.name}")
    if schema.start:
        w.add(
            f'<%X:variable name="Q{{{T}}}start" select="({_esc(schema.start)})/(descendant-or-self::node() '
            '| descendant-or-self::node()/@*)"/>',
            (
                schema.reader.where(schema.reader.phase_elems[schema.phase]),
                f"phase {schema.phase}: from {schema.start!r}",
            ),
        )
    modes = _modes(schema)
    _root(w, schema, modes)
    checks: list[Check] = []
    rule_list: list[Rule] = []
    for mode, rules in modes:
        w.add(f'<%X:mode name="Q{{{T}}}{mode}" on-no-match="deep-skip"/>')
        # deep-skip would descend from a document node: a candidate "/" that
        # no rule matches must do nothing
        w.add(f'<%X:template match="/" mode="Q{{{T}}}{mode}" priority="-1"/>')
        for k, (_, rule) in enumerate(rules):
            _template(w, schema, rule, mode, len(rules) - k, len(rule_list), checks)
            rule_list.append(rule)
    w.add("</%X:stylesheet>")
    return w.text(), w, checks, rule_list


def _modes(schema: Schema) -> list[tuple[str, list[tuple[int, Rule]]]]:
    """One mode per pattern (per rule for sch:group), with its pattern number."""
    modes: list[tuple[str, list[tuple[int, Rule]]]] = []
    for i, pat in enumerate(schema.patterns):
        if pat.group:
            modes += [(f"g{i}_{j}", [(i, r)]) for j, r in enumerate(pat.rules)]
        elif pat.rules:
            modes.append((f"p{i}", [(i, r) for r in pat.rules]))
    return modes


def _let(w: Writer, let: Let, what: str) -> None:
    as_ = f' as="{_esc(let.as_)}"' if let.as_ else ""
    if let.content is None:
        w.add(
            f'<%X:variable name="{_esc(let.name)}" select="{_esc(let.value or "")}"{as_}/>',
            (let.where, f"{what} = {let.value!r}"),
        )
        return
    # the content is data, not instructions: parsed, not compiled
    parts = [let.content.text or ""]
    for child in let.content:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=False))
        parts.append(child.tail or "")
    xml = "".join(p for p in parts if p.strip())
    literal = "'" + xml.replace("'", "''") + "'"
    w.add(
        f'<%X:variable name="{_esc(let.name)}" select="{_esc(f"parse-xml-fragment({literal})/node()")}"{as_}/>',
        (let.where, f"{what} (element content)"),
    )


def _root(w: Writer, schema: Schema, modes: list[tuple[str, list[tuple[int, Rule]]]]) -> None:
    """The template for the document node: the URIs of the subordinate
    documents (first stage), else the SVRL report."""
    w.add('<%X:template match="/" version="3.0">')
    w.add(f"<%X:choose><%X:when test=\"${STAGE} = 'documents'\"><%T:documents>")
    for i, pat in enumerate(schema.patterns):
        if pat.documents:
            w.add(
                f'<%X:for-each select="{_uris(pat.documents)}"><%T:uri pattern="{i}"><%X:value-of select="."/></%T:uri></%X:for-each>',
                (pat.where, f"pattern {pat.label}: documents {pat.documents!r}"),
            )
    w.add("</%T:documents></%X:when><%X:otherwise>")
    w.add(
        f"<%S:schematron-output{_attrs(title=schema.title, schema_version=schema.version)}"
        f"{_attrs(phase=schema.phase if schema.phase != '#ALL' else None)}>"
    )
    for p, u in schema.namespaces.items():
        w.add(f"<%S:ns-prefix-in-attribute-values{_attrs(prefix=p, uri=u)}/>")
    by_pattern: dict[int, list[str]] = {}
    for mode, rules in modes:
        by_pattern.setdefault(rules[0][0], []).append(mode)
    for i, pat in enumerate(schema.patterns):
        _apply(w, schema, pat, by_pattern.get(i, []))
    w.add("</%S:schematron-output></%X:otherwise></%X:choose>")
    w.add("</%X:template>")


def _uris(expr: str) -> str:
    return _esc(f"for $Q{{{T}}}u in ({expr}) return resolve-uri(string($Q{{{T}}}u), ${BASE})")


def _apply(w: Writer, schema: Schema, pat: Pattern, modes: list[str]) -> None:
    """The active pattern and its rules applied to the candidate nodes."""
    attrs = _attrs(id=pat.id, name=pat.title)
    rules = [r for r in pat.rules]
    select = union([r.context for r in rules]) if rules else "()"
    if schema.start and select != "()":
        select = f"({select}) intersect $Q{{{T}}}start"
    where = (pat.where, f"pattern {pat.label}: rule contexts")
    if rules:
        where = (rules[0].where, f"rule {rules[0].label}: context {rules[0].context!r}")
    if not pat.documents:
        w.add(f'<%S:active-pattern{attrs}{_avts(role=pat.role)} documents="{{${BASE}}}"/>')
        for mode in modes if select != "()" else []:
            w.add(f'<%X:apply-templates select="{_esc(select)}" mode="Q{{{T}}}{mode}">', where)
            w.add(f'<%X:with-param name="Q{{{T}}}doc" select="${BASE}" tunnel="yes"/></%X:apply-templates>')
        return
    w.add(f'<%X:variable name="Q{{{T}}}uris" select="{_uris(pat.documents)}"/>')
    w.add(f"<%S:active-pattern{attrs}{_avts(role=pat.role)} documents=\"{{string-join($Q{{{T}}}uris, ' ')}}\"/>")
    w.add(f'<%X:for-each select="$Q{{{T}}}uris"><%X:variable name="Q{{{T}}}u" select="."/>')
    w.add(f'<%X:for-each select="${DOCUMENTS}/*/*[@uri = $Q{{{T}}}u][1]">')
    w.add(f'<%X:variable name="Q{{{T}}}sub"><%X:copy-of select="node()"/></%X:variable>')
    w.add(f'<%X:for-each select="$Q{{{T}}}sub">')
    sub_select = union([r.context for r in rules]) if rules else "()"
    for mode in modes if sub_select != "()" else []:
        w.add(f'<%X:apply-templates select="{_esc(sub_select)}" mode="Q{{{T}}}{mode}">', where)
        w.add(f'<%X:with-param name="Q{{{T}}}doc" select="$Q{{{T}}}u" tunnel="yes"/></%X:apply-templates>')
    w.add("</%X:for-each></%X:for-each></%X:for-each>")


def _template(
    w: Writer, schema: Schema, rule: Rule, mode: str, priority: int, rule_no: int, checks: list[Check]
) -> None:
    where = (rule.where, f"rule {rule.label}: context {rule.context!r}")
    w.add(f'<%X:template match="{_esc(rule.context)}" mode="Q{{{T}}}{mode}" priority="{priority}">', where)
    w.add(f'<%X:param name="Q{{{T}}}doc" tunnel="yes"/>')
    w.add(
        f"<%S:fired-rule{_attrs(context=rule.context, id=rule.id)}{_avts(role=rule.role, flag=rule.flag)}"
        f' document="{{$Q{{{T}}}doc}}"/>'
    )
    if rule.visit_each:
        w.add(f'<%X:variable name="Q{{{T}}}ctx" select="."/>')
    w.add("<%X:try>")
    if rule.visit_each:
        w.add(
            f'<%X:for-each select="{_esc(rule.visit_each)}">',
            (rule.where, f"rule {rule.label}: visit-each {rule.visit_each!r}"),
        )
    for let in rule.lets:
        _let(w, let, f"rule {rule.label}: let {let.name}")
    for check in rule.checks:
        check.index = len(checks)
        checks.append(check)
        _check(w, schema, rule, check)
    if rule.visit_each:
        w.add("</%X:for-each>")
    w.add(
        f'<%X:catch><%T:error rule="{rule_no}">'
        f'<%X:attribute name="location" select="{_esc(_location(rule, "."))}"/><%X:value-of select="$Q{{{ERR}}}description"/></%T:error></%X:catch>'
    )
    w.add("</%X:try>")
    w.add("</%X:template>")


def _location(rule: Rule, node: str) -> str:
    if rule.visit_each:
        return f"if ({node} instance of node()) then path({node}) else path($Q{{{T}}}ctx)"
    return f"path({node})"


def _check(w: Writer, schema: Schema, rule: Rule, check: Check) -> None:
    what = f"rule {rule.label}: {check.kind} test {check.test!r}"
    test = check.test if check.kind == "report" else f"not(({check.test}))"
    w.add("<%X:try>")
    w.add(f'<%X:if test="{_esc(test)}">', (check.where, what))
    subject = check.subject or rule.subject
    node = "."
    if subject:
        w.add(
            f'<%X:variable name="Q{{{T}}}s" select="(({_esc(subject)})[. instance of node()], .)[1]"/>',
            (check.where, f"rule {rule.label}: subject {subject!r}"),
        )
        node = f"$Q{{{T}}}s"
    element = "failed-assert" if check.kind == "assert" else "successful-report"
    attrs = _attrs(test=check.test, id=check.id, see=check.see, icon=check.icon, fpi=check.fpi, lang=check.lang)
    w.add(f'<%S:{element}{attrs}{_avts(role=check.role, flag=check.flag)} %T:check="{check.index}">')
    w.add(f'<%X:attribute name="location" select="{_esc(_location(rule, node))}"/>')
    for ref in check.diagnostics:
        el = schema.diagnostics[ref]
        w.add(f"<%S:diagnostic-reference{_attrs(diagnostic=ref)}>")
        _text_element(w, schema, el, f"diagnostic {ref}", check.params)
        w.add("</%S:diagnostic-reference>")
    for ref in check.properties:
        el = schema.properties[ref]
        w.add(f"<%S:property-reference{_attrs(property=ref, scheme=el.get('scheme'))}{_avts(role=el.get('role'))}>")
        _text_element(w, schema, el, f"property {ref}", check.params)
        w.add("</%S:property-reference>")
    w.add("<%S:text>")
    _content(w, check.content, check.where, f"rule {rule.label}: {check.kind}", check.params)
    w.add(f"</%S:text></%S:{element}>")
    w.add("</%X:if>")
    w.add(
        f'<%X:catch><%T:error check="{check.index}">'
        f'<%X:attribute name="location" select="{_esc(_location(rule, "."))}"/><%X:value-of select="$Q{{{ERR}}}description"/></%T:error></%X:catch>'
    )
    w.add("</%X:try>")


def _text_element(w: Writer, schema: Schema, el: Any, what: str, params: dict[str, str]) -> None:
    reader = schema.reader
    attrs = _attrs(see=el.get("see"), icon=el.get("icon"), fpi=el.get("fpi"), lang=reader.lang(el))
    w.add(f"<%S:text{attrs}>")
    _content(w, el, reader.where(el), what, params)
    w.add("</%S:text>")


_INLINE = {"emph": (), "dir": ("value",), "span": ("class",)}


def _content(w: Writer, el: Any, where: str | Where, what: str, params: dict[str, str]) -> None:
    """The message of an assert/report/diagnostic/property element, as SVRL text."""
    # as an XSLT processor would, leave out white space alone at either end
    # (the message is normalised anyway; inside, it separates the parts)
    children = list(el)
    if el.text and (el.text.strip() or not children):
        w.add(f"<%X:text>{_text(el.text)}</%X:text>")
    for n, child in enumerate(children):
        if isinstance(child.tag, str):
            _inline(w, child, where, what, params)
        if child.tail and (child.tail.strip() or n < len(children) - 1):
            w.add(f"<%X:text>{_text(child.tail)}</%X:text>")


def _inline(w: Writer, child: Any, where: str | Where, what: str, params: dict[str, str]) -> None:
    name = local(child)
    if name == "value-of" or (name is None and child.tag in (f"{{{XSL}}}value-of", f"{{{XSL}}}copy-of")):
        sel = child.get("select")
        if not sel:
            raise SchemaError(
                f"{where}: {what}: {'sch:value-of' if name else child.prefix + ':' + etree.QName(child).localname} needs a select"
            )
        sel = substitute(sel, params)
        kind = "copy-of" if child.tag == f"{{{XSL}}}copy-of" else "value-of"
        w.add(f'<%X:{kind} select="{_esc(sel)}"/>', (where, f"{what}: {kind} select {sel!r}"))
    elif name == "name":
        path = child.get("path")
        # ISO 2020: with @path, the value of that expression; without, the context node's name
        sel = substitute(path, params) if path else "name(.)"
        w.add(f'<%X:value-of select="{_esc(sel)}"/>', (where, f"{what}: name path {path!r}"))
    elif name in _INLINE:
        keep = _attrs(**{a: child.get(a) for a in _INLINE[name]})
        w.add(f"<%S:{name}{keep}>")
        _content(w, child, where, what, params)
        w.add(f"</%S:{name}>")
    elif name is None:
        _content(w, child, where, what, params)
    else:
        raise SchemaError(f"{where}: {what}: sch:{name} is not allowed in a message")


_LINE = re.compile(r"on line (\d+) column (\d+)")
_CODE = re.compile(r"\b([A-Z]{4}\d{4})\b\s+(.*)", re.S)


def compile_xslt(schema: Schema, text: str, w: Writer) -> Any:
    """Compile with saxonche; map a static error back to the schema."""
    try:
        return saxon.compile_text(text, schema.path.resolve().parent)
    except saxon.TransformError as exc:
        raise SchemaError(_explain(str(exc), w, schema)) from None


def _explain(message: str, w: Writer, schema: Schema) -> str:
    m = _LINE.search(message)
    code = _CODE.search(message)
    detail = " ".join((f"{code.group(1)}: {code.group(2)}" if code else message).split())
    detail = re.split(r"\s+Error in |\s+Error at ", detail)[0]
    origin = w.origin.get(int(m.group(1))) if m else None
    if origin is None and m:
        # the error may be reported on a line inside the construct
        line = int(m.group(1))
        near = [n for n in w.origin if n <= line]
        origin = w.origin[max(near)] if near else None
    if origin is None:
        return f"Error: Schematron {schema.path} does not compile: {detail}"
    where, what = origin
    hint = ""
    prefix = re.search(r"XPST0081: Namespace prefix '([^']+)'", detail)
    if prefix:
        hint = f' (declare it with <sch:ns prefix="{prefix.group(1)}" uri="..."/>)'
    return f"{where}: {what} does not compile: {detail}{hint}"
