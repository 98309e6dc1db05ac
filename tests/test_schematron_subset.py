"""Schematron compiled for a set of element names: rules whose
context can only match elements the documents lack are left out, and the
problems stay exactly those of the full compile.

Equivalence on every corpus file, tei/*.xml and the Schematron fixtures
(against tei_all's embedded rules, the Schnitzler .sch, ELTeC's embedded
rules and schema/teikit.sch); what is kept and dropped; first-rule-wins
and pattern lets; the in-process reuse of compiled subsets."""

from __future__ import annotations

import tomllib
from html import escape
from pathlib import Path

import pytest

from conftest import CASES, ROOT, need_shared
from teikit import xmlio
from teikit.problems import SchemaError
from teikit.validation import schematron
from teikit.validation.schematron import compile_schematron
from teikit.validation.schematron.candidates import element_names
from teikit.validation.specialize import document_names, scan_names

SCH_CASES = CASES / "schematron"
MANIFEST = tomllib.loads((SCH_CASES / "manifest.toml").read_text(encoding="utf-8"))
L00001 = ("corpus", "schnitzler-briefe", "data", "editions", "L00001.xml")

#: name -> path below ../shared (a tuple) or in this repository (a Path)
SCHEMAS = {
    "tei_all": ("schema", "tei_all.rng"),
    "schnitzler": ("corpus", "schnitzler-briefe", "data", "meta", "schnitzler-briefe-schematron.sch"),
    "eltec": ("corpus", "Schemas", "eltec-1.rng"),
    "teikit": ROOT / "schema" / "teikit.sch",
}
#: name -> (folder, glob); folders below ../shared are tuples
DOCUMENTS = {
    "eltec-eng": (("corpus", "eltec-eng"), "**/*.xml"),
    "schnitzler-briefe": (("corpus", "schnitzler-briefe"), "**/*.xml"),
    "tei": (ROOT / "tei", "*.xml"),
    "fixtures": (SCH_CASES, "**/*.xml"),
}


def _path(where) -> Path:
    return where if isinstance(where, Path) else need_shared(*where)


@pytest.fixture
def fresh(monkeypatch):
    """An empty compile cache, so that nothing compiled elsewhere is reused;
    every Schematron counts as proven to compile (see the tests at the end
    for the first compile on a machine, which takes every rule)."""
    monkeypatch.setattr(schematron, "_CACHE", {})
    monkeypatch.setattr(schematron, "_proven", lambda entry, phase: True)
    return lambda: monkeypatch.setattr(schematron, "_CACHE", {})


def _expected_labels(full, names: frozenset[str]) -> tuple[str, ...]:
    """The labels of the rules a compile for ``names`` must keep."""
    return tuple(
        r.label for r in full.rules if (reach := element_names(r.context)) is None or not reach.isdisjoint(names)
    )


# -- (a) the same problems as the full compile, everywhere --------------------------
#: Schnitzler's rules take about 0.3 s per MB of an ELTeC novel (one rule
#: over every p, hi, seg, ...): there, only the smallest novel of each set
#: of rules kept is compared.
SAMPLED = {("schnitzler", "eltec-eng")}
#: At most this many subsets are compiled per schema and folder (each takes
#: 20-120 ms); beyond that, neighbouring documents share the compile for
#: the union of their names.
MAX_COMPILES = 24


