"""What a RelaxNG schema allows, as a pattern graph with derivatives.

The pattern engine beside libxml2 (which engine decides what is listed in
:mod:`teikit.validation.relaxng`): it checks the root element, elements
with very long content and the subtrees libxml2 found invalid, and words
every RelaxNG problem.  The schema's XML is
turned into interned patterns (small ints) in which every ``element``
is a leaf, so one element's content can be checked on its own, the way
jing does it (James Clark's derivative algorithm, one level deep):

* ``attribute(p, name)``, ``close(p)`` (end of the start tag), ``child(p,
  name)`` and ``text(p)`` are the derivatives;
* ``expected(p)`` lists what may come next (element names, ``text``,
  the end-tag), ``required_attributes`` what is missing.

Datatypes are not checked here: attribute and data values are checked
by :mod:`relaxng` with small libxml2 schemas cut out of this grammar
(:meth:`Grammar.value_schema`).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from .rngcheck import simplified_pair
from .rngsupport import (
    ANY,
    El,
    R,
    SchemaUnsupported,
    _check_supported,
    _name_class,
    _nc_match,
    _nc_names,
    _sort_key,
    value_schema,
)

# pattern kinds
EMPTY, NA, TEXT, DATA, CHOICE, GROUP, INTER, MORE, ELEM, ATTR = range(10)


class Grammar:
    def __init__(self, tree: etree._ElementTree, checked: bool = False):
        """``checked``: the grammar comes from :mod:`rngload`, which has already
        refused what this class cannot model, so that is not looked for again."""
        root = tree.getroot()
        if root.tag != R + "grammar":
            raise SchemaUnsupported("not a grammar")
        self.root = root
        self._nodes: list[tuple[Any, ...]] = []
        self._intern: dict[tuple[Any, ...], int] = {}
        self.empty = self._mk((EMPTY,))
        self.na = self._mk((NA,))
        self.text_p = self._mk((TEXT,))
        self.data_p = self._mk((DATA,))
        self.defines: dict[str, list[Any]] = {}
        starts = []
        for el in root.iter(
            R + "define", R + "start", R + "grammar", R + "include", R + "externalRef", R + "parentRef"
        ):
            if el is not root and el.tag in (R + "grammar", R + "include", R + "externalRef", R + "parentRef"):
                raise SchemaUnsupported(el.tag)
            if el.tag == R + "define":
                self.defines.setdefault(el.get("name", ""), []).append(el)
            elif el.tag == R + "start":
                starts.append(el)
        if not checked:
            _check_supported(root, self.defines)
        # Every element pattern gets its id up front (document order), so
        # its content is built only when a document needs it: tei_all has
        # ~600 elements, a letter uses ~60.
        nodes = list(root.iter(R + "element"))
        self.elements: list[tuple[Any, ...]] = [(_name_class(n, False), n) for n in nodes]  # eid -> (name class, node)
        self._eid = {n: i for i, n in enumerate(nodes)}
        self._content: dict[int, int] = {}
        self.attributes: list[tuple[Any, ...]] = []  # aid -> (name class, schema node)
        self._built: dict[str, int] = {}
        self._building: set[str] = set()
        self.start = self._combine(starts, "choice") if starts else self.na
        self._memo: dict[Any, Any] = {}
        self.by_name: dict[tuple[Any, ...], list[int]] = {}
        for eid, (nc, _) in enumerate(self.elements):
            for name in _nc_names(nc):
                self.by_name.setdefault(name, []).append(eid)

    # -- building ------------------------------------------------------
    def _mk(self, node: tuple[Any, ...]) -> int:
        got = self._intern.get(node)
        if got is None:
            got = self._intern[node] = len(self._nodes)
            self._nodes.append(node)
        return got

    def choice(self, a: int, b: int) -> int:
        if a == self.na or a == b:
            return b
        if b == self.na:
            return a
        items = set()
        for x in (a, b):
            n = self._nodes[x]
            items.update(n[1]) if n[0] == CHOICE else items.add(x)
        return self._mk((CHOICE, frozenset(items)))

    def group(self, a: int, b: int) -> int:
        return self._pair(GROUP, a, b)

    def interleave(self, a: int, b: int) -> int:
        return self._pair(INTER, a, b)

    def _pair(self, kind: int, a: int, b: int) -> int:
        """group or interleave, simplified: notAllowed absorbs, empty vanishes."""
        same = simplified_pair(a, b, self.na, self.empty)
        return self._mk((kind, a, b)) if same is None else same

    def one_or_more(self, p: int) -> int:
        if p in (self.na, self.empty):
            return p
        return self._mk((MORE, p))

    def _combine(self, nodes: list[El], how: str) -> int:
        out = None
        for node in nodes:
            p = self._seq(node)
            out = p if out is None else (self.choice(out, p) if how == "choice" else self.interleave(out, p))
        return self.na if out is None else out

    def _define(self, name: str) -> int:
        if name in self._built:
            return self._built[name]
        if name in self._building:
            raise SchemaUnsupported(f"recursive define {name} outside an element")
        self._building.add(name)
        defs = self.defines.get(name)
        if not defs:
            raise SchemaUnsupported(f"undefined {name}")
        how = next((d.get("combine") for d in defs if d.get("combine")), "choice")
        p = self._combine(defs, how)
        self._building.discard(name)
        self._built[name] = p
        return p

    def _seq(self, parent: El, skip_name: bool = False) -> int:
        kids = [c for c in parent if isinstance(c.tag, str) and c.tag.startswith(R)]
        if skip_name and parent.get("name") is None and kids:
            kids = kids[1:]
        out = self.empty
        for c in kids:
            out = self.group(out, self._build(c))
        return out

    def _build(self, node: El) -> int:
        tag = node.tag[len(R) :]
        if tag in ("group", "define", "start"):
            return self._seq(node)
        if tag in ("choice", "interleave"):
            combine, out = (self.choice, self.na) if tag == "choice" else (self.interleave, self.empty)
            for c in node:
                if isinstance(c.tag, str) and c.tag.startswith(R):
                    out = combine(out, self._build(c))
            return out
        if tag == "mixed":
            return self.interleave(self.text_p, self._seq(node))
        if tag == "optional":
            return self.choice(self._seq(node), self.empty)
        if tag == "zeroOrMore":
            return self.choice(self.one_or_more(self._seq(node)), self.empty)
        if tag == "oneOrMore":
            return self.one_or_more(self._seq(node))
        if tag == "ref":
            return self._define(node.get("name", ""))
        if tag == "element":
            return self._mk((ELEM, self._eid[node]))
        if tag == "attribute":
            aid = len(self.attributes)
            self.attributes.append((_name_class(node, True), node))
            return self._mk((ATTR, aid))
        if tag == "text":
            return self.text_p
        if tag in ("data", "value", "list"):
            return self.data_p
        if tag == "empty":
            return self.empty
        if tag == "notAllowed":
            return self.na
        raise SchemaUnsupported(tag)

    def content(self, eid: int) -> int:
        p = self._content.get(eid)
        if p is None:
            p = self._content[eid] = self._seq(self.elements[eid][1], skip_name=True)
        return p

    # -- derivatives ---------------------------------------------------
    def nullable(self, p: int) -> bool:
        key = ("n", p)
        r = self._memo.get(key)
        if r is None:
            n = self._nodes[p]
            k = n[0]
            if k in (EMPTY, TEXT, DATA):
                r = True
            elif k == CHOICE:
                r = any(self.nullable(x) for x in n[1])
            elif k in (GROUP, INTER):
                r = self.nullable(n[1]) and self.nullable(n[2])
            elif k == MORE:
                r = self.nullable(n[1])
            else:
                r = False
            self._memo[key] = r
        return r

    def _deriv(self, p: int, kind: str, name: tuple[str, str] | None) -> int:
        """kind: 'a' attribute, 'e' element start, 't' text."""
        key = (kind, p, name)
        r = self._memo.get(key)
        if r is not None:
            return int(r)
        n = self._nodes[p]
        k = n[0]
        if k == CHOICE:
            r = self.na
            for x in n[1]:
                r = self.choice(r, self._deriv(x, kind, name))
        elif k == GROUP:
            a, b = n[1], n[2]
            r = self.group(self._deriv(a, kind, name), b)
            if kind == "a":
                r = self.choice(r, self.group(a, self._deriv(b, kind, name)))
            elif self.nullable(a):
                r = self.choice(r, self._deriv(b, kind, name))
        elif k == INTER:
            a, b = n[1], n[2]
            r = self.choice(
                self.interleave(self._deriv(a, kind, name), b), self.interleave(a, self._deriv(b, kind, name))
            )
        elif k == MORE:
            r = self.group(self._deriv(n[1], kind, name), self.choice(p, self.empty))
        elif k == ELEM:
            r = self.empty if kind == "e" and name and _nc_match(self.elements[n[1]][0], name) else self.na
        elif k == ATTR:
            r = self.empty if kind == "a" and name and _nc_match(self.attributes[n[1]][0], name) else self.na
        elif k == TEXT:
            r = p if kind == "t" else self.na
        elif k == DATA:
            r = self.empty if kind == "t" else self.na
        else:
            r = self.na
        self._memo[key] = r
        return r

    def attribute(self, p: int, name: tuple[Any, ...]) -> int:
        return self._deriv(p, "a", name)

    def child(self, p: int, name: tuple[Any, ...]) -> int:
        return self._deriv(p, "e", name)

    def text(self, p: int) -> int:
        return self._deriv(p, "t", None)

    def close(self, p: int, recover: bool = False) -> int:
        """End of the start tag: remaining attributes are missing (or, when
        recovering from that error, forgiven)."""
        key = ("c", p, recover)
        r = self._memo.get(key)
        if r is None:
            n = self._nodes[p]
            k = n[0]
            if k == ATTR:
                r = self.empty if recover else self.na
            elif k == CHOICE:
                r = self.na
                for x in n[1]:
                    r = self.choice(r, self.close(x, recover))
            elif k == GROUP:
                r = self.group(self.close(n[1], recover), self.close(n[2], recover))
            elif k == INTER:
                r = self.interleave(self.close(n[1], recover), self.close(n[2], recover))
            elif k == MORE:
                r = self.one_or_more(self.close(n[1], recover))
            else:
                r = p
            self._memo[key] = r
        return r

    # -- what is expected ------------------------------------------------
    def _leaves(self, p: int, want: int, first: bool, out: set[Any], seen: set[Any]) -> None:
        if p in seen:
            return
        seen.add(p)
        n = self._nodes[p]
        k = n[0]
        if k == want:
            out.add(n[1] if k in (ELEM, ATTR) else k)
        elif k == CHOICE:
            for x in n[1]:
                self._leaves(x, want, first, out, seen)
        elif k == GROUP:
            self._leaves(n[1], want, first, out, seen)
            if not first or self.nullable(n[1]) or want == ATTR:
                self._leaves(n[2], want, first, out, seen)
        elif k == INTER:
            self._leaves(n[1], want, first, out, seen)
            self._leaves(n[2], want, first, out, seen)
        elif k == MORE:
            self._leaves(n[1], want, first, out, seen)
        elif want == TEXT and k == DATA:
            out.add(TEXT)

    def _leaf_set(self, p: int, want: int, first: bool) -> frozenset[int]:
        """The leaves of kind ``want`` reachable in p (only initial ones if ``first``), memoised."""
        key = ("leaves", p, want, first)
        out = self._memo.get(key)
        if out is None:
            found: set[Any] = set()
            self._leaves(p, want, first, found, set())
            out = self._memo[key] = frozenset(found)
        return out

    def first_elements(self, p: int) -> frozenset[int]:
        return self._leaf_set(p, ELEM, True)

    def matching_elements(self, p: int, name: tuple[Any, ...]) -> tuple[int, ...]:
        key = ("m", p, name)
        out = self._memo.get(key)
        if out is None:
            out = self._memo[key] = tuple(
                sorted(e for e in self.first_elements(p) if _nc_match(self.elements[e][0], name))
            )
        return out

    def expected(self, p: int) -> tuple[tuple[Any, ...], bool, bool]:
        """(element names, text allowed, end-tag allowed) after pattern p."""
        key = ("x", p)
        out = self._memo.get(key)
        if out is None:
            names = tuple(
                sorted({n for e in self.first_elements(p) for n in _nc_names(self.elements[e][0])}, key=_sort_key)
            )
            texts: set[Any] = set()
            self._leaves(p, TEXT, True, texts, set())
            out = self._memo[key] = (names, bool(texts), self.nullable(p))
        return out

    def attribute_leaves(self, p: int) -> frozenset[int]:
        return self._leaf_set(p, ATTR, False)

    def allowed_attributes(self, p: int) -> list[tuple[Any, ...]]:
        return sorted({n for a in self.attribute_leaves(p) for n in _nc_names(self.attributes[a][0])}, key=_sort_key)

    def matching_attributes(self, p: int, name: tuple[Any, ...]) -> list[int]:
        return [a for a in self.attribute_leaves(p) if _nc_match(self.attributes[a][0], name)]

    def required_attributes(self, p: int) -> tuple[str, list[tuple[Any, ...]]]:
        """The attributes still missing: each one without which the start tag
        cannot be complete (or, failing that, each that alone completes it)."""
        names = sorted(
            {n for a in self.attribute_leaves(p) for n in _nc_names(self.attributes[a][0]) if n[1] != ANY},
            key=_sort_key,
        )

        def with_all(skip: tuple[Any, ...] | None) -> int:
            q = p
            for n in names:
                if n != skip:
                    d = self.attribute(q, n)
                    q = d if d != self.na else q
            return self.close(q)

        if with_all(None) != self.na:
            every = [n for n in names if with_all(n) == self.na]
            if every:
                return "and", every
        alone = [n for n in names if self.close(self.attribute(p, n)) != self.na]
        return "or", alone or names

    # -- value schemas ----------------------------------------------------
    def value_schema(self, node: El, attribute: bool) -> etree._ElementTree:
        """A small grammar checking one attribute's value (``<x a="..."/>``)
        or one data element's text (``<x>...</x>``) with libxml2."""
        return value_schema(self.defines, node, attribute)
