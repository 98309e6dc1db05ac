"""James Clark's RELAX NG test suite (jing-trang's spectest.xml): all 965 checks.

The suite is split as jing-trang's own ``test/prep.xsl`` does: test case
N (in document order, from 1) becomes folder ``NNN`` holding its schema
as ``c.rng`` (correct) or ``i.rng`` (incorrect), its ``resource`` and
``dir`` elements as files and folders at their names (a resource with
element content as XML, otherwise as its text), and its instances as
``K.v.xml`` (valid) or ``K.i.xml`` (invalid), K counting valid and
invalid instances together.  A correct schema must be accepted and an
incorrect one refused; each instance must get its verdict.  The checks
run in-process through the library, with one cache per case, with one
cache for the whole suite, and with no cache (and once without the ID
checks of DTD compatibility, as ``jing -i``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from conftest import SHARED
from teikit.problems import SchemaError
from teikit.validation import Validator
from teikit.validation.rngcache import CompiledRng, load_schema

SUITE = SHARED / "relaxng-spectest" / "spectest.xml"
CHECKS = 965


@dataclass
class Case:
    number: int
    folder: Path
    correct: bool
    instances: list[str]

    @property
    def schema(self) -> Path:
        return self.folder / ("c.rng" if self.correct else "i.rng")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _copy(el: etree._Element) -> str:
    """prep.xsl's copy template: the dtd attribute as it is, then the children."""
    out = [el.get("dtd") or "", _escape(el.text or "")]
    for child in el:
        out.append(etree.tostring(child, encoding="unicode", with_tail=False))
        out.append(_escape(child.tail or ""))
    return "".join(out)


def _write_xml(path: Path, el: etree._Element) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + _copy(el), encoding="utf-8")


def _resources(el: etree._Element, base: Path) -> None:
    for r in el:
        if r.tag == "resource":
            if len(r):
                _write_xml(base / r.get("name", ""), r)
            else:
                (base / r.get("name", "")).write_text(r.xpath("string(.)"), encoding="utf-8")
        elif r.tag == "dir":
            folder = base / r.get("name", "")
            folder.mkdir(parents=True, exist_ok=True)
            _resources(r, folder)


def split(suite: Path, out: Path) -> list[Case]:
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True)  # its own internal subset
    root = etree.parse(str(suite), parser).getroot()
    cases = []
    for n, tc in enumerate(root.iter("testCase"), 1):
        folder = out / f"{n:03d}"
        folder.mkdir(parents=True)
        correct = tc.find("correct") is not None
        case = Case(n, folder, correct, [])
        _write_xml(case.schema, tc.find("correct" if correct else "incorrect"))
        _resources(tc, folder)
        for k, inst in enumerate((c for c in tc if c.tag in ("valid", "invalid")), 1):
            name = f"{k}.{'v' if inst.tag == 'valid' else 'i'}.xml"
            _write_xml(folder / name, inst)
            case.instances.append(name)
        cases.append(case)
    return cases


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> list[Case]:
    if not SUITE.exists():
        pytest.skip("../shared/relaxng-spectest is absent (shared suite not available)")
    return split(SUITE, tmp_path_factory.mktemp("spectest"))


def run_case(case: Case, ids: bool = True) -> list[str]:
    """The failed checks of one case, e.g. '043 schema accepted', '141 2.i.xml valid'."""
    try:
        validator = Validator(schema=case.schema, run_schematron=False, references=False, ids=ids)
        validator.relaxng(case.schema)
    except SchemaError as exc:
        return [f"{case.number:03d} schema refused: {exc}"] if case.correct else []
    if not case.correct:
        return [f"{case.number:03d} schema accepted"]
    failed = []
    for name in case.instances:
        _, problems = validator.check_file(case.folder / name)
        valid = not any(p.is_error for p in problems)
        if valid != (".v." in name):
            failed.append(f"{case.number:03d} {name} {'valid' if valid else 'invalid'}: {problems[:1]}")
    return failed


def _checks(cases: list[Case]) -> int:
    return sum(1 + (len(c.instances) if c.correct else 0) for c in cases)


