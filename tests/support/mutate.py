"""One-fault mutants of generated documents, each invalid by construction.

Every mutant changes one thing, chosen where the grammar proves the change makes the document invalid:

- ``missing-child``: remove a child the content model requires (reached through groups, interleaves and
  the first round of a oneOrMore only, named by a single name no sibling shares);
- ``undeclared-element``: insert an element whose name no pattern of the parent's content accepts;
- ``undeclared-attribute``: add an attribute no attribute pattern of the element accepts;
- ``value-not-in-list``: give an attribute whose only pattern is a closed list of values another value;
- ``bad-datatype``: give an attribute whose only pattern is one datatype a value outside it;
- ``wrong-order``: swap two required children that a group puts in order (each name once among siblings).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from support import datatypes
from support.rnganalysis import Analysis
from support.rnggen import Child, ElementInfo, GeneratedDoc
from support.rnggrammar import Name, Pattern, nc_contains

KINDS = (
    "missing-child",
    "undeclared-element",
    "undeclared-attribute",
    "value-not-in-list",
    "bad-datatype",
    "wrong-order",
)
UNDECLARED = "teikitUndeclared"
NOT_IN_LIST = "teikitNotInList"
BAD_VALUE = "@ not valid @"


@dataclass
class Mutant:
    kind: str
    where: str  # the mutated element, as a path of positions
    detail: str
    root: etree._Element

    def tostring(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")


Edit = Callable[[etree._Element], str]


def _position(el: etree._Element) -> list[int]:
    steps = []
    parent = el.getparent()
    while parent is not None:
        steps.append(parent.index(el))
        el, parent = parent, parent.getparent()
    return steps[::-1]


def _resolve(p: Pattern) -> Pattern:
    while p.kind == "ref" and p.define is not None and p.define.pattern is not None:
        p = p.define.pattern
    return p


def _closed_list(p: Pattern) -> bool:
    p = _resolve(p)
    if p.kind == "choice":
        return all(_closed_list(i) for i in p.items)
    return p.kind == "value"


class Mutator:
    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self._matching: dict[tuple[int, str, str], list[Pattern]] = {}

    def mutants(
        self, doc: GeneratedDoc, rnd: random.Random, per_kind: int = 1, kinds: tuple[str, ...] = KINDS
    ) -> list[Mutant]:
        out = []
        for kind in kinds:
            finder = getattr(self, "_" + kind.replace("-", "_"))
            candidates: list[tuple[etree._Element, Edit]] = []
            for el, info in doc.info.items():
                candidates.extend(finder(el, info))
            for el, edit in rnd.sample(candidates, min(per_kind, len(candidates))):
                out.append(_apply(doc.root, el, kind, edit))
        return out

    # ---- finders: each yields (element, edit of its copy) ----------------------------------------------
    def _missing_child(self, el: etree._Element, info: ElementInfo) -> list[tuple[etree._Element, Edit]]:
        names = [c.element.tag for c in info.children]
        found = []
        for child in info.children:
            if child.required and isinstance(child.pattern.nc, Name) and names.count(child.element.tag) == 1:
                found.append((el, _remove(info.children.index(child), child.element.tag)))
        return found

    def _undeclared_element(self, el: etree._Element, info: ElementInfo) -> list[tuple[etree._Element, Edit]]:
        ns = etree.QName(el).namespace or ""
        allowed = self.analysis.element_names(info.pattern.child)
        if any(nc_contains(p.nc, ns, UNDECLARED) for p in allowed if p.nc is not None):
            return []
        return [(el, _insert(f"{{{ns}}}{UNDECLARED}" if ns else UNDECLARED))]

    def _undeclared_attribute(self, el: etree._Element, info: ElementInfo) -> list[tuple[etree._Element, Edit]]:
        if self._attribute_patterns(info, "", UNDECLARED):
            return []
        return [(el, _set_attribute(UNDECLARED, "x"))]

    def _value_not_in_list(self, el: etree._Element, info: ElementInfo) -> list[tuple[etree._Element, Edit]]:
        return [(el, _set_attribute(name, NOT_IN_LIST)) for name in self._sole(info, _closed_list)]

    def _bad_datatype(self, el: etree._Element, info: ElementInfo) -> list[tuple[etree._Element, Edit]]:
        def spoilable(p: Pattern) -> bool:
            p = _resolve(p)
            return (
                p.kind == "data"
                and p.type not in ("ID", "IDREF", "IDREFS")
                and not datatypes.accepts(p.type, p.params, BAD_VALUE)
            )

        return [(el, _set_attribute(name, BAD_VALUE)) for name in self._sole(info, spoilable)]

    def _wrong_order(self, el: etree._Element, info: ElementInfo) -> list[tuple[etree._Element, Edit]]:
        names = [c.element.tag for c in info.children]
        usable = [
            (n, c)
            for n, c in enumerate(info.children)
            if c.required and isinstance(c.pattern.nc, Name) and names.count(c.element.tag) == 1
        ]
        found = []
        for i, (n1, c1) in enumerate(usable):
            for n2, c2 in usable[i + 1 :]:
                if _ordered_by_group(c1, c2):
                    found.append((el, _swap(n1, n2)))
        return found

    # ---- helpers -------------------------------------------------------------------------------------
    def _attribute_patterns(self, info: ElementInfo, ns: str, local: str) -> list[Pattern]:
        key = (id(info.pattern), ns, local)
        found = self._matching.get(key)
        if found is None:
            attributes = self.analysis.attributes(info.pattern.child)
            found = self._matching[key] = [a for a in attributes if a.nc and nc_contains(a.nc, ns, local)]
        return found

    def _sole(self, info: ElementInfo, test: Callable[[Pattern], bool]) -> list[str]:
        """Attributes present whose one and only possible pattern passes ``test``."""
        names = []
        for name, pattern in info.attribute_patterns.items():
            q = etree.QName(name)
            if len(self._attribute_patterns(info, q.namespace or "", q.localname)) == 1 and test(pattern.child):
                names.append(name)
        return names


def _ordered_by_group(c1: Child, c2: Child) -> bool:
    for a, b in zip(c1.path, c2.path, strict=False):
        if a == b:
            continue
        return a[0] == b[0] and a[2] and a[1] < b[1]
    return False


def _element_children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _remove(index: int, tag: str) -> Edit:
    def edit(el: etree._Element) -> str:
        child = _element_children(el)[index]
        prev = child.getprevious()
        if child.tail:
            if prev is None:
                el.text = (el.text or "") + child.tail
            else:
                prev.tail = (prev.tail or "") + child.tail
        el.remove(child)
        return f"removed required child {tag}"

    return edit


def _insert(tag: str) -> Edit:
    def edit(el: etree._Element) -> str:
        el.insert(0, etree.Element(tag))
        return f"inserted undeclared element {tag}"

    return edit


def _set_attribute(name: str, value: str) -> Edit:
    def edit(el: etree._Element) -> str:
        el.set(name, value)
        return f"attribute {name}={value!r}"

    return edit


def _swap(n1: int, n2: int) -> Edit:
    def edit(el: etree._Element) -> str:
        kids = _element_children(el)
        c1, c2 = kids[n1], kids[n2]
        i1, i2 = el.index(c1), el.index(c2)
        c1.tail, c2.tail = c2.tail, c1.tail
        el.insert(i1, c2)
        el.insert(i2, c1)
        return f"swapped {c1.tag} and {c2.tag}"

    return edit


def _apply(root: etree._Element, el: etree._Element, kind: str, edit: Edit) -> Mutant:
    steps = _position(el)
    twin = copy.deepcopy(root)
    target = twin
    for step in steps:
        target = target[step]
    detail = edit(target)
    return Mutant(kind, "/" + "/".join(str(s + 1) for s in steps), detail, twin)
