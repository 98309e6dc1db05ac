"""Seeded random TEI documents: well-formed, TEI-namespaced, and careless of the schema.

Where ``rnggen`` stays inside tei_all, these break its rules the way real files do: elements in
unexpected places and numbers (several ``resp`` in a ``respStmt``, two ``title type="main"``, a
``note`` inside a ``head``), headers missing parts, duplicate or dangling ids, pointers of every shape,
attribute values of the wrong type, empty and whitespace-only content, unusual characters.
A stylesheet must not fail on any of them.
"""

from __future__ import annotations

import random

from lxml import etree

TEI = "http://www.tei-c.org/ns/1.0"
XML = "http://www.w3.org/XML/1998/namespace"

# Elements the stylesheets handle by name come first (drawn more often), then a spread of others.
KNOWN = (
    "head text div note label p title ref ptr floatingText row item signed salute resp quote front dateline "
    "castItem castGroup body back persName orgName name l group cell addrLine titlePart table said respStmt q "
    "placeName pb opener list graphic gap epigraph docImprint closer cit choice castList byline bibl trailer term "
    "supplied stage speaker rs milestone media lg hi figDesc eventName emph editor docDate docAuthor del date cb "
    "binaryObject biblStruct anchor address add ab sic corr orig reg abbr expan foreign unclear lb sp figure "
    "listBibl listPerson listPlace listOrg person place org persName surname forename roleName seg w pc app "
    "lem rdg num measure time choice damage surplus space handShift subst restore"
).split()
OTHER = (
    "sourceDoc surface zone line facsimile standOff listEvent event nym listNym msDesc msIdentifier idno "
    "entry form orth sense def gramGrp pos usage superEntry re xr oRef etym cRef gloss mentioned soCalled "
    "distinct camera view move sound tech actor role roleDesc set spGrp u pause vocal kinesic incident "
    "writing shift lacunaStart lacunaEnd witStart witEnd variantEncoding fw metamark mod retrace redo undo "
    "listApp listWit witness formula fLib fs f string numeric binary symbol vAlt vColl"
).split()
ATTRS = (
    "rend type n ref target when from to notBefore notAfter key place rendition style resp cert unit quantity "
    "facs hand reason role who sameAs next prev corresp level subtype cols rows anchored datingMethod "
    "when-custom source wit status extent ident break indent"
).split()
VALUES = (
    "",
    " ",
    "0",
    "-1",
    "3",
    "999999999999999999999",
    "1.5",
    "x",
    "main",
    "sub",
    "translator",
    "trl",
    "s",
    "a",
    "m",
    "#",
    "#a",
    "#a #b",
    "#nowhere",
    "register.xml#p1",
    "other.xml",
    "http://example.org/x y",
    "a b c",
    "2017-13-45",
    "--10",
    "1917-10-25",
    "1917",
    "ü ß λ",
    "<&>\"'",
    "%",
    "NaN",
    "italic bold smallcaps",
    "sup",
    "footnote",
    "end",
    "margin",
    "x" * 300,
    "\u200b",
    "\u202e",
)
WORDS = ("word", "the end", "λόγος", "", " ", "\n\t", "a&b", "שלום עולם", "1917", "Übersetzt von", "translated by")
LANGS = ("en", "de", "greek", "", "x-none", "grc", "fr-CA", "zz-ZZ-bogus")


