"""odd2relax "tangle": each resolved spec becomes RELAX NG patterns.

Content and datatypes are translated as the Stylesheets translate them:
pure-ODD sequence/alternate/…Ref with occurrence indicators, classes
expanded on request, datatypes inlined, Schematron kept in place.
"""

from __future__ import annotations

import re

from lxml import etree

from .ns import ANN, RNG, SCH, TEI, XML, Element, attrs, is_rng, is_tei, kids, local, ns_of, r, t, tei_kids, text_of
from .schematron import constraint_nodes
from .values import occurs, owe_name

SUFFIX = re.compile(r"_(alternation|sequenceOptionalRepeatable|sequenceOptional|sequenceRepeatable|sequence)")
CLASS_PATTERNS = (
    "NULL",
    "alternation",
    "sequence",
    "sequenceOptional",
    "sequenceOptionalRepeatable",
    "sequenceRepeatable",
)
MAXINT = 400
ANY_KEY = "{https://teikit.invalid/odd}pattern"


def R(name: str, attrib: dict[str, str] | None = None) -> Element:
    return etree.Element(r(name), attrib or {})


class Tangler:
    def __init__(self, schema: Element, namespaces: dict[str, str] | None = None) -> None:
        self.schema = schema
        self.namespaces = namespaces or {}
        self.prefix = schema.get("prefix", "")
        self.ident = schema.get("ident", "")
        self.idents: dict[str, Element] = {}
        self.local: dict[str, list[Element]] = {}
        self.classes: dict[str, Element] = {}
        self.members: dict[str, list[Element]] = {}
        for spec in kids(schema):
            if not local(spec).endswith("Spec") or spec.get("ident") is None:
                continue
            ident = spec.get("ident", "")
            self.idents.setdefault(spec.get("prefix", "") + ident, spec)
            self.local.setdefault(ident, []).append(spec)
            if is_tei(spec, "classSpec"):
                self.classes.setdefault(ident, spec)
            if is_tei(spec, "elementSpec", "classSpec"):
                for m in (m for c in tei_kids(spec, "classes") for m in tei_kids(c, "memberOf")):
                    found = self.members.setdefault(m.get("key", ""), [])
                    if not found or found[-1] is not spec:
                        found.append(spec)
        self.any_names: dict[int, str] = {}
        self.pattern_count = 0

    def spec_prefix(self, spec: Element) -> str:
        return spec.get("prefix") if spec.get("prefix") is not None else self.prefix  # type: ignore[return-value]

    def ref_name(self, el: Element) -> str:
        """generateRefPrefix: how a reference to a spec is named in the grammar."""
        full = el.get("name") or el.get("key") or ""
        for anc in el.iterancestors(t("content")):
            if anc.get("autoPrefix") == "false":
                return full
        spec = self.idents.get(SUFFIX.sub("", full))
        if spec is None:
            return full
        own = spec.get("prefix")
        if own is not None:
            return full if full.startswith(own) else own + full
        return self.prefix + full

    # ---- content -------------------------------------------------------

    def default(self, el: Element, restriction: str | None = None) -> list[Element]:
        """The Stylesheets' default mode, used inside RELAX NG and datatypes."""
        if ns_of(el) == RNG:
            return self.rng(el)
        if ns_of(el) == ANN:
            return [_copy(el)]
        if ns_of(el) == SCH:
            return constraint_nodes(el, self)
        if is_tei(el, "dataRef"):
            return self.data_ref(el, restriction)
        if is_tei(el, "valList"):
            parent = el.getparent()
            return [self.val_list_choice(parent)] if parent is not None else []
        if is_tei(el, "sequence", "alternate", "elementRef", "classRef", "macroRef", "textNode"):
            return self.tangle(el)
        out: list[Element] = []
        for c in kids(el):
            out.extend(self.default(c))
        return out

    def rng(self, el: Element) -> list[Element]:
        name = local(el)
        rng_kids = [c for c in kids(el) if ns_of(c) == RNG]
        if name == "ref":
            return [R("ref", {"name": self.ref_name(el)})]
        if name == "zeroOrMore":
            refname = [c.get("name") for c in rng_kids if local(c) == "ref"]
            prev = _prev_rng(el)
            if "model.global" in refname and prev is not None and local(prev) == "zeroOrMore":
                if "model.global" in [c.get("name") for c in kids(prev) if is_rng(c, "ref")]:
                    return []
            if len(rng_kids) == 1 and local(rng_kids[0]) == "zeroOrMore":
                return self._rng_children(el, with_ann=False)
        if name == "choice" and len(rng_kids) == 1:
            return self._rng_children(el, with_ann=True)
        if name == "group" and len(rng_kids) == 1 and rng_kids[0].tag == r("zeroOrMore"):
            prev = _prev_rng(el)
            if prev is not None and local(prev) == "group" and _decomposed(prev) == _decomposed(el):
                return []
        out = etree.Element(r(name), attrs(el))
        out.text = el.text if name in ("value", "param", "name", "nsName") or not kids(el) else None
        for node in self._rng_children(el, with_ann=False):
            out.append(node)
        return [out]

    def _rng_children(self, el: Element, with_ann: bool) -> list[Element]:
        out: list[Element] = []
        for c in kids(el):
            if ns_of(c) == ANN:
                if with_ann:
                    out.append(_copy(c))
            elif ns_of(c) in (RNG, TEI):
                out.extend(self.default(c))
        return out

    def tangle(self, el: Element) -> list[Element]:
        """Tangle mode on a content-model node."""
        if ns_of(el) == RNG:
            return self.rng(el)
        if ns_of(el) == ANN:
            return [_copy(el)]
        if not is_tei(el):
            return []
        name = local(el)
        if name == "sequence":
            return self.sequence(el)
        if name == "alternate":
            return self._wrapped(el, "choice")
        if name == "textNode":
            return [R("text")]
        if name in ("elementRef", "classRef", "macroRef"):
            return self.reference(el)
        if name == "dataRef":
            return self.data_ref(el, None)
        if name == "anyElement":
            return self.any_element_ref(el)
        if name == "valList":
            parent = el.getparent()
            return [self.val_list_choice(parent)] if parent is not None else []
        return []

    def _inner(self, el: Element) -> list[Element]:
        out: list[Element] = []
        for c in kids(el):
            out.extend(self.tangle(c))
        return out

    def _wrapped(self, el: Element, container: str) -> list[Element]:
        from .classes import with_occurrences

        inner = R(container)
        inner.extend(self._inner(el))
        owe = owe_name(el.get("minOccurs"), el.get("maxOccurs"))
        if owe and container == "group":
            outer = R(owe)
            outer.extend(kids(inner))
            return [outer]
        return with_occurrences([inner], el.get("minOccurs"), el.get("maxOccurs"))

    def sequence(self, el: Element) -> list[Element]:
        owe = owe_name(el.get("minOccurs"), el.get("maxOccurs"))
        container = "group" if any(not is_tei(c, "dataRef") for c in kids(el)) else "list"
        if el.get("preserveOrder") == "false" and not owe:
            outer = R(container)
            inter = etree.SubElement(outer, r("interleave"))
            inter.extend(self._inner(el))
            return [outer]
        return self._wrapped(el, container)

    def reference(self, el: Element) -> list[Element]:
        from .classes import expand_reference

        return expand_reference(self, el)

    def data_ref(self, el: Element, restriction: str | None) -> list[Element]:
        if el.get("name") is not None:
            data = R("data", {"type": el.get("name", "")})
            facets = tei_kids(el, "dataFacet")
            if facets:
                for f in facets:
                    p = etree.SubElement(data, r("param"), {"name": f.get("name", "")})
                    p.text = f.get("value", "")
            elif el.get("restriction") is not None or restriction:
                p = etree.SubElement(data, r("param"), {"name": "pattern"})
                p.text = el.get("restriction") if el.get("restriction") is not None else restriction
            return [data]
        if el.get("key") is not None:
            out: list[Element] = []
            restrict = el.get("restriction")
            for spec in self.local.get(el.get("key", ""), []):
                for content in tei_kids(spec, "content"):
                    for c in kids(content):
                        out.extend(self.default(c, restrict))
            return out
        return []

    def val_list_choice(self, owner: Element) -> Element:
        choice = R("choice")
        for vl in tei_kids(owner, "valList"):
            for item in tei_kids(vl, "valItem"):
                value = etree.SubElement(choice, r("value"))
                value.text = spec_name(item)
                doc = description(item)
                if doc:
                    etree.SubElement(choice, f"{{{ANN}}}documentation").text = doc
        return choice

    def any_element_ref(self, el: Element) -> list[Element]:
        ref = R("ref", {"name": self.any_element_name(el)})
        owe = owe_name(el.get("minOccurs"), el.get("maxOccurs"))
        if not owe:
            return [ref]
        outer = R(owe)
        outer.append(ref)
        return [outer]

    def any_element_name(self, el: Element) -> str:
        """anyElement_OWNER_N, numbered in document order over the whole schema."""
        if not self.any_names:
            for n, any_el in enumerate(self.schema.iter(t("anyElement")), 1):
                spec = next(any_el.iterancestors(t("elementSpec"), t("macroSpec")), None)
                owner = spec.get("ident", "") if spec is not None else ""
                any_el.set(ANY_KEY, f"anyElement_{owner}_{n}")
                self.any_names[n] = owner
        return el.get(ANY_KEY) or "anyElement"


