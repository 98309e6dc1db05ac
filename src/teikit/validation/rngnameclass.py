"""RELAX NG name classes (sections 4.16 and 7.3) for the schema check:
reading them, their restrictions, and whether two can share a name."""

from __future__ import annotations

from typing import Any

from lxml import etree

R = "{http://relaxng.org/ns/structure/1.0}"
XMLNS = "http://www.w3.org/2000/xmlns"

NameClass = tuple[Any, ...]


def name_class(el: etree._Element) -> NameClass:
    if el.get("name") is not None:
        return ("name", el.get("ns", ""), el.get("name"))
    first = next(c for c in el if isinstance(c.tag, str))
    return _nc(first)


def _nc(el: etree._Element) -> NameClass:
    tag = el.tag[len(R) :]
    if tag == "name":
        return ("name", el.get("ns", ""), el.text or "")
    if tag == "choice":
        parts = [_nc(c) for c in el if isinstance(c.tag, str)]
        out = parts[0]
        for p in parts[1:]:
            out = ("or", out, p)
        return out
    exc = next((c for c in el if isinstance(c.tag, str)), None)
    excepted: NameClass | None = None
    if exc is not None:
        parts = [_nc(c) for c in exc if isinstance(c.tag, str)]
        excepted = parts[0]
        for p in parts[1:]:
            excepted = ("or", excepted, p)
    if tag == "anyName":
        return ("any", excepted)
    return ("ns", el.get("ns", ""), excepted)


def _nc_problems(nc: NameClass, attribute: bool, inside: str | None) -> list[str]:
    k = nc[0]
    out: list[str] = []
    if k == "name":
        if attribute and ((nc[1] == "" and nc[2] == "xmlns") or nc[1] == XMLNS):
            out.append("an attribute cannot be named xmlns or be in the xmlns namespace")
    elif k == "or":
        out += _nc_problems(nc[1], attribute, inside) + _nc_problems(nc[2], attribute, inside)
    elif k == "any":
        if inside is not None:
            out.append(f"anyName not allowed in the except of {inside}")
        if nc[1] is not None:
            out += _nc_problems(nc[1], attribute, "anyName")
    else:
        if inside == "nsName":
            out.append("nsName not allowed in the except of nsName")
        if attribute and nc[1] == XMLNS:
            out.append("an attribute cannot be in the xmlns namespace")
        if nc[2] is not None:
            out += _nc_problems(nc[2], attribute, "nsName" if inside is None else inside)
    return out


def _finite(nc: NameClass) -> bool:
    if nc[0] == "name":
        return True
    if nc[0] == "or":
        return _finite(nc[1]) and _finite(nc[2])
    return False


def contains(nc: NameClass, ns: str, local: str) -> bool:
    k = nc[0]
    if k == "name":
        return bool(nc[1] == ns and nc[2] == local)
    if k == "any":
        return nc[1] is None or not contains(nc[1], ns, local)
    if k == "ns":
        return nc[1] == ns and (nc[2] is None or not contains(nc[2], ns, local))
    return contains(nc[1], ns, local) or contains(nc[2], ns, local)


def _representatives(nc: NameClass, out: set[tuple[str, str]]) -> None:
    k = nc[0]
    if k == "name":
        out.add((nc[1], nc[2]))
    elif k == "or":
        _representatives(nc[1], out)
        _representatives(nc[2], out)
    elif k == "any":
        out.add(("\x00", "\x00"))
        if nc[1] is not None:
            _representatives(nc[1], out)
    else:
        out.add((nc[1], "\x00"))
        if nc[2] is not None:
            _representatives(nc[2], out)


def overlap(a: NameClass, b: NameClass) -> bool:
    """Whether some name belongs to both name classes (RelaxNG 7.3)."""
    if a[0] == "name" and b[0] == "name":
        return a == b
    names: set[tuple[str, str]] = set()
    _representatives(a, names)
    _representatives(b, names)
    return any(contains(a, ns, local) and contains(b, ns, local) for ns, local in names)


def _show_nc(nc: NameClass) -> str:
    if nc[0] == "name":
        return f'"{nc[2]}"' if not nc[1] else f'"{{{nc[1]}}}{nc[2]}"'
    return "matching a wildcard"
