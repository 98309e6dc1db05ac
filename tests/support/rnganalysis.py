"""Static facts about a grammar that steer generation and prove mutants invalid.

- ``height(p)``: the fewest element levels a valid instance of ``p`` needs (``INF`` if none exists);
- ``direct(p)``: the element patterns ``p`` can produce as children (refs followed, elements not entered);
- ``attributes(p)``: the attribute patterns ``p`` can put on its element;
- ``cost_to``: per element pattern, the fewest levels down to one of a set of elements.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from support.rnggrammar import Grammar, Name, Pattern

INF = 10**9
_LEAF_ZERO = {"empty", "text", "data", "value"}


class Analysis:
    def __init__(self, grammar: Grammar, avoid: frozenset[str] = frozenset()) -> None:
        self.grammar = grammar
        # Elements in these namespaces are treated as not allowed (jing expands XInclude elements before
        # it validates, so they can never be judged as the elements they are).
        self.avoid = avoid
        self._height_of_define: dict[int, int] = {}
        self._direct: dict[int, frozenset[int]] = {}
        self._attrs: dict[int, tuple[Pattern, ...]] = {}
        self._fix_heights()
        self.reachable = self._reachable()
        self.usable = sorted(i for i in self.reachable if self.height(grammar.elements[i]) < INF)
        self.children = {i: self.direct(grammar.elements[i].child) for i in self.reachable}
        self._parents: dict[int, list[int]] = {}
        for i, kids in self.children.items():
            for k in kids:
                self._parents.setdefault(k, []).append(i)

    # ---- height --------------------------------------------------------------------------------------
    def _fix_heights(self) -> None:
        defines = {}

        def collect(p: Pattern) -> None:
            if p.kind == "ref" and p.define is not None and id(p.define) not in defines:
                defines[id(p.define)] = p.define
                assert p.define.pattern is not None
                collect(p.define.pattern)
            for item in p.items:
                collect(item)

        collect(self.grammar.start)
        for el in self.grammar.elements:
            collect(el)
        self._height_of_define = dict.fromkeys(defines, INF)
        changed = True
        while changed:
            changed = False
            for key, define in defines.items():
                assert define.pattern is not None
                value = self._height(define.pattern)
                if value < self._height_of_define[key]:
                    self._height_of_define[key] = value
                    changed = True
        self._height_memo: dict[int, int] = {}

    def _height(self, p: Pattern) -> int:
        kind = p.kind
        if kind in _LEAF_ZERO:
            return 0
        if kind == "notAllowed":
            return INF
        if kind == "ref":
            assert p.define is not None
            return self._height_of_define.get(id(p.define), INF)
        if kind == "element":
            if isinstance(p.nc, Name) and p.nc.ns in self.avoid:
                return INF
            h = self._height(p.child)
            return INF if h >= INF else h + 1
        if kind == "choice":
            return min(self._height(i) for i in p.items)
        if kind in ("optional", "zeroOrMore"):
            return 0
        return max((self._height(i) for i in p.items), default=0)

    def height(self, p: Pattern) -> int:
        key = id(p)
        if key not in self._height_memo:
            self._height_memo[key] = self._height(p)
        return self._height_memo[key]

    # ---- children and attributes ---------------------------------------------------------------------
    def direct(self, p: Pattern) -> frozenset[int]:
        key = id(p)
        found = self._direct.get(key)
        if found is None:
            if p.kind == "element":
                found = frozenset((p.index,))
            elif p.kind == "ref":
                assert p.define is not None and p.define.pattern is not None
                found = self.direct(p.define.pattern)
            elif p.kind in ("attribute", "list", "data", "value"):
                found = frozenset()
            else:
                found = frozenset().union(*(self.direct(i) for i in p.items))
            self._direct[key] = found
        return found

    def attributes(self, p: Pattern) -> tuple[Pattern, ...]:
        key = id(p)
        found = self._attrs.get(key)
        if found is None:
            if p.kind == "attribute":
                found = (p,)
            elif p.kind == "ref":
                assert p.define is not None and p.define.pattern is not None
                found = self.attributes(p.define.pattern)
            elif p.kind in ("element", "list", "data", "value"):
                found = ()
            else:
                found = tuple(a for i in p.items for a in self.attributes(i))
            self._attrs[key] = found
        return found

    def element_names(self, p: Pattern) -> list[Pattern]:
        """The element patterns that may appear as children of an element whose content is ``p``."""
        return [self.grammar.elements[i] for i in sorted(self.direct(p))]

    # ---- coverage ------------------------------------------------------------------------------------
    def _reachable(self) -> set[int]:
        seen: set[int] = set()
        todo = [i for i in self.direct(self.grammar.start) if self.height(self.grammar.elements[i]) < INF]
        while todo:
            i = todo.pop()
            if i in seen:
                continue
            seen.add(i)
            el = self.grammar.elements[i]
            todo.extend(j for j in self.direct(el.child) if self.height(self.grammar.elements[j]) < INF)
        return seen

    def within(self, max_depth: int) -> list[int]:
        """The usable element patterns a document no deeper than ``max_depth`` can hold."""
        depth: dict[int, int] = {}
        level = sorted(i for i in self.direct(self.grammar.start) if i in self.reachable)
        n = 1
        while level:
            fresh = [i for i in level if i not in depth]
            for i in fresh:
                depth[i] = n
            level = sorted({k for i in fresh for k in self.children.get(i, ()) if k in self.reachable})
            n += 1
        return [i for i in self.usable if depth[i] - 1 + self.height(self.grammar.elements[i]) <= max_depth]

    def cost_to(self, targets: Iterable[int]) -> dict[int, int]:
        """Per element pattern, the levels needed to reach (and complete) one of ``targets`` below it."""
        parents = self._parents
        cost = {i: self.height(self.grammar.elements[i]) for i in targets if i in self.reachable}
        heap = [(c, i) for i, c in cost.items()]
        heapq.heapify(heap)
        while heap:
            c, i = heapq.heappop(heap)
            if c > cost.get(i, INF):
                continue
            for parent in parents.get(i, ()):
                if c + 1 < cost.get(parent, INF):
                    cost[parent] = c + 1
                    heapq.heappush(heap, (c + 1, parent))
        return cost
