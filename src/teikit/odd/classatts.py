"""Class attributes overridden in an element (the Stylesheets' classatts.xsl).

When an element redefines an attribute it inherits from a class, the class
membership is replaced by references to each untouched attribute of that
class (and of its superclasses) plus the element's own merged definition.
"""

from __future__ import annotations

from lxml import etree

from .attributes import merge_val_list
from .ns import Element, attrs, kids, t, tei_kids
from .specs import justcopy


def resolve_class_attributes(schema: Element) -> None:
    att_classes: dict[str, list[Element]] = {}
    for spec in tei_kids(schema, "classSpec"):
        if spec.get("type") == "atts":
            att_classes.setdefault(spec.get("ident", ""), []).append(spec)
    for spec in tei_kids(schema, "elementSpec"):
        _element(spec, att_classes)


def _element(spec: Element, att_classes: dict[str, list[Element]]) -> None:
    own = list(spec.iter(t("attDef")))
    members: list[Element] = []
    refs: list[Element] = []
    defs: list[Element] = []
    encountered: set[str] = set()
    for m in (m for c in tei_kids(spec, "classes") for m in tei_kids(c, "memberOf")):
        key = m.get("key", "")
        if key not in att_classes:
            members.append(etree.Element(t("memberOf"), attrs(m)))
            continue
        found = _Overrides(own, att_classes)
        found.collect(key, 0) if own else None
        if not found.overridden:
            members.append(etree.Element(t("memberOf"), attrs(m)))
            refs.append(etree.Element(t("attRef"), {"rend": "none", "class": key}))
        else:
            encountered |= found.encountered
            refs.extend(found.refs)
            defs.extend(found.defs)
    for c in tei_kids(spec, "classes"):
        spec.remove(c)
    old_lists = tei_kids(spec, "attList")
    for a in old_lists:
        spec.remove(a)
    classes = etree.SubElement(spec, t("classes"))
    classes.extend(members)
    att_list = etree.SubElement(spec, t("attList"))
    att_list.extend(refs)
    att_list.extend(defs)
    overriding = {d.get("ident") for d in defs}
    for a in old_lists:
        att_list.extend(_children(a, encountered, overriding))
    if "mode" in spec.attrib:
        del spec.attrib["mode"]


def _children(att_list: Element, encountered: set[str], overriding: set[str | None]) -> list[Element]:
    out: list[Element] = []
    for child in kids(att_list):
        mode = child.get("mode")
        if child.tag == t("attList"):
            inner = etree.Element(t("attList"), attrs(child))
            inner.extend(_children(child, encountered, overriding))
            out.append(inner)
        elif mode == "replace" and child.get("ident") not in encountered:
            out.append(child)
        elif mode is not None and mode != "add":
            continue
        elif child.tag == t("attDef") and child.get("ident") in encountered and child.get("ident") in overriding:
            continue
        else:
            out.append(child)
    return out


class _Overrides:
    def __init__(self, own: list[Element], att_classes: dict[str, list[Element]]) -> None:
        self.own = own
        self.att_classes = att_classes
        self.encountered: set[str] = set()
        self.overridden = False
        self.refs: list[Element] = []
        self.defs: list[Element] = []

    def collect(self, key: str, depth: int) -> None:
        if depth > 30:
            return
        for cls in self.att_classes.get(key, []):
            for att in cls.iter(t("attDef")):
                ident = att.get("ident", "")
                self.encountered.add(ident)
                mine = [d for d in self.own if d.get("ident") == ident]
                if not mine:
                    self.refs.append(etree.Element(t("attRef"), {"class": cls.get("ident", ""), "name": ident}))
                    continue
                self.overridden = True
                for d in mine:
                    if d.get("mode") == "delete":
                        continue
                    if d.get("mode") in (None, "replace"):
                        self.defs.append(justcopy(d))
                    else:
                        self.defs.append(merge_class_attribute(d, att, cls.get("ident", "")))
            for m in (m for c in tei_kids(cls, "classes") for m in tei_kids(c, "memberOf")):
                self.collect(m.get("key", ""), depth + 1)


def merge_class_attribute(new: Element, old: Element, owner: str) -> Element:
    usage = new.get("usage") or old.get("usage") or ""
    out = etree.Element(t("attDef"), {"corresp": f"#{owner}", "ident": old.get("ident", ""), "usage": usage})
    out.extend(justcopy(e) for e in tei_kids(new, "altIdent"))
    for part in ("equiv", "gloss", "desc", "constraintSpec", "datatype", "defaultVal", "valDesc"):
        out.extend(justcopy(e) for e in (tei_kids(new, part) or tei_kids(old, part)))
    new_lists = tei_kids(new, "valList")
    if any(v.get("mode") == "change" for v in new_lists) and not tei_kids(old, "valList"):
        src = new_lists[0]
        merged: Element | None = etree.Element(t("valList"))
        assert merged is not None
        for name in ("type", "repeatable"):
            if src.get(name) is not None:
                merged.set(name, src.get(name, ""))
        merged.extend(justcopy(e) for e in kids(src))
    else:
        merged = merge_val_list(new, old)
    if merged is not None:
        out.append(merged)
    for part in ("exemplum", "remarks"):
        out.extend(justcopy(e) for e in tei_kids(new, part))
    return out
