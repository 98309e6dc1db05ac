"""A RelaxNG grammar (XML syntax) read into pattern objects, for the instance generator and the mutator.

Handles what the specification's simplification needs for generating: inherited ``ns`` and
``datatypeLibrary``, ``div``, ``include`` (with overriding ``define``/``start``), ``externalRef``,
nested ``grammar`` with ``parentRef``, ``define/@combine``, ``mixed``, ``list``, ``data/except`` and name
classes.  ``zeroOrMore``, ``optional`` and ``mixed`` are kept as they are written: the generator decides
how many repetitions to make.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

RNG = "http://relaxng.org/ns/structure/1.0"
_R = "{" + RNG + "}"
XML_NS = "http://www.w3.org/XML/1998/namespace"


class GrammarError(ValueError):
    pass


# ---- name classes ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Name:
    ns: str
    local: str

    def clark(self) -> str:
        return f"{{{self.ns}}}{self.local}" if self.ns else self.local


@dataclass(frozen=True)
class AnyName:
    except_: NameClass | None = None


@dataclass(frozen=True)
class NsName:
    ns: str
    except_: NameClass | None = None


@dataclass(frozen=True)
class NcChoice:
    items: tuple[NameClass, ...]


NameClass = Name | AnyName | NsName | NcChoice


def nc_contains(nc: NameClass, ns: str, local: str) -> bool:
    if isinstance(nc, Name):
        return nc.ns == ns and nc.local == local
    if isinstance(nc, NcChoice):
        return any(nc_contains(i, ns, local) for i in nc.items)
    if isinstance(nc, NsName) and nc.ns != ns:
        return False
    return nc.except_ is None or not nc_contains(nc.except_, ns, local)


def nc_names(nc: NameClass) -> list[Name]:
    """The plain names written in a name class (wildcards contribute none)."""
    if isinstance(nc, Name):
        return [nc]
    if isinstance(nc, NcChoice):
        return [n for i in nc.items for n in nc_names(i)]
    return []


# ---- patterns ----------------------------------------------------------------------------------------
@dataclass(eq=False)
class Pattern:
    kind: str  # empty notAllowed text element attribute group interleave choice optional zeroOrMore
    # oneOrMore mixed list ref data value
    items: list[Pattern] = field(default_factory=list)
    nc: NameClass | None = None
    define: Define | None = None  # ref
    type: str = ""  # data, value
    library: str = ""
    params: tuple[tuple[str, str], ...] = ()
    text: str = ""  # value
    ns: str = ""  # value context
    except_: Pattern | None = None  # data
    index: int = -1  # element: position in Grammar.elements

    @property
    def child(self) -> Pattern:
        return self.items[0]

    def label(self) -> str:
        assert self.nc is not None
        names = nc_names(self.nc)
        if isinstance(self.nc, Name):
            return names[0].clark()
        return "|".join(n.clark() for n in names) or type(self.nc).__name__


@dataclass(eq=False)
class Define:
    name: str
    pattern: Pattern | None = None


@dataclass
class _Scope:
    defines: dict[str, list[tuple[str, Pattern]]]
    parent: _Scope | None
    refs: dict[str, Define] = field(default_factory=dict)

    def ref(self, name: str) -> Define:
        return self.refs.setdefault(name, Define(name))


@dataclass
class Grammar:
    start: Pattern
    elements: list[Pattern]
    path: Path


def _combine(name: str, bodies: list[tuple[str, Pattern]]) -> Pattern:
    if len(bodies) == 1:
        return bodies[0][1]
    modes = {mode for mode, _ in bodies if mode}
    if len(modes) > 1 or len([m for m, _ in bodies if not m]) > 1:
        raise GrammarError(f"define {name!r}: conflicting combine")
    return Pattern(modes.pop() if modes else "choice", [p for _, p in bodies])


class _Reader:
    def __init__(self) -> None:
        self.elements: list[Pattern] = []
        self.loading: list[Path] = []

    def load(self, path: Path, ns: str, scope: _Scope | None) -> Pattern:
        path = path.resolve()
        if path in self.loading:
            raise GrammarError(f"{path}: included recursively")
        self.loading.append(path)
        root = etree.parse(str(path)).getroot()
        try:
            return self.pattern(root, root.get("ns", ns), _library(root), path, scope)
        finally:
            self.loading.pop()

    def children(self, el: etree._Element, ns: str, lib: str, base: Path, scope: _Scope | None) -> list[Pattern]:
        out = []
        for child in el:
            if isinstance(child.tag, str) and child.tag.startswith(_R):
                out.append(self.pattern(child, child.get("ns", ns), _library(child, lib), base, scope))
        return out

    def pattern(self, el: etree._Element, ns: str, lib: str, base: Path, scope: _Scope | None) -> Pattern:
        kind = etree.QName(el).localname
        if kind == "grammar":
            return self.grammar(el, ns, lib, base, scope)
        if kind in ("element", "attribute"):
            return self.named(el, kind, ns, lib, base, scope)
        if kind in ("ref", "parentRef"):
            owner = scope if kind == "ref" else (scope.parent if scope else None)
            if owner is None:
                raise GrammarError(f"{base}: {kind} {el.get('name')!r} outside a grammar")
            return Pattern("ref", define=owner.ref(el.get("name", "").strip()))
        if kind == "externalRef":
            return self.load(base.parent / el.get("href", ""), ns, scope)
        if kind in ("data", "value"):
            return self.datum(el, kind, ns, lib, base, scope)
        items = self.children(el, ns, lib, base, scope)
        if kind in ("empty", "notAllowed", "text"):
            return Pattern(kind)
        if len(items) > 1 and kind in ("optional", "zeroOrMore", "oneOrMore", "mixed", "list"):
            items = [Pattern("group", items)]
        return Pattern(kind, items)

    def named(self, el: etree._Element, kind: str, ns: str, lib: str, base: Path, scope: _Scope | None) -> Pattern:
        rng_children = [c for c in el if isinstance(c.tag, str) and c.tag.startswith(_R)]
        attr_ns = el.get("ns", "") if kind == "attribute" else ns
        if el.get("name") is not None:
            nc: NameClass = _qname(el.get("name", ""), attr_ns, el)
            body = rng_children
        else:
            nc = _name_class(rng_children[0], ns)
            body = rng_children[1:]
        items = [self.pattern(c, c.get("ns", ns), _library(c, lib), base, scope) for c in body]
        content = items[0] if len(items) == 1 else Pattern("group", items) if items else Pattern("text")
        pattern = Pattern(kind, [content], nc=nc)
        if kind == "element":
            pattern.index = len(self.elements)
            self.elements.append(pattern)
        return pattern

    def datum(self, el: etree._Element, kind: str, ns: str, lib: str, base: Path, scope: _Scope | None) -> Pattern:
        type_ = el.get("type", "token" if kind == "value" else "").strip()
        if kind == "value":
            if el.get("type") is None:
                lib = ""
            return Pattern("value", type=type_, library=lib, text=el.text or "", ns=ns)
        params = tuple((p.get("name", ""), p.text or "") for p in el.findall(_R + "param"))
        exc = el.find(_R + "except")
        except_ = None
        if exc is not None:
            except_ = Pattern("choice", self.children(exc, exc.get("ns", ns), _library(exc, lib), base, scope))
        return Pattern("data", type=type_, library=lib, params=params, except_=except_)

    def grammar(self, el: etree._Element, ns: str, lib: str, base: Path, parent: _Scope | None) -> Pattern:
        scope = _Scope({}, parent)
        self.contents(el, ns, lib, base, scope, scope.defines)
        for name, bodies in scope.defines.items():
            scope.ref(name).pattern = _combine(name, bodies)
        missing = [n for n, d in scope.refs.items() if d.pattern is None]
        if missing:
            raise GrammarError(f"{base}: reference to undefined pattern(s) {', '.join(sorted(missing))}")
        if "#start" not in scope.defines:
            raise GrammarError(f"{base}: grammar has no start")
        return Pattern("ref", define=scope.ref("#start"))

    def contents(
        self,
        el: etree._Element,
        ns: str,
        lib: str,
        base: Path,
        scope: _Scope,
        into: dict[str, list[tuple[str, Pattern]]],
    ) -> None:
        for child in el:
            if not isinstance(child.tag, str) or not child.tag.startswith(_R):
                continue
            kind = etree.QName(child).localname
            cns, clib = child.get("ns", ns), _library(child, lib)
            if kind == "div":
                self.contents(child, cns, clib, base, scope, into)
            elif kind in ("define", "start"):
                name = child.get("name", "").strip() if kind == "define" else "#start"
                body = self.children(child, cns, clib, base, scope)
                pattern = body[0] if len(body) == 1 else Pattern("group", body)
                into.setdefault(name, []).append((child.get("combine", ""), pattern))
            elif kind == "include":
                self.include(child, cns, clib, base, scope, into)

    def include(
        self,
        el: etree._Element,
        ns: str,
        lib: str,
        base: Path,
        scope: _Scope,
        into: dict[str, list[tuple[str, Pattern]]],
    ) -> None:
        override: dict[str, list[tuple[str, Pattern]]] = {}
        self.contents(el, ns, lib, base, scope, override)
        path = (base.parent / el.get("href", "")).resolve()
        if path in self.loading:
            raise GrammarError(f"{path}: included recursively")
        self.loading.append(path)
        root = etree.parse(str(path)).getroot()
        included: dict[str, list[tuple[str, Pattern]]] = {}
        self.contents(root, root.get("ns", ns), _library(root), path, scope, included)
        self.loading.pop()
        for name, bodies in included.items():
            if name not in override:
                into.setdefault(name, []).extend(bodies)
        for name, bodies in override.items():
            into.setdefault(name, []).extend(bodies)


def _library(el: etree._Element, inherited: str = "") -> str:
    return el.get("datatypeLibrary", inherited).strip()


def _qname(text: str, ns: str, el: etree._Element) -> Name:
    text = text.strip()
    if ":" in text:
        prefix, local = text.split(":", 1)
        uri = XML_NS if prefix == "xml" else el.nsmap.get(prefix)
        if uri is None:
            raise GrammarError(f"unbound prefix in name {text!r}")
        return Name(uri, local)
    return Name(ns, text)


def _name_class(el: etree._Element, ns: str) -> NameClass:
    kind = etree.QName(el).localname
    ns = el.get("ns", ns)
    if kind == "name":
        return _qname(el.text or "", ns, el)
    parts = [_name_class(c, ns) for c in el if isinstance(c.tag, str) and c.tag.startswith(_R)]
    if kind == "choice":
        return NcChoice(tuple(parts))
    exc = el.find(_R + "except")
    except_ = None
    if exc is not None:
        inner = [_name_class(c, ns) for c in exc if isinstance(c.tag, str)]
        except_ = inner[0] if len(inner) == 1 else NcChoice(tuple(inner))
    return AnyName(except_) if kind == "anyName" else NsName(ns, except_)


def load(path: str | Path) -> Grammar:
    """Read a RelaxNG grammar (XML syntax) with everything it includes."""
    reader = _Reader()
    path = Path(path)
    start = reader.load(path, "", None)
    return Grammar(start, reader.elements, path)
