"""teikit build --to html: structure, links both ways, register, title block, vnu."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lhtml

from conftest import CASES, ROOT
from teikit.publish import build

EDITION = CASES / "build" / "edition"


def vnu_jar() -> str:
    """The Nu HTML checker's jar, or skip."""
    candidates = [os.environ.get("VNU_JAR", "")]
    npm = shutil.which("npm")
    if npm:
        root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
        candidates.append(f"{root}/vnu-jar/build/dist/vnu.jar")
    for c in candidates:
        if c and Path(c).is_file() and shutil.which("java"):
            return c
    pytest.skip("vnu-jar is not installed (CI installs it with npm; see .ci/run)")


def vnu_errors(files: list[Path]) -> list[str]:
    """All vnu error lines for the files (one JVM for all)."""
    jar = vnu_jar()
    res = subprocess.run(
        ["java", "-jar", jar, "--errors-only", "--exit-zero-always", *map(str, files)], capture_output=True, text=True
    )
    return [line for line in (res.stdout + res.stderr).splitlines() if line.strip()]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    result = build([EDITION], out=out, formats=("html",), params={}, validator=None)
    assert result.ok, [str(p) for p in result.report.problems]
    return out / "html"


def page(site: Path, name: str):
    return lhtml.fromstring((site / name).read_bytes())


def test_vnu_no_errors_on_every_page(site):
    pages = sorted(site.glob("*.html"))
    assert [p.name for p in pages] == ["index.html", "letter.html", "poems.html", "register.html"]
    assert vnu_errors(pages) == []


def test_vnu_no_errors_on_the_edition(tmp_path):
    tei = ROOT / "tei"
    if not any(tei.glob("*.xml")):
        pytest.skip("tei/ holds no edition yet")
    result = build([tei], out=tmp_path, formats=("html",), params={}, validator=None)
    assert result.ok
    assert vnu_errors(sorted((tmp_path / "html").glob("*.html"))) == []


def test_document_structure(site):
    doc = page(site, "letter.html")
    assert doc.get("lang") == "en"
    assert doc.xpath("string(//title)") == "A Letter about Peace"
    article = doc.xpath("//main/article")
    assert len(article) == 1
    assert doc.xpath("//article//section[contains(@class,'tei-div')]/h2/text()") == ["On peace"]
    assert doc.xpath("//section/section/h3/text()") == ["The document"]
    # the quoted document: a blockquote keeping salutation, list and signature
    bq = doc.xpath("//blockquote[contains(@class,'tei-quote')]")
    assert len(bq) == 1
    assert (
        bq[0].xpath("string(.//*[contains(@class,'tei-opener')]/p[contains(@class,'tei-salute')])") == "Dear Comrade,"
    )
    assert [li.text_content().strip() for li in bq[0].xpath(".//ol/li")] == ["To report daily;", "To sign nothing."]
    assert bq[0].xpath("string(.//*[contains(@class,'tei-closer')]/p[contains(@class,'tei-signed')])") == "The Council"
    # lang from xml:lang; a word split by markup stays one word
    assert doc.xpath("//span[@lang='de']/text()") == ["Auf Wiedersehen"]
    assert 'Tau<i class="tei-hi tk-italic">s</i>end' in (site / "letter.html").read_text()
    # unknown element: its text, with a class naming it
    assert doc.xpath("//span[@class='tei-mystery']/text()") == ["strange widget"]
    # the default choice policy gives corr, reg, expan
    assert doc.xpath("//span[@class='tei-choice']/span/@class") == ["tei-corr", "tei-reg", "tei-expan"]
    # a Julian date keeps the Gregorian value machine-readable
    t = doc.xpath("//time")[0]
    assert (t.get("datetime"), t.get("title"), t.text) == (
        "1917-11-08",
        "julian: 1917-10-26; Gregorian: 1917-11-08",
        "26 October",
    )


