"""The warm Schematron cache: a run that finds a Schematron in the cache
folder reads neither the schema nor its rules, only Saxon compiles, and
the problems are those of a compile from the schema; a changed included
file, and an entry that cannot be read, make it read the schema again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CASES
from teikit import saxon, xmlio
from teikit.validation import schematron
from teikit.validation.schematron import assemble, compile_schematron

FIXTURES = CASES / "schematron"


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, and no compiled Schematron in this process."""
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(schematron, "_CACHE", {})
    monkeypatch.setattr(saxon, "_CACHE", {})
    return tmp_path


def problems(path: Path, doc: Path, names: frozenset[str] | None = None) -> list[str]:
    sch = compile_schematron(path, names=names)
    assert sch is not None
    return [str(p) for p in sch.check(xmlio.parse(doc, doc.name))]


def forget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new process, as far as compiled Schematron goes."""
    monkeypatch.setattr(schematron, "_CACHE", {})
    monkeypatch.setattr(saxon, "_CACHE", {})


def refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the schema was read")


@pytest.mark.parametrize("case", ["assert", "diagnostics", "lets", "include", "abstract-rule", "message", "embedded"])
def test_a_warm_run_reads_no_schema_and_says_the_same(fresh: Path, monkeypatch, case: str) -> None:
    schema = FIXTURES / (f"{case}.rng" if case == "embedded" else f"{case}.sch")
    doc = FIXTURES / f"{case}-fail.xml"
    cold = problems(schema, doc)
    assert cold  # the fixture fails: there is something to compare
    forget(monkeypatch)
    monkeypatch.setattr(schematron, "read_schema", refuse)
    assert problems(schema, doc) == cold
    assert problems(schema, FIXTURES / f"{case}-pass.xml") == []


def test_the_subset_for_a_documents_names_is_kept_too(fresh: Path, monkeypatch) -> None:
    schema, doc = FIXTURES / "assert.sch", FIXTURES / "assert-fail.xml"
    problems(schema, doc)  # the first compile on a machine takes every rule
    forget(monkeypatch)
    names = frozenset(el.tag.rsplit("}", 1)[-1] for el in xmlio.parse(doc, doc.name).root.iter())
    subset = problems(schema, doc, names)
    forget(monkeypatch)
    monkeypatch.setattr(schematron, "read_schema", refuse)
    assert problems(schema, doc, names) == subset


def test_a_changed_include_is_read_again(fresh: Path, monkeypatch) -> None:
    shutil.copy(FIXTURES / "include.sch", fresh / "include.sch")
    shutil.copytree(FIXTURES / "inc", fresh / "inc")
    doc = FIXTURES / "include-fail.xml"
    before = problems(fresh / "include.sch", doc)
    forget(monkeypatch)
    included = fresh / "inc" / "rule.sch"
    included.write_text(included.read_text().replace("<assert ", '<assert role="warning" ', 1))
    reads: list[Path] = []
    monkeypatch.setattr(schematron, "read_schema", lambda *a, **k: reads.append(a[0]) or assemble.read_schema(*a, **k))
    after = problems(fresh / "include.sch", doc)
    assert reads and after != before and any(": warning: " in p for p in after)


def test_an_entry_that_cannot_be_read_is_rebuilt(fresh: Path, monkeypatch) -> None:
    schema, doc = FIXTURES / "assert.sch", FIXTURES / "assert-fail.xml"
    cold = problems(schema, doc)
    for entry in (fresh / "cache" / "teikit" / "schematron").iterdir():
        entry.write_bytes(b"not a pickle")
    forget(monkeypatch)
    assert problems(schema, doc) == cold
