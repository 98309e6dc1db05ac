"""RelaxNG messages: table-driven from tests/cases/rng/manifest.toml.

Each fixture has one fault (or none); the manifest gives teikit's exact
problems (line:col: error: message).  jing's verdicts for the same files
are checked in test_differential_jing.py.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import pytest
from lxml import etree

from conftest import CASES, TEI_ALL, need_shared
from teikit import xmlio
from teikit.validation.relaxng import RelaxNG

RNG_CASES = CASES / "rng"
MANIFEST = tomllib.loads((RNG_CASES / "manifest.toml").read_text(encoding="utf-8"))["case"]


@functools.cache
def compiled(path: Path) -> RelaxNG:
    """One compiled schema per test session (tei_all takes libxml2 10-15 s)."""
    return RelaxNG(path)


def tei_all_rng() -> RelaxNG:
    need_shared("schema", "tei_all.rng")
    return compiled(TEI_ALL)


def check(rng: RelaxNG, path: Path) -> list[str]:
    doc = xmlio.parse(path, path.name)
    return [str(p) for p in rng.check(doc)]


def test_manifest_is_large_enough():
    faults = [c for c in MANIFEST if c["messages"]]
    valid = [c for c in MANIFEST if not c["messages"]]
    assert len(faults) >= 40 and len(valid) >= 5
    assert sorted(c["file"] for c in MANIFEST) == sorted(p.name for p in RNG_CASES.glob("*.xml"))


@pytest.mark.parametrize("case", MANIFEST, ids=[c["file"] for c in MANIFEST])
def test_fixture_messages(case):
    rng = tei_all_rng()
    got = check(rng, RNG_CASES / case["file"])
    assert got == [f"{case['file']}:{m} [rng]" for m in case["messages"]]


def test_every_problem_has_line_and_column():
    rng = tei_all_rng()
    for case in MANIFEST:
        doc = xmlio.parse(RNG_CASES / case["file"], case["file"])
        for p in rng.check(doc):
            assert p.line and p.line >= 1 and p.column and p.column >= 1, str(p)
            assert p.engine == "rng" and p.path and p.path.startswith("/")
            assert "got nothing" not in p.message and "Expecting" not in p.message


def test_checking_does_not_change_the_tree():
    rng = tei_all_rng()
    for name in ("two-faults.xml", "bad-uri-space.xml", "duplicate-xml-id.xml"):
        doc = xmlio.parse(RNG_CASES / name, name)
        before = etree.tostring(doc.tree)
        rng.check(doc)
        assert etree.tostring(doc.tree) == before


def test_one_fault_one_problem():
    """No cascades: each single-fault fixture gives one problem, except
    where removing the bad element leaves its parent incomplete (jing
    reports the same two)."""
    two = {"two-faults.xml", "item-outside-list.xml", "table-without-row.xml"}
    for case in MANIFEST:
        if case["messages"]:
            assert len(case["messages"]) == (2 if case["file"] in two else 1), case["file"]


# -- a small schema, no ../shared needed ------------------------------------
SMALL = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"
  datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes" ns="urn:t">
  <start><ref name="doc"/></start>
  <define name="doc"><element name="doc">
    <attribute name="version"><choice><value>1</value><value>2</value></choice></attribute>
    <optional><attribute name="xml:lang" ns="http://www.w3.org/XML/1998/namespace"><data type="language"/></attribute></optional>
    <element name="head"><text/></element>
    <interleave>
      <zeroOrMore><element name="note"><empty/></element></zeroOrMore>
      <oneOrMore><ref name="item"/></oneOrMore>
    </interleave>
  </element></define>
  <define name="item"><element name="item">
    <optional><attribute name="n"><data type="positiveInteger"/></attribute></optional>
    <data type="date"/>
  </element></define>
</grammar>"""


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> RelaxNG:
    path = tmp_path_factory.mktemp("rng") / "small.rng"
    path.write_text(SMALL)
    return RelaxNG(path)


