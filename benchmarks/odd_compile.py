#!/usr/bin/env python3
"""Timing of ``teikit odd compile`` against the TEI Stylesheets (odd2odd + odd2relax).

Run on demand (not in CI):  python3 benchmarks/odd_compile.py [--repeat 5] [ODD ...]

For each ODD (default: tei_all and tei_lite from the bundled Exemplars) it
prints the median of ``--repeat`` compiles in one process with the parsed
p5subset kept in memory (warm), and one compile in a fresh process (cold:
Python start, imports, parsing p5subset).  With ``TEI_STYLESHEETS`` set to a
checkout of TEIC/Stylesheets it times odd2odd + odd2relax under saxonche in
the same run; otherwise it compares with the issue's figures for the
Stylesheets on this machine (tei_all 4-5 s idle, tei_lite 1.8 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from teikit.odd import compile_odd  # noqa: E402
from teikit.odd.catalog import EXEMPLARS  # noqa: E402
from teikit.odd.source import BUNDLED  # noqa: E402

ISSUE_FIGURES = {"tei_all": 4.5, "tei_lite": 1.8}


def warm(odd: Path, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds (CPU time tells the cost when the machine is shared)."""
    compile_odd(odd)
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        compile_odd(odd)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def cold(odd: Path) -> float:
    code = f"from teikit.odd import compile_odd; compile_odd({str(odd)!r})"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def stylesheets(odd: Path, checkout: Path) -> float:
    from saxonche import PySaxonProcessor

    start = time.perf_counter()
    with PySaxonProcessor(license=False) as proc:
        xslt = proc.new_xslt30_processor()
        first = xslt.compile_stylesheet(stylesheet_file=str(checkout / "odds" / "odd2odd.xsl"))
        first.set_parameter("defaultSource", proc.make_string_value(BUNDLED.as_uri()))
        compiled = first.transform_to_string(source_file=str(odd))
        second = xslt.compile_stylesheet(stylesheet_file=str(checkout / "odds" / "odd2relax.xsl"))
        second.transform_to_string(xdm_node=proc.parse_xml(xml_text=compiled))
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("odds", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    odds = args.odds or [EXEMPLARS / "tei_all.odd", EXEMPLARS / "tei_lite.odd"]
    checkout = Path(os.environ["TEI_STYLESHEETS"]) if os.environ.get("TEI_STYLESHEETS") else None
    print(f"{'ODD':<16} {'warm s':>8} {'warm cpu':>9} {'cold s':>8} {'Stylesheets s':>14} {'ratio':>7}")
    for odd in odds:
        (w, cpu), c = warm(odd, args.repeat), cold(odd)
        if checkout is not None:
            ref, note = stylesheets(odd, checkout), ""
        else:
            ref, note = ISSUE_FIGURES.get(odd.stem, float("nan")), " (issue figure)"
        print(f"{odd.stem:<16} {w:8.2f} {cpu:9.2f} {c:8.2f} {ref:14.2f} {w / ref:7.2f}{note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
