"""Word coverage: how much of a source's text its plain-text output keeps.

The words of a source are those of every text node under ``tei:text``
(or under ``tei:sourceDoc`` where there is no ``text``), joined as TEI
reads them, split on white space, lowercased, with punctuation stripped,
counted as a multiset.  "As TEI reads them": phrase-level elements
(:data:`INLINE`: ``hi``, names, ``choice``, ...) split no word (the
readings of a ``choice`` stand apart from each other), ``lb``, ``pb``, ``cb`` and ``milestone`` split one unless
``break="no"``, and every other element (``p``, ``cell``, ``l``, ``item``,
``note``, ...) stands apart from its neighbours.  The coverage of an output is the share of those words found
in it (each as many times as the source has it).

``build`` warns when a document's text output keeps less than
:data:`THRESHOLD` of its words, and names the elements whose words
produced nothing (``sourceDoc``, ``facsimile``, ``standOff`` or any
other the stylesheets do not render).  ``benchmarks/word_coverage.py``
measures a corpus with the same functions.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from lxml import etree

from ..problems import WARNING, Problem
from ..xmlio import TEI_NS, ParsedDoc

THRESHOLD = 0.5  # below this share of the source's words ("far fewer"), the build warns
_LOST = 0.1  # an element whose words the output has less than this share of produced nothing
_MIN_LOST = 5  # and it is named only when it has this many words


def _strip(word: str) -> str:
    return "".join(c for c in word if not unicodedata.category(c).startswith("P"))


def words(text: str) -> Counter[str]:
    """The multiset of words of a text: split on white space, lowercased, punctuation stripped."""
    return Counter(w for w in (_strip(t) for t in text.lower().split()) if w)


INLINE = frozenset(
    """abbr add addName am c choice corr damage date del emph ex expan foreign forename g gap genName geogName
    gloss hi lang measure mentioned name nameLink num orgName orig pc persName placeName q quote ref reg
    restore roleName rs said seg sic soCalled subst supplied surname term time title unclear w""".split()
)
MILESTONES = frozenset({"lb", "pb", "cb", "gb", "milestone"})


def reading(el: etree._Element) -> str:
    """The text of an element as TEI reads it (see the module)."""
    parts: list[str] = []

    def walk(node: etree._Element, alternative: bool) -> None:
        if not isinstance(node.tag, str):  # comments and processing instructions: only their tail
            return
        local = etree.QName(node).localname
        if local in MILESTONES:
            parts.append("" if node.get("break") in ("no", "n", "false") else " ")
            return
        sep = "" if local in INLINE and not alternative else " "  # the readings of a choice stand apart
        parts.append(sep + (node.text or ""))
        for child in node:
            walk(child, local == "choice")
            parts.append(child.tail or "")
        parts.append(sep)

    walk(el, False)
    return "".join(parts)


def source_parts(root: etree._Element) -> list[etree._Element]:
    """The parts of a TEI document whose words count: every ``text``
    (the outermost ones), else every ``sourceDoc``."""
    for name in ("text", "sourceDoc"):
        found = [el for el in root.iter(f"{{{TEI_NS}}}{name}") if not _under(el, name)]
        if found:
            return found
    return []


def _under(el: etree._Element, name: str) -> bool:
    return any(a.tag == f"{{{TEI_NS}}}{name}" for a in el.iterancestors())


def source_words(root: etree._Element) -> Counter[str]:
    total: Counter[str] = Counter()
    for part in source_parts(root):
        total += words(reading(part))
    return total


def coverage(source: Counter[str], output: Counter[str]) -> float:
    """The share of the source's words found in the output (1.0 for a source with no words)."""
    n = sum(source.values())
    if not n:
        return 1.0
    return sum(min(c, output[w]) for w, c in source.items()) / n


def lost_elements(root: etree._Element, output: Counter[str]) -> list[tuple[str, int]]:
    """(element name, words) for the outermost elements of the source's
    text whose words the output hardly has (coverage under
    :data:`_LOST`), most lost words first, one entry per name."""
    lost: Counter[str] = Counter()
    stack = source_parts(root)
    while stack:
        el = stack.pop()
        mine = words(reading(el))
        if not mine:
            continue
        if coverage(mine, output) < _LOST:
            if sum(mine.values()) >= _MIN_LOST:
                lost[etree.QName(el).localname] += sum(mine.values())
            continue
        stack.extend(c for c in el if isinstance(c.tag, str))
    return lost.most_common()


def check(doc: ParsedDoc, output_text: str) -> list[Problem]:
    """A warning if the output keeps less than :data:`THRESHOLD` of the
    document's words, naming the elements that produced nothing."""
    source = source_words(doc.root)
    out = words(output_text)
    share = coverage(source, out)
    if share >= THRESHOLD:
        return []
    lost = lost_elements(doc.root, out)
    named = ", ".join(f"{name} ({n} words)" for name, n in lost[:8])
    message = (
        f"the text output keeps {share:.0%} of the source's {sum(source.values())} words "
        f"(less than {THRESHOLD:.0%}); "
        + (f"elements that produced nothing: {named}" if named else "no element lost all its words")
    )
    parts = source_parts(doc.root)
    line, col = doc.locate(parts[0] if parts else doc.root)
    return [Problem(doc.display, line, col, WARNING, "build", message, rule="lost-text")]
