"""A large seeded fuzz run: mutated TEI documents through validate and build,
mutated bags through verify, with the promises of ``tests/fuzzing.py``.

    python3 benchmarks/fuzz.py [--documents 600] [--bags 600] [--seed 1]

Documents run in this process (Saxon starts once; a 60 s alarm catches a
hang); each bag runs in its own subprocess with its address space capped
at 200 MiB (RLIMIT_AS) and a 60 s timeout.  Prints the counts the issue
asks for (tracebacks, undocumented exit codes, hangs, lines outside the
documented forms, modified inputs) and the slowest case and the largest
peak RSS; exits 1 if any count is not zero.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from click.testing import CliRunner  # noqa: E402

import fuzzing  # noqa: E402
from capped import _CAPPED, CAP  # noqa: E402
from teikit.cli import cli  # noqa: E402

# The child's own peak RSS, from /proc at exit: RUSAGE_CHILDREN would count the parent's
# memory too (a forked child's high-water mark starts at the parent's size).
_RSS_HOOK = (
    "import atexit, os\n"
    "atexit.register(lambda: open(os.environ['TEIKIT_FUZZ_RSS'], 'w').write(open('/proc/self/status').read()))\n"
)


def _peak_kib(status: Path) -> int:
    try:
        text = status.read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang


def _judge(code: int | None, output: str, hung: bool, modified: bool, crashed: str | None) -> list[str]:
    found = []
    if hung:
        found.append("hang")
    if crashed or "Traceback" in output:
        found.append("traceback")
    if code is not None and code not in fuzzing.EXITS:
        found.append("undocumented exit")
    if fuzzing.off_form(output.splitlines()):
        found.append("line outside the forms")
    if modified:
        found.append("modified input")
    return found


def run_documents(rng: random.Random, tmp: Path, count: int, counts: Counter[str], examples: list[str]) -> float:
    runner = CliRunner()
    folder = fuzzing.document_folder(tmp / "edition")
    slowest = 0.0
    signal.signal(signal.SIGALRM, _alarm)
    for n, data in enumerate(itertools.islice(fuzzing.document_mutants(rng, fuzzing.document_seeds()), count)):
        case = folder / f"case{n}.xml"
        case.write_bytes(data)
        args = (
            ["build", "--to", "text", "--out", str(tmp / "out"), str(case)] if n % 4 == 3 else ["validate", str(case)]
        )
        before = fuzzing.digest_tree(case)
        start = time.perf_counter()
        signal.alarm(60)
        try:
            res = runner.invoke(cli, args)
            hung = False
        except Hang:
            res, hung = None, True
        finally:
            signal.alarm(0)
        slowest = max(slowest, time.perf_counter() - start)
        crashed = None
        if res is not None and res.exception is not None and not isinstance(res.exception, SystemExit):
            crashed = repr(res.exception)
        found = _judge(
            res.exit_code if res else None,
            res.output if res else "",
            hung,
            fuzzing.digest_tree(case) != before,
            crashed,
        )
        _record(found, f"{args[0]} case{n}.xml", res.output if res else "", counts, examples)
        case.unlink()
    return slowest


def run_bags(rng: random.Random, tmp: Path, count: int, counts: Counter[str], examples: list[str]) -> tuple[float, int]:
    bags = tmp / "bags"
    bags.mkdir()
    seed = fuzzing.make_bag(tmp)
    slowest, peak = 0.0, 0
    rss = tmp / "rss"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TEIKIT_FUZZ_RSS": str(rss)}
    for case in itertools.islice(fuzzing.bag_mutants(rng, seed, bags), count):
        before = fuzzing.digest_tree(case)
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", _RSS_HOOK + _CAPPED, "verify", str(case)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
        )
        hung = False
        try:
            out, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            hung = True
        peak = max(peak, _peak_kib(rss))
        slowest = max(slowest, time.perf_counter() - start)
        text = out.decode("utf-8", "replace")
        found = _judge(proc.returncode, text, hung, fuzzing.digest_tree(case) != before, None)
        _record(found, f"verify {case.name}", text, counts, examples)
    return slowest, peak


def _record(found: list[str], label: str, output: str, counts: Counter[str], examples: list[str]) -> None:
    counts["cases"] += 1
    for f in found:
        counts[f] += 1
    if found and len(examples) < 20:
        bad = fuzzing.off_form(output.splitlines())[:1] or output.splitlines()[-1:]
        examples.append(f"{label}: {', '.join(found)}: {bad[0][:200] if bad else ''}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=600)
    ap.add_argument("--bags", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    counts: Counter[str] = Counter()
    examples: list[str] = []
    with tempfile.TemporaryDirectory(prefix="teikit-fuzz-") as name:
        tmp = Path(name)
        t0 = time.perf_counter()
        doc_slowest = run_documents(rng, tmp, args.documents, counts, examples)
        bag_slowest, bag_peak = run_bags(rng, tmp, args.bags, counts, examples)
        total = time.perf_counter() - t0
    kinds = ["traceback", "undocumented exit", "hang", "line outside the forms", "modified input"]
    print(f"seed {args.seed}: {counts['cases']} inputs ({args.documents} documents, {args.bags} bags) in {total:.0f} s")
    plural = {"line outside the forms": "lines outside the forms", "modified input": "modified inputs"}
    for k in kinds:
        print(f"  {plural.get(k, k + 's'):<24}{counts[k]}")
    print(f"  slowest document case   {doc_slowest:.2f} s")
    print(f"  slowest bag case        {bag_slowest:.2f} s (verify in a subprocess capped at {CAP >> 20} MiB)")
    print(f"  peak RSS, one bag case  {bag_peak / 1024:.0f} MiB")
    print(
        f"  peak RSS, document runs {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB (one process)"
    )
    for e in examples:
        print("  e.g. " + e)
    return 1 if any(counts[k] for k in kinds) else 0


if __name__ == "__main__":
    sys.exit(main())
