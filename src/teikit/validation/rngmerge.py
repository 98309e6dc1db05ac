"""RelaxNG simplification 4.17 and 4.18: combine, and one grammar.

In each grammar, the ``define`` elements of one name (and the ``start``
elements) are combined into one, as their ``combine`` attributes say.
Then every define of every nested grammar is renamed so that names are
unique, each ``ref`` and ``parentRef`` is pointed at the define it
means, all defines move to the top grammar, and each nested grammar is
replaced by its start pattern.  :func:`drop_unreachable` then removes
what the start cannot reach (4.19).
"""

from __future__ import annotations

from typing import Protocol

from lxml import etree

RNG = "http://relaxng.org/ns/structure/1.0"
R = f"{{{RNG}}}"


class _Reporter(Protocol):
    def fail(self, el: etree._Element, message: str) -> Exception: ...


def merge(loader: _Reporter, root: etree._Element) -> None:
    grammars = list(root.iter(R + "grammar"))
    taken: set[str] = set()
    renames: dict[int, dict[str, str]] = {}  # id(grammar) -> old name -> new name
    for g in grammars:
        _combine(loader, g)
        names: dict[str, str] = {}
        for d in g.iterchildren(R + "define"):
            old = d.get("name", "")
            new = old if g is root else _fresh(old, taken)
            taken.add(new)
            names[old] = new
        renames[id(g)] = names
    for g in grammars:  # a top-level name never collides with a renamed one
        if g is root:
            taken.update(renames[id(g)].values())
    _resolve(loader, root, renames)
    for g in grammars:
        for d in list(g.iterchildren(R + "define")):
            d.set("name", renames[id(g)][d.get("name", "")])
            if g is not root:
                root.append(d)
    for g in reversed(grammars):
        if g is root:
            continue
        start = next(g.iterchildren(R + "start"))
        body = next(c for c in start if isinstance(c.tag, str))
        body.tail = g.tail
        parent = g.getparent()
        assert parent is not None  # a nested grammar stands in a pattern
        parent.replace(g, body)


def _fresh(name: str, taken: set[str]) -> str:
    n = 1
    while f"{name}.{n}" in taken:
        n += 1
    return f"{name}.{n}"


def _combine(loader: _Reporter, g: etree._Element) -> None:
    starts = list(g.iterchildren(R + "start"))
    if not starts:
        raise loader.fail(g, "grammar has no start")
    _merge_group(loader, g, starts, "start")
    by_name: dict[str, list[etree._Element]] = {}
    for d in g.iterchildren(R + "define"):
        by_name.setdefault(d.get("name", ""), []).append(d)
    for name, items in by_name.items():
        _merge_group(loader, g, items, f'define "{name}"')


def _merge_group(loader: _Reporter, g: etree._Element, items: list[etree._Element], what: str) -> None:
    plain = [d for d in items if d.get("combine") is None]
    if len(plain) > 1:
        raise loader.fail(plain[1], f"{what} is defined twice without a combine attribute")
    kinds = {d.get("combine") for d in items if d.get("combine") is not None}
    if len(kinds) > 1:
        raise loader.fail(items[-1], f'{what} is combined both with "choice" and with "interleave"')
    if len(items) == 1:
        if "combine" in items[0].attrib:
            del items[0].attrib["combine"]
        return
    how = str(kinds.pop())
    first = items[0]
    combined = etree.Element(R + how)
    for d in items:
        body = [c for c in d if isinstance(c.tag, str)]
        if len(body) == 1:
            combined.append(body[0])
        else:
            group = etree.SubElement(combined, R + "group")
            for c in body:
                group.append(c)
        if d is not first:
            g.remove(d)
    for c in list(first):
        first.remove(c)
    first.text = None
    first.append(combined)
    if "combine" in first.attrib:
        del first.attrib["combine"]


def _resolve(loader: _Reporter, root: etree._Element, renames: dict[int, dict[str, str]]) -> None:
    for ref in list(root.iter(R + "ref", R + "parentRef")):
        g = next(ref.iterancestors(R + "grammar"))
        if ref.tag == R + "parentRef":
            parent = next(g.iterancestors(R + "grammar"), None)
            if parent is None:
                raise loader.fail(ref, f'parentRef "{ref.get("name", "")}" is not inside a nested grammar')
            g = parent
            ref.tag = R + "ref"
        names = renames[id(g)]
        name = ref.get("name", "")
        if name not in names:
            raise loader.fail(ref, f'reference to an undefined pattern "{name}"')
        ref.set("name", names[name])


def drop_unreachable(root: etree._Element) -> None:
    defines = {d.get("name", ""): d for d in root.iterchildren(R + "define")}
    seen: set[str] = set()
    stack = list(root.iterchildren(R + "start"))
    while stack:
        node = stack.pop()
        for ref in node.iter(R + "ref"):
            name = ref.get("name", "")
            if name not in seen:
                seen.add(name)
                stack.append(defines[name])
    for key, d in defines.items():
        if key not in seen:
            root.remove(d)
