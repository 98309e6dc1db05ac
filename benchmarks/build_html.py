#!/usr/bin/env python3
"""Speed goal: HTML for the 99 ELTeC novels.

The TEI Stylesheets 7.58 take 52 s for this on saxonche (34 s with Java
Saxon 9.9 in one JVM).  teikit must take less than a third: under ~17 s.
Run on demand (not in CI):

    python3 benchmarks/build_html.py [--jobs N] [--repeat 3] [--text]

It times ``teikit.publish.build`` (parse, compile once, transform, write;
no validation, as the reference numbers include none) in this process,
prints the median and the ratio to the 52 s reference, and exits 1 when
the goal is missed.  ``--text`` also times the plain text of the novels.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ELTEC = ROOT.parent / "shared" / "corpus" / "eltec-eng" / "level1"
REFERENCE_S = 52.0  # TEI Stylesheets 7.58 HTML on saxonche, 99 novels


def run(formats: tuple[str, ...], jobs: int) -> float:
    from teikit.publish import build

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = build([ELTEC], out=Path(tmp) / "out", formats=formats, params={}, validator=None, jobs=jobs)
        elapsed = time.perf_counter() - start
    if not result.ok:
        sys.exit(f"build failed: {result.summary()}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--text", action="store_true", help="also time the plain text")
    args = ap.parse_args()
    if not ELTEC.is_dir():
        sys.exit(f"{ELTEC} is absent (the shared corpus is needed)")
    n = len(list(ELTEC.glob("*.xml")))
    times = [run(("html",), args.jobs) for _ in range(args.repeat)]
    med = statistics.median(times)
    ratio = med / REFERENCE_S
    print(f"HTML, {n} ELTeC novels, jobs={args.jobs}: median {med:.1f} s of {', '.join(f'{t:.1f}' for t in times)}")
    print(
        f"TEI Stylesheets on saxonche: {REFERENCE_S:.0f} s; ratio {ratio:.2f} (goal < 0.33): "
        f"{'met' if ratio < 1 / 3 else 'MISSED'}"
    )
    if args.text:
        t = statistics.median(run(("text",), args.jobs) for _ in range(args.repeat))
        print(f"plain text, {n} novels, jobs={args.jobs}: median {t:.1f} s")
    return 0 if ratio < 1 / 3 else 1


if __name__ == "__main__":
    sys.exit(main())
