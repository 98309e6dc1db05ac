"""Where teikit's own schema and stylesheets live.

In a checkout (or an editable install) they are the repository's
``schema/`` and ``xslt/`` folders; in a wheel they are packaged under
``teikit/_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``schema`` or ``xslt``."""
    for candidate in (_PKG / "_data" / name, _PKG.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"teikit's {name}/ folder is missing from this installation")


def project_schema() -> tuple[Path, Path]:
    """The edition's own RelaxNG and Schematron."""
    d = data_dir("schema")
    return d / "teikit.rng", d / "teikit.sch"
