"""Generate XSLT 3.0 from the Schematron model, and compile it with saxonche.

The generated stylesheet (one per schema and phase):

* declares ``xs``, ``fn``, ``map``, ``array`` and ``math`` unless the
  schema binds those prefixes itself, then every ``sch:ns``;
* copies ``xsl:function`` and ``xsl:key`` from the schema;
* has one global ``xsl:variable`` per schema-level (and phase) ``let``,
  evaluated with the document node as context;
* keeps each pattern's ``let`` values in one global map (evaluated with
  the document node as context), rebound by name inside that pattern's
  rules only, so patterns cannot see each other's variables;
* has one mode per pattern.  Each rule is a template in that mode with a
  priority that falls in document order, so for a given node only the
  first matching rule of a pattern fires (``sch:group``: one mode per
  rule, so every matching rule fires).  Templates are applied only to
  candidate nodes (see :mod:`.candidates`), in document order;
* evaluates each assert/report inside ``xsl:try``: a dynamic error in a
  test is reported as a problem on that node instead of stopping the run;
* returns a JSON array with one map per failure: check number, the
  XPath of the node (``path()``), the message and diagnostics.

``queryBinding="xslt"`` (XPath 1) runs in XSLT's backwards-compatible
mode (``version="1.0"``): first-item semantics for strings and numbers,
as in XPath 1.  Remaining differences from an XSLT 1.0 processor:
numbers are formatted the XPath 2 way (``string(1e20)`` is ``1.0E20``)
and XPath 2+ functions are also available.
"""

from __future__ import annotations

import re

from ... import saxon
from ...problems import SchemaError
from .candidates import union
from .extract import _esc
from .model import XSL, Check, Schema, local

T = "urn:teikit:schematron"
ERR = "http://www.w3.org/2005/xqt-errors"
DEFAULT_PREFIXES = {
    "xs": "http://www.w3.org/2001/XMLSchema",
    "fn": "http://www.w3.org/2005/xpath-functions",
    "map": "http://www.w3.org/2005/xpath-functions/map",
    "array": "http://www.w3.org/2005/xpath-functions/array",
    "math": "http://www.w3.org/2005/xpath-functions/math",
}


class Writer:
    """The stylesheet text, one construct per line, with each line's origin."""

    def __init__(self):
        self.lines: list[str] = []
        self.origin: dict[int, tuple[str, str]] = {}

    def add(self, text: str, origin: tuple[str, str] | None = None) -> None:
        self.lines.append(text)
        if origin:
            self.origin[len(self.lines)] = origin

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def generate(schema: Schema) -> tuple[str, Writer, list[Check], list]:
    """The XSLT text for ``schema``, its line origins, the numbered checks and rules."""
    w = Writer()
    ns = dict(DEFAULT_PREFIXES)
    ns.update(schema.namespaces)
    if ns.get("xsl", XSL) != XSL:
        raise SchemaError(f"Error: {schema.path}: the prefix 'xsl' is bound to {ns['xsl']}; teikit needs it for XSLT")
    ns.pop("xsl", None)
    decls = " ".join(f'xmlns:{p}="{_esc(u)}"' for p, u in ns.items())
    version = "1.0" if schema.xpath1 else "3.0"
    w.add(f'<xsl:stylesheet xmlns:xsl="{XSL}" {decls} version="{version}" exclude-result-prefixes="#all">')
    w.add('<xsl:output method="json" indent="no" encoding="UTF-8"/>')
    for frag, where in schema.xslt:  # verbatim (line by line, so errors map back)
        for line in frag.split("\n"):
            w.add(line, (where, "this xsl:function or xsl:key"))
    for let in schema.lets:
        as_ = f' as="{_esc(let.as_)}"' if let.as_ else ""
        w.add(
            f'<xsl:variable name="{_esc(let.name)}" select="{_esc(let.value)}"{as_}/>',
            (let.where, f"let {let.name} = {let.value!r}"),
        )
    for i, pat in enumerate(schema.patterns):
        if pat.lets:
            w.add(f'<xsl:variable name="Q{{{T}}}pl{i}" as="map(*)">')
            for let in pat.lets:
                as_ = f' as="{_esc(let.as_)}"' if let.as_ else ""
                w.add(
                    f'<xsl:variable name="{_esc(let.name)}" select="{_esc(let.value)}"{as_}/>',
                    (let.where, f"pattern {pat.label}: let {let.name} = {let.value!r}"),
                )
            entries = ", ".join(f"{k}: ${let.name}" for k, let in enumerate(pat.lets))
            w.add(f'<xsl:sequence select="map{{{_esc(entries)}}}"/>')
            w.add("</xsl:variable>")

    # one mode per pattern (per rule for sch:group)
    modes: list[tuple[str, list]] = []
    for i, pat in enumerate(schema.patterns):
        if pat.group:
            modes += [(f"g{i}_{j}", [(i, r)]) for j, r in enumerate(pat.rules)]
        elif pat.rules:
            modes.append((f"p{i}", [(i, r) for r in pat.rules]))

    w.add('<xsl:template match="/" version="3.0">')
    w.add(f'<xsl:variable name="Q{{{T}}}r" as="item()*">')
    for mode, rules in modes:
        select = union([r.context for _, r in rules])
        if select != "()":
            w.add(
                f'<xsl:apply-templates select="{_esc(select)}" mode="Q{{{T}}}{mode}"/>',
                (rules[0][1].where, f"rule {rules[0][1].label}: context {rules[0][1].context!r}"),
            )
    w.add("</xsl:variable>")
    w.add(f'<xsl:sequence select="array{{$Q{{{T}}}r}}"/>')
    w.add("</xsl:template>")

    checks: list[Check] = []
    rule_list = []
    for mode, rules in modes:
        w.add(f'<xsl:mode name="Q{{{T}}}{mode}" on-no-match="deep-skip"/>')
        # deep-skip would descend from a document node: a candidate "/" that
        # no rule matches must do nothing
        w.add(f'<xsl:template match="/" mode="Q{{{T}}}{mode}" priority="-1"/>')
        for k, (pi, rule) in enumerate(rules):
            rule_no = len(rule_list)
            rule_list.append(rule)
            pat = schema.patterns[pi]
            w.add(
                f'<xsl:template match="{_esc(rule.context)}" mode="Q{{{T}}}{mode}" priority="{len(rules) - k}">',
                (rule.where, f"rule {rule.label}: context {rule.context!r}"),
            )
            w.add("<xsl:try>")
            for n, let in enumerate(pat.lets):
                w.add(f'<xsl:variable name="{_esc(let.name)}" select="$Q{{{T}}}pl{pi}({n})"/>')
            for let in rule.lets:
                as_ = f' as="{_esc(let.as_)}"' if let.as_ else ""
                w.add(
                    f'<xsl:variable name="{_esc(let.name)}" select="{_esc(let.value)}"{as_}/>',
                    (let.where, f"rule {rule.label}: let {let.name} = {let.value!r}"),
                )
            for check in rule.checks:
                check.index = len(checks)
                checks.append(check)
                _check(w, schema, rule, check)
            w.add(
                f"<xsl:catch><xsl:sequence select=\"map{{'r': {rule_no}, 'p': path(.), "
                f"'e': string($Q{{{ERR}}}description)}}\"/></xsl:catch>"
            )
            w.add("</xsl:try>")
            w.add("</xsl:template>")
    w.add("</xsl:stylesheet>")
    return w.text(), w, checks, rule_list


