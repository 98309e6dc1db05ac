"""odd2relax: the compiled schemaSpec as a RELAX NG grammar with its Schematron embedded."""

from __future__ import annotations

from lxml import etree

from .classes import class_patterns
from .external import import_module
from .ns import (
    ANN,
    RNG,
    SCH,
    TEI,
    XML,
    XSD,
    Element,
    is_rng,
    is_tei,
    kids,
    local,
    nsmap,
    r,
    t,
    tei_kids,
    text_of,
    tokens,
)
from .rngpasses import cleanup
from .schematron import constraints_of
from .tangle import Tangler, description, spec_name
from .values import occurs

A_DOC = f"{{{ANN}}}documentation"
XLINK = "http://www.w3.org/1999/xlink"  # declared on the grammar, as the Stylesheets do


def R(name: str, attrib: dict[str, str] | None = None) -> Element:
    return etree.Element(r(name), attrib or {})


def _doc(text: str) -> Element:
    el = etree.Element(A_DOC, nsmap={"a": ANN})
    el.text = text
    return el


class RngWriter(Tangler):
    """The grammar writer; ``declared_ns`` lists prefixes the constraintDecls declare."""

    declared_ns: tuple[tuple[str, str], ...] = ()

    def grammar(self, base: str, edition: str) -> Element:
        root = etree.Element(
            r("grammar"),
            {"datatypeLibrary": XSD, "ns": self.schema.get("ns") or TEI},
            nsmap=nsmap({None: RNG, "a": ANN, "sch": SCH, "tei": TEI, "xlink": XLINK}),
        )
        comment = f"\nSchema generated from ODD source by teikit.\nTEI Edition: {edition}\n" if edition else ""
        root.append(etree.Comment(comment or "\nSchema generated from ODD source by teikit.\n"))
        body = self.body(base)
        cleanup(body, self.prefix)
        trailing = constraints_of(self, self.schema)
        if not any(n.get("prefix") == "tei" for n in body.iter(f"{{{SCH}}}ns")) and not any(
            n.get("prefix") == "tei" for n in trailing if n.tag == f"{{{SCH}}}ns"
        ):
            root.append(etree.Element(f"{{{SCH}}}ns", {"prefix": "tei", "uri": TEI}))
        root.extend(self.constraint_decls(body, trailing))
        root.extend(kids(body))
        root.extend(trailing)
        return root

    def constraint_decls(self, body: Element, trailing: list[Element]) -> list[Element]:
        """sch:ns for the prefixes the source's and the ODD's constraintDecl declare, unless declared already.

        The Stylesheets leave them out, so a rule using such a prefix does not compile; declaring
        them changes no rule and makes every rule usable."""
        known = {n.get("prefix") for n in body.iter(f"{{{SCH}}}ns")} | {"tei"}
        known |= {n.get("prefix") for t_ in trailing for n in t_.iter(f"{{{SCH}}}ns")}
        out = []
        for prefix, uri in self.declared_ns:
            if prefix not in known:
                known.add(prefix)
                out.append(etree.Element(f"{{{SCH}}}ns", {"prefix": prefix, "uri": uri}))
        return out

    def body(self, base: str) -> Element:
        root = etree.Element("root")
        for ref in tei_kids(self.schema, "moduleRef"):
            if ref.get("url"):
                root.extend(import_module(ref, base))
        for spec in tei_kids(self.schema, "macroSpec", "dataSpec"):
            root.extend(self.macro(spec))
        for any_el in self.schema.iter(t("anyElement")):
            root.extend(self.any_element_define(any_el))
        for spec in tei_kids(self.schema, "elementSpec", "classSpec"):
            root.extend(self.element(spec) if local(spec) == "elementSpec" else self.klass(spec))
        root.append(self.start())
        return root

    def start(self) -> Element:
        start = R("start")
        value = self.schema.get("start")
        if value is not None and not value.strip():
            return etree.Element("dropped")
        names = tokens(value) if value is not None else (["TEI", "teiCorpus"] if "teiCorpus" in self.local else ["TEI"])
        if value is None and len(names) == 1:
            start.append(R("ref", {"name": self.prefix + "TEI"}))
            return start
        choice = etree.SubElement(start, r("choice"))
        for n in names:
            etree.SubElement(choice, r("ref"), {"name": n if value is not None else self.prefix + n})
        return start

    # ---- elements ------------------------------------------------------

    def element(self, spec: Element) -> list[Element]:
        name = self.spec_prefix(spec) + spec.get("ident", "")
        define = R("define", {"name": name})
        content = tei_kids(spec, "content")
        if content and any(is_rng(c, "notAllowed") for c in kids(content[0])):
            define.append(R("notAllowed"))
            return [define]
        element = etree.SubElement(define, r("element"), {"name": spec_name(spec)})
        if spec.get("ns") is not None:
            element.set("ns", spec.get("ns", ""))
        doc = description(spec)
        if doc:
            element.append(_doc(doc))
        element.extend(self.content(spec))
        element.extend(constraints_of(self, spec))
        if self._has_attributes(spec):
            for al in tei_kids(spec, "attList"):
                element.extend(self.att_list(al))
            element.append(R("empty"))
        return [define]

    def _has_attributes(self, spec: Element) -> bool:
        if any(True for _ in spec.iter(t("attDef"), t("attRef"))):
            return True
        keys = [m.get("key", "") for c in tei_kids(spec, "classes") for m in tei_kids(c, "memberOf")]
        return any(self.classes.get(k) is not None and self.classes[k].get("type") == "atts" for k in keys)

    def content(self, spec: Element) -> list[Element]:
        out: list[Element] = []
        if any(v.get("type") == "closed" for v in tei_kids(spec, "valList")):
            out.append(self.val_list_choice(spec))
        else:
            for content in tei_kids(spec, "content"):
                for c in content:
                    if isinstance(c, etree._ProcessingInstruction):
                        out.append(etree.ProcessingInstruction(c.target, c.text))  # type: ignore[arg-type]
                    elif isinstance(c.tag, str):
                        out.extend(self.tangle(c))
        return out or [R("empty")]

    def att_list(self, al: Element) -> list[Element]:
        children: list[Element] = []
        for c in kids(al):
            if is_tei(c, "attDef"):
                if not c.get("ident", "").startswith("xmlns"):
                    children.extend(self.attribute(c))
                children.extend(constraints_of(self, c))
            elif is_tei(c, "attRef"):
                children.extend(self.att_ref(c))
            elif is_tei(c, "attList"):
                children.extend(self.att_list(c))
        if not kids(al):
            return []
        parent = al.getparent()
        if (
            al.get("org") == "group"
            and parent is not None
            and is_tei(parent, "attList")
            and parent.get("org") == "choice"
        ):
            group = R("group")
            group.extend(children)
            return [group]
        if al.get("org") == "choice":
            choice = R("choice")
            choice.extend(children)
            return [choice]
        return children

    def att_ref(self, ref: Element) -> list[Element]:
        cls = ref.get("class")
        if cls is not None and cls in self.idents:
            return [R("ref", {"name": self.att_ref_name(ref)})]
        if cls is not None:
            return []
        return [R("ref", {"name": ref.get("name", "")})]

    def att_ref_name(self, ref: Element) -> str:
        cls = ref.get("class", "")
        spec = self.idents.get(cls)
        prefix = spec.get("prefix") if spec is not None and spec.get("prefix") is not None else self.prefix
        if ref.get("name") is None:
            return f"{prefix}{cls}.attributes"
        return f"{prefix}{cls}.attribute.{ref.get('name', '').replace(':', '')}"

    # ---- attributes ----------------------------------------------------

    def attribute(self, att: Element) -> list[Element]:
        simple = self.simple_attribute(att)
        if att.get("usage") == "req":
            return [simple]
        opt = R("optional")
        opt.append(simple)
        return [opt]

    def simple_attribute(self, att: Element) -> Element:
        ident = att.get("ident", "")
        alt = tei_kids(att, "altIdent")
        if alt:
            name = spec_name(att)
        else:
            name = ("xml:" if att.get("ns") == XML else "") + ident
        attribute = R("attribute", {"name": name})
        if att.get("ns") is not None:
            attribute.set("ns", att.get("ns", ""))
        defaults = tei_kids(att, "defaultVal")
        if defaults and text_of(defaults[0]):
            attribute.set(f"{{{ANN}}}defaultValue", " ".join(text_of(defaults[0]).split()))
        doc = description(att)
        if doc:
            attribute.append(_doc(doc))
        datatype = tei_kids(att, "datatype")
        lo, hi = occurs(datatype[0].get("minOccurs"), datatype[0].get("maxOccurs")) if datatype else (1, 1)
        if not datatype or any(is_rng(c, "text") for c in kids(datatype[0])) or hi == 1:
            if datatype and lo == 0 and hi == 1:
                etree.SubElement(attribute, r("optional")).extend(self.attribute_data(att))
            else:
                attribute.extend(self.attribute_data(att))
            return attribute
        lst = etree.SubElement(attribute, r("list"))
        if hi == -1 and lo == 1:
            etree.SubElement(lst, r("oneOrMore")).extend(self.attribute_data(att))
            return attribute
        for _ in range(lo):
            lst.extend(self.attribute_data(att))
        if hi == -1:
            etree.SubElement(lst, r("zeroOrMore")).extend(self.attribute_data(att))
        else:
            for _ in range(lo + 1, hi + 1):
                etree.SubElement(lst, r("optional")).extend(self.attribute_data(att))
        return attribute

    def attribute_data(self, att: Element) -> list[Element]:
        lists = tei_kids(att, "valList")
        datatype = tei_kids(att, "datatype")
        if any(v.get("type") == "closed" for v in lists):
            return [self.val_list_choice(att)]
        if any(v.get("type") == "semi" for v in lists):
            choice = self.val_list_choice(att)
            enumerated = datatype and any(
                c.get("name") == "data.enumerated" for c in kids(datatype[0]) if is_rng(c, "ref")
            )
            if enumerated or not datatype:
                etree.SubElement(choice, r("data"), {"type": "Name"})
            else:
                for c in kids(datatype[0]):
                    choice.extend(self.default(c))
            return [choice]
        if datatype and kids(datatype[0]):
            out: list[Element] = []
            for c in kids(datatype[0]):
                out.extend(self.default(c))
            return out
        return [R("text")]

    # ---- classes and macros --------------------------------------------

    def klass(self, spec: Element) -> list[Element]:
        if spec.get("type") == "model":
            return class_patterns(self, spec) + constraints_of(self, spec)
        if spec.get("type") != "atts":
            return []
        c = self.spec_prefix(spec) + spec.get("ident", "")
        define = R("define", {"name": f"{c}.attributes"})
        for m in (m for cl in tei_kids(spec, "classes") for m in tei_kids(cl, "memberOf")):
            target = self.local.get(m.get("key", ""), [None])[0]
            if target is not None and target.get("type") == "atts":
                define.append(R("ref", {"name": f"{self.spec_prefix(target)}{target.get('ident', '')}.attributes"}))
        atts = [a for al in tei_kids(spec, "attList") for a in al.iter(t("attDef"))]
        for a in atts:
            if a.get("mode") != "delete" and not a.get("ident", "").startswith("xmlns"):
                define.append(R("ref", {"name": f"{c}.attribute.{a.get('ident', '').replace(':', '')}"}))
        for ref in (x for al in tei_kids(spec, "attList") for x in al.iter(t("attRef"))):
            cls = ref.get("class")
            if cls is not None and cls in self.local:
                define.append(R("ref", {"name": self.att_ref_name(ref)}))
            elif cls is None:
                define.append(R("ref", {"name": ref.get("name", "")}))
        if not kids(define):
            define.append(R("empty"))
        out = [define]
        for a in atts:
            if not a.get("ident", "").startswith("xmlns"):
                d = R("define", {"name": f"{c}.attribute.{a.get('ident', '').replace(':', '')}"})
                d.extend(self.attribute(a))
                out.append(d)
            out.extend(constraints_of(self, a))
        return out + constraints_of(self, spec)

    def macro(self, spec: Element) -> list[Element]:
        from .macros import macro_define

        return macro_define(self, spec)

    def any_element_define(self, el: Element) -> list[Element]:
        from .anyelement import any_element_define

        return any_element_define(self, el)


__all__ = ["RngWriter", "t"]
