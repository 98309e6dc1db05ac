"""Abstract patterns and abstract rules: instances of ``is-a`` patterns
with their parameters substituted, and rules with ``extends`` expanded."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from lxml import etree

from .model import _IGNORED, XML_LANG, local

if TYPE_CHECKING:
    from .extract import Reader

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def expand_abstract(reader: Reader, el: etree._Element) -> tuple[etree._Element, dict[str, str]]:
    """An ``is-a`` pattern instance: a copy of the abstract pattern with
    ``$param`` replaced in every attribute value (as ISO specifies), and
    the parameters (the abstract pattern's ``param`` defaults, then the
    instance's own)."""
    name = el.get("is-a")
    abstract = reader.abstract_patterns.get(name or "")
    if abstract is None:
        reader.fail(el, f"pattern is-a={name!r}: no abstract pattern with that id")
    params: dict[str, str] = {}
    for p in reader.children(abstract):
        if local(p) == "param":
            if not p.get("name"):
                reader.fail(p, "sch:param needs a name")
            if p.get("value") is not None:
                params[p.get("name", "")] = p.get("value", "")
    declared = {p.get("name") for p in reader.children(abstract) if local(p) == "param"}
    for p in reader.children(el):
        if local(p) == "param":
            if not p.get("name") or p.get("value") is None:
                reader.fail(p, "sch:param needs name and value")
            if declared and p.get("name") not in declared:
                reader.fail(p, f"sch:param {p.get('name')!r}: abstract pattern {name!r} declares no such parameter")
            params[p.get("name", "")] = p.get("value", "")
        elif local(p) not in _IGNORED:
            reader.fail(p, f"sch:{local(p)} is not allowed in a pattern instance (is-a)")
    missing = sorted(str(d) for d in declared if d not in params)
    if missing:
        reader.fail(el, f"pattern is-a={name!r}: no value for parameter {missing[0]!r}")
    inst = copy.deepcopy(abstract)
    for orig, new in zip(abstract.iter(), inst.iter(), strict=True):
        # lxml returns the same proxy for a node while one is alive:
        # keeping them alive keeps these ids valid
        reader.alive.append(new)
        reader.origin[id(new)] = reader.origin.get(id(orig), orig)
    for node in inst.iter():
        if isinstance(node.tag, str):
            for k, v in node.attrib.items():
                node.set(k, substitute(str(v), params))
    for p in [c for c in inst if local(c) == "param"]:
        inst.remove(p)
    inst.attrib.pop("abstract", "")
    if el.get("id"):
        inst.set("id", el.get("id", ""))
    else:
        inst.attrib.pop("id", "")
    for attr in ("documents", XML_LANG):
        if el.get(attr) is not None:
            inst.set(attr, el.get(attr, ""))
    return inst, params


def rule_parts(
    reader: Reader, rule: etree._Element, pattern: etree._Element, seen: tuple[str, ...] = ()
) -> list[etree._Element]:
    """The rule's let/assert/report children with ``extends`` expanded.
    An abstract rule is found in the rule's own pattern, else in a
    top-level ``sch:rules``; ``extends/@href`` takes a rule from a file."""
    out: list[etree._Element] = []
    for c in reader.children(rule):
        name = local(c)
        if name == "extends":
            if c.get("href"):
                target = reader.fetch(c, "sch:extends")
                try:
                    if local(target) != "rule":
                        reader.fail(c, f"sch:extends: {c.get('href')} is not a sch:rule")
                    key = f"href:{c.get('href')}"
                    out += rule_parts(reader, target, pattern, (*seen, key))
                finally:
                    reader._including.pop()
                continue
            rid = c.get("rule") or ""
            found = _abstract_rule(reader, rid, pattern)
            if found is None:
                other = reader.abstract_rules.get(rid)
                if other is not None:
                    reader.fail(c, f"sch:extends rule={rid!r}: that abstract rule belongs to another pattern")
                reader.fail(c, f"sch:extends rule={rid!r}: no abstract rule with that id")
            if rid in seen:
                reader.fail(c, f"sch:extends rule={rid!r} is circular")
            out += rule_parts(reader, found, pattern, (*seen, rid))
        elif name in ("let", "assert", "report"):
            out.append(c)
        elif name is None or name in _IGNORED:
            continue
        else:
            reader.fail(c, f"sch:{name} is not allowed in sch:rule")
    return out


def _abstract_rule(reader: Reader, rid: str, pattern: etree._Element) -> etree._Element | None:
    for r in reader.children(pattern):
        if local(r) == "rule" and r.get("abstract") == "true" and rule_id(r) == rid:
            return r
    return reader.global_rules.get(rid)


def rule_id(el: etree._Element) -> str | None:
    return el.get("id") or el.get(XML_ID)


def substitute(text: str, params: dict[str, str]) -> str:
    """``text`` with each ``$name`` of ``params`` replaced by its value."""
    if not params:
        return text
    rx = re.compile(r"\$(" + "|".join(re.escape(k) for k in sorted(params, key=len, reverse=True)) + r")(?![\w.\-])")
    return rx.sub(lambda m: params[m.group(1)], text)
