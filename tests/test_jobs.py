"""--jobs N runs workers that start Saxon themselves.

Saxon (a GraalVM native image) started in a process that then forks
leaves the forked workers hanging as soon as its garbage collector runs,
which large documents trigger.  These runs over the ELTeC novels (their
own RelaxNG and embedded Schematron) hung before the fix; they must now
finish and give the same report as one process.  The timeout only turns
a hang into a failure; it is not a speed goal.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import CASES, ROOT, need_shared

HANG = 600  # seconds: far above the normal run time (about 10 s)


def teikit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "teikit", *args], capture_output=True, text=True, timeout=HANG)


def test_validate_with_schematron_in_two_workers_equals_one_process():
    novels = str(need_shared("corpus", "eltec-eng", "level1"))
    one = teikit("validate", "--no-references", "--jobs", "1", novels)
    two = teikit("validate", "--no-references", "--jobs", "2", novels)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert one.stdout.strip().splitlines()[-1] == "99 files: 98 valid, 1 invalid; 4 errors, 0 warnings"


def test_build_in_two_workers_equals_one_process(tmp_path):
    novels = need_shared("corpus", "eltec-eng", "level1")
    largest = sorted(novels.glob("*.xml"), key=lambda p: p.stat().st_size)[-6:]
    outs, messages = [], []
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        r = teikit("build", "--no-validate", "--to", "html,text", "--jobs", jobs, "--out", str(out), *map(str, largest))
        assert r.returncode == 0, r.stderr
        files = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        outputs = len(files) - 1  # the build manifest, written last, is not counted among the outputs
        assert r.stderr.endswith(f"6 documents: {outputs} files written to {out}/; 0 failed\n")
        outs.append(files)
        messages.append(r.stderr.replace(str(out), "OUT"))
    assert outs[0] == outs[1]
    assert messages[0] == messages[1]


def test_costliest_items_first_results_in_item_order():
    """With a cost, big items are handed out first; results keep item order."""
    from teikit import corpus

    items = [3, 1, 4, 1, 5, 9, 2, 6]
    got = list(corpus.run_jobs(lambda x: x * 10, items, jobs=2, cost=float))
    assert got == [x * 10 for x in items]
    assert list(corpus._in_order([(2, "c"), (0, "a"), (1, "b")])) == ["a", "b", "c"]


# The project's own fixtures: always present, so these cases always run.
OWN = [str(ROOT / "tei"), str(CASES / "edition"), str(CASES / "build" / "bad" / "broken.xml")]


def test_validate_own_fixtures_in_two_workers_equals_one_process():
    one = teikit("validate", "--jobs", "1", *OWN)
    two = teikit("validate", "--jobs", "2", *OWN)
    lines = one.stdout.strip().splitlines()
    assert lines[-1].startswith("6 files: ")  # at least 4 files, some invalid
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout  # same problems, in the same order
    assert one.stderr == two.stderr


def test_build_own_fixtures_in_two_workers_equals_one_process(tmp_path):
    sources = [str(ROOT / "tei"), str(CASES / "build" / "anytei")]
    runs = []
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        r = teikit("build", "--no-validate", "--to", "html,text", "--jobs", jobs, "--out", str(out), *sources)
        files = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        runs.append((r.returncode, r.stdout, r.stderr.replace(str(out), "OUT"), files))
    assert len(runs[0][3]) >= 8
    assert runs[0] == runs[1]
