#!/usr/bin/env python3
"""Time and peak memory of `teikit validate` on pathological documents.

Run on demand:  python3 benchmarks/pathological.py

N invalid <lb/> siblings in one <p>, and N attributes on one element
(the edition's first paragraph, against schema/teikit.rng, RelaxNG
only).  The explanation must grow linearly with N; the target is under
5 s and 200 MB for 10^5 siblings and for 5,000 attributes.  Needs
/usr/bin/time (Debian `time`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "teikit.rng"
EDITION = ROOT / "tei" / "secret-treaties.xml"


def document(folder: Path, name: str, start_tag: str, content: str = "") -> Path:
    src = re.sub(r"<\?xml-model[^>]*\?>", "", EDITION.read_text(encoding="utf-8"))
    at = src.index("<p>", src.index("<body"))
    path = folder / name
    path.write_text(src[:at] + start_tag + content + src[at + 3 :], encoding="utf-8")
    return path


def measure(path: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB)."""
    cmd = [sys.executable, "-m", "teikit", "validate", "--schema", str(SCHEMA), "--no-schematron", "--no-references"]
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd, str(path)], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr)
    cpu = float(user.group(1)) + float(system.group(1)) if user and system else float("nan")
    return wall, cpu, int(rss.group(1)) / 1024 if rss else float("nan")


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="teikit-patho-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TEIKIT_CACHE_DIR=str(folder / "cache"))
    cases = [
        (f"{n:,} invalid <lb/> in one <p>", document(folder, f"lb{n}.xml", "<p>", "<lb/>" * n))
        for n in (
            1_000,
            10_000,
            100_000,
        )
    ]
    for n in (1_000, 5_000):
        attrs = " ".join(f'a{k}="x"' for k in range(n))
        cases.append((f"{n:,} attributes on one <p>", document(folder, f"attrs{n}.xml", f"<p {attrs}>")))
    measure(cases[0][1], env)  # warms the schema cache
    print(f"{'case':40} | {'wall':>8} | {'CPU':>8} | {'peak RSS':>9}")
    for label, path in cases:
        wall, cpu, rss = measure(path, env)
        print(f"{label:40} | {wall:6.2f} s | {cpu:6.2f} s | {rss:6.0f} MB", flush=True)
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