def _check(w: Writer, schema: Schema, rule, check: Check) -> None:
    what = f"rule {rule.label}: {check.kind} test {check.test!r}"
    test = check.test if check.kind == "report" else f"not(({check.test}))"
    w.add("<xsl:try>")
    w.add(f'<xsl:if test="{_esc(test)}">', (check.where, what))
    subject = check.subject or rule.subject
    if subject:
        w.add(
            f'<xsl:variable name="Q{{{T}}}s" select="(({_esc(subject)})[. instance of node()], .)[1]"/>',
            (check.where, f"rule {rule.label}: subject {subject!r}"),
        )
        node = f"$Q{{{T}}}s"
    else:
        node = "."
    w.add(f'<xsl:variable name="Q{{{T}}}m">')
    _content(w, check.content, check.where, f"rule {rule.label}: {check.kind}")
    w.add("</xsl:variable>")
    extras = []
    for n, ref in enumerate(check.diagnostics + check.properties):
        el = schema.diagnostics.get(ref) if n < len(check.diagnostics) else schema.properties[ref]
        w.add(f'<xsl:variable name="Q{{{T}}}d{n}">')
        _content(w, el, schema.reader.where(el), f"{local(el)} {ref}")
        w.add("</xsl:variable>")
        extras.append(f"string($Q{{{T}}}d{n})")
    w.add(
        f"<xsl:sequence select=\"map{{'c': {check.index}, 'p': path({node}), "
        f"'m': string($Q{{{T}}}m), 'd': [{', '.join(extras)}]}}\"/>"
    )
    w.add("</xsl:if>")
    w.add(
        f"<xsl:catch><xsl:sequence select=\"map{{'c': {check.index}, 'p': path(.), "
        f"'e': string($Q{{{ERR}}}description)}}\"/></xsl:catch>"
    )
    w.add("</xsl:try>")


def _content(w: Writer, el, where: str, what: str) -> None:
    """The message text of an assert/report/diagnostic/property element."""
    if el.text:
        w.add(f"<xsl:text>{_text(el.text)}</xsl:text>")
    for child in el:
        if isinstance(child.tag, str):
            name = local(child)
            if name == "value-of":
                sel = child.get("select")
                if not sel:
                    raise SchemaError(f"{where}: {what}: sch:value-of needs a select")
                w.add(f'<xsl:value-of select="{_esc(sel)}"/>', (where, f"{what}: value-of select {sel!r}"))
            elif name == "name":
                path = child.get("path") or "."
                w.add(f'<xsl:value-of select="name({_esc(path)})"/>', (where, f"{what}: name path {path!r}"))
            elif name in ("emph", "dir", "span") or name is None:
                _content(w, child, where, what)
            else:
                raise SchemaError(f"{where}: {what}: sch:{name} is not allowed in a message")
        if child.tail:
            w.add(f"<xsl:text>{_text(child.tail)}</xsl:text>")


_LINE = re.compile(r"on line (\d+) column (\d+)")
_CODE = re.compile(r"\b([A-Z]{4}\d{4})\b\s+(.*)", re.S)


def compile_xslt(schema: Schema, text: str, w: Writer):
    """Compile with saxonche; map a static error back to the schema."""
    try:
        return saxon.compile_text(text, schema.path.resolve().parent)
    except saxon.TransformError as exc:
        raise SchemaError(_explain(str(exc), w, schema)) from None


def _explain(message: str, w: Writer, schema: Schema) -> str:
    m = _LINE.search(message)
    code = _CODE.search(message)
    detail = " ".join((f"{code.group(1)}: {code.group(2)}" if code else message).split())
    detail = re.split(r"\s+Error in \{|\s+Error at ", detail)[0]
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
