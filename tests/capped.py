"""Running ``teikit`` in a subprocess whose address space is capped (RLIMIT_AS),
with a 60 s timeout as a guard against hangs (never a measure of speed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
CAP = 200 << 20
_CAPPED = (
    "import resource, sys\n"
    f"resource.setrlimit(resource.RLIMIT_AS, ({CAP}, {CAP}))\n"
    "sys.argv = ['teikit'] + sys.argv[1:]\n"
    "from teikit.cli import main\n"
    "main()\n"
)


def run_capped(*args: str, env: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """``teikit ARGS`` under the memory cap: (exit code, stdout and stderr lines)."""
    res = subprocess.run(
        [sys.executable, "-c", _CAPPED, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(SRC), **(env or {})},
    )
    return res.returncode, res.stdout.splitlines() + res.stderr.splitlines()
