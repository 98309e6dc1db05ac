"""The rest of RelaxNG simplification (4.12-4.21) and the restrictions of section 7.

Runs on the one grammar :mod:`rngload` makes, independent of any
document.  Patterns are built as interned tuples, with the rules of
4.12-4.15 (binary operators, ``mixed``, ``optional``, ``zeroOrMore``)
and 4.20-4.21 (``notAllowed`` and ``empty``) applied as they are built;
a reference that reaches itself without passing through an element is
an error (4.19).  Then, walking from the start:

* 4.16: no ``anyName`` inside an ``except`` of ``anyName``, no
  ``anyName``/``nsName`` inside an ``except`` of ``nsName``, no
  attribute named ``xmlns`` or in the ``xmlns`` namespace;
* 7.1: what may not occur inside ``attribute``, ``oneOrMore``, ``list``,
  a data ``except`` and ``start``;
* 7.2: each element's content has a content type (no string sequence
  beside elements or another string sequence);
* 7.3: no attribute twice in a group, an attribute whose name class is
  infinite is repeated (``oneOrMore``);
* 7.4: the two sides of an ``interleave`` share no element name and not
  both hold text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from lxml import etree

from .rngnameclass import NameClass, R, _finite, _nc_problems, _show_nc, name_class, overlap

# pattern kinds
EMPTY, NA, TEXT, DATA, VALUE, LIST, ATTR, ELEM, CHOICE, GROUP, INTER, MORE = range(12)
# bits of what a pattern holds (not looking inside elements)
B = {k: 1 << k for k in range(12)}
B_GATTR = 1 << 12  # an attribute inside a group or interleave

Node = tuple[Any, ...]


class _Reporter(Protocol):
    def fail(self, el: etree._Element, message: str) -> Exception: ...


class Checker:
    def __init__(self, reporter: _Reporter, root: etree._Element):
        self.r = reporter
        self.root = root
        self.nodes: list[Node] = []
        self.where: list[etree._Element] = []
        self._intern: dict[Node, int] = {}
        self.empty = self._mk((EMPTY,), root)
        self.na = self._mk((NA,), root)
        self.defines = {d.get("name"): d for d in root.iterchildren(R + "define")}
        self._built: dict[str, int] = {}
        self._building: set[str] = set()
        self.elements: list[tuple[NameClass, etree._Element]] = []
        self._eid: dict[etree._Element, int] = {}
        self._content: dict[int, int] = {}

    # -- building ------------------------------------------------------------
    def _mk(self, node: Node, el: etree._Element) -> int:
        got = self._intern.get(node)
        if got is None:
            got = self._intern[node] = len(self.nodes)
            self.nodes.append(node)
            self.where.append(el)
        return got

    def _binary(self, kind: int, a: int, b: int, el: etree._Element) -> int:
        if kind == CHOICE:
            if a == self.na:
                return b
            if b == self.na:
                return a
            if a == self.empty and b == self.empty:
                return self.empty
            return self._mk((CHOICE, a, b), el)
        same = simplified_pair(a, b, self.na, self.empty)
        return self._mk((kind, a, b), el) if same is None else same

    def _fold(self, kind: int, items: list[int], el: etree._Element) -> int:
        out = items[0]
        for p in items[1:]:
            out = self._binary(kind, out, p, el)
        return out

    def _more(self, p: int, el: etree._Element) -> int:
        if p in (self.na, self.empty):
            return p
        return self._mk((MORE, p), el)

    def _kids(self, el: etree._Element, skip_name: bool = False) -> list[etree._Element]:
        kids = [c for c in el if isinstance(c.tag, str)]
        if skip_name and el.get("name") is None:
            kids = kids[1:]
        return kids

    def _seq(self, el: etree._Element, skip_name: bool = False) -> int:
        kids = self._kids(el, skip_name)
        if not kids:
            return self.empty
        return self._fold(GROUP, [self.build(c) for c in kids], el)

    def build(self, el: etree._Element) -> int:
        tag = el.tag[len(R) :]
        if tag in ("group", "start", "define"):
            return self._seq(el)
        if tag in ("choice", "interleave"):
            return self._fold(CHOICE if tag == "choice" else INTER, [self.build(c) for c in self._kids(el)], el)
        if tag == "mixed":
            return self._binary(INTER, self._seq(el), self._mk((TEXT,), el), el)
        if tag == "optional":
            return self._binary(CHOICE, self._seq(el), self.empty, el)
        if tag == "zeroOrMore":
            return self._binary(CHOICE, self._more(self._seq(el), el), self.empty, el)
        if tag == "oneOrMore":
            return self._more(self._seq(el), el)
        if tag == "list":
            body = self._seq(el)
            return self.na if body == self.na else self._mk((LIST, body), el)
        if tag == "ref":
            return self._define(el)
        if tag == "element":
            eid = self._eid.get(el)
            if eid is None:
                eid = self._eid[el] = len(self.elements)
                self.elements.append((name_class(el), el))
            return self._mk((ELEM, eid), el)
        if tag == "attribute":
            body = self._seq(el, skip_name=True)
            if not self._kids(el, skip_name=True):
                body = self._mk((TEXT,), el)
            if body == self.na:
                return self.na
            return self._mk((ATTR, name_class(el), body), el)
        if tag == "text":
            return self._mk((TEXT,), el)
        if tag == "value":
            return self._mk((VALUE, id(el)), el)
        if tag == "data":
            exc = next((c for c in el if isinstance(c.tag, str) and c.tag == R + "except"), None)
            excepted = self._fold(CHOICE, [self.build(c) for c in self._kids(exc)], exc) if exc is not None else None
            return self._mk((DATA, id(el), None if excepted == self.na else excepted), el)
        if tag == "empty":
            return self.empty
        if tag == "notAllowed":
            return self.na
        raise self.r.fail(el, f'unexpected element "{tag}"')

    def _define(self, ref: etree._Element) -> int:
        name = ref.get("name", "")
        got = self._built.get(name)
        if got is not None:
            return got
        if name in self._building:
            raise self.r.fail(ref, f'pattern "{name}" refers to itself without an element in between')
        self._building.add(name)
        got = self._built[name] = self.build(self.defines[name])
        self._building.discard(name)
        return got

    def content(self, eid: int) -> int:
        got = self._content.get(eid)
        if got is None:
            got = self._content[eid] = self._seq(self.elements[eid][1], skip_name=True)
        return got

    # -- checking --------------------------------------------------------------
    def run(self) -> None:
        for el in self.root.iter(R + "element", R + "attribute"):  # 4.16 holds before unreachable parts go
            self._check_nc(name_class(el), el, el.tag == R + "attribute")
        start = self.build(next(self.root.iterchildren(R + "start")))
        self._bits: dict[int, int] = {}
        self._ct: dict[int, int | None] = {}
        self._seen_ctx: set[tuple[int, bool]] = set()
        self._attr_names: dict[int, tuple[NameClass, ...]] = {}
        self._elem_names: dict[int, tuple[NameClass, ...]] = {}
        self._texty: dict[int, bool] = {}
        bad = self.bits(start) & (
            B[ATTR] | B[DATA] | B[VALUE] | B[TEXT] | B[LIST] | B[GROUP] | B[INTER] | B[MORE] | B[EMPTY]
        )
        if bad:
            what = _first_bit(bad)
            raise self.r.fail(self._find(start, what), f"{_WORDS[what]} not allowed in start")
        todo = [start]
        done: set[int] = set()
        while todo:
            p = todo.pop()
            for eid in self._elements_in(p):
                if eid in done:
                    continue
                done.add(eid)
                el = self.elements[eid][1]
                c = self.content(eid)
                if c != self.na:
                    self._walk(c, False)
                    if self.ct(c) is None:
                        raise self.r.fail(el, "element content mixes a data pattern with elements, text or other data")
                todo.append(c)

    def _inside(self, p: int) -> Iterator[int]:
        """p and the patterns inside it, not looking inside elements."""
        stack = [p]
        seen: set[int] = set()
        while stack:
            q = stack.pop()
            if q in seen:
                continue
            seen.add(q)
            yield q
            n = self.nodes[q]
            if n[0] in (CHOICE, GROUP, INTER):
                stack += [n[2], n[1]]
            elif n[0] in (MORE, LIST):
                stack.append(n[1])
            elif n[0] == ATTR:
                stack.append(n[2])
            elif n[0] == DATA and n[2] is not None:
                stack.append(n[2])

    def _elements_in(self, p: int) -> set[int]:
        return {self.nodes[q][1] for q in self._inside(p) if self.nodes[q][0] == ELEM}

    def bits(self, p: int) -> int:
        got = self._bits.get(p)
        if got is not None:
            return got
        n = self.nodes[p]
        k = n[0]
        b = B[k]
        if k in (CHOICE, GROUP, INTER):
            inner = self.bits(n[1]) | self.bits(n[2])
            b |= inner
            if k != CHOICE and inner & (B[ATTR] | B_GATTR):
                b |= B_GATTR
        elif k in (MORE, LIST):
            b |= self.bits(n[1])
        elif k == ATTR:
            b |= self.bits(n[2])
        elif k == DATA and n[2] is not None:
            b |= self.bits(n[2])
        self._bits[p] = b
        return b

    def _walk(self, p: int, repeated: bool) -> None:
        """Checks that depend on where a pattern stands (inside oneOrMore)."""
        if (p, repeated) in self._seen_ctx:
            return
        self._seen_ctx.add((p, repeated))
        n = self.nodes[p]
        k = n[0]
        el = self.where[p]
        if k == ATTR:
            inner = self.bits(n[2])
            if inner & (B[ATTR] | B[ELEM]):
                what = ATTR if inner & B[ATTR] else ELEM
                raise self.r.fail(self._find(n[2], what), f"{_WORDS[what]} not allowed inside attribute")
            if not repeated and not _finite(n[1]):
                raise self.r.fail(el, "an attribute with anyName or nsName must be inside oneOrMore")
            self._walk(n[2], repeated)
        elif k == MORE:
            if self.bits(n[1]) & B_GATTR:
                raise self.r.fail(el, "oneOrMore must not contain an attribute inside a group or interleave")
            self._walk(n[1], True)
        elif k == LIST:
            bad = self.bits(n[1]) & (B[LIST] | B[ELEM] | B[ATTR] | B[TEXT] | B[INTER])
            if bad:
                what = _first_bit(bad)
                raise self.r.fail(self._find(n[1], what), f"{_WORDS[what]} not allowed inside list")
            self._walk(n[1], repeated)
        elif k == DATA and n[2] is not None:
            bad = self.bits(n[2]) & (B[ATTR] | B[ELEM] | B[TEXT] | B[LIST] | B[GROUP] | B[INTER] | B[MORE] | B[EMPTY])
            if bad:
                what = _first_bit(bad)
                raise self.r.fail(self._find(n[2], what), f"{_WORDS[what]} not allowed in the except of data")
        elif k in (CHOICE, GROUP, INTER):
            self._walk(n[1], repeated)
            self._walk(n[2], repeated)
            if k != CHOICE:
                self._no_shared_attributes(n[1], n[2], el)
            if k == INTER:
                self._no_shared_elements(n[1], n[2], el)

    def ct(self, p: int) -> int | None:
        """Content type: 0 empty, 1 complex, 2 simple; None if there is none."""
        if p in self._ct:
            return self._ct[p]
        n = self.nodes[p]
        k = n[0]
        out: int | None
        if k in (EMPTY, ATTR, NA):
            out = 0 if k != ATTR or self.ct(n[2]) is not None else None
        elif k in (TEXT, ELEM):
            out = 1
        elif k in (DATA, VALUE, LIST):
            out = 2
        elif k == MORE:
            c = self.ct(n[1])
            out = c if c is not None and _groupable(c, c) else None
        else:
            a, b = self.ct(n[1]), self.ct(n[2])
            if a is None or b is None:
                out = None
            elif k == CHOICE or _groupable(a, b):
                out = max(a, b)
            else:
                out = None
        self._ct[p] = out
        return out

    def _names(self, p: int, kind: int, memo: dict[int, tuple[NameClass, ...]]) -> tuple[NameClass, ...]:
        """The name classes of the attributes (or elements) in p."""
        got = memo.get(p)
        if got is not None:
            return got
        n = self.nodes[p]
        k = n[0]
        out: tuple[NameClass, ...] = ()
        if k == kind == ATTR:
            out = (n[1],)
        elif k == kind == ELEM:
            out = (self.elements[n[1]][0],)
        elif k in (CHOICE, GROUP, INTER):
            out = tuple(dict.fromkeys(self._names(n[1], kind, memo) + self._names(n[2], kind, memo)))
        elif k == MORE:
            out = self._names(n[1], kind, memo)
        memo[p] = out
        return out

    def _no_shared_attributes(self, a: int, b: int, el: etree._Element) -> None:
        left = self._names(a, ATTR, self._attr_names)
        if not left:
            return
        right = self._names(b, ATTR, self._attr_names)
        for x in left:
            for y in right:
                if overlap(x, y):
                    raise self.r.fail(el, f"attribute {_show_nc(x)} may occur twice in the same element")

    def _no_shared_elements(self, a: int, b: int, el: etree._Element) -> None:
        for x in self._names(a, ELEM, self._elem_names):
            for y in self._names(b, ELEM, self._elem_names):
                if overlap(x, y):
                    raise self.r.fail(el, f"element {_show_nc(x)} occurs on both sides of an interleave")
        if self._text(a) and self._text(b):
            raise self.r.fail(el, "text occurs on both sides of an interleave")

    def _text(self, p: int) -> bool:
        got = self._texty.get(p)
        if got is None:
            n = self.nodes[p]
            if n[0] == TEXT:
                got = True
            elif n[0] in (CHOICE, GROUP, INTER):
                got = self._text(n[1]) or self._text(n[2])
            elif n[0] == MORE:
                got = self._text(n[1])
            else:
                got = False
            self._texty[p] = got
        return got

    def _check_nc(self, nc: NameClass, el: etree._Element, attribute: bool) -> None:
        for problem in _nc_problems(nc, attribute, None):
            raise self.r.fail(el, problem)

    def _find(self, p: int, kind: int) -> etree._Element:
        """The schema element of the first pattern of ``kind`` inside p."""
        return next((self.where[q] for q in self._inside(p) if self.nodes[q][0] == kind), self.where[p])


_WORDS = {
    ATTR: "attribute",
    ELEM: "element",
    DATA: "data",
    VALUE: "value",
    TEXT: "text",
    LIST: "list",
    GROUP: "group",
    INTER: "interleave",
    MORE: "oneOrMore",
    EMPTY: "empty",
}


def _first_bit(bits: int) -> int:
    for k in (ATTR, ELEM, DATA, VALUE, TEXT, LIST, GROUP, INTER, MORE, EMPTY):
        if bits & B[k]:
            return k
    return EMPTY


def _groupable(a: int, b: int) -> bool:
    return a == 0 or b == 0 or (a == 1 and b == 1)


def simplified_pair(a: int, b: int, na: int, empty: int) -> int | None:
    """The group or interleave of patterns ``a`` and ``b`` as RELAX NG's
    simplification leaves it (4.19): notAllowed absorbs the pair, and an
    empty member vanishes; None when the pair stays a pair."""
    if a == na or b == na:
        return na
    if a == empty:
        return b
    if b == empty:
        return a
    return None