@pytest.mark.parametrize("mode", ["cache per case", "one cache", "no cache", "one cache, no ID checks"])
def test_every_check_of_the_suite(cases, mode, tmp_path, monkeypatch):
    assert _checks(cases) == CHECKS
    if mode == "no cache":
        monkeypatch.setenv("TEIKIT_NO_CACHE", "1")
    failed = []
    for case in cases:
        if mode != "no cache":
            folder = tmp_path / (f"{case.number:03d}" if mode == "cache per case" else "shared")
            monkeypatch.setenv("TEIKIT_CACHE_DIR", str(folder))
        failed += run_case(case, ids=not mode.endswith("no ID checks"))  # as jing, and as jing -i
        if mode == "cache per case":  # the second run reads what the first one cached
            failed += [f"{f} (second run)" for f in run_case(case)]
    assert failed == []


def test_specialised_verdicts_equal_unspecialised_on_the_suite(cases, tmp_path, monkeypatch):
    """Each instance of a correct schema: libxml2 on the grammar specialised to
    the instance's names, and on the whole grammar, agree."""
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path))
    from teikit import xmlio
    from teikit.validation import rngvalues
    from teikit.validation.specialize import document_names

    compared = 0
    differences = []
    for case in cases:
        if not case.correct:
            continue
        tree, key, _ = load_schema(case.schema)
        if rngvalues.uses_context(tree.getroot()):
            continue  # decided by teikit's own value check, not by libxml2
        compiled = CompiledRng(tree, key)
        for name in case.instances:
            doc = xmlio.parse(case.folder / name)
            names = document_names(doc.root)
            specialised, _ = compiled.validate(doc.tree, names, len(doc.source))
            if specialised != compiled.full().validate(doc.tree):
                differences.append(f"{case.number:03d} {name}")
            compared += 1
    assert compared > 280
    assert differences == []


MAIN = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <include href="module.rng"/>
  <start><ref name="doc"/></start>
</grammar>"""
MODULE = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <define name="doc"><element name="doc"><element name="{child}"><empty/></element></element></define>
</grammar>"""


def test_an_edited_module_changes_the_next_verdict(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path / "cache"))
    schema = tmp_path / "main.rng"
    schema.write_text(MAIN)
    module = tmp_path / "module.rng"
    doc = tmp_path / "doc.xml"
    doc.write_text("<doc><a/></doc>")

    def verdict() -> bool:
        validator = Validator(schema=schema, run_schematron=False, references=False)
        return not any(p.is_error for p in validator.check_file(doc)[1])

    module.write_text(MODULE.format(child="a"))
    assert verdict() is True
    assert verdict() is True  # from the cache
    module.write_text(MODULE.format(child="b"))
    assert verdict() is False
    module.write_text(MODULE.format(child="a") + "<!-- same grammar, new bytes -->")
    assert verdict() is True


def test_a_schema_that_fails_is_never_cached_and_no_cache_path_is_named(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(cache))
    schema = tmp_path / "broken.rng"
    schema.write_text(MAIN)
    (tmp_path / "module.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><define name="doc"/></grammar>'
    )
    messages = []
    for _ in range(2):
        with pytest.raises(SchemaError) as exc:
            Validator(schema=schema, run_schematron=False, references=False).relaxng(schema)
        messages.append(str(exc.value))
    assert messages[0] == messages[1]
    assert messages[0] == (
        f'{tmp_path / "module.rng"}:1:1: error: element "define" needs at least one pattern [schema]'
    )
    assert str(cache) not in messages[0]
    assert not list(cache.rglob("*.grammar.rng"))


def test_relative_references_resolve_against_the_schema_not_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "s").mkdir()
    schema = tmp_path / "s" / "main.rng"
    schema.write_text(MAIN)
    (tmp_path / "s" / "module.rng").write_text(MODULE.format(child="a"))
    doc = tmp_path / "doc.xml"
    doc.write_text("<doc><a/></doc>")
    for _ in range(2):
        validator = Validator(schema=schema, run_schematron=False, references=False)
        assert validator.check_file(doc)[1] == []
