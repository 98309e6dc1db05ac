"""What a RelaxNG schema allows, for messages: per element name, the
child elements and attributes its content model can contain, and each
attribute's datatype or enumerated values.

Computed lazily, one element name at a time, from the schema's XML.
"""
from __future__ import annotations

from functools import lru_cache

from lxml import etree

R = "{http://relaxng.org/ns/structure/1.0}"
ANY = "*"


def _names(el) -> list[str]:
    """Local names of an element/attribute pattern's name class."""
    if el.get("name") is not None:
        return [el.get("name").split(":")[-1]]
    out: list[str] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag
        if tag == R + "name":
            out.append((child.text or "").strip().split(":")[-1])
        elif tag in (R + "anyName", R + "nsName"):
            out.append(ANY)
        elif tag == R + "choice":
            out.extend(_names(child))
        else:
            continue
        break
    return out


_LEAVES = {"name", "anyName", "nsName", "value", "data", "param", "except", "text", "empty", "notAllowed"}


class RngIndex:
    def __init__(self, tree: etree._ElementTree):
        root = tree.getroot()
        self.defines: dict[str, list] = {}
        for d in root.iter(R + "define"):
            self.defines.setdefault(d.get("name"), []).append(d)
        self.elements: dict[str, list] = {}
        for e in root.iter(R + "element"):
            for n in _names(e):
                self.elements.setdefault(n, []).append(e)

    def _walk(self, nodes, kids: set, attrs: dict, seen: set) -> None:
        for child in nodes:
            if not isinstance(child.tag, str) or not child.tag.startswith(R):
                continue
            tag = child.tag[len(R):]
            if tag == "element":
                kids.update(_names(child))
            elif tag == "attribute":
                for n in _names(child):
                    attrs.setdefault(n, child)
            elif tag == "ref":
                name = child.get("name")
                if name not in seen:
                    seen.add(name)
                    for d in self.defines.get(name, []):
                        self._walk(d, kids, attrs, seen)
            elif tag not in _LEAVES:
                self._walk(child, kids, attrs, seen)

    @lru_cache(maxsize=None)
    def model(self, element: str) -> tuple[frozenset, dict]:
        """Child element names and attribute patterns allowed on ``element``."""
        kids: set = set()
        attrs: dict = {}
        for pattern in self.elements.get(element, []):
            body = list(pattern)
            if pattern.get("name") is None and body:
                body = body[1:]  # the first child is the name class
            self._walk(body, kids, attrs, set())
        return frozenset(kids), attrs

    def children(self, element: str) -> list[str]:
        return sorted(self.model(element)[0])

    def attributes(self, element: str) -> list[str]:
        return sorted(self.model(element)[1])

    def attribute_expectation(self, element: str, attribute: str) -> str | None:
        """'one of: a, b' or 'a value of type anyURI', from the schema."""
        pat = self.model(element)[1].get(attribute)
        if pat is None:
            return None
        values: list[str] = []
        types: list[str] = []
        patterns: list[str] = []
        self._values(pat, values, types, patterns, set())
        if values and not types:
            return "one of: " + ", ".join(f'"{v}"' for v in values[:12]) + (", ..." if len(values) > 12 else "")
        if types:
            t = ", ".join(dict.fromkeys(types))
            extra = f" matching {patterns[0]}" if patterns else ""
            more = (" or one of: " + ", ".join(f'"{v}"' for v in values[:8])) if values else ""
            return f"a value of type {t}{extra}{more}"
        return None

    def _values(self, node, values, types, patterns, seen):
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == R + "value":
                values.append((child.text or "").strip())
            elif child.tag == R + "data":
                types.append(child.get("type"))
                for p in child.iter(R + "param"):
                    if p.get("name") == "pattern":
                        patterns.append(p.text or "")
            elif child.tag == R + "ref":
                n = child.get("name")
                if n not in seen:
                    seen.add(n)
                    for d in self.defines.get(n, []):
                        self._values(d, values, types, patterns, seen)
            elif child.tag not in (R + "name", R + "element", R + "attribute"):
                self._values(child, values, types, patterns, seen)


def listing(names, limit: int = 10) -> str:
    names = [n for n in names if n != ANY] + ([ANY] if ANY in names else [])
    shown = ", ".join(f'"{n}"' if n != ANY else "any element" for n in names[:limit])
    if len(names) > limit:
        shown += f" (and {len(names) - limit} more)"
    return shown
