"""Which nodes can a rule context match?  A cheap, safe superset.

Each pattern is run by applying its templates (the real ``match``
patterns, with XSLT's own matching rules) to a *candidate* node set
computed here from the final step of every rule context: ``tei:note``
gives ``//tei:note``, ``tei:*[@when]`` gives ``//tei:*[@when]``,
``@xml:id`` gives ``//@xml:id``, ``text()[...]`` gives ``//text()``.
A pattern whose contexts name only elements the document lacks costs one
indexed scan and no template call, so a large schema such as tei_all
costs little on a document that uses few of its elements.

The superset is safe by construction: a node matched by pattern P always
has the node kind and name of P's last step, and satisfies each of that
step's predicates; only a bare ``[@name]`` predicate, which cannot raise
an error, is kept.  Anything this analysis does not understand falls
back to every node (``/ | //node() | //@*``), which is always correct.

:func:`element_names` reads the same final steps for
``compile_schematron(names=...)``: the local names of the elements a
context can match, or None when it may match anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

ALL = "/ | //node() | //@*"

_NC = r"[^\W\d][\w.\-]*"  # an NCName
_NAME = rf"(?:\*|Q\{{[^}}]*\}}{_NC}|\*:{_NC}|{_NC}:\*|{_NC}(?::{_NC})?)"
_NAME_RX = re.compile(rf"^{_NAME}$")
_KIND_RX = re.compile(
    r"^(text|comment|node|processing-instruction|element|attribute|document-node|"
    r"schema-element|schema-attribute)\s*\((.*)\)$",
    re.S,
)
_ATTR_PRED = re.compile(rf"^\[\s*@{_NAME}\s*\]$")
_SET_OPS = re.compile(r"(?:^|\s|\))(union|intersect|except)(?:\s|\(|$)")
_AXIS = re.compile(r"^(child|attribute|self|descendant|descendant-or-self)\s*::\s*(.*)$", re.S)


def _scan(expr: str) -> Iterator[tuple[int, str, int]]:
    """Yield (index, char, depth) for characters outside string literals."""
    depth = 0
    quote = None
    for i, ch in enumerate(expr):
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        yield i, ch, depth


def _split(expr: str, sep: str) -> list[str]:
    parts, start = [], 0
    for i, ch, depth in _scan(expr):
        if ch == sep and depth == 0:
            parts.append(expr[start:i])
            start = i + 1
    parts.append(expr[start:])
    return parts


def _top_text(expr: str) -> str:
    """The expression with everything nested (and strings) blanked out."""
    out = [" "] * len(expr)
    for i, ch, depth in _scan(expr):
        if depth == 0 and ch not in ")]}":
            out[i] = ch
    return "".join(out)


def _strip_predicates(step: str) -> tuple[str, list[str]]:
    preds: list[str] = []
    step = step.strip()
    while step.endswith("]"):
        # find the "[" that opens the final predicate
        opens = None
        for i, ch, depth in _scan(step):
            if ch == "[" and depth == 1:
                opens = i
        if opens is None:
            break
        preds.insert(0, step[opens:])
        step = step[:opens].rstrip()
    return step, preds


def _finals(context: str) -> list[tuple[Any, ...]] | None:
    """The final step of every branch of ``context``, or None when it is
    not understood.  Items: ``("/",)`` (the document node), ``("name",
    test, attribute, root, narrow)`` (a name test; ``root`` for ``/name``,
    ``narrow`` the kept ``[@name]`` predicates) and ``("kind", kind, step,
    attribute, narrow)`` (a kind test such as ``text()``)."""
    if _SET_OPS.search(_top_text(context)):
        return None
    found: list[tuple[Any, ...]] = []
    for alt in _split(context, "|"):
        alt = alt.strip()
        if not alt:
            return None
        if alt == "/":
            found.append(("/",))
            continue
        steps = _split(alt, "/")
        last = steps[-1].strip()
        if not last:
            return None
        step, preds = _strip_predicates(last)
        if step.startswith("(") and step.endswith(")") and len(steps) == 1:
            inner = _finals(step[1:-1])
            if inner is None:
                return None
            found += inner
            continue
        attribute = False
        if step.startswith("@"):
            attribute, step = True, step[1:].strip()
        else:
            m = _AXIS.match(step)
            if m:
                attribute, step = m.group(1) == "attribute", m.group(2).strip()
        narrow = "".join(p for p in preds if _ATTR_PRED.match(p))
        kind = _KIND_RX.match(step)
        if _NAME_RX.match(step):
            root = len(steps) == 2 and not steps[0].strip()  # "/name": only the root element
            found.append(("name", step, attribute, root, narrow))
        elif kind:
            found.append(("kind", kind.group(1), step, attribute, narrow))
        else:
            return None
    return found


def candidates(context: str) -> set[str] | None:
    """Expressions whose union contains every node ``context`` can match,
    or None when only "every node" is safe."""
    finals = _finals(context)
    if finals is None:
        return None
    found: set[str] = set()
    for item in finals:
        if item[0] == "/":
            found.add("/")
        elif item[0] == "name":
            _, step, attribute, root, narrow = item
            found.add(f"//@{step}" if attribute else f"{'/' if root else '//'}{step}{narrow}")
        else:
            _, name, step, attribute, narrow = item
            if name == "document-node":
                found.add("/")
            elif name == "node":
                found.add("//@*" if attribute else "//node()")
            elif name in ("attribute", "schema-attribute") or attribute:
                found.add("//@*")
            else:
                found.add(f"//{step}{narrow if name in ('element', 'schema-element') else ''}")
    return found


#: Local names that a byte scan of start tags (``specialize.scan_names``) sees whole.
_ASCII_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def element_names(context: str) -> frozenset[str] | None:
    """The local names of the elements ``context`` can match, or None when
    it may match anything else (the document node, an attribute, text, a
    wildcard, a kind test, an expression this analysis does not understand).

    A rule whose context gives a set of names none of which occurs in a
    document never fires on it.  Names outside ASCII give None too, since
    a byte scan of start tags may not see them whole."""
    finals = _finals(context)
    if finals is None:
        return None
    out = set()
    for item in finals:
        if item[0] != "name" or item[2]:
            return None  # the document node, a kind test, an attribute
        test = item[1]
        if test.startswith("Q{"):
            local = test.rsplit("}", 1)[1]
        else:
            local = test.rsplit(":", 1)[-1]
        if not _ASCII_NAME.match(local):  # "*", "prefix:*", non-ASCII names
            return None
        out.add(local)
    return frozenset(out)


def union(contexts: list[str]) -> str:
    """The candidate expression for a list of rule contexts."""
    found: set[str] = set()
    for c in contexts:
        got = candidates(c)
        if got is None:
            return ALL
        found |= got
    return " | ".join(sorted(found)) if found else "()"
