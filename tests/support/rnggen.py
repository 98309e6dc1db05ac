"""Generate instance documents that a RelaxNG grammar accepts: seeded, deterministic, depth-bounded.

The walk picks choices and repetition counts at random, but steers each document towards element patterns
no earlier document has produced, so that a set of documents reaches every element the grammar can
produce within the depth bound.  Values satisfy their datatypes and facets; ``xsd:ID`` values are unique
and IDREFs point at one of them.  Each generated element remembers the pattern that made it and, for each
child, whether the content model requires it and the path that led to it (``GeneratedDoc.info``), which
is what ``mutate`` needs to make mutants that are invalid by construction.

    gen = Generator(rnggrammar.load("tei_all.rng"), seed=1)
    docs = gen.cover(max_docs=60)      # every reachable element at least once
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from lxml import etree

from support import datatypes
from support.rnganalysis import INF, Analysis
from support.rnggrammar import (
    XML_NS,
    AnyName,
    Grammar,
    Name,
    NameClass,
    NcChoice,
    NsName,
    Pattern,
    nc_contains,
    nc_names,
)

_WORDS = ("word", "Zwei Wörter", "λόγος", "x", "a & b < c", "  spaced   out  ", "שלום", "1917", "e\u0301t\u00e9")
_FOREIGN_NS = "http://example.org/teikit/generated"
XINCLUDE = "http://www.w3.org/2001/XInclude"
_IDREF = "\ue000idref"  # stands for an IDREF until the document's IDs are known
Path = tuple[tuple[int, int, bool], ...]  # (id of a group or interleave pattern, member index, is a group)


@dataclass
class Child:
    element: etree._Element
    pattern: Pattern
    required: bool  # reached through group/interleave/oneOrMore (first) only: every valid content has one
    path: Path  # outermost first


@dataclass
class ElementInfo:
    pattern: Pattern
    children: list[Child] = field(default_factory=list)
    attribute_patterns: dict[str, Pattern] = field(default_factory=dict)  # attribute name -> its pattern


@dataclass
class GeneratedDoc:
    root: etree._Element
    info: dict[etree._Element, ElementInfo]
    seed: int

    def tostring(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")


@dataclass
class _Content:
    info: ElementInfo
    levels: int  # element levels still available below
    want: dict[int, set[int]]  # child element pattern -> the targets it is to lead to
    items: list[str | etree._Element] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)


class Generator:
    def __init__(
        self,
        grammar: Grammar,
        seed: int = 0,
        max_depth: int = 14,
        max_elements: int = 300,
        targets: int = 40,
        avoid: tuple[str, ...] = (XINCLUDE,),
        plenty: bool = False,
    ) -> None:
        # plenty: two or more of whatever may repeat, most optional attributes: the shapes a stylesheet
        # that expects one item at most is caught by.
        self.plenty = plenty
        self.targets = targets
        self.grammar = grammar
        self.analysis = Analysis(grammar, frozenset(avoid))
        self.nsmap = _prefixes(grammar)
        self.seed = seed
        # a grammar that needs deeper documents than asked for gets them
        self.max_depth = max(max_depth, self.analysis.height(grammar.start))
        self.usable = self.analysis.within(self.max_depth)
        self.max_elements = max_elements
        self.covered: set[int] = set()
        self._cost_cache: dict[int, dict[int, int]] = {}

    # ---- public --------------------------------------------------------------------------------------
    def document(self, seed: int, steer: bool = True) -> GeneratedDoc:
        """One document; with ``steer`` it heads for elements not yet covered by this generator."""
        self.rnd = random.Random(seed)
        self.doc_info: dict[etree._Element, ElementInfo] = {}
        self.count = 0
        self.ids: list[str] = []
        uncovered = self.uncovered() if steer else []
        targets = set(self.rnd.sample(uncovered, min(len(uncovered), self.targets)))
        holder = _Content(ElementInfo(Pattern("empty")), self.max_depth, {})
        holder.want = self._assign(self.grammar.start, targets, self.max_depth)
        self._walk(self.grammar.start, holder, True, ())
        roots = [i for i in holder.items if not isinstance(i, str)]
        if len(roots) != 1:
            raise datatypes.Unsatisfiable("the start pattern did not produce one element")
        self._fill_idrefs()
        etree.cleanup_namespaces(roots[0], top_nsmap=self.nsmap)
        return GeneratedDoc(roots[0], self.doc_info, seed)

    def cover(self, max_docs: int = 100, patience: int = 3) -> list[GeneratedDoc]:
        """Documents until every reachable element pattern is covered, ``patience`` documents in a row
        cover nothing new, or there are ``max_docs``."""
        docs: list[GeneratedDoc] = []
        stale = 0
        while len(docs) < max_docs and self.uncovered() and stale < patience:
            before = len(self.covered)
            docs.append(self.document(self.seed * 100_003 + len(docs)))
            stale = stale + 1 if len(self.covered) == before else 0
        return docs

    def uncovered(self) -> list[int]:
        return [i for i in self.usable if i not in self.covered]

    # ---- steering ------------------------------------------------------------------------------------
    # Each document heads for a sample of uncovered elements.  Every target is handed down one shortest
    # path: an element passes each of its targets to one child, so the steered part of a document is a
    # set of paths, not a tree that grows with every level.
    def _costs(self, target: int) -> dict[int, int]:
        found = self._cost_cache.get(target)
        if found is None:
            found = self._cost_cache[target] = self.analysis.cost_to([target])
        return found

    def _assign(self, p: Pattern, targets: set[int], levels: int) -> dict[int, set[int]]:
        want: dict[int, set[int]] = {}
        if self._closing():
            return want
        kids = self.analysis.direct(p)
        for t in sorted(targets):
            if t in self.covered:
                continue
            costs = self._costs(t)
            fitting = [k for k in kids if costs.get(k, INF) <= levels]
            if fitting:
                low = min(costs[k] for k in fitting)
                best = sorted(k for k in fitting if costs[k] == low)
                shared = [k for k in best if k in want]
                want.setdefault(self.rnd.choice(shared or best), set()).add(t)
        return want

    def _fits(self, p: Pattern, levels: int) -> bool:
        return self.analysis.height(p) <= levels

    def _closing(self) -> bool:
        return self.count >= self.max_elements

    # ---- patterns ------------------------------------------------------------------------------------
    def _walk(self, p: Pattern, c: _Content, required: bool, path: Path) -> None:
        kind = p.kind
        if kind == "ref":
            assert p.define is not None and p.define.pattern is not None
            self._walk(p.define.pattern, c, required, path)
        elif kind == "element":
            self._element(p, c, required, path)
        elif kind == "attribute":
            self._attribute(p, c)
        elif kind in ("group", "interleave", "mixed"):
            if kind == "mixed":
                self._text(c)
            for n, item in enumerate(p.items):
                self._walk(item, c, required, (*path, (id(p), n, kind == "group")) if kind != "mixed" else path)
        elif kind == "choice":
            self._walk(self._pick(p.items, c), c, False, path)
        elif kind == "optional":
            attribute_chance = 0.8 if self.plenty else 0.25
            if self._take_optional(p.child, c, attribute_chance if p.child.kind in ("attribute", "ref") else 0.6):
                self._walk(p.child, c, False, path)
        elif kind in ("zeroOrMore", "oneOrMore"):
            for n in range(self._repeats(p, c)):
                self._walk(p.child, c, required and n == 0 and kind == "oneOrMore", path)
        elif kind == "text":
            self._text(c)
        elif kind in ("data", "value", "list"):
            c.items.append(self._value(p))
        elif kind == "notAllowed":
            raise datatypes.Unsatisfiable("reached notAllowed")

    def _pick(self, branches: list[Pattern], c: _Content) -> Pattern:
        fitting = [b for b in branches if self._fits(b, c.levels)]
        if not fitting:
            raise datatypes.Unsatisfiable("no branch of a choice fits the depth left")
        if self._closing():
            low = min(self.analysis.height(b) for b in fitting)
            fitting = [b for b in fitting if self.analysis.height(b) == low]
        steered = [b for b in fitting if self.analysis.direct(b) & c.want.keys()]
        return self.rnd.choice(steered or fitting)

    def _take_optional(self, p: Pattern, c: _Content, chance: float) -> bool:
        if not self._fits(p, c.levels) or self._closing():
            return False
        if self.analysis.direct(p):
            return bool(self.analysis.direct(p) & c.want.keys()) or self.rnd.random() < self._spread(c, 0.6)
        return self.rnd.random() < chance

    def _repeats(self, p: Pattern, c: _Content) -> int:
        low = 1 if p.kind == "oneOrMore" else 0
        if not self._fits(p.child, c.levels):
            if low:
                raise datatypes.Unsatisfiable("a oneOrMore does not fit the depth left")
            return 0
        if self._closing():
            return low
        steered = self.analysis.direct(p.child) & c.want.keys()
        if steered:
            return max(low, min(len(steered), 6))
        if not self.analysis.direct(p.child):
            return self.rnd.choice((2, 3) if self.plenty else (low, 1))
        if self.rnd.random() >= self._spread(c, 0.95 if self.plenty else 0.7):
            return low
        return self.rnd.choice((2, 2, 3) if self.plenty else (low, 1, 1, 2, 3))

    def _spread(self, c: _Content, chance: float) -> float:
        # Unsteered growth fades with depth, or the first subtree of a large grammar takes the whole
        # size budget of the document.
        return chance * max(0.15, c.levels / self.max_depth) ** 2

    def _text(self, c: _Content) -> None:
        if self.rnd.random() < 0.8:
            c.items.append(self.rnd.choice(_WORDS))

    # ---- elements and attributes ---------------------------------------------------------------------
    def _element(self, p: Pattern, c: _Content, required: bool, path: Path) -> None:
        assert p.nc is not None
        targets = c.want.pop(p.index, set())
        name = self._name(p.nc, element=True)
        el = etree.Element(name, nsmap=self.nsmap)
        info = ElementInfo(p)
        self.doc_info[el] = info
        self.count += 1
        self.covered.add(p.index)
        inner = _Content(info, c.levels - 1, self._assign(p.child, targets, c.levels - 1))
        self._walk(p.child, inner, True, ())
        for key, value in inner.attrs.items():
            el.set(key, value)
        _fill(el, inner.items)
        c.info.children.append(Child(el, p, required, path))
        c.items.append(el)

    def _attribute(self, p: Pattern, c: _Content) -> None:
        assert p.nc is not None
        name = self._name(p.nc, element=False, taken=c.attrs)
        if name in c.attrs:
            return
        c.attrs[name] = self._value(p.child)
        c.info.attribute_patterns[name] = p

    def _name(self, nc: NameClass, element: bool, taken: dict[str, str] | None = None) -> str:
        if isinstance(nc, Name):
            return nc.clark()
        if isinstance(nc, NcChoice):
            return self._name(self.rnd.choice(nc.items), element, taken)
        ns = nc.ns if isinstance(nc, NsName) else _FOREIGN_NS
        for n in range(1000):
            local = f"gen{n}"
            if nc_contains(nc, ns, local) and (taken is None or f"{{{ns}}}{local}" not in taken):
                return f"{{{ns}}}{local}" if ns else local
        raise datatypes.Unsatisfiable(f"no name found for {nc}")

    # ---- values --------------------------------------------------------------------------------------
    def _value(self, p: Pattern, in_list: bool = False) -> str:
        kind = p.kind
        if kind == "ref":
            assert p.define is not None and p.define.pattern is not None
            return self._value(p.define.pattern, in_list)
        if kind == "value":
            return p.text
        if kind == "data":
            return self._datum(p)
        if kind == "list":
            return " ".join(self._value(p.child, True).split())
        if kind == "choice":
            # Inside a list an empty value cannot be a token: that branch is never taken there.
            branches = [b for b in p.items if self.analysis.height(b) < INF and not (in_list and _empty_value(b))]
            return self._value(self.rnd.choice(branches), in_list)
        if kind in ("group", "interleave"):
            return " ".join(self._value(i, in_list) for i in p.items)
        if kind in ("oneOrMore", "zeroOrMore"):
            count = self.rnd.choice((1, 1, 2)) if kind == "oneOrMore" else self.rnd.choice((0, 1, 2))
            return " ".join(self._value(p.child, in_list) for _ in range(count))
        if kind == "optional":
            return self._value(p.child, in_list) if self.rnd.random() < 0.5 else ""
        if kind == "text":
            return self.rnd.choice(_WORDS)
        if kind == "empty":
            return ""
        raise datatypes.Unsatisfiable(f"no value for a {kind} pattern")

    def _datum(self, p: Pattern) -> str:
        if p.type == "ID":
            value = f"gid{len(self.ids) + 1}"
            self.ids.append(value)
            return value
        if p.type in ("IDREF", "IDREFS"):
            return _IDREF
        for _ in range(20):
            value = datatypes.generate(p.type, p.params, self.rnd)
            if p.except_ is None or not self.matches(p.except_, value):
                return value
        raise datatypes.Unsatisfiable(f"every value of {p.type} tried is excluded")

    def matches(self, p: Pattern, value: str) -> bool:
        """Whether a value pattern (``value``, ``data``, ``choice``, ``ref`` of them) accepts ``value``."""
        if p.kind == "ref" and p.define is not None and p.define.pattern is not None:
            return self.matches(p.define.pattern, value)
        if p.kind == "choice":
            return any(self.matches(i, value) for i in p.items)
        if p.kind == "value":
            return datatypes.normalise(p.type, value) == datatypes.normalise(p.type, p.text)
        if p.kind == "data":
            ok = datatypes.accepts(p.type, p.params, value)
            return ok and not (p.except_ is not None and self.matches(p.except_, value))
        return p.kind == "text"

    def _fill_idrefs(self) -> None:
        for el in self.doc_info:
            for key, value in list(el.attrib.items()):
                if _IDREF in value:
                    if self.ids:
                        el.set(key, value.replace(_IDREF, self.ids[0]))
                    else:
                        del el.attrib[key]


def _empty_value(p: Pattern) -> bool:
    while p.kind == "ref" and p.define is not None and p.define.pattern is not None:
        p = p.define.pattern
    if p.kind == "choice":
        return all(_empty_value(i) for i in p.items)
    return p.kind == "empty" or (p.kind == "value" and not p.text.split())


_KNOWN_PREFIXES = {
    "http://www.tei-c.org/ns/1.0": "tei",
    "http://www.tei-c.org/ns/Examples": "egXML",
    "http://www.w3.org/2005/11/its": "its",
    "http://www.w3.org/1999/xlink": "xlink",
    XINCLUDE: "xi",
    "http://www.w3.org/2000/svg": "svg",
    "http://www.w3.org/1998/Math/MathML": "m",
    "http://relaxng.org/ns/structure/1.0": "rng",
    "http://purl.oclc.org/dsdl/schematron": "sch",
    _FOREIGN_NS: "gen",
}


def _prefixes(grammar: Grammar) -> dict[str | None, str]:
    """One fixed prefix per namespace of the grammar, so that no declaration ever shadows another; the
    namespace of the most elements is the default unless some element has no namespace."""
    counts: dict[str, int] = {_FOREIGN_NS: 0}
    for el in grammar.elements:
        assert el.nc is not None
        for name in nc_names(el.nc):
            counts[name.ns] = counts.get(name.ns, 0) + 1
    stack = [el.nc for el in grammar.elements]
    while stack:
        nc = stack.pop()
        if isinstance(nc, NsName):
            counts.setdefault(nc.ns, 0)
        elif isinstance(nc, NcChoice):
            stack.extend(nc.items)
    nsmap: dict[str | None, str] = {}
    for n, ns in enumerate(sorted(ns for ns in counts if ns and ns != XML_NS)):
        nsmap[_KNOWN_PREFIXES.get(ns, f"ns{n}")] = ns
    if "" not in counts:
        default = max((ns for ns in counts if ns), key=lambda ns: (counts[ns], ns))
        nsmap = {(None if ns == default else k): ns for k, ns in nsmap.items()}
    return nsmap


def _fill(el: etree._Element, items: list[str | etree._Element]) -> None:
    last: etree._Element | None = None
    for item in items:
        if isinstance(item, str):
            if last is None:
                el.text = (el.text or "") + item
            else:
                last.tail = (last.tail or "") + item
        else:
            el.append(item)
            last = item


__all__ = ["AnyName", "Child", "ElementInfo", "GeneratedDoc", "Generator"]
