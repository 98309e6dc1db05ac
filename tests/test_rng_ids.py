"""ID, IDREF and IDREFS (RelaxNG DTD compatibility), against jing with and without -i.

Each schema below is checked by teikit with the checks on and off, and
by jing without and with ``-i``; every schema and instance verdict must
agree.  Exact messages are checked for the usual cases.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from teikit.problems import SchemaError
from teikit.validation import Validator

HEAD = (
    '<grammar xmlns="http://relaxng.org/ns/structure/1.0" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">'
)
ITEMS = (
    HEAD
    + """
  <start><element name="doc"><zeroOrMore><choice><ref name="item"/><ref name="link"/></choice></zeroOrMore></element></start>
  <define name="item"><element name="item"><attribute name="id"><data type="ID"/></attribute><text/></element></define>
  <define name="link"><element name="link">
    <optional><attribute name="to"><data type="IDREF"/></attribute></optional>
    <optional><attribute name="all"><data type="IDREFS"/></attribute></optional>
  </element></define>
</grammar>"""
)
CONFLICT = (
    HEAD
    + """
  <start><element name="doc"><ref name="a"/><ref name="b"/></element></start>
  <define name="a"><element name="x"><attribute name="id"><data type="ID"/></attribute></element></define>
  <define name="b"><element name="x"><attribute name="id"><data type="string"/></attribute></element></define>
</grammar>"""
)
WILDCARD = (
    HEAD
    + """
  <start><element name="doc"><element><anyName/><attribute name="id"><data type="ID"/></attribute></element></element></start>
</grammar>"""
)
MIXED = (
    HEAD
    + """
  <start><element name="doc"><attribute name="id"><choice><data type="ID"/><value>none</value></choice></attribute></element></start>
</grammar>"""
)
IN_CONTENT = (
    HEAD
    + """
  <start><element name="doc"><data type="ID"/></element></start>
</grammar>"""
)
INSTANCES = {
    "ok": '<doc><item id="a">x</item><item id="b">y</item><link to="a" all="a b"/></doc>',
    "duplicate": '<doc><item id="a">x</item><item id=" a ">y</item></doc>',
    "dangling": '<doc><item id="a">x</item><link to="c"/></doc>',
    "dangling-list": '<doc><item id="a">x</item><link all="a zz"/></doc>',
    "forward": '<doc><link to="b"/><item id="b">y</item></doc>',
}
SCHEMAS = {"items": ITEMS, "conflict": CONFLICT, "wildcard": WILDCARD, "mixed": MIXED, "in-content": IN_CONTENT}


def teikit(schema: Path, docs: list[Path], ids: bool) -> tuple[bool, list[bool]]:
    try:
        validator = Validator(schema=schema, run_schematron=False, references=False, ids=ids)
        return True, [not any(p.is_error for p in validator.check_file(d)[1]) for d in docs]
    except SchemaError:
        return False, []


def jing(schema: Path, docs: list[Path], ids: bool) -> tuple[bool, list[bool]]:
    proc = subprocess.run(
        ["jing", *([] if ids else ["-i"]), str(schema), *map(str, docs)], capture_output=True, text=True
    )
    lines = [line for line in proc.stdout.splitlines() if ": error:" in line]
    if any(line.startswith(str(schema)) for line in lines):
        return False, []
    bad = {line.split(":", 1)[0] for line in lines}
    return True, [str(d) not in bad for d in docs]


@pytest.mark.parametrize("ids", [True, False], ids=["checks on (jing)", "checks off (jing -i)"])
def test_verdicts_equal_jings(jing_tool, tmp_path, monkeypatch, ids):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path / "cache"))
    docs = []
    for name, text in INSTANCES.items():
        docs.append(tmp_path / f"{name}.xml")
        docs[-1].write_text(text)
    for name, text in SCHEMAS.items():
        schema = tmp_path / f"{name}.rng"
        schema.write_text(text)
        assert teikit(schema, docs, ids) == jing(schema, docs, ids), name


@pytest.fixture
def jing_tool(jing):  # the conftest fixture skips without jing
    return jing


def test_messages(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path / "cache"))
    schema = tmp_path / "items.rng"
    schema.write_text(ITEMS)
    validator = Validator(schema=schema, run_schematron=False, references=False)
    doc = tmp_path / "d.xml"
    doc.write_text('<doc>\n<item id="a">x</item>\n<item id="a">y</item>\n<link to="a" all="a b"/></doc>')
    assert [str(p) for p in validator.check_file(doc)[1]] == [
        f'{doc}:3:7: error: duplicate ID "a" on element "item": already used on element "item" at line 2 [rng]',
        f'{doc}:4:14: error: IDREF "b" in attribute "all" of element "link" matches no ID [rng]',
    ]
    conflict = tmp_path / "conflict.rng"
    conflict.write_text(CONFLICT)
    with pytest.raises(SchemaError, match='conflicting ID-types for attribute "id" of element "x"'):
        Validator(schema=conflict, run_schematron=False, references=False).relaxng(conflict)
