"""macroSpec and dataSpec patterns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from .ns import RNG, Element, is_rng, is_tei, kids, ns_of, r, tei_kids, text_of

if TYPE_CHECKING:
    from .tangle import Tangler


def _entity(tg: Tangler, spec: Element) -> list[Element]:
    if any(v.get("type") == "closed" for v in tei_kids(spec, "valList")):
        return [tg.val_list_choice(spec)]
    content = tei_kids(spec, "content")
    if not content:
        return []
    children = kids(content[0])
    out: list[Element] = []
    if not children:
        return [_pi(p) for p in content[0] if isinstance(p, etree._ProcessingInstruction)]
    groups = [c for c in children if is_rng(c, "group")]
    if any(is_rng(g2, "ref") for g in groups for g2 in kids(g)):
        for c in children:
            out.extend(tg.default(c))
    elif groups:
        choice = etree.Element(r("choice"))
        for g in groups:
            for c in kids(g):
                choice.extend(tg.default(c))
        out.append(choice)
    elif any(is_tei(c) for c in children):
        for c in children:
            if is_tei(c):
                out.extend(tg.tangle(c))
    else:
        for c in children:
            out.extend(tg.default(c))
    return out


def macro_define(tg: Tangler, spec: Element) -> list[Element]:
    entity = _entity(tg, spec)
    text = "".join(text_of(e) for e in entity if isinstance(e.tag, str))
    count = sum(1 for e in entity if ns_of(e) == RNG or isinstance(e, etree._ProcessingInstruction))
    if text.startswith("'") or (count == 0 and text.startswith("-")):
        return []
    ident = spec.get("ident", "")
    define = etree.Element(r("define"), {"name": tg.spec_prefix(spec) + ident})
    content = tei_kids(spec, "content")
    direct = kids(content[0]) if content else []
    if ident.startswith("type") or count == 1:
        define.extend(entity)
    elif count == 0:
        etree.SubElement(etree.SubElement(define, r("choice")), r("empty"))
    elif any(is_rng(c, "text", "ref") for c in direct):
        etree.SubElement(define, r("choice")).extend(entity)
    else:
        define.extend(entity)
    return [define]


def _pi(node: etree._ProcessingInstruction) -> Element:
    out: Element = etree.ProcessingInstruction(node.target, node.text or "")
    return out
