"""The Stylesheets' "odd2odd-copy" mode: copying specs while dropping references to deleted ones.

Content models copied this way lose references to deleted specs, and a
container left empty disappears with them (simplifyRelax / simplifyODD).
"""

from __future__ import annotations

import copy

from lxml import etree

from .keys import OddKeys
from .ns import ANN, RNG, TEI, Element, attrs, is_rng, is_tei, local, ns_of, nsmap, t, text_of

RELAX_SIMPLIFIED = ("choice", "list", "group", "optional", "oneOrMore", "zeroOrMore")
REF_KINDS = ("classRef", "elementRef", "macroRef", "dataRef")


def shallow(el: Element) -> Element:
    out = etree.Element(el.tag, attrs(el), nsmap=nsmap(el.nsmap))
    return out


def copy_children(src: Element, dst: Element, keys: OddKeys, inside_content: bool = False) -> None:
    """Apply odd2odd-copy to the children of src (elements, text, PIs; comments dropped)."""
    dst.text = src.text
    for child in src:
        if isinstance(child, etree._Comment):
            _tail(dst, child.tail)
            continue
        if isinstance(child, etree._ProcessingInstruction):
            pi = copy.copy(child)
            pi.tail = None
            dst.append(pi)
            _tail(dst, child.tail)
            continue
        for node in copy_node(child, keys, inside_content):
            dst.append(node)
        _tail(dst, child.tail)


def _tail(dst: Element, text: str | None) -> None:
    if not text:
        return
    if len(dst):
        last = dst[-1]
        last.tail = (last.tail or "") + text
    else:
        dst.text = (dst.text or "") + text


def copy_node(el: Element, keys: OddKeys, inside_content: bool = False) -> list[Element]:
    """odd2odd-copy of one element: zero or more result elements."""
    if is_rng(el, *RELAX_SIMPLIFIED):
        return simplify_relax(el, keys)
    if is_tei(el, "alternate", "sequence"):
        return simplify_odd(el, keys)
    if is_tei(el, "valList") and inside_content:
        return [_clean(copy.deepcopy(el))]
    if is_tei(el, "memberOf"):
        if keys.deleted(el.get("key", "")):
            return []
        out = etree.Element(t("memberOf"), {"key": el.get("key", "")})
        for a in ("min", "max"):
            if el.get(a) is not None:
                out.set(a, el.get(a, ""))
        return [out]
    if is_tei(el, "listRef"):
        return []
    if is_tei(el, "elementSpec"):
        from .specs import copy_element_spec

        return [copy_element_spec(el, keys)]
    out = shallow(el)
    copy_children(el, out, keys, inside_content or is_tei(el, "content"))
    return [out]


def _clean(el: Element) -> Element:
    el.tail = None
    return el


def _wrap(el: Element, contents: list[Element], ns: str) -> list[Element]:
    out = etree.Element(f"{{{ns}}}{local(el)}")
    for c in contents:
        out.append(c)
    return [out]


def _kept(child: Element, keys: OddKeys, *, deep_annotation: bool, leaves: tuple[str, ...]) -> Element | None:
    """What both simplifications keep of a child as it is: a processing
    instruction, an annotation (whole, or only its own element), or a
    RelaxNG pattern named in ``leaves`` with its children copied; None for
    any other child."""
    if isinstance(child, etree._ProcessingInstruction):
        return _clean(copy.copy(child))
    if ns_of(child) == ANN:
        return _clean(copy.deepcopy(child)) if deep_annotation else shallow(child)
    if is_rng(child, *leaves):
        out = shallow(child)
        copy_children(child, out, keys)
        return out
    return None


def simplify_relax(el: Element, keys: OddKeys) -> list[Element]:
    name = local(el)
    contents: list[Element] = []
    for child in el:
        if isinstance(child, etree._Comment):
            continue
        kept = _kept(child, keys, deep_annotation=True, leaves=("element", "name", "attribute", "data", "text"))
        if kept is not None:
            contents.append(kept)
        elif is_rng(child, "value"):
            out = etree.Element(f"{{{RNG}}}value")
            out.text = text_of(child)
            contents.append(out)
        elif is_rng(child, "ref"):
            ref_name = child.get("name", "")
            if not keys.deleted(ref_name):
                contents.append(etree.Element(f"{{{RNG}}}ref", {"name": ref_name}))
        elif is_rng(child):
            contents.extend(simplify_relax(child, keys))
    elements = [c for c in contents if isinstance(c.tag, str)]
    count = len(elements)
    if count == 1 and local(elements[0]) == name:
        return contents
    if name == "optional" and count == 1 and local(elements[0]) in ("zeroOrMore", "oneOrMore"):
        return contents
    if name == "oneOrMore" and count == 1 and local(elements[0]) == "zeroOrMore":
        out = etree.Element(f"{{{RNG}}}oneOrMore")
        for c in elements[0]:
            out.append(copy.deepcopy(c))
        return [out]
    if count > 0:
        return _wrap(el, contents, RNG)
    return []


def _occurs(value: str | None) -> int:
    if value is None:
        return 1
    value = value.strip()
    return int(value) if value.lstrip("-").isdigit() else -1


def _int_attr(el: Element, name: str) -> int | None:
    value = el.get(name)
    if value is None:
        return None
    value = value.strip()
    return int(value) if value.isdigit() else None


def simplify_odd(el: Element, keys: OddKeys) -> list[Element]:
    name = local(el)
    minimum = el.get("minOccurs", "1")
    maximum = el.get("maxOccurs", "1")
    lo, hi = _occurs(minimum), _occurs(maximum)
    contents: list[Element] = []
    for child in el:
        if isinstance(child, etree._Comment):
            continue
        kept = _kept(child, keys, deep_annotation=False, leaves=("element", "name", "attribute"))
        if kept is not None:
            contents.append(kept)
        elif (is_tei(child, "dataRef") and child.get("name") is not None) or is_tei(child, "textNode", "valList"):
            contents.append(_clean(copy.deepcopy(child)))
        elif is_tei(child, *REF_KINDS):
            if not keys.deleted(child.get("key", "")):
                contents.append(_clean(copy.deepcopy(child)))
        elif ns_of(child) in (TEI, RNG):
            contents.extend(simplify_odd(child, keys))
    elements = [c for c in contents if isinstance(c.tag, str)]
    count = len(elements)
    only = elements[0] if count == 1 else None
    if only is not None and local(only) == name:
        return contents
    if only is not None and name in ("sequence", "alternate") and is_tei(only, "sequence", "alternate"):
        inner_min = _int_attr(only, "minOccurs")
        unbounded = (only.get("maxOccurs") or "").strip() == "unbounded"
        if lo == 0 and hi == 1 and unbounded and inner_min in (0, 1):
            return contents
        if lo == 1 and hi == -1 and unbounded and inner_min == 0:
            out = shallow(el)
            for c in only:
                out.append(copy.deepcopy(c))
            return [out]
    if count > 0:
        out = etree.Element(t(name), {"minOccurs": minimum, "maxOccurs": maximum})
        for c in contents:
            out.append(c)
        return [out]
    return []