@pytest.mark.slow
@pytest.mark.parametrize("docs", DOCUMENTS)
@pytest.mark.parametrize("schema", SCHEMAS)
def test_subset_gives_the_full_problems(schema, docs, fresh):
    sch_path = _path(SCHEMAS[schema])
    folder, pattern = DOCUMENTS[docs]
    files = sorted(_path(folder).glob(pattern))
    assert files
    full = compile_schematron(sch_path)
    names: dict[Path, frozenset[str]] = {}
    groups: dict[tuple[str, ...], list[Path]] = {}  # documents that need the same rules
    for f in files:
        names[f] = document_names(xmlio.parse(f, f.name).root)
        groups.setdefault(_expected_labels(full, names[f]), []).append(f)
    batches = list(groups.values())
    if (schema, docs) in SAMPLED:
        batches = [[min(b, key=lambda f: f.stat().st_size)] for b in batches]
    size = -(-len(batches) // MAX_COMPILES)
    batches = [[f for b in batches[i : i + size] for f in b] for i in range(0, len(batches), size)]
    dropped = compared = 0
    for batch in batches:
        wanted = frozenset().union(*(names[f] for f in batch))
        fresh()  # compiled for these names, not reused from elsewhere
        sub = compile_schematron(sch_path, names=wanted)
        assert tuple(r.label for r in sub.rules) == _expected_labels(full, wanted)
        assert len(sub.rules) + sub.dropped == len(full.rules)
        dropped += sub.dropped
        for f in batch:
            doc = xmlio.parse(f, f.name)
            assert sub.check(doc) == full.check(doc), f"{f} with {schema}"
            compared += 1
    assert dropped > 0 and compared >= len(groups if (schema, docs) in SAMPLED else files)


@pytest.mark.parametrize("case", MANIFEST["case"], ids=lambda c: f"{c['schema']}:{c['doc']}:{c.get('phase', '')}")
def test_subset_gives_the_full_problems_on_each_fixture(case, fresh):
    doc = xmlio.parse(SCH_CASES / case["doc"], case["doc"])
    names = document_names(doc.root)
    sub = compile_schematron(SCH_CASES / case["schema"], case.get("phase"), names=names)
    full = compile_schematron(SCH_CASES / case["schema"], case.get("phase"))
    assert sub is not full or sub.dropped == 0
    assert sub.check(doc) == full.check(doc)
    assert [str(p) for p in sub.check(doc)] == case["expect"].strip().splitlines()


# -- (b) a Schnitzler letter compiles fewer rules -----------------------------------------
def test_letter_compiles_fewer_tei_rules(tei_all, fresh):
    letter = need_shared(*L00001)
    names = scan_names(letter.read_bytes())
    sub = compile_schematron(tei_all, names=names)
    full = compile_schematron(tei_all)
    assert (len(full.rules), full.dropped) == (95, 0)
    assert (len(sub.rules), sub.dropped) == (27, 68)
    assert len(sub.patterns) < len(full.patterns) and len(sub.xslt) < len(full.xslt) / 2
    assert "dropped" in repr(sub) and "dropped" not in repr(full)
    doc = xmlio.parse(letter, letter.name)
    assert sub.check(doc) == full.check(doc)


def test_a_compiled_subset_serves_every_request_it_covers(tmp_path, fresh):
    sch = tmp_path / "s.sch"
    sch.write_text(_schema(["a", "b", "c"]), encoding="utf-8")
    ab = compile_schematron(sch, names={"a", "b", "x"})
    assert ([r.context for r in ab.rules], ab.dropped) == (["a", "b"], 1)
    assert compile_schematron(sch, names=frozenset({"a"})) is ab  # a's rule is in ab
    assert compile_schematron(sch, names=["b", "y"]) is ab
    assert compile_schematron(sch, names=set()) is ab
    # a request ab does not cover compiles every rule, which then serves all
    c = compile_schematron(sch, names={"c"})
    assert c is not ab and ([r.context for r in c.rules], c.dropped) == (["a", "b", "c"], 0)
    assert compile_schematron(sch) is c
    assert compile_schematron(sch, names={"a", "c"}) is c
    assert compile_schematron(sch, names={"a"}) is ab  # the first that covers
    # the phase and the content are part of the key
    other_phase = compile_schematron(sch, "#ALL", names={"a"})
    assert other_phase not in (ab, c) and other_phase.dropped == 2
    sch.write_text(_schema(["a", "b", "c"]).replace("fired", "fires"), encoding="utf-8")
    again = compile_schematron(sch, names={"a"})
    assert again not in (ab, c) and again.dropped == 2
    doc = xmlio.parse_bytes(b"<a/>", tmp_path / "d.xml", "d.xml")
    assert [p.message for p in again.check(doc)] == ["fires"]
    with pytest.raises(TypeError):
        compile_schematron(sch, names="a")


# -- (c) what the analysis cannot prove is kept ---------------------------------------------
KEPT = [
    # context, document: the rule fires on it either way
    ("@when", "<doc when='1'/>"),
    ("note/@when", "<doc><note when='1'/></doc>"),
    ("attribute::n", "<doc n='1'/>"),
    ("*[@x]", "<doc x='1'/>"),
    ("*", "<doc/>"),
    ("*:doc", "<doc/>"),
    ("node()", "<doc/>"),
    ("text()", "<doc>text</doc>"),
    ("comment()", "<doc><!-- c --></doc>"),
    ("element(doc)", "<doc/>"),
    ("/", "<doc/>"),
    ("/*", "<doc/>"),
    ("absent | @x", "<doc x='1'/>"),
    ("absent | *", "<doc/>"),
    ("key('k', 'v')", "<doc/>"),
    ("id('a')", "<doc xml:id='a'/>"),
    ("absent union doc", "<doc/>"),
    ("größe", "<doc><größe/></doc>"),  # a byte scan of start tags may not see non-ASCII names whole
]
DROPPED = [
    "absent",
    "absent[@x]",
    "doc/absent",
    "//absent",
    "/absent",
    "absent | other",
    "(absent | other)[1]",
    "child::absent",
    "self::absent",
    "Q{}absent",
    "*:absent",
    "absent[error()]",
]


def _schema(contexts: list[str], top: str = "") -> str:
    """One pattern per context (p0, p1, ...), each a rule whose report always fires."""
    patterns = "".join(
        f'<pattern id="p{n}"><rule context="{escape(c)}"><report test="true()">fired</report></rule></pattern>'
        for n, c in enumerate(contexts)
    )
    return f'<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">{top}{patterns}</schema>'


@pytest.mark.parametrize("context, xml", KEPT)
def test_unprovable_context_is_kept(context, xml, tmp_path, fresh):
    sch = tmp_path / "s.sch"
    sch.write_text(
        _schema(
            [context], '<xsl:key xmlns:xsl="http://www.w3.org/1999/XSL/Transform" name="k" match="doc" use="\'v\'"/>'
        ),
        encoding="utf-8",
    )
    data = xml.encode("utf-8")
    doc = xmlio.parse_bytes(data, tmp_path / "d.xml", "d.xml")
    sub = compile_schematron(sch, names=scan_names(data))  # the names teikit passes
    assert (len(sub.rules), sub.dropped) == (1, 0)
    found = sub.check(doc)
    assert found and {p.message for p in found} == {"fired"}
    assert found == compile_schematron(sch).check(doc)


@pytest.mark.parametrize("context", DROPPED)
def test_context_naming_only_absent_elements_is_dropped(context, tmp_path, fresh):
    sch = tmp_path / "s.sch"
    sch.write_text(_schema([context, "doc"]), encoding="utf-8")
    doc = xmlio.parse_bytes(b"<doc x='1'>text</doc>", tmp_path / "d.xml", "d.xml")
    names = document_names(doc.root)
    assert "absent" not in names
    sub = compile_schematron(sch, names=names)
    assert ([r.context for r in sub.rules], sub.dropped, sub.patterns) == (["doc"], 1, ["p1"])
    assert sub.check(doc) == compile_schematron(sch).check(doc)


# -- (d) first-rule-wins, lets, diagnostics, groups ---------------------------------------------
FIRST_RULE = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <let name="top" value="'T'"/>
  <pattern id="first">
    <let name="n" value="count(//item)"/>
    <rule context="note"><report test="true()">note</report></rule>
    <rule context="item"><report test="true()" diagnostics="d">item of <value-of select="$n"/> <value-of select="$top"/></report></rule>
    <rule context="*"><report test="true()">other <name/></report></rule>
    <rule context="list"><report test="true()">never: item and * come first</report></rule>
  </pattern>
  <pattern id="gone">
    <let name="boom" value="error(QName('urn:x', 'boom'), 'a pattern let of a dropped pattern')"/>
    <rule context="absent"><report test="$boom">never</report></rule>
  </pattern>
  <group id="all">
    <rule context="note"><report test="true()">group note</report></rule>
    <rule context="item"><report test="true()">group item</report></rule>
    <rule context="item[1]"><report test="true()">group first item</report></rule>
  </group>
  <diagnostics><diagnostic id="d">diag <value-of select="name()"/></diagnostic></diagnostics>
</schema>"""


def test_first_rule_wins_when_an_earlier_rule_is_dropped(tmp_path, fresh):
    sch = tmp_path / "first.sch"
    sch.write_text(FIRST_RULE, encoding="utf-8")
    doc = xmlio.parse_bytes(b"<list><item/><item/></list>", tmp_path / "d.xml", "d.xml")
    sub = compile_schematron(sch, names=document_names(doc.root))
    full = compile_schematron(sch)
    assert sub is not full
    assert [r.label for r in sub.rules] == ["first/2", "first/3", "first/4", "all/2", "all/3"]
    assert sub.patterns == ["first", "all"] and sub.dropped == 3
    got = [(p.line, p.column, p.message, p.rule) for p in sub.check(doc)]
    assert got == [
        (1, 1, "other list", "first/3"),
        (1, 7, "item of 2 T (diag item)", "first/2"),
        (1, 14, "item of 2 T (diag item)", "first/2"),
        (1, 7, "group item", "all/2"),
        (1, 14, "group item", "all/2"),
        (1, 7, "group first item", "all/3"),
    ]
    assert sub.check(doc) == full.check(doc)


def test_a_rule_left_out_is_not_compiled_once_the_schematron_is_proven(tmp_path, fresh):
    """The price of compiling less, were the first compile not to take
    every rule: an XPath error in a rule that cannot match would go
    unseen.  (The proof, below, prevents that.)"""
    sch = tmp_path / "bad.sch"
    sch.write_text(
        _schema(["doc", "absent"]).replace(
            'context="absent"><report test="true()"', 'context="absent"><report test="no-such-function()"'
        ),
        encoding="utf-8",
    )
    assert compile_schematron(sch, names={"doc"}).dropped == 1
    with pytest.raises(SchemaError, match="no-such-function"):
        compile_schematron(sch, names={"doc", "absent"})


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A fresh cache folder and an empty in-process cache: a new machine."""
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(schematron, "_CACHE", {})
    return lambda: monkeypatch.setattr(schematron, "_CACHE", {})


def test_first_compile_on_a_machine_takes_every_rule(tmp_path, machine):
    sch = tmp_path / "ok.sch"
    sch.write_text(_schema(["doc", "absent"]), encoding="utf-8")
    first = compile_schematron(sch, names={"doc"})
    assert (len(first.rules), first.dropped) == (2, 0)
    assert len(list((tmp_path / "cache" / "teikit" / "schematron").glob("*.compiles"))) == 1
    machine()  # a later process
    later = compile_schematron(sch, names={"doc"})
    assert (len(later.rules), later.dropped) == (1, 1)
    sch.write_text(_schema(["doc", "absent", "more"]), encoding="utf-8")  # changed: proven anew
    machine()
    assert compile_schematron(sch, names={"doc"}).dropped == 0


def test_a_broken_rule_is_reported_whatever_the_documents(tmp_path, machine):
    sch = tmp_path / "bad.sch"
    sch.write_text(
        _schema(["doc", "absent"]).replace(
            'context="absent"><report test="true()"', 'context="absent"><report test="no-such-function()"'
        ),
        encoding="utf-8",
    )
    for _ in range(2):  # a failed compile proves nothing: the next run reports it again
        with pytest.raises(SchemaError, match="no-such-function"):
            compile_schematron(sch, names={"doc"})
        machine()
    assert not list((tmp_path / "cache").rglob("*.compiles"))


def test_without_a_cache_every_rule_is_compiled(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_NO_CACHE", "1")
    monkeypatch.setattr(schematron, "_CACHE", {})
    sch = tmp_path / "ok.sch"
    sch.write_text(_schema(["doc", "absent"]), encoding="utf-8")
    for _ in range(2):
        assert compile_schematron(sch, names={"doc"}).dropped == 0
        monkeypatch.setattr(schematron, "_CACHE", {})


def test_relaxng_without_rules_gives_none_for_any_names(fresh):
    assert compile_schematron(SCH_CASES / "norules.rng", names={"a"}) is None


def test_no_names_left_gives_an_empty_but_working_schematron(tmp_path, fresh):
    sch = tmp_path / "s.sch"
    sch.write_text(_schema(["a", "b"]), encoding="utf-8")
    sub = compile_schematron(sch, names=set())
    assert (sub.rules, sub.patterns, sub.dropped) == ([], [], 2)
    assert sub.check(xmlio.parse_bytes(b"<doc/>", tmp_path / "d.xml", "d.xml")) == []
