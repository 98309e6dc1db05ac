"""The candidate nodes a rule context can match (the skip-absent-names
optimisation): the table of analyses, and equivalence with visiting every
node on real rule sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CASES, CORPUS, need_shared
from teikit import xmlio
from teikit.validation.schematron import compile as sch_compile
from teikit.validation.schematron.assemble import read_schema
from teikit.validation.schematron.candidates import ALL, candidates, union
from teikit.validation.schematron.run import Schematron

TABLE = [
    ("tei:note", {"//tei:note"}),
    ("tei:*[@when]", {"//tei:*[@when]"}),
    ("tei:*[@when][not(@from)]", {"//tei:*[@when]"}),
    ("tei:a/tei:b[1]", {"//tei:b"}),
    ("tei:a//tei:b | tei:c", {"//tei:b", "//tei:c"}),
    ("/tei:TEI", {"/tei:TEI"}),
    ("/*[count(//tei:x) gt 1]", {"/*"}),
    ("/", {"/"}),
    ("@xml:id", {"//@xml:id"}),
    ("tei:ptr/@target", {"//@target"}),
    ("attribute::n", {"//@n"}),
    ("text()[ancestor::tei:body]", {"//text()"}),
    ("comment()", {"//comment()"}),
    ("node()", {"//node()"}),
    ("element(tei:p)", {"//element(tei:p)"}),
    ("(tei:a|tei:b)[@scheme eq 'x']", {"//tei:a", "//tei:b"}),
    ("tei:p[@rend = 'a|b']", {"//tei:p"}),
    ("Q{http://www.tei-c.org/ns/1.0}p", {"//Q{http://www.tei-c.org/ns/1.0}p"}),
    ("*:p", {"//*:p"}),
    # not understood: every node is a candidate
    ("id('x')", None),
    ("key('k', 'v')", None),
    ("$nodes", None),
    ("tei:a union tei:b", None),
    ("tei:a/(tei:b | tei:c)", None),
    (".", None),
]


@pytest.mark.parametrize("context, expected", TABLE)
def test_candidates(context, expected):
    assert candidates(context) == expected


def test_union():
    assert union(["tei:a", "tei:b[1]"]) == "//tei:a | //tei:b"
    assert union(["tei:a", "id('x')"]) == ALL


def _compile_all_nodes(path: Path, monkeypatch) -> Schematron:
    """The same schema compiled to visit every node (no candidate analysis)."""
    schema = read_schema(path)
    monkeypatch.setattr(sch_compile, "union", lambda contexts: ALL)
    text, writer, checks, rules = sch_compile.generate(schema)
    monkeypatch.undo()
    assert "//tei:" not in text.split("<xsl:mode", 1)[0]
    return Schematron(schema, sch_compile.compile_xslt(schema, text, writer), checks, rules, text)


def _run(schema_path: Path, docs: list[Path], monkeypatch):
    schema = read_schema(schema_path)
    text, writer, checks, rules = sch_compile.generate(schema)
    fast = Schematron(schema, sch_compile.compile_xslt(schema, text, writer), checks, rules, text)
    slow = _compile_all_nodes(schema_path, monkeypatch)
    for d in docs:
        doc = xmlio.parse(d, d.name)
        assert [str(p) for p in fast.check(doc)] == [str(p) for p in slow.check(doc)], d


def test_same_results_as_visiting_every_node_tei(tei_all, monkeypatch):
    _run(tei_all, sorted((CASES / "schematron" / "tei").glob("*.xml")), monkeypatch)


def test_same_results_as_visiting_every_node_schnitzler(monkeypatch):
    sch = need_shared("corpus", "schnitzler-briefe", "data", "meta", "schnitzler-briefe-schematron.sch")
    letters = sorted((CORPUS / "schnitzler-briefe" / "data" / "editions").glob("*.xml"))[::15]
    _run(sch, letters, monkeypatch)


def test_same_results_as_visiting_every_node_fixtures(monkeypatch):
    here = CASES / "schematron"
    for sch in ("first-rule.sch", "nodes.sch", "lets.sch", "abstract-pattern.sch", "xslt.sch", "phases.sch"):
        stem = sch[:-4]
        _run(here / sch, [here / f"{stem}-pass.xml", here / f"{stem}-fail.xml"], monkeypatch)
