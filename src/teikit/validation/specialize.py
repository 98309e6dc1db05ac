"""Specialise a RelaxNG grammar to the element names a document uses.

A document can be valid or invalid only through the elements it
contains.  So every element pattern whose name cannot occur in the
document keeps its place in its parent's content model (and libxml2's
messages stay the same: "Expecting an element title, got nothing"), but
its own content becomes ``<notAllowed/>``.  Its attribute lists and
content models, which make up most of a schema like tei_all, drop out,
and so do the defines that only they referenced.

Why the verdict cannot change: an element pattern whose name matches no
element of the document matches nothing in the document either way, so
the content that was removed was never used.  Nothing else is
restructured: no group, choice or interleave is rewritten (rewriting
``empty`` members of groups made libxml2 reject valid documents, and one
rewrite made it run for minutes on TEI-sized grammars).

The result is a plain RelaxNG XML tree; compiling it costs milliseconds
instead of seconds.  The differential tests against jing prove the
verdicts unchanged on the corpora and the fault fixtures.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

from lxml import etree

from .rngsupport import _inherited

El = etree._Element

R = "http://relaxng.org/ns/structure/1.0"
_R = f"{{{R}}}"
_NAMECLASS = {_R + "name", _R + "anyName", _R + "nsName", _R + "choice"}


def _ns_of(el: El) -> str:
    return str(_inherited(el, "ns") or "")


def _pattern_names(el: El) -> set[tuple[str, str]] | None:
    """The (namespace, local) names an element pattern can match, or None
    for a wildcard (anyName/nsName), which is always kept."""
    name = el.get("name")
    if name is not None:
        name = name.strip()
        if ":" in name:
            prefix, local = name.split(":", 1)
            return {(el.nsmap.get(prefix, ""), local)}
        return {(_ns_of(el), name)}
    first = next((c for c in el if isinstance(c.tag, str)), None)
    if first is None:
        return None
    return _nameclass(first)


def _nameclass(nc: El) -> set[tuple[str, str]] | None:
    if nc.tag == _R + "name":
        text = (nc.text or "").strip()
        if ":" in text:
            prefix, local = text.split(":", 1)
            return {(nc.nsmap.get(prefix, ""), local)}
        return {(_ns_of(nc), text)}
    if nc.tag == _R + "choice":
        out: set[tuple[str, str]] = set()
        for c in nc:
            if not isinstance(c.tag, str):
                continue
            sub = _nameclass(c)
            if sub is None:
                return None
            out |= sub
        return out
    return None  # anyName, nsName: keep


def document_names(root: etree._Element) -> frozenset[str]:
    """The local names of the elements in a document."""
    tags = {e.tag for e in root.iter(tag=etree.Element)}
    return frozenset(t.rsplit("}", 1)[-1] for t in tags)


_SCAN = re.compile(rb"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")


def scan_names(data: bytes) -> frozenset[str]:
    """Local names of start tags found by a byte scan (a superset: names in
    comments or CDATA count too, which only makes the schema less special)."""
    return frozenset(m.split(b":")[-1].decode("ascii", "replace") for m in set(_SCAN.findall(data)))


def specialize(grammar: etree._ElementTree, present: Iterable[str]) -> etree._ElementTree:
    """A copy of ``grammar`` in which element patterns for absent names are
    ``notAllowed``, simplified as RelaxNG section 4.20 does."""
    present = set(present)
    tree = copy.deepcopy(grammar)
    root = tree.getroot()
    if root.tag != _R + "grammar":
        return tree
    strip(root)
    for el in list(root.iter(_R + "element")):
        names = _pattern_names(el)
        if names is None or {local for _, local in names} & present:
            continue  # wildcards, and names that occur (in any namespace), stay
        _replace(el, etree.Element(_R + "notAllowed"))
    defines: dict[str, list[El]] = {}
    for d in root.iter(_R + "define"):
        defines.setdefault(d.get("name", ""), []).append(d)
    status: dict[str, str] = {}
    changed = True
    while changed:  # fixpoint: a define is notAllowed only when provably so
        changed = False
        for name, items in defines.items():
            if status.get(name) == "notAllowed":
                continue
            kinds = [_simplify_children(d, status) for d in items]
            k = kinds[0] if len(kinds) == 1 else "other"
            if k in ("notAllowed", "empty") and status.get(name) != k:
                status[name] = k
                changed = True
    for ref in list(root.iter(_R + "ref")):
        k = status.get(ref.get("name", ""), "")
        if k in ("notAllowed", "empty") and ref.getparent() is not None:
            _replace(ref, etree.Element(_R + k))
    for d in root.iter(_R + "define"):
        _simplify_children(d, status)
    for s in root.iter(_R + "start"):
        _simplify_children(s, status)
    _drop_dead(root)
    return tree


def strip(root: El) -> None:
    """Remove comments, PIs and foreign elements (documentation, embedded
    Schematron): they do not take part in RelaxNG validation."""
    for node in list(root.iter(etree.Comment, etree.PI)):
        _detach(node)
    for node in list(root.iter(tag=etree.Element)):
        if not node.tag.startswith(_R) and node.getparent() is not None:
            _detach(node)


def _replace(old: El, new: El) -> None:
    parent = old.getparent()
    assert parent is not None  # patterns inside a grammar
    new.tail = old.tail
    parent.replace(old, new)


def _kind(el: El, status: dict[str, str]) -> str:
    tag = el.tag
    if tag == _R + "notAllowed":
        return "notAllowed"
    if tag == _R + "empty":
        return "empty"
    if tag == _R + "ref":
        return status.get(el.get("name", ""), "other")
    return "other"


_CONTAINERS = {
    _R + t
    for t in (
        "choice",
        "group",
        "interleave",
        "oneOrMore",
        "zeroOrMore",
        "optional",
        "mixed",
        "list",
        "attribute",
        "element",
        "define",
        "start",
    )
}


def _patterns(el: El) -> list[El]:
    """The pattern children of ``el``: an element or attribute pattern
    without @name has its name class as first child, which is not one."""
    skip = _first(el) if el.tag in (_R + "element", _R + "attribute") and el.get("name") is None else None
    return [c for c in el if isinstance(c.tag, str) and c is not skip]


def _simplify_patterns(el: El, status: dict[str, str]) -> list[El]:
    """Simplify each pattern child of ``el`` in place; return them anew."""
    for child in _patterns(el):
        if child.tag in _CONTAINERS:
            k = _simplify(child, status)
            if k in ("notAllowed", "empty") and child.tag != _R + k:
                _replace(child, etree.Element(_R + k))
    return _patterns(el)


def _simplify_children(node: El, status: dict[str, str]) -> str:
    """Simplify the patterns below ``node`` bottom-up; return the kind of
    ``node``'s own content (for define/start) or of node itself."""
    pats = _simplify_patterns(node, status)
    if node.tag in (_R + "define", _R + "start"):
        pats = _collapse(node, pats, status)
        if len(pats) == 1:
            return _kind(pats[0], status)
        return _group_kind(node, pats, status)
    return "other"


