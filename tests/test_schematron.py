"""Schematron: one focused case per construct (table-driven from
tests/cases/schematron/manifest.toml), compile errors, the cache, and the
command line.  The TEI and corpus tests are in test_schematron_corpora.py."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from lxml import etree

from conftest import CASES
from teikit import xmlio
from teikit.cli import cli
from teikit.corpus import display_name
from teikit.problems import SchemaError
from teikit.validation import Validator
from teikit.validation.schematron import Schematron, compile_schematron

HERE = CASES / "schematron"
MANIFEST = tomllib.loads((HERE / "manifest.toml").read_text(encoding="utf-8"))


def _id(case: dict) -> str:
    return f"{case['schema']}:{case.get('doc', '')}:{case.get('phase', '')}"


@pytest.mark.parametrize("case", MANIFEST["case"], ids=_id)
def test_case(case):
    sch = compile_schematron(HERE / case["schema"], case.get("phase"))
    doc = xmlio.parse(HERE / case["doc"], case["doc"])
    got = [str(p) for p in sch.check(doc)]
    assert got == case["expect"].strip().splitlines()
    assert all(p.engine == "sch" and p.path and p.path.startswith("/") for p in sch.check(doc))


@pytest.mark.parametrize("case", MANIFEST["error"], ids=_id)
def test_compile_error(case):
    with pytest.raises(SchemaError) as info:
        compile_schematron(HERE / case["schema"], case.get("phase"))
    assert str(info.value) == case["message"].replace("{dir}", os.path.relpath(HERE))
    assert info.value.exit_code == 2


def test_every_construct_has_a_passing_and_a_failing_document():
    by_schema: dict[str, set[bool]] = {}
    for case in MANIFEST["case"]:
        by_schema.setdefault(case["schema"], set()).add(bool(case["expect"].strip()))
    assert len(by_schema) >= 18
    assert all(v == {True, False} for v in by_schema.values()), by_schema


def test_relaxng_without_rules_gives_none():
    assert compile_schematron(HERE / "norules.rng") is None


def test_problem_fields_and_path():
    sch = compile_schematron(HERE / "nodes.sch")
    doc = xmlio.parse(HERE / "nodes-fail.xml", "nodes-fail.xml")
    attr, text = sch.check(doc)
    assert (attr.file, attr.line, attr.column, attr.severity, attr.engine, attr.rule) == (
        "nodes-fail.xml",
        3,
        8,
        "error",
        "sch",
        "ref-hash",
    )
    assert attr.path == "/Q{}doc[1]/Q{}ptr[1]/@ref"
    assert text.path == "/Q{}doc[1]/Q{}p[1]/text()[2]"


def test_compiled_once_and_cached_in_process(tmp_path):
    sch_file = tmp_path / "c.sch"
    sch_file.write_bytes((HERE / "assert.sch").read_bytes())
    first = compile_schematron(sch_file)
    assert isinstance(first, Schematron)
    assert compile_schematron(sch_file) is first
    assert compile_schematron(sch_file, "#ALL") is not first  # the phase is part of the key
    # a change of content is a new schema
    sch_file.write_text(sch_file.read_text().replace("needs a title", "lacks a title"))
    second = compile_schematron(sch_file)
    assert second is not first
    doc = xmlio.parse(HERE / "assert-fail.xml", "assert-fail.xml")
    assert "lacks a title" in second.check(doc)[0].message


def test_cache_sees_a_changed_include(tmp_path):
    (tmp_path / "inc").mkdir()
    for name in ("include.sch", "inc/pattern.sch", "inc/rule.sch"):
        (tmp_path / name).write_bytes((HERE / name).read_bytes())
    first = compile_schematron(tmp_path / "include.sch")
    rule = tmp_path / "inc" / "rule.sch"
    rule.write_text(rule.read_text().replace("an empty paragraph", "a blank paragraph"))
    second = compile_schematron(tmp_path / "include.sch")
    assert second is not first
    doc = xmlio.parse(HERE / "include-fail.xml", "include-fail.xml")
    assert [p.message for p in second.check(doc)] == ["a blank paragraph (this rule comes from inc/rule.sch)"]


def test_saxon_never_sees_the_doctype(tmp_path):
    """Saxon gets only the root element: an external DTD that Saxon would
    try (and fail) to load, and an unused external entity, change nothing."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doc_file = tmp_path / "x.xml"
    doc_file.write_text(
        f'<!DOCTYPE library SYSTEM "missing.dtd" [<!ENTITY e SYSTEM "{secret.as_uri()}">]>\n'
        '<library><book id="b9" price="1"/></library>\n'
    )
    sch = compile_schematron(HERE / "assert.sch")
    doc = xmlio.parse(doc_file, "x.xml")
    assert "<!DOCTYPE" not in xmlio.to_saxon_text(doc)
    assert [str(p) for p in sch.check(doc)] == ["x.xml:2:10: error: A book needs a title (id b9). [sch:book-title]"]


