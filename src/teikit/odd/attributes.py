"""Merging attribute definitions (odd2odd's processAttributes and mergeAttribute)."""

from __future__ import annotations

from lxml import etree

from .keys import OddKeys
from .ns import Element, attrs, t, tei_kids
from .specs import justcopy

MERGED_PARTS = ("constraintSpec", "datatype", "defaultVal", "valDesc")


def _all_att_idents(original: Element) -> set[str]:
    return {a.get("ident", "") for al in tei_kids(original, "attList") for a in al.iter(t("attDef"))}


def _att_defs(change: Element) -> list[Element]:
    return [a for al in tei_kids(change, "attList") for a in tei_kids(al, "attDef")]


def process_attributes(change: Element, original: Element, keys: OddKeys) -> list[Element]:
    """The merged children of the attList of a changed element or class."""
    out: list[Element] = []
    known = _all_att_idents(original)
    mine = _att_defs(change)
    for a in mine:
        if a.get("mode") == "replace" and a.get("ident") in known:
            out.append(justcopy(a))
    for a in mine:
        if a.get("mode") in (None, "add"):
            new = justcopy(a)
            if "mode" in new.attrib:
                del new.attrib["mode"]
            out.append(new)
    for a in mine:
        if a.get("mode") in ("change", "delete", "replace") and a.get("ident") not in known:
            out.append(justcopy(a))
    out.extend(justcopy(r) for al in tei_kids(change, "attList") for r in tei_kids(al, "attRef"))
    is_class = original.tag == t("classSpec")
    owner = original.get("ident", "")
    for al in tei_kids(original, "attList"):
        for nested in tei_kids(al, "attList"):
            inner = etree.Element(t("attList"))
            if nested.get("org") is not None:
                inner.set("org", nested.get("org", ""))
            for a in tei_kids(nested, "attDef"):
                inner.extend(_one_attribute(a, owner, is_class, keys))
            out.append(inner)
        atts = [x for a in tei_kids(al, "attDef") for x in _one_attribute(a, owner, is_class, keys)]
        if al.get("org") is not None:
            wrapper = etree.Element(t("attList"), {"org": al.get("org", "")})
            wrapper.extend(atts)
            out.append(wrapper)
        else:
            out.extend(atts)
    return out


def _one_attribute(att: Element, owner: str, is_class: bool, keys: OddKeys) -> list[Element]:
    looking = f"{owner}_{att.get('ident', '')}"
    if looking in keys.delete_att:
        return [] if is_class else [justcopy(d) for d in keys.delete_att[looking]]
    if looking in keys.replace_att:
        return []
    if looking in keys.change_att:
        return [merge_attribute(keys.change_att[looking], att)]
    return [justcopy(att)]


def merge_attribute(new: Element, old: Element) -> Element:
    """An attDef in change mode over its original: each part from the change if present."""
    out = etree.Element(t("attDef"), {"ident": old.get("ident", "")})
    if old.get("mode") is not None:
        out.set("mode", old.get("mode", ""))
        out.set("rend", old.get("mode", ""))
    usage = new.get("usage") or old.get("usage")
    if usage is not None:
        out.set("usage", usage)
    out.extend(justcopy(e) for e in tei_kids(new, "altIdent"))
    for part in ("equiv", "gloss", "desc"):
        chosen = tei_kids(new, part)
        if chosen:
            out.extend(justcopy(e, "replace") for e in chosen)
        else:
            out.extend(justcopy(e) for e in tei_kids(old, part))
    for part in MERGED_PARTS:
        chosen = tei_kids(new, part) or tei_kids(old, part)
        out.extend(justcopy(e) for e in chosen)
    merged = merge_val_list(new, old)
    if merged is not None:
        out.append(merged)
    for part in ("exemplum", "remarks"):
        chosen = tei_kids(new, part) or tei_kids(old, part)
        out.extend(justcopy(e) for e in chosen)
    return out


def merge_val_list(new: Element, old: Element) -> Element | None:
    new_lists = tei_kids(new, "valList")
    old_lists = tei_kids(old, "valList")
    if any(v.get("mode") == "delete" for v in new_lists):
        return None
    if any(v.get("mode") in ("add", "replace") for v in new_lists):
        src = new_lists[0]
        out = etree.Element(t("valList"))
        for name in ("type", "repeatable"):
            if src.get(name) is not None:
                out.set(name, src.get(name, ""))
        if old_lists and old_lists[0].get("mode") is not None:
            out.set("mode", old_lists[0].get("mode", ""))
        out.extend(justcopy(e) for e in src if isinstance(e.tag, str))
        return out
    if any(v.get("mode") == "change" for v in new_lists):
        return _changed_val_list(new_lists[0], old_lists)
    return justcopy(old_lists[0]) if old_lists else None


def _changed_val_list(src: Element, old_lists: list[Element]) -> Element:
    out = etree.Element(t("valList"), attrs(src))
    new_items = tei_kids(src, "valItem")
    for item in (i for v in old_lists for i in tei_kids(v, "valItem")):
        ident = item.get("ident")
        mine = [n for n in new_items if n.get("ident") == ident]
        if any(n.get("mode") in ("delete", "replace") for n in mine):
            continue
        kept = etree.SubElement(out, t("valItem"), attrs(item))
        for n in mine:
            for part in ("equiv", "gloss", "desc"):
                kept.extend(justcopy(e) for e in (tei_kids(n, part) or tei_kids(item, part)))
    out.extend(justcopy(n) for n in new_items if n.get("mode") == "add")
    out.extend(justcopy(n) for n in new_items if n.get("mode") == "replace")
    return out
