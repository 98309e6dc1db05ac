#!/usr/bin/env python3
"""Every speed goal of teikit, measured side by side with jing in one run.

Run on demand (not in CI):  python3 benchmarks/goals.py [--repeat 3] [--quick] [--jobs 2]

For each goal it prints the measured times, the ratio and whether the
goal is met (``met`` / ``MISSED``), then one table of them all.  Times are
the best of ``--repeat`` runs of whole processes (wall clock), as a user
sees them.  "Warm" means teikit's cache folder already holds what an
earlier run of the same command wrote; "cold" means an empty cache folder
for every run (CI on a fresh runner).  The parse floor is Python starting,
importing lxml and parsing the same files with the same number of
processes.  RelaxNG verdicts are compared with jing's on every file; the
script exits 1 if one differs, 2 if a tool or ../shared is missing.

Needs: jing, /usr/bin/time (Debian ``time``) and the shared corpus in ../shared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TEI_ALL = SHARED / "schema" / "tei_all.rng"
LETTERS = SHARED / "corpus" / "schnitzler-briefe" / "data" / "editions"
NOVELS = SHARED / "corpus" / "eltec-eng" / "level1"
ONE = LETTERS / "L00001.xml"
TEIKIT = [sys.executable, "-m", "teikit"]
#: the TEI Stylesheets' HTML of the 99 novels on saxonche, measured earlier on this corpus
STYLESHEETS_HTML_S = 51.6

FLOOR = """
import sys
from lxml import etree

def parse(path):
    etree.parse(path, etree.XMLParser(huge_tree=True))
    return 0

files, jobs = sys.argv[2:], int(sys.argv[1])
if jobs == 1:
    for f in files:
        parse(f)
else:
    from multiprocessing import get_context

    with get_context("fork").Pool(jobs) as pool:
        list(pool.imap_unordered(parse, files))
