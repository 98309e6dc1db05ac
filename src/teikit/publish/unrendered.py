"""``teikit build --report-unrendered``: the elements no template of their own renders.

Each document is transformed to HTML once more with the stylesheet
parameter ``report-unrendered=yes``, which marks every element that fell
to the generic template (``data-tk-generic="NAME"``); the marked elements
are counted with the words they cover, against the words of the page's
text.  Their text is always shown: the report says where the stylesheets
have nothing better to offer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree, html

from .. import corpus, xmlio
from . import html_site, xslt
from .formats import FORMATS

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Unrendered:
    """One element name that fell to the generic template in one document."""

    file: str
    name: str
    count: int
    words: int
    total: int  # the words of the document's text

    @property
    def share(self) -> float:
        return self.words / self.total if self.total else 0.0

    def __str__(self) -> str:
        return (
            f"{self.file}: <{self.name}>: {self.count} element{'s' if self.count != 1 else ''}, "
            f"{self.words} word{'s' if self.words != 1 else ''} ({100 * self.share:.1f}% of {self.total})"
        )


def _words(el: etree._Element) -> int:
    return sum(len(_WORD.findall(str(t))) for t in el.itertext())


def count(page: str, display: str) -> list[Unrendered]:
    """The generic elements of one HTML page (as built with report-unrendered=yes), most words first."""
    root = html.document_fromstring(page.encode("utf-8"))
    article = root.find(".//article")
    total = _words(article) if article is not None else 0
    counts: dict[str, list[int]] = {}
    for el in root.iterfind(".//*[@data-tk-generic]"):
        # words are counted once, for the outermost generic element of a name
        name = el.get("data-tk-generic", "")
        if any(a.get("data-tk-generic") == name for a in el.iterancestors()):
            counts.setdefault(name, [0, 0])[0] += 1
            continue
        entry = counts.setdefault(name, [0, 0])
        entry[0] += 1
        entry[1] += _words(el)
    found = [Unrendered(display, n, c, w, total) for n, (c, w) in counts.items()]
    return sorted(found, key=lambda u: (-u.words, u.name))


def report(paths: Iterable[Path | str], params: dict[str, str] | None = None) -> list[Unrendered]:
    """The generic elements of every document under ``paths`` (registers are left out)."""
    sheet = xslt.compile_xslt(FORMATS["html"].stylesheet_path)
    doc_params = {k: v for k, v in (params or {}).items() if k in ("choice", "notes", "lines", "view")}
    doc_params["report-unrendered"] = "yes"
    found: list[Unrendered] = []
    for path in corpus.discover(list(paths)):
        display = corpus.display_name(path)
        try:
            doc = xmlio.parse(path, display)
        except (xmlio.XMLError, OSError):
            continue  # the build has reported it
        if html_site.is_register(doc):
            continue
        from . import _in_tei_namespace

        page = xslt.transform(sheet, _in_tei_namespace(doc), doc_params)
        found.extend(count(page, display))
    return found