class Fuzzer:
    def __init__(self, seed: int, max_depth: int = 7, max_elements: int = 250) -> None:
        self.rnd = random.Random(seed)
        self.max_depth = max_depth
        self.max_elements = max_elements
        self.count = 0
        self.ids: list[str] = []

    def document(self) -> etree._Element:
        r = self.rnd
        root = self._el("teiCorpus" if r.random() < 0.1 else "TEI")
        if r.random() < 0.7:
            root.set(f"{{{XML}}}lang", r.choice(LANGS))
        if r.random() < 0.5:
            root.set(f"{{{XML}}}id", self._id())
        if r.random() < 0.95:
            root.append(self._header())
        for part in self._parts():
            root.append(part)
        return root

    # ---- structure -------------------------------------------------------------------------------------
    def _el(self, name: str) -> etree._Element:
        self.count += 1
        return etree.Element(f"{{{TEI}}}{name}", nsmap={None: TEI})

    def _sub(self, parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        el = etree.SubElement(parent, f"{{{TEI}}}{name}")
        self.count += 1
        if text is not None:
            el.text = text
        return el

    def _id(self) -> str:
        # Now and then an id is reused: duplicate ids are a common fault in real files.
        value = self.rnd.choice(self.ids) if self.ids and self.rnd.random() < 0.05 else f"id{len(self.ids)}"
        self.ids.append(value)
        return value

    def _header(self) -> etree._Element:
        r = self.rnd
        header = self._el("teiHeader")
        fd = self._sub(header, "fileDesc")
        ts = self._sub(fd, "titleStmt")
        for _ in range(r.choice((0, 1, 1, 2, 3))):
            t = self._sub(ts, "title", r.choice(WORDS))
            self._attrs(t, ("type", "level", "xml:lang"))
            self._inline(t, 2)
        for name in ("author", "editor", "respStmt", "respStmt", "funder", "principal"):
            for _ in range(r.choice((0, 0, 1, 2))):
                el = self._sub(ts, name, r.choice(WORDS) if name != "respStmt" else None)
                self._attrs(el, ("role", "ref", "key"))
                if name == "respStmt":
                    for _ in range(r.choice((0, 1, 2, 3))):
                        resp = self._sub(el, "resp", r.choice(WORDS))
                        self._attrs(resp, ("key", "ref"))
                    for _ in range(r.choice((0, 1, 2))):
                        self._sub(el, r.choice(("persName", "name", "orgName")), r.choice(WORDS))
                else:
                    self._inline(el, 2)
        if r.random() < 0.8:
            ps = self._sub(fd, "publicationStmt")
            for name in ("publisher", "date", "idno", "availability", "authority", "distributor", "pubPlace"):
                for _ in range(r.choice((0, 1, 1, 2))):
                    el = self._sub(ps, name, r.choice(WORDS))
                    self._attrs(el, ("when", "type", "status"))
                    if name == "availability":
                        for _ in range(r.choice((0, 1, 2))):
                            lic = self._sub(el, r.choice(("licence", "p")), r.choice(WORDS))
                            self._attrs(lic, ("target",))
        if r.random() < 0.3:
            self._sub(self._sub(fd, "seriesStmt"), "title", r.choice(WORDS))
        if r.random() < 0.8:
            sd = self._sub(fd, "sourceDesc")
            for _ in range(r.choice((0, 1, 2))):
                self._block(sd, r.choice(("bibl", "p", "biblStruct", "msDesc", "listBibl")), 3)
        if r.random() < 0.5:
            pd = self._sub(header, "profileDesc")
            lu = self._sub(pd, "langUsage")
            for _ in range(r.choice((0, 1, 2))):
                self._sub(lu, "language", r.choice(WORDS)).set("ident", r.choice(LANGS))
        if r.random() < 0.4:
            rd = self._sub(header, "revisionDesc")
            for _ in range(r.choice((0, 1, 3))):
                self._sub(rd, "change", r.choice(WORDS)).set("when", r.choice(VALUES))
        return header

    def _parts(self) -> list[etree._Element]:
        r = self.rnd
        parts = []
        if r.random() < 0.15:
            parts.append(self._block(None, r.choice(("standOff", "facsimile", "sourceDoc")), self.max_depth))
        if r.random() < 0.92:
            text = self._el("text")
            self._attrs(text, ("xml:lang", "type"))
            for name in ("front", "body", "back"):
                if name == "body" or r.random() < 0.3:
                    self._block(text, r.choice(("group", name)) if name == "body" and r.random() < 0.1 else name, 1)
            parts.append(text)
        return parts

    def _block(self, parent: etree._Element | None, name: str, depth: int) -> etree._Element:
        el = self._el(name) if parent is None else self._sub(parent, name)
        self._attrs(el, ATTRS)
        r = self.rnd
        if depth >= self.max_depth or self.count >= self.max_elements:
            if r.random() < 0.7:
                el.text = r.choice(WORDS)
            return el
        for _ in range(r.choice((0, 1, 2, 3, 4, 6))):
            roll = r.random()
            if roll < 0.3:
                self._text(el)
            elif roll < 0.85:
                self._block(el, r.choice(KNOWN), depth + 1)
            elif roll < 0.95:
                self._block(el, r.choice(OTHER), depth + 1)
            else:
                self._block(el, r.choice(("TEI", "text", "teiHeader", "body", "div")), depth + 1)
        return el

    def _inline(self, el: etree._Element, depth: int) -> None:
        for _ in range(self.rnd.choice((0, 0, 1, 2))):
            self._block(el, self.rnd.choice(KNOWN[:40]), self.max_depth - depth)

    def _text(self, el: etree._Element) -> None:
        word = self.rnd.choice(WORDS)
        if len(el):
            el[-1].tail = (el[-1].tail or "") + word
        else:
            el.text = (el.text or "") + word

    def _attrs(self, el: etree._Element, names: tuple[str, ...] | list[str]) -> None:
        r = self.rnd
        for name in r.sample(list(names), min(len(names), r.choice((0, 0, 1, 2, 3)))):
            value = r.choice(VALUES)
            if name.startswith("xml:"):
                el.set(f"{{{XML}}}{name[4:]}", r.choice(LANGS) if name == "xml:lang" else value)
            elif name in ("target", "ref", "corresp", "who", "facs") and self.ids and r.random() < 0.5:
                el.set(name, " ".join("#" + r.choice(self.ids) for _ in range(r.choice((1, 2)))))
            else:
                el.set(name, value)
        if r.random() < 0.15:
            el.set(f"{{{XML}}}id", self._id())
        if r.random() < 0.05:
            el.set(f"{{{XML}}}lang", r.choice(LANGS))


def document(seed: int) -> bytes:
    """The fuzz document for ``seed``, serialised."""
    return etree.tostring(Fuzzer(seed).document(), xml_declaration=True, encoding="UTF-8")
