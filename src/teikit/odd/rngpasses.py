"""odd2relax passes 2 and 3: drop unused defines and dangling references, tidy the patterns."""

from __future__ import annotations

import copy

from lxml import etree

from .ns import ANN, RNG, Element, attrs, is_rng, kids, local, ns_of, nsmap, r

CONTENTFUL = tuple(r(n) for n in ("text", "ref", "anyName", "attribute", "data", "name", "value"))


def cleanup(root: Element, prefix: str) -> None:
    _pass2(root, prefix)
    _pass3(root, prefix)


def _pass2(root: Element, prefix: str) -> None:
    refed = {ref.get("name", "") for ref in root.iter(r("ref"))}
    defed = {d.get("name", "") for d in root.iter(r("define"))}
    for define in list(root.iter(r("define"))):
        name = define.get("name", "")
        bare = name[len(prefix) :] if prefix and name.startswith(prefix) else ("" if prefix else name)
        if name not in refed and bare not in refed:
            parent = define.getparent()
            if parent is not None:
                _remove(define)
    for ref in list(root.iter(r("ref"))):
        parent = ref.getparent()
        if parent is None or ref.get("name", "") in defed:
            continue
        grand = parent.getparent()
        if is_rng(parent, "choice") and grand is not None and is_rng(grand, "start"):
            continue
        if len(kids(parent)) == 1:
            empty = etree.Element(r("empty"))
            empty.tail = ref.tail
            parent.replace(ref, empty)
        else:
            _remove(ref)


def _remove(el: Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    prev = el.getprevious()
    if el.tail and el.tail.strip():
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


class _Pass3:
    def __init__(self, root: Element, prefix: str) -> None:
        self.prefix = prefix
        self.refed = {ref.get("name", "") for ref in root.iter(r("ref"))}
        self.defs: dict[str, list[Element]] = {}
        self.patterns: set[str] = set()
        for d in root.iter(r("define")):
            self.defs.setdefault(d.get("name", ""), []).append(d)
            if any(is_rng(c, "element") and c.get("name") is not None for c in kids(d)):
                self.patterns.add(d.get("name", ""))

    def children(self, el: Element) -> list[Element]:
        out: list[Element] = []
        for c in el:
            if isinstance(c, etree._ProcessingInstruction) and c.target == "NameList":
                out.append(self.name_list())
            elif not isinstance(c.tag, str):
                dup = copy.copy(c)
                dup.tail = None
                out.append(dup)
            else:
                out.extend(self.node(c))
        return out

    def name_list(self) -> Element:
        """The NameList processing instruction: a choice of every element pattern."""
        choice = etree.Element(r("choice"))
        for name in sorted(self.patterns):
            etree.SubElement(choice, r("ref"), {"name": name})
        return choice

    def node(self, el: Element) -> list[Element]:
        if ns_of(el) != RNG:
            # Foreign markup (Schematron, annotations) is copied as it is, text and all.
            dup = copy.deepcopy(el)
            dup.tail = None
            return [dup]
        name = local(el)
        if name in ("list", "element"):
            contents = self.children(el)
            out = etree.Element(el.tag, attrs(el))
            out.text = el.text
            if any(
                isinstance(c.tag, str) and (c.tag in CONTENTFUL or any(True for _ in c.iter(*CONTENTFUL)))
                for c in contents
            ):
                out.extend(contents)
            else:
                out.extend(c for c in contents if isinstance(c.tag, str) and ns_of(c) == ANN)
                etree.SubElement(out, r("empty"))
            return [out]
        parent = el.getparent()
        if name == "choice" and parent is not None and is_rng(parent, "start"):
            return [self.start_choice(el)]
        if name == "group" and len(kids(el)) == 1:
            return self.children(el)
        if name in ("choice", "group"):
            direct = any(is_rng(c, "value", "name") for c in kids(el))
            deep = any(True for _ in el.iter(r("ref"), r("text"), r("data"))) if not direct else True
            return [self.rebuild(el)] if deep else [etree.Element(r("empty"))]
        if name in ("optional", "zeroOrMore", "oneOrMore"):
            return self.repeat(el)
        if name == "define":
            return self.define(el)
        return [self.rebuild(el)]

    def rebuild(self, el: Element) -> Element:
        # Declarations made here are kept: QName values (name="xlink:href") depend on them.
        parent = el.getparent()
        declares = parent is None or parent.nsmap != el.nsmap or ns_of(el) != RNG
        out = etree.Element(el.tag, attrs(el), nsmap=nsmap(el.nsmap) if declares else None)
        out.text = el.text
        out.extend(self.children(el))
        return out

    def start_choice(self, el: Element) -> Element:
        out = etree.Element(r("choice"))
        for ref in (c for c in kids(el) if is_rng(c, "ref")):
            name = ref.get("name", "")
            if name in self.defs:
                etree.SubElement(out, r("ref"), {"name": name})
            elif self.prefix + name in self.defs:
                etree.SubElement(out, r("ref"), {"name": self.prefix + name})
        return out

    def repeat(self, el: Element) -> list[Element]:
        children = kids(el)
        if not children:
            return []
        if len(children) == 1:
            only = children[0]
            if is_rng(only, "empty"):
                return []
            what = only.get("name") if is_rng(only, "ref") else None
            nxt = _next_element(el)
            if what is not None and nxt is not None and len(kids(nxt)) == 1:
                inner = kids(nxt)[0]
                names = set()
                if ns_of(inner) == RNG:
                    names |= {g.get("name") for g in kids(inner) if is_rng(g, "ref")}
                    if is_rng(inner, "group") and len(kids(inner)) == 1:
                        names |= {
                            g.get("name") for x in kids(inner) if ns_of(x) == RNG for g in kids(x) if is_rng(g, "ref")
                        }
                if what in names:
                    return []
            if is_rng(only, "zeroOrMore"):
                return self.children(el)
            if is_rng(only, "group") and len(kids(only)) == 1 and is_rng(kids(only)[0], "zeroOrMore"):
                return self.children(el)
        return [self.rebuild(el)]

    def define(self, el: Element) -> list[Element]:
        name = el.get("name", "")
        if name not in self.refed and name not in self.patterns:
            return []
        same = self.defs.get(name, [el])
        if len(same) == 1 or el.get("combine") == "choice":
            return [self.rebuild(el)]
        depths = [_div_depth(d) for d in same]
        return [self.rebuild(el)] if _div_depth(el) < max(depths) else []


def _div_depth(el: Element) -> int:
    return sum(1 for a in el.iterancestors(r("div")))


def _next_element(el: Element) -> Element | None:
    nxt = el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    return nxt


def _pass3(root: Element, prefix: str) -> None:
    p = _Pass3(root, prefix)
    new = p.children(root)
    root[:] = []
    root.text = None
    root.extend(new)
