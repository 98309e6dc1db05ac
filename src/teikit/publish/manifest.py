"""The build manifest: what a complete build wrote, written last.

:func:`prepare` runs before a build writes anything: it makes sure the
output folder can be written (one clean error if not), removes the
previous build's manifest (from then on the folder holds a build in
progress) and sweeps the temporary files of killed runs.  :func:`write`
runs last: ``OUT/teikit-build.sha256`` lists every file the build wrote
with its SHA-256, in ``sha256sum`` format (``cd OUT && sha256sum -c
teikit-build.sha256``).  A folder with the manifest holds a complete
build; a folder without it holds an interrupted one, possibly a mix of
old and new files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .. import xmlio
from ..problems import OutputError
from ..reproducible import sha256_file

NAME = "teikit-build.sha256"


def prepare(out: Path, formats: Iterable[str]) -> list[Path]:
    """Before a build: a writable ``out``, no stale manifest, no leftovers of killed runs.
    Returns the folders it created (innermost first), for :func:`write` to remove if unused."""
    created = []
    p = out
    while not p.exists() and p != p.parent:
        created.append(p)
        p = p.parent
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".teikit-probe.", dir=out)
        os.close(fd)
        os.unlink(probe)
        (out / NAME).unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write in {out}: {exc.strerror or exc}") from None
    for folder in (out, *(out / f for f in formats)):
        xmlio.sweep_stale(folder)
    return created


def _line(digest: str, name: str) -> str:
    # sha256sum's convention for names holding a backslash or a newline
    if "\\" in name or "\n" in name:
        return "\\" + digest + "  " + name.replace("\\", "\\\\").replace("\n", "\\n")
    return f"{digest}  {name}"


def write(out: Path, written: Iterable[Path], created: Iterable[Path] = ()) -> Path | None:
    """After a build: the manifest of every file it wrote (names relative to ``out``).
    A build that wrote nothing leaves nothing, not even the folders :func:`prepare` made."""
    target = out / NAME
    names = sorted({Path(p).relative_to(out).as_posix() for p in written})
    if not names:
        for folder in created:
            try:
                folder.rmdir()
            except OSError:
                break
        return None
    try:
        text = "".join(_line(sha256_file(out / n), n) + "\n" for n in names)
        xmlio.write_atomic(target, text)
    except OSError as exc:
        raise OutputError(f"cannot write the build manifest {target}: {exc.strerror or exc}") from None
    return target
