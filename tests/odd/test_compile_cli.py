"""teikit odd compile, validation straight from an ODD, and the offline catalog of official TEI schema URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from oddcase import odd_text

from teikit.cli import cli
from teikit.odd import cache, catalog

RNG = "{http://relaxng.org/ns/structure/1.0}"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
DOC = """<?xml version="1.0"?>
{model}<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>
<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>x <hi>y</hi></p></body></text></TEI>
"""
DELETE_HI = '<elementSpec ident="hi" mode="delete"/>'


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(folder))
    return folder


def run(*args: str) -> tuple[int, str, str]:
    """Exit code, what was written to stdout, and everything written (stdout and stderr together)."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.output


def test_compile_writes_relaxng_with_schematron(tmp_path: Path) -> None:
    odd = tmp_path / "t.odd"
    odd.write_text(odd_text(""), encoding="utf-8")
    code, _, everything = run("odd", "compile", str(odd), "-o", str(tmp_path / "t.rng"))
    assert (code, everything) == (0, "")
    root = etree.parse(str(tmp_path / "t.rng")).getroot()
    assert root.tag == f"{RNG}grammar" and root.get("ns") == "http://www.tei-c.org/ns/1.0"
    assert any(True for _ in root.iter(f"{SCH}rule"))


def test_compile_to_schematron_on_stdout(tmp_path: Path) -> None:
    odd = tmp_path / "t.odd"
    odd.write_text(odd_text(""), encoding="utf-8")
    code, out, _ = run("odd", "compile", str(odd), "--to", "sch")
    assert code == 0
    assert etree.fromstring(out.encode()).tag == f"{SCH}schema"


def test_compile_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("odd", "compile", str(tmp_path / "none.odd"))
    assert code == 2 and err.startswith("Error: ") and err.rstrip().endswith("none.odd: no such file")


def test_compile_bad_odd_is_one_line(tmp_path: Path) -> None:
    odd = tmp_path / "bad.odd"
    odd.write_text(odd_text('<elementRef key="nosuch"/>'), encoding="utf-8")
    code, _, err = run("odd", "compile", str(odd))
    assert code == 2 and err.count("\n") == 1 and "nosuch" in err


def test_validate_with_an_odd_as_schema(tmp_path: Path, own_cache: Path) -> None:
    odd = tmp_path / "nohi.odd"
    odd.write_text(odd_text(DELETE_HI), encoding="utf-8")
    doc = tmp_path / "d.xml"
    doc.write_text(DOC.format(model=""), encoding="utf-8")
    code, _, err = run("validate", "--schema", str(odd), "--no-references", str(doc))
    assert code == 1 and 'element "hi" not allowed' in err
    cached = list((own_cache / "teikit" / "odd").glob("nohi-*.rng"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    code, _, _ = run("validate", "--schema", str(odd), "--no-references", str(doc))
    assert code == 1 and cached[0].stat().st_mtime_ns == stamp  # the second run reads the cache


def test_cache_key_follows_the_odd(tmp_path: Path) -> None:
    odd = tmp_path / "k.odd"
    odd.write_text(odd_text(""), encoding="utf-8")
    first = cache.cache_key(odd, None)
    odd.write_text(odd_text(DELETE_HI), encoding="utf-8")
    assert cache.cache_key(odd, None) != first


def test_xml_model_pointing_at_an_odd(tmp_path: Path) -> None:
    (tmp_path / "nohi.odd").write_text(odd_text(DELETE_HI), encoding="utf-8")
    doc = tmp_path / "d.xml"
    model = '<?xml-model href="nohi.odd" schematypens="http://www.tei-c.org/ns/1.0"?>\n'
    doc.write_text(DOC.format(model=model), encoding="utf-8")
    code, _, err = run("validate", "--no-references", str(doc))
    assert code == 1 and 'element "hi" not allowed' in err


@pytest.mark.parametrize(
    "href",
    [
        "https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_lite.rng",
        "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_lite.rnc",
    ],
)
def test_official_url_resolves_offline(tmp_path: Path, href: str) -> None:
    doc = tmp_path / "d.xml"
    kind = "http://relaxng.org/ns/structure/1.0" if href.endswith(".rng") else ""
    attrs = f'href="{href}"' + (f' schematypens="{kind}"' if kind else ' type="application/relax-ng-compact-syntax"')
    doc.write_text(DOC.format(model=f"<?xml-model {attrs}?>\n"), encoding="utf-8")
    code, _, err = run("validate", "--no-references", str(doc))
    assert (code, err.splitlines()[-1]) == (0, "1 file: 1 valid, 0 invalid; 0 errors, 0 warnings")


def test_catalog_knows_every_exemplar() -> None:
    names = catalog.official_names()
    assert {"tei_all", "tei_lite", "tei_bare", "tei_simplePrint", "tei_ms", "tei_drama", "tei_speech"} <= set(names)
    assert catalog.official_odd("https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_nothing.rng") is None
    assert catalog.official_odd("https://example.org/tei_all.rng") is None


def test_version_names_the_tei_edition() -> None:
    code, out, _ = run("--version")
    assert code == 0 and "P5 Version 4.10.0a" in out
