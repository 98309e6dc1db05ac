"""XPointer fragments in TEI pointers: those that name an id are checked
against it, the others are a note ("not checked"), never a dangling id."""

from __future__ import annotations

from pathlib import Path

from teikit import xmlio
from teikit.validation.references import ReferenceChecker, pointer_tokens, xpointer_ids

DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
<p xml:id="a">x</p>
<ptr target="#xpointer(id('a'))"/> <ptr target="#xpointer(id('b'))"/>
<ptr target="#string-range(id('a'), 0, 5) #range(id('a'),id('c'))"/>
<ptr target="#xpath(//p[2]) #element(a/1) #element(/1/2) #left(id('a'))"/>
<ptr target="d.xml#xpointer(id('zz')) d.xml#string-range(id('a'),1,2)"/>
</body></text></TEI>
"""


def test_xpointer_fragments_are_checked_against_the_ids_they_name(tmp_path: Path) -> None:
    path = tmp_path / "d.xml"
    path.write_text(DOC)
    found = [str(p) for p in ReferenceChecker().check(xmlio.parse(path, "d.xml"))]
    assert found == [
        "d.xml:3:41: error: @target=\"#xpointer(id('b'))\" on element \"ptr\" is an XPointer to id('b'), "
        'but no element has xml:id="b" [ref]',
        "d.xml:4:6: error: @target=\"#range(id('a'),id('c'))\" on element \"ptr\" is an XPointer to id('c'), "
        'but no element has xml:id="c" [ref]',
        'd.xml:5:6: note: @target="#xpath(//p[2])" on element "ptr" is an XPointer that names no xml:id; '
        "not checked [ref]",
        'd.xml:5:6: note: @target="#element(/1/2)" on element "ptr" is an XPointer that names no xml:id; '
        "not checked [ref]",
        "d.xml:6:6: error: @target=\"d.xml#xpointer(id('zz'))\" on element \"ptr\" is an XPointer to id('zz') "
        'in d.xml, but no element has xml:id="zz" [ref]',
    ]


def test_pointer_lists_keep_spaces_inside_an_xpointer() -> None:
    assert pointer_tokens("#a  #string-range(id('x'), 0, 5) b.xml#c") == [
        "#a",
        "#string-range(id('x'), 0, 5)",
        "b.xml#c",
    ]
    assert xpointer_ids("range(id('a'),id(\"b\"))") == ["a", "b"]
    assert xpointer_ids("element(n1/2/3)") == ["n1"]
    assert xpointer_ids("plain-id") is None
