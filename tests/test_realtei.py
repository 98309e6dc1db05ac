"""TEI as projects write it (hand-made fixtures in the shapes of EpiDoc,
drama, dictionary, letter and documentary-transcription projects): every
document builds in every format, nothing is lost, and validation by
default reports each file's own problems and goes on."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import CASES
from teikit import corpus, xmlio
from teikit.cli import cli
from teikit.publish import build, coverage

HERE = CASES / "realtei"
DOCS = ["drama", "eng-deu", "epidoc-inscription", "greek-names", "lat-deu", "letter", "sourcedoc"]
SKIPPED = [
    'catalog.xml: note: skipped: not a TEI document (its root element is "{urn:oasis:names:tc:entity:xmlns:xml:catalog}catalog") [discover]',
    "dictionary/entries/a.xml: note: skipped: included by dictionary/eng-deu.tei (XInclude): part of that document [discover]",
    "dictionary/entries/b.xml: note: skipped: included by dictionary/eng-deu.tei (XInclude): part of that document [discover]",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("realtei")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")  # dcterms:modified needs no fallback
        return out, build([HERE], out=out, formats=("html", "text", "epub"), params={}, validator=None)


def _shown(problem) -> str:
    return str(problem).replace(corpus.display_name(HERE) + "/", "").replace(corpus.display_name(HERE), "D")


def test_every_document_builds_in_every_format(built):
    out, result = built
    assert result.failed == [] and result.report.errors == []
    for fmt, ext in (("html", "html"), ("text", "txt"), ("epub", "epub")):
        assert sorted(p.stem for p in (out / fmt).glob(f"*.{ext}") if p.stem not in ("index", "edition")) == DOCS
    assert [_shown(p) for p in result.report.skipped] == SKIPPED
    assert result.summary().endswith("; 0 failed; 3 skipped")


def test_word_coverage_of_every_document(built):
    out, _ = built
    for f in corpus.find([HERE]).files:
        doc = xmlio.load(f, f.name, [HERE])
        text = (out / "text" / f"{f.stem}.txt").read_text(encoding="utf-8")
        share = coverage.coverage(coverage.source_words(doc.root), coverage.words(text))
        assert share >= 0.97, f.name


def test_warnings_are_the_documented_fallbacks_and_the_unknown_language(built):
    _, result = built
    rules = sorted((p.file.rsplit("/", 1)[-1], p.rule) for p in result.report.warnings)
    assert rules == [
        ("eng-deu.tei", "epub-metadata"),  # no idno: urn:uuid from the content
        ("greek-names.xml", "epub-metadata"),
        ("greek-names.xml", "lang"),  # xml:lang="elvish"
        ("lat-deu.tei", "epub-metadata"),
        ("lat-deu.tei", "epub-metadata"),  # and no language: und
        ("sourcedoc.xml", "epub-metadata"),
    ]
    html = (built[0] / "html" / "greek-names.html").read_text(encoding="utf-8")
    assert 'lang="el"' in html and 'lang="la"' in html and 'lang="English"' not in html and 'lang="en"' in html
    assert 'lang=""' not in html and "elvish" not in html.split("<body", 1)[1].split(">mellon", 1)[0][-60:]


def test_epub_language_tags_are_those_of_the_html(built):
    """The EPUB's XHTML gets the same BCP 47 map as the HTML: no language name, no unknown value."""
    with zipfile.ZipFile(built[0] / "epub" / "greek-names.epub") as z:
        xhtml = z.read("OEBPS/greek-names.xhtml").decode("utf-8")
    langs = set(re.findall(r'\blang="([^"]*)"', xhtml))
    assert {"el", "la", "en"} <= langs and not langs & {"English", "greek", "elvish", ""}


def test_validate_by_default_reports_each_files_own_problem(runner, monkeypatch, tmp_path):
    result = runner.invoke(cli, ["validate", "--no-references", str(HERE)])
    assert result.exit_code == 1
    errors = [
        line.split(": error: ")[0].rsplit("/", 1)[-1] for line in result.stdout.splitlines() if ": error: " in line
    ]
    assert errors == ["lat-deu.tei:7:1", "epidoc-inscription.xml:2:1"]  # P4 against tei_all; an unmapped http href
    assert result.stdout.splitlines()[-1] == "7 files: 5 valid, 2 invalid; 2 errors, 0 warnings; 3 skipped"
    mapped = runner.invoke(
        cli, ["validate", "-q", "--no-references", "--catalog", str(HERE / "catalog.xml"), str(HERE)]
    )
    assert next(line for line in mapped.stdout.splitlines() if ": error: " in line).endswith(
        'element "TEI.2" (in no namespace) not allowed here; expected element "tei:TEI" or "tei:teiCorpus" '
        "(tei = http://www.tei-c.org/ns/1.0) [rng]"
    )


def test_a_folder_with_no_tei_is_a_usage_error(runner, tmp_path: Path):
    (tmp_path / "page.xml").write_text("<html/>")
    for command in (["validate"], ["build", "--out", str(tmp_path / "out")], ["deposit", "--out", str(tmp_path / "d")]):
        result = runner.invoke(cli, [*command, str(tmp_path)])
        assert (result.exit_code, result.stderr) == (2, f"Error: no TEI files found in {tmp_path}\n"), command


def test_glob_chooses_the_files_below_folders(runner):
    result = runner.invoke(cli, ["validate", "--no-references", "--glob", "*.tei", str(HERE)])
    assert result.stdout.splitlines()[-1] == "2 files: 1 valid, 1 invalid; 1 error, 0 warnings"


def test_each_format_succeeds_or_fails_on_its_own(tmp_path, monkeypatch):
    from teikit.problems import ERROR, Problem
    from teikit.publish.epub import EpubBuilder, EpubError

    def fail(self, doc, target, **kwargs):
        raise EpubError(Problem(doc.display, 1, 1, ERROR, "build", "no EPUB today", rule="epub-test"))

    monkeypatch.setattr(EpubBuilder, "document", fail)
    result = build([HERE / "drama.xml"], out=tmp_path, formats=("html", "text", "epub"), params={}, validator=None)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in result.written) == [
        "html/drama.html",
        "html/index.html",
        "html/teikit.css",
        "html/teikit.js",
        "text/drama.txt",
    ]
    assert [str(p).rsplit("/", 1)[-1] for p in result.report.errors] == [
        "drama.xml:1:1: error: no EPUB today [build:epub-test]"
    ]
    index = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "../text/drama.txt" in index and "../epub/drama.epub" not in index
