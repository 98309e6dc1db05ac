"""The public Schematron conformance suites in ../shared/schematron-conformance,
run as their own runner runs them, in-process, under xslt2 and xslt3.

Each case is one XML file holding documents, schemas (one per query
binding, or one without ``@queryBinding`` that takes the binding under
test), the expected verdict and, for some, XPath expectations on the
SVRL.  A case passes when teikit's verdict is the suite's and every
expectation holds on teikit's SVRL.

Where the suites and SchXslt2 disagree (the shared README lists eight
cases) teikit follows ISO Schematron 2020; :data:`ISO_2020` gives the
verdict it takes there and why.

``python3 tests/test_schematron_conformance.py`` prints the counts per
suite and binding.
"""

from __future__ import annotations

import copy
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SUITES = ROOT.parent / "shared" / "schematron-conformance"
SCH = "http://purl.oclc.org/dsdl/schematron"
NS_2019 = "tag:dmaus@dmaus.name,2019:Schematron:Testsuite"
NS_2020 = "https://doi.org/10.5281/zenodo.5679629#"
BINDINGS = ("xslt2", "xslt3")

#: Case (relative to SUITES, without .xml) -> (verdict teikit gives, why).
#: The suites' verdict differs there; these follow ISO Schematron 2020.
ISO_2020: dict[str, tuple[str, str]] = {
    "schematron-conformance/tests/core/let-name-collision-error-01": (
        "error",
        "ISO 2020 5.4.6: a variable multiply defined in the same rule is an error (as the suite says; "
        "SchXslt2 lets the second xsl:variable shadow the first)",
    ),
    "schematron-conformance/tests/core/let-scope-pattern-01": (
        "error",
        "ISO 2020: pattern variables are global, so a pattern let named like a schema let is multiply defined "
        "(the case follows the 2016 reading, where the pattern let is scoped to its pattern)",
    ),
    "schematron-conformance/tests/core/let-scope-phase-01": (
        "error",
        "ISO 2020: phase variables are global, so a phase let named like a schema let is multiply defined "
        "(the case follows the 2016 reading, where the phase let shadows it)",
    ),
    "schematron-conformance/tests/core/let-value-element-content-01": (
        "invalid",
        "the assertion count(html:p) = 1 is evaluated on the document, which has no html:p; it never "
        "refers to the variable whose element content is the html:p",
    ),
    "schxslt2/test/conformance/testcases/rule-based-validation/rule-visit-each": (
        "invalid",
        "ISO 2020 6.5: each item of rule/@visit-each is the context of the assertions, and one of the "
        "tokens is 'value-3' (as the suite says)",
    ),
    "schxslt2/test/conformance/testcases/schema-composition/extends-href-fragment-xml-id-preserve-ns": (
        "valid",
        "ISO 2020: sch:ns declarations are schema-wide; the fragment taken from the other file carries no "
        "sch:ns of its own, so its ex: prefix means the including schema's namespace",
    ),
    "schxslt2/test/conformance/testcases/schema-composition/include-href-fragment-xml-id-preserve-ns": (
        "error",
        "ISO 2020: sch:ns declarations are schema-wide and sch:include brings in only the element it points "
        "at; the including schema binds no ex: prefix, so the included test 'ex:element' does not compile",
    ),
    "schxslt2/test/conformance/testcases/schema-composition/schema-phase-from": (
        "valid",
        "ISO 2020 5.4.10: phase/@from selects the nodes validation starts from; the rule's context "
        "'root' is outside them (as the suite says)",
    ),
}


@dataclass
class Case:
    """One test case under one binding."""

    name: str  # relative to SUITES, without .xml
    suite: str  # "2019" or "2020"
    binding: str
    expect: str
    phase: str | None
    schema: etree._Element
    documents: list[tuple[str, list[etree._Element]]]  # (filename, nodes), the primary first
    expectations: list[tuple[str, dict[str, str]]]  # (XPath on the SVRL, namespaces)

    @property
    def verdict(self) -> str:
        return ISO_2020.get(self.name, (self.expect, ""))[0]


def case_files() -> list[Path]:
    if not SUITES.is_dir():
        return []
    first = sorted((SUITES / "schematron-conformance" / "tests").rglob("*.xml"))
    second = sorted(p for p in (SUITES / "schxslt2" / "test").rglob("*.xml") if _is_case(p))
    return first + second


def _is_case(path: Path) -> bool:
    return "testsuites" not in path.parts and "schema" not in path.parts and path.name != "bugs-and-features.xml"


