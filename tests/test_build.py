"""teikit build: the driver (files, exit codes, failures, params, reproducibility, compile once)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CASES, ROOT
from teikit import saxon
from teikit.cli import cli
from teikit.problems import UsageError
from teikit.publish import PARAMS, build, manifest, xslt
from teikit.validation import Validator

BUILD = CASES / "build"
EDITION = BUILD / "edition"


def _files(folder: Path) -> list[str]:
    """The outputs below a folder (the build manifest aside: see test_build_manifest.py)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != manifest.NAME)


def test_edition_html_and_text_exact_files(tmp_path):
    result = build([EDITION], out=tmp_path, formats=("html", "text"), params={}, validator=None)
    assert result.ok
    assert result.report.problems == []
    assert _files(tmp_path) == [
        "html/index.html",
        "html/letter.html",
        "html/poems.html",
        "html/register.html",
        "html/teikit.css",
        "html/teikit.js",
        "text/letter.txt",
        "text/poems.txt",
        "text/register.txt",
    ]
    assert sorted(str(p.relative_to(tmp_path)) for p in result.written) == _files(tmp_path)
    assert result.summary() == f"3 documents: 9 files written to {tmp_path}/; 0 failed"


def test_cli_build_exit_0(tmp_path, runner):
    res = runner.invoke(
        cli, ["build", "--no-validate", "--to", "html,text", "--out", str(tmp_path / "o"), str(EDITION)]
    )
    assert res.exit_code == 0, res.output
    assert "3 documents: 9 files written to" in res.output


def test_unknown_param_is_usage_error_listing_known(tmp_path, runner):
    res = runner.invoke(
        cli, ["build", "--no-validate", "--to", "text", "--param", "colour=red", "--out", str(tmp_path), str(EDITION)]
    )
    assert res.exit_code == 2
    known = ", ".join(sorted(PARAMS))
    assert f"unknown --param colour; known parameters: {known}" in res.output
    assert not (tmp_path / "text").exists()


@pytest.mark.parametrize(
    "param,message",
    [
        ("choice=maybe", "--param choice=maybe: expected any of sic|corr, orig|reg, abbr|expan"),
        ("wrap=ten", "--param wrap=ten: expected a whole number of columns, at least 20"),
        ("wrap=5", "--param wrap=5: expected a whole number of columns, at least 20"),
        ("notes=sidenotes", "--param notes=sidenotes: expected endnotes or footnotes"),
        ("supplied=hidden", "--param supplied=hidden: expected brackets or plain"),
    ],
)
def test_bad_param_values(tmp_path, param, message):
    name, value = param.split("=")
    with pytest.raises(UsageError) as exc:
        build([EDITION], out=tmp_path, formats=("text",), params={name: value}, validator=None)
    assert str(exc.value) == message


def test_missing_path_is_usage_error(tmp_path, runner):
    res = runner.invoke(cli, ["build", "--out", str(tmp_path), str(tmp_path / "nope")])
    assert res.exit_code == 2
    assert "no such file or folder" in res.output


