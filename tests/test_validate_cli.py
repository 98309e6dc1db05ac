"""``teikit validate`` from the command line: exit codes, formats, summary.

The documents point at tests/cases/safety/tiny.rng through xml-model (a
RelaxNG schema without Schematron), so these tests need neither
../shared nor the Schematron engine.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import CASES
from teikit.cli import cli

TINY = CASES / "safety" / "tiny.rng"
MODEL = '<?xml-model href="tiny.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
OK = (
    '<?xml version="1.0"?>\n'
    + MODEL
    + '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>\n'
)
BAD = (
    '<?xml version="1.0"?>\n' + MODEL + '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <text>\n    <body>\n'
    '      <p colour="red">x</p>\n      <div/>\n    </body>\n  </text>\n</TEI>\n'
)
BROKEN = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>\n<body></text></TEI>\n'

BAD_1 = 'bad.xml:6:10: error: attribute "colour" not allowed on element "p"; expected attribute "rend" [rng]'
BAD_2 = 'bad.xml:7:7: error: element "div" not allowed anywhere in "body"; expected the end of the element or element "p" [rng]'
BROKEN_1 = "broken.xml:2:14: error: Opening and ending tag mismatch: body line 2 and text [xml]"
SUMMARY = "3 files: 1 valid, 2 invalid; 3 errors, 0 warnings"


@pytest.fixture
def docs(tmp_path, monkeypatch):
    shutil.copy(TINY, tmp_path / "tiny.rng")
    (tmp_path / "ok.xml").write_text(OK)
    (tmp_path / "bad.xml").write_text(BAD)
    (tmp_path / "broken.xml").write_text(BROKEN)
    monkeypatch.chdir(tmp_path)  # display names are relative to the working folder
    return tmp_path


def run(runner, *args):
    return runner.invoke(cli, ["validate", *args])


def test_valid_exit_0(runner, docs):
    r = run(runner, "ok.xml")
    assert r.exit_code == 0
    assert r.stdout == "1 file: 1 valid, 0 invalid; 0 errors, 0 warnings\n" and r.stderr == ""


def test_invalid_exit_1_text(runner, docs):
    r = run(runner, "ok.xml", "bad.xml", "broken.xml")
    assert r.exit_code == 1
    assert r.stdout == "\n".join([BAD_1, BAD_2, BROKEN_1, SUMMARY]) + "\n"


def test_folder_is_searched(runner, docs):
    r = run(runner, ".")
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [BAD_1, BAD_2, BROKEN_1, SUMMARY]


def test_format_json(runner, docs):
    r = run(runner, "--format", "json", "ok.xml", "bad.xml", "broken.xml")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["summary"] == {"files": 3, "valid": 1, "invalid": 2, "errors": 3, "warnings": 0, "skipped": 0}
    assert [f["valid"] for f in data["files"]] == [True, False, False]
    assert data["files"][1]["problems"][0] == {
        "file": "bad.xml",
        "line": 6,
        "column": 10,
        "severity": "error",
        "engine": "rng",
        "message": 'attribute "colour" not allowed on element "p"; expected attribute "rend"',
        "rule": None,
        "path": "/TEI/text[1]/body[1]/p[1]",
    }
    assert r.stderr == SUMMARY + "\n"


def test_format_junit(runner, docs):
    r = run(runner, "--format", "junit", "ok.xml", "bad.xml", "broken.xml")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[1] == '<testsuites name="teikit validate" tests="3" failures="2" errors="0">'
    assert '    <testcase classname="teikit" name="ok.xml">' in lines
    assert '      <failure message="1 problem(s)" type="invalid">' + BROKEN_1 + "</failure>" in lines


def test_format_github(runner, docs):
    r = run(runner, "--format", "github", "ok.xml", "bad.xml", "broken.xml")
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        '::error file=bad.xml,line=6,col=10,title=teikit rng::attribute "colour" not allowed on element "p"; expected attribute "rend"',
        '::error file=bad.xml,line=7,col=7,title=teikit rng::element "div" not allowed anywhere in "body"; '
        'expected the end of the element or element "p"',
        "::error file=broken.xml,line=2,col=14,title=teikit xml::Opening and ending tag mismatch: body line 2 and text",
    ]


def test_jobs_2_same_report_as_jobs_1(runner, docs):
    for i in range(4):
        shutil.copy(docs / "bad.xml", docs / f"bad{i}.xml")
    one = run(runner, "--format", "json", "--jobs", "1", ".")
    two = run(runner, "--format", "json", "--jobs", "2", ".")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout


def test_quiet_has_no_summary(runner, docs):
    r = run(runner, "--quiet", "bad.xml")
    assert r.stdout.splitlines() == [BAD_1, BAD_2] and r.stderr == ""


def test_unknown_option_exit_2(runner, docs):
    r = run(runner, "--frobnicate", "ok.xml")
    assert r.exit_code == 2
    assert "Error: No such option '--frobnicate'" in r.stderr and "Traceback" not in r.output


def test_missing_schema_exit_2(runner, docs):
    r = run(runner, "--schema", "nope.rng", "ok.xml")
    assert r.exit_code == 2
    assert r.stderr == "Error: schema nope.rng does not exist\n"


def test_missing_file_exit_2(runner, docs):
    r = run(runner, "absent.xml")
    assert r.exit_code == 2
    assert r.stderr == "Error: absent.xml: no such file or folder\n"


HTTP = '<?xml-model href="http://example.org/schema/tiny.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'


def test_unresolvable_http_xml_model_is_an_error_of_that_file_and_the_run_goes_on(runner, docs):
    (docs / "remote.xml").write_text(OK.replace(MODEL, HTTP))
    r = run(runner, "remote.xml", "ok.xml")
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        'remote.xml:2:1: error: RelaxNG xml-model href "http://example.org/schema/tiny.rng": cannot be resolved '
        "offline: teikit never fetches schemas from the network; map it to a local file with an XML catalog "
        '(--catalog FILE or XML_CATALOG_FILES), e.g. <uri name="http://example.org/schema/tiny.rng" '
        'uri="local/copy.rng"/>, or pass --schema FILE [xml-model]',
        "2 files: 1 valid, 1 invalid; 1 error, 0 warnings",
    ]
    assert r.stderr == ""
    # --schema replaces the association, so nothing is left to resolve
    r = run(runner, "--schema", "tiny.rng", "remote.xml")
    assert r.exit_code == 0, r.output


def test_catalog_maps_http_href_to_local_file(runner, docs):
    (docs / "remote.xml").write_text(BAD.replace(MODEL, HTTP))
    (docs / "catalog.xml").write_text(
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        '  <uri name="http://example.org/schema/tiny.rng" uri="tiny.rng"/>\n</catalog>\n'
    )
    r = run(runner, "--catalog", "catalog.xml", "remote.xml")
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        BAD_1.replace("bad.xml", "remote.xml"),
        BAD_2.replace("bad.xml", "remote.xml"),
        "1 file: 0 valid, 1 invalid; 2 errors, 0 warnings",
    ]


def test_malformed_xml_exit_1_with_location(runner, docs):
    r = run(runner, "broken.xml")
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [BROKEN_1, "1 file: 0 valid, 1 invalid; 1 error, 0 warnings"]


def test_schema_that_is_not_relaxng_exit_2_no_traceback(runner, docs):
    (docs / "notrng.rng").write_text("<schema/>")
    r = run(runner, "--schema", "notrng.rng", "ok.xml")
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: ") and "is not a RelaxNG schema" in r.stderr
    assert "Traceback" not in r.output


def test_xml_model_naming_a_schema_that_is_not_relaxng_is_an_error_of_that_file(runner, docs):
    (docs / "notrng.rng").write_text("<schema/>")
    (docs / "doc.xml").write_text(OK.replace("tiny.rng", "notrng.rng"))
    r = run(runner, "doc.xml", "ok.xml")
    assert r.exit_code == 1
    assert r.stdout.splitlines()[0] == (
        f"doc.xml:2:1: error: the schema {docs / 'notrng.rng'} cannot be used: {docs / 'notrng.rng'} "
        "is not a RelaxNG schema (XML syntax); root element is schema [xml-model]"
    )


def test_traceback_option_shows_one(runner, docs):
    (docs / "notrng.rng").write_text("<schema/>")
    r = runner.invoke(cli, ["--traceback", "validate", "--schema", "notrng.rng", "ok.xml"])
    assert r.exit_code != 0
    assert r.exc_info is not None and r.exc_info[0].__name__ == "SchemaError"
