"""``--shard K/N`` and ``teikit report merge``: N shards cover a corpus
exactly once, and their merged reports are the report of the whole run.

The corpus is made in ``tmp_path``: TEI files in nested folders that point
at tests/cases/safety/tiny.rng, valid, invalid and not well-formed, plus a
file that is not TEI (skipped with a note in every shard).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import CASES, need_shared
from teikit import corpus, report
from teikit.cli import cli
from teikit.problems import UsageError

MODEL = '<?xml-model href="{up}tiny.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
OK = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>\n'
BAD = '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><body><p colour="red">x</p><div/></body></text></TEI>\n'
BROKEN = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>\n<body></text></TEI>\n'


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "corpus"
    shutil.copy(CASES / "safety" / "tiny.rng", tmp_path / "tiny.rng")
    for i in range(24):
        folder = root / f"part{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        body = BROKEN if i % 11 == 5 else BAD if i % 4 == 1 else OK
        (folder / f"doc{i:02}.xml").write_text(MODEL.format(up="../../") + body)
    (root / "part0" / "catalog.xml").write_text("<catalog/>")
    monkeypatch.chdir(tmp_path)
    return root


def invoke(runner, *args: str) -> tuple[int, str]:
    r = runner.invoke(cli, list(args))
    return r.exit_code, r.stdout


def test_shards_partition_the_corpus(docs: Path) -> None:
    found = corpus.find([docs])
    for n in (1, 2, 3, 5, 7, 30):
        parts = [found.select(corpus.Shard(k, n)) for k in range(1, n + 1)]
        taken = [f for part in parts for f in part.files]
        assert sorted(taken) == sorted(found.files) and len(taken) == len(found.files)  # union = all, disjoint
        for part in parts:
            assert part.shard is not None and part.shard.total == len(found.files)
            assert [found.files[i] for i in part.shard.positions] == part.files  # the run's order kept
            assert part.skipped == found.skipped


def test_shards_of_the_shared_corpus(tmp_path: Path) -> None:
    found = corpus.find([need_shared("corpus")])
    parts = [found.select(corpus.Shard(k, 4)) for k in range(1, 5)]
    sets = [set(p.files) for p in parts]
    assert set().union(*sets) == set(found.files) and sum(map(len, sets)) == len(found.files)
    assert all(len(s) > len(found.files) // 8 for s in sets)  # a hash spreads them, none is near empty


def test_shard_key_is_the_path_below_the_folder(docs: Path, tmp_path: Path, monkeypatch) -> None:
    """The split does not depend on the working folder or on where the corpus lies."""
    here = {corpus.display_name(f) for f in corpus.find(["corpus"]).select(corpus.Shard(2, 3)).files}
    moved = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(docs, moved)
    monkeypatch.chdir(moved)
    there = {corpus.display_name(f) for f in corpus.find(["."]).select(corpus.Shard(2, 3)).files}
    assert {name.removeprefix("corpus/") for name in here} == there


def test_merged_shards_equal_the_unsharded_report(runner, docs: Path) -> None:
    code, _ = invoke(runner, "validate", "--format", "json", "--output", "all.json", "corpus")
    assert code == 1
    whole = json.loads(Path("all.json").read_text())
    assert "shard" not in whole and whole["summary"]["skipped"] == 1
    for k in (1, 2, 3):
        code, _ = invoke(
            runner, "validate", "--shard", f"{k}/3", "--format", "json", "--output", f"s{k}.json", "corpus"
        )
        shard = json.loads(Path(f"s{k}.json").read_text())
        assert shard["shard"] == {"index": k, "count": 3, "files": 24, "strict": False}
        assert code == (0 if all(f["valid"] for f in shard["files"]) else 1)
    for fmt, ext in (("json", "json"), ("junit", "xml"), ("text", "txt"), ("github", "gh")):
        invoke(runner, "validate", "--format", fmt, "--output", f"all.{ext}", "corpus")
        code, _ = invoke(
            runner, "report", "merge", "s3.json", "s1.json", "s2.json", "--format", fmt, "--output", f"m.{ext}"
        )
        assert code == 1
        assert Path(f"m.{ext}").read_text() == Path(f"all.{ext}").read_text()
    code, out = invoke(runner, "report", "merge", "s1.json", "s2.json", "s3.json", "-q")
    _, whole_text = invoke(runner, "validate", "-q", "corpus")
    assert out == whole_text and out.count("error") == whole["summary"]["errors"]


def test_an_empty_shard_is_an_empty_valid_report(runner, docs: Path) -> None:
    found = corpus.find(["corpus"])
    empty = next(k for k in range(1, 200) if not found.select(corpus.Shard(k, 199)).files)
    code, out = invoke(runner, "validate", "--shard", f"{empty}/199", "corpus")
    assert code == 0 and out == "0 files: 0 valid, 0 invalid; 0 errors, 0 warnings; 1 skipped\n"


@pytest.mark.parametrize("value", ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"])
def test_bad_shard_is_a_usage_error(runner, docs: Path, value: str) -> None:
    r = runner.invoke(cli, ["validate", "--shard", value, "corpus"])
    assert r.exit_code == 2 and r.stderr.startswith(f"Error: --shard {value}: ")


def test_merge_refuses_incomplete_or_mixed_reports(runner, docs: Path) -> None:
    for k in (1, 2):
        invoke(runner, "validate", "--shard", f"{k}/2", "--format", "json", "--output", f"s{k}.json", "corpus")
    invoke(runner, "validate", "--shard", "1/3", "--format", "json", "--output", "t1.json", "corpus")
    invoke(runner, "validate", "--format", "json", "--output", "all.json", "corpus")
    invoke(runner, "validate", "--format", "junit", "--output", "all.xml", "corpus")
    cases = {
        ("s1.json",): "Error: cannot merge: shard 2 of 2 missing",
        ("s1.json", "s1.json"): "Error: cannot merge: s1.json and s1.json are both shard 1/2",
        (
            "s1.json",
            "t1.json",
        ): "Error: cannot merge: t1.json is shard 1/3 of a run of 24 files, s1.json shard 1/2 of one of 24",
        ("s1.json", "all.json"): "Error: cannot merge s1.json, a shard's report, with all.json, which is not one",
        ("all.json", "all.json"): "Error: cannot merge: file corpus/part0/doc00.xml is in more than one report",
    }
    for args, message in cases.items():
        r = runner.invoke(cli, ["report", "merge", *args])
        assert (r.exit_code, r.stderr.strip()) == (2, message)
    r = runner.invoke(cli, ["report", "merge", "all.xml"])
    assert r.exit_code == 2 and r.stderr.startswith("Error: all.xml is not a JSON report of teikit validate: ")
    assert r.stderr.rstrip().endswith("(write the shards' reports with --format json)")


def test_merge_of_plain_reports_joins_them_in_order(docs: Path) -> None:
    a = report.as_json(_run(["corpus/part0"]))
    b = report.as_json(_run(["corpus/part1", "corpus/part2"]))
    whole = _run(["corpus/part0", "corpus/part1", "corpus/part2"])
    assert report.as_json(report.merge([("a", a), ("b", b)])) == report.as_json(whole)
    with pytest.raises(UsageError, match="no files and summary"):
        report.merge([("x", "[]")])


def _run(paths: list[str]) -> report.Report:
    from teikit.validation import run

    return run(paths, references=False)
