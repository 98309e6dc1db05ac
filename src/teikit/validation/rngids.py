"""ID, IDREF and IDREFS as RelaxNG's DTD compatibility specifies them (jing's default).

The XML Schema types ``ID``, ``IDREF`` and ``IDREFS`` say more than their
lexical form: an ID is unique in the document, an IDREF names one.  jing
checks this unless it is run with ``-i``; teikit does too, unless
``ids=False`` (``teikit validate --no-id-check``).

The schema must let each attribute's type be known from the element's
and the attribute's names alone (DTD compatibility, section 4): an
attribute of an ID type has a single name, on an element with a single
name, and its whole content is the datatype; and every element pattern
that can match that element, with an attribute that can match that
attribute, gives it the same type.  A schema that breaks this is an
error, as in jing.  Then each document's ID-typed attributes are looked
up by name: a duplicate ID or an IDREF that matches no ID is an error.
``xml:id`` is left to the parser, which already reports a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..problems import Problem, SchemaError
from .rngnameclass import NameClass, name_class, overlap
from .rngtypes import XSD

R = "{http://relaxng.org/ns/structure/1.0}"
ID_TYPES = ("ID", "IDREF", "IDREFS")
XML_ID = ("http://www.w3.org/XML/1998/namespace", "id")

Name = tuple[str, str]


@dataclass
class _Attr:
    nc: NameClass
    kind: str | None  # ID, IDREF, IDREFS or None
    node: etree._Element


def _id_type(attr: etree._Element, defines: dict[str, etree._Element]) -> tuple[str | None, bool]:
    """(the ID type in an attribute's content, whether the content is that type alone)."""
    body = [c for c in attr if isinstance(c.tag, str)]
    if attr.get("name") is None:
        body = body[1:]
    kinds: set[str] = set()
    for node in _expand(body, defines):
        if node.tag in (R + "data", R + "value") and node.get("datatypeLibrary") == XSD:
            if node.get("type") in ID_TYPES:
                kinds.add(node.get("type", ""))
    if not kinds:
        return None, True
    while len(body) == 1 and body[0].tag == R + "ref":
        body = [c for c in defines[body[0].get("name", "")] if isinstance(c.tag, str)]
    alone = len(body) == 1 and body[0].tag == R + "data"
    return sorted(kinds)[0], alone and len(kinds) == 1


def _expand(nodes: list[etree._Element], defines: dict[str, etree._Element]) -> Iterator[etree._Element]:
    seen: set[str] = set()
    stack = list(nodes)
    while stack:
        n = stack.pop()
        yield n
        if n.tag == R + "ref" and n.get("name") not in seen:
            seen.add(n.get("name", ""))
            stack.extend(c for c in defines[n.get("name", "")] if isinstance(c.tag, str))
        elif n.tag != R + "element":
            stack.extend(c for c in n if isinstance(c.tag, str))


class IdTypes:
    """Which (element, attribute) names have an ID type, from a checked grammar."""

    def __init__(self, root: etree._Element, where: str):
        defines = {d.get("name", ""): d for d in root.iter(R + "define")}
        self.types: dict[tuple[Name, Name], str] = {}
        patterns: list[tuple[NameClass, list[_Attr], etree._Element]] = []
        self._defines = defines
        self._where = where
        self._memo: dict[str, list[_Attr]] = {}
        for el in root.iter(R + "element"):
            kids = [c for c in el if isinstance(c.tag, str)][0 if el.get("name") else 1 :]
            patterns.append((name_class(el), self._attributes(kids, set()), el))
        for enc, attrs, _ in patterns:
            for a in attrs:
                if a.kind is None:
                    continue
                if enc[0] != "name" or a.nc[0] != "name":
                    raise _error(
                        where,
                        f"an attribute of type {a.kind} must have a single name, on an element "
                        f"with a single name (DTD compatibility)",
                    )
                self.types[((enc[1], enc[2]), (a.nc[1], a.nc[2]))] = a.kind
        by_name: dict[Name, list[int]] = {}
        wild: list[int] = []
        for i, (enc, _, _) in enumerate(patterns):
            if enc[0] == "name":
                by_name.setdefault((enc[1], enc[2]), []).append(i)
            else:
                wild.append(i)
        for (en, an), kind in self.types.items():
            for i in by_name.get(en, []) + wild:
                enc, attrs, _ = patterns[i]
                if not overlap(enc, ("name", *en)):
                    continue
                for a in attrs:
                    if a.kind != kind and overlap(a.nc, ("name", *an)):
                        raise _error(
                            where,
                            f'conflicting ID-types for attribute "{_clark(an)}" of element '
                            f'"{_clark(en)}" (DTD compatibility)',
                        )
        self.checked = dict(self.types)

    @classmethod
    def from_list(cls, items: list[list[str]]) -> IdTypes:
        self = cls.__new__(cls)
        self.types = {}
        self.checked = {((a, b), (c, d)): k for a, b, c, d, k in items}
        return self

    def to_list(self) -> list[list[str]]:
        return [[en[0], en[1], an[0], an[1], kind] for (en, an), kind in sorted(self.checked.items())]

    def _attributes(self, nodes: list[etree._Element], active: set[str]) -> list[_Attr]:
        """The attributes in these patterns, not looking inside elements
        (memoised per define: TEI's attribute classes are shared)."""
        out: list[_Attr] = []
        for n in nodes:
            if n.tag == R + "attribute":
                kind, alone = _id_type(n, self._defines)
                if kind is not None and not alone:
                    raise _error(
                        self._where,
                        f"an attribute of type {kind} must hold that type alone "
                        f"(DTD compatibility; teikit validate --no-id-check turns this off)",
                    )
                out.append(_Attr(name_class(n), kind, n))
            elif n.tag == R + "ref":
                name = n.get("name", "")
                got = self._memo.get(name)
                if got is None and name not in active:
                    d = self._defines[name]
                    got = self._memo[name] = self._attributes([c for c in d if isinstance(c.tag, str)], active | {name})
                out += got or []
            elif n.tag == R + "data" and n.get("type") in ID_TYPES and n.get("datatypeLibrary") == XSD:
                raise _error(
                    self._where,
                    f"type {n.get('type')} is allowed only as the value of an attribute (DTD compatibility)",
                )
            elif n.tag != R + "element":
                out += self._attributes([c for c in n if isinstance(c.tag, str)], active)
        return out

    def problems(
        self, doc: Any, locate: Callable[[etree._Element, str, str], Problem], show: Callable[[etree._Element], str]
    ) -> list[Problem]:
        """Duplicate IDs and IDREFs without a matching ID in ``doc``."""
        if not any(k[1] != XML_ID for k in self.checked):
            return []  # xml:id alone: the parser reports its duplicates
        wanted = {k[0] for k in self.checked}
        ids: dict[str, etree._Element] = {}
        refs: list[tuple[etree._Element, str, str]] = []
        out: list[Problem] = []
        for el in doc.root.iter(tag=etree.Element):
            q = etree.QName(el)
            en = (q.namespace or "", q.localname)
            if en not in wanted:
                continue
            for attr, value in el.attrib.items():
                aq = etree.QName(attr)
                kind = self.checked.get((en, (aq.namespace or "", aq.localname)))
                if kind == "ID":
                    v = value.strip()
                    if v in ids and (aq.namespace or "", aq.localname) != XML_ID:
                        first = ids[v]
                        out.append(
                            locate(
                                el,
                                attr,
                                f'duplicate ID "{v}" on element {show(el)}: already used on element {show(first)} '
                                f"at line {first.sourceline}",
                            )
                        )
                    elif v not in ids:
                        ids[v] = el
                elif kind is not None:
                    refs.append((el, attr, value))
        for el, attr, value in refs:
            for v in value.split():
                if v not in ids:
                    out.append(
                        locate(el, attr, f'IDREF "{v}" in attribute "{attr}" of element {show(el)} matches no ID')
                    )
                    break
        return out


def analyse(root: etree._Element, where: str) -> dict[str, Any]:
    """The ID types of a checked grammar as JSON: {"checked": [...], "error": None},
    or the DTD-compatibility error a schema breaking its rules gets."""
    try:
        return {"checked": IdTypes(root, where).to_list(), "error": None}
    except SchemaError as exc:
        return {"checked": [], "error": str(exc)}


def neutralise(tree: etree._ElementTree) -> None:
    """ID and IDREF become NCName, IDREFS a list of them (in place).

    libxml2 checks IDs itself, but only within the tree it is given: an
    IDREF in one subtree (or in a one-attribute value check) to an ID in
    another looks dangling.  So it checks the lexical form only, and
    :class:`IdTypes` the references, over the whole document."""
    for d in list(tree.getroot().iter(R + "data", R + "value")):
        if d.get("datatypeLibrary") != XSD or d.get("type") not in ID_TYPES:
            continue
        if d.get("type") == "IDREFS":
            repl = etree.Element(R + "list")
            more = etree.SubElement(repl, R + "oneOrMore")
            etree.SubElement(more, R + "data", type="NCName", datatypeLibrary=XSD)
            repl.tail = d.tail
            parent = d.getparent()
            assert parent is not None  # data is never the root
            parent.replace(d, repl)
        else:
            d.set("type", "NCName")


def _error(where: str, message: str) -> SchemaError:
    from .schemas import schema_error

    return schema_error(where, None, None, message)


def _clark(name: Name) -> str:
    return name[1] if not name[0] else f"{{{name[0]}}}{name[1]}"
