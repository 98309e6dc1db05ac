"""A Schematron rule may read the XML files beside the validated document
(the edition's rules read register.xml beside each article, resolved
against ``base-uri(/)``: a relative ``doc()`` resolves against the
Schematron's own folder, as XPath says), and nothing
else outside the run: not a file in the folder above, not a file of
another kind, not a link that leads out of the folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from teikit.validation import Validator

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>{}</p></body></text></TEI>'


def _sch(folder: Path, select: str) -> Path:
    sch = folder / "probe.sch"
    sch.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>'
        '<pattern><rule context="tei:TEI" id="read">'
        f'<report test="true()" role="warning">got [<value-of select="{select}"/>]</report>'
        "</rule></pattern></schema>",
        encoding="utf-8",
    )
    return sch


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        ("string(doc(resolve-uri('register.xml', base-uri(/)))//*:p)", "the register"),
        ("doc-available('../outside.xml')", "false"),
        ("doc-available('link.xml')", "false"),
        ("unparsed-text-available('notes.txt')", "false"),
        ("doc-available('sub/below.xml')", "false"),
    ],
)
def test_a_rule_reads_the_xml_files_beside_the_document_only(select, expected, tmp_path):
    folder = tmp_path / "edition"
    (folder / "sub").mkdir(parents=True)
    (tmp_path / "outside.xml").write_text(TEI.format("outside"), encoding="utf-8")
    (folder / "link.xml").symlink_to(tmp_path / "outside.xml")
    (folder / "notes.txt").write_text("private", encoding="utf-8")
    (folder / "sub" / "below.xml").write_text(TEI.format("below"), encoding="utf-8")
    (folder / "register.xml").write_text(TEI.format("the register"), encoding="utf-8")
    article = folder / "article.xml"
    article.write_text(TEI.format("an article"), encoding="utf-8")
    validator = Validator(schematron=[_sch(tmp_path, select)], xml_model=False, references=False)
    _display, problems = validator.check_file(article)
    assert [p.message for p in problems if p.rule == "read"] == [f"got [{expected}]"]
