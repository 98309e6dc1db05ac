"""Source positions of elements and attributes (xmlio.ParsedDoc).

Locating a problem must not cost a pass over the whole document, so the
indexes grow lazily and the first lookups ask libxml2 for an element's
place in document order.  Whatever path a lookup takes, the position is
the start tag's exact line and column.
"""

from __future__ import annotations

import re

from lxml import etree

from teikit import xmlio

SOURCE = """<?xml version="1.0"?>
<!-- <fake> tags in a comment --><doc a="1"><?pi <notatag/>?><p>one <![CDATA[<cdata/>]]></p><p
  b="2">two</p>
  <list>{items}</list>
  <last   c = '3'/>
</doc>
"""


def _doc(tmp_path, items: int = 50) -> xmlio.ParsedDoc:
    text = SOURCE.format(items="".join(f"<item n='{i}'/>" + ("\n" if i % 7 == 0 else "") for i in range(items)))
    path = tmp_path / "doc.xml"
    path.write_text(text)
    return xmlio.parse(path)


def _expected(doc: xmlio.ParsedDoc) -> list[tuple[int, int]]:
    """Start tags found independently: strip comments, PIs and CDATA by
    blanking them (keeping offsets), then find each '<name'."""
    text = re.sub(r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>", lambda m: " " * len(m.group()), doc.text, flags=re.S)
    out = []
    for m in re.finditer(r"<[A-Za-z]", text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        out.append((line, col))
    return out


def test_every_element_is_located_exactly_in_any_order(tmp_path):
    doc = _doc(tmp_path)
    elements = list(doc.root.iter(tag=etree.Element))
    expected = _expected(doc)
    assert len(elements) == len(expected) == 55
    # backwards, so the first lookups (answered through XPath) reach far
    # into the document before the index has grown; then the dictionary
    got = {id(e): doc.locate(e) for e in reversed(elements)}
    assert [got[id(e)] for e in elements] == expected
    assert doc._order_cache is not None  # more than the XPath lookups: the dictionary took over
    fresh = _doc(tmp_path)
    assert [fresh.locate(e) for e in list(fresh.root.iter(tag=etree.Element))[:5]] == expected[:5]
    assert fresh._order_cache is None  # a few lookups build no index of the whole document


def test_attribute_positions(tmp_path):
    doc = _doc(tmp_path, items=3)
    p2 = doc.root.findall("p")[1]
    last = doc.root.find("last")
    assert doc.locate(p2, "b") == (3, 3)
    assert doc.locate(last, "c") == (6, 11)  # item 0 ends its line
    assert doc.locate(doc.root, "a") == (2, 39)


def test_positions_past_the_indexed_part(tmp_path):
    doc = _doc(tmp_path, items=2000)
    last = doc.root.find("last")
    line, col = doc.locate(last)
    assert doc.text.splitlines()[line - 1][col - 1 :].startswith("<last")
    assert doc.position(0) == (1, 1)
    assert doc.position(len(doc.text) - 1)[0] == doc.text.count("\n")