def test_malformed_document_reported_others_built(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(EDITION, src)
    shutil.copy(BUILD / "bad" / "broken.xml", src / "broken.xml")
    out = tmp_path / "out"
    result = build([src], out=out, formats=("html", "text"), params={}, validator=None)
    assert not result.ok
    assert [str(p) for p in result.report.problems] == [
        f"{result.report.files[0]}:4:33: error: Opening and ending tag mismatch: p line 4 and body [xml]"
    ]
    assert result.failed == [result.report.files[0]]
    assert result.report.files[0].endswith("broken.xml")
    assert "broken.html" not in _files(out / "html") and "broken.txt" not in _files(out / "text")
    assert "letter.html" in _files(out / "html")
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert result.summary() == f"4 documents: 9 files written to {out}/; 1 failed"


def test_cli_failure_exit_1_one_line(tmp_path, runner):
    res = runner.invoke(
        cli,
        [
            "build",
            "--no-validate",
            "--to",
            "text",
            "--out",
            str(tmp_path),
            str(BUILD / "bad" / "broken.xml"),
            str(EDITION / "poems.xml"),
        ],
    )
    assert res.exit_code == 1
    lines = [line for line in res.output.splitlines() if "error:" in line]
    assert len(lines) == 1 and lines[0].endswith(
        "broken.xml:4:33: error: Opening and ending tag mismatch: p line 4 and body [xml]"
    )
    assert (tmp_path / "text" / "poems.txt").is_file()


def test_transform_failure_is_one_line_build_problem(tmp_path, monkeypatch):
    """A document failing in the stylesheet: one line, engine build; the others are built."""
    real = xslt.node

    def node(doc):
        if getattr(doc, "path", Path()).name == "poems.xml":
            raise xslt.TransformError("XTDE0000 simulated failure\nsecond line")
        return real(doc)

    monkeypatch.setattr(xslt, "node", node)
    result = build([EDITION], out=tmp_path, formats=("html", "text"), params={}, validator=None)
    assert not result.ok
    poems = next(f for f in result.report.files if f.endswith("poems.xml"))
    assert [str(p) for p in result.report.problems] == [
        f"{poems}: error: cannot build: XTDE0000 simulated failure second line [build]"
    ]
    assert result.failed == [poems]
    assert not (tmp_path / "html" / "poems.html").exists() and not (tmp_path / "text" / "poems.txt").exists()
    assert (tmp_path / "html" / "letter.html").exists() and (tmp_path / "text" / "letter.txt").exists()
    index = (tmp_path / "html" / "index.html").read_text()
    assert "letter.html" in index and "poems.html" not in index


def test_invalid_document_not_built_unless_no_validate(tmp_path):
    schema = BUILD / "tiny.rng"
    validator = Validator(schema=schema)
    result = build(
        [EDITION / "poems.xml", EDITION / "letter.xml"],
        out=tmp_path / "a",
        formats=("text",),
        params={},
        validator=validator,
    )
    assert not result.ok
    bad = {p.file for p in result.report.errors}
    assert bad == {str(result.report.files[1])}  # letter.xml has a <back>, which tiny.rng forbids
    assert _files(tmp_path / "a") == ["text/poems.txt"]
    result = build(
        [EDITION / "poems.xml", EDITION / "letter.xml"],
        out=tmp_path / "b",
        formats=("text",),
        params={},
        validator=None,
    )
    assert result.ok and _files(tmp_path / "b") == ["text/letter.txt", "text/poems.txt"]


def test_reproducible_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    formats = ("html", "text")
    build([EDITION], out=tmp_path / "one", formats=formats, params={}, validator=None)
    # the second build in another process, with another hash seed and two workers
    env = dict(os.environ, PYTHONHASHSEED="12345", SOURCE_DATE_EPOCH="1700000000")
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "teikit",
            "build",
            "--no-validate",
            "--to",
            "html,text",
            "-j",
            "2",
            "--out",
            str(tmp_path / "two"),
            str(EDITION),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    names = _files(tmp_path / "one")
    assert names == _files(tmp_path / "two") and len(names) == 9
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_each_stylesheet_compiled_once_per_run(tmp_path, monkeypatch):
    compiled: list[str] = []

    class Counting(dict):
        def __setitem__(self, key, value):
            compiled.append(Path(key).name)
            super().__setitem__(key, value)

    monkeypatch.setattr(saxon, "_CACHE", Counting())
    build([EDITION], out=tmp_path, formats=("html", "text"), params={}, validator=None, jobs=1)
    assert sorted(compiled) == ["html.xsl", "meta.xsl", "site.xsl", "text.xsl"]


def test_saxon_never_parses_user_files(tmp_path):
    """An external entity in a user file is never resolved: the safe parser rejects it."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    doc = tmp_path / "xxe.xml"
    doc.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&x;</p></body></text></TEI>\n'
    )
    result = build([doc], out=tmp_path / "out", formats=("text",), params={}, validator=None)
    assert not result.ok
    assert len(result.report.problems) == 1 and "xxe.xml:3:" in str(result.report.problems[0])
    assert not any("TOP SECRET" in p.read_text() for p in (tmp_path / "out").rglob("*.txt"))


def test_stylesheets_are_small():
    for xsl in sorted((ROOT / "xslt").rglob("*.xsl")):
        if xsl.parent.name in ("common", "html", "text"):
            assert len(xsl.read_text().splitlines()) <= 400, xsl


def test_unwritable_output_is_a_one_line_problem(tmp_path):
    (tmp_path / "text").write_text("a file where the text folder should be")
    result = build([EDITION / "poems.xml"], out=tmp_path, formats=("text",), params={}, validator=None)
    assert not result.ok
    [problem] = result.report.problems
    assert (problem.engine, problem.file) == ("build", result.report.files[0])
    assert problem.message.startswith("cannot write ") and "File exists" in problem.message
    assert result.written == []
