"""RelaxNG validation: libxml2's verdicts, jing-quality messages.

libxml2 (through lxml) decides validity: it is fast and its verdicts
equal jing's.  Its messages are not good enough (column 0, "Expecting an
element , got nothing", wrong places, cascades), so problems are
explained with the derivative algorithm jing uses (:mod:`rngindex`):
each names the element or attribute, what was found, what was expected,
and where.  Values are checked with small libxml2 schemas cut out of the
grammar.

How a document is checked (:meth:`RelaxNG.check`):

* Usually (TEI: every element name has one element pattern, so an
  element's validity does not depend on where it stands) the root is
  checked here and each child subtree by libxml2 on its own, with a
  schema whose start is any element pattern
  (:func:`specialize.element_start`).  Valid subtrees are done; invalid
  ones are explained level by level, libxml2's error lines pointing at
  the children to open (:class:`_Pruner`).  A document costs about one
  libxml2 validation, plus Python work only where the problems are.
* Otherwise libxml2 validates the whole document and, if it is invalid,
  the explanation runs (pruned the same way where it can).  If the
  explanation finds nothing (it never should), libxml2's own messages
  are reported, so a verdict is never lost.
* libxml2 is quadratic in the number of siblings for some content
  models (``listplace.xml``, 2,393 places: 14 s), so a subtree holding
  such a long sequence is never handed to it; the derivative engine
  (linear) checks that element itself and libxml2 its children.  Which
  content models are quadratic is measured once per element name
  (:class:`_Pruner`).

The tests compare every path with the full explanation and with jing on
the corpora and fixtures (test_explain_pruning, test_differential_jing).
"""

from __future__ import annotations

import copy
import time
import unicodedata
from pathlib import Path

from lxml import etree

from .. import xmlio
from ..problems import BAD_ID, DUPLICATE_ID, ERROR, Problem, SchemaError
from ..xmlio import ParsedDoc
from . import rngindex
from .rngcache import CompiledRng
from .rngindex import ANY, Grammar, SchemaUnsupported
from .rngtext import (
    _LIMIT_ATTRIBUTES,
    _LIMIT_ELEMENTS,
    _attr_name,
    _clip,
    _expected_text,
    _fallback,
    _name,
    _names,
    _ns,
    _pretty,
    _show,
    _show_attr,
    _text_at,
    _text_position,
    _where,
    describe,
)

TEXT_TOKEN = "#text"
LONG_SEQUENCE = 1000  # children of one element beyond which libxml2 is too slow
_PRUNE_WIDTH = 100  # elements with more children are probed for libxml2's quadratic cases (see _Pruner)
_PROBE = 100  # children copied to time libxml2 on an element's content model
_PER_CHILD = 20e-6  # seconds: checking one child on its own (Python and libxml2)


