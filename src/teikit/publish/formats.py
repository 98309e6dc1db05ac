"""The output formats: one table, read by ``build``, ``deposit``, ``--to`` and ``--help``.

Each :class:`Format` names its stylesheet (below ``xslt/``), the
extension and folder of its files, how a transform's result becomes a
file (its packaging step) and the ``--param`` names its stylesheet
reads.  A new format that writes one file per document is one entry
here and one ``xslt/`` folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..resources import data_dir

#: how a transform's result becomes a file
PAGE = "page"  # the serialised result as it is
TEXT = "text"  # the serialised result, ending in exactly one newline
EPUB = "epub"  # an EPUB 3 container, packaged by teikit.publish.epub


@dataclass(frozen=True)
class Format:
    name: str
    stylesheet: str  # below xslt/
    extension: str
    packaging: str
    params: tuple[str, ...]
    summary: str
    registers: bool = False  # whether register files get a file of their own

    @property
    def stylesheet_path(self) -> Path:
        return data_dir("xslt") / self.stylesheet

    def target(self, out: Path, name: str) -> Path:
        """Where the file for the document named ``name`` goes."""
        return out / self.name / f"{name}{self.extension}"


# Every --param teikit knows, with what it does (the README lists them).
PARAMS = {
    "choice": "which reading of <choice> to give: any of sic|corr, orig|reg, abbr|expan, "
    "comma-separated (default: corr,reg,expan)",
    "wrap": "plain text: wrap width in columns, at least 20 (default: 72)",
    "notes": "HTML and text: endnotes (default: all notes at the end) or footnotes "
    "(each top-level division's notes at its end)",
    "supplied": "plain text: editorial insertions as [brackets] (default) or plain",
    "edition-title": "title of the edition's index page and of the edition EPUB",
    "epub-language": "EPUB: language to declare when a document's header names none",
    "lines": "line beginnings (lb): flow (default: a space, except in verse and the parts of a letter) or "
    "diplomatic (every line kept)",
    "view": "editorial signs: diplomatic (default: deletions struck through, additions marked) or reading "
    "(deletions left out, additions plain)",
    "marks": "plain text: deletions, additions and emphasis as signs (default: ⟦del⟧ ⸌add⸍ *emph*), "
    "labels ([del: …] [add: …] *emph*) or none",
}

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "html",
            "html/html.xsl",
            ".html",
            PAGE,
            ("choice", "notes", "lines", "view", "edition-title"),
            "one page per document, index.html and register.html",
        ),
        Format(
            "text",
            "text/text.xsl",
            ".txt",
            TEXT,
            ("choice", "wrap", "notes", "supplied", "lines", "view", "marks"),
            "UTF-8 plain text, wrapped",
            registers=True,
        ),
        Format(
            "epub",
            "epub/epub.xsl",
            ".epub",
            EPUB,
            ("choice", "lines", "view", "edition-title", "epub-language"),
            "one EPUB 3 per document, and edition.epub holding them all",
        ),
    )
}


def names() -> str:
    """The format names as --help and messages list them."""
    return ", ".join(FORMATS)


def help_text() -> str:
    """One line per format for ``teikit build --help``."""
    lines = [f"  {f.name:<5} {f.summary}\n        --param {', '.join(f.params)}" for f in FORMATS.values()]
    return "\b\nFormats:\n" + "\n".join(lines)
