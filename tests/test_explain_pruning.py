"""Explaining an invalid document by subtrees keeps every message.

``RelaxNG.check`` validates the root's children one by one with libxml2
(a schema whose start is any named element pattern, see
``specialize.element_start``) and explains, with the derivative engine,
only the subtrees libxml2 rejects.  These tests prove that shortcut
changes nothing: on every corpus file and fixture, the problems equal
those of the full element-by-element explanation, and the verdict equals
libxml2's whole-document verdict.
"""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from conftest import CASES, ROOT, need_shared
from teikit import xmlio
from teikit.validation.relaxng import RelaxNG
from teikit.validation.rngprune import Pruner as _Pruner
from teikit.validation.specialize import document_names, element_start, scan_names

R = "http://relaxng.org/ns/structure/1.0"
XSD = "http://www.w3.org/2001/XMLSchema-datatypes"


def _files(*folders: Path) -> list[Path]:
    out: list[Path] = []
    for f in folders:
        out += sorted(f.rglob("*.xml"))
    return out


def _compare(schema: Path, files: list[Path]) -> tuple[int, list[str]]:
    """(documents compared, differences) between the pruned check and the
    full explanation, and between its verdict and libxml2's."""
    rng = RelaxNG(schema)
    docs = []
    for f in files:
        try:
            docs.append(xmlio.parse(f))
        except xmlio.XMLError:
            continue
    rng.prepare(frozenset().union(*(scan_names(d.source) for d in docs)))
    differences = []
    for doc in docs:
        got = [str(p) for p in rng.check(doc)]
        # libxml2's whole-document verdict (specialised; test_specialize
        # proves it equal to the full schema's) and the full explanation
        ok, _ = rng.compiled.validate(doc.tree, scan_names(doc.source), len(doc.source))
        ids = [rng._id_problem(doc, p) for p in doc.id_problems]
        expected = [str(p) for p in ids + ([] if ok else rng._dedupe_ids(ids, rng.explain(doc)))]
        if sorted(got) != sorted(expected):
            differences.append(f"{doc.display}: pruned {got[:3]} != full {expected[:3]}")
        # ID uniqueness is the parser's (xml:id) and rngids' own: libxml2 sees NCName
        if bool(got) == (ok and not ids):
            differences.append(
                f"{doc.display}: verdict {'invalid' if got else 'valid'}, libxml2 {'valid' if ok else 'invalid'}"
            )
    assert rng.compiled.fallbacks == 0
    return len(docs), differences


