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
from .messages import content, text_element
from .model import XSL, Check, Let, Pattern, Rule, Schema
from .writer import Writer, attrs, avts, esc

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
BASE, DOCUMENTS, STAGE, FULL = (f"Q{{{T}}}{n}" for n in ("base", "documents", "stage", "full"))


def generate(schema: Schema) -> tuple[str, Writer, list[Check], list[Rule]]:
    """The XSLT text for ``schema``, its line origins, the numbered checks and rules."""
    ns = dict(DEFAULT_PREFIXES)
    ns.update(schema.namespaces)
    w = Writer(set(ns))
    decls = " ".join(f'xmlns:{p}="{esc(u)}"' for p, u in ns.items())
    version = "1.0" if schema.xpath1 else "3.0"
    w.add(
        f'<%X:stylesheet xmlns:{w.x}="{XSL}" xmlns:{w.s}="{SVRL}" xmlns:{w.t}="{T}" {decls} '
        f'version="{version}" exclude-result-prefixes="#all">'
    )
    w.add('<%X:output method="xml" indent="no" encoding="UTF-8"/>')
    w.add(f'<%X:param name="{BASE}" select="\'\'"/>')
    w.add(f'<%X:param name="{DOCUMENTS}" select="()"/>')
    w.add(f'<%X:param name="{STAGE}" select="\'check\'"/>')
    w.add(f'<%X:param name="{FULL}" select="\'no\'"/>')  # 'yes': the fired rules too
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
            f'<%X:variable name="Q{{{T}}}start" select="({esc(schema.start)})/(descendant-or-self::node() '
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
        for k, (pi, rule) in enumerate(rules):
            sub = bool(schema.patterns[pi].documents)
            _template(w, schema, rule, (mode, len(rules) - k), len(rule_list), checks, sub)
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
    as_ = f' as="{esc(let.as_)}"' if let.as_ else ""
    if let.content is None:
        w.add(
            f'<%X:variable name="{esc(let.name)}" select="{esc(let.value or "")}"{as_}/>',
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
        f'<%X:variable name="{esc(let.name)}" select="{esc(f"parse-xml-fragment({literal})/node()")}"{as_}/>',
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
        f"<%S:schematron-output{attrs(title=schema.title, schema_version=schema.version)}"
        f"{attrs(phase=schema.phase if schema.phase != '#ALL' else None)}>"
    )
    for p, u in schema.namespaces.items():
        w.add(f"<%S:ns-prefix-in-attribute-values{attrs(prefix=p, uri=u)}/>")
    by_pattern: dict[int, list[str]] = {}
    for mode, rules in modes:
        by_pattern.setdefault(rules[0][0], []).append(mode)
    for i, pat in enumerate(schema.patterns):
        _apply(w, schema, pat, by_pattern.get(i, []))
    w.add("</%S:schematron-output></%X:otherwise></%X:choose>")
    w.add("</%X:template>")


def _uris(expr: str) -> str:
    return esc(f"for $Q{{{T}}}u in ({expr}) return resolve-uri(string($Q{{{T}}}u), ${BASE})")


def _apply(w: Writer, schema: Schema, pat: Pattern, modes: list[str]) -> None:
    """The active pattern and its rules applied to the candidate nodes."""
    known = attrs(id=pat.id, name=pat.title)
    rules = [r for r in pat.rules]
    select = union([r.context for r in rules]) if rules else "()"
    if schema.start and select != "()":
        select = f"({select}) intersect $Q{{{T}}}start"
    where = (pat.where, f"pattern {pat.label}: rule contexts")
    if rules:
        where = (rules[0].where, f"rule {rules[0].label}: context {rules[0].context!r}")
    if not pat.documents:
        w.add(f'<%S:active-pattern{known}{avts(role=pat.role)} documents="{{${BASE}}}"/>')
        for mode in modes if select != "()" else []:
            w.add(f'<%X:apply-templates select="{esc(select)}" mode="Q{{{T}}}{mode}">', where)
            w.add(f'<%X:with-param name="Q{{{T}}}doc" select="${BASE}" tunnel="yes"/></%X:apply-templates>')
        return
    w.add(f'<%X:variable name="Q{{{T}}}uris" select="{_uris(pat.documents)}"/>')
    w.add(f"<%S:active-pattern{known}{avts(role=pat.role)} documents=\"{{string-join($Q{{{T}}}uris, ' ')}}\"/>")
    w.add(f'<%X:for-each select="$Q{{{T}}}uris"><%X:variable name="Q{{{T}}}u" select="."/>')
    w.add(f'<%X:for-each select="${DOCUMENTS}/*/*[@uri = $Q{{{T}}}u][1]">')
    w.add(f'<%X:variable name="Q{{{T}}}sub"><%X:copy-of select="node()"/></%X:variable>')
    w.add(f'<%X:for-each select="$Q{{{T}}}sub">')
    sub_select = union([r.context for r in rules]) if rules else "()"
    for mode in modes if sub_select != "()" else []:
        w.add(f'<%X:apply-templates select="{esc(sub_select)}" mode="Q{{{T}}}{mode}">', where)
        w.add(f'<%X:with-param name="Q{{{T}}}doc" select="$Q{{{T}}}u" tunnel="yes"/></%X:apply-templates>')
    w.add("</%X:for-each></%X:for-each></%X:for-each>")


