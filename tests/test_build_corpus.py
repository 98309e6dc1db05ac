"""Any TEI, not only ours: every file of ../shared/corpus builds to HTML and plain text
(with --no-validate), the HTML has no vnu errors, and no word of the TEI text is dropped.

One build of the whole corpus (ELTeC novels, Schnitzler letters and register files) is
shared by the tests of this module.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import need_shared
from teikit import xmlio
from teikit.publish import build
from test_build_html import vnu_errors

TEI = "{http://www.tei-c.org/ns/1.0}"
# the readings the default choice policy (corr, reg, expan) does not give
_PREFS = ("corr", "reg", "expan")


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    corpus = need_shared("corpus")
    files = sorted(corpus.rglob("*.xml"))
    out = tmp_path_factory.mktemp("corpus")
    result = build([corpus], out=out, formats=("html", "text"), params={}, validator=None, jobs=2)
    return files, out, result


def test_every_corpus_file_builds(corpus_build):
    files, out, result = corpus_build
    assert len(files) == 99 + 148 + 2
    assert [str(p) for p in result.report.errors] == []
    # the corpus's own slips are warned about, never fatal: xml:lang values no registry knows ("sp")
    # and EPUB metadata the headers lack (documented fallbacks)
    assert {p.rule for p in result.report.warnings} <= {"lang", "epub-metadata"}
    assert result.ok and result.failed == []
    texts = sorted(p.stem for p in (out / "text").glob("*.txt"))
    assert texts == sorted(f.stem for f in files)
    pages = sorted(p.stem for p in (out / "html").glob("*.html") if not re.search(r"^register-|-part\d+$", p.stem))
    # the two register files become register.html (and its pages); every other file its own page (and its parts)
    assert pages == sorted([f.stem for f in files if f.parent.name != "indices"] + ["index", "register"])


def test_no_corpus_page_exceeds_a_megabyte(corpus_build):
    """The 2,393 places and 583 organisations are split into pages, and the long novels into parts."""
    _, out, _ = corpus_build
    sizes = {p.name: p.stat().st_size for p in (out / "html").glob("*.html")}
    assert {n: s for n, s in sizes.items() if s > 1_000_000} == {}
    assert len([n for n in sizes if n.startswith("register-place-")]) > 20
    assert any(re.search(r"-part2\.html$", n) for n in sizes)


def test_corpus_html_has_no_vnu_errors(corpus_build):
    _, out, _ = corpus_build
    pages = sorted((out / "html").glob("*.html"))
    errors = vnu_errors(pages)
    assert errors == [], "\n".join(errors[:20])


def _skipped_readings(text_el) -> set:
    """choice children the default policy does not show."""
    skipped = set()
    for choice in text_el.iter(f"{TEI}choice"):
        kids = [k for k in choice if isinstance(k.tag, str)]
        chosen = next((k for p in _PREFS for k in kids if etree.QName(k).localname == p), kids[0] if kids else None)
        skipped.update(k for k in kids if k is not chosen)
    return skipped


def tei_words(path: Path) -> set[str]:
    doc = xmlio.parse(path)
    words: set[str] = set()
    for text_el in doc.root.iter(f"{TEI}text"):
        if text_el.getparent() is not None and text_el.getparent().tag == f"{TEI}text":
            continue
        skipped = _skipped_readings(text_el)
        for node in text_el.xpath(".//text()"):
            el = node.getparent()
            if any(a in skipped for a in el.iterancestors()) or el in skipped:
                continue
            words.update(re.findall(r"\w+", str(node)))
    return words


def test_every_word_of_the_tei_text_is_in_the_plain_text(corpus_build):
    """Unknown elements are rendered as their text, never dropped."""
    files, out, _ = corpus_build
    missing = {}
    for f in files:
        text = (out / "text" / f"{f.stem}.txt").read_text(encoding="utf-8")
        flat = " ".join(text.split())
        have = set(re.findall(r"\w+", text))
        # a word split by inline markup (Tau<g>s</g>end) is one word in the output: a substring then
        lost = sorted(w for w in tei_words(f) - have if w not in flat)
        if lost:
            missing[f.name] = lost[:10]
    assert missing == {}


def test_corpus_plain_text_is_clean(corpus_build):
    """UTF-8, no tabs, no trailing (also no-break) spaces, no runs of blank lines, one final newline."""
    files, out, _ = corpus_build
    bad = {}
    for f in files:
        text = (out / "text" / f"{f.stem}.txt").read_bytes().decode("utf-8")
        issues = [
            name
            for name, found in (
                ("tab", "\t" in text),
                ("blank lines", "\n\n\n" in text),
                ("trailing space", any(line != line.rstrip() for line in text.splitlines())),
                ("end", not text.endswith("\n") or text.endswith("\n\n")),
                ("private-use marker", "\ue000" in text),
            )
            if found
        ]
        if issues:
            bad[f.name] = issues
    assert bad == {}