def _collapse(parent: El, pats: list[El], status: dict[str, str]) -> list[El]:
    """The patterns of an implicit group (element content, define body):
    a notAllowed member makes the whole group one notAllowed (libxml2
    rejects notAllowed beside elements: "content type error"); empty
    members go (libxml2 mis-handles them in groups)."""
    if len(pats) < 2:
        return pats
    kinds = [_kind(p, status) for p in pats]
    if "notAllowed" in kinds:
        for p in pats[1:]:
            parent.remove(p)
        new = etree.Element(_R + "notAllowed")
        _replace(pats[0], new)
        return [new]
    if "empty" in kinds and any(k != "empty" for k in kinds):
        for p, k in zip(pats, kinds, strict=True):
            if k == "empty":
                parent.remove(p)
        return [p for p, k in zip(pats, kinds, strict=True) if k != "empty"]
    return pats


def _group_kind(node: El, pats: list[El], status: dict[str, str]) -> str:
    kinds = [_kind(p, status) for p in pats]
    if "notAllowed" in kinds:
        return "notAllowed"
    if kinds and all(k == "empty" for k in kinds):
        return "empty"
    return "other"


def _simplify(el: El, status: dict[str, str]) -> str:
    """Simplify el in place (children first); return its kind."""
    tag = el.tag
    pats = _simplify_patterns(el, status)
    if tag == _R + "element":
        _collapse(el, pats, status)
        return "other"
    if tag == _R + "attribute":
        return "notAllowed" if any(_kind(p, status) == "notAllowed" for p in pats) else "other"
    kinds = [_kind(p, status) for p in pats]
    if tag != _R + "choice" and len(pats) > 1 and "empty" in kinds and any(k != "empty" for k in kinds):
        # an implicit group: drop its empty members (libxml2 mis-handles them)
        for p, k in zip(pats, kinds, strict=True):
            if k == "empty":
                el.remove(p)
        pats = [p for p, k in zip(pats, kinds, strict=True) if k != "empty"]
        kinds = [k for k in kinds if k != "empty"]
    if tag == _R + "choice":
        up = el.getparent()
        if (
            up is not None
            and up.tag in (_R + "element", _R + "attribute")
            and _first(up) is el
            and up.get("name") is None
        ):
            return "other"  # a name class
        keep = [p for p, k in zip(pats, kinds, strict=True) if k != "notAllowed"]
        if not keep:
            return "notAllowed"
        for p, k in zip(pats, kinds, strict=True):
            if k == "notAllowed":
                el.remove(p)
        if all(_kind(p, status) == "empty" for p in keep):
            return "empty"
        if len(keep) == 1:
            _replace(el, keep[0])
            return "moved"
        return "other"
    if tag in (_R + "group", _R + "interleave"):
        if "notAllowed" in kinds:
            return "notAllowed"
        for p, k in zip(pats, kinds, strict=True):
            if k == "empty":
                el.remove(p)
        keep = [p for p, k in zip(pats, kinds, strict=True) if k != "empty"]
        if not keep:
            return "empty"
        if len(keep) == 1:
            _replace(el, keep[0])
            return "moved"
        return "other"
    if tag in (_R + "oneOrMore", _R + "mixed", _R + "list"):
        if "notAllowed" in kinds:
            return "notAllowed"
        if tag == _R + "oneOrMore" and kinds and all(k == "empty" for k in kinds):
            return "empty"
        return "other"
    if tag in (_R + "zeroOrMore", _R + "optional"):
        if kinds and all(k in ("notAllowed", "empty") for k in kinds):
            return "empty"
        if "notAllowed" in kinds:  # implicit group with a notAllowed member
            return "empty"
        return "other"
    return "other"


