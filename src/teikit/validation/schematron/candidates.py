"""Which nodes can a rule context match?  A cheap, safe superset.

Each pattern is run by applying its templates (the real ``match``
patterns, with XSLT's own matching rules) to a *candidate* node set
computed here from the final step of every rule context: ``tei:note``
gives ``//tei:note``, ``tei:*[@when]`` gives ``//tei:*[@when]``,
``@xml:id`` gives ``//@xml:id``, ``text()[...]`` gives ``//text()``.
A pattern whose contexts name only elements the document lacks costs one
indexed scan and no template call (issue 7).

The superset is safe by construction: a node matched by pattern P always
has the node kind and name of P's last step, and satisfies each of that
step's predicates; only a bare ``[@name]`` predicate, which cannot raise
an error, is kept.  Anything this analysis does not understand falls
back to every node (``/ | //node() | //@*``), which is always correct.
"""
from __future__ import annotations

import re

ALL = "/ | //node() | //@*"

_NC = r"[^\W\d][\w.\-]*"  # an NCName
_NAME = rf"(?:\*|Q\{{[^}}]*\}}{_NC}|\*:{_NC}|{_NC}:\*|{_NC}(?::{_NC})?)"
_NAME_RX = re.compile(rf"^{_NAME}$")
_KIND_RX = re.compile(r"^(text|comment|node|processing-instruction|element|attribute|document-node|"
                      r"schema-element|schema-attribute)\s*\((.*)\)$", re.S)
_ATTR_PRED = re.compile(rf"^\[\s*@{_NAME}\s*\]$")
_SET_OPS = re.compile(r"(?:^|\s|\))(union|intersect|except)(?:\s|\(|$)")
_AXIS = re.compile(r"^(child|attribute|self|descendant|descendant-or-self)\s*::\s*(.*)$", re.S)


def _scan(expr: str):
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
    preds = []
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


def candidates(context: str) -> set[str] | None:
    """Expressions whose union contains every node ``context`` can match,
    or None when only "every node" is safe."""
    if _SET_OPS.search(_top_text(context)):
        return None
    found: set[str] = set()
    for alt in _split(context, "|"):
        alt = alt.strip()
        if not alt:
            return None
        if alt == "/":
            found.add("/")
            continue
        steps = _split(alt, "/")
        last = steps[-1].strip()
        if not last:
            return None
        step, preds = _strip_predicates(last)
        if step.startswith("(") and step.endswith(")") and len(steps) == 1:
            inner = candidates(step[1:-1])
            if inner is None:
                return None
            found |= inner
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
            found.add(f"//@{step}" if attribute else f"{'/' if root else '//'}{step}{narrow}")
        elif kind:
            name = kind.group(1)
            if name == "document-node":
                found.add("/")
            elif name == "node":
                found.add("//@*" if attribute else "//node()")
            elif name in ("attribute", "schema-attribute") or attribute:
                found.add("//@*")
            else:
                found.add(f"//{step}{narrow if name in ('element', 'schema-element') else ''}")
        else:
            return None
    return found


def union(contexts: list[str]) -> str:
    """The candidate expression for a list of rule contexts."""
    found: set[str] = set()
    for c in contexts:
        got = candidates(c)
        if got is None:
            return ALL
        found |= got
    return " | ".join(sorted(found)) if found else "()"
