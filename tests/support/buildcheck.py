"""Build many documents in every format in-process and sort out the failures that are crashes.

A crash is an XSLT dynamic error or any other failure of the transform (``cannot build: ...``: an error
of engine ``build`` with no rule); missing EPUB metadata (``build:epub-metadata``) and warnings (an image
file that is not there) are reported properties of the document, not crashes.  A Python exception escapes ``build`` and fails the calling test by itself.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

from lxml import etree

from teikit.problems import Problem
from teikit.publish import FORMATS, BuildResult, build

TEI = "http://www.tei-c.org/ns/1.0"
XML = "http://www.w3.org/XML/1998/namespace"


def epub_ready(root: etree._Element, name: str) -> etree._Element:
    """A copy with what an EPUB needs from the header and tei_all allows to add anywhere: an id and a
    language on the root, a main title first in every titleStmt (``title+`` takes one more)."""
    twin = copy.deepcopy(root)
    if twin.get(f"{{{XML}}}id") is None:
        twin.set(f"{{{XML}}}id", f"doc-{name}")
    if not twin.get(f"{{{XML}}}lang"):
        twin.set(f"{{{XML}}}lang", "en")
    for stmt in twin.iter(f"{{{TEI}}}titleStmt"):
        title = etree.Element(f"{{{TEI}}}title", type="main")
        title.text = f"Generated {name}"
        stmt.insert(0, title)
    return twin


def crashes(result: BuildResult) -> list[Problem]:
    return [p for p in result.report.problems if p.engine == "build" and p.is_error and p.rule is None]


def build_everything(sources: Path, out: Path) -> BuildResult:
    return build([sources], out=out, formats=FORMATS, params={}, validator=None)


def outputs(result: BuildResult) -> Counter[str]:
    """Files written per format folder (html, text, epub)."""
    return Counter(p.parent.name for p in result.written)


def element_counts(files: list[Path]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for f in files:
        for el in etree.parse(str(f)).iter():
            if isinstance(el.tag, str):
                counts[el.tag] += 1
    return counts
