"""RelaxNG validation with lxml (libxml2), with jing-quality messages.

libxml2 gives the right verdicts but terse messages, column 0 and a
cascade of follow-on errors.  This module keeps the verdict, and turns
each libxml2 error into one message that names the element or attribute,
what was found and what the schema expected (from :mod:`rngindex`), with
the column taken from the source.
"""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .. import xmlio
from ..problems import ERROR, Problem, SchemaError
from ..xmlio import ParsedDoc
from .rngindex import RngIndex, listing

# Errors that only restate a more precise error on a descendant or sibling.
_CASCADE = {"RELAXNG_ERR_CONTENTVALID", "RELAXNG_ERR_EXTRACONTENT", "RELAXNG_ERR_INTERSEQ", "RELAXNG_ERR_INTEREXTRA"}
_MAX_ATTR_PROBES = 25


class RelaxNG:
    """A compiled RelaxNG schema.  Compile once per run, check many docs."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            tree = xmlio.parse_trusted(self.path)
        except OSError as exc:
            raise SchemaError(f"Error: cannot read schema {self.path}: {exc.strerror or exc}") from None
        except etree.XMLSyntaxError as exc:
            raise SchemaError(f"{self.path}:{exc.lineno}:{exc.offset}: schema is not well-formed: {exc.msg}") from None
        if tree.getroot().tag != "{http://relaxng.org/ns/structure/1.0}grammar" and not tree.getroot().tag.startswith("{http://relaxng.org/ns/structure/1.0}"):
            raise SchemaError(f"Error: {self.path} is not a RelaxNG schema (XML syntax); root element is {tree.getroot().tag}")
        try:
            self.schema = etree.RelaxNG(tree)
        except etree.RelaxNGParseError as exc:
            first = exc.error_log[0] if len(exc.error_log) else None
            where = f"{first.filename}:{first.line}" if first is not None else str(self.path)
            raise SchemaError(f"{where}: RelaxNG schema does not compile: {exc}") from None
        self.index = RngIndex(tree)

    # ------------------------------------------------------------------
    def check(self, doc: ParsedDoc) -> list[Problem]:
        problems = list(doc.id_problems)
        if self.schema.validate(doc.tree):
            return problems
        entries = [(e.type_name, e.message, e.path or "", e.line) for e in self.schema.error_log]
        return problems + self._explain(doc, entries)

    def _explain(self, doc: ParsedDoc, entries: list) -> list[Problem]:
        specific_paths = [p for t, _, p, _ in entries if t not in _CASCADE and t != "RELAXNG_ERR_ATTRVALID"]
        out: list[Problem] = []
        seen: set = set()
        probes = 0
        by_path: dict[str, list] = {}
        for t, m, p, line in entries:
            by_path.setdefault(p, []).append((t, m))
        for t, msg, path, line in entries:
            node = doc.node_at(path) if path else None
            kinds = {k for k, _ in by_path.get(path, [])}
            if t in _CASCADE:
                # keep only if nothing more precise was said here or below
                if any(sp == path or sp.startswith(path + "/") for sp in specific_paths):
                    continue
                if t == "RELAXNG_ERR_EXTRACONTENT" and "RELAXNG_ERR_ELEMWRONG" in kinds:
                    continue
            if t == "RELAXNG_ERR_ELEMNAME" and "RELAXNG_ERR_ELEMWRONG" in kinds:
                continue  # folded into the ELEMWRONG message below
            attribute = None
            text = None
            if t == "RELAXNG_ERR_ATTRVALID" or t in ("RELAXNG_ERR_DATATYPE", "RELAXNG_ERR_VALUE", "RELAXNG_ERR_TYPE", "RELAXNG_ERR_LIST"):
                if t != "RELAXNG_ERR_ATTRVALID" and "RELAXNG_ERR_ATTRVALID" in kinds:
                    continue  # reported with the attribute below
                if t == "RELAXNG_ERR_ATTRVALID" and probes < _MAX_ATTR_PROBES and node is not None:
                    probes += 1
                    attribute = self._guilty_attribute(doc, node, path)
                text = self._attr_message(node, attribute, by_path.get(path, []), msg)
            else:
                text = self._message(node, t, msg, by_path.get(path, []))
            key = (path, text)
            if key in seen:
                continue
            seen.add(key)
            ln, col = doc.locate(node, attribute) if node is not None else (line or None, None)
            out.append(Problem(doc.display, ln or line or None, col, ERROR, "rng", text, path=_pretty(doc, node) if node is not None else path))
        if not out:  # never lose a verdict
            t, msg, path, line = entries[0]
            out.append(Problem(doc.display, line or None, None, ERROR, "rng", msg, path=path))
        return out

    # ------------------------------------------------------------------
    def _guilty_attribute(self, doc: ParsedDoc, node, path: str) -> str | None:
        """Find which attribute makes libxml2 reject the element, by removing
        each in turn (then restoring it) and validating again."""
        names = list(node.attrib.keys())
        if len(names) == 1:
            return names[0]
        saved = list(node.attrib.items())
        try:
            for name in names:
                node.attrib.clear()
                for k, v in saved:
                    if k != name:
                        node.set(k, v)
                self.schema.validate(doc.tree)
                if not any(e.path == path and e.type_name == "RELAXNG_ERR_ATTRVALID" for e in self.schema.error_log):
                    return name
        finally:  # restore the parsed tree exactly (order included)
            node.attrib.clear()
            for k, v in saved:
                node.set(k, v)
        return None

    def _attr_message(self, node, attribute, here, raw) -> str:
        el = _qname(node) if node is not None else "?"
        if attribute is None:
            details = "; ".join(m for k, m in here if k != "RELAXNG_ERR_ATTRVALID")
            return f'element "{el}" has an attribute with an invalid value' + (f" ({details})" if details else "")
        local = etree.QName(attribute).localname
        shown = _attr_qname(attribute)
        value = node.get(attribute)
        expected = self.index.attribute_expectation(etree.QName(node).localname, local) if node is not None else None
        msg = f'value "{value}" of attribute "{shown}" on element "{el}" is invalid'
        if expected:
            msg += f"; expected {expected}"
        return msg

    def _message(self, node, t: str, raw: str, here: list) -> str:
        el = _qname(node) if node is not None else None
        parent = node.getparent() if node is not None else None
        pname = _qname(parent) if parent is not None else None
        m = re.match(r"Did not expect element (\S+) there", raw)
        if t == "RELAXNG_ERR_ELEMWRONG" and m:
            expected = [re.match(r"Expecting element (\S+), got", mm).group(1) for k, mm in here if k == "RELAXNG_ERR_ELEMNAME" and re.match(r"Expecting element (\S+), got", mm)]
            where = f' in "{pname}"' if pname else ""
            if parent is not None and etree.QName(node).namespace != etree.QName(parent).namespace:
                ns = etree.QName(node).namespace
                return f'element "{el}" (namespace {ns or "none"}) not allowed here{where}'
            if expected:
                return f'element "{el}" not allowed here{where}; expected element {listing(expected)}'
            allowed = self.index.children(etree.QName(parent).localname) if parent is not None else []
            if m.group(1) in allowed:
                return f'element "{el}" not allowed at this point{where} (it may occur there, but not here or not again)'
            return f'element "{el}" not allowed anywhere{where}; allowed children: {listing(allowed)}' if allowed else f'element "{el}" not allowed here{where}'
        m = re.match(r"Expecting element (\S+), got (\S+)", raw)
        if m:
            return f'element "{m.group(2)}" not allowed here in "{pname}"; expected element "{m.group(1)}"'
        m = re.match(r"Expecting an element (\S*) ?, got nothing", raw)
        if m:
            missing = m.group(1).strip()
            return f'element "{el}" incomplete; missing required element "{missing}"' if missing else f'element "{el}" incomplete; a required child element is missing'
        if raw.startswith("Expecting an element got text") or re.match(r"Did not expect text in element", raw):
            return f'text not allowed in element "{el}"'
        m = re.match(r"Invalid attribute (\S+) for element (\S+)", raw)
        if m:
            allowed = self.index.attributes(etree.QName(node).localname) if node is not None else []
            tail = f"; allowed: {listing(allowed, 12)}" if allowed else ""
            return f'attribute "{m.group(1)}" not allowed on element "{el}"{tail}'
        m = re.match(r"Element (\S+) has extra content: (.*)", raw)
        if m:
            return f'element "{el}" has content that is not allowed: {m.group(2).strip()}'
        if re.match(r"Element (\S+) failed to validate content", raw):
            return f'element "{el}" has invalid content'
        m = re.match(r"Expecting element (\S+) to be empty", raw)
        if m:
            return f'element "{el}" must be empty'
        m = re.match(r"Element (\S+) has wrong namespace: expecting (\S+)", raw)
        if m:
            return f'element "{el}" is in the wrong namespace ({etree.QName(node).namespace or "none"}); expected {m.group(2)}'
        if re.match(r"Expecting a namespace for element", raw):
            return f'element "{el}" must be in a namespace (expected the TEI namespace {xmlio.TEI_NS}?)'
        if re.match(r"Expecting no namespace for element", raw):
            return f'element "{el}" must not be in a namespace'
        m = re.match(r"Datatype element (\S+) has child elements", raw)
        if m:
            return f'element "{el}" must contain only text, not child elements'
        return f'element "{el}": {raw}' if el else raw


def _qname(node) -> str:
    if node is None or not isinstance(node.tag, str):
        return "?"
    q = etree.QName(node)
    if q.namespace in (xmlio.TEI_NS, None):
        return q.localname
    prefix = node.prefix
    return f"{prefix}:{q.localname}" if prefix else f"{{{q.namespace}}}{q.localname}"


def _attr_qname(attribute: str) -> str:
    if attribute.startswith(f"{{{xmlio.XML_NS}}}"):
        return "xml:" + attribute.split("}")[1]
    return attribute.split("}")[-1] if attribute.startswith("{") else attribute


def _pretty(doc: ParsedDoc, node) -> str:
    """A readable XPath (/TEI/text[1]/body[1]/p[3]) for a node."""
    steps = []
    while node is not None and isinstance(node.tag, str):
        parent = node.getparent()
        name = _qname(node)
        if parent is None:
            steps.append(f"/{name}")
        else:
            same = [c for c in parent if c.tag == node.tag]
            steps.append(f"/{name}[{same.index(node) + 1}]")
        node = parent
    return "".join(reversed(steps))
