"""The RelaxNG specialisation keeps every verdict.

Each document is validated with the full compiled schema and with the
schema specialised to its own element names, and the verdicts must be
equal: over the shared corpora against tei_all and eltec-1, and over
every fixture in tests/cases.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

from conftest import CASES, need_shared
from teikit import xmlio
from teikit.validation.rngcache import CompiledRng, load_schema
from teikit.validation.specialize import document_names, scan_names, specialize

R = "http://relaxng.org/ns/structure/1.0"
SHARED_ELTEC = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "eltec-eng" / "level1"
SHARED_ELTEC_SCHEMA = SHARED_ELTEC.parent.parent / "Schemas" / "eltec-1.rng"


def grammar(body: str) -> etree._ElementTree:
    return etree.ElementTree(
        etree.fromstring(
            f'<grammar xmlns="{R}" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">{body}</grammar>'
        )
    )


TOY = grammar("""
  <start><ref name="doc"/></start>
  <define name="doc"><element name="doc"><ref name="head"/><zeroOrMore><ref name="block"/></zeroOrMore></element></define>
  <define name="head"><element name="head"><text/></element></define>
  <define name="block"><choice><ref name="p"/><ref name="list"/><ref name="table"/></choice></define>
  <define name="p"><element name="p"><optional><attribute name="n"/></optional><text/></element></define>
  <define name="list"><element name="list"><oneOrMore><element name="item"><text/></element></oneOrMore></element></define>
  <define name="table"><element name="table"><group><empty/><oneOrMore><element name="row"><empty/></element></oneOrMore></group></element></define>
