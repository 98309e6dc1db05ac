"""The pattern engine's side of :class:`teikit.validation.relaxng.RelaxNG`:
checking attribute and text values, and the words of every problem.

:class:`Explaining` is a part of ``RelaxNG`` (its mix-in) that holds no
state of its own: it reads the grammar, the caches and the compiled
schema that ``RelaxNG.__init__`` sets up.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from lxml import etree

from .. import xmlio
from ..problems import BAD_ID, DUPLICATE_ID, ERROR, Problem
from ..xmlio import ParsedDoc
from . import rngindex, rngsupport, rngvalues
from .rngcache import CompiledRng
from .rngindex import Grammar
from .rngtext import (
    _LIMIT_ATTRIBUTES,
    _LIMIT_ELEMENTS,
    _clip,
    _expected_text,
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


class Explaining:
    """Value checks and problem wording, for :class:`~teikit.validation.relaxng.RelaxNG`."""

    grammar: Grammar
    compiled: CompiledRng
    context: bool
    _local: dict[Any, Any]
    _values: dict[Any, Any]
    _value_schemas: dict[Any, Any]
    _parents: dict[Any, Any] | None
    _parents_of: dict[Any, Any]
    _matcher: rngvalues.Matcher | None

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
        if kind == "attr":
            return self._attribute_problem(doc, el, el.attrib.keys()[pos], info)
        if kind == "missing-attr":
            return self._missing_attribute_problem(doc, el, pos, info)
        if kind == "incomplete":
            names, text, _ = info
            ctx = _ns(el)
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
                f"missing required element {_names(info, _ns(el), _LIMIT_ELEMENTS)} before it",
            )
        if kind == "text":
            line, col = _text_position(doc, el, pos, tokens, nodes)
            snippet = _text_at(el, pos, tokens, nodes)
            msg = f'text "{_clip(snippet)}" not allowed in element {_show(el)}'
            if info == ("empty",):
                msg += f"; {_show(el)} must be empty"
            else:
                msg += "; expected " + _expected_text(info[0], info[1], info[2], _ns(el))
            return Problem(doc.display, line, col, ERROR, "rng", msg, path=_pretty(el))
        # kind == "elem"
        return self._element_problem(doc, el, node, tokens[pos], info)

    def _attribute_problem(self, doc: ParsedDoc, el: El, attr: str, info: tuple[Any, ...]) -> Problem:
        msg = f"attribute {_show_attr(el, attr)} not allowed on element {_show(el)}"
        msg += (
            f"; expected attribute {_names(info, '', _LIMIT_ATTRIBUTES, True)}" if info else "; it takes no attributes"
        )
        return self._problem(doc, el, attr, msg)

    def _missing_attribute_problem(self, doc: ParsedDoc, el: El, pos: Any, info: tuple[Any, ...]) -> Problem:
        names = _names(info, "", _LIMIT_ATTRIBUTES, True)
        if len(info) == 1:
            return self._problem(doc, el, None, f"element {_show(el)} missing required attribute {names}")
        if pos == "and":
            names = names.rsplit(" or ", 1)[0] + " and " + names.rsplit(" or ", 1)[1]
            return self._problem(doc, el, None, f"element {_show(el)} missing required attributes {names}")
        return self._problem(
            doc, el, None, f"element {_show(el)} missing a required attribute; expected attribute {names}"
        )

    def _element_problem(self, doc: ParsedDoc, el: El, node: El, tok: Any, info: tuple[Any, ...]) -> Problem:
        ctx = _ns(el)
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
                for child in rngsupport._nc_names(g.elements[k][0]):
                    parents.setdefault(child, set()).update(rngsupport._nc_names(nc))
        return {k: tuple(sorted(v, key=rngsupport._sort_key)) for k, v in parents.items()}

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
        body = [c for c in node if isinstance(c.tag, str) and c.tag.startswith(rngsupport.R)]
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


def _key(name: tuple[Any, ...]) -> str:
    """(namespace, local) as one string: "ns}local"."""
    return f"{name[0]}}}{name[1]}"


def _unkey(key: str) -> tuple[Any, ...]:
    ns, local = key.rsplit("}", 1)
    return (ns, local)
