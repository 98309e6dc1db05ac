"""ODD features one at a time: each customisation compiled, then documents that it must accept or reject."""

from __future__ import annotations

from pathlib import Path

import pytest
from oddcase import compile_text, odd_text, valid

from teikit.odd import compile_odd
from teikit.problems import SchemaError

RNG = "{http://relaxng.org/ns/structure/1.0}"
SCH = "{http://purl.oclc.org/dsdl/schematron}"


def test_plain_modules(tmp_path: Path) -> None:
    schema, _ = compile_text(tmp_path, "")
    assert valid(schema, "<p>x <hi>y</hi> <emph>z</emph></p>")
    assert not valid(schema, "<p><nonsense/></p>")


def test_module_include_keeps_only_the_named_elements(tmp_path: Path) -> None:
    modules = '<moduleRef key="tei"/><moduleRef key="core" include="p hi title"/><moduleRef key="header"/>'
    modules += '<moduleRef key="textstructure"/>'
    schema, rng = compile_text(tmp_path, "", modules=modules)
    names = {d.get("name") for d in rng.iter(f"{RNG}define")}
    assert "hi" in names and "emph" not in names and "list" not in names
    assert valid(schema, "<p>a <hi>b</hi></p>")
    assert not valid(schema, "<p>a <emph>b</emph></p>")


def test_module_except_drops_the_named_elements(tmp_path: Path) -> None:
    modules = '<moduleRef key="tei"/><moduleRef key="core" except="emph"/><moduleRef key="header"/>'
    modules += '<moduleRef key="textstructure"/>'
    schema, _ = compile_text(tmp_path, "", modules=modules)
    assert valid(schema, "<p><hi>b</hi></p>")
    assert not valid(schema, "<p><emph>b</emph></p>")


def test_element_delete(tmp_path: Path) -> None:
    schema, _ = compile_text(tmp_path, '<elementSpec ident="hi" mode="delete"/>')
    assert valid(schema, "<p><emph>b</emph></p>")
    assert not valid(schema, "<p><hi>b</hi></p>")


def test_attribute_added_with_closed_value_list(tmp_path: Path) -> None:
    spec = """<elementSpec ident="hi" mode="change"><attList>
      <attDef ident="status" mode="add" usage="req"><valList type="closed">
        <valItem ident="draft"/><valItem ident="final"/></valList></attDef></attList></elementSpec>"""
    schema, _ = compile_text(tmp_path, spec)
    assert valid(schema, '<p><hi status="draft">x</hi></p>')
    assert not valid(schema, "<p><hi>x</hi></p>")
    assert not valid(schema, '<p><hi status="other">x</hi></p>')


def test_class_attribute_restricted_on_one_element(tmp_path: Path) -> None:
    spec = """<elementSpec ident="div" mode="change"><attList>
      <attDef ident="type" mode="change"><valList type="closed" mode="add">
        <valItem ident="chapter"/></valList></attDef></attList></elementSpec>"""
    schema, _ = compile_text(tmp_path, spec)
    assert valid(schema, '<div type="chapter"><p>x</p></div>')
    assert not valid(schema, '<div type="letter"><p>x</p></div>')
    assert valid(schema, '<p><hi rend="x">y</hi></p>')  # the element's other class attributes stay


def test_class_attribute_deleted(tmp_path: Path) -> None:
    spec = '<classSpec ident="att.global.rendition" type="atts" mode="change"><attList>'
    spec += '<attDef ident="rend" mode="delete"/></attList></classSpec>'
    schema, _ = compile_text(tmp_path, spec)
    assert valid(schema, '<p style="x">y</p>')
    assert not valid(schema, '<p rend="x">y</p>')


def test_value_list_changed_item_by_item(tmp_path: Path) -> None:
    spec = """<classSpec ident="att.global" type="atts" mode="change"><attList>
      <attDef ident="xml:space" mode="change"><valList type="closed" mode="change">
        <valItem ident="preserve" mode="delete"/></valList></attDef></attList></classSpec>"""
    schema, _ = compile_text(tmp_path, spec)
    assert valid(schema, '<p xml:space="default">y</p>')
    assert not valid(schema, '<p xml:space="preserve">y</p>')


def test_semi_open_value_list_takes_any_name(tmp_path: Path) -> None:
    spec = """<elementSpec ident="p" mode="change"><attList>
      <attDef ident="kind" mode="add"><valList type="semi"><valItem ident="a"/></valList></attDef>
      </attList></elementSpec>"""
    schema, _ = compile_text(tmp_path, spec)
    assert valid(schema, '<p kind="a">x</p>') and valid(schema, '<p kind="other">x</p>')
    assert not valid(schema, '<p kind="two words">x</p>')


def test_class_membership_deleted(tmp_path: Path) -> None:
    spec = """<elementSpec ident="hi" mode="change"><classes mode="change">
      <memberOf key="model.hiLike" mode="delete"/></classes></elementSpec>"""
    schema, _ = compile_text(tmp_path, spec)
    assert not valid(schema, "<p><hi>b</hi></p>")


def test_alt_ident_renames_the_element(tmp_path: Path) -> None:
    schema, _ = compile_text(tmp_path, '<elementSpec ident="hi" mode="change"><altIdent>high</altIdent></elementSpec>')
    assert valid(schema, "<p><high>x</high></p>")
    assert not valid(schema, "<p><hi>x</hi></p>")