# A RelaxNG that allows anything: these documents are checked by their Schematron alone
# (a document with no RelaxNG association at all gets the bundled tei_all).
ANY_RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="any"/></start>
<define name="any"><element><anyName/><zeroOrMore><choice><attribute><anyName/></attribute><text/>
<ref name="any"/></choice></zeroOrMore></element></define></grammar>"""


def _any_rng(tmp_path: Path) -> str:
    (tmp_path / "any.rng").write_text(ANY_RNG)
    return '<?xml-model href="any.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>'


def test_validator_uses_xml_model_schematron(tmp_path):
    doc_file = tmp_path / "d.xml"
    doc_file.write_text(
        _any_rng(tmp_path) + f'<?xml-model href="{(HERE / "assert.sch").as_uri()}" '
        'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
        '<library>\n  <book id="b2"/>\n</library>\n'
    )
    v = Validator(references=False)
    _, problems = v.check_file(doc_file)
    assert [(p.line, p.column, p.severity, p.message, p.rule) for p in problems] == [
        (3, 3, "error", "A book needs a title (id b2).", "book-title")
    ]


def test_validator_phase_reaches_the_compiler(tmp_path):
    _any_rng(tmp_path)
    v = Validator(schema=tmp_path / "any.rng", schematron=[HERE / "phases.sch"], phase="full", references=False)
    doc = xmlio.parse(HERE / "phases-fail.xml", "phases-fail.xml")
    sch = [p for p in v.check(doc) if p.engine == "sch"]
    assert [p.rule for p in sch] == ["needs-title", "p-length", "p-length"]


# -- command line ---------------------------------------------------------------
def _cli_doc(tmp_path, body: str) -> Path:
    """A document whose xml-model names the Schematron (and a RelaxNG that allows anything)."""
    f = tmp_path / "book.xml"
    f.write_text(
        _any_rng(tmp_path) + f'<?xml-model href="{(HERE / "assert.sch").as_uri()}" '
        f'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n{body}\n'
    )
    return f


def test_cli_schematron_failure(runner, tmp_path):
    doc = _cli_doc(tmp_path, '<library>\n  <book id="b2" price="-1"/>\n</library>')
    res = runner.invoke(cli, ["validate", "--no-references", "--schematron", str(HERE / "assert.sch"), str(doc)])
    assert res.exit_code == 1, res.output
    lines = res.output.splitlines()
    shown = display_name(doc)
    assert lines[:2] == [
        f"{shown}:3:3: error: A book needs a title (id b2). [sch:book-title]",
        f"{shown}:3:3: error: Price -1 is negative. [sch:book-title]",
    ]


def test_cli_schematron_pass(runner, tmp_path):
    doc = _cli_doc(tmp_path, '<library>\n  <book id="b1"><title>T</title></book>\n</library>')
    res = runner.invoke(cli, ["validate", "-q", "--no-references", "--schematron", str(HERE / "assert.sch"), str(doc)])
    assert (res.exit_code, res.output) == (0, "")


def test_cli_warning_fails_only_with_strict(runner, tmp_path):
    f = tmp_path / "roles.xml"
    f.write_text(
        _any_rng(tmp_path) + f'<?xml-model href="{(HERE / "roles.sch").as_uri()}" '
        'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
        '<doc>\n  <list><item n="1"/></list>\n</doc>\n'
    )
    args = ["validate", "-q", "--no-references", "--schematron", str(HERE / "roles.sch"), str(f)]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0
    assert res.output.splitlines() == [
        f"{display_name(f)}:3:3: warning: a list should have two items or more [sch:rule-role/1]"
    ]
    assert runner.invoke(cli, [*args[:1], "--strict", *args[1:]]).exit_code == 1


def test_cli_compile_error_exits_2(runner, tmp_path):
    doc = _cli_doc(tmp_path, "<library/>")
    bad = HERE / "errors" / "bad-test.sch"
    res = runner.invoke(cli, ["validate", "--schematron", str(bad), str(doc)])
    assert res.exit_code == 2
    assert f"{display_name(bad)}:5:7: rule r1: assert test 'count(item' does not compile: XPST0003:" in res.output


def test_cli_unknown_phase_exits_2(runner, tmp_path):
    doc = _cli_doc(tmp_path, "<library/>")
    res = runner.invoke(cli, ["validate", "--phase", "nope", "--schematron", str(HERE / "phases.sch"), str(doc)])
    assert res.exit_code == 2
    assert (
        f"Error: Schematron phase 'nope' is not defined in {os.path.relpath(HERE / 'phases.sch')} "
        "(phases: quick, full, #ALL)"
    ) in res.output


# -- SVRL, languages, subordinate documents ------------------------------------
_LANG_SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <pattern id="p">
    <rule context="item" id="r" flag="{local-name()}">
      <assert test="@n" xml:lang="en" role="warning" see="#n">item needs @n</assert>
      <assert test="@n" xml:lang="fr" role="warning" see="#n">item doit avoir @n</assert>
      <report test="@bad" xml:lang="de">schlecht</report>
    </rule>
  </pattern>
</schema>
"""