def test_title_block(site):
    doc = page(site, "letter.html")
    header = doc.xpath("//article/header[@class='tk-titleblock']")[0]
    assert [e.text_content() for e in header] == [
        "A Letter about Peace",
        "by Anna Author",
        "Translated by Tom Translator",
        "Source: Anna Author, Letters, 1917.",
        "Licence: CC BY 4.0",
    ]
    assert header.xpath("string(.//a/@href)") == "https://creativecommons.org/licenses/by/4.0/"


def test_note_links_both_ways(site):
    doc = page(site, "letter.html")
    refs = doc.xpath("//a[@role='doc-noteref']")
    assert [a.text for a in refs] == ["1", "2"]
    endnotes = doc.xpath("//section[@role='doc-endnotes']")
    assert len(endnotes) == 1
    for a in refs:
        target = a.get("href")[1:]
        note = doc.xpath(f"//*[@id='{target}']")
        assert len(note) == 1 and note[0].xpath("ancestor::section[@role='doc-endnotes']")
        back = note[0].xpath(".//a[@role='doc-backlink']")[0]
        assert back.get("href") == "#" + a.get("id")
    assert endnotes[0].xpath("string(.//li[@id='n1'])").split() == "1 Written by Lenin in the Julian calendar.".split()
    # the notes division in <back> is not rendered a second time
    assert doc.text_content().count("Written by Lenin") == 1


def test_names_link_to_register_and_back(site):
    doc = page(site, "letter.html")
    names = doc.xpath("//a[starts-with(@href,'register.html#')]")
    assert [(a.get("href"), a.get("id"), a.text_content()) for a in names] == [
        ("register.html#place.petrograd", "tk-m1", "Petrograd"),
        ("register.html#pers.lenin", "tk-m2", "comrade Lenin"),
        ("register.html#pers.lenin", "tk-m3", "Comrade"),
        ("register.html#org.council", "tk-m4", "The Council"),
        ("register.html#pers.lenin", "tk-m5", "Lenin"),
    ]
    reg = page(site, "register.html")
    lenin = reg.xpath("//li[@id='pers.lenin']")[0]
    assert lenin.xpath("string(.//strong)") == "Vladimir Ilyich Lenin"
    assert "Chairman of the Council of People's Commissars." in lenin.text_content()
    assert lenin.xpath(".//p[@class='tk-mentions']/a/@href") == [
        "letter.html#tk-m2",
        "letter.html#tk-m3",
        "letter.html#tk-m5",
    ]
    petrograd = reg.xpath("//li[@id='place.petrograd']")[0]
    assert petrograd.xpath(".//p[@class='tk-mentions']/a/@href") == ["letter.html#tk-m1", "poems.html#tk-m1"]
    assert [h.text for h in reg.xpath("//section/h2")] == ["Persons", "Places", "Organisations"]
    # every back-link lands on the name that links to the entry
    for a in reg.xpath("//p[@class='tk-mentions']/a"):
        name, anchor = a.get("href").split("#")
        target = page(site, name).xpath(f"//*[@id='{anchor}']")[0]
        assert target.get("href") == "register.html#" + a.xpath("ancestor::li[1]/@id")[0]


def test_index_lists_documents(site):
    idx = page(site, "index.html")
    assert [(a.get("href"), a.text) for a in idx.xpath("//ul[@class='tk-documents']/li/a[@class='tk-doc-title']")] == [
        ("letter.html", "A Letter about Peace"),
        ("poems.html", "Gedichte"),
    ]
    assert idx.xpath("//ul/li[a='Gedichte']/@lang") == ["de"]
    assert idx.xpath("//a[.='Register of names']/@href") == ["register.html"]


