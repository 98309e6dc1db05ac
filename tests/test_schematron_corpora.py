"""Schematron on real rule sets: TEI's embedded rules (tei_all.rng), the
Schnitzler letters' standalone .sch and ELTeC's embedded rules, each on
its corpus through the documents' own xml-model.  Skips without ../shared."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import CASES, CORPUS, need_shared
from teikit import xmlio
from teikit.validation import Validator, iter_results
from teikit.validation.schematron import compile_schematron

TEI_CASES = CASES / "schematron" / "tei"
SCHNITZLER_SCH = ("corpus", "schnitzler-briefe", "data", "meta", "schnitzler-briefe-schematron.sch")


def _sch(problems):
    return [p for p in problems if p.engine == "sch"]


# -- TEI's own rules ---------------------------------------------------------------
def test_every_tei_rule_compiles(tei_all):
    sch = compile_schematron(tei_all)
    # 100 checks, less the French variants of the addSpan, damageSpan and
    # delSpan spanTo rules: the English ones run (--lang en, the default)
    assert (len(sch.patterns), len(sch.rules), len(sch.checks)) == (90, 95, 97)
    french = compile_schematron(tei_all, lang="fr")
    assert [c.test for c in french.checks] == [c.test for c in sch.checks]
    label = "tei_all-addSpan-addSpan-requires-spanTo-fr-constraint-rule-44/1"
    assert [len(r.checks) for r in french.rules if r.label == label] == [1]
    assert [len(r.checks) for r in sch.rules if r.label == label] == [0]
    assert sch.query_binding == "xslt2"  # embedded ISO rules without sch:schema


@pytest.fixture(scope="module")
def tei_validator(tei_all):
    return Validator(schema=tei_all, references=False)


@pytest.mark.slow  # libxml2 compiles tei_all.rng once for these (10-25 s)
@pytest.mark.parametrize(
    "name, expected",
    [
        ("clean.xml", []),
        (
            "date.xml",
            [
                "date.xml:12:13: warning: The @when attribute cannot be used with any other "
                "att.datable.w3c attributes. [sch:tei_all-att.datable.w3c-att-datable-w3c-when-constraint-rule-2/1]"
            ],
        ),
        (
            "ptr.xml",
            [
                "ptr.xml:12:14: error: Only one of the attributes @target and @cRef may be supplied on ptr. "
                "[sch:tei_all-ptr-ptrAtts-constraint-rule-17/1]"
            ],
        ),
        (
            "spanto.xml",
            [
                "spanto.xml:12:45: error: The element indicated by @spanTo (#start) must follow the current "
                "addSpan element [sch:tei_all-att.spanning-spanTo-spanTo-points-to-following-constraint-rule-7/1]"
            ],
        ),
    ],
)
def test_tei_embedded_rules_with_schema_option(tei_validator, name, expected):
    doc = xmlio.parse(TEI_CASES / name, name)
    problems = tei_validator.check(doc)
    assert [str(p) for p in problems] == expected  # RelaxNG-valid: only the Schematron speaks


# -- Schnitzler letters: standalone .sch through xml-model ---------------------------------
SCHNITZLER_COUNTS = {
    "title-rules/1": 148,
    "hi-spaced-out-no-children/1": 7,
    "correspAction-rules/1": 2,
    "correspAction-date-n/2": 2,
    "witness-rules/1": 1,
    "normalNote-rules/3": 1,
}


def test_schnitzler_letters_through_xml_model():
    editions = need_shared("corpus", "schnitzler-briefe", "data", "editions")
    files, problems = 0, []
    for _, found in iter_results([editions], validator=Validator(references=False)):
        files += 1
        problems += _sch(found)
    assert files == 148
    assert Counter(p.rule for p in problems) == SCHNITZLER_COUNTS
    assert {p.severity for p in problems} == {"error"}
    assert len({p.file for p in problems}) == 148
    title = [p for p in problems if p.rule == "title-rules/1" and p.file.endswith("L00001.xml")]
    assert [(p.line, p.column, p.message) for p in title] == [
        (6, 13, "Das Attribut @level des tei:title muss vorhanden sein.")
    ]


def test_schnitzler_mutated_letter_fails_with_the_rule_text(tmp_path):
    sch = need_shared(*SCHNITZLER_SCH)
    source = CORPUS / "schnitzler-briefe" / "data" / "editions" / "L00001.xml"
    text = source.read_text(encoding="utf-8")
    assert 'href="../meta/schnitzler-briefe-schematron.sch"' in text and 'xml:id="L00001"' in text
    mutated = tmp_path / "L00001.xml"
    mutated.write_text(
        text.replace('href="../meta/schnitzler-briefe-schematron.sch"', f'href="{sch.as_uri()}"').replace(
            'xml:id="L00001"', 'xml:id="letter-1"', 1
        ),
        encoding="utf-8",
    )
    _, problems = Validator(references=False).check_file(mutated)
    got = [(p.line, p.severity, p.message, p.rule) for p in _sch(problems) if p.rule == "TEI-rule/1"]
    assert got == [(1, "error", "@xml:id muss dem Muster 'L00000' entsprechen.", "TEI-rule/1")]
    # the original letter passes that rule
    _, original = Validator(references=False).check_file(source)
    assert not [p for p in original if p.rule == "TEI-rule/1"]


# -- ELTeC: Schematron embedded in eltec-1.rng, through xml-model ---------------------------
@pytest.mark.slow
def test_eltec_novels_through_xml_model():
    level1 = need_shared("corpus", "eltec-eng", "level1")
    need_shared("corpus", "Schemas", "eltec-1.rng")
    files, sch, rng = 0, [], []
    for _, found in iter_results([level1], validator=Validator(references=False), jobs=2):
        files += 1
        sch += _sch(found)
        rng += [p for p in found if p.engine == "rng"]
    assert files == 99
    assert sch == []  # ELTeC's 18 rules hold on all 99 novels
    assert len(rng) == 4  # as jing: one novel with 4 RelaxNG errors


def test_eltec_rule_fires_on_a_mutated_novel(tmp_path):
    rng = need_shared("corpus", "Schemas", "eltec-1.rng")
    sch = compile_schematron(rng)
    assert (len(sch.patterns), len(sch.rules)) == (18, 18)
    novel = sorted((CORPUS / "eltec-eng" / "level1").glob("*.xml"))[0]
    text = novel.read_text(encoding="utf-8")
    body = text.index("<body")
    p = text.index("<p>", body)
    mutated = text[:p] + '<p><date when="1850">1850</date></p>' + text[p:]
    doc = xmlio.parse_bytes(mutated.encode("utf-8"), tmp_path / novel.name, novel.name)
    line = mutated.count("\n", 0, p) + 1
    col = p - mutated.rfind("\n", 0, p) + 3
    assert [str(x) for x in sch.check(doc)] == [
        f"{novel.name}:{line}:{col}: error: The date element should not be used outside the TEI Header "
        f"[sch:eltec-1-date-datePlacement-constraint-assert-7/1]"
    ]


def test_tei_rules_on_eltec():
    level1 = need_shared("corpus", "eltec-eng", "level1")
    sch = compile_schematron(need_shared("schema", "tei_all.rng"))
    problems = []
    for f in sorted(Path(level1).glob("*.xml")):
        problems += sch.check(xmlio.parse(f, f.name))
    assert Counter(p.rule for p in problems) == {
        "tei_all-p-abstractModel-structure-p-in-ab-or-p-constraint-rule-11/1": 4
    }
    assert len({p.file for p in problems}) == 1
