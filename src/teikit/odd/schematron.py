"""Schematron of constraintSpecs, placed and wrapped as the Stylesheets do, and its standalone form."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from lxml import etree

from ..problems import SchemaError
from .ns import RNG, SCH, TEI, Element, kids, local, ns_of, nsmap, t, tei_kids

if TYPE_CHECKING:
    from .tangle import Tangler

S = f"{{{SCH}}}"


def _copy(el: Element) -> Element:
    out = copy.deepcopy(el)
    out.tail = None
    return out


def constraints_of(tg: Tangler, owner: Element) -> list[Element]:
    """The Schematron of every constraintSpec of ``owner`` (elementSpec, classSpec, attDef, schemaSpec)."""
    out: list[Element] = []
    for spec in tei_kids(owner, "constraintSpec"):
        for constraint in tei_kids(spec, "constraint"):
            for node in kids(constraint):
                if ns_of(node) == SCH:
                    out.extend(constraint_nodes(node, tg))
    return out


def _nsprefix(tg: Tangler, node: Element) -> str:
    spec = next(node.iterancestors(t("elementSpec")), None)
    ns = spec.get("ns") if spec is not None else None
    if not ns or ns == TEI:
        return "tei:"
    for decl in tg.schema.iter(f"{S}ns"):
        if decl.get("uri") == ns:
            return decl.get("prefix", "") + ":"
    raise SchemaError(f"schematron rule cannot work out prefix for {spec.get('ident') if spec is not None else '?'}")


def _context(tg: Tangler, node: Element) -> str:
    att = next(node.iterancestors(t("attDef")), None)
    element = next(node.iterancestors(t("elementSpec")), None)
    if att is not None and element is not None:
        return f"{_nsprefix(tg, node)}{element.get('ident', '')}/@{att.get('ident', '')}"
    if att is not None:
        return f"@{att.get('ident', '')}"
    return _nsprefix(tg, node) + (element.get("ident", "") if element is not None else "")


def _pattern_id(tg: Tangler, node: Element, kind: str) -> str:
    tg.pattern_count += 1
    spec = next((a for a in node.iterancestors() if local(a).endswith("Spec") and local(a) != "constraintSpec"), None)
    cspec = next(node.iterancestors(t("constraintSpec")), None)
    parts = [
        tg.ident,
        spec.get("ident", "") if spec is not None else "",
        cspec.get("ident", "") if cspec is not None else "",
    ]
    return "-".join(p for p in parts if p) + f"-constraint-{kind}-{tg.pattern_count}"


def constraint_nodes(node: Element, tg: Tangler) -> list[Element]:
    """processSchematron for one child of a constraint."""
    name = local(node)
    parent = node.getparent()
    siblings = [s for s in kids(parent) if ns_of(s) == SCH] if parent is not None else [node]
    before = siblings[: siblings.index(node)]
    if name in ("ns", "pattern"):
        return [_copy(node)]
    if name == "rule":
        if any(local(s) == "rule" for s in before):
            return []
        pattern = etree.Element(f"{S}pattern", {"id": _pattern_id(tg, node, "rule")}, nsmap=nsmap({None: SCH}))
        pattern.extend(_copy(s) for s in siblings if local(s) == "rule")
        return [pattern]
    if name == "let":
        return []
    if name in ("assert", "report"):
        if any(local(s) in ("assert", "report") for s in before):
            return []
        pattern = etree.Element(f"{S}pattern", {"id": _pattern_id(tg, node, name)}, nsmap=nsmap({None: SCH}))
        rule = etree.SubElement(pattern, f"{S}rule", {"context": _context(tg, node)})
        rule.extend(_copy(s) for s in siblings if local(s) in ("let", "assert", "report"))
        return [pattern]
    return [_copy(s) for s in siblings if local(s) == "let"] + [_copy(node)]


def standalone(grammar: Element, title: str) -> etree._ElementTree:
    """The embedded Schematron as one ISO Schematron schema (what --to sch writes)."""
    root = etree.Element(f"{S}schema", {"queryBinding": "xslt2"}, nsmap=nsmap({"sch": SCH, None: SCH}))
    etree.SubElement(root, f"{S}title").text = title
    seen: set[tuple[str | None, str | None]] = set()
    nodes = [n for n in grammar.iter(f"{S}ns", f"{S}pattern")]
    for n in nodes:
        if local(n) == "ns":
            key = (n.get("prefix"), n.get("uri"))
            if key not in seen:
                seen.add(key)
                root.append(etree.Element(f"{S}ns", {"prefix": key[0] or "", "uri": key[1] or ""}))
    if ("tei", TEI) not in seen:
        root.insert(1, etree.Element(f"{S}ns", {"prefix": "tei", "uri": TEI}))
    for n in nodes:
        if local(n) == "pattern":
            root.append(_copy(n))
    return etree.ElementTree(root)


__all__ = ["RNG", "constraint_nodes", "constraints_of", "standalone"]