"""


@dataclass
class Goal:
    name: str
    measured: str
    target: str
    met: bool | None  # None: reported, no target

    def row(self) -> tuple[str, str, str, str]:
        verdict = "-" if self.met is None else "met" if self.met else "MISSED"
        return self.name, self.measured, self.target, verdict


class Bench:
    def __init__(self, repeat: int) -> None:
        self.repeat = repeat
        self.env = dict(os.environ)
        # An installed package has its bytecode compiled (pip does it); the
        # checkout's goes to a folder of this run, not to the source tree.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.scratch = Path(tempfile.mkdtemp(prefix="teikit-goals-"))
        self.env["PYTHONPYCACHEPREFIX"] = str(self.scratch / "pyc")
        self.env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [self.env.get("PYTHONPATH")])])
        self.warm_cache = self.scratch / "warm-cache"
        self.goals: list[Goal] = []
        self.differences = 0

    def run(self, cmd: list[str], cache: Path | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
        env = dict(self.env, TEIKIT_CACHE_DIR=str(cache or self.warm_cache))
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        return time.perf_counter() - start, proc

    def best(self, cmd: list[str], *, cold: bool = False) -> tuple[float, subprocess.CompletedProcess[str]]:
        """The best of ``repeat`` runs; warm runs come after one that fills the cache."""
        if not cold:
            self.run(cmd)
        times, last = [], None
        for i in range(self.repeat):
            cache = self.scratch / f"cold-{time.monotonic_ns()}-{i}" if cold else None
            t, last = self.run(cmd, cache)
            times.append(t)
            if cache is not None:
                shutil.rmtree(cache, ignore_errors=True)
        assert last is not None
        return min(times), last

    def peak_mb(self, cmd: list[str]) -> float:
        """Peak RSS of the largest process of ``cmd`` (GNU time's maximum resident set size)."""
        self.run(cmd)  # warm
        _, proc = self.run(["/usr/bin/time", "-v", *cmd])
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        return int(m.group(1)) / 1024 if m else float("nan")

    def floor(self, files: list[Path], jobs: int) -> float:
        t, _ = self.best([sys.executable, "-c", FLOOR, str(jobs), *map(str, files)], cold=True)
        return t

    def goal(self, name: str, measured: str, target: str, met: bool | None) -> None:
        self.goals.append(Goal(name, measured, target, met))
        print(f"  {' | '.join(self.goals[-1].row())}", file=sys.stderr, flush=True)


def jing(bench: Bench, files: list[Path]) -> tuple[float, dict[str, bool]]:
    t, proc = bench.best(["jing", str(TEI_ALL), *map(str, files)], cold=True)
    bad = {str(Path(line.split(":", 1)[0]).resolve()) for line in proc.stdout.splitlines() if ": error:" in line}
    return t, {str(f.resolve()): str(f.resolve()) not in bad for f in files}


def rng_verdicts(proc: subprocess.CompletedProcess[str]) -> dict[str, bool]:
    data = json.loads(proc.stdout)
    out = {}
    for item in data["files"]:
        errors = [p for p in item["problems"] if p["engine"] in ("rng", "xml") and p["severity"] == "error"]
        out[str(Path(item["file"]).resolve())] = not errors
    return out


def validate(*extra: str) -> list[str]:
    return [*TEIKIT, "validate", "--schema", str(TEI_ALL), "--format", "json", "--quiet", *extra]


def one_file(bench: Bench) -> None:
    print("1. one file", file=sys.stderr)
    jing_s, _ = bench.best(["jing", str(TEI_ALL), str(ONE)], cold=True)
    warm, _ = bench.best(validate(str(ONE)))
    cold, _ = bench.best(validate(str(ONE)), cold=True)
    warm_rng, _ = bench.best(validate("--no-schematron", str(ONE)))
    help_s, _ = bench.best([*TEIKIT, "--help"])
    floor = bench.floor([ONE], 1)
    kb = ONE.stat().st_size / 1000
    bench.goal(
        f"1 file ({kb:.0f} KB), warm, default run",
        f"{warm:.3f} s; jing {jing_s:.3f} s: {jing_s / warm:.2f}x",
        ">= 3x jing",
        jing_s / warm >= 3,
    )
    bench.goal(
        "1 file, cold (empty cache), default run",
        f"{cold:.3f} s: {jing_s / cold:.2f}x jing",
        ">= 1x jing",
        jing_s / cold >= 1,
    )
    bench.goal(
        "1 file, warm, against the parse floor",
        f"{warm:.3f} s; floor {floor:.3f} s: {warm / floor:.2f}x floor",
        "<= 3x floor",
        warm / floor <= 3,
    )
    bench.goal(
        "1 file, warm, RelaxNG only",
        f"{warm_rng:.3f} s: {jing_s / warm_rng:.2f}x jing, {warm_rng / floor:.2f}x floor",
        "(reported)",
        None,
    )
    bench.goal("teikit --help", f"{help_s:.3f} s: {help_s / floor:.2f}x floor", "(reported)", None)


def corpus(bench: Bench, label: str, files: list[Path], want: float, jobs: int) -> None:
    print(f"2-3. {label}", file=sys.stderr)
    mb = sum(f.stat().st_size for f in files) / 1e6
    name = f"{label} ({len(files)} files, {mb:.1f} MB), -j{jobs}"
    jing_s, jv = jing(bench, files)
    paths = map(str, files)
    rng = validate("--no-schematron", "--no-references", "--jobs", str(jobs), *paths)
    warm, proc = bench.best(rng)
    cold, _ = bench.best(rng, cold=True)
    default = validate("--jobs", str(jobs), *map(str, files))
    warm_d, _ = bench.best(default)
    cold_d, _ = bench.best(default, cold=True)
    floor = bench.floor(files, jobs)
    tv = rng_verdicts(proc)
    differ = [f for f in jv if jv[f] != tv.get(f)]
    bench.differences += len(differ)
    for f in differ:
        print(
            f"VERDICT DIFFERS: {f}: jing {'valid' if jv[f] else 'invalid'}, teikit {'valid' if tv.get(f) else 'invalid'}"
        )
    agree = f"verdicts = jing's {len(jv) - len(differ)}/{len(jv)}"
    bench.goal(
        f"{name}, RelaxNG only, warm",
        f"{warm:.2f} s; jing {jing_s:.2f} s: {jing_s / warm:.2f}x; {agree}",
        f">= {want:g}x jing",
        jing_s / warm >= want and not differ,
    )
    bench.goal(
        f"{name}, RelaxNG only, warm, against the parse floor",
        f"{warm:.2f} s; floor {floor:.2f} s: {warm / floor:.2f}x floor",
        "<= 2x floor",
        warm / floor <= 2,
    )
    bench.goal(f"{name}, RelaxNG only, cold", f"{cold:.2f} s: {jing_s / cold:.2f}x jing", ">= 1x jing", jing_s >= cold)
    for state, t in (("warm", warm_d), ("cold", cold_d)):
        bench.goal(
            f"{name}, default run (RelaxNG + Schematron + references), {state}",
            f"{t:.2f} s: {jing_s / t:.2f}x jing (RelaxNG only)",
            ">= 1x jing",
            jing_s >= t,
        )


def memory(bench: Bench, jobs: int) -> None:
    print("4. memory", file=sys.stderr)
    novels = sorted(NOVELS.glob("*.xml"))
    largest = max(novels, key=lambda f: f.stat().st_size)
    alone = bench.peak_mb(validate("--no-schematron", "--no-references", str(largest)))
    for j in (1, jobs):
        peak = bench.peak_mb(validate("--no-schematron", "--no-references", "--jobs", str(j), str(NOVELS)))
        bench.goal(
            f"peak RSS, 99 novels, RelaxNG only, -j{j}",
            f"{peak:.0f} MB; largest novel ({largest.stat().st_size / 1e6:.1f} MB) alone {alone:.0f} MB: "
            f"{peak / alone:.2f}x",
            "<= 1.2x the largest alone" if j == 1 else "(reported: the largest process)",
            peak / alone <= 1.2 if j == 1 else None,
        )
        default = bench.peak_mb(validate("--jobs", str(j), str(NOVELS)))
        bench.goal(f"peak RSS, 99 novels, default run, -j{j}", f"{default:.0f} MB", "(reported)", None)


def building(bench: Bench, jobs: int) -> None:
    print("5. building", file=sys.stderr)
    novels = sorted(NOVELS.glob("*.xml"))
    mb = sum(f.stat().st_size for f in novels) / 1e6
    floor = bench.floor(novels, jobs)
    out = bench.scratch / "out"
    for fmt in ("html", "text", "epub"):
        cmd = [*TEIKIT, "build", "--no-validate", "--to", fmt, "--jobs", str(jobs), "--out", str(out), str(NOVELS)]
        t, proc = bench.run(cmd)
        status = "" if proc.returncode == 0 else f"; exit {proc.returncode}"
        extra = (
            f"; TEI Stylesheets' HTML {STYLESHEETS_HTML_S} s: {STYLESHEETS_HTML_S / t:.1f}x" if fmt == "html" else ""
        )
        bench.goal(
            f"build {fmt}, 99 novels ({mb:.0f} MB), -j{jobs}",
            f"{t:.1f} s: {t / mb:.3f} s/MB, {t / floor:.1f}x the parse floor ({floor:.2f} s){extra}{status}",
            "(reported)",
            None if proc.returncode == 0 else False,
        )
    all_formats = [*TEIKIT, "build", "--no-validate", "--jobs", str(jobs), "--out", str(out), str(NOVELS)]
    bench.goal(
        f"peak RSS, build of the 99 novels in all formats, -j{jobs}",
        f"{bench.peak_mb(all_formats):.0f} MB",
        "(reported)",
        None,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best counts)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes for the corpus runs")
    ap.add_argument("--quick", action="store_true", help="skip memory and building")
    args = ap.parse_args()
    if shutil.which("jing") is None or not Path("/usr/bin/time").exists():
        print("Error: jing and /usr/bin/time are needed (apt-get install jing time)", file=sys.stderr)
        return 2
    if not TEI_ALL.exists():
        print("Error: ../shared is absent", file=sys.stderr)
        return 2
    bench = Bench(args.repeat)
    try:
        one_file(bench)
        corpus(bench, "Schnitzler letters", sorted(LETTERS.glob("*.xml")), 4, args.jobs)
        corpus(bench, "ELTeC novels", sorted(NOVELS.glob("*.xml")), 2, args.jobs)
        if not args.quick:
            memory(bench, args.jobs)
            building(bench, args.jobs)
    finally:
        shutil.rmtree(bench.scratch, ignore_errors=True)
    rows = [g.row() for g in bench.goals]
    header = ("goal", "measured", "target", "")
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(4)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|-" + "-|-".join("-" * w for w in widths) + "-|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    load = os.getloadavg()[0]
    print(
        f"\n{sum(bool(g.met) for g in bench.goals)} of {sum(g.met is not None for g in bench.goals)} goals met; "
        f"{os.cpu_count()} cores, load average {load:.1f} at the end (other work on the machine slows every row)"
    )
    if bench.differences:
        print(f"{bench.differences} RelaxNG verdict(s) differ from jing's", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
