"""The readiness check, table-driven from tests/cases/deposit/readiness.toml.

Each fixture is readiness/good.xml with one thing changed; the case lists
every problem expected, exactly as printed (after the file name).  A
failing readiness check writes nothing: the output folder must not exist
afterwards.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from conftest import CASES
from teikit import corpus
from teikit.deposit import deposit
from teikit.problems import UsageError

HERE = CASES / "deposit"
MANIFEST = tomllib.loads((HERE / "readiness.toml").read_text("utf-8"))["case"]


def _profile(name: str) -> str:
    return str(HERE / "profiles" / name) if name.endswith(".toml") else name


def _id(case: dict) -> str:
    return f"{case.get('rename', case['file'])}-{case.get('profile', 'generic')}"


@pytest.mark.parametrize("case", MANIFEST, ids=[_id(c) for c in MANIFEST])
def test_readiness_case(case, tmp_path, stub_build):
    src = HERE / "readiness" / case["file"]
    if "rename" in case:
        # the copy keeps the xml-model href working: it sits beside the fixtures' folder
        folder = tmp_path / "cases" / "readiness"
        folder.mkdir(parents=True)
        shutil.copytree(HERE / "edition" / "schema", tmp_path / "cases" / "edition" / "schema")
        src = folder / case["rename"]
        shutil.copyfile(HERE / "readiness" / case["file"], src)
    out = tmp_path / "out" / "deposit"
    result = deposit([src], out=out, profile=_profile(case.get("profile", "generic")), archive="zip")
    display = corpus.display_name(src)
    got = [str(p)[len(display) :] for p in result.report.problems if p.is_error]
    assert all(str(p).startswith(display) for p in result.report.problems)
    assert got == case["expected"]
    if case["expected"]:
        assert not result.ok and result.bag is None and result.archive is None
        assert (
            result.summary()
            == f"readiness check failed: {len(got)} problem{'s' if len(got) != 1 else ''}; nothing written"
        )
        assert not (tmp_path / "out").exists()
    else:
        assert result.ok and (out / "teikit-edition" / "bagit.txt").is_file()


def test_every_problem_is_listed_at_once(tmp_path, stub_build):
    """Several files, several rules: one run reports them all, file by file."""
    files = [HERE / "readiness" / n for n in ("no-title.xml", "latin1.xml", "good.xml", "doctype.xml")]
    result = deposit(files, out=tmp_path / "out", profile="generic", archive=None)
    rules = [(Path(p.file).name, p.rule) for p in result.report.problems]
    assert rules == [
        ("no-title.xml", "title"),
        ("latin1.xml", "encoding"),
        ("latin1.xml", "encoding"),
        ("doctype.xml", "doctype"),
    ]
    assert not (tmp_path / "out").exists()


def test_schematron_failure_is_a_readiness_problem(tmp_path, stub_build):
    from teikit.validation.schematron import compile_schematron

    try:
        compile_schematron(HERE / "edition" / "schema" / "mini.sch")
    except NotImplementedError:
        pytest.skip("the Schematron engine (teikit.validation.schematron) is not implemented yet")
    result = deposit([HERE / "readiness" / "invalid-sch.xml"], out=tmp_path / "out", profile="generic", archive=None)
    [problem] = result.report.problems
    assert (problem.line, problem.rule, problem.severity) == (39, "valid", "error")
    assert "an endnote needs @n" in problem.message and "(sch" in problem.message


def test_tapas_validates_against_tei_all(tmp_path, stub_build, tei_all, monkeypatch):
    """tapas: the project's validation AND tei_all (RelaxNG + its Schematron)."""
    from teikit.validation.schematron import compile_schematron

    try:
        compile_schematron(HERE / "edition" / "schema" / "mini.sch")
    except NotImplementedError:
        pytest.skip("tei_all's embedded Schematron needs teikit.validation.schematron, not implemented yet")
    monkeypatch.setenv("TEIKIT_TEI_ALL", str(tei_all))
    files = [HERE / "readiness" / "good.xml", HERE / "readiness" / "not-tei-all.xml"]
    result = deposit(files, out=tmp_path / "out", profile="tapas", archive=None)
    bad = [p for p in result.report.problems if p.is_error]
    assert {Path(p.file).name for p in bad} == {"not-tei-all.xml"}
    assert [(p.line, p.column, p.rule) for p in bad] == [(37, 13, "valid-tei_all")]
    assert bad[0].message.startswith('tei_all: element "blah" not allowed anywhere in "head"')
    assert not (tmp_path / "out").exists()


def test_tapas_without_tei_all_is_a_usage_error(tmp_path, stub_build, monkeypatch):
    monkeypatch.delenv("TEIKIT_TEI_ALL", raising=False)
    with pytest.raises(UsageError) as err:
        deposit(
            [HERE / "readiness" / "good.xml"],
            out=tmp_path / "out",
            profile=_profile("tapas-elsewhere.toml"),
            archive=None,
        )
    missing = HERE / "profiles" / "no-such-folder" / "tei_all.rng"
    assert str(err.value) == (
        "the tapas-elsewhere profile validates against tei_all, which teikit does not ship and which was not "
        f"found (looked in: {missing}); set TEIKIT_TEI_ALL=/path/to/tei_all.rng or use a profile file whose "
        "[validation] schema names it"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "profile, message",
    [
        ("nonesuch", "unknown profile 'nonesuch': choose generic, tapas, clarin, zenodo or give a .toml file"),
        ("missing.toml", "cannot read profile {dir}/missing.toml: No such file or directory"),
        ("bad-xpath.toml", "bad XPath in the deposit profile: 'tei:teiHeader/tei:fileDesc/('"),
    ],
)
def test_bad_profile_is_a_usage_error(profile, message, tmp_path, stub_build):
    spec = profile if "." not in profile else str(HERE / "profiles" / profile)
    with pytest.raises(UsageError) as err:
        deposit([HERE / "readiness" / "good.xml"], out=tmp_path / "out", profile=spec, archive=None)
    assert str(err.value).startswith(message.format(dir=HERE / "profiles"))
    assert not (tmp_path / "out").exists()