def load(path: Path, binding: str) -> Case | None:
    """The case in ``path`` under ``binding``, or None when it has no schema for it."""
    root = etree.parse(str(path)).getroot()
    ns = etree.QName(root).namespace
    suite = "2019" if ns == NS_2019 else "2020"
    schemas = root.find(f"{{{ns}}}schemas")
    assert schemas is not None, path
    found = [s for s in schemas if s.tag == f"{{{SCH}}}schema" and s.get("queryBinding") == binding]
    if not found:
        found = [s for s in schemas if s.tag == f"{{{SCH}}}schema" and s.get("queryBinding") is None]
        if not found:
            return None
        schema = copy.deepcopy(found[0])
        schema.set("queryBinding", binding)
    else:
        schema = copy.deepcopy(found[0])
    phase = schemas.get("phase") if suite == "2019" else root.get("phase")
    docs = []
    for wrapper in root.iterfind(f"{{{ns}}}documents/*"):
        nodes = [n for n in wrapper if not isinstance(n, str)]
        docs.append((wrapper.get("filename"), nodes))
    if suite == "2019":
        docs.sort(key=lambda d: d[0] != root.find(f"{{{ns}}}documents/{{{ns}}}primary").get("filename"))
    expectations = [
        (e.get("test") or e.get("assert") or "", {k: v for k, v in e.nsmap.items() if k})
        for e in [*root.iterfind(f".//{{{ns}}}expectation"), *root.iterfind(f".//{{{ns}}}assertion")]
    ]
    name = str(path.relative_to(SUITES).with_suffix(""))
    return Case(name, suite, binding, root.get("expect", ""), phase, schema, docs, expectations)


def write(case: Case, folder: Path) -> Path:
    """Write the case's documents and schema into ``folder``; the schema's path."""
    for filename, nodes in case.documents:
        target = folder / filename
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"".join(etree.tostring(n, with_tail=False) + b"\n" for n in nodes))
    schema = folder / "schema.sch"
    schema.write_bytes(etree.tostring(case.schema))
    return schema


def run(case: Case, folder: Path) -> tuple[str, etree._Element | None, str]:
    """(verdict, SVRL, detail) for ``case``, with its files written in ``folder``."""
    from teikit import xmlio
    from teikit.problems import SchemaError
    from teikit.validation.schematron import compile_schematron

    schema_path = write(case, folder)
    try:
        sch = compile_schematron(schema_path, case.phase)
    except SchemaError as exc:
        return "error", None, str(exc)
    assert sch is not None
    primary = folder / case.documents[0][0]
    doc = xmlio.parse(primary, primary.name)
    result = sch.validate(doc)
    if result.errors:
        return "error", result.svrl, "; ".join(str(p) for p in result.errors)
    detail = "; ".join(str(p) for p in result.problems)
    return ("invalid" if result.problems else "valid"), result.svrl, detail


def failures(case: Case, folder: Path) -> list[str]:
    """What is wrong with teikit's result on ``case`` (nothing: it passes)."""
    verdict, svrl, detail = run(case, folder)
    out = []
    if verdict != case.verdict:
        out.append(f"verdict {verdict}, expected {case.verdict} ({detail})")
    elif svrl is not None:
        for test, namespaces in case.expectations:
            if not etree.XPath(f"boolean({test})", namespaces=namespaces)(svrl):
                out.append(f"SVRL expectation {test!r} does not hold")
    return out


CASES = [(p, b) for p in case_files() for b in BINDINGS]


def _id(item: tuple[Path, str]) -> str:
    return f"{item[0].relative_to(SUITES).with_suffix('')}:{item[1]}"


@pytest.mark.parametrize("item", CASES, ids=_id)
def test_case(item: tuple[Path, str], tmp_path: Path) -> None:
    case = load(*item)
    if case is None:
        pytest.skip(f"no schema for {item[1]}")
    assert failures(case, tmp_path) == []


def test_suites_present() -> None:
    if not SUITES.is_dir():
        pytest.skip("../shared/schematron-conformance is absent (shared corpus not available)")
    assert len(case_files()) == 144


def main() -> int:
    import tempfile

    totals: dict[tuple[str, str], list[int]] = {}
    for path, binding in CASES:
        case = load(path, binding)
        if case is None:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            bad = failures(case, Path(tmp))
        count = totals.setdefault((case.suite, binding), [0, 0])
        count[0] += not bad
        count[1] += 1
        if bad:
            print(f"FAIL {case.name} [{binding}]: {' | '.join(bad)}")
    for (suite, binding), (ok, n) in sorted(totals.items()):
        print(f"{suite} {binding}: {ok}/{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
