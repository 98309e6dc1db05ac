"""Atomic writes, and the sweeping of what interrupted runs left behind.

:func:`write_atomic` writes to a temporary file beside the target and
renames it into place, so a reader never sees half a file and a killed
run never leaves a truncated one.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


def write_atomic(target: Path, data: bytes | str, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``target`` via a temporary file and a rename."""
    import tempfile  # only writers pay for it

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    # the pid in the name lets a later run tell a leftover of a killed run (see sweep_stale)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


# write_atomic's temporary files and deposit's staging folders: .NAME.[PID.]RANDOM.tmp|partial
_STALE = re.compile(r"^\..+?\.(?:(\d+)\.)?[A-Za-z0-9_]{8}\.(tmp|partial)$")
STALE_AGE = 3600  # seconds after which a leftover without a pid is taken as abandoned


def _dead(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, but belongs to someone else
        return False
    return False


def sweep_stale(folder: Path) -> list[str]:
    """Remove what interrupted teikit runs left in ``folder`` (not below it):
    temporary files of :func:`write_atomic` and staging folders (``*.partial``)
    whose process no longer runs, or, for names without a pid, older than an hour.
    Links are never followed.  Returns the names removed."""
    import shutil
    import stat
    import time

    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        m = _STALE.match(entry.name)
        if not m:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not (stat.S_ISREG(st.st_mode) if m.group(2) == "tmp" else stat.S_ISDIR(st.st_mode)):
            continue
        pid = int(m.group(1)) if m.group(1) else None
        if pid == os.getpid() or not (_dead(pid) if pid is not None else now - st.st_mtime > STALE_AGE):
            continue
        try:
            shutil.rmtree(entry.path) if m.group(2) == "partial" else os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return sorted(removed)
