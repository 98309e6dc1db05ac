"""anyElement: a pattern for any element outside the excepted namespaces."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from .ns import SCH, TEI, TEIX, Element, r, t, tokens

if TYPE_CHECKING:
    from .tangle import Tangler

DEFAULT_EXCEPT = f"{TEI} teix:egXML"
QNAME = re.compile(r"\w+:\w+")


def _except_names(el: Element, value: str, known: dict[str, str]) -> list[Element]:
    out: list[Element] = []
    seen: set[str] = set()
    for tok in tokens(value):
        if tok in seen:
            continue
        seen.add(tok)
        if tok == "teix:egXML":
            name = etree.Element(r("name"), {"ns": TEIX})
            name.text = "egXML"
            out.append(name)
        elif QNAME.search(tok) and (el.nsmap.get(tok.split(":", 1)[0]) or known.get(tok.split(":", 1)[0])):
            prefix = tok.split(":", 1)[0]
            name = etree.Element(r("name"), {"ns": el.nsmap.get(prefix) or known[prefix]})
            name.text = tok.split(":", 1)[1]
            out.append(name)
        else:
            out.append(etree.Element(r("nsName"), {"ns": tok}))
    return out


def any_element_define(tg: Tangler, el: Element) -> list[Element]:
    name = tg.any_element_name(el)
    value = el.get("except") or el.get("exclude") or tg.schema.get("defaultExceptions") or DEFAULT_EXCEPT
    define = etree.Element(r("define"), {"name": name})
    element = etree.SubElement(define, r("element"))
    exc = etree.SubElement(etree.SubElement(element, r("anyName")), r("except"))
    exc.extend(_except_names(el, value, tg.namespaces))
    etree.SubElement(etree.SubElement(etree.SubElement(element, r("zeroOrMore")), r("attribute")), r("anyName"))
    choice = etree.SubElement(etree.SubElement(element, r("zeroOrMore")), r("choice"))
    etree.SubElement(choice, r("text"))
    etree.SubElement(choice, r("ref"), {"name": name})
    spec = next(el.iterancestors(t("elementSpec")), None)
    if el.get("require") and spec is not None:
        define.extend(_require_rule(tg, el, spec))
    return [define]


def _require_rule(tg: Tangler, el: Element, spec: Element) -> list[Element]:
    spec_ns = spec.get("ns")
    prefix = "tei"
    out: list[Element] = []
    if spec_ns:
        prefix = next((p for p, u in el.nsmap.items() if u == spec_ns and p), "")
        out.append(etree.Element(f"{{{SCH}}}ns", {"prefix": prefix, "uri": spec_ns}))
    wanted = ", ".join(f"'{u}'" for u in tokens(el.get("require"))) + f", '{TEI}'"
    plural = "s"
    tg.pattern_count += 1
    pattern = etree.Element(
        f"{{{SCH}}}pattern", {"id": f"{tg.ident}-{spec.get('ident')}-anyElement-{tg.pattern_count}-constraint"}
    )
    rule = etree.SubElement(pattern, f"{{{SCH}}}rule", {"context": f"{prefix}:{spec.get('ident')}"})
    report = etree.SubElement(rule, f"{{{SCH}}}report", {"test": f"descendant::*[not(namespace-uri(.) = ({wanted}))]"})
    report.text = f"{spec.get('ident')} descendants must be in the namespace{plural} {wanted}"
    out.append(pattern)
    return out