class RelaxNG:
    """A compiled RelaxNG schema.  Compile once per run, check many docs."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            tree = xmlio.parse_trusted(self.path)
        except OSError as exc:
            raise SchemaError(f"Error: cannot read schema {self.path}: {exc.strerror or exc}") from None
        except etree.XMLSyntaxError as exc:
            from .schemas import xml_syntax_error

            raise xml_syntax_error(self.path, exc, "schema") from None
        if not str(tree.getroot().tag).startswith("{http://relaxng.org/ns/structure/1.0}"):
            raise SchemaError(
                f"Error: {self.path} is not a RelaxNG schema (XML syntax); root element is {tree.getroot().tag}"
            )
        # libxml2 compiles a copy specialised to the element names in use
        # (tei_all: ~10 ms instead of 9-13 s); see rngcache and specialize.
        self.compiled = CompiledRng(tree, self.path.read_bytes(), on_error=self._compile_error)
        try:
            self.grammar: Grammar | None = Grammar(tree)
        except SchemaUnsupported:
            self.grammar = None
        self.long_sequence = LONG_SEQUENCE
        self._local: dict = {}
        self._values: dict = {}
        self._value_schemas: dict = {}
        self._parents: dict | None = None
        self._parents_of: dict = {}
        self._unique_names: dict | None = None
        self._probes: dict = {}  # element tag -> libxml2's time for _PROBE of its children

    def _compile_error(self, exc: etree.RelaxNGParseError) -> SchemaError:
        from .schemas import schema_error

        first = exc.error_log[0] if len(exc.error_log) else None
        if first is not None and first.filename:
            return schema_error(first.filename, first.line, first.column, f"RelaxNG schema does not compile: {exc}")
        return schema_error(str(self.path), None, None, f"RelaxNG schema does not compile: {exc}")

    def prepare(self, names: frozenset[str]) -> None:
        """Compile, once, a specialisation covering all these element names."""
        self.compiled.for_names(names)

    # ------------------------------------------------------------------
    def check(self, doc: ParsedDoc) -> list[Problem]:
        problems = [self._id_problem(doc, p) for p in doc.id_problems]
        wide = doc.survey(_PRUNE_WIDTH)
        names = doc.names()
        subtrees = self.compiled.for_subtrees(names) if self.grammar is not None else None
        if subtrees is not None and self._decomposable(doc.root):
            # The usual path for TEI: the root is checked here, each of its
            # children by libxml2 on its own (their patterns do not depend on
            # context), and only invalid subtrees are explained further, so
            # a document is validated about once, at C speed.  Guarded by
            # the same time box as a whole-document validation.
            found = self.compiled.boxed(lambda: self.explain(doc, subtrees, wide), len(doc.source))
            if found is not None:
                return problems + self._dedupe_ids(problems, found)
            subtrees = None  # pathological: the full schema decides below
        if self.grammar is not None and any(len(w) > self.long_sequence for w in wide):
            # libxml2 is quadratic in the number of siblings (a register with
            # 2,393 places: 14 s); the derivative engine is linear and checks
            # values with libxml2, so it decides alone here.
            return problems + self._dedupe_ids(problems, self.explain(doc, subtrees, wide))
        ok, log = self.compiled.validate(doc.tree, names, len(doc.source))
        if ok:
            return problems
        raw = [(e.type_name, e.message, e.path or "", e.line) for e in log]
        found = []
        if self.grammar is not None:
            found = self._dedupe_ids(problems, self.explain(doc, subtrees, wide))
        if not found and not problems:
            found = _fallback(doc, raw)
        return problems + found

    def _decomposable(self, root) -> bool:
        """Whether each child of the root has a single element pattern, so
        libxml2 can decide each child's subtree on its own."""
        unique = self._unique
        return all(_name(c) in unique for c in root.iterchildren(tag=etree.Element))

    @staticmethod
    def _dedupe_ids(id_problems: list[Problem], found: list[Problem]) -> list[Problem]:
        """libxml2's parser and the explanation both see bad xml:id values: keep one."""
        id_lines = {p.line for p in id_problems}
        return [p for p in found if not (p.line in id_lines and '"xml:id"' in p.message)]

    # -- the explanation ---------------------------------------------------
    def explain(self, doc: ParsedDoc, subtrees: etree.RelaxNG | None = None, wide: list | None = None) -> list[Problem]:
        """Every problem in ``doc``, jing-style.  With ``subtrees`` (a
        schema from :meth:`CompiledRng.for_subtrees`), an element whose
        name has a single element pattern is skipped, subtree and all, when
        libxml2 finds that subtree valid on its own: its validity cannot
        depend on where it stands, so it holds nothing to explain."""
        g = self.grammar
        if subtrees is not None and wide is None:
            wide = doc.survey(_PRUNE_WIDTH)
        pruner = _Pruner(subtrees, self._unique, wide, self._probes) if subtrees is not None else None
        out: list[Problem] = []
        root = doc.root
        name = _name(root)
        eids = g.matching_elements(g.start, name)
        if not eids:
            names, _, _ = g.expected(g.start)
            shown = _show(root) + (" (in no namespace)" if root.prefix is None and not _ns(root) else "")
            out.append(
                self._problem(
                    doc,
                    root,
                    None,
                    f"element {shown} not allowed here; expected " + _expected_text(names, False, False, _ns(root)),
                )
            )
            eids = tuple(g.by_name.get(name, ()))
        stack = [(root, eids, frozenset())]
        while stack:
            el, eids, hints = stack.pop()
            attrs = tuple(_attr_name(a) for a in el.attrib.keys())
            tokens, nodes = _tokens(el)
            key = (eids, attrs, tokens)
            local = self._local.get(key)
            if local is None:
                local = self._check_local(eids, attrs, tokens)
                if len(self._local) > 50000:  # bounded memory over a large corpus
                    self._local.clear()
                self._local[key] = local
            errors, child_eids, attr_ids, data_eids = local
            for err in errors:
                out.append(self._report(doc, el, err, attrs, tokens, nodes))
            for (attr, value), aids in zip(el.attrib.items(), attr_ids, strict=False):
                if aids and not self._value_ok(aids, value, True):
                    out.append(self._value_problem(doc, el, attr, value, aids))
            if data_eids:
                text = "".join(el.itertext(tag=etree.Element))
                if not self._value_ok(data_eids, text, False):
                    out.append(
                        self._problem(
                            doc,
                            el,
                            None,
                            f'content "{_clip(text)}" of element {_show(el)} is invalid; expected '
                            + self._describe_element_data(data_eids[0]),
                        )
                    )
            kids = list(zip((n for n in nodes if n is not None), child_eids, strict=False))
            if pruner is not None:
                stack.extend(reversed(pruner.to_explain(kids, hints)))
            else:
                stack.extend((n, e, frozenset()) for n, e in reversed(kids))
        return sorted(out, key=lambda p: (p.line or 0, p.column or 0))

    @property
    def _unique(self) -> dict:
        """name -> its element pattern, for names with exactly one."""
        if self._unique_names is None:
            self._unique_names = {n: e[0] for n, e in self.grammar.by_name.items() if len(e) == 1 and n[1] != ANY}
        return self._unique_names

    def _check_local(self, eids, attrs, tokens):
        """Errors for one element with these pattern(s), attribute names and
        child tokens; the patterns of its children; attribute patterns."""
        g = self.grammar
        errors: list[tuple] = []
        child_eids: list[tuple] = []
        attr_ids: list[tuple] = []
        if not eids:  # an element the schema does not know: check what is inside
            for tok in tokens:
                if tok != TEXT_TOKEN:
                    child_eids.append(tuple(g.by_name.get(tok, ())))
            return errors, child_eids, [() for _ in attrs], None
        p = g.na
        for e in eids:
            p = g.choice(p, g.content(e))
        for i, a in enumerate(attrs):
            d = g.attribute(p, a)
            if d == g.na:
                errors.append(("attr", i, tuple(g.allowed_attributes(p))))
                attr_ids.append(())
            else:
                attr_ids.append(tuple(g.matching_attributes(p, a)))
                p = d
        c = g.close(p)
        if c == g.na:
            how, names = g.required_attributes(p)
            errors.append(("missing-attr", how, tuple(names)))
            c = g.close(p, recover=True)
        p = c
        declared_empty = g.expected(p) == ((), False, True)
        data_eids = eids if self._is_data(p) else None
        for j, tok in enumerate(tokens):
            if tok == TEXT_TOKEN:
                d = g.text(p)
                if d == g.na:
                    errors.append(("text", j, ("empty",) if declared_empty else g.expected(p)))
                else:
                    p = d
                continue
            d = g.child(p, tok)
            if d != g.na:
                child_eids.append(g.matching_elements(p, tok))
                p = d
                continue
            # not allowed here: is something required missing before it?
            missing = self._missing_before(p, tok)
            if missing:
                errors.append(("yet", j, tuple(missing)))
                if any(t in missing for t in tokens[j + 1 :]):  # misplaced: it comes later
                    child_eids.append(tuple(g.by_name.get(tok, ())))
                else:  # missing: go on as if it had been there
                    child_eids.append(g.matching_elements(g.child(p, missing[0]), tok))
                    p = g.child(g.child(p, missing[0]), tok)
                continue
            errors.append(("elem", j, ("empty",) if declared_empty else g.expected(p)))
            child_eids.append(tuple(g.by_name.get(tok, ())))
        if not g.nullable(p):
            errors.append(("incomplete", None, g.expected(p)))
        return errors, child_eids, attr_ids, data_eids

    def _missing_before(self, p: int, tok: tuple) -> list[tuple]:
        """Required elements whose absence makes ``tok`` not allowed (yet)."""
        key = ("missing", p, tok)
        found = self._local.get(key)
        if found is None:
            g = self.grammar
            names, _, _ = g.expected(p)
            found = self._local[key] = [n for n in names if n[1] != ANY and g.child(g.child(p, n), tok) != g.na]
        return found

    def _is_data(self, p: int) -> bool:
        """Whether content ``p`` is a datatype or value (no elements)."""
        key = ("data", p)
        found = self._local.get(key)
        if found is None:
            g = self.grammar
            leaves: set = set()
            g._leaves(p, rngindex.DATA, False, leaves, set())
            found = self._local[key] = bool(leaves) and not g.first_elements(p)
        return found

    # -- messages ----------------------------------------------------------
    def _report(self, doc, el, err, attrs, tokens, nodes) -> Problem:
        kind, pos, info = err
        ctx = _ns(el)
        if kind == "attr":
            attr = list(el.attrib.keys())[pos]
            msg = f"attribute {_show_attr(el, attr)} not allowed on element {_show(el)}"
            msg += (
                f"; expected attribute {_names(info, '', _LIMIT_ATTRIBUTES, True)}"
                if info
                else "; it takes no attributes"
            )
            return self._problem(doc, el, attr, msg)
        if kind == "missing-attr":
            names = _names(info, "", _LIMIT_ATTRIBUTES, True)
            if len(info) == 1:
                return self._problem(doc, el, None, f"element {_show(el)} missing required attribute {names}")
            if pos == "and":
                names = names.rsplit(" or ", 1)[0] + " and " + names.rsplit(" or ", 1)[1]
                return self._problem(doc, el, None, f"element {_show(el)} missing required attributes {names}")
            return self._problem(
                doc, el, None, f"element {_show(el)} missing a required attribute; expected attribute {names}"
            )
        if kind == "incomplete":
            names, text, _ = info
            if len(names) == 1 and not text:
                what = f"missing required element {_names(names, ctx, 1)}"
            else:
                what = "expected " + _expected_text(names, text, False, ctx)
            return self._problem(doc, el, None, f"element {_show(el)} incomplete; {what}", end=True)
        node = nodes[pos]
        if kind == "yet":
            return self._problem(
                doc,
                node,
                None,
                f"element {_show(node)} not allowed yet in {_show(el)}; "
                f"missing required element {_names(info, ctx, _LIMIT_ELEMENTS)} before it",
            )
        if kind == "text":
            line, col = _text_position(doc, el, pos, tokens, nodes)
            snippet = _text_at(el, pos, tokens, nodes)
            msg = f'text "{_clip(snippet)}" not allowed in element {_show(el)}'
            if info == ("empty",):
                msg += f"; {_show(el)} must be empty"
            else:
                msg += "; expected " + _expected_text(*info, ctx)
            return Problem(doc.display, line, col, ERROR, "rng", msg, path=_pretty(el))
        # kind == "elem"
        tok = tokens[pos]
        known = tok in self.grammar.by_name
        where = "here" if known else "anywhere"
        msg = f"element {_show(node)} not allowed {where} in {_show(el)}"
        msg += f"; {_show(el)} must be empty" if info == ("empty",) else "; expected " + _expected_text(*info, ctx)
        if known:
            parents = self._where_allowed(tok)
            if _name(el) in parents:
                msg += f"; {_show(node)} may occur in {_show(el)} only at another position"
            elif parents:
                msg += f"; {_show(node)} may occur in {_names(parents, ctx, 8)}"
        return self._problem(doc, node, None, msg)

    def _where_allowed(self, name: tuple) -> list[tuple]:
        """The elements whose content may hold an element ``name``.  The
        index covers the whole grammar (0.2 s for tei_all), so it is kept
        in the schema cache beside the specialised grammars, as one string
        per element name (quick to load; each is split when needed)."""
        if self._parents is None:
            cached = self.compiled.load_index("parents")
            if not isinstance(cached, dict) or not all(isinstance(v, str) for v in cached.values()):
                cached = {_key(k): " ".join(_key(p) for p in v) for k, v in self._parents_index().items()}
                self.compiled.save_index("parents", cached)
            self._parents = cached
        got = self._parents_of.get(name)
        if got is None:
            found = self._parents.get(_key(name))
            got = self._parents_of[name] = tuple(_unkey(k) for k in found.split(" ")) if found else ()
        return got

    def _parents_index(self) -> dict:
        g = self.grammar
        parents: dict = {}
        for eid, (nc, _) in enumerate(g.elements):
            kids: set = set()
            g._leaves(g.content(eid), rngindex.ELEM, False, kids, set())
            for k in kids:
                for child in rngindex._nc_names(g.elements[k][0]):
                    parents.setdefault(child, set()).update(rngindex._nc_names(nc))
        return {k: tuple(sorted(v, key=rngindex._sort_key)) for k, v in parents.items()}

    def _problem(self, doc, node, attribute, msg, end: bool = False) -> Problem:
        line, col = _where(doc, node, attribute, end)
        return Problem(doc.display, line, col, ERROR, "rng", msg, path=_pretty(node))

    # -- values --------------------------------------------------------------
    def _value_ok(self, ids: tuple, value: str, attribute: bool) -> bool:
        key = (ids, value, attribute)
        ok = self._values.get(key)
        if ok is None:
            ok = any(self._check_value(i, value, attribute) for i in ids)
            if len(self._values) < 200000:
                self._values[key] = ok
        return ok

    def _check_value(self, i: int, value: str, attribute: bool) -> bool:
        schema = self._value_schemas.get((i, attribute))
        if schema is None:
            node = (self.grammar.attributes if attribute else self.grammar.elements)[i][1]
            try:
                schema = etree.RelaxNG(self.grammar.value_schema(node, attribute))
            except etree.RelaxNGParseError:
                schema = False
            self._value_schemas[(i, attribute)] = schema
        if schema is False:
            return True
        x = etree.Element("x")
        if attribute:
            x.set("a", value)
        else:
            x.text = value
        return schema.validate(x)

    def _value_problem(self, doc, el, attr, value, aids) -> Problem:
        msg = f'value "{_clip(value)}" of attribute {_show_attr(el, attr)} on element {_show(el)} is invalid'
        hidden = [c for c in dict.fromkeys(value) if unicodedata.category(c).startswith("C")]
        if hidden:
            msg += "; it contains the invisible character " + ", ".join(
                f"U+{ord(c):04X} {unicodedata.name(c, 'control character')}" for c in hidden[:3]
            )
        expected = describe(self.grammar, self.grammar.attributes[aids[0]][1])
        tokens = value.split()
        if len(tokens) > 1 and expected.startswith("a space-separated list"):
            bad = [t for t in tokens if not self._value_ok(aids, t, True)]
            if bad and len(bad) < len(tokens):
                msg += f'; item "{_clip(bad[0])}" is not allowed'
        if expected:
            msg += f"; expected {expected}"
        return self._problem(doc, el, attr, msg)

    def _describe_element_data(self, eid: int) -> str:
        return describe(self.grammar, self.grammar.elements[eid][1]) or "a different value"

    def _id_problem(self, doc, p: Problem) -> Problem:
        """libxml2's parse-time xml:id problems, located on the attribute."""
        if p.kind not in (DUPLICATE_ID, BAD_ID) or not p.names:
            return p
        value, duplicate = p.names[0], p.kind == DUPLICATE_ID
        hits = [e for e in doc.root.iter(tag=etree.Element) if e.get(f"{{{xmlio.XML_NS}}}id") == value]
        msg = p.message
        if not duplicate:
            msg = (
                f'value "{value}" of attribute "xml:id" is invalid; expected an XML name without colons '
                f'(a letter or "_" first, then letters, digits, ".", "-" or "_")'
            )
        target = next((e for e in hits if e.sourceline == p.line), hits[-1] if hits else None)
        if duplicate and len(hits) > 1:
            target = hits[1] if target is hits[0] else target
            msg = f'duplicate xml:id "{value}" on element {_show(target)}: already used on element {_show(hits[0])} at line {hits[0].sourceline}'
        if target is None:
            return Problem(
                p.file, p.line, p.column, p.severity, p.engine, msg, p.rule, p.path, kind=p.kind, names=p.names
            )
        if not duplicate:
            msg = msg.replace('"xml:id" is', f'"xml:id" on element {_show(target)} is')
        line, col = doc.locate(target, f"{{{xmlio.XML_NS}}}id")
        return Problem(
            p.file, line, col, p.severity, p.engine, msg, p.rule, _pretty(target), kind=p.kind, names=p.names
        )