def test_own_css_no_script_nothing_from_the_network(site):
    assert vnu_errors(["--css", site / "teikit.css"]) == []
    css = (site / "teikit.css").read_text()
    assert "@media print" in css and "url(" not in css and "@import" not in css
    assert "prefers-color-scheme: dark" in css and len(css.splitlines()) < 260
    for p in site.glob("*.html"):
        doc = page(site, p.name)
        # the register's filter box is the one script: a file of its own, no inline code
        scripts = doc.xpath("//script")
        assert [sc.get("src") for sc in scripts] == (["teikit.js"] if p.name.startswith("register") else [])
        assert all(not (sc.text or "").strip() for sc in scripts)
        assert doc.xpath("//link[@rel='stylesheet']/@href") == ["teikit.css"]
        loads = doc.xpath("//*[@src]/@src | //link/@href")
        assert not [u for u in loads if re.match(r"(https?:)?//", u)]


@pytest.mark.parametrize(
    "choice,expected",
    [
        ("sic", ["tei-sic", "tei-reg", "tei-expan"]),
        ("orig,abbr", ["tei-corr", "tei-orig", "tei-abbr"]),
        ("sic orig abbr", ["tei-sic", "tei-orig", "tei-abbr"]),
    ],
)
def test_choice_param(tmp_path, choice, expected):
    build([EDITION / "letter.xml"], out=tmp_path, formats=("html",), params={"choice": choice}, validator=None)
    doc = page(tmp_path / "html", "letter.html")
    assert doc.xpath("//span[@class='tei-choice']/span/@class") == expected


def test_table_verse_and_line_breaks(site):
    doc = page(site, "poems.html")
    assert doc.get("lang") == "de"
    assert [r.xpath("string(.)") for r in doc.xpath("//table//tr")] == ["JahrOrt", "1917Wien"]
    assert doc.xpath("//table//tr[1]/th/text()") == ["Jahr", "Ort"]
    assert len(doc.xpath("//div[contains(@class,'tei-lg')]/p[@class='tei-l']")) == 2
    # a line beginning in running prose is a space; break="no" joins the word
    p = doc.xpath("//p[contains(.,'Ende')]")[0]
    assert len(p.xpath("br")) == 0 and "Wortbruch." in p.text_content()


def test_notes_param_footnotes_at_the_end_of_each_division(tmp_path):
    build([EDITION / "letter.xml"], out=tmp_path, formats=("html",), params={"notes": "footnotes"}, validator=None)
    doc = page(tmp_path / "html", "letter.html")
    lists = doc.xpath("//section[@role='doc-endnotes']")
    assert len(lists) == 1 and lists[0].get("class") == "tk-footnotes"
    assert lists[0].getparent().xpath("h2/text()") == ["On peace"]
    assert lists[0].xpath("ol/li/@id") == ["n1", "n2"]
    for a in doc.xpath("//a[@role='doc-noteref']"):
        note = doc.xpath(f"//*[@id='{a.get('href')[1:]}']")[0]
        assert note.xpath("a[@role='doc-backlink']/@href") == ["#" + a.get("id")]
    assert vnu_errors([tmp_path / "html" / "letter.html"]) == []


def test_any_tei_pages_have_no_vnu_errors(tmp_path):
    result = build([CASES / "build" / "anytei"], out=tmp_path, formats=("html",), params={}, validator=None)
    assert result.ok
    pages = sorted((tmp_path / "html").glob("*.html"))
    assert [p.name for p in pages] == ["briefe.html", "corpus.html", "index.html", "p4.html", "play.html"]
    assert vnu_errors(pages) == []
    corpus = page(tmp_path / "html", "corpus.html")
    assert corpus.xpath("//section[@class='tk-member']/h2/text()") == ["First text", "Second text"]
    assert corpus.xpath("//section[@class='tk-member'][2]//h3/text()") == ["Echo"]
    p4 = page(tmp_path / "html", "p4.html")
    assert p4.get("lang") == "en" and p4.xpath("//h2/text()")[0] == "Hotel"
    assert p4.xpath("//a[@role='doc-noteref']/text()") == ["1"]
