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

from pathlib import Path
from typing import Any

from lxml import etree

from .. import xmlio
from ..problems import Problem, SchemaError
from ..xmlio import ParsedDoc
from . import rngids, rngindex, rngvalues
from .rngcache import CompiledRng, load_schema
from .rngexplain import Explaining
from .rngindex import Grammar
from .rnglimits import Caps, cap_file
from .rngprune import Pruner
from .rngsupport import ANY
from .rngtext import (
    _attr_name,
    _clip,
    _expected_text,
    _fallback,
    _name,
    _ns,
    _show,
)

El = etree._Element
Name = tuple[str, str]
# a local check's result: errors, children's patterns, attributes' patterns, data patterns
Local = tuple[list[tuple[Any, ...]], list[tuple[int, ...]], list[tuple[int, ...]], tuple[int, ...] | None]
TEXT_TOKEN = "#text"
_XML_ID = f"{{{xmlio.XML_NS}}}id"
LONG_SEQUENCE = 1000  # children of one element beyond which libxml2 is too slow
_PRUNE_WIDTH = 100  # elements with more children are probed for libxml2's quadratic cases (see rngprune)


class RelaxNG(Explaining):
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


class _Refused(Exception):
    """libxml2 would not compile a specialisation of a checked grammar."""


# ---------------------------------------------------------------------------
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
