"""Compiled ODDs on disk, keyed by the contents of the ODD, its source and the compiler.

A second validation against the same ODD reads the compiled grammar
instead of compiling again.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from ..reproducible import sha256_file
from ..xmlio import write_atomic
from .source import BUNDLED

_REFERENCES = re.compile(rb'(?:source|href|target|url)\s*=\s*"([^"#]+)')
_DIGESTS: dict[tuple[str, int, int], str] = {}


def _digest(path: Path) -> str:
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _DIGESTS:
        _DIGESTS[key] = sha256_file(path)
    return _DIGESTS[key]


def compiler_digest() -> str:
    """Changes whenever the compiler's code does, so a new teikit never reads an old result."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for py in sorted(here.glob("*.py")):
        h.update(py.name.encode())
        h.update(_digest(py).encode())
    return h.hexdigest()


def cache_key(odd: Path, source: Path | None) -> str:
    """The ODD's bytes, those of the local files it names (chained ODDs, specGrps, XIncludes), the TEI source."""
    h = hashlib.sha256(compiler_digest().encode())
    data = odd.read_bytes()
    h.update(data)
    for ref in sorted(set(_REFERENCES.findall(data))):
        candidate = (odd.parent / ref.decode("utf-8", "replace")).resolve()
        if candidate.is_file() and candidate != odd:
            h.update(ref + b"=" + _digest(candidate).encode())
    h.update(_digest((source or BUNDLED).resolve()).encode())
    return h.hexdigest()[:32]


def cache_folder() -> Path:
    if os.environ.get("TEIKIT_NO_CACHE"):
        return Path(tempfile.gettempdir()) / f"teikit-odd-{os.getpid()}"
    base = os.environ.get("TEIKIT_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "teikit" / "odd"


def compiled_rng(odd: Path, source: Path | None = None) -> Path:
    """The grammar compiled from ``odd`` (Schematron embedded), from the cache or compiled now."""
    from .api import compile_odd

    odd = Path(odd).resolve()
    target = cache_folder() / f"{odd.stem}-{cache_key(odd, source)}.rng"
    if not target.is_file():
        compiled = compile_odd(odd, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, compiled.rng_bytes())
    return target
