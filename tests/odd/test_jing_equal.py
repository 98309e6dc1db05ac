"""teikit's compiled Exemplars are jing-equal to the TEI Stylesheets' RelaxNG in ../shared/odd/reference:
the same jing verdicts on documents generated from both grammars, on their one-fault mutants and on
corpus samples, and the same embedded Schematron rule by rule.  The harness is checked on itself first:
a reference is equal to itself and differs from a deliberately altered copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import SHARED
from support import oddharness

RNG = "http://relaxng.org/ns/structure/1.0"
EXEMPLARS = [pytest.param(*e, id=e[0]) for e in oddharness.exemplars()]


@pytest.fixture(scope="module")
def corpus() -> list[oddharness.Sample]:
    if not (SHARED / "corpus").is_dir():
        return []
    return oddharness.corpus_samples(SHARED / "corpus", per_folder=1)


def _compiler():
    try:
        from teikit.odd import compile_odd
    except ImportError:
        pytest.skip("ODD compiler not available (teikit.odd.compile_odd)")
    return compile_odd


def test_exemplars_found():
    if not EXEMPLARS:
        pytest.skip("../shared/odd is absent (shared corpus not available)")
    assert len(EXEMPLARS) == 22


def test_reference_is_jing_equal_to_itself(tmp_path, jing):
    ref = oddharness.SHARED_ODD / "reference" / "tei_bare.rng"
    if not ref.exists():
        pytest.skip("../shared/odd is absent (shared corpus not available)")
    result = oddharness.compare("tei_bare", ref, ref, tmp_path)
    assert result.differences() == []
    assert result.samples["generated from reference"] >= 1 and result.samples["mutant"] >= 5


def _altered(ref: Path, target: Path) -> None:
    """A copy of tei_bare with two faults: element label allowed nowhere, one Schematron assert's message
    changed."""
    tree = etree.parse(str(ref))
    root = tree.getroot()
    (label,) = root.xpath("//rng:define[@name='label']", namespaces={"rng": RNG})
    for child in list(label):
        label.remove(child)
    etree.SubElement(label, f"{{{RNG}}}notAllowed")
    check = root.find(f".//{{{oddharness.SCH}}}assert")
    assert check is not None
    check.text = "an altered message"
    tree.write(str(target))


def test_harness_tells_an_altered_copy(tmp_path, jing):
    ref = oddharness.SHARED_ODD / "reference" / "tei_bare.rng"
    if not ref.exists():
        pytest.skip("../shared/odd is absent (shared corpus not available)")
    altered = tmp_path / "altered.rng"
    _altered(ref, altered)
    result = oddharness.compare("tei_bare", ref, altered, tmp_path / "work")
    assert not result.equal
    assert result.verdicts, "a document with label is valid only with the reference"
    assert all(d.reference == [] and d.compiled for d in result.verdicts)
    assert len(result.rules_only_reference) == len(result.rules_only_compiled) == 1
    assert "an altered message" in result.rules_only_compiled[0]


@pytest.mark.parametrize("name,odd,reference", EXEMPLARS)
def test_exemplar_is_jing_equal_to_reference(name, odd, reference, tmp_path, jing, corpus):
    compile_odd = _compiler()
    compiled = compile_odd(odd, source=oddharness.SHARED_ODD / "p5subset.xml")
    mine = tmp_path / f"{name}.rng"
    mine.write_bytes(compiled.rng_bytes())
    result = oddharness.compare(name, reference, mine, tmp_path / "work", extra=corpus)
    assert result.differences() == []
