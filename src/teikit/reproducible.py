"""The facts reproducible outputs rest on: ``SOURCE_DATE_EPOCH`` and file digests.

``build`` (EPUB dates and zip timestamps) and ``deposit`` (the bagging
date) read the same variable the same way: unset or empty means "not
given", and anything but a whole, non-negative number of seconds is a
usage error rather than a value quietly ignored.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from .problems import UsageError


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` in seconds, or None when it is not set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {raw!r}") from None
    if value < 0:
        raise UsageError("SOURCE_DATE_EPOCH must not be negative")
    return value


def file_digests(path: Path, algorithms: Iterable[str]) -> dict[str, str]:
    """The hex digests of a file, read once in blocks, for each hashlib algorithm named."""
    hashes = {a: hashlib.new(a) for a in algorithms}
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            for h in hashes.values():
                h.update(block)
    return {a: h.hexdigest() for a, h in hashes.items()}


def sha256_file(path: Path | str) -> str:
    """The SHA-256 hex digest of a file (what caches key their entries by)."""
    return file_digests(Path(path), ["sha256"])["sha256"]
