"""The RelaxNG specialisation keeps every verdict.

Each document is validated with the full compiled schema and with the
schema specialised to its own element names, and the verdicts must be
equal: over the shared corpora against tei_all and eltec-1, and over
every fixture in tests/cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import CASES, need_shared
from teikit import xmlio
from teikit.validation.rngcache import CompiledRng
from teikit.validation.specialize import document_names, scan_names, specialize

R = "http://relaxng.org/ns/structure/1.0"


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
    grammar_tree = xmlio.parse_trusted(schema)
    compiled = CompiledRng(grammar_tree, schema.read_bytes())
    full = compiled.full()
    differences = []
    for f in files:
        try:
            doc = xmlio.parse(f)
        except xmlio.XMLError:
            continue
        names = document_names(doc.root)
        spec_ok, _ = compiled.validate(doc.tree, names, len(doc.source))
        if spec_ok != full.validate(doc.tree):
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