def _template(
    w: Writer, schema: Schema, rule: Rule, mode: tuple[str, int], rule_no: int, checks: list[Check], sub: bool
) -> None:
    """The template of ``rule`` in ``mode`` (name, priority); ``sub``: it
    runs on subordinate documents, so its results say which."""
    mode_name, priority = mode
    mark = f' %T:doc="{{$Q{{{T}}}doc}}"' if sub else ""
    where = (rule.where, f"rule {rule.label}: context {rule.context!r}")
    w.add(f'<%X:template match="{esc(rule.context)}" mode="Q{{{T}}}{mode_name}" priority="{priority}">', where)
    w.add(f'<%X:param name="Q{{{T}}}doc" tunnel="yes"/>')
    w.add(
        f"<%X:if test=\"${FULL} = 'yes'\"><%S:fired-rule{attrs(context=rule.context, id=rule.id)}"
        f'{avts(role=rule.role, flag=rule.flag)} document="{{$Q{{{T}}}doc}}"/></%X:if>'
    )
    if rule.visit_each:
        w.add(f'<%X:variable name="Q{{{T}}}ctx" select="."/>')
    w.add("<%X:try>")
    if rule.visit_each:
        w.add(
            f'<%X:for-each select="{esc(rule.visit_each)}">',
            (rule.where, f"rule {rule.label}: visit-each {rule.visit_each!r}"),
        )
    for let in rule.lets:
        _let(w, let, f"rule {rule.label}: let {let.name}")
    for check in rule.checks:
        check.index = len(checks)
        checks.append(check)
        _check(w, schema, rule, check, mark)
    if rule.visit_each:
        w.add("</%X:for-each>")
    w.add(
        f'<%X:catch><%T:error rule="{rule_no}"{mark}>'
        f'<%X:attribute name="location" select="{esc(_location(rule, "."))}"/><%X:value-of select="$Q{{{ERR}}}description"/></%T:error></%X:catch>'
    )
    w.add("</%X:try>")
    w.add("</%X:template>")


def _location(rule: Rule, node: str) -> str:
    if rule.visit_each:
        return f"if ({node} instance of node()) then path({node}) else path($Q{{{T}}}ctx)"
    return f"path({node})"


def _check(w: Writer, schema: Schema, rule: Rule, check: Check, mark: str) -> None:
    what = f"rule {rule.label}: {check.kind} test {check.test!r}"
    test = check.test if check.kind == "report" else f"not(({check.test}))"
    w.add("<%X:try>")
    w.add(f'<%X:if test="{esc(test)}">', (check.where, what))
    subject = check.subject or rule.subject
    node = "."
    if subject:
        w.add(
            f'<%X:variable name="Q{{{T}}}s" select="(({esc(subject)})[. instance of node()], .)[1]"/>',
            (check.where, f"rule {rule.label}: subject {subject!r}"),
        )
        node = f"$Q{{{T}}}s"
    element = "failed-assert" if check.kind == "assert" else "successful-report"
    known = attrs(test=check.test, id=check.id, see=check.see, icon=check.icon, fpi=check.fpi, lang=check.lang)
    w.add(f'<%S:{element}{known}{avts(role=check.role, flag=check.flag)} %T:check="{check.index}"{mark}>')
    w.add(f'<%X:attribute name="location" select="{esc(_location(rule, node))}"/>')
    for ref in check.diagnostics:
        el = schema.diagnostics[ref]
        w.add(f"<%S:diagnostic-reference{attrs(diagnostic=ref)}>")
        text_element(w, schema, el, f"diagnostic {ref}", check.params)
        w.add("</%S:diagnostic-reference>")
    for ref in check.properties:
        el = schema.properties[ref]
        w.add(f"<%S:property-reference{attrs(property=ref, scheme=el.get('scheme'))}{avts(role=el.get('role'))}>")
        text_element(w, schema, el, f"property {ref}", check.params)
        w.add("</%S:property-reference>")
    w.add("<%S:text>")
    content(w, check.content, check.where, f"rule {rule.label}: {check.kind}", check.params)
    w.add(f"</%S:text></%S:{element}>")
    w.add("</%X:if>")
    w.add(
        f'<%X:catch><%T:error check="{check.index}"{mark}>'
        f'<%X:attribute name="location" select="{esc(_location(rule, "."))}"/><%X:value-of select="$Q{{{ERR}}}description"/></%T:error></%X:catch>'
    )
    w.add("</%X:try>")


_LINE = re.compile(r"on line (\d+) column (\d+)")
_CODE = re.compile(r"\b([A-Z]{4}\d{4})\b\s+(.*)", re.S)


def compile_xslt(schema: Schema, text: str, w: Writer) -> Any:
    """Compile with saxonche; map a static error back to the schema."""
    return compile_confined(schema, text, w)[0]


def compile_confined(schema: Schema, text: str, w: Writer) -> tuple[Any, str]:
    """:func:`compile_xslt`'s executable, and the text as confined for Saxon."""
    try:
        confined = saxon.confined_text(text)
        return saxon.compile_text(text, schema.path.resolve().parent, confined), confined
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
