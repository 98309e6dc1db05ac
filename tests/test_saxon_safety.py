"""Saxon is configured so that stylesheets and Schematron rules cannot
reach the network, nor read a file through an external entity or DTD,
nor read any file but the run's own; it takes every document lxml takes,
and it never writes to stderr.  Each property is checked through every
entry point that runs XSLT: Schematron, and the HTML, text and EPUB
builds."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import CASES
from teikit import saxon
from teikit.cli import cli

SAFETY = CASES / "safety"
LEAKS = ("TOPSECRET-42", "INJECTED-BY-DTD", "DTD-DEFAULT")
ENTRY_POINTS = ["schematron", "html", "text", "epub"]
TEI = "http://www.tei-c.org/ns/1.0"


@pytest.fixture(autouse=True)
def _epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # an EPUB needs a modification date


def _through(entry: str, runner, files: list[Path], out: Path, sch: Path = SAFETY / "probe.sch") -> tuple[int, str]:
    """Run one entry point on ``files``: its exit code and everything it wrote."""
    if entry == "schematron":
        r = runner.invoke(cli, ["validate", "--no-references", "--schematron", str(sch), *map(str, files)])
        return r.exit_code, r.output
    r = runner.invoke(cli, ["build", "--no-validate", "--to", entry, "--out", str(out), *map(str, files)])
    texts = [r.output]
    for p in sorted(out.rglob("*")):
        if p.suffix == ".epub":
            with zipfile.ZipFile(p) as z:
                texts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif p.is_file():
            texts.append(p.read_text("utf-8"))
    return r.exit_code, "\n".join(texts)


def _tei(tmp_path: Path, name: str, body: str, prolog: str = "") -> Path:
    path = tmp_path / name
    path.write_text(
        f'{prolog}<TEI xmlns="{TEI}" xml:id="t-{path.stem}" xml:lang="en"><teiHeader><fileDesc><titleStmt><title>{name}</title></titleStmt>'
        "<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>"
        f"<text><body>{body}</body></text></TEI>",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("name", ["local-dtd.xml", "http-dtd.xml"])
def test_no_dtd_or_entity_reaches_the_output(entry, name, runner, tmp_path, monkeypatch, capfd):
    # a copy beside evil.dtd, with the identifier an EPUB needs
    shutil.copy(SAFETY / "evil.dtd", tmp_path / "evil.dtd")
    prolog = (SAFETY / name).read_text("utf-8").split("<TEI ", 1)[0]
    _tei(tmp_path, name, "<p>x</p>", prolog)
    monkeypatch.chdir(tmp_path)
    code, output = _through(entry, runner, [Path(name)], tmp_path / "out")
    assert not any(leak in output for leak in LEAKS)
    if entry == "schematron":
        assert any(
            line.startswith(f"{name}:3:") and "warning: text [x] rend [] [sch:probe-p]" in line
            for line in output.splitlines()
        ), output
    else:
        assert code == 0, output
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_deep_and_wide_documents_pass_as_lxml_takes_them(entry, runner, tmp_path, capfd):
    """Depth 200 and 300 attributes on one element are within libxml2's limits;
    the JDK parser inside Saxon would stop at depth 100 and 200 attributes."""
    deep = "<hi>" * 200 + "deep" + "</hi>" * 200
    wide = " ".join(f'n{i}="{i}"' for i in range(300))
    doc = _tei(tmp_path, "deep.xml", f"<p>{deep}</p><p {wide}>wide</p>")
    code, output = _through(entry, runner, [doc], tmp_path / "out")
    assert "JAXP" not in output and "could not be run" not in output
    if entry == "schematron":
        lines = output.splitlines()
        assert any("deep.xml:1:" in line and "text [deep] rend [] [sch:probe-p]" in line for line in lines)
        assert any("text [wide] rend [] [sch:probe-p]" in line for line in lines)
    else:
        assert code == 0, output
        assert "deep" in output and "wide" in output
    assert capfd.readouterr().err == ""


def _sch(tmp_path: Path, select: str) -> Path:
    sch = tmp_path / "read.sch"
    sch.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>'
        '<pattern><rule context="tei:TEI" id="read">'
        f'<report test="true()" role="warning">got [<value-of select="{select}"/>]</report>'
        "</rule></pattern></schema>",
        encoding="utf-8",
    )
    return sch


def _got(output: str) -> list[str]:
    return [line.split(": ", 2)[2] for line in output.splitlines() if "[sch:read]" in line]


def test_schematron_cannot_read_a_file_outside_the_run(runner, tmp_path, capfd):
    (tmp_path / "secret.txt").write_text("TOPSECRET-42")
    doc = _tei(tmp_path, "a.xml", "<p>a</p>")
    _code, output = _through("schematron", runner, [doc], tmp_path, _sch(tmp_path, "unparsed-text('secret.txt')"))
    assert "TOPSECRET-42" not in output
    assert _got(output) == [
        "cannot evaluate report test 'true()': teikit lets stylesheets read only the files of the run,"
        " not secret.txt (unparsed-text) [sch:read]"
    ]
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        ("unparsed-text-available('secret.txt')", "false"),
        ("doc-available('/etc/passwd')", "false"),
        ("fn:doc-available('https://tei-c.org/')", "false"),
        ("unparsed-text-available('a.xml')", "true"),
        ("string(doc('b.xml')//tei:body)", "from b"),
        ("string(document('b.xml')//tei:body)", "from b"),
        ("count(('b.xml', 'a.xml') ! doc(.))", "2"),
        ("'doc(secret.txt)'", "doc(secret.txt)"),
    ],
)
def test_schematron_reads_only_the_files_of_the_run(select, expected, runner, tmp_path):
    (tmp_path / "secret.txt").write_text("TOPSECRET-42")
    a = _tei(tmp_path, "a.xml", "<p>from a</p>")
    b = _tei(tmp_path, "b.xml", "<p>from b</p>")
    _code, output = _through("schematron", runner, [a, b], tmp_path, _sch(tmp_path, select))
    assert _got(output) == [f"got [{expected}] [sch:read]"] * 2


def test_schematron_cannot_list_folders(runner, tmp_path):
    doc = _tei(tmp_path, "a.xml", "<p>a</p>")
    _code, output = _through("schematron", runner, [doc], tmp_path, _sch(tmp_path, "count(collection('.?select=*'))"))
    assert _got(output) == [
        "cannot evaluate report test 'true()': teikit does not let stylesheets call collection() [sch:read]"
    ]


def _run(expr: str, allowed: list[Path] | tuple[()] = ()) -> str:
    saxon.allow_files(allowed)
    sheet = (
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        f'<xsl:template match="/"><o><xsl:value-of select="{expr}"/></o></xsl:template></xsl:stylesheet>'
    )
    executable = saxon.compile_text(sheet, Path.cwd())
    return saxon.transform(executable, saxon.processor().parse_xml(xml_text="<a/>"))


@pytest.mark.parametrize("expr", ["doc('http://127.0.0.1:9/x.xml')", "unparsed-text('https://127.0.0.1:9/x')"])
def test_network_uris_are_refused(expr):
    with pytest.raises(saxon.TransformError, match=r"read only the files of the run, not https?://127\.0\.0\.1:9/"):
        _run(expr)


def test_network_uris_are_prohibited_even_for_teikit_stylesheets(tmp_path):
    """allowedProtocols: the protocol gate holds beneath the confinement."""
    sheet = tmp_path / "net.xsl"
    sheet.write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:template match="/"><o><xsl:value-of select="doc(\'http://127.0.0.1:9/x.xml\')"/></o>'
        "</xsl:template></xsl:stylesheet>"
    )
    with pytest.raises(saxon.TransformError, match=r"Access to URI .* has been prohibited"):
        saxon.transform(saxon.compile_file(sheet), saxon.processor().parse_xml(xml_text="<a/>"))


def test_doc_does_not_expand_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doc = tmp_path / "xxe.xml"
    doc.write_text(f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]><r>before &x; after</r>')
    out = _run(f"string(doc('{doc.as_uri()}'))", [doc])
    assert "TOP-SECRET" not in out
    assert out.endswith("<o>before  after</o>")


def test_doc_does_not_load_an_external_dtd(tmp_path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ATTLIST r injected CDATA "from-the-dtd">')
    doc = tmp_path / "d.xml"
    doc.write_text(f'<!DOCTYPE r SYSTEM "{dtd.as_uri()}"><r>ok</r>')
    assert _run(f"string(doc('{doc.as_uri()}')/r/@injected)", [doc]).endswith("<o/>")
    assert _run(f"string(doc('{doc.as_uri()}'))", [doc]).endswith("<o>ok</o>")


def test_a_text_value_template_that_reads_files_is_refused():
    sheet = (
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" expand-text="yes">'
        "<xsl:template match=\"/\"><o>{unparsed-text('/etc/passwd')}</o></xsl:template></xsl:stylesheet>"
    )
    with pytest.raises(saxon.TransformError, match=r"a text value template reads a resource"):
        saxon.compile_text(sheet, Path.cwd())


def test_a_stylesheet_without_resource_calls_compiles_as_written():
    from teikit import saxon_confine

    text = '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>'
    assert saxon_confine.confine(text) is text


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        (
            "function-lookup(QName('http://www.w3.org/2005/xpath-functions', 'unparsed-text'), 1)('secret.txt')",
            "cannot evaluate report test 'true()': teikit does not let stylesheets call function-lookup() [sch:read]",
        ),
        ("let $read := unparsed-text#1 return $read('secret.txt')", None),
        ("string(environment-variable('HOME'))", "got [] [sch:read]"),
        ("count(available-environment-variables())", "got [0] [sch:read]"),
    ],
)
def test_schematron_cannot_reach_files_or_the_environment_another_way(select, expected, runner, tmp_path):
    (tmp_path / "secret.txt").write_text("TOPSECRET-42")
    doc = _tei(tmp_path, "a.xml", "<p>a</p>")
    _code, output = _through("schematron", runner, [doc], tmp_path, _sch(tmp_path, select))
    assert "TOPSECRET-42" not in output
    if expected is None:
        assert "read only the files of the run, not secret.txt (unparsed-text)" in _got(output)[0]
    else:
        assert _got(output) == [expected]


@pytest.mark.parametrize("instruction", ["evaluate", "source-document", "result-document"])
def test_instructions_that_reach_resources_are_refused(instruction):
    body = {
        "evaluate": "<xsl:evaluate xpath=\"'unparsed-text(&quot;/etc/passwd&quot;)'\"/>",
        "source-document": '<xsl:source-document href="/etc/hostname"><xsl:value-of select="."/></xsl:source-document>',
        "result-document": '<xsl:result-document href="/tmp/pwned.txt" method="text">x</xsl:result-document>',
    }[instruction]
    sheet = (
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        f'<xsl:template match="/"><o>{body}</o></xsl:template></xsl:stylesheet>'
    )
    with pytest.raises(saxon.TransformError, match=rf"stylesheet refused: xsl:{instruction} is not allowed"):
        saxon.compile_text(sheet, Path.cwd())
