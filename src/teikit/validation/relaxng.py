"""RelaxNG validation: two engines, jing's verdicts, jing-quality messages.

libxml2 (through lxml) is fast, but its messages are not good enough
(column 0, "Expecting an element , got nothing", wrong places,
cascades).  teikit's own pattern engine (:mod:`rngindex`, the
derivative algorithm jing uses) words every problem: each names the
element or attribute, what was found, what was expected, and where.
Which engine decides (see below): libxml2 each child subtree of the root
(or the whole document), the pattern engine the root element itself,
elements with very long content, and what is wrong inside a subtree
libxml2 found invalid; attribute and text values are checked with small
libxml2 schemas cut out of the grammar, and libxml2's parser reports bad
and duplicate ``xml:id`` values.

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

import unicodedata
from pathlib import Path
from typing import Any

from lxml import etree

from .. import xmlio
from ..problems import BAD_ID, DUPLICATE_ID, ERROR, Problem, SchemaError
from ..xmlio import ParsedDoc
from . import rngids, rngindex, rngvalues
from .rngcache import CompiledRng, load_schema
from .rngindex import ANY, Grammar
from .rnglimits import Caps, cap_file
from .rngprune import Pruner
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

El = etree._Element
Name = tuple[str, str]
# a local check's result: errors, children's patterns, attributes' patterns, data patterns
Local = tuple[list[tuple[Any, ...]], list[tuple[int, ...]], list[tuple[int, ...]], tuple[int, ...] | None]
TEXT_TOKEN = "#text"
_XML_ID = f"{{{xmlio.XML_NS}}}id"
LONG_SEQUENCE = 1000  # children of one element beyond which libxml2 is too slow
_PRUNE_WIDTH = 100  # elements with more children are probed for libxml2's quadratic cases (see rngprune)


class RelaxNG:
    """A compiled RelaxNG schema.  Compile once per run, check many docs."""

    def __init__(self, path: Path, ids: bool = True):
        self.path = Path(path)
        # Checked once, whatever the documents (rngload: RelaxNG's own
        # rules); libxml2 then compiles copies specialised to the element
        # names in use (tei_all: ~10 ms instead of 9-13 s).
        tree, key, id_types = load_schema(self.path)  # ID types are NCName in it (see rngids)
        # QName and NOTATION values need the instance's namespace context,
        # which libxml2 does not give them: such schemas are decided here.
        self.context = rngvalues.uses_context(tree.getroot())
        self.compiled = CompiledRng(
            rngvalues.neutralise(tree) if self.context else tree, key, on_error=self._compile_error
        )
        # the checked grammar holds nothing the explanation cannot model
        self.grammar: Grammar = Grammar(tree, checked=True)
        self.long_sequence = LONG_SEQUENCE
        self._local: dict[Any, Any] = {}
        self._values: dict[Any, Any] = {}
        self._value_schemas: dict[Any, Any] = {}
        self._parents: dict[Any, Any] | None = None
        self._parents_of: dict[Any, Any] = {}
        self._unique_names: dict[Any, Any] | None = None
        self._probes: dict[Any, Any] = {}  # element tag -> libxml2's time for _PROBE of its children
        self._matcher: rngvalues.Matcher | None = None
        self.ids: rngids.IdTypes | None = None
        if ids:  # DTD compatibility, as jing without -i
            if id_types.get("error"):
                raise SchemaError(str(id_types["error"]))
            self.ids = rngids.IdTypes.from_list(id_types["checked"])

    def _compile_error(self, exc: etree.RelaxNGParseError) -> Exception:
        """libxml2 refused a grammar that passed RelaxNG's own rules (its
        restrictions are not the standard's): the derivative engine then
        decides alone, so the schema is still usable."""
        self.context = True
        return _Refused(str(exc))

    def prepare(self, names: frozenset[str]) -> None:
        """Compile, once, a specialisation covering all these element names."""
        try:
            self.compiled.for_names(names)
        except _Refused:
            pass  # decided by the derivative engine (see _compile_error)

    # ------------------------------------------------------------------
    def check(self, doc: ParsedDoc) -> list[Problem]:
        found = self._check(doc)
        if self.ids is None:  # as jing -i: no ID uniqueness, not even xml:id's
            return [p for p in found if not p.message.startswith("duplicate xml:id")]
        extra = self.ids.problems(doc, lambda el, attr, msg: self._problem(doc, el, attr, msg), _show)
        return sorted(found + extra, key=lambda p: (p.line or 0, p.column or 0)) if extra else found

    def _check(self, doc: ParsedDoc) -> list[Problem]:
        problems = [self._id_problem(doc, p) for p in doc.id_problems]
        wide = doc.survey(_PRUNE_WIDTH)
        names = doc.names()
        if self.context and self.grammar is not None:
            return problems + self._dedupe_ids(problems, self.explain(doc, None, wide))
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
        try:
            ok, log = self.compiled.validate(doc.tree, names, len(doc.source))
        except _Refused:
            return problems + self._dedupe_ids(problems, self.explain(doc, None, wide))
        if ok:
            return problems
        raw = [(e.type_name, e.message, e.path or "", e.line) for e in log]
        found = []
        if self.grammar is not None:
            found = self._dedupe_ids(problems, self.explain(doc, subtrees, wide))
        if not found and not problems:
            found = _fallback(doc, raw)
        return problems + found

    def _decomposable(self, root: El) -> bool:
        """Whether each child of the root has a single element pattern, so
        libxml2 can decide each child's subtree on its own."""
        unique = self._unique
        return all(_name(c) in unique for c in root.iterchildren(tag=etree.Element))

    @staticmethod
    def _dedupe_ids(id_problems: list[Problem], found: list[Problem]) -> list[Problem]:
        """libxml2's parser and the explanation both see bad xml:id values: keep one."""
        id_lines = {p.line for p in id_problems}
        return [p for p in found if not (p.line in id_lines and _XML_ID in p.names)]

    # -- the explanation ---------------------------------------------------
    def explain(
        self, doc: ParsedDoc, subtrees: etree.RelaxNG | None = None, wide: list[Any] | None = None
    ) -> list[Problem]:
        """Every problem in ``doc``, jing-style.  With ``subtrees`` (a
        schema from :meth:`CompiledRng.for_subtrees`), an element whose
        name has a single element pattern is skipped, subtree and all, when
        libxml2 finds that subtree valid on its own: its validity cannot
        depend on where it stands, so it holds nothing to explain."""
        g = self.grammar
        if subtrees is not None and wide is None:
            wide = doc.survey(_PRUNE_WIDTH)
        pruner = Pruner(subtrees, self._unique, wide or [], self._probes) if subtrees is not None else None
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
        stack: list[tuple[El, tuple[int, ...], frozenset[int]]] = [(root, eids, frozenset())]
        while stack:
            el, eids, hints = stack.pop()
            kids = self._explain_element(doc, el, eids, out)
            if not kids:
                continue
            if pruner is not None:
                stack.extend(reversed(pruner.to_explain(kids, hints)))
            else:
                stack.extend((n, e, frozenset()) for n, e in reversed(kids))
        return cap_file(doc, sorted(out, key=lambda p: (p.line or 0, p.column or 0)))

    def _explain_element(
        self, doc: ParsedDoc, el: El, eids: tuple[Any, ...], out: list[Problem]
    ) -> list[tuple[Any, ...]]:
        """Report one element's own problems (attributes, children in order,
        data content) into ``out``; return (child, its patterns) pairs."""
        attrib: Any = el.attrib  # lxml's stubs type keys and values as str | bytes
        attrs = tuple(_attr_name(a) for a in attrib.keys()) if attrib else ()
        tokens, nodes = _tokens(el) if len(el) or (el.text and not el.text.isspace()) else _NO_TOKENS
        key = (eids, attrs, tokens)
        local = self._local.get(key)
        if local is None:
            local = self._check_local(eids, attrs, tokens)
            if len(self._local) > 50000:  # bounded memory over a large corpus
                self._local.clear()
            self._local[key] = local
        errors, child_eids, attr_ids, data_eids = local
        if errors or any(attr_ids):
            caps = Caps(self._report, doc, el)
            for err in errors:
                if caps.take(err[0], tokens[err[1]] if err[0] in ("yet", "elem") else None, err):
                    out.append(self._report(doc, el, err, attrs, tokens, nodes))
            for (attr, value), aids in zip(attrib.items(), attr_ids, strict=False):
                if aids and not self._value_ok(aids, value, True, el) and caps.take("value", None, attr):
                    out.append(self._value_problem(doc, el, attr, value, aids))
            out += caps.summaries(attrs, tokens, nodes)
        if data_eids:
            text = "".join(str(t) for t in el.itertext(tag=etree.Element))
            if not self._value_ok(data_eids, text, False, el):
                msg = f'content "{_clip(text)}" of element {_show(el)} is invalid; expected '
                out.append(self._problem(doc, el, None, msg + self._describe_element_data(data_eids[0])))
        if not child_eids:
            return []
        return list(zip((n for n in nodes if n is not None), child_eids, strict=False))

    @property
    def _unique(self) -> dict[Any, Any]:
        """name -> its element pattern, for names with exactly one."""
        if self._unique_names is None:
            self._unique_names = {n: e[0] for n, e in self.grammar.by_name.items() if len(e) == 1 and n[1] != ANY}
        return self._unique_names

    def _check_local(self, eids: tuple[int, ...], attrs: tuple[Name, ...], tokens: tuple[Any, ...]) -> Local:
        """Errors for one element with these pattern(s), attribute names and
        child tokens; the patterns of its children; attribute patterns."""
        g = self.grammar
        errors: list[tuple[Any, ...]] = []
        child_eids: list[tuple[Any, ...]] = []
        attr_ids: list[tuple[Any, ...]] = []
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
                errors.append(("attr", i, self._allowed_attributes(p)))
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
        data_eids = eids if self._is_data(p) and all(t == TEXT_TOKEN for t in tokens) else None
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

    def _allowed_attributes(self, p: int) -> tuple[Any, ...]:
        key = ("allowed", p)
        found = self._local.get(key)
        if found is None:
            found = self._local[key] = tuple(self.grammar.allowed_attributes(p))
        return found

    def _missing_before(self, p: int, tok: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Required elements whose absence makes ``tok`` not allowed (yet)."""
        key = ("missing", p, tok)
        found = self._local.get(key)
        if found is None:
            g = self.grammar
            names, _, _ = g.expected(p)
            found = self._local[key] = [n for n in names if n[1] != ANY and g.child(g.child(p, n), tok) != g.na]
        return found

    def _is_data(self, p: int) -> bool:
        """Whether content ``p`` holds a datatype or value (checked when the
        instance element has no child elements: a data pattern can stand
        beside elements only in a choice)."""
        key = ("data", p)
        found = self._local.get(key)
        if found is None:
            g = self.grammar
            leaves: set[Any] = set()
            g._leaves(p, rngindex.DATA, False, leaves, set())
            found = self._local[key] = bool(leaves)
        return found

    # -- messages ----------------------------------------------------------
    def _report(
        self,
        doc: ParsedDoc,
        el: El,
        err: tuple[Any, ...],
        attrs: tuple[Name, ...],
        tokens: tuple[Any, ...],
        nodes: list[Any],
    ) -> Problem:
        kind, pos, info = err
        ctx = _ns(el)
        if kind == "attr":
            attr = el.attrib.keys()[pos]
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
                msg += "; expected " + _expected_text(info[0], info[1], info[2], ctx)
            return Problem(doc.display, line, col, ERROR, "rng", msg, path=_pretty(el))
        # kind == "elem"
        tok = tokens[pos]
        known = tok in self.grammar.by_name
        where = "here" if known else "anywhere"
        msg = f"element {_show(node)} not allowed {where} in {_show(el)}"
        if info == ("empty",):
            msg += f"; {_show(el)} must be empty"
        else:
            msg += "; expected " + _expected_text(info[0], info[1], info[2], ctx)
        if known:
            parents = self._where_allowed(tok)
            if _name(el) in parents:
                msg += f"; {_show(node)} may occur in {_show(el)} only at another position"
            elif parents:
                msg += f"; {_show(node)} may occur in {_names(tuple(parents), ctx, 8)}"
        return self._problem(doc, node, None, msg)

    def _where_allowed(self, name: tuple[Any, ...]) -> list[tuple[Any, ...]]:
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
        return list(got)

    def _parents_index(self) -> dict[Any, Any]:
        g = self.grammar
        parents: dict[Any, Any] = {}
        for eid, (nc, _) in enumerate(g.elements):
            kids: set[Any] = set()
            g._leaves(g.content(eid), rngindex.ELEM, False, kids, set())
            for k in kids:
                for child in rngindex._nc_names(g.elements[k][0]):
                    parents.setdefault(child, set()).update(rngindex._nc_names(nc))
        return {k: tuple(sorted(v, key=rngindex._sort_key)) for k, v in parents.items()}

    def _problem(self, doc: ParsedDoc, node: El, attribute: str | None, msg: str, end: bool = False) -> Problem:
        line, col = _where(doc, node, attribute, end)
        names = (attribute,) if attribute else ()
        return Problem(doc.display, line, col, ERROR, "rng", msg, path=_pretty(node), names=names)

    # -- values --------------------------------------------------------------
    def _value_ok(self, ids: tuple[Any, ...], value: str, attribute: bool, el: El | None = None) -> bool:
        context = tuple(sorted((k or "", v) for k, v in el.nsmap.items())) if self.context and el is not None else ()
        key = (ids, value, attribute, context)
        ok = self._values.get(key)
        if ok is None:
            if self.context and el is not None:
                ok = any(self._check_in_context(i, value, attribute, el) for i in ids)
            else:
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
        if schema is False or schema is True:
            return True
        x = etree.Element("x")
        if attribute:
            x.set("a", value)
        else:
            x.text = value
        return bool(schema.validate(x))

    def _check_in_context(self, i: int, value: str, attribute: bool, el: El) -> bool:
        if self._matcher is None:
            self._matcher = rngvalues.Matcher(self.grammar.defines, rngvalues.other_checker())
        node = (self.grammar.attributes if attribute else self.grammar.elements)[i][1]
        body = [c for c in node if isinstance(c.tag, str) and c.tag.startswith(rngindex.R)]
        if node.get("name") is None and body:
            body = body[1:]
        if attribute and not body:
            return True
        return self._matcher.matches(body, value, el.nsmap)

    def _value_problem(self, doc: ParsedDoc, el: El, attr: str, value: str, aids: tuple[int, ...]) -> Problem:
        msg = f'value "{_clip(value)}" of attribute {_show_attr(el, attr)} on element {_show(el)} is invalid'
        hidden = [c for c in dict.fromkeys(value) if unicodedata.category(c).startswith("C")]
        if hidden:
            msg += "; it contains the invisible character " + ", ".join(
                f"U+{ord(c):04X} {unicodedata.name(c, 'control character')}" for c in hidden[:3]
            )
        expected = describe(self.grammar, self.grammar.attributes[aids[0]][1])
        tokens = value.split()
        if len(tokens) > 1 and expected.startswith("a space-separated list"):
            bad = [t for t in tokens if not self._value_ok(aids, t, True, el)]
            if bad and len(bad) < len(tokens):
                msg += f'; item "{_clip(bad[0])}" is not allowed'
        if expected:
            msg += f"; expected {expected}"
        return self._problem(doc, el, attr, msg)

    def _describe_element_data(self, eid: int) -> str:
        return describe(self.grammar, self.grammar.elements[eid][1]) or "a different value"

    def _id_problem(self, doc: ParsedDoc, p: Problem) -> Problem:
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
        target: El | None = next((e for e in hits if e.sourceline == p.line), hits[-1] if hits else None)  # type: ignore[comparison-overlap]
        if duplicate and len(hits) > 1:
            target = hits[1] if target is hits[0] else target
            assert target is not None
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


class _Refused(Exception):
    """libxml2 would not compile a specialisation of a checked grammar."""


# ---------------------------------------------------------------------------
def _key(name: tuple[Any, ...]) -> str:
    """(namespace, local) as one string: "ns}local"."""
    return f"{name[0]}}}{name[1]}"


def _unkey(key: str) -> tuple[Any, ...]:
    ns, local = key.rsplit("}", 1)
    return (ns, local)


_NO_TOKENS: tuple[tuple[Any, ...], list[Any]] = ((), [])


def _tokens(el: El) -> tuple[tuple[Any, ...], list[Any]]:
    """The child tokens (element names, TEXT_TOKEN for non-blank text) and,
    in step, the child elements (None for text)."""
    tokens: list[Any] = []
    nodes: list[Any] = []
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