def _copy(el: Element) -> Element:
    import copy

    out = copy.deepcopy(el)
    out.tail = None
    return out


def _prev_rng(el: Element) -> Element | None:
    prev = el.getprevious()
    while prev is not None and not (isinstance(prev.tag, str) and ns_of(prev) == RNG):
        prev = prev.getprevious()
    return prev


def _decomposed(el: Element) -> str:
    parts: list[str] = []
    for c in el.iter():
        if isinstance(c.tag, str) and ns_of(c) == RNG and c is not el:
            parts.append(local(c) + "".join("@" + str(v) for v in c.attrib.values()))
    return "".join(parts)


def spec_name(el: Element) -> str:
    """altIdent if there is one, otherwise ident."""
    alt = tei_kids(el, "altIdent")
    if alt:
        return " ".join(text_of(alt[0]).split())
    return el.get("ident", "")


def description(el: Element, lang: str = "en") -> str:
    """A one-line gloss and description, for a:documentation."""
    glosses = [g for g in tei_kids(el, "gloss") if g.get(f"{{{XML}}}lang", lang) == lang]
    descs = [
        d for d in tei_kids(el, "desc") if d.get(f"{{{XML}}}lang", lang) == lang and d.get("type") != "deprecationInfo"
    ]
    text = ""
    if glosses:
        text = "(" + " ".join(text_of(glosses[0]).split()) + ") "
    if descs:
        text += " ".join(text_of(descs[0]).split())
    return text.strip()


__all__ = ["CLASS_PATTERNS", "MAXINT", "SCH", "XML", "Tangler", "description", "occurs", "spec_name"]
