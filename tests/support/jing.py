"""Run jing once over many instance files and read its verdict per file."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|fatal|warning): (?P<message>.*)$")


def available() -> str | None:
    return shutil.which("jing")


def run(schema: Path, files: Sequence[Path], timeout: float = 600) -> dict[Path, list[str]]:
    """Errors per file (``line:col: message``); an empty list means jing judged the file valid.

    A schema jing cannot read raises ``RuntimeError`` with jing's output, rather than making every
    file look invalid."""
    jing = available()
    if jing is None:
        raise RuntimeError("jing is not installed")
    errors: dict[Path, list[str]] = {Path(f): [] for f in files}
    by_name = {str(f): Path(f) for f in files}
    if not files:
        return errors
    proc = subprocess.run([jing, str(schema), *map(str, files)], capture_output=True, text=True, timeout=timeout)
    unplaced = []
    for line in proc.stdout.splitlines():
        m = _LINE.match(line)
        if m is None or m["severity"] == "warning":
            continue
        path = by_name.get(m["file"]) or by_name.get(m["file"].removeprefix("file:"))
        if path is None:
            unplaced.append(line)
        else:
            errors[path].append(f"{m['line']}:{m['col']}: {m['message']}")
    if unplaced or (proc.returncode != 0 and not any(errors.values())):
        said = [line for line in (proc.stdout + proc.stderr).splitlines() if not line.startswith("[warning] ")]
        raise RuntimeError(f"jing failed on {schema}: {' / '.join(said)[:2000]}")
    return errors


def verdicts(schema: Path, files: Sequence[Path]) -> dict[Path, bool]:
    """True where jing judges the file valid."""
    return {f: not errs for f, errs in run(schema, files).items()}
