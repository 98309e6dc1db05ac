"""odd2odd passes 3 and 4: drop what nothing uses, tidy content models."""

from __future__ import annotations

from lxml import etree

from .ns import RNG, Element, is_rng, is_tei, kids, local, t, tei_kids

REF_KEYS = tuple(t(n) for n in ("dataRef", "macroRef", "classRef", "elementRef"))


class Usage:
    """Which specs are referred to, and class membership (over the merged schemaSpec)."""

    def __init__(self, schema: Element) -> None:
        self.refed: set[str] = set()
        self.att_refed: set[str] = set()
        self.element_members: set[str] = set()
        self.class_members: dict[str, list[Element]] = {}
        self.idents: dict[str, list[Element]] = {}
        for spec in kids(schema):
            if spec.get("ident") is not None and local(spec).endswith("Spec"):
                self.idents.setdefault(spec.get("ident", ""), []).append(spec)
            for m in (m for c in tei_kids(spec, "classes") for m in tei_kids(c, "memberOf")):
                if is_tei(spec, "elementSpec"):
                    self.element_members.add(m.get("key", ""))
                elif is_tei(spec, "classSpec"):
                    self.class_members.setdefault(m.get("key", ""), []).append(spec)
        for ref in schema.iter(f"{{{RNG}}}ref"):
            self._rng_ref(ref)
        for el in schema.iter(*REF_KEYS):
            if el.get("key"):
                self.refed.add(el.get("key", ""))
        for el in schema.iter(t("attRef")):
            if el.get("class"):
                self.refed.add(el.get("class", ""))
            name = el.get("name", "")
            if ".attribute." in name:
                self.att_refed.add(name.split(".attribute.", 1)[0])
        self._needed: dict[int, bool] = {}

    def _rng_ref(self, ref: Element) -> None:
        name = ref.get("name", "")
        if "_" in name:
            self.refed.add(name.split("_", 1)[0])
        for anc in ref.iterancestors():
            if is_tei(anc, "elementSpec", "datatype"):
                self.refed.add(name)
                return
            if is_tei(anc, "macroSpec"):
                if name != anc.get("ident"):
                    self.refed.add(name)
                return

    def needed(self, spec: Element, depth: int = 0) -> bool:
        """odd2odd's amINeeded: is this class used, directly or through its relatives?"""
        key = id(spec)
        if key in self._needed:
            return self._needed[key]
        if depth > 50:
            return False
        self._needed[key] = False
        ident, kind = spec.get("ident", ""), spec.get("type")
        result = False
        if kind == "model" and ident in self.refed:
            result = True
        elif kind == "atts" and (ident in self.att_refed or ident in self.element_members):
            result = True
        elif kind == "atts" and ident in self.class_members:
            result = any(self.needed(c, depth + 1) for c in self.class_members[ident])
        elif kind == "model":
            keys = [m.get("key", "") for c in tei_kids(spec, "classes") for m in tei_kids(c, "memberOf")]
            result = any(self.needed(s, depth + 1) for k in keys for s in self.idents.get(k, []))
        self._needed[key] = result
        return result


def prune(schema: Element) -> Element:
    usage = Usage(schema)
    for spec in list(schema):
        if not isinstance(spec.tag, str):
            continue
        kind = local(spec)
        keep = True
        if kind == "classSpec":
            keep = usage.needed(spec)
        elif kind == "macroSpec":
            keep = (spec.get("prefix", "") + spec.get("ident", "")) in usage.refed
        elif kind == "dataSpec":
            keep = spec.get("ident", "") in usage.refed
        if not keep:
            schema.remove(spec)
            continue
        for m in list(spec.iter(t("memberOf"))):
            targets = usage.idents.get(m.get("key", ""), [])
            if not targets or not usage.needed(targets[0]):
                parent = m.getparent()
                if parent is not None:
                    parent.remove(m)
        for content in tei_kids(spec, "content"):
            tidy(content)
    return schema


def tidy(el: Element) -> None:
    """Pass 4: unwrap a container holding one child of its own kind, and optional wrappers of repeats."""
    for child in kids(el):
        mode = child.get("mode")
        if mode is not None:
            del child.attrib["mode"]
            child.set("rend", mode)
        children = kids(child)
        unwrap = False
        if is_rng(child, "optional") and len(children) == 2 and all(is_rng(c, "zeroOrMore") for c in children):
            unwrap = True
        elif len(children) == 1:
            inner = children[0]
            if local(inner) == local(child):
                unwrap = True
            elif is_rng(child, "optional") and is_rng(inner, "zeroOrMore", "oneOrMore"):
                unwrap = True
        tidy(child)
        if unwrap:
            _replace_with_children(child)


def _replace_with_children(el: Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for offset, c in enumerate(kids(el)):
        parent.insert(index + offset, c)
    parent.remove(el)


__all__ = ["etree", "prune"]
