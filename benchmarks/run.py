#!/usr/bin/env python3
"""Side-by-side timing of teikit against jing and xmllint.

Run on demand (not in CI):  python3 benchmarks/run.py [--repeat 3] [--quick]

Everything runs in this one process tree, on this machine, in the same
run, so the ratios are fair.  It prints a table of medians and ratios and
exits non-zero if teikit's RelaxNG verdicts differ from jing's on any file.

Needs: jing, xmllint (libxml2-utils), /usr/bin/time (Debian `time`), and
the shared corpus in ../shared.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TEI_ALL = SHARED / "schema" / "tei_all.rng"
ELTEC = SHARED / "corpus" / "eltec-eng" / "level1"
SCHNITZLER = SHARED / "corpus" / "schnitzler-briefe" / "data"
TEIKIT = [sys.executable, "-m", "teikit"]


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.perf_counter() - t, proc


def median_time(cmd: list[str], repeat: int, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    times, last = [], None
    for _ in range(repeat):
        t, last = timed(cmd, env)
        times.append(t)
    return statistics.median(times), last


def peak_rss_mb(cmd: list[str], env: dict | None = None) -> float | None:
    if not Path("/usr/bin/time").exists():
        return None
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return int(m.group(1)) / 1024 if m else None


def xml_files(*folders: Path) -> list[Path]:
    out: list[Path] = []
    for f in folders:
        out += sorted(p for p in f.rglob("*.xml") if p.is_file())
    return out


def jing_verdicts(files: list[Path], repeat: int) -> tuple[dict[str, bool], float]:
    t, proc = median_time(["jing", str(TEI_ALL), *map(str, files)], repeat)
    bad = {str(Path(line.split(":", 1)[0]).resolve()) for line in proc.stdout.splitlines() if ": error:" in line}
    return {str(f.resolve()): str(f.resolve()) not in bad for f in files}, t


def teikit_verdicts(files: list[Path], extra: list[str], repeat: int, env: dict) -> tuple[dict[str, bool], float]:
    """Verdicts and the median time; one run first warms the schema cache
    for this set of element names (the cold cost shows in the one-file row)."""
    cmd = [
        *TEIKIT,
        "validate",
        "--schema",
        str(TEI_ALL),
        "--no-references",
        "--format",
        "json",
        *extra,
        *map(str, files),
    ]
    timed(cmd, env)
    t, proc = median_time(cmd, repeat, env)
    import json

    data = json.loads(proc.stdout)
    out = {}
    for item in data["files"]:
        rng_errors = [p for p in item["problems"] if p["engine"] in ("rng", "xml") and p["severity"] == "error"]
        out[str(Path(item["file"]).resolve())] = not rng_errors
    return out, t


def xmllint_time(files: list[Path]) -> float:
    t, _ = timed(["xmllint", "--noout", "--relaxng", str(TEI_ALL), *map(str, files)])
    return t


def row(table, task, teikit_s, ref_name, ref_s, note=""):
    ratio = ref_s / teikit_s if teikit_s else float("inf")
    table.append((task, f"{teikit_s:.2f} s", f"{ref_name} {ref_s:.2f} s", f"{ratio:.1f}x", note))
    print(f"  measured: {' | '.join(table[-1])}", file=sys.stderr, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--quick", action="store_true", help="skip the build and memory measurements")
    args = ap.parse_args()
    for tool in ("jing", "xmllint"):
        if shutil.which(tool) is None:
            print(f"Error: {tool} is not installed (apt-get install jing libxml2-utils)", file=sys.stderr)
            return 2
    if not TEI_ALL.exists():
        print("Error: ../shared is absent", file=sys.stderr)
        return 2

    env = dict(os.environ)
    # An installed package has its bytecode compiled (pip does it); a
    # checkout gets it on the first run unless this is set.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cache = tempfile.mkdtemp(prefix="teikit-bench-cache-")
    env["TEIKIT_CACHE_DIR"] = cache
    table: list[tuple] = []
    differences = 0

    # 1. one small file, whole process: `teikit validate` as a user runs it
    # (RelaxNG, tei_all's embedded Schematron, references)
    one = SCHNITZLER / "editions" / "L00001.xml"  # 19 KB letter
    cold, _ = timed([*TEIKIT, "validate", "--schema", str(TEI_ALL), str(one)], env)
    warm, _ = median_time([*TEIKIT, "validate", "--schema", str(TEI_ALL), str(one)], args.repeat, env)
    warm_rng, _ = median_time(
        [*TEIKIT, "validate", "--no-schematron", "--schema", str(TEI_ALL), str(one)], args.repeat, env
    )
    jing_one, _ = median_time(["jing", str(TEI_ALL), str(one)], args.repeat)
    lint_one, _ = median_time(["xmllint", "--noout", "--relaxng", str(TEI_ALL), str(one)], 1)
    row(
        table, "1 file vs tei_all, RNG+Schematron+refs (warm cache)", warm, "jing", jing_one, f"cold cache {cold:.2f} s"
    )
    row(table, "1 file vs tei_all, RNG only (warm cache)", warm_rng, "jing", jing_one)
    row(table, "1 file vs tei_all, RNG only (warm cache)", warm_rng, "xmllint", lint_one)

    # 2. corpora, 2 cores
    for label, files in (("ELTeC 99 novels", xml_files(ELTEC)), ("Schnitzler 150 files", xml_files(SCHNITZLER))):
        mb = sum(f.stat().st_size for f in files) / 1e6
        jv, jt = jing_verdicts(files, args.repeat)
        tv, tt = teikit_verdicts(files, ["--no-schematron", "--jobs", "2"], args.repeat, env)
        _, tt_sch = teikit_verdicts(files, ["--jobs", "2"], args.repeat, env)
        lt = xmllint_time(files)
        diff = [f for f in jv if jv[f] != tv.get(f)]
        differences += len(diff)
        for f in diff:
            print(
                f"VERDICT DIFFERS: {f}: jing {'valid' if jv[f] else 'invalid'}, teikit {'valid' if tv.get(f) else 'invalid'}"
            )
        agree = len(jv) - len(diff)
        row(
            table,
            f"{label} ({mb:.0f} MB), RNG only, --jobs 2",
            tt,
            "jing",
            jt,
            f"verdicts agree {agree}/{len(jv)}; medians, warm cache",
        )
        row(table, f"{label} ({mb:.0f} MB), RNG only, --jobs 2", tt, "xmllint", lt)
        row(table, f"{label} ({mb:.0f} MB), RNG + Schematron, --jobs 2", tt_sch, "jing (RNG only)", jt)

    if not args.quick:
        # 3. build, 99 novels
        files = xml_files(ELTEC)
        mb = sum(f.stat().st_size for f in files) / 1e6
        t0 = time.perf_counter()
        from lxml import etree

        for f in files:
            etree.parse(str(f))
        parse_s = time.perf_counter() - t0
        out = tempfile.mkdtemp(prefix="teikit-bench-out-")
        for fmt in ("html", "text", "epub"):
            bt, proc = timed(
                [*TEIKIT, "build", "--no-validate", "--to", fmt, "--jobs", "2", "--out", out, str(ELTEC)], env
            )
            status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}"
            table.append(
                (
                    f"build {fmt}, 99 novels ({mb:.0f} MB), --jobs 2",
                    f"{bt:.2f} s",
                    f"lxml parse {parse_s:.2f} s",
                    f"{bt / parse_s:.1f}x parse",
                    f"{bt / mb * 1000:.0f} ms/MB, {status}",
                )
            )
        shutil.rmtree(out, ignore_errors=True)
        # 4. memory
        largest = max(files, key=lambda f: f.stat().st_size)
        one_mb = peak_rss_mb([*TEIKIT, "validate", "--no-schematron", "--schema", str(TEI_ALL), str(largest)], env)
        all_mb = peak_rss_mb([*TEIKIT, "validate", "--no-schematron", "--schema", str(TEI_ALL), str(ELTEC)], env)
        if one_mb and all_mb:
            table.append(
                (
                    "peak RSS, validate: all 99 vs the largest alone",
                    f"{all_mb:.0f} MB",
                    f"largest {one_mb:.0f} MB",
                    f"{all_mb / one_mb:.2f}x",
                    f"largest file {largest.stat().st_size / 1e6:.1f} MB",
                )
            )
        out = tempfile.mkdtemp(prefix="teikit-bench-out-")
        build = [*TEIKIT, "build", "--no-validate", "--to", "html", "--jobs", "2", "--out", out]
        one_b = peak_rss_mb([*build, str(largest)], env)
        ten_b = peak_rss_mb([*build, *map(str, files[:10])], env)
        all_b = peak_rss_mb([*build, str(ELTEC)], env)
        epub_b = peak_rss_mb(
            [*TEIKIT, "build", "--no-validate", "--to", "epub", "--jobs", "2", "--out", out, str(ELTEC)], env
        )
        shutil.rmtree(out, ignore_errors=True)
        if one_b and ten_b and all_b:
            table.append(
                (
                    "peak RSS, build html: all 99 vs the largest alone",
                    f"{all_b:.0f} MB",
                    f"largest {one_b:.0f} MB",
                    f"{all_b / one_b:.2f}x",
                    f"10 novels: {ten_b:.0f} MB (flat: Saxon's heap plus one document)",
                )
            )
        if epub_b and one_b:
            table.append(
                (
                    "peak RSS, build epub: all 99 (with the edition EPUB)",
                    f"{epub_b:.0f} MB",
                    f"largest html {one_b:.0f} MB",
                    f"{epub_b / one_b:.2f}x",
                    "the edition EPUB holds every text: grows with the edition",
                )
            )

    shutil.rmtree(cache, ignore_errors=True)
    header = ("task", "teikit", "reference", "ratio", "note")
    widths = [max(len(str(r[i])) for r in [*table, header]) for i in range(5)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in table:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    print(f"\n(ratio = reference time / teikit time; machine: {os.cpu_count()} cores)")
    if differences:
        print(f"{differences} verdict difference(s) against jing", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
