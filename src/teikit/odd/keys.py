"""Look-up tables over the customisation (the Stylesheets' odd2odd keys)."""

from __future__ import annotations

from .ns import Element, local, t
from .source import UniqueName

REF_TAGS = tuple(t(n) for n in ("dataRef", "macroRef", "classRef", "elementRef"))


def _owner_ident(att: Element, kinds: tuple[str, ...]) -> str:
    for anc in att.iterancestors(*[t(k) for k in kinds]):
        return anc.get("ident", "")
    return ""


def _grand_ident(el: Element) -> str:
    parent = el.getparent()
    grand = parent.getparent() if parent is not None else None
    return grand.get("ident", "") if grand is not None else ""


class OddKeys:
    """What the customisation deletes, replaces and changes, by unique name."""

    def __init__(self, schema: Element) -> None:
        self.unique = UniqueName(schema.get("ns"))
        self.delete: set[str] = set()
        self.replace: dict[str, Element] = {}
        self.change: dict[str, Element] = {}
        for el in schema.iter(*[t(n) for n in ("elementSpec", "classSpec", "macroSpec", "dataSpec")]):
            mode = el.get("mode")
            name = self.unique(el)
            if mode == "delete":
                self.delete.add(name)
            elif mode == "replace":
                self.replace.setdefault(name, el)
            elif mode == "change":
                self.change.setdefault(name, el)
        self.delete_att: dict[str, list[Element]] = {}
        self.change_att: dict[str, Element] = {}
        self.replace_att: dict[str, Element] = {}
        for att in schema.iter(t("attDef")):
            mode = att.get("mode")
            if mode == "delete":
                for kind in ("classSpec", "elementSpec"):
                    owner = _owner_ident(att, (kind,))
                    if owner:
                        self.delete_att.setdefault(f"{owner}_{att.get('ident')}", []).append(att)
            elif mode == "change":
                self.change_att.setdefault(f"{_grand_ident(att)}_{att.get('ident')}", att)
            elif mode == "replace":
                self.replace_att.setdefault(f"{_grand_ident(att)}_{att.get('ident')}", att)
        self.member_add: set[str] = set()
        self.member_delete: set[str] = set()
        for m in schema.iter(t("memberOf")):
            key = _grand_ident(m) + m.get("key", "")
            if m.get("mode") == "delete":
                self.member_delete.add(key)
            elif m.get("mode") in (None, "add"):
                self.member_add.add(key)
        self.constraint: dict[str, set[str]] = {"delete": set(), "replace": set(), "change": set()}
        for c in schema.iter(t("constraintSpec")):
            mode = c.get("mode")
            parent = c.getparent()
            if mode in self.constraint and parent is not None:
                self.constraint[mode].add(f"{parent.get('ident', '')}_{c.get('ident', '')}")
        self.ref_objects = {
            c.get("key", "")
            for c in schema
            if isinstance(c.tag, str) and c.tag in (t("macroRef"), t("classRef"), t("elementRef"))
        }
        self.att_filters: dict[str, list[Element]] = {}
        for el in schema.iter(t("attRef"), *REF_TAGS):
            key = (el.get("class") if local(el) == "attRef" else el.get("key")) or ""
            if key and (el.get("include") is not None or el.get("except") is not None):
                self.att_filters.setdefault(key, []).append(el)

    def deleted(self, name: str) -> bool:
        return name in self.delete

    def spec_deleted(self, spec: Element) -> bool:
        return self.unique(spec) in self.delete


__all__ = ["OddKeys"]
