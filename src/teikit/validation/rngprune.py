"""Which children of an element still need explaining (for :mod:`relaxng`)."""

from __future__ import annotations

import copy
import time
from typing import Any

from lxml import etree

from .rngtext import _name

El = etree._Element
_PROBE = 100  # children copied to time libxml2 on an element's content model
_PER_CHILD = 20e-6  # seconds: checking one child on its own (Python and libxml2)


class Pruner:
    """Which children of an element still need explaining.

    A child whose name has a single element pattern (and which is the one
    its context expects) is valid or not regardless of context, so
    libxml2 decides its subtree alone; a valid subtree is skipped.  When a
    subtree fails, the lines of libxml2's errors show which of its own
    children hold the problems: those are explained without asking
    libxml2 again, which keeps the work near one validation per document.

    libxml2 is quadratic in the number of siblings for some content
    models (TEI's listPlace, listPerson, listOrg, listBibl, listEvent: 7 ms
    for 200 children, 36 ms for 400) and linear for others (div, p, list[Any]:
    under 1 ms).  So for each element name with a long sequence, libxml2
    is timed once on a copy of its first ``_PROBE`` children; where the
    time, scaled as if quadratic, exceeds what checking the children one
    by one would cost, subtrees holding that element are never handed to
    libxml2: the element is checked here (linear) and its children by
    libxml2.  The choice changes the work, never the problems found.
    """

    def __init__(self, schema: etree.RelaxNG, unique: dict[Any, Any], wide: list[Any], probes: dict[Any, Any]):
        self.schema = schema
        self.unique = unique
        self.probes = probes
        slow = [w for w in wide if self._slow(w)]
        self.long_runs = set(slow).union(*(w.iterancestors() for w in slow))

    def _slow(self, wide: El) -> bool:
        if self.unique.get(_name(wide)) is None:
            return True  # no libxml2 verdict of its own: checked here anyway
        cost = self.probes.get(wide.tag)
        if cost is None:
            probe = etree.Element(wide.tag, dict(wide.attrib), nsmap=wide.nsmap)  # type: ignore[arg-type,misc]
            for child in list(wide)[:_PROBE]:
                probe.append(copy.deepcopy(child))
            start = time.perf_counter()
            self.schema.validate(probe)
            cost = self.probes[wide.tag] = time.perf_counter() - start
        n = len(wide)
        return cost * (n / _PROBE) ** 2 > n * _PER_CHILD

    def to_explain(self, kids: list[Any], hints: frozenset[Any]) -> list[tuple[Any, ...]]:
        """(child, its patterns, error lines within it) for each child not
        proven valid."""
        out = []
        for i, (node, eids) in enumerate(kids):
            mine: frozenset[int] = frozenset()
            if hints:
                lo = node.sourceline or 0
                hi = kids[i + 1][0].sourceline if i + 1 < len(kids) else None
                mine = frozenset(x for x in hints if x >= lo and (hi is None or x <= hi))
            if not mine and len(eids) == 1 and self.unique.get(_name(node)) == eids[0] and node not in self.long_runs:
                if self.schema.validate(node):
                    continue
                mine = frozenset(e.line for e in self.schema.error_log)
            out.append((node, eids, mine))
        return out
