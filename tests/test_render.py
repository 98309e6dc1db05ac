"""The genres and typography in HTML, plain text and EPUB: one fixture per construct
(tests/cases/render/), its HTML structure checked with XPath and its plain text compared
exactly with tests/cases/render/expected/; Nu checker and EPUBCheck on every output.

Set TEIKIT_UPDATE_EXPECTED=1 to rewrite the expected texts (then read the diff).
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import lxml.html
import pytest

from conftest import CASES
from teikit.publish import build
from teikit.publish.unrendered import count as count_unrendered

RENDER = CASES / "render"
EXPECTED = RENDER / "expected"
NAMES = sorted(p.stem for p in RENDER.glob("*.xml"))


def _build(out: Path, files, formats=("html", "text", "epub"), **params: str) -> Path:
    result = build(files, out=out, formats=formats, params=params, validator=None)
    assert result.ok, [str(p) for p in result.report.problems]
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    return _build(tmp_path_factory.mktemp("render"), sorted(RENDER.glob("*.xml")))


def page(site: Path, name: str):
    return lxml.html.parse(str(site / "html" / f"{name}.html")).getroot()


def classes(el) -> list[str]:
    return el.get("class", "").split()


@pytest.mark.parametrize("name", NAMES)
def test_text_output_exactly(site, name):
    text = (site / "text" / f"{name}.txt").read_text(encoding="utf-8")
    expected = EXPECTED / f"{name}.txt"
    if os.environ.get("TEIKIT_UPDATE_EXPECTED"):
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


def test_typography(site):
    doc = page(site, "typography")
    assert doc.get("lang") == "fr"
    p = doc.xpath("//p[contains(., 'Un mot')]")[0]
    # hi with no rend is emphasis; keywords choose the element or a class
    assert [(e.text, e.get("class")) for e in p.xpath("em")] == [
        ("souligné", "tei-hi"),
        ("souligné", "tei-hi tk-underline"),
    ]
    assert p.xpath("i/text()") == ["italique"] and p.xpath("b/text()") == ["gras"]
    assert p.xpath("sup/text()") == ["2"] and p.xpath("sub/text()") == ["3"] and p.xpath("s/text()") == ["barré"]
    assert p.xpath("span[contains(@class,'tk-smallcaps')]/text()") == ["petites capitales"]
    # @rendition: a class per rendition, its CSS in the head; unsafe CSS is not copied
    assert p.xpath("span[.='rouge']/@class") == ["tei-hi tk-r-red"]
    assert p.xpath("span[.='espacé']/@class") == ["tei-hi tk-r-red tk-r-spaced"]
    assert p.xpath("span[.='méchant']/@class") == ["tei-hi"]
    style = doc.xpath("//head/style/text()")
    assert style == [".tk-r-red { color: #a00000; }\n.tk-r-spaced { letter-spacing: 0.2em; }"]
    # @style, as the header declares CSS
    assert p.xpath("span[.='style']/@style") == ["font-weight: bold"]
    # space is visible and a plain space; lb break="no" joins; a plain lb is a space
    assert p.xpath("span[@class='tei-space']/@style") == ["width: 1.8em"]
    assert "un espace, et un mot coupé, puis une ligne." in " ".join(p.text_content().split())
    assert p.xpath("br") == []
    # pages and columns
    pb = p.xpath("span[@role='doc-pagebreak']")[0]
    assert (pb.get("id"), pb.get("aria-label"), pb.text) == ("tk-page-1", "page 12", "p. 12")
    assert p.xpath("span[contains(@class,'tei-cb')]/text()") == ["col. 2"]
    assert doc.xpath("//div[@role='separator']/@aria-label") == ["section 2"]
    assert [
        classes(x)[-1] for x in doc.xpath("//p[starts-with(.,'Centré') or starts-with(.,'À') or starts-with(.,'En')]")
    ] == [
        "tk-center",
        "tk-right",
        "tk-indent",
    ]
    # authors in display order, labels in French, a table of contents
    assert doc.xpath("string(//p[@class='tk-author'])") == "par Jean Dupont; Claire Martin"
    assert doc.xpath("//nav[@role='doc-toc']/h2/text()") == ["Sommaire"]
    assert doc.xpath("//nav[@role='doc-toc']//a/text()") == ["Premier chapitre", "Second chapitre", "Une section"]
    for href in doc.xpath("//nav[@role='doc-toc']//a/@href"):
        assert doc.xpath(f"//section[@id='{href[1:]}']")


def test_lines_diplomatic_keeps_every_line(tmp_path):
    out = _build(tmp_path, [RENDER / "typography.xml"], ("html", "text"), lines="diplomatic")
    p = page(out, "typography").xpath("//p[contains(., 'Un mot')]")[0]
    assert len(p.xpath("br")) == 1
    assert "un mot coupé, puis\nune ligne." in (out / "text" / "typography.txt").read_text()


def test_drama(site):
    doc = page(site, "drama")
    cast = doc.xpath("//section[contains(@class,'tei-castList')]")[0]
    assert cast.xpath("p[1]/text()") == ["Personen."]
    items = cast.xpath("ul[@class='tk-cast']/li")
    assert [" ".join(" ".join(i.itertext()).replace(" ,", ",").split()) for i in items] == [
        "Der Graf, ein Witwer",
        "Lina Paul seine Kinder",
        "Ein Diener",
    ]
    assert items[1].xpath(".//ul/li/span[@class='tei-role']/text()") == ["Lina", "Paul"]
    assert items[1].xpath(".//p[contains(@class,'tk-group-desc')]/text()") == ["seine Kinder"]
    sp = doc.xpath("//div[contains(@class,'tei-sp')]")
    assert len(sp) == 6
    assert sp[0].xpath("p[@class='tei-speaker']/text()") == ["DER GRAF"]
    speech = sp[0].xpath("div[@class='tk-speech']")[0]
    assert speech.xpath("p[@class='tei-stage']/text()") == ["am Schreibtisch, liest."]
    assert speech.xpath("p/span[contains(@class,'tk-inline-stage')]/text()") == ["Er klingelt."]
    assert sp[2].xpath(".//div[contains(@class,'tei-lg')]/p[@class='tei-l']/text()") == [
        "Morgen, immer morgen sagt er mir,",
        "und heute steh ich wartend hier.",
    ]
    assert doc.xpath("//section[contains(@class,'tk-act')]/h2/text()") == ["Erster Aufzug"]
    assert doc.xpath("//section[contains(@class,'tk-scene')]/h3/text()") == ["Erster Auftritt", "Zweiter Auftritt"]
    assert doc.xpath("//p[contains(@class,'tei-l') and contains(@class,'tk-F')]/text()") == ["Mit einem Brief."]


def test_verse_line_numbers(site):
    doc = page(site, "verse")
    numbered = [(n.text, n.getparent().text_content()) for n in doc.xpath("//span[@class='tk-lineno']")]
    assert numbered == [("5", "5five lines whisper,"), ("10", "10Ten begins where nine had been,")]
    assert doc.xpath("//p[contains(@class,'tk-indent')]/text()") == ["seven close the evening sky."]


def test_documentary_signs_images_and_transcription(site):
    doc = page(site, "documentary")
    p = doc.xpath("//p[contains(., 'ich')]")[0]
    assert p.xpath(".//del/text()") == ["kann", "heut"] and p.xpath(".//ins/text()") == ["will", "morgen"]
    assert p.xpath("span[contains(@class,'tei-unclear')]/@title") == ["unsichere Lesung: illegible"]
    assert p.xpath("span[contains(@class,'tei-gap')]/@title") == ["ausgelassen oder unleserlich: illegible, 2 word"]
    assert p.xpath("span[contains(@class,'tei-damage')]/text()") == ["die Tinte"]
    assert "Geschrieben" in p.text_content()
    legend = doc.xpath("//aside[@class='tk-legend']")[0]
    assert legend.xpath("h2/text()") == ["Zeichen der Edition"]
    assert len(legend.xpath(".//dt")) == 6
    # images: alt from desc or figDesc; a page break links to its facsimile
    assert doc.xpath("//figure[@class='tei-figure']/img/@alt") == ["Eine Skizze des Gartens"]
    assert doc.xpath("//section[@class='tk-facsimile']//img/@alt") == ["Seite 1 des Briefes", "Seite 1v"]
    assert doc.xpath("//a[@class='tk-facs-link']/@href") == ["#f1", "#f2"]
    assert all(doc.xpath(f"//*[@id='{h[1:]}']") for h in doc.xpath("//a[@class='tk-facs-link']/@href"))
    # sourceDoc: a section per surface, each line a paragraph
    surfaces = doc.xpath("//section[@class='tei-sourceDoc']/section")
    assert [s.xpath("h3/text()") for s in surfaces] == [["Seite 1r"], ["Seite 1v"]]
    assert [" ".join(x.text_content().split()) for x in surfaces[0].xpath(".//p[@class='tei-line']")] == [
        "Lieber Paul,",
        "ich kann will dir schreiben",
        "Verte!",
    ]


def test_reading_view(tmp_path):
    out = _build(tmp_path, [RENDER / "documentary.xml"], ("html", "text"), view="reading")
    p = page(out, "documentary").xpath("//p[contains(., 'ich')]")[0]
    assert p.xpath("del") == [] and p.xpath("ins") == []
    assert "ich will dir morgen schreiben." in " ".join(p.text_content().split())
    assert "ich will dir morgen schreiben." in (out / "text" / "documentary.txt").read_text()


@pytest.mark.parametrize(
    "marks,expected",
    [
        ("signs", "Un mot *souligné*, un *italique*"),
        ("labels", "Un mot *souligné*"),
        ("none", "Un mot souligné, un italique"),
    ],
)
def test_text_marks(tmp_path, marks, expected):
    out = _build(tmp_path, [RENDER / "typography.xml", RENDER / "documentary.xml"], ("text",), marks=marks)
    assert expected in (out / "text" / "typography.txt").read_text()
    letter = " ".join((out / "text" / "documentary.txt").read_text().split())
    sample = {
        "signs": "ich ⟦kann⟧ ⸌will⸍ dir",
        "labels": "ich [del: kann] [add: will] dir",
        "none": "ich kann will dir",
    }
    assert sample[marks] in letter


def test_apparatus(site):
    doc = page(site, "apparatus")
    refs = doc.xpath("//span[@class='tei-app']")
    assert [r.get("id") for r in refs] == ["tk-app-a", "tk-app-b", "tk-app-c", "tk-app-d"]
    assert refs[0].text_content() == "virumquea"
    entries = doc.xpath("//section[@class='tk-apparatus']/ol/li")
    assert [" ".join(e.text_content().split()) for e in entries] == [
        "a virumque] A B; virosque C",
        "b fato] A; facto B C",
        "c Laviniaque A B; Lavinaque C",
        "d om.] A B C; om. C",
    ]
    # both ways
    assert refs[0].xpath("sup/a/@href") == ["#tk-appnote-a"] and entries[0].xpath("a/@href") == ["#tk-app-a"]
    sigla = doc.xpath("//table[@class='tk-sigla-table']//tr")
    assert [(r.xpath("string(th)"), " ".join(r.xpath("string(td)").split())) for r in sigla] == [
        ("A", "Codex A, 10th century"),
        ("B", "Codex B, 12th century"),
        ("C", "Codex C, printed 1502"),
    ]


def test_manuscript_descriptions(site):
    doc = page(site, "msdesc")
    assert doc.xpath("//nav[@class='tk-ms-index']//a/@href") == ["#ms-a12", "#ms-b3", "#ms-c7"]
    ms = doc.xpath("//section[@id='ms-a12']")[0]
    assert ms.xpath("h2/text()") == ["Zürich, Zentralbibliothek, Ms. A 12 (Psalter with calendar)"]
    assert ms.xpath("section/h3/text()") == ["Contents", "Physical description", "History", "Further information"]
    assert [" ".join(i.text_content().split()) for i in ms.xpath(".//p[@class='tk-ms-item-head']")] == [
        "1. ff. 1r-6v. Calendar. Latin",
        "2. ff. 7r-120v. Psalter. Inc. Beatus vir qui non abiit Expl. omnis spiritus laudet dominum",
    ]
    assert "120 leaves 210 × 150 mm" in " ".join(ms.text_content().split())
    assert doc.xpath("//section[@id='ms-c7']/section[contains(@class,'tei-msPart')]/h3/text()") == [
        "Part: F III 7, part 2"
    ]
    # a header's msDesc is shown whole after the title block
    epi = page(site, "epidoc")
    assert epi.xpath("//details[@class='tk-header-msdesc']/summary/text()") == ["Manuscript description"]
    assert "stele of limestone." in epi.xpath("string(//details)")


def test_dictionary(site):
    doc = page(site, "dictionary")
    apple = doc.xpath("//article[@id='apple']")[0]
    assert " ".join(apple.xpath("string(p[@class='tk-headword'])").split()) == "apple /ˈæp.əl/ noun, n pl apples"
    senses = apple.xpath("ol[@class='tk-senses']/li")
    assert [s.xpath("string(span[@class='tk-sense-n'])") for s in senses] == ["1.", "2."]
    assert senses[0].xpath(".//span[contains(@class,'tk-example')]/q/text()") == ["She ate an apple."]
    assert senses[0].xpath(".//span[contains(@class,'tk-translation')]/@lang") == ["de"]
    assert senses[1].xpath("ol/li//span[@class='tei-def']/text()") == ["Its wood."]
    assert apple.xpath("p[@class='tei-etym']/span[@class='tk-label']/text()") == ["Etymology: "]
    assert apple.xpath("p[contains(@class,'tei-xr')]/a/@href") == ["#arbor"]
    assert doc.xpath("//nav[@class='tk-az']//a/text()") == ["A", "B"]
    assert doc.xpath("//div[contains(@class,'tei-superEntry')]//sup[@class='tk-homograph']/text()") == ["1", "2"]


def test_epigraphy_leiden(site):
    doc = page(site, "epidoc")
    ed = doc.xpath("//p[contains(@class,'tk-leiden')]")[0]
    text = " ".join(ed.text_content().split())
    for sign in (
        "D(is) M(anibus)",
        "Iuli[ae] [...]",
        "vixi\u0323t",
        "annis XX - - - - - -",
        "⟦Caesaris⟧ ⟨et⟩ {s}fecit",
        "\\sibi/",
        "vac.",
    ):
        assert sign in text, sign
    assert [n.text for n in ed.xpath("span[@class='tk-lineno']")] == ["1", "5"]
    assert len(ed.xpath("br")) == 5
    assert doc.xpath("//section[contains(@class,'tei-div')]/h2/text()") == [
        "Edition",
        "Translation",
        "Commentary",
        "Bibliography",
    ]


def test_every_page_has_no_vnu_errors(site):
    from test_build_html import vnu_errors

    assert vnu_errors(sorted((site / "html").glob("*.html"))) == []


def test_every_epub_passes_epubcheck(site):
    from teikit.publish import epub_check

    reason = epub_check.available()
    if reason:
        pytest.skip(reason)
    results = epub_check.check(sorted((site / "epub").glob("*.epub")))
    assert [str(m) for r in results for m in r.errors + r.warnings] == []


def test_epub_page_list(site):
    with zipfile.ZipFile(site / "epub" / "documentary.epub") as z:
        nav = z.read("OEBPS/nav.xhtml").decode()
        body = z.read("OEBPS/text/documentary.xhtml").decode() if "OEBPS/text/documentary.xhtml" in z.namelist() else ""
    assert 'epub:type="page-list"' in nav
    assert (
        re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', nav.split('epub:type="page-list"')[1])
        == [
            ("documentary.xhtml#tk-page-1", "1r"),
            ("documentary.xhtml#tk-page-2", "1v"),
        ]
        or body
    )


def test_report_unrendered_counts_generic_elements(site, tmp_path):
    from teikit.publish.unrendered import report

    found = report([CASES / "build" / "anytei" / "play.xml"])
    assert [str(u) for u in found] == ["play.xml: <widgetBlock>: 1 element, 6 words (13.0% of 46)"] or [
        (u.name, u.count, u.words) for u in found
    ] == [("widgetBlock", 1, 6)]
    assert report(sorted(RENDER.glob("*.xml"))) == []
    html = '<html><body><article><p>a b</p><div data-tk-generic="x">c d <span data-tk-generic="x">e</span></div></article></body></html>'
    assert [(u.name, u.count, u.words, u.total) for u in count_unrendered(html, "f")] == [("x", 2, 3, 5)]


def test_title_once(tmp_path):
    """A first heading that repeats the title block's title is not shown again (its words stay, in the title)."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "once.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc><titleStmt><title>The Title</title>'
        "</titleStmt><publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>Made up.</p></sourceDesc></fileDesc>"
        "</teiHeader><text><body><div><head>The title.</head><p>Words.</p></div><div><head>Two</head><p>More.</p></div>"
        "</body></text></TEI>"
    )
    out = _build(tmp_path / "out", [src], ("html", "text"))
    doc = page(out, "once")
    assert doc.xpath("//h1/text()") == ["The Title"] and doc.xpath("//h2[contains(@class,'tei-head')]/text()") == [
        "Two"
    ]
    assert (out / "text" / "once.txt").read_text().count("itle") == 1