# ---------------------------------------------------------------------------
class _Pruner:
    """Which children of an element still need explaining.

    A child whose name has a single element pattern (and which is the one
    its context expects) is valid or not regardless of context, so
    libxml2 decides its subtree alone; a valid subtree is skipped.  When a
    subtree fails, the lines of libxml2's errors show which of its own
    children hold the problems: those are explained without asking
    libxml2 again, which keeps the work near one validation per document.

    libxml2 is quadratic in the number of siblings for some content
    models (TEI's listPlace, listPerson, listOrg, listBibl, listEvent: 7 ms
    for 200 children, 36 ms for 400) and linear for others (div, p, list:
    under 1 ms).  So for each element name with a long sequence, libxml2
    is timed once on a copy of its first ``_PROBE`` children; where the
    time, scaled as if quadratic, exceeds what checking the children one
    by one would cost, subtrees holding that element are never handed to
    libxml2: the element is checked here (linear) and its children by
    libxml2.  The choice changes the work, never the problems found.
    """

    def __init__(self, schema: etree.RelaxNG, unique: dict, wide: list, probes: dict):
        self.schema = schema
        self.unique = unique
        self.probes = probes
        slow = [w for w in wide if self._slow(w)]
        self.long_runs = set(slow).union(*(w.iterancestors() for w in slow))

    def _slow(self, wide) -> bool:
        if self.unique.get(_name(wide)) is None:
            return True  # no libxml2 verdict of its own: checked here anyway
        cost = self.probes.get(wide.tag)
        if cost is None:
            probe = etree.Element(wide.tag, dict(wide.attrib), nsmap=wide.nsmap)
            for child in wide[:_PROBE]:
                probe.append(copy.deepcopy(child))
            start = time.perf_counter()
            self.schema.validate(probe)
            cost = self.probes[wide.tag] = time.perf_counter() - start
        n = len(wide)
        return cost * (n / _PROBE) ** 2 > n * _PER_CHILD

    def to_explain(self, kids: list, hints: frozenset) -> list[tuple]:
        """(child, its patterns, error lines within it) for each child not
        proven valid."""
        out = []
        for i, (node, eids) in enumerate(kids):
            mine = frozenset()
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


def _key(name: tuple) -> str:
    """(namespace, local) as one string: "ns}local"."""
    return f"{name[0]}}}{name[1]}"


def _unkey(key: str) -> tuple:
    ns, local = key.rsplit("}", 1)
    return (ns, local)


def _tokens(el) -> tuple[tuple, list]:
    """The child tokens (element names, TEXT_TOKEN for non-blank text) and,
    in step, the child elements (None for text)."""
    tokens: list = []
    nodes: list = []
    pending = el.text or ""
    for child in el:
        if isinstance(child.tag, str):
            if pending.strip():
                tokens.append(TEXT_TOKEN)
                nodes.append(None)
            pending = ""
            tokens.append(_name(child))
            nodes.append(child)
        pending += child.tail or ""
    if pending.strip():
        tokens.append(TEXT_TOKEN)
        nodes.append(None)
    return tuple(tokens), nodes
