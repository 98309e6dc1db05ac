"""Which schema applies: options, then xml-model, then
the project's schema; http(s) hrefs only through an XML catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from teikit.corpus import display_name
from teikit.problems import SchemaError
from teikit.validation import Validator
from teikit.validation.catalog import Catalog

RNG_A = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>
  <element name="a"><text/></element></start></grammar>"""
RNG_B = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>
  <element name="b"><text/></element></start></grammar>"""
MODEL = '<?xml-model href="{href}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.rng").write_text(RNG_A)
    (tmp_path / "b.rng").write_text(RNG_B)
    return tmp_path


def problems(path: Path, **options) -> list[str]:
    return [str(p) for p in Validator(references=False, **options).check_file(path)[1]]


def test_xml_model_relative_href_resolves_against_the_document(folder):
    sub = folder / "docs"
    sub.mkdir()
    doc = sub / "d.xml"
    doc.write_text(MODEL.format(href="../a.rng") + "<a>x</a>")
    assert problems(doc) == []
    doc.write_text(MODEL.format(href="../b.rng") + "<a>x</a>")
    assert len(problems(doc)) == 1 and "[rng]" in problems(doc)[0]


def test_schema_option_overrides_xml_model(folder):
    doc = folder / "d.xml"
    doc.write_text(MODEL.format(href="a.rng") + "<a>x</a>")
    assert problems(doc) == []
    out = problems(doc, schema=folder / "b.rng")
    assert len(out) == 1 and out[0].startswith(
        f'{display_name(doc)}:2:1: error: element "a" (in no namespace) not allowed here; expected element "b"'
    )


def test_http_href_without_catalog_is_an_error_of_that_file_with_a_hint(folder):
    doc = folder / "d.xml"
    doc.write_text("<!-- x -->\n  " + MODEL.format(href="https://example.org/schemas/a.rng") + "<a>x</a>")
    assert problems(doc) == [
        f'{display_name(doc)}:2:3: error: RelaxNG xml-model href "https://example.org/schemas/a.rng": '
        "cannot be resolved offline: teikit never fetches schemas from the network; map it to a local file "
        "with an XML catalog (--catalog FILE or XML_CATALOG_FILES), e.g. "
        '<uri name="https://example.org/schemas/a.rng" uri="local/copy.rng"/>, or pass --schema FILE [xml-model]'
    ]


@pytest.mark.parametrize(
    "entry",
    [
        '<uri name="https://example.org/schemas/a.rng" uri="a.rng"/>',
        '<rewriteURI uriStartString="https://example.org/schemas/" rewritePrefix="./"/>',
        '<uriSuffix uriSuffix="/schemas/a.rng" uri="a.rng"/>',
        '<group><system systemId="https://example.org/schemas/a.rng" uri="a.rng"/></group>',
    ],
)
def test_catalog_maps_http_href_to_a_local_file(folder, entry):
    cat = folder / "catalog.xml"
    cat.write_text(f'<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">{entry}</catalog>')
    doc = folder / "d.xml"
    doc.write_text(MODEL.format(href="https://example.org/schemas/a.rng") + "<a>x</a>")
    assert problems(doc, catalog=[cat]) == []
    doc.write_text(MODEL.format(href="https://example.org/schemas/a.rng") + "<b>x</b>")
    assert len(problems(doc, catalog=[cat])) == 1


def test_catalog_from_environment_and_next_catalog(folder, monkeypatch):
    (folder / "inner.xml").write_text(
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        '<uri name="http://x/a.rng" uri="a.rng"/></catalog>'
    )
    (folder / "outer.xml").write_text(
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><nextCatalog catalog="inner.xml"/></catalog>'
    )
    monkeypatch.setenv("XML_CATALOG_FILES", str(folder / "outer.xml"))
    assert Catalog.from_env().resolve("http://x/a.rng") == (folder / "a.rng").as_uri()
    assert Catalog.from_env().resolve("http://x/other.rng") is None


def test_longest_rewrite_prefix_wins(folder):
    cat = folder / "c.xml"
    cat.write_text(
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        '<rewriteURI uriStartString="http://x/" rewritePrefix="one/"/>'
        '<rewriteURI uriStartString="http://x/deep/" rewritePrefix="two/"/></catalog>'
    )
    assert Catalog([cat]).resolve("http://x/deep/s.rng") == (folder / "two" / "s.rng").as_uri()


def test_missing_schema_file_in_xml_model(folder):
    doc = folder / "d.xml"
    doc.write_text(MODEL.format(href="nowhere.rng") + "<a>x</a>")
    assert problems(doc) == [
        f'{display_name(doc)}:1:1: error: RelaxNG xml-model href "nowhere.rng": schema not found '
        f"(looked for {folder / 'nowhere.rng'}); fix the href, map it with --catalog FILE, or pass --schema FILE "
        "[xml-model]"
    ]


def test_missing_schema_option():
    with pytest.raises(SchemaError, match=r"^Error: schema /no/such\.rng does not exist$"):
        Validator(schema=Path("/no/such.rng"))


def test_without_xml_model_the_bundled_tei_all_applies(folder):
    from teikit.validation.schemas import bundled_tei_all

    doc = folder / "d.xml"
    doc.write_text("<a>x</a>")
    choice = Validator().choice_for(__import__("teikit").xmlio.parse(doc))
    assert choice.origin == "bundled" and choice.rng == bundled_tei_all()
    assert choice.schematron == ()  # tei_all's embedded rules run only when --schema names it
    assert bundled_tei_all().read_bytes() == resources_tei_all().read_bytes()


def resources_tei_all() -> Path:
    from conftest import need_shared

    return need_shared("schema", "tei_all.rng")


def test_each_schema_is_compiled_once_per_run(folder):
    for i in range(3):
        (folder / f"d{i}.xml").write_text(MODEL.format(href="a.rng") + "<a>x</a>")
    v = Validator(references=False)
    for i in range(3):
        v.check_file(folder / f"d{i}.xml")
    assert len(v._rng) == 1


def test_schema_errors_have_one_position_and_the_documented_form(folder, tmp_path):
    (tmp_path / "bad.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>\n<element name="a"><text/></start></grammar>\n'
    )
    with pytest.raises(SchemaError) as info:
        Validator(schema=tmp_path / "bad.rng").relaxng(tmp_path / "bad.rng")
    assert str(info.value) == (
        f"{tmp_path / 'bad.rng'}:2:34: error: schema is not well-formed: Opening and ending tag mismatch: "
        "element line 2 and start [schema]"
    )
    (tmp_path / "text.rng").write_text("not xml at all\n")
    with pytest.raises(SchemaError) as info:
        Validator(schema=tmp_path / "text.rng").relaxng(tmp_path / "text.rng")
    assert str(info.value) == (
        f"{tmp_path / 'text.rng'}:1:1: error: schema is not well-formed: Start tag expected, '<' not found [schema]"
    )
    with pytest.raises(
        SchemaError, match=r"^Error: schema /dev/zero is not a regular file \(a device, pipe or socket\)$"
    ):
        Validator(schema=Path("/dev/zero"))


@pytest.mark.parametrize(
    "href,why",
    [
        ("/dev/zero", "/dev/zero is not a regular file (a device, pipe or socket)"),
        ("sub", "{folder}/sub is a folder, not a schema file"),
        ("x" * 300 + ".rng", "{long}… cannot be read (File name too long)"),  # paths are cut to 120 characters
    ],
)
def test_an_href_that_is_no_schema_file_says_what_it_is(folder, href, why):
    (folder / "sub").mkdir()
    doc = folder / "d.xml"
    doc.write_text(MODEL.format(href=href) + "<a>x</a>")
    (message,) = problems(doc)
    shown = href if len(href) <= 120 else href[:119] + "…"
    expected = why.format(folder=folder, long=str(folder / href)[:119])
    assert message == (
        f'{display_name(doc)}:1:1: error: RelaxNG xml-model href "{shown}": {expected}; fix the href, '
        "map it with --catalog FILE, or pass --schema FILE [xml-model]"
    )


def test_compact_syntax_association_and_option(folder):
    (folder / "a.rnc").write_text("start = element a { text }\n")
    doc = folder / "d.xml"
    doc.write_text('<?xml-model href="a.rnc" type="application/relax-ng-compact-syntax"?><a>x</a>')
    assert problems(doc) == []
    doc.write_text('<?xml-model href="a.rnc" type="application/relax-ng-compact-syntax"?><b>x</b>')
    assert len(problems(doc)) == 1
    assert problems(doc, schema=folder / "a.rnc") == problems(doc)
    (folder / "bad.rnc").write_text("start = element a {\n")
    with pytest.raises(SchemaError, match=r"^Error: .*bad\.rnc: RelaxNG compact syntax does not parse"):
        Validator(schema=folder / "bad.rnc")


def test_schema_replaces_every_relaxng_association_and_schematron_adds(folder):
    sch = folder / "s.sch"
    sch.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"><pattern><rule context="a">'
        '<assert test="@n" id="needs-n">a needs @n</assert></rule></pattern></schema>'
    )
    doc = folder / "d.xml"
    doc.write_text(MODEL.format(href="https://nowhere.example/x.rng") + "<a>x</a>")
    v = Validator(schema=folder / "a.rng", schematron=[sch])
    choice = v.choice_for(__import__("teikit").xmlio.parse(doc))
    assert choice.rng == folder / "a.rng" and choice.problems == ()
    assert choice.schematron == (folder / "a.rng", sch)


def test_without_schematron_its_associations_are_not_resolved(folder):
    doc = folder / "d.xml"
    doc.write_text(
        '<?xml-model href="https://nowhere.example/s.sch" schematypens="http://purl.oclc.org/dsdl/schematron"?>'
        + MODEL.format(href="a.rng")
        + "<a>x</a>"
    )
    assert problems(doc, run_schematron=False) == []  # as jing, which reads only the RelaxNG
    assert [p.split(": error: ")[1][:30] for p in problems(doc)] == ['Schematron xml-model href "htt']
