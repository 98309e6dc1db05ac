"""Word coverage and the lost-text warning: the words of the source as
TEI reads them, against the words of the plain-text output."""

from __future__ import annotations

from pathlib import Path

from teikit import xmlio
from teikit.publish import coverage

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/>{}</TEI>'


def _doc(tmp_path: Path, body: str) -> xmlio.ParsedDoc:
    path = tmp_path / "d.xml"
    path.write_text(TEI.format(body), encoding="utf-8")
    return xmlio.parse(path, "d.xml")


def test_words_as_tei_reads_them(tmp_path):
    doc = _doc(
        tmp_path,
        "<text><body><p>Wort<lb break='no'/>bruch and <hi>in</hi>line, end<lb/>of line.</p>"
        "<table><row><cell>Jahr</cell><cell>Ort</cell></row></table>"
        "<p><choice><sic>teh</sic><corr>the</corr></choice> «Quote!»</p></body></text>",
    )
    assert coverage.source_words(doc.root) == coverage.words("wortbruch and inline end of line jahr ort teh the quote")
    assert coverage.words("Hello, hello — WORLD!") == {"hello": 2, "world": 1}


def test_coverage_is_the_share_of_the_source_multiset_found():
    source = coverage.words("a a b c")
    assert coverage.coverage(source, coverage.words("a b c")) == 0.75
    assert coverage.coverage(source, coverage.words("a a b c d")) == 1.0
    assert coverage.coverage(coverage.words(""), coverage.words("x")) == 1.0


def test_source_doc_counts_where_there_is_no_text(tmp_path):
    doc = _doc(tmp_path, "<sourceDoc><surface><line>one two</line><line>three</line></surface></sourceDoc>")
    assert coverage.source_words(doc.root) == coverage.words("one two three")


def test_lost_text_warning_names_the_elements_that_produced_nothing(tmp_path):
    lines = "".join(f"<line>line number {i} of the transcription</line>" for i in range(10))
    doc = _doc(tmp_path, f"<sourceDoc><surface><zone>{lines}</zone></surface></sourceDoc>")
    (warning,) = coverage.check(doc, "Title of the document\n")
    assert str(warning) == (
        "d.xml:1:54: warning: the text output keeps 3% of the source's 60 words (less than 50%); "
        "elements that produced nothing: sourceDoc (60 words) [build:lost-text]"
    )
    assert coverage.check(doc, " ".join(f"line number {i} of the transcription" for i in range(10))) == []


def test_lost_text_names_the_outermost_lost_elements(tmp_path):
    kept = "<p>" + "kept words here " * 3 + "</p>"
    lost = "<div type='apparatus'><listApp><app><lem>alpha beta gamma delta epsilon zeta</lem></app></listApp></div>"
    doc = _doc(tmp_path, f"<text><body>{kept}{lost}{lost}</body></text>")
    (warning,) = coverage.check(doc, "kept words here kept words here kept words here")
    assert warning.message.endswith("elements that produced nothing: div (12 words)")
