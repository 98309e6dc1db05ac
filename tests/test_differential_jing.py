"""Differential test: teikit's RelaxNG verdicts equal jing's, file by file.

jing runs once per schema over all the files (it takes many), its
``file:line:col: error: message`` lines give the invalid files; teikit
compiles each schema once and checks every file.  Only the RelaxNG
verdict is compared (problems of engine ``rng``/``xml``; Schematron and
references are off).

Two differences are allowed, and only on the fixtures that show them:

1. jing wrongly accepts format characters (U+200B ZERO WIDTH SPACE,
   U+200D ZERO WIDTH JOINER, U+00AD SOFT HYPHEN, Unicode category Cf) in
   values whose pattern is ``[^\\p{C}\\p{Z}]+`` (teidata.enumerated and
   friends); libxml2 follows the XSD spec and rejects them, so teikit
   says invalid.  The ``known-*.xml`` fixtures (manifest key ``known``).
2. libxml2 reports duplicate and non-NCName ``xml:id`` values while
   parsing, not while validating; teikit still reports them as ``rng``
   problems with their line, and the verdict must agree with jing's
   (``duplicate-xml-id.xml``, ``xml-id-*.xml``).

Any other difference fails.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from conftest import CASES, need_shared
from teikit.validation import Validator

ELTEC = ("corpus", "eltec-eng", "level1")
SCHNITZLER = ("corpus", "schnitzler-briefe", "data")
FIXTURES = CASES / "rng"
MANIFEST = {c["file"]: c for c in tomllib.loads((FIXTURES / "manifest.toml").read_text(encoding="utf-8"))["case"]}
_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>error|fatal): ")


def jing_invalid(jing: str, schema: Path, files: list[Path]) -> dict[Path, int]:
    """One jing run over all files: {invalid file: number of errors}."""
    proc = subprocess.run([jing, str(schema), *map(str, files)], capture_output=True, text=True, timeout=600)
    errors: dict[Path, int] = {}
    for line in proc.stdout.splitlines():
        m = _LINE.match(line)
        if m:
            key = Path(m.group("file")).resolve()
            errors[key] = errors.get(key, 0) + 1
    known = {f.resolve() for f in files}
    assert set(errors) <= known, "jing reported files it was not given"
    assert (proc.returncode != 0) == bool(errors), proc.stdout[-2000:] + proc.stderr[-2000:]
    return errors


def teikit_invalid(validator: Validator, files: list[Path]) -> dict[Path, int]:
    out = {}
    for f in files:
        _, problems = validator.check_file(f)
        rng = [p for p in problems if p.engine in ("rng", "xml") and p.is_error]
        if rng:
            out[f.resolve()] = len(rng)
    return out


@pytest.fixture(scope="module")
def tei_all_validator(tei_all) -> Validator:
    v = Validator(schema=tei_all, references=False)
    v.run_schematron = False  # RelaxNG verdicts only
    return v


@pytest.fixture(scope="module")
def tei_all_files(tei_all):
    eltec = sorted(need_shared(*ELTEC).glob("*.xml"))
    sb = need_shared(*SCHNITZLER)
    letters = sorted((sb / "editions").glob("*.xml"))
    indices = sorted((sb / "indices").glob("*.xml"))
    fixtures = sorted(FIXTURES.glob("*.xml"))
    return {"eltec": eltec, "letters": letters, "indices": indices, "fixtures": fixtures}


@pytest.fixture(scope="module")
def tei_all_verdicts(jing, tei_all, tei_all_files, tei_all_validator):
    files = [f for group in tei_all_files.values() for f in group]
    return jing_invalid(jing, tei_all, files), teikit_invalid(tei_all_validator, files)


def compare(files, jing_bad, teikit_bad, allowed=frozenset()):
    agree, differ, unexpected = 0, 0, []
    for f in files:
        key = f.resolve()
        same = (key in jing_bad) == (key in teikit_bad)
        if same:
            agree += 1
        elif f.name in allowed and key in teikit_bad and key not in jing_bad:
            differ += 1
        else:
            unexpected.append(
                f"{f}: jing {'invalid' if key in jing_bad else 'valid'}, "
                f"teikit {'invalid' if key in teikit_bad else 'valid'}"
            )
    assert not unexpected, "\n".join(unexpected)
    return agree, differ


def test_eltec_against_tei_all(tei_all_files, tei_all_verdicts):
    jing_bad, teikit_bad = tei_all_verdicts
    files = tei_all_files["eltec"]
    assert len(files) == 99
    assert compare(files, jing_bad, teikit_bad) == (99, 0)
    assert sum(f.resolve() not in teikit_bad for f in files) == 0  # 0 of 99 valid
    print(
        f"\nELTeC vs tei_all: 99 compared, 99 agree, 0 valid "
        f"(errors: jing {sum(jing_bad.get(f.resolve(), 0) for f in files)}, "
        f"teikit {sum(teikit_bad.get(f.resolve(), 0) for f in files)})"
    )


def test_schnitzler_against_tei_all(tei_all_files, tei_all_verdicts):
    jing_bad, teikit_bad = tei_all_verdicts
    letters, indices = tei_all_files["letters"], tei_all_files["indices"]
    assert len(letters) == 148
    assert compare(letters + indices, jing_bad, teikit_bad) == (150, 0)
    assert all(f.resolve() in teikit_bad for f in letters)  # none of the 148 letters is valid
    verdict = {f.name: f.resolve() not in teikit_bad for f in indices}
    assert verdict == {"listorg.xml": False, "listplace.xml": True}
    print("\nSchnitzler vs tei_all: 150 compared, 150 agree (148 letters invalid, listplace valid, listorg invalid)")


def test_fixtures_against_tei_all(tei_all_files, tei_all_verdicts):
    jing_bad, teikit_bad = tei_all_verdicts
    files = tei_all_files["fixtures"]
    allowed = {name for name, c in MANIFEST.items() if "known" in c}
    assert len(allowed) == 3
    agree, differ = compare(files, jing_bad, teikit_bad, allowed)
    assert (agree, differ) == (len(files) - 3, 3)
    # the manifest's jing column is what jing says today
    for f in files:
        assert MANIFEST[f.name]["jing"] == ("invalid" if f.resolve() in jing_bad else "valid"), f.name
    # libxml2 sees these while parsing; the verdict still agrees with jing's
    for name in ("duplicate-xml-id.xml", "xml-id-not-ncname.xml", "xml-id-colon.xml"):
        assert FIXTURES.joinpath(name).resolve() in jing_bad and FIXTURES.joinpath(name).resolve() in teikit_bad
    print(f"\nfixtures vs tei_all: {len(files)} compared, {agree} agree, {differ} allowed differences")


def test_eltec_through_own_xml_model(jing):
    """The novels' own xml-model (eltec-1.rng): 98 valid, 1 with 4 errors."""
    files = sorted(need_shared(*ELTEC).glob("*.xml"))
    schema = need_shared("corpus", "Schemas", "eltec-1.rng")
    v = Validator(references=False)
    v.run_schematron = False
    jing_bad = jing_invalid(jing, schema, files)
    teikit_bad = teikit_invalid(v, files)
    assert compare(files, jing_bad, teikit_bad) == (99, 0)
    assert {f.name: n for f, n in teikit_bad.items()} == {"ENG18940_Dixon.xml": 4}
    assert {f.name: n for f, n in jing_bad.items()} == {"ENG18940_Dixon.xml": 4}
    print("\nELTeC vs eltec-1.rng (xml-model): 99 compared, 99 agree, 98 valid, 1 invalid with 4 errors")


def test_totals(tei_all_files, tei_all_verdicts, capsys):
    """The counts quoted in the closing note (eltec-1.rng run adds 99 more)."""
    jing_bad, teikit_bad = tei_all_verdicts
    files = [f for group in tei_all_files.values() for f in group]
    allowed = {name for name, c in MANIFEST.items() if "known" in c}
    agree, differ = compare(files, jing_bad, teikit_bad, allowed)
    assert (len(files), agree, differ) == (99 + 150 + len(tei_all_files["fixtures"]), len(files) - 3, 3)
    with capsys.disabled():
        print(
            f"\ndifferential vs jing (tei_all): {len(files)} files compared, {agree} agree, "
            f"{differ} allowed differences; plus 99 of 99 agree through eltec-1.rng"
        )
