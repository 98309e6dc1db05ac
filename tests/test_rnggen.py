"""The RelaxNG instance generator and the one-fault mutator, judged by jing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import CASES
from support import datatypes, mutate, rnggen, rnggrammar, xsdregex
from support import jing as jingrun

FEATURES = CASES / "rnggen" / "features.rng"


def _write(
    folder: Path, docs: list[rnggen.GeneratedDoc], mutator: mutate.Mutator, per_kind: int = 2
) -> dict[Path, str]:
    """Documents and their mutants on disk; the value says what jing must say ('valid' or the fault)."""
    expected: dict[Path, str] = {}
    rnd = random.Random(7)
    for n, doc in enumerate(docs):
        path = folder / f"doc{n:03}.xml"
        path.write_bytes(doc.tostring())
        expected[path] = "valid"
        for k, mutant in enumerate(mutator.mutants(doc, rnd, per_kind=per_kind)):
            mpath = folder / f"doc{n:03}-{k:02}-{mutant.kind}.xml"
            mpath.write_bytes(mutant.tostring())
            expected[mpath] = f"{mutant.kind}: {mutant.detail} at {mutant.where}"
    return expected


def _disagreements(schema: Path, expected: dict[Path, str]) -> list[str]:
    errors = jingrun.run(schema, list(expected))
    wrong = []
    for path, want in expected.items():
        if (want == "valid") != (not errors[path]):
            wrong.append(f"{path.name}: expected {want}; jing: {errors[path][:2] or 'valid'}")
    return wrong


def test_tei_all_documents_cover_every_element_valid_and_mutants_invalid(tmp_path, tei_all, jing):
    grammar = rnggrammar.load(tei_all)
    gen = rnggen.Generator(grammar, seed=1)
    docs = gen.cover(max_docs=40)
    assert gen.uncovered() == []
    assert len(gen.usable) == len(grammar.elements) == 594
    expected = _write(tmp_path, docs, mutate.Mutator(gen.analysis), per_kind=1)
    kinds = {want.split(":")[0] for want in expected.values()}
    assert kinds == {"valid", *mutate.KINDS}
    assert len(expected) >= len(docs) * (1 + len(mutate.KINDS))
    assert _disagreements(tei_all, expected) == []


def test_features_grammar_include_external_parent_interleave_list(tmp_path, jing):
    gen = rnggen.Generator(rnggrammar.load(FEATURES), seed=3)
    docs = gen.cover(max_docs=10) + [gen.document(seed, steer=False) for seed in range(6)]
    labels = sorted(gen.grammar.elements[i].label() for i in gen.covered)
    assert "{urn:example:doc}never" not in labels  # overridden by the include's define
    doc_names = ("ab", "doc", "head", "hi", "note", "p", "section", "when")
    assert labels == sorted(["AnyName", "{urn:example:tail}tail", *("{urn:example:doc}" + n for n in doc_names)])
    assert _disagreements(FEATURES, _write(tmp_path, docs, mutate.Mutator(gen.analysis))) == []


def test_generation_is_deterministic():
    def run() -> list[bytes]:
        gen = rnggen.Generator(rnggrammar.load(FEATURES), seed=11)
        return [gen.document(s).tostring() for s in range(5)]

    assert run() == run()
    assert len(set(run())) > 1


def test_mutants_change_one_thing():
    gen = rnggen.Generator(rnggrammar.load(FEATURES), seed=2)
    doc = gen.document(0)
    mutants = mutate.Mutator(gen.analysis).mutants(doc, random.Random(0), per_kind=1)
    assert {m.kind for m in mutants} == set(mutate.KINDS)
    for m in mutants:
        assert m.tostring() != doc.tostring()
    removed = next(m for m in mutants if m.kind == "missing-child")
    tag = removed.detail.rsplit(" ", 1)[1]
    assert len(list(removed.root.iter(tag))) == len(list(doc.root.iter(tag))) - 1


TEI_PATTERNS = [
    r"[^\p{C}\p{Z}]+",
    r"(\-?[\d]+/\-?[\d]+)",
    r"[\-+]?\d+(\.\d+)?(%|cm|mm|in|pt|pc|px|em|ex|ch|rem|vw|vh|vmin|vmax)",
    r"[\d]+[a-z]*[\d]*(\.[\d]+[a-z]*[\d]*){0,3}",
    r"[a-z][a-z0-9\+\.\-]*",
    r"[0-9.,DHMPRSTWYZ/:+\-]+",
    r"(-?[0-9]+(\.[0-9]+)?,-?[0-9]+(\.[0-9]+)?)",
    r"[^/\s]+:\S*",
    r"(19[789][0-9]|[2-9][0-9]{3}).*",
    r"[a-z-[aeiou]]{2,3}x?",
]


@pytest.mark.parametrize("pattern", TEI_PATTERNS)
def test_xsd_regex_generates_matching_strings(pattern):
    rnd = random.Random(pattern)
    for _ in range(20):
        assert xsdregex.matches(pattern, xsdregex.generate(pattern, rnd))
    assert not xsdregex.matches(pattern, "a b")


def test_xsd_regex_semantics():
    assert xsdregex.matches(r"[a-z-[aeiou]]+", "xyz") and not xsdregex.matches(r"[a-z-[aeiou]]+", "xaz")
    assert xsdregex.matches(r"\p{Lu}\p{Ll}*", "Ωmega") and not xsdregex.matches(r"\p{Lu}", "a")
    assert xsdregex.matches(r"a{2,3}", "aaa") and not xsdregex.matches(r"a{2,3}", "aaaa")
    assert xsdregex.matches(r"\i\c*", "_x-1") and not xsdregex.matches(r"\i\c*", "1x")


@pytest.mark.parametrize(
    "type_,params",
    [
        ("date", (("pattern", "(19[789][0-9]|[2-9][0-9]{3}).*"),)),
        ("double", (("minInclusive", "0"), ("maxInclusive", "1"))),
        ("nonNegativeInteger", ()),
        ("decimal", (("minExclusive", "5"),)),
        ("token", (("pattern", "[\\d]+(\\.[\\d]+){0,2}"),)),
        ("anyURI", (("pattern", "\\S+"),)),
        ("language", ()),
        ("gYearMonth", ()),
        ("string", (("minLength", "4"), ("maxLength", "6"))),
    ],
)
def test_datatype_values_satisfy_type_and_facets(type_, params):
    value = datatypes.generate(type_, params, random.Random(1))
    assert datatypes.accepts(type_, params, value), value
    assert not datatypes.accepts(type_, params, mutate.BAD_VALUE)
