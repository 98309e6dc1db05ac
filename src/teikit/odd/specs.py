"""Copying and changing one specification (odd2odd's copy and change modes)."""

from __future__ import annotations

import copy

from lxml import etree

from ..xmltree import remove_keeping_tail
from .copymode import copy_children, copy_node
from .keys import OddKeys
from .ns import Element, attrs, is_rng, is_tei, kids, local, t, tei_kids

DOC_PARTS = ("equiv", "gloss", "desc")


def justcopy(el: Element, rend: str | None = None) -> Element:
    out = copy.deepcopy(el)
    out.tail = None
    for c in list(out.iter(etree.Comment)):
        if c.getparent() is not None and not any(is_tei(a, "exemplum") for a in c.iterancestors()):
            remove_keeping_tail(c)
    if rend:
        out.set("rend", rend)
    return out


def _append_all(dst: Element, items: list[Element]) -> None:
    for item in items:
        dst.append(item)


def odd_copy(el: Element, keys: OddKeys) -> list[Element]:
    return copy_node(el, keys)


def copy_element_spec(spec: Element, keys: OddKeys, base: Element | None = None) -> Element:
    """odd2odd-copyElementSpec: a spec's parts in canonical order, content simplified."""
    out = base if base is not None else etree.Element(spec.tag)
    for name, value in spec.attrib.items():
        out.set(name, value)
    _append_all(out, [justcopy(e) for e in tei_kids(spec, "altIdent")])
    for part in DOC_PARTS:
        _append_all(out, [justcopy(e) for e in tei_kids(spec, part)])
    _append_all(out, [justcopy(e) for e in tei_kids(spec, "classes")])
    for name in ("content", "constraintSpec"):
        for e in tei_kids(spec, name):
            _append_all(out, odd_copy(e, keys))
    lists = tei_kids(spec, "attList")
    if lists:
        att_list = etree.SubElement(out, t("attList"))
        if any(a.get("org") == "choice" for a in lists):
            for a in lists:
                inner = etree.SubElement(att_list, t("attList"), attrs(a))
                _append_all(inner, [justcopy(e) for e in tei_kids(a, "attDef", "attRef", "attList")])
        else:
            for kind in ("attDef", "attRef", "attList"):
                for a in lists:
                    _append_all(att_list, [justcopy(e) for e in tei_kids(a, kind)])
    for e in tei_kids(spec, "modelGrp", "model", "modelSequence"):
        _append_all(out, odd_copy(e, keys))
    for name in ("exemplum", "remarks", "listRef"):
        _append_all(out, [justcopy(e) for e in tei_kids(spec, name)])
    return out


def create_copy(spec: Element, keys: OddKeys, schema: Element) -> Element:
    """A spec the customisation adds: marked, given a module, content simplified."""
    out = etree.Element(spec.tag, {"rend": "add"})
    if spec.get("module") is None:
        module = schema.get("module") or f"derived-module-{schema.get('ident', '')}"
        out.set("module", module)
    if local(spec) == "classSpec" and spec.get("type") == "model" and spec.get("predeclare") is None:
        out.set("predeclare", "true")
    if local(spec) == "elementSpec":
        return copy_element_spec(spec, keys, out)
    for name, value in spec.attrib.items():
        out.set(name, value)
    copy_children(spec, out, keys)
    return out


def _pick(change: Element, original: Element, name: str, rend: str | None = "replace") -> list[Element]:
    mine = tei_kids(change, name)
    if mine:
        return [justcopy(e, rend) for e in mine]
    return [justcopy(e) for e in tei_kids(original, name)]


def _classes(change: Element, original: Element, keys: OddKeys, is_class: bool) -> Element:
    out = etree.Element(t("classes"))
    mine = tei_kids(change, "classes")
    orig_ident = original.get("ident", "")
    if any(c.get("mode") == "change" for c in mine):
        for m in (m for c in mine for m in tei_kids(c, "memberOf")):
            if m.get("mode") in (None, "add"):
                attrs = {"key": m.get("key", "")}
                attrs.update({a: m.get(a, "") for a in ("min", "max") if m.get(a) is not None})
                etree.SubElement(out, t("memberOf"), attrs)
        for m in (m for c in tei_kids(original, "classes") for m in tei_kids(c, "memberOf")):
            key = m.get("key", "")
            pair = orig_ident + key
            if not (keys.deleted(key) or pair in keys.member_delete or pair in keys.member_add):
                etree.SubElement(out, t("memberOf"), {"key": key})
    elif mine:
        for m in (m for c in mine for m in tei_kids(c, "memberOf")):
            if is_class or m.get("mode") != "delete":
                out.append(justcopy(m))
    else:
        for m in (m for c in tei_kids(original, "classes") for m in tei_kids(c, "memberOf")):
            if not keys.deleted(m.get("key", "")):
                etree.SubElement(out, t("memberOf"), {"key": m.get("key", "")})
    return out


