"""The stylesheets assume no cardinality TEI does not guarantee: generated and fuzzed documents build in
every format with no XSLT dynamic error and no Python traceback."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from support import buildcheck, rnggen, rnggrammar, teifuzz
from support import jing as jingrun

RANDOM_DOCS = 10  # beyond those that cover every element: unsteered shapes, and as many of each as allowed
FUZZ_DOCS = 80


def _generated(tei_all: Path, folder: Path) -> tuple[list[Path], rnggen.Generator]:
    gen = rnggen.Generator(rnggrammar.load(tei_all), seed=5)
    docs = gen.cover(max_docs=40)
    docs += [gen.document(10_000 + n, steer=False) for n in range(RANDOM_DOCS)]
    plenty = rnggen.Generator(gen.grammar, seed=6, plenty=True)
    docs += [plenty.document(20_000 + n, steer=False) for n in range(RANDOM_DOCS)]
    files = []
    for n, doc in enumerate(docs):
        path = folder / f"gen{n:03}.xml"
        root = buildcheck.epub_ready(doc.root, path.stem) if n % 2 == 0 else doc.root
        path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
        files.append(path)
    return files, gen


def test_documents_generated_from_tei_all_build_in_every_format(tmp_path, tei_all, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    src = tmp_path / "src"
    src.mkdir()
    files, gen = _generated(tei_all, src)
    assert gen.uncovered() == []  # every element of tei_all is in some document
    if jingrun.available():  # the documents, with their EPUB-ready headers, are what tei_all accepts
        assert {f.name: e for f, e in jingrun.run(tei_all, files).items() if e} == {}
    counts = buildcheck.element_counts(files)
    names = {el.nc.clark() for el in gen.grammar.elements if isinstance(el.nc, rnggrammar.Name)}
    assert len(names) == 588 and names <= set(counts)
    result = buildcheck.build_everything(src, tmp_path / "out")
    assert [str(p) for p in buildcheck.crashes(result)] == []
    written = buildcheck.outputs(result)
    assert written["html"] >= 10 and written["epub"] >= 10, written


def test_fuzzed_tei_documents_build_in_every_format(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    src = tmp_path / "src"
    src.mkdir()
    for seed in range(FUZZ_DOCS):
        root = teifuzz.Fuzzer(seed).document()
        if seed % 3 == 0:  # a third get what an EPUB needs, so the EPUB stylesheets see them too
            root = buildcheck.epub_ready(root, str(seed))
        (src / f"fuzz{seed:03}.xml").write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    result = buildcheck.build_everything(src, tmp_path / "out")
    assert [str(p) for p in buildcheck.crashes(result)] == []
    written = buildcheck.outputs(result)
    assert written["html"] >= FUZZ_DOCS // 4 and written["epub"] >= FUZZ_DOCS // 4, written


def test_fuzz_is_deterministic():
    assert teifuzz.document(3) == teifuzz.document(3)
    assert teifuzz.document(3) != teifuzz.document(4)


SHAPES = {
    # the header of every case has two resp in a respStmt and two availability, found by generation
    "plain": "",
    "lines": '<lg><l part="I">one</l><l part="F">two</l></lg>',
}


def test_shapes_found_by_generation_build(tmp_path):
    header = (
        "<teiHeader><fileDesc><titleStmt><title>T</title><respStmt><resp>translated by</resp><resp>edited by</resp>"
        "<name>N</name></respStmt></titleStmt><publicationStmt><availability><p>a</p></availability>"
        "<availability><p>b</p></availability></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>"
    )
    src = tmp_path / "src"
    src.mkdir()
    for name, body in SHAPES.items():
        (src / f"{name}.xml").write_text(
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en" xml:id="d-{name}">{header}'
            f"<text><body><div>{body}<p>text</p></div></body></text></TEI>"
        )
    result = buildcheck.build_everything(src, tmp_path / "out")
    assert [str(p) for p in buildcheck.crashes(result)] == []
    assert buildcheck.outputs(result)["html"] >= len(SHAPES)
