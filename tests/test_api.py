"""The public library surface: what ``teikit.__all__`` lists, and the CLI
calls exactly these functions."""

from __future__ import annotations

import pytest

import teikit
from conftest import ROOT
from teikit.cli import cli

TEI = str(ROOT / "tei")


def test_all_lists_the_library_surface():
    assert {"validate", "check", "iter_results", "iter_errors", "is_valid", "build", "deposit_bag", "verify"} <= set(
        teikit.__all__
    )
    for name in teikit.__all__:
        assert hasattr(teikit, name), name


def test_check_and_validate_on_the_edition():
    report = teikit.check([TEI])
    assert report.ok and len(report.files) == 3
    assert teikit.validate([TEI]).ok
    assert teikit.is_valid([TEI])
    assert list(teikit.iter_errors([TEI])) == []


def test_validate_raises_with_the_report(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text/></TEI>")
    with pytest.raises(teikit.ValidationError) as info:
        teikit.validate([bad])
    assert info.value.report.problems and not info.value.report.ok
    assert not teikit.check([bad]).ok


def test_build_deposit_and_verify(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = teikit.build([TEI], out=tmp_path / "out", formats=["text"])
    assert result.ok and sorted(p.name for p in result.written) == [
        "after-october.txt",
        "register.txt",
        "secret-treaties.txt",
    ]
    dep = teikit.deposit_bag([TEI], out=tmp_path / "deposit")
    assert dep.ok and dep.bag is not None
    assert teikit.verify(dep.bag).ok


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["validate", TEI], "iter_results"),
        (["build", "--out", "OUT", TEI], "build"),
        (["deposit", "--out", "OUT", TEI], "deposit_bag"),
        (["verify", TEI], "verify"),
    ],
)
def test_the_cli_calls_the_public_functions(args, name, runner, monkeypatch, tmp_path):
    called = []

    class Stop(Exception):
        pass

    def spy(*a, **k):
        called.append(name)
        raise Stop

    monkeypatch.setattr(teikit, name, spy)
    args = [str(tmp_path) if a == "OUT" else a for a in args]
    result = runner.invoke(cli, args)
    assert called == [name]
    assert "internal error: Stop" in result.output  # the spy's own exception, mapped by the CLI
