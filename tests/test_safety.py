"""Untrusted input: nothing external is read or fetched, by lxml or Saxon.

The fixtures in tests/cases/safety/ point at ``secret.txt`` (an XXE
target) and ``evil.dtd`` (a DTD that would inject an entity and an
attribute default ``rend="DTD-DEFAULT"``).  If either were ever loaded,
"TOPSECRET-42", "INJECTED-BY-DTD" or "DTD-DEFAULT" would show up.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import CASES
from teikit import xmlio
from teikit.cli import cli

SAFETY = CASES / "safety"
LEAKS = ("TOPSECRET-42", "INJECTED-BY-DTD", "DTD-DEFAULT")

REJECTED = {
    "xxe.xml": "xxe.xml:6:21: error: Entity 'x' not defined (external entities and DTDs are never loaded) [xml]",
    "local-dtd-entity.xml": "local-dtd-entity.xml:4:23: error: Entity 'inj' not defined "
    "(external entities and DTDs are never loaded) [xml]",
    "parameter-entity.xml": "parameter-entity.xml:4:7: error: Entity 'pe' not defined "
    "(external entities and DTDs are never loaded) [xml]",
}


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_external_entities_are_rejected_with_location(name):
    with pytest.raises(xmlio.XMLError) as info:
        xmlio.parse(SAFETY / name, name)
    assert str(info.value.problem) == REJECTED[name]
    assert not any(leak in str(info.value) for leak in LEAKS)


def test_billion_laughs_is_stopped():
    with pytest.raises(xmlio.XMLError) as info:
        xmlio.parse(SAFETY / "billion-laughs.xml", "billion-laughs.xml")
    p = info.value.problem
    assert p.file == "billion-laughs.xml" and p.engine == "xml" and p.line is not None
    assert p.message.startswith("entity expansion exceeds the safety limit (billion-laughs attack?)")


@pytest.mark.parametrize("name", ["local-dtd.xml", "http-dtd.xml"])
def test_external_dtd_is_never_loaded(name):
    doc = xmlio.parse(SAFETY / name, name)
    p = doc.root.find(".//{http://www.tei-c.org/ns/1.0}p")
    assert p.get("rend") is None  # evil.dtd's ATTLIST default was not applied
    text = xmlio.to_saxon_text(doc)
    assert "DOCTYPE" not in text and not any(leak in text for leak in LEAKS)


def test_saxon_reads_the_secret_when_given_the_raw_file():
    """The danger is real: saxonche's own parser resolves the XXE and the DTD."""
    saxonche = pytest.importorskip("saxonche")
    with saxonche.PySaxonProcessor(license=False) as proc:
        raw = str(proc.parse_xml(xml_file_name=str(SAFETY / "xxe.xml")))
        dtd = str(proc.parse_xml(xml_file_name=str(SAFETY / "local-dtd.xml")))
    assert "TOPSECRET-42" in raw and 'rend="DTD-DEFAULT"' in dtd


@pytest.mark.parametrize("name", ["local-dtd.xml", "http-dtd.xml"])
def test_saxon_gets_only_safe_text(name):
    """Schematron and the build hand Saxon xmlio.to_saxon_text(): no DTD, no entity."""
    saxonche = pytest.importorskip("saxonche")
    doc = xmlio.parse(SAFETY / name, name)
    with saxonche.PySaxonProcessor(license=False) as proc:
        node = proc.parse_xml(xml_text=xmlio.to_saxon_text(doc))
        xp = proc.new_xpath_processor()
        xp.set_context(xdm_item=node)
        xp.declare_namespace("t", "http://www.tei-c.org/ns/1.0")
        assert xp.evaluate_single("string(//t:p)").get_string_value() == "x"
        assert xp.evaluate_single("count(//t:p/@rend)").get_string_value() == "0"
        assert not any(leak in str(node) for leak in LEAKS)


ALL = ["xxe.xml", "local-dtd.xml", "local-dtd-entity.xml", "http-dtd.xml", "parameter-entity.xml", "billion-laughs.xml"]


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github"])
def test_validate_cli_reports_and_leaks_nothing(runner, fmt):
    args = ["validate", "--format", fmt] + [str(SAFETY / n) for n in ALL]
    # the two DTD-only files are well-formed: validate them against a small schema by xml-model
    result = runner.invoke(cli, args)
    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert not any(leak in out for leak in LEAKS)
    assert "Traceback" not in out


def test_validate_cli_exit_and_messages(runner, tmp_path):
    for name in ("local-dtd.xml", "http-dtd.xml"):
        text = (
            (SAFETY / name)
            .read_text()
            .replace(
                "<TEI ",
                f'<?xml-model href="{(SAFETY / "tiny.rng").as_uri()}"'
                ' schematypens="http://relaxng.org/ns/structure/1.0"?>\n<TEI ',
                1,
            )
        )
        (tmp_path / name).write_text(text)
    shutil.copy(SAFETY / "evil.dtd", tmp_path / "evil.dtd")
    shutil.copy(SAFETY / "xxe.xml", tmp_path / "xxe.xml")
    shutil.copy(SAFETY / "secret.txt", tmp_path / "secret.txt")
    result = runner.invoke(cli, ["validate", "--no-references", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.endswith("xxe.xml:6:21: error: Entity 'x' not defined (external entities and DTDs are never loaded) [xml]")
        for line in lines
    ), result.output
    assert not any(leak in result.output for leak in LEAKS)


def test_billion_laughs_cli_is_quick_and_clear():
    """A separate process, so a runaway expansion could not hang the test run."""
    proc = subprocess.run(
        [sys.executable, "-m", "teikit", "validate", str(SAFETY / "billion-laughs.xml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "billion-laughs" in proc.stdout and "Traceback" not in proc.stdout + proc.stderr


# -- the Saxon paths: Schematron and the build --------------------------------
XXE_LINE = "xxe.xml:6:21: error: Entity 'x' not defined (external entities and DTDs are never loaded) [xml]"


def test_schematron_path_reads_nothing(runner, monkeypatch):
    """probe.sch reports each p's text and @rend as Saxon sees them."""
    monkeypatch.chdir(SAFETY)
    r = runner.invoke(
        cli, ["validate", "--no-references", "--schematron", "probe.sch", "local-dtd.xml", "http-dtd.xml", "xxe.xml"]
    )
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert "local-dtd.xml:4:15: warning: text [x] rend [] [sch:probe-p]" in lines
    assert "http-dtd.xml:4:15: warning: text [x] rend [] [sch:probe-p]" in lines
    assert XXE_LINE in lines
    assert not any(leak in r.output for leak in LEAKS) and "Traceback" not in r.output


def test_build_without_validation_reads_nothing(runner, monkeypatch, tmp_path):
    monkeypatch.chdir(SAFETY)
    out = tmp_path / "out"
    r = runner.invoke(
        cli,
        ["build", "--no-validate", "--to", "html,text", "--out", str(out), "local-dtd.xml", "http-dtd.xml", "xxe.xml"],
    )
    assert r.exit_code == 1  # xxe.xml is refused
    assert XXE_LINE in r.output.splitlines()
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert {"html/local-dtd.html", "html/http-dtd.html", "text/local-dtd.txt", "text/http-dtd.txt"} <= set(written)
    assert not any("xxe" in w for w in written)
    for p in out.rglob("*"):
        if p.is_file():
            data = p.read_text(encoding="utf-8", errors="replace")
            assert not any(leak in data for leak in LEAKS), p
    assert not any(leak in r.output for leak in LEAKS)
