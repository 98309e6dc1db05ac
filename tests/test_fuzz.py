"""A seeded fuzz run: a few hundred mutated TEI documents and bags through
validate, build and verify, in-process.  Each must keep the promises of
``tests/fuzzing.py``: no traceback, exit 0/1/2, only documented line forms,
the input unchanged.  ``benchmarks/fuzz.py`` runs the same generators for
a thousand inputs and more, each in a memory-capped subprocess."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from click.testing import CliRunner

import fuzzing
from teikit.cli import cli

SEED = 20261204


def _check(runner: CliRunner, args: list[str], case: Path) -> list[str]:
    """What is wrong with one run (nothing, if it kept every promise)."""
    before = fuzzing.digest_tree(case)
    res = runner.invoke(cli, args)
    wrong = []
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        wrong.append(f"exception {type(res.exception).__name__}: {res.exception}")
    if res.exit_code not in fuzzing.EXITS:
        wrong.append(f"exit code {res.exit_code}")
    if "Traceback" in res.output:
        wrong.append("a traceback")
    wrong += [f"line outside the documented forms: {line!r}" for line in fuzzing.off_form(res.output.splitlines())]
    if fuzzing.digest_tree(case) != before:
        wrong.append("the input was modified")
    return [f"{case.name} ({' '.join(args[:1])}): {w}" for w in wrong]


def test_fuzz_documents_and_bags(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    runner = CliRunner()
    folder = fuzzing.document_folder(tmp_path / "edition")
    failures: list[str] = []
    mutants = fuzzing.document_mutants(rng, fuzzing.document_seeds())
    for n, data in enumerate(itertools.islice(mutants, 160)):
        case = folder / f"case{n}.xml"
        case.write_bytes(data)
        if n % 4 == 3:
            args = ["build", "--to", "text", "--out", str(tmp_path / "out"), str(case)]
        else:
            args = ["validate", str(case)]
        failures += _check(runner, args, case)
        case.unlink()
    bags = tmp_path / "bags"
    bags.mkdir()
    seed = fuzzing.make_bag(tmp_path)
    for case in itertools.islice(fuzzing.bag_mutants(rng, seed, bags), 160):
        failures += _check(runner, ["verify", str(case)], case)
    assert failures == []
    # nothing written outside the output folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bags", "edition", "out", "seed"]
    assert sorted(p.name for p in (tmp_path / "edition").iterdir()) == ["schema", "tei"]
    assert [p.name for p in folder.iterdir()] == ["register.xml"]
