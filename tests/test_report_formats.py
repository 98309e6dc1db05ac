"""The four report formats, exactly, on hand-made problem values."""

from __future__ import annotations

import json

from lxml import etree

from teikit import report
from teikit.problems import ERROR, WARNING, Problem, Report


def sample() -> Report:
    rep = Report(files=["a.xml", "dir,x/b:c.xml", "ok.xml"])
    rep.add(
        [
            Problem("a.xml", 3, 7, ERROR, "rng", 'element "p" not allowed here in "p"'),
            Problem("a.xml", 9, None, WARNING, "sch", '100% <sure> & "quoted"\nsecond line', rule="R-1"),
            Problem("dir,x/b:c.xml", None, None, ERROR, "xml", "cannot read file: Permission denied"),
        ]
    )
    return rep


def test_text():
    assert report.render(sample(), "text") == "\n".join(
        [
            'a.xml:3:7: error: element "p" not allowed here in "p" [rng]',
            'a.xml:9: warning: 100% <sure> & "quoted"\nsecond line [sch:R-1]',
            "dir,x/b:c.xml: error: cannot read file: Permission denied [xml]",
        ]
    )


def test_summary():
    assert report.summary(sample()) == "3 files: 1 valid, 2 invalid; 2 errors, 1 warning"
    assert report.summary(Report(files=["x.xml"])) == "1 file: 1 valid, 0 invalid; 0 errors, 0 warnings"


def test_summary_strict_counts_warnings_as_failing():
    rep = Report(files=["a.xml"], strict=True)
    rep.add([Problem("a.xml", 1, 1, WARNING, "sch", "w", rule="R")])
    assert report.summary(rep) == "1 file: 0 valid, 1 invalid; 0 errors, 1 warning"


def test_github_escapes_properties_and_messages():
    assert report.render(sample(), "github").splitlines() == [
        '::error file=a.xml,line=3,col=7,title=teikit rng::element "p" not allowed here in "p"',
        '::warning file=a.xml,line=9,title=teikit sch%3AR-1::100%25 <sure> & "quoted"%0Asecond line',
        "::error file=dir%2Cx/b%3Ac.xml,title=teikit xml::cannot read file: Permission denied",
    ]


def test_json():
    data = json.loads(report.render(sample(), "json"))
    assert data["summary"] == {"files": 3, "valid": 1, "invalid": 2, "errors": 2, "warnings": 1, "skipped": 0}
    assert [(f["file"], f["valid"], len(f["problems"])) for f in data["files"]] == [
        ("a.xml", False, 2),
        ("dir,x/b:c.xml", False, 1),
        ("ok.xml", True, 0),
    ]
    assert data["files"][0]["problems"][1] == {
        "file": "a.xml",
        "line": 9,
        "column": None,
        "severity": "warning",
        "engine": "sch",
        "message": '100% <sure> & "quoted"\nsecond line',
        "rule": "R-1",
        "path": None,
    }
    assert "other" not in data


def test_json_keeps_problems_of_files_not_listed():
    rep = Report(files=["a.xml"])
    rep.add([Problem("register.xml", 2, 3, ERROR, "ref", "broken")])
    data = json.loads(report.render(rep, "json"))
    assert data["other"] == [
        {
            "file": "register.xml",
            "line": 2,
            "column": 3,
            "severity": "error",
            "engine": "ref",
            "message": "broken",
            "rule": None,
            "path": None,
        }
    ]


def test_junit_is_well_formed_and_exact():
    text = report.render(sample(), "junit")
    root = etree.fromstring(text.encode())
    suite = root[0]
    assert (root.get("tests"), root.get("failures")) == ("3", "2")
    cases = {c.get("name"): c for c in suite}
    assert list(cases) == ["a.xml", "dir,x/b:c.xml", "ok.xml"]
    assert cases["a.xml"].find("failure").text == 'a.xml:3:7: error: element "p" not allowed here in "p" [rng]'
    assert cases["a.xml"].find("failure").get("message") == "1 problem(s)"
    assert cases["a.xml"].find("system-out").text == 'a.xml:9: warning: 100% <sure> & "quoted"\nsecond line [sch:R-1]'
    assert len(cases["ok.xml"]) == 0


def test_render_rejects_unknown_format():
    try:
        report.render(sample(), "yaml")
    except ValueError as exc:
        assert str(exc) == "yaml"
    else:
        raise AssertionError("no error for an unknown format")