def _lang_files(tmp_path: Path) -> tuple[Path, Path]:
    sch = tmp_path / "lang.sch"
    sch.write_text(_LANG_SCH)
    doc = tmp_path / "list.xml"
    doc.write_text('<list>\n  <item/>\n  <item n="1" bad="x"/>\n</list>\n')
    return sch, doc


@pytest.mark.parametrize(
    ("lang", "first"), [(None, "item needs @n"), ("fr", "item doit avoir @n"), ("fr-CA", "item doit avoir @n")]
)
def test_language_variants_run_once_in_the_chosen_language(tmp_path, lang, first):
    sch_file, doc_file = _lang_files(tmp_path)
    sch = compile_schematron(sch_file, lang=lang)
    got = [(p.line, p.message, dict(p.details).get("lang")) for p in sch.check(xmlio.parse(doc_file, "list.xml"))]
    # the report exists in German only: it always runs
    assert got == [(2, first, (lang or "en")[:2]), (3, "schlecht", "de")]


def test_svrl_for_one_file_and_svrl_dir_for_several(runner, tmp_path):
    sch_file, doc_file = _lang_files(tmp_path)
    base = ["validate", "--no-references", "--no-xml-model", "--schematron", str(sch_file)]
    res = runner.invoke(cli, [*base, "--format", "svrl", "--output", str(tmp_path / "r.svrl"), str(doc_file)])
    assert res.exit_code == 1, res.output
    svrl = etree.parse(str(tmp_path / "r.svrl")).getroot()
    ns = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
    failed = svrl.xpath("//svrl:failed-assert[@test = '@n']", namespaces=ns)
    assert [(f.get("role"), f.get("flag"), f.get("see"), f.get("location")) for f in failed] == [
        ("warning", "item", "#n", "/Q{}list[1]/Q{}item[1]")
    ]
    assert svrl.xpath("string(//svrl:successful-report/svrl:text)", namespaces=ns) == "schlecht"
    assert not svrl.xpath("//@*[namespace-uri() = 'urn:teikit:schematron']")
    other = tmp_path / "sub" / "two.xml"
    other.parent.mkdir()
    other.write_text("<list><item/></list>")
    res = runner.invoke(cli, [*base, "--format", "svrl", str(doc_file), str(other)])
    assert res.exit_code == 2
    assert "--format svrl writes the report of one file, and this run has 2" in res.output
    res = runner.invoke(cli, [*base, "--svrl-dir", str(tmp_path / "out"), str(doc_file), str(other)])
    assert res.exit_code == 1
    written = sorted(p.name for p in (tmp_path / "out").rglob("*.svrl.xml"))
    assert written == ["list.svrl.xml", "two.svrl.xml"]