def _content(change: Element, original: Element, keys: OddKeys) -> Element:
    out = etree.Element(t("content"))
    mine = first_kid(change, "content")
    if mine is not None and not kids(mine):
        return out
    source = mine if mine is not None and kids(mine) else first_kid(original, "content")
    if source is None:
        return out
    if not (mine is not None and any(is_rng(k) for k in kids(mine))):
        for name, value in source.attrib.items():
            out.set(name, value)
    for k in kids(source):
        _append_all(out, copy_node(k, keys, inside_content=True))
    return out


def first_kid(el: Element, name: str) -> Element | None:
    found = tei_kids(el, name)
    return found[0] if found else None


def process_constraints(change: Element, original: Element, keys: OddKeys, deep: bool = False) -> list[Element]:
    """The constraints of a changed spec.  ``deep``: a changed class also takes over those of its
    attributes (the Stylesheets do so; their rules then appear at class level too)."""
    out: list[Element] = []
    for mode in ("add", "replace", "change"):
        for c in tei_kids(change, "constraintSpec"):
            if (c.get("mode") or "add") == mode:
                out.append(justcopy(c))
    found = original.iter(t("constraintSpec")) if deep else iter(tei_kids(original, "constraintSpec"))
    for c in found:
        parent = c.getparent()
        looking = f"{parent.get('ident', '') if parent is not None else ''}_{c.get('ident', '')}"
        if not any(looking in keys.constraint[m] for m in ("delete", "replace", "change")):
            out.append(justcopy(c))
    return out


def change_element(original: Element, change: Element, keys: OddKeys) -> Element:
    """odd2odd-change of an elementSpec: the customisation's parts win, attributes merged one by one."""
    from .attributes import process_attributes

    out = etree.Element(original.tag, attrs(original))
    out.set("rend", "change")
    if change.get("ns") is not None:
        out.set("ns", change.get("ns", ""))
    _append_all(out, [justcopy(e) for e in tei_kids(change, "altIdent")])
    for part in DOC_PARTS:
        _append_all(out, _pick(change, original, part))
    out.append(_classes(change, original, keys, is_class=False))
    lists = tei_kids(change, "valList")
    if not any(v.get("mode") == "delete" for v in lists):
        chosen = lists[:1] if lists else tei_kids(original, "valList")
        for v in chosen:
            _append_all(out, copy_node(v, keys))
    out.append(_content(change, original, keys))
    _append_all(out, process_constraints(change, original, keys))
    att_list = etree.SubElement(out, t("attList"))
    for a in tei_kids(change, "attList"):
        if a.get("org") is not None:
            att_list.set("org", a.get("org", ""))
    _append_all(att_list, process_attributes(change, original, keys))
    for name in ("exemplum", "remarks", "listRef"):
        _append_all(out, _pick(change, original, name, None))
    return out


def change_class(original: Element, change: Element, keys: OddKeys) -> Element:
    from .attributes import process_attributes

    out = etree.Element(original.tag, attrs(original))
    out.set("rend", "change")
    _append_all(out, _pick(change, original, "desc", None))
    out.append(_classes(change, original, keys, is_class=True))
    _append_all(out, process_constraints(change, original, keys, deep=True))
    att_list = etree.SubElement(out, t("attList"))
    _append_all(att_list, process_attributes(change, original, keys))
    return out


def change_macro(original: Element, change: Element, keys: OddKeys) -> Element:
    out = etree.Element(original.tag, attrs(original))
    out.set("rend", "change")
    _append_all(out, [justcopy(e) for e in tei_kids(change, "altIdent")])
    for part in DOC_PARTS:
        _append_all(out, _pick(change, original, part))
    if tei_kids(change, "dataRef"):
        _append_all(out, [justcopy(e, "replace") for e in tei_kids(change, "dataRef")])
    elif tei_kids(change, "content"):
        _append_all(out, [justcopy(e, "replace") for e in tei_kids(change, "content")])
    elif tei_kids(original, "dataRef"):
        for e in tei_kids(original, "dataRef"):
            _append_all(out, copy_node(e, keys))
    else:
        for e in tei_kids(original, "content"):
            _append_all(out, copy_node(e, keys))
    if tei_kids(change, "valList"):
        out.append(justcopy(tei_kids(change, "valList")[0], "replace"))
    elif tei_kids(change, "stringVal"):
        _append_all(out, [justcopy(e) for e in tei_kids(change, "stringVal")])
    else:
        _append_all(out, [justcopy(e) for e in tei_kids(original, "stringVal")])
    _append_all(out, process_constraints(change, original, keys))
    return out


def change_spec(original: Element, change: Element, keys: OddKeys) -> Element:
    kind = local(original)
    if kind == "elementSpec":
        return change_element(original, change, keys)
    if kind == "classSpec":
        return change_class(original, change, keys)
    return change_macro(original, change, keys)
