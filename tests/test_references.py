"""Reference integrity (engine ``ref``): exact messages with line:col."""

from __future__ import annotations

from pathlib import Path

from conftest import CASES
from teikit import xmlio
from teikit.validation.references import POINTER_ATTRIBUTES, ReferenceChecker

REFS = CASES / "refs"


def problems(name: str, checker: ReferenceChecker | None = None) -> list[str]:
    checker = checker or ReferenceChecker()
    doc = xmlio.parse(REFS / name, name)
    return [str(p) for p in checker.check(doc)]


def test_letter_pointers():
    assert problems("letter.xml") == [
        'letter.xml:19:64: error: @target="#p2" on element "ref" points to #p2, but no element has xml:id="p2" [ref]',
        'letter.xml:20:10: error: @corresp="#nowhere" on element "p" points to #nowhere, but no element has xml:id="nowhere" [ref]',
        'letter.xml:21:70: error: @ref="persons.xml#lenin" on element "persName" points to #lenin in persons.xml, '
        'but that file has no xml:id="lenin" [ref]',
        'letter.xml:22:19: error: @ref="missing.xml#x" on element "persName" points into missing.xml, which does not exist [ref]',
        'letter.xml:23:64: error: @ref="psn:stalin" on element "persName" points to #stalin in persons.xml, '
        'but that file has no xml:id="stalin" [ref]',
        'letter.xml:24:63: error: @ref="loc:petrograd" on element "placeName" points to #place-petrograd, '
        'but no element has xml:id="place-petrograd" [ref]',
        'letter.xml:25:66: error: @ref="psn:NotLower" on element "persName" does not match the pattern of prefixDef "psn" [ref]',
        'letter.xml:28:103: error: @to="#a9" on element "span" points to #a9, but no element has xml:id="a9" [ref]',
        'letter.xml:29:11: error: @who="#nobody" on element "sp" points to #nobody, but no element has xml:id="nobody" [ref]',
    ]


def test_pointer_into_parent_folder():
    assert problems("sub/other.xml") == [
        'sub/other.xml:12:71: error: @target="../letter.xml#gone" on element "ref" points to #gone in ../letter.xml, '
        'but that file has no xml:id="gone" [ref]',
    ]


def test_register_without_pointers_is_clean():
    assert problems("persons.xml") == []


def test_other_files_are_parsed_once(monkeypatch):
    calls = []
    real = xmlio.parse

    def counting(path, *a, **k):
        calls.append(Path(path).name)
        return real(path, *a, **k)

    checker = ReferenceChecker()
    problems("letter.xml", checker)
    monkeypatch.setattr(xmlio, "parse", counting)
    problems("letter.xml", checker)  # persons.xml is cached by the checker
    assert "persons.xml" not in calls


def test_pointer_attribute_list_matches_tei():
    # the pointer attributes users meet most, and a few typed teidata.pointer in TEI P5 4.11
    for name in (
        "ref",
        "target",
        "corresp",
        "who",
        "source",
        "spanTo",
        "ana",
        "facs",
        "resp",
        "sameAs",
        "calendar",
        "datingMethod",
        "replyTo",
        "toWhom",
        "nymRef",
        "wit",
    ):
        assert name in POINTER_ATTRIBUTES
    for name in ("rend", "type", "n", "when", "from", "to", "ns"):
        assert name not in POINTER_ATTRIBUTES


def test_pointer_attributes_cover_tei_all(tei_all):
    """Every attribute typed anyURI in tei_all.rng (how teidata.pointer is
    compiled) is checked, except the few that are not pointers."""
    from lxml import etree

    from teikit.validation.references import ELEMENT_POINTERS
    from teikit.validation.rngindex import Grammar

    R = "{http://relaxng.org/ns/structure/1.0}"
    g = Grammar(etree.parse(str(tei_all)))

    def is_uri(node, seen):
        for x in node.iter(R + "data", R + "ref"):
            if x.tag == R + "data" and x.get("type") == "anyURI":
                return True
            if x.tag == R + "ref" and x.get("name") not in seen:
                seen.add(x.get("name"))
                if any(is_uri(d, seen) for d in g.defines.get(x.get("name"), [])):
                    return True
        return False

    not_pointers = {"base", "ns", "uri", "name", "property", "defaultExceptions", "except"}
    missing = set()
    for eid, (nc, _) in enumerate(g.elements):
        for a in g.attribute_leaves(g.content(eid)):
            anc, node = g.attributes[a]
            if anc[0] != "name" or anc[2] in not_pointers or not is_uri(node, set()):
                continue
            attr, element = anc[2], nc[2] if nc[0] == "name" else "*"
            if attr not in POINTER_ATTRIBUTES and element not in ELEMENT_POINTERS.get(attr, ()):
                if not (attr == "require" and element == "anyElement"):  # a namespace list there
                    missing.add(f"{element}/@{attr}")
    assert not missing, sorted(missing)
