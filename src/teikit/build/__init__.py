"""``teikit build``: TEI to HTML, plain text and EPUB 3 (work in progress)."""
from __future__ import annotations

FORMATS = ("html", "text", "epub")
