"""Saxon is configured so that stylesheets and Schematron rules cannot
reach the network, nor read a file through an external entity or DTD,
even when a rule calls doc() or unparsed-text() itself."""

from __future__ import annotations

import pytest

from teikit.publish import xslt


def run(expr: str) -> str:
    proc = xslt.processor()
    sheet = (
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        f'<xsl:template match="/"><o><xsl:value-of select="{expr}"/></o></xsl:template></xsl:stylesheet>'
    )
    executable = proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=sheet)
    return xslt.transform(executable, proc.parse_xml(xml_text="<a/>"))


@pytest.mark.parametrize("expr", ["doc('http://127.0.0.1:9/x.xml')", "unparsed-text('https://127.0.0.1:9/x')"])
def test_network_uris_are_prohibited(expr):
    with pytest.raises(xslt.TransformError, match=r"Access to URI .* has been prohibited"):
        run(expr)


def test_doc_does_not_expand_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doc = tmp_path / "xxe.xml"
    doc.write_text(f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]><r>before &x; after</r>')
    out = run(f"string(doc('{doc.as_uri()}'))")
    assert "TOP-SECRET" not in out
    assert out.endswith("<o>before  after</o>")


def test_doc_does_not_load_an_external_dtd(tmp_path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ATTLIST r injected CDATA "from-the-dtd">')
    doc = tmp_path / "d.xml"
    doc.write_text(f'<!DOCTYPE r SYSTEM "{dtd.as_uri()}"><r>ok</r>')
    assert run(f"string(doc('{doc.as_uri()}')/r/@injected)").endswith("<o/>")
    assert run(f"string(doc('{doc.as_uri()}'))").endswith("<o>ok</o>")