""")


def verdicts(g, xml: str) -> tuple[bool, bool]:
    doc = etree.ElementTree(etree.fromstring(xml))
    full = etree.RelaxNG(g).validate(doc)
    spec = etree.RelaxNG(specialize(g, document_names(doc.getroot()))).validate(doc)
    return full, spec


@pytest.mark.parametrize(
    "xml, valid",
    [
        ("<doc><head>t</head><p>x</p></doc>", True),
        ("<doc><head>t</head><list><item>a</item></list></doc>", True),
        ("<doc><head>t</head><list/></doc>", False),  # list needs an item, absent from the doc
        ("<doc><p>x</p></doc>", False),  # head is required and absent
        ("<doc><head>t</head><table><row/></table></doc>", True),  # group with an empty member
        ("<doc><head>t</head><table/></doc>", False),
        ("<doc><head>t</head><p n='1'>x</p><item>a</item></doc>", False),
    ],
)
def test_toy_grammar_verdicts_unchanged(xml, valid):
    assert verdicts(TOY, xml) == (valid, valid)


def test_absent_elements_become_not_allowed_and_dead_defines_go():
    spec = specialize(TOY, {"doc", "head", "p"})
    names = {d.get("name") for d in spec.getroot().iter(f"{{{R}}}define")}
    assert names == {"doc", "head", "block", "p"}
    assert not list(spec.getroot().iter(f"{{{R}}}empty"))  # the table's group went with it
    # the original grammar is untouched
    assert {d.get("name") for d in TOY.getroot().iter(f"{{{R}}}define")} >= {"list", "table"}


def test_scan_names_is_a_superset_of_the_parsed_names():
    data = b'<?xml version="1.0"?><TEI xmlns="x"><!-- <fake/> --><tei:p xmlns:tei="x">a<hi>b</hi></tei:p></TEI>'
    parsed = document_names(etree.fromstring(data))
    assert parsed <= scan_names(data)
    assert scan_names(data) == {"TEI", "fake", "p", "hi"}


def _files(*folders: Path) -> list[Path]:
    out: list[Path] = []
    for f in folders:
        out += sorted(f.rglob("*.xml"))
    return out


def _compare(schema: Path, files: list[Path]) -> list[str]:
    """Specialised (from the checked, one-grammar form) against libxml2 on
    the schema file as written: both steps keep every verdict.  ID types
    are NCName in the checked form (uniqueness is checked over the whole
    document, for xml:id by the parser), so those problems count too."""
    tree, key, _ = load_schema(schema)
    compiled = CompiledRng(tree, key)
    full = etree.RelaxNG(xmlio.parse_trusted(schema))
    differences = []
    for f in files:
        try:
            doc = xmlio.parse(f)
        except xmlio.XMLError:
            continue
        names = document_names(doc.root)
        spec_ok, _ = compiled.validate(doc.tree, names, len(doc.source))
        if (spec_ok and not doc.id_problems) != full.validate(doc.tree):
            differences.append(str(f))
    assert compiled.fallbacks == 0
    return differences


def test_tei_all_verdicts_unchanged_on_corpora_and_fixtures(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    schema = need_shared("schema", "tei_all.rng")
    files = _files(
        need_shared("corpus", "eltec-eng", "level1"), need_shared("corpus", "schnitzler-briefe", "data"), CASES
    )
    assert len(files) >= 249
    assert _compare(schema, files) == []


def test_project_schema_verdicts_unchanged_on_edition_and_fixtures(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    from teikit.resources import project_schema

    files = _files(Path(__file__).resolve().parent.parent / "tei", CASES)
    assert _compare(project_schema()[0], files) == []


def test_not_allowed_beside_elements_collapses_the_content():
    """libxml2 refuses <element><element/><notAllowed/></element> ("content
    type error"): the whole content must become one notAllowed."""
    g = grammar("""
      <start><element name="doc"><element name="head"><text/></element><ref name="body"/></element></start>
      <define name="body"><element name="body"><element name="div"><text/></element><ref name="tail"/></element></define>
      <define name="tail"><element name="tail"><empty/></element></define>""")
    assert verdicts(g, "<doc><head>x</head><body><div>y</div></body></doc>") == (False, False)
    assert verdicts(g, "<doc><head>x</head></doc>") == (False, False)
    assert verdicts(g, "<doc><head>x</head><body><div>y</div><tail/></body></doc>") == (True, True)


def test_eltec_schema_verdicts_unchanged_on_novels(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    schema = need_shared("corpus", "Schemas", "eltec-1.rng")
    files = _files(need_shared("corpus", "eltec-eng", "level1"))
    assert _compare(schema, files) == []


def test_disk_cache_is_reused_and_survives_corruption(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    source = etree.tostring(TOY)
    CompiledRng(TOY, source).for_names(frozenset({"doc", "head"}))
    cached = list((tmp_path / "teikit" / "rng").glob("*.rng"))
    assert len(cached) == 1
    cached[0].write_text("<not-closed")
    schema = CompiledRng(TOY, source).for_names(frozenset({"doc", "head"}))
    assert schema.validate(etree.ElementTree(etree.fromstring("<doc><head>t</head></doc>")))
    assert etree.parse(str(cached[0])).getroot().tag == f"{{{R}}}grammar"  # rewritten


def test_changed_schema_gets_a_new_cache_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    CompiledRng(TOY, b"version 1").for_names(frozenset({"doc"}))
    CompiledRng(TOY, b"version 2").for_names(frozenset({"doc"}))
    assert len(list((tmp_path / "teikit" / "rng").glob("*.rng"))) == 2


def _mutants(doc: etree._ElementTree, names: list[str], seed: int, count: int) -> list[etree._ElementTree]:
    """One-fault copies of ``doc``: an element deleted, renamed to another
    name the schema knows, given an unknown attribute, duplicated, or moved
    before its previous sibling."""
    import random

    rng = random.Random(seed)
    out = []
    for i in range(count):
        tree = copy.deepcopy(doc)
        elements = [e for e in tree.getroot().iter(tag=etree.Element) if e.getparent() is not None]
        el = rng.choice(elements)
        parent = el.getparent()
        fault = i % 5
        if fault == 0:
            parent.remove(el)
        elif fault == 1:
            el.tag = (
                f"{{{etree.QName(el).namespace}}}{rng.choice(names)}"
                if etree.QName(el).namespace
                else rng.choice(names)
            )
        elif fault == 2:
            el.set("teikit-unknown", "x")
        elif fault == 3:
            el.addnext(copy.deepcopy(el))
        else:
            prev = el.getprevious()
            if prev is not None:
                prev.addprevious(el)
            else:
                parent.addprevious(el) if parent.getparent() is not None else parent.remove(el)
        out.append(tree)
    return out


def test_specialised_verdicts_equal_unspecialised_on_one_fault_mutants(tmp_path, monkeypatch):
    """Generated mutants of the edition (project schema) and of ELTeC novels
    (eltec-1): libxml2 on the schema file as written, the specialised
    grammar, and teikit's own verdict all agree."""
    from teikit.resources import project_schema
    from teikit.validation.relaxng import RelaxNG

    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    root = Path(__file__).resolve().parent.parent
    plans = [(project_schema()[0], sorted((root / "tei").glob("*.xml")), 60)]
    eltec = SHARED_ELTEC_SCHEMA
    if eltec.exists():
        plans.append((eltec, sorted(SHARED_ELTEC.glob("*.xml"))[:3], 40))
    compared = 0
    differences = []
    for schema, files, per_file in plans:
        full = etree.RelaxNG(xmlio.parse_trusted(schema))
        tree, key, _ = load_schema(schema)
        compiled = CompiledRng(tree, key)
        checker = RelaxNG(schema)
        names = sorted({el.get("name") for el in tree.getroot().iter(f"{{{R}}}element") if el.get("name")})
        for n, f in enumerate(files):
            for i, mutant in enumerate(_mutants(xmlio.parse(f).tree, names, seed=n, count=per_file)):
                source = etree.tostring(mutant)
                doc = xmlio.parse_bytes(source, tmp_path / f"m{n}-{i}.xml")
                expected = full.validate(doc.tree)
                specialised, _ = compiled.validate(doc.tree, document_names(doc.root), len(source))
                specialised = specialised and not doc.id_problems  # xml:id uniqueness: the parser's
                own = not any(p.is_error for p in checker.check(doc))
                if not (expected == specialised == own):
                    differences.append(
                        f"{f.name} mutant {i}: libxml2 {expected}, specialised {specialised}, teikit {own}"
                    )
                compared += 1
    assert compared >= 180
    assert differences == []