def _detach(el: El) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _first(el: El) -> El | None:
    return next((c for c in el if isinstance(c.tag, str)), None)


def _drop_dead(root: El) -> None:
    defines: dict[str, list[El]] = {}
    for d in root.iter(_R + "define"):
        defines.setdefault(d.get("name", ""), []).append(d)
    reachable: set[str] = set()
    stack = list(root.iter(_R + "start"))
    while stack:
        node = stack.pop()
        for ref in node.iter(_R + "ref", _R + "parentRef"):
            name = ref.get("name")
            if name not in reachable:
                reachable.add(name or "")
                stack.extend(defines.get(name or "", []))
    for name, items in defines.items():
        if name not in reachable:
            for d in items:
                _detach(d)


_START_DEFINE = "__teikit_subtree_"


def element_start(grammar: etree._ElementTree, present: Iterable[str]) -> etree._ElementTree | None:
    """A copy of ``grammar`` whose start is any *named* element pattern for
    a present name: it validates an element's subtree on its own.

    Used to explain an invalid document quickly: where the grammar gives a
    name exactly one element pattern (TEI does, for every element), the
    validity of that element's subtree does not depend on its context, so
    libxml2 can decide, at C speed, that a subtree holds nothing to
    explain.  Wildcard element patterns (``anyName``, ``nsName``) are left
    out of the start, so a subtree never matches one by accident; the
    caller checks that a name has a single pattern before it relies on a
    verdict of this schema.
    """
    present = set(present)
    tree = copy.deepcopy(grammar)
    root = tree.getroot()
    nested = [g for g in root.iter(_R + "grammar", _R + "include", _R + "externalRef") if g is not root]
    if root.tag != _R + "grammar" or nested:
        return None  # nested grammars: refs would not resolve from the new start
    defines: dict[str, list[El]] = {}
    for d in root.iter(_R + "define"):
        defines.setdefault(d.get("name", ""), []).append(d)
    refs: list[str] = []
    copies: list[El] = []
    for i, el in enumerate(list(root.iter(_R + "element"))):
        names = _pattern_names(el)
        if names is None or not {local for _, local in names} & present:
            continue
        parent = el.getparent()
        if parent is not None and (
            parent.tag == _R + "define"
            and len(defines.get(parent.get("name", ""), ())) == 1
            and parent.get("combine") is None
            and _patterns(parent) == [el]
        ):
            refs.append(parent.get("name", ""))
            continue
        clone = copy.deepcopy(el)
        clone.set("ns", _ns_of(el))
        library = _inherited(el, "datatypeLibrary")
        if library is not None:
            clone.set("datatypeLibrary", library)
        define = etree.Element(_R + "define", name=f"{_START_DEFINE}{i}")
        define.append(clone)
        copies.append(define)
        refs.append(define.get("name", ""))
    for s in list(root.iter(_R + "start")):
        _detach(s)
    start = etree.SubElement(root, _R + "start")
    refs = list(dict.fromkeys(refs))
    if not refs:
        etree.SubElement(start, _R + "notAllowed")
    choice = etree.SubElement(start, _R + "choice") if len(refs) > 1 else start
    for name in refs:
        etree.SubElement(choice, _R + "ref", name=name)
    for define in copies:
        root.append(define)
    _drop_dead(root)
    return tree