def test_new_element_in_its_own_namespace_with_pure_odd_content(tmp_path: Path) -> None:
    spec = """<elementSpec ident="gloss2" ns="http://example.org/ns" mode="add">
      <classes><memberOf key="model.phrase"/></classes>
      <content><sequence><elementRef key="hi" minOccurs="1" maxOccurs="2"/><textNode/></sequence></content>
    </elementSpec>"""
    schema, _ = compile_text(tmp_path, spec)
    ns = 'xmlns:x="http://example.org/ns"'
    assert valid(schema, f"<p {ns}><x:gloss2><hi>a</hi>t</x:gloss2></p>")
    assert valid(schema, f"<p {ns}><x:gloss2><hi>a</hi><hi>b</hi></x:gloss2></p>")
    assert not valid(schema, f"<p {ns}><x:gloss2><hi>a</hi><hi>b</hi><hi>c</hi></x:gloss2></p>")
    assert not valid(schema, f"<p {ns}><x:gloss2>t</x:gloss2></p>")


def test_class_reference_expanded_as_sequence(tmp_path: Path) -> None:
    spec = """<elementSpec ident="pair" mode="add"><classes><memberOf key="model.phrase"/></classes>
      <content><classRef key="model.emphLike" expand="sequenceOptional" include="foreign term"/></content>
    </elementSpec>"""
    schema, _ = compile_text(tmp_path, spec)
    assert valid(schema, "<p><pair><foreign>a</foreign><term>b</term></pair></p>")
    assert valid(schema, "<p><pair><term>b</term></pair></p>")
    assert not valid(schema, "<p><pair><term>b</term><foreign>a</foreign></pair></p>")
    assert not valid(schema, "<p><pair><emph>b</emph></pair></p>")


def test_macro_replaced(tmp_path: Path) -> None:
    spec = '<macroSpec ident="macro.paraContent" mode="replace"><content><textNode/></content></macroSpec>'
    schema, _ = compile_text(tmp_path, spec)
    assert valid(schema, "<p>only text</p>")
    assert not valid(schema, "<p>a <hi>b</hi></p>")


def test_spec_group_reference_expands_in_place(tmp_path: Path) -> None:
    group = '<specGrp xml:id="g"><elementSpec ident="hi" mode="delete"/></specGrp>'
    schema, _ = compile_text(tmp_path, '<specGrpRef target="#g"/>', outside=group)
    assert not valid(schema, "<p><hi>b</hi></p>")


def test_chained_odd(tmp_path: Path) -> None:
    base = tmp_path / "base.odd"
    base.write_text(odd_text('<elementSpec ident="hi" mode="delete"/>'), encoding="utf-8")
    child = """<elementSpec ident="p" mode="change"><attList><attDef ident="level" mode="add">
      <datatype><dataRef name="integer"/></datatype></attDef></attList></elementSpec>"""
    schema, _ = compile_text(
        tmp_path,
        child,
        name="child.odd",
        attrs='source="base.odd"',
        modules='<moduleRef key="tei"/><moduleRef key="core"/><moduleRef key="header"/>'
        '<moduleRef key="textstructure"/>',
    )
    assert valid(schema, '<p level="3">x</p>')
    assert not valid(schema, '<p level="three">x</p>')
    assert not valid(schema, "<p><hi>b</hi></p>")  # the deletion made by the ODD it builds on


def test_data_restriction(tmp_path: Path) -> None:
    spec = """<elementSpec ident="p" mode="change"><attList><attDef ident="code" mode="add">
      <datatype><dataRef name="token" restriction="[a-z]{3}"/></datatype></attDef></attList></elementSpec>"""
    schema, _ = compile_text(tmp_path, spec)
    assert valid(schema, '<p code="abc">x</p>')
    assert not valid(schema, '<p code="ABCD">x</p>')


def test_prefix_names_every_pattern(tmp_path: Path) -> None:
    schema, rng = compile_text(tmp_path, "", attrs='prefix="tei_"')
    names = {d.get("name") for d in rng.iter(f"{RNG}define")}
    assert "tei_p" in names and "p" not in names
    assert [r.get("name") for r in rng.getroot().find(f"{RNG}start").iter(f"{RNG}ref")] == ["tei_TEI"]
    assert valid(schema, "<p>x</p>")


def test_constraint_embedded_and_standalone(tmp_path: Path) -> None:
    spec = """<elementSpec ident="p" mode="change"><constraintSpec ident="no-empty" scheme="schematron" mode="add">
      <constraint><sch:rule context="tei:p"><sch:assert test="normalize-space(.)">p must not be empty</sch:assert>
      </sch:rule></constraint></constraintSpec></elementSpec>"""
    odd = tmp_path / "c.odd"
    odd.write_text(odd_text(spec), encoding="utf-8")
    compiled = compile_odd(odd)
    element = next(d for d in compiled.rng.iter(f"{RNG}define") if d.get("name") == "p")
    rules = [r.get("context") for r in element.iter(f"{SCH}rule")]
    assert "tei:p" in rules
    standalone = compiled.sch.getroot()
    assert standalone.tag == f"{SCH}schema"
    assert "tei:p" in [r.get("context") for r in standalone.iter(f"{SCH}rule")]
    assert next(n.get("prefix") for n in standalone.iter(f"{SCH}ns")) == "tei"


def test_assert_without_rule_gets_the_element_as_context(tmp_path: Path) -> None:
    spec = """<elementSpec ident="p" mode="change"><constraintSpec ident="c" scheme="schematron" mode="add">
      <constraint><sch:assert test="@n">p needs @n</sch:assert></constraint></constraintSpec></elementSpec>"""
    _, rng = compile_text(tmp_path, spec)
    assert "tei:p" in [r.get("context") for r in rng.iter(f"{SCH}rule")]


def test_reference_to_a_missing_spec_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="nosuch"):
        compile_text(tmp_path, '<elementRef key="nosuch"/>')


def test_unknown_module_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="nomodule"):
        compile_text(tmp_path, "", modules='<moduleRef key="nomodule"/>')