def test_tei_all_explanations_unchanged_on_corpora(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    schema = need_shared("schema", "tei_all.rng")
    files = _files(
        need_shared("corpus", "eltec-eng", "level1"), need_shared("corpus", "schnitzler-briefe", "data"), ROOT / "tei"
    )
    count, differences = _compare(schema, files)
    assert count >= 252
    assert differences == []


def test_tei_all_explanations_unchanged_on_fixtures(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    schema = need_shared("schema", "tei_all.rng")
    files = [f for f in _files(CASES) if f.parent.name in ("rng", "refs", "edition", "safety")]
    # one run per file: each fixture gets its own specialisation, as on the command line
    total = 0
    for f in files:
        count, differences = _compare(schema, [f])
        assert differences == []
        total += count
    assert total >= 60


def test_eltec_schema_explanations_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    schema = need_shared("corpus", "Schemas", "eltec-1.rng")
    count, differences = _compare(schema, _files(need_shared("corpus", "eltec-eng", "level1")))
    assert count == 99
    assert differences == []


# -- the subtree schema ------------------------------------------------------
GRAMMAR = etree.ElementTree(
    etree.fromstring(f"""
<grammar xmlns="{R}" ns="urn:a" datatypeLibrary="{XSD}">
  <start><ref name="doc"/></start>
  <define name="doc"><element name="doc"><ref name="head"/><zeroOrMore><ref name="sec"/></zeroOrMore>
    <optional><element><anyName/><text/></element></optional></element></define>
  <define name="head"><element name="head"><text/></element></define>
  <define name="sec"><element name="sec">
    <oneOrMore><element name="num"><data type="integer"/></element></oneOrMore></element></define>
</grammar>""")
)


def test_element_start_validates_any_named_element_alone():
    schema = etree.RelaxNG(element_start(GRAMMAR, {"doc", "head", "sec", "num"}))
    for xml, valid in [
        ('<head xmlns="urn:a">t</head>', True),
        ('<sec xmlns="urn:a"><num>3</num></sec>', True),
        ('<num xmlns="urn:a">3</num>', True),  # anonymous pattern: copied with its ns and datatypes
        ('<num xmlns="urn:a">three</num>', False),
        ('<sec xmlns="urn:a"/>', False),
        ('<other xmlns="urn:a">x</other>', False),  # the wildcard pattern is not a start
        ("<head>t</head>", False),  # wrong namespace
    ]:
        assert schema.validate(etree.ElementTree(etree.fromstring(xml))) is valid, xml


def test_element_start_leaves_out_absent_names_and_keeps_the_grammar():
    tree = element_start(GRAMMAR, {"head"})
    starts = tree.getroot().findall(f"{{{R}}}start")
    assert len(starts) == 1
    assert [r.get("name") for r in starts[0].iter(f"{{{R}}}ref")] == ["head"]
    assert GRAMMAR.getroot().find(f"{{{R}}}start/{{{R}}}ref").get("name") == "doc"  # input untouched


def test_subtree_validation_of_a_child_in_place():
    """libxml2 decides a child element of a parsed document on its own."""
    schema = etree.RelaxNG(element_start(GRAMMAR, {"doc", "head", "sec", "num"}))
    doc = etree.fromstring('<doc xmlns="urn:a"><head>t</head><sec><num>1</num></sec><sec><num>x</num></sec></doc>')
    assert [schema.validate(c) for c in doc] == [True, True, False]


def test_parents_index_is_cached_and_survives_corruption(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    schema = need_shared("schema", "tei_all.rng")
    doc = xmlio.parse(CASES / "rng" / "div-in-p.xml")
    first = [str(p) for p in RelaxNG(schema).check(doc)]
    assert any('"div" may occur in "back", "body", "div", "front", "lem" or "rdg"' in m for m in first)
    index = list((tmp_path / "teikit" / "rng").glob("*-parents-*.json"))
    assert len(index) == 1
    assert [str(p) for p in RelaxNG(schema).check(doc)] == first
    index[0].write_text('[["not", "a dict"]]')
    assert [str(p) for p in RelaxNG(schema).check(doc)] == first
    assert index[0].read_text().startswith('{"')  # rewritten
    index[0].write_text('{"broken json')
    assert [str(p) for p in RelaxNG(schema).check(doc)] == first


def test_long_sequences_are_not_handed_to_libxml2_again(tmp_path, monkeypatch):
    """A register of many places: where libxml2 would be quadratic the list
    and its ancestors are checked here and the places one by one by
    libxml2; where it is not, libxml2 takes the whole; same messages."""
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    schema = need_shared("schema", "tei_all.rng")
    places = "".join(f'<place xml:id="p{i}"><placeName>P{i}</placeName></place>' for i in range(150))
    xml = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>"
        f"<text><body><listPlace>{places}<place><bogus/></place></listPlace></body></text></TEI>"
    )
    path = tmp_path / "places.xml"
    path.write_text(xml)
    doc = xmlio.parse(path)
    rng = RelaxNG(schema)
    problems = rng.check(doc)
    assert [(p.line, p.column, p.message.split(";")[0]) for p in problems] == [
        (1, xml.index("<bogus/>") + 1, 'element "bogus" not allowed anywhere in "place"')
    ]
    assert [str(p) for p in problems] == [str(p) for p in rng.explain(doc)]
    subtrees = rng.compiled.for_subtrees(scan_names(doc.source))
    tag = "{http://www.tei-c.org/ns/1.0}listPlace"
    slow = _Pruner(subtrees, rng._unique, doc.survey(100), {tag: 1.0})  # as if quadratic
    assert {etree.QName(e).localname for e in slow.long_runs} == {"TEI", "text", "body", "listPlace"}
    fast = _Pruner(subtrees, rng._unique, doc.survey(100), {tag: 0.0})  # as if linear
    assert fast.long_runs == set()
    # either way, the same problems
    for probes in ({tag: 1.0}, {tag: 0.0}):
        rng._probes = dict(probes)
        assert [str(p) for p in rng.check(doc)] == [str(p) for p in problems]
    # the probe itself: listPlace is measured once, on a copy
    rng._probes = {}
    rng.check(doc)
    assert list(rng._probes) == [tag] and rng._probes[tag] > 0
    assert len(doc.root.find(".//{*}listPlace")) == 151  # the document is untouched
    assert doc.names() == document_names(doc.root)


def test_name_scans_are_cached_and_a_stale_entry_changes_no_verdict(tmp_path, monkeypatch):
    """validate remembers each file's element names (path, size, mtime); an
    entry that lies about them only costs a compile: each document's own
    names are checked against what the compiled schemas cover."""
    from teikit.validation import iter_results
    from teikit.validation.rngcache import scan_files

    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path / "cache"))
    schema = need_shared("schema", "tei_all.rng")
    files = [CASES / "rng" / "valid-minimal.xml", CASES / "rng" / "div-in-p.xml"]
    expected = [(f, [str(p) for p in ps]) for f, ps in iter_results(files, schema=schema, references=False)]
    cache = tmp_path / "cache" / "teikit" / "rng"
    [names_file] = cache.glob("names-*.json")
    entries = json.loads(names_file.read_text())
    assert set(entries[str(files[1].resolve())][2].split()) >= {"TEI", "p", "div"}
    assert scan_files(files) >= {"TEI", "p", "div"}  # from the cache
    for key in entries:
        entries[key][2] = "TEI"  # stale: as if the files had changed within one mtime tick
    names_file.write_text(json.dumps(entries))
    assert scan_files(files) == {"TEI"}
    again = [(f, [str(p) for p in ps]) for f, ps in iter_results(files, schema=schema, references=False)]
    assert again == expected
    assert expected[0][1] == [] and any("not allowed here" in m for m in expected[1][1])