@pytest.mark.parametrize(
    "body, expected",
    [
        ('<doc xmlns="urn:t" version="1"><head>h</head><note/><item>2020-01-01</item><note/></doc>', []),
        (
            '<doc xmlns="urn:t" version="3"><head>h</head><item>2020-01-01</item></doc>',
            ['1:20: error: value "3" of attribute "version" on element "doc" is invalid; expected one of "1" or "2"'],
        ),
        (
            '<doc xmlns="urn:t"><head>h</head><item>2020-01-01</item></doc>',
            ['1:1: error: element "doc" missing required attribute "version"'],
        ),
        (
            '<doc xmlns="urn:t" version="1" xml:lang="x y"><head>h</head><item>2020-01-01</item></doc>',
            [
                '1:32: error: value "x y" of attribute "xml:lang" on element "doc" is invalid; expected a language tag (BCP 47, e.g. en or de-AT)'
            ],
        ),
        (
            '<doc xmlns="urn:t" version="1"><note/><head>h</head><item>2020-01-01</item></doc>',
            ['1:32: error: element "note" not allowed yet in "doc"; missing required element "head" before it'],
        ),
        (
            '<doc xmlns="urn:t" version="1"><head>h</head><note/></doc>',
            ['1:53: error: element "doc" incomplete; expected element "item" or "note"'],
        ),
        (
            '<doc xmlns="urn:t" version="1"><head>h</head><item n="0">2020-02-30</item></doc>',
            [
                '1:46: error: content "2020-02-30" of element "item" is invalid; expected a date (YYYY-MM-DD)',
                '1:52: error: value "0" of attribute "n" on element "item" is invalid; expected an integer greater than 0',
            ],
        ),
        (
            '<doc xmlns="urn:t" version="1"><head>h</head>stray<item>2020-01-01</item></doc>',
            ['1:46: error: text "stray" not allowed in element "doc"; expected element "item" or "note"'],
        ),
    ],
)
def test_small_schema(small, tmp_path, body, expected):
    path = tmp_path / "d.xml"
    path.write_text(body)
    doc = xmlio.parse(path, "d.xml")
    assert [str(p)[len("d.xml:") : -len(" [rng]")] for p in small.check(doc)] == expected


# -- the derivative engine alone (documents with very long sibling runs) ------
@pytest.fixture
def engine_alone():
    rng = tei_all_rng()
    saved = rng.long_sequence
    rng.long_sequence = -1  # every document decided without libxml2's validator
    yield rng
    rng.long_sequence = saved


def test_engine_alone_agrees_on_every_fixture(engine_alone):
    for case in MANIFEST:
        got = check(engine_alone, RNG_CASES / case["file"])
        assert got == [f"{case['file']}:{m} [rng]" for m in case["messages"]], case["file"]


def test_long_list_same_problems_on_both_paths(tmp_path):
    rng = tei_all_rng()
    items = "\n".join(f'        <item n="{i}">entry {i}</item>' for i in range(1500))
    text = (
        (RNG_CASES / "valid-minimal.xml")
        .read_text()
        .replace(
            "      <p>Hello.</p>",
            "      <list>\n" + items + '\n        <p>stray</p>\n        <item xml:lang="x y">z</item>\n      </list>',
        )
    )
    path = tmp_path / "long.xml"
    path.write_text(text)
    fast = check(rng, path)  # 1,502 children: decided by the derivative engine
    saved = rng.long_sequence
    rng.long_sequence = 10**9
    try:
        slow = check(rng, path)  # libxml2 decides, the engine explains
    finally:
        rng.long_sequence = saved
    assert fast == slow
    assert [p.split(": error: ")[0] for p in fast] == ["long.xml:1519:9", "long.xml:1520:15"]
    assert fast[0].startswith('long.xml:1519:9: error: element "p" not allowed here in "list"')


ATTRS = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><element name="a">
  <attribute name="x"/><attribute name="y"/><optional><attribute name="z"/></optional>
  <choice><attribute name="p"/><attribute name="q"/></choice><empty/></element></start></grammar>"""


@pytest.mark.parametrize(
    "body, expected",
    [
        ('<a z="1" p="1"/>', 'element "a" missing required attributes "x" and "y"'),
        ('<a x="1" y="2"/>', 'element "a" missing a required attribute; expected attribute "p" or "q"'),
        ('<a x="1" y="2" p="1" w="3"/>', 'attribute "w" not allowed on element "a"; expected attribute "z"'),
    ],
)
def test_missing_and_unknown_attributes(tmp_path, body, expected):
    (tmp_path / "a.rng").write_text(ATTRS)
    (tmp_path / "a.xml").write_text(body)
    rng = RelaxNG(tmp_path / "a.rng")
    assert [p.message for p in rng.check(xmlio.parse(tmp_path / "a.xml", "a.xml"))] == [expected]


def test_text_positions_in_mixed_content(tmp_path):
    body = (
        "      <list><item>foo</item> foo<!-- c --> bar <lb/> baz</list>\n"
        '      <list rend="a>b">\n        <!-- x --> stray</list>\n'
        '      <p>x<anchor xml:id="a1">inside</anchor>after<anchor/></p>'
    )
    path = tmp_path / "tx.xml"
    path.write_text((RNG_CASES / "valid-minimal.xml").read_text().replace("      <p>Hello.</p>", body))
    got = [(p.line, p.column, p.message.split(";")[0]) for p in tei_all_rng().check(xmlio.parse(path, "tx.xml"))]
    assert got == [
        (18, 30, 'text "foo bar" not allowed in element "list"'),
        (18, 54, 'text "baz" not allowed in element "list"'),
        (20, 20, 'text "stray" not allowed in element "list"'),
        (20, 25, 'element "list" incomplete'),
        (21, 31, 'text "inside" not allowed in element "anchor"'),
    ]