def test_subordinate_documents_stay_in_the_documents_folder(tmp_path):
    (tmp_path / "in").mkdir()
    sch_file = tmp_path / "in" / "sub.sch"
    sch_file.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<pattern documents="//include/@href"><rule context="/*"><assert test="@ok">no @ok</assert></rule></pattern>'
        "</schema>"
    )
    (tmp_path / "in" / "near.xml").write_text("<near/>")
    (tmp_path / "far.xml").write_text("<far/>")
    doc_file = tmp_path / "in" / "main.xml"
    doc_file.write_text('<main>\n<include href="near.xml"/>\n<include href="../far.xml"/>\n</main>')
    got = compile_schematron(sch_file).check(xmlio.parse(doc_file, "main.xml"))
    assert [(p.file, p.line, p.message) for p in got] == [
        (
            "main.xml",
            None,
            f"subordinate document file:{tmp_path / 'far.xml'} not checked: it is outside "
            f"{display_name(tmp_path / 'in')}, the validated document's folder",
        ),
        (display_name(tmp_path / "in" / "near.xml"), 1, "no @ok"),
    ]


def test_rules_see_the_processing_instructions_and_comments_around_the_root(tmp_path):
    sch_file = tmp_path / "pi.sch"
    sch_file.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        "<pattern><rule context=\"processing-instruction('xml-model')\">"
        '<report test="true()">model: <value-of select="."/></report></rule></pattern>'
        '<pattern><rule context="/"><assert test="count(node()) = 2">nodes: <value-of select="count(node())"/>'
        "</assert></rule></pattern></schema>"
    )
    doc_file = tmp_path / "pi.xml"
    doc_file.write_text('<?xml version="1.0"?>\n<?xml-model href="x.rng"?>\n<!-- c -->\n<r/>\n')
    got = [str(p) for p in compile_schematron(sch_file).check(xmlio.parse(doc_file, "pi.xml"))]
    assert got == [
        'pi.xml:4:1: error: model: href="x.rng" [sch:pattern1/1]',
        "pi.xml:4:1: error: nodes: 3 [sch:pattern2/1]",
    ]


def test_language_taken_from_the_id_where_a_generated_schema_lost_xml_lang(tmp_path):
    # as TEI's tei_all: the French constraint keeps its language only in its id
    sch_file = tmp_path / "ids.sch"
    sch_file.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<pattern id="s-item-n-constraint-rule-1"><rule context="item"><assert test="@n">needs @n</assert></rule>'
        "</pattern>"
        '<pattern id="s-item-n-fr-constraint-rule-2"><rule context="item"><assert test="@n">doit avoir @n</assert>'
        "</rule></pattern></schema>"
    )
    doc_file = tmp_path / "list.xml"
    doc_file.write_text("<list><item/></list>")
    doc = xmlio.parse(doc_file, "list.xml")
    assert [p.message for p in compile_schematron(sch_file).check(doc)] == ["needs @n"]
    assert [p.message for p in compile_schematron(sch_file, lang="fr").check(doc)] == ["doit avoir @n"]
